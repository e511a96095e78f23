/* check_negotiation.c: identification strings, name-lists, KEXINIT. */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "protocol/buf.h"
#include "protocol/kexinit.h"
#include "protocol/namelist.h"
#include "protocol/ssh2.h"
#include "protocol/ssherr.h"
#include "protocol/version.h"

static int
parse_version(const char *input, char **identp, size_t *leftp)
{
	struct version_rx st = { 0 };
	struct buf *b = buf_new();
	int r;

	ck_assert_int_eq(buf_put(b, input, strlen(input)), 0);
	r = version_parse(&st, b, identp);
	if (leftp != NULL)
		*leftp = buf_len(b);
	buf_free(b);
	return r;
}

START_TEST(test_version_good)
{
	char *id;
	size_t left;

	ck_assert_int_eq(parse_version("SSH-2.0-OpenSSH_9.2p1 Debian\r\nXY",
	    &id, &left), 0);
	ck_assert_str_eq(id, "SSH-2.0-OpenSSH_9.2p1 Debian");
	ck_assert_uint_eq(left, 2);	/* the first packet's bytes stay */
	free(id);
	ck_assert_int_eq(parse_version("SSH-1.99-old\n", &id, NULL), 0);
	free(id);
	ck_assert_int_eq(parse_version("hello\r\nworld\r\nSSH-2.0-x\r\n",
	    &id, NULL), 0);
	ck_assert_str_eq(id, "SSH-2.0-x");
	free(id);
}
END_TEST

START_TEST(test_version_incomplete_then_complete)
{
	struct version_rx st = { 0 };
	struct buf *b = buf_new();
	const char *line = "SSH-2.0-client\r\n";
	char *id = NULL;
	size_t i;

	for (i = 0; i < strlen(line) - 1; i++) {
		ck_assert_int_eq(buf_put_u8(b, (uint8_t)line[i]), 0);
		ck_assert_int_eq(version_parse(&st, b, &id),
		    SSH_ERR_MESSAGE_INCOMPLETE);
		ck_assert_ptr_null(id);
	}
	ck_assert_int_eq(buf_put_u8(b, '\n'), 0);
	ck_assert_int_eq(version_parse(&st, b, &id), 0);
	ck_assert_str_eq(id, "SSH-2.0-client");
	free(id);
	buf_free(b);
}
END_TEST

START_TEST(test_version_bad)
{
	char long_line[400], many[600];
	char *id;
	int i;

	ck_assert_int_eq(parse_version("SSH-1.5-old\r\n", &id, NULL),
	    SSH_ERR_PROTOCOL_MISMATCH);
	ck_assert_int_eq(parse_version("SSH-3.0-new\r\n", &id, NULL),
	    SSH_ERR_PROTOCOL_MISMATCH);
	ck_assert_int_eq(parse_version("SSH-2.0-\r\n", &id, NULL),
	    SSH_ERR_INVALID_FORMAT);
	ck_assert_int_eq(parse_version("SSH-2.0-a\x01\r\n", &id, NULL),
	    SSH_ERR_INVALID_FORMAT);
	ck_assert_int_eq(parse_version("SSH-2.0-a\x80\r\n", &id, NULL),
	    SSH_ERR_INVALID_FORMAT);
	ck_assert_int_eq(parse_version("x\0y\nSSH-2.0-a\r\n", &id, NULL),
	    SSH_ERR_MESSAGE_INCOMPLETE); /* strlen stops at the NUL */
	memset(long_line, 'a', sizeof(long_line) - 1);
	long_line[sizeof(long_line) - 1] = '\0';
	ck_assert_int_eq(parse_version(long_line, &id, NULL),
	    SSH_ERR_NO_PROTOCOL_VERSION);
	memcpy(long_line, "SSH-2.0-", 8);
	ck_assert_int_eq(parse_version(long_line, &id, NULL),
	    SSH_ERR_NO_PROTOCOL_VERSION);
	many[0] = '\0';
	for (i = 0; i <= VERSION_PREBANNER_LINES_MAX; i++)
		strcat(many, "junk\r\n");
	strcat(many, "SSH-2.0-late\r\n");
	ck_assert_int_eq(parse_version(many, &id, NULL),
	    SSH_ERR_NO_PROTOCOL_VERSION);
	ck_assert_ptr_null(id);
}
END_TEST

START_TEST(test_version_embedded_nul)
{
	static const char in[] = "SSH-2.0-a\0b\r\n";
	struct version_rx st = { 0 };
	struct buf *b = buf_new();
	char *id;

	ck_assert_int_eq(buf_put(b, in, sizeof(in) - 1), 0);
	ck_assert_int_eq(version_parse(&st, b, &id), SSH_ERR_INVALID_FORMAT);
	buf_free(b);
}
END_TEST

START_TEST(test_namelist_check)
{
	static const char *const good[] = {
		"", "a", "a,b", "curve25519-sha256,ext-info-c",
	};
	static const char *const bad[] = {
		",", "a,", ",a", "a,,b", "a b", "a\tb", "\x7f", "é",
	};
	char big[NAMELIST_LEN_MAX + 2];
	size_t i;

	for (i = 0; i < sizeof(good) / sizeof(good[0]); i++)
		ck_assert_int_eq(namelist_check(good[i], strlen(good[i])), 0);
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		ck_assert_msg(namelist_check(bad[i], strlen(bad[i])) != 0,
		    "accepted \"%s\"", bad[i]);
	/* A name of 65 bytes, and more names than the cap. */
	memset(big, 'n', NAMELIST_NAME_MAX + 1);
	big[NAMELIST_NAME_MAX + 1] = '\0';
	ck_assert_int_eq(namelist_check(big, strlen(big)),
	    SSH_ERR_INVALID_FORMAT);
	big[NAMELIST_NAME_MAX] = '\0';
	ck_assert_int_eq(namelist_check(big, strlen(big)), 0);
	for (i = 0; i < (NAMELIST_NAMES_MAX + 1) * 2; i += 2) {
		big[i] = 'x';
		big[i + 1] = ',';
	}
	big[i - 1] = '\0';
	ck_assert_int_eq(namelist_check(big, strlen(big)),
	    SSH_ERR_INVALID_FORMAT);
}
END_TEST

START_TEST(test_namelist_match)
{
	char *n;

	ck_assert_int_eq(namelist_match("a,b,c", "c,b", &n), 0);
	ck_assert_str_eq(n, "b");
	free(n);
	ck_assert_int_eq(namelist_match("ab", "a,b", &n),
	    SSH_ERR_KEY_NOT_FOUND);
	ck_assert_ptr_null(n);
	ck_assert_int_eq(namelist_match("", "a", &n), SSH_ERR_KEY_NOT_FOUND);
	ck_assert(namelist_contains("aa,b", "b"));
	ck_assert(!namelist_contains("aa,b", "a"));
	ck_assert_int_eq(namelist_first("x,y", &n), 0);
	ck_assert_str_eq(n, "x");
	free(n);
}
END_TEST

static struct kexinit *
make_kexinit(const char *kex, const char *hk, const char *enc,
    const char *mac)
{
	struct kexinit *ki = calloc(1, sizeof(*ki));
	const char *v[KEXI_NLISTS] = {
		kex, hk, enc, enc, mac, mac, "none", "none", "", ""
	};
	size_t i;

	ck_assert_ptr_nonnull(ki);
	for (i = 0; i < KEXI_NLISTS; i++)
		ki->lists[i] = strdup(v[i]);
	return ki;
}

START_TEST(test_kexinit_roundtrip)
{
	struct kexinit *ki = make_kexinit("curve25519-sha256,ext-info-c",
	    "ssh-ed25519", "aes128-ctr", "hmac-sha2-256"), *back;
	struct buf *b = buf_new();
	uint8_t type;
	size_t i;

	memset(ki->cookie, 0xab, sizeof(ki->cookie));
	ki->first_kex_follows = 1;
	ck_assert_int_eq(kexinit_build(ki, b), 0);
	ck_assert_int_eq(buf_get_u8(b, &type), 0);
	ck_assert_int_eq(type, SSH2_MSG_KEXINIT);
	ck_assert_int_eq(kexinit_parse(b, &back), 0);
	for (i = 0; i < KEXI_NLISTS; i++)
		ck_assert_str_eq(back->lists[i], ki->lists[i]);
	ck_assert_int_eq(back->first_kex_follows, 1);
	ck_assert_int_eq(memcmp(back->cookie, ki->cookie, 16), 0);
	kexinit_free(back);
	kexinit_free(ki);
	buf_free(b);
}
END_TEST

/* Every truncation fails, and trailing bytes fail. */
START_TEST(test_kexinit_malformed)
{
	struct kexinit *ki = make_kexinit("a", "b", "c", "d"), *back;
	struct buf *b = buf_new(), *t;
	size_t len, cut;

	ck_assert_int_eq(kexinit_build(ki, b), 0);
	ck_assert_int_eq(buf_consume(b, 1), 0);
	len = buf_len(b);
	for (cut = 0; cut < len; cut++) {
		t = buf_from(buf_ptr(b), cut);
		ck_assert_int_ne(kexinit_parse(t, &back), 0);
		ck_assert_ptr_null(back);
		buf_free(t);
	}
	ck_assert_int_eq(buf_put_u8(b, 0), 0);
	ck_assert_int_eq(kexinit_parse(b, &back),
	    SSH_ERR_UNEXPECTED_TRAILING_DATA);
	kexinit_free(ki);
	buf_free(b);

	/* An invalid name-list is refused. */
	ki = make_kexinit("a,,b", "b", "c", "d");
	b = buf_new();
	ck_assert_int_eq(kexinit_build(ki, b), 0);
	ck_assert_int_eq(buf_consume(b, 1), 0);
	ck_assert_int_eq(kexinit_parse(b, &back), SSH_ERR_INVALID_FORMAT);
	kexinit_free(ki);
	buf_free(b);
}
END_TEST

START_TEST(test_negotiate)
{
	struct kexinit *c = make_kexinit(
	    "sntrup761x25519-sha512,curve25519-sha256,ext-info-c,"
	    KEX_STRICT_C, "ssh-ed25519,rsa-sha2-512",
	    "chacha20-poly1305@openssh.com,aes128-ctr", "hmac-sha1");
	struct kexinit *s = make_kexinit("curve25519-sha256," KEX_STRICT_S,
	    "rsa-sha2-512,ssh-ed25519",
	    "aes128-ctr,chacha20-poly1305@openssh.com", "hmac-sha2-256");
	struct kex_negotiated neg;

	ck_assert_int_eq(kexinit_negotiate(c, s, &neg), 0);
	ck_assert_str_eq(neg.kex, "curve25519-sha256");
	ck_assert_str_eq(neg.hostkey_alg, "ssh-ed25519");
	ck_assert_str_eq(neg.enc[KEX_DIR_CS], "chacha20-poly1305@openssh.com");
	/* AEAD: no MAC needed, so the MAC lists need not overlap. */
	ck_assert_ptr_null(neg.mac[KEX_DIR_CS]);
	ck_assert_str_eq(neg.comp[KEX_DIR_SC], "none");
	ck_assert(neg.strict);
	ck_assert(neg.ext_info_c);
	ck_assert(!neg.guess_wrong);
	kex_negotiated_clear(&neg);
	kexinit_free(c);
	kexinit_free(s);
}
END_TEST

START_TEST(test_negotiate_failures)
{
	struct kexinit *s = make_kexinit("curve25519-sha256," KEX_STRICT_S,
	    "ssh-ed25519", "aes128-ctr", "hmac-sha2-256");
	struct kex_negotiated neg;
	struct {
		const char *kex, *hk, *enc, *mac;
		int err;
	} cases[] = {
		/* A client naming the server's marker does not get it. */
		{ KEX_STRICT_S, "ssh-ed25519", "aes128-ctr", "hmac-sha2-256",
		    SSH_ERR_NO_KEX_ALG_MATCH },
		{ "curve25519-sha256", "ssh-rsa", "aes128-ctr", "hmac-sha2-256",
		    SSH_ERR_NO_HOSTKEY_ALG_MATCH },
		{ "curve25519-sha256", "ssh-ed25519", "3des-cbc",
		    "hmac-sha2-256", SSH_ERR_NO_CIPHER_ALG_MATCH },
		{ "curve25519-sha256", "ssh-ed25519", "aes128-ctr", "hmac-md5",
		    SSH_ERR_NO_MAC_ALG_MATCH },
	};
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct kexinit *c = make_kexinit(cases[i].kex, cases[i].hk,
		    cases[i].enc, cases[i].mac);

		ck_assert_int_eq(kexinit_negotiate(c, s, &neg), cases[i].err);
		ck_assert_ptr_null(neg.kex);
		kexinit_free(c);
	}
	kexinit_free(s);
}
END_TEST

START_TEST(test_negotiate_guess)
{
	struct kexinit *s = make_kexinit("curve25519-sha256,ecdh-sha2-nistp256",
	    "ssh-ed25519", "aes128-ctr", "hmac-sha2-256");
	struct kexinit *c = make_kexinit("ecdh-sha2-nistp256,curve25519-sha256",
	    "ssh-ed25519", "aes128-ctr", "hmac-sha2-256");
	struct kex_negotiated neg;

	c->first_kex_follows = 1;
	ck_assert_int_eq(kexinit_negotiate(c, s, &neg), 0);
	ck_assert_str_eq(neg.kex, "ecdh-sha2-nistp256");
	ck_assert(neg.guess_wrong);
	kex_negotiated_clear(&neg);
	free(c->lists[KEXI_KEX]);
	c->lists[KEXI_KEX] = strdup("curve25519-sha256");
	ck_assert_int_eq(kexinit_negotiate(c, s, &neg), 0);
	ck_assert(!neg.guess_wrong);
	kex_negotiated_clear(&neg);
	kexinit_free(c);
	kexinit_free(s);
}
END_TEST

static Suite *
negotiation_suite(void)
{
	Suite *s = suite_create("negotiation");
	TCase *tc = tcase_create("core");

	tcase_add_test(tc, test_version_good);
	tcase_add_test(tc, test_version_incomplete_then_complete);
	tcase_add_test(tc, test_version_bad);
	tcase_add_test(tc, test_version_embedded_nul);
	tcase_add_test(tc, test_namelist_check);
	tcase_add_test(tc, test_namelist_match);
	tcase_add_test(tc, test_kexinit_roundtrip);
	tcase_add_test(tc, test_kexinit_malformed);
	tcase_add_test(tc, test_negotiate);
	tcase_add_test(tc, test_negotiate_failures);
	tcase_add_test(tc, test_negotiate_guess);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	SRunner *sr = srunner_create(negotiation_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? 0 : 1;
}
