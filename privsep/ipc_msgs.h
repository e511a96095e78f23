/*
 * ipc_msgs.h: the rows of the monitor <-> child message catalogue, one per
 * message, everything about it in one place.
 *
 * A row is X(NAME, codec, direction, phases, flags, size cap, handler):
 *   NAME       IPC_MSG_NAME in enum ipc_msg_type, "NAME" in logs
 *   codec      its payload: struct ipc_<codec> and the typed pair
 *              ipc_enc_<codec> / ipc_dec_<codec> of ipc_codec.h
 *   direction  TO_MONITOR, TO_CHILD, or TO_MONITOR_LOG for the one
 *              message of the log socketpair
 *   phases     when it may travel (IPC_PH_* of ipc_catalogue.h)
 *   flags      IPC_F_* (0 for none)
 *   size cap   the largest payload, bytes (each at most IPC_MAX_PAYLOAD)
 *   handler    the receiver's function: mon_* for TO_MONITOR rows
 *              (monitor_local.h), child_* for TO_CHILD rows
 *              (child_local.h); LOG's is logch_recv (log_channel.h),
 *              which the monitor runs on the log socketpair
 *
 * Adding a message is one row here (at the end: the numbers are the
 * order), one struct and field table in ipc_codec.c/.h, one handler, and
 * a sample in tests/unit/check_ipc_codec.c.  The rows expand into the
 * enum, the policy table (ipc_catalogue.c) and each side's dispatch table,
 * so none of them can forget a message.
 *
 * Sizes: signatures are at most a few KiB (RSA 16384: 2 KiB plus the
 * algorithm name); key blobs and certificates stay well under 32 KiB;
 * forwarding names are at most 255 bytes (fwdmsg.h); PTY_REQ is TERM,
 * four sizes and at most TTYMODES_MAX (160) modes of 8 bytes.
 */
#ifndef NANOSSH_IPC_MSGS_H
#define NANOSSH_IPC_MSGS_H

#define IPC_MESSAGES(X)							\
	X(CONFIG, config, TO_CHILD, IPC_PH_KEX, IPC_F_ONCE,		\
	    128 * 1024, child_recv_config)				\
	X(LOG, log, TO_MONITOR_LOG, IPC_ANYPHASE, IPC_F_LOG_CHANNEL,	\
	    4 + 4 + IPC_LOG_TEXT_MAX, logch_recv)			\
	/* The first signature is the initial key exchange's and moves	\
	 * both sides to IPC_PH_AUTH; after authentication, rekeys. */	\
	X(SIGN, sign, TO_MONITOR, IPC_PH_KEX | IPC_PH_SESSION, 0,	\
	    512, mon_sign)						\
	X(SIGN_REPLY, sign_reply, TO_CHILD, IPC_PH_KEX | IPC_PH_SESSION,\
	    0, 8 * 1024, child_recv_sign_reply)				\
	X(HOSTKEYS_PROVE, hostkeys_prove, TO_MONITOR, IPC_PH_SESSION,	\
	    IPC_F_ONCE, 4 + 4 * 64, mon_prove)				\
	X(HOSTKEYS_PROVE_REPLY, hostkeys_prove_reply, TO_CHILD,	\
	    IPC_PH_SESSION, IPC_F_ONCE, 128 * 1024,			\
	    child_recv_prove_reply)					\
	X(AUTH_PUBKEY, auth_pubkey, TO_MONITOR, IPC_PH_AUTH,		\
	    IPC_F_AUTH_DECIDING, 64 * 1024, mon_auth_pubkey)		\
	X(AUTH_REPLY, auth_reply, TO_CHILD, IPC_PH_AUTH, 0, 1024,	\
	    child_recv_auth_reply)					\
	/* A command, and IPC_SPAWN_ENV_MAX variables of a few KiB. */	\
	X(SPAWN_EXEC, spawn_exec, TO_MONITOR, IPC_PH_SESSION, 0,	\
	    256 * 1024, mon_spawn)					\
	X(SPAWN_RESULT, spawn_result, TO_CHILD, IPC_PH_SESSION, 0, 64,	\
	    child_recv_spawn_result)					\
	X(SPAWN_FD, spawn_fd, TO_CHILD, IPC_PH_SESSION,		\
	    IPC_F_CARRIES_FD, 64, child_recv_spawn_fd)			\
	X(CHILD_EXIT, child_exit, TO_CHILD, IPC_PH_SESSION, 0, 128,	\
	    child_recv_child_exit)					\
	/* Passwords and answers: a few KiB is far beyond any real one. */\
	X(AUTH_PASSWORD, auth_password, TO_MONITOR, IPC_PH_AUTH,	\
	    IPC_F_AUTH_DECIDING, 8 * 1024, mon_auth_password)		\
	X(AUTH_KBDINT, auth_kbdint, TO_MONITOR, IPC_PH_AUTH,		\
	    IPC_F_AUTH_DECIDING, 32 * 1024, mon_auth_kbdint)		\
	X(KBDINT_PROMPTS, kbdint_prompts, TO_CHILD, IPC_PH_AUTH, 0,	\
	    32 * 1024, child_recv_kbdint_prompts)			\
	X(AUTH_PASSWORD_CHANGE, auth_password_change, TO_MONITOR,	\
	    IPC_PH_AUTH, IPC_F_AUTH_DECIDING, 16 * 1024,		\
	    mon_auth_password_change)					\
	X(SESSION_CONFIG, session_config, TO_CHILD, IPC_PH_SESSION,	\
	    IPC_F_ONCE, 16 * 1024, child_recv_session_config)		\
	X(PTY_REQ, pty_req, TO_MONITOR, IPC_PH_SESSION, 0,		\
	    4 + 4 + 256 + 16 + 4 + 160 * 8, mon_pty_req)		\
	X(PTY_RESULT, pty_result, TO_CHILD, IPC_PH_SESSION, 0, 8,	\
	    child_recv_pty_result)					\
	X(SESSION_SIGNAL, session_signal, TO_MONITOR, IPC_PH_SESSION, 0,\
	    64, mon_session_signal)					\
	X(SESSION_BREAK, session_break, TO_MONITOR, IPC_PH_SESSION, 0,	\
	    8, mon_session_break)					\
	X(SESSION_CLOSE, session_close, TO_MONITOR, IPC_PH_SESSION, 0,	\
	    4, mon_session_close)					\
	X(FWD_OPEN, fwd_open, TO_MONITOR, IPC_PH_SESSION, 0, 1024,	\
	    mon_fwd_open)						\
	X(FWD_LISTEN, fwd_listen, TO_MONITOR, IPC_PH_SESSION, 0, 512,	\
	    mon_fwd_listen)						\
	X(FWD_SOCKET, fwd_socket, TO_CHILD, IPC_PH_SESSION,		\
	    IPC_F_CARRIES_FD, 64, child_recv_fwd_socket)		\
	X(FWD_REFUSED, fwd_refused, TO_CHILD, IPC_PH_SESSION, 0, 512,	\
	    child_recv_fwd_refused)					\
	/* x11-req: the cookie is at most X11REQ_COOKIE_MAX hex digits,	\
	 * the protocol name X11REQ_PROTO_MAX bytes. */			\
	X(X11_REQ, x11_req, TO_MONITOR, IPC_PH_SESSION, 0,		\
	    4 + 1 + 4 + 64 + 4 + 512 + 4, mon_x11_req)			\
	X(X11_RESULT, x11_result, TO_CHILD, IPC_PH_SESSION, 0, 12,	\
	    child_recv_x11_result)					\
	/* Agent forwarding: answered by FWD_SOCKET or FWD_REFUSED. */	\
	X(AGENT_LISTEN, agent_listen, TO_MONITOR, IPC_PH_SESSION,	\
	    IPC_F_ONCE, 8, mon_agent_listen)				\
	/* nanosshctl: the child's algorithm names and counters, for	\
	 * display only (at most one a second); commands for it. */	\
	X(CONN_INFO, conn_info, TO_MONITOR, IPC_ANYPHASE, 0, 512,	\
	    mon_conn_info)						\
	X(ADMIN, admin, TO_CHILD, IPC_ANYPHASE, 0, 256,		\
	    child_recv_admin)						\
	X(PING_RESULT, ping_result, TO_MONITOR, IPC_PH_SESSION, 0, 8,	\
	    mon_ping_result)						\
	/* RSA key exchange (RFC 4432): the transient key K_T (a blob of	\
	 * at most a few hundred bytes), then one decryption of the	\
	 * client's secret (KEX_RSA_SECRET_MAX, 256 bytes, and K below	\
	 * 2048 bits). */						\
	X(RSA_KEX_PUBKEY, rsa_kex_pubkey, TO_MONITOR,			\
	    IPC_PH_KEX | IPC_PH_SESSION, 0, 64, mon_rsa_kex_pubkey)	\
	X(RSA_KEX_PUBKEY_REPLY, rsa_kex_pubkey_reply, TO_CHILD,	\
	    IPC_PH_KEX | IPC_PH_SESSION, 0, 1024,			\
	    child_recv_rsa_kex_pubkey_reply)				\
	X(RSA_KEX_DECRYPT, rsa_kex_decrypt, TO_MONITOR,		\
	    IPC_PH_KEX | IPC_PH_SESSION, 0, 64 + 4 + 256,		\
	    mon_rsa_kex_decrypt)					\
	X(RSA_KEX_DECRYPT_REPLY, rsa_kex_decrypt_reply, TO_CHILD,	\
	    IPC_PH_KEX | IPC_PH_SESSION, 0, 4 + 4 + 256,		\
	    child_recv_rsa_kex_decrypt_reply)

/*
 * For a side's dispatch table: IPC_HANDLER_FOR_<side>_<direction>(name,
 * handler) is a designated initializer for the rows that side receives
 * and nothing for the others (whose handlers it does not link).
 */
#define IPC_HANDLER_FOR_MONITOR_TO_MONITOR(name, fn)	[IPC_MSG_##name] = fn,
#define IPC_HANDLER_FOR_MONITOR_TO_CHILD(name, fn)
#define IPC_HANDLER_FOR_MONITOR_TO_MONITOR_LOG(name, fn)
#define IPC_HANDLER_FOR_CHILD_TO_CHILD(name, fn)	[IPC_MSG_##name] = fn,
#define IPC_HANDLER_FOR_CHILD_TO_MONITOR(name, fn)
#define IPC_HANDLER_FOR_CHILD_TO_MONITOR_LOG(name, fn)

#endif
