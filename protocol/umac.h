/*
 * umac.h: UMAC (RFC 4418) with AES-128 through OpenSSL's EVP, for the SSH
 * MACs umac-64@openssh.com and umac-128@openssh.com (and their -etm
 * forms).  All functions return 0 or a negative SSH_ERR_* code.
 */
#ifndef NANOSSH_UMAC_H
#define NANOSSH_UMAC_H

#include <stddef.h>
#include <stdint.h>

#define UMAC_KEY_LEN	16
#define UMAC_MAX_TAG	16
/*
 * The longest message: up to 2^24 bytes the second level needs only its
 * 64-bit polynomial (RFC 4418 section 5.3).  The 128-bit polynomial for
 * longer ones is left out; an SSH packet is at most 256 KiB.
 */
#define UMAC_MAX_MSG	(1UL << 24)

struct umac;

/* A keyed context for tags of taglen bytes: 4, 8, 12 or 16. */
int umac_new(struct umac **up, const uint8_t key[UMAC_KEY_LEN],
    size_t taglen);
/* Wipes and frees; NULL is allowed. */
void umac_free(struct umac *u);
/*
 * The tag of msg under nonce (1 to 16 bytes) into tag[taglen].  A
 * message longer than UMAC_MAX_MSG is SSH_ERR_INVALID_ARGUMENT.
 */
int umac_tag(struct umac *u, const uint8_t *msg, size_t len,
    const uint8_t *nonce, size_t noncelen, uint8_t *tag);

#endif
