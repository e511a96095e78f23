/* authkeys_util.h: helpers shared by the check_authkeys* tests. */
#ifndef NANOSSH_AUTHKEYS_UTIL_H
#define NANOSSH_AUTHKEYS_UTIL_H

#include "auth/authkeys.h"

#define ED_B64	"AAAAC3NzaC1lZDI1NTE5AAAAIP11BBjRHuAM3WppClax/m+5m04YE3fqOHXNN7iD1AvJ"
#define KEY	"ssh-ed25519 " ED_B64

/* Parses a line that must be accepted. */
struct authkeys_entry *ok(const char *line);
/* A line that must be refused with a reason; returns the reason. */
const char *bad(const char *line);
/* Asserts each permission of o: 1 allowed, 0 refused. */
void assert_perms(const struct authkeys_opts *o, int pty, int agent, int x11,
    int port, int rc);

#endif
