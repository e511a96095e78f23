/*
 * hostile.c: the bench of check_monitor_hostile and
 * check_monitor_hostile_auth (see hostile.h): the real monitor, forked
 * with self_path at tests/unit/hostile_child, and the test in the child's
 * place on the real IPC and log sockets.
 */
#include <sys/types.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <check.h>
#include <crypt.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pwd.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <syslog.h>
#include <unistd.h>

#include "common/config.h"
#include "common/keyfile.h"
#include "common/log.h"
#include "privsep/ipc.h"
#include "privsep/ipc_catalogue.h"
#include "privsep/monitor.h"
#include "privsep/outcome.h"
#include "protocol/buf.h"
#include "protocol/cert.h"
#include "protocol/key.h"
#include "protocol/ssherr.h"
#include "tests/unit/hostile.h"

#define TMPDIR_TEMPLATE	"/tmp/check_monitor_hostile.XXXXXX"

static char tmpdir[sizeof(TMPDIR_TEMPLATE)];
static char conf_path[sizeof(tmpdir) + 32];
static char pw_path[sizeof(tmpdir) + 32];
char authkeys_path[sizeof(tmpdir) + 32];
struct cfg *cfg;
struct sshkey *hostkeys[2];
char user[256];

void
setup(void)
{
	char *errs = NULL;
	FILE *f;
	int r;

	struct passwd *pw;
	const char *hash;

	log_init("check_monitor_hostile", LOG_LVL_ERROR, LOG_AUTH, 1);
	ck_assert_ptr_nonnull(pw = getpwuid(geteuid()));
	snprintf(user, sizeof(user), "%s", pw->pw_name);
	memcpy(tmpdir, TMPDIR_TEMPLATE, sizeof(tmpdir));
	ck_assert_ptr_nonnull(mkdtemp(tmpdir));
	snprintf(pw_path, sizeof(pw_path), "%s/passwords", tmpdir);
	snprintf(authkeys_path, sizeof(authkeys_path), "%s/authorized_keys",
	    tmpdir);
	ck_assert_ptr_nonnull(hash = crypt(PASSWORD, "$6$hostilesalt$"));
	ck_assert_ptr_nonnull(f = fopen(pw_path, "w"));
	fprintf(f, "%s:%s\n", user, hash);
	ck_assert_int_eq(fclose(f), 0);
	snprintf(conf_path, sizeof(conf_path), "%s/nanosshd.conf", tmpdir);
	ck_assert_ptr_nonnull(f = fopen(conf_path, "w"));
	/* The host key files are never read: the test hands the keys over. */
	fprintf(f, "host_keys = [ \"%s/ssh_host_ed25519_key\", "
	    "\"%s/ssh_host_rsa_key\" ];\n"
	    "privsep : { chroot = \"%s\"; };\n"
	    "crypto : { kex = [ \"curve25519-sha256\", "
	    "\"ecdh-sha2-nistp384\", \"rsa2048-sha256\" ]; "
	    "rsa_kex_key_lifetime = %d; };\n"
	    "auth : { password_backend = \"file\"; password_file = \"%s\"; "
	    "authorized_keys = [ \"%s\" ]; "
	    "permit_root_login = \"yes\"; max_tries = %d; };\n", tmpdir,
	    tmpdir, tmpdir, HOSTILE_RSA_KEX_LIFETIME, pw_path,
	    authkeys_path, HOSTILE_MAX_TRIES);
	ck_assert_int_eq(fclose(f), 0);
	r = cfg_load(conf_path, NULL, 0, &cfg, &errs);
	ck_assert_msg(r == 0, "%s", errs != NULL ? errs : ssh_err(r));
	ck_assert_int_eq(key_generate(KEY_ED25519, 0, &hostkeys[0]), 0);
	r = keyfile_load_private(SRCDIR "/tests/keys/rsa2048", NULL, 0,
	    &hostkeys[1], NULL);
	ck_assert_msg(r == 0, "tests/keys/rsa2048: %s", ssh_err(r));
}

void
teardown(void)
{
	cfg_free(cfg);
	key_free(hostkeys[0]);
	key_free(hostkeys[1]);
	unlink(conf_path);
	unlink(pw_path);
	unlink(authkeys_path);
	rmdir(tmpdir);
}

/* Receives the IPC and log sockets the fake child passes over the client
 * socket. */
static void
recv_child_fds(int sock, int fds[2])
{
	union {
		struct cmsghdr hdr;
		char buf[CMSG_SPACE(2 * sizeof(int))];
	} cm;
	struct pollfd pfd = { .fd = sock, .events = POLLIN };
	struct msghdr msg;
	struct iovec iov;
	struct cmsghdr *c;
	char byte;

	ck_assert_msg(poll(&pfd, 1, WAIT_MS) == 1, "no fds from hostile_child");
	memset(&msg, 0, sizeof(msg));
	iov.iov_base = &byte;
	iov.iov_len = 1;
	msg.msg_iov = &iov;
	msg.msg_iovlen = 1;
	msg.msg_control = cm.buf;
	msg.msg_controllen = sizeof(cm.buf);
	ck_assert_int_eq(recvmsg(sock, &msg, MSG_CMSG_CLOEXEC), 1);
	c = CMSG_FIRSTHDR(&msg);
	ck_assert_ptr_nonnull(c);
	ck_assert_int_eq(c->cmsg_type, SCM_RIGHTS);
	ck_assert_uint_eq(c->cmsg_len, CMSG_LEN(2 * sizeof(int)));
	memcpy(fds, CMSG_DATA(c), 2 * sizeof(int));
	ck_assert_int_ge(fds[0], 0);
	ck_assert_int_ge(fds[1], 0);
}

void
hostile_start(struct hostile *h)
{
	struct monitor_params mp;
	struct sshcert *certs[2] = { NULL, NULL };
	int sv[2], fds[2];

	memset(h, 0, sizeof(*h));
	ck_assert_int_eq(socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0,
	    sv), 0);
	ck_assert_int_ne(h->mon = fork(), -1);
	if (h->mon == 0) {
		close(sv[0]);
		memset(&mp, 0, sizeof(mp));
		mp.cfg = cfg;
		mp.hostkeys = hostkeys;
		mp.nhostkeys = 2;
		mp.hostcerts = certs;
		mp.client_fd = sv[1];
		mp.status_fd = -1;
		mp.self_path = HOSTILE_CHILD;
		mp.client_addr = "127.0.0.1";
		mp.client_port = 40000;
		mp.server_addr = "127.0.0.1";
		mp.server_port = 22;
		mp.child_stderr = 1;
		_exit(monitor_run(&mp));
	}
	close(sv[1]);
	h->client = sv[0];
	recv_child_fds(h->client, fds);
	ck_assert_ptr_nonnull(h->ipc = ipc_new(fds[0]));
	h->log = fds[1];
}

/* Reads one message from the monitor and records its type; returns the
 * type, or 0 once the monitor has closed the channel. */
uint32_t
recv_one(struct hostile *h)
{
	struct buf *payload = NULL;
	uint32_t type;
	int fd = -1, r;

	r = ipc_recv_wait(h->ipc, &type, &payload, &fd, WAIT_MS);
	if (r == SSH_ERR_CONN_CLOSED || r == SSH_ERR_CONN_CORRUPT)
		return 0;
	ck_assert_msg(r == 0, "reading from the monitor: %s", ssh_err(r));
	buf_free(payload);
	if (fd != -1)
		close(fd);
	ck_assert_uint_lt(h->ngot, MAX_GOT);
	h->got[h->ngot++] = type;
	return type;
}

/* Reads until the monitor sends type (recording everything before). */
void
recv_until(struct hostile *h, uint32_t want)
{
	uint32_t type;

	while ((type = recv_one(h)) != want)
		ck_assert_msg(type != 0, "the monitor closed before %s",
		    ipc_msg_name(want));
}

void
send_msg(struct hostile *h, uint32_t type, struct buf *payload, int fd)
{
	ck_assert_int_eq(ipc_send_wait(h->ipc, type, payload, fd, WAIT_MS),
	    0);
	buf_free(payload);
}

/* Raw bytes past the framing layer: headers that ipc_queue would not
 * write, or a message cut short. */
void
send_raw(struct hostile *h, const void *p, size_t len)
{
	ck_assert_int_eq(write(ipc_fd(h->ipc), p, len), (ssize_t)len);
}

void
send_header(struct hostile *h, uint32_t type, uint32_t len)
{
	uint8_t hdr[IPC_HEADER_LEN];
	struct buf *b;

	ck_assert_ptr_nonnull(b = buf_new());
	ck_assert_int_eq(buf_put_u32(b, type), 0);
	ck_assert_int_eq(buf_put_u32(b, len), 0);
	memcpy(hdr, buf_ptr(b), sizeof(hdr));
	buf_free(b);
	send_raw(h, hdr, sizeof(hdr));
}

/* Waits for the monitor; its exit status. */
int
hostile_end(struct hostile *h)
{
	int status;

	ck_assert_int_eq(waitpid(h->mon, &status, 0), h->mon);
	ipc_free(h->ipc);
	close(h->client);
	if (h->log != -1)
		close(h->log);
	return status;
}

/* Everything the monitor sends until it closes; then its exit status. */
int
hostile_finish(struct hostile *h)
{
	while (recv_one(h) != 0)
		;
	return hostile_end(h);
}

/* Payloads of the requests. */

struct buf *
sign_kex_payload(uint32_t idx, const char *alg, const char *kex,
    size_t hashlen)
{
	struct buf *b;
	uint8_t hash[64];

	memset(hash, 0x5a, sizeof(hash));
	ck_assert_ptr_nonnull(b = buf_new());
	ck_assert_int_eq(buf_put_u32(b, idx), 0);
	ck_assert_int_eq(buf_put_cstring(b, alg), 0);
	ck_assert_int_eq(buf_put_cstring(b, kex), 0);
	ck_assert_int_eq(buf_put_string(b, hash, hashlen), 0);
	return b;
}

struct buf *
sign_payload(uint32_t idx, const char *alg, size_t hashlen)
{
	return sign_kex_payload(idx, alg, "curve25519-sha256", hashlen);
}

struct buf *
good_sign(void)
{
	return sign_payload(0, "ssh-ed25519", 32);
}

/* A SIGN the monitor must answer: the first key exchange. */
void
sign_ok(struct hostile *h)
{
	send_msg(h, IPC_MSG_SIGN, good_sign(), -1);
	recv_until(h, IPC_MSG_SIGN_REPLY);
}

/* The first key exchange with key idx and alg, then a password login:
 * CONFIG, SIGN_REPLY, AUTH_REPLY and SESSION_CONFIG have come. */
void
login_with(struct hostile *h, uint32_t idx, const char *alg)
{
	struct buf *b;

	send_msg(h, IPC_MSG_SIGN, sign_payload(idx, alg, 32), -1);
	recv_until(h, IPC_MSG_SIGN_REPLY);
	ck_assert_ptr_nonnull(b = buf_new());
	ck_assert_int_eq(buf_put_cstring(b, user), 0);
	ck_assert_int_eq(buf_put_cstring(b, "ssh-connection"), 0);
	ck_assert_int_eq(buf_put_cstring(b, PASSWORD), 0);
	send_msg(h, IPC_MSG_AUTH_PASSWORD, b, -1);
	recv_until(h, IPC_MSG_AUTH_REPLY);
	recv_until(h, IPC_MSG_SESSION_CONFIG);
}

void
login(struct hostile *h)
{
	login_with(h, 0, "ssh-ed25519");
}

struct buf *
strings(int n, ...)
{
	struct buf *b;
	va_list ap;

	ck_assert_ptr_nonnull(b = buf_new());
	va_start(ap, n);
	while (n-- > 0)
		ck_assert_int_eq(buf_put_cstring(b, va_arg(ap, char *)), 0);
	va_end(ap);
	return b;
}

struct buf *
pubkey_query_for(const char *name, const char *service)
{
	struct buf *b = strings(2, name, service), *blob;

	ck_assert_ptr_nonnull(blob = buf_new());
	ck_assert_int_eq(key_to_blob(hostkey, blob), 0);
	ck_assert_int_eq(buf_put_stringb(b, blob), 0);
	buf_free(blob);
	ck_assert_int_eq(buf_put_cstring(b, "ssh-ed25519"), 0);
	ck_assert_int_eq(buf_put_u8(b, 0), 0);		/* hostbound */
	ck_assert_int_eq(buf_put_u32(b, 0), 0);		/* host key index */
	ck_assert_int_eq(buf_put_u8(b, 1), 0);		/* query */
	ck_assert_int_eq(buf_put_string(b, "", 0), 0);
	return b;
}

struct buf *
pubkey_query(void)
{
	return pubkey_query_for("root", "ssh-connection");
}

/* A first attempt that fails by the rules: answered with a failure. */
void
fail_once(struct hostile *h, const char *name, const char *service)
{
	send_msg(h, IPC_MSG_AUTH_PUBKEY, pubkey_query_for(name, service), -1);
	recv_until(h, IPC_MSG_AUTH_REPLY);
}

/* The key exchange, then max_tries failures: the child must be gone. */
void
fail_max_tries(struct hostile *h)
{
	int i;

	sign_ok(h);
	for (i = 0; i < HOSTILE_MAX_TRIES; i++)
		fail_once(h, HOSTILE_NO_USER, "ssh-connection");
}

struct buf *
kbdint_payload(const char *name)
{
	struct buf *b = strings(2, name, "ssh-connection");

	ck_assert_int_eq(buf_put_u32(b, 0), 0);
	return b;
}

void
hostile_check_violation(const struct hostile_scenario *sc)
{
	struct hostile h;
	size_t i, want, first;
	int status;

	hostile_start(&h);
	sc->act(&h);
	status = hostile_finish(&h);
	ck_assert_msg(WIFEXITED(status), "%s: monitor killed by signal %d",
	    sc->name, WIFSIGNALED(status) ? WTERMSIG(status) : 0);
	ck_assert_msg(WEXITSTATUS(status) == OUTCOME_VIOLATION,
	    "%s: outcome %d, not a violation", sc->name,
	    WEXITSTATUS(status));
	/* CONFIG, the SIGN_REPLY of a legitimate first SIGN, the replies
	 * of a login or of legitimate failures, nothing else. */
	first = sc->before == HOSTILE_LOGGED_IN ? 4 : sc->before ? 2 : 1;
	want = first + (size_t)sc->failures;
	for (i = 0; i < h.ngot; i++)
		ck_assert_msg(i < want, "%s: the monitor answered with %s",
		    sc->name, ipc_msg_name(h.got[i]));
	ck_assert_msg(h.ngot == want, "%s: %zu messages from the monitor",
	    sc->name, h.ngot);
	ck_assert_uint_eq(h.got[0], IPC_MSG_CONFIG);
	if (sc->before != HOSTILE_NOTHING)
		ck_assert_uint_eq(h.got[1], IPC_MSG_SIGN_REPLY);
	if (sc->before == HOSTILE_LOGGED_IN) {
		ck_assert_uint_eq(h.got[2], IPC_MSG_AUTH_REPLY);
		ck_assert_uint_eq(h.got[3], IPC_MSG_SESSION_CONFIG);
	}
	for (i = first; i < want; i++)
		ck_assert_uint_eq(h.got[i], IPC_MSG_AUTH_REPLY);
}
