/*
 * monitor_rsakex.c: the monitor's side of RSA key exchange (RFC 4432).
 * The child must never hold a private key, so the transient key K_T
 * lives here and the child asks for its public half and for the one
 * decryption of the client's secret that each exchange needs.
 *
 * The decryption is the dangerous part: a child that could have
 * arbitrary ciphertexts decrypted, or learn why one failed, would have a
 * padding oracle (Manger's attack on OAEP) against K_T.  So a decryption
 * is allowed only inside an exchange opened by RSA_KEX_PUBKEY for that
 * method, once, and a failure of any kind (length, padding, K out of
 * bounds) gives the same answer, after which this connection gets no
 * further RSA exchange.  What the child does learn, K of a ciphertext
 * that did decrypt, it needs for the session keys anyway, and K is a
 * fresh random number of the client's, no secret of ours.  Each
 * successful decryption must be followed by the exchange's SIGN before
 * the next PUBKEY, so rekeys are limited by SIGN's rate.
 *
 * The keys are per connection (each connection has its own monitor),
 * made when first asked for and again once crypto.rsa_kex_key_lifetime
 * has passed, for rekeys of a long connection.
 */
#include <stdlib.h>
#include <string.h>

#include "common/config.h"
#include "common/monotime.h"
#include "privsep/ipc.h"
#include "privsep/ipc_codec.h"
#include "privsep/monitor.h"
#include "privsep/monitor_local.h"
#include "protocol/buf.h"
#include "protocol/kex_method.h"
#include "protocol/key.h"
#include "protocol/ssherr.h"

/* The slot of an RSA method's key, or -1 for any other method. */
static int
key_slot(const struct kex_alg *kex)
{
	if (kex == NULL || kex->ka_kind != KEX_KIND_RSA)
		return -1;
	return kex->ka_rsa_bits == 2048 ? 0 : 1;
}

/* 1 if crypto.kex allows the method. */
static int
kex_allowed(struct mon *m, const char *name)
{
	const struct strlist *l = &m->gs->crypto.kex;
	size_t i;

	for (i = 0; i < l->n; i++)
		if (strcmp(l->v[i], name) == 0)
			return 1;
	return 0;
}

/* The method's key, made now if there is none or it is too old. */
static int
current_key(struct mon *m, const struct kex_alg *kex, struct sshkey **keyp)
{
	int slot = key_slot(kex), r;
	uint64_t now = monotime_ms();

	if (m->rsa_key[slot] == NULL || now - m->rsa_key_made[slot] >=
	    (uint64_t)m->gs->crypto.rsa_kex_key_lifetime * 1000) {
		key_free(m->rsa_key[slot]);
		m->rsa_key[slot] = NULL;
		if ((r = kex_rsa_keygen(kex, &m->rsa_key[slot])) != 0)
			return r;
		m->rsa_key_made[slot] = now;
	}
	*keyp = m->rsa_key[slot];
	return 0;
}

/* RSA_KEX_PUBKEY: opens an exchange and gives K_T. */
int
mon_rsa_kex_pubkey(struct mon *m, struct buf *req)
{
	struct ipc_rsa_kex_pubkey q;
	struct ipc_rsa_kex_pubkey_reply a;
	const struct kex_alg *kex;
	struct sshkey *key = NULL;
	struct buf *blob = NULL;
	int r;

	if ((r = ipc_dec_rsa_kex_pubkey(req, &q)) != 0) {
		r = violation(m, "malformed RSA_KEX_PUBKEY", r);
		goto out;
	}
	kex = kex_alg_by_name(q.kex);
	if (key_slot(kex) < 0 || !kex_allowed(m, q.kex)) {
		r = violation(m, "RSA_KEX_PUBKEY for a method not allowed",
		    SSH_ERR_INVALID_ARGUMENT);
		goto out;
	}
	if (m->rsa_failed || m->rsa_open != NULL ||
	    m->rsa_decrypted != NULL) {
		r = violation(m, "RSA_KEX_PUBKEY while an RSA exchange is "
		    "open or after one failed", SSH_ERR_STATE_VIOLATION);
		goto out;
	}
	if ((r = current_key(m, kex, &key)) != 0)
		goto out;
	if ((blob = buf_new()) == NULL) {
		r = SSH_ERR_ALLOC_FAIL;
		goto out;
	}
	if ((r = key_to_blob(key, blob)) != 0)
		goto out;
	m->rsa_open = kex;
	a.key.p = buf_ptr(blob);
	a.key.len = buf_len(blob);
	r = ipc_send_rsa_kex_pubkey_reply(m->ipc, &a, -1);
 out:
	ipc_free_rsa_kex_pubkey(&q);
	buf_free(blob);
	return r;
}

/* RSA_KEX_DECRYPT: the open exchange's one decryption. */
int
mon_rsa_kex_decrypt(struct mon *m, struct buf *req)
{
	struct ipc_rsa_kex_decrypt q;
	struct ipc_rsa_kex_decrypt_reply a;
	const struct kex_alg *kex;
	struct buf *K = NULL;
	int r;

	memset(&a, 0, sizeof(a));
	if ((r = ipc_dec_rsa_kex_decrypt(req, &q)) != 0) {
		r = violation(m, "malformed RSA_KEX_DECRYPT", r);
		goto out;
	}
	kex = kex_alg_by_name(q.kex);
	if (m->rsa_open == NULL || kex != m->rsa_open) {
		r = violation(m, "RSA_KEX_DECRYPT outside an RSA exchange of "
		    "that method", SSH_ERR_STATE_VIOLATION);
		goto out;
	}
	m->rsa_open = NULL;
	if ((K = buf_new()) == NULL) {
		r = SSH_ERR_ALLOC_FAIL;
		goto out;
	}
	r = kex_rsa_decrypt(kex, m->rsa_key[key_slot(kex)], q.ct.p,
	    q.ct.len, K);
	if (r == SSH_ERR_INVALID_FORMAT) {
		/* The client's doing (or a child's probing): one answer,
		 * and no second try on this connection. */
		m->rsa_failed = 1;
		a.ok = 0;
	} else if (r != 0)
		goto out;
	else {
		m->rsa_decrypted = kex;
		a.ok = 1;
		a.k.p = buf_ptr(K);
		a.k.len = buf_len(K);
	}
	r = ipc_send_rsa_kex_decrypt_reply(m->ipc, &a, -1);
 out:
	ipc_free_rsa_kex_decrypt(&q);
	buf_free(K);		/* wipes K */
	return r;
}

int
mon_rsa_kex_sign_ok(struct mon *m, const struct kex_alg *kex)
{
	int ok;

	if (key_slot(kex) >= 0)
		ok = m->rsa_decrypted == kex;
	else
		ok = m->rsa_open == NULL && m->rsa_decrypted == NULL;
	m->rsa_open = m->rsa_decrypted = NULL;
	return ok ? 0 : SSH_ERR_STATE_VIOLATION;
}

void
mon_rsa_kex_free(struct mon *m)
{
	size_t i;

	for (i = 0; i < 2; i++) {
		key_free(m->rsa_key[i]);
		m->rsa_key[i] = NULL;
	}
}
