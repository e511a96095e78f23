/* certtest.h: what the certificate tests (check_cert*.c) share. */
#ifndef NANOSSH_CERTTEST_H
#define NANOSSH_CERTTEST_H

#include <stdint.h>

struct sshcert;

/* A time inside every fixture's window except expired/notyet (2025). */
#define NOW		1750000000ULL
/* -V 20200101000000Z:20300101000000Z */
#define WIN_AFTER	1577836800ULL
#define WIN_BEFORE	1893456000ULL

/* cert_check_user accepts c, or refuses it with a reason containing
 * why_expected. */
void assert_user_ok(const struct sshcert *c, const char *principal,
    uint64_t now, const char *addr);
void assert_user_refused(const struct sshcert *c, const char *principal,
    uint64_t now, const char *addr, const char *why_expected);

#endif
