/*
 * key.c: the SSH key model: key types, generation, public blobs,
 * fingerprints and authorized_keys-style lines.  A security key
 * (PROTOCOL.u2f) is its plain key's EVP_PKEY under the sk type, plus the
 * application string that follows the plain fields in its blob.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/param_build.h>

#include <bsd/stdlib.h>

#include "protocol/buf.h"
#include "protocol/key.h"
#include "protocol/key_local.h"
#include "protocol/publine.h"
#include "protocol/ssherr.h"

static const struct key_info key_infos[] = {
	{ KEY_ED25519, "ssh-ed25519", "ED25519", NULL, NULL, NULL, 256 },
	{ KEY_ECDSA_P256, "ecdsa-sha2-nistp256", "ECDSA", "nistp256",
	    "P-256", "prime256v1", 256 },
	{ KEY_ECDSA_P384, "ecdsa-sha2-nistp384", "ECDSA", "nistp384",
	    "P-384", "secp384r1", 384 },
	{ KEY_ECDSA_P521, "ecdsa-sha2-nistp521", "ECDSA", "nistp521",
	    "P-521", "secp521r1", 521 },
	{ KEY_RSA, "ssh-rsa", "RSA", NULL, NULL, NULL, 0 },
	/* No group names: an EVP_PKEY alone is always the plain type. */
	{ KEY_SK_ED25519, "sk-ssh-ed25519@openssh.com", "ED25519-SK", NULL,
	    NULL, NULL, 256 },
	{ KEY_SK_ECDSA_P256, "sk-ecdsa-sha2-nistp256@openssh.com", "ECDSA-SK",
	    NULL, NULL, NULL, 256 },
	{ KEY_DSA, "ssh-dss", "DSA", NULL, NULL, NULL, KEY_DSA_P_BITS },
};

const struct key_info *
key_info_by_type(enum key_type type)
{
	size_t i;

	for (i = 0; i < sizeof(key_infos) / sizeof(key_infos[0]); i++)
		if (key_infos[i].ki_type == type)
			return &key_infos[i];
	return NULL;
}

int
key_type_is_ecdsa(enum key_type type)
{
	return type == KEY_ECDSA_P256 || type == KEY_ECDSA_P384 ||
	    type == KEY_ECDSA_P521;
}

int
key_type_is_sk(enum key_type type)
{
	return type == KEY_SK_ED25519 || type == KEY_SK_ECDSA_P256;
}

enum key_type
key_type_plain(enum key_type type)
{
	switch (type) {
	case KEY_SK_ED25519:
		return KEY_ED25519;
	case KEY_SK_ECDSA_P256:
		return KEY_ECDSA_P256;
	default:
		return type;
	}
}

const char *
key_sk_application(const struct sshkey *key)
{
	return key == NULL ? NULL : key->k_sk_app;
}

enum key_type
key_type_from_group(const char *group)
{
	size_t i;

	for (i = 0; i < sizeof(key_infos) / sizeof(key_infos[0]); i++) {
		if (key_infos[i].ki_group == NULL)
			continue;
		if (strcmp(group, key_infos[i].ki_group) == 0 ||
		    strcmp(group, key_infos[i].ki_group_sn) == 0)
			return key_infos[i].ki_type;
	}
	return KEY_UNSPEC;
}

enum key_type
key_type_from_name(const char *name)
{
	size_t i;

	if (name == NULL)
		return KEY_UNSPEC;
	for (i = 0; i < sizeof(key_infos) / sizeof(key_infos[0]); i++)
		if (strcmp(key_infos[i].ki_name, name) == 0)
			return key_infos[i].ki_type;
	return KEY_UNSPEC;
}

void
key_free(struct sshkey *key)
{
	if (key == NULL)
		return;
	EVP_PKEY_free(key->k_pkey);
	free(key->k_sk_app);
	freezero(key, sizeof(*key));
}

enum key_type
key_type(const struct sshkey *key)
{
	return key == NULL ? KEY_UNSPEC : key->k_type;
}

const char *
key_type_name(const struct sshkey *key)
{
	const struct key_info *ki;

	if (key == NULL || (ki = key_info_by_type(key->k_type)) == NULL)
		return "unknown";
	return ki->ki_name;
}

const char *
key_type_short(const struct sshkey *key)
{
	const struct key_info *ki;

	if (key == NULL || (ki = key_info_by_type(key->k_type)) == NULL)
		return "unknown";
	return ki->ki_short;
}

unsigned int
key_bits(const struct sshkey *key)
{
	const struct key_info *ki;
	int bits;

	if (key == NULL || (ki = key_info_by_type(key->k_type)) == NULL)
		return 0;
	if (key->k_type != KEY_RSA)
		return ki->ki_bits;
	if ((bits = EVP_PKEY_get_bits(key->k_pkey)) <= 0)
		return 0;
	return (unsigned int)bits;
}

int
key_is_private(const struct sshkey *key)
{
	return key != NULL && key->k_private;
}

struct evp_pkey_st *
key_evp(const struct sshkey *key)
{
	return key == NULL ? NULL : key->k_pkey;
}

int
key_generate(enum key_type type, unsigned int bits, struct sshkey **keyp)
{
	const struct key_info *ki;
	EVP_PKEY *pkey = NULL;
	int r = SSH_ERR_INTERNAL_ERROR;

	if (keyp == NULL)
		return SSH_ERR_INVALID_ARGUMENT;
	*keyp = NULL;
	if (key_type_is_ecdsa(type) && bits != 0) {
		/* bits picks the curve, as ssh-keygen -t ecdsa -b does. */
		switch (bits) {
		case 256:
			type = KEY_ECDSA_P256;
			break;
		case 384:
			type = KEY_ECDSA_P384;
			break;
		case 521:
			type = KEY_ECDSA_P521;
			break;
		default:
			return SSH_ERR_KEY_LENGTH;
		}
	}
	if ((ki = key_info_by_type(type)) == NULL)
		return SSH_ERR_KEY_TYPE_UNKNOWN;
	switch (type) {
	case KEY_ED25519:
		pkey = EVP_PKEY_Q_keygen(NULL, NULL, "ED25519");
		break;
	case KEY_ECDSA_P256:
	case KEY_ECDSA_P384:
	case KEY_ECDSA_P521:
		pkey = EVP_PKEY_Q_keygen(NULL, NULL, "EC", ki->ki_group);
		break;
	case KEY_RSA:
		if (bits == 0)
			bits = KEY_RSA_DEFAULT_BITS;
		if (bits < KEY_RSA_GEN_MIN_BITS || bits > KEY_RSA_MAX_BITS)
			return SSH_ERR_KEY_LENGTH;
		pkey = EVP_PKEY_Q_keygen(NULL, NULL, "RSA", (size_t)bits);
		break;
	default:
		return SSH_ERR_KEY_TYPE_UNKNOWN;
	}
	if (pkey == NULL) {
		ERR_clear_error();
		return SSH_ERR_LIBCRYPTO_ERROR;
	}
	if ((r = key_new(type, pkey, 1, keyp)) != 0)
		EVP_PKEY_free(pkey);
	return r;
}

/* The type-specific public fields of a blob, after the name. */
static int
key_put_public_fields(const struct sshkey *k, struct buf *b)
{
	enum key_type type = key_type_plain(k->k_type);
	const struct key_info *ki = key_info_by_type(type);
	BIGNUM *n = NULL, *e = NULL;
	struct buf *q = NULL;
	uint8_t pk[ED25519_PK_LEN];
	size_t len = sizeof(pk);
	int r = SSH_ERR_INTERNAL_ERROR;

	if (ki == NULL)
		return SSH_ERR_KEY_TYPE_UNKNOWN;
	switch (type) {
	case KEY_ED25519:
		if (EVP_PKEY_get_raw_public_key(k->k_pkey, pk, &len) != 1 ||
		    len != sizeof(pk)) {
			r = SSH_ERR_LIBCRYPTO_ERROR;
			goto out;
		}
		r = buf_put_string(b, pk, len);
		break;
	case KEY_ECDSA_P256:
	case KEY_ECDSA_P384:
	case KEY_ECDSA_P521:
		if ((q = buf_new()) == NULL) {
			r = SSH_ERR_ALLOC_FAIL;
			goto out;
		}
		if ((r = key_ec_point(k, q)) != 0 ||
		    (r = buf_put_cstring(b, ki->ki_curve)) != 0)
			goto out;
		r = buf_put_stringb(b, q);
		break;
	case KEY_RSA:
		if ((r = key_get_bn(k->k_pkey, OSSL_PKEY_PARAM_RSA_N, &n)) != 0 ||
		    (r = key_get_bn(k->k_pkey, OSSL_PKEY_PARAM_RSA_E, &e)) != 0 ||
		    (r = key_put_bn(b, e)) != 0)
			goto out;
		r = key_put_bn(b, n);
		break;
	case KEY_DSA:
		r = key_put_dsa(k, 0, b);
		break;
	default:
		r = SSH_ERR_KEY_TYPE_UNKNOWN;
		break;
	}
	if (r == 0 && key_type_is_sk(k->k_type))
		r = buf_put_cstring(b, k->k_sk_app);
 out:
	BN_free(n);
	BN_free(e);
	buf_free(q);
	return r;
}

int
key_to_blob(const struct sshkey *key, struct buf *out)
{
	int r;

	if (key == NULL || out == NULL)
		return SSH_ERR_INVALID_ARGUMENT;
	if ((r = buf_put_cstring(out, key_type_name(key))) != 0)
		return r;
	return key_put_public_fields(key, out);
}

/* For ECDSA: reads the curve identifier and checks it matches type. */
int
key_get_curve(struct buf *b, enum key_type type)
{
	const struct key_info *ki = key_info_by_type(type);
	char *curve = NULL;
	int r;

	if ((r = buf_get_cstring(b, &curve, NULL)) != 0)
		return r;
	r = strcmp(curve, ki->ki_curve) == 0 ? 0 : SSH_ERR_EC_CURVE_MISMATCH;
	free(curve);
	return r;
}

/* Reads an uncompressed point of the right length for the curve. */
int
key_get_ec_point(struct buf *b, enum key_type type, const uint8_t **qp,
    size_t *qlenp)
{
	const struct key_info *ki = key_info_by_type(type);
	int r;

	if ((r = buf_get_string_direct(b, qp, qlenp)) != 0)
		return r;
	if (*qlenp != 1 + 2 * ((ki->ki_bits + 7) / 8) || (*qp)[0] != 0x04)
		return SSH_ERR_KEY_INVALID_EC_VALUE;
	return 0;
}

static int
key_parse_public_fields(struct buf *b, enum key_type type,
    struct sshkey **keyp)
{
	const struct key_info *ki = key_info_by_type(type);
	OSSL_PARAM_BLD *bld = NULL;
	EVP_PKEY *pkey = NULL;
	BIGNUM *n = NULL, *e = NULL;
	const uint8_t *d;
	size_t len;
	int r = SSH_ERR_INTERNAL_ERROR;

	if (ki == NULL)
		return SSH_ERR_KEY_TYPE_UNKNOWN;
	if ((bld = OSSL_PARAM_BLD_new()) == NULL)
		return SSH_ERR_ALLOC_FAIL;
	switch (type) {
	case KEY_ED25519:
		if ((r = buf_get_string_direct(b, &d, &len)) != 0)
			goto out;
		if (len != ED25519_PK_LEN) {
			r = SSH_ERR_INVALID_FORMAT;
			goto out;
		}
		if (!OSSL_PARAM_BLD_push_octet_string(bld,
		    OSSL_PKEY_PARAM_PUB_KEY, d, len)) {
			r = SSH_ERR_ALLOC_FAIL;
			goto out;
		}
		r = key_fromdata("ED25519", EVP_PKEY_PUBLIC_KEY, bld, &pkey);
		break;
	case KEY_ECDSA_P256:
	case KEY_ECDSA_P384:
	case KEY_ECDSA_P521:
		if ((r = key_get_curve(b, type)) != 0 ||
		    (r = key_get_ec_point(b, type, &d, &len)) != 0)
			goto out;
		if (!OSSL_PARAM_BLD_push_utf8_string(bld,
		    OSSL_PKEY_PARAM_GROUP_NAME, ki->ki_group, 0) ||
		    !OSSL_PARAM_BLD_push_octet_string(bld,
		    OSSL_PKEY_PARAM_PUB_KEY, d, len)) {
			r = SSH_ERR_ALLOC_FAIL;
			goto out;
		}
		if ((r = key_fromdata("EC", EVP_PKEY_PUBLIC_KEY, bld,
		    &pkey)) != 0)
			r = SSH_ERR_KEY_INVALID_EC_VALUE;
		break;
	case KEY_RSA:
		if ((r = key_get_bn_buf(b, 0, &e)) != 0 ||
		    (r = key_get_bn_buf(b, 0, &n)) != 0)
			goto out;
		if (!OSSL_PARAM_BLD_push_BN(bld, OSSL_PKEY_PARAM_RSA_N, n) ||
		    !OSSL_PARAM_BLD_push_BN(bld, OSSL_PKEY_PARAM_RSA_E, e)) {
			r = SSH_ERR_ALLOC_FAIL;
			goto out;
		}
		r = key_fromdata("RSA", EVP_PKEY_PUBLIC_KEY, bld, &pkey);
		break;
	case KEY_DSA:
		r = key_get_dsa(b, 0, &pkey);
		break;
	default:
		r = SSH_ERR_KEY_TYPE_UNKNOWN;
		break;
	}
	if (r != 0)
		goto out;
	if ((r = key_from_pkey(pkey, 0, type, keyp)) != 0)
		goto out;
	pkey = NULL;
 out:
	EVP_PKEY_free(pkey);
	OSSL_PARAM_BLD_free(bld);
	BN_free(n);
	BN_free(e);
	return r;
}

/* A security key: the plain key's fields, then the application. */
static int
key_parse_sk_fields(struct buf *b, enum key_type type, struct sshkey **keyp)
{
	struct sshkey *k = NULL;
	char *app = NULL;
	int r;

	if ((r = key_parse_public_fields(b, key_type_plain(type), &k)) != 0 ||
	    (r = buf_get_cstring(b, &app, NULL)) != 0)
		goto out;
	k->k_type = type;
	k->k_sk_app = app;
	app = NULL;
	*keyp = k;
	k = NULL;
 out:
	free(app);
	key_free(k);
	return r;
}

/* Parses a blob from the front of b (the caller checks the end). */
static int
key_get_blob(struct buf *b, struct sshkey **keyp)
{
	enum key_type type;
	char *name = NULL;
	int r;

	*keyp = NULL;
	if ((r = buf_get_cstring(b, &name, NULL)) != 0)
		return r;
	if ((type = key_type_from_name(name)) == KEY_UNSPEC)
		r = SSH_ERR_KEY_TYPE_UNKNOWN;
	else if (key_type_is_sk(type))
		r = key_parse_sk_fields(b, type, keyp);
	else
		r = key_parse_public_fields(b, type, keyp);
	free(name);
	return r;
}

int
key_from_blob(const struct buf *blob, struct sshkey **keyp)
{
	struct buf *b = NULL;
	struct sshkey *k = NULL;
	int r = SSH_ERR_INTERNAL_ERROR;

	if (keyp == NULL)
		return SSH_ERR_INVALID_ARGUMENT;
	*keyp = NULL;
	if (blob == NULL)
		return SSH_ERR_INVALID_ARGUMENT;
	if ((b = buf_from(buf_ptr(blob), buf_len(blob))) == NULL)
		return SSH_ERR_ALLOC_FAIL;
	if ((r = key_get_blob(b, &k)) != 0 || (r = buf_expect_end(b)) != 0)
		goto out;
	*keyp = k;
	k = NULL;
	r = 0;
 out:
	key_free(k);
	buf_free(b);
	return r;
}

int
key_equal_public(const struct sshkey *a, const struct sshkey *b)
{
	struct buf *ba = NULL, *bb = NULL;
	int r = SSH_ERR_INTERNAL_ERROR;

	if (a == NULL || b == NULL)
		return SSH_ERR_INVALID_ARGUMENT;
	if (a->k_type != b->k_type)
		return SSH_ERR_KEY_TYPE_MISMATCH;
	if ((ba = buf_new()) == NULL || (bb = buf_new()) == NULL) {
		r = SSH_ERR_ALLOC_FAIL;
		goto out;
	}
	if ((r = key_to_blob(a, ba)) != 0 || (r = key_to_blob(b, bb)) != 0)
		goto out;
	r = buf_equals(ba, bb) == 0 ? 0 : SSH_ERR_KEY_CERT_MISMATCH;
 out:
	buf_free(ba);
	buf_free(bb);
	return r;
}

int
key_demote(const struct sshkey *key, struct sshkey **pubp)
{
	struct buf *b = NULL;
	int r = SSH_ERR_INTERNAL_ERROR;

	if (key == NULL || pubp == NULL)
		return SSH_ERR_INVALID_ARGUMENT;
	*pubp = NULL;
	if ((b = buf_new()) == NULL)
		return SSH_ERR_ALLOC_FAIL;
	if ((r = key_to_blob(key, b)) != 0)
		goto out;
	r = key_from_blob(b, pubp);
 out:
	buf_free(b);
	return r;
}

int
key_fingerprint(const struct sshkey *key, char **fpp)
{
	struct buf *blob = NULL, *dg = NULL, *b64 = NULL;
	uint8_t md[EVP_MAX_MD_SIZE];
	unsigned int mdlen = 0;
	char *fp = NULL;
	size_t len;
	int r = SSH_ERR_INTERNAL_ERROR;

	if (key == NULL || fpp == NULL)
		return SSH_ERR_INVALID_ARGUMENT;
	*fpp = NULL;
	if ((blob = buf_new()) == NULL || (b64 = buf_new()) == NULL) {
		r = SSH_ERR_ALLOC_FAIL;
		goto out;
	}
	if ((r = key_to_blob(key, blob)) != 0)
		goto out;
	if (EVP_Digest(buf_ptr(blob), buf_len(blob), md, &mdlen,
	    EVP_sha256(), NULL) != 1) {
		r = SSH_ERR_LIBCRYPTO_ERROR;
		goto out;
	}
	if ((dg = buf_from(md, mdlen)) == NULL) {
		r = SSH_ERR_ALLOC_FAIL;
		goto out;
	}
	if ((r = buf_put(b64, "SHA256:", 7)) != 0 ||
	    (r = buf_dtob64(dg, b64, 0)) != 0)
		goto out;
	/* ssh-keygen drops the base64 padding. */
	while ((len = buf_len(b64)) > 0 && buf_ptr(b64)[len - 1] == '=')
		if ((r = buf_consume_end(b64, 1)) != 0)
			goto out;
	if ((fp = buf_dup_string(b64)) == NULL) {
		r = SSH_ERR_ALLOC_FAIL;
		goto out;
	}
	*fpp = fp;
	r = 0;
 out:
	buf_free(blob);
	buf_free(dg);
	buf_free(b64);
	return r;
}

int
key_to_public_line(const struct sshkey *key, const char *comment,
    struct buf *out)
{
	struct buf *blob = NULL;
	int r = SSH_ERR_INTERNAL_ERROR;

	if (key == NULL || out == NULL)
		return SSH_ERR_INVALID_ARGUMENT;
	if (comment != NULL && strpbrk(comment, "\r\n") != NULL)
		return SSH_ERR_INVALID_ARGUMENT;
	if ((blob = buf_new()) == NULL)
		return SSH_ERR_ALLOC_FAIL;
	if ((r = key_to_blob(key, blob)) != 0 ||
	    (r = buf_putf(out, "%s ", key_type_name(key))) != 0 ||
	    (r = buf_dtob64(blob, out, 0)) != 0)
		goto out;
	if (comment != NULL && *comment != '\0' &&
	    (r = buf_putf(out, " %s", comment)) != 0)
		goto out;
	r = buf_put_u8(out, '\n');
 out:
	buf_free(blob);
	return r;
}

int
key_from_public_line(const char *line, struct sshkey **keyp,
    char **commentp)
{
	struct publine pl;
	struct sshkey *k = NULL;
	struct buf *blob = NULL;
	int r = SSH_ERR_INTERNAL_ERROR;

	if (keyp == NULL || line == NULL)
		return SSH_ERR_INVALID_ARGUMENT;
	*keyp = NULL;
	if (commentp != NULL)
		*commentp = NULL;
	if ((r = publine_split(line, &pl)) != 0)
		goto out;
	if (key_type_from_name(pl.name) == KEY_UNSPEC) {
		r = SSH_ERR_KEY_TYPE_UNKNOWN;
		goto out;
	}
	if ((blob = buf_new()) == NULL) {
		r = SSH_ERR_ALLOC_FAIL;
		goto out;
	}
	if ((r = buf_b64tod(blob, pl.b64)) != 0 ||
	    (r = key_from_blob(blob, &k)) != 0)
		goto out;
	if (strcmp(pl.name, key_type_name(k)) != 0) {
		r = SSH_ERR_KEY_TYPE_MISMATCH;
		goto out;
	}
	if (commentp != NULL) {
		*commentp = pl.comment;
		pl.comment = NULL;
	}
	*keyp = k;
	k = NULL;
	r = 0;
 out:
	publine_clear(&pl);
	key_free(k);
	buf_free(blob);
	return r;
}
