/* namelist.h: SSH name-lists (RFC 4251 section 5): validation, lookup,
 * and the negotiation rule of RFC 4253 section 7.1. */
#ifndef NANOSSH_NAMELIST_H
#define NANOSSH_NAMELIST_H

#include <stddef.h>

/* Bounds a peer cannot raise: the longest algorithm name RFC 4251 allows
 * is 64 bytes; nobody needs more than a few dozen names per list. */
#define NAMELIST_NAME_MAX	64
#define NAMELIST_NAMES_MAX	128
#define NAMELIST_LEN_MAX	(NAMELIST_NAMES_MAX * (NAMELIST_NAME_MAX + 1))

/* 0 if list is a valid name-list (possibly empty): names of printable
 * ASCII without commas or spaces, each 1..64 bytes, separated by single
 * commas, within the caps above; else SSH_ERR_INVALID_FORMAT. */
int namelist_check(const char *list, size_t len);
/* 1 if name is one of the list's names. */
int namelist_contains(const char *list, const char *name);
/* The first name of client that server also has (RFC 4253 7.1), newly
 * allocated; SSH_ERR_KEY_NOT_FOUND when there is none. */
int namelist_match(const char *client, const char *server, char **namep);
/* The first name of list, newly allocated ("" for an empty list). */
int namelist_first(const char *list, char **namep);

#endif
