/*
 * monitor_local.h: the monitor's state, shared by its parts and by nothing
 * else: monitor.c (the loop, the child, dispatch), monitor_hostkey.c
 * (signatures), monitor_auth.c and monitor_password.c (authentication)
 * and monitor_session.c (what runs after it: ptys, the user's sessions,
 * the file services, signals).  Not an API.
 */
#ifndef NANOSSH_MONITOR_LOCAL_H
#define NANOSSH_MONITOR_LOCAL_H

#include <sys/types.h>
#include <pwd.h>
#include <stddef.h>
#include <stdint.h>

#include "common/sessrec.h"
#include "common/tokens.h"
#include "privsep/ipc.h"
#include "privsep/monitor_fwd.h"
#include "privsep/pty.h"
#include "privsep/usergroups.h"

struct authkeys_entry;
struct buf;
struct cfg_settings;
struct kex_alg;
struct monfwd;
struct pamconv;
struct pwpam;
struct sshkey;

#define MON_MAX_HANDLES		64
/* A child's log lines: enough for a verbose session, too few to fill a
 * disk (a compromised child writes what it likes, as often as it can). */
#define MON_LOG_BURST		200
#define MON_LOG_PER_SEC		20
/* Post-auth host-key signatures are for rekeys: a bucket of this many,
 * refilled at this rate.  The rate cannot make SIGN less of an oracle
 * (one signature is all a forged exchange needs); it bounds the signing
 * work a child can cause and how fast it could harvest signatures.  It
 * must not be below what a legitimate client may ask for: the client
 * picks its own RekeyLimit (OpenSSH takes anything from 16 bytes), and
 * "RekeyLimit=1M" over a fast link rekeys dozens of times a second
 * (tests/test_exec.py moves 64 MiB that way), while the server's own
 * schedule is at most one per crypto.rekey_interval second.  100 at once
 * and 10 a second carry such bursts and stay far below what signing can
 * do (thousands a second with Ed25519). */
#define MON_SIGN_BURST		100
#define MON_SIGN_PER_SEC	10
#define MON_MAX_STEPS		8	/* methods in one auth.methods sequence */

/* A running session: its process (the leader of its own session and
 * process group) and, with a pty, the master and the login record. */
struct mon_handle {
	uint32_t id;
	uint32_t tag;		/* the child's channel */
	pid_t pid;
	struct pty pty;
	int utmp;
	int no_signals;		/* a forced command, subsystem or file service */
};

/* A pty allocated by PTY_REQ, waiting for the SPAWN_EXEC of its tag. */
struct mon_pty {
	int used;
	uint32_t tag;
	struct pty pty;
	char *term;
};

struct mon {
	const struct monitor_params *p;
	const struct cfg_settings *gs;	/* before the user is known: pre */
	struct cfg_settings *pre;	/* global + blocks matched by address */
	struct ipc *ipc;
	struct ipc *log;
	struct ipc_state st;
	struct ipc_state logst;
	pid_t child;
	int sigfd;
	struct buf *session_id;
	int authed;
	struct passwd pw;		/* the authenticated user, copied */
	struct cfg_settings *eff;	/* their effective settings */
	char *passed[MON_MAX_STEPS];	/* methods passed so far (multi-factor) */
	struct cfg_settings *partial_eff; /* the user's, after a partial pass */
	size_t npassed;
	struct authkeys_entry *authkey;	/* key options, every key intersected */
	char *forced;			/* command="" or force-command */
	char *auth_user;		/* fixed by the first request ... */
	char *auth_service;		/* ... for the whole connection */
	struct buf *used_keys[MON_MAX_STEPS]; /* keys that passed a step */
	size_t nused;
	unsigned int failures;		/* FAILURE answers sent */
	unsigned int changereqs;	/* new passwords refused */
	uint64_t grace_deadline;
	struct mon_handle handles[MON_MAX_HANDLES];
	struct mon_pty ptys[MON_MAX_HANDLES];
	uint32_t next_handle;
	int pty_denied;			/* a certificate without permit-pty */
	struct pwpam *pam_sess;		/* PAM session (auth.password_backend pam) */
	int pam_sess_tried;
	int pam_sess_refused;		/* as root: no session may start */
	char **pam_env;			/* its environment, NULL-ended */
	char *pam_msg;			/* what its modules said (motd) */
	/* RSA key exchange: the transient keys, by method (0: rsa2048-sha256,
	 * 1: rsa1024-sha1), made at first use and again after
	 * crypto.rsa_kex_key_lifetime; the method of the exchange open
	 * between PUBKEY and DECRYPT, then of the one decrypted until its
	 * SIGN; and whether a decryption failed (no more RSA exchanges). */
	struct sshkey *rsa_key[2];	/* held in secrets.h's set too */
	uint64_t rsa_key_made[2];	/* monotime_ms */
	const struct kex_alg *rsa_open;
	const struct kex_alg *rsa_decrypted;
	int rsa_failed;
	uint32_t sign_hostkey;		/* the first exchange's key ... */
	char *sign_alg;			/* ... and algorithm: the rekeys' */
	double sign_tokens;
	uint64_t sign_refill;
	uint64_t auth_started;		/* when the current request came */
	struct buf *delayed;		/* a failure held back until ... */
	uint64_t delayed_until;		/* ... then (0: none) */
	struct pamconv *pam;		/* keyboard-interactive via PAM */
	char *pam_user;
	size_t pam_prompts;		/* answers the helper waits for */
	struct monfwd *fwd;		/* port forwarding helpers */
	int cert_no_portfwd;		/* a certificate without permit-port-forwarding */
	int cert_no_x11;		/* ... without permit-X11-forwarding */
	int cert_no_agent;		/* ... without permit-agent-forwarding */
	struct monfwd_x11 x11[MON_MAX_HANDLES];	/* granted x11-reqs */
	int ipc_closed;
	int log_closed;			/* EOF or nonsense on the log channel */
	struct tokens log_rate;		/* child log lines allowed */
	uint64_t log_dropped;		/* ... and those over the rate */
	uint64_t started;		/* monotime_ms at the start */
	/* nanosshctl (monitor_status.c). */
	struct sessrec_info info;	/* what the listener is told */
	uint64_t info_sent;		/* when last (0: never) */
	uint64_t info_due;		/* a held-back one goes then */
	uint64_t admin_deadline;	/* a DISCONNECT ends it by then */
	int status_closed;		/* the listener went away */
	uint32_t ping_token;		/* an ADMIN PING in flight ... */
	int ping_pending;		/* ... whose result is awaited */
	int done;
	int outcome;
};


/* mon_method_passed, mon_account_check: the account may not log in
 * (logged); the caller answers with a failure. */
#define MON_REFUSED	1

struct strlist;

/*
 * The handlers of the catalogue's TO_MONITOR rows (ipc_msgs.h), each
 * called with a message that passed ipc_check.  0, or an error that ends
 * the connection (violation() when the child broke the rules).
 */
int mon_sign(struct mon *m, struct buf *req);
int mon_prove(struct mon *m, struct buf *req);
/* monitor_rsakex.c: RSA key exchange (RFC 4432). */
int mon_rsa_kex_pubkey(struct mon *m, struct buf *req);
int mon_rsa_kex_decrypt(struct mon *m, struct buf *req);
/* SIGN for an exchange of method kex: 0 if the RSA exchange state allows
 * it (an RSA method's signature needs that exchange's decryption, any
 * other none open); closes the exchange. */
int mon_rsa_kex_sign_ok(struct mon *m, const struct kex_alg *kex);
void mon_rsa_kex_free(struct mon *m);
int mon_auth_pubkey(struct mon *m, struct buf *req);
int mon_auth_password(struct mon *m, struct buf *req);
int mon_auth_password_change(struct mon *m, struct buf *req);
int mon_auth_kbdint(struct mon *m, struct buf *req);
int mon_pty_req(struct mon *m, struct buf *req);
int mon_spawn(struct mon *m, struct buf *req);
int mon_session_signal(struct mon *m, struct buf *req);
int mon_session_break(struct mon *m, struct buf *req);
int mon_session_close(struct mon *m, struct buf *req);
int mon_fwd_open(struct mon *m, struct buf *req);
int mon_fwd_listen(struct mon *m, struct buf *req);
int mon_x11_req(struct mon *m, struct buf *req);
int mon_agent_listen(struct mon *m, struct buf *req);
int mon_conn_info(struct mon *m, struct buf *req);
int mon_ping_result(struct mon *m, struct buf *req);

/* monitor_status.c */
/* Authentication succeeded: the listener learns user and method now. */
void mon_status_authenticated(struct mon *m, const char *last_method);
/* Sends a held-back INFO record when its time has come; returns when
 * the next is due (0: none). */
uint64_t mon_status_tick(struct mon *m, uint64_t now);
/* Commands from the listener on the status socketpair, for the child:
 * 0 or an error of sending them. */
int mon_status_read(struct mon *m);

/* monitor.c */
/* Ends the connection because the child broke the rules. */
int violation(struct mon *m, const char *what, int r);
/* A list joined with commas, as a new string (NULL: out of memory). */
char *mon_join(const struct strlist *l);

/* monitor_account.c */
/* Before every authentication request: one user and service per
 * connection, max_tries; kbdint_answers: continues a conversation.
 * 0, or a violation. */
int mon_auth_begin(struct mon *m, const char *user, const char *service,
    int kbdint_answers);
/* 1 when key (a certificate's key for a certificate) already passed a
 * step of the sequence (used_keys). */
struct sshkey;
int mon_key_used(struct mon *m, const struct sshkey *key);
/* The account's validity (auth/account.h) before a method counts; last:
 * it completes the sequence (PAM's account stack then).  0, MON_REFUSED
 * or an error. */
int mon_account_check(struct mon *m, const struct passwd *pw,
    const struct cfg_settings *eff, int last);

/* monitor_auth.c */
/* Appends the methods that may follow done[0..ndone) to out. */
int mon_methods_after(const struct strlist *methods, char *const *done,
    size_t ndone, struct buf *out);
/* The user's effective settings (*effp, caller frees) and why they may
 * not use method (*whyp, NULL when they may); pw NULL leaves both NULL. */
int mon_user_policy(struct mon *m, const struct passwd *pw,
    const char *method, struct cfg_settings **effp, const char **whyp);
/* A method passed: success, or partial success; accepted is its
 * "Accepted ..." log line, logged once the account is checked.  Takes
 * eff, entry and forced.  0, MON_REFUSED (the account may not log in,
 * or the keys' options conflict: answer with the method's failure), or
 * an error. */
int mon_method_passed(struct mon *m, const struct passwd *pw,
    const char *method, const char *accepted, struct cfg_settings *eff,
    struct authkeys_entry *entry, char *forced);
/* A failure, counted (max_tries), answered once MON_AUTH_FAIL_MIN_MS
 * have passed since the request (mon_send_delayed sends it from the
 * loop). */
int mon_auth_fail_reply(struct mon *m);
int mon_send_delayed(struct mon *m, uint64_t now);
void mon_passwd_free(struct passwd *pw);

/* monitor_password.c: the PAM helper has a round of prompts or the
 * result. */
int mon_handle_pam(struct mon *m);

/* monitor_session.c: what the loop needs of the sessions. */
struct mon_handle *handle_by_pid(struct mon *m, pid_t pid);
/* A session's process ended: its pty and login record go. */
void handle_release(struct mon_handle *h);
/* Ends every session, the ptys, the PAM session: the connection is over. */
void sessions_end(struct mon *m);

/* monitor_x11.c: for the SPAWN_EXEC of tag, the DISPLAY of its granted
 * x11-req as "DISPLAY=..." when want (the session asked for one), NULL
 * without (an earlier channel's grant with the same tag is dropped);
 * the grant is used up.  *rp: 0, or an error (a violation for a display
 * never granted).  Test builds add the hook's XAUTHORITY in *xap. */
char *mon_x11_take(struct mon *m, uint32_t tag, int want, char **xap,
    int *rp);

#endif
