/*
 * sftpargs.h: the command line of nanossh-sftp-server for one user, from
 * the sftp.* settings (see nanossh-sftp-server(8) for the options).  The
 * monitor decides here what the user may see: %h and %u are expanded and
 * mounts for groups the user is not in are left out, so the server,
 * running as the user, is told only what applies.
 */
#ifndef NANOSSH_SFTPARGS_H
#define NANOSSH_SFTPARGS_H

#include <stddef.h>

struct cfg_settings;
struct passwd;

/* What to run: nanossh-sftp-server, or nanossh-scp for a legacy scp
 * command.  Both take the same options. */
struct sftpargs_opts {
	const char *path;		/* the program: argv[0] */
	const char *scp_command;	/* the client's "scp -t ..." or NULL */
	int confine;			/* apply sftp.mounts (SCP: secure_path) */
	int log_stderr;			/* -e: log to stderr, else syslog */
	const char *session;		/* -s: names the session in the log */
};

/*
 * Builds a NULL-terminated argv for pw, a member of the ngroups groups
 * named in groups.  Free with sftpargs_free.  Returns 0,
 * SSH_ERR_INVALID_FORMAT for a mount that cannot be put on the command
 * line (a target not absolute once expanded, ':' or '=' in it), or
 * SSH_ERR_ALLOC_FAIL.
 */
int sftpargs_build(const struct cfg_settings *s, const struct passwd *pw,
    char *const *groups, size_t ngroups, const struct sftpargs_opts *o,
    char ***argvp);
void sftpargs_free(char **argv);

#endif
