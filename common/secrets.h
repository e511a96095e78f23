/*
 * secrets.h: the host keys the monitor holds, and their wiping in each
 * process it forks to do work the user chooses (name lookups, reading the
 * user's files, PAM conversations, commands): such a process may run code
 * the user or the network controls, so it must never carry a private key.
 */
#ifndef NANOSSH_SECRETS_H
#define NANOSSH_SECRETS_H

#include <stddef.h>

struct sshkey;

/* The keys to wipe (the caller keeps them: the array and the keys stay
 * the caller's in this process). */
void secrets_hold_keys(struct sshkey **keys, size_t n);

/*
 * In a freshly forked process only: frees (and so wipes: key_free clears
 * the private parts) every held key and empties the array.  Safe to call
 * when nothing is held, and more than once.
 */
void secrets_forget(void);

#endif
