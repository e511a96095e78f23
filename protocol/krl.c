/*
 * krl.c: OpenSSH key revocation lists (PROTOCOL.krl): the parser and the
 * revocation checks.  See krl.h for the rules enforced.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <bsd/stdlib.h>
#include <openssl/evp.h>

#include "protocol/buf.h"
#include "protocol/cert.h"
#include "protocol/key.h"
#include "protocol/krl.h"
#include "protocol/ssherr.h"

#define KRL_FORMAT_VERSION		1

#define KRL_SECTION_CERTIFICATES	1
#define KRL_SECTION_EXPLICIT_KEY	2
#define KRL_SECTION_FINGERPRINT_SHA1	3
#define KRL_SECTION_SIGNATURE		4
#define KRL_SECTION_FINGERPRINT_SHA256	5
#define KRL_SECTION_EXTENSION		255

#define KRL_CERT_SERIAL_LIST		0x20
#define KRL_CERT_SERIAL_RANGE		0x21
#define KRL_CERT_SERIAL_BITMAP		0x22
#define KRL_CERT_KEY_ID			0x23
#define KRL_CERT_EXTENSION		0x39

#define SHA1_LEN			20
#define SHA256_LEN			32

/* Bytes borrowed from the KRL's own copy of its input. */
struct krl_bytes {
	const uint8_t	*kb_p;
	size_t		 kb_len;
};

struct krl_range {
	uint64_t	 kr_lo;
	uint64_t	 kr_hi;
};

/* Bit N (counting from the least significant bit of the big-endian
 * number) revokes serial kbm_offset + N. */
struct krl_bitmap {
	uint64_t	 kbm_offset;
	struct krl_bytes kbm_bits;
};

/* One certificates section: what it revokes under one CA (or any CA). */
struct krl_certs {
	struct krl_bytes  kc_ca;	/* key blob; empty: any CA */
	struct krl_range *kc_ranges;	/* serial lists become [s, s] */
	size_t		  kc_nranges;
	struct krl_bitmap *kc_bitmaps;
	size_t		  kc_nbitmaps;
	struct krl_bytes *kc_ids;
	size_t		  kc_nids;
};

struct krl {
	uint8_t		*krl_data;	/* the input, which the rest borrows */
	uint64_t	 krl_version;
	char		*krl_comment;
	struct krl_certs *krl_certs;
	size_t		 krl_ncerts;
	struct krl_bytes *krl_blobs;
	size_t		 krl_nblobs;
	struct krl_bytes *krl_sha1;
	size_t		 krl_nsha1;
	struct krl_bytes *krl_sha256;
	size_t		 krl_nsha256;
};

/*
 * The array v of n elements of size bytes, with room for one more: the
 * capacity doubles at each power of two, so it is not stored.  NULL if out
 * of memory (v is then unchanged and still the caller's).
 */
static void *
vec_grow(void *v, size_t n, size_t size)
{
	if (n != 0 && (n & (n - 1)) != 0)
		return v;
	if (n > SIZE_MAX / 2)
		return NULL;
	return reallocarray(v, n == 0 ? 1 : n * 2, size);
}

static int
bytes_equal(const struct krl_bytes *kb, const uint8_t *p, size_t len)
{
	return kb->kb_len == len && memcmp(kb->kb_p, p, len) == 0;
}

/* Compares two digests of the same length as big-endian numbers. */
static int
bytes_cmp(const struct krl_bytes *a, const struct krl_bytes *b)
{
	return memcmp(a->kb_p, b->kb_p, a->kb_len);
}

int
krl_has_magic(const uint8_t *p, size_t len)
{
	return p != NULL && len >= KRL_MAGIC_LEN &&
	    memcmp(p, KRL_MAGIC, KRL_MAGIC_LEN) == 0;
}

/* An extension (section or certificate subsection): skipped unless
 * critical, since none is known. */
static int
parse_extension(struct buf *b)
{
	int r = SSH_ERR_INTERNAL_ERROR, critical;

	if ((r = buf_get_string_direct(b, NULL, NULL)) != 0 ||
	    (r = buf_get_bool(b, &critical)) != 0 ||
	    (r = buf_get_string_direct(b, NULL, NULL)) != 0 ||
	    (r = buf_expect_end(b)) != 0)
		return r;
	return critical ? SSH_ERR_FEATURE_UNSUPPORTED : 0;
}

static int
add_range(struct krl_certs *kc, uint64_t lo, uint64_t hi)
{
	struct krl_range *v;

	if (lo == 0 || lo > hi)
		return SSH_ERR_INVALID_FORMAT;
	if ((v = vec_grow(kc->kc_ranges, kc->kc_nranges, sizeof(*v))) == NULL)
		return SSH_ERR_ALLOC_FAIL;
	kc->kc_ranges = v;
	v[kc->kc_nranges].kr_lo = lo;
	v[kc->kc_nranges++].kr_hi = hi;
	return 0;
}

static int
parse_bitmap(struct buf *b, struct krl_certs *kc)
{
	struct krl_bitmap *v;
	const uint8_t *bits;
	uint64_t offset;
	size_t len;
	int r = SSH_ERR_INTERNAL_ERROR;

	if ((r = buf_get_u64(b, &offset)) != 0 ||
	    (r = buf_get_bignum2_bytes_direct(b, &bits, &len)) != 0)
		return r;
	/* Serial 0 cannot be revoked, and no bit may name a serial past
	 * 2^64 - 1 (a minimal mpint's top byte is non-zero). */
	if (len > 0 && ((offset == 0 && (bits[len - 1] & 1) != 0) ||
	    offset > UINT64_MAX - ((uint64_t)len * 8 - 1)))
		return SSH_ERR_INVALID_FORMAT;
	if ((v = vec_grow(kc->kc_bitmaps, kc->kc_nbitmaps,
	    sizeof(*v))) == NULL)
		return SSH_ERR_ALLOC_FAIL;
	kc->kc_bitmaps = v;
	v[kc->kc_nbitmaps].kbm_offset = offset;
	v[kc->kc_nbitmaps].kbm_bits.kb_p = bits;
	v[kc->kc_nbitmaps++].kbm_bits.kb_len = len;
	return 0;
}

static int
parse_key_ids(struct buf *b, struct krl_certs *kc)
{
	struct krl_bytes *v;
	const uint8_t *id;
	size_t len;
	int r = SSH_ERR_INTERNAL_ERROR;

	if (buf_len(b) == 0)
		return SSH_ERR_INVALID_FORMAT;
	while (buf_len(b) > 0) {
		if ((r = buf_get_string_direct(b, &id, &len)) != 0)
			return r;
		/* Certificate key IDs hold no NUL (cert.h): one here could
		 * never match, so the KRL is not what its author meant. */
		if (memchr(id, '\0', len) != NULL)
			return SSH_ERR_INVALID_FORMAT;
		if ((v = vec_grow(kc->kc_ids, kc->kc_nids,
		    sizeof(*v))) == NULL)
			return SSH_ERR_ALLOC_FAIL;
		kc->kc_ids = v;
		v[kc->kc_nids].kb_p = id;
		v[kc->kc_nids++].kb_len = len;
	}
	return 0;
}

static int
parse_cert_subsection(uint8_t type, struct buf *b, struct krl_certs *kc)
{
	uint64_t lo, hi;
	int r = SSH_ERR_INTERNAL_ERROR;

	switch (type) {
	case KRL_CERT_SERIAL_LIST:
		while (buf_len(b) > 0)
			if ((r = buf_get_u64(b, &lo)) != 0 ||
			    (r = add_range(kc, lo, lo)) != 0)
				return r;
		return 0;
	case KRL_CERT_SERIAL_RANGE:
		if ((r = buf_get_u64(b, &lo)) != 0 ||
		    (r = buf_get_u64(b, &hi)) != 0 ||
		    (r = add_range(kc, lo, hi)) != 0)
			return r;
		break;
	case KRL_CERT_SERIAL_BITMAP:
		if ((r = parse_bitmap(b, kc)) != 0)
			return r;
		break;
	case KRL_CERT_KEY_ID:
		return parse_key_ids(b, kc);
	case KRL_CERT_EXTENSION:
		return parse_extension(b);
	default:
		return SSH_ERR_FEATURE_UNSUPPORTED;
	}
	return buf_expect_end(b);
}

static int
parse_certs(struct buf *b, struct krl *krl)
{
	struct krl_certs *kc;
	struct buf *sub = NULL;
	uint8_t type;
	int r = SSH_ERR_INTERNAL_ERROR;

	if ((kc = vec_grow(krl->krl_certs, krl->krl_ncerts,
	    sizeof(*kc))) == NULL)
		return SSH_ERR_ALLOC_FAIL;
	krl->krl_certs = kc;
	kc = &kc[krl->krl_ncerts++];
	memset(kc, 0, sizeof(*kc));
	if ((r = buf_get_string_direct(b, &kc->kc_ca.kb_p,
	    &kc->kc_ca.kb_len)) != 0 ||
	    (r = buf_get_string_direct(b, NULL, NULL)) != 0)
		goto out;
	while (buf_len(b) > 0) {
		if ((r = buf_get_u8(b, &type)) != 0 ||
		    (r = buf_froms(b, &sub)) != 0 ||
		    (r = parse_cert_subsection(type, sub, kc)) != 0)
			goto out;
		buf_free(sub);
		sub = NULL;
	}
	r = 0;
 out:
	buf_free(sub);
	return r;
}

/* Key blobs (want 0) or digests of want bytes, in ascending order. */
static int
parse_blobs(struct buf *b, size_t want, struct krl_bytes **vp, size_t *np)
{
	struct krl_bytes *v, cur;
	int r = SSH_ERR_INTERNAL_ERROR, first = 1;

	if (buf_len(b) == 0)
		return SSH_ERR_INVALID_FORMAT;
	while (buf_len(b) > 0) {
		if ((r = buf_get_string_direct(b, &cur.kb_p,
		    &cur.kb_len)) != 0)
			return r;
		if (cur.kb_len == 0 || (want != 0 && cur.kb_len != want))
			return SSH_ERR_INVALID_FORMAT;
		if (want != 0 && !first && bytes_cmp(&(*vp)[*np - 1], &cur) > 0)
			return SSH_ERR_INVALID_FORMAT;
		if ((v = vec_grow(*vp, *np, sizeof(*v))) == NULL)
			return SSH_ERR_ALLOC_FAIL;
		*vp = v;
		v[(*np)++] = cur;
		first = 0;
	}
	return 0;
}

static int
parse_section(uint8_t type, struct buf *b, struct krl *krl)
{
	switch (type) {
	case KRL_SECTION_CERTIFICATES:
		return parse_certs(b, krl);
	case KRL_SECTION_EXPLICIT_KEY:
		return parse_blobs(b, 0, &krl->krl_blobs, &krl->krl_nblobs);
	case KRL_SECTION_FINGERPRINT_SHA1:
		return parse_blobs(b, SHA1_LEN, &krl->krl_sha1,
		    &krl->krl_nsha1);
	case KRL_SECTION_FINGERPRINT_SHA256:
		return parse_blobs(b, SHA256_LEN, &krl->krl_sha256,
		    &krl->krl_nsha256);
	case KRL_SECTION_EXTENSION:
		return parse_extension(b);
	default:
		return SSH_ERR_FEATURE_UNSUPPORTED;
	}
}

static int
parse_header(struct buf *b, struct krl *krl)
{
	uint8_t magic[KRL_MAGIC_LEN];
	uint32_t format;
	int r = SSH_ERR_INTERNAL_ERROR;

	if ((r = buf_get(b, magic, sizeof(magic))) != 0)
		return r == SSH_ERR_MESSAGE_INCOMPLETE ?
		    SSH_ERR_KRL_BAD_MAGIC : r;
	if (!krl_has_magic(magic, sizeof(magic)))
		return SSH_ERR_KRL_BAD_MAGIC;
	if ((r = buf_get_u32(b, &format)) != 0)
		return r;
	if (format != KRL_FORMAT_VERSION)
		return SSH_ERR_FEATURE_UNSUPPORTED;
	/* generated_date and flags (none defined) do not change what is
	 * revoked; reserved is ignored by definition. */
	if ((r = buf_get_u64(b, &krl->krl_version)) != 0 ||
	    (r = buf_get_u64(b, NULL)) != 0 ||
	    (r = buf_get_u64(b, NULL)) != 0 ||
	    (r = buf_get_string_direct(b, NULL, NULL)) != 0 ||
	    (r = buf_get_cstring(b, &krl->krl_comment, NULL)) != 0)
		return r;
	return 0;
}

int
krl_parse(const struct buf *in, struct krl **krlp)
{
	struct krl *krl = NULL;
	struct buf *b = NULL, *sec = NULL;
	uint8_t type;
	int r = SSH_ERR_INTERNAL_ERROR, signed_ = 0;

	if (in == NULL || krlp == NULL)
		return SSH_ERR_INVALID_ARGUMENT;
	*krlp = NULL;
	if ((krl = calloc(1, sizeof(*krl))) == NULL ||
	    (krl->krl_data = malloc(buf_len(in) + 1)) == NULL) {
		r = SSH_ERR_ALLOC_FAIL;
		goto out;
	}
	memcpy(krl->krl_data, buf_ptr(in), buf_len(in));
	if ((b = buf_from(krl->krl_data, buf_len(in))) == NULL) {
		r = SSH_ERR_ALLOC_FAIL;
		goto out;
	}
	if ((r = parse_header(b, krl)) != 0)
		goto out;
	while (buf_len(b) > 0) {
		if ((r = buf_get_u8(b, &type)) != 0)
			goto out;
		if (type == KRL_SECTION_SIGNATURE) {
			/* signature_key and signature; not verified. */
			if ((r = buf_get_string_direct(b, NULL, NULL)) != 0 ||
			    (r = buf_get_string_direct(b, NULL, NULL)) != 0)
				goto out;
			signed_ = 1;
			continue;
		}
		if (signed_) {
			/* Only signatures may follow a signature. */
			r = SSH_ERR_INVALID_FORMAT;
			goto out;
		}
		if ((r = buf_froms(b, &sec)) != 0 ||
		    (r = parse_section(type, sec, krl)) != 0 ||
		    (r = buf_expect_end(sec)) != 0)
			goto out;
		buf_free(sec);
		sec = NULL;
	}
	*krlp = krl;
	krl = NULL;
	r = 0;
 out:
	buf_free(sec);
	buf_free(b);
	krl_free(krl);
	return r;
}

void
krl_free(struct krl *krl)
{
	size_t i;

	if (krl == NULL)
		return;
	for (i = 0; i < krl->krl_ncerts; i++) {
		free(krl->krl_certs[i].kc_ranges);
		free(krl->krl_certs[i].kc_bitmaps);
		free(krl->krl_certs[i].kc_ids);
	}
	free(krl->krl_certs);
	free(krl->krl_blobs);
	free(krl->krl_sha1);
	free(krl->krl_sha256);
	free(krl->krl_comment);
	free(krl->krl_data);
	free(krl);
}

uint64_t
krl_version(const struct krl *krl)
{
	return krl->krl_version;
}

const char *
krl_comment(const struct krl *krl)
{
	return krl->krl_comment;
}

static int
listed(const struct krl_bytes *v, size_t n, const uint8_t *p, size_t len)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (bytes_equal(&v[i], p, len))
			return 1;
	return 0;
}

static int
digest_listed(const struct krl_bytes *v, size_t n, const EVP_MD *md,
    const struct buf *blob, int *foundp)
{
	uint8_t dg[EVP_MAX_MD_SIZE];
	unsigned int len;

	*foundp = 0;
	if (n == 0)
		return 0;
	if (EVP_Digest(buf_ptr(blob), buf_len(blob), dg, &len, md,
	    NULL) != 1)
		return SSH_ERR_LIBCRYPTO_ERROR;
	*foundp = listed(v, n, dg, len);
	return 0;
}

int
krl_check_key(const struct krl *krl, const struct sshkey *key)
{
	struct buf *blob = NULL;
	int r = SSH_ERR_INTERNAL_ERROR, found = 0;

	if (krl == NULL || key == NULL)
		return SSH_ERR_INVALID_ARGUMENT;
	if ((blob = buf_new()) == NULL) {
		r = SSH_ERR_ALLOC_FAIL;
		goto out;
	}
	if ((r = key_to_blob(key, blob)) != 0)
		goto out;
	found = listed(krl->krl_blobs, krl->krl_nblobs, buf_ptr(blob),
	    buf_len(blob));
	if (!found && (r = digest_listed(krl->krl_sha1, krl->krl_nsha1,
	    EVP_sha1(), blob, &found)) != 0)
		goto out;
	if (!found && (r = digest_listed(krl->krl_sha256, krl->krl_nsha256,
	    EVP_sha256(), blob, &found)) != 0)
		goto out;
	r = found ? SSH_ERR_KEY_REVOKED : 0;
 out:
	buf_free(blob);
	return r;
}

static int
serial_listed(const struct krl_certs *kc, uint64_t serial)
{
	const struct krl_bitmap *kbm;
	uint64_t bit;
	size_t i;

	if (serial == 0)
		return 0;
	for (i = 0; i < kc->kc_nranges; i++)
		if (kc->kc_ranges[i].kr_lo <= serial &&
		    serial <= kc->kc_ranges[i].kr_hi)
			return 1;
	for (i = 0; i < kc->kc_nbitmaps; i++) {
		kbm = &kc->kc_bitmaps[i];
		if (serial < kbm->kbm_offset)
			continue;
		bit = serial - kbm->kbm_offset;
		if (bit / 8 >= kbm->kbm_bits.kb_len)
			continue;
		if ((kbm->kbm_bits.kb_p[kbm->kbm_bits.kb_len - 1 - bit / 8] &
		    (1U << (bit % 8))) != 0)
			return 1;
	}
	return 0;
}

int
krl_check_cert(const struct krl *krl, const struct sshcert *cert)
{
	const struct krl_certs *kc;
	struct buf *ca = NULL;
	const char *id;
	size_t i;
	int r = SSH_ERR_INTERNAL_ERROR;

	if (krl == NULL || cert == NULL)
		return SSH_ERR_INVALID_ARGUMENT;
	if ((r = krl_check_key(krl, cert_key(cert))) != 0 ||
	    (r = krl_check_key(krl, cert_ca(cert))) != 0)
		goto out;
	if ((ca = buf_new()) == NULL) {
		r = SSH_ERR_ALLOC_FAIL;
		goto out;
	}
	if ((r = key_to_blob(cert_ca(cert), ca)) != 0)
		goto out;
	id = cert_key_id(cert);
	for (i = 0; i < krl->krl_ncerts; i++) {
		kc = &krl->krl_certs[i];
		if (kc->kc_ca.kb_len != 0 &&
		    !bytes_equal(&kc->kc_ca, buf_ptr(ca), buf_len(ca)))
			continue;
		if (serial_listed(kc, cert_serial(cert)) ||
		    listed(kc->kc_ids, kc->kc_nids, (const uint8_t *)id,
		    strlen(id))) {
			r = SSH_ERR_KEY_REVOKED;
			goto out;
		}
	}
	r = 0;
 out:
	buf_free(ca);
	return r;
}
