/*
 * dh_groups.h: finite-field Diffie-Hellman groups for SSH key exchange:
 * the MODP groups of RFC 3526 (ids 14 to 18, generator 2) and groups taken
 * from a moduli file for group exchange (moduli.h, RFC 4419).
 * Functions return 0 or a negative SSH_ERR_* code (ssherr.h).
 */
#ifndef NANOSSH_DH_GROUPS_H
#define NANOSSH_DH_GROUPS_H

#include <openssl/bn.h>

struct buf;
struct dh_group;

/* Smallest and largest prime we accept anywhere, in bits. */
#define DH_GROUP_MIN_BITS	2048
#define DH_GROUP_MAX_BITS	8192

/* RFC 3526 group ids (14: 2048, 15: 3072, 16: 4096, 17: 6144, 18: 8192 bits). */
#define DH_GROUP_RFC3526_FIRST	14
#define DH_GROUP_RFC3526_LAST	18

/* A new copy of RFC 3526 group id; SSH_ERR_INVALID_ARGUMENT for other ids. */
int dh_group_rfc3526(unsigned int id, struct dh_group **groupp);
/*
 * A group from a prime and a generator (copied).  Checks only structure,
 * not primality: p odd and DH_GROUP_MIN_BITS..DH_GROUP_MAX_BITS bits, and
 * 1 < g < p-1; otherwise SSH_ERR_INVALID_ARGUMENT.  Primality is the job
 * of whoever wrote the moduli file (ssh-keygen -M screen).
 */
int dh_group_new(const BIGNUM *p, const BIGNUM *g, struct dh_group **groupp);
int dh_group_dup(const struct dh_group *group, struct dh_group **groupp);
void dh_group_free(struct dh_group *group);

/* Owned by the group. */
const BIGNUM *dh_group_p(const struct dh_group *group);
const BIGNUM *dh_group_g(const struct dh_group *group);
/* Size of p in bits. */
unsigned int dh_group_bits(const struct dh_group *group);
/* 0 if both groups have the same p and g. */
int dh_group_cmp(const struct dh_group *a, const struct dh_group *b);

/* Appends mpint p and mpint g: the body of SSH_MSG_KEX_DH_GEX_GROUP and
 * the group's part of the group-exchange hash (RFC 4419 section 3). */
int dh_group_put(const struct dh_group *group, struct buf *out);

/*
 * Checks a public value y (e or f) against the group: 1 < y < p-1
 * (RFC 4253 section 8).  0, 1, p-1 and values >= p would let a peer force
 * the shared secret into a tiny set.  SSH_ERR_INVALID_FORMAT otherwise.
 */
int dh_group_check_public(const struct dh_group *group, const BIGNUM *y);

/*
 * Bits of private exponent to use with this group: at least twice the
 * strength of the strongest symmetric cipher (256 bits, RFC 8268 section 4)
 * and at least RFC 3526's larger exponent estimate for the group's size.
 */
unsigned int dh_group_exponent_bits(const struct dh_group *group);

#endif
