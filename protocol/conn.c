/* conn.c: the server connection object: input loop, output, events. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <bsd/stdlib.h>

#include "protocol/buf.h"
#include "protocol/cert.h"
#include "protocol/channel.h"
#include "protocol/conn_local.h"
#include "protocol/kex.h"
#include "protocol/key.h"
#include "protocol/namelist.h"
#include "protocol/packet.h"
#include "protocol/sig.h"
#include "protocol/ssh2.h"
#include "protocol/ssherr.h"
#include "protocol/userauth.h"

/* Answered by the protocol child with the monitor's signatures
 * (OpenSSH PROTOCOL 2.5). */
#define HOSTKEYS_PROVE	"hostkeys-prove-00@openssh.com"

static int conn_process(struct ssh_conn *c);

struct buf *
conn_msg(struct ssh_conn *c, uint8_t type)
{
	buf_reset(c->out);
	/* Cannot fail on an empty buffer of the default maximum size. */
	(void)buf_put_u8(c->out, type);
	return c->out;
}

/* Messages a party may send while its own key exchange runs (RFC 4253
 * 7.1); everything else waits for our NEWKEYS. */
static int
allowed_during_kex(uint8_t type)
{
	return (type >= SSH2_MSG_DISCONNECT && type <= SSH2_MSG_DEBUG) ||
	    (type >= SSH2_MSG_KEXINIT && type <= 49);
}

int
conn_send(struct ssh_conn *c, struct buf *payload)
{
	const uint8_t *p = buf_ptr(payload);
	int r;

	if (c->closed && p[0] != SSH2_MSG_DISCONNECT)
		return SSH_ERR_CONN_CLOSED;
	if (c->kex_ours_open && !allowed_during_kex(p[0])) {
		if (buf_len(c->deferred) + 4 + buf_len(payload) >
		    CONN_DEFER_MAX)
			return SSH_ERR_NO_BUFFER_SPACE;
		if ((r = buf_put_stringb(c->deferred, payload)) != 0)
			return r;
		return 0;
	}
	return pkt_send(c->pkt, payload);
}

int
conn_flush_deferred(struct ssh_conn *c)
{
	struct buf *msg;
	int r;

	while (buf_len(c->deferred) > 0) {
		if ((r = buf_froms(c->deferred, &msg)) != 0)
			return r;
		r = pkt_send(c->pkt, msg);
		buf_free(msg);
		if (r != 0)
			return r;
	}
	buf_reset(c->deferred);
	return 0;
}

int
conn_fail(struct ssh_conn *c, int err, int reason, const char *fmt, ...)
{
	va_list ap;
	struct buf *out;

	if (c->closed)
		return err;
	va_start(ap, fmt);
	vsnprintf(c->err, sizeof(c->err), fmt, ap);
	va_end(ap);
	c->closed = 1;
	c->closed_reason = reason;
	c->notify_closed = 1;
	/* Before the version exchange is over there is no packet layer to
	 * speak through. */
	if (c->phase == PH_VERSION)
		return err;
	out = conn_msg(c, SSH2_MSG_DISCONNECT);
	if (buf_put_u32(out, (uint32_t)reason) == 0 &&
	    buf_put_cstring(out, c->err) == 0 && buf_put_cstring(out, "") == 0)
		(void)pkt_send(c->pkt, out);
	return err;
}

void
conn_set_event(struct ssh_conn *c, enum conn_event_type type)
{
	c->ev.type = type;
	c->ev_ready = 1;
	c->ev_waiting = 1;
}

static int
chan_send_cb(void *ctx, struct buf *payload)
{
	return conn_send(ctx, payload);
}

/* 0 if host key i can serve host key algorithm name: plainly, or through
 * its certificate for a "*-cert-v01@openssh.com" name. */
int
conn_hostkey_usable(const struct ssh_conn *c, size_t i, const char *name)
{
	if (cert_alg_to_sig_alg(name) != NULL) {
		if (c->set.hostcerts == NULL || c->set.hostcerts[i] == NULL)
			return SSH_ERR_KEY_NOT_FOUND;
		return cert_check_alg(c->set.hostcerts[i], name, 1);
	}
	return sig_check_alg(c->set.hostkeys[i], name, 1);
}

static int
offered_hostkey_algs(struct ssh_conn *c)
{
	struct buf *b;
	char *list, *name, *save = NULL;
	size_t i;
	int r = SSH_ERR_INTERNAL_ERROR;

	if ((list = strdup(c->set.hostkey_algs)) == NULL ||
	    (b = buf_new()) == NULL) {
		free(list);
		return SSH_ERR_ALLOC_FAIL;
	}
	for (name = strtok_r(list, ",", &save); name != NULL;
	    name = strtok_r(NULL, ",", &save)) {
		for (i = 0; i < c->set.nhostkeys; i++) {
			if (conn_hostkey_usable(c, i, name) == 0)
				break;
		}
		if (i == c->set.nhostkeys)
			continue;
		if ((r = buf_putf(b, "%s%s", buf_len(b) ? "," : "", name)) != 0)
			goto out;
	}
	if (buf_len(b) == 0) {
		r = SSH_ERR_NO_HOSTKEY_LOADED;
		goto out;
	}
	r = (c->hostkey_algs = buf_dup_string(b)) == NULL ?
	    SSH_ERR_ALLOC_FAIL : 0;
 out:
	free(list);
	buf_free(b);
	return r;
}

struct ssh_conn *
conn_new(const struct conn_settings *s, uint64_t now_ms)
{
	struct ssh_conn *c;
	struct buf *b;
	size_t i;

	if ((c = calloc(1, sizeof(*c))) == NULL)
		return NULL;
	c->set = *s;
	c->now = now_ms;
	c->phase = PH_VERSION;
	if ((c->pkt = pkt_new()) == NULL || (c->out = buf_new()) == NULL ||
	    (c->deferred = buf_new()) == NULL ||
	    (c->hostkey_blobs = calloc(s->nhostkeys,
	    sizeof(*c->hostkey_blobs))) == NULL)
		goto fail;
	for (i = 0; i < s->nhostkeys; i++) {
		if ((c->hostkey_blobs[i] = buf_new()) == NULL ||
		    key_to_blob(s->hostkeys[i], c->hostkey_blobs[i]) != 0)
			goto fail;
	}
	if (offered_hostkey_algs(c) != 0)
		goto fail;
	/* Our identification, then our KEXINIT right away (RFC 4253 4.2, 7). */
	b = pkt_output_raw(c->pkt);
	if (buf_putf(b, "%s\r\n", s->version) != 0 || kex_start(c) != 0)
		goto fail;
	return c;
 fail:
	conn_free(c);
	return NULL;
}

void
conn_free(struct ssh_conn *c)
{
	size_t i;

	if (c == NULL)
		return;
	kex_clear(c);
	auth_clear(c);
	chan_table_free(c->chans);
	pkt_free(c->pkt);
	buf_free(c->out);
	buf_free(c->deferred);
	buf_free(c->session_id);
	buf_free(c->kexinit_ours);
	buf_free(c->kexinit_peer);
	kex_negotiated_clear(&c->neg);
	if (c->hostkey_blobs != NULL) {
		for (i = 0; i < c->set.nhostkeys; i++)
			buf_free(c->hostkey_blobs[i]);
	}
	free(c->hostkey_blobs);
	free(c->hostkey_algs);
	free(c->hostkey_alg_first);
	free(c->peer_version);
	free(c->algs);
	freezero(c, sizeof(*c));
}

size_t
conn_input_space(const struct ssh_conn *c)
{
	return c->closed ? 0 : pkt_input_space(c->pkt);
}

int
conn_input(struct ssh_conn *c, const uint8_t *data, size_t len,
    uint64_t now_ms)
{
	int r;

	if (c->closed)
		return SSH_ERR_CONN_CLOSED;
	c->now = now_ms;
	if ((r = pkt_input_put(c->pkt, data, len)) != 0)
		return conn_fail(c, r, SSH2_DISCONNECT_PROTOCOL_ERROR,
		    "input buffer full");
	return conn_process(c);
}

static int
process_version(struct ssh_conn *c)
{
	int r;

	r = version_parse(&c->vrx, pkt_input_raw(c->pkt), &c->peer_version);
	if (r == SSH_ERR_MESSAGE_INCOMPLETE)
		return r;
	if (r != 0) {
		snprintf(c->err, sizeof(c->err), "%s",
		    r == SSH_ERR_PROTOCOL_MISMATCH ?
		    "Protocol major versions differ" :
		    "Bad protocol version identification");
		/* Tell the peer in plain text: it may not speak SSH at all. */
		(void)buf_putf(pkt_output_raw(c->pkt), "%s\r\n", c->err);
		c->closed = 1;
		c->notify_closed = 1;
		c->closed_reason = SSH2_DISCONNECT_PROTOCOL_VERSION_NOT_SUPPORTED;
		return r;
	}
	c->phase = PH_KEX0;
	return 0;
}

static int
conn_process(struct ssh_conn *c)
{
	struct buf *payload;
	int r;

	while (!c->closed && !c->ev_waiting) {
		if (c->phase == PH_VERSION) {
			if ((r = process_version(c)) != 0)
				return r == SSH_ERR_MESSAGE_INCOMPLETE ? 0 : r;
			continue;
		}
		r = pkt_next(c->pkt, &payload);
		if (r == SSH_ERR_MESSAGE_INCOMPLETE)
			break;
		if (r != 0)
			return conn_fail(c, r, r == SSH_ERR_MAC_INVALID ?
			    SSH2_DISCONNECT_MAC_ERROR :
			    SSH2_DISCONNECT_PROTOCOL_ERROR,
			    "Packet corrupt: %s", ssh_err(r));
		/* Terrapin: sequence numbers must not wrap before the first
		 * NEWKEYS, when strict KEX relies on them. */
		if (c->phase == PH_KEX0 &&
		    pkt_counters(c->pkt, PKT_DIR_IN)->seqnr_wrapped)
			return conn_fail(c, SSH_ERR_STATE_VIOLATION,
			    SSH2_DISCONNECT_PROTOCOL_ERROR,
			    "sequence number wrapped during initial key exchange");
		if ((r = conn_dispatch(c, payload)) != 0)
			return r;
	}
	if (!c->closed && (r = kex_check_rekey(c)) != 0)
		return r;
	return 0;
}

const uint8_t *
conn_output(const struct ssh_conn *c, size_t *lenp)
{
	return pkt_output(c->pkt, lenp);
}

int
conn_output_consume(struct ssh_conn *c, size_t len)
{
	return pkt_output_consume(c->pkt, len);
}

size_t
conn_output_space(const struct ssh_conn *c)
{
	/* Hold channel output while our key exchange runs: it would only
	 * pile up in the deferred queue. */
	if (c->closed || c->kex_ours_open)
		return 0;
	return pkt_output_space(c->pkt);
}

uint64_t
conn_deadline(const struct ssh_conn *c)
{
	return c->closed ? 0 : c->rekey_at;
}

int
conn_timer(struct ssh_conn *c, uint64_t now_ms)
{
	if (c->closed)
		return SSH_ERR_CONN_CLOSED;
	c->now = now_ms;
	return kex_check_rekey(c);
}

int
conn_closed(const struct ssh_conn *c)
{
	return c->closed;
}

const char *
conn_error(const struct ssh_conn *c)
{
	return c->err[0] != '\0' ? c->err : "no error";
}

int
conn_next_event(struct ssh_conn *c, struct conn_event *ev)
{
	memset(ev, 0, sizeof(*ev));
	if (c->ev_ready) {
		c->ev_ready = 0;
		*ev = c->ev;
		return 1;
	}
	if (c->notify_authed) {
		c->notify_authed = 0;
		ev->type = CONN_EV_AUTHENTICATED;
		ev->u.authenticated.user = c->auth_user;
		return 1;
	}
	if (c->notify_closed) {
		c->notify_closed = 0;
		ev->type = CONN_EV_CLOSED;
		ev->u.closed.reason = c->closed_reason;
		ev->u.closed.msg = c->err;
		ev->u.closed.by_peer = c->closed_by_peer;
		return 1;
	}
	return 0;
}

/* Checks that an answer matches the event awaiting it. */
static int
take_answer(struct ssh_conn *c, enum conn_event_type type)
{
	if (c->closed)
		return SSH_ERR_CONN_CLOSED;
	if (!c->ev_waiting || c->ev.type != type)
		return SSH_ERR_STATE_VIOLATION;
	c->ev_waiting = 0;
	c->ev_ready = 0;
	return 0;
}

int
conn_sign_done(struct ssh_conn *c, const uint8_t *sig, size_t len)
{
	int r;

	if ((r = take_answer(c, CONN_EV_SIGN)) != 0 ||
	    (r = kex_signed(c, sig, len)) != 0)
		return r;
	return conn_process(c);
}

int
conn_rsa_pubkey_done(struct ssh_conn *c, const uint8_t *blob, size_t len)
{
	int r;

	if ((r = take_answer(c, CONN_EV_RSA_PUBKEY)) != 0 ||
	    (r = kex_rsa_pubkey(c, blob, len)) != 0)
		return r;
	return conn_process(c);
}

int
conn_rsa_secret_done(struct ssh_conn *c, const uint8_t *k, size_t len)
{
	int r;

	if ((r = take_answer(c, CONN_EV_RSA_DECRYPT)) != 0 ||
	    (r = kex_rsa_secret(c, k, len)) != 0)
		return r;
	return conn_process(c);
}

/* The authentication events an auth answer may close. */
static int
take_auth_answer(struct ssh_conn *c, enum conn_event_type *evp)
{
	if (c->closed)
		return SSH_ERR_CONN_CLOSED;
	if (!c->ev_waiting || (c->ev.type != CONN_EV_AUTH_PUBKEY &&
	    c->ev.type != CONN_EV_AUTH_PASSWORD &&
	    c->ev.type != CONN_EV_AUTH_KBDINT))
		return SSH_ERR_STATE_VIOLATION;
	*evp = c->ev.type;
	return take_answer(c, c->ev.type);
}

int
conn_auth_done(struct ssh_conn *c, enum conn_auth_result result,
    const char *methods_left)
{
	enum conn_event_type ev;
	int r;

	if ((r = take_auth_answer(c, &ev)) != 0 ||
	    (r = auth_answer(c, ev, result, methods_left)) != 0)
		return r;
	return conn_process(c);
}

int
conn_kbdint_prompts(struct ssh_conn *c, const char *name,
    const char *instruction, size_t n, const char *const *prompts,
    const int *echo)
{
	int r;

	if (c->closed)
		return SSH_ERR_CONN_CLOSED;
	if (!c->ev_waiting || c->ev.type != CONN_EV_AUTH_KBDINT)
		return SSH_ERR_STATE_VIOLATION;
	if ((r = auth_send_prompts(c, name, instruction, n, prompts,
	    echo)) != 0 || (r = take_answer(c, CONN_EV_AUTH_KBDINT)) != 0)
		return r;
	return conn_process(c);
}

int
conn_passwd_changereq(struct ssh_conn *c, const char *prompt)
{
	int r;

	if (c->closed)
		return SSH_ERR_CONN_CLOSED;
	if (!c->ev_waiting || c->ev.type != CONN_EV_AUTH_PASSWORD)
		return SSH_ERR_STATE_VIOLATION;
	if ((r = auth_send_changereq(c, prompt)) != 0 ||
	    (r = take_answer(c, CONN_EV_AUTH_PASSWORD)) != 0)
		return r;
	return conn_process(c);
}

/* 1 if an offered host key algorithm uses host key i: the others (a DSA
 * key without ssh-dss configured) are never announced either. */
static int
hostkey_offered(const struct ssh_conn *c, size_t i)
{
	char *list, *name, *save = NULL;
	int found = 0;

	if (c->hostkey_algs == NULL || (list = strdup(c->hostkey_algs)) == NULL)
		return 0;
	for (name = strtok_r(list, ",", &save); name != NULL && !found;
	    name = strtok_r(NULL, ",", &save))
		found = conn_hostkey_usable(c, i, name) == 0;
	free(list);
	return found;
}

int
conn_authenticated(struct ssh_conn *c)
{
	struct chan_limits lim;
	struct buf *msg;
	size_t i;
	int r;

	chan_limits_default(&lim);
	if (c->set.max_channels != 0) {
		lim.max_sessions = c->set.max_channels;
		if (lim.max_channels < lim.max_sessions)
			lim.max_channels = lim.max_sessions;
	}
	if (c->set.max_forwards != 0)
		lim.max_channels = lim.max_sessions + c->set.max_forwards;
	if ((c->chans = chan_table_new(&lim, chan_send_cb, c)) == NULL ||
	    chan_register_global(c->chans, HOSTKEYS_PROVE) != 0)
		return SSH_ERR_ALLOC_FAIL;
	c->phase = PH_AUTHED;
	c->notify_authed = 1;
	/* Announce every offered host key, so that UpdateHostKeys clients
	 * learn them (OpenSSH PROTOCOL 2.5). */
	if ((msg = buf_new()) == NULL)
		return SSH_ERR_ALLOC_FAIL;
	for (i = 0; i < c->set.nhostkeys; i++) {
		if (hostkey_offered(c, i) &&
		    (r = buf_put_stringb(msg, c->hostkey_blobs[i])) != 0)
			goto out;
	}
	r = chan_global_send(c->chans, "hostkeys-00@openssh.com", 0,
	    buf_ptr(msg), buf_len(msg));
 out:
	buf_free(msg);
	return r;
}

int
conn_disconnect(struct ssh_conn *c, int reason, const char *msg)
{
	return conn_fail(c, SSH_ERR_DISCONNECTED, reason, "%s", msg);
}

struct chan_table *
conn_channels(struct ssh_conn *c)
{
	return c->chans;
}

int
conn_hostkey_index(const struct ssh_conn *c, const uint8_t *blob, size_t len)
{
	struct buf *b = buf_from(blob, len);
	size_t i;
	int idx = -1;

	if (b == NULL)
		return -1;
	for (i = 0; i < c->set.nhostkeys && idx < 0; i++) {
		if (buf_equals(b, c->hostkey_blobs[i]) == 0)
			idx = (int)i;
	}
	buf_free(b);
	return idx;
}

int
conn_hostkey_index_cert(const struct ssh_conn *c, const uint8_t *blob,
    size_t len, int *certp)
{
	const uint8_t *cb;
	size_t i, clen;
	int idx;

	*certp = 0;
	if ((idx = conn_hostkey_index(c, blob, len)) >= 0 ||
	    c->set.hostcerts == NULL)
		return idx;
	for (i = 0; i < c->set.nhostkeys; i++) {
		if (c->set.hostcerts[i] == NULL)
			continue;
		cb = cert_blob(c->set.hostcerts[i], &clen);
		if (clen == len && memcmp(cb, blob, len) == 0) {
			*certp = 1;
			return (int)i;
		}
	}
	return -1;
}

const char *
conn_auth_user(const struct ssh_conn *c)
{
	return c->auth_user;
}

const struct buf *
conn_session_id(const struct ssh_conn *c)
{
	return c->session_id;
}

const char *
conn_algorithms(const struct ssh_conn *c)
{
	return c->algs;
}
