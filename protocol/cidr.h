/*
 * cidr.h: numeric IPv4/IPv6 addresses and CIDR blocks ("10.0.0.0/8",
 * "2001:db8::/32"; a bare address is a block of full length): the one
 * parser behind certificate source-address lists and the address patterns
 * of match blocks and authorized_keys from=.  Sans-IO.
 *
 * Functions return 0 or a negative SSH_ERR_* code (ssherr.h) unless said
 * otherwise.
 */
#ifndef NANOSSH_CIDR_H
#define NANOSSH_CIDR_H

#include <stddef.h>
#include <stdint.h>

struct cidr {
	uint8_t		ci_net[16];	/* network bytes, big-endian */
	size_t		ci_len;		/* 4 (IPv4) or 16 (IPv6) */
	unsigned int	ci_bits;	/* prefix length, 0 .. 8 * ci_len */
};

/*
 * Parses len bytes of s (no NUL needed) as "address[/bits]", bits being
 * 1 to 3 decimal digits and at most 32 or 128.  SSH_ERR_INVALID_FORMAT
 * for anything else.  Bits below the prefix may be set: see
 * cidr_is_network.
 */
int cidr_parse(const char *s, size_t len, struct cidr *c);
/* A numeric address alone (no "/bits"), as a block of full length. */
int cidr_parse_addr(const char *addr, struct cidr *c);
/* 1 if no bit below the prefix is set (10.0.0.0/8, not 10.0.0.1/8),
 * else 0. */
int cidr_is_network(const struct cidr *c);
/* 1 if the address a (of full length) lies in block net of the same
 * family, else 0. */
int cidr_contains(const struct cidr *net, const struct cidr *a);

/*
 * 1 if addr (numeric IPv4 or IPv6; an IPv4-mapped IPv6 address counts as
 * IPv4) is in the comma-separated list of blocks ("10.0.0.0/8,
 * 2001:db8::/32,192.0.2.7"), 0 if not; SSH_ERR_INVALID_FORMAT if addr is
 * not an address or the list is invalid (bad address, prefix length out of
 * range, host bits set, empty element), wherever in the list.
 */
int cidr_list_match(const char *addr, const char *list);

#endif
