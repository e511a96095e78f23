/*
 * opts.h: the command-line contract shared by nanossh-sftp-server and
 * nanossh-scp (see nanossh-sftp-server(8)):
 *
 *   [-eRV] [-f facility] [-l level] [-s session] [-u umask] [-d start_dir]
 *   [-M vpath=target:access[:group,...]]...
 *
 * The monitor runs these programs as the user, with the sftp.* settings
 * of the user's effective configuration turned into these options.
 */
#ifndef NANOSSH_SFTP_OPTS_H
#define NANOSSH_SFTP_OPTS_H

#include <sys/types.h>

struct vfs;

#define SFTP_OPTS_GETOPT	"ef:l:s:u:d:RVM:"
#define SFTP_OPTS_MOUNTS_MAX	64

struct sftp_opts {
	int o_log_stderr;
	int o_log_level;		/* enum log_level */
	int o_log_facility;		/* syslog(3), LOG_AUTH by default */
	const char *o_session;		/* -s: the daemon's name for the
					 * session, on every log line */
	int o_readonly;
	int o_virtual;			/* -V: never the real filesystem */
	const char *o_start_dir;	/* NULL: $HOME (plain) or "/" */
	int o_umask_set;
	mode_t o_umask;
	const char *o_mounts[SFTP_OPTS_MOUNTS_MAX];
	size_t o_nmounts;
};

void sftp_opts_init(struct sftp_opts *o);
/* Applies option opt (one of SFTP_OPTS_GETOPT) with its argument.
 * Returns 0, or a negative SSH_ERR_* code with a message in err. */
int sftp_opts_apply(struct sftp_opts *o, int opt, const char *arg,
    char *err, size_t errlen);
/* Starts logging as ident (to syslog unless -e). */
void sftp_opts_log_init(const struct sftp_opts *o, const char *ident);
/* Logs msg, after "session S: " when -s named one; ctx is the struct
 * sftp_opts (the shape of sftp_log_fn, for the SFTP and SCP cores). */
void sftp_opts_log(void *ctx, int level, const char *msg);
/* Sets the umask and builds the vfs: mounts whose groups the process is
 * not in are dropped (logged at debug).  A negative SSH_ERR_* code with a
 * message on failure (e.g. a mount target that cannot be opened: fatal,
 * never plain). */
int sftp_opts_vfs(const struct sftp_opts *o, struct vfs **vp, char *err,
    size_t errlen);

#endif
