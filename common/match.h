/*
 * match.h: OpenSSH-style pattern lists for match blocks: '*' and '?'
 * wildcards, a leading '!' negates, addresses also as CIDR (10.0.0.0/8,
 * 2001:db8::/32).
 */
#ifndef NANOSSH_MATCH_H
#define NANOSSH_MATCH_H

#include <stddef.h>

/* 1 when s matches the shell-style pattern (only '*' and '?'), else 0. */
int match_pattern(const char *s, const char *pattern);
/*
 * A list matches when some positive pattern matches and no negated one
 * does.  Returns 1 (match) or 0; an empty list is the caller's concern.
 */
int match_list(const char *s, char *const *patterns, size_t n);
/* As match_list, for a numeric address: patterns may also be CIDR. */
int match_addr_list(const char *addr, char *const *patterns, size_t n);
/* 0 when pattern is a valid address pattern or CIDR (cidr.h), else
 * SSH_ERR_INVALID_FORMAT. */
int match_addr_pattern_valid(const char *pattern);

#endif
