/*
 * monitor_hostkey.c: the monitor's host-key operations: signatures over
 * exchange hashes (the first one fixes the session id, the host key and
 * its algorithm, and opens authentication; later ones are rekeys with
 * that key and algorithm only, rate-limited), and the proofs of
 * hostkeys-prove-00@openssh.com, whose data the monitor builds itself.
 *
 * What the monitor cannot check: that the hash it signs is the hash of
 * this connection's exchange.  H covers the shared secret K, which only
 * the child knows; even a transcript sent along (V_C, I_C, Q_C, ...)
 * proves nothing, since a child that controls the connection can make up
 * every piece of it, K included.  Doing the Diffie-Hellman here would not
 * help either: the child must learn K to derive the session keys, and a
 * compromised child could relay another client's Q_C.  So SIGN checks
 * what it can know: the method is one the configuration allows and the
 * hash has its length, the key and algorithm are the first exchange's,
 * and the rate is one rekeying can need (README, "Security").
 */
#include <stdlib.h>
#include <string.h>

#include "common/config.h"
#include "common/monotime.h"
#include "privsep/ipc.h"
#include "privsep/ipc_catalogue.h"
#include "privsep/ipc_codec.h"
#include "privsep/monitor.h"
#include "privsep/monitor_local.h"
#include "protocol/buf.h"
#include "protocol/cert.h"
#include "protocol/kex_method.h"
#include "protocol/key.h"
#include "protocol/namelist.h"
#include "protocol/sig.h"
#include "protocol/ssherr.h"

#define HOSTKEYS_PROVE		"hostkeys-prove-00@openssh.com"

/* 1 if crypto.host_key_algorithms names alg, or a certificate
 * algorithm that signs with alg. */
static int
hostkey_alg_allowed(struct mon *m, const char *alg)
{
	const struct strlist *l = &m->gs->crypto.host_key_algorithms;
	const char *plain;
	size_t i;

	for (i = 0; i < l->n; i++) {
		plain = cert_alg_to_sig_alg(l->v[i]);
		if (strcmp(l->v[i], alg) == 0 ||
		    (plain != NULL && strcmp(plain, alg) == 0))
			return 1;
	}
	return 0;
}

/* 1 if l names s. */
static int
strlist_has(const struct strlist *l, const char *s)
{
	size_t i;

	for (i = 0; i < l->n; i++)
		if (strcmp(l->v[i], s) == 0)
			return 1;
	return 0;
}

/* SIGN: a host-key signature over an exchange hash. */
int
mon_sign(struct mon *m, struct buf *req)
{
	struct ipc_sign q;
	struct ipc_sign_reply a;
	const uint8_t *data;
	size_t len;
	uint32_t idx;
	const char *alg;
	const struct kex_alg *kex;
	struct buf *sig = NULL;
	uint64_t now;
	int r;

	if ((r = ipc_dec_sign(req, &q)) != 0) {
		r = violation(m, "malformed SIGN", r);
		goto out;
	}
	idx = q.hostkey;
	alg = q.alg;
	data = q.data.p;
	len = q.data.len;
	/* Only exchange hashes of a method the configuration allows, of
	 * that method's hash length, only with a host key algorithm it
	 * allows: the child cannot ask for a SHA-1 "ssh-rsa" signature
	 * unless the administrator enabled it. */
	kex = kex_alg_by_name(q.kex);
	if (idx >= m->p->nhostkeys || kex == NULL ||
	    !strlist_has(&m->gs->crypto.kex, q.kex) ||
	    len != kex->ka_hash_len || !hostkey_alg_allowed(m, alg) ||
	    sig_check_alg(m->p->hostkeys[idx], alg, 1) != 0) {
		r = violation(m, "SIGN for a key, algorithm, method or length "
		    "not allowed", SSH_ERR_INVALID_ARGUMENT);
		goto out;
	}
	/* An RSA exchange's hash only after its decryption; no other
	 * method's while one is open. */
	if (mon_rsa_kex_sign_ok(m, kex) != 0) {
		r = violation(m, "SIGN out of step with the RSA key exchange",
		    SSH_ERR_STATE_VIOLATION);
		goto out;
	}
	/* A rekey signs with what the first exchange negotiated (the
	 * child's rekey KEXINIT offers nothing else), never with another
	 * of the host keys or another algorithm of the same key. */
	if (m->session_id != NULL && (idx != m->sign_hostkey ||
	    strcmp(alg, m->sign_alg) != 0)) {
		r = violation(m, "SIGN for a rekey with another host key or "
		    "algorithm than the first exchange's",
		    SSH_ERR_INVALID_ARGUMENT);
		goto out;
	}
	if (m->session_id == NULL) {
		/* The initial key exchange: its hash is the session id, and
		 * authentication may begin. */
		if ((m->session_id = buf_new()) == NULL ||
		    (r = buf_put(m->session_id, data, len)) != 0 ||
		    (m->sign_alg = strdup(alg)) == NULL) {
			r = SSH_ERR_ALLOC_FAIL;
			goto out;
		}
		m->sign_hostkey = idx;
		if ((r = ipc_state_enter(&m->st, IPC_PH_AUTH)) != 0)
			goto out;
	} else {
		now = monotime_ms();
		m->sign_tokens += (double)(now - m->sign_refill) *
		    MON_SIGN_PER_SEC / 1000.0;
		if (m->sign_tokens > MON_SIGN_BURST)
			m->sign_tokens = MON_SIGN_BURST;
		m->sign_refill = now;
		if (m->sign_tokens < 1.0) {
			r = violation(m, "too many rekey signatures",
			    SSH_ERR_LIMIT_EXCEEDED);
			goto out;
		}
		m->sign_tokens -= 1.0;
	}
	if ((sig = buf_new()) == NULL) {
		r = SSH_ERR_ALLOC_FAIL;
		goto out;
	}
	if ((r = sig_sign(m->p->hostkeys[idx], alg, data, len, sig)) != 0)
		goto out;
	a.sig.p = buf_ptr(sig);
	a.sig.len = buf_len(sig);
	r = ipc_send_sign_reply(m->ipc, &a, -1);
 out:
	ipc_free_sign(&q);
	buf_free(sig);
	return r;
}

/* HOSTKEYS_PROVE: the monitor builds what it signs itself. */
int
mon_prove(struct mon *m, struct buf *req)
{
	struct ipc_hostkeys_prove q;
	struct ipc_hostkeys_prove_reply a;
	struct buf *data = buf_new(), *blob = buf_new(), *sigs = buf_new();
	size_t *lens = NULL, off;
	uint32_t i;
	int r = SSH_ERR_ALLOC_FAIL;

	memset(&a, 0, sizeof(a));
	if ((r = ipc_dec_hostkeys_prove(req, &q)) != 0 ||
	    q.hostkeys.n > m->p->nhostkeys) {
		r = violation(m, "malformed HOSTKEYS_PROVE", r);
		goto out;
	}
	r = SSH_ERR_ALLOC_FAIL;
	if (data == NULL || blob == NULL || sigs == NULL ||
	    (lens = calloc(q.hostkeys.n, sizeof(*lens))) == NULL ||
	    (a.sigs.v = calloc(q.hostkeys.n, sizeof(*a.sigs.v))) == NULL)
		goto out;
	for (i = 0; i < q.hostkeys.n; i++) {
		const struct sshkey *k;

		if (q.hostkeys.v[i] >= m->p->nhostkeys) {
			r = violation(m, "bad HOSTKEYS_PROVE index",
			    SSH_ERR_INVALID_FORMAT);
			goto out;
		}
		k = m->p->hostkeys[q.hostkeys.v[i]];
		buf_reset(data);
		buf_reset(blob);
		off = buf_len(sigs);
		if ((r = key_to_blob(k, blob)) != 0 ||
		    (r = buf_put_cstring(data, HOSTKEYS_PROVE)) != 0 ||
		    (r = buf_put_stringb(data, m->session_id)) != 0 ||
		    (r = buf_put_stringb(data, blob)) != 0 ||
		    (r = sig_sign(k, key_type(k) == KEY_RSA ? "rsa-sha2-512" :
		    NULL, buf_ptr(data), buf_len(data), sigs)) != 0)
			goto out;
		lens[i] = buf_len(sigs) - off;
	}
	for (i = 0, off = 0; i < q.hostkeys.n; i++) {
		a.sigs.v[i].p = buf_ptr(sigs) + off;
		a.sigs.v[i].len = lens[i];
		off += lens[i];
	}
	a.sigs.n = q.hostkeys.n;
	r = ipc_send_hostkeys_prove_reply(m->ipc, &a, -1);
 out:
	ipc_free_hostkeys_prove(&q);
	free(a.sigs.v);
	free(lens);
	buf_free(data);
	buf_free(blob);
	buf_free(sigs);
	return r;
}
