/* ttymodes.c: RFC 4254 section 8 encoded terminal modes (ttymodes.h). */
#include <stddef.h>
#include <stdint.h>

#include "protocol/buf.h"
#include "protocol/ssherr.h"
#include "protocol/ttymodes.h"

/* The later of two settings of one opcode wins, as a terminal would
 * apply them in order. */
static int
ttymodes_set(struct ttymode *out, size_t max, size_t *np, uint8_t op,
    uint32_t value)
{
	size_t i;

	for (i = 0; i < *np; i++) {
		if (out[i].opcode == op) {
			out[i].value = value;
			return 0;
		}
	}
	if (*np >= max)
		return SSH_ERR_LIMIT_EXCEEDED;
	out[*np].opcode = op;
	out[*np].value = value;
	(*np)++;
	return 0;
}

int
ttymodes_parse(const uint8_t *modes, size_t len, struct ttymode *out,
    size_t max, size_t *np)
{
	struct buf *b = NULL;
	uint8_t op;
	uint32_t v;
	size_t n = 0;
	int r = SSH_ERR_INTERNAL_ERROR;

	*np = 0;
	if ((len > 0 && modes == NULL) || (max > 0 && out == NULL))
		return SSH_ERR_INVALID_ARGUMENT;
	if (len == 0)
		return 0;
	if ((b = buf_from(modes, len)) == NULL)
		return SSH_ERR_ALLOC_FAIL;
	for (;;) {
		if ((r = buf_get_u8(b, &op)) != 0)
			goto out;
		if (op == TTY_OP_END)
			break;
		if (op > TTY_OP_ARG_MAX) {
			/* Undefined: the rest cannot be parsed (RFC 4254 8). */
			if ((r = buf_consume(b, buf_len(b))) != 0)
				goto out;
			break;
		}
		if ((r = buf_get_u32(b, &v)) != 0 ||
		    (r = ttymodes_set(out, max, &n, op, v)) != 0)
			goto out;
	}
	if ((r = buf_expect_end(b)) != 0)
		goto out;
	*np = n;
	r = 0;
 out:
	buf_free(b);
	return r;
}
