/*
 * conn.h: one SSH server connection, without I/O (the sans-IO core).
 *
 * The caller (the protocol child's event loop) feeds bytes read from the
 * socket to conn_input(), writes what conn_output() gives to the socket,
 * calls conn_timer() when conn_deadline() has passed, and answers every
 * event from conn_next_event().  Nothing in here touches a socket, a file
 * or a clock: time comes in as milliseconds of a monotonic clock.
 *
 * While an event that needs an answer (a host-key signature, an
 * authentication decision) is outstanding, input is buffered but not
 * processed; the answer resumes processing.
 *
 * Functions return 0 or a negative SSH_ERR_* code.  After an error from
 * conn_input()/conn_timer() or an answer function, the connection is
 * over: conn_closed() is true and a DISCONNECT may be waiting in the
 * output, which the caller should still try to write.
 */
#ifndef NANOSSH_CONN_H
#define NANOSSH_CONN_H

#include <stddef.h>
#include <stdint.h>

struct buf;
struct sshkey;
struct sshcert;
struct chan_table;
struct ssh_conn;

struct conn_settings {
	const char *version;		/* our identification, without CR LF */
	const char *kex;		/* comma-separated, in preference order */
	const char *ciphers;
	const char *macs;
	const char *hostkey_algs;	/* only those with a key are offered */
	const struct sshkey *const *hostkeys;	/* public halves; an index
						 * here names a key to the monitor */
	size_t nhostkeys;
	/* NULL, or nhostkeys entries: the host certificate of each key (NULL
	 * for none), offered as its "*-cert-v01@openssh.com" algorithms. */
	const struct sshcert *const *hostcerts;
	const struct buf *moduli;	/* GEX groups; NULL: RFC 3526 groups */
	uint64_t rekey_limit;		/* bytes per key; 0: cipher limits only */
	uint64_t rekey_interval_ms;	/* 0: never by time */
	int require_pq;			/* refuse key exchanges that are not
					 * post-quantum (kex_alg_is_pq) */
	const char *auth_methods;	/* comma-separated, for USERAUTH_FAILURE */
	const char *banner;		/* NULL or "": none */
	unsigned int max_auth_tries;
	unsigned int max_channels;
	/* Channels other than sessions (forwardings) on top of those;
	 * 0 keeps the channel layer's default total. */
	unsigned int max_forwards;
};

enum conn_event_type {
	CONN_EV_NONE = 0,
	/* Sign data with host key `hostkey` and algorithm `alg`; answer with
	 * conn_sign_done().  Once per key exchange.  With a certificate
	 * algorithm negotiated, alg is its plain signature algorithm.  A
	 * rekey offers only the first exchange's host key algorithm, so
	 * hostkey and alg never change after the first. */
	CONN_EV_SIGN,
	/* RSA key exchange (RFC 4432), before the signature: the transient
	 * public key K_T for method kex, answered with conn_rsa_pubkey_done,
	 * then the decryption of the client's secret, answered with
	 * conn_rsa_secret_done. */
	CONN_EV_RSA_PUBKEY,
	CONN_EV_RSA_DECRYPT,
	/* A publickey authentication request; answer with conn_auth_done().
	 * sig is NULL for a query (RFC 4252 7: may this key be used?). */
	CONN_EV_AUTH_PUBKEY,
	/* A password authentication request; answer with conn_auth_done().
	 * The password is wiped once answered. */
	CONN_EV_AUTH_PASSWORD,
	/* keyboard-interactive (RFC 4256): a new exchange (n == 0) or the
	 * client's responses to the last prompts.  Answer with conn_kbdint_
	 * prompts() for another round or conn_auth_done() to decide. */
	CONN_EV_AUTH_KBDINT,
	/* Authentication succeeded: channels may now be used. */
	CONN_EV_AUTHENTICATED,
	/* The connection ended (disconnect received or sent). */
	CONN_EV_CLOSED,
};

struct conn_event {
	enum conn_event_type type;
	union {
		struct {
			size_t hostkey;
			const char *alg;
			const char *kex;	/* the exchange's method */
			const uint8_t *data;
			size_t len;
		} sign;
		struct {
			const char *kex;	/* the exchange's method */
			const uint8_t *data;	/* DECRYPT: the ciphertext */
			size_t len;
		} rsa;
		struct {
			const char *user;
			const char *service;
			const char *alg;
			const uint8_t *key;	/* public key blob */
			size_t keylen;
			const uint8_t *sig;	/* NULL for a query */
			size_t siglen;
			int hostbound;		/* publickey-hostbound-v00 */
			size_t hostkey;		/* with hostbound: which key */
			int hostkey_cert;	/* ... named by its certificate */
		} auth_pubkey;
		struct {
			const char *user;
			const char *service;
			const uint8_t *password;
			size_t len;
			/* A change request (after conn_passwd_changereq):
			 * the new password; NULL for a plain request. */
			const uint8_t *newpassword;
			size_t newlen;
		} auth_password;
		struct {
			const char *user;
			const char *service;
			size_t n;		/* responses; 0 starts an exchange */
			const uint8_t *const *responses;
			const size_t *lens;
		} auth_kbdint;
		struct {
			const char *user;
		} authenticated;
		struct {
			int reason;		/* SSH2_DISCONNECT_* */
			const char *msg;
			int by_peer;
		} closed;
	} u;
};

enum conn_auth_result {
	CONN_AUTH_FAILURE = 0,
	CONN_AUTH_PARTIAL,	/* this method succeeded, more are needed */
	CONN_AUTH_SUCCESS,
	CONN_AUTH_PK_OK,	/* answer to a query: the key is acceptable */
};

/* A new connection that has queued its identification and KEXINIT.  The
 * settings' strings and keys must outlive it.  NULL on failure. */
struct ssh_conn *conn_new(const struct conn_settings *s, uint64_t now_ms);
void conn_free(struct ssh_conn *c);

size_t conn_input_space(const struct ssh_conn *c);
int conn_input(struct ssh_conn *c, const uint8_t *data, size_t len,
    uint64_t now_ms);
const uint8_t *conn_output(const struct ssh_conn *c, size_t *lenp);
int conn_output_consume(struct ssh_conn *c, size_t len);
/* Room for more outgoing data (channel output should wait while 0). */
size_t conn_output_space(const struct ssh_conn *c);
/* The next time conn_timer() must be called, 0 for none. */
uint64_t conn_deadline(const struct ssh_conn *c);
int conn_timer(struct ssh_conn *c, uint64_t now_ms);
int conn_closed(const struct ssh_conn *c);
/* Why the connection ended or failed, for the log; never NULL. */
const char *conn_error(const struct ssh_conn *c);

/* 1 and an event, or 0 when there is none.  Pointers in the event stay
 * valid until it is answered or the next call. */
int conn_next_event(struct ssh_conn *c, struct conn_event *ev);
int conn_sign_done(struct ssh_conn *c, const uint8_t *sig, size_t len);
/* K_T, an ssh-rsa public key blob, for CONN_EV_RSA_PUBKEY. */
int conn_rsa_pubkey_done(struct ssh_conn *c, const uint8_t *blob,
    size_t len);
/* K as the mpint the client encrypted, or NULL when the decryption
 * failed: the connection then ends with "key exchange failed". */
int conn_rsa_secret_done(struct ssh_conn *c, const uint8_t *k, size_t len);
int conn_auth_done(struct ssh_conn *c, enum conn_auth_result result,
    const char *methods_left);
/*
 * One round of keyboard-interactive prompts (SSH_MSG_USERAUTH_INFO_REQUEST)
 * for a CONN_EV_AUTH_KBDINT event; the client's answers come back as the
 * next CONN_EV_AUTH_KBDINT.  At most CONN_KBDINT_MAX_PROMPTS prompts.
 */
#define CONN_KBDINT_MAX_PROMPTS	16
int conn_kbdint_prompts(struct ssh_conn *c, const char *name,
    const char *instruction, size_t n, const char *const *prompts,
    const int *echo);
/*
 * Answers a CONN_EV_AUTH_PASSWORD whose password was right but has
 * expired with SSH_MSG_USERAUTH_PASSWD_CHANGEREQ (RFC 4252 section 8);
 * the client's change request comes back as a CONN_EV_AUTH_PASSWORD with
 * newpassword set.
 */
int conn_passwd_changereq(struct ssh_conn *c, const char *prompt);
/* Sends DISCONNECT and ends the connection. */
int conn_disconnect(struct ssh_conn *c, int reason, const char *msg);

/* The channel layer, once authenticated (NULL before).  Its global
 * requests include hostkeys-prove-00@openssh.com, which the caller answers
 * with the signatures of conn_hostkey_index()'s keys. */
struct chan_table *conn_channels(struct ssh_conn *c);
/* The index of the host key with this public blob, or -1. */
int conn_hostkey_index(const struct ssh_conn *c, const uint8_t *blob,
    size_t len);
/* The same, also accepting a host certificate's blob for its key (what a
 * client bound its publickey signature to after a certificate host key
 * algorithm); *certp is 1 then, else 0. */
int conn_hostkey_index_cert(const struct ssh_conn *c, const uint8_t *blob,
    size_t len, int *certp);
/* The user named in authentication requests so far, or NULL. */
const char *conn_auth_user(const struct ssh_conn *c);
/* The session identifier (H of the first key exchange), for the monitor
 * to check; NULL before the first key exchange has finished. */
const struct buf *conn_session_id(const struct ssh_conn *c);
/* The negotiated algorithms, for the log line; NULL before kex. */
const char *conn_algorithms(const struct ssh_conn *c);

/* conn_info.c: for the administrator (nanosshctl). */
struct conn_crypto {
	const char *kex, *hostkey;	/* NULL before the first exchange */
	const char *cipher, *mac;	/* server to client; mac NULL: AEAD */
};
/* The algorithms in use; pointers valid until the next call into c. */
void conn_crypto(const struct ssh_conn *c, struct conn_crypto *out);
/* Starts a key re-exchange now (one running already counts).  0, or
 * SSH_ERR_INVALID_ARGUMENT before the first one has finished. */
int conn_rekey(struct ssh_conn *c);

#endif
