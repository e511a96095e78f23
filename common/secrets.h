/*
 * secrets.h: the private keys the monitor holds (host keys, RSA key
 * exchange's transient keys), and their wiping in each
 * process it forks to do work the user chooses (name lookups, reading the
 * user's files, PAM conversations, commands): such a process may run code
 * the user or the network controls, so it must never carry a private key.
 */
#ifndef NANOSSH_SECRETS_H
#define NANOSSH_SECRETS_H

#include <stddef.h>

struct sshkey;

/* The sets of keys held, each registered on its own. */
enum secrets_set {
	SECRETS_HOST_KEYS,
	SECRETS_KEX_KEYS,	/* RSA key exchange (privsep/monitor_rsakex.c) */
	SECRETS_NSETS
};

/* The keys of a set to wipe (the caller keeps them: the array and the
 * keys stay the caller's in this process); NULL empties the set.  NULL
 * entries are allowed. */
void secrets_hold_keys(enum secrets_set set, struct sshkey **keys, size_t n);

/*
 * In a freshly forked process only: frees (and so wipes: key_free clears
 * the private parts) every held key of every set and empties the arrays.  Safe to call
 * when nothing is held, and more than once.
 */
void secrets_forget(void);

#endif
