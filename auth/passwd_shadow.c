/*
 * passwd_shadow.c: the "shadow" password back end (see passwd_shadow.h).
 */
#include <crypt.h>
#include <errno.h>
#include <shadow.h>
#include <stdlib.h>
#include <string.h>

#include <bsd/stdlib.h>
#include <bsd/string.h>

#include "auth/passwd_shadow.h"
#include "auth/pwcrypt.h"
#include "protocol/ssherr.h"

#define PWSHADOW_BUF_INIT	4096
#define PWSHADOW_BUF_MAX	(1024 * 1024)
#define PWSHADOW_METHODS	8

/* The dummy hash for users without a usable one, chosen once. */
static char dummy_hash[PWCRYPT_HASH_MAX + 1];

/*
 * Picks a hash of the method most entries use, so a refusal for a user
 * without a hash costs what a wrong password of a typical user costs.
 * Falls back to a fresh hash with libxcrypt's default method and cost.
 */
static int
dummy_init(void)
{
	struct {
		char prefix[8];
		size_t count;
		char hash[PWCRYPT_HASH_MAX + 1];
	} seen[PWSHADOW_METHODS];
	struct spwd *sp;
	struct crypt_data *cd = NULL;
	char setting[CRYPT_GENSALT_OUTPUT_SIZE];
	const char *out;
	size_t nseen = 0, i, best = 0, plen;
	int r = SSH_ERR_INTERNAL_ERROR;

	if (dummy_hash[0] != '\0')
		return 0;
	memset(seen, 0, sizeof(seen));
	setspent();
	while ((sp = getspent()) != NULL) {
		if (sp->sp_pwdp == NULL || pwcrypt_hash_valid(sp->sp_pwdp) != 0)
			continue;
		plen = strcspn(sp->sp_pwdp + 1, "$") + 2;
		if (plen >= sizeof(seen[0].prefix))
			continue;
		for (i = 0; i < nseen; i++) {
			if (strncmp(seen[i].prefix, sp->sp_pwdp, plen) == 0)
				break;
		}
		if (i == nseen) {
			if (nseen == PWSHADOW_METHODS)
				continue;
			memcpy(seen[i].prefix, sp->sp_pwdp, plen);
			strlcpy(seen[i].hash, sp->sp_pwdp,
			    sizeof(seen[i].hash));
			nseen++;
		}
		seen[i].count++;
	}
	endspent();
	for (i = 0; i < nseen; i++) {
		if (seen[i].count > seen[best].count)
			best = i;
	}
	if (nseen > 0) {
		strlcpy(dummy_hash, seen[best].hash, sizeof(dummy_hash));
		r = 0;
		goto out;
	}
	if ((cd = calloc(1, sizeof(*cd))) == NULL) {
		r = SSH_ERR_ALLOC_FAIL;
		goto out;
	}
	if (crypt_gensalt_rn(NULL, 0, NULL, 0, setting, sizeof(setting)) ==
	    NULL || (out = crypt_rn("nanossh dummy", setting, cd,
	    sizeof(*cd))) == NULL || out[0] == '*' ||
	    strlcpy(dummy_hash, out, sizeof(dummy_hash)) >= sizeof(dummy_hash)) {
		dummy_hash[0] = '\0';
		r = SSH_ERR_LIBCRYPTO_ERROR;
		goto out;
	}
	r = 0;
 out:
	explicit_bzero(seen, sizeof(seen));
	freezero(cd, sizeof(*cd));
	return r;
}

/* getspnam_r with a buffer grown as needed; *spp NULL for no such user. */
static int
shadow_lookup(const char *user, struct spwd *sp, char **bufp, size_t *lenp,
    struct spwd **spp)
{
	char *buf = NULL, *nbuf;
	size_t len = PWSHADOW_BUF_INIT;
	int e;

	*spp = NULL;
	for (;;) {
		if ((nbuf = recallocarray(buf, buf == NULL ? 0 : len / 2, len,
		    1)) == NULL) {
			freezero(buf, len / 2);
			return SSH_ERR_ALLOC_FAIL;
		}
		buf = nbuf;
		e = getspnam_r(user, sp, buf, len, spp);
		if (e != ERANGE)
			break;
		if (len >= PWSHADOW_BUF_MAX) {
			freezero(buf, len);
			return SSH_ERR_LIMIT_EXCEEDED;
		}
		len *= 2;
	}
	*bufp = buf;
	*lenp = len;
	/* ENOENT is "no such user" for some NSS modules */
	if (e != 0 && e != ENOENT) {
		*spp = NULL;
		errno = e;
		return SSH_ERR_SYSTEM_ERROR;
	}
	return 0;
}

/* shadow(5)'s day counts, as pam_unix reads them; NULL: no objection. */
static const char *
account_state(const struct spwd *sp, long today, enum pw_result *res)
{
	if (sp->sp_expire != -1 && today >= sp->sp_expire) {
		*res = PW_LOCKED;
		return "account has expired";
	}
	if (sp->sp_lstchg == 0) {
		*res = PW_EXPIRED;
		return "password change required";
	}
	/* A change dated in the future: the clock is off; let it pass. */
	if (sp->sp_lstchg < 0 || today < sp->sp_lstchg || sp->sp_max == -1)
		return NULL;
	if (sp->sp_inact != -1 &&
	    today - sp->sp_lstchg > sp->sp_max + sp->sp_inact) {
		*res = PW_LOCKED;
		return "account is inactive (password expired too long ago)";
	}
	if (today - sp->sp_lstchg > sp->sp_max) {
		*res = PW_EXPIRED;
		return "password has expired";
	}
	return NULL;
}

int
pwshadow_check(const char *user, const char *password, size_t len,
    long today, enum pw_result *res, char **msg)
{
	struct spwd spbuf, *sp = NULL;
	char *buf = NULL;
	const char *hash, *why = NULL;
	size_t buflen = 0;
	int nopass = 0, match = 0, r = SSH_ERR_INTERNAL_ERROR;

	*res = PW_ERROR;
	*msg = NULL;
	if (user == NULL || (password == NULL && len != 0))
		return SSH_ERR_INVALID_ARGUMENT;
	/* Both paths pay for the dummy's first lookup. */
	if ((r = dummy_init()) != 0)
		goto out;
	if ((r = shadow_lookup(user, &spbuf, &buf, &buflen, &sp)) != 0)
		goto out;
	hash = dummy_hash;
	if (sp != NULL && (sp->sp_pwdp == NULL || sp->sp_pwdp[0] == '\0'))
		nopass = 1;
	else if (sp != NULL && (sp->sp_pwdp[0] == '!' || sp->sp_pwdp[0] == '*'))
		why = "account is locked";
	else if (sp != NULL &&
	    crypt_checksalt(sp->sp_pwdp) == CRYPT_SALT_INVALID)
		why = "account's password hash is not usable";
	else if (sp != NULL) {
		/* Legacy methods the file back end refuses (md5crypt ...)
		 * are the administrator's choice here. */
		hash = sp->sp_pwdp;
	}
	if (len == 0) {
		*res = PW_FAIL;
		r = 0;
		goto out;
	}
	if ((r = pwcrypt_verify(hash, password, len, &match)) != 0)
		goto out;
	if (sp == NULL || nopass)
		*res = PW_FAIL;
	else if (why != NULL)
		*res = PW_LOCKED;
	else if ((why = account_state(sp, today, res)) != NULL) {
		/* An expired password only counts as such when right. */
		if (*res == PW_EXPIRED && !match) {
			*res = PW_FAIL;
			why = NULL;
		}
	} else
		*res = match ? PW_OK : PW_FAIL;
	if (why != NULL && *res != PW_FAIL && (*msg = strdup(why)) == NULL) {
		*res = PW_ERROR;
		r = SSH_ERR_ALLOC_FAIL;
		goto out;
	}
	r = 0;
 out:
	freezero(buf, buflen);
	return r;
}

int
pwshadow_account(const char *user, long today, const char **whyp)
{
	struct spwd spbuf, *sp = NULL;
	char *buf = NULL;
	size_t buflen = 0;
	int r;

	*whyp = NULL;
	if (user == NULL)
		return SSH_ERR_INVALID_ARGUMENT;
	if ((r = shadow_lookup(user, &spbuf, &buf, &buflen, &sp)) != 0)
		return r;
	/* passwd -l and usermod -L put a '!' before the hash (useradd
	 * leaves a lone "!"); OpenSSH's LOCKED_PASSWD_PREFIX on Linux.  A
	 * "*" only says there is no password: keys still work. */
	if (sp != NULL && sp->sp_pwdp != NULL && sp->sp_pwdp[0] == '!')
		*whyp = "account is locked";
	else if (sp != NULL && sp->sp_expire != -1 && today >= sp->sp_expire)
		*whyp = "account has expired";
	freezero(buf, buflen);
	return 0;
}
