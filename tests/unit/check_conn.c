/* check_conn.c: the server connection driven by a scripted client:
 * key exchange over every cipher, userauth, channels, and messages at the
 * wrong time over the encrypted transport. */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "protocol/buf.h"
#include "protocol/channel.h"
#include "protocol/conn.h"
#include "protocol/kexinit.h"
#include "protocol/key.h"
#include "protocol/ssh2.h"
#include "protocol/ssherr.h"
#include "tests/unit/testclient.h"
#include "tests/unit/testutil.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static struct buf *
msg_new(uint8_t type)
{
	struct buf *b = buf_new();

	ck_assert_ptr_nonnull(b);
	ck_assert_int_eq(buf_put_u8(b, type), 0);
	return b;
}

static void
connected(struct tclient *tc, const char *cipher, const char *mac, int strict)
{
	ck_assert_int_eq(tclient_new(tc, cipher, mac, strict), 0);
	ck_assert_int_eq(tclient_handshake(tc), 0);
}

/* The next message from the server, of any type. */
static uint8_t
next_type(struct tclient *tc, struct buf **pp)
{
	struct buf *p;
	uint8_t t;

	ck_assert_int_eq(tclient_recv(tc, &p), 0);
	ck_assert_int_eq(buf_get_u8(p, &t), 0);
	if (pp != NULL)
		*pp = p;
	return t;
}

static struct buf *
userauth(struct tclient *tc, const char *method, int with_sig)
{
	struct buf *m = msg_new(SSH2_MSG_USERAUTH_REQUEST), *blob = buf_new();

	ck_assert_int_eq(buf_put_cstring(m, "alice"), 0);
	ck_assert_int_eq(buf_put_cstring(m, "ssh-connection"), 0);
	ck_assert_int_eq(buf_put_cstring(m, method), 0);
	if (strcmp(method, "publickey") == 0) {
		ck_assert_int_eq(key_to_blob(tc->hostkey, blob), 0);
		ck_assert_int_eq(buf_put_u8(m, with_sig), 0);
		ck_assert_int_eq(buf_put_cstring(m, "ssh-ed25519"), 0);
		ck_assert_int_eq(buf_put_stringb(m, blob), 0);
		/* The monitor checks signatures; the connection relays. */
		if (with_sig)
			ck_assert_int_eq(buf_put_cstring(m, "sig"), 0);
	}
	buf_free(blob);
	return m;
}

static void
send_free(struct tclient *tc, struct buf *m)
{
	ck_assert_int_eq(tclient_send(tc, m), 0);
	buf_free(m);
}

static void
login(struct tclient *tc)
{
	send_free(tc, userauth(tc, "publickey", 1));
	ck_assert_int_eq(next_type(tc, NULL), SSH2_MSG_USERAUTH_SUCCESS);
	ck_assert(tc->authenticated);
}

START_TEST(test_handshake_every_cipher)
{
	static const struct {
		const char *cipher, *mac;
	} algs[] = {
		{ "chacha20-poly1305@openssh.com", NULL },
		{ "aes128-gcm@openssh.com", NULL },
		{ "aes256-gcm@openssh.com", NULL },
		{ "aes128-ctr", "hmac-sha2-256-etm@openssh.com" },
		{ "aes192-ctr", "hmac-sha2-512-etm@openssh.com" },
		{ "aes256-ctr", "hmac-sha2-256" },
		{ "aes256-ctr", "hmac-sha2-512" },
	};
	struct tclient tc;
	size_t i;
	int strict;

	for (i = 0; i < sizeof(algs) / sizeof(algs[0]); i++) {
		for (strict = 0; strict <= 1; strict++) {
			connected(&tc, algs[i].cipher, algs[i].mac, strict);
			ck_assert_ptr_nonnull(conn_session_id(tc.srv));
			ck_assert_int_eq(buf_equals(conn_session_id(tc.srv),
			    tc.session_id), 0);
			ck_assert(!conn_closed(tc.srv));
			tclient_free(&tc);
		}
	}
}
END_TEST

START_TEST(test_none_lists_methods)
{
	struct tclient tc;
	struct buf *p;
	char *methods;
	int partial;

	connected(&tc, "aes128-ctr", "hmac-sha2-256", 1);
	send_free(&tc, userauth(&tc, "none", 0));
	ck_assert_int_eq(next_type(&tc, &p), SSH2_MSG_USERAUTH_FAILURE);
	ck_assert_int_eq(buf_get_cstring(p, &methods, NULL), 0);
	ck_assert_str_eq(methods, "publickey,password,keyboard-interactive");
	ck_assert_int_eq(buf_get_bool(p, &partial), 0);
	ck_assert(!partial);
	free(methods);
	tclient_free(&tc);
}
END_TEST

START_TEST(test_publickey_query_then_login)
{
	struct tclient tc;

	connected(&tc, "chacha20-poly1305@openssh.com", NULL, 1);
	send_free(&tc, userauth(&tc, "publickey", 0));
	ck_assert_int_eq(next_type(&tc, NULL), SSH2_MSG_USERAUTH_PK_OK);
	ck_assert(!tc.authenticated);
	login(&tc);
	/* Authentication requests after success are ignored. */
	send_free(&tc, userauth(&tc, "publickey", 1));
	ck_assert(!conn_closed(tc.srv));
	tclient_free(&tc);
}
END_TEST

static struct buf *
password_request(const char *pw)
{
	struct buf *m = msg_new(SSH2_MSG_USERAUTH_REQUEST);

	ck_assert_int_eq(buf_put_cstring(m, "alice"), 0);
	ck_assert_int_eq(buf_put_cstring(m, "ssh-connection"), 0);
	ck_assert_int_eq(buf_put_cstring(m, "password"), 0);
	ck_assert_int_eq(buf_put_u8(m, 0), 0);
	ck_assert_int_eq(buf_put_cstring(m, pw), 0);
	return m;
}

START_TEST(test_password)
{
	struct tclient tc;

	connected(&tc, "aes128-ctr", "hmac-sha2-256", 1);
	tc.auth_answer = CONN_AUTH_FAILURE;
	send_free(&tc, password_request("wrong"));
	ck_assert_int_eq(next_type(&tc, NULL), SSH2_MSG_USERAUTH_FAILURE);
	ck_assert_str_eq(tc.last_secret, "wrong");
	tc.auth_answer = CONN_AUTH_SUCCESS;
	send_free(&tc, password_request("s3cret"));
	ck_assert_int_eq(next_type(&tc, NULL), SSH2_MSG_USERAUTH_SUCCESS);
	ck_assert_str_eq(tc.last_secret, "s3cret");
	ck_assert(tc.authenticated);
	tclient_free(&tc);
}
END_TEST

static struct buf *
password_change_request(const char *old, const char *new)
{
	struct buf *m = msg_new(SSH2_MSG_USERAUTH_REQUEST);

	ck_assert_int_eq(buf_put_cstring(m, "alice"), 0);
	ck_assert_int_eq(buf_put_cstring(m, "ssh-connection"), 0);
	ck_assert_int_eq(buf_put_cstring(m, "password"), 0);
	ck_assert_int_eq(buf_put_u8(m, 1), 0);
	ck_assert_int_eq(buf_put_cstring(m, old), 0);
	if (new != NULL)
		ck_assert_int_eq(buf_put_cstring(m, new), 0);
	return m;
}

/* RFC 4252 8: an expired password gets PASSWD_CHANGEREQ with the prompt;
 * the change request carries both passwords to the answerer. */
START_TEST(test_password_change)
{
	struct tclient tc;
	struct buf *p;
	char *prompt;

	connected(&tc, "aes128-ctr", "hmac-sha2-256", 1);
	tc.changereq = 1;
	send_free(&tc, password_request("old"));
	ck_assert_int_eq(next_type(&tc, &p),
	    SSH2_MSG_USERAUTH_PASSWD_CHANGEREQ);
	ck_assert_int_eq(buf_get_cstring(p, &prompt, NULL), 0);
	ck_assert_str_eq(prompt, "expired");
	free(prompt);
	ck_assert_int_eq(buf_get_string_direct(p, NULL, NULL), 0);
	ck_assert_int_eq(buf_expect_end(p), 0);
	ck_assert(!tc.authenticated);
	tc.auth_answer = CONN_AUTH_SUCCESS;
	send_free(&tc, password_change_request("old", "new"));
	ck_assert_int_eq(next_type(&tc, NULL), SSH2_MSG_USERAUTH_SUCCESS);
	ck_assert_str_eq(tc.last_secret, "old>new");
	ck_assert(tc.authenticated);
	tclient_free(&tc);
}
END_TEST

/* A change request without the new password is malformed. */
START_TEST(test_password_change_malformed)
{
	struct tclient tc;
	struct buf *m = password_change_request("old", NULL);

	connected(&tc, "aes128-ctr", "hmac-sha2-256", 1);
	ck_assert_int_ne(tclient_send(&tc, m), 0);
	buf_free(m);
	ck_assert(conn_closed(tc.srv));
	ck_assert_str_eq(tc.last_secret, "");
	tclient_free(&tc);
}
END_TEST

START_TEST(test_keyboard_interactive)
{
	static const char *const answers[] = { "pw", "123456" };
	struct tclient tc;
	struct buf *m, *p;
	uint32_t n;
	char *name;

	connected(&tc, "chacha20-poly1305@openssh.com", NULL, 1);
	m = userauth(&tc, "keyboard-interactive", 0);
	ck_assert_int_eq(buf_put_cstring(m, ""), 0);
	ck_assert_int_eq(buf_put_cstring(m, ""), 0);
	send_free(&tc, m);
	ck_assert_int_eq(next_type(&tc, &p), SSH2_MSG_USERAUTH_INFO_REQUEST);
	ck_assert_int_eq(buf_get_cstring(p, &name, NULL), 0);
	free(name);
	ck_assert_int_eq(buf_get_string_direct(p, NULL, NULL), 0);
	ck_assert_int_eq(buf_get_string_direct(p, NULL, NULL), 0);
	ck_assert_int_eq(buf_get_u32(p, &n), 0);
	ck_assert_uint_eq(n, 2);
	m = msg_new(SSH2_MSG_USERAUTH_INFO_RESPONSE);
	ck_assert_int_eq(buf_put_u32(m, 2), 0);
	ck_assert_int_eq(buf_put_cstring(m, answers[0]), 0);
	ck_assert_int_eq(buf_put_cstring(m, answers[1]), 0);
	send_free(&tc, m);
	ck_assert_int_eq(next_type(&tc, NULL), SSH2_MSG_USERAUTH_SUCCESS);
	ck_assert_str_eq(tc.last_secret, "pw|123456");
	tclient_free(&tc);
}
END_TEST

START_TEST(test_kbdint_wrong_response_count)
{
	struct tclient tc;
	struct buf *m;

	connected(&tc, "aes128-ctr", "hmac-sha2-256", 1);
	m = userauth(&tc, "keyboard-interactive", 0);
	ck_assert_int_eq(buf_put_cstring(m, ""), 0);
	ck_assert_int_eq(buf_put_cstring(m, ""), 0);
	send_free(&tc, m);
	ck_assert_int_eq(next_type(&tc, NULL), SSH2_MSG_USERAUTH_INFO_REQUEST);
	m = msg_new(SSH2_MSG_USERAUTH_INFO_RESPONSE);
	ck_assert_int_eq(buf_put_u32(m, 1), 0);
	ck_assert_int_eq(buf_put_cstring(m, "only one"), 0);
	ck_assert_int_ne(tclient_send(&tc, m), 0);
	buf_free(m);
	ck_assert(conn_closed(tc.srv));
	tclient_free(&tc);
}
END_TEST

START_TEST(test_info_response_without_prompts)
{
	struct tclient tc;
	struct buf *m;

	connected(&tc, "aes128-ctr", "hmac-sha2-256", 1);
	send_free(&tc, userauth(&tc, "none", 0));
	ck_assert_int_eq(next_type(&tc, NULL), SSH2_MSG_USERAUTH_FAILURE);
	m = msg_new(SSH2_MSG_USERAUTH_INFO_RESPONSE);
	ck_assert_int_eq(buf_put_u32(m, 0), 0);
	ck_assert_int_ne(tclient_send(&tc, m), 0);
	buf_free(m);
	ck_assert(conn_closed(tc.srv));
	tclient_free(&tc);
}
END_TEST

/* After a partial success only the methods the monitor named may be
 * tried; the others fail without reaching it. */
START_TEST(test_partial_success)
{
	struct tclient tc;
	struct buf *p;
	char *methods;
	int partial;

	connected(&tc, "aes128-ctr", "hmac-sha2-256", 1);
	tc.auth_answer = CONN_AUTH_PARTIAL;
	tc.partial_methods = "password";
	send_free(&tc, userauth(&tc, "publickey", 1));
	ck_assert_int_eq(next_type(&tc, &p), SSH2_MSG_USERAUTH_FAILURE);
	ck_assert_int_eq(buf_get_cstring(p, &methods, NULL), 0);
	ck_assert_str_eq(methods, "password");
	free(methods);
	ck_assert_int_eq(buf_get_bool(p, &partial), 0);
	ck_assert(partial);
	/* publickey is no longer on offer: refused here, not relayed. */
	tc.last_secret[0] = '\0';
	send_free(&tc, userauth(&tc, "publickey", 1));
	ck_assert_int_eq(next_type(&tc, &p), SSH2_MSG_USERAUTH_FAILURE);
	ck_assert_int_eq(buf_get_cstring(p, &methods, NULL), 0);
	ck_assert_str_eq(methods, "password");
	free(methods);
	ck_assert(!tc.authenticated);
	tc.auth_answer = CONN_AUTH_SUCCESS;
	send_free(&tc, password_request("second factor"));
	ck_assert_int_eq(next_type(&tc, NULL), SSH2_MSG_USERAUTH_SUCCESS);
	ck_assert_str_eq(tc.last_secret, "second factor");
	ck_assert(tc.authenticated);
	tclient_free(&tc);
}
END_TEST

START_TEST(test_failures_end_at_max_tries)
{
	struct tclient tc;
	struct buf *m;
	unsigned int i;

	connected(&tc, "aes128-ctr", "hmac-sha2-256-etm@openssh.com", 1);
	tc.auth_answer = CONN_AUTH_FAILURE;
	for (i = 1; i < tc.set.max_auth_tries; i++) {
		send_free(&tc, userauth(&tc, "publickey", 1));
		ck_assert_int_eq(next_type(&tc, NULL),
		    SSH2_MSG_USERAUTH_FAILURE);
	}
	/* The last allowed attempt, by a method never offered, still
	 * counts; the connection ends with a reason. */
	m = userauth(&tc, "hostbased", 0);
	ck_assert_int_eq(tclient_send(&tc, m), SSH_ERR_LIMIT_EXCEEDED);
	buf_free(m);
	ck_assert_int_eq(next_type(&tc, NULL), SSH2_MSG_DISCONNECT);
	ck_assert(conn_closed(tc.srv));
	tclient_free(&tc);
}
END_TEST

static struct buf *
service_request(const char *name)
{
	struct buf *m = msg_new(SSH2_MSG_SERVICE_REQUEST);

	ck_assert_int_eq(buf_put_cstring(m, name), 0);
	return m;
}

/* paramiko asks for ssh-userauth before every attempt: answered again,
 * and the attempts still add up to max_auth_tries. */
START_TEST(test_service_request_repeated)
{
	struct tclient tc;
	struct buf *m, *p;
	char *name;
	unsigned int i;

	connected(&tc, "aes128-ctr", "hmac-sha2-256-etm@openssh.com", 1);
	tc.auth_answer = CONN_AUTH_FAILURE;
	for (i = 1; i < tc.set.max_auth_tries; i++) {
		send_free(&tc, service_request("ssh-userauth"));
		ck_assert_int_eq(next_type(&tc, &p), SSH2_MSG_SERVICE_ACCEPT);
		ck_assert_int_eq(buf_get_cstring(p, &name, NULL), 0);
		ck_assert_str_eq(name, "ssh-userauth");
		free(name);
		send_free(&tc, userauth(&tc, "publickey", 1));
		ck_assert_int_eq(next_type(&tc, NULL),
		    SSH2_MSG_USERAUTH_FAILURE);
	}
	send_free(&tc, service_request("ssh-userauth"));
	ck_assert_int_eq(next_type(&tc, NULL), SSH2_MSG_SERVICE_ACCEPT);
	m = userauth(&tc, "hostbased", 0);
	ck_assert_int_eq(tclient_send(&tc, m), SSH_ERR_LIMIT_EXCEEDED);
	buf_free(m);
	ck_assert_int_eq(next_type(&tc, NULL), SSH2_MSG_DISCONNECT);
	ck_assert(conn_closed(tc.srv));
	tclient_free(&tc);
}
END_TEST

/* Asking again keeps a partial success: only the named methods remain. */
START_TEST(test_service_request_keeps_partial)
{
	struct tclient tc;
	struct buf *p;
	char *methods;

	connected(&tc, "aes128-ctr", "hmac-sha2-256", 1);
	tc.auth_answer = CONN_AUTH_PARTIAL;
	tc.partial_methods = "password";
	send_free(&tc, userauth(&tc, "publickey", 1));
	ck_assert_int_eq(next_type(&tc, NULL), SSH2_MSG_USERAUTH_FAILURE);
	send_free(&tc, service_request("ssh-userauth"));
	ck_assert_int_eq(next_type(&tc, NULL), SSH2_MSG_SERVICE_ACCEPT);
	tc.last_secret[0] = '\0';
	send_free(&tc, userauth(&tc, "publickey", 1));
	ck_assert_int_eq(next_type(&tc, &p), SSH2_MSG_USERAUTH_FAILURE);
	ck_assert_int_eq(buf_get_cstring(p, &methods, NULL), 0);
	ck_assert_str_eq(methods, "password");
	free(methods);
	ck_assert(!tc.authenticated);
	tclient_free(&tc);
}
END_TEST

START_TEST(test_service_request_other_name_refused)
{
	struct tclient tc;
	struct buf *m;

	connected(&tc, "aes128-ctr", "hmac-sha2-256", 1);
	send_free(&tc, userauth(&tc, "none", 0));
	ck_assert_int_eq(next_type(&tc, NULL), SSH2_MSG_USERAUTH_FAILURE);
	m = service_request("ssh-connection");
	ck_assert_int_ne(tclient_send(&tc, m), 0);
	buf_free(m);
	ck_assert(conn_closed(tc.srv));
	ck_assert_int_eq(next_type(&tc, NULL), SSH2_MSG_DISCONNECT);
	tclient_free(&tc);
}
END_TEST

START_TEST(test_service_request_after_auth_refused)
{
	struct tclient tc;
	struct buf *m;
	uint8_t t;

	connected(&tc, "aes128-ctr", "hmac-sha2-256", 1);
	login(&tc);
	m = service_request("ssh-userauth");
	ck_assert_int_ne(tclient_send(&tc, m), 0);
	buf_free(m);
	ck_assert(conn_closed(tc.srv));
	/* After the host keys announcement (a global request). */
	while ((t = next_type(&tc, NULL)) == SSH2_MSG_GLOBAL_REQUEST)
		;
	ck_assert_int_eq(t, SSH2_MSG_DISCONNECT);
	tclient_free(&tc);
}
END_TEST

START_TEST(test_user_change_refused)
{
	struct tclient tc;
	struct buf *m;

	connected(&tc, "aes128-ctr", "hmac-sha2-256", 0);
	send_free(&tc, userauth(&tc, "none", 0));
	ck_assert_int_eq(next_type(&tc, NULL), SSH2_MSG_USERAUTH_FAILURE);
	m = msg_new(SSH2_MSG_USERAUTH_REQUEST);
	ck_assert_int_eq(buf_put_cstring(m, "mallory"), 0);
	ck_assert_int_eq(buf_put_cstring(m, "ssh-connection"), 0);
	ck_assert_int_eq(buf_put_cstring(m, "none"), 0);
	ck_assert_int_ne(tclient_send(&tc, m), 0);
	buf_free(m);
	ck_assert(conn_closed(tc.srv));
	tclient_free(&tc);
}
END_TEST

START_TEST(test_channel_before_auth_disconnects)
{
	struct tclient tc;
	struct buf *m = msg_new(SSH2_MSG_CHANNEL_OPEN);

	connected(&tc, "aes256-gcm@openssh.com", NULL, 1);
	ck_assert_int_eq(buf_put_cstring(m, "session"), 0);
	ck_assert_int_eq(buf_put_u32(m, 0), 0);
	ck_assert_int_eq(buf_put_u32(m, 65536), 0);
	ck_assert_int_eq(buf_put_u32(m, 32768), 0);
	ck_assert_int_ne(tclient_send(&tc, m), 0);
	buf_free(m);
	ck_assert(conn_closed(tc.srv));
	ck_assert_int_eq(next_type(&tc, NULL), SSH2_MSG_DISCONNECT);
	tclient_free(&tc);
}
END_TEST

START_TEST(test_session_channel_after_auth)
{
	struct tclient tc;
	struct chan_event ev;
	struct buf *m = msg_new(SSH2_MSG_CHANNEL_OPEN);

	connected(&tc, "aes128-gcm@openssh.com", NULL, 1);
	login(&tc);
	ck_assert_ptr_nonnull(conn_channels(tc.srv));
	ck_assert_int_eq(buf_put_cstring(m, "session"), 0);
	ck_assert_int_eq(buf_put_u32(m, 7), 0);
	ck_assert_int_eq(buf_put_u32(m, 65536), 0);
	ck_assert_int_eq(buf_put_u32(m, 32768), 0);
	send_free(&tc, m);
	ck_assert_int_eq(chan_next_event(conn_channels(tc.srv), &ev), 0);
	ck_assert_int_eq(ev.type, CHAN_EV_OPEN);
	ck_assert_int_eq(chan_open_confirm(conn_channels(tc.srv), ev.id), 0);
	/* hostkeys-00 was announced first, then the confirmation. */
	ck_assert_int_eq(next_type(&tc, NULL), SSH2_MSG_GLOBAL_REQUEST);
	ck_assert_int_eq(next_type(&tc, NULL),
	    SSH2_MSG_CHANNEL_OPEN_CONFIRMATION);
	tclient_free(&tc);
}
END_TEST

START_TEST(test_ping_pong)
{
	struct tclient tc;
	struct buf *m = msg_new(SSH2_MSG_PING), *p;
	const uint8_t *d;
	size_t len;

	connected(&tc, "aes128-ctr", "hmac-sha2-256", 1);
	ck_assert_int_eq(buf_put_cstring(m, "hello"), 0);
	send_free(&tc, m);
	ck_assert_int_eq(next_type(&tc, &p), SSH2_MSG_PONG);
	ck_assert_int_eq(buf_get_string_direct(p, &d, &len), 0);
	ck_assert_uint_eq(len, 5);
	ck_assert_int_eq(memcmp(d, "hello", 5), 0);
	tclient_free(&tc);
}
END_TEST

/* The host key list of a KEXINIT payload (from its message number). */
static char *
kexinit_hostkeys(const struct buf *payload)
{
	struct buf *b = buf_from(buf_ptr(payload), buf_len(payload));
	struct kexinit *ki = NULL;
	char *s;

	ck_assert_ptr_nonnull(b);
	ck_assert_int_eq(buf_consume(b, 1), 0);
	ck_assert_int_eq(kexinit_parse(b, &ki), 0);
	ck_assert_ptr_nonnull(s = strdup(ki->lists[KEXI_HOSTKEY]));
	kexinit_free(ki);
	buf_free(b);
	return s;
}

/* A rekey offers only the first exchange's host key algorithm: the
 * monitor signs rekeys with that key and algorithm and nothing else. */
START_TEST(test_rekey_offers_first_hostkey_alg)
{
	struct tclient tc;
	struct sshkey *ecdsa;
	const struct sshkey *keys[2];
	struct kexinit ki;
	struct buf *m, *p = NULL;
	char *list;

	ck_assert_int_eq(tclient_new(&tc, "aes128-ctr", "hmac-sha2-256", 1),
	    0);
	ck_assert_int_eq(key_generate(KEY_ECDSA_P256, 0, &ecdsa), 0);
	keys[0] = tc.hostkey;
	keys[1] = ecdsa;
	conn_free(tc.srv);
	tc.set.hostkeys = keys;
	tc.set.nhostkeys = 2;
	tc.set.hostkey_algs = "ecdsa-sha2-nistp256,ssh-ed25519";
	ck_assert_ptr_nonnull(tc.srv = conn_new(&tc.set, 0));
	ck_assert_int_eq(tclient_handshake(&tc), 0);
	list = kexinit_hostkeys(tc.kexinit_peer);
	ck_assert_str_eq(list, "ecdsa-sha2-nistp256,ssh-ed25519");
	free(list);
	/* The client's rekey would take either; the server offers one. */
	memset(&ki, 0, sizeof(ki));
	ki.lists[KEXI_KEX] = "curve25519-sha256";
	ki.lists[KEXI_HOSTKEY] = "ecdsa-sha2-nistp256,ssh-ed25519";
	ki.lists[KEXI_ENC_CS] = ki.lists[KEXI_ENC_SC] = "aes128-ctr";
	ki.lists[KEXI_MAC_CS] = ki.lists[KEXI_MAC_SC] = "hmac-sha2-256";
	ki.lists[KEXI_COMP_CS] = ki.lists[KEXI_COMP_SC] = "none";
	ki.lists[KEXI_LANG_CS] = ki.lists[KEXI_LANG_SC] = "";
	ck_assert_ptr_nonnull(m = buf_new());
	ck_assert_int_eq(kexinit_build(&ki, m), 0);
	send_free(&tc, m);
	/* (Payloads stay the client's: not freed here.) */
	while (next_type(&tc, &p) != SSH2_MSG_KEXINIT)
		;
	{
		/* next_type consumed the message number: put it back. */
		struct buf *whole = msg_new(SSH2_MSG_KEXINIT);

		ck_assert_int_eq(buf_putb(whole, p), 0);
		list = kexinit_hostkeys(whole);
		buf_free(whole);
	}
	ck_assert_str_eq(list, "ssh-ed25519");
	free(list);
	key_free(ecdsa);
	tclient_free(&tc);
}
END_TEST

START_TEST(test_unknown_message_unimplemented)
{
	struct tclient tc;
	struct buf *m = msg_new(200), *p;
	uint32_t seq;

	connected(&tc, "aes128-ctr", "hmac-sha2-256", 1);
	send_free(&tc, m);
	ck_assert_int_eq(next_type(&tc, &p), SSH2_MSG_UNIMPLEMENTED);
	ck_assert_int_eq(buf_get_u32(p, &seq), 0);
	/* strict KEX restarted the numbers: NEWKEYS was 0, SERVICE_REQUEST
	 * 0 after it, then this one. */
	ck_assert_uint_eq(seq, 1);
	ck_assert(!conn_closed(tc.srv));
	tclient_free(&tc);
}
END_TEST

START_TEST(test_answer_without_event_refused)
{
	struct tclient tc;

	connected(&tc, "aes128-ctr", "hmac-sha2-256", 1);
	ck_assert_int_eq(conn_sign_done(tc.srv, (const uint8_t *)"x", 1),
	    SSH_ERR_STATE_VIOLATION);
	ck_assert_int_eq(conn_auth_done(tc.srv, CONN_AUTH_SUCCESS, NULL),
	    SSH_ERR_STATE_VIOLATION);
	ck_assert_ptr_null(conn_channels(tc.srv));
	tclient_free(&tc);
}
END_TEST

START_TEST(test_fuzz_corpus_replay)
{
	ck_assert_uint_gt(tu_replay_corpus("conn", LLVMFuzzerTestOneInput), 0);
}
END_TEST

static Suite *
conn_suite(void)
{
	Suite *s = suite_create("conn");
	TCase *tc = tcase_create("core");

	tcase_set_timeout(tc, 120);
	tcase_add_test(tc, test_handshake_every_cipher);
	tcase_add_test(tc, test_none_lists_methods);
	tcase_add_test(tc, test_publickey_query_then_login);
	tcase_add_test(tc, test_password);
	tcase_add_test(tc, test_password_change);
	tcase_add_test(tc, test_password_change_malformed);
	tcase_add_test(tc, test_keyboard_interactive);
	tcase_add_test(tc, test_kbdint_wrong_response_count);
	tcase_add_test(tc, test_info_response_without_prompts);
	tcase_add_test(tc, test_partial_success);
	tcase_add_test(tc, test_failures_end_at_max_tries);
	tcase_add_test(tc, test_service_request_repeated);
	tcase_add_test(tc, test_service_request_keeps_partial);
	tcase_add_test(tc, test_service_request_other_name_refused);
	tcase_add_test(tc, test_service_request_after_auth_refused);
	tcase_add_test(tc, test_user_change_refused);
	tcase_add_test(tc, test_channel_before_auth_disconnects);
	tcase_add_test(tc, test_session_channel_after_auth);
	tcase_add_test(tc, test_ping_pong);
	tcase_add_test(tc, test_rekey_offers_first_hostkey_alg);
	tcase_add_test(tc, test_unknown_message_unimplemented);
	tcase_add_test(tc, test_answer_without_event_refused);
	tcase_add_test(tc, test_fuzz_corpus_replay);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	SRunner *sr = srunner_create(conn_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? 0 : 1;
}
