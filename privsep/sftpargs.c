/*
 * sftpargs.c: nanossh-sftp-server's command line for a user.
 */
#include <limits.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/config.h"
#include "common/log.h"
#include "common/match.h"
#include "privsep/sftpargs.h"
#include "privsep/userpath.h"
#include "protocol/ssherr.h"

static const char *const access_name[] = {
	[CFG_ACCESS_RO] = "ro", [CFG_ACCESS_RW] = "rw",
	[CFG_ACCESS_WO] = "wo", [CFG_ACCESS_INHERIT] = "inherit",
};

struct argv {
	char **v;
	size_t n, alloc;
};

/* Takes s (NULL: allocation failed). */
static int
argv_add(struct argv *a, char *s)
{
	char **nv;

	if (s == NULL)
		return SSH_ERR_ALLOC_FAIL;
	if (a->n + 2 > a->alloc) {
		if ((nv = reallocarray(a->v, a->alloc + 16,
		    sizeof(*nv))) == NULL) {
			free(s);
			return SSH_ERR_ALLOC_FAIL;
		}
		a->v = nv;
		a->alloc += 16;
	}
	a->v[a->n++] = s;
	a->v[a->n] = NULL;
	return 0;
}

static int
member(char *const *groups, size_t ngroups, const struct strlist *want)
{
	size_t i;

	if (want->n == 0)
		return 1;
	for (i = 0; i < ngroups; i++) {
		if (match_list(groups[i], want->v, want->n))
			return 1;
	}
	return 0;
}

/* -M path=target:access, the target expanded for the user. */
static int
add_mount(struct argv *a, const struct cfg_mount *cm, const struct passwd *pw)
{
	char target[PATH_MAX], *arg;
	int r;

	if ((r = userpath_expand(cm->target, pw, target,
	    sizeof(target))) != 0)
		return r;
	/* The option is split at '=' and ':': neither may be in a path
	 * (a home directory might hold one; such a mount is refused). */
	if (target[0] != '/' || strpbrk(target, ":=") != NULL ||
	    strchr(cm->path, '=') != NULL)
		return SSH_ERR_INVALID_FORMAT;
	if (asprintf(&arg, "%s=%s:%s", cm->path, target,
	    access_name[cm->access]) == -1)
		arg = NULL;
	if ((r = argv_add(a, strdup("-M"))) != 0)
		return r;
	return argv_add(a, arg);
}

int
sftpargs_build(const struct cfg_settings *s, const struct passwd *pw,
    char *const *groups, size_t ngroups, const struct sftpargs_opts *o,
    char ***argvp)
{
	struct argv a = { NULL, 0, 0 };
	size_t i;
	int r;

	*argvp = NULL;
	if ((r = argv_add(&a, strdup(o->path))) != 0 ||
	    (r = argv_add(&a, strdup("-l"))) != 0 ||
	    (r = argv_add(&a, strdup(log_level_name(s->log_level)))) != 0)
		goto out;
	if (o->log_stderr)
		r = argv_add(&a, strdup("-e"));
	else if ((r = argv_add(&a, strdup("-f"))) == 0)
		r = argv_add(&a, strdup(name_of(log_facility_names,
		    s->log_facility)));
	if (r == 0 && o->session != NULL &&
	    (r = argv_add(&a, strdup("-s"))) == 0)
		r = argv_add(&a, strdup(o->session));
	if (r != 0)
		goto out;
	if (o->confine && s->sftp.home != NULL && *s->sftp.home != '\0' &&
	    ((r = argv_add(&a, strdup("-d"))) != 0 ||
	    (r = argv_add(&a, strdup(s->sftp.home))) != 0))
		goto out;
	/* With mounts configured the client sees the virtual tree, even
	 * when none of them is for this user's groups (an empty one). */
	if (o->confine && s->sftp.nmounts > 0 &&
	    (r = argv_add(&a, strdup("-V"))) != 0)
		goto out;
	for (i = 0; o->confine && i < s->sftp.nmounts; i++) {
		if (member(groups, ngroups, &s->sftp.mounts[i].groups) &&
		    (r = add_mount(&a, &s->sftp.mounts[i], pw)) != 0)
			goto out;
	}
	if (o->scp_command != NULL &&
	    ((r = argv_add(&a, strdup("-c"))) != 0 ||
	    (r = argv_add(&a, strdup(o->scp_command))) != 0))
		goto out;
	*argvp = a.v;
	a.v = NULL;
	r = 0;
 out:
	sftpargs_free(a.v);
	return r;
}

void
sftpargs_free(char **argv)
{
	size_t i;

	if (argv == NULL)
		return;
	for (i = 0; argv[i] != NULL; i++)
		free(argv[i]);
	free(argv);
}
