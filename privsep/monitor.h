/*
 * monitor.h: the per-connection monitor.  It starts the protocol child
 * (fork + exec, so the child's memory never held a host private key),
 * answers the child's requests after checking each against the
 * connection's state (ipc_catalogue.h), decides authentication, starts
 * the user's processes, and ends everything when anything breaks.
 */
#ifndef NANOSSH_MONITOR_H
#define NANOSSH_MONITOR_H

#include <stddef.h>

struct cfg;
struct sshkey;
struct sshcert;

struct monitor_params {
	const struct cfg *cfg;
	struct sshkey **hostkeys;	/* private keys, loaded by the caller */
	size_t nhostkeys;
	struct sshcert **hostcerts;	/* by host key index, NULL for none */
	int client_fd;			/* the accepted socket */
	int status_fd;			/* the listener's status socketpair
					 * (common/sessrec.h), or -1 */
	const char *self_path;		/* nanosshd-session, for the child */
	const char *client_addr;
	unsigned int client_port;
	const char *server_addr;
	unsigned int server_port;
	int child_stderr;		/* keep stderr in the child (-e) */
};

/* Runs the connection to its end; returns an OUTCOME_* exit status. */
int monitor_run(const struct monitor_params *p);

#endif
