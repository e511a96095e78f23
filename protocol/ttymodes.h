/*
 * ttymodes.h: the encoded terminal modes of a "pty-req" channel request
 * (RFC 4254 section 8), sans-IO.
 *
 * The encoding is a sequence of (opcode byte, argument) pairs ending with
 * TTY_OP_END (0).  Opcodes 1..159 carry a uint32 argument; the meaning of
 * 160..255 is not defined, so, as the RFC asks, parsing stops at the first
 * of them (what follows cannot be interpreted).  Opcodes nanossh does not
 * know within 1..159 are kept: whoever applies the modes skips them.
 *
 * Only parsing lives here; mapping opcodes to termios is the OS side's
 * job (privsep/pty.c).
 */
#ifndef NANOSSH_TTYMODES_H
#define NANOSSH_TTYMODES_H

#include <stddef.h>
#include <stdint.h>

#define TTY_OP_END		0
#define TTY_OP_ARG_MAX		159	/* last opcode with a uint32 argument */
#define TTY_OP_ISPEED		128
#define TTY_OP_OSPEED		129
/* A peer cannot make us keep more than this many modes. */
#define TTYMODES_MAX		160

struct ttymode {
	uint8_t opcode;
	uint32_t value;
};

/*
 * Parses len bytes of encoded modes into out (room for max entries; the
 * same opcode twice keeps the later value).  *np gets the number of
 * entries.  Empty input (len 0, as some clients send) gives none.
 * Returns 0, SSH_ERR_MESSAGE_INCOMPLETE (an argument cut short, no
 * TTY_OP_END), SSH_ERR_UNEXPECTED_TRAILING_DATA (bytes after TTY_OP_END),
 * SSH_ERR_LIMIT_EXCEEDED (more distinct opcodes than max) or
 * SSH_ERR_INVALID_ARGUMENT.
 */
int ttymodes_parse(const uint8_t *modes, size_t len, struct ttymode *out,
    size_t max, size_t *np);

#endif
