/*
 * kex_derive.c: the exchange hash H and the session-key derivation
 * (RFC 4253 sections 7.2 and 8, RFC 4419 section 3, RFC 5656 section 4,
 * RFC 4432 section 5).
 */
#include <stdlib.h>
#include <string.h>

#include <bsd/stdlib.h>
#include <openssl/evp.h>

#include "protocol/buf.h"
#include "protocol/dh_groups.h"
#include "protocol/kex_method.h"
#include "protocol/ssherr.h"

#define KEX_HASH_MAX	64	/* SHA-512 */

static int
check_alg(const struct kex_alg *alg)
{
	if (alg == NULL || alg != kex_alg_by_name(alg->ka_name) ||
	    alg->ka_hash_len > KEX_HASH_MAX)
		return SSH_ERR_INVALID_ARGUMENT;
	return 0;
}

/* Hashes the n buffers' contents in turn into out (alg->ka_hash_len bytes). */
static int
hash_bufs(const struct kex_alg *alg, const struct buf **parts, size_t n,
    uint8_t *out)
{
	EVP_MD *md = NULL;
	EVP_MD_CTX *ctx = NULL;
	unsigned int len = 0;
	size_t i;
	int r = SSH_ERR_LIBCRYPTO_ERROR;

	if ((md = EVP_MD_fetch(NULL, alg->ka_hash, NULL)) == NULL ||
	    (size_t)EVP_MD_get_size(md) != alg->ka_hash_len ||
	    (ctx = EVP_MD_CTX_new()) == NULL ||
	    EVP_DigestInit_ex2(ctx, md, NULL) != 1)
		goto out;
	for (i = 0; i < n; i++) {
		if (EVP_DigestUpdate(ctx, buf_ptr(parts[i]),
		    buf_len(parts[i])) != 1)
			goto out;
	}
	if (EVP_DigestFinal_ex(ctx, out, &len) != 1 ||
	    len != alg->ka_hash_len)
		goto out;
	r = 0;
 out:
	EVP_MD_CTX_free(ctx);
	EVP_MD_free(md);
	return r;
}

static int
put_hash_input(const struct kex_alg *alg, const struct kex_hash_input *in,
    struct buf *b)
{
	int r;

	if ((r = buf_put_cstring(b, in->kh_client_version)) != 0 ||
	    (r = buf_put_cstring(b, in->kh_server_version)) != 0 ||
	    (r = buf_put_stringb(b, in->kh_client_kexinit)) != 0 ||
	    (r = buf_put_stringb(b, in->kh_server_kexinit)) != 0 ||
	    (r = buf_put_stringb(b, in->kh_host_key)) != 0)
		return r;
	if (alg->ka_kind == KEX_KIND_GEX) {
		if ((r = buf_put_u32(b, in->kh_gex_min)) != 0 ||
		    (r = buf_put_u32(b, in->kh_gex_n)) != 0 ||
		    (r = buf_put_u32(b, in->kh_gex_max)) != 0 ||
		    (r = dh_group_put(in->kh_gex_group, b)) != 0)
			return r;
	}
	/* RFC 4432 section 5: the server's K_T comes before the client's
	 * encrypted secret. */
	if (alg->ka_kind == KEX_KIND_RSA) {
		if ((r = buf_put_stringb(b, in->kh_server_pub)) != 0 ||
		    (r = buf_put_stringb(b, in->kh_client_pub)) != 0)
			return r;
	} else if ((r = kex_put_public(alg, b, buf_ptr(in->kh_client_pub),
	    buf_len(in->kh_client_pub))) != 0 ||
	    (r = kex_put_public(alg, b, buf_ptr(in->kh_server_pub),
	    buf_len(in->kh_server_pub))) != 0)
		return r;
	/* K arrives mpint-encoded already. */
	return buf_putb(b, in->kh_shared_secret);
}

int
kex_exchange_hash(const struct kex_alg *alg,
    const struct kex_hash_input *in, struct buf *out)
{
	struct buf *b = NULL;
	const struct buf *parts[1];
	uint8_t hash[KEX_HASH_MAX];
	int r = SSH_ERR_INTERNAL_ERROR;

	if ((r = check_alg(alg)) != 0)
		return r;
	if (in == NULL || out == NULL || in->kh_client_version == NULL ||
	    in->kh_server_version == NULL || in->kh_client_kexinit == NULL ||
	    in->kh_server_kexinit == NULL || in->kh_host_key == NULL ||
	    in->kh_client_pub == NULL || in->kh_server_pub == NULL ||
	    in->kh_shared_secret == NULL ||
	    (alg->ka_kind == KEX_KIND_GEX && in->kh_gex_group == NULL))
		return SSH_ERR_INVALID_ARGUMENT;
	if ((b = buf_new()) == NULL)
		return SSH_ERR_ALLOC_FAIL;
	if ((r = put_hash_input(alg, in, b)) != 0)
		goto out;
	parts[0] = b;
	if ((r = hash_bufs(alg, parts, 1, hash)) != 0)
		goto out;
	r = buf_put(out, hash, alg->ka_hash_len);
 out:
	explicit_bzero(hash, sizeof(hash));
	buf_free(b);	/* wipes: it held K */
	return r;
}

int
kex_derive_key(const struct kex_alg *alg, const struct buf *K,
    const struct buf *H, const struct buf *session_id, char letter,
    size_t need, struct buf *out)
{
	struct buf *prefix = NULL, *block = NULL, *acc = NULL;
	const struct buf *parts[3];
	uint8_t hash[KEX_HASH_MAX];
	int r = SSH_ERR_INTERNAL_ERROR;

	if ((r = check_alg(alg)) != 0)
		return r;
	if (K == NULL || H == NULL || session_id == NULL || out == NULL ||
	    letter < 'A' || letter > 'F' || need == 0)
		return SSH_ERR_INVALID_ARGUMENT;
	if ((r = buf_check_reserve(out, need)) != 0)
		return r;
	r = SSH_ERR_ALLOC_FAIL;
	if ((prefix = buf_new()) == NULL || (block = buf_new()) == NULL ||
	    (acc = buf_new()) == NULL)
		goto out;
	/* K1 = HASH(K || H || letter || session_id) */
	if ((r = buf_putb(prefix, K)) != 0 || (r = buf_putb(prefix, H)) != 0 ||
	    (r = buf_put_u8(block, (uint8_t)letter)) != 0 ||
	    (r = buf_putb(block, session_id)) != 0)
		goto out;
	parts[0] = prefix;
	parts[1] = block;
	if ((r = hash_bufs(alg, parts, 2, hash)) != 0 ||
	    (r = buf_put(acc, hash, alg->ka_hash_len)) != 0)
		goto out;
	/* Kn = HASH(K || H || K1 || ... || Kn-1) */
	parts[1] = acc;
	while (buf_len(acc) < need) {
		if ((r = hash_bufs(alg, parts, 2, hash)) != 0 ||
		    (r = buf_put(acc, hash, alg->ka_hash_len)) != 0)
			goto out;
	}
	r = buf_put(out, buf_ptr(acc), need);
 out:
	explicit_bzero(hash, sizeof(hash));
	buf_free(prefix);
	buf_free(block);
	buf_free(acc);
	return r;
}
