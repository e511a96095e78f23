/*
 * passwd_file.h: the "file" password back end: auth.password_file holds
 * "user:crypt-hash" lines, for devices without PAM or /etc/shadow users.
 *
 * Blank lines and lines starting with '#' are ignored.  Hashes must be a
 * method pwcrypt_hash_valid accepts (yescrypt, gost-yescrypt, scrypt,
 * sha512crypt, bcrypt); create them with mkpasswd(1) or
 * `openssl passwd -6`.  The file must be a regular file not writable by
 * group or others, owned by root when nanosshd runs as root (else by root
 * or the user running it).
 */
#ifndef NANOSSH_PASSWD_FILE_H
#define NANOSSH_PASSWD_FILE_H

#include <stddef.h>

#include "auth/password.h"

#define PWFILE_SIZE_MAX		(4 * 1024 * 1024)
#define PWFILE_LINE_MAX		1024
#define PWFILE_ENTRIES_MAX	10000
#define PWFILE_USER_MAX		256

struct pwfile;

/*
 * Reads and checks path.  On success *fp holds every entry (free with
 * pwfile_free).  Any problem fails the whole load (no half-read file is
 * ever used) with SSH_ERR_INVALID_FORMAT (bad lines),
 * SSH_ERR_KEY_BAD_PERMISSIONS (owner or mode), SSH_ERR_SYSTEM_ERROR (cannot
 * open or read) or SSH_ERR_LIMIT_EXCEEDED (size); when errsp is non-NULL,
 * *errsp is then set to every problem found, one line each, "FILE:LINE:
 * what" for a line or "FILE: what" for the file (caller frees), for
 * `nanosshd -t` and the startup check.
 */
int pwfile_load(const char *path, struct pwfile **fp, char **errsp);
void pwfile_free(struct pwfile *f);
/* The number of users in a loaded file. */
size_t pwfile_count(const struct pwfile *f);

/*
 * Verifies password (len bytes) for user.  An unknown user is verified
 * against another entry's hash (the first one's, so the same method and
 * cost as the file's users; a built-in yescrypt hash for an empty file)
 * and refused: the same work as a wrong password.  Returns 0 with *res
 * PW_OK or PW_FAIL, or a negative SSH_ERR_* with *res PW_ERROR.
 */
int pwfile_verify(const struct pwfile *f, const char *user,
    const char *password, size_t len, enum pw_result *res);

/*
 * The back end as password_check calls it: loads path (so edits take
 * effect for the next connection), then pwfile_verify.  A file that does
 * not load gives PW_ERROR and its first problem in *msg.
 */
int pwfile_check(const char *path, const char *user, const char *password,
    size_t len, enum pw_result *res, char **msg);

#endif
