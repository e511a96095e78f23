/* match.c: wildcard and CIDR pattern lists for match blocks. */
#include <arpa/inet.h>
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "common/match.h"

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

/* Parses "addr/len" into family, address bytes and prefix length. */
static int
parse_cidr(const char *p, int *afp, unsigned char *a, int *lenp)
{
	char buf[INET6_ADDRSTRLEN + 8], *slash, *end;
	long len;

	if (strlen(p) >= sizeof(buf))
		return -1;
	memcpy(buf, p, strlen(p) + 1);
	if ((slash = strchr(buf, '/')) == NULL)
		return -1;
	*slash++ = '\0';
	if (inet_pton(AF_INET, buf, a) == 1)
		*afp = AF_INET;
	else if (inet_pton(AF_INET6, buf, a) == 1)
		*afp = AF_INET6;
	else
		return -1;
	if (*slash < '0' || *slash > '9')
		return -1;
	len = strtol(slash, &end, 10);
	if (*end != '\0' || len > (*afp == AF_INET ? 32 : 128))
		return -1;
	*lenp = (int)len;
	return 0;
}

/* 1 when the first len bits of a and b agree. */
static int
prefix_equal(const unsigned char *a, const unsigned char *b, int len)
{
	int full = len / 8, rest = len % 8;

	if (memcmp(a, b, (size_t)full) != 0)
		return 0;
	if (rest == 0)
		return 1;
	return ((a[full] ^ b[full]) & (0xff << (8 - rest)) & 0xff) == 0;
}

static int
host_bits_zero(const unsigned char *a, int alen, int len)
{
	unsigned char masked[16];
	int i;

	memcpy(masked, a, (size_t)alen);
	for (i = len; i < alen * 8; i++)
		masked[i / 8] &= (unsigned char)~(0x80 >> (i % 8));
	return memcmp(masked, a, (size_t)alen) == 0;
}

/*
 * One address pattern against addr: CIDR compares bits, anything else is
 * a wildcard pattern over the textual address.  An IPv4-mapped IPv6
 * client (::ffff:10.1.2.3 on a dual-stack socket) counts as IPv4.
 */
static int
match_addr_one(const char *addr, const char *pattern)
{
	unsigned char net[16], a[16];
	int af, len;
	const char *text = addr;

	if (strncmp(addr, "::ffff:", 7) == 0 && strchr(addr + 7, '.') != NULL)
		text = addr + 7;
	if (strchr(pattern, '/') == NULL)
		return match_pattern(text, pattern);
	if (parse_cidr(pattern, &af, net, &len) != 0)
		return 0;
	if (inet_pton(af, af == AF_INET ? text : addr, a) != 1)
		return 0;
	return prefix_equal(a, net, len);
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
	unsigned char net[16];
	int af, len;
	const char *p;

	if (*pattern == '\0')
		return -1;
	if (strchr(pattern, '/') != NULL) {
		/* Host bits set usually means a typo in the network. */
		if (parse_cidr(pattern, &af, net, &len) != 0 ||
		    !host_bits_zero(net, af == AF_INET ? 4 : 16, len))
			return -1;
		return 0;
	}
	for (p = pattern; *p != '\0'; p++) {
		if (!isxdigit((unsigned char)*p) && *p != '.' && *p != ':' &&
		    *p != '*' && *p != '?')
			return -1;
	}
	return 0;
}
