/*
 * ipc_codec.h: the payload of every monitor <-> child message, as a struct,
 * with the one encoder and decoder both sides use.
 *
 * Each row X(NAME, codec, ...) of ipc_msgs.h has struct ipc_<codec> below
 * and three functions:
 *	int  ipc_enc_<codec>(struct buf *out, const struct ipc_<codec> *v)
 *	int  ipc_dec_<codec>(struct buf *in, struct ipc_<codec> *v)
 *	void ipc_free_<codec>(struct ipc_<codec> *v)
 *	int  ipc_send_<codec>(struct ipc *ipc, const struct ipc_<codec> *v,
 *	         int fd)	(encode and ipc_queue; fd -1 for none)
 * The decoder consumes its input exactly (trailing bytes are an error),
 * fills v with copies the caller releases with ipc_free_<codec> (also on
 * failure, when v holds nothing) and checks each list's count against its
 * bounds; meaning (is that index a host key?) is the handler's to check.
 * Fields marked "secret" are wiped when freed.
 *
 * The wire format is the SSH encoding of protocol/buf.h, in the order of
 * the struct members: u32 and u64 big-endian, bool one byte 0/1, string
 * u32 length + bytes (a C string field may not hold a NUL), a list u32
 * count + the elements.
 */
#ifndef NANOSSH_IPC_CODEC_H
#define NANOSSH_IPC_CODEC_H

#include <stddef.h>
#include <stdint.h>

#include "privsep/ipc_catalogue.h"

struct buf;
struct ipc;

/* A byte string; decoded ones are owned by the struct. */
struct ipc_bytes {
	const uint8_t *p;
	size_t len;
};

/* A counted list of T. */
#define IPC_LIST(T)	struct { uint32_t n; T *v; }

#define IPC_CONFIG_MAX_HOSTKEYS		64
#define IPC_KBDINT_MAX			16	/* prompts and answers a round */
#define IPC_PTY_MAX_MODES		160	/* TTYMODES_MAX */

/* CONFIG (m->c): everything the child needs to run the protocol; it waits
 * for it before talking to the client.  The monitor keeps the private
 * halves of the host keys; keys are named by index. */
struct ipc_hostcert {
	uint32_t hostkey;		/* index into hostkeys */
	struct ipc_bytes blob;
};
struct ipc_config {
	const char *kex, *hostkey_algs, *ciphers, *macs;	/* preference order */
	const char *methods;		/* allowed authentication methods */
	const char *banner;		/* "" for none */
	const char *addr;		/* the client's address */
	uint32_t port;			/* and port */
	uint32_t grace;			/* login grace time, s (0: none) */
	uint32_t max_sessions;		/* global (the user's comes later) */
	uint32_t max_tries;		/* auth.max_tries */
	uint64_t rekey_limit;		/* bytes (0: the ciphers' own limits) */
	uint32_t rekey_interval;	/* s (0: none) */
	int require_pq;			/* crypto.require_pq */
	IPC_LIST(struct ipc_bytes) hostkeys;	/* public blobs, 1..64 */
	IPC_LIST(struct ipc_hostcert) hostcerts; /* at most one per key */
};

/* LOG (c->m, on the log socketpair only). */
struct ipc_log {
	uint32_t level;			/* enum log_level */
	struct ipc_bytes text;		/* <= IPC_LOG_TEXT_MAX; the monitor
					 * escapes it */
};

/* SIGN (c->m): a host-key signature over an exchange hash. */
struct ipc_sign {
	uint32_t hostkey;		/* index */
	const char *alg;		/* signature algorithm */
	const char *kex;		/* the exchange's method */
	struct ipc_bytes data;		/* its hash: the method's length */
};
/* SIGN_REPLY (m->c). */
struct ipc_sign_reply {
	struct ipc_bytes sig;
};

/* HOSTKEYS_PROVE (c->m): hostkeys-prove-00@openssh.com; the monitor
 * builds the signed data itself from the session id. */
struct ipc_hostkeys_prove {
	IPC_LIST(uint32_t) hostkeys;	/* indexes, 1..64 */
};
/* HOSTKEYS_PROVE_REPLY (m->c): one signature per index, same order. */
struct ipc_hostkeys_prove_reply {
	IPC_LIST(struct ipc_bytes) sigs;
};

/* AUTH_PUBKEY (c->m): the monitor builds the signed data itself (RFC 4252
 * section 7) from its session id and these fields. */
struct ipc_auth_pubkey {
	const char *user, *service;
	struct ipc_bytes key;		/* public key blob */
	const char *alg;		/* signature algorithm */
	int hostbound;			/* publickey-hostbound-v00@openssh.com */
	/* With hostbound: i for host key i, or the number of host keys + i
	 * when the client bound its signature to key i's certificate. */
	uint32_t hostkey;
	int query;			/* no signature: may this key be used? */
	struct ipc_bytes sig;		/* empty for a query */
};

/* AUTH_REPLY (m->c): the answer to every AUTH_* request that is not
 * continued by KBDINT_PROMPTS; the monitor moves to IPC_PH_SESSION after
 * sending a success, the child after reading it. */
struct ipc_auth_reply {
	uint32_t result;		/* IPC_AUTH_* */
	/* The methods that can continue (failure, partial), or the prompt
	 * for IPC_AUTH_CHANGEREQ. */
	const char *text;
};

/* SPAWN_EXEC (c->m): run a command as the user. */
struct ipc_env {
	const char *name, *value;
};
struct ipc_spawn_exec {
	uint32_t tag;			/* the child's (its channel id), echoed */
	uint32_t kind;			/* IPC_SPAWN_SHELL, _EXEC, _SUBSYSTEM */
	const char *command;		/* or subsystem name; "" for a shell */
	int pty;			/* on this tag's PTY_REQ pty */
	int x11;			/* with this tag's X11_REQ display */
	IPC_LIST(struct ipc_env) env;	/* "env" requests, <= IPC_SPAWN_ENV_MAX;
					 * checked against accept_env again */
};
/* SPAWN_RESULT (m->c).  On success three SPAWN_FD messages follow: stdin,
 * stdout and stderr, or with a pty stdin, stdout and IPC_SPAWN_PTY, each
 * a copy of the pty master. */
struct ipc_spawn_result {
	uint32_t tag;
	uint32_t status;		/* 0, or a negative SSH_ERR_* */
	uint32_t handle;		/* 0 on failure */
};
/* SPAWN_FD (m->c, carries exactly one fd). */
struct ipc_spawn_fd {
	uint32_t handle;
	uint32_t which;			/* IPC_SPAWN_STDIN .. IPC_SPAWN_PTY */
};
/* CHILD_EXIT (m->c): a spawned command ended. */
struct ipc_child_exit {
	uint32_t handle;
	uint32_t kind;			/* IPC_EXIT_STATUS or IPC_EXIT_SIGNAL */
	uint32_t status;		/* for IPC_EXIT_STATUS, else 0 */
	const char *signame;		/* without "SIG"; "" unless a signal */
	int core;
};

/* AUTH_PASSWORD (c->m). */
struct ipc_auth_password {
	const char *user, *service;
	struct ipc_bytes password;	/* secret */
};
/* AUTH_KBDINT (c->m): a new keyboard-interactive exchange (no answers)
 * or the answers to the last KBDINT_PROMPTS. */
struct ipc_auth_kbdint {
	const char *user, *service;
	IPC_LIST(struct ipc_bytes) answers;	/* secret, <= IPC_KBDINT_MAX */
};
/* KBDINT_PROMPTS (m->c): the next round of prompts. */
struct ipc_prompt {
	const char *text;
	int echo;
};
struct ipc_kbdint_prompts {
	const char *name, *instruction;
	IPC_LIST(struct ipc_prompt) prompts;	/* 1..IPC_KBDINT_MAX */
};
/* AUTH_PASSWORD_CHANGE (c->m): the client's change request after an
 * AUTH_REPLY of IPC_AUTH_CHANGEREQ (RFC 4252 8). */
struct ipc_auth_password_change {
	const char *user, *service;
	struct ipc_bytes password;	/* secret */
	struct ipc_bytes newpassword;	/* secret */
};

/* SESSION_CONFIG (m->c): the user's effective session settings, right
 * after the AUTH_REPLY of success; the child handles no channel before. */
struct ipc_session_config {
	const char *accept_env;		/* patterns, comma-separated */
	uint32_t max_sessions;
	uint32_t max_session_time;	/* s (0: none), and so on */
	uint32_t idle_timeout;
	uint32_t keepalive_interval;
	uint32_t keepalive_count_max;
};

/* PTY_REQ (c->m): the pty for the session that the next SPAWN_EXEC with
 * this tag starts; a second one for a tag replaces the first. */
struct ipc_ttymode {
	uint32_t opcode, value;		/* as protocol/ttymodes.c parsed them */
};
struct ipc_pty_req {
	uint32_t tag;
	const char *term;
	uint32_t cols, rows, width_px, height_px;
	IPC_LIST(struct ipc_ttymode) modes;	/* <= IPC_PTY_MAX_MODES */
};
/* PTY_RESULT (m->c). */
struct ipc_pty_result {
	uint32_t tag;
	uint32_t status;		/* 0, or a negative SSH_ERR_* */
};

/* SESSION_SIGNAL, _BREAK, _CLOSE (c->m): for a running session (handles
 * that already ended are ignored: the exit and the request may cross). */
struct ipc_session_signal {
	uint32_t handle;
	const char *signame;		/* RFC 4254 6.10 names, without "SIG" */
};
struct ipc_session_break {
	uint32_t handle;
	uint32_t ms;			/* RFC 4335 break length */
};
struct ipc_session_close {
	uint32_t handle;		/* SIGHUP to it, the pty released */
};

/* FWD_OPEN (c->m): a direct-tcpip or direct-streamlocal channel; the
 * monitor checks the rules and a helper running as the user connects. */
struct ipc_fwd_open {
	uint32_t tag;
	uint32_t kind;			/* IPC_FWD_TCP or IPC_FWD_UNIX */
	const char *host;		/* or socket path */
	uint32_t port;			/* 0 for a socket path */
	const char *orig_addr;		/* originator, for the log */
	uint32_t orig_port;
};
/* FWD_LISTEN (c->m): tcpip-forward or streamlocal-forward; a helper
 * running as the user binds and listens. */
struct ipc_fwd_listen {
	uint32_t tag;
	uint32_t kind;
	const char *host;		/* as the client gave it, or a path */
	uint32_t port;			/* 0: any free port */
};
/* FWD_SOCKET (m->c, carries exactly one fd): a granted FWD_OPEN (a
 * connected socket) or FWD_LISTEN (a listening socket). */
struct ipc_fwd_socket {
	uint32_t tag;
	uint32_t port;			/* bound (FWD_LISTEN over TCP), else 0 */
};
/* FWD_REFUSED (m->c). */
struct ipc_fwd_refused {
	uint32_t tag;
	uint32_t reason;		/* SSH2_OPEN_* (RFC 4254 5.1) */
	const char *description;
};
/* CONN_INFO (c->m): what nanosshctl shows; the monitor checks each name
 * (common/sessrec.h) and decides nothing on any of it. */
struct ipc_conn_info {
	const char *kex, *hostkey, *cipher, *mac;	/* "" while unknown */
	uint64_t bytes_in, bytes_out;
	uint32_t channels;
	uint32_t idle_s;
};
/* ADMIN (m->c): an administrator's command (nanosshctl). */
#define IPC_ADMIN_DISCONNECT	1	/* DISCONNECT, with reason */
#define IPC_ADMIN_REKEY		2	/* a key re-exchange now */
#define IPC_ADMIN_PING		3	/* a timed keepalive */
struct ipc_admin {
	uint32_t cmd;
	const char *reason;		/* DISCONNECT: printable, bounded */
	uint32_t token;			/* PING: for its PING_RESULT */
};
/* PING_RESULT (c->m): the client answered the ADMIN PING of token. */
struct ipc_ping_result {
	uint32_t token;
	uint32_t ms;			/* round trip */
};

/* X11_REQ (c->m): a session's x11-req (protocol/x11req.h), before its
 * command starts; the monitor decides, a helper running as the user
 * listens and runs xauth. */
struct ipc_x11_req {
	uint32_t tag;			/* the session channel */
	int single;
	const char *proto;
	const char *cookie;		/* hex */
	uint32_t screen;
};
/* X11_RESULT (m->c): the answer.  A granted request's listening sockets
 * came before it as FWD_SOCKET, tag IPC_FWD_X11_TAG | the channel. */
struct ipc_x11_result {
	uint32_t tag;
	uint32_t status;		/* 0, or a negative SSH_ERR_* */
	uint32_t display;		/* granted: the display number */
};
#define IPC_FWD_X11_TAG		0x40000000u
/* AGENT_LISTEN (c->m): auth-agent-req@openssh.com on a session channel;
 * a helper running as the user makes the agent socket (SSH_AUTH_SOCK),
 * the answer is FWD_SOCKET (the listening socket) or FWD_REFUSED. */
struct ipc_agent_listen {
	uint32_t tag;
};

/* RSA_KEX_PUBKEY (c->m): K_T for an RSA key exchange (RFC 4432) of this
 * method; opens that exchange in the monitor. */
struct ipc_rsa_kex_pubkey {
	const char *kex;
};
/* RSA_KEX_PUBKEY_REPLY (m->c). */
struct ipc_rsa_kex_pubkey_reply {
	struct ipc_bytes key;		/* ssh-rsa public key blob */
};
/* RSA_KEX_DECRYPT (c->m): the client's KEXRSA_SECRET, once per
 * exchange. */
struct ipc_rsa_kex_decrypt {
	const char *kex;
	struct ipc_bytes ct;		/* RSAES-OAEP ciphertext */
};
/* RSA_KEX_DECRYPT_REPLY (m->c): K, or ok 0 (and no K) for a ciphertext
 * that did not decrypt to a valid secret: the exchange has failed. */
struct ipc_rsa_kex_decrypt_reply {
	int ok;
	struct ipc_bytes k;		/* secret: the mpint K */
};

#define IPC_CODEC_DECLARE(name, codec, dir, phases, flags, cap, fn)	\
	int ipc_enc_##codec(struct buf *out, const struct ipc_##codec *v); \
	int ipc_dec_##codec(struct buf *in, struct ipc_##codec *v);	\
	void ipc_free_##codec(struct ipc_##codec *v);			\
	int ipc_send_##codec(struct ipc *ipc, const struct ipc_##codec *v, \
	    int fd);
IPC_MESSAGES(IPC_CODEC_DECLARE)
#undef IPC_CODEC_DECLARE

/*
 * The same by message type, for code that walks the catalogue (tests,
 * fuzzers): msg points to the struct of type's row.  ipc_msg_size is 0
 * for an unknown type, and the others then return
 * SSH_ERR_INVALID_ARGUMENT or do nothing.
 */
size_t ipc_msg_size(uint32_t type);
int ipc_encode(uint32_t type, const void *msg, struct buf *out);
int ipc_decode(uint32_t type, struct buf *in, void *msg);
void ipc_msg_free(uint32_t type, void *msg);

#endif
