/* dumpconn.c: the settings of one connection for nanosshd -T -C
 * (dumpconn.h). */
#include <sys/types.h>
#include <sys/socket.h>
#include <netinet/in.h>
#include <arpa/inet.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/config.h"
#include "daemon/dumpconn.h"
#include "privsep/usergroups.h"
#include "protocol/ssherr.h"

struct connspec {
	char *user;
	char *addr;
};

static int
is_numeric_addr(const char *s)
{
	struct in6_addr a6;
	struct in_addr a4;

	return inet_pton(AF_INET, s, &a4) == 1 ||
	    inet_pton(AF_INET6, s, &a6) == 1;
}

/* Splits spec into c (pointers into copy). */
static int
parse_spec(char *copy, struct connspec *c, char *err, size_t errsize)
{
	char *cp = copy, *word, *value;

	memset(c, 0, sizeof(*c));
	while ((word = strsep(&cp, ",")) != NULL) {
		if ((value = strchr(word, '=')) == NULL || value == word ||
		    value[1] == '\0') {
			snprintf(err, errsize, "-C: \"%s\" is not name=value",
			    word);
			return -1;
		}
		*value++ = '\0';
		if (strcmp(word, "user") == 0 && c->user == NULL)
			c->user = value;
		else if (strcmp(word, "addr") == 0 && c->addr == NULL) {
			if (!is_numeric_addr(value)) {
				snprintf(err, errsize, "-C: addr=%s is not a "
				    "numeric IPv4 or IPv6 address", value);
				return -1;
			}
			c->addr = value;
		} else if (strcmp(word, "host") == 0 ||
		    strcmp(word, "laddr") == 0 || strcmp(word, "lport") == 0) {
			snprintf(err, errsize, "-C: %s: no match criterion of "
			    "nanosshd uses it (match blocks test users, groups "
			    "and addresses)", word);
			return -1;
		} else {
			snprintf(err, errsize, "-C: unknown or repeated \"%s\" "
			    "(user=NAME,addr=ADDRESS)", word);
			return -1;
		}
	}
	return 0;
}

int
dumpconn(const struct cfg *cfg, const char *spec, FILE *out, char *err,
    size_t errsize)
{
	struct usergroups g = { NULL, 0 };
	struct cfg_settings *eff = NULL;
	struct connspec c;
	struct passwd *pw;
	char *copy = NULL;
	int ret = -1, r;

	if ((copy = strdup(spec)) == NULL) {
		snprintf(err, errsize, "-C: %s", ssh_err(SSH_ERR_ALLOC_FAIL));
		goto out;
	}
	if (parse_spec(copy, &c, err, errsize) != 0)
		goto out;
	/* An unknown user has no groups, as a login attempt would see. */
	if (c.user != NULL && (pw = getpwnam(c.user)) != NULL &&
	    usergroups_load(pw, &g) != 0) {
		snprintf(err, errsize, "-C: cannot read the groups of %s",
		    c.user);
		goto out;
	}
	if ((r = cfg_effective(cfg, c.user, (const char *const *)g.names, g.n,
	    c.addr, &eff)) != 0) {
		snprintf(err, errsize, "-C: %s", ssh_err(r));
		goto out;
	}
	if (cfg_dump(eff, out) != 0) {
		snprintf(err, errsize, "cannot print configuration");
		goto out;
	}
	ret = 0;
 out:
	cfg_settings_free(eff);
	usergroups_free(&g);
	free(copy);
	return ret;
}
