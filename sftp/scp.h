/*
 * scp.h: legacy SCP (the rcp protocol of "scp -O", PuTTY pscp and
 * dropbear's scp) through the virtual filesystem, without any shell.
 *
 * The client's command ("scp -t -- /dir") is split into words by a
 * quoting-aware splitter that expands nothing (no variables, globs,
 * commands or separators: they are literal characters of a word).  Names
 * the peer sends in C and D lines must be one plain component: a name
 * with '/', ".", ".." or empty is refused (CVE-2019-6111 and
 * CVE-2020-15778 style tricks).
 */
#ifndef NANOSSH_SFTP_SCP_H
#define NANOSSH_SFTP_SCP_H

#include <sys/types.h>
#include <limits.h>
#include <stddef.h>
#include <stdint.h>

#include "sftp/server.h"

struct vfs;

#define SCP_LINE_MAX	(64 + NAME_MAX)	/* longest control line */
#define SCP_ARGS_MAX	256		/* words in the command */

enum scp_ctl_type {
	SCP_CTL_FILE = 'C',	/* C<mode> <size> <name> */
	SCP_CTL_DIR = 'D',	/* D<mode> 0 <name> */
	SCP_CTL_END = 'E',	/* leave the directory */
	SCP_CTL_TIME = 'T',	/* T<mtime> <usec> <atime> <usec> */
	SCP_CTL_WARN = 1,	/* \1message: the peer's error */
	SCP_CTL_FATAL = 2,	/* \2message: the peer gives up */
};

struct scp_ctl {
	int c_type;
	mode_t c_mode;
	uint64_t c_size;
	uint64_t c_mtime, c_atime;
	char c_name[SCP_LINE_MAX + 1];	/* the name, or the message */
};

/* Parses one control line (without its '\n', len bytes, may hold NULs).
 * 0 or SSH_ERR_INVALID_FORMAT. */
int scp_ctl_parse(const char *line, size_t len, struct scp_ctl *c);

struct scp_cmd {
	int c_sink;		/* -t */
	int c_source;		/* -f */
	int c_recursive;	/* -r */
	int c_preserve;		/* -p */
	int c_targetdir;	/* -d: the target must be a directory */
	char **c_paths;
	size_t c_npaths;
	char **c_words;		/* owns the strings */
	size_t c_nwords;
};

/* Splits and parses the command.  The first word must be "scp" (or a path
 * ending in "/scp"); exactly one of -t and -f; then at least one path (one
 * for -t).  0 or SSH_ERR_INVALID_FORMAT / SSH_ERR_ALLOC_FAIL. */
int scp_cmd_parse(const char *cmd, struct scp_cmd *c);
void scp_cmd_free(struct scp_cmd *c);

/* Runs the sink or the source, reading from in and writing to out.
 * 0 when every file went through, 1 when some failed (reported to the
 * peer), or a negative SSH_ERR_* code on a protocol error or a lost
 * peer. */
int scp_run(const struct scp_cmd *c, const struct vfs *v, int in, int out,
    sftp_log_fn *log, void *log_ctx);

#endif
