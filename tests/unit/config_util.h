/* config_util.h: loading helpers shared by the check_config* tests. */
#ifndef NANOSSH_CONFIG_UTIL_H
#define NANOSSH_CONFIG_UTIL_H

#include <stddef.h>

struct cfg;

/* The path of a file in the source tree (static buffer, one at a time). */
const char *src(const char *rel);
/* Loads path with the overrides o, expecting success. */
struct cfg *load_ok_o(const char *path, const char *const *o, size_t n);
/* Loads a file of the source tree, expecting success. */
struct cfg *load_ok(const char *rel);
/* Loads and expects failure; returns the error text (caller frees). */
char *load_bad_o(const char *path, const char *const *o, size_t n);

#endif
