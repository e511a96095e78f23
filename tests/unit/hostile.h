/*
 * hostile.h: a bench for the monitor (privsep/monitor.c) against a
 * protocol child that breaks the rules.  hostile_start() forks a process
 * that runs monitor_run() with self_path pointing at
 * tests/unit/hostile_child, which hands the IPC and log sockets over to
 * the test; the test then plays the child.  The configuration: two host
 * keys (0: Ed25519, generated; 1: RSA, tests/keys/rsa2048), three kex
 * methods (curve25519-sha256, ecdh-sha2-nistp384, rsa2048-sha256, its
 * transient key renewed after HOSTILE_RSA_KEX_LIFETIME seconds), the file
 * password back end with PASSWORD for the user running the test,
 * authorized_keys in authkeys_path (absent unless a test writes it),
 * max_tries HOSTILE_MAX_TRIES.
 */
#ifndef NANOSSH_TESTS_HOSTILE_H
#define NANOSSH_TESTS_HOSTILE_H

#include <sys/types.h>
#include <stddef.h>
#include <stdint.h>

#define WAIT_MS		10000
#define MAX_GOT		16
#define PASSWORD	"hostile-secret"
#define HOSTILE_MAX_TRIES	2
#define HOSTILE_RSA_KEX_LIFETIME	2
/* No such account: every attempt for it fails, reading no file. */
#define HOSTILE_NO_USER	"nanossh-hostile-nouser"

struct buf;
struct cfg;
struct ipc;
struct sshkey;

extern struct cfg *cfg;
extern struct sshkey *hostkeys[2];
#define hostkey	hostkeys[0]
extern char user[256];
extern char authkeys_path[];

struct hostile {
	pid_t		 mon;		/* the process running monitor_run */
	int		 client;	/* the test's end of the client socket */
	struct ipc	*ipc;		/* the child's end of the IPC channel */
	int		 log;		/* ... and of the log channel */
	uint32_t	 got[MAX_GOT];	/* types the monitor sent, in order */
	size_t		 ngot;
};

/* The checked fixture. */
void setup(void);
void teardown(void);

void hostile_start(struct hostile *h);
/* Reads one message from the monitor and records its type; returns the
 * type, or 0 once the monitor has closed the channel. */
uint32_t recv_one(struct hostile *h);
/* Reads until the monitor sends type (recording everything before). */
void recv_until(struct hostile *h, uint32_t want);
void send_msg(struct hostile *h, uint32_t type, struct buf *payload, int fd);
/* Raw bytes past the framing layer: headers that ipc_queue would not
 * write, or a message cut short. */
void send_raw(struct hostile *h, const void *p, size_t len);
void send_header(struct hostile *h, uint32_t type, uint32_t len);
/* Waits for the monitor; its exit status. */
int hostile_end(struct hostile *h);
/* Everything the monitor sends until it closes; then its exit status. */
int hostile_finish(struct hostile *h);

/* Payloads and steps that play by the rules. */
struct buf *sign_kex_payload(uint32_t idx, const char *alg, const char *kex,
    size_t hashlen);
struct buf *sign_payload(uint32_t idx, const char *alg, size_t hashlen);
struct buf *good_sign(void);
/* A SIGN the monitor must answer: the first key exchange. */
void sign_ok(struct hostile *h);
/* The first key exchange with key idx and alg, then a password login:
 * CONFIG, SIGN_REPLY, AUTH_REPLY and SESSION_CONFIG have come. */
void login_with(struct hostile *h, uint32_t idx, const char *alg);
void login(struct hostile *h);
struct buf *strings(int n, ...);
struct buf *pubkey_query_for(const char *name, const char *service);
struct buf *pubkey_query(void);
/* A first attempt that fails by the rules: answered with a failure. */
void fail_once(struct hostile *h, const char *name, const char *service);
/* The key exchange, then max_tries failures: the child must be gone. */
void fail_max_tries(struct hostile *h);
struct buf *kbdint_payload(const char *name);

/* One bad request after some legitimate steps; the monitor must end the
 * connection as a violation without answering it. */
struct hostile_scenario {
	const char	*name;
	void		(*act)(struct hostile *);
	enum {
		HOSTILE_NOTHING,	/* only CONFIG came before */
		HOSTILE_SIGNED,		/* and a SIGN_REPLY */
		HOSTILE_LOGGED_IN	/* and AUTH_REPLY, SESSION_CONFIG */
	}		 before;
	int		 failures;	/* then this many AUTH_REPLYs */
};
void hostile_check_violation(const struct hostile_scenario *sc);

#endif
