/* authkeys_util.c: helpers shared by the check_authkeys* tests. */
#include <check.h>
#include <stddef.h>

#include "tests/unit/authkeys_util.h"

struct authkeys_entry *
ok(const char *line)
{
	struct authkeys_entry *e = NULL;
	const char *why = NULL;
	int r = authkeys_parse_line(line, &e, &why);

	ck_assert_msg(r == 0, "refused \"%.80s\": %s (%d)", line,
	    why ? why : "?", r);
	ck_assert_ptr_nonnull(e);
	ck_assert_ptr_nonnull(e->ae_key);
	return e;
}

const char *
bad(const char *line)
{
	struct authkeys_entry *e = (void *)1;
	const char *why = NULL;
	int r = authkeys_parse_line(line, &e, &why);

	ck_assert_msg(r < 0, "accepted \"%.80s\" (%d)", line, r);
	ck_assert_ptr_null(e);
	ck_assert_ptr_nonnull(why);
	return why;
}

void
assert_perms(const struct authkeys_opts *o, int pty, int agent, int x11,
    int port, int rc)
{
	ck_assert_int_eq(o->ao_permit_pty, pty);
	ck_assert_int_eq(o->ao_permit_agent_forwarding, agent);
	ck_assert_int_eq(o->ao_permit_x11_forwarding, x11);
	ck_assert_int_eq(o->ao_permit_port_forwarding, port);
	ck_assert_int_eq(o->ao_permit_user_rc, rc);
}
