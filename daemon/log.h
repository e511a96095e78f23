/*
 * log.h: nanosshd's logging, to syslog(3) or to stderr.
 *
 * Every message is one line: control characters and bytes outside
 * printable ASCII are escaped (\ooo), because messages may carry strings a
 * client chose.  Levels are enum cfg_log_level (config.h); a message is
 * written when its level is at or below the current level.
 */
#ifndef NANOSSH_LOG_H
#define NANOSSH_LOG_H

#include <stdarg.h>

#include "daemon/config.h"

/* Longest message kept; longer ones are cut (after escaping). */
#define LOG_LINE_MAX	1024

/*
 * Starts logging as ident (a static string, kept).  facility is a syslog(3)
 * facility such as LOG_AUTH; with to_stderr the lines go to stderr as
 * "ident[pid]: level: message" instead.  May be called again to change
 * any of these.
 */
void log_init(const char *ident, int level, int facility, int to_stderr);
void log_set_level(int level);
int log_get_level(void);
/* 1 if messages go to stderr (-e), 0 for syslog. */
int log_stderr(void);
/* 1 if a message at level would be written (to skip costly formatting). */
int log_enabled(int level);

void log_msg(int level, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
void log_vmsg(int level, const char *fmt, va_list ap)
    __attribute__((format(printf, 2, 0)));

#define log_error(...)		log_msg(CFG_LOG_ERROR, __VA_ARGS__)
#define log_info(...)		log_msg(CFG_LOG_INFO, __VA_ARGS__)
#define log_verbose(...)	log_msg(CFG_LOG_VERBOSE, __VA_ARGS__)
#define log_debug(...)		log_msg(CFG_LOG_DEBUG, __VA_ARGS__)

/* Logs at error level and exits with status 1.  Only at a process's edge
 * (main and its direct helpers), never inside library code. */
/* Logs text that the caller has already escaped (the protocol child's
 * lines, escaped by privsep/log_channel.c) without escaping its
 * backslashes a second time; anything unprintable is escaped after all. */
void log_escaped(int level, const char *clean);
void log_fatal(const char *fmt, ...)
    __attribute__((format(printf, 1, 2), noreturn));

/*
 * Copies src into dst (size dstsize > 0, always terminated), escaping every
 * byte outside printable ASCII as \ooo and a backslash as \\.  Cuts at a
 * whole escape.  Returns dst.
 */
char *log_sanitise(char *dst, size_t dstsize, const char *src);

#endif
