/* namelist.c: SSH name-lists. */
#include <stdlib.h>
#include <string.h>

#include "protocol/namelist.h"
#include "protocol/ssherr.h"

int
namelist_check(const char *list, size_t len)
{
	size_t i, namelen = 0, names = 0;

	if (len > NAMELIST_LEN_MAX)
		return SSH_ERR_INVALID_FORMAT;
	if (len == 0)
		return 0;
	for (i = 0; i < len; i++) {
		unsigned char c = (unsigned char)list[i];

		if (c == ',') {
			if (namelen == 0)
				return SSH_ERR_INVALID_FORMAT;
			namelen = 0;
			continue;
		}
		if (c <= 0x20 || c >= 0x7f)
			return SSH_ERR_INVALID_FORMAT;
		if (namelen++ == 0 && ++names > NAMELIST_NAMES_MAX)
			return SSH_ERR_INVALID_FORMAT;
		if (namelen > NAMELIST_NAME_MAX)
			return SSH_ERR_INVALID_FORMAT;
	}
	return namelen == 0 ? SSH_ERR_INVALID_FORMAT : 0;
}

/* Length of the name starting at p (up to a comma or the end). */
static size_t
name_len(const char *p)
{
	const char *c = strchr(p, ',');

	return c != NULL ? (size_t)(c - p) : strlen(p);
}

static int
contains_n(const char *list, const char *name, size_t len)
{
	const char *p = list;
	size_t n;

	while (*p != '\0') {
		n = name_len(p);
		if (n == len && memcmp(p, name, len) == 0)
			return 1;
		p += n;
		if (*p == ',')
			p++;
	}
	return 0;
}

int
namelist_contains(const char *list, const char *name)
{
	return contains_n(list, name, strlen(name));
}

static int
dup_n(const char *p, size_t n, char **namep)
{
	char *s;

	if ((s = malloc(n + 1)) == NULL)
		return SSH_ERR_ALLOC_FAIL;
	memcpy(s, p, n);
	s[n] = '\0';
	*namep = s;
	return 0;
}

int
namelist_match(const char *client, const char *server, char **namep)
{
	const char *p = client;
	size_t n;

	*namep = NULL;
	while (*p != '\0') {
		n = name_len(p);
		if (n > 0 && contains_n(server, p, n))
			return dup_n(p, n, namep);
		p += n;
		if (*p == ',')
			p++;
	}
	return SSH_ERR_KEY_NOT_FOUND;
}

int
namelist_first(const char *list, char **namep)
{
	return dup_n(list, name_len(list), namep);
}
