/* version.c: parsing the peer's identification string (RFC 4253 4.2). */
#include <stdlib.h>
#include <string.h>

#include "protocol/buf.h"
#include "protocol/ssherr.h"
#include "protocol/version.h"

int
version_check(const char *ident)
{
	const char *soft, *p;

	if (strncmp(ident, "SSH-", 4) != 0)
		return SSH_ERR_NO_PROTOCOL_VERSION;
	/* 1.99 announces a server that also speaks 2.0 (RFC 4253 5.1). */
	if (strncmp(ident, "SSH-2.0-", 8) == 0)
		soft = ident + 8;
	else if (strncmp(ident, "SSH-1.99-", 9) == 0)
		soft = ident + 9;
	else
		return SSH_ERR_PROTOCOL_MISMATCH;
	if (*soft == '\0' || *soft == ' ')
		return SSH_ERR_INVALID_FORMAT;
	for (p = ident; *p != '\0'; p++) {
		if ((unsigned char)*p < 0x20 || (unsigned char)*p > 0x7e)
			return SSH_ERR_INVALID_FORMAT;
	}
	return 0;
}

int
version_parse(struct version_rx *st, struct buf *in, char **identp)
{
	const uint8_t *p, *nl;
	size_t avail, scan, linelen;
	char *line;
	int r;

	*identp = NULL;
	for (;;) {
		if ((p = buf_ptr(in)) == NULL)
			return SSH_ERR_INTERNAL_ERROR;
		avail = buf_len(in);
		scan = avail < VERSION_LINE_MAX ? avail : VERSION_LINE_MAX;
		if ((nl = memchr(p, '\n', scan)) == NULL)
			return avail >= VERSION_LINE_MAX ?
			    SSH_ERR_NO_PROTOCOL_VERSION :
			    SSH_ERR_MESSAGE_INCOMPLETE;
		linelen = (size_t)(nl - p);
		/* CR LF is required, but a bare LF is tolerated (RFC 4253 4.2). */
		if (linelen > 0 && p[linelen - 1] == '\r')
			linelen--;
		if (memchr(p, '\0', linelen) != NULL)
			return SSH_ERR_INVALID_FORMAT;
		if (linelen >= 4 && memcmp(p, "SSH-", 4) == 0) {
			if ((line = malloc(linelen + 1)) == NULL)
				return SSH_ERR_ALLOC_FAIL;
			memcpy(line, p, linelen);
			line[linelen] = '\0';
			if ((r = version_check(line)) != 0 ||
			    (r = buf_consume(in, (size_t)(nl - p) + 1)) != 0) {
				free(line);
				return r;
			}
			*identp = line;
			return 0;
		}
		if (++st->lines > VERSION_PREBANNER_LINES_MAX)
			return SSH_ERR_NO_PROTOCOL_VERSION;
		if ((r = buf_consume(in, (size_t)(nl - p) + 1)) != 0)
			return r;
	}
}
