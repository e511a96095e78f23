/* keytest.h: what the key tests (check_key*.c, check_keyfile.c) share. */
#ifndef NANOSSH_KEYTEST_H
#define NANOSSH_KEYTEST_H

#include "protocol/key.h"

struct buf;
struct sshkey;

/* The passphrase of the keys the tests encrypt. */
#define PASS	"correct horse"

/* The key types gen_setup() makes one key of, into gen_keys. */
struct gen_type {
	enum key_type	 type;
	unsigned int	 bits;
	const char	*name;
};
#define NGEN	5
extern const struct gen_type gen_types[NGEN];

/* Generated once (RSA generation is slow), by the unchecked fixture
 * gen_setup/gen_teardown. */
extern struct sshkey *gen_keys[NGEN];
void gen_setup(void);
void gen_teardown(void);

/* A file under tests/, read as key files are read. */
struct buf *read_fixture(const char *name);

/* Signs with priv and verifies with pub: the private halves agree. */
void assert_signs_for(const struct sshkey *priv, const struct sshkey *pub);

#endif
