/*
 * key.h: SSH public and private keys (Ed25519, ECDSA P-256/384/521, RSA,
 * and DSA for ssh-dss)
 * held as OpenSSL EVP_PKEYs, and the public halves of FIDO security keys
 * (PROTOCOL.u2f: sk-ssh-ed25519@openssh.com, sk-ecdsa-sha2-nistp256@
 * openssh.com), which are the plain key plus the FIDO application string;
 * their private half lives in the authenticator, never here.  Pure data transformations on buffers, no
 * file access (common/keyfile.h reads and writes key files).
 * All functions return 0 or a negative SSH_ERR_* code.
 */
#ifndef NANOSSH_KEY_H
#define NANOSSH_KEY_H

#include <stddef.h>

struct buf;
struct sshkey;

enum key_type {
	KEY_UNSPEC = 0,
	KEY_ED25519,
	KEY_ECDSA_P256,
	KEY_ECDSA_P384,
	KEY_ECDSA_P521,
	KEY_RSA,
	KEY_SK_ED25519,
	KEY_SK_ECDSA_P256,
	KEY_DSA,	/* ssh-dss: 1024-bit, SHA-1; only where configured */
};

/* Generates a key; bits only matters for RSA (0: 3072) and ECDSA (0: 256). */
int key_generate(enum key_type type, unsigned int bits, struct sshkey **keyp);
void key_free(struct sshkey *key);
enum key_type key_type(const struct sshkey *key);
/* "ssh-ed25519", "ecdsa-sha2-nistp256", ..., "ssh-rsa" */
const char *key_type_name(const struct sshkey *key);
/* "ED25519", "ECDSA", "RSA", as in ssh-keygen -l output */
const char *key_type_short(const struct sshkey *key);
unsigned int key_bits(const struct sshkey *key);
/* KEY_UNSPEC for an unknown name. */
enum key_type key_type_from_name(const char *name);
/* 1 for the FIDO security-key types. */
int key_type_is_sk(enum key_type type);
/* The plain type whose signature scheme a type uses (KEY_SK_ED25519 ->
 * KEY_ED25519); other types map to themselves. */
enum key_type key_type_plain(enum key_type type);
/* A security key's FIDO application ("ssh:" by default); NULL otherwise. */
const char *key_sk_application(const struct sshkey *key);
/* 1 if the key holds a private half. */
int key_is_private(const struct sshkey *key);
/* 0 if both keys have the same public half. */
int key_equal_public(const struct sshkey *a, const struct sshkey *b);
/* A new key holding only the public half of key. */
int key_demote(const struct sshkey *key, struct sshkey **pubp);

/* The key's OpenSSL object, owned by the key (for signing and verifying). */
struct evp_pkey_st *key_evp(const struct sshkey *key);

/* Public key blob (RFC 4253 section 6.6 / RFC 5656 / RFC 8709 encoding;
 * PROTOCOL.u2f: the plain fields, then string application). */
int key_to_blob(const struct sshkey *key, struct buf *out);
/* Parses a blob that must fill the whole buffer. */
int key_from_blob(const struct buf *blob, struct sshkey **keyp);
/* "SHA256:" followed by unpadded base64 of SHA-256(blob); caller frees. */
int key_fingerprint(const struct sshkey *key, char **fpp);
/* One authorized_keys-style line: "type base64[ comment]\n". */
int key_to_public_line(const struct sshkey *key, const char *comment,
    struct buf *out);
/* Parses "type base64[ comment]"; commentp may be NULL. */
int key_from_public_line(const char *line, struct sshkey **keyp,
    char **commentp);

/*
 * Private key files (key_private.c).  key_private_to_openssh writes OpenSSH's
 * openssh-key-v1 format (PEM-armoured), encrypted with bcrypt-pbkdf and
 * aes256-ctr when passphrase is non-empty, exactly as ssh-keygen does.
 * key_private_parse reads openssh-key-v1, PEM PKCS#1 / SEC1 and PKCS#8
 * (encrypted PEM forms with the passphrase); a wrong passphrase gives
 * SSH_ERR_KEY_WRONG_PASSPHRASE.
 */
int key_private_to_openssh(const struct sshkey *key, const char *passphrase,
    const char *comment, struct buf *out);
/* The same with another cipher (NULL: aes256-ctr), as ssh-keygen -Z. */
int key_private_to_openssh_cipher(const struct sshkey *key,
    const char *passphrase, const char *comment, const char *cipher,
    struct buf *out);
/* 1 if cipher names a cipher for openssh-key-v1 files (not "none"). */
int key_private_cipher_known(const char *cipher);
/*
 * The most bcrypt_pbkdf rounds a key file may ask for; more gives
 * SSH_ERR_KEY_KDF_ROUNDS before any work is done.  A round takes about
 * 8 ms, so this is some 8 s; ssh-keygen writes 16 unless told otherwise (-a).
 */
#define KEY_KDF_MAX_ROUNDS	1024
int key_private_parse(const struct buf *file, const char *passphrase,
    struct sshkey **keyp, char **commentp);
/*
 * The public half of a private key file without a passphrase: from the
 * openssh-key-v1 header, or from an unencrypted PEM key (an encrypted one
 * gives SSH_ERR_KEY_WRONG_PASSPHRASE).
 */
int key_private_parse_public(const struct buf *file, struct sshkey **pubp);

/*
 * Public keys in other formats (key_convert.c), as ssh-keygen -e / -i:
 * RFC 4716 "SSH2 PUBLIC KEY" blocks (written with a Comment header when
 * comment is not NULL and base64 in 70 columns), and PEM:
 * KEY_PEM_PKCS8 is SubjectPublicKeyInfo ("PUBLIC KEY"); KEY_PEM_PEM is
 * PKCS#1 ("RSA PUBLIC KEY") for RSA and SubjectPublicKeyInfo for the rest,
 * and reads either.  Inputs larger than KEY_CONVERT_MAX_INPUT give
 * SSH_ERR_LIMIT_EXCEEDED.  commentp may be NULL.
 */
#define KEY_CONVERT_MAX_INPUT	(64 * 1024)
enum key_pem_format { KEY_PEM_PKCS8, KEY_PEM_PEM };
int key_to_rfc4716(const struct sshkey *key, const char *comment,
    struct buf *out);
int key_from_rfc4716(const struct buf *in, struct sshkey **keyp,
    char **commentp);
int key_to_pem_public(const struct sshkey *key, enum key_pem_format fmt,
    struct buf *out);
int key_from_pem_public(const struct buf *in, enum key_pem_format fmt,
    struct sshkey **keyp);

#endif
