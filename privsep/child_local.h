/*
 * child_local.h: the protocol child's state, shared by its parts and by
 * nothing else: child.c (the poll loop, the socket, timers),
 * child_monitor.c (requests to the monitor and its answers) and
 * child_session.c (session channels and the user's processes' fds).
 * Not an API.
 */
#ifndef NANOSSH_CHILD_LOCAL_H
#define NANOSSH_CHILD_LOCAL_H

#include <stddef.h>
#include <stdint.h>

#include "common/sessrec.h"
#include "privsep/ipc_catalogue.h"
#include "privsep/pty.h"
#include "protocol/conn.h"

struct buf;
struct chan_event;
struct chan_req;
struct chan_table;
struct conn_event;
struct sshcert;
struct sshkey;

#define CHILD_MAX_CHANS		64
#define CHILD_IO_CHUNK		(32 * 1024)
#define CHILD_READ_CHUNK	(64 * 1024)
/* How long after authentication the login's requests (session, exec,
 * pty) still get quick acknowledgements (child.c). */
#define CHILD_QUICKACK_MS	2000
#define CHILD_PUMP_READS	8	/* reads of one fd per poll */
/* How long a closing connection may take to hand over its last words. */
#define CHILD_LINGER_MS		2000
#define CHILD_CONFIG_WAIT_MS	10000

/* Bounds on what "env" requests may make the child keep per channel. */
#define CHILD_ENV_NAME_MAX	256
#define CHILD_ENV_VALUE_MAX	4096

/* fd[] slots: the SPAWN_FD "which" numbers. */
#define CFD_STDIN	0
#define CFD_STDOUT	1
#define CFD_STDERR	2
#define CFD_PTY		3	/* the pty master, for TIOCSWINSZ */
#define CFD_N		4

struct cchan {
	int used;
	uint32_t id;
	int session;		/* a "session" channel (max_sessions) */
	int fd[CFD_N];		/* command's stdin (we write), stdout, stderr,
				 * pty master */
	uint32_t handle;	/* the monitor's name for the command, 0: none */
	int fds_missing;	/* SPAWN_FD messages still to come */
	int pty;		/* the monitor allocated a pty for it */
	struct pty_size size;	/* its latest window size */
	char *env_name[IPC_SPAWN_ENV_MAX], *env_value[IPC_SPAWN_ENV_MAX];
	size_t nenv;
	int client_eof;
	int exited;
	uint32_t exit_kind, exit_status;
	char signame[32];
	int core;
	int finished;		/* EOF, exit status and CLOSE sent */
	int x11;		/* an X11 display was granted */
};

struct child {
	struct ssh_conn *conn;
	struct ipc *ipc;
	struct ipc *log;
	struct ipc_state st;
	int sock;
	struct conn_settings set;
	char *kex, *hkalgs, *ciphers, *macs, *methods, *banner, *addr;
	uint32_t port, grace, maxchan, max_tries, rekey_interval;
	int require_pq;
	uint64_t rekey_limit;
	struct sshkey **hostkeys;
	size_t nhostkeys;
	struct sshcert **hostcerts;	/* by host key index, NULL for none */
	int authed;
	/* SESSION_CONFIG: the user's session settings (0 values: none). */
	int sess_cfg;
	char **accept_env;
	size_t naccept_env;
	uint32_t max_sessions, max_session_time, idle_timeout;
	uint32_t ka_interval, ka_count_max;
	uint64_t auth_time;		/* when authentication succeeded */
	uint64_t last_data;		/* channel data either way (idle) */
	uint64_t ka_deadline;		/* next keepalive probe */
	uint32_t ka_missed;		/* probes without an answer */
	uint64_t bytes_in, bytes_out;	/* on the socket */
	int spawn_pending;	/* a SPAWN_EXEC or PTY_REQ awaits its result */
	int prove_pending;	/* a HOSTKEYS_PROVE awaits its signatures */
	uint64_t grace_deadline;
	uint64_t linger_deadline;
	struct cchan ch[CHILD_MAX_CHANS];
	struct cfwd *fwd;	/* port forwarding, once authenticated */
	/* CONN_INFO (child_admin.c): what was last sent, and when the
	 * next may go (info_due: a change waits for then, 0: none). */
#define CHILD_INFO_NAMES	4
	char info_names[CHILD_INFO_NAMES][SESSREC_NAME_MAX + 1];
	uint64_t info_in, info_out;
	uint32_t info_chans;
	int info_sent;
	uint64_t info_next, info_due;
	/* Global requests with want_reply sent and answered (in order,
	 * RFC 4254 4), and the administrator's ping among them. */
	uint64_t globals_sent, globals_answered;
	int ping_pending;
	uint64_t ping_seq, ping_start;
	uint32_t ping_token;
	int outcome;
};

/* child.c */
void child_log(struct child *c, int level, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
/* The user the client named, or "", for log lines. */
const char *child_who(struct child *c);

/* child_monitor.c: requests to the monitor; each answer comes through
 * child_handle_ipc to a handler of the catalogue's TO_CHILD rows. */
int child_receive_config(struct child *c);
int child_handle_ipc(struct child *c);
int child_send_sign(struct child *c, const struct conn_event *ev);
int child_send_auth_pubkey(struct child *c, const struct conn_event *ev);
int child_send_auth_password(struct child *c, const struct conn_event *ev);
int child_send_auth_kbdint(struct child *c, const struct conn_event *ev);
int child_send_prove(struct child *c, struct chan_table *t,
    const struct chan_event *ev);
int child_send_spawn(struct child *c, struct cchan *ch, uint32_t kind,
    const char *command);
int child_send_pty_req(struct child *c, struct cchan *ch,
    const struct chan_req *q);
int child_send_session_ctl(struct child *c, uint32_t type, struct cchan *ch,
    const char *signame, uint32_t ms);
int child_recv_config(struct child *c, struct buf *m, int *fdp);
int child_recv_sign_reply(struct child *c, struct buf *m, int *fdp);
int child_send_rsa_kex(struct child *c, const struct conn_event *ev);
int child_recv_rsa_kex_pubkey_reply(struct child *c, struct buf *m,
    int *fdp);
int child_recv_rsa_kex_decrypt_reply(struct child *c, struct buf *m,
    int *fdp);
int child_recv_auth_reply(struct child *c, struct buf *m, int *fdp);
int child_recv_kbdint_prompts(struct child *c, struct buf *m, int *fdp);
int child_recv_prove_reply(struct child *c, struct buf *m, int *fdp);
int child_recv_spawn_result(struct child *c, struct buf *m, int *fdp);
int child_recv_pty_result(struct child *c, struct buf *m, int *fdp);
int child_recv_session_config(struct child *c, struct buf *m, int *fdp);
int child_recv_spawn_fd(struct child *c, struct buf *m, int *fdp);
int child_recv_child_exit(struct child *c, struct buf *m, int *fdp);
int child_recv_fwd_socket(struct child *c, struct buf *m, int *fdp);
int child_recv_fwd_refused(struct child *c, struct buf *m, int *fdp);

/* child_x11.c: x11-req, checked and sent to the monitor (or refused);
 * X11_RESULT answers it. */
struct x11req;
int child_x11_request(struct child *c, struct cchan *ch,
    const struct x11req *q);
int child_recv_x11_result(struct child *c, struct buf *m, int *fdp);
/* child_admin.c: CONN_INFO when something changed (at most once a
 * second; info_due says when a held-back one may go), and ADMIN. */
void child_report(struct child *c, uint64_t now);
int child_recv_admin(struct child *c, struct buf *m, int *fdp);
/* A reply to one of our global requests came: the ping's, maybe. */
int child_global_answered(struct child *c);

/* child_session.c */
struct cchan *child_chan_by_id(struct child *c, uint32_t id);
struct cchan *child_chan_by_handle(struct child *c, uint32_t handle);
void cchan_release(struct cchan *ch);
void child_free_accept_env(struct child *c);
int child_handle_chan_events(struct child *c);
void child_pump_stdin(struct child *c, struct chan_table *t,
    struct cchan *ch);
int child_pump_output(struct child *c, struct chan_table *t,
    struct cchan *ch, int which);
int child_finish_channel(struct child *c, struct chan_table *t,
    struct cchan *ch);

#endif
