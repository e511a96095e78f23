/* testclient.c: a scripted in-memory SSH client (see testclient.h). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "protocol/buf.h"
#include "protocol/cipher.h"
#include "protocol/kex_method.h"
#include "protocol/kexinit.h"
#include "protocol/key.h"
#include "protocol/mac.h"
#include "protocol/packet.h"
#include "protocol/sig.h"
#include "protocol/ssh2.h"
#include "protocol/ssherr.h"
#include "protocol/version.h"
#include "tests/unit/testclient.h"

#define TC_VERSION	"SSH-2.0-testclient"
#define TC_KEX		"curve25519-sha256"

int
tclient_new(struct tclient *tc, const char *cipher, const char *mac,
    int strict)
{
	int r;

	memset(tc, 0, sizeof(*tc));
	tc->cipher = cipher;
	tc->mac = mac;
	tc->strict = strict;
	tc->auth_answer = CONN_AUTH_SUCCESS;
	if ((r = key_generate(KEY_ED25519, 0, &tc->hostkey)) != 0)
		return r;
	tc->pubkeys[0] = tc->hostkey;
	tc->set.version = "SSH-2.0-nanossh_test";
	tc->set.kex = "mlkem768x25519-sha256,sntrup761x25519-sha512,"
	    "sntrup761x25519-sha512@openssh.com," TC_KEX ",ecdh-sha2-nistp256";
	tc->set.ciphers = "chacha20-poly1305@openssh.com,aes128-gcm@openssh.com,"
	    "aes256-gcm@openssh.com,aes128-ctr,aes192-ctr,aes256-ctr";
	tc->set.macs = "hmac-sha2-256-etm@openssh.com,"
	    "hmac-sha2-512-etm@openssh.com,hmac-sha2-256,hmac-sha2-512";
	tc->set.hostkey_algs = "ssh-ed25519";
	tc->set.hostkeys = tc->pubkeys;
	tc->set.nhostkeys = 1;
	tc->set.auth_methods = "publickey,password,keyboard-interactive";
	tc->set.max_auth_tries = 6;
	tc->set.max_channels = 10;
	if ((tc->srv = conn_new(&tc->set, 0)) == NULL ||
	    (tc->pkt = pkt_new()) == NULL || (tc->kexinit_ours = buf_new()) ==
	    NULL || (tc->kexinit_peer = buf_new()) == NULL ||
	    (tc->session_id = buf_new()) == NULL) {
		tclient_free(tc);
		return SSH_ERR_ALLOC_FAIL;
	}
	return 0;
}

void
tclient_free(struct tclient *tc)
{
	conn_free(tc->srv);
	pkt_free(tc->pkt);
	key_free(tc->hostkey);
	buf_free(tc->kexinit_ours);
	buf_free(tc->kexinit_peer);
	buf_free(tc->session_id);
	buf_free(tc->server_host_key);
	memset(tc, 0, sizeof(*tc));
}

/* Client bytes to the server. */
static int
to_server(struct tclient *tc)
{
	const uint8_t *p;
	size_t len;
	int r;

	p = pkt_output(tc->pkt, &len);
	if (len == 0)
		return 0;
	r = conn_input(tc->srv, p, len, tc->now);
	(void)pkt_output_consume(tc->pkt, len);
	return r;
}

/* Server bytes to the client. */
static int
to_client(struct tclient *tc)
{
	const uint8_t *p;
	size_t len;
	int r;

	p = conn_output(tc->srv, &len);
	if (len == 0)
		return 0;
	if ((r = pkt_input_put(tc->pkt, p, len)) != 0)
		return r;
	return conn_output_consume(tc->srv, len);
}

/* RSA key exchange, as the monitor does it. */
static int
rsa_pubkey(struct tclient *tc, const char *kex)
{
	struct buf *blob;
	int r;

	/* One key per method for the whole process, as a monitor keeps
	 * it for its lifetime: key generation would dominate a fuzzer. */
	static struct sshkey *keys[2];
	const struct kex_alg *alg = kex_alg_by_name(kex);
	struct sshkey **slot = &keys[alg->ka_rsa_bits == 2048 ? 0 : 1];

	if (*slot == NULL && (r = kex_rsa_keygen(alg, slot)) != 0)
		return r;
	tc->rsa_key = *slot;
	if ((blob = buf_new()) == NULL)
		return SSH_ERR_ALLOC_FAIL;
	if ((r = key_to_blob(tc->rsa_key, blob)) == 0)
		r = conn_rsa_pubkey_done(tc->srv, buf_ptr(blob), buf_len(blob));
	buf_free(blob);
	return r;
}

static int
rsa_decrypt(struct tclient *tc, const char *kex, const uint8_t *ct,
    size_t len)
{
	struct buf *K;
	int r;

	if ((K = buf_new()) == NULL)
		return SSH_ERR_ALLOC_FAIL;
	r = kex_rsa_decrypt(kex_alg_by_name(kex), tc->rsa_key, ct, len, K);
	if (r == SSH_ERR_INVALID_FORMAT) {
		tc->rsa_decrypt_failed = 1;
		r = conn_rsa_secret_done(tc->srv, NULL, 0);
	} else if (r == 0)
		r = conn_rsa_secret_done(tc->srv, buf_ptr(K), buf_len(K));
	buf_free(K);
	return r;
}

int
tclient_events(struct tclient *tc)
{
	struct conn_event ev;
	struct buf *sig;
	enum conn_auth_result res;
	int r = 0;

	while (r == 0 && conn_next_event(tc->srv, &ev)) {
		switch (ev.type) {
		case CONN_EV_SIGN:
			if ((sig = buf_new()) == NULL)
				return SSH_ERR_ALLOC_FAIL;
			if ((r = sig_sign(tc->hostkey, ev.u.sign.alg,
			    ev.u.sign.data, ev.u.sign.len, sig)) == 0)
				r = conn_sign_done(tc->srv, buf_ptr(sig),
				    buf_len(sig));
			buf_free(sig);
			break;
		case CONN_EV_RSA_PUBKEY:
			r = rsa_pubkey(tc, ev.u.rsa.kex);
			break;
		case CONN_EV_RSA_DECRYPT:
			r = rsa_decrypt(tc, ev.u.rsa.kex, ev.u.rsa.data,
			    ev.u.rsa.len);
			break;
		case CONN_EV_AUTH_PUBKEY:
			res = (enum conn_auth_result)tc->auth_answer;
			if (ev.u.auth_pubkey.sig == NULL &&
			    res != CONN_AUTH_FAILURE)
				res = CONN_AUTH_PK_OK;
			else if (ev.u.auth_pubkey.sig != NULL &&
			    res == CONN_AUTH_PK_OK)
				res = CONN_AUTH_SUCCESS;
			r = conn_auth_done(tc->srv, res, tc->partial_methods);
			break;
		case CONN_EV_AUTH_PASSWORD:
			snprintf(tc->last_secret, sizeof(tc->last_secret),
			    "%.*s%s%.*s", (int)ev.u.auth_password.len,
			    (const char *)ev.u.auth_password.password,
			    ev.u.auth_password.newpassword != NULL ? ">" : "",
			    (int)ev.u.auth_password.newlen,
			    ev.u.auth_password.newpassword != NULL ?
			    (const char *)ev.u.auth_password.newpassword : "");
			if (tc->changereq &&
			    ev.u.auth_password.newpassword == NULL) {
				r = conn_passwd_changereq(tc->srv, "expired");
				break;
			}
			r = conn_auth_done(tc->srv,
			    (enum conn_auth_result)tc->auth_answer,
			    tc->partial_methods);
			break;
		case CONN_EV_AUTH_KBDINT: {
			static const char *const prompts[] = {
				"Password: ", "Code: ",
			};
			static const int echo[] = { 0, 1 };
			size_t i;

			if (ev.u.auth_kbdint.n == 0) {
				r = conn_kbdint_prompts(tc->srv, "", "",
				    2, prompts, echo);
				break;
			}
			tc->last_secret[0] = '\0';
			for (i = 0; i < ev.u.auth_kbdint.n; i++)
				snprintf(tc->last_secret + strlen(tc->last_secret),
				    sizeof(tc->last_secret) -
				    strlen(tc->last_secret), "%s%.*s",
				    i ? "|" : "", (int)ev.u.auth_kbdint.lens[i],
				    (const char *)ev.u.auth_kbdint.responses[i]);
			r = conn_auth_done(tc->srv,
			    (enum conn_auth_result)tc->auth_answer, NULL);
			break;
		}
		case CONN_EV_AUTHENTICATED:
			tc->authenticated = 1;
			break;
		default:
			break;
		}
	}
	return r;
}

int
tclient_send(struct tclient *tc, const struct buf *payload)
{
	int r;

	if ((r = pkt_send(tc->pkt, payload)) != 0)
		return r;
	return to_server(tc);
}

int
tclient_recv(struct tclient *tc, struct buf **payloadp)
{
	int r;

	if ((r = tclient_events(tc)) != 0 || (r = to_client(tc)) != 0)
		return r;
	return pkt_next(tc->pkt, payloadp);
}

/* The next payload, which must be of type want (other types skipped:
 * EXT_INFO, IGNORE and the like). */
static int
expect(struct tclient *tc, uint8_t want, struct buf **payloadp)
{
	struct buf *p;
	uint8_t type;
	int r, tries;

	for (tries = 0; tries < 16; tries++) {
		if ((r = tclient_recv(tc, &p)) != 0)
			return r;
		if ((r = buf_get_u8(p, &type)) != 0)
			return r;
		if (type == want) {
			*payloadp = p;
			return 0;
		}
		if (type == SSH2_MSG_DISCONNECT)
			return SSH_ERR_DISCONNECTED;
	}
	return SSH_ERR_PROTOCOL_ERROR;
}

static int
send_kexinit(struct tclient *tc)
{
	struct kexinit ki;
	char kex[128];
	int r;

	memset(&ki, 0, sizeof(ki));
	snprintf(kex, sizeof(kex), "%s,ext-info-c%s",
	    tc->kex != NULL ? tc->kex : TC_KEX,
	    tc->strict ? "," KEX_STRICT_C : "");
	ki.lists[KEXI_KEX] = kex;
	ki.lists[KEXI_HOSTKEY] = (char *)(tc->hostkey_algs != NULL ?
	    tc->hostkey_algs : "ssh-ed25519");
	ki.lists[KEXI_ENC_CS] = ki.lists[KEXI_ENC_SC] = (char *)tc->cipher;
	ki.lists[KEXI_MAC_CS] = ki.lists[KEXI_MAC_SC] =
	    (char *)(tc->mac != NULL ? tc->mac : "hmac-sha2-256");
	ki.lists[KEXI_COMP_CS] = ki.lists[KEXI_COMP_SC] = "none";
	ki.lists[KEXI_LANG_CS] = ki.lists[KEXI_LANG_SC] = "";
	if ((r = kexinit_build(&ki, tc->kexinit_ours)) != 0)
		return r;
	return tclient_send(tc, tc->kexinit_ours);
}

static int
new_keys(struct tclient *tc, const struct kex_alg *alg, const struct buf *K,
    const struct buf *H, int dir)
{
	const struct cipher_alg *calg = cipher_by_name(tc->cipher);
	const struct mac_alg *malg = cipher_alg_is_aead(calg) ? NULL :
	    mac_by_name(tc->mac);
	struct buf *iv = buf_new(), *key = buf_new(), *mkey = buf_new();
	struct cipher_ctx *c = NULL;
	struct mac_ctx *m = NULL;
	int out = dir == PKT_DIR_OUT, r;

	if (iv == NULL || key == NULL || mkey == NULL) {
		r = SSH_ERR_ALLOC_FAIL;
		goto done;
	}
	if ((cipher_alg_iv_len(calg) != 0 && (r = kex_derive_key(alg, K, H,
	    tc->session_id, out ? 'A' : 'B', cipher_alg_iv_len(calg), iv)) !=
	    0) || (r = kex_derive_key(alg, K, H, tc->session_id, out ? 'C' :
	    'D', cipher_alg_key_len(calg), key)) != 0 ||
	    (r = cipher_init(&c, calg, buf_ptr(key), buf_len(key),
	    buf_ptr(iv), buf_len(iv), out)) != 0)
		goto done;
	if (malg != NULL && ((r = kex_derive_key(alg, K, H, tc->session_id,
	    out ? 'E' : 'F', mac_alg_key_len(malg), mkey)) != 0 ||
	    (r = mac_init(&m, malg, buf_ptr(mkey), buf_len(mkey))) != 0))
		goto done;
	r = pkt_set_keys(tc->pkt, dir, c, m, tc->strict);
	c = NULL;
	m = NULL;
 done:
	cipher_free(c);
	mac_free(m);
	buf_free(iv);
	buf_free(key);
	buf_free(mkey);
	return r;
}

int
tclient_handshake(struct tclient *tc)
{
	const struct kex_alg *alg = kex_alg_by_name(tc->kex != NULL ? tc->kex :
	    TC_KEX);
	struct kex_keypair *kp = NULL;
	struct kex_hash_input in;
	struct buf *qc = buf_new(), *qs = buf_new(), *K = buf_new();
	struct buf *H = buf_new(), *ks = buf_new(), *msg = buf_new(), *p;
	struct version_rx vrx = { 0 };
	const uint8_t *d, *sig;
	size_t len, siglen;
	char *sversion = NULL;
	int r;

	if (qc == NULL || qs == NULL || K == NULL || H == NULL || ks == NULL ||
	    msg == NULL) {
		r = SSH_ERR_ALLOC_FAIL;
		goto out;
	}
	if ((r = conn_input(tc->srv, (const uint8_t *)TC_VERSION "\r\n",
	    strlen(TC_VERSION) + 2, tc->now)) != 0 ||
	    (r = send_kexinit(tc)) != 0 || (r = to_client(tc)) != 0 ||
	    (r = version_parse(&vrx, pkt_input_raw(tc->pkt), &sversion)) != 0)
		goto out;
	if ((r = expect(tc, SSH2_MSG_KEXINIT, &p)) != 0 ||
	    (r = buf_put_u8(tc->kexinit_peer, SSH2_MSG_KEXINIT)) != 0 ||
	    (r = buf_putb(tc->kexinit_peer, p)) != 0)
		goto out;
	if (alg->ka_kind == KEX_KIND_RSA) {
		/* RFC 4432: K_S and K_T first, our secret, the signature. */
		if ((r = expect(tc, SSH2_MSG_KEXRSA_PUBKEY, &p)) != 0 ||
		    (r = buf_get_stringb(p, ks)) != 0 ||
		    (r = buf_get_stringb(p, qs)) != 0 ||
		    (r = buf_expect_end(p)) != 0 ||
		    (r = kex_rsa_encrypt(alg, buf_ptr(qs), buf_len(qs), K,
		    qc)) != 0 ||
		    (tc->edit_qc != NULL && (r = tc->edit_qc(qc)) != 0) ||
		    (r = buf_put_u8(msg, SSH2_MSG_KEXRSA_SECRET)) != 0 ||
		    (r = buf_put_stringb(msg, qc)) != 0 ||
		    (r = tclient_send(tc, msg)) != 0 ||
		    (r = expect(tc, SSH2_MSG_KEXRSA_DONE, &p)) != 0 ||
		    (r = buf_get_string_direct(p, &sig, &siglen)) != 0 ||
		    (r = buf_expect_end(p)) != 0)
			goto out;
	} else if ((r = kex_keypair_new(alg, NULL, &kp)) != 0 ||
	    (r = kex_keypair_public(kp, qc)) != 0 ||
	    (tc->edit_qc != NULL && (r = tc->edit_qc(qc)) != 0) ||
	    (r = buf_put_u8(msg, SSH2_MSG_KEX_ECDH_INIT)) != 0 ||
	    (r = kex_put_public(alg, msg, buf_ptr(qc), buf_len(qc))) != 0 ||
	    (r = tclient_send(tc, msg)) != 0 ||
	    (r = expect(tc, SSH2_MSG_KEX_ECDH_REPLY, &p)) != 0 ||
	    (r = buf_get_stringb(p, ks)) != 0 ||
	    (r = kex_get_public(alg, p, &d, &len)) != 0 ||
	    (r = buf_put(qs, d, len)) != 0 ||
	    (r = buf_get_string_direct(p, &sig, &siglen)) != 0 ||
	    (r = buf_expect_end(p)) != 0 ||
	    (r = kex_shared_secret(kp, buf_ptr(qs), buf_len(qs), K)) != 0)
		goto out;
	memset(&in, 0, sizeof(in));
	in.kh_client_version = TC_VERSION;
	in.kh_server_version = sversion;
	in.kh_client_kexinit = tc->kexinit_ours;
	in.kh_server_kexinit = tc->kexinit_peer;
	in.kh_host_key = ks;
	in.kh_client_pub = qc;
	in.kh_server_pub = qs;
	in.kh_shared_secret = K;
	if ((r = kex_exchange_hash(alg, &in, H)) != 0 ||
	    (r = sig_verify(tc->hostkey, sig, siglen, buf_ptr(H), buf_len(H),
	    "ssh-ed25519", 0)) != 0 ||
	    (r = buf_putb(tc->session_id, H)) != 0)
		goto out;
	if ((r = expect(tc, SSH2_MSG_NEWKEYS, &p)) != 0 ||
	    (r = new_keys(tc, alg, K, H, PKT_DIR_IN)) != 0)
		goto out;
	buf_reset(msg);
	if ((r = buf_put_u8(msg, SSH2_MSG_NEWKEYS)) != 0 ||
	    (r = tclient_send(tc, msg)) != 0 ||
	    (r = new_keys(tc, alg, K, H, PKT_DIR_OUT)) != 0)
		goto out;
	buf_reset(msg);
	if ((r = buf_put_u8(msg, SSH2_MSG_SERVICE_REQUEST)) != 0 ||
	    (r = buf_put_cstring(msg, "ssh-userauth")) != 0 ||
	    (r = tclient_send(tc, msg)) != 0 ||
	    (r = expect(tc, SSH2_MSG_SERVICE_ACCEPT, &p)) != 0)
		goto out;
	buf_free(tc->server_host_key);
	tc->server_host_key = ks;
	ks = NULL;
	r = 0;
 out:
	kex_keypair_free(kp);
	free(sversion);
	buf_free(qc);
	buf_free(qs);
	buf_free(K);
	buf_free(H);
	buf_free(ks);
	buf_free(msg);
	return r;
}
