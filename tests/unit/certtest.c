/*
 * certtest.c: what the certificate tests share: the user-check assertions
 * (certtest.h).
 */
#include <check.h>
#include <stdint.h>
#include <string.h>

#include "protocol/cert.h"
#include "protocol/ssherr.h"
#include "tests/unit/certtest.h"

void
assert_user_ok(const struct sshcert *c, const char *principal, uint64_t now,
    const char *addr)
{
	const char *why = "unset";
	int r = cert_check_user(c, principal, now, addr, &why);

	ck_assert_msg(r == 0, "refused: %s", why);
	ck_assert_ptr_null(why);
}

void
assert_user_refused(const struct sshcert *c, const char *principal,
    uint64_t now, const char *addr, const char *why_expected)
{
	const char *why = NULL;

	ck_assert_int_eq(cert_check_user(c, principal, now, addr, &why),
	    SSH_ERR_KEY_CERT_INVALID);
	ck_assert_ptr_nonnull(why);
	ck_assert_msg(strstr(why, why_expected) != NULL, "why: %s", why);
}
