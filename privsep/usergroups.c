/* usergroups.c: a user's group names (usergroups.h). */
#include <sys/types.h>
#include <errno.h>
#include <grp.h>
#include <pwd.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "common/log.h"
#include "privsep/usergroups.h"
#include "protocol/ssherr.h"

/* getgrouplist's first guess; it says how many when they do not fit. */
#define MON_GROUPS_INIT		64
/* NGROUPS_MAX on Linux: the kernel takes no more in setgroups. */
#define MON_GROUPS_MAX		65536
#define MON_GRBUF_INIT		1024
#define MON_GRBUF_MAX		(1024 * 1024)

/* The name of gid (*namep NULL: no such group), or an error. */
static int
group_name(gid_t gid, char **namep)
{
	struct group gr, *grp = NULL;
	char *buf = NULL, *nbuf;
	size_t len = MON_GRBUF_INIT;
	int e;

	*namep = NULL;
	for (;;) {
		if ((nbuf = realloc(buf, len)) == NULL) {
			free(buf);
			return SSH_ERR_ALLOC_FAIL;
		}
		buf = nbuf;
		if ((e = getgrgid_r(gid, &gr, buf, len, &grp)) != ERANGE)
			break;
		if (len >= MON_GRBUF_MAX) {
			free(buf);
			return SSH_ERR_LIMIT_EXCEEDED;
		}
		len *= 2;
	}
	/* 0 with no entry, or ENOENT from some NSS modules: a gid without
	 * a name, which no name in a list can match (as OpenSSH skips
	 * it).  Anything else is a lookup that failed. */
	if (e != 0 && e != ENOENT) {
		free(buf);
		errno = e;
		return SSH_ERR_SYSTEM_ERROR;
	}
	if (grp != NULL && (*namep = strdup(grp->gr_name)) == NULL) {
		free(buf);
		return SSH_ERR_ALLOC_FAIL;
	}
	free(buf);
	return 0;
}

int
usergroups_load(const struct passwd *pw, struct usergroups *g)
{
	gid_t *gids = NULL, *ngids;
	int ng = MON_GROUPS_INIT, want, i, r = SSH_ERR_INTERNAL_ERROR;
	char *name;

	memset(g, 0, sizeof(*g));
	for (;;) {
		if ((ngids = reallocarray(gids, (size_t)ng,
		    sizeof(*gids))) == NULL) {
			r = SSH_ERR_ALLOC_FAIL;
			goto out;
		}
		gids = ngids;
		want = ng;
		if (getgrouplist(pw->pw_name, pw->pw_gid, gids, &want) != -1) {
			ng = want;
			break;
		}
		/* -1 with a larger count: retry with room for them all;
		 * -1 without one is a failure glibc cannot tell better. */
		if (want <= ng || want > MON_GROUPS_MAX) {
			r = SSH_ERR_SYSTEM_ERROR;
			goto out;
		}
		ng = want;
	}
	if ((g->names = calloc((size_t)ng + 1, sizeof(*g->names))) == NULL) {
		r = SSH_ERR_ALLOC_FAIL;
		goto out;
	}
	for (i = 0; i < ng; i++) {
		if ((r = group_name(gids[i], &name)) != 0)
			goto out;
		if (name != NULL)
			g->names[g->n++] = name;
	}
	r = 0;
 out:
	free(gids);
	if (r != 0) {
		log_error("groups of %s: %s", pw->pw_name, ssh_err(r));
		usergroups_free(g);
	}
	return r;
}

void
usergroups_free(struct usergroups *g)
{
	size_t i;

	for (i = 0; i < g->n; i++)
		free(g->names[i]);
	free(g->names);
	g->names = NULL;
	g->n = 0;
}
