/*
 * check_monitor_hostile.c: the monitor (privsep/monitor.c) against a
 * protocol child that breaks the rules.  Each test forks a process that
 * runs monitor_run() with self_path pointing at tests/unit/hostile_child,
 * which hands the IPC socket over to the test; the test then plays the
 * child: it sends one kind of bad request and reads everything the monitor
 * sends until the monitor closes the channel.  The monitor must end the
 * connection with OUTCOME_VIOLATION (not crash: this also runs under
 * ASan/UBSan), and must never answer the bad request.  Some scenarios
 * play by the rules first (a key exchange, failed attempts) so that the
 * bad request comes in the state it is bad in.
 */
#include <sys/types.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <check.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <syslog.h>
#include <unistd.h>

#include "common/config.h"
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
#define MAX_TRIES	2
/* No such account: every attempt for it fails, reading no file. */
#define NO_USER		"nanossh-hostile-nouser"

#define TMPDIR_TEMPLATE	"/tmp/check_monitor_hostile.XXXXXX"

static char tmpdir[sizeof(TMPDIR_TEMPLATE)];
static char conf_path[sizeof(tmpdir) + 32];
static struct cfg *cfg;
static struct sshkey *hostkey;

struct hostile {
	pid_t		 mon;		/* the process running monitor_run */
	int		 client;	/* the test's end of the client socket */
	struct ipc	*ipc;		/* the child's end of the IPC channel */
	uint32_t	 got[MAX_GOT];	/* types the monitor sent, in order */
	size_t		 ngot;
};

static void
setup(void)
{
	char *errs = NULL;
	FILE *f;
	int r;

	log_init("check_monitor_hostile", LOG_LVL_ERROR, LOG_AUTH, 1);
	memcpy(tmpdir, TMPDIR_TEMPLATE, sizeof(tmpdir));
	ck_assert_ptr_nonnull(mkdtemp(tmpdir));
	snprintf(conf_path, sizeof(conf_path), "%s/nanosshd.conf", tmpdir);
	ck_assert_ptr_nonnull(f = fopen(conf_path, "w"));
	/* The host key file is never read: the test hands the key over. */
	fprintf(f, "host_keys = [ \"%s/ssh_host_ed25519_key\" ];\n"
	    "privsep : { chroot = \"%s\"; };\n"
	    "auth : { max_tries = %d; };\n", tmpdir, tmpdir, MAX_TRIES);
	ck_assert_int_eq(fclose(f), 0);
	r = cfg_load(conf_path, NULL, 0, &cfg, &errs);
	ck_assert_msg(r == 0, "%s", errs != NULL ? errs : ssh_err(r));
	ck_assert_int_eq(key_generate(KEY_ED25519, 0, &hostkey), 0);
}

static void
teardown(void)
{
	cfg_free(cfg);
	key_free(hostkey);
	unlink(conf_path);
	rmdir(tmpdir);
}

/* Receives the IPC socket the fake child passes over the client socket. */
static int
recv_ipc_fd(int sock)
{
	union {
		struct cmsghdr hdr;
		char buf[CMSG_SPACE(sizeof(int))];
	} cm;
	struct pollfd pfd = { .fd = sock, .events = POLLIN };
	struct msghdr msg;
	struct iovec iov;
	struct cmsghdr *c;
	char byte;
	int fd = -1;

	ck_assert_msg(poll(&pfd, 1, WAIT_MS) == 1, "no fd from hostile_child");
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
	memcpy(&fd, CMSG_DATA(c), sizeof(int));
	ck_assert_int_ge(fd, 0);
	return fd;
}

static void
hostile_start(struct hostile *h)
{
	struct monitor_params mp;
	struct sshcert *certs[1] = { NULL };
	int sv[2], fd;

	memset(h, 0, sizeof(*h));
	ck_assert_int_eq(socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0,
	    sv), 0);
	ck_assert_int_ne(h->mon = fork(), -1);
	if (h->mon == 0) {
		close(sv[0]);
		memset(&mp, 0, sizeof(mp));
		mp.cfg = cfg;
		mp.hostkeys = &hostkey;
		mp.nhostkeys = 1;
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
	fd = recv_ipc_fd(h->client);
	ck_assert_ptr_nonnull(h->ipc = ipc_new(fd));
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

/* Everything the monitor sends until it closes; then its exit status. */
static int
hostile_finish(struct hostile *h)
{
	int status;

	while (recv_one(h) != 0)
		;
	ck_assert_int_eq(waitpid(h->mon, &status, 0), h->mon);
	ipc_free(h->ipc);
	close(h->client);
	return status;
}

/* Payloads of the requests. */

static struct buf *
sign_payload(uint32_t idx, const char *alg, size_t hashlen)
{
	struct buf *b;
	uint8_t hash[64];

	memset(hash, 0x5a, sizeof(hash));
	ck_assert_ptr_nonnull(b = buf_new());
	ck_assert_int_eq(buf_put_u32(b, idx), 0);
	ck_assert_int_eq(buf_put_cstring(b, alg), 0);
	ck_assert_int_eq(buf_put_string(b, hash, hashlen), 0);
	return b;
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
pubkey_query_for(const char *user, const char *service)
{
	struct buf *b = strings(2, user, service), *blob;

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

static struct buf *
pubkey_query(void)
{
	return pubkey_query_for("root", "ssh-connection");
}

/* A first attempt that fails by the rules: answered with a failure. */
static void
fail_once(struct hostile *h, const char *user, const char *service)
{
	send_msg(h, IPC_MSG_AUTH_PUBKEY, pubkey_query_for(user, service), -1);
	recv_until(h, IPC_MSG_AUTH_REPLY);
}

/* The key exchange, then max_tries failures: the child must be gone. */
static void
fail_max_tries(struct hostile *h)
{
	int i;

	sign_ok(h);
	for (i = 0; i < MAX_TRIES; i++)
		fail_once(h, NO_USER, "ssh-connection");
}

static struct buf *
kbdint_payload(const char *user)
{
	struct buf *b = strings(2, user, "ssh-connection");

	ck_assert_int_eq(buf_put_u32(b, 0), 0);
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

/* One user and one service per connection, fixed by the first request. */
static void
second_user(struct hostile *h)
{
	sign_ok(h);
	fail_once(h, NO_USER, "ssh-connection");
	send_msg(h, IPC_MSG_AUTH_PUBKEY, pubkey_query_for(NO_USER "2",
	    "ssh-connection"), -1);
}

static void
second_user_password(struct hostile *h)
{
	sign_ok(h);
	fail_once(h, NO_USER, "ssh-connection");
	send_msg(h, IPC_MSG_AUTH_PASSWORD, strings(3, "root",
	    "ssh-connection", "secret"), -1);
}

static void
second_user_kbdint(struct hostile *h)
{
	sign_ok(h);
	fail_once(h, NO_USER, "ssh-connection");
	send_msg(h, IPC_MSG_AUTH_KBDINT, kbdint_payload("root"), -1);
}

static void
second_service(struct hostile *h)
{
	sign_ok(h);
	fail_once(h, NO_USER, "ssh-connection");
	send_msg(h, IPC_MSG_AUTH_PUBKEY, pubkey_query_for(NO_USER,
	    "ssh-userauth"), -1);
}

/* max_tries failures answered: the child has disconnected by now. */
static void
pubkey_after_max_tries(struct hostile *h)
{
	fail_max_tries(h);
	send_msg(h, IPC_MSG_AUTH_PUBKEY, pubkey_query_for(NO_USER,
	    "ssh-connection"), -1);
}

static void
password_after_max_tries(struct hostile *h)
{
	fail_max_tries(h);
	send_msg(h, IPC_MSG_AUTH_PASSWORD, strings(3, NO_USER,
	    "ssh-connection", "secret"), -1);
}

static void
password_change_after_max_tries(struct hostile *h)
{
	fail_max_tries(h);
	send_msg(h, IPC_MSG_AUTH_PASSWORD_CHANGE, strings(4, NO_USER,
	    "ssh-connection", "old", "new"), -1);
}

/* A keyboard-interactive start (a PAM conversation with the default
 * back end) after max_tries: no helper, no prompts. */
static void
kbdint_after_max_tries(struct hostile *h)
{
	fail_max_tries(h);
	send_msg(h, IPC_MSG_AUTH_KBDINT, kbdint_payload(NO_USER), -1);
}

static const struct scenario {
	const char	*name;
	void		(*act)(struct hostile *);
	int		 signed_first;	/* SIGN_REPLY expected after CONFIG */
	int		 failures;	/* then this many AUTH_REPLYs */
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
	{ "HOSTKEYS_PROVE before authentication", prove_preauth, 1 },
	{ "an fd with SIGN", fd_on_sign, 0 },
	{ "an fd with AUTH_PASSWORD", fd_on_auth_password, 1 },
	{ "another user in the second AUTH_PUBKEY", second_user, 1, 1 },
	{ "another user in AUTH_PASSWORD after AUTH_PUBKEY",
	    second_user_password, 1, 1 },
	{ "another user in AUTH_KBDINT after AUTH_PUBKEY",
	    second_user_kbdint, 1, 1 },
	{ "another service in the second request", second_service, 1, 1 },
	{ "AUTH_PUBKEY after max_tries failures", pubkey_after_max_tries, 1,
	    MAX_TRIES },
	{ "AUTH_PASSWORD after max_tries failures", password_after_max_tries,
	    1, MAX_TRIES },
	{ "AUTH_PASSWORD_CHANGE after max_tries failures",
	    password_change_after_max_tries, 1, MAX_TRIES },
	{ "AUTH_KBDINT (PAM) after max_tries failures",
	    kbdint_after_max_tries, 1, MAX_TRIES },
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
	/* CONFIG, the SIGN_REPLY of a legitimate first SIGN, the failures
	 * of legitimate attempts, nothing else. */
	want = (sc->signed_first ? 2 : 1) + (size_t)sc->failures;
	for (i = 0; i < h.ngot; i++)
		ck_assert_msg(i < want, "%s: the monitor answered with %s",
		    sc->name, ipc_msg_name(h.got[i]));
	ck_assert_msg(h.ngot == want, "%s: %zu messages from the monitor",
	    sc->name, h.ngot);
	ck_assert_uint_eq(h.got[0], IPC_MSG_CONFIG);
	if (sc->signed_first)
		ck_assert_uint_eq(h.got[1], IPC_MSG_SIGN_REPLY);
	for (i = sc->signed_first ? 2 : 1; i < want; i++)
		ck_assert_uint_eq(h.got[i], IPC_MSG_AUTH_REPLY);
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

static Suite *
hostile_suite(void)
{
	Suite *s = suite_create("monitor_hostile");
	TCase *tc = tcase_create("hostile child");

	tcase_set_timeout(tc, 60);
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_control);
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
