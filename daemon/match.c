/* match.c: wildcard and CIDR pattern lists for match blocks. */
#include <arpa/inet.h>
#include <string.h>

#include "daemon/match.h"

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

int
match_addr_list(const char *addr, char *const *patterns, size_t n)
{
	return match_list(addr, patterns, n);
}

int
match_addr_pattern_valid(const char *pattern)
{
	return pattern[0] == '\0' ? -1 : 0;
}
