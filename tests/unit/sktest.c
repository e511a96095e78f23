/* sktest.c: a software FIDO authenticator (sktest.h). */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/evp.h>

#include "protocol/buf.h"
#include "protocol/key.h"
#include "protocol/sig.h"
#include "tests/unit/sktest.h"

static const char *
sk_name(enum key_type type)
{
	return type == KEY_SK_ED25519 ? "sk-ssh-ed25519@openssh.com" :
	    "sk-ecdsa-sha2-nistp256@openssh.com";
}

struct buf *
sktest_blob(enum key_type type, const struct sshkey *plain, const char *app)
{
	struct buf *pb, *out;
	char *name = NULL;

	ck_assert_ptr_nonnull(pb = buf_new());
	ck_assert_ptr_nonnull(out = buf_new());
	ck_assert_int_eq(key_to_blob(plain, pb), 0);
	/* The plain fields follow the plain name. */
	ck_assert_int_eq(buf_get_cstring(pb, &name, NULL), 0);
	ck_assert_int_eq(buf_put_cstring(out, sk_name(type)), 0);
	ck_assert_int_eq(buf_putb(out, pb), 0);
	ck_assert_int_eq(buf_put_cstring(out, app), 0);
	free(name);
	buf_free(pb);
	return out;
}

void
sktest_new(struct sktest *t, enum key_type type, const char *app)
{
	struct buf *blob;

	memset(t, 0, sizeof(*t));
	t->st_type = type;
	ck_assert_int_eq(key_generate(key_type_plain(type), 0, &t->st_priv), 0);
	ck_assert_ptr_nonnull(t->st_app = strdup(app));
	blob = sktest_blob(type, t->st_priv, app);
	ck_assert_int_eq(key_from_blob(blob, &t->st_pub), 0);
	buf_free(blob);
}

void
sktest_free(struct sktest *t)
{
	key_free(t->st_priv);
	key_free(t->st_pub);
	free(t->st_app);
	memset(t, 0, sizeof(*t));
}

struct buf *
sktest_sign(const struct sktest *t, const char *app, uint8_t flags,
    uint32_t counter, const uint8_t *data, size_t len)
{
	struct buf *msg, *plain, *out;
	uint8_t md[32];
	const uint8_t *inner;
	size_t innerlen;
	char *name = NULL;

	ck_assert_ptr_nonnull(msg = buf_new());
	ck_assert_ptr_nonnull(plain = buf_new());
	ck_assert_ptr_nonnull(out = buf_new());
	ck_assert_int_eq(EVP_Digest(app, strlen(app), md, NULL, EVP_sha256(),
	    NULL), 1);
	ck_assert_int_eq(buf_put(msg, md, sizeof(md)), 0);
	ck_assert_int_eq(buf_put_u8(msg, flags), 0);
	ck_assert_int_eq(buf_put_u32(msg, counter), 0);
	ck_assert_int_eq(EVP_Digest(data, len, md, NULL, EVP_sha256(), NULL), 1);
	ck_assert_int_eq(buf_put(msg, md, sizeof(md)), 0);
	/* The token's signature over msg is a plain one (ECDSA hashes msg
	 * with SHA-256 once more, as the token does). */
	ck_assert_int_eq(sig_sign(t->st_priv, NULL, buf_ptr(msg), buf_len(msg),
	    plain), 0);
	ck_assert_int_eq(buf_get_cstring(plain, &name, NULL), 0);
	ck_assert_int_eq(buf_get_string_direct(plain, &inner, &innerlen), 0);
	ck_assert_int_eq(buf_put_cstring(out, sk_name(t->st_type)), 0);
	ck_assert_int_eq(buf_put_string(out, inner, innerlen), 0);
	ck_assert_int_eq(buf_put_u8(out, flags), 0);
	ck_assert_int_eq(buf_put_u32(out, counter), 0);
	free(name);
	buf_free(msg);
	buf_free(plain);
	return out;
}
