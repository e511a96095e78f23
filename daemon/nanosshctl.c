/*
 * nanosshctl.c: the administrator's view of nanosshd's live connections,
 * through the listener's control socket (control.h for the requests and
 * replies).  Errors are one line on stderr and exit status 1.
 */
#include <sys/types.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <errno.h>
#include <poll.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <bsd/string.h>

#include "daemon/control.h"

/* The whole exchange: the listener answers at once or not at all. */
#define CTL_TIMEOUT_MS		(CONTROL_DEADLINE_MS + 1000)
#define CTL_REPLY_MAX		(4 * 1024 * 1024)
#define CTL_MAX_FIELDS		32

struct record {
	char *type;
	size_t n;
	char *key[CTL_MAX_FIELDS], *val[CTL_MAX_FIELDS];
};

static void __attribute__((noreturn))
usage(void)
{
	fprintf(stderr,
	    "usage: nanosshctl [-s socket] list [--json]\n"
	    "       nanosshctl [-s socket] show ID [--json]\n"
	    "       nanosshctl [-s socket] disconnect ID|--user NAME|--all "
	    "[--reason TEXT]\n"
	    "       nanosshctl [-s socket] rekey ID\n"
	    "       nanosshctl [-s socket] ping ID\n"
	    "       nanosshctl [-s socket] status [--json]\n"
	    "       nanosshctl [-s socket] penalties [--json]\n"
	    "       nanosshctl [-s socket] penalties --clear [ADDRESS]\n"
	    "       nanosshctl [-s socket] reload\n");
	exit(2);
}

static void __attribute__((noreturn, format(printf, 1, 2)))
fatal(const char *fmt, ...)
{
	va_list ap;

	fputs("nanosshctl: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	exit(1);
}

static long long
now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* Sends req (with its newline) and returns the whole reply, NUL-ended. */
static char *
exchange(const char *path, const char *req)
{
	struct sockaddr_un sun;
	struct pollfd pfd;
	long long deadline = now_ms() + CTL_TIMEOUT_MS, left;
	char *buf = NULL, *nb;
	size_t len = 0, cap = 0;
	ssize_t n;
	int fd;

	memset(&sun, 0, sizeof(sun));
	sun.sun_family = AF_UNIX;
	if (strlcpy(sun.sun_path, path, sizeof(sun.sun_path)) >=
	    sizeof(sun.sun_path))
		fatal("%s: path too long", path);
	if ((fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0)) == -1)
		fatal("socket: %s", strerror(errno));
	if (connect(fd, (struct sockaddr *)&sun, sizeof(sun)) == -1) {
		if (errno == ENOENT || errno == ECONNREFUSED)
			fatal("%s: nanosshd is not running (%s)", path,
			    strerror(errno));
		fatal("%s: %s", path, strerror(errno));
	}
	if (send(fd, req, strlen(req), MSG_NOSIGNAL) != (ssize_t)strlen(req))
		fatal("%s: cannot send: %s", path, strerror(errno));
	for (;;) {
		if ((left = deadline - now_ms()) <= 0)
			fatal("%s: no answer from nanosshd", path);
		pfd.fd = fd;
		pfd.events = POLLIN;
		if (poll(&pfd, 1, (int)left) == -1 && errno != EINTR)
			fatal("poll: %s", strerror(errno));
		if (cap - len < 4096 + 1) {
			if (cap >= CTL_REPLY_MAX)
				fatal("%s: reply too large", path);
			cap = cap == 0 ? 8192 : cap * 2;
			if ((nb = realloc(buf, cap)) == NULL)
				fatal("out of memory");
			buf = nb;
		}
		if ((n = recv(fd, buf + len, cap - len - 1, MSG_DONTWAIT)) ==
		    -1) {
			if (errno == EAGAIN || errno == EINTR)
				continue;
			fatal("%s: %s", path, strerror(errno));
		}
		if (n == 0)
			break;
		len += (size_t)n;
	}
	close(fd);
	if (buf == NULL)
		fatal("%s: nanosshd closed the connection without an answer",
		    path);
	buf[len] = '\0';
	return buf;
}

/* The reply's records after "ok"; an error reply is fatal. */
static size_t
parse_reply(char *reply, struct record **recsp)
{
	struct record *recs = NULL, *r;
	char *line, *field, *eq, *cp = reply;
	size_t n = 0;

	line = strsep(&cp, "\n");
	if (strncmp(line, "error ", 6) == 0)
		fatal("%s", line + 6);
	if (strcmp(line, "ok") != 0)
		fatal("unexpected answer from nanosshd");
	while ((line = strsep(&cp, "\n")) != NULL) {
		if (*line == '\0')
			continue;
		if ((recs = reallocarray(recs, n + 1, sizeof(*recs))) == NULL)
			fatal("out of memory");
		r = &recs[n++];
		memset(r, 0, sizeof(*r));
		r->type = strsep(&line, "\t");
		while ((field = strsep(&line, "\t")) != NULL &&
		    r->n < CTL_MAX_FIELDS) {
			if ((eq = strchr(field, '=')) == NULL)
				continue;
			*eq = '\0';
			r->key[r->n] = field;
			r->val[r->n++] = eq + 1;
		}
	}
	*recsp = recs;
	return n;
}

/* A reply and its records (which point into its text). */
struct reply {
	char *text;
	struct record *recs;
	size_t n;
};

static size_t
ask(const char *path, const char *req, struct reply *rp)
{
	rp->text = exchange(path, req);
	rp->n = parse_reply(rp->text, &rp->recs);
	return rp->n;
}

static void
reply_free(struct reply *rp)
{
	free(rp->text);
	free(rp->recs);
	memset(rp, 0, sizeof(*rp));
}

static const char *
get(const struct record *r, const char *key)
{
	size_t i;

	for (i = 0; i < r->n; i++)
		if (strcmp(r->key[i], key) == 0)
			return r->val[i];
	return "";
}

/* Fields that are numbers in JSON. */
static int
numeric(const char *key)
{
	static const char *const nums[] = { "id", "age", "bytes_in",
	    "bytes_out", "channels", "idle", "pid", "uptime", "connections",
	    "unauthenticated", "accepted", "penalties", "count", "failed",
	    "left" };
	size_t i;

	for (i = 0; i < sizeof(nums) / sizeof(nums[0]); i++)
		if (strcmp(key, nums[i]) == 0)
			return 1;
	return 0;
}

/* Values are printable ASCII without tabs (control.h): only '"' and
 * '\\' need escaping. */
static void
json_string(const char *s)
{
	putchar('"');
	for (; *s != '\0'; s++) {
		if (*s == '"' || *s == '\\')
			putchar('\\');
		putchar(*s);
	}
	putchar('"');
}

static void
json_record(const struct record *r)
{
	size_t i;

	putchar('{');
	for (i = 0; i < r->n; i++) {
		if (i > 0)
			fputs(", ", stdout);
		json_string(r->key[i]);
		fputs(": ", stdout);
		if (numeric(r->key[i]) && *r->val[i] != '\0' &&
		    strspn(r->val[i], "0123456789") == strlen(r->val[i]))
			fputs(r->val[i], stdout);
		else
			json_string(r->val[i]);
	}
	putchar('}');
}

static const char *
dash(const char *s)
{
	return *s != '\0' ? s : "-";
}

static void
print_list(const struct record *recs, size_t n, int json)
{
	size_t i;

	if (json) {
		putchar('[');
		for (i = 0; i < n; i++) {
			if (i > 0)
				fputs(",\n ", stdout);
			json_record(&recs[i]);
		}
		puts("]");
		return;
	}
	printf("%-8s %-12s %-24s %6s %-13s %-10s %-24s %-29s %-20s %-20s "
	    "%10s %10s %4s %6s\n", "ID", "USER", "PEER", "AGE", "STATE",
	    "METHOD", "KEX", "CIPHER", "MAC", "HOSTKEY", "IN", "OUT", "CHAN",
	    "IDLE");
	for (i = 0; i < n; i++) {
		if (strcmp(recs[i].type, "conn") != 0)
			continue;
		printf("%-8s %-12s %-24s %6s %-13s %-10s %-24s %-29s %-20s "
		    "%-20s %10s %10s %4s %6s\n", get(&recs[i], "id"),
		    dash(get(&recs[i], "user")), get(&recs[i], "peer"),
		    get(&recs[i], "age"), get(&recs[i], "state"),
		    dash(get(&recs[i], "method")), dash(get(&recs[i], "kex")),
		    dash(get(&recs[i], "cipher")), dash(get(&recs[i], "mac")),
		    dash(get(&recs[i], "hostkey")), get(&recs[i], "bytes_in"),
		    get(&recs[i], "bytes_out"), get(&recs[i], "channels"),
		    get(&recs[i], "idle"));
	}
}

static void
print_penalties(const struct record *recs, size_t n, int json)
{
	size_t i;

	if (json) {
		print_list(recs, n, 1);
		return;
	}
	printf("%-40s %8s %s\n", "SOURCE", "LEFT", "REFUSED");
	for (i = 0; i < n; i++)
		printf("%-40s %8s %s\n", get(&recs[i], "source"),
		    get(&recs[i], "left"), get(&recs[i], "refused"));
}

/* One record as "key: value" lines (show, status). */
static void
print_one(const struct record *r, int json)
{
	size_t i;

	if (json) {
		json_record(r);
		putchar('\n');
		return;
	}
	for (i = 0; i < r->n; i++)
		printf("%-16s %s\n", r->key[i], dash(r->val[i]));
}

/* An ID is digits only: anything else is not sent at all. */
static const char *
check_id(const char *id)
{
	if (*id == '\0' || strspn(id, "0123456789") != strlen(id) ||
	    strlen(id) > 10)
		fatal("%s: not a connection ID (a session's pid)", id);
	return id;
}

/* A word of the request: no spaces or control characters in it. */
static const char *
check_word(const char *what, const char *w)
{
	const char *p;

	for (p = w; *p != '\0'; p++)
		if (*p <= ' ' || *p >= 0x7f)
			fatal("%s %s: not a valid name", what, w);
	if (*w == '\0' || strlen(w) > 64)
		fatal("%s: not a valid name", what);
	return w;
}

static int
cmd_disconnect(const char *path, int argc, char **argv)
{
	char req[CONTROL_REQ_MAX + 64], target[96] = "";
	const char *reason = NULL, *p;
	struct reply rep = { NULL, NULL, 0 };
	int i;

	for (i = 0; i < argc; i++) {
		if (strcmp(argv[i], "--all") == 0 && *target == '\0')
			strlcpy(target, "all", sizeof(target));
		else if (strcmp(argv[i], "--user") == 0 && i + 1 < argc &&
		    *target == '\0')
			snprintf(target, sizeof(target), "user %s",
			    check_word("--user", argv[++i]));
		else if (strcmp(argv[i], "--reason") == 0 && i + 1 < argc)
			reason = argv[++i];
		else if (argv[i][0] != '-' && *target == '\0')
			snprintf(target, sizeof(target), "id %s",
			    check_id(argv[i]));
		else
			usage();
	}
	if (*target == '\0')
		usage();
	if (reason != NULL) {
		for (p = reason; *p != '\0'; p++)
			if ((unsigned char)*p < 0x20 || *p == 0x7f)
				fatal("--reason: control characters are not "
				    "allowed");
		if (strlen(reason) > 128)
			fatal("--reason: at most 128 characters");
	}
	snprintf(req, sizeof(req), "disconnect %s%s%s\n", target,
	    reason != NULL ? " " : "", reason != NULL ? reason : "");
	if (ask(path, req, &rep) > 0)
		printf("disconnected %s connection(s)\n", get(&rep.recs[0],
		    "count"));
	reply_free(&rep);
	return 0;
}

int
main(int argc, char **argv)
{
	const char *path = CONTROL_DEFAULT_PATH, *cmd;
	char req[CONTROL_REQ_MAX];
	struct reply rep = { NULL, NULL, 0 };
	size_t n;
	int ch, json = 0;

	while ((ch = getopt(argc, argv, "+s:")) != -1) {
		switch (ch) {
		case 's':
			path = optarg;
			break;
		default:
			usage();
		}
	}
	argc -= optind;
	argv += optind;
	if (argc < 1)
		usage();
	cmd = argv[0];
	if (argc >= 2 && strcmp(argv[argc - 1], "--json") == 0 &&
	    strcmp(cmd, "disconnect") != 0) {
		json = 1;
		argc--;
	}
	if (strcmp(cmd, "list") == 0 && argc == 1) {
		n = ask(path, "list\n", &rep);
		print_list(rep.recs, n, json);
	} else if (strcmp(cmd, "show") == 0 && argc == 2) {
		snprintf(req, sizeof(req), "show %s\n", check_id(argv[1]));
		n = ask(path, req, &rep);
		if (n != 1)
			fatal("unexpected answer from nanosshd");
		print_one(&rep.recs[0], json);
	} else if (strcmp(cmd, "status") == 0 && argc == 1) {
		n = ask(path, "status\n", &rep);
		if (n != 1)
			fatal("unexpected answer from nanosshd");
		print_one(&rep.recs[0], json);
	} else if (strcmp(cmd, "rekey") == 0 && argc == 2 && !json) {
		snprintf(req, sizeof(req), "rekey %s\n", check_id(argv[1]));
		ask(path, req, &rep);
		printf("rekey of %s started\n", argv[1]);
	} else if (strcmp(cmd, "ping") == 0 && argc == 2 && !json) {
		snprintf(req, sizeof(req), "ping %s\n", check_id(argv[1]));
		n = ask(path, req, &rep);
		if (n != 1 || *get(&rep.recs[0], "ms") == '\0')
			fatal("unexpected answer from nanosshd");
		printf("%s ms\n", get(&rep.recs[0], "ms"));
	} else if (strcmp(cmd, "penalties") == 0 && argc == 1) {
		n = ask(path, "penalties\n", &rep);
		print_penalties(rep.recs, n, json);
	} else if (strcmp(cmd, "penalties") == 0 && !json && (argc == 2 ||
	    argc == 3) && strcmp(argv[1], "--clear") == 0) {
		snprintf(req, sizeof(req), "penalties clear%s%s\n",
		    argc == 3 ? " " : "", argc == 3 ? check_word("--clear",
		    argv[2]) : "");
		n = ask(path, req, &rep);
		printf("cleared the penalties of %s source(s)\n",
		    n > 0 ? get(&rep.recs[0], "count") : "0");
	} else if (strcmp(cmd, "reload") == 0 && argc == 1 && !json) {
		ask(path, "reload\n", &rep);
		printf("the configuration is valid; nanosshd is restarting "
		    "with it\n");
	} else if (strcmp(cmd, "disconnect") == 0 && argc >= 2)
		return cmd_disconnect(path, argc - 1, argv + 1);
	else
		usage();
	reply_free(&rep);
	if (fflush(stdout) != 0)
		fatal("cannot write output: %s", strerror(errno));
	return 0;
}
