/*
 * sktest.h: a software FIDO authenticator for the security-key tests: it
 * holds a plain Ed25519 or P-256 key and signs as PROTOCOL.u2f says a
 * security key does, with whatever flags and counter the test asks for.
 */
#ifndef NANOSSH_SKTEST_H
#define NANOSSH_SKTEST_H

#include <stddef.h>
#include <stdint.h>

#include "protocol/key.h"

struct buf;
struct sshkey;

struct sktest {
	enum key_type	 st_type;	/* KEY_SK_ED25519 or KEY_SK_ECDSA_P256 */
	struct sshkey	*st_priv;	/* the plain key inside the "token" */
	struct sshkey	*st_pub;	/* the sk public key, from its blob */
	char		*st_app;
};

/* A new authenticator key of type for application app. */
void sktest_new(struct sktest *t, enum key_type type, const char *app);
void sktest_free(struct sktest *t);
/* The sk public key blob: the plain blob's fields under the sk name, then
 * the application. */
struct buf *sktest_blob(enum key_type type, const struct sshkey *plain,
    const char *app);
/* The sk signature blob over data, as the authenticator makes it for app
 * (normally t->st_app; another one stands for a key enrolled elsewhere). */
struct buf *sktest_sign(const struct sktest *t, const char *app,
    uint8_t flags, uint32_t counter, const uint8_t *data, size_t len);

#endif
