/*
 * check_cert.c: OpenSSH certificates (protocol/cert.c): the ssh-keygen
 * fixtures of tests/certs (see its README) parsed, verified and checked;
 * every truncation and bit flip refused; the fuzz corpus.
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "protocol/buf.h"
#include "protocol/cert.h"
#include "protocol/key.h"
#include "protocol/sig.h"
#include "protocol/ssherr.h"
#include "tests/unit/certtest.h"
#include "tests/unit/testutil.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Reads tests/certs/NAME into a new NUL-terminated string. */
static char *
read_fixture(const char *name)
{
	char rel[256], *s;
	long len;
	FILE *f;

	snprintf(rel, sizeof(rel), "certs/%s", name);
	ck_assert_msg((f = fopen(tu_path(rel), "rb")) != NULL, "%s", rel);
	ck_assert_int_eq(fseek(f, 0, SEEK_END), 0);
	ck_assert((len = ftell(f)) >= 0);
	rewind(f);
	ck_assert_ptr_nonnull(s = calloc(1, (size_t)len + 1));
	ck_assert_uint_eq(fread(s, 1, (size_t)len, f), (size_t)len);
	fclose(f);
	return s;
}

/* Loads tests/certs/NAME-cert.pub. */
static struct sshcert *
load_cert(const char *name)
{
	struct sshcert *c = NULL;
	char file[128], *line;
	int r;

	snprintf(file, sizeof(file), "%s-cert.pub", name);
	line = read_fixture(file);
	r = cert_from_public_line(line, &c, NULL);
	ck_assert_msg(r == 0, "%s: %s", file, ssh_err(r));
	free(line);
	return c;
}

/* The decoded blob of tests/certs/NAME-cert.pub. */
static struct buf *
load_blob(const char *name)
{
	struct buf *b;
	char file[128], *line, *sp, *end;

	snprintf(file, sizeof(file), "%s-cert.pub", name);
	line = read_fixture(file);
	ck_assert_ptr_nonnull(sp = strchr(line, ' '));
	sp++;
	ck_assert_ptr_nonnull(end = strchr(sp, ' '));
	*end = '\0';
	ck_assert_ptr_nonnull(b = buf_new());
	ck_assert_int_eq(buf_b64tod(b, sp), 0);
	free(line);
	return b;
}

static struct sshkey *
load_pub(const char *file)
{
	struct sshkey *k = NULL;
	char *line = read_fixture(file);

	ck_assert_int_eq(key_from_public_line(line, &k, NULL), 0);
	free(line);
	return k;
}

/* Every fixture: its key, its CA, its signature, what the checks say. */
static const struct fixture {
	const char	*name;
	const char	*key;
	const char	*ca;
	const char	*type_name;
	const char	*sig_alg;
	uint32_t	 type;
	int		 sig_ok;	/* cert_verify_signature's result */
	const char	*user_why;	/* alice, 10.1.2.3, NOW; NULL: ok */
} fixtures[] = {
	{ "user_ed25519", "user_ed25519", "ca_ed25519",
	  "ssh-ed25519-cert-v01@openssh.com", "ssh-ed25519", 1, 0, NULL },
	{ "user_ecdsa256", "user_ecdsa256", "ca_ecdsa",
	  "ecdsa-sha2-nistp256-cert-v01@openssh.com", "ecdsa-sha2-nistp384",
	  1, 0, NULL },
	{ "user_ecdsa384", "user_ecdsa384", "ca_ed25519",
	  "ecdsa-sha2-nistp384-cert-v01@openssh.com", "ssh-ed25519",
	  1, 0, NULL },
	{ "user_ecdsa521", "user_ecdsa521", "ca_ecdsa",
	  "ecdsa-sha2-nistp521-cert-v01@openssh.com", "ecdsa-sha2-nistp384",
	  1, 0, NULL },
	{ "user_rsa", "user_rsa", "ca_rsa",
	  "ssh-rsa-cert-v01@openssh.com", "rsa-sha2-512", 1, 0, NULL },
	{ "user_rsa256", "user_ed25519", "ca_rsa",
	  "ssh-ed25519-cert-v01@openssh.com", "rsa-sha2-256", 1, 0, NULL },
	{ "user_rsasha1", "user_ed25519", "ca_rsa",
	  "ssh-ed25519-cert-v01@openssh.com", "ssh-rsa", 1,
	  SSH_ERR_SIGN_ALG_UNSUPPORTED, NULL },
	{ "user_window", "user_ed25519", "ca_ed25519", NULL, NULL, 1, 0,
	  NULL },
	{ "user_expired", "user_ed25519", "ca_ed25519", NULL, NULL, 1, 0,
	  "expired" },
	{ "user_notyet", "user_ed25519", "ca_ed25519", NULL, NULL, 1, 0,
	  "not yet valid" },
	{ "user_force", "user_ed25519", "ca_ed25519", NULL, NULL, 1, 0,
	  NULL },
	{ "user_source", "user_ed25519", "ca_ed25519", NULL, NULL, 1, 0,
	  NULL },
	{ "user_verify", "user_ed25519", "ca_ed25519", NULL, NULL, 1, 0,
	  NULL },
	{ "user_unknown_crit", "user_ed25519", "ca_ed25519", NULL, NULL, 1, 0,
	  "unsupported critical option" },
	{ "user_noext", "user_ed25519", "ca_ed25519", NULL, NULL, 1, 0,
	  NULL },
	{ "user_someext", "user_ed25519", "ca_ed25519", NULL, NULL, 1, 0,
	  NULL },
	{ "user_noprincipals", "user_ed25519", "ca_ed25519", NULL, NULL, 1, 0,
	  "lacks principal list" },
	{ "host_ed25519", "host_ed25519", "ca_ed25519", NULL, NULL, 2, 0,
	  "not a user certificate" },
	{ "host_other", "user_ed25519", "ca_ed25519", NULL, NULL, 2, 0,
	  "not a user certificate" },
};
#define NFIXTURES	(sizeof(fixtures) / sizeof(fixtures[0]))

/* Parse -> verify -> fields -> user and host checks, every fixture. */
START_TEST(test_fixture_parse_verify)
{
	const struct fixture *fx = &fixtures[_i];
	struct sshcert *c = load_cert(fx->name);
	struct sshkey *k, *ca;
	char file[128];

	snprintf(file, sizeof(file), "%s_key.pub", fx->key);
	k = load_pub(file);
	snprintf(file, sizeof(file), "%s_key.pub", fx->ca);
	ca = load_pub(file);
	ck_assert_int_eq(cert_verify_signature(c), fx->sig_ok);
	ck_assert_int_eq(cert_check_key(c, k), 0);
	ck_assert_int_eq(key_equal_public(cert_key(c), k), 0);
	ck_assert_int_eq(key_equal_public(cert_ca(c), ca), 0);
	ck_assert_uint_eq(cert_type(c), fx->type);
	if (fx->type_name != NULL)
		ck_assert_str_eq(cert_key_type_name(c), fx->type_name);
	ck_assert_str_eq(cert_key_type_name(c),
	    cert_name_for_type(key_type(k)));
	if (fx->sig_alg != NULL)
		ck_assert_str_eq(cert_signature_alg(c), fx->sig_alg);
	if (fx->user_why == NULL)
		assert_user_ok(c, "alice", NOW, "10.1.2.3");
	else
		assert_user_refused(c, "alice", NOW, "10.1.2.3", fx->user_why);
	if (fx->type == CERT_TYPE_HOST)
		ck_assert_int_eq(cert_check_host(c, "host.example.com", NOW,
		    NULL), 0);
	else
		ck_assert_int_eq(cert_check_host(c, "host.example.com", NOW,
		    NULL), SSH_ERR_KEY_CERT_INVALID);
	key_free(k);
	key_free(ca);
	cert_free(c);
}
END_TEST

/* One user certificate per key type, valid forever, for alice and bob. */
START_TEST(test_user_each_type)
{
	static const char *names[] = { "user_ed25519", "user_ecdsa256",
	    "user_ecdsa384", "user_ecdsa521", "user_rsa" };
	struct sshcert *c;
	size_t i;

	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		c = load_cert(names[i]);
		ck_assert_int_eq(cert_verify_signature(c), 0);
		assert_user_ok(c, "alice", NOW, "192.0.2.1");
		ck_assert_uint_eq(cert_serial(c), i + 1);
		ck_assert_uint_eq(cert_valid_after(c), 0);
		ck_assert_uint_eq(cert_valid_before(c), CERT_VALID_FOREVER);
		ck_assert_ptr_null(cert_force_command(c));
		ck_assert_ptr_null(cert_source_address(c));
		ck_assert_uint_eq(cert_noptions(c, 1), 0);
		cert_free(c);
	}
	c = load_cert("user_ed25519");
	ck_assert_str_eq(cert_key_id(c), "alice-ed25519");
	ck_assert_uint_eq(cert_nprincipals(c), 2);
	ck_assert_str_eq(cert_principal(c, 0), "alice");
	ck_assert_str_eq(cert_principal(c, 1), "bob");
	ck_assert_ptr_null(cert_principal(c, 2));
	assert_user_ok(c, "bob", NOW, NULL);
	cert_free(c);
}
END_TEST

START_TEST(test_forever)
{
	struct sshcert *c = load_cert("user_ed25519");

	assert_user_ok(c, "alice", 0, NULL);
	assert_user_ok(c, "alice", UINT64_MAX - 1, NULL);
	/* valid_before is exclusive, even for "forever". */
	assert_user_refused(c, "alice", UINT64_MAX, NULL, "expired");
	cert_free(c);
}
END_TEST

/* valid_after <= now < valid_before, at the exact boundaries. */
START_TEST(test_window_boundaries)
{
	struct sshcert *c = load_cert("user_window");

	ck_assert_uint_eq(cert_valid_after(c), WIN_AFTER);
	ck_assert_uint_eq(cert_valid_before(c), WIN_BEFORE);
	assert_user_refused(c, "alice", WIN_AFTER - 1, NULL, "not yet valid");
	assert_user_ok(c, "alice", WIN_AFTER, NULL);
	assert_user_ok(c, "alice", WIN_BEFORE - 1, NULL);
	assert_user_refused(c, "alice", WIN_BEFORE, NULL, "expired");
	cert_free(c);
}
END_TEST

START_TEST(test_expired)
{
	struct sshcert *c = load_cert("user_expired");

	ck_assert_int_eq(cert_verify_signature(c), 0);
	assert_user_refused(c, "alice", NOW, NULL, "expired");
	cert_free(c);
}
END_TEST

START_TEST(test_not_yet_valid)
{
	struct sshcert *c = load_cert("user_notyet");

	ck_assert_int_eq(cert_verify_signature(c), 0);
	assert_user_refused(c, "alice", NOW, NULL, "not yet valid");
	cert_free(c);
}
END_TEST

START_TEST(test_wrong_principal)
{
	struct sshcert *c = load_cert("user_ed25519");

	assert_user_refused(c, "mallory", NOW, NULL, "not a listed principal");
	assert_user_refused(c, "Alice", NOW, NULL, "not a listed principal");
	assert_user_refused(c, "alic", NOW, NULL, "not a listed principal");
	assert_user_refused(c, "", NOW, NULL, "not a listed principal");
	/* NULL: the caller matches principals itself. */
	assert_user_ok(c, NULL, NOW, NULL);
	ck_assert_int_eq(cert_has_principal(c, "bob"), 1);
	ck_assert_int_eq(cert_has_principal(c, "bo"), 0);
	ck_assert_int_eq(cert_has_principal(c, NULL), 0);
	cert_free(c);
}
END_TEST

/* An empty principal list is not a wildcard for a named user. */
START_TEST(test_no_principals)
{
	struct sshcert *c = load_cert("user_noprincipals");

	ck_assert_uint_eq(cert_nprincipals(c), 0);
	assert_user_refused(c, "alice", NOW, NULL, "lacks principal list");
	assert_user_ok(c, NULL, NOW, NULL);
	cert_free(c);
}
END_TEST

START_TEST(test_force_command)
{
	struct sshcert *c = load_cert("user_force");
	const char *name;

	ck_assert_str_eq(cert_force_command(c), "/bin/echo forced");
	ck_assert_uint_eq(cert_noptions(c, 1), 1);
	ck_assert_int_eq(cert_option(c, 1, 0, &name, NULL, NULL), 0);
	ck_assert_str_eq(name, "force-command");
	ck_assert_int_eq(cert_option(c, 1, 1, &name, NULL, NULL),
	    SSH_ERR_INVALID_ARGUMENT);
	assert_user_ok(c, "alice", NOW, NULL);
	cert_free(c);
}
END_TEST

START_TEST(test_source_address)
{
	struct sshcert *c = load_cert("user_source");

	ck_assert_str_eq(cert_source_address(c),
	    "10.0.0.0/8,2001:db8::/32,192.0.2.7");
	assert_user_ok(c, "alice", NOW, "10.1.2.3");
	assert_user_ok(c, "alice", NOW, "10.255.255.255");
	assert_user_ok(c, "alice", NOW, "192.0.2.7");
	assert_user_ok(c, "alice", NOW, "2001:db8::1");
	assert_user_ok(c, "alice", NOW, "::ffff:10.0.0.1");
	assert_user_refused(c, "alice", NOW, "11.0.0.1", "source address");
	assert_user_refused(c, "alice", NOW, "192.0.2.8", "source address");
	assert_user_refused(c, "alice", NOW, "2001:db9::1", "source address");
	assert_user_refused(c, "alice", NOW, "::ffff:11.0.0.1",
	    "source address");
	assert_user_refused(c, "alice", NOW, NULL, "source address");
	assert_user_refused(c, "alice", NOW, "not-an-address",
	    "source address");
	cert_free(c);
}
END_TEST

/* verify-required is the signature's business (authkeys_sk_check, which
 * refuses it for a key that is not a security key), not the window's. */
START_TEST(test_verify_required_exposed)
{
	struct sshcert *c = load_cert("user_verify");

	ck_assert_int_eq(cert_verify_signature(c), 0);
	assert_user_ok(c, "alice", NOW, NULL);
	ck_assert_int_eq(cert_verify_required(c), 1);
	cert_free(c);
}
END_TEST

START_TEST(test_unknown_critical_refused)
{
	struct sshcert *c = load_cert("user_unknown_crit");
	const uint8_t *data;
	const char *name;
	size_t len;

	ck_assert_int_eq(cert_verify_signature(c), 0);
	ck_assert_int_eq(cert_option(c, 1, 0, &name, &data, &len), 0);
	ck_assert_str_eq(name, "frobnicate@example.com");
	ck_assert_uint_eq(len, 7);
	ck_assert_mem_eq(data, "\0\0\0\3yes", 7);
	assert_user_refused(c, "alice", NOW, NULL,
	    "unsupported critical option");
	cert_free(c);
}
END_TEST

START_TEST(test_extensions)
{
	struct sshcert *c;
	const char *name;

	/* ssh-keygen's default: all five permit-* extensions. */
	c = load_cert("user_ed25519");
	ck_assert_uint_eq(cert_extensions(c), CERT_EXT_PERMIT_X11 |
	    CERT_EXT_PERMIT_AGENT | CERT_EXT_PERMIT_PORT |
	    CERT_EXT_PERMIT_PTY | CERT_EXT_PERMIT_USER_RC);
	ck_assert_uint_eq(cert_noptions(c, 0), 5);
	cert_free(c);

	/* An unknown extension is carried but grants nothing. */
	c = load_cert("user_noext");
	ck_assert_uint_eq(cert_extensions(c), 0);
	ck_assert_uint_eq(cert_noptions(c, 0), 1);
	ck_assert_int_eq(cert_option(c, 0, 0, &name, NULL, NULL), 0);
	ck_assert_str_eq(name, "custom@example.com");
	assert_user_ok(c, "alice", NOW, NULL);
	cert_free(c);

	c = load_cert("user_someext");
	ck_assert_uint_eq(cert_extensions(c), CERT_EXT_PERMIT_PTY |
	    CERT_EXT_PERMIT_AGENT | CERT_EXT_NO_TOUCH_REQUIRED);
	cert_free(c);
}
END_TEST

/* RSA CA: rsa-sha2-512/256 verify, ssh-rsa (SHA-1) does not. */
START_TEST(test_rsa_ca_algorithms)
{
	struct sshcert *c;

	c = load_cert("user_rsa");
	ck_assert_str_eq(cert_signature_alg(c), "rsa-sha2-512");
	ck_assert_int_eq(cert_verify_signature(c), 0);
	cert_free(c);
	c = load_cert("user_rsa256");
	ck_assert_str_eq(cert_signature_alg(c), "rsa-sha2-256");
	ck_assert_int_eq(cert_verify_signature(c), 0);
	cert_free(c);
	c = load_cert("user_rsasha1");
	ck_assert_str_eq(cert_signature_alg(c), "ssh-rsa");
	ck_assert_int_eq(cert_verify_signature(c),
	    SSH_ERR_SIGN_ALG_UNSUPPORTED);
	cert_free(c);
}
END_TEST

START_TEST(test_host_cert)
{
	struct sshcert *c = load_cert("host_ed25519");
	struct sshkey *priv = NULL;
	struct buf *file, *out, *blob;
	const char *why = "unset";
	char *text;

	ck_assert_int_eq(cert_verify_signature(c), 0);
	ck_assert_int_eq(cert_check_host(c, "host.example.com", NOW, &why), 0);
	ck_assert_ptr_null(why);
	ck_assert_int_eq(cert_check_host(c, "localhost", NOW, NULL), 0);
	ck_assert_int_eq(cert_check_host(c, NULL, NOW, NULL), 0);
	ck_assert_int_eq(cert_check_host(c, "evil.example.com", NOW, &why),
	    SSH_ERR_KEY_CERT_INVALID);
	ck_assert_ptr_nonnull(strstr(why, "principal"));
	ck_assert_int_eq(cert_check_host(c, NULL, WIN_BEFORE, &why),
	    SSH_ERR_KEY_CERT_INVALID);
	ck_assert_ptr_nonnull(strstr(why, "expired"));
	/* A host certificate is no user certificate, and vice versa. */
	assert_user_refused(c, NULL, NOW, NULL, "not a user certificate");

	/* It matches the private host key it was made for. */
	text = read_fixture("host_ed25519_key");
	ck_assert_ptr_nonnull(file = buf_from(text, strlen(text)));
	ck_assert_int_eq(key_private_parse(file, NULL, &priv, NULL), 0);
	ck_assert_int_eq(cert_check_key(c, priv), 0);

	/* The KEX blob is the file's blob, byte for byte. */
	ck_assert_ptr_nonnull(out = buf_new());
	ck_assert_int_eq(cert_to_blob(c, out), 0);
	blob = load_blob("host_ed25519");
	ck_assert_int_eq(buf_equals(out, blob), 0);
	cert_free(c);

	c = load_cert("host_other");
	ck_assert_int_eq(cert_check_key(c, priv), SSH_ERR_KEY_CERT_MISMATCH);
	cert_free(c);

	c = load_cert("user_ed25519");
	ck_assert_int_eq(cert_check_host(c, NULL, NOW, &why),
	    SSH_ERR_KEY_CERT_INVALID);
	ck_assert_ptr_nonnull(strstr(why, "not a host certificate"));
	cert_free(c);
	key_free(priv);
	buf_free(file);
	buf_free(out);
	buf_free(blob);
	free(text);
}
END_TEST

/* Every proper prefix of every fixture blob is refused by the parser. */
START_TEST(test_truncations)
{
	const struct fixture *fx = &fixtures[_i];
	struct sshcert *c = NULL;
	struct buf *blob = load_blob(fx->name), *t;
	size_t n;

	for (n = 0; n < buf_len(blob); n++) {
		ck_assert_ptr_nonnull(t = buf_from(buf_ptr(blob), n));
		ck_assert_msg(cert_parse(t, &c) != 0, "%s: prefix %zu parsed",
		    fx->name, n);
		ck_assert_ptr_null(c);
		buf_free(t);
	}
	ck_assert_ptr_nonnull(t = buf_new());
	ck_assert_int_eq(buf_putb(t, blob), 0);
	ck_assert_int_eq(buf_put_u8(t, 0), 0);
	ck_assert_int_eq(cert_parse(t, &c), SSH_ERR_UNEXPECTED_TRAILING_DATA);
	buf_free(t);
	buf_free(blob);
}
END_TEST

/* Every single bit flip: parse error or bad signature, never accepted. */
START_TEST(test_bit_flips)
{
	static const char *names[] = { "user_ed25519", "user_ecdsa256",
	    "user_rsa", "user_source", "host_ed25519" };
	struct sshcert *c;
	struct buf *blob = load_blob(names[_i]), *t;
	uint8_t *p;
	size_t i, bit;

	ck_assert_ptr_nonnull(t = buf_new());
	ck_assert_int_eq(buf_putb(t, blob), 0);
	p = buf_mutable_ptr(t);
	for (i = 0; i < buf_len(t); i++) {
		for (bit = 0; bit < 8; bit++) {
			p[i] ^= (uint8_t)(1 << bit);
			c = NULL;
			if (cert_parse(t, &c) == 0) {
				ck_assert_msg(cert_verify_signature(c) != 0,
				    "%s: flip %zu.%zu verified", names[_i], i,
				    bit);
				cert_free(c);
			}
			p[i] ^= (uint8_t)(1 << bit);
		}
	}
	/* The unflipped blob still verifies: the loop restored each bit. */
	ck_assert_int_eq(cert_parse(t, &c), 0);
	ck_assert_int_eq(cert_verify_signature(c), 0);
	cert_free(c);
	buf_free(t);
	buf_free(blob);
}
END_TEST

START_TEST(test_public_line)
{
	struct sshcert *c = NULL;
	char *line, *comment = NULL, *bad;
	size_t len;

	line = read_fixture("user_force-cert.pub");
	ck_assert_int_eq(cert_from_public_line(line, &c, &comment), 0);
	ck_assert_str_eq(comment, "user_ed25519");
	cert_free(c);
	free(comment);

	/* The named type must be the blob's type. */
	len = strlen("ssh-ed25519-cert-v01@openssh.com");
	ck_assert_ptr_nonnull(bad = malloc(strlen(line) + 32));
	snprintf(bad, strlen(line) + 32, "%s%s",
	    "ecdsa-sha2-nistp256-cert-v01@openssh.com", line + len);
	ck_assert_int_eq(cert_from_public_line(bad, &c, NULL),
	    SSH_ERR_KEY_TYPE_MISMATCH);
	ck_assert_ptr_null(c);
	free(bad);
	free(line);

	/* A plain key is no certificate. */
	line = read_fixture("user_ed25519_key.pub");
	ck_assert_int_eq(cert_from_public_line(line, &c, NULL),
	    SSH_ERR_KEY_CERT_UNKNOWN_TYPE);
	free(line);
	ck_assert_int_eq(cert_from_public_line(
	    "ssh-ed25519-cert-v01@openssh.com !!!!", &c, NULL) < 0, 1);
	ck_assert_int_eq(cert_from_public_line(
	    "ssh-ed25519-cert-v01@openssh.com", &c, NULL),
	    SSH_ERR_INVALID_FORMAT);
	ck_assert_int_eq(cert_from_public_line("", &c, NULL),
	    SSH_ERR_INVALID_FORMAT);
	ck_assert_ptr_null(c);
}
END_TEST

START_TEST(test_check_alg)
{
	struct sshcert *c;

	c = load_cert("user_rsa");
	ck_assert_int_eq(cert_check_alg(c,
	    "rsa-sha2-512-cert-v01@openssh.com", 0), 0);
	ck_assert_int_eq(cert_check_alg(c,
	    "rsa-sha2-256-cert-v01@openssh.com", 0), 0);
	ck_assert_int_eq(cert_check_alg(c, "ssh-rsa-cert-v01@openssh.com", 0),
	    SSH_ERR_SIGN_ALG_UNSUPPORTED);
	ck_assert_int_eq(cert_check_alg(c, "ssh-rsa-cert-v01@openssh.com", 1),
	    0);
	ck_assert_int_eq(cert_check_alg(c, "rsa-sha2-512", 0),
	    SSH_ERR_SIGN_ALG_UNSUPPORTED);
	ck_assert_int_eq(cert_check_alg(c,
	    "ssh-ed25519-cert-v01@openssh.com", 0), SSH_ERR_KEY_TYPE_MISMATCH);
	cert_free(c);
	c = load_cert("user_ecdsa384");
	ck_assert_int_eq(cert_check_alg(c,
	    "ecdsa-sha2-nistp384-cert-v01@openssh.com", 0), 0);
	ck_assert_int_ne(cert_check_alg(c,
	    "ecdsa-sha2-nistp256-cert-v01@openssh.com", 0), 0);
	cert_free(c);
}
END_TEST

START_TEST(test_names)
{
	ck_assert_str_eq(cert_name_for_type(KEY_RSA),
	    "ssh-rsa-cert-v01@openssh.com");
	ck_assert_str_eq(cert_name_for_type(KEY_ECDSA_P521),
	    "ecdsa-sha2-nistp521-cert-v01@openssh.com");
	ck_assert_ptr_null(cert_name_for_type(KEY_UNSPEC));
	ck_assert_int_eq(cert_type_from_name(
	    "ssh-ed25519-cert-v01@openssh.com"), KEY_ED25519);
	ck_assert_int_eq(cert_type_from_name("ssh-ed25519"), KEY_UNSPEC);
	ck_assert_int_eq(cert_type_from_name(
	    "rsa-sha2-512-cert-v01@openssh.com"), KEY_UNSPEC);
	ck_assert_str_eq(cert_alg_to_sig_alg(
	    "rsa-sha2-512-cert-v01@openssh.com"), "rsa-sha2-512");
	ck_assert_str_eq(cert_alg_to_sig_alg(
	    "rsa-sha2-256-cert-v01@openssh.com"), "rsa-sha2-256");
	ck_assert_str_eq(cert_alg_to_sig_alg("ssh-rsa-cert-v01@openssh.com"),
	    "ssh-rsa");
	ck_assert_str_eq(cert_alg_to_sig_alg(
	    "ecdsa-sha2-nistp384-cert-v01@openssh.com"), "ecdsa-sha2-nistp384");
	ck_assert_ptr_null(cert_alg_to_sig_alg("ssh-ed25519"));
	ck_assert_ptr_null(cert_alg_to_sig_alg(
	    "ssh-dss-cert-v01@openssh.com"));
	ck_assert_str_eq(cert_algs_for_type(KEY_RSA),
	    "rsa-sha2-512-cert-v01@openssh.com,"
	    "rsa-sha2-256-cert-v01@openssh.com");
	ck_assert_str_eq(cert_algs_for_type(KEY_ED25519),
	    "ssh-ed25519-cert-v01@openssh.com");
	ck_assert_ptr_null(cert_algs_for_type(KEY_UNSPEC));
}
END_TEST

START_TEST(test_fuzz_corpus)
{
	ck_assert_uint_gt(tu_replay_corpus("cert", LLVMFuzzerTestOneInput), 0);
}
END_TEST

static Suite *
cert_suite(void)
{
	Suite *s = suite_create("cert");
	TCase *tc;

	tc = tcase_create("fixtures");
	tcase_add_loop_test(tc, test_fixture_parse_verify, 0, NFIXTURES);
	tcase_add_test(tc, test_user_each_type);
	tcase_add_test(tc, test_forever);
	tcase_add_test(tc, test_window_boundaries);
	tcase_add_test(tc, test_expired);
	tcase_add_test(tc, test_not_yet_valid);
	tcase_add_test(tc, test_wrong_principal);
	tcase_add_test(tc, test_no_principals);
	tcase_add_test(tc, test_force_command);
	tcase_add_test(tc, test_source_address);
	tcase_add_test(tc, test_verify_required_exposed);
	tcase_add_test(tc, test_unknown_critical_refused);
	tcase_add_test(tc, test_extensions);
	tcase_add_test(tc, test_rsa_ca_algorithms);
	tcase_add_test(tc, test_host_cert);
	tcase_add_test(tc, test_public_line);
	tcase_add_test(tc, test_check_alg);
	tcase_add_test(tc, test_names);
	suite_add_tcase(s, tc);

	tc = tcase_create("corruption");
	tcase_set_timeout(tc, 120);
	tcase_add_loop_test(tc, test_truncations, 0, NFIXTURES);
	tcase_add_loop_test(tc, test_bit_flips, 0, 5);
	tcase_add_test(tc, test_fuzz_corpus);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	return tu_run(cert_suite());
}
