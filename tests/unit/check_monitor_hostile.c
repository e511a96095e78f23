/*
 * check_monitor_hostile.c: the monitor (privsep/monitor.c) against a
 * protocol child that breaks the rules.  Each test forks a process that
 * runs monitor_run() with self_path pointing at tests/unit/hostile_child,
 * which hands the IPC and log sockets over to the test; the test then plays the
 * child: it sends one kind of bad request and reads everything the monitor
 * sends until the monitor closes the channel.  The monitor must end the
 * connection with OUTCOME_VIOLATION (not crash: this also runs under
 * ASan/UBSan), and must never answer the bad request.  Scenarios after
 * authentication log in with a password (the file back end, as the user
 * running the test).
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

#define WAIT_MS		10000
#define MAX_GOT		16
#define PASSWORD	"hostile-secret"
/* privsep/monitor_local.h's MON_SIGN_BURST */
#define SIGN_BURST	100

#define TMPDIR_TEMPLATE	"/tmp/check_monitor_hostile.XXXXXX"

static char tmpdir[sizeof(TMPDIR_TEMPLATE)];
static char conf_path[sizeof(tmpdir) + 32];
static char pw_path[sizeof(tmpdir) + 32];
static struct cfg *cfg;
/* 0: Ed25519, generated; 1: RSA (tests/keys/rsa2048), two algorithms. */
static struct sshkey *hostkeys[2];
#define hostkey	hostkeys[0]
static char user[256];

struct hostile {
	pid_t		 mon;		/* the process running monitor_run */
	int		 client;	/* the test's end of the client socket */
	struct ipc	*ipc;		/* the child's end of the IPC channel */
	int		 log;		/* ... and of the log channel */
	uint32_t	 got[MAX_GOT];	/* types the monitor sent, in order */
	size_t		 ngot;
};

static void
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
	    "\"ecdh-sha2-nistp384\" ]; };\n"
	    "auth : { password_backend = \"file\"; password_file = \"%s\"; "
	    "permit_root_login = \"yes\"; };\n", tmpdir, tmpdir, tmpdir,
	    pw_path);
	ck_assert_int_eq(fclose(f), 0);
	r = cfg_load(conf_path, NULL, 0, &cfg, &errs);
	ck_assert_msg(r == 0, "%s", errs != NULL ? errs : ssh_err(r));
	ck_assert_int_eq(key_generate(KEY_ED25519, 0, &hostkeys[0]), 0);
	r = keyfile_load_private(SRCDIR "/tests/keys/rsa2048", NULL, 0,
	    &hostkeys[1], NULL);
	ck_assert_msg(r == 0, "tests/keys/rsa2048: %s", ssh_err(r));
}

static void
teardown(void)
{
	cfg_free(cfg);
	key_free(hostkeys[0]);
	key_free(hostkeys[1]);
	unlink(conf_path);
	unlink(pw_path);
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

static void
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
static uint32_t
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
static void
recv_until(struct hostile *h, uint32_t want)
{
	uint32_t type;

	while ((type = recv_one(h)) != want)
		ck_assert_msg(type != 0, "the monitor closed before %s",
		    ipc_msg_name(want));
}

static void
send_msg(struct hostile *h, uint32_t type, struct buf *payload, int fd)
{
	ck_assert_int_eq(ipc_send_wait(h->ipc, type, payload, fd, WAIT_MS),
	    0);
	buf_free(payload);
}

/* Raw bytes past the framing layer: headers that ipc_queue would not
 * write, or a message cut short. */
static void
send_raw(struct hostile *h, const void *p, size_t len)
{
	ck_assert_int_eq(write(ipc_fd(h->ipc), p, len), (ssize_t)len);
}

static void
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
static int
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
static int
hostile_finish(struct hostile *h)
{
	while (recv_one(h) != 0)
		;
	return hostile_end(h);
}

/* Payloads of the requests. */

static struct buf *
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

static struct buf *
sign_payload(uint32_t idx, const char *alg, size_t hashlen)
{
	return sign_kex_payload(idx, alg, "curve25519-sha256", hashlen);
}

static struct buf *
good_sign(void)
{
	return sign_payload(0, "ssh-ed25519", 32);
}

/* A SIGN the monitor must answer: the first key exchange. */
static void
sign_ok(struct hostile *h)
{
	send_msg(h, IPC_MSG_SIGN, good_sign(), -1);
	recv_until(h, IPC_MSG_SIGN_REPLY);
}

/* The first key exchange with key idx and alg, then a password login:
 * CONFIG, SIGN_REPLY, AUTH_REPLY and SESSION_CONFIG have come. */
static void
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

static void
login(struct hostile *h)
{
	login_with(h, 0, "ssh-ed25519");
}

static struct buf *
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

static struct buf *
pubkey_query(void)
{
	struct buf *b = strings(2, "root", "ssh-connection"), *blob;

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

/* The scenarios. */

static void
type_none(struct hostile *h)
{
	send_header(h, IPC_MSG_NONE, 0);
}

static void
type_max(struct hostile *h)
{
	send_header(h, IPC_MSG_MAX, 0);
}

static void
type_huge(struct hostile *h)
{
	send_msg(h, 0xffffffffU, good_sign(), -1);
}

static void
wrong_direction_sign_reply(struct hostile *h)
{
	send_msg(h, IPC_MSG_SIGN_REPLY, strings(1, "signature"), -1);
}

static void
wrong_direction_config(struct hostile *h)
{
	send_msg(h, IPC_MSG_CONFIG, strings(1, "config"), -1);
}

static void
wrong_direction_auth_reply(struct hostile *h)
{
	struct buf *b;

	ck_assert_ptr_nonnull(b = buf_new());
	ck_assert_int_eq(buf_put_u32(b, IPC_AUTH_SUCCESS), 0);
	ck_assert_int_eq(buf_put_cstring(b, ""), 0);
	send_msg(h, IPC_MSG_AUTH_REPLY, b, -1);
}

static void
log_on_ipc_channel(struct hostile *h)
{
	struct buf *b;

	ck_assert_ptr_nonnull(b = buf_new());
	ck_assert_int_eq(buf_put_u32(b, LOG_LVL_ERROR), 0);
	ck_assert_int_eq(buf_put_cstring(b, "hello"), 0);
	send_msg(h, IPC_MSG_LOG, b, -1);
}

static void
length_over_ipc_max(struct hostile *h)
{
	send_header(h, IPC_MSG_SIGN, IPC_MAX_PAYLOAD + 1);
}

static void
length_over_type_max(struct hostile *h)
{
	size_t max = ipc_msgdef(IPC_MSG_SIGN)->md_max_len;
	struct buf *b;
	uint8_t *p;

	ck_assert_uint_lt(max, IPC_MAX_PAYLOAD);
	ck_assert_ptr_nonnull(b = buf_new());
	ck_assert_int_eq(buf_reserve(b, max + 1, &p), 0);
	memset(p, 0, max + 1);
	send_msg(h, IPC_MSG_SIGN, b, -1);
}

static void
truncated_frame(struct hostile *h)
{
	static const uint8_t part[10];

	/* Promises 100 bytes, sends 10 and closes. */
	send_header(h, IPC_MSG_SIGN, 100);
	send_raw(h, part, sizeof(part));
	ck_assert_int_eq(shutdown(ipc_fd(h->ipc), SHUT_WR), 0);
}

static void
truncated_payload(struct hostile *h)
{
	struct buf *b = good_sign();

	ck_assert_int_eq(buf_consume_end(b, 1), 0);
	send_msg(h, IPC_MSG_SIGN, b, -1);
}

static void
trailing_bytes(struct hostile *h)
{
	struct buf *b = good_sign();

	ck_assert_int_eq(buf_put_u8(b, 0), 0);
	send_msg(h, IPC_MSG_SIGN, b, -1);
}

static void
auth_pubkey_first(struct hostile *h)
{
	send_msg(h, IPC_MSG_AUTH_PUBKEY, pubkey_query(), -1);
}

static void
auth_password_first(struct hostile *h)
{
	send_msg(h, IPC_MSG_AUTH_PASSWORD,
	    strings(3, "root", "ssh-connection", "secret"), -1);
}

static void
auth_password_change_first(struct hostile *h)
{
	send_msg(h, IPC_MSG_AUTH_PASSWORD_CHANGE,
	    strings(4, "root", "ssh-connection", "old", "new"), -1);
}

static void
auth_kbdint_first(struct hostile *h)
{
	struct buf *b = strings(2, "root", "ssh-connection");

	ck_assert_int_eq(buf_put_u32(b, 0), 0);
	send_msg(h, IPC_MSG_AUTH_KBDINT, b, -1);
}

static void
spawn_preauth(struct hostile *h)
{
	struct buf *b;

	sign_ok(h);
	ck_assert_ptr_nonnull(b = buf_new());
	ck_assert_int_eq(buf_put_u32(b, 1), 0);
	ck_assert_int_eq(buf_put_cstring(b, "id"), 0);
	send_msg(h, IPC_MSG_SPAWN_EXEC, b, -1);
}

static void
sign_twice(struct hostile *h)
{
	sign_ok(h);
	send_msg(h, IPC_MSG_SIGN, good_sign(), -1);
}

static void
sign_bad_index(struct hostile *h)
{
	send_msg(h, IPC_MSG_SIGN, sign_payload(1, "ssh-ed25519", 32), -1);
}

static void
sign_huge_index(struct hostile *h)
{
	send_msg(h, IPC_MSG_SIGN, sign_payload(0xffffffffU, "ssh-ed25519",
	    32), -1);
}

static void
sign_sha1_length(struct hostile *h)
{
	send_msg(h, IPC_MSG_SIGN, sign_payload(0, "ssh-ed25519", 20), -1);
}

static void
sign_odd_length(struct hostile *h)
{
	send_msg(h, IPC_MSG_SIGN, sign_payload(0, "ssh-ed25519", 33), -1);
}

static void
sign_wrong_alg(struct hostile *h)
{
	send_msg(h, IPC_MSG_SIGN, sign_payload(0, "rsa-sha2-512", 32), -1);
}

static void
sign_unknown_kex(struct hostile *h)
{
	send_msg(h, IPC_MSG_SIGN, sign_kex_payload(0, "ssh-ed25519",
	    "diffie-hellman-group1-sha1", 20), -1);
}

static void
sign_kex_not_configured(struct hostile *h)
{
	send_msg(h, IPC_MSG_SIGN, sign_kex_payload(0, "ssh-ed25519",
	    "ecdh-sha2-nistp256", 32), -1);
}

static void
sign_kex_wrong_length(struct hostile *h)
{
	/* A SHA-512 length for a SHA-256 method. */
	send_msg(h, IPC_MSG_SIGN, sign_kex_payload(0, "ssh-ed25519",
	    "curve25519-sha256", 64), -1);
}

static void
rekey_other_key(struct hostile *h)
{
	login(h);
	send_msg(h, IPC_MSG_SIGN, sign_payload(1, "rsa-sha2-512", 32), -1);
}

static void
rekey_other_alg(struct hostile *h)
{
	login_with(h, 1, "rsa-sha2-512");
	send_msg(h, IPC_MSG_SIGN, sign_payload(1, "rsa-sha2-256", 32), -1);
}

static void
rekey_other_kex_length(struct hostile *h)
{
	login(h);
	send_msg(h, IPC_MSG_SIGN, sign_kex_payload(0, "ssh-ed25519",
	    "ecdh-sha2-nistp384", 32), -1);
}

static void
prove_preauth(struct hostile *h)
{
	struct buf *b;

	sign_ok(h);
	ck_assert_ptr_nonnull(b = buf_new());
	ck_assert_int_eq(buf_put_u32(b, 1), 0);
	ck_assert_int_eq(buf_put_u32(b, 0), 0);
	send_msg(h, IPC_MSG_HOSTKEYS_PROVE, b, -1);
}

static void
fd_on_sign(struct hostile *h)
{
	int fd;

	ck_assert_int_ge(fd = open("/dev/null", O_RDONLY | O_CLOEXEC), 0);
	send_msg(h, IPC_MSG_SIGN, good_sign(), fd);
}

static void
fd_on_auth_password(struct hostile *h)
{
	int fd;

	sign_ok(h);
	ck_assert_int_ge(fd = open("/dev/null", O_RDONLY | O_CLOEXEC), 0);
	send_msg(h, IPC_MSG_AUTH_PASSWORD,
	    strings(3, "root", "ssh-connection", "secret"), fd);
}

static void
log_length_over_max(struct hostile *h)
{
	uint8_t hdr[IPC_HEADER_LEN] = { 0, 0, 0, IPC_MSG_LOG, 0xff, 0xff,
	    0xff, 0xff };

	ck_assert_int_eq(write(h->log, hdr, sizeof(hdr)), (ssize_t)sizeof(hdr));
}

static void
log_wrong_type(struct hostile *h)
{
	struct ipc *l;

	ck_assert_ptr_nonnull(l = ipc_new(h->log));
	h->log = -1;
	ck_assert_int_eq(ipc_send_wait(l, IPC_MSG_SIGN, NULL, -1, WAIT_MS), 0);
	ipc_free(l);
}

static const struct scenario {
	const char	*name;
	void		(*act)(struct hostile *);
	/* 0: only CONFIG comes before the violation; 1: a SIGN_REPLY
	 * too; 2: also AUTH_REPLY and SESSION_CONFIG (logged in). */
	int		 signed_first;
} scenarios[] = {
	{ "type 0 (NONE)", type_none, 0 },
	{ "type IPC_MSG_MAX", type_max, 0 },
	{ "type 0xffffffff", type_huge, 0 },
	{ "SIGN_REPLY to the monitor", wrong_direction_sign_reply, 0 },
	{ "CONFIG to the monitor", wrong_direction_config, 0 },
	{ "AUTH_REPLY to the monitor", wrong_direction_auth_reply, 0 },
	{ "LOG on the IPC channel", log_on_ipc_channel, 0 },
	{ "length over IPC_MAX_PAYLOAD", length_over_ipc_max, 0 },
	{ "length over SIGN's maximum", length_over_type_max, 0 },
	{ "frame cut short", truncated_frame, 0 },
	{ "SIGN payload cut short", truncated_payload, 0 },
	{ "SIGN with trailing bytes", trailing_bytes, 0 },
	{ "AUTH_PUBKEY before the key exchange", auth_pubkey_first, 0 },
	{ "AUTH_PASSWORD before the key exchange", auth_password_first, 0 },
	{ "AUTH_PASSWORD_CHANGE before the key exchange",
	    auth_password_change_first, 0 },
	{ "AUTH_KBDINT before the key exchange", auth_kbdint_first, 0 },
	{ "SPAWN_EXEC before authentication", spawn_preauth, 1 },
	{ "SIGN twice before authentication", sign_twice, 1 },
	{ "SIGN host key index 1 of 1", sign_bad_index, 0 },
	{ "SIGN host key index 0xffffffff", sign_huge_index, 0 },
	{ "SIGN of a 20-byte hash", sign_sha1_length, 0 },
	{ "SIGN of a 33-byte hash", sign_odd_length, 0 },
	{ "SIGN with another key type's algorithm", sign_wrong_alg, 0 },
	{ "SIGN for an unknown method", sign_unknown_kex, 0 },
	{ "SIGN for a method not configured", sign_kex_not_configured, 0 },
	{ "SIGN of a 64-byte hash for curve25519-sha256",
	    sign_kex_wrong_length, 0 },
	{ "SIGN after authentication with another host key",
	    rekey_other_key, 2 },
	{ "SIGN after authentication with another algorithm",
	    rekey_other_alg, 2 },
	{ "SIGN after authentication of a 32-byte hash for nistp384",
	    rekey_other_kex_length, 2 },
	{ "HOSTKEYS_PROVE before authentication", prove_preauth, 1 },
	{ "an fd with SIGN", fd_on_sign, 0 },
	{ "an fd with AUTH_PASSWORD", fd_on_auth_password, 1 },
	{ "a log frame over IPC_MAX_PAYLOAD", log_length_over_max, 0 },
	{ "SIGN on the log channel", log_wrong_type, 0 },
};
#define NSCENARIOS	(sizeof(scenarios) / sizeof(scenarios[0]))

START_TEST(test_hostile)
{
	const struct scenario *sc = &scenarios[_i];
	struct hostile h;
	size_t i, want;
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
	 * of a login, nothing else. */
	want = sc->signed_first == 2 ? 4 : sc->signed_first ? 2 : 1;
	for (i = 0; i < h.ngot; i++)
		ck_assert_msg(i < want, "%s: the monitor answered with %s",
		    sc->name, ipc_msg_name(h.got[i]));
	ck_assert_msg(h.ngot == want, "%s: %zu messages from the monitor",
	    sc->name, h.ngot);
	ck_assert_uint_eq(h.got[0], IPC_MSG_CONFIG);
	if (sc->signed_first)
		ck_assert_uint_eq(h.got[1], IPC_MSG_SIGN_REPLY);
	if (sc->signed_first == 2) {
		ck_assert_uint_eq(h.got[2], IPC_MSG_AUTH_REPLY);
		ck_assert_uint_eq(h.got[3], IPC_MSG_SESSION_CONFIG);
	}
}
END_TEST

/* Rekeys after authentication: with the first exchange's key and
 * algorithm, of any configured method's length, answered, up to a burst;
 * a burst beyond the rate is a violation. */
START_TEST(test_rekey_rate)
{
	struct buf *b, *payload;
	struct hostile h;
	uint32_t type;
	int status, r, fd, replies = 0, i;

	hostile_start(&h);
	login(&h);
	/* A rekey that picked another configured method is fine. */
	send_msg(&h, IPC_MSG_SIGN, sign_kex_payload(0, "ssh-ed25519",
	    "ecdh-sha2-nistp384", 48), -1);
	recv_until(&h, IPC_MSG_SIGN_REPLY);
	for (i = 0; i < 3 * SIGN_BURST; i++) {
		ck_assert_ptr_nonnull(b = good_sign());
		if (ipc_send_wait(h.ipc, IPC_MSG_SIGN, b, -1, WAIT_MS) != 0) {
			buf_free(b);
			break;
		}
		buf_free(b);
		payload = NULL;
		fd = -1;
		r = ipc_recv_wait(h.ipc, &type, &payload, &fd, WAIT_MS);
		buf_free(payload);
		if (r != 0)
			break;
		ck_assert_uint_eq(type, IPC_MSG_SIGN_REPLY);
		replies++;
	}
	/* The burst is there for real clients; then the rate ends it
	 * (the bucket refills 10 a second: far fewer while we hammer). */
	ck_assert_int_ge(replies, SIGN_BURST - 1);
	ck_assert_int_lt(replies, 2 * SIGN_BURST);
	ck_assert_int_eq(waitpid(h.mon, &status, 0), h.mon);
	ipc_free(h.ipc);
	close(h.client);
	ck_assert(WIFEXITED(status));
	ck_assert_int_eq(WEXITSTATUS(status), OUTCOME_VIOLATION);
}
END_TEST

/* The harness can see an answer and a clean end: a legitimate SIGN is
 * answered, and the child going away is not a violation. */
START_TEST(test_control)
{
	struct hostile h;
	int status;

	hostile_start(&h);
	sign_ok(&h);
	ck_assert_uint_eq(h.ngot, 2);
	/* hostile_child exits (OUTCOME_ERROR) when the client end closes. */
	close(h.client);
	h.client = -1;
	while (recv_one(&h) != 0)
		;
	ck_assert_int_eq(waitpid(h.mon, &status, 0), h.mon);
	ipc_free(h.ipc);
	ck_assert(WIFEXITED(status));
	ck_assert_int_ne(WEXITSTATUS(status), OUTCOME_VIOLATION);
	ck_assert_uint_eq(h.ngot, 2);
}
END_TEST

/* A child that closes its log channel but keeps the IPC open: the monitor
 * ends the connection (no busy loop on a dead fd until the grace time). */
START_TEST(test_log_closed)
{
	struct hostile h;
	int status;

	hostile_start(&h);
	sign_ok(&h);
	close(h.log);
	h.log = -1;
	status = hostile_finish(&h);
	ck_assert(WIFEXITED(status));
	ck_assert_int_eq(WEXITSTATUS(status), OUTCOME_NOAUTH);
	ck_assert_uint_eq(h.ngot, 2);
}
END_TEST

/* max_tries failures, then the child closes and exits claiming that the
 * client simply left: the outcome (and the listener's penalty) is the
 * monitor's count, not the child's word. */
START_TEST(test_outcome_is_the_monitors)
{
	struct hostile h;
	char claim = OUTCOME_NOAUTH;
	int i, status, tries = cfg_global(cfg)->auth.max_tries;

	hostile_start(&h);
	sign_ok(&h);
	for (i = 0; i < tries; i++) {
		send_msg(&h, IPC_MSG_AUTH_PUBKEY, pubkey_query(), -1);
		recv_until(&h, IPC_MSG_AUTH_REPLY);
	}
	ipc_free(h.ipc);
	h.ipc = NULL;
	ck_assert_int_eq(write(h.client, &claim, 1), 1);
	status = hostile_end(&h);
	ck_assert(WIFEXITED(status));
	ck_assert_int_eq(WEXITSTATUS(status), OUTCOME_AUTHFAIL);
}
END_TEST

static Suite *
hostile_suite(void)
{
	Suite *s = suite_create("monitor_hostile");
	TCase *tc = tcase_create("hostile child");

	tcase_set_timeout(tc, 60);
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_control);
	tcase_add_test(tc, test_log_closed);
	tcase_add_test(tc, test_outcome_is_the_monitors);
	tcase_add_test(tc, test_rekey_rate);
	tcase_add_loop_test(tc, test_hostile, 0, NSCENARIOS);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	SRunner *sr = srunner_create(hostile_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
