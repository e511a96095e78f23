/*
 * publine.h: splitting a public key line, "type base64[ comment]", as
 * authorized_keys, *.pub and *-cert.pub files hold them.  Only splits:
 * the callers (key.c, cert.c) check the type and decode the blob.
 */
#ifndef NANOSSH_PUBLINE_H
#define NANOSSH_PUBLINE_H

#include <stddef.h>

#define PUBLINE_NAME_MAX	64		/* type names, with the NUL */
#define PUBLINE_B64_MAX		65536		/* base64 characters */

struct publine {
	char name[PUBLINE_NAME_MAX];
	char *b64;		/* NUL-terminated copy */
	char *comment;		/* NULL when the line has none */
};

/*
 * Splits line (leading blanks allowed; only a line ending may follow the
 * comment).  Returns 0, SSH_ERR_INVALID_FORMAT, or SSH_ERR_ALLOC_FAIL;
 * release with publine_clear() in every case.
 */
int publine_split(const char *line, struct publine *pl);
void publine_clear(struct publine *pl);

#endif
