/* log.c: one-line, escaped log messages to syslog or stderr (log.h). */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <syslog.h>
#include <unistd.h>

#include "common/log.h"
#include "protocol/escape.h"

static const char *log_ident = "nanosshd";
static int log_level = LOG_LVL_INFO;
static int log_to_stderr = 1;
static int log_syslog_open;

const struct name_value log_level_names[] = {
	{ "error", LOG_LVL_ERROR }, { "info", LOG_LVL_INFO },
	{ "verbose", LOG_LVL_VERBOSE }, { "debug", LOG_LVL_DEBUG },
	{ NULL, 0 }
};

const struct name_value log_facility_names[] = {
	{ "auth", LOG_AUTH }, { "authpriv", LOG_AUTHPRIV },
	{ "daemon", LOG_DAEMON }, { "user", LOG_USER },
	{ "local0", LOG_LOCAL0 }, { "local1", LOG_LOCAL1 },
	{ "local2", LOG_LOCAL2 }, { "local3", LOG_LOCAL3 },
	{ "local4", LOG_LOCAL4 }, { "local5", LOG_LOCAL5 },
	{ "local6", LOG_LOCAL6 }, { "local7", LOG_LOCAL7 },
	{ NULL, 0 }
};

static const struct {
	const char *name;
	int priority;
} log_levels[] = {
	[LOG_LVL_ERROR] = { "error", LOG_ERR },
	[LOG_LVL_INFO] = { "info", LOG_INFO },
	[LOG_LVL_VERBOSE] = { "verbose", LOG_INFO },
	[LOG_LVL_DEBUG] = { "debug", LOG_DEBUG },
};

const char *
log_level_name(int level)
{
	const char *n = name_of(log_level_names, level);

	return n != NULL ? n : "unknown";
}

static int
log_clamp(int level)
{
	if (level < LOG_LVL_ERROR)
		return LOG_LVL_ERROR;
	if (level > LOG_LVL_DEBUG)
		return LOG_LVL_DEBUG;
	return level;
}

void
log_init(const char *ident, int level, int facility, int to_stderr)
{
	if (log_syslog_open) {
		closelog();
		log_syslog_open = 0;
	}
	log_ident = ident;
	log_level = log_clamp(level);
	log_to_stderr = to_stderr;
	if (!to_stderr) {
		/* LOG_NDELAY: connect now, before any later chroot hides
		 * /dev/log. */
		openlog(ident, LOG_PID | LOG_NDELAY, facility);
		log_syslog_open = 1;
	}
}

void
log_set_level(int level)
{
	log_level = log_clamp(level);
}

int
log_stderr(void)
{
	return log_to_stderr;
}

int
log_get_level(void)
{
	return log_level;
}

int
log_enabled(int level)
{
	return level <= log_level;
}

char *
log_sanitise(char *dst, size_t dstsize, const char *src)
{
	return str_escape(dst, dstsize, (const uint8_t *)src, strlen(src));
}

/* One write(2) per line, so lines from concurrent processes sharing a
 * stderr do not interleave. */
static void
log_write_stderr(int level, const char *msg)
{
	char line[LOG_LINE_MAX + 128];
	int n;

	n = snprintf(line, sizeof(line), "%s[%ld]: %s: %s\n", log_ident,
	    (long)getpid(), log_levels[level].name, msg);
	if (n < 0)
		return;
	if ((size_t)n >= sizeof(line)) {
		n = sizeof(line) - 1;
		line[n - 1] = '\n';
	}
	/* Nothing useful to do when stderr is gone. */
	while (write(STDERR_FILENO, line, (size_t)n) < 0 && errno == EINTR)
		;
}

static void
log_emit(int level, const char *clean)
{
	if (log_to_stderr)
		log_write_stderr(level, clean);
	else
		syslog(log_levels[level].priority, "%s", clean);
}

void
log_vmsg(int level, const char *fmt, va_list ap)
{
	char raw[LOG_LINE_MAX], clean[LOG_LINE_MAX];
	int saved_errno = errno;

	level = log_clamp(level);
	if (!log_enabled(level))
		goto out;
	vsnprintf(raw, sizeof(raw), fmt, ap);
	log_sanitise(clean, sizeof(clean), raw);
	log_emit(level, clean);
 out:
	errno = saved_errno;
}

void
log_escaped(int level, const char *tag, const char *clean)
{
	char line[LOG_LINE_MAX];
	const char *p;
	int saved_errno = errno;

	level = log_clamp(level);
	if (!log_enabled(level))
		goto out;
	/* Trust, but verify: only printable ASCII goes out unescaped. */
	for (p = clean; *p != '\0'; p++) {
		if ((unsigned char)*p < 0x20 || (unsigned char)*p > 0x7e) {
			log_msg(level, "%s%s", tag, clean);
			goto out;
		}
	}
	snprintf(line, sizeof(line), "%s%s", tag, clean);
	log_emit(level, line);
 out:
	errno = saved_errno;
}

void
log_msg(int level, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	log_vmsg(level, fmt, ap);
	va_end(ap);
}

void
log_fatal(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	log_vmsg(LOG_LVL_ERROR, fmt, ap);
	va_end(ap);
	exit(1);
}
