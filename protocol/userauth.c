/*
 * userauth.c: the server side of the authentication protocol (RFC 4252)
 * as far as the protocol child goes: it parses and relays requests; the
 * monitor decides.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <bsd/string.h>

#include "protocol/buf.h"
#include "protocol/cert.h"
#include "protocol/conn_local.h"
#include "protocol/key.h"
#include "protocol/namelist.h"
#include "protocol/sig.h"
#include "protocol/ssh2.h"
#include "protocol/ssherr.h"
#include "protocol/userauth.h"

#define HOSTBOUND_METHOD	"publickey-hostbound-v00@openssh.com"

void
auth_clear(struct ssh_conn *c)
{
	free(c->auth_user);
	free(c->auth_service);
	free(c->auth_alg);
	buf_free(c->auth_key);
	free(c->methods_left);
	c->auth_user = c->auth_service = c->auth_alg = NULL;
	c->auth_key = NULL;
	c->methods_left = NULL;
}

int
auth_recv_service_request(struct ssh_conn *c, uint8_t type, struct buf *msg)
{
	char *name = NULL;
	struct buf *out;
	int r;

	if ((r = buf_get_cstring(msg, &name, NULL)) != 0 ||
	    (r = buf_expect_end(msg)) != 0) {
		free(name);
		return conn_fail(c, r, SSH2_DISCONNECT_PROTOCOL_ERROR,
		    "malformed service request");
	}
	if (strcmp(name, "ssh-userauth") != 0) {
		r = conn_fail(c, SSH_ERR_FEATURE_UNSUPPORTED,
		    SSH2_DISCONNECT_SERVICE_NOT_AVAILABLE,
		    "service not available");
		free(name);
		return r;
	}
	/* A repeated request (PH_USERAUTH already) is only answered: the
	 * user, the attempt counts and any partial success stay, so asking
	 * again cannot buy more tries. */
	out = conn_msg(c, SSH2_MSG_SERVICE_ACCEPT);
	if ((r = buf_put_cstring(out, name)) == 0)
		r = conn_send(c, out);
	free(name);
	if (r == 0)
		c->phase = PH_USERAUTH;
	return r;
}

static int
send_failure(struct ssh_conn *c, const char *methods, int partial)
{
	struct buf *out = conn_msg(c, SSH2_MSG_USERAUTH_FAILURE);
	int r;

	if ((r = buf_put_cstring(out, methods)) != 0 ||
	    (r = buf_put_u8(out, partial != 0)) != 0)
		return r;
	return conn_send(c, out);
}

/* The methods that can continue: after a partial success, the ones the
 * monitor named; before, those the connection was configured with. */
static const char *
methods_now(const struct ssh_conn *c)
{
	return c->methods_left != NULL ? c->methods_left : c->set.auth_methods;
}

/* A failed attempt: counted here as well as by the monitor, so that even
 * attempts the monitor never sees (unsupported methods) are bounded. */
static int
fail_attempt(struct ssh_conn *c)
{
	int r;

	if (++c->auth_failures >= c->set.max_auth_tries)
		return conn_fail(c, SSH_ERR_LIMIT_EXCEEDED,
		    SSH2_DISCONNECT_NO_MORE_AUTH_METHODS_AVAILABLE,
		    "Too many authentication failures");
	if ((r = send_failure(c, methods_now(c), 0)) != 0)
		return r;
	return 0;
}

static int
send_banner(struct ssh_conn *c)
{
	struct buf *out;
	int r;

	c->banner_sent = 1;
	if (c->set.banner == NULL || *c->set.banner == '\0')
		return 0;
	out = conn_msg(c, SSH2_MSG_USERAUTH_BANNER);
	if ((r = buf_put_cstring(out, c->set.banner)) != 0 ||
	    (r = buf_put_cstring(out, "")) != 0)
		return r;
	return conn_send(c, out);
}

/* publickey and publickey-hostbound-v00 (RFC 4252 7, OpenSSH PROTOCOL
 * 2.7): parse, sanity-check, and hand to the monitor as an event. */
static int
recv_publickey(struct ssh_conn *c, struct buf *msg, int hostbound)
{
	const uint8_t *blob, *hkblob = NULL, *sig = NULL;
	size_t bloblen, hklen = 0, siglen = 0, hkidx = 0;
	int hkcert = 0;
	struct sshkey *key = NULL;
	struct sshcert *cert = NULL;
	struct buf *kb;
	char *alg = NULL;
	int has_sig, r;

	if ((r = buf_get_bool(msg, &has_sig)) != 0 ||
	    (r = buf_get_cstring(msg, &alg, NULL)) != 0 ||
	    (r = buf_get_string_direct(msg, &blob, &bloblen)) != 0 ||
	    (hostbound &&
	    (r = buf_get_string_direct(msg, &hkblob, &hklen)) != 0) ||
	    (has_sig && (r = buf_get_string_direct(msg, &sig, &siglen)) != 0) ||
	    (r = buf_expect_end(msg)) != 0) {
		free(alg);
		return conn_fail(c, r, SSH2_DISCONNECT_PROTOCOL_ERROR,
		    "malformed publickey request");
	}
	/* Refuse here what can never succeed, so the monitor only sees
	 * well-formed keys (or certificates) of an allowed algorithm. */
	if ((kb = buf_from(blob, bloblen)) == NULL) {
		free(alg);
		return SSH_ERR_ALLOC_FAIL;
	}
	if (cert_alg_to_sig_alg(alg) != NULL) {
		r = cert_parse(kb, &cert);
		if (r == 0)
			r = cert_check_alg(cert, alg, 0);
		cert_free(cert);
	} else if (sig_alg_key_type(alg) == KEY_UNSPEC)
		r = SSH_ERR_SIGN_ALG_UNSUPPORTED;
	else if ((r = key_from_blob(kb, &key)) == 0)
		r = sig_check_alg(key, alg, 0);
	buf_free(kb);
	if (r != 0)
		goto refuse;
	if (hostbound) {
		int idx = conn_hostkey_index_cert(c, hkblob, hklen, &hkcert);

		if (idx < 0)
			goto refuse;
		hkidx = (size_t)idx;
	}
	key_free(key);
	free(c->auth_alg);
	c->auth_alg = alg;
	buf_free(c->auth_key);
	if ((c->auth_key = buf_new()) == NULL)
		return SSH_ERR_ALLOC_FAIL;
	if ((r = buf_put(c->auth_key, blob, bloblen)) != 0)
		return r;
	memset(&c->ev, 0, sizeof(c->ev));
	c->ev.u.auth_pubkey.user = c->auth_user;
	c->ev.u.auth_pubkey.service = c->auth_service;
	c->ev.u.auth_pubkey.alg = c->auth_alg;
	c->ev.u.auth_pubkey.key = blob;
	c->ev.u.auth_pubkey.keylen = bloblen;
	c->ev.u.auth_pubkey.sig = sig;
	c->ev.u.auth_pubkey.siglen = siglen;
	c->ev.u.auth_pubkey.hostbound = hostbound;
	c->ev.u.auth_pubkey.hostkey = hkidx;
	c->ev.u.auth_pubkey.hostkey_cert = hkcert;
	conn_set_event(c, CONN_EV_AUTH_PUBKEY);
	return 0;
 refuse:
	key_free(key);
	free(alg);
	return fail_attempt(c);
}

/* The password still sits in the packet payload until answered; the
 * payload buffer is ours, so it is wiped there (not a copy). */
static void
keep_secret(struct ssh_conn *c, const uint8_t *p, size_t len)
{
	c->secret = (uint8_t *)(uintptr_t)p;
	c->secret_len = len;
}

static void
wipe_secret(struct ssh_conn *c)
{
	size_t i;

	if (c->secret != NULL)
		explicit_bzero(c->secret, c->secret_len);
	for (i = 0; i < c->kbdint_prompts; i++) {
		if (c->kbdint_resp[i] != NULL)
			explicit_bzero((uint8_t *)(uintptr_t)c->kbdint_resp[i],
			    c->kbdint_lens[i]);
		c->kbdint_resp[i] = NULL;
	}
	c->secret = NULL;
	c->secret_len = 0;
}

/* password (RFC 4252 8).  A change request (TRUE) carries the current
 * password and the new one, both in the payload and wiped together. */
static int
recv_password(struct ssh_conn *c, struct buf *msg)
{
	const uint8_t *pw, *newpw = NULL;
	size_t len, newlen = 0;
	int change, r;

	if ((r = buf_get_bool(msg, &change)) != 0 ||
	    (r = buf_get_string_direct(msg, &pw, &len)) != 0 ||
	    (change && (r = buf_get_string_direct(msg, &newpw,
	    &newlen)) != 0) ||
	    (r = buf_expect_end(msg)) != 0)
		return conn_fail(c, r, SSH2_DISCONNECT_PROTOCOL_ERROR,
		    "malformed password request");
	keep_secret(c, pw, change ? (size_t)(newpw + newlen - pw) : len);
	memset(&c->ev, 0, sizeof(c->ev));
	c->ev.u.auth_password.user = c->auth_user;
	c->ev.u.auth_password.service = c->auth_service;
	c->ev.u.auth_password.password = pw;
	c->ev.u.auth_password.len = len;
	c->ev.u.auth_password.newpassword = newpw;
	c->ev.u.auth_password.newlen = newlen;
	conn_set_event(c, CONN_EV_AUTH_PASSWORD);
	return 0;
}

/* RFC 4252 8: the password was right but has expired; the client asks
 * for a new one and sends a change request. */
int
auth_send_changereq(struct ssh_conn *c, const char *prompt)
{
	struct buf *out;
	int r;

	wipe_secret(c);
	out = conn_msg(c, SSH2_MSG_USERAUTH_PASSWD_CHANGEREQ);
	if ((r = buf_put_cstring(out, prompt)) != 0 ||
	    (r = buf_put_cstring(out, "")) != 0)
		return r;
	return conn_send(c, out);
}

/* keyboard-interactive (RFC 4256 3.1): language and submethods are
 * hints the server may ignore. */
static int
recv_kbdint(struct ssh_conn *c, struct buf *msg)
{
	int r;

	if ((r = buf_get_string_direct(msg, NULL, NULL)) != 0 ||
	    (r = buf_get_string_direct(msg, NULL, NULL)) != 0 ||
	    (r = buf_expect_end(msg)) != 0)
		return conn_fail(c, r, SSH2_DISCONNECT_PROTOCOL_ERROR,
		    "malformed keyboard-interactive request");
	memset(&c->ev, 0, sizeof(c->ev));
	c->ev.u.auth_kbdint.user = c->auth_user;
	c->ev.u.auth_kbdint.service = c->auth_service;
	conn_set_event(c, CONN_EV_AUTH_KBDINT);
	return 0;
}

int
auth_send_prompts(struct ssh_conn *c, const char *name,
    const char *instruction, size_t n, const char *const *prompts,
    const int *echo)
{
	struct buf *out;
	size_t i;
	int r;

	if (n == 0 || n > CONN_KBDINT_MAX_PROMPTS)
		return SSH_ERR_INVALID_ARGUMENT;
	wipe_secret(c);
	out = conn_msg(c, SSH2_MSG_USERAUTH_INFO_REQUEST);
	if ((r = buf_put_cstring(out, name)) != 0 ||
	    (r = buf_put_cstring(out, instruction)) != 0 ||
	    (r = buf_put_cstring(out, "")) != 0 ||
	    (r = buf_put_u32(out, (uint32_t)n)) != 0)
		return r;
	for (i = 0; i < n; i++) {
		if ((r = buf_put_cstring(out, prompts[i])) != 0 ||
		    (r = buf_put_u8(out, echo[i] != 0)) != 0)
			return r;
	}
	if ((r = conn_send(c, out)) != 0)
		return r;
	c->kbdint_prompts = n;
	return 0;
}

/* SSH_MSG_USERAUTH_INFO_RESPONSE: exactly one answer per prompt sent. */
int
auth_recv_info_response(struct ssh_conn *c, uint8_t type, struct buf *msg)
{
	uint32_t n, i;
	int r;

	if (c->kbdint_prompts == 0)
		return conn_fail(c, SSH_ERR_STATE_VIOLATION,
		    SSH2_DISCONNECT_PROTOCOL_ERROR,
		    "unexpected keyboard-interactive response");
	if ((r = buf_get_u32(msg, &n)) != 0 || n != c->kbdint_prompts)
		return conn_fail(c, r != 0 ? r : SSH_ERR_INVALID_FORMAT,
		    SSH2_DISCONNECT_PROTOCOL_ERROR,
		    "wrong number of keyboard-interactive responses");
	for (i = 0; i < n; i++) {
		if ((r = buf_get_string_direct(msg, &c->kbdint_resp[i],
		    &c->kbdint_lens[i])) != 0)
			return conn_fail(c, r, SSH2_DISCONNECT_PROTOCOL_ERROR,
			    "malformed keyboard-interactive response");
	}
	if ((r = buf_expect_end(msg)) != 0)
		return conn_fail(c, r, SSH2_DISCONNECT_PROTOCOL_ERROR,
		    "malformed keyboard-interactive response");
	memset(&c->ev, 0, sizeof(c->ev));
	c->ev.u.auth_kbdint.user = c->auth_user;
	c->ev.u.auth_kbdint.service = c->auth_service;
	c->ev.u.auth_kbdint.n = n;
	c->ev.u.auth_kbdint.responses = c->kbdint_resp;
	c->ev.u.auth_kbdint.lens = c->kbdint_lens;
	conn_set_event(c, CONN_EV_AUTH_KBDINT);
	return 0;
}

int
auth_recv_request(struct ssh_conn *c, uint8_t type, struct buf *msg)
{
	char *user = NULL, *service = NULL, *method = NULL;
	size_t ulen;
	int r;

	if ((r = buf_get_cstring(msg, &user, &ulen)) != 0 ||
	    (r = buf_get_cstring(msg, &service, NULL)) != 0 ||
	    (r = buf_get_cstring(msg, &method, NULL)) != 0) {
		r = conn_fail(c, r, SSH2_DISCONNECT_PROTOCOL_ERROR,
		    "malformed userauth request");
		goto out;
	}
	if (ulen > CONN_USER_MAX) {
		r = conn_fail(c, SSH_ERR_STRING_TOO_LARGE,
		    SSH2_DISCONNECT_ILLEGAL_USER_NAME, "user name too long");
		goto out;
	}
	if (strcmp(service, "ssh-connection") != 0) {
		r = conn_fail(c, SSH_ERR_FEATURE_UNSUPPORTED,
		    SSH2_DISCONNECT_SERVICE_NOT_AVAILABLE,
		    "service not available");
		goto out;
	}
	/* As OpenSSH: one user per connection, so that per-user limits and
	 * the monitor's attempt count cannot be split across names. */
	if (c->auth_user == NULL) {
		c->auth_user = user;
		c->auth_service = service;
		user = service = NULL;
	} else if (strcmp(c->auth_user, user) != 0 ||
	    strcmp(c->auth_service, service) != 0) {
		r = conn_fail(c, SSH_ERR_STATE_VIOLATION,
		    SSH2_DISCONNECT_PROTOCOL_ERROR,
		    "change of username or service not allowed");
		goto out;
	}
	if (!c->banner_sent && (r = send_banner(c)) != 0)
		goto out;
	/* A new request abandons a keyboard-interactive exchange. */
	wipe_secret(c);
	c->kbdint_prompts = 0;
	if (strcmp(method, "none") == 0)
		r = send_failure(c, methods_now(c), 0);
	else if (strcmp(method, "publickey") == 0 &&
	    namelist_contains(methods_now(c), "publickey"))
		r = recv_publickey(c, msg, 0);
	else if (strcmp(method, HOSTBOUND_METHOD) == 0 &&
	    namelist_contains(methods_now(c), "publickey"))
		r = recv_publickey(c, msg, 1);
	else if (strcmp(method, "password") == 0 &&
	    namelist_contains(methods_now(c), "password"))
		r = recv_password(c, msg);
	else if (strcmp(method, "keyboard-interactive") == 0 &&
	    namelist_contains(methods_now(c), "keyboard-interactive"))
		r = recv_kbdint(c, msg);
	else
		r = fail_attempt(c);
 out:
	free(user);
	free(service);
	free(method);
	return r;
}

int
auth_answer(struct ssh_conn *c, enum conn_event_type ev,
    enum conn_auth_result res, const char *methods_left)
{
	int pubkey_query = ev == CONN_EV_AUTH_PUBKEY &&
	    c->ev.u.auth_pubkey.sig == NULL;
	struct buf *out;
	int r;

	wipe_secret(c);
	c->kbdint_prompts = 0;
	switch (res) {
	case CONN_AUTH_PK_OK:
		if (!pubkey_query)
			return SSH_ERR_INVALID_ARGUMENT;
		out = conn_msg(c, SSH2_MSG_USERAUTH_PK_OK);
		if ((r = buf_put_cstring(out, c->auth_alg)) != 0 ||
		    (r = buf_put_stringb(out, c->auth_key)) != 0)
			return r;
		return conn_send(c, out);
	case CONN_AUTH_SUCCESS:
		if (pubkey_query)
			return SSH_ERR_INVALID_ARGUMENT;
		out = conn_msg(c, SSH2_MSG_USERAUTH_SUCCESS);
		if ((r = conn_send(c, out)) != 0)
			return r;
		return conn_authenticated(c);
	case CONN_AUTH_PARTIAL:
		/* RFC 4252 5.1: this method succeeded, more are needed;
		 * from now on only the ones named may be tried. */
		if (pubkey_query || methods_left == NULL)
			return SSH_ERR_INVALID_ARGUMENT;
		free(c->methods_left);
		if ((c->methods_left = strdup(methods_left)) == NULL)
			return SSH_ERR_ALLOC_FAIL;
		return send_failure(c, c->methods_left, 1);
	case CONN_AUTH_FAILURE:
	default:
		return fail_attempt(c);
	}
}
