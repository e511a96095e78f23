/* opts.c: the options both programs share, and the vfs they describe. */
#include <sys/stat.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <syslog.h>

#include "common/log.h"
#include "protocol/ssherr.h"
#include "sftp/opts.h"
#include "sftp/vfs.h"

void
sftp_opts_init(struct sftp_opts *o)
{
	memset(o, 0, sizeof(*o));
	o->o_log_level = LOG_LVL_INFO;
	o->o_log_facility = LOG_AUTH;
}

/* nanossh's level names, and OpenSSH's (sftp-server -l) for drop-in use. */
static int
level_parse(const char *s, int *levelp)
{
	static const struct { const char *name; int level; } names[] = {
		{ "quiet", LOG_LVL_ERROR }, { "fatal", LOG_LVL_ERROR },
		{ "error", LOG_LVL_ERROR }, { "info", LOG_LVL_INFO },
		{ "verbose", LOG_LVL_VERBOSE }, { "debug", LOG_LVL_DEBUG },
		{ "debug1", LOG_LVL_DEBUG }, { "debug2", LOG_LVL_DEBUG },
		{ "debug3", LOG_LVL_DEBUG },
	};
	size_t i;

	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (strcasecmp(s, names[i].name) == 0) {
			*levelp = names[i].level;
			return 0;
		}
	return SSH_ERR_INVALID_FORMAT;
}

int
sftp_opts_apply(struct sftp_opts *o, int opt, const char *arg, char *err,
    size_t errlen)
{
	char *end;
	unsigned long n;

	switch (opt) {
	case 'e':
		o->o_log_stderr = 1;
		return 0;
	case 'f':
		if (name_lookup(log_facility_names, arg, 1,
		    &o->o_log_facility) != 0) {
			snprintf(err, errlen, "unknown log facility \"%s\"",
			    arg);
			return SSH_ERR_INVALID_FORMAT;
		}
		return 0;
	case 'l':
		if (level_parse(arg, &o->o_log_level) != 0) {
			snprintf(err, errlen, "unknown log level \"%s\"", arg);
			return SSH_ERR_INVALID_FORMAT;
		}
		return 0;
	case 's':
		o->o_session = arg;
		return 0;
	case 'u':
		errno = 0;
		n = strtoul(arg, &end, 8);
		if (*arg == '\0' || *end != '\0' || errno != 0 || n > 0777) {
			snprintf(err, errlen, "bad umask \"%s\"", arg);
			return SSH_ERR_INVALID_FORMAT;
		}
		o->o_umask = (mode_t)n;
		o->o_umask_set = 1;
		return 0;
	case 'd':
		o->o_start_dir = arg;
		return 0;
	case 'R':
		o->o_readonly = 1;
		return 0;
	case 'V':
		o->o_virtual = 1;
		return 0;
	case 'M':
		if (o->o_nmounts >= SFTP_OPTS_MOUNTS_MAX) {
			snprintf(err, errlen, "too many mounts");
			return SSH_ERR_LIMIT_EXCEEDED;
		}
		o->o_mounts[o->o_nmounts++] = arg;
		return 0;
	default:
		snprintf(err, errlen, "unknown option");
		return SSH_ERR_INVALID_ARGUMENT;
	}
}

void
sftp_opts_log_init(const struct sftp_opts *o, const char *ident)
{
	log_init(ident, o->o_log_level, o->o_log_facility, o->o_log_stderr);
}

void
sftp_opts_log(void *ctx, int level, const char *msg)
{
	const struct sftp_opts *o = ctx;

	if (o != NULL && o->o_session != NULL)
		log_msg(level, "session %s: %s", o->o_session, msg);
	else
		log_msg(level, "%s", msg);
}

int
sftp_opts_vfs(const struct sftp_opts *o, struct vfs **vp, char *err,
    size_t errlen)
{
	struct vfs *v = NULL;
	char *vpath = NULL, *target = NULL, *groups = NULL;
	size_t i;
	int access, r = SSH_ERR_INTERNAL_ERROR;

	*vp = NULL;
	if (o->o_umask_set)
		umask(o->o_umask);
	if ((r = vfs_new(&v)) != 0) {
		snprintf(err, errlen, "out of memory");
		return r;
	}
	for (i = 0; i < o->o_nmounts; i++) {
		if ((r = vfs_mount_spec_parse(o->o_mounts[i], &vpath, &target,
		    &access, &groups)) != 0) {
			snprintf(err, errlen, "bad mount \"%s\" (expected "
			    "vpath=target:ro|rw|wo|inherit[:groups])",
			    o->o_mounts[i]);
			goto out;
		}
		if (groups != NULL && !vfs_in_groups(groups))
			log_debug("mount %s: not in its groups, hidden", vpath);
		else if ((r = vfs_mount(v, vpath, target, access)) != 0) {
			snprintf(err, errlen, "mount %s: %s: %s", vpath,
			    target, errno == ELOOP ? "refused: a symbolic "
			    "link a user could have planted" : strerror(errno));
			goto out;
		}
		free(vpath);
		free(target);
		free(groups);
		vpath = target = groups = NULL;
	}
	if ((r = vfs_ready(v, o->o_start_dir, o->o_readonly,
	    o->o_nmounts > 0 || o->o_virtual)) != 0) {
		snprintf(err, errlen, "cannot set up the file tree");
		goto out;
	}
	*vp = v;
	v = NULL;
	r = 0;
 out:
	free(vpath);
	free(target);
	free(groups);
	vfs_free(v);
	return r;
}
