/*
 * scp_main.c: nanossh-scp, legacy SCP on stdin/stdout:
 *   nanossh-scp [vfs options] -c "scp -t|-f [-r] [-p] [-d] [--] path..."
 * The command is the client's exec request, taken as one string and split
 * by scp_cmd_parse: no shell is ever involved.
 */
#include <errno.h>
#include <pwd.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "common/log.h"
#include "sftp/opts.h"
#include "sftp/scp.h"
#include "sftp/vfs.h"

static void
usage(void)
{
	fprintf(stderr, "usage: nanossh-scp [-eRV] [-d start_dir] [-f facility] "
	    "[-l level] [-s session]\n"
	    "\t[-u umask] [-M vpath=target:access[:group,...]]... -c command\n");
	exit(1);
}

int
main(int argc, char **argv)
{
	struct sftp_opts o;
	struct scp_cmd cmd;
	struct vfs *v = NULL;
	const char *command = NULL;
	struct passwd *pw;
	char err[512];
	int ch, r;

	sftp_opts_init(&o);
	while ((ch = getopt(argc, argv, SFTP_OPTS_GETOPT "c:")) != -1) {
		if (ch == '?')
			usage();
		if (ch == 'c') {
			command = optarg;
			continue;
		}
		if (sftp_opts_apply(&o, ch, optarg, err, sizeof(err)) != 0) {
			fprintf(stderr, "nanossh-scp: %s\n", err);
			usage();
		}
	}
	if (optind != argc || command == NULL)
		usage();
	sftp_opts_log_init(&o, "nanossh-scp");
	signal(SIGPIPE, SIG_IGN);
	/* A file size limit is an error (EFBIG) to report, not a crash. */
	signal(SIGXFSZ, SIG_IGN);
	if (scp_cmd_parse(command, &cmd) != 0) {
		/* The peer waits for a status byte: say why it ends. */
		static const char msg[] = "\2scp: unsupported command\n";

		if (write(STDOUT_FILENO, msg, sizeof(msg) - 1) < 0)
			log_debug("write: %s", strerror(errno));
		log_fatal("refused scp command (%zu bytes)", strlen(command));
	}
	if (sftp_opts_vfs(&o, &v, err, sizeof(err)) != 0)
		log_fatal("%s", err);
	pw = getpwuid(getuid());
	snprintf(err, sizeof(err), "scp %s start: user %s (uid %u), %s tree",
	    cmd.c_sink ? "sink" : "source", pw != NULL ? pw->pw_name : "?",
	    (unsigned int)getuid(), vfs_is_plain(v) ? "real" : "virtual");
	sftp_opts_log(&o, LOG_LVL_VERBOSE, err);
	r = scp_run(&cmd, v, STDIN_FILENO, STDOUT_FILENO, sftp_opts_log, &o);
	snprintf(err, sizeof(err), "scp %s end: %s", cmd.c_sink ? "sink" :
	    "source", r == 0 ? "ok" : r > 0 ? "some files failed" : "aborted");
	sftp_opts_log(&o, LOG_LVL_VERBOSE, err);
	scp_cmd_free(&cmd);
	vfs_free(v);
	return r == 0 ? 0 : 1;
}
