/*
 * escape.h: making untrusted bytes safe for a log line.  Printable ASCII
 * stays, a backslash becomes two, every other byte \ooo (octal), so that
 * nothing a peer sends can end a line, fake another, or drive a terminal.
 */
#ifndef NANOSSH_ESCAPE_H
#define NANOSSH_ESCAPE_H

#include <stddef.h>
#include <stdint.h>

/* Escapes len bytes of src into dst, always NUL-terminated when dstsize
 * > 0, cut before an escape that would not fit.  Returns dst. */
char *str_escape(char *dst, size_t dstsize, const uint8_t *src, size_t len);

#endif
