/*
 * check_ctl.c: nanosshctl's pieces in the listener: the status records
 * (common/sessrec.c, with fuzz_sessrec's corpus replayed), a session
 * sending malformed records (children.c), the control socket's
 * credential check and requests (daemon/control.c).
 */
#include <sys/types.h>
#include <sys/socket.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <check.h>

#include "common/sessrec.h"
#include "daemon/children.h"
#include "daemon/control.h"
#include "daemon/listener.h"
#include "daemon/serve.h"
#include "protocol/buf.h"
#include "protocol/ssherr.h"
#include "tests/unit/testutil.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void
sample(struct sessrec_info *v)
{
	memset(v, 0, sizeof(*v));
	strcpy(v->user, "alice");
	strcpy(v->method, "publickey,password");
	strcpy(v->kex, "curve25519-sha256");
	strcpy(v->hostkey, "ssh-ed25519");
	strcpy(v->cipher, "aes256-gcm@openssh.com");
	v->bytes_in = 1234;
	v->bytes_out = 5678;
	v->channels = 2;
	v->idle_s = 9;
}

START_TEST(test_info_round_trip)
{
	struct sessrec_info v, w;
	uint8_t rec[SESSREC_MAX];
	size_t len;

	sample(&v);
	ck_assert_int_eq(sessrec_info_encode(&v, rec, sizeof(rec), &len), 0);
	ck_assert_int_eq(sessrec_info_parse(rec, len, &w), 0);
	ck_assert_mem_eq(&v, &w, sizeof(v));
	/* Cut short, one byte more, another type: all refused. */
	ck_assert_int_ne(sessrec_info_parse(rec, len - 1, &w), 0);
	ck_assert_str_eq(w.user, "");
	rec[len] = 0;
	ck_assert_int_ne(sessrec_info_parse(rec, len + 1, &w), 0);
	rec[0] = 'X';
	ck_assert_int_ne(sessrec_info_parse(rec, len, &w), 0);
}
END_TEST

START_TEST(test_info_bad_names)
{
	struct sessrec_info v;
	uint8_t rec[SESSREC_MAX];
	size_t len, off;

	sample(&v);
	strcpy(v.user, "al ice");
	ck_assert_int_eq(sessrec_info_encode(&v, rec, sizeof(rec), &len),
	    SSH_ERR_INVALID_ARGUMENT);
	/* A terminal escape smuggled into an encoded record. */
	sample(&v);
	ck_assert_int_eq(sessrec_info_encode(&v, rec, sizeof(rec), &len), 0);
	off = 1 + 4;		/* type, the user's length */
	rec[off] = 0x1b;
	ck_assert_int_ne(sessrec_info_parse(rec, len, &v), 0);
	ck_assert_int_eq(sessrec_name_ok("x", 0), 0);
	/* A NUL inside a name (found by fuzz_sessrec). */
	ck_assert_int_eq(sessrec_name_ok("ab\0cd", 5), 0);
	memset(rec, 'a', sizeof(rec));
	ck_assert_int_eq(sessrec_name_ok((char *)rec, SESSREC_NAME_MAX), 1);
	ck_assert_int_eq(sessrec_name_ok((char *)rec, SESSREC_NAME_MAX + 1),
	    0);
}
END_TEST

START_TEST(test_commands)
{
	uint8_t rec[SESSREC_MAX];
	char reason[SESSREC_REASON_MAX + 1], longr[300];
	size_t len;
	uint32_t token, ms;
	int cmd;

	ck_assert_int_eq(sessrec_cmd_encode(SESSREC_DISCONNECT,
	    "bye\x1b[2J", rec, sizeof(rec), &len), 0);
	ck_assert_int_eq(sessrec_cmd_parse(rec, len, &cmd, reason, &token), 0);
	ck_assert_int_eq(cmd, SESSREC_DISCONNECT);
	ck_assert_str_eq(reason, "bye?[2J");
	memset(longr, 'r', sizeof(longr) - 1);
	longr[sizeof(longr) - 1] = '\0';
	ck_assert_int_eq(sessrec_cmd_encode(SESSREC_DISCONNECT, longr, rec,
	    sizeof(rec), &len), 0);
	ck_assert_uint_eq(len, 1 + SESSREC_REASON_MAX);
	ck_assert_int_eq(sessrec_cmd_encode(SESSREC_REKEY, NULL, rec,
	    sizeof(rec), &len), 0);
	ck_assert_int_eq(sessrec_cmd_parse(rec, len, &cmd, reason, &token), 0);
	ck_assert_int_eq(cmd, SESSREC_REKEY);
	rec[1] = 'x';
	ck_assert_int_ne(sessrec_cmd_parse(rec, 2, &cmd, reason, &token), 0);
	ck_assert_int_ne(sessrec_cmd_parse(rec, 0, &cmd, reason, &token), 0);
	sessrec_ping_encode(0x01020304, rec);
	ck_assert_int_eq(sessrec_cmd_parse(rec, SESSREC_PING_LEN, &cmd, reason,
	    &token), 0);
	ck_assert_int_eq(cmd, SESSREC_PING);
	ck_assert_uint_eq(token, 0x01020304);
	ck_assert_int_ne(sessrec_cmd_parse(rec, SESSREC_PING_LEN - 1, &cmd,
	    reason, &token), 0);
	sessrec_pong_encode(7, 42, rec);
	ck_assert_int_eq(sessrec_pong_parse(rec, SESSREC_PONG_LEN, &token,
	    &ms), 0);
	ck_assert_uint_eq(token, 7);
	ck_assert_uint_eq(ms, 42);
	ck_assert_int_ne(sessrec_pong_parse(rec, SESSREC_PONG_LEN + 1, &token,
	    &ms), 0);
	rec[0] = 'Q';
	ck_assert_int_ne(sessrec_cmd_parse(rec, 1, &cmd, reason, &token), 0);
}
END_TEST

/* A session's malformed records cost it its display, nothing else. */
START_TEST(test_malformed_records_ignored)
{
	struct children c;
	struct child *ch;
	struct sessrec_info v;
	uint8_t rec[SESSREC_MAX + 100];
	size_t len;
	int sp[2];

	ck_assert_int_eq(socketpair(AF_UNIX, SOCK_SEQPACKET, 0, sp), 0);
	children_init(&c);
	ck_assert_int_eq(children_add(&c, 4242, sp[0], "192.0.2.1 port 1"),
	    0);
	ch = children_find(&c, 4242);
	sample(&v);
	ck_assert_int_eq(sessrec_info_encode(&v, rec, sizeof(rec), &len), 0);
	ck_assert_int_eq(send(sp[1], rec, len, 0), (ssize_t)len);
	/* Truncated, oversized, 'A' with a tail, an unknown type. */
	ck_assert_int_eq(send(sp[1], rec, len - 3, 0), (ssize_t)len - 3);
	memset(rec + len, 'a', sizeof(rec) - len);
	ck_assert_int_eq(send(sp[1], rec, sizeof(rec), 0),
	    (ssize_t)sizeof(rec));
	ck_assert_int_eq(send(sp[1], "AA", 2, 0), 2);
	ck_assert_int_eq(send(sp[1], "Z", 1, 0), 1);
	ck_assert_int_eq(children_read_status(&c, ch), 0);
	ck_assert_int_eq(ch->ch_authenticated, 0);
	ck_assert_uint_eq(c.c_unauthenticated, 1);
	ck_assert_str_eq(ch->ch_info.user, "alice");
	ck_assert_uint_eq(ch->ch_info.bytes_in, 1234);
	ck_assert_uint_eq(ch->ch_bad_records, 4);
	ck_assert_int_ne(ch->ch_status_fd, -1);
	ck_assert_int_eq(send(sp[1], "A", 1, 0), 1);
	(void)children_read_status(&c, ch);
	ck_assert_int_eq(ch->ch_authenticated, 1);
	close(sp[1]);
	children_clear(&c);
}
END_TEST

START_TEST(test_peer_allowed)
{
	ck_assert_int_eq(control_peer_allowed(0, 0), 1);
	ck_assert_int_eq(control_peer_allowed(0, 1000), 1);
	ck_assert_int_eq(control_peer_allowed(1000, 1000), 1);
	ck_assert_int_eq(control_peer_allowed(65534, 0), 0);
	ck_assert_int_eq(control_peer_allowed(1001, 1000), 0);
}
END_TEST

static int
request(struct serve *sv, const char *line, char *out, size_t outsize)
{
	struct buf *b = buf_new();
	int r;

	ck_assert_ptr_nonnull(b);
	r = control_request(NULL, sv, line, b);
	ck_assert_uint_lt(buf_len(b), outsize);
	memcpy(out, buf_ptr(b), buf_len(b));
	out[buf_len(b)] = '\0';
	buf_free(b);
	return r;
}

START_TEST(test_requests)
{
	struct serve sv;
	char out[4096];
	int sp[2];

	memset(&sv, 0, sizeof(sv));
	children_init(&sv.sv_kids);
	ck_assert_int_eq(socketpair(AF_UNIX, SOCK_SEQPACKET, 0, sp), 0);
	ck_assert_int_eq(children_add(&sv.sv_kids, 4242, sp[0],
	    "192.0.2.1 port 1"), 0);
	ck_assert_int_eq(request(&sv, "list", out, sizeof(out)), 0);
	ck_assert_ptr_nonnull(strstr(out, "ok\nconn\tid=4242\tuser=\t"
	    "peer=192.0.2.1 port 1\t"));
	ck_assert_ptr_nonnull(strstr(out, "\tstate=pre-auth\t"));
	ck_assert_int_eq(request(&sv, "show 4243", out, sizeof(out)), 0);
	ck_assert_str_eq(out, "error no such connection: 4243\n");
	ck_assert_int_eq(request(&sv, "show -1", out, sizeof(out)), 0);
	ck_assert_str_eq(out, "error no such connection: -1\n");
	ck_assert_int_eq(request(&sv, "rekey 4242", out, sizeof(out)), 0);
	ck_assert_str_eq(out, "error connection 4242 has not authenticated\n");
	ck_assert_int_eq(request(&sv, "list \x1b", out, sizeof(out)), 0);
	ck_assert_str_eq(out, "error malformed request\n");
	ck_assert_int_eq(request(&sv, "", out, sizeof(out)), 0);
	ck_assert_str_eq(out, "error unknown request: \n");
	ck_assert_int_eq(request(&sv, "disconnect id 4242 go away", out,
	    sizeof(out)), 0);
	ck_assert_str_eq(out, "ok\ndisconnected\tcount=1\tfailed=0\n");
	ck_assert_int_eq(recv(sp[1], out, sizeof(out), 0), 8);
	ck_assert_mem_eq(out, "Dgo away", 8);
	ck_assert_int_eq(request(&sv, "disconnect user bob", out,
	    sizeof(out)), 0);
	ck_assert_str_eq(out, "error no connection of user bob\n");
	ck_assert_int_eq(request(&sv, "disconnect sideways", out,
	    sizeof(out)), 0);
	ck_assert_str_eq(out, "error disconnect sideways: missing argument\n");
	close(sp[1]);
	children_clear(&sv.sv_kids);
}
END_TEST

START_TEST(test_fuzz_corpus_replay)
{
	ck_assert_uint_gt(tu_replay_corpus("sessrec", LLVMFuzzerTestOneInput),
	    0);
}
END_TEST

static Suite *
ctl_suite(void)
{
	Suite *s = suite_create("ctl");
	TCase *tc = tcase_create("core");

	tcase_add_test(tc, test_info_round_trip);
	tcase_add_test(tc, test_info_bad_names);
	tcase_add_test(tc, test_commands);
	tcase_add_test(tc, test_malformed_records_ignored);
	tcase_add_test(tc, test_peer_allowed);
	tcase_add_test(tc, test_requests);
	tcase_add_test(tc, test_fuzz_corpus_replay);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	return tu_run(ctl_suite());
}
