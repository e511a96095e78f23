/*
 * fuzz_authkeys.c: libFuzzer target for authorized_keys lines and their
 * options.  The input is split into lines; each goes through
 * authkeys_parse_line and, when accepted, authkeys_check; the same text
 * also goes through authkeys_opts_parse and a merge.  Broken invariants
 * abort.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "auth/authkeys.h"
#include "protocol/ssherr.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char *const addrs[] = {
	"192.0.2.1", "10.1.2.3", "2001:db8::1", "::ffff:10.1.2.3", "::1",
};

static void
fuzz_entry(const struct authkeys_entry *e)
{
	const char *why;
	size_t i;
	int r;

	if (e->ae_key == NULL || e->ae_opts.ao_nfrom > 1)
		abort();
	for (i = 0; i < sizeof(addrs) / sizeof(addrs[0]); i++) {
		why = NULL;
		r = authkeys_check(e, addrs[i], (time_t)1700000000, &why);
		if (r != 0 && (r != SSH_ERR_KEY_NOT_FOUND || why == NULL))
			abort();
		/* No from= and no expiry: nothing can refuse the line. */
		if (r != 0 && e->ae_opts.ao_nfrom == 0 &&
		    !e->ae_opts.ao_has_expiry)
			abort();
	}
	(void)authkeys_principal_allowed(&e->ae_opts, "root");
}

/* Parsed options merged into the defaults come out as they went in. */
static void
fuzz_opts(const char *s)
{
	struct authkeys_opts *o = NULL, *d = NULL;
	const char *why = NULL;

	if (authkeys_opts_parse(s, &o, &why) != 0) {
		if (why == NULL)
			abort();
		return;
	}
	if ((d = authkeys_opts_new()) == NULL)
		abort();
	if (authkeys_opts_merge(d, o, &why) != 0)
		abort();
	if (d->ao_permit_pty != o->ao_permit_pty ||
	    d->ao_permit_port_forwarding != o->ao_permit_port_forwarding ||
	    d->ao_permit_agent_forwarding != o->ao_permit_agent_forwarding ||
	    d->ao_permit_x11_forwarding != o->ao_permit_x11_forwarding ||
	    d->ao_permit_user_rc != o->ao_permit_user_rc ||
	    d->ao_nfrom != o->ao_nfrom ||
	    d->ao_env.al_n != o->ao_env.al_n ||
	    d->ao_permitopen.al_n != o->ao_permitopen.al_n ||
	    d->ao_has_expiry != o->ao_has_expiry ||
	    (d->ao_has_expiry && d->ao_expiry != o->ao_expiry) ||
	    (d->ao_force_command == NULL) != (o->ao_force_command == NULL))
		abort();
	/* Merging with itself changes nothing either. */
	if (authkeys_opts_merge(d, o, &why) != 0 ||
	    d->ao_permitlisten.al_n != o->ao_permitlisten.al_n)
		abort();
	authkeys_opts_free(d);
	authkeys_opts_free(o);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct authkeys_entry *e;
	const uint8_t *nl;
	const char *why;
	char *line;
	size_t len;
	int r;

	/* Line by line; a NUL inside a line ends that line only. */
	while (size > 0) {
		nl = memchr(data, '\n', size);
		len = nl != NULL ? (size_t)(nl - data) : size;
		if ((line = malloc(len + 1)) == NULL)
			return 0;
		memcpy(line, data, len);
		line[len] = '\0';
		data += len + (nl != NULL);
		size -= len + (nl != NULL);
		why = NULL;
		r = authkeys_parse_line(line, &e, &why);
		if (r == 0) {
			fuzz_entry(e);
			authkeys_entry_free(e);
		} else if (r == AUTHKEYS_LINE_EMPTY) {
			if (e != NULL)
				abort();
		} else if (r > 0 || why == NULL || e != NULL)
			abort();
		fuzz_opts(line);
		free(line);
	}
	return 0;
}
