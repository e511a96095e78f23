/*
 * kex.c: the server side of key exchange (RFC 4253 7-8, RFC 4419,
 * RFC 5656, RFC 8731, RFC 4432), strict KEX (OpenSSH PROTOCOL 1.10), ext-info
 * (RFC 8308) and rekeying (RFC 4253 9, RFC 4344 3).
 */
#include <stdlib.h>
#include <string.h>

#include <openssl/rand.h>

#include "protocol/buf.h"
#include "protocol/cert.h"
#include "protocol/cipher.h"
#include "protocol/conn_local.h"
#include "protocol/dh_groups.h"
#include "protocol/kex.h"
#include "protocol/kex_method.h"
#include "protocol/mac.h"
#include "protocol/moduli.h"
#include "protocol/packet.h"
#include "protocol/sig.h"
#include "protocol/ssh2.h"
#include "protocol/ssherr.h"

/* Signature algorithms accepted for user authentication, announced as
 * server-sig-algs (RFC 8308 3.1).  SHA-1 "ssh-rsa" is not among them. */
#define SERVER_SIG_ALGS	"ssh-ed25519,ecdsa-sha2-nistp256," \
	"ecdsa-sha2-nistp384,ecdsa-sha2-nistp521,rsa-sha2-512,rsa-sha2-256," \
	"sk-ssh-ed25519@openssh.com,sk-ecdsa-sha2-nistp256@openssh.com"

/* RFC 4344 3.1: rekey before 2^32 packets; we start well before. */
#define REKEY_MAX_PACKETS	(1ULL << 31)

void
kex_clear(struct ssh_conn *c)
{
	int d;

	dh_group_free(c->gex_group);
	c->gex_group = NULL;
	buf_free(c->client_pub);
	buf_free(c->server_pub);
	buf_free(c->K);
	buf_free(c->H);
	c->client_pub = c->server_pub = c->K = c->H = NULL;
	for (d = 0; d < 2; d++) {
		cipher_free(c->new_cipher[d]);
		mac_free(c->new_mac[d]);
		c->new_cipher[d] = NULL;
		c->new_mac[d] = NULL;
	}
}

/* Sends our KEXINIT; the server's kex list carries the strict-KEX marker. */
int
kex_start(struct ssh_conn *c)
{
	struct kexinit ki;
	char *kex = NULL;
	size_t i;
	int r = SSH_ERR_INTERNAL_ERROR;

	memset(&ki, 0, sizeof(ki));
	if (RAND_bytes(ki.cookie, sizeof(ki.cookie)) != 1)
		return SSH_ERR_LIBCRYPTO_ERROR;
	if (asprintf(&kex, "%s,%s", c->set.kex, KEX_STRICT_S) < 0)
		return SSH_ERR_ALLOC_FAIL;
	ki.lists[KEXI_KEX] = kex;
	ki.lists[KEXI_HOSTKEY] = c->hostkey_alg_first != NULL ?
	    c->hostkey_alg_first : c->hostkey_algs;
	ki.lists[KEXI_ENC_CS] = ki.lists[KEXI_ENC_SC] = (char *)c->set.ciphers;
	ki.lists[KEXI_MAC_CS] = ki.lists[KEXI_MAC_SC] = (char *)c->set.macs;
	ki.lists[KEXI_COMP_CS] = ki.lists[KEXI_COMP_SC] = "none";
	ki.lists[KEXI_LANG_CS] = ki.lists[KEXI_LANG_SC] = "";
	buf_free(c->kexinit_ours);
	if ((c->kexinit_ours = buf_new()) == NULL) {
		r = SSH_ERR_ALLOC_FAIL;
		goto out;
	}
	if ((r = kexinit_build(&ki, c->kexinit_ours)) != 0 ||
	    (r = pkt_send(c->pkt, c->kexinit_ours)) != 0)
		goto out;
	c->kex_ours_open = 1;
	if (c->kx == KX_NONE)
		c->kx = KX_WAIT_KEXINIT;
	for (i = 0; i < KEXI_NLISTS; i++)
		ki.lists[i] = NULL;
	r = 0;
 out:
	free(kex);
	return r;
}

/* The host key for a negotiated host key algorithm.  A certificate
 * algorithm (PROTOCOL.certkeys) sends the certificate as K_S and signs
 * with the plain key's signature algorithm. */
static int
find_hostkey(struct ssh_conn *c, const char *alg)
{
	const char *sigalg;
	size_t i;

	if ((sigalg = cert_alg_to_sig_alg(alg)) == NULL)
		sigalg = alg;
	for (i = 0; i < c->set.nhostkeys; i++) {
		if (conn_hostkey_usable(c, i, alg) == 0) {
			c->hostkey_idx = i;
			c->hostkey_cert = sigalg != alg;
			c->hostkey_sig_alg = sigalg;
			return 0;
		}
	}
	return SSH_ERR_NO_HOSTKEY_LOADED;
}

/* K_S, the host key blob or its certificate's, as a read-only view the
 * caller frees; NULL on allocation failure. */
static struct buf *
host_key_blob(struct ssh_conn *c)
{
	const struct buf *kb = c->hostkey_blobs[c->hostkey_idx];
	const uint8_t *blob;
	size_t len;

	if (c->hostkey_cert)
		blob = cert_blob(c->set.hostcerts[c->hostkey_idx], &len);
	else {
		blob = buf_ptr(kb);
		len = buf_len(kb);
	}
	return buf_from(blob, len);
}

static int
describe_algorithms(struct ssh_conn *c)
{
	const struct kex_negotiated *n = &c->neg;

	free(c->algs);
	c->algs = NULL;
	if (asprintf(&c->algs, "kex %s, host key %s, cipher %s MAC %s "
	    "(in), cipher %s MAC %s (out)%s", n->kex, n->hostkey_alg,
	    n->enc[KEX_DIR_CS], n->mac[KEX_DIR_CS] ? n->mac[KEX_DIR_CS] :
	    "<implicit>", n->enc[KEX_DIR_SC], n->mac[KEX_DIR_SC] ?
	    n->mac[KEX_DIR_SC] : "<implicit>", c->strict ? ", strict" : "") < 0)
		return SSH_ERR_ALLOC_FAIL;
	return 0;
}

int
kex_recv_kexinit(struct ssh_conn *c, uint8_t type, struct buf *msg)
{
	struct kexinit *peer = NULL, *ours = NULL;
	struct buf *tmp;
	int r = SSH_ERR_INTERNAL_ERROR;

	if (c->kex_peer_open)
		return conn_fail(c, SSH_ERR_STATE_VIOLATION,
		    SSH2_DISCONNECT_PROTOCOL_ERROR, "second KEXINIT");
	/* I_C for the exchange hash: the payload from the type byte on. */
	buf_free(c->kexinit_peer);
	if ((c->kexinit_peer = buf_new()) == NULL)
		return SSH_ERR_ALLOC_FAIL;
	if ((r = buf_put_u8(c->kexinit_peer, SSH2_MSG_KEXINIT)) != 0 ||
	    (r = buf_putb(c->kexinit_peer, msg)) != 0)
		return r;
	if ((r = kexinit_parse(msg, &peer)) != 0)
		return conn_fail(c, r, SSH2_DISCONNECT_PROTOCOL_ERROR,
		    "malformed KEXINIT: %s", ssh_err(r));
	c->kex_peer_open = 1;
	if (!c->kex_ours_open && (r = kex_start(c)) != 0)
		goto out;
	/* Parse our own KEXINIT back: one representation to negotiate on. */
	if ((tmp = buf_from(buf_ptr(c->kexinit_ours),
	    buf_len(c->kexinit_ours))) == NULL) {
		r = SSH_ERR_ALLOC_FAIL;
		goto out;
	}
	r = buf_consume(tmp, 1);
	if (r == 0)
		r = kexinit_parse(tmp, &ours);
	buf_free(tmp);
	if (r != 0)
		goto out;
	kex_negotiated_clear(&c->neg);
	if ((r = kexinit_negotiate(peer, ours, &c->neg)) != 0) {
		r = conn_fail(c, r, SSH2_DISCONNECT_KEY_EXCHANGE_FAILED,
		    "no matching algorithm: %s", ssh_err(r));
		goto out;
	}
	if (c->kex_done == 0) {
		c->strict = c->neg.strict;
		c->ext_info_c = c->neg.ext_info_c;
		if (c->strict && c->packets_before_kexinit > 0) {
			r = conn_fail(c, SSH_ERR_STATE_VIOLATION,
			    SSH2_DISCONNECT_PROTOCOL_ERROR, "strict KEX "
			    "violation: KEXINIT was not the first packet");
			goto out;
		}
	}
	c->skip_guess = c->neg.guess_wrong;
	if ((c->kalg = kex_alg_by_name(c->neg.kex)) == NULL ||
	    (r = find_hostkey(c, c->neg.hostkey_alg)) != 0) {
		r = conn_fail(c, SSH_ERR_INTERNAL_ERROR,
		    SSH2_DISCONNECT_KEY_EXCHANGE_FAILED,
		    "negotiated an unusable algorithm");
		goto out;
	}
	/* crypto.require_pq: the client offered no post-quantum method that
	 * we allow. */
	if (c->set.require_pq && !kex_alg_is_pq(c->kalg)) {
		r = conn_fail(c, SSH_ERR_NO_KEX_ALG_MATCH,
		    SSH2_DISCONNECT_KEY_EXCHANGE_FAILED,
		    "post-quantum key exchange required (client chose %s)",
		    c->neg.kex);
		goto out;
	}
	if (c->kex_done == 0 && c->hostkey_alg_first == NULL &&
	    (c->hostkey_alg_first = strdup(c->neg.hostkey_alg)) == NULL) {
		r = SSH_ERR_ALLOC_FAIL;
		goto out;
	}
	if ((r = describe_algorithms(c)) != 0)
		goto out;
	c->kx = KX_WAIT_INIT;
	/* RSA key exchange: the server speaks first, with the monitor's
	 * transient key. */
	if (c->kalg->ka_kind == KEX_KIND_RSA) {
		c->ev.u.rsa.kex = c->kalg->ka_name;
		c->ev.u.rsa.data = NULL;
		c->ev.u.rsa.len = 0;
		conn_set_event(c, CONN_EV_RSA_PUBKEY);
		c->kx = KX_WAIT_RSA_PUBKEY;
	}
	r = 0;
 out:
	kexinit_free(peer);
	kexinit_free(ours);
	return r;
}

static int
derive_dir(struct ssh_conn *c, int dir, char iv_letter, char key_letter,
    char mac_letter)
{
	int d = dir == PKT_DIR_IN ? KEX_DIR_CS : KEX_DIR_SC;
	const struct cipher_alg *calg = cipher_by_name(c->neg.enc[d]);
	const struct mac_alg *malg = c->neg.mac[d] != NULL ?
	    mac_by_name(c->neg.mac[d]) : NULL;
	struct buf *iv = NULL, *key = NULL, *mkey = NULL;
	int r = SSH_ERR_INTERNAL_ERROR;

	if (calg == NULL || (c->neg.mac[d] != NULL && malg == NULL))
		return SSH_ERR_INTERNAL_ERROR;
	if ((iv = buf_new()) == NULL || (key = buf_new()) == NULL ||
	    (mkey = buf_new()) == NULL) {
		r = SSH_ERR_ALLOC_FAIL;
		goto out;
	}
	/* chacha20-poly1305 has no IV: nothing to derive for it. */
	if ((cipher_alg_iv_len(calg) != 0 &&
	    (r = kex_derive_key(c->kalg, c->K, c->H, c->session_id, iv_letter,
	    cipher_alg_iv_len(calg), iv)) != 0) ||
	    (r = kex_derive_key(c->kalg, c->K, c->H, c->session_id,
	    key_letter, cipher_alg_key_len(calg), key)) != 0 ||
	    (r = cipher_init(&c->new_cipher[dir], calg, buf_ptr(key),
	    buf_len(key), buf_ptr(iv), buf_len(iv),
	    dir == PKT_DIR_OUT)) != 0)
		goto out;
	if (malg != NULL &&
	    ((r = kex_derive_key(c->kalg, c->K, c->H, c->session_id,
	    mac_letter, mac_alg_key_len(malg), mkey)) != 0 ||
	    (r = mac_init(&c->new_mac[dir], malg, buf_ptr(mkey),
	    buf_len(mkey))) != 0))
		goto out;
	r = 0;
 out:
	buf_free(iv);
	buf_free(key);
	buf_free(mkey);
	return r;
}

/* The buffers of an exchange's values. */
static int
exchange_bufs(struct ssh_conn *c)
{
	if ((c->client_pub == NULL && (c->client_pub = buf_new()) == NULL) ||
	    (c->server_pub == NULL && (c->server_pub = buf_new()) == NULL) ||
	    (c->K == NULL && (c->K = buf_new()) == NULL) ||
	    (c->H == NULL && (c->H = buf_new()) == NULL))
		return SSH_ERR_ALLOC_FAIL;
	return 0;
}

/* K is known: compute H, then ask for the host key's signature over it. */
static int
kex_hash_and_sign(struct ssh_conn *c)
{
	struct kex_hash_input in;
	struct buf *ks;
	int r;

	memset(&in, 0, sizeof(in));
	in.kh_client_version = c->peer_version;
	in.kh_server_version = c->set.version;
	in.kh_client_kexinit = c->kexinit_peer;
	in.kh_server_kexinit = c->kexinit_ours;
	if ((ks = host_key_blob(c)) == NULL)
		return SSH_ERR_ALLOC_FAIL;
	in.kh_host_key = ks;
	in.kh_gex_min = c->gex_min;
	in.kh_gex_n = c->gex_n;
	in.kh_gex_max = c->gex_max;
	in.kh_gex_group = c->gex_group;
	in.kh_client_pub = c->client_pub;
	in.kh_server_pub = c->server_pub;
	in.kh_shared_secret = c->K;
	r = kex_exchange_hash(c->kalg, &in, c->H);
	buf_free(ks);
	if (r != 0)
		return r;
	if (c->session_id == NULL) {
		if ((c->session_id = buf_new()) == NULL)
			return SSH_ERR_ALLOC_FAIL;
		if ((r = buf_putb(c->session_id, c->H)) != 0)
			return r;
	}
	c->ev.u.sign.hostkey = c->hostkey_idx;
	c->ev.u.sign.alg = c->hostkey_sig_alg;
	c->ev.u.sign.kex = c->kalg->ka_name;
	c->ev.u.sign.data = buf_ptr(c->H);
	c->ev.u.sign.len = buf_len(c->H);
	conn_set_event(c, CONN_EV_SIGN);
	c->kx = KX_WAIT_SIGN;
	return 0;
}

/* The client's public value arrived: compute K and H, then ask for the
 * host key's signature over H. */
static int
kex_compute(struct ssh_conn *c, struct buf *msg)
{
	const uint8_t *pub;
	size_t len;
	int r;

	if ((r = kex_get_public(c->kalg, msg, &pub, &len)) != 0 ||
	    (r = buf_expect_end(msg)) != 0)
		return conn_fail(c, r, SSH2_DISCONNECT_PROTOCOL_ERROR,
		    "malformed key exchange message");
	if ((r = exchange_bufs(c)) != 0 ||
	    (r = buf_put(c->client_pub, pub, len)) != 0)
		return r;
	r = kex_respond(c->kalg, c->gex_group, pub, len, c->server_pub, c->K);
	if (r == SSH_ERR_KEY_INVALID_EC_VALUE || r == SSH_ERR_INVALID_FORMAT)
		return conn_fail(c, r, SSH2_DISCONNECT_KEY_EXCHANGE_FAILED,
		    "invalid public value from client: %s", ssh_err(r));
	if (r != 0)
		return conn_fail(c, r, SSH2_DISCONNECT_KEY_EXCHANGE_FAILED,
		    "key exchange failed: %s", ssh_err(r));
	return kex_hash_and_sign(c);
}

int
kex_rsa_pubkey(struct ssh_conn *c, const uint8_t *blob, size_t len)
{
	struct buf *out, *ks;
	int r;

	if (c->kx != KX_WAIT_RSA_PUBKEY || blob == NULL)
		return SSH_ERR_STATE_VIOLATION;
	if ((r = exchange_bufs(c)) != 0 ||
	    (r = buf_put(c->server_pub, blob, len)) != 0)
		return r;
	out = conn_msg(c, SSH2_MSG_KEXRSA_PUBKEY);
	if ((ks = host_key_blob(c)) == NULL)
		return SSH_ERR_ALLOC_FAIL;
	r = buf_put_stringb(out, ks);
	buf_free(ks);
	if (r != 0 || (r = buf_put_stringb(out, c->server_pub)) != 0 ||
	    (r = conn_send(c, out)) != 0)
		return r;
	c->kx = KX_WAIT_INIT;
	return 0;
}

/* KEXRSA_SECRET: the monitor decrypts it. */
static int
recv_rsa_secret(struct ssh_conn *c, struct buf *msg)
{
	int r;

	if ((r = buf_get_stringb(msg, c->client_pub)) != 0 ||
	    (r = buf_expect_end(msg)) != 0)
		return conn_fail(c, r, SSH2_DISCONNECT_PROTOCOL_ERROR,
		    "malformed KEXRSA_SECRET");
	/* Longer than any K_T's modulus: refused as the monitor refuses
	 * every other bad secret, without asking it. */
	if (buf_len(c->client_pub) > KEX_RSA_SECRET_MAX)
		return conn_fail(c, SSH_ERR_INVALID_FORMAT,
		    SSH2_DISCONNECT_KEY_EXCHANGE_FAILED, "key exchange failed");
	c->ev.u.rsa.kex = c->kalg->ka_name;
	c->ev.u.rsa.data = buf_ptr(c->client_pub);
	c->ev.u.rsa.len = buf_len(c->client_pub);
	conn_set_event(c, CONN_EV_RSA_DECRYPT);
	c->kx = KX_WAIT_RSA_SECRET;
	return 0;
}

int
kex_rsa_secret(struct ssh_conn *c, const uint8_t *k, size_t len)
{
	int r;

	if (c->kx != KX_WAIT_RSA_SECRET)
		return SSH_ERR_STATE_VIOLATION;
	/* One answer for every bad ciphertext: no oracle. */
	if (k == NULL)
		return conn_fail(c, SSH_ERR_INVALID_FORMAT,
		    SSH2_DISCONNECT_KEY_EXCHANGE_FAILED, "key exchange failed");
	if ((r = buf_put(c->K, k, len)) != 0)
		return r;
	return kex_hash_and_sign(c);
}

static int
recv_gex_request(struct ssh_conn *c, struct buf *msg)
{
	struct buf *out;
	int r;

	if ((r = buf_get_u32(msg, &c->gex_min)) != 0 ||
	    (r = buf_get_u32(msg, &c->gex_n)) != 0 ||
	    (r = buf_get_u32(msg, &c->gex_max)) != 0 ||
	    (r = buf_expect_end(msg)) != 0)
		return conn_fail(c, r, SSH2_DISCONNECT_PROTOCOL_ERROR,
		    "malformed group exchange request");
	if ((r = kex_gex_choose(c->set.moduli, c->gex_min, c->gex_n,
	    c->gex_max, &c->gex_group)) != 0)
		return conn_fail(c, r, SSH2_DISCONNECT_KEY_EXCHANGE_FAILED,
		    "no group for %u/%u/%u: %s", c->gex_min, c->gex_n,
		    c->gex_max, ssh_err(r));
	out = conn_msg(c, SSH2_MSG_KEX_DH_GEX_GROUP);
	if ((r = dh_group_put(c->gex_group, out)) != 0 ||
	    (r = conn_send(c, out)) != 0)
		return r;
	c->kx = KX_WAIT_GEX_INIT;
	return 0;
}

int
kex_recv_method(struct ssh_conn *c, uint8_t type, struct buf *msg)
{
	/* RFC 4253 7: a wrong guess's packet is ignored. */
	if (c->skip_guess && c->kx == KX_WAIT_INIT) {
		c->skip_guess = 0;
		return 0;
	}
	if (c->kx == KX_WAIT_INIT && c->kalg->ka_kind == KEX_KIND_GEX &&
	    type == SSH2_MSG_KEX_DH_GEX_REQUEST)
		return recv_gex_request(c, msg);
	if (c->kx == KX_WAIT_GEX_INIT && type == SSH2_MSG_KEX_DH_GEX_INIT)
		return kex_compute(c, msg);
	if (c->kx == KX_WAIT_INIT && c->kalg->ka_kind == KEX_KIND_RSA) {
		if (type == SSH2_MSG_KEXRSA_SECRET)
			return recv_rsa_secret(c, msg);
	} else if (c->kx == KX_WAIT_INIT && c->kalg->ka_kind != KEX_KIND_GEX &&
	    type == SSH2_MSG_KEX_ECDH_INIT)
		return kex_compute(c, msg);
	return conn_fail(c, SSH_ERR_STATE_VIOLATION,
	    SSH2_DISCONNECT_PROTOCOL_ERROR,
	    "unexpected key exchange message %u", type);
}

static int
send_ext_info(struct ssh_conn *c)
{
	struct buf *out = conn_msg(c, SSH2_MSG_EXT_INFO);
	int r;

	if ((r = buf_put_u32(out, 3)) != 0 ||
	    (r = buf_put_cstring(out, "server-sig-algs")) != 0 ||
	    (r = buf_put_cstring(out, SERVER_SIG_ALGS)) != 0 ||
	    (r = buf_put_cstring(out, "publickey-hostbound@openssh.com")) != 0 ||
	    (r = buf_put_cstring(out, "0")) != 0 ||
	    (r = buf_put_cstring(out, "ping@openssh.com")) != 0 ||
	    (r = buf_put_cstring(out, "0")) != 0)
		return r;
	return pkt_send(c->pkt, out);
}

int
kex_signed(struct ssh_conn *c, const uint8_t *sig, size_t len)
{
	struct buf *out, *ks;
	int r;

	if (c->kx != KX_WAIT_SIGN)
		return SSH_ERR_STATE_VIOLATION;
	if (c->kalg->ka_kind == KEX_KIND_RSA) {
		/* KEXRSA_DONE: K_S and K_T went out in KEXRSA_PUBKEY. */
		out = conn_msg(c, SSH2_MSG_KEXRSA_DONE);
		if ((r = buf_put_string(out, sig, len)) != 0 ||
		    (r = pkt_send(c->pkt, out)) != 0)
			return r;
	} else {
		out = conn_msg(c, c->kalg->ka_kind == KEX_KIND_GEX ?
		    SSH2_MSG_KEX_DH_GEX_REPLY : SSH2_MSG_KEX_ECDH_REPLY);
		if ((ks = host_key_blob(c)) == NULL)
			return SSH_ERR_ALLOC_FAIL;
		r = buf_put_stringb(out, ks);
		buf_free(ks);
		if (r != 0 ||
		    (r = kex_put_public(c->kalg, out, buf_ptr(c->server_pub),
		    buf_len(c->server_pub))) != 0 ||
		    (r = buf_put_string(out, sig, len)) != 0 ||
		    (r = pkt_send(c->pkt, out)) != 0)
			return r;
	}
	/* Keys: IV A/B, encryption C/D, integrity E/F (RFC 4253 7.2). */
	if ((r = derive_dir(c, PKT_DIR_IN, 'A', 'C', 'E')) != 0 ||
	    (r = derive_dir(c, PKT_DIR_OUT, 'B', 'D', 'F')) != 0)
		return r;
	out = conn_msg(c, SSH2_MSG_NEWKEYS);
	if ((r = pkt_send(c->pkt, out)) != 0)
		return r;
	if ((r = pkt_set_keys(c->pkt, PKT_DIR_OUT, c->new_cipher[PKT_DIR_OUT],
	    c->new_mac[PKT_DIR_OUT], c->strict)) != 0)
		return r;
	c->new_cipher[PKT_DIR_OUT] = NULL;
	c->new_mac[PKT_DIR_OUT] = NULL;
	c->kex_ours_open = 0;
	/* RFC 8308 2.4: EXT_INFO right after the first NEWKEYS. */
	if (c->kex_done == 0 && c->ext_info_c && (r = send_ext_info(c)) != 0)
		return r;
	if ((r = conn_flush_deferred(c)) != 0)
		return r;
	c->kx = KX_WAIT_NEWKEYS;
	return 0;
}

int
kex_recv_newkeys(struct ssh_conn *c, uint8_t type, struct buf *msg)
{
	int r;

	if (c->kx != KX_WAIT_NEWKEYS)
		return conn_fail(c, SSH_ERR_STATE_VIOLATION,
		    SSH2_DISCONNECT_PROTOCOL_ERROR, "unexpected NEWKEYS");
	if ((r = buf_expect_end(msg)) != 0)
		return conn_fail(c, r, SSH2_DISCONNECT_PROTOCOL_ERROR,
		    "malformed NEWKEYS");
	if ((r = pkt_set_keys(c->pkt, PKT_DIR_IN, c->new_cipher[PKT_DIR_IN],
	    c->new_mac[PKT_DIR_IN], c->strict)) != 0)
		return r;
	c->new_cipher[PKT_DIR_IN] = NULL;
	c->new_mac[PKT_DIR_IN] = NULL;
	c->kex_peer_open = 0;
	c->kx = KX_NONE;
	c->kex_done++;
	kex_clear(c);
	if (c->phase == PH_KEX0)
		c->phase = PH_SERVICE;
	c->rekey_at = c->set.rekey_interval_ms != 0 ?
	    c->now + c->set.rekey_interval_ms : 0;
	return 0;
}

/* Bytes one key may protect: the configured limit, and RFC 4344's
 * 2^(L/4) blocks for L-bit block ciphers (a conservative 1 GiB for the
 * 8-byte granularity of chacha20-poly1305, as OpenSSH uses). */
static uint64_t
rekey_bytes(const struct ssh_conn *c, int d)
{
	const struct cipher_alg *alg = cipher_by_name(c->neg.enc[d]);
	uint64_t limit = 1ULL << 30;

	if (alg != NULL && cipher_alg_block_size(alg) >= 16)
		limit = (1ULL << 32) * cipher_alg_block_size(alg);
	if (c->set.rekey_limit != 0 && c->set.rekey_limit < limit)
		limit = c->set.rekey_limit;
	return limit;
}

int
kex_check_rekey(struct ssh_conn *c)
{
	const struct pkt_counters *in, *out;

	if (c->kx != KX_NONE || c->phase < PH_SERVICE || c->closed)
		return 0;
	in = pkt_counters(c->pkt, PKT_DIR_IN);
	out = pkt_counters(c->pkt, PKT_DIR_OUT);
	if ((c->rekey_at != 0 && c->now >= c->rekey_at) ||
	    in->bytes >= rekey_bytes(c, KEX_DIR_CS) ||
	    out->bytes >= rekey_bytes(c, KEX_DIR_SC) ||
	    in->packets >= REKEY_MAX_PACKETS || out->packets >= REKEY_MAX_PACKETS)
		return kex_start(c);
	return 0;
}
