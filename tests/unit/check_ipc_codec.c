/* check_ipc_codec.c: every IPC message's struct survives encode, decode and
 * encode again; decoders consume exactly and keep lists in bounds. */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "privsep/ipc_catalogue.h"
#include "privsep/ipc_codec.h"
#include "protocol/buf.h"
#include "protocol/ssherr.h"
#include "protocol/x11req.h"

#define B(s)	{ (const uint8_t *)(s), sizeof(s) - 1 }

static struct ipc_bytes keys[] = { B("key-one"), B("key-two") };
static struct ipc_hostcert certs[] = { { 1, B("cert-of-two") } };
static uint32_t idx[] = { 0, 1, 7 };
static struct ipc_bytes sigs[] = { B("sig0"), B(""), B("sig2") };
static struct ipc_bytes answers[] = { B("secret"), B("\0x\0") };
static struct ipc_prompt prompts[] = { { "Password: ", 0 }, { "OTP", 1 } };
static struct ipc_env env[] = { { "LANG", "C.UTF-8" }, { "X", "" } };
static struct ipc_ttymode modes[] = { { 53, 1 }, { 128, 38400 } };

static const struct ipc_config s_config = {
	"mlkem768x25519-sha256,curve25519-sha256", "ssh-ed25519",
	"aes128-gcm@openssh.com", "hmac-sha2-256", "publickey,password",
	"", "192.0.2.1", 40022, 120, 10, 6, 1ULL << 32, 3600, 1,
	{ 2, keys }, { 1, certs },
};
static const struct ipc_log s_log = { 2, B("a line\nwith\0bytes") };
static const struct ipc_sign s_sign = { 1, "rsa-sha2-512",
	"curve25519-sha256", B("0123456789abcdef0123456789abcdef") };
static const struct ipc_sign_reply s_sign_reply = { B("signature") };
static const struct ipc_hostkeys_prove s_prove = { { 3, idx } };
static const struct ipc_hostkeys_prove_reply s_prove_reply = { { 3, sigs } };
static const struct ipc_auth_pubkey s_auth_pubkey = {
	"alice", "ssh-connection", B("blob"), "ssh-ed25519", 1, 3, 0,
	B("sig"),
};
static const struct ipc_auth_reply s_auth_reply = { IPC_AUTH_PARTIAL,
	"password,keyboard-interactive" };
static const struct ipc_spawn_exec s_spawn_exec = { 9, IPC_SPAWN_EXEC,
	"uname -a", 1, 1, { 2, env } };
static const struct ipc_spawn_result s_spawn_result = { 9, 0xfffffff0, 4 };
static const struct ipc_spawn_fd s_spawn_fd = { 4, IPC_SPAWN_PTY };
static const struct ipc_child_exit s_child_exit = { 4, IPC_EXIT_SIGNAL, 0,
	"TERM", 1 };
static const struct ipc_auth_password s_auth_password = { "bob",
	"ssh-connection", B("hunter2") };
static const struct ipc_auth_kbdint s_auth_kbdint = { "bob",
	"ssh-connection", { 2, answers } };
static const struct ipc_kbdint_prompts s_kbdint_prompts = { "", "PAM says",
	{ 2, prompts } };
static const struct ipc_auth_password_change s_password_change = { "bob",
	"ssh-connection", B("old"), B("new") };
static const struct ipc_session_config s_session_config = { "LANG,LC_*",
	10, 3600, 600, 15, 3 };
static const struct ipc_pty_req s_pty_req = { 9, "xterm-256color", 80, 24,
	640, 480, { 2, modes } };
static const struct ipc_pty_result s_pty_result = { 9, 0 };
static const struct ipc_session_signal s_session_signal = { 4, "INT" };
static const struct ipc_session_break s_session_break = { 4, 500 };
static const struct ipc_session_close s_session_close = { 4 };
static const struct ipc_fwd_open s_fwd_open = { 12, IPC_FWD_TCP,
	"db.example", 5432, "127.0.0.1", 50000 };
static const struct ipc_fwd_listen s_fwd_listen = { 0x80000001,
	IPC_FWD_UNIX, "/tmp/sock", 0 };
static const struct ipc_fwd_socket s_fwd_socket = { 12, 0 };
static const struct ipc_fwd_refused s_fwd_refused = { 12, 1,
	"administratively prohibited" };
static const struct ipc_x11_req s_x11_req = { 3, 1, "MIT-MAGIC-COOKIE-1",
	"00112233445566778899aabbccddeeff", 0 };
static const struct ipc_x11_result s_x11_result = { 3, 0, 10 };
static const struct ipc_agent_listen s_agent_listen = { 0x80000002 };
static const struct ipc_conn_info s_conn_info = { "curve25519-sha256",
	"ssh-ed25519", "chacha20-poly1305@openssh.com", "", 4096, 8192, 2,
	17 };
static const struct ipc_admin s_admin = { IPC_ADMIN_DISCONNECT,
	"maintenance", 0 };
static const struct ipc_ping_result s_ping_result = { 0xfeedf00d, 12 };
static const struct ipc_rsa_kex_pubkey s_rsa_kex_pubkey = { "rsa2048-sha256" };
static const struct ipc_rsa_kex_pubkey_reply s_rsa_kex_pubkey_reply = {
	{ (const uint8_t *)"\0\0\0\7ssh-rsa", 11 } };
static const struct ipc_rsa_kex_decrypt s_rsa_kex_decrypt = {
	"rsa1024-sha1", { (const uint8_t *)"ciphertext", 10 } };
static const struct ipc_rsa_kex_decrypt_reply s_rsa_kex_decrypt_reply = {
	1, { (const uint8_t *)"\0\0\0\1\x2a", 5 } };

static const struct {
	uint32_t type;
	const void *msg;
} samples[] = {
	{ IPC_MSG_CONFIG, &s_config },
	{ IPC_MSG_LOG, &s_log },
	{ IPC_MSG_SIGN, &s_sign },
	{ IPC_MSG_SIGN_REPLY, &s_sign_reply },
	{ IPC_MSG_HOSTKEYS_PROVE, &s_prove },
	{ IPC_MSG_HOSTKEYS_PROVE_REPLY, &s_prove_reply },
	{ IPC_MSG_AUTH_PUBKEY, &s_auth_pubkey },
	{ IPC_MSG_AUTH_REPLY, &s_auth_reply },
	{ IPC_MSG_SPAWN_EXEC, &s_spawn_exec },
	{ IPC_MSG_SPAWN_RESULT, &s_spawn_result },
	{ IPC_MSG_SPAWN_FD, &s_spawn_fd },
	{ IPC_MSG_CHILD_EXIT, &s_child_exit },
	{ IPC_MSG_AUTH_PASSWORD, &s_auth_password },
	{ IPC_MSG_AUTH_KBDINT, &s_auth_kbdint },
	{ IPC_MSG_KBDINT_PROMPTS, &s_kbdint_prompts },
	{ IPC_MSG_AUTH_PASSWORD_CHANGE, &s_password_change },
	{ IPC_MSG_SESSION_CONFIG, &s_session_config },
	{ IPC_MSG_PTY_REQ, &s_pty_req },
	{ IPC_MSG_PTY_RESULT, &s_pty_result },
	{ IPC_MSG_SESSION_SIGNAL, &s_session_signal },
	{ IPC_MSG_SESSION_BREAK, &s_session_break },
	{ IPC_MSG_SESSION_CLOSE, &s_session_close },
	{ IPC_MSG_FWD_OPEN, &s_fwd_open },
	{ IPC_MSG_FWD_LISTEN, &s_fwd_listen },
	{ IPC_MSG_FWD_SOCKET, &s_fwd_socket },
	{ IPC_MSG_FWD_REFUSED, &s_fwd_refused },
	{ IPC_MSG_X11_REQ, &s_x11_req },
	{ IPC_MSG_X11_RESULT, &s_x11_result },
	{ IPC_MSG_AGENT_LISTEN, &s_agent_listen },
	{ IPC_MSG_CONN_INFO, &s_conn_info },
	{ IPC_MSG_ADMIN, &s_admin },
	{ IPC_MSG_PING_RESULT, &s_ping_result },
	{ IPC_MSG_RSA_KEX_PUBKEY, &s_rsa_kex_pubkey },
	{ IPC_MSG_RSA_KEX_PUBKEY_REPLY, &s_rsa_kex_pubkey_reply },
	{ IPC_MSG_RSA_KEX_DECRYPT, &s_rsa_kex_decrypt },
	{ IPC_MSG_RSA_KEX_DECRYPT_REPLY, &s_rsa_kex_decrypt_reply },
};
#define NSAMPLES	(sizeof(samples) / sizeof(samples[0]))

START_TEST(test_every_type_has_a_sample)
{
	uint32_t t;
	size_t i;
	int found;

	ck_assert_uint_eq(NSAMPLES, IPC_MSG_MAX - 1);
	for (t = 1; t < IPC_MSG_MAX; t++) {
		for (i = 0, found = 0; i < NSAMPLES; i++)
			found += samples[i].type == t;
		ck_assert_int_eq(found, 1);
		ck_assert_uint_gt(ipc_msg_size(t), 0);
	}
	ck_assert_uint_eq(ipc_msg_size(IPC_MSG_NONE), 0);
	ck_assert_uint_eq(ipc_msg_size(IPC_MSG_MAX), 0);
}
END_TEST

/* Encode, decode, encode: the same bytes, all consumed, within the cap. */
START_TEST(test_roundtrip)
{
	uint32_t type = samples[_i].type;
	struct buf *a = buf_new(), *b = buf_new(), *in;
	void *msg = calloc(1, ipc_msg_size(type));

	ck_assert_ptr_nonnull(msg);
	ck_assert_int_eq(ipc_encode(type, samples[_i].msg, a), 0);
	ck_assert_uint_gt(buf_len(a), 0);
	ck_assert_uint_le(buf_len(a), ipc_msgdef(type)->md_max_len);
	in = buf_from(buf_ptr(a), buf_len(a));
	ck_assert_int_eq(ipc_decode(type, in, msg), 0);
	ck_assert_uint_eq(buf_len(in), 0);
	ck_assert_int_eq(ipc_encode(type, msg, b), 0);
	ck_assert(buf_equals(a, b) == 0);
	ipc_msg_free(type, msg);
	buf_free(in);
	buf_free(a);
	buf_free(b);
	free(msg);
}
END_TEST

/* Every proper prefix fails, and so does one trailing byte. */
START_TEST(test_exact_length)
{
	uint32_t type = samples[_i].type;
	struct buf *a = buf_new(), *in;
	void *msg = calloc(1, ipc_msg_size(type));
	size_t len;

	ck_assert_int_eq(ipc_encode(type, samples[_i].msg, a), 0);
	for (len = 0; len < buf_len(a); len++) {
		in = buf_from(buf_ptr(a), len);
		ck_assert_int_ne(ipc_decode(type, in, msg), 0);
		buf_free(in);
	}
	ck_assert_int_eq(buf_put_u8(a, 0), 0);
	in = buf_from(buf_ptr(a), buf_len(a));
	ck_assert_int_eq(ipc_decode(type, in, msg), SSH_ERR_UNEXPECTED_TRAILING_DATA);
	buf_free(in);
	buf_free(a);
	free(msg);
}
END_TEST

/* The wire format itself, for two messages, byte by byte. */
START_TEST(test_wire_format)
{
	static const uint8_t reply[] = {
		0, 0, 0, 3, 0, 0, 0, 2, 'o', 'k',
	};
	static const uint8_t prompts_one[] = {
		0, 0, 0, 0, 0, 0, 0, 1, 'i', 0, 0, 0, 1,
		0, 0, 0, 2, 'p', ':', 1,
	};
	struct ipc_auth_reply a = { IPC_AUTH_PARTIAL, "ok" };
	struct ipc_prompt one = { "p:", 1 };
	struct ipc_kbdint_prompts p = { "", "i", { 1, &one } };
	struct buf *b = buf_new();

	ck_assert_int_eq(ipc_enc_auth_reply(b, &a), 0);
	ck_assert_uint_eq(buf_len(b), sizeof(reply));
	ck_assert(memcmp(buf_ptr(b), reply, sizeof(reply)) == 0);
	buf_reset(b);
	ck_assert_int_eq(ipc_enc_kbdint_prompts(b, &p), 0);
	ck_assert_uint_eq(buf_len(b), sizeof(prompts_one));
	ck_assert(memcmp(buf_ptr(b), prompts_one, sizeof(prompts_one)) == 0);
	buf_free(b);
}
END_TEST

/* List counts out of bounds: refused by the encoder and the decoder. */
START_TEST(test_list_bounds)
{
	static const uint8_t no_prompts[] = {
		0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
	};
	static const uint8_t many_answers[] = {
		0, 0, 0, 1, 'u', 0, 0, 0, 1, 's', 0, 0, 0, 17,
	};
	struct ipc_kbdint_prompts p = { "", "", { 0, NULL } };
	struct ipc_kbdint_prompts pd;
	struct ipc_auth_kbdint kd;
	struct ipc_env big[IPC_SPAWN_ENV_MAX + 1];
	struct ipc_spawn_exec e = { 1, IPC_SPAWN_SHELL, "", 0, 0,
	    { IPC_SPAWN_ENV_MAX + 1, big } };
	struct buf *b = buf_new(), *in;
	size_t i;

	ck_assert_int_eq(ipc_enc_kbdint_prompts(b, &p), SSH_ERR_INVALID_ARGUMENT);
	for (i = 0; i < IPC_SPAWN_ENV_MAX + 1; i++) {
		big[i].name = "N";
		big[i].value = "v";
	}
	ck_assert_int_eq(ipc_enc_spawn_exec(b, &e), SSH_ERR_INVALID_ARGUMENT);
	e.env.n = IPC_SPAWN_ENV_MAX;
	buf_reset(b);
	ck_assert_int_eq(ipc_enc_spawn_exec(b, &e), 0);
	in = buf_from(no_prompts, sizeof(no_prompts));
	ck_assert_int_eq(ipc_dec_kbdint_prompts(in, &pd), SSH_ERR_INVALID_FORMAT);
	buf_free(in);
	/* A count above the bound fails before anything is allocated. */
	in = buf_from(many_answers, sizeof(many_answers));
	ck_assert_int_eq(ipc_dec_auth_kbdint(in, &kd), SSH_ERR_INVALID_FORMAT);
	ck_assert_ptr_null(kd.user);
	buf_free(in);
	buf_free(b);
}
END_TEST

/* A C string field may not carry a NUL; a byte string may. */
START_TEST(test_embedded_nul)
{
	static const uint8_t signal_nul[] = {
		0, 0, 0, 4, 0, 0, 0, 3, 'I', 0, 'T',
	};
	struct ipc_session_signal q;
	struct buf *in = buf_from(signal_nul, sizeof(signal_nul));

	ck_assert_int_ne(ipc_dec_session_signal(in, &q), 0);
	ck_assert_ptr_null(q.signame);
	buf_free(in);
}
END_TEST

/* A type outside the catalogue has no codec. */
/* The largest x11-req the child passes on (x11req_check's bounds) fits
 * X11_REQ's cap. */
START_TEST(test_x11_req_cap)
{
	char proto[X11REQ_PROTO_MAX + 1], cookie[X11REQ_COOKIE_MAX + 1];
	struct ipc_x11_req q = { 0x3fffffff, 1, proto, cookie,
	    X11REQ_SCREEN_MAX };
	struct buf *b = buf_new();

	memset(proto, 'P', sizeof(proto) - 1);
	proto[sizeof(proto) - 1] = '\0';
	memset(cookie, 'f', sizeof(cookie) - 1);
	cookie[sizeof(cookie) - 1] = '\0';
	ck_assert_ptr_null(x11req_check(proto, cookie, q.screen));
	ck_assert_int_eq(ipc_enc_x11_req(b, &q), 0);
	ck_assert_uint_le(buf_len(b), ipc_msgdef(IPC_MSG_X11_REQ)->md_max_len);
	buf_free(b);
}
END_TEST

START_TEST(test_unknown_type)
{
	struct buf *b = buf_new();
	char msg[64];

	ck_assert_int_eq(ipc_encode(IPC_MSG_NONE, msg, b),
	    SSH_ERR_INVALID_ARGUMENT);
	ck_assert_int_eq(ipc_decode(IPC_MSG_MAX, b, msg),
	    SSH_ERR_INVALID_ARGUMENT);
	ipc_msg_free(IPC_MSG_MAX, msg);
	buf_free(b);
}
END_TEST

static Suite *
codec_suite(void)
{
	Suite *s = suite_create("ipc_codec");
	TCase *tc = tcase_create("codec");

	tcase_add_test(tc, test_every_type_has_a_sample);
	tcase_add_loop_test(tc, test_roundtrip, 0, NSAMPLES);
	tcase_add_loop_test(tc, test_exact_length, 0, NSAMPLES);
	tcase_add_test(tc, test_wire_format);
	tcase_add_test(tc, test_list_bounds);
	tcase_add_test(tc, test_embedded_nul);
	tcase_add_test(tc, test_x11_req_cap);
	tcase_add_test(tc, test_unknown_type);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	SRunner *sr = srunner_create(codec_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
