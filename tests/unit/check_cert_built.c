/*
 * check_cert_built.c: certificates built here and signed with sig_sign, for
 * the rules of protocol/cert.c that ssh-keygen never breaks.
 */
#include <check.h>
#include <stdio.h>
#include <string.h>

#include "protocol/buf.h"
#include "protocol/cert.h"
#include "protocol/key.h"
#include "protocol/sig.h"
#include "protocol/ssherr.h"
#include "tests/unit/certtest.h"
#include "tests/unit/testutil.h"

/*
 * Certificates built here and signed with sig_sign, for what ssh-keygen
 * will not produce.  A spec describes one; the defaults are a valid
 * ed25519 user certificate for alice.
 */
struct spec {
	const char	*name;		/* certificate type name */
	struct sshkey	*key;
	const uint8_t	*keyfields;	/* raw key fields, overrides key */
	size_t		 keyfields_len;
	uint32_t	 type;
	const char	*principals[CERT_MAX_PRINCIPALS + 2];
	size_t		 nprincipals;
	struct buf	*crit;
	struct buf	*ext;
	struct buf	*cakey;		/* signature key blob, default ca */
	const char	*sigalg;
	int		 trailing;
};

static struct sshkey *ca_key, *user_key, *rsa_ca_key;

static void
build_setup(void)
{
	ck_assert_int_eq(key_generate(KEY_ED25519, 0, &ca_key), 0);
	ck_assert_int_eq(key_generate(KEY_ED25519, 0, &user_key), 0);
	ck_assert_int_eq(key_generate(KEY_RSA, 2048, &rsa_ca_key), 0);
}

static void
build_teardown(void)
{
	key_free(ca_key);
	key_free(user_key);
	key_free(rsa_ca_key);
	ca_key = user_key = rsa_ca_key = NULL;
}

static void
spec_init(struct spec *s)
{
	memset(s, 0, sizeof(*s));
	s->name = "ssh-ed25519-cert-v01@openssh.com";
	s->key = user_key;
	s->type = CERT_TYPE_USER;
	s->principals[0] = "alice";
	s->nprincipals = 1;
}

static void
spec_free(struct spec *s)
{
	buf_free(s->crit);
	buf_free(s->ext);
	buf_free(s->cakey);
}

/* Appends "string name, string data" to *listp (created on first use). */
static void
opt_add(struct buf **listp, const char *name, const void *data, size_t len)
{
	if (*listp == NULL)
		ck_assert_ptr_nonnull(*listp = buf_new());
	ck_assert_int_eq(buf_put_cstring(*listp, name), 0);
	ck_assert_int_eq(buf_put_string(*listp, data, len), 0);
}

/* An option whose data is a string holding s. */
static void
opt_add_str(struct buf **listp, const char *name, const char *s)
{
	struct buf *d;

	ck_assert_ptr_nonnull(d = buf_new());
	ck_assert_int_eq(buf_put_cstring(d, s), 0);
	opt_add(listp, name, buf_ptr(d), buf_len(d));
	buf_free(d);
}

static struct buf *
build(const struct spec *s)
{
	static const uint8_t nonce[16] = "0123456789abcdef";
	struct buf *b, *kb, *pr, *cab;
	struct sshkey *ca = ca_key;
	const char *alg = s->sigalg;
	size_t i;

	ck_assert_ptr_nonnull(b = buf_new());
	ck_assert_ptr_nonnull(kb = buf_new());
	ck_assert_ptr_nonnull(pr = buf_new());
	ck_assert_int_eq(buf_put_cstring(b, s->name), 0);
	ck_assert_int_eq(buf_put_string(b, nonce, sizeof(nonce)), 0);
	if (s->keyfields != NULL)
		ck_assert_int_eq(buf_put(b, s->keyfields, s->keyfields_len), 0);
	else {
		/* The plain blob without its type name holds the fields. */
		ck_assert_int_eq(key_to_blob(s->key, kb), 0);
		ck_assert_int_eq(buf_get_string_direct(kb, NULL, NULL), 0);
		ck_assert_int_eq(buf_putb(b, kb), 0);
	}
	ck_assert_int_eq(buf_put_u64(b, 42), 0);
	ck_assert_int_eq(buf_put_u32(b, s->type), 0);
	ck_assert_int_eq(buf_put_cstring(b, "built"), 0);
	for (i = 0; i < s->nprincipals; i++)
		ck_assert_int_eq(buf_put_cstring(pr, s->principals[i]), 0);
	ck_assert_int_eq(buf_put_stringb(b, pr), 0);
	ck_assert_int_eq(buf_put_u64(b, 0), 0);
	ck_assert_int_eq(buf_put_u64(b, CERT_VALID_FOREVER), 0);
	ck_assert_int_eq(s->crit != NULL ? buf_put_stringb(b, s->crit) :
	    buf_put_string(b, NULL, 0), 0);
	ck_assert_int_eq(s->ext != NULL ? buf_put_stringb(b, s->ext) :
	    buf_put_string(b, NULL, 0), 0);
	ck_assert_int_eq(buf_put_string(b, NULL, 0), 0);	/* reserved */
	if (alg != NULL && sig_alg_key_type(alg) == KEY_RSA)
		ca = rsa_ca_key;
	if (s->cakey != NULL)
		ck_assert_int_eq(buf_put_stringb(b, s->cakey), 0);
	else {
		ck_assert_ptr_nonnull(cab = buf_new());
		ck_assert_int_eq(key_to_blob(ca, cab), 0);
		ck_assert_int_eq(buf_put_stringb(b, cab), 0);
		buf_free(cab);
	}
	buf_reset(kb);
	ck_assert_int_eq(sig_sign(ca, alg, buf_ptr(b), buf_len(b), kb), 0);
	ck_assert_int_eq(buf_put_stringb(b, kb), 0);
	if (s->trailing)
		ck_assert_int_eq(buf_put_u8(b, 0), 0);
	buf_free(kb);
	buf_free(pr);
	return b;
}

/* Builds, parses; returns the parse result and the certificate. */
static int
build_parse(const struct spec *s, struct sshcert **cp)
{
	struct buf *b = build(s);
	int r;

	*cp = NULL;
	r = cert_parse(b, cp);
	buf_free(b);
	return r;
}

START_TEST(test_built_valid)
{
	struct sshcert *c;
	struct spec s;

	spec_init(&s);
	opt_add_str(&s.crit, "force-command", "true");
	opt_add_str(&s.crit, "source-address", "127.0.0.1");
	opt_add(&s.ext, "permit-pty", NULL, 0);
	ck_assert_int_eq(build_parse(&s, &c), 0);
	ck_assert_int_eq(cert_verify_signature(c), 0);
	ck_assert_str_eq(cert_key_id(c), "built");
	ck_assert_uint_eq(cert_serial(c), 42);
	ck_assert_str_eq(cert_force_command(c), "true");
	ck_assert_uint_eq(cert_extensions(c), CERT_EXT_PERMIT_PTY);
	assert_user_ok(c, "alice", NOW, "127.0.0.1");
	cert_free(c);
	spec_free(&s);
}
END_TEST

/* A re-signed certificate with an unknown critical option is refused. */
START_TEST(test_built_unknown_critical)
{
	struct sshcert *c;
	struct spec s;

	spec_init(&s);
	opt_add(&s.crit, "no-such-option", NULL, 0);
	ck_assert_int_eq(build_parse(&s, &c), 0);
	ck_assert_int_eq(cert_verify_signature(c), 0);
	assert_user_refused(c, "alice", NOW, NULL,
	    "unsupported critical option");
	cert_free(c);
	spec_free(&s);

	/* An extension name as a critical option is still unknown there. */
	spec_init(&s);
	opt_add(&s.crit, "permit-pty", NULL, 0);
	ck_assert_int_eq(build_parse(&s, &c), 0);
	assert_user_refused(c, "alice", NOW, NULL,
	    "unsupported critical option");
	ck_assert_uint_eq(cert_extensions(c), 0);
	cert_free(c);
	spec_free(&s);
}
END_TEST

/* Unknown extensions are ignored, even with data. */
START_TEST(test_built_unknown_extension)
{
	struct sshcert *c;
	struct spec s;

	spec_init(&s);
	opt_add(&s.ext, "whatever@example.com", "\0\0\0\1x", 5);
	ck_assert_int_eq(build_parse(&s, &c), 0);
	assert_user_ok(c, "alice", NOW, NULL);
	cert_free(c);
	spec_free(&s);
}
END_TEST

START_TEST(test_built_order)
{
	struct sshcert *c;
	struct spec s;
	int crit;

	for (crit = 0; crit <= 1; crit++) {
		/* Unsorted. */
		spec_init(&s);
		opt_add(crit ? &s.crit : &s.ext, "b@x", NULL, 0);
		opt_add(crit ? &s.crit : &s.ext, "a@x", NULL, 0);
		ck_assert_int_eq(build_parse(&s, &c), SSH_ERR_KEY_CERT_INVALID);
		ck_assert_ptr_null(c);
		spec_free(&s);
		/* Repeated. */
		spec_init(&s);
		opt_add(crit ? &s.crit : &s.ext, "a@x", NULL, 0);
		opt_add(crit ? &s.crit : &s.ext, "a@x", NULL, 0);
		ck_assert_int_eq(build_parse(&s, &c), SSH_ERR_KEY_CERT_INVALID);
		spec_free(&s);
		/* Byte order: 'X' (0x58) sorts before 'a'. */
		spec_init(&s);
		opt_add(crit ? &s.crit : &s.ext, "permit-agent-forwarding",
		    NULL, 0);
		opt_add(crit ? &s.crit : &s.ext, "permit-X11-forwarding",
		    NULL, 0);
		ck_assert_int_eq(build_parse(&s, &c), SSH_ERR_KEY_CERT_INVALID);
		spec_free(&s);
		/* A prefix sorts first. */
		spec_init(&s);
		opt_add(crit ? &s.crit : &s.ext, "a", NULL, 0);
		opt_add(crit ? &s.crit : &s.ext, "ab", NULL, 0);
		ck_assert_int_eq(build_parse(&s, &c), 0);
		cert_free(c);
		spec_free(&s);
	}
}
END_TEST

/* Known options must hold exactly their format. */
START_TEST(test_built_option_data)
{
	struct sshcert *c;
	struct spec s;

	/* force-command data is a string inside the string... */
	spec_init(&s);
	opt_add(&s.crit, "force-command", "true", 4);
	ck_assert_int_eq(build_parse(&s, &c), SSH_ERR_KEY_CERT_INVALID);
	spec_free(&s);
	/* ... with nothing after it ... */
	spec_init(&s);
	opt_add(&s.crit, "force-command", "\0\0\0\4truex", 9);
	ck_assert_int_eq(build_parse(&s, &c), SSH_ERR_KEY_CERT_INVALID);
	spec_free(&s);
	/* ... and no NUL in it. */
	spec_init(&s);
	opt_add(&s.crit, "force-command", "\0\0\0\4tr\0e", 8);
	ck_assert_int_eq(build_parse(&s, &c), SSH_ERR_KEY_CERT_INVALID);
	spec_free(&s);
	spec_init(&s);
	opt_add_str(&s.crit, "source-address", "10.0.0.1/8");
	ck_assert_int_eq(build_parse(&s, &c), SSH_ERR_KEY_CERT_INVALID);
	spec_free(&s);
	spec_init(&s);
	opt_add_str(&s.crit, "source-address", "*");
	ck_assert_int_eq(build_parse(&s, &c), SSH_ERR_KEY_CERT_INVALID);
	spec_free(&s);
	spec_init(&s);
	opt_add(&s.crit, "verify-required", "\0\0\0\0", 4);
	ck_assert_int_eq(build_parse(&s, &c), SSH_ERR_KEY_CERT_INVALID);
	spec_free(&s);
	spec_init(&s);
	opt_add(&s.ext, "permit-pty", "\0\0\0\0", 4);
	ck_assert_int_eq(build_parse(&s, &c), SSH_ERR_KEY_CERT_INVALID);
	spec_free(&s);
	/* A name with a NUL is no name. */
	spec_init(&s);
	ck_assert_ptr_nonnull(s.ext = buf_new());
	ck_assert_int_eq(buf_put_string(s.ext, "a\0b", 3), 0);
	ck_assert_int_eq(buf_put_string(s.ext, NULL, 0), 0);
	ck_assert_int_ne(build_parse(&s, &c), 0);
	spec_free(&s);
	/* A truncated list. */
	spec_init(&s);
	ck_assert_ptr_nonnull(s.ext = buf_new());
	ck_assert_int_eq(buf_put_cstring(s.ext, "permit-pty"), 0);
	ck_assert_int_ne(build_parse(&s, &c), 0);
	spec_free(&s);
}
END_TEST

START_TEST(test_built_option_cap)
{
	struct sshcert *c;
	struct spec s;
	char name[32];
	int i;

	spec_init(&s);
	for (i = 0; i < CERT_MAX_OPTIONS; i++) {
		snprintf(name, sizeof(name), "x%03d@example.com", i);
		opt_add(&s.ext, name, NULL, 0);
	}
	ck_assert_int_eq(build_parse(&s, &c), 0);
	cert_free(c);
	opt_add(&s.ext, "y@example.com", NULL, 0);
	ck_assert_int_eq(build_parse(&s, &c), SSH_ERR_KEY_CERT_INVALID);
	spec_free(&s);
}
END_TEST

START_TEST(test_built_principals)
{
	static char names[CERT_MAX_PRINCIPALS + 1][8];
	struct sshcert *c;
	struct spec s;
	size_t i;

	spec_init(&s);
	for (i = 0; i <= CERT_MAX_PRINCIPALS; i++) {
		snprintf(names[i], sizeof(names[i]), "u%zu", i);
		s.principals[i] = names[i];
	}
	s.nprincipals = CERT_MAX_PRINCIPALS;
	ck_assert_int_eq(build_parse(&s, &c), 0);
	assert_user_ok(c, "u255", NOW, NULL);
	cert_free(c);
	s.nprincipals = CERT_MAX_PRINCIPALS + 1;
	ck_assert_int_eq(build_parse(&s, &c), SSH_ERR_KEY_CERT_INVALID);
	spec_free(&s);
}
END_TEST

/* Only types 1 and 2 pass a check. */
START_TEST(test_built_bad_type)
{
	struct sshcert *c;
	struct spec s;
	const char *why;

	spec_init(&s);
	s.type = 3;
	ck_assert_int_eq(build_parse(&s, &c), 0);
	ck_assert_int_eq(cert_verify_signature(c), 0);
	assert_user_refused(c, "alice", NOW, NULL, "not a user certificate");
	ck_assert_int_eq(cert_check_host(c, NULL, NOW, &why),
	    SSH_ERR_KEY_CERT_INVALID);
	cert_free(c);
	spec_free(&s);
}
END_TEST

/* Critical options make a host certificate unacceptable. */
START_TEST(test_built_host_critical)
{
	struct sshcert *c;
	struct spec s;
	const char *why;

	spec_init(&s);
	s.type = CERT_TYPE_HOST;
	s.nprincipals = 0;
	opt_add_str(&s.crit, "force-command", "true");
	ck_assert_int_eq(build_parse(&s, &c), 0);
	ck_assert_int_eq(cert_check_host(c, "any.example.com", NOW, &why),
	    SSH_ERR_KEY_CERT_INVALID);
	ck_assert_ptr_nonnull(strstr(why, "critical"));
	cert_free(c);
	spec_free(&s);
}
END_TEST

/* A certificate as the signature key ("chained") is refused. */
START_TEST(test_built_chained_ca)
{
	struct sshcert *c;
	struct spec s;
	struct buf *inner;

	spec_init(&s);
	inner = build(&s);
	s.cakey = inner;
	ck_assert_int_eq(build_parse(&s, &c),
	    SSH_ERR_KEY_CERT_INVALID_SIGN_KEY);
	ck_assert_ptr_null(c);
	spec_free(&s);
}
END_TEST

/* The signature key named in the blob is the one checked. */
START_TEST(test_built_wrong_ca)
{
	struct sshcert *c;
	struct sshkey *other;
	struct spec s;

	ck_assert_int_eq(key_generate(KEY_ED25519, 0, &other), 0);
	spec_init(&s);
	ck_assert_ptr_nonnull(s.cakey = buf_new());
	ck_assert_int_eq(key_to_blob(other, s.cakey), 0);
	ck_assert_int_eq(build_parse(&s, &c), 0);
	ck_assert_int_eq(cert_verify_signature(c), SSH_ERR_SIGNATURE_INVALID);
	cert_free(c);
	spec_free(&s);
	/* An RSA CA key with an Ed25519 signature. */
	spec_init(&s);
	ck_assert_ptr_nonnull(s.cakey = buf_new());
	ck_assert_int_eq(key_to_blob(rsa_ca_key, s.cakey), 0);
	ck_assert_int_eq(build_parse(&s, &c), 0);
	ck_assert_int_ne(cert_verify_signature(c), 0);
	cert_free(c);
	spec_free(&s);
	key_free(other);
}
END_TEST

START_TEST(test_built_rsa_ca)
{
	struct sshcert *c;
	struct spec s;

	spec_init(&s);
	s.sigalg = "rsa-sha2-512";
	ck_assert_int_eq(build_parse(&s, &c), 0);
	ck_assert_int_eq(cert_verify_signature(c), 0);
	cert_free(c);
	s.sigalg = "rsa-sha2-256";
	ck_assert_int_eq(build_parse(&s, &c), 0);
	ck_assert_int_eq(cert_verify_signature(c), 0);
	cert_free(c);
	s.sigalg = "ssh-rsa";
	ck_assert_int_eq(build_parse(&s, &c), 0);
	ck_assert_int_eq(cert_verify_signature(c),
	    SSH_ERR_SIGN_ALG_UNSUPPORTED);
	cert_free(c);
	spec_free(&s);
}
END_TEST

START_TEST(test_built_key_mismatch)
{
	struct sshcert *c;
	struct sshkey *p384;
	struct spec s;

	/* An ECDSA P-384 key inside a P-256 certificate. */
	ck_assert_int_eq(key_generate(KEY_ECDSA_P384, 0, &p384), 0);
	spec_init(&s);
	s.name = "ecdsa-sha2-nistp256-cert-v01@openssh.com";
	s.key = p384;
	ck_assert_int_ne(build_parse(&s, &c), 0);
	ck_assert_ptr_null(c);
	/* An Ed25519 key in an RSA certificate. */
	s.name = "ssh-rsa-cert-v01@openssh.com";
	s.key = user_key;
	ck_assert_int_ne(build_parse(&s, &c), 0);
	/* Unknown and plain type names. */
	s.name = "ssh-dss-cert-v01@openssh.com";
	ck_assert_int_eq(build_parse(&s, &c), SSH_ERR_KEY_CERT_UNKNOWN_TYPE);
	s.name = "ssh-ed25519";
	ck_assert_int_eq(build_parse(&s, &c), SSH_ERR_KEY_CERT_UNKNOWN_TYPE);
	s.name = "rsa-sha2-256-cert-v01@openssh.com";
	ck_assert_int_eq(build_parse(&s, &c), SSH_ERR_KEY_CERT_UNKNOWN_TYPE);
	spec_free(&s);
	key_free(p384);
}
END_TEST

START_TEST(test_built_trailing)
{
	struct sshcert *c;
	struct spec s;

	spec_init(&s);
	s.trailing = 1;
	ck_assert_int_eq(build_parse(&s, &c), SSH_ERR_UNEXPECTED_TRAILING_DATA);
	ck_assert_ptr_null(c);
	spec_free(&s);
}
END_TEST

static Suite *
cert_built_suite(void)
{
	Suite *s = suite_create("cert_built");
	TCase *tc;

	tc = tcase_create("built");
	tcase_set_timeout(tc, 60);
	tcase_add_unchecked_fixture(tc, build_setup, build_teardown);
	tcase_add_test(tc, test_built_valid);
	tcase_add_test(tc, test_built_unknown_critical);
	tcase_add_test(tc, test_built_unknown_extension);
	tcase_add_test(tc, test_built_order);
	tcase_add_test(tc, test_built_option_data);
	tcase_add_test(tc, test_built_option_cap);
	tcase_add_test(tc, test_built_principals);
	tcase_add_test(tc, test_built_bad_type);
	tcase_add_test(tc, test_built_host_critical);
	tcase_add_test(tc, test_built_chained_ca);
	tcase_add_test(tc, test_built_wrong_ca);
	tcase_add_test(tc, test_built_rsa_ca);
	tcase_add_test(tc, test_built_key_mismatch);
	tcase_add_test(tc, test_built_trailing);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	return tu_run(cert_built_suite());
}
