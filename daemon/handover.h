/*
 * handover.h: what nanosshd hands each nanosshd-session, and its own next
 * image across a SIGHUP re-exec: the configuration it loaded and checked,
 * the host keys and the host certificates, in one sealed memfd.
 *
 * The session parses this instead of the configuration file, so a file
 * edited after the listener loaded it changes nothing until SIGHUP, and
 * the session never reads the file system for its settings or host keys.
 * The memfd is sealed (no write, grow or shrink) before any session sees
 * it, so one session can never change what the next one reads; readers
 * insist on the seals and read with pread, not sharing a file offset.
 *
 * Functions return 0 or a negative SSH_ERR_* code (SSH_ERR_SYSTEM_ERROR:
 * see errno).
 */
#ifndef NANOSSH_HANDOVER_H
#define NANOSSH_HANDOVER_H

#include <stddef.h>

struct buf;
struct cfg;
struct sshkey;
struct sshcert;

struct handover {
	struct cfg *cfg;
	struct sshkey **keys;		/* private host keys */
	size_t nkeys;
	struct sshcert **certs;		/* nkeys entries, NULL for none */
};

/* Larger ones are refused on reading (a file is 1 MiB at most). */
#define HANDOVER_MAX_SIZE	(16 * 1024 * 1024)

/* The bytes of h (handover.c's layout), appended to out. */
int handover_serialise(const struct handover *h, struct buf *out);
/* Reads what handover_serialise wrote into h (cleared first). */
int handover_deserialise(struct buf *in, struct handover *h);
/* h into a new sealed, close-on-exec memfd *fdp. */
int handover_write(const struct handover *h, int *fdp);
/* The sealed memfd fd into h; fd stays the caller's to close. */
int handover_read(int fd, struct handover *h);
/* Frees everything h holds and zeroes it; or only the keys and
 * certificates, keeping the configuration. */
void handover_clear(struct handover *h);
void handover_clear_keys(struct handover *h);

#endif
