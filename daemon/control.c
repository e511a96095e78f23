/* control.c: the listener's control socket for nanosshctl (control.h). */
#include <sys/types.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <netdb.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <bsd/stdlib.h>
#include <bsd/string.h>

#include "common/log.h"
#include "common/monotime.h"
#include "common/sessrec.h"
#include "daemon/children.h"
#include "daemon/control.h"
#include "daemon/listener.h"
#include "daemon/penalty.h"
#include "daemon/serve.h"
#include "protocol/buf.h"
#include "protocol/ssherr.h"

/* A reply is at most this big (a list of CHILDREN_MAX connections). */
#define CONTROL_REPLY_MAX	(4 * 1024 * 1024)

int
control_peer_allowed(uid_t peer, uid_t self)
{
	return peer == 0 || peer == self;
}

/* The directory of path, made 0700 when missing (not when it exists:
 * /run is not ours to change). */
static int
control_mkdir(const char *path)
{
	char dir[sizeof(((struct sockaddr_un *)0)->sun_path)];
	char *slash;

	strlcpy(dir, path, sizeof(dir));
	if ((slash = strrchr(dir, '/')) == NULL || slash == dir)
		return 0;
	*slash = '\0';
	if (mkdir(dir, 0700) == -1 && errno != EEXIST)
		return -1;
	return 0;
}

/* 1 if something listens on the socket (a connect does not refuse). */
static int
control_live(const struct sockaddr_un *sun)
{
	int fd, live;

	if ((fd = socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC,
	    0)) == -1)
		return 0;
	live = connect(fd, (const struct sockaddr *)sun, sizeof(*sun)) == 0 ||
	    errno == EAGAIN;
	close(fd);
	return live;
}

int
control_open(const char *path, struct control **ctlp, char *err,
    size_t errsize)
{
	struct sockaddr_un sun;
	struct control *ctl = NULL;
	struct stat st;
	mode_t old;
	size_t i;
	int fd = -1;

	*ctlp = NULL;
	memset(&sun, 0, sizeof(sun));
	sun.sun_family = AF_UNIX;
	if (strlcpy(sun.sun_path, path, sizeof(sun.sun_path)) >=
	    sizeof(sun.sun_path)) {
		snprintf(err, errsize, "control_socket %s: path too long",
		    path);
		return -1;
	}
	if (control_mkdir(path) == -1) {
		snprintf(err, errsize, "control_socket %s: cannot make its "
		    "directory: %s", path, strerror(errno));
		return -1;
	}
	/* A socket left by a daemon that died (or by this one before its
	 * SIGHUP re-exec) goes; a live one or anything else stays. */
	if (lstat(path, &st) == 0) {
		if (!S_ISSOCK(st.st_mode)) {
			snprintf(err, errsize, "control_socket %s: exists and "
			    "is not a socket", path);
			return -1;
		}
		if (control_live(&sun)) {
			snprintf(err, errsize, "control_socket %s: in use by "
			    "another nanosshd", path);
			return -1;
		}
		(void)unlink(path);
	}
	if ((fd = socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC,
	    0)) == -1)
		goto fail;
	/* 0600 from the start: no moment where others could connect. */
	old = umask(0177);
	if (bind(fd, (struct sockaddr *)&sun, sizeof(sun)) == -1) {
		umask(old);
		goto fail;
	}
	umask(old);
	if (chmod(path, 0600) == -1 || listen(fd, CONTROL_MAX_CLIENTS) == -1)
		goto fail_unlink;
	if ((ctl = calloc(1, sizeof(*ctl))) == NULL ||
	    (ctl->path = strdup(path)) == NULL) {
		free(ctl);
		errno = ENOMEM;
		goto fail_unlink;
	}
	ctl->fd = fd;
	ctl->started_ms = monotime_ms();
	for (i = 0; i < CONTROL_MAX_CLIENTS; i++)
		ctl->cl[i].fd = -1;
	*ctlp = ctl;
	return 0;
 fail_unlink:
	(void)unlink(path);
 fail:
	snprintf(err, errsize, "control_socket %s: %s", path,
	    strerror(errno));
	if (fd != -1)
		close(fd);
	return -1;
}

static void
client_end(struct control_client *cl)
{
	/* The reload the client asked for, now that it has its answer
	 * (the re-exec closes every descriptor of this image). */
	if (cl->reload && kill(getpid(), SIGHUP) == -1)
		log_error("control: cannot reload: %s", strerror(errno));
	if (cl->fd != -1)
		close(cl->fd);
	buf_free(cl->out);
	memset(cl, 0, sizeof(*cl));
	cl->fd = -1;
}

void
control_free(struct control *ctl, int unlink_path)
{
	size_t i;

	if (ctl == NULL)
		return;
	for (i = 0; i < CONTROL_MAX_CLIENTS; i++)
		client_end(&ctl->cl[i]);
	close(ctl->fd);
	if (unlink_path && unlink(ctl->path) == -1 && errno != ENOENT)
		log_error("cannot remove control socket %s: %s", ctl->path,
		    strerror(errno));
	free(ctl->path);
	free(ctl);
}

/* One key=value field, the value made printable and tab-free. */
static int
put_field(struct buf *out, const char *key, const char *val)
{
	size_t i;
	int r;

	if ((r = buf_putf(out, "\t%s=", key)) != 0)
		return r;
	for (i = 0; val[i] != '\0'; i++) {
		if ((r = buf_put_u8(out, val[i] >= 0x20 && val[i] < 0x7f ?
		    (uint8_t)val[i] : '?')) != 0)
			return r;
	}
	return 0;
}

static int
put_num(struct buf *out, const char *key, unsigned long long v)
{
	char s[32];

	snprintf(s, sizeof(s), "%llu", v);
	return put_field(out, key, s);
}

static int
put_conn(struct buf *out, const struct child *ch, uint64_t now)
{
	const struct sessrec_info *v = &ch->ch_info;
	uint64_t idle;
	int r;

	/* The session reports the idle time when something changes; in
	 * between, nothing changed: it grows with the clock. */
	idle = ch->ch_info_ms != 0 ? v->idle_s + (now - ch->ch_info_ms) /
	    1000 : (now - ch->ch_started_ms) / 1000;
	if ((r = buf_putf(out, "conn")) != 0 ||
	    (r = put_num(out, "id", (unsigned long long)ch->ch_pid)) != 0 ||
	    (r = put_field(out, "user", v->user)) != 0 ||
	    (r = put_field(out, "peer", ch->ch_peer)) != 0 ||
	    (r = put_num(out, "age", (now - ch->ch_started_ms) / 1000)) != 0 ||
	    (r = put_field(out, "state", ch->ch_authenticated ?
	    "authenticated" : "pre-auth")) != 0 ||
	    (r = put_field(out, "method", v->method)) != 0 ||
	    (r = put_field(out, "kex", v->kex)) != 0 ||
	    (r = put_field(out, "cipher", v->cipher)) != 0 ||
	    (r = put_field(out, "mac", v->mac)) != 0 ||
	    (r = put_field(out, "hostkey", v->hostkey)) != 0 ||
	    (r = put_num(out, "bytes_in", v->bytes_in)) != 0 ||
	    (r = put_num(out, "bytes_out", v->bytes_out)) != 0 ||
	    (r = put_num(out, "channels", v->channels)) != 0 ||
	    (r = put_num(out, "idle", idle)) != 0)
		return r;
	return buf_put_u8(out, '\n');
}

static int
reply_error(struct buf *out, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static int
reply_error(struct buf *out, const char *fmt, ...)
{
	char msg[256], clean[256];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	sessrec_reason(clean, msg, strlen(msg) < SESSREC_REASON_MAX ?
	    strlen(msg) : SESSREC_REASON_MAX);
	buf_reset(out);
	return buf_putf(out, "error %s\n", clean);
}

static struct child *
find_id(struct serve *sv, const char *id)
{
	const char *errstr = NULL;
	long long pid;

	pid = strtonum(id, 1, INT32_MAX, &errstr);
	if (errstr != NULL)
		return NULL;
	return children_find(&sv->sv_kids, (pid_t)pid);
}

/* The command record to one session; 0 or -1 (logged). */
static int
send_cmd(struct child *ch, int cmd, const char *reason)
{
	uint8_t rec[SESSREC_MAX];
	size_t len;

	if (ch->ch_status_fd == -1 ||
	    sessrec_cmd_encode(cmd, reason, rec, sizeof(rec), &len) != 0 ||
	    send(ch->ch_status_fd, rec, len, MSG_DONTWAIT | MSG_NOSIGNAL) !=
	    (ssize_t)len) {
		log_error("cannot send a command to session pid %ld: %s",
		    (long)ch->ch_pid, ch->ch_status_fd == -1 ?
		    "its status socket is closed" : strerror(errno));
		return -1;
	}
	return 0;
}

static int
send_ping(struct child *ch, uint32_t *tokenp)
{
	uint8_t rec[SESSREC_PING_LEN];

	*tokenp = arc4random();
	sessrec_ping_encode(*tokenp, rec);
	ch->ch_pong_new = 0;
	if (ch->ch_status_fd == -1 || send(ch->ch_status_fd, rec, sizeof(rec),
	    MSG_DONTWAIT | MSG_NOSIGNAL) != (ssize_t)sizeof(rec))
		return -1;
	return 0;
}

static int
req_disconnect(struct serve *sv, char *args, struct buf *out)
{
	struct children *k = &sv->sv_kids;
	struct child *ch;
	char *what, *arg = NULL, *reason;
	size_t i, n = 0, failed = 0;

	if ((what = strsep(&args, " ")) == NULL)
		return reply_error(out, "usage: disconnect id|user|all");
	if (strcmp(what, "all") != 0 && (arg = strsep(&args, " ")) == NULL)
		return reply_error(out, "disconnect %s: missing argument",
		    what);
	reason = args != NULL && *args != '\0' ? args :
	    CONTROL_DEFAULT_REASON;
	if (strcmp(what, "id") == 0) {
		if ((ch = find_id(sv, arg)) == NULL)
			return reply_error(out, "no such connection: %s", arg);
		if (send_cmd(ch, SESSREC_DISCONNECT, reason) != 0)
			return reply_error(out, "connection %s cannot be "
			    "reached", arg);
		n = 1;
	} else if (strcmp(what, "user") == 0 || strcmp(what, "all") == 0) {
		for (i = 0; i < k->c_n; i++) {
			ch = &k->c_v[i];
			if (arg != NULL && (!ch->ch_authenticated ||
			    strcmp(ch->ch_info.user, arg) != 0))
				continue;
			if (send_cmd(ch, SESSREC_DISCONNECT, reason) == 0)
				n++;
			else
				failed++;
		}
		if (arg != NULL && n == 0 && failed == 0)
			return reply_error(out, "no connection of user %s",
			    arg);
	} else
		return reply_error(out, "disconnect %s: want id, user or all",
		    what);
	log_info("control: disconnect %s%s%s: %zu connection(s)%s", what,
	    arg != NULL ? " " : "", arg != NULL ? arg : "", n,
	    failed != 0 ? ", some unreachable" : "");
	return buf_putf(out, "ok\ndisconnected\tcount=%zu\tfailed=%zu\n", n,
	    failed);
}

static int
req_status(struct control *ctl, struct serve *sv, struct buf *out,
    uint64_t now)
{
	char lis[1024] = "";
	size_t i, npen = 0;
	int r;

	for (i = 0; i < sv->sv_lis->l_n; i++) {
		if (i > 0)
			strlcat(lis, ",", sizeof(lis));
		strlcat(lis, sv->sv_lis->l_socks[i].ls_name, sizeof(lis));
	}
	for (i = 0; i < sv->sv_pen.pt_n; i++) {
		if (sv->sv_pen.pt_v[i].pe_refused &&
		    sv->sv_pen.pt_v[i].pe_expiry > now / 1000)
			npen++;
	}
	if ((r = buf_putf(out, "ok\nstatus")) != 0 ||
	    (r = put_field(out, "version", "nanossh_" PACKAGE_VERSION)) != 0 ||
	    (r = put_num(out, "pid", (unsigned long long)getpid())) != 0 ||
	    (r = put_num(out, "uptime", (now - ctl->started_ms) / 1000)) != 0 ||
	    (r = put_field(out, "listeners", lis)) != 0 ||
	    (r = put_num(out, "connections", sv->sv_kids.c_n)) != 0 ||
	    (r = put_num(out, "unauthenticated",
	    sv->sv_kids.c_unauthenticated)) != 0 ||
	    (r = put_num(out, "accepted", sv->sv_nconn)) != 0 ||
	    (r = put_num(out, "penalties", npen)) != 0)
		return r;
	return buf_put_u8(out, '\n');
}

/* penalties [clear [ADDRESS]] */
static int
req_penalties(struct serve *sv, char *args, struct buf *out, uint64_t now)
{
	struct penalty_table *t = &sv->sv_pen;
	struct addrinfo hints, *ai = NULL;
	char addr[64], *word;
	uint64_t s = now / 1000;
	size_t i;
	int r, n;

	if (args == NULL) {
		if ((r = buf_putf(out, "ok\n")) != 0)
			return r;
		for (i = 0; i < t->pt_n; i++) {
			if (t->pt_v[i].pe_expiry <= s ||
			    penalty_key_text(&t->pt_v[i].pe_key, addr,
			    sizeof(addr)) != 0)
				continue;
			if ((r = buf_putf(out, "penalty")) != 0 ||
			    (r = put_field(out, "source", addr)) != 0 ||
			    (r = put_num(out, "left",
			    t->pt_v[i].pe_expiry - s)) != 0 ||
			    (r = put_field(out, "refused",
			    t->pt_v[i].pe_refused ? "yes" : "no")) != 0 ||
			    (r = buf_put_u8(out, '\n')) != 0)
				return r;
		}
		return 0;
	}
	word = strsep(&args, " ");
	if (strcmp(word, "clear") != 0 || (args != NULL &&
	    strchr(args, ' ') != NULL))
		return reply_error(out, "usage: penalties [clear [ADDRESS]]");
	if (args == NULL)
		n = penalty_clear(t, NULL, 0, s);
	else {
		memset(&hints, 0, sizeof(hints));
		hints.ai_flags = AI_NUMERICHOST;
		hints.ai_socktype = SOCK_STREAM;
		if (getaddrinfo(args, NULL, &hints, &ai) != 0 || ai == NULL)
			return reply_error(out, "not an IP address: %s", args);
		n = penalty_clear(t, ai->ai_addr, ai->ai_addrlen, s);
		freeaddrinfo(ai);
		if (n == 0)
			return reply_error(out, "no penalty for %s", args);
	}
	log_info("control: penalties cleared for %s (%d source(s))",
	    args != NULL ? args : "every source", n);
	return buf_putf(out, "ok\ncleared\tcount=%d\n", n);
}

int
control_request(struct control *ctl, struct serve *sv, const char *line,
    struct buf *out)
{
	char copy[CONTROL_REQ_MAX], *args = copy, *cmd, *id;
	struct child *ch;
	uint64_t now = monotime_ms();
	size_t i;
	int r;

	if (strlcpy(copy, line, sizeof(copy)) >= sizeof(copy))
		return reply_error(out, "request too long");
	for (i = 0; copy[i] != '\0'; i++) {
		if (copy[i] < 0x20 || copy[i] >= 0x7f)
			return reply_error(out, "malformed request");
	}
	cmd = strsep(&args, " ");
	if (strcmp(cmd, "list") == 0 && args == NULL) {
		if ((r = buf_putf(out, "ok\n")) != 0)
			return r;
		for (i = 0; i < sv->sv_kids.c_n; i++) {
			if ((r = put_conn(out, &sv->sv_kids.c_v[i], now)) != 0)
				return r;
		}
		return 0;
	}
	if (strcmp(cmd, "ping") == 0 && args != NULL &&
	    strchr(args, ' ') == NULL) {
		if ((ch = find_id(sv, args)) == NULL)
			return reply_error(out, "no such connection: %s", args);
		if (!ch->ch_authenticated || ctl == NULL)
			return reply_error(out, "connection %s has not "
			    "authenticated", args);
		if (send_ping(ch, &ctl->ping_token) != 0)
			return reply_error(out, "connection %s cannot be "
			    "reached", args);
		ctl->ping_pid = ch->ch_pid;
		return 0;
	}
	if ((strcmp(cmd, "show") == 0 || strcmp(cmd, "rekey") == 0) &&
	    args != NULL && strchr(args, ' ') == NULL) {
		id = args;
		if ((ch = find_id(sv, id)) == NULL)
			return reply_error(out, "no such connection: %s", id);
		if (strcmp(cmd, "show") == 0)
			return (r = buf_putf(out, "ok\n")) != 0 ? r :
			    put_conn(out, ch, now);
		if (!ch->ch_authenticated)
			return reply_error(out, "connection %s has not "
			    "authenticated", id);
		if (send_cmd(ch, SESSREC_REKEY, NULL) != 0)
			return reply_error(out, "connection %s cannot be "
			    "reached", id);
		log_info("control: rekey of session pid %ld", (long)ch->ch_pid);
		return buf_putf(out, "ok\n");
	}
	if (strcmp(cmd, "disconnect") == 0 && args != NULL)
		return req_disconnect(sv, args, out);
	if (strcmp(cmd, "status") == 0 && args == NULL)
		return req_status(ctl, sv, out, now);
	if (strcmp(cmd, "penalties") == 0)
		return req_penalties(sv, args, out, now);
	if (strcmp(cmd, "reload") == 0 && args == NULL) {
		if (sv->sv_check_config == NULL || ctl == NULL)
			return reply_error(out, "reload is not available");
		log_info("control: reload requested");
		if ((r = sv->sv_check_config(sv->sv_check_arg)) != 0)
			return reply_error(out, "the new configuration is not "
			    "valid (%d problem(s), see the log); the running "
			    "one stays", r);
		ctl->reload_asked = 1;
		return buf_putf(out, "ok\nreload\tresult=restarting\n");
	}
	return reply_error(out, "unknown request: %s", cmd);
}

static void
control_accept(struct control *ctl, uint64_t now)
{
	static const char denied[] = "error permission denied\n";
	static const char busy[] = "error too many control clients\n";
	struct ucred cred;
	socklen_t len = sizeof(cred);
	size_t i;
	int fd;

	if ((fd = accept4(ctl->fd, NULL, NULL, SOCK_NONBLOCK |
	    SOCK_CLOEXEC)) == -1)
		return;
	if (getsockopt(fd, SOL_SOCKET, SO_PEERCRED, &cred, &len) == -1 ||
	    len != sizeof(cred) || !control_peer_allowed(cred.uid, geteuid())) {
		log_info("control: refused a client with uid %ld",
		    len == sizeof(cred) ? (long)cred.uid : -1L);
		(void)send(fd, denied, sizeof(denied) - 1,
		    MSG_DONTWAIT | MSG_NOSIGNAL);
		close(fd);
		return;
	}
	for (i = 0; i < CONTROL_MAX_CLIENTS; i++) {
		if (ctl->cl[i].fd == -1) {
			ctl->cl[i].fd = fd;
			ctl->cl[i].deadline = now + CONTROL_DEADLINE_MS;
			return;
		}
	}
	(void)send(fd, busy, sizeof(busy) - 1, MSG_DONTWAIT | MSG_NOSIGNAL);
	close(fd);
}

/* Reads what there is; once the line is whole, the reply. */
static void
client_read(struct control *ctl, struct serve *sv, struct control_client *cl)
{
	char *nl;
	ssize_t n;

	n = recv(cl->fd, cl->in + cl->inlen, sizeof(cl->in) - cl->inlen - 1,
	    MSG_DONTWAIT);
	if (n == -1 && (errno == EINTR || errno == EAGAIN))
		return;
	if (n <= 0) {
		client_end(cl);
		return;
	}
	cl->inlen += (size_t)n;
	cl->in[cl->inlen] = '\0';
	nl = memchr(cl->in, '\n', cl->inlen);
	if (nl == NULL && cl->inlen < sizeof(cl->in) - 1)
		return;		/* more to come */
	if ((cl->out = buf_new()) == NULL) {
		client_end(cl);
		return;
	}
	(void)buf_set_max_size(cl->out, CONTROL_REPLY_MAX);
	if (nl != NULL) {
		*nl = '\0';
		if (strlen(cl->in) != (size_t)(nl - cl->in))
			(void)reply_error(cl->out, "malformed request");
		else if (control_request(ctl, sv, cl->in, cl->out) != 0)
			(void)reply_error(cl->out, "reply too large");
		cl->reload = ctl->reload_asked;
		ctl->reload_asked = 0;
		cl->ping_pid = ctl->ping_pid;
		cl->ping_token = ctl->ping_token;
		ctl->ping_pid = 0;
	} else
		(void)reply_error(cl->out, "request too long (at most %d "
		    "bytes)", CONTROL_REQ_MAX - 1);
}

static void
client_write(struct control_client *cl)
{
	ssize_t n;

	n = send(cl->fd, buf_ptr(cl->out), buf_len(cl->out),
	    MSG_DONTWAIT | MSG_NOSIGNAL);
	if (n == -1 && (errno == EINTR || errno == EAGAIN))
		return;
	if (n <= 0 || buf_consume(cl->out, (size_t)n) != 0 ||
	    buf_len(cl->out) == 0)
		client_end(cl);
}

/* The answer to a client's ping once it came, or at the deadline that
 * none did (sent then, as far as the socket takes it). */
static void
client_ping(struct serve *sv, struct control_client *cl, uint64_t now)
{
	struct child *ch = children_find(&sv->sv_kids, cl->ping_pid);

	if (ch != NULL && ch->ch_pong_new &&
	    ch->ch_pong_token == cl->ping_token) {
		ch->ch_pong_new = 0;
		(void)buf_putf(cl->out, "ok\nping\tms=%u\n", ch->ch_pong_ms);
	} else if (ch == NULL)
		(void)reply_error(cl->out, "connection %ld ended",
		    (long)cl->ping_pid);
	else if (now + CONTROL_DEADLINE_MS / 5 >= cl->deadline)
		(void)reply_error(cl->out, "no answer from connection %ld",
		    (long)cl->ping_pid);
	else
		return;
	cl->ping_pid = 0;
	client_write(cl);
}

void
control_pollfds(struct control *ctl, struct pollfd *pfd, size_t max,
    size_t *np, uint64_t now, int *timeout)
{
	size_t i, n = 0;
	uint64_t until;
	int left;

	*np = 0;
	if (ctl == NULL || max < 1 + CONTROL_MAX_CLIENTS)
		return;
	pfd[n].fd = ctl->fd;
	pfd[n++].events = POLLIN;
	for (i = 0; i < CONTROL_MAX_CLIENTS; i++) {
		pfd[n].fd = ctl->cl[i].fd;
		/* A client waiting for a ping's answer is only timed. */
		pfd[n++].events = ctl->cl[i].ping_pid != 0 ? 0 :
		    ctl->cl[i].out != NULL ? POLLOUT : POLLIN;
		if (ctl->cl[i].fd == -1)
			continue;
		/* A ping's "no answer" goes a little before the end. */
		until = ctl->cl[i].deadline - (ctl->cl[i].ping_pid != 0 ?
		    CONTROL_DEADLINE_MS / 5 : 0);
		left = until > now ? (int)(until - now) : 0;
		if (*timeout < 0 || left < *timeout)
			*timeout = left;
	}
	*np = n;
}

void
control_handle(struct control *ctl, struct serve *sv,
    const struct pollfd *pfd, size_t n, uint64_t now)
{
	struct control_client *cl;
	size_t i;

	if (ctl == NULL || n != 1 + CONTROL_MAX_CLIENTS)
		return;
	for (i = 0; i < CONTROL_MAX_CLIENTS; i++) {
		cl = &ctl->cl[i];
		if (cl->fd == -1)
			continue;
		if (cl->ping_pid != 0) {
			client_ping(sv, cl, now);
			if (cl->fd == -1)
				continue;
		}
		if (now >= cl->deadline) {
			log_debug("control: client too slow; dropped");
			client_end(cl);
			continue;
		}
		if (pfd[1 + i].fd != cl->fd || pfd[1 + i].revents == 0)
			continue;
		if (cl->out == NULL)
			client_read(ctl, sv, cl);
		else
			client_write(cl);
	}
	if (pfd[0].revents & POLLIN)
		control_accept(ctl, now);
}
