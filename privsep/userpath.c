/*
 * userpath.c: %h, %u and %% in configured paths (authorized_keys files,
 * SFTP mount targets).
 */
#include <pwd.h>
#include <stdio.h>
#include <string.h>

#include "privsep/userpath.h"
#include "protocol/ssherr.h"

int
userpath_expand(const char *pattern, const struct passwd *pw, char *out,
    size_t outsize)
{
	size_t o = 0;
	const char *p, *add;
	char one[2] = { 0, 0 };

	if (pattern[0] != '/' && pattern[0] != '%') {
		if (snprintf(out, outsize, "%s/", pw->pw_dir) >= (int)outsize)
			return SSH_ERR_NO_BUFFER_SPACE;
		o = strlen(out);
	}
	for (p = pattern; *p != '\0'; p++) {
		if (*p == '%' && p[1] == 'h')
			add = pw->pw_dir;
		else if (*p == '%' && p[1] == 'u')
			add = pw->pw_name;
		else if (*p == '%' && p[1] == '%')
			add = "%";
		else if (*p == '%')
			return SSH_ERR_INVALID_FORMAT;
		else {
			one[0] = *p;
			add = one;
		}
		if (add != one)
			p++;
		if (o + strlen(add) >= outsize)
			return SSH_ERR_NO_BUFFER_SPACE;
		memcpy(out + o, add, strlen(add));
		o += strlen(add);
	}
	out[o] = '\0';
	return 0;
}
