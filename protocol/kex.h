/*
 * kex.h: the connection's key-exchange state machine (kex.c), as conn.c
 * and the dispatch table drive it.  Not an API outside protocol/.
 */
#ifndef NANOSSH_KEX_H
#define NANOSSH_KEX_H

#include <stddef.h>
#include <stdint.h>

struct buf;
struct ssh_conn;

/* Sends our KEXINIT and opens a key exchange. */
int kex_start(struct ssh_conn *c);
/* Dispatch handlers (dispatch.h's dispatch_fn): KEXINIT, the method's own
 * messages 30..49, NEWKEYS. */
int kex_recv_kexinit(struct ssh_conn *c, uint8_t type, struct buf *msg);
int kex_recv_method(struct ssh_conn *c, uint8_t type, struct buf *msg);
int kex_recv_newkeys(struct ssh_conn *c, uint8_t type, struct buf *msg);
/* The monitor's signature over H: sends the reply and our NEWKEYS. */
int kex_signed(struct ssh_conn *c, const uint8_t *sig, size_t len);
/* RSA key exchange: the monitor's K_T (sends KEXRSA_PUBKEY), and the
 * client's decrypted secret K (NULL: it did not decrypt). */
int kex_rsa_pubkey(struct ssh_conn *c, const uint8_t *blob, size_t len);
int kex_rsa_secret(struct ssh_conn *c, const uint8_t *k, size_t len);
/* Starts a rekey when a byte, packet or time limit has been reached. */
int kex_check_rekey(struct ssh_conn *c);
/* Frees the state of a running exchange. */
void kex_clear(struct ssh_conn *c);

#endif
