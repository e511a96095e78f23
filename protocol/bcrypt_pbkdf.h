/*
 * bcrypt_pbkdf.h: the key-derivation function that protects OpenSSH's
 * openssh-key-v1 private key files ("ssh-keygen -N passphrase", cipher
 * aes256-ctr, kdfname "bcrypt").  It is OpenBSD's bcrypt_pbkdf: PBKDF2's
 * block structure with SHA-512 for the hashing and a bcrypt-style
 * (eksblowfish) hash as the pseudo-random function, its output bytes spread
 * across the blocks rather than concatenated.
 */
#ifndef NANOSSH_BCRYPT_PBKDF_H
#define NANOSSH_BCRYPT_PBKDF_H

#include <stddef.h>
#include <stdint.h>

#define BCRYPT_PBKDF_MAX_KEYLEN	1024

/*
 * Derives keylen bytes from pass/salt with the given rounds (OpenSSH uses 16);
 * returns 0 or a negative SSH_ERR_* code (SSH_ERR_INVALID_ARGUMENT for empty pass/salt,
 * rounds < 1, keylen 0 or > 1024).  On error key is left zeroed if keylen was
 * within bounds.
 */
int bcrypt_pbkdf(const char *pass, size_t passlen, const uint8_t *salt, size_t saltlen,
    uint8_t *key, size_t keylen, unsigned int rounds);

#endif
