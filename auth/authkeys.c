/* authkeys.c: authorized_keys lines, and whether one may be used now. */
/* Text in, structures out: no file access, no logging. */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "auth/authkeys.h"
#include "auth/authkeys_local.h"
#include "common/match.h"
#include "protocol/cert.h"
#include "protocol/key.h"
#include "protocol/sig.h"
#include "protocol/ssherr.h"

/* --- lines --- */

void
authkeys_entry_free(struct authkeys_entry *e)
{
	if (e == NULL)
		return;
	authkeys_opts_clear(&e->ae_opts);
	key_free(e->ae_key);
	free(e->ae_comment);
	free(e);
}

/* True when the first word looks like a key type we do not support
 * (ssh-dss, sk-..., certificates), for a clearer reason than "unknown
 * key option". */
static int
looks_like_keytype(const char *cp, size_t len)
{
	size_t i;

	for (i = 0; i < len; i++)
		if (cp[i] == '=' || cp[i] == ',' || cp[i] == '"')
			return 0;
	return (len > 4 && strncmp(cp, "ssh-", 4) == 0) ||
	    (len > 6 && strncmp(cp, "ecdsa-", 6) == 0) ||
	    (len > 3 && strncmp(cp, "sk-", 3) == 0);
}

int
authkeys_parse_line(const char *line, struct authkeys_entry **ep,
    const char **whyp)
{
	struct authkeys_entry *e = NULL;
	const char *why = "invalid line", *cp;
	char *copy = NULL, name[64];
	size_t len;
	int r = SSH_ERR_INTERNAL_ERROR;

	*ep = NULL;
	len = strnlen(line, AUTHKEYS_LINE_MAX + 2);
	if (len > 0 && line[len - 1] == '\r')
		len--;
	if (len > AUTHKEYS_LINE_MAX) {
		why = "line too long";
		r = SSH_ERR_STRING_TOO_LARGE;
		goto out;
	}
	if ((copy = strndup(line, len)) == NULL) {
		why = "out of memory";
		r = SSH_ERR_ALLOC_FAIL;
		goto out;
	}
	cp = copy + strspn(copy, " \t");
	if (*cp == '\0' || *cp == '#') {
		r = AUTHKEYS_LINE_EMPTY;
		goto out;
	}
	if ((e = calloc(1, sizeof(*e))) == NULL) {
		why = "out of memory";
		r = SSH_ERR_ALLOC_FAIL;
		goto out;
	}
	e->ae_opts.ao_permit_pty = 1;
	e->ae_opts.ao_permit_agent_forwarding = 1;
	e->ae_opts.ao_permit_x11_forwarding = 1;
	e->ae_opts.ao_permit_port_forwarding = 1;
	e->ae_opts.ao_permit_user_rc = 1;

	/* A line starts either with a key type we know or with options. */
	len = strcspn(cp, " \t");
	if (len < sizeof(name)) {
		memcpy(name, cp, len);
		name[len] = '\0';
	} else
		name[0] = '\0';
	if (key_type_from_name(name) == KEY_UNSPEC) {
		if (looks_like_keytype(cp, len)) {
			why = "unsupported key type";
			r = SSH_ERR_KEY_TYPE_UNKNOWN;
			goto out;
		}
		if ((r = authkeys_parse_options(&cp, &e->ae_opts, &why)) != 0)
			goto out;
		cp += strspn(cp, " \t");
		if (*cp == '\0') {
			why = "options without a key";
			r = SSH_ERR_INVALID_FORMAT;
			goto out;
		}
	}
	if ((r = key_from_public_line(cp, &e->ae_key, &e->ae_comment)) != 0) {
		if (r == SSH_ERR_KEY_TYPE_UNKNOWN)
			why = "unknown key type";
		else if (r == SSH_ERR_ALLOC_FAIL)
			why = "out of memory";
		else
			why = "invalid key";
		goto out;
	}
	*ep = e;
	e = NULL;
	r = 0;
 out:
	authkeys_entry_free(e);
	free(copy);
	if (r < 0 && whyp != NULL)
		*whyp = why;
	return r;
}

/* --- evaluation --- */

int
authkeys_opts_check(const struct authkeys_opts *o, const char *client_addr,
    time_t now, const char **whyp)
{
	size_t i;

	for (i = 0; i < o->ao_nfrom; i++) {
		if (client_addr == NULL ||
		    match_addr_list(client_addr, o->ao_from[i].al_v,
		    o->ao_from[i].al_n) != 1) {
			if (whyp != NULL)
				*whyp = "key not permitted from this address "
				    "(from= option)";
			return SSH_ERR_KEY_NOT_FOUND;
		}
	}
	if (o->ao_has_expiry && now > o->ao_expiry) {
		if (whyp != NULL)
			*whyp = "key has expired (expiry-time option)";
		return SSH_ERR_KEY_NOT_FOUND;
	}
	return 0;
}

int
authkeys_check(const struct authkeys_entry *e, const char *client_addr,
    time_t now, const char **whyp)
{
	return authkeys_opts_check(&e->ae_opts, client_addr, now, whyp);
}

int
authkeys_sk_check(const struct authkeys_opts *o, const struct sshcert *cert,
    const struct sig_details *sd, const char **whyp)
{
	int no_touch, verify;

	no_touch = cert == NULL ||
	    (cert_extensions(cert) & CERT_EXT_NO_TOUCH_REQUIRED) != 0;
	if (o != NULL)
		no_touch = no_touch && o->ao_no_touch_required;
	verify = (cert != NULL && cert_verify_required(cert)) ||
	    (o != NULL && o->ao_verify_required);
	*whyp = NULL;
	if (!sd->sd_sk) {
		if (verify)
			*whyp = "verify-required, but not a security key";
	} else if (!no_touch && !(sd->sd_sk_flags & SIG_SK_USER_PRESENT))
		*whyp = "user presence (authenticator touch) requirement "
		    "not met";
	else if (verify && !(sd->sd_sk_flags & SIG_SK_USER_VERIFIED))
		*whyp = "user verification requirement not met";
	return *whyp != NULL ? SSH_ERR_KEY_NOT_FOUND : 0;
}
