/* publine.c: splitting "type base64[ comment]" lines (publine.h). */
#include <stdlib.h>
#include <string.h>

#include "protocol/publine.h"
#include "protocol/ssherr.h"

int
publine_split(const char *line, struct publine *pl)
{
	const char *cp = line;
	size_t len;

	memset(pl, 0, sizeof(*pl));
	if (line == NULL)
		return SSH_ERR_INVALID_ARGUMENT;
	cp += strspn(cp, " \t");
	len = strcspn(cp, " \t\r\n");
	if (len == 0 || len >= sizeof(pl->name))
		return SSH_ERR_INVALID_FORMAT;
	memcpy(pl->name, cp, len);
	pl->name[len] = '\0';
	cp += len;
	if (*cp != ' ' && *cp != '\t')
		return SSH_ERR_INVALID_FORMAT;
	cp += strspn(cp, " \t");
	len = strcspn(cp, " \t\r\n");
	if (len == 0 || len > PUBLINE_B64_MAX)
		return SSH_ERR_INVALID_FORMAT;
	if ((pl->b64 = strndup(cp, len)) == NULL)
		return SSH_ERR_ALLOC_FAIL;
	cp += len;
	cp += strspn(cp, " \t");
	len = strcspn(cp, "\r\n");
	/* Only a line ending may follow the comment. */
	if (strspn(cp + len, "\r\n") != strlen(cp + len))
		return SSH_ERR_INVALID_FORMAT;
	if (len != 0 && (pl->comment = strndup(cp, len)) == NULL)
		return SSH_ERR_ALLOC_FAIL;
	return 0;
}

void
publine_clear(struct publine *pl)
{
	free(pl->b64);
	free(pl->comment);
	memset(pl, 0, sizeof(*pl));
}
