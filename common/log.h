/*
 * log.h: nanosshd's logging, to syslog(3) or to stderr.
 *
 * Every message is one line: control characters and bytes outside
 * printable ASCII are escaped (\ooo), because messages may carry strings a
 * client chose.  A message is written when its level is at or below the
 * current level.
 */
#ifndef NANOSSH_LOG_H
#define NANOSSH_LOG_H

#include <stdarg.h>
#include <stddef.h>

#include "common/names.h"

enum log_level {
	LOG_LVL_ERROR = 0,
	LOG_LVL_INFO,
	LOG_LVL_VERBOSE,
	LOG_LVL_DEBUG,
};

/* The level names of log_level, and syslog(3) facility names ("auth",
 * "local0", ...) with their LOG_* values; both NULL-terminated. */
extern const struct name_value log_level_names[];
extern const struct name_value log_facility_names[];
/* The name of a level, "unknown" for a value out of range; never NULL. */
const char *log_level_name(int level);

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

#define log_error(...)		log_msg(LOG_LVL_ERROR, __VA_ARGS__)
#define log_info(...)		log_msg(LOG_LVL_INFO, __VA_ARGS__)
#define log_verbose(...)	log_msg(LOG_LVL_VERBOSE, __VA_ARGS__)
#define log_debug(...)		log_msg(LOG_LVL_DEBUG, __VA_ARGS__)

/* Logs tag (a literal) and text that the caller has already escaped (the
 * protocol child's lines, escaped by privsep/log_channel.c) without
 * escaping its backslashes a second time; anything unprintable is escaped
 * after all. */
void log_escaped(int level, const char *tag, const char *clean);
/* Logs at error level and exits with status 1.  Only at a process's edge
 * (main and its direct helpers), never inside library code. */
void log_fatal(const char *fmt, ...)
    __attribute__((format(printf, 1, 2), noreturn));

/*
 * Copies src into dst (size dstsize > 0, always terminated), escaping every
 * byte outside printable ASCII as \ooo and a backslash as \\.  Cuts at a
 * whole escape.  Returns dst.
 */
char *log_sanitise(char *dst, size_t dstsize, const char *src);

#endif
