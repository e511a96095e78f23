/*
 * check_sk.c: FIDO security keys (PROTOCOL.u2f): sk public key blobs, sk
 * signatures made by a software authenticator (sktest.h) through the real
 * verifier, certificates of sk keys signed by OpenSSH's ssh-keygen, and
 * the flag policy the monitor applies (authkeys_sk_check).
 */
#include <sys/wait.h>
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "auth/authkeys.h"
#include "protocol/buf.h"
#include "protocol/cert.h"
#include "protocol/key.h"
#include "protocol/sig.h"
#include "protocol/ssherr.h"
#include "tests/unit/sktest.h"
#include "tests/unit/testutil.h"

#define UP	SIG_SK_USER_PRESENT
#define UV	SIG_SK_USER_VERIFIED
#define ED_ALG	"sk-ssh-ed25519@openssh.com"
#define EC_ALG	"sk-ecdsa-sha2-nistp256@openssh.com"

static const uint8_t msg[] = "session id and userauth request";

static enum key_type
loop_type(int i)
{
	return i == 0 ? KEY_SK_ED25519 : KEY_SK_ECDSA_P256;
}

static const char *
loop_alg(int i)
{
	return i == 0 ? ED_ALG : EC_ALG;
}

/* A writable copy of the first n bytes of b. */
static struct buf *
copy(const struct buf *b, size_t n)
{
	struct buf *c;

	ck_assert_ptr_nonnull(c = buf_new());
	ck_assert_int_eq(buf_put(c, buf_ptr(b), n), 0);
	return c;
}

static int
verify(const struct sktest *t, const struct buf *sig, const char *alg,
    struct sig_details *sd)
{
	return sig_verify_details(t->st_pub, buf_ptr(sig), buf_len(sig), msg,
	    sizeof(msg), alg, 0, sd);
}

START_TEST(test_blob)
{
	struct sktest t;
	struct buf *blob, *again, *bad;
	struct sshkey *k;
	char *comment = NULL;

	sktest_new(&t, loop_type(_i), "ssh:");
	ck_assert_int_eq(key_type(t.st_pub), loop_type(_i));
	ck_assert_str_eq(key_type_name(t.st_pub), loop_alg(_i));
	ck_assert_str_eq(key_type_short(t.st_pub),
	    _i == 0 ? "ED25519-SK" : "ECDSA-SK");
	ck_assert_str_eq(key_sk_application(t.st_pub), "ssh:");
	ck_assert_uint_eq(key_bits(t.st_pub), 256);
	ck_assert(!key_is_private(t.st_pub));
	blob = sktest_blob(t.st_type, t.st_priv, "ssh:");
	ck_assert_ptr_nonnull(again = buf_new());
	ck_assert_int_eq(key_to_blob(t.st_pub, again), 0);
	ck_assert_int_eq(buf_equals(blob, again), 0);
	/* Trailing bytes, a missing application, a truncated one. */
	bad = copy(blob, buf_len(blob));
	ck_assert_int_eq(buf_put_u8(bad, 0), 0);
	ck_assert_int_ne(key_from_blob(bad, &k), 0);
	buf_free(bad);
	bad = copy(blob, buf_len(blob) - 8);
	ck_assert_int_ne(key_from_blob(bad, &k), 0);
	buf_free(bad);
	bad = copy(blob, buf_len(blob) - 1);
	ck_assert_int_ne(key_from_blob(bad, &k), 0);
	buf_free(bad);
	/* A different application is a different key. */
	bad = sktest_blob(t.st_type, t.st_priv, "ssh:other");
	ck_assert_int_eq(key_from_blob(bad, &k), 0);
	ck_assert_int_ne(key_equal_public(k, t.st_pub), 0);
	key_free(k);
	buf_free(bad);
	/* An authorized_keys-style line, and nothing to sign with. */
	buf_reset(again);
	ck_assert_int_eq(key_to_public_line(t.st_pub, "token", again), 0);
	ck_assert_int_eq(buf_put_u8(again, 0), 0);
	ck_assert_int_eq(key_from_public_line((const char *)buf_ptr(again), &k,
	    &comment), 0);
	ck_assert_int_eq(key_equal_public(k, t.st_pub), 0);
	ck_assert_str_eq(comment, "token");
	buf_reset(again);
	ck_assert_int_ne(sig_sign(k, NULL, msg, sizeof(msg), again), 0);
	ck_assert_str_eq(sig_algs_for_type(loop_type(_i), 0), loop_alg(_i));
	ck_assert_int_eq(sig_alg_key_type(loop_alg(_i)), loop_type(_i));
	free(comment);
	key_free(k);
	buf_free(blob);
	buf_free(again);
	sktest_free(&t);
}
END_TEST

START_TEST(test_sig_good)
{
	struct sktest t;
	struct sig_details sd;
	struct buf *sig;
	char *alg = NULL;

	sktest_new(&t, loop_type(_i), "ssh:");
	sig = sktest_sign(&t, "ssh:", UP | UV, 0x01020304, msg, sizeof(msg));
	ck_assert_int_eq(verify(&t, sig, loop_alg(_i), &sd), 0);
	ck_assert_int_eq(sd.sd_sk, 1);
	ck_assert_uint_eq(sd.sd_sk_flags, UP | UV);
	ck_assert_uint_eq(sd.sd_sk_counter, 0x01020304);
	ck_assert_int_eq(verify(&t, sig, NULL, NULL), 0);
	/* The flags are reported, not judged, here. */
	buf_free(sig);
	sig = sktest_sign(&t, "ssh:", 0, 7, msg, sizeof(msg));
	ck_assert_int_eq(verify(&t, sig, loop_alg(_i), &sd), 0);
	ck_assert_uint_eq(sd.sd_sk_flags, 0);
	ck_assert_uint_eq(sd.sd_sk_counter, 7);
	ck_assert_int_eq(sig_get_alg(buf_ptr(sig), buf_len(sig), &alg), 0);
	ck_assert_str_eq(alg, loop_alg(_i));
	free(alg);
	buf_free(sig);
	sktest_free(&t);
}
END_TEST

/* Every byte the authenticator signed is bound: flags, counter, the
 * application, the message; and the blob parses exactly. */
START_TEST(test_sig_tampered)
{
	struct sktest t, other;
	struct sig_details sd;
	struct buf *sig, *bad;
	uint8_t *p;
	size_t n;

	sktest_new(&t, loop_type(_i), "ssh:");
	sig = sktest_sign(&t, "ssh:", UP, 5, msg, sizeof(msg));
	n = buf_len(sig);
	/* flags byte: UP cleared, or UV added */
	bad = copy(sig, n);
	p = buf_mutable_ptr(bad);
	p[n - 5] = 0;
	ck_assert_int_eq(verify(&t, bad, NULL, &sd), SSH_ERR_SIGNATURE_INVALID);
	ck_assert_int_eq(sd.sd_sk, 0);
	p[n - 5] = UP | UV;
	ck_assert_int_eq(verify(&t, bad, NULL, NULL), SSH_ERR_SIGNATURE_INVALID);
	p[n - 5] = UP;
	p[n - 1] ^= 1;		/* counter */
	ck_assert_int_eq(verify(&t, bad, NULL, NULL), SSH_ERR_SIGNATURE_INVALID);
	buf_free(bad);
	/* Trailing byte; counter cut short; no flags or counter at all. */
	bad = copy(sig, n);
	ck_assert_int_eq(buf_put_u8(bad, 0), 0);
	ck_assert_int_eq(verify(&t, bad, NULL, NULL), SSH_ERR_INVALID_FORMAT);
	buf_free(bad);
	bad = copy(sig, n - 1);
	ck_assert_int_eq(verify(&t, bad, NULL, NULL), SSH_ERR_INVALID_FORMAT);
	buf_free(bad);
	bad = copy(sig, n - 5);
	ck_assert_int_eq(verify(&t, bad, NULL, NULL), SSH_ERR_INVALID_FORMAT);
	buf_free(bad);
	/* Another message. */
	ck_assert_int_eq(sig_verify(t.st_pub, buf_ptr(sig), n, msg,
	    sizeof(msg) - 1, NULL, 0), SSH_ERR_SIGNATURE_INVALID);
	/* Signed for another application (a key enrolled elsewhere). */
	bad = sktest_sign(&t, "ssh:other", UP, 5, msg, sizeof(msg));
	ck_assert_int_eq(verify(&t, bad, NULL, NULL), SSH_ERR_SIGNATURE_INVALID);
	buf_free(bad);
	/* Another token's signature. */
	sktest_new(&other, loop_type(_i), "ssh:");
	bad = sktest_sign(&other, "ssh:", UP, 5, msg, sizeof(msg));
	ck_assert_int_eq(verify(&t, bad, NULL, NULL), SSH_ERR_SIGNATURE_INVALID);
	buf_free(bad);
	sktest_free(&other);
	/* The other sk algorithm, or the plain one, for this key. */
	ck_assert_int_eq(verify(&t, sig, loop_alg(!_i), NULL),
	    SSH_ERR_KEY_TYPE_MISMATCH);
	ck_assert_int_eq(verify(&t, sig, _i == 0 ? "ssh-ed25519" :
	    "ecdsa-sha2-nistp256", NULL), SSH_ERR_KEY_TYPE_MISMATCH);
	buf_free(sig);
	sktest_free(&t);
}
END_TEST

/* A plain signature by the same key pair is not an sk signature, and an
 * sk signature does not verify against the plain key. */
START_TEST(test_sig_not_plain)
{
	struct sktest t;
	struct buf *plain, *sig;

	sktest_new(&t, loop_type(_i), "ssh:");
	ck_assert_ptr_nonnull(plain = buf_new());
	ck_assert_int_eq(sig_sign(t.st_priv, NULL, msg, sizeof(msg), plain), 0);
	ck_assert_int_eq(verify(&t, plain, NULL, NULL),
	    SSH_ERR_KEY_TYPE_MISMATCH);
	sig = sktest_sign(&t, "ssh:", UP, 1, msg, sizeof(msg));
	ck_assert_int_eq(sig_verify(t.st_priv, buf_ptr(sig), buf_len(sig),
	    msg, sizeof(msg), NULL, 0), SSH_ERR_KEY_TYPE_MISMATCH);
	buf_free(plain);
	buf_free(sig);
	sktest_free(&t);
}
END_TEST

static struct authkeys_opts *
opts(const char *s)
{
	struct authkeys_opts *o = NULL;
	const char *why = NULL;

	ck_assert_msg(authkeys_opts_parse(s, &o, &why) == 0, "%s: %s", s,
	    why != NULL ? why : "?");
	return o;
}

static int
policy(const char *line_opts, const struct sshcert *c, int sk, uint8_t flags)
{
	struct authkeys_opts *o = line_opts != NULL ? opts(line_opts) : NULL;
	struct sig_details sd = { sk, flags, 0 };
	const char *why = NULL;
	int r;

	r = authkeys_sk_check(o, c, &sd, &why);
	ck_assert(r == 0 ? why == NULL : why != NULL);
	authkeys_opts_free(o);
	return r;
}

START_TEST(test_policy_key)
{
	ck_assert_int_eq(policy("", NULL, 1, UP), 0);
	ck_assert_int_ne(policy("", NULL, 1, 0), 0);
	ck_assert_int_ne(policy("", NULL, 1, UV), 0);
	ck_assert_int_eq(policy("no-touch-required", NULL, 1, 0), 0);
	/* touch-required after it undoes it */
	ck_assert_int_ne(policy("no-touch-required,touch-required", NULL, 1,
	    0), 0);
	ck_assert_int_ne(policy("verify-required", NULL, 1, UP), 0);
	ck_assert_int_eq(policy("verify-required", NULL, 1, UP | UV), 0);
	ck_assert_int_ne(policy("verify-required,no-touch-required", NULL, 1,
	    0), 0);
	ck_assert_int_eq(policy("verify-required,no-touch-required", NULL, 1,
	    UV), 0);
	/* restrict leaves both alone */
	ck_assert_int_eq(policy("restrict,no-touch-required", NULL, 1, 0), 0);
	/* Plain keys: no flags to check; verify-required can never hold. */
	ck_assert_int_eq(policy("", NULL, 0, 0), 0);
	ck_assert_int_eq(policy("no-touch-required", NULL, 0, 0), 0);
	ck_assert_int_ne(policy("verify-required", NULL, 0, 0), 0);
}
END_TEST

START_TEST(test_policy_merge)
{
	struct authkeys_opts *a = opts("no-touch-required"), *b = opts("");
	const char *why;

	ck_assert_int_eq(authkeys_opts_merge(a, b, &why), 0);
	ck_assert_int_eq(a->ao_no_touch_required, 0);
	authkeys_opts_free(b);
	b = opts("verify-required");
	ck_assert_int_eq(authkeys_opts_merge(a, b, &why), 0);
	ck_assert_int_eq(a->ao_verify_required, 1);
	authkeys_opts_free(a);
	authkeys_opts_free(b);
}
END_TEST

/* --- certificates of sk keys, signed by OpenSSH's ssh-keygen --- */

static char tmpdir[] = "/tmp/check_sk.XXXXXX";

static const char *
keygen(void)
{
	const char *k = getenv("SSH_KEYGEN");

	return k != NULL && *k != '\0' ? k : "ssh-keygen";
}

static void
run(const char *cmd)
{
	int st = system(cmd);

	ck_assert_msg(st != -1 && WIFEXITED(st) && WEXITSTATUS(st) == 0,
	    "%s: status %d", cmd, st);
}

/* The certificate ssh-keygen makes for t's public key with extra
 * ssh-keygen options opt. */
static struct sshcert *
keygen_cert(const struct sktest *t, const char *opt)
{
	char path[sizeof(tmpdir) + 32], cmd[1024], line[4096];
	struct buf *b;
	struct sshcert *c = NULL;
	FILE *f;
	int r;

	snprintf(path, sizeof(path), "%s/user.pub", tmpdir);
	ck_assert_ptr_nonnull(b = buf_new());
	ck_assert_int_eq(key_to_public_line(t->st_pub, "token", b), 0);
	ck_assert_ptr_nonnull(f = fopen(path, "w"));
	ck_assert_uint_eq(fwrite(buf_ptr(b), 1, buf_len(b), f), buf_len(b));
	ck_assert_int_eq(fclose(f), 0);
	buf_free(b);
	snprintf(cmd, sizeof(cmd), "%s -q -s %s/ca -I sk-id -n alice "
	    "-V 20200101000000Z:20300101000000Z %s %s", keygen(), tmpdir, opt,
	    path);
	run(cmd);
	snprintf(path, sizeof(path), "%s/user-cert.pub", tmpdir);
	ck_assert_ptr_nonnull(f = fopen(path, "r"));
	ck_assert_ptr_nonnull(fgets(line, sizeof(line), f));
	ck_assert_int_eq(fclose(f), 0);
	line[strcspn(line, "\n")] = '\0';
	r = cert_from_public_line(line, &c, NULL);
	ck_assert_msg(r == 0, "%s: %s", line, ssh_err(r));
	return c;
}

static void
cert_setup(void)
{
	char cmd[512];

	ck_assert_ptr_nonnull(mkdtemp(tmpdir));
	snprintf(cmd, sizeof(cmd), "%s -q -t ed25519 -N '' -f %s/ca",
	    keygen(), tmpdir);
	run(cmd);
}

static void
cert_teardown(void)
{
	char cmd[sizeof(tmpdir) + 16];

	snprintf(cmd, sizeof(cmd), "rm -rf %s", tmpdir);
	run(cmd);
}

START_TEST(test_cert)
{
	struct sktest t;
	struct sshcert *c;
	struct buf *sig;
	const char *why = NULL;

	sktest_new(&t, loop_type(_i), "ssh:");
	c = keygen_cert(&t, "");
	ck_assert_str_eq(cert_key_type_name(c), _i == 0 ?
	    "sk-ssh-ed25519-cert-v01@openssh.com" :
	    "sk-ecdsa-sha2-nistp256-cert-v01@openssh.com");
	ck_assert_int_eq(cert_verify_signature(c), 0);
	ck_assert_int_eq(cert_check_user(c, "alice", 1750000000ULL,
	    "192.0.2.1", &why), 0);
	ck_assert_int_eq(cert_check_key(c, t.st_pub), 0);
	ck_assert_str_eq(key_sk_application(cert_key(c)), "ssh:");
	ck_assert_str_eq(cert_alg_to_sig_alg(cert_key_type_name(c)),
	    loop_alg(_i));
	ck_assert_int_eq(cert_check_alg(c, cert_key_type_name(c), 0), 0);
	sig = sktest_sign(&t, "ssh:", UP, 9, msg, sizeof(msg));
	ck_assert_int_eq(sig_verify(cert_key(c), buf_ptr(sig), buf_len(sig),
	    msg, sizeof(msg), loop_alg(_i), 0), 0);
	buf_free(sig);
	/* ssh-keygen's default extensions do not waive touch. */
	ck_assert_int_eq(policy(NULL, c, 1, UP), 0);
	ck_assert_int_ne(policy(NULL, c, 1, 0), 0);
	cert_free(c);

	/* The no-touch-required extension, alone (TrustedUserCAKeys) or
	 * with a cert-authority line: both must waive it. */
	c = keygen_cert(&t, "-O no-touch-required");
	ck_assert_int_eq(policy(NULL, c, 1, 0), 0);
	ck_assert_int_ne(policy("cert-authority", c, 1, 0), 0);
	ck_assert_int_eq(policy("cert-authority,no-touch-required", c, 1, 0),
	    0);
	cert_free(c);

	/* verify-required as a critical option. */
	c = keygen_cert(&t, "-O verify-required");
	ck_assert_int_eq(cert_check_user(c, "alice", 1750000000ULL,
	    "192.0.2.1", &why), 0);
	ck_assert_int_eq(cert_verify_required(c), 1);
	ck_assert_int_ne(policy(NULL, c, 1, UP), 0);
	ck_assert_int_eq(policy(NULL, c, 1, UP | UV), 0);
	cert_free(c);
	sktest_free(&t);
}
END_TEST

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* The seeds of fuzz_sig (sk signature blobs) run through the target. */
START_TEST(test_fuzz_corpus)
{
	ck_assert_uint_gt(tu_replay_corpus("sig", LLVMFuzzerTestOneInput), 0);
}
END_TEST

static Suite *
sk_suite(void)
{
	Suite *s = suite_create("sk");
	TCase *tc = tcase_create("sk");
	TCase *tcc = tcase_create("certificates");

	tcase_add_loop_test(tc, test_blob, 0, 2);
	tcase_add_loop_test(tc, test_sig_good, 0, 2);
	tcase_add_loop_test(tc, test_sig_tampered, 0, 2);
	tcase_add_loop_test(tc, test_sig_not_plain, 0, 2);
	tcase_add_test(tc, test_policy_key);
	tcase_add_test(tc, test_policy_merge);
	tcase_add_test(tc, test_fuzz_corpus);
	suite_add_tcase(s, tc);
	tcase_add_unchecked_fixture(tcc, cert_setup, cert_teardown);
	tcase_add_loop_test(tcc, test_cert, 0, 2);
	suite_add_tcase(s, tcc);
	return s;
}

int
main(void)
{
	return tu_run(sk_suite());
}
