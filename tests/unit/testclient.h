/*
 * testclient.h: a scripted SSH client for driving the sans-IO server
 * connection (protocol/conn.h) in memory, in unit tests and fuzz targets.
 * It plays the monitor too: it signs the server's exchange hashes with the
 * host key, holds RSA key exchange's transient key, answers authentication requests as told, and runs a two-prompt
 * keyboard-interactive round.
 *
 * Built from the project's own primitives (kex_method, cipher, mac, packet),
 * with curve25519-sha256 (or the method set in kex) and the cipher/MAC pair
 * chosen at creation.
 */
#ifndef NANOSSH_TESTCLIENT_H
#define NANOSSH_TESTCLIENT_H

#include <stddef.h>
#include <stdint.h>

#include "protocol/conn.h"

struct buf;
struct sshkey;

struct tclient {
	struct ssh_conn *srv;
	struct conn_settings set;
	struct sshkey *hostkey;		/* private: signs like the monitor */
	const struct sshkey *pubkeys[1];
	struct pkt_state *pkt;		/* the client's side of the wire */
	struct buf *kexinit_ours;	/* I_C */
	struct buf *kexinit_peer;	/* I_S */
	struct buf *session_id;
	const char *cipher;
	const char *mac;		/* NULL for an AEAD cipher */
	const char *hostkey_algs;	/* our host key list; NULL: ssh-ed25519 */
	const char *kex;		/* the one method we offer; NULL:
					 * curve25519-sha256 */
	int (*edit_qc)(struct buf *qc);	/* bad-input tests: changes our
					 * public value (RSA: the encrypted
					 * secret) before it is sent */
	struct buf *server_host_key;	/* K_S of the key exchange */
	struct sshkey *rsa_key;		/* RSA key exchange: the monitor's K_T
					 * (one per method and process) */
	int rsa_decrypt_failed;		/* ... and a secret it refused */
	int strict;
	int auth_answer;		/* enum conn_auth_result for AUTH events */
	const char *partial_methods;	/* methods left, for CONN_AUTH_PARTIAL */
	int changereq;			/* a plain password: PASSWD_CHANGEREQ */
	int authenticated;
	char last_secret[256];		/* password, "old>new" for a change
					 * request, or "|"-joined responses */
	uint64_t now;
};

/* A server connection with a fresh Ed25519 host key; 0 or SSH_ERR_*. */
int tclient_new(struct tclient *tc, const char *cipher, const char *mac,
    int strict);
void tclient_free(struct tclient *tc);

/* Sends our identification and KEXINIT and runs the key exchange to the
 * end (both NEWKEYS); then the service request.  0 or SSH_ERR_*. */
int tclient_handshake(struct tclient *tc);
/* Sends one payload (message number first) as a packet. */
int tclient_send(struct tclient *tc, const struct buf *payload);
/* Moves the server's output to us and answers its events; then the next
 * payload the server sent, or SSH_ERR_MESSAGE_INCOMPLETE if none. */
int tclient_recv(struct tclient *tc, struct buf **payloadp);
/* Answers pending server events (signatures, authentication). */
int tclient_events(struct tclient *tc);

#endif
