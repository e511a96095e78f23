/*
 * conn_local.h: the connection object shared by the files of the server
 * connection (conn.c, dispatch.c, kex.c, userauth.c), and conn.c's helpers
 * for them.  Not an API.
 */
#ifndef NANOSSH_CONN_LOCAL_H
#define NANOSSH_CONN_LOCAL_H

#include <stdint.h>

#include "protocol/conn.h"
#include "protocol/dispatch.h"
#include "protocol/kexinit.h"
#include "protocol/version.h"

struct buf;
struct cipher_ctx;
struct mac_ctx;
struct pkt_state;
struct kex_alg;
struct dh_group;
struct sshkey;

enum kex_step {
	KX_NONE = 0,		/* no key exchange running */
	KX_WAIT_KEXINIT,	/* ours sent, waiting for the client's */
	KX_WAIT_INIT,		/* waiting for KEX*_INIT or GEX_REQUEST */
	KX_WAIT_GEX_INIT,	/* group sent, waiting for GEX_INIT */
	KX_WAIT_RSA_PUBKEY,	/* waiting for the monitor's K_T */
	KX_WAIT_RSA_SECRET,	/* waiting for the monitor's decryption */
	KX_WAIT_SIGN,		/* waiting for the monitor's signature */
	KX_WAIT_NEWKEYS,	/* our NEWKEYS sent, waiting for the client's */
};

/* Caps on what the peer can make us hold. */
#define CONN_DEFER_MAX		(4 * 1024 * 1024) /* output held during kex */
#define CONN_PREAUTH_PONGS_MAX	16
#define CONN_USER_MAX		256
#define CONN_ERR_LEN		256

struct ssh_conn {
	struct conn_settings set;
	char *hostkey_algs;		/* offered: configured and with a key */
	/* The host key algorithm of the first exchange, the only one a
	 * rekey offers: the monitor signs rekeys with that key and
	 * algorithm only. */
	char *hostkey_alg_first;
	struct buf **hostkey_blobs;	/* public blobs, by index */
	struct pkt_state *pkt;
	uint64_t now;

	enum conn_phase phase;
	struct version_rx vrx;
	char *peer_version;
	int closed;
	char err[CONN_ERR_LEN];

	/* key exchange */
	enum kex_step kx;
	int kex_ours_open;		/* our KEXINIT sent, our NEWKEYS not yet */
	int kex_peer_open;		/* their KEXINIT received, NEWKEYS not yet */
	unsigned int kex_done;		/* completed key exchanges */
	unsigned int packets_before_kexinit;
	int strict;
	int ext_info_c;
	int skip_guess;
	struct buf *kexinit_ours;	/* I_S */
	struct buf *kexinit_peer;	/* I_C */
	struct kex_negotiated neg;
	const struct kex_alg *kalg;
	size_t hostkey_idx;
	int hostkey_cert;		/* K_S is hostkey_idx's certificate */
	const char *hostkey_sig_alg;	/* what the host key signs with */
	struct dh_group *gex_group;
	uint32_t gex_min, gex_n, gex_max;
	struct buf *client_pub, *server_pub, *K, *H, *session_id;
	struct cipher_ctx *new_cipher[2];	/* by PKT_DIR_* */
	struct mac_ctx *new_mac[2];
	struct buf *deferred;		/* u32 length + payload, each */
	uint64_t rekey_at;		/* ms, 0: no time-based rekey */
	char *algs;			/* description for the log */

	/* events */
	struct conn_event ev;		/* the one event awaiting an answer */
	int ev_ready;			/* ev not yet handed out */
	int ev_waiting;			/* ev handed out, answer outstanding */
	int notify_authed;
	int notify_closed;
	int closed_reason;
	int closed_by_peer;

	/* user authentication */
	char *auth_user;
	char *auth_service;
	char *auth_alg;
	struct buf *auth_key;
	unsigned int auth_failures;
	char *methods_left;		/* after a partial success */
	size_t kbdint_prompts;		/* prompts sent, answers awaited */
	const uint8_t *kbdint_resp[CONN_KBDINT_MAX_PROMPTS];
	size_t kbdint_lens[CONN_KBDINT_MAX_PROMPTS];
	uint8_t *secret;		/* password in the payload, wiped when */
	size_t secret_len;		/* the answer comes */
	int banner_sent;
	unsigned int preauth_pongs;

	struct chan_table *chans;
	struct buf *out;		/* scratch for building messages */
};

/* 0 if host key i can serve host key algorithm name (plainly, or through
 * its certificate for a certificate algorithm). */
int conn_hostkey_usable(const struct ssh_conn *c, size_t i, const char *name);
/* Sends payload, or queues it while our key exchange runs (RFC 4253 7.1). */
int conn_send(struct ssh_conn *c, struct buf *payload);
/* Empties and returns the scratch buffer, starting a message of type. */
struct buf *conn_msg(struct ssh_conn *c, uint8_t type);
/* Ends the connection with DISCONNECT(reason, msg); returns err. */
int conn_fail(struct ssh_conn *c, int err, int reason, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
/* Sends what conn_send() queued, once our NEWKEYS is out. */
int conn_flush_deferred(struct ssh_conn *c);
void conn_set_event(struct ssh_conn *c, enum conn_event_type type);
/* Authentication succeeded: start the connection protocol. */
int conn_authenticated(struct ssh_conn *c);

#endif
