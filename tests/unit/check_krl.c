/*
 * check_krl.c: OpenSSH key revocation lists (protocol/krl.c): the
 * ssh-keygen -k fixtures of tests/krl (see its README) against the keys
 * and certificates of tests/certs; every truncation refused; KRLs built
 * here for what ssh-keygen never writes (signatures, extensions, overlaps,
 * malformed sections).
 */
#include <check.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "protocol/buf.h"
#include "protocol/cert.h"
#include "protocol/key.h"
#include "protocol/krl.h"
#include "protocol/ssherr.h"
#include "tests/unit/testutil.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Every fixture has an empty comment: its header is this long. */
#define HEADER_LEN	44

/* Reads tests/REL into a new buffer. */
static struct buf *
read_file(const char *rel)
{
	struct buf *b;
	uint8_t chunk[4096];
	size_t n;
	FILE *f;

	ck_assert_msg((f = fopen(tu_path(rel), "rb")) != NULL, "%s", rel);
	ck_assert_ptr_nonnull(b = buf_new());
	while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0)
		ck_assert_int_eq(buf_put(b, chunk, n), 0);
	ck_assert(!ferror(f));
	fclose(f);
	return b;
}

static struct krl *
load_krl(const char *name)
{
	char rel[128];
	struct buf *b;
	struct krl *krl = NULL;
	int r;

	snprintf(rel, sizeof(rel), "krl/%s.krl", name);
	b = read_file(rel);
	r = krl_parse(b, &krl);
	ck_assert_msg(r == 0, "%s: %s", name, ssh_err(r));
	buf_free(b);
	return krl;
}

static char *
read_line(const char *name)
{
	char rel[128], *s;
	struct buf *b;

	snprintf(rel, sizeof(rel), "certs/%s", name);
	b = read_file(rel);
	ck_assert_ptr_nonnull(s = buf_dup_string(b));
	buf_free(b);
	return s;
}

/* tests/certs/NAME_key.pub */
static struct sshkey *
load_key(const char *name)
{
	char file[128], *line;
	struct sshkey *k = NULL;

	snprintf(file, sizeof(file), "%s_key.pub", name);
	line = read_line(file);
	ck_assert_int_eq(key_from_public_line(line, &k, NULL), 0);
	free(line);
	return k;
}

/* tests/certs/NAME-cert.pub */
static struct sshcert *
load_cert(const char *name)
{
	char file[128], *line;
	struct sshcert *c = NULL;

	snprintf(file, sizeof(file), "%s-cert.pub", name);
	line = read_line(file);
	ck_assert_int_eq(cert_from_public_line(line, &c, NULL), 0);
	free(line);
	return c;
}

static int
key_revoked(const struct krl *krl, const char *name)
{
	struct sshkey *k = load_key(name);
	int r = krl_check_key(krl, k);

	key_free(k);
	ck_assert(r == 0 || r == SSH_ERR_KEY_REVOKED);
	return r == SSH_ERR_KEY_REVOKED;
}

static int
cert_revoked(const struct krl *krl, const char *name)
{
	struct sshcert *c = load_cert(name);
	int r = krl_check_cert(krl, c);

	cert_free(c);
	ck_assert(r == 0 || r == SSH_ERR_KEY_REVOKED);
	return r == SSH_ERR_KEY_REVOKED;
}

/*
 * Serials in the fixtures: under ca_ed25519 user_ed25519 is 1 (key ID
 * alice-ed25519), user_ecdsa384 is 3, user_window is 0; under ca_ecdsa
 * user_ecdsa256 is 2 (alice-p256), user_ecdsa521 is 4; user_rsa is 5
 * under ca_rsa.
 */
START_TEST(test_serial_list)
{
	struct krl *krl = load_krl("serial_list");

	ck_assert(cert_revoked(krl, "user_ed25519"));
	ck_assert(!cert_revoked(krl, "user_ecdsa384"));
	ck_assert(!cert_revoked(krl, "user_window"));
	/* Serial 1 of another CA. */
	ck_assert(!cert_revoked(krl, "user_ecdsa256"));
	/* Revoking certificates does not revoke their plain keys. */
	ck_assert(!key_revoked(krl, "user_ed25519"));
	krl_free(krl);
}
END_TEST

START_TEST(test_serial_range)
{
	struct krl *krl = load_krl("serial_range");	/* 2-900000 */

	ck_assert(cert_revoked(krl, "user_ecdsa384"));
	ck_assert(!cert_revoked(krl, "user_ed25519"));
	ck_assert(!cert_revoked(krl, "user_window"));
	ck_assert(!cert_revoked(krl, "user_ecdsa256"));	/* 2, ca_ecdsa */
	krl_free(krl);
}
END_TEST

START_TEST(test_serial_bitmap)
{
	struct krl *krl = load_krl("serial_bitmap");	/* 3, 5, ..., 23 */

	ck_assert(cert_revoked(krl, "user_ecdsa384"));
	ck_assert(!cert_revoked(krl, "user_ed25519"));
	ck_assert(!cert_revoked(krl, "user_window"));
	krl_free(krl);
}
END_TEST

START_TEST(test_key_id)
{
	struct krl *krl = load_krl("key_id");

	ck_assert(cert_revoked(krl, "user_ed25519"));
	ck_assert(!cert_revoked(krl, "user_ecdsa384"));
	krl_free(krl);
}
END_TEST

START_TEST(test_key_id_any_ca)
{
	struct krl *krl = load_krl("key_id_any");

	ck_assert(cert_revoked(krl, "user_ecdsa256"));
	ck_assert(!cert_revoked(krl, "user_ecdsa521"));
	ck_assert(!cert_revoked(krl, "user_ed25519"));
	krl_free(krl);
}
END_TEST

START_TEST(test_explicit_key)
{
	struct krl *krl = load_krl("explicit_key");

	ck_assert(key_revoked(krl, "user_ecdsa384"));
	ck_assert(!key_revoked(krl, "user_ecdsa256"));
	ck_assert(!key_revoked(krl, "user_ed25519"));
	/* A certificate of a revoked key is revoked. */
	ck_assert(cert_revoked(krl, "user_ecdsa384"));
	ck_assert(!cert_revoked(krl, "user_ed25519"));
	krl_free(krl);
}
END_TEST

START_TEST(test_sha1)
{
	struct krl *krl = load_krl("sha1");

	ck_assert(key_revoked(krl, "user_rsa"));
	ck_assert(cert_revoked(krl, "user_rsa"));
	ck_assert(!key_revoked(krl, "user_ed25519"));
	krl_free(krl);
}
END_TEST

START_TEST(test_sha256)
{
	struct krl *krl = load_krl("sha256");

	ck_assert(key_revoked(krl, "user_ed25519"));
	ck_assert(cert_revoked(krl, "user_ed25519"));
	ck_assert(!key_revoked(krl, "user_rsa"));
	krl_free(krl);
	krl = load_krl("hash");
	ck_assert(key_revoked(krl, "user_ecdsa521"));
	ck_assert(!key_revoked(krl, "user_ecdsa384"));
	krl_free(krl);
}
END_TEST

START_TEST(test_ca_key)
{
	struct krl *krl = load_krl("ca_key");

	ck_assert(key_revoked(krl, "ca_ecdsa"));
	ck_assert(cert_revoked(krl, "user_ecdsa256"));
	ck_assert(cert_revoked(krl, "user_ecdsa521"));
	ck_assert(!cert_revoked(krl, "user_ed25519"));
	ck_assert(!key_revoked(krl, "user_ecdsa256"));
	krl_free(krl);
}
END_TEST

START_TEST(test_empty_version)
{
	struct krl *krl = load_krl("empty");

	ck_assert_uint_eq(krl_version(krl), 42);
	ck_assert_str_eq(krl_comment(krl), "");
	ck_assert(!key_revoked(krl, "user_ed25519"));
	ck_assert(!cert_revoked(krl, "user_ed25519"));
	krl_free(krl);
}
END_TEST

START_TEST(test_magic)
{
	ck_assert(krl_has_magic((const uint8_t *)"SSHKRL\n\0\0", 9));
	ck_assert(krl_has_magic((const uint8_t *)"SSHKRL\n\0", 8));
	ck_assert(!krl_has_magic((const uint8_t *)"SSHKRL\n", 7));
	ck_assert(!krl_has_magic((const uint8_t *)"SSHKRL\n\1", 8));
	ck_assert(!krl_has_magic((const uint8_t *)"ssh-ed25519 AAAA", 16));
	ck_assert(!krl_has_magic(NULL, 0));
}
END_TEST

static const char *fixtures[] = {
	"serial_list", "serial_range", "serial_bitmap", "key_id",
	"key_id_any", "explicit_key", "sha1", "sha256", "hash", "ca_key",
};
#define NFIXTURES	(sizeof(fixtures) / sizeof(fixtures[0]))

/* Each fixture is a header and one section: every cut but the one
 * between them is refused, and nothing is allocated for it. */
START_TEST(test_truncations)
{
	char rel[128];
	struct buf *b, *cut;
	struct krl *krl;
	size_t n;
	int r;

	snprintf(rel, sizeof(rel), "krl/%s.krl", fixtures[_i]);
	b = read_file(rel);
	for (n = 0; n < buf_len(b); n++) {
		ck_assert_ptr_nonnull(cut = buf_from(buf_ptr(b), n));
		krl = NULL;
		r = krl_parse(cut, &krl);
		if (n == HEADER_LEN) {
			ck_assert_int_eq(r, 0);
			krl_free(krl);
		} else {
			ck_assert_msg(r != 0, "%s cut at %zu", rel, n);
			ck_assert_ptr_null(krl);
		}
		buf_free(cut);
	}
	buf_free(b);
}
END_TEST

/* Builders for KRLs ssh-keygen would not write. */

static struct buf *
header(uint32_t format, const char *comment)
{
	struct buf *b;

	ck_assert_ptr_nonnull(b = buf_new());
	ck_assert_int_eq(buf_put(b, KRL_MAGIC, KRL_MAGIC_LEN), 0);
	ck_assert_int_eq(buf_put_u32(b, format), 0);
	ck_assert_int_eq(buf_put_u64(b, 7), 0);		/* krl_version */
	ck_assert_int_eq(buf_put_u64(b, 1700000000), 0);	/* date */
	ck_assert_int_eq(buf_put_u64(b, 0), 0);		/* flags */
	ck_assert_int_eq(buf_put_string(b, "", 0), 0);	/* reserved */
	ck_assert_int_eq(buf_put_cstring(b, comment), 0);
	return b;
}

/* Appends a section (or subsection) and frees its data. */
static void
section(struct buf *b, uint8_t type, struct buf *data)
{
	ck_assert_int_eq(buf_put_u8(b, type), 0);
	ck_assert_int_eq(buf_put_stringb(b, data), 0);
	buf_free(data);
}

/* A certificates section's start: the CA's blob ("" for any CA). */
static struct buf *
certs_for(const char *ca)
{
	struct buf *d;
	struct sshkey *k;

	ck_assert_ptr_nonnull(d = buf_new());
	if (ca == NULL)
		ck_assert_int_eq(buf_put_string(d, "", 0), 0);
	else {
		struct buf *blob;

		k = load_key(ca);
		ck_assert_ptr_nonnull(blob = buf_new());
		ck_assert_int_eq(key_to_blob(k, blob), 0);
		ck_assert_int_eq(buf_put_stringb(d, blob), 0);
		buf_free(blob);
		key_free(k);
	}
	ck_assert_int_eq(buf_put_string(d, "", 0), 0);	/* reserved */
	return d;
}

static struct buf *
u64s(int n, ...)
{
	struct buf *d;
	va_list ap;

	ck_assert_ptr_nonnull(d = buf_new());
	va_start(ap, n);
	while (n-- > 0)
		ck_assert_int_eq(buf_put_u64(d, va_arg(ap, uint64_t)), 0);
	va_end(ap);
	return d;
}

static struct buf *
bitmap(uint64_t offset, const uint8_t *bits, size_t len)
{
	struct buf *d;

	ck_assert_ptr_nonnull(d = buf_new());
	ck_assert_int_eq(buf_put_u64(d, offset), 0);
	ck_assert_int_eq(buf_put_bignum2_bytes(d, bits, len), 0);
	return d;
}

static struct buf *
extension(const char *name, int critical)
{
	struct buf *d;

	ck_assert_ptr_nonnull(d = buf_new());
	ck_assert_int_eq(buf_put_cstring(d, name), 0);
	ck_assert_int_eq(buf_put_u8(d, critical), 0);
	ck_assert_int_eq(buf_put_cstring(d, "contents"), 0);
	return d;
}

/* Parses b (and frees it); returns the result, the KRL in *krlp. */
static int
parse(struct buf *b, struct krl **krlp)
{
	int r;

	*krlp = NULL;
	r = krl_parse(b, krlp);
	buf_free(b);
	if (r != 0)
		ck_assert_ptr_null(*krlp);
	return r;
}

static int
parse_only(struct buf *b)
{
	struct krl *krl;
	int r = parse(b, &krl);

	krl_free(krl);
	return r;
}

/* A KRL of one certificates section under CA with one subsection. */
static int
one_subsection(const char *ca, uint8_t type, struct buf *data)
{
	struct buf *b = header(1, ""), *certs = certs_for(ca);

	section(certs, type, data);
	section(b, 1, certs);
	return parse_only(b);
}

START_TEST(test_overlapping_ranges)
{
	struct buf *b = header(1, "overlap"), *certs = certs_for("ca_ed25519");
	struct krl *krl;

	section(certs, 0x21, u64s(2, (uint64_t)2, (uint64_t)3));
	section(certs, 0x21, u64s(2, (uint64_t)3, (uint64_t)10));
	section(certs, 0x21, u64s(2, (uint64_t)3, (uint64_t)3));
	section(certs, 0x20, u64s(2, (uint64_t)3, (uint64_t)3));
	section(b, 1, certs);
	ck_assert_int_eq(parse(b, &krl), 0);
	ck_assert_uint_eq(krl_version(krl), 7);
	ck_assert_str_eq(krl_comment(krl), "overlap");
	ck_assert(cert_revoked(krl, "user_ecdsa384"));		/* 3 */
	ck_assert(!cert_revoked(krl, "user_ed25519"));		/* 1 */
	krl_free(krl);
}
END_TEST

START_TEST(test_range_edges)
{
	struct buf *b = header(1, ""), *certs = certs_for("ca_ed25519");
	struct krl *krl;

	/* Everything from 3 up; serial 0 stays out of reach. */
	section(certs, 0x21, u64s(2, (uint64_t)3, UINT64_MAX));
	section(b, 1, certs);
	ck_assert_int_eq(parse(b, &krl), 0);
	ck_assert(cert_revoked(krl, "user_ecdsa384"));
	ck_assert(!cert_revoked(krl, "user_ed25519"));
	ck_assert(!cert_revoked(krl, "user_window"));
	krl_free(krl);
}
END_TEST

START_TEST(test_bitmap_bits)
{
	static const uint8_t b100[] = { 0x04 }, b10[] = { 0x02 };
	static const uint8_t wide[] = { 0x01, 0x00, 0x00 };	/* bit 16 */
	struct buf *b = header(1, ""), *certs = certs_for("ca_ed25519");
	struct krl *krl;

	/* Serial 3 as bit 2 from 1, and bit 1 from 2. */
	section(certs, 0x22, bitmap(1, b100, sizeof(b100)));
	section(b, 1, certs);
	ck_assert_int_eq(parse(b, &krl), 0);
	ck_assert(cert_revoked(krl, "user_ecdsa384"));
	ck_assert(!cert_revoked(krl, "user_ed25519"));
	krl_free(krl);

	b = header(1, "");
	certs = certs_for("ca_ed25519");
	section(certs, 0x22, bitmap(2, b10, sizeof(b10)));
	section(b, 1, certs);
	ck_assert_int_eq(parse(b, &krl), 0);
	ck_assert(cert_revoked(krl, "user_ecdsa384"));
	ck_assert(!cert_revoked(krl, "user_ed25519"));
	krl_free(krl);

	/* Big-endian: the 0x01 in the first of three bytes is bit 16
	 * (serial 17), not bit 0 (serial 1). */
	b = header(1, "");
	certs = certs_for("ca_ed25519");
	section(certs, 0x22, bitmap(1, wide, sizeof(wide)));
	section(b, 1, certs);
	ck_assert_int_eq(parse(b, &krl), 0);
	ck_assert(!cert_revoked(krl, "user_ed25519"));
	ck_assert(!cert_revoked(krl, "user_ecdsa384"));
	krl_free(krl);

	/* An empty bitmap revokes nothing. */
	b = header(1, "");
	certs = certs_for("ca_ed25519");
	section(certs, 0x22, bitmap(1, NULL, 0));
	section(b, 1, certs);
	ck_assert_int_eq(parse(b, &krl), 0);
	ck_assert(!cert_revoked(krl, "user_ed25519"));
	krl_free(krl);
}
END_TEST

START_TEST(test_serial_zero_refused)
{
	static const uint8_t bit0[] = { 0x01 };

	ck_assert_int_eq(one_subsection("ca_ed25519", 0x20,
	    u64s(2, (uint64_t)5, (uint64_t)0)), SSH_ERR_INVALID_FORMAT);
	ck_assert_int_eq(one_subsection("ca_ed25519", 0x21,
	    u64s(2, (uint64_t)0, (uint64_t)5)), SSH_ERR_INVALID_FORMAT);
	ck_assert_int_eq(one_subsection("ca_ed25519", 0x22,
	    bitmap(0, bit0, sizeof(bit0))), SSH_ERR_INVALID_FORMAT);
}
END_TEST

START_TEST(test_bad_ranges)
{
	static const uint8_t two[] = { 0x02 };

	ck_assert_int_eq(one_subsection("ca_ed25519", 0x21,
	    u64s(2, (uint64_t)6, (uint64_t)5)), SSH_ERR_INVALID_FORMAT);
	/* A range with a third number. */
	ck_assert_int_eq(one_subsection("ca_ed25519", 0x21,
	    u64s(3, (uint64_t)1, (uint64_t)5, (uint64_t)9)),
	    SSH_ERR_UNEXPECTED_TRAILING_DATA);
	/* A serial list that is not a whole number of serials. */
	{
		struct buf *d = u64s(1, (uint64_t)1);

		ck_assert_int_eq(buf_put_u8(d, 1), 0);
		ck_assert_int_eq(one_subsection("ca_ed25519", 0x20, d),
		    SSH_ERR_MESSAGE_INCOMPLETE);
	}
	/* A bitmap whose bit 1 would be serial 2^64. */
	ck_assert_int_eq(one_subsection("ca_ed25519", 0x22,
	    bitmap(UINT64_MAX, two, sizeof(two))), SSH_ERR_INVALID_FORMAT);
}
END_TEST

START_TEST(test_key_ids_any_and_specific)
{
	struct buf *b = header(1, ""), *certs, *ids;
	struct krl *krl;

	/* "alice-p384" under ca_ecdsa (user_ecdsa384's CA is ca_ed25519),
	 * "alice-p521" under any CA. */
	certs = certs_for("ca_ecdsa");
	ck_assert_ptr_nonnull(ids = buf_new());
	ck_assert_int_eq(buf_put_cstring(ids, "alice-p384"), 0);
	section(certs, 0x23, ids);
	section(b, 1, certs);
	certs = certs_for(NULL);
	ck_assert_ptr_nonnull(ids = buf_new());
	ck_assert_int_eq(buf_put_cstring(ids, "alice"), 0);
	ck_assert_int_eq(buf_put_cstring(ids, "alice-p521"), 0);
	section(certs, 0x23, ids);
	section(b, 1, certs);
	ck_assert_int_eq(parse(b, &krl), 0);
	ck_assert(!cert_revoked(krl, "user_ecdsa384"));
	ck_assert(cert_revoked(krl, "user_ecdsa521"));
	ck_assert(!cert_revoked(krl, "user_ecdsa256"));
	krl_free(krl);

	/* Empty, and with a NUL inside. */
	ck_assert_ptr_nonnull(ids = buf_new());
	ck_assert_int_eq(one_subsection(NULL, 0x23, ids),
	    SSH_ERR_INVALID_FORMAT);
	ck_assert_ptr_nonnull(ids = buf_new());
	ck_assert_int_eq(buf_put_string(ids, "a\0b", 3), 0);
	ck_assert_int_eq(one_subsection(NULL, 0x23, ids),
	    SSH_ERR_INVALID_FORMAT);
}
END_TEST

START_TEST(test_header_errors)
{
	struct buf *b;

	b = header(1, "");
	buf_mutable_ptr(b)[7] = 1;
	ck_assert_int_eq(parse_only(b), SSH_ERR_KRL_BAD_MAGIC);
	ck_assert_int_eq(parse_only(header(2, "")),
	    SSH_ERR_FEATURE_UNSUPPORTED);
	ck_assert_ptr_nonnull(b = buf_new());
	ck_assert_int_eq(parse_only(b), SSH_ERR_KRL_BAD_MAGIC);
	/* A comment holding a NUL. */
	b = header(1, "");
	ck_assert_int_eq(buf_consume_end(b, 4), 0);
	ck_assert_int_eq(buf_put_string(b, "x\0y", 3), 0);
	ck_assert_int_eq(parse_only(b), SSH_ERR_INVALID_FORMAT);
	/* A section type that does not exist, and a truncated type byte. */
	b = header(1, "");
	section(b, 6, u64s(0));
	ck_assert_int_eq(parse_only(b), SSH_ERR_FEATURE_UNSUPPORTED);
	ck_assert_int_eq(one_subsection(NULL, 0x24, u64s(0)),
	    SSH_ERR_FEATURE_UNSUPPORTED);
}
END_TEST

START_TEST(test_extensions)
{
	struct buf *b, *certs, *d;
	struct krl *krl;

	/* Non-critical extensions are skipped at both levels. */
	b = header(1, "");
	section(b, 255, extension("bloom-explicit-key", 0));
	certs = certs_for("ca_ed25519");
	section(certs, 0x39, extension("cert-bloom-serial", 0));
	section(certs, 0x20, u64s(1, (uint64_t)1));
	section(b, 1, certs);
	ck_assert_int_eq(parse(b, &krl), 0);
	ck_assert(cert_revoked(krl, "user_ed25519"));
	krl_free(krl);
	/* Critical ones refuse the KRL. */
	b = header(1, "");
	section(b, 255, extension("frob@example.com", 1));
	ck_assert_int_eq(parse_only(b), SSH_ERR_FEATURE_UNSUPPORTED);
	ck_assert_int_eq(one_subsection("ca_ed25519", 0x39,
	    extension("frob@example.com", 1)), SSH_ERR_FEATURE_UNSUPPORTED);
	/* Bytes after an extension's contents. */
	d = extension("x@example.com", 0);
	ck_assert_int_eq(buf_put_u8(d, 0), 0);
	b = header(1, "");
	section(b, 255, d);
	ck_assert_int_eq(parse_only(b), SSH_ERR_UNEXPECTED_TRAILING_DATA);
}
END_TEST

static struct buf *
digests(size_t len, int n, ...)
{
	struct buf *d;
	uint8_t dg[64];
	va_list ap;

	ck_assert_ptr_nonnull(d = buf_new());
	va_start(ap, n);
	while (n-- > 0) {
		memset(dg, va_arg(ap, int), sizeof(dg));
		ck_assert_int_eq(buf_put_string(d, dg, len), 0);
	}
	va_end(ap);
	return d;
}

START_TEST(test_fingerprint_sections)
{
	struct buf *b;
	struct krl *krl;

	/* Ascending (and repeated) digests of the right length load. */
	b = header(1, "");
	section(b, 3, digests(20, 3, 1, 1, 2));
	section(b, 5, digests(32, 2, 1, 0xff));
	section(b, 5, digests(32, 1, 0));  /* a new section starts over */
	ck_assert_int_eq(parse(b, &krl), 0);
	ck_assert(!key_revoked(krl, "user_ed25519"));
	krl_free(krl);
	b = header(1, "");
	section(b, 5, digests(32, 2, 2, 1));
	ck_assert_int_eq(parse_only(b), SSH_ERR_INVALID_FORMAT);
	b = header(1, "");
	section(b, 3, digests(32, 1, 1));
	ck_assert_int_eq(parse_only(b), SSH_ERR_INVALID_FORMAT);
	b = header(1, "");
	section(b, 5, digests(20, 1, 1));
	ck_assert_int_eq(parse_only(b), SSH_ERR_INVALID_FORMAT);
	/* Empty sections. */
	b = header(1, "");
	section(b, 5, digests(32, 0));
	ck_assert_int_eq(parse_only(b), SSH_ERR_INVALID_FORMAT);
	b = header(1, "");
	section(b, 2, digests(32, 0));
	ck_assert_int_eq(parse_only(b), SSH_ERR_INVALID_FORMAT);
	/* An empty key blob. */
	b = header(1, "");
	section(b, 2, digests(0, 1, 0));
	ck_assert_int_eq(parse_only(b), SSH_ERR_INVALID_FORMAT);
}
END_TEST

/* A signature section: signature_key and signature strings. */
static void
signature(struct buf *b)
{
	ck_assert_int_eq(buf_put_u8(b, 4), 0);
	ck_assert_int_eq(buf_put_cstring(b, "signature key"), 0);
	ck_assert_int_eq(buf_put_cstring(b, "signature"), 0);
}

START_TEST(test_signatures_skipped)
{
	struct buf *b, *certs;
	struct krl *krl;

	b = header(1, "");
	certs = certs_for(NULL);
	section(certs, 0x23, digests(5, 1, 'a'));	/* key ID "aaaaa" */
	section(b, 1, certs);
	section(b, 5, digests(32, 1, 1));
	signature(b);
	signature(b);
	ck_assert_int_eq(parse(b, &krl), 0);
	ck_assert(!cert_revoked(krl, "user_ed25519"));
	krl_free(krl);
	/* Only signatures may follow a signature. */
	b = header(1, "");
	signature(b);
	section(b, 5, digests(32, 1, 1));
	ck_assert_int_eq(parse_only(b), SSH_ERR_INVALID_FORMAT);
	/* A signature without its second string. */
	b = header(1, "");
	ck_assert_int_eq(buf_put_u8(b, 4), 0);
	ck_assert_int_eq(buf_put_cstring(b, "signature key"), 0);
	ck_assert_int_eq(parse_only(b), SSH_ERR_MESSAGE_INCOMPLETE);
}
END_TEST

START_TEST(test_trailing_in_section)
{
	struct buf *b, *certs, *d;

	/* A range subsection with a byte too many. */
	d = u64s(2, (uint64_t)1, (uint64_t)2);
	ck_assert_int_eq(buf_put_u8(d, 0), 0);
	ck_assert_int_eq(one_subsection("ca_ed25519", 0x21, d),
	    SSH_ERR_UNEXPECTED_TRAILING_DATA);
	/* A certificates section cut inside a subsection header. */
	b = header(1, "");
	certs = certs_for("ca_ed25519");
	ck_assert_int_eq(buf_put_u8(certs, 0x20), 0);
	section(b, 1, certs);
	ck_assert_int_eq(parse_only(b), SSH_ERR_MESSAGE_INCOMPLETE);
}
END_TEST

START_TEST(test_fuzz_corpus)
{
	ck_assert_uint_gt(tu_replay_corpus("krl", LLVMFuzzerTestOneInput), 0);
}
END_TEST

static Suite *
krl_suite(void)
{
	Suite *s = suite_create("krl");
	TCase *tc;

	tc = tcase_create("ssh-keygen");
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, test_serial_list);
	tcase_add_test(tc, test_serial_range);
	tcase_add_test(tc, test_serial_bitmap);
	tcase_add_test(tc, test_key_id);
	tcase_add_test(tc, test_key_id_any_ca);
	tcase_add_test(tc, test_explicit_key);
	tcase_add_test(tc, test_sha1);
	tcase_add_test(tc, test_sha256);
	tcase_add_test(tc, test_ca_key);
	tcase_add_test(tc, test_empty_version);
	tcase_add_test(tc, test_magic);
	tcase_add_loop_test(tc, test_truncations, 0, NFIXTURES);
	tcase_add_test(tc, test_fuzz_corpus);
	suite_add_tcase(s, tc);

	tc = tcase_create("built");
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, test_overlapping_ranges);
	tcase_add_test(tc, test_range_edges);
	tcase_add_test(tc, test_bitmap_bits);
	tcase_add_test(tc, test_serial_zero_refused);
	tcase_add_test(tc, test_bad_ranges);
	tcase_add_test(tc, test_key_ids_any_and_specific);
	tcase_add_test(tc, test_header_errors);
	tcase_add_test(tc, test_extensions);
	tcase_add_test(tc, test_fingerprint_sections);
	tcase_add_test(tc, test_signatures_skipped);
	tcase_add_test(tc, test_trailing_in_section);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	SRunner *sr = srunner_create(krl_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
