/* sigtest.h: what the signature tests (check_sig*.c) share. */
#ifndef NANOSSH_SIGTEST_H
#define NANOSSH_SIGTEST_H

#include <stddef.h>
#include <stdint.h>

struct buf;
struct sshkey;

/* A signature blob "string name, string inner". */
struct buf *mkblob(const char *name, const void *inner, size_t innerlen);
/* Public keys from the parts, through the SSH blob and key_from_blob
 * (which takes blob). */
struct sshkey *key_from(struct buf *blob);
struct sshkey *pub_ed25519(const uint8_t *pk, size_t len);

#endif
