/*
 * ipc_catalogue.h: THE catalogue of monitor <-> protocol child messages.
 *
 * Every message type is one row of the table in ipc_catalogue.c: its
 * name, direction, the phases in which it may be sent, its flags and the
 * largest payload it may have.  The receiver runs ipc_check() on every
 * message before parsing it; any failure ends the connection.  A new
 * message is a new enum value here (at the end, before IPC_MSG_MAX), a
 * new row in the table, and a line below documenting its fields.
 *
 * Payloads use the SSH encodings of protocol/buf.h (u32 big-endian,
 * string = u32 length + bytes, bool = one byte 0/1) and are parsed with
 * buf.h, each parser ending with buf_expect_end: a message is consumed
 * exactly.  "m->c" is monitor to child, "c->m" child to monitor.
 *
 * CONFIG (m->c, pre-auth, once): everything the child needs to run the
 *	protocol; the child waits for it before talking to the client.
 *	string	kex algorithms (comma-separated, preference order)
 *	string	host key algorithms
 *	string	ciphers
 *	string	macs
 *	string	allowed authentication methods
 *	string	banner text ("" for none)
 *	string	client address;  u32 client port
 *	u32	login grace time (seconds, 0: none)
 *	u32	limits.max_sessions, global (the child enforces the user's
 *		value from SESSION_CONFIG; kept for the format)
 *	u32	maximum authentication attempts (auth.max_tries)
 *	u64	rekey limit in bytes (0: the ciphers' own limits)
 *	u32	rekey interval (seconds, 0: none)
 *	u32	n host keys;  n x string public host key blob
 *	u32	n host certificates (at most one per key);  n x { u32 host
 *		key index, string certificate blob }
 *	(The monitor keeps the private halves; keys are named by index.)
 *
 * LOG (c->m, any phase, on the separate log socketpair only):
 *	u32	level (enum log_level)
 *	string	text (<= IPC_LOG_TEXT_MAX bytes, escaped by the monitor)
 *
 * SIGN (c->m; once pre-auth, for the initial key exchange, whose hash
 *	the monitor records as the session id; post-auth only for rekeys,
 *	rate-limited by the handler):
 *	u32	host key index
 *	string	signature algorithm
 *	string	data: the exchange hash, exactly 32, 48 or 64 bytes
 * SIGN_REPLY (m->c, any phase):
 *	string	signature blob
 *
 * HOSTKEYS_PROVE (c->m, post-auth, once): hostkeys-prove-00@openssh.com;
 *	the monitor builds the signed data itself from the session id.
 *	u32	n;  n x u32 host key index
 * HOSTKEYS_PROVE_REPLY (m->c, post-auth, once):
 *	u32	n;  n x string signature blob (same order)
 *
 * AUTH_PUBKEY (c->m, pre-auth, decides authentication): the monitor
 *	builds the signed data itself (RFC 4252 section 7) from its session
 *	id and these fields; the child sends no data blob.
 *	string	user
 *	string	service
 *	string	public key blob
 *	string	signature algorithm
 *	bool	hostbound (publickey-hostbound-v00@openssh.com)
 *	u32	host key index (used when hostbound): i for key i, or the
 *		number of host keys + i when the client bound its signature
 *		to key i's certificate (a certificate host key algorithm)
 *	bool	query only (no signature: may this key be used?)
 *	string	signature ("" when query only)
 * AUTH_PASSWORD (c->m, pre-auth, decides authentication):
 *	string	user
 *	string	service
 *	string	password (wiped by both sides once used)
 * AUTH_PASSWORD_CHANGE (c->m, pre-auth, decides authentication): the
 *	client's change request after an AUTH_REPLY of IPC_AUTH_CHANGEREQ
 *	(RFC 4252 8); only an expired password can be changed.
 *	string	user
 *	string	service
 *	string	current password
 *	string	new password (both wiped by both sides once used)
 * AUTH_KBDINT (c->m, pre-auth, decides authentication): a new
 *	keyboard-interactive exchange (n = 0) or the answers to the last
 *	KBDINT_PROMPTS.
 *	string	user
 *	string	service
 *	u32	n;  n x string response
 * KBDINT_PROMPTS (m->c, pre-auth): the next round of prompts.
 *	string	name
 *	string	instruction
 *	u32	n (1..16);  n x { string prompt, bool echo }
 * AUTH_REPLY (m->c, pre-auth; the answer to every AUTH_* request that is
 *	not continued by KBDINT_PROMPTS; the monitor switches to post-auth
 *	after sending a success):
 *	u32	result: IPC_AUTH_PK_OK, IPC_AUTH_SUCCESS, IPC_AUTH_FAILURE,
 *		IPC_AUTH_PARTIAL or IPC_AUTH_CHANGEREQ (the password was
 *		right but has expired: ask the client for a new one)
 *	string	methods that can continue (for a failure), or the prompt
 *		(for IPC_AUTH_CHANGEREQ)
 *
 * SESSION_CONFIG (m->c, post-auth, once): the user's effective session
 *	settings, sent right after the AUTH_REPLY of success (match blocks
 *	make them per user); the child handles no channel before it.
 *	string	session.accept_env patterns, comma-separated
 *	u32	limits.max_sessions (session channels at once)
 *	u32	limits.max_session_time (seconds, 0: none)
 *	u32	limits.idle_timeout (seconds, 0: none)
 *	u32	limits.keepalive_interval (seconds, 0: none)
 *	u32	limits.keepalive_count_max
 *
 * PTY_REQ (c->m, post-auth): pty-req; the monitor allocates the pty for
 *	the session that the next SPAWN_EXEC with this tag starts.  A second
 *	PTY_REQ for a tag replaces the first.
 *	u32	tag
 *	string	TERM
 *	u32	columns, rows, width in pixels, height in pixels
 *	u32	n (<= TTYMODES_MAX);  n x { u32 opcode, u32 value }: the modes
 *		as protocol/ttymodes.c parsed them
 * PTY_RESULT (m->c, post-auth):
 *	u32	tag
 *	u32	status: 0, or a negative SSH_ERR_* (refused: no-pty, no ptys)
 *
 * SPAWN_EXEC (c->m, post-auth): run a command as the user.
 *	u32	tag (chosen by the child, e.g. its channel id; echoed back)
 *	u32	kind: IPC_SPAWN_SHELL, IPC_SPAWN_EXEC or IPC_SPAWN_SUBSYSTEM
 *	string	command (exec) or subsystem name ("" for the shell)
 *	bool	on the pty of this tag's successful PTY_REQ (else pipes; a
 *		pty left over from an earlier channel of the tag is dropped)
 *	u32	n (<= IPC_SPAWN_ENV_MAX);  n x { string name, string value }:
 *		"env" requests of the channel (the monitor checks the names
 *		against session.accept_env again)
 * SPAWN_RESULT (m->c, post-auth):
 *	u32	tag
 *	u32	status: 0, or a negative SSH_ERR_* as two's complement
 *	u32	handle id (0 on failure)
 *	On success three SPAWN_FD messages follow: without a pty for
 *	stdin, stdout and stderr, in that order; with a pty (a PTY_REQ of
 *	this tag succeeded) for stdin, stdout and IPC_SPAWN_PTY, each a
 *	copy of the pty master.
 * SPAWN_FD (m->c, post-auth, carries exactly one fd):
 *	u32	handle id
 *	u32	which: 0 stdin (child writes), 1 stdout, 2 stderr (child
 *		reads), 3 the pty master (window-change: TIOCSWINSZ only)
 *
 * SESSION_SIGNAL (c->m, post-auth): "signal" for a running session; the
 *	monitor delivers it to the session's process group.
 *	u32	handle id
 *	string	signal name without "SIG" (RFC 4254 6.10 names only)
 * SESSION_BREAK (c->m, post-auth): "break" (RFC 4335) on a pty session.
 *	u32	handle id
 *	u32	break length in milliseconds
 * SESSION_CLOSE (c->m, post-auth): the session's channel closed before its
 *	command ended: SIGHUP to its process group, the pty released.
 *	u32	handle id
 *	(Handles that already ended are ignored by all three: the exit and
 *	the request may cross.)
 *
 * CHILD_EXIT (m->c, post-auth): a spawned command ended.
 *	u32	handle id
 *	u32	kind: IPC_EXIT_STATUS or IPC_EXIT_SIGNAL
 *	u32	exit status (for IPC_EXIT_STATUS, else 0)
 *	string	signal name without "SIG" (for IPC_EXIT_SIGNAL, else "")
 *	bool	core dumped
 *
 * FWD_OPEN (c->m, post-auth): a direct-tcpip or
 *	direct-streamlocal@openssh.com channel open; the monitor checks the
 *	forwarding rules and a helper running as the user connects.
 *	u32	tag (chosen by the child; echoed back)
 *	u32	kind: IPC_FWD_TCP or IPC_FWD_UNIX
 *	string	host, or socket path
 *	u32	port (0 for a socket path)
 *	string	originator address;  u32 originator port (for the log)
 * FWD_LISTEN (c->m, post-auth): a tcpip-forward or
 *	streamlocal-forward@openssh.com request; a helper running as the
 *	user binds and listens.
 *	u32	tag
 *	u32	kind: IPC_FWD_TCP or IPC_FWD_UNIX
 *	string	address as the client gave it, or socket path
 *	u32	port (0: any free port)
 * FWD_SOCKET (m->c, post-auth, carries exactly one fd): the answer to a
 *	granted FWD_OPEN (a connected socket) or FWD_LISTEN (a listening
 *	socket).
 *	u32	tag
 *	u32	the port bound (FWD_LISTEN over TCP), else 0
 * FWD_REFUSED (m->c, post-auth): the answer to a refused or failed
 *	FWD_OPEN or FWD_LISTEN.
 *	u32	tag
 *	u32	reason: an SSH2_OPEN_* code (RFC 4254 5.1)
 *	string	description for the client
 */
#ifndef NANOSSH_IPC_CATALOGUE_H
#define NANOSSH_IPC_CATALOGUE_H

#include <stddef.h>
#include <stdint.h>

enum ipc_msg_type {
	IPC_MSG_NONE = 0,		/* never valid */
	IPC_MSG_CONFIG,
	IPC_MSG_LOG,
	IPC_MSG_SIGN,
	IPC_MSG_SIGN_REPLY,
	IPC_MSG_HOSTKEYS_PROVE,
	IPC_MSG_HOSTKEYS_PROVE_REPLY,
	IPC_MSG_AUTH_PUBKEY,
	IPC_MSG_AUTH_REPLY,
	IPC_MSG_SPAWN_EXEC,
	IPC_MSG_SPAWN_RESULT,
	IPC_MSG_SPAWN_FD,
	IPC_MSG_CHILD_EXIT,
	IPC_MSG_AUTH_PASSWORD,
	IPC_MSG_AUTH_KBDINT,
	IPC_MSG_KBDINT_PROMPTS,
	IPC_MSG_AUTH_PASSWORD_CHANGE,
	IPC_MSG_SESSION_CONFIG,
	IPC_MSG_PTY_REQ,
	IPC_MSG_PTY_RESULT,
	IPC_MSG_SESSION_SIGNAL,
	IPC_MSG_SESSION_BREAK,
	IPC_MSG_SESSION_CLOSE,
	/* Port forwarding (issue 7). */
	IPC_MSG_FWD_OPEN,
	IPC_MSG_FWD_LISTEN,
	IPC_MSG_FWD_SOCKET,
	IPC_MSG_FWD_REFUSED,
	IPC_MSG_MAX			/* one past the last; keep it last */
};

/* Direction */
#define IPC_TO_MONITOR		1
#define IPC_TO_CHILD		2

/* Phases (bitmask) */
#define IPC_PREAUTH		0x01
#define IPC_POSTAUTH		0x02
#define IPC_ANYPHASE		(IPC_PREAUTH | IPC_POSTAUTH)

/* Flags (bitmask) */
#define IPC_F_ONCE		0x01	/* at most once per connection */
#define IPC_F_ONCE_PREAUTH	0x02	/* at most once before authentication */
#define IPC_F_CARRIES_FD	0x04	/* must carry exactly one fd */
#define IPC_F_AUTH_DECIDING	0x08	/* its handler may authenticate the user */
#define IPC_F_LOG_CHANNEL	0x10	/* only on the log socketpair */

/* Field values */
#define IPC_LOG_TEXT_MAX	2048
#define IPC_AUTH_PK_OK		0
#define IPC_AUTH_SUCCESS	1
#define IPC_AUTH_FAILURE	2
#define IPC_AUTH_PARTIAL	3	/* this method passed; more are needed */
#define IPC_AUTH_CHANGEREQ	4	/* expired: SSH_MSG_USERAUTH_PASSWD_CHANGEREQ */
#define IPC_EXIT_STATUS		0
#define IPC_EXIT_SIGNAL		1
#define IPC_SPAWN_STDIN		0
#define IPC_SPAWN_STDOUT	1
#define IPC_SPAWN_STDERR	2
#define IPC_SPAWN_PTY		3
#define IPC_SPAWN_SHELL		0
#define IPC_SPAWN_EXEC		1
#define IPC_SPAWN_SUBSYSTEM	2
#define IPC_SPAWN_ENV_MAX	64	/* env requests kept per channel */
#define IPC_FWD_TCP		0
#define IPC_FWD_UNIX		1

struct ipc_msgdef {
	uint32_t	 md_type;
	const char	*md_name;
	int		 md_dir;	/* IPC_TO_MONITOR or IPC_TO_CHILD */
	unsigned int	 md_phases;	/* IPC_PREAUTH | IPC_POSTAUTH */
	unsigned int	 md_flags;	/* IPC_F_* */
	size_t		 md_max_len;	/* largest payload, bytes */
};

/*
 * What one end of one channel has seen so far.  The monitor keeps one for
 * the IPC channel and one for the log channel; the child may keep its own
 * to check the monitor's messages too.
 */
struct ipc_state {
	unsigned int	st_phase;	/* IPC_PREAUTH or IPC_POSTAUTH */
	int		st_log_channel;	/* 1 on the log socketpair */
	uint64_t	st_seen;	/* bit per type received so far */
	uint64_t	st_seen_preauth; /* bit per type received pre-auth */
};

/* The row for type, or NULL for an unknown type. */
const struct ipc_msgdef *ipc_msgdef(uint32_t type);
/* The name of type ("CONFIG"), or "unknown"; never NULL. */
const char *ipc_msg_name(uint32_t type);

/* A fresh state in the pre-auth phase, for the IPC channel (log_channel
 * 0) or the log channel (1). */
void ipc_state_init(struct ipc_state *st, int log_channel);
/* Pre-auth -> post-auth, after a successful authentication; there is no
 * way back (SSH_ERR_STATE_VIOLATION if already post-auth). */
int ipc_state_postauth(struct ipc_state *st);

/*
 * Checks a received message against the catalogue: direction is where it
 * travels (IPC_TO_MONITOR when the monitor received it), len its payload
 * length, has_fd whether an fd came with it.  Returns 0 and records the
 * message (for ONCE / ONCE_PREAUTH), or without recording anything:
 *	SSH_ERR_STATE_VIOLATION	unknown type, wrong direction, wrong
 *				channel, wrong phase, an fd missing or
 *				unexpected, a repeated once-only message
 *	SSH_ERR_LIMIT_EXCEEDED	len over the type's maximum
 * (Not const, unlike a pure lookup: it remembers once-only messages, so
 * that one call per message cannot be split into a check and a forgotten
 * record.)
 */
int ipc_check(struct ipc_state *st, int direction, uint32_t type,
    size_t len, int has_fd);

#endif
