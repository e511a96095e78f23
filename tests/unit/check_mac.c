/*
 * check_mac.c: the transport MACs of protocol/mac.h: published HMAC vectors
 * (RFC 2202, RFC 4231, Wycheproof incl. truncated tags) through the layer's
 * own HMAC, then the SSH form HMAC(key, uint32 seqnr || data) and its
 * constant-time check against every single-bit change; UMAC (RFC 4418
 * appendix vectors, and the SSH form with the nonce uint64 seqnr).
 */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "protocol/mac.h"
#include "protocol/ssherr.h"
#include "protocol/umac.h"
#include "tests/unit/testutil.h"

static void
fill(uint8_t *p, size_t len, uint8_t seed)
{
	size_t i;

	for (i = 0; i < len; i++)
		p[i] = (uint8_t)(seed + i * 13 + (i >> 2));
}

START_TEST(test_alg_table)
{
	static const struct {
		const char *name;
		size_t keylen, len;
		int etm;
	} want[] = {
		{ "hmac-sha2-256", 32, 32, 0 },
		{ "hmac-sha2-512", 64, 64, 0 },
		{ "hmac-sha1", 20, 20, 0 },
		{ "hmac-sha2-256-etm@openssh.com", 32, 32, 1 },
		{ "hmac-sha2-512-etm@openssh.com", 64, 64, 1 },
		{ "hmac-sha1-etm@openssh.com", 20, 20, 1 },
		{ "umac-64@openssh.com", 16, 8, 0 },
		{ "umac-128@openssh.com", 16, 16, 0 },
		{ "umac-64-etm@openssh.com", 16, 8, 1 },
		{ "umac-128-etm@openssh.com", 16, 16, 1 },
	};
	const struct mac_alg *alg;
	size_t i, n;

	for (i = 0; i < sizeof(want) / sizeof(want[0]); i++) {
		alg = mac_by_name(want[i].name);
		ck_assert_ptr_nonnull(alg);
		ck_assert_str_eq(mac_alg_name(alg), want[i].name);
		ck_assert_uint_eq(mac_alg_key_len(alg), want[i].keylen);
		ck_assert_uint_eq(mac_alg_out_len(alg), want[i].len);
		ck_assert_int_eq(mac_alg_etm(alg), want[i].etm);
	}
	for (n = 0; (alg = mac_alg_at(n)) != NULL; n++)
		ck_assert_ptr_eq(mac_by_name(mac_alg_name(alg)), alg);
	ck_assert_uint_eq(n, sizeof(want) / sizeof(want[0]));
	ck_assert_ptr_null(mac_by_name(NULL));
	ck_assert_ptr_null(mac_by_name(""));
	ck_assert_ptr_null(mac_by_name("hmac-md5"));
	ck_assert_ptr_null(mac_by_name("hmac-sha2-256-etm"));
	ck_assert_ptr_null(mac_by_name("umac-32@openssh.com"));
	ck_assert_ptr_null(mac_by_name("none"));
}
END_TEST

START_TEST(test_init_rejects_bad_keys)
{
	uint8_t key[MAC_HMAC_MAX_KEY_LEN + 1];
	const struct mac_alg *alg;
	struct mac_ctx *ctx;
	size_t i, kl;

	memset(key, 0x0b, sizeof(key));
	for (i = 0; (alg = mac_alg_at(i)) != NULL; i++) {
		kl = mac_alg_key_len(alg);
		ctx = (struct mac_ctx *)1;
		ck_assert_int_eq(mac_init(&ctx, alg, key, kl - 1),
		    SSH_ERR_INVALID_ARGUMENT);
		ck_assert_ptr_null(ctx);
		ck_assert_int_eq(mac_init(&ctx, alg, key, kl + 1),
		    SSH_ERR_INVALID_ARGUMENT);
		ck_assert_int_eq(mac_init(&ctx, alg, NULL, kl),
		    SSH_ERR_INVALID_ARGUMENT);
		ck_assert_int_eq(mac_hmac_init(&ctx, alg, key, 0),
		    SSH_ERR_INVALID_ARGUMENT);
		ck_assert_int_eq(mac_hmac_init(&ctx, alg, key,
		    MAC_HMAC_MAX_KEY_LEN + 1), SSH_ERR_INVALID_ARGUMENT);
		ck_assert_ptr_null(ctx);
		ck_assert_int_eq(mac_init(&ctx, alg, key, kl), 0);
		ck_assert_ptr_eq(mac_ctx_alg(ctx), alg);
		ck_assert_int_eq(mac_ctx_etm(ctx), mac_alg_etm(alg));
		ck_assert_uint_eq(mac_ctx_len(ctx), mac_alg_out_len(alg));
		mac_free(ctx);
		/* Raw HMAC is for HMAC algorithms only. */
		ck_assert_int_eq(mac_hmac_init(&ctx, alg, key,
		    MAC_HMAC_MAX_KEY_LEN), mac_alg_hmac(alg) ? 0 :
		    SSH_ERR_INVALID_ARGUMENT);
		mac_free(ctx);
	}
	ck_assert_int_eq(mac_init(&ctx, NULL, key, 32),
	    SSH_ERR_INVALID_ARGUMENT);
	ck_assert_int_eq(mac_init(NULL, mac_alg_at(0), key, 32),
	    SSH_ERR_INVALID_ARGUMENT);
	mac_free(NULL);
}
END_TEST

/* RFC 2202 / RFC 4231 test case 2: key "Jefe", short key and message. */
START_TEST(test_rfc_hmac_case2)
{
	static const char msg[] = "what do ya want for nothing?";
	static const struct {
		const char *name, *tag;
	} v[] = {
		{ "hmac-sha1", "effcdf6ae5eb2fa2d27416d5f184df9c259a7c79" },
		{ "hmac-sha2-256", "5bdcc146bf60754e6a042426089575c7"
		    "5a003f089d2739839dec58b964ec3843" },
		{ "hmac-sha2-512", "164b7a7bfcf819e2e395fbe73b56e0a3"
		    "87bd64222e831fd610270cd7ea250554"
		    "9758bf75c05a994a6d034f65f8f0e6fd"
		    "caeab1a34d4a6b4b636e070a38bce737" },
	};
	uint8_t out[MAC_MAX_LEN];
	size_t i, tl;

	for (i = 0; i < sizeof(v) / sizeof(v[0]); i++) {
		const struct mac_alg *alg = mac_by_name(v[i].name);
		uint8_t *tag = tu_hex(v[i].tag, &tl);
		struct mac_ctx *ctx = NULL;

		ck_assert_uint_eq(tl, mac_alg_out_len(alg));
		ck_assert_int_eq(mac_hmac_init(&ctx, alg,
		    (const uint8_t *)"Jefe", 4), 0);
		ck_assert_int_eq(mac_hmac(ctx, (const uint8_t *)msg,
		    strlen(msg), out, tl), 0);
		ck_assert_mem_eq(out, tag, tl);
		/* Twice: the context restarts cleanly. */
		ck_assert_int_eq(mac_hmac_verify(ctx, (const uint8_t *)msg,
		    strlen(msg), tag, tl), 0);
		ck_assert_int_eq(mac_hmac_verify(ctx, (const uint8_t *)msg,
		    strlen(msg) - 1, tag, tl), SSH_ERR_MAC_INVALID);
		mac_free(ctx);
		free(tag);
	}
}
END_TEST

static void
wycheproof_hmac(const char *file, const char *algname)
{
	json_t *root = tu_wycheproof(file);
	json_t *groups = json_object_get(root, "testGroups"), *g, *tests, *t;
	const struct mac_alg *alg = mac_by_name(algname);
	size_t gi, ti, n = 0, rejected = 0, truncated = 0;
	size_t kl, ml, tl;
	uint8_t out[MAC_MAX_LEN];

	ck_assert_ptr_nonnull(alg);
	json_array_foreach(groups, gi, g) {
		size_t tagsize = (size_t)json_integer_value(
		    json_object_get(g, "tagSize")) / 8;

		tests = json_object_get(g, "tests");
		json_array_foreach(tests, ti, t) {
			uint8_t *key = tu_hex(tu_str(t, "key"), &kl);
			uint8_t *msg = tu_hex(tu_str(t, "msg"), &ml);
			uint8_t *tag = tu_hex(tu_str(t, "tag"), &tl);
			long long id = json_integer_value(json_object_get(t,
			    "tcId"));
			int expect = tu_expect(t), r;
			struct mac_ctx *ctx = NULL;

			n++;
			ck_assert_int_eq(mac_hmac_init(&ctx, alg, key, kl), 0);
			/* Compared on the group's tag size; a tag of another
			 * length is a mismatch, not a shorter comparison. */
			r = tl == tagsize ?
			    mac_hmac_verify(ctx, msg, ml, tag, tl) :
			    SSH_ERR_MAC_INVALID;
			if (expect == 1) {
				ck_assert_msg(r == 0, "tcId %lld: %s", id,
				    ssh_err(r));
				ck_assert_int_eq(mac_hmac(ctx, msg, ml, out,
				    tagsize), 0);
				ck_assert_mem_eq(out, tag, tagsize);
				if (tagsize < mac_alg_out_len(alg))
					truncated++;
			} else if (expect == 0) {
				ck_assert_msg(r == SSH_ERR_MAC_INVALID,
				    "tcId %lld accepted", id);
				rejected++;
			}
			mac_free(ctx);
			free(key);
			free(msg);
			free(tag);
		}
	}
	ck_assert_uint_eq(n, (size_t)json_integer_value(
	    json_object_get(root, "numberOfTests")));
	ck_assert_uint_eq(rejected, 108);
	ck_assert_uint_eq(truncated, 33);
	json_decref(root);
}

START_TEST(test_wycheproof_hmac_sha256)
{
	wycheproof_hmac("hmac_sha256_test.json", "hmac-sha2-256");
}
END_TEST

START_TEST(test_wycheproof_hmac_sha512)
{
	wycheproof_hmac("hmac_sha512_test.json", "hmac-sha2-512");
}
END_TEST

/* The SSH MAC is the HMAC of uint32 seqnr || data (RFC 4253 section 6.4). */
START_TEST(test_seqnr_prefix)
{
	static const uint32_t seqnrs[] = { 0, 1, 0x01020304, 0xffffffff };
	uint8_t key[MAC_MAX_KEY_LEN], data[300], pre[304];
	uint8_t a[MAC_MAX_LEN], b[MAC_MAX_LEN];
	const struct mac_alg *alg;
	size_t i, j, len;

	fill(key, sizeof(key), 3);
	fill(data, sizeof(data), 4);
	for (i = 0; (alg = mac_alg_at(i)) != NULL; i++) {
		size_t ol = mac_alg_out_len(alg);
		struct mac_ctx *ssh = NULL, *raw = NULL;

		if (!mac_alg_hmac(alg))
			continue;	/* test_umac_ssh_nonce */
		ck_assert_int_eq(mac_init(&ssh, alg, key, ol), 0);
		ck_assert_int_eq(mac_hmac_init(&raw, alg, key, ol), 0);
		for (j = 0; j < sizeof(seqnrs) / sizeof(seqnrs[0]); j++) {
			len = j * 97;
			pre[0] = (uint8_t)(seqnrs[j] >> 24);
			pre[1] = (uint8_t)(seqnrs[j] >> 16);
			pre[2] = (uint8_t)(seqnrs[j] >> 8);
			pre[3] = (uint8_t)seqnrs[j];
			memcpy(pre + 4, data, len);
			memset(a, 0, sizeof(a));
			ck_assert_int_eq(mac_compute(ssh, seqnrs[j], data, len,
			    a, sizeof(a)), 0);
			ck_assert_int_eq(mac_hmac(raw, pre, len + 4, b, ol), 0);
			ck_assert_mem_eq(a, b, ol);
			ck_assert_int_eq(mac_verify(ssh, seqnrs[j], data, len,
			    a, ol), 0);
			/* A context for one seqnr does not answer another. */
			ck_assert_int_eq(mac_verify(ssh, seqnrs[j] + 1, data,
			    len, a, ol), SSH_ERR_MAC_INVALID);
		}
		/* outlen is a buffer size; it must hold the whole MAC. */
		ck_assert_int_eq(mac_compute(ssh, 0, data, 1, a, ol - 1),
		    SSH_ERR_INVALID_ARGUMENT);
		memset(a, 0xee, sizeof(a));
		ck_assert_int_eq(mac_compute(ssh, 0, data, 1, a, sizeof(a)), 0);
		for (j = ol; j < sizeof(a); j++)
			ck_assert_uint_eq(a[j], 0xee);
		mac_free(ssh);
		mac_free(raw);
	}
}
END_TEST

/* Every single-bit change of MAC, data or seqnr fails, as does a MAC of the
 * wrong length (never compared on a prefix). */
START_TEST(test_verify_rejects_forgeries)
{
	uint8_t key[MAC_MAX_KEY_LEN], data[45], mac[MAC_MAX_LEN + 1];
	const struct mac_alg *alg;
	size_t i, bit;

	fill(key, sizeof(key), 7);
	fill(data, sizeof(data), 8);
	for (i = 0; (alg = mac_alg_at(i)) != NULL; i++) {
		size_t ol = mac_alg_out_len(alg);
		struct mac_ctx *ctx = NULL;
		const uint32_t seqnr = 0x80000001;

		ck_assert_int_eq(mac_init(&ctx, alg, key, mac_alg_key_len(alg)),
		    0);
		ck_assert_int_eq(mac_compute(ctx, seqnr, data, sizeof(data),
		    mac, sizeof(mac)), 0);
		ck_assert_int_eq(mac_verify(ctx, seqnr, data, sizeof(data),
		    mac, ol), 0);
		for (bit = 0; bit < ol * 8; bit++) {
			mac[bit / 8] ^= (uint8_t)(1 << (bit % 8));
			ck_assert_int_eq(mac_verify(ctx, seqnr, data,
			    sizeof(data), mac, ol), SSH_ERR_MAC_INVALID);
			mac[bit / 8] ^= (uint8_t)(1 << (bit % 8));
		}
		for (bit = 0; bit < sizeof(data) * 8; bit++) {
			data[bit / 8] ^= (uint8_t)(1 << (bit % 8));
			ck_assert_int_eq(mac_verify(ctx, seqnr, data,
			    sizeof(data), mac, ol), SSH_ERR_MAC_INVALID);
			data[bit / 8] ^= (uint8_t)(1 << (bit % 8));
		}
		for (bit = 0; bit < 32; bit++)
			ck_assert_int_eq(mac_verify(ctx,
			    seqnr ^ (1U << bit), data, sizeof(data), mac, ol),
			    SSH_ERR_MAC_INVALID);
		ck_assert_int_eq(mac_verify(ctx, seqnr, data, sizeof(data) - 1,
		    mac, ol), SSH_ERR_MAC_INVALID);
		ck_assert_int_eq(mac_verify(ctx, seqnr, data, sizeof(data),
		    mac, ol - 1), SSH_ERR_MAC_INVALID);
		ck_assert_int_eq(mac_verify(ctx, seqnr, data, sizeof(data),
		    mac, ol + 1), SSH_ERR_MAC_INVALID);
		ck_assert_int_eq(mac_verify(ctx, seqnr, data, sizeof(data),
		    mac, 0), SSH_ERR_MAC_INVALID);
		/* Still fine after all the failures. */
		ck_assert_int_eq(mac_verify(ctx, seqnr, data, sizeof(data),
		    mac, ol), 0);
		mac_free(ctx);
	}
}
END_TEST

/* Raw HMAC truncation: from max(L/2, 10) bytes to L (RFC 2104 section 5). */
START_TEST(test_hmac_truncation_bounds)
{
	uint8_t key[16], out[MAC_MAX_LEN];
	const struct mac_alg *alg;
	size_t i;

	fill(key, sizeof(key), 1);
	for (i = 0; (alg = mac_alg_at(i)) != NULL; i++) {
		size_t ol = mac_alg_out_len(alg);
		size_t min = ol / 2 > 10 ? ol / 2 : 10;
		struct mac_ctx *ctx = NULL;

		if (!mac_alg_hmac(alg))
			continue;
		ck_assert_int_eq(mac_hmac_init(&ctx, alg, key, sizeof(key)), 0);
		ck_assert_int_eq(mac_hmac(ctx, key, 1, out, min - 1),
		    SSH_ERR_INVALID_ARGUMENT);
		ck_assert_int_eq(mac_hmac(ctx, key, 1, out, ol + 1),
		    SSH_ERR_INVALID_ARGUMENT);
		ck_assert_int_eq(mac_hmac(ctx, key, 1, out, min), 0);
		ck_assert_int_eq(mac_hmac_verify(ctx, key, 1, out, min), 0);
		ck_assert_int_eq(mac_hmac_verify(ctx, key, 1, out, min - 1),
		    SSH_ERR_INVALID_ARGUMENT);
		ck_assert_int_eq(mac_hmac(ctx, key, 1, out, ol), 0);
		ck_assert_int_eq(mac_hmac_verify(ctx, key, 1, out, ol), 0);
		mac_free(ctx);
	}
}
END_TEST

/*
 * RFC 4418 appendix: key "abcdefghijklmnop", nonce "bcdefghi", 32-, 64-
 * and 96-bit tags (a 128-bit tag starts with the 96-bit one: the same
 * iterations and pad block), the full 128-bit tags where published
 * elsewhere, and three lengths around 2^17.  The 2^25-byte message needs
 * the 128-bit second-level polynomial, which is left out (umac.h): it is
 * refused.
 */
START_TEST(test_umac_rfc4418)
{
	static const struct {
		const char *pattern;
		size_t reps;
		const char *t32, *t64, *t96, *t128;
	} v[] = {
		{ "a", 0, "113145FB", "6E155FAD26900BE1",
		    "32FEDB100C79AD58F07FF764",
		    "32FEDB100C79AD58F07FF7643CC60465" },
		{ "a", 3, "3B91D102", "44B5CB542F220104",
		    "185E4FE905CBA7BD85E4C2DC",
		    "185E4FE905CBA7BD85E4C2DC3D117D8D" },
		{ "a", 1 << 10, "599B350B", "26BF2F5D60118BD9",
		    "7A54ABE04AF82D60FB298C3C",
		    "7A54ABE04AF82D60FB298C3CBD195BCB" },
		{ "a", 1 << 15, "58DCF532", "27F8EF643B0D118D",
		    "7B136BD911E4B734286EF2BE",
		    "7B136BD911E4B734286EF2BE501F2C3C" },
		{ "a", 1 << 20, "DB6364D1", "A4477E87E9F55853",
		    "F8ACFA3AC31CFEEA047F7B11", NULL },
		{ "abc", 1, "ABF3A3A0", "D4D7B9F6BD4FBFCF",
		    "883C3D4B97A61976FFCF2323", NULL },
		{ "abc", 500, "ABEB3C8B", "D4CF26DDEFD5C01A",
		    "8824A260C53C66A36C9260A6", NULL },
		{ "a", 131071, "EEC970DF", "91ED6A895DAE75E7",
		    "CD06EE347747D35E803C2CB3", NULL },
		{ "abcd", 32768, "C7EECA2C", "B8CAD07AB23FF1F1",
		    "E42154C798D65748713AB35D", NULL },
		{ "abc", 43691, "DE426658", "A1667C0E84DD5C62",
		    "FD8DF8B3AE34FADB5453648A", NULL },
	};
	const uint8_t *key = (const uint8_t *)"abcdefghijklmnop";
	const uint8_t *nonce = (const uint8_t *)"bcdefghi";
	struct umac *u[4];
	uint8_t *msg, tag[16], *want;
	size_t i, j, t, len, wlen;

	for (t = 0; t < 4; t++)
		ck_assert_int_eq(umac_new(&u[t], key, 4 * (t + 1)), 0);
	for (i = 0; i < sizeof(v) / sizeof(v[0]); i++) {
		const char *tags[4] = { v[i].t32, v[i].t64, v[i].t96,
		    v[i].t128 };
		size_t plen = strlen(v[i].pattern);

		len = plen * v[i].reps;
		ck_assert_ptr_nonnull(msg = malloc(len + 1));
		for (j = 0; j < v[i].reps; j++)
			memcpy(msg + j * plen, v[i].pattern, plen);
		for (t = 0; t < 4; t++) {
			ck_assert_int_eq(umac_tag(u[t], msg, len, nonce, 8,
			    tag), 0);
			if (t == 3) {
				want = tu_hex(v[i].t96, &wlen);
				ck_assert_mem_eq(tag, want, 12);
				free(want);
			}
			if (tags[t] == NULL)
				continue;
			want = tu_hex(tags[t], &wlen);
			ck_assert_uint_eq(wlen, 4 * (t + 1));
			ck_assert_msg(memcmp(tag, want, wlen) == 0,
			    "%s * %zu, %zu-byte tag", v[i].pattern, v[i].reps,
			    wlen);
			free(want);
		}
		free(msg);
	}
	ck_assert_int_eq(umac_tag(u[1], key, UMAC_MAX_MSG + 1, nonce, 8, tag),
	    SSH_ERR_INVALID_ARGUMENT);
	ck_assert_int_eq(umac_tag(u[1], key, 1, nonce, 0, tag),
	    SSH_ERR_INVALID_ARGUMENT);
	for (t = 0; t < 4; t++)
		umac_free(u[t]);
	ck_assert_int_eq(umac_new(&u[0], key, 6), SSH_ERR_INVALID_ARGUMENT);
	ck_assert_ptr_null(u[0]);
	umac_free(NULL);
}
END_TEST

/* The SSH form (OpenSSH's): the tag of the packet with nonce uint64 seqnr;
 * the two pad halves of umac-64 (even and odd seqnr) both used. */
START_TEST(test_umac_ssh_nonce)
{
	static const uint32_t seqnrs[] = { 0, 1, 0x01020304, 0xffffffff };
	static const char *const names[] = {
		"umac-64@openssh.com", "umac-128-etm@openssh.com",
	};
	uint8_t key[UMAC_KEY_LEN], data[1500], a[MAC_MAX_LEN], b[16];
	uint8_t nonce[8];
	size_t i, j, len;

	fill(key, sizeof(key), 5);
	fill(data, sizeof(data), 6);
	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		const struct mac_alg *alg = mac_by_name(names[i]);
		size_t ol = mac_alg_out_len(alg);
		struct mac_ctx *ctx = NULL;
		struct umac *u = NULL;

		ck_assert_int_eq(mac_alg_hmac(alg), 0);
		ck_assert_int_eq(mac_init(&ctx, alg, key, sizeof(key)), 0);
		ck_assert_int_eq(umac_new(&u, key, ol), 0);
		for (j = 0; j < sizeof(seqnrs) / sizeof(seqnrs[0]); j++) {
			len = j * 499;
			memset(nonce, 0, 4);
			nonce[4] = (uint8_t)(seqnrs[j] >> 24);
			nonce[5] = (uint8_t)(seqnrs[j] >> 16);
			nonce[6] = (uint8_t)(seqnrs[j] >> 8);
			nonce[7] = (uint8_t)seqnrs[j];
			ck_assert_int_eq(mac_compute(ctx, seqnrs[j], data, len,
			    a, sizeof(a)), 0);
			ck_assert_int_eq(umac_tag(u, data, len, nonce, 8, b),
			    0);
			ck_assert_mem_eq(a, b, ol);
			ck_assert_int_eq(mac_verify(ctx, seqnrs[j], data, len,
			    a, ol), 0);
		}
		/* No raw HMAC on a UMAC context. */
		ck_assert_int_eq(mac_hmac(ctx, data, 1, a, ol),
		    SSH_ERR_INVALID_ARGUMENT);
		mac_free(ctx);
		umac_free(u);
	}
}
END_TEST

static Suite *
mac_suite(void)
{
	Suite *s = suite_create("mac");
	TCase *tc = tcase_create("core");

	tcase_set_timeout(tc, 120);
	tcase_add_test(tc, test_alg_table);
	tcase_add_test(tc, test_init_rejects_bad_keys);
	tcase_add_test(tc, test_rfc_hmac_case2);
	tcase_add_test(tc, test_wycheproof_hmac_sha256);
	tcase_add_test(tc, test_wycheproof_hmac_sha512);
	tcase_add_test(tc, test_seqnr_prefix);
	tcase_add_test(tc, test_verify_rejects_forgeries);
	tcase_add_test(tc, test_hmac_truncation_bounds);
	tcase_add_test(tc, test_umac_rfc4418);
	tcase_add_test(tc, test_umac_ssh_nonce);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	SRunner *sr = srunner_create(mac_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? 0 : 1;
}
