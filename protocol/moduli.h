/*
 * moduli.h: OpenSSH moduli(5) files and the choice of a group for
 * diffie-hellman-group-exchange (RFC 4419 section 3).  The file arrives as
 * a buffer; nothing here opens files.
 *
 * A line is "time type tests tries size generator modulus": decimal
 * fields, then generator and modulus in hex; size is the modulus' bit
 * length minus one (as ssh-keygen writes it).  Blank lines and lines
 * starting with '#' are ignored.
 */
#ifndef NANOSSH_MODULI_H
#define NANOSSH_MODULI_H

#include <stddef.h>
#include <stdint.h>

struct buf;
struct dh_group;

/* moduli(5) "type" of a safe prime, and "tests" bits. */
#define MODULI_TYPE_SAFE		2
#define MODULI_TESTS_COMPOSITE		0x01

/*
 * Parses one line (len bytes, no newline needed).  0 with *groupp NULL for
 * a blank or comment line; 0 with a new group for a usable entry;
 * SSH_ERR_INVALID_FORMAT for a malformed line (bad numbers, wrong field
 * count, size field not matching the modulus, generator out of range);
 * SSH_ERR_FEATURE_UNSUPPORTED for a well-formed entry sshd must not use:
 * not a safe prime, marked composite or never tested, or a size outside
 * DH_GROUP_MIN_BITS..DH_GROUP_MAX_BITS.
 */
int moduli_parse_line(const char *line, size_t len, struct dh_group **groupp);

/*
 * Chooses the group for a client's SSH_MSG_KEX_DH_GEX_REQUEST (min, n,
 * max, in bits).  SSH_ERR_DH_GEX_OUT_OF_RANGE unless min <= n <= max,
 * max >= DH_GROUP_MIN_BITS and min <= DH_GROUP_MAX_BITS; the range is then
 * clamped to what we support, as OpenSSH does.
 *
 * Among the usable moduli entries with min <= size <= max, the best size
 * is n itself, else the smallest above n, else the largest below; one
 * entry of that size is picked at random.  Unusable and malformed lines
 * are skipped.  With moduli NULL, or no entry in range, the RFC 3526
 * groups (2048 to 8192 bits) are the candidates.  The caller frees *groupp.
 */
int kex_gex_choose(const struct buf *moduli, uint32_t min, uint32_t n,
    uint32_t max, struct dh_group **groupp);

#endif
