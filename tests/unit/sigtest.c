/*
 * sigtest.c: what the signature tests share: signature blobs and public keys
 * from their parts (sigtest.h).
 */
#include <check.h>
#include <stddef.h>
#include <stdint.h>

#include "protocol/buf.h"
#include "protocol/key.h"
#include "protocol/ssherr.h"
#include "tests/unit/sigtest.h"

/* A signature blob "string name, string inner". */
struct buf *
mkblob(const char *name, const void *inner, size_t innerlen)
{
	struct buf *b = buf_new();

	ck_assert_ptr_nonnull(b);
	ck_assert_int_eq(buf_put_cstring(b, name), 0);
	ck_assert_int_eq(buf_put_string(b, inner, innerlen), 0);
	return b;
}

/* Public keys from the parts, through the SSH blob and key_from_blob. */
struct sshkey *
key_from(struct buf *blob)
{
	struct sshkey *k = NULL;
	int r = key_from_blob(blob, &k);

	ck_assert_msg(r == 0, "key_from_blob: %s", ssh_err(r));
	buf_free(blob);
	return k;
}

struct sshkey *
pub_ed25519(const uint8_t *pk, size_t len)
{
	struct buf *b = buf_new();

	ck_assert_int_eq(buf_put_cstring(b, "ssh-ed25519"), 0);
	ck_assert_int_eq(buf_put_string(b, pk, len), 0);
	return key_from(b);
}
