/* buf_encode.c: base64 (RFC 4648, as in key files and authorized_keys)
 * and hex renderings of buffers, through buf.h's API only. */
#include <stdint.h>
#include <stdlib.h>

#include <openssl/evp.h>
#include <bsd/stdlib.h>

#include "protocol/buf.h"
#include "protocol/ssherr.h"

int
buf_dtob64(const struct buf *d, struct buf *b64, int wrap)
{
	size_t i, slen, plen;
	uint8_t *s;
	int r;

	if (d == NULL || b64 == NULL)
		return SSH_ERR_INVALID_ARGUMENT;
	slen = buf_len(d);
	if (slen == 0)
		return 0;
	if (slen > (BUF_SIZE_MAX / 4) * 3)
		return SSH_ERR_NO_BUFFER_SPACE;
	plen = ((slen + 2) / 3) * 4 + 1;
	if ((s = malloc(plen)) == NULL)
		return SSH_ERR_ALLOC_FAIL;
	if ((size_t)EVP_EncodeBlock(s, buf_ptr(d), (int)slen) != plen - 1) {
		free(s);
		return SSH_ERR_INTERNAL_ERROR;
	}
	plen--;
	if (!wrap)
		r = buf_put(b64, s, plen);
	else {
		for (i = 0, r = 0; i < plen && r == 0; i += 70) {
			size_t n = plen - i < 70 ? plen - i : 70;

			if ((r = buf_put(b64, s + i, n)) == 0)
				r = buf_put_u8(b64, '\n');
		}
	}
	freezero(s, plen + 1);
	return r;
}

static int
b64_value(int c)
{
	if (c >= 'A' && c <= 'Z')
		return c - 'A';
	if (c >= 'a' && c <= 'z')
		return c - 'a' + 26;
	if (c >= '0' && c <= '9')
		return c - '0' + 52;
	if (c == '+')
		return 62;
	if (c == '/')
		return 63;
	return -1;
}

int
buf_b64tod(struct buf *b, const char *b64)
{
	size_t i, n = 0, pad = 0, start;
	uint32_t acc = 0;
	int v, r;

	if (b == NULL || b64 == NULL)
		return SSH_ERR_INVALID_ARGUMENT;
	start = buf_len(b);
	for (i = 0; b64[i] != '\0'; i++) {
		if (b64[i] == ' ' || b64[i] == '\t' || b64[i] == '\n' ||
		    b64[i] == '\r')
			continue;
		if (b64[i] == '=') {
			pad++;
			continue;
		}
		if (pad != 0 || (v = b64_value((unsigned char)b64[i])) < 0)
			goto bad;
		acc = (acc << 6) | (uint32_t)v;
		if (++n % 4 == 0) {
			uint8_t out[3] = { acc >> 16, acc >> 8, acc };

			if ((r = buf_put(b, out, 3)) != 0)
				goto fail;
			acc = 0;
		}
	}
	switch (n % 4) {
	case 0:
		if (pad != 0)
			goto bad;
		break;
	case 2: {
		uint8_t out = (uint8_t)(acc >> 4);

		if ((acc & 0xf) != 0 || (pad != 0 && pad != 2))
			goto bad;
		if ((r = buf_put(b, &out, 1)) != 0)
			goto fail;
		break;
	}
	case 3: {
		uint8_t out[2] = { acc >> 10, acc >> 2 };

		if ((acc & 0x3) != 0 || pad > 1)
			goto bad;
		if ((r = buf_put(b, out, 2)) != 0)
			goto fail;
		break;
	}
	default:
		goto bad;
	}
	return 0;
 bad:
	r = SSH_ERR_INVALID_FORMAT;
 fail:
	buf_consume_end(b, buf_len(b) - start);
	return r;
}

char *
buf_dtob16(const struct buf *b)
{
	static const char hex[] = "0123456789abcdef";
	const uint8_t *p = buf_ptr(b);
	size_t i, len = buf_len(b);
	char *s;

	if (p == NULL || len > (SIZE_MAX - 1) / 2)
		return NULL;
	if ((s = malloc(len * 2 + 1)) == NULL)
		return NULL;
	for (i = 0; i < len; i++) {
		s[i * 2] = hex[p[i] >> 4];
		s[i * 2 + 1] = hex[p[i] & 0xf];
	}
	s[len * 2] = '\0';
	return s;
}
