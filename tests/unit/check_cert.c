/*
 * check_cert.c: OpenSSH certificates (protocol/cert.c): the ssh-keygen
 * fixtures of tests/certs (see its README) parsed, verified and checked;
 * every truncation and bit flip refused; certificates built here and
 * signed with sig_sign for the rules ssh-keygen never breaks.
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "protocol/buf.h"
#include "protocol/cert.h"
#include "protocol/cidr.h"
#include "protocol/key.h"
#include "protocol/sig.h"
#include "protocol/ssherr.h"
#include "tests/unit/testutil.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* A time inside every fixture's window except expired/notyet (2025). */
#define NOW		1750000000ULL
/* -V 20200101000000Z:20300101000000Z */
#define WIN_AFTER	1577836800ULL
#define WIN_BEFORE	1893456000ULL

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
	  "verify-required" },
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

static void
assert_user_ok(const struct sshcert *c, const char *principal, uint64_t now,
    const char *addr)
{
	const char *why = "unset";
	int r = cert_check_user(c, principal, now, addr, &why);

	ck_assert_msg(r == 0, "refused: %s", why);
	ck_assert_ptr_null(why);
}

static void
assert_user_refused(const struct sshcert *c, const char *principal,
    uint64_t now, const char *addr, const char *why_expected)
{
	const char *why = NULL;

	ck_assert_int_eq(cert_check_user(c, principal, now, addr, &why),
	    SSH_ERR_KEY_CERT_INVALID);
	ck_assert_ptr_nonnull(why);
	ck_assert_msg(strstr(why, why_expected) != NULL, "why: %s", why);
}

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

START_TEST(test_addr_match)
{
	static const char *bad[] = { "", ",", "10.0.0.0/8,", ",10.0.0.0/8",
	    "10.0.0.1/8", "10.0.0.0/33", "10.0.0.0/", "10.0.0.0/+8",
	    "10.0.0.0/-1", "10.0.0.0/0008", "::/129", " 10.0.0.0/8",
	    "10.0.0.0 /8", "host.example.com", "10.0.0.*", "!10.0.0.0/8",
	    "2001:db8::1/64", "10.0.0.0/8,bogus" };
	size_t i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		ck_assert_msg(cidr_list_match("10.0.0.1", bad[i]) ==
		    SSH_ERR_INVALID_FORMAT, "accepted \"%s\"", bad[i]);
	ck_assert_int_eq(cidr_list_match("bogus", "10.0.0.0/8"),
	    SSH_ERR_INVALID_FORMAT);
	ck_assert_int_eq(cidr_list_match("10.0.0.1", "0.0.0.0/0"), 1);
	ck_assert_int_eq(cidr_list_match("::1", "0.0.0.0/0"), 0);
	ck_assert_int_eq(cidr_list_match("::1", "::/0"), 1);
	ck_assert_int_eq(cidr_list_match("10.0.0.1", "::/0"), 0);
	ck_assert_int_eq(cidr_list_match("::1", "::1"), 1);
	ck_assert_int_eq(cidr_list_match("192.168.1.129", "192.168.1.128/25"),
	    1);
	ck_assert_int_eq(cidr_list_match("192.168.1.127", "192.168.1.128/25"),
	    0);
	ck_assert_int_eq(cidr_list_match("10.0.0.1", "192.0.2.0/24,10.0.0.1"),
	    1);
	ck_assert_int_eq(cidr_list_match("10.0.0.2", "192.0.2.0/24,10.0.0.1"),
	    0);
}
END_TEST

START_TEST(test_verify_required_refused)
{
	struct sshcert *c = load_cert("user_verify");

	ck_assert_int_eq(cert_verify_signature(c), 0);
	assert_user_refused(c, "alice", NOW, NULL, "verify-required");
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
	tcase_add_test(tc, test_addr_match);
	tcase_add_test(tc, test_verify_required_refused);
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
	SRunner *sr = srunner_create(cert_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
