/* match.c: wildcard and CIDR pattern lists for match blocks. */
#include <ctype.h>
#include <string.h>

#include "common/match.h"
#include "protocol/cidr.h"
#include "protocol/ssherr.h"

int
match_pattern(const char *s, const char *p)
{
	const char *star = NULL, *resume = NULL;

	/* Iterative with one backtrack point: no recursion a pattern can deepen. */
	while (*s != '\0') {
		if (*p == '*') {
			star = p++;
			resume = s;
		} else if (*p == '?' || *p == *s) {
			p++;
			s++;
		} else if (star != NULL) {
			p = star + 1;
			s = ++resume;
		} else
			return 0;
	}
	while (*p == '*')
		p++;
	return *p == '\0';
}

int
match_list(const char *s, char *const *patterns, size_t n)
{
	size_t i;
	int pos = 0;

	for (i = 0; i < n; i++) {
		if (patterns[i][0] == '!') {
			if (match_pattern(s, patterns[i] + 1))
				return 0;
		} else if (match_pattern(s, patterns[i]))
			pos = 1;
	}
	return pos;
}

/*
 * One address pattern against addr: CIDR compares bits, anything else is
 * a wildcard pattern over the textual address.  An IPv4-mapped IPv6
 * client (::ffff:10.1.2.3 on a dual-stack socket) counts as IPv4.
 */
static int
match_addr_one(const char *addr, const char *pattern)
{
	struct cidr net, a;
	const char *text = addr;

	if (strncmp(addr, "::ffff:", 7) == 0 && strchr(addr + 7, '.') != NULL)
		text = addr + 7;
	if (strchr(pattern, '/') == NULL)
		return match_pattern(text, pattern);
	if (cidr_parse(pattern, strlen(pattern), &net) != 0)
		return 0;
	if (cidr_parse_addr(net.ci_len == 4 ? text : addr, &a) != 0)
		return 0;
	return cidr_contains(&net, &a);
}

int
match_addr_list(const char *addr, char *const *patterns, size_t n)
{
	size_t i;
	int pos = 0;

	for (i = 0; i < n; i++) {
		if (patterns[i][0] == '!') {
			if (match_addr_one(addr, patterns[i] + 1))
				return 0;
		} else if (match_addr_one(addr, patterns[i]))
			pos = 1;
	}
	return pos;
}

int
match_addr_pattern_valid(const char *pattern)
{
	struct cidr net;
	const char *p;

	if (*pattern == '\0')
		return SSH_ERR_INVALID_FORMAT;
	if (strchr(pattern, '/') != NULL) {
		/* Host bits set usually means a typo in the network. */
		if (cidr_parse(pattern, strlen(pattern), &net) != 0 ||
		    !cidr_is_network(&net))
			return SSH_ERR_INVALID_FORMAT;
		return 0;
	}
	for (p = pattern; *p != '\0'; p++) {
		if (!isxdigit((unsigned char)*p) && *p != '.' && *p != ':' &&
		    *p != '*' && *p != '?')
			return SSH_ERR_INVALID_FORMAT;
	}
	return 0;
}
