/*
 * child.h: the protocol child: the whole SSH protocol of one connection,
 * in a sandbox, driven by a poll loop over the client socket, the IPC
 * channel to the monitor and the fds of the user's processes.
 */
#ifndef NANOSSH_CHILD_H
#define NANOSSH_CHILD_H

#include "privsep/sandbox.h"

/* The fds the monitor hands the protocol child, at these numbers. */
#define CHILD_FD_CLIENT	3
#define CHILD_FD_IPC	4
#define CHILD_FD_LOG	5

/* Runs the connection; returns an OUTCOME_* exit status. */
int child_run(const struct sandbox_params *sp);

#endif
