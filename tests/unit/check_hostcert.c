/* check_hostcert.c: host certificates in the server connection: which
 * certificate algorithms are offered, that a negotiated one sends the
 * certificate as K_S and signs with the plain key, and that a hostbound
 * publickey request may name the certificate. */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "protocol/buf.h"
#include "protocol/cert.h"
#include "protocol/conn.h"
#include "protocol/key.h"
#include "protocol/kexinit.h"
#include "protocol/ssherr.h"
#include "tests/unit/testclient.h"
#include "tests/unit/testutil.h"

#define CERT_ED25519	"ssh-ed25519-cert-v01@openssh.com"

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

static struct sshcert *
load_cert(const char *name)
{
	struct sshcert *c = NULL;
	char *line = read_fixture(name);

	ck_assert_int_eq(cert_from_public_line(line, &c, NULL), 0);
	free(line);
	return c;
}

/*
 * A connection whose one host key is tests/certs/host_ed25519_key, with
 * certs (one entry or NULL) and the server's and client's host key
 * algorithm lists.
 */
static void
setup(struct tclient *tc, const struct sshcert *const *certs,
    const char *server_algs, const char *client_algs)
{
	struct buf *file;
	char *text;

	ck_assert_int_eq(tclient_new(tc, "aes128-ctr", "hmac-sha2-256", 1), 0);
	conn_free(tc->srv);
	key_free(tc->hostkey);
	tc->hostkey = NULL;
	text = read_fixture("host_ed25519_key");
	ck_assert_ptr_nonnull(file = buf_from(text, strlen(text)));
	ck_assert_int_eq(key_private_parse(file, NULL, &tc->hostkey, NULL), 0);
	buf_free(file);
	free(text);
	tc->pubkeys[0] = tc->hostkey;
	tc->set.hostkey_algs = server_algs;
	tc->set.hostcerts = certs;
	tc->hostkey_algs = client_algs;
	ck_assert_ptr_nonnull(tc->srv = conn_new(&tc->set, 0));
}

/* The host key algorithms of the server's KEXINIT. */
static char *
offered(struct tclient *tc)
{
	struct buf *b;
	struct kexinit *ki;
	uint8_t type;
	char *s;

	ck_assert_ptr_nonnull(b = buf_from(buf_ptr(tc->kexinit_peer),
	    buf_len(tc->kexinit_peer)));
	ck_assert_int_eq(buf_get_u8(b, &type), 0);
	ck_assert_int_eq(kexinit_parse(b, &ki), 0);
	ck_assert_ptr_nonnull(s = strdup(ki->lists[KEXI_HOSTKEY]));
	kexinit_free(ki);
	buf_free(b);
	return s;
}

START_TEST(test_certificate_negotiated)
{
	struct sshcert *cert = load_cert("host_ed25519-cert.pub");
	const struct sshcert *certs[1] = { cert };
	struct tclient tc;
	const uint8_t *blob;
	size_t len;
	char *algs;

	/* The client's testclient verifies the signature over H with the
	 * plain key as ssh-ed25519, and H over the K_S it received. */
	setup(&tc, certs, CERT_ED25519 ",ssh-ed25519",
	    CERT_ED25519 ",ssh-ed25519");
	ck_assert_int_eq(tclient_handshake(&tc), 0);
	blob = cert_blob(cert, &len);
	ck_assert_uint_eq(buf_len(tc.server_host_key), len);
	ck_assert(memcmp(buf_ptr(tc.server_host_key), blob, len) == 0);
	ck_assert_ptr_nonnull(strstr(conn_algorithms(tc.srv), CERT_ED25519));
	algs = offered(&tc);
	ck_assert_str_eq(algs, CERT_ED25519 ",ssh-ed25519");
	free(algs);
	tclient_free(&tc);
	cert_free(cert);
}
END_TEST

START_TEST(test_plain_key_when_asked)
{
	struct sshcert *cert = load_cert("host_ed25519-cert.pub");
	const struct sshcert *certs[1] = { cert };
	struct tclient tc;
	struct buf *plain;

	setup(&tc, certs, CERT_ED25519 ",ssh-ed25519", "ssh-ed25519");
	ck_assert_int_eq(tclient_handshake(&tc), 0);
	ck_assert_ptr_nonnull(plain = buf_new());
	ck_assert_int_eq(key_to_blob(tc.hostkey, plain), 0);
	ck_assert_int_eq(buf_equals(plain, tc.server_host_key), 0);
	buf_free(plain);
	tclient_free(&tc);
	cert_free(cert);
}
END_TEST

START_TEST(test_not_offered_without_certificate)
{
	struct tclient tc;
	char *algs;

	/* Configured first, but the key has no certificate. */
	setup(&tc, NULL, CERT_ED25519 ",rsa-sha2-512-cert-v01@openssh.com,"
	    "ssh-ed25519", "ssh-ed25519");
	ck_assert_int_eq(tclient_handshake(&tc), 0);
	algs = offered(&tc);
	ck_assert_str_eq(algs, "ssh-ed25519");
	free(algs);
	tclient_free(&tc);

	setup(&tc, NULL, CERT_ED25519 ",ssh-ed25519", CERT_ED25519);
	ck_assert_int_ne(tclient_handshake(&tc), 0);
	ck_assert(conn_closed(tc.srv));
	tclient_free(&tc);
}
END_TEST

START_TEST(test_not_offered_when_not_configured)
{
	struct sshcert *cert = load_cert("host_ed25519-cert.pub");
	const struct sshcert *certs[1] = { cert };
	struct tclient tc;

	setup(&tc, certs, "ssh-ed25519", CERT_ED25519);
	ck_assert_int_ne(tclient_handshake(&tc), 0);
	ck_assert(conn_closed(tc.srv));
	tclient_free(&tc);
	cert_free(cert);
}
END_TEST

START_TEST(test_wrong_key_type_certificate_not_offered)
{
	/* An ed25519 certificate offers no RSA certificate algorithm. */
	struct sshcert *cert = load_cert("host_ed25519-cert.pub");
	const struct sshcert *certs[1] = { cert };
	struct tclient tc;
	char *algs;

	setup(&tc, certs, "rsa-sha2-512-cert-v01@openssh.com," CERT_ED25519
	    ",ssh-ed25519", "ssh-ed25519");
	ck_assert_int_eq(tclient_handshake(&tc), 0);
	algs = offered(&tc);
	ck_assert_str_eq(algs, CERT_ED25519 ",ssh-ed25519");
	free(algs);
	tclient_free(&tc);
	cert_free(cert);
}
END_TEST

START_TEST(test_hostkey_index_of_certificate)
{
	struct sshcert *cert = load_cert("host_ed25519-cert.pub");
	struct sshcert *other = load_cert("host_other-cert.pub");
	const struct sshcert *certs[1] = { cert };
	struct tclient tc;
	struct buf *plain;
	const uint8_t *blob;
	size_t len;
	int iscert = -1;

	setup(&tc, certs, CERT_ED25519 ",ssh-ed25519", CERT_ED25519);
	ck_assert_ptr_nonnull(plain = buf_new());
	ck_assert_int_eq(key_to_blob(tc.hostkey, plain), 0);
	ck_assert_int_eq(conn_hostkey_index_cert(tc.srv, buf_ptr(plain),
	    buf_len(plain), &iscert), 0);
	ck_assert_int_eq(iscert, 0);
	blob = cert_blob(cert, &len);
	ck_assert_int_eq(conn_hostkey_index_cert(tc.srv, blob, len, &iscert),
	    0);
	ck_assert_int_eq(iscert, 1);
	/* hostkeys-prove takes plain keys only. */
	ck_assert_int_eq(conn_hostkey_index(tc.srv, blob, len), -1);
	/* Another key's certificate, and a truncated one, name nothing. */
	blob = cert_blob(other, &len);
	ck_assert_int_eq(conn_hostkey_index_cert(tc.srv, blob, len, &iscert),
	    -1);
	ck_assert_int_eq(iscert, 0);
	blob = cert_blob(cert, &len);
	ck_assert_int_eq(conn_hostkey_index_cert(tc.srv, blob, len - 1,
	    &iscert), -1);
	buf_free(plain);
	tclient_free(&tc);
	cert_free(cert);
	cert_free(other);
}
END_TEST

static Suite *
hostcert_suite(void)
{
	Suite *s = suite_create("hostcert");
	TCase *tc = tcase_create("core");

	tcase_add_test(tc, test_certificate_negotiated);
	tcase_add_test(tc, test_plain_key_when_asked);
	tcase_add_test(tc, test_not_offered_without_certificate);
	tcase_add_test(tc, test_not_offered_when_not_configured);
	tcase_add_test(tc, test_wrong_key_type_certificate_not_offered);
	tcase_add_test(tc, test_hostkey_index_of_certificate);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	SRunner *sr = srunner_create(hostcert_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
