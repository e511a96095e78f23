/*
 * cert_options.c: a certificate's critical options and extensions: the
 * sorted (name, data) lists, the options and extensions we understand, and
 * their accessors.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <bsd/stdlib.h>

#include "protocol/buf.h"
#include "protocol/cert.h"
#include "protocol/cert_local.h"
#include "protocol/cidr.h"
#include "protocol/ssherr.h"

/* The extensions we know, all flags with empty data. */
static const struct {
	const char	*ce_name;
	unsigned int	 ce_flag;
} cert_exts[] = {
	{ "no-touch-required", CERT_EXT_NO_TOUCH_REQUIRED },
	{ "permit-X11-forwarding", CERT_EXT_PERMIT_X11 },
	{ "permit-agent-forwarding", CERT_EXT_PERMIT_AGENT },
	{ "permit-port-forwarding", CERT_EXT_PERMIT_PORT },
	{ "permit-pty", CERT_EXT_PERMIT_PTY },
	{ "permit-user-rc", CERT_EXT_PERMIT_USER_RC },
};

void
cert_optlist_free(struct cert_optlist *l)
{
	size_t i;

	for (i = 0; i < l->col_n; i++) {
		free(l->col_opts[i].co_name);
		free(l->col_opts[i].co_data);
	}
	free(l->col_opts);
	l->col_opts = NULL;
	l->col_n = 0;
}

/* A list of (string name, string data), names strictly increasing. */
int
cert_get_optlist(struct buf *b, struct cert_optlist *l)
{
	struct buf *sub = NULL;
	struct cert_opt *tmp;
	char *name = NULL;
	uint8_t *data = NULL;
	size_t len;
	int r = SSH_ERR_INTERNAL_ERROR;

	if ((r = buf_froms(b, &sub)) != 0)
		goto out;
	while (buf_len(sub) > 0) {
		if (l->col_n >= CERT_MAX_OPTIONS) {
			r = SSH_ERR_KEY_CERT_INVALID;
			goto out;
		}
		if ((r = buf_get_cstring(sub, &name, NULL)) != 0 ||
		    (r = buf_get_string(sub, &data, &len)) != 0)
			goto out;
		if (l->col_n > 0 &&
		    strcmp(l->col_opts[l->col_n - 1].co_name, name) >= 0) {
			r = SSH_ERR_KEY_CERT_INVALID;
			goto out;
		}
		if ((tmp = reallocarray(l->col_opts, l->col_n + 1,
		    sizeof(*tmp))) == NULL) {
			r = SSH_ERR_ALLOC_FAIL;
			goto out;
		}
		l->col_opts = tmp;
		l->col_opts[l->col_n].co_name = name;
		l->col_opts[l->col_n].co_data = data;
		l->col_opts[l->col_n].co_len = len;
		l->col_n++;
		name = NULL;
		data = NULL;
	}
	r = 0;
 out:
	free(name);
	free(data);
	buf_free(sub);
	return r;
}

/* Option data that must be exactly one string without NULs. */
static int
cert_opt_string(const struct cert_opt *o, char **valp)
{
	struct buf *b;
	int r = SSH_ERR_INTERNAL_ERROR;

	if ((b = buf_from(o->co_data, o->co_len)) == NULL)
		return SSH_ERR_ALLOC_FAIL;
	if ((r = buf_get_cstring(b, valp, NULL)) != 0 ||
	    (r = buf_expect_end(b)) != 0) {
		free(*valp);
		*valp = NULL;
		r = SSH_ERR_KEY_CERT_INVALID;
	}
	buf_free(b);
	return r;
}

/* Reads what we understand out of the options; malformed known ones fail. */
int
cert_interpret_options(struct sshcert *c)
{
	const struct cert_opt *o;
	size_t i, j;
	int r = SSH_ERR_INTERNAL_ERROR;

	for (i = 0; i < c->c_crit.col_n; i++) {
		o = &c->c_crit.col_opts[i];
		if (strcmp(o->co_name, "force-command") == 0) {
			if ((r = cert_opt_string(o, &c->c_force_command)) != 0)
				return r;
		} else if (strcmp(o->co_name, "source-address") == 0) {
			if ((r = cert_opt_string(o, &c->c_source_address)) != 0)
				return r;
			/* Any valid address shows whether the list parses. */
			if (cidr_list_match("0.0.0.0", c->c_source_address) < 0)
				return SSH_ERR_KEY_CERT_INVALID;
		} else if (strcmp(o->co_name, "verify-required") == 0) {
			if (o->co_len != 0)
				return SSH_ERR_KEY_CERT_INVALID;
			c->c_verify_required = 1;
		}
	}
	for (i = 0; i < c->c_ext.col_n; i++) {
		o = &c->c_ext.col_opts[i];
		for (j = 0; j < sizeof(cert_exts) / sizeof(cert_exts[0]); j++) {
			if (strcmp(o->co_name, cert_exts[j].ce_name) != 0)
				continue;
			if (o->co_len != 0)
				return SSH_ERR_KEY_CERT_INVALID;
			c->c_ext_flags |= cert_exts[j].ce_flag;
		}
	}
	return 0;
}

size_t
cert_noptions(const struct sshcert *c, int critical)
{
	return critical ? c->c_crit.col_n : c->c_ext.col_n;
}

int
cert_option(const struct sshcert *c, int critical, size_t i,
    const char **namep, const uint8_t **datap, size_t *lenp)
{
	const struct cert_optlist *l = critical ? &c->c_crit : &c->c_ext;

	if (i >= l->col_n)
		return SSH_ERR_INVALID_ARGUMENT;
	if (namep != NULL)
		*namep = l->col_opts[i].co_name;
	if (datap != NULL)
		*datap = l->col_opts[i].co_data;
	if (lenp != NULL)
		*lenp = l->col_opts[i].co_len;
	return 0;
}
