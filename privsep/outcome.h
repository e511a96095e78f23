/*
 * outcome.h: how a connection ended, as the exit status of the protocol
 * child and of nanosshd-session, so that the listener can tell (and later
 * penalise) sources by outcome without parsing anything.
 */
#ifndef NANOSSH_OUTCOME_H
#define NANOSSH_OUTCOME_H

#define OUTCOME_OK		0	/* authenticated session ended */
#define OUTCOME_ERROR		1	/* internal or setup failure */
#define OUTCOME_NOAUTH		2	/* closed without authenticating */
#define OUTCOME_AUTHFAIL	3	/* too many authentication failures */
#define OUTCOME_GRACE		4	/* login grace time ran out */
#define OUTCOME_PROTOCOL	5	/* protocol error from the client */
#define OUTCOME_VIOLATION	6	/* the protocol child broke the rules */

#endif
