/* buf.c: the bounds-checked byte buffer of buf.h. */
#include <sys/types.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <bsd/stdlib.h>

#include "protocol/buf.h"
#include "protocol/ssherr.h"

struct buf {
	uint8_t *d;		/* writable storage, NULL when read-only */
	const uint8_t *cd;	/* storage for reading */
	size_t off;		/* start of the data */
	size_t size;		/* end of the data */
	size_t max_size;
	size_t alloc;
	int readonly;
	int wipe;		/* zero what is consumed or moved away */
};

/* Catches a corrupted or misused buffer before any access. */
static int
buf_check_sanity(const struct buf *b)
{
	if (b == NULL || b->cd == NULL || b->off > b->size ||
	    b->size - b->off > b->max_size || b->max_size > BUF_SIZE_MAX ||
	    (!b->readonly && (b->d != b->cd || b->size > b->alloc)))
		return SSH_ERR_INTERNAL_ERROR;
	return 0;
}

struct buf *
buf_new(void)
{
	struct buf *b;

	if ((b = calloc(1, sizeof(*b))) == NULL)
		return NULL;
	b->alloc = BUF_SIZE_INIT;
	b->max_size = BUF_SIZE_MAX;
	if ((b->d = calloc(1, b->alloc)) == NULL) {
		free(b);
		return NULL;
	}
	b->cd = b->d;
	return b;
}

struct buf *
buf_from(const void *p, size_t len)
{
	struct buf *b;
	static const uint8_t empty;

	if (len > BUF_SIZE_MAX || (p == NULL && len != 0))
		return NULL;
	if ((b = calloc(1, sizeof(*b))) == NULL)
		return NULL;
	b->cd = p != NULL ? p : &empty;
	b->size = b->alloc = b->max_size = len;
	b->readonly = 1;
	return b;
}

void
buf_free(struct buf *b)
{
	if (b == NULL)
		return;
	if (!b->readonly)
		freezero(b->d, b->alloc);
	freezero(b, sizeof(*b));
}

void
buf_reset(struct buf *b)
{
	if (buf_check_sanity(b) != 0)
		return;
	if (b->readonly) {
		b->off = b->size;
		return;
	}
	explicit_bzero(b->d, b->alloc);
	b->off = b->size = 0;
}

size_t
buf_max_size(const struct buf *b)
{
	return b->max_size;
}

size_t
buf_len(const struct buf *b)
{
	if (buf_check_sanity(b) != 0)
		return 0;
	return b->size - b->off;
}

size_t
buf_avail(const struct buf *b)
{
	if (buf_check_sanity(b) != 0 || b->readonly)
		return 0;
	return b->max_size - (b->size - b->off);
}

const uint8_t *
buf_ptr(const struct buf *b)
{
	if (buf_check_sanity(b) != 0)
		return NULL;
	return b->cd + b->off;
}

void
buf_set_wipe(struct buf *b)
{
	if (buf_check_sanity(b) == 0)
		b->wipe = 1;
}

/* Moves the data to the front of the storage. */
static void
buf_pack(struct buf *b)
{
	size_t live = b->size - b->off;

	if (b->off == 0)
		return;
	memmove(b->d, b->d + b->off, live);
	/* The tail of the old copy lies past the new end. */
	if (b->wipe)
		explicit_bzero(b->d + live, b->off);
	b->size = live;
	b->off = 0;
}

uint8_t *
buf_mutable_ptr(struct buf *b)
{
	if (buf_check_sanity(b) != 0 || b->readonly)
		return NULL;
	return b->d + b->off;
}

int
buf_set_max_size(struct buf *b, size_t max_size)
{
	int r;

	if ((r = buf_check_sanity(b)) != 0)
		return r;
	if (b->readonly)
		return SSH_ERR_BUFFER_READ_ONLY;
	if (max_size > BUF_SIZE_MAX)
		return SSH_ERR_NO_BUFFER_SPACE;
	if (b->size - b->off > max_size)
		return SSH_ERR_NO_BUFFER_SPACE;
	buf_pack(b);
	b->max_size = max_size;
	return 0;
}

int
buf_check_reserve(const struct buf *b, size_t len)
{
	int r;

	if ((r = buf_check_sanity(b)) != 0)
		return r;
	if (b->readonly)
		return SSH_ERR_BUFFER_READ_ONLY;
	if (len > b->max_size || b->max_size - len < b->size - b->off)
		return SSH_ERR_NO_BUFFER_SPACE;
	return 0;
}

int
buf_allocate(struct buf *b, size_t len)
{
	size_t need, rlen;
	uint8_t *dp;
	int r;

	if ((r = buf_check_reserve(b, len)) != 0)
		return r;
	/* Reuse consumed space at the front before growing. */
	if (b->size + len > b->alloc)
		buf_pack(b);
	if (b->size + len <= b->alloc)
		return 0;
	need = b->size + len;
	/* Grow in chunks so that byte-wise appends stay linear. */
	rlen = need < 0x10000 ? (need + 255) & ~(size_t)255 :
	    (need + 0xffff) & ~(size_t)0xffff;
	if (rlen > b->max_size)
		rlen = need;
	/* recallocarray wipes the old block, so secrets do not linger. */
	if ((dp = recallocarray(b->d, b->alloc, rlen, 1)) == NULL)
		return SSH_ERR_ALLOC_FAIL;
	b->d = dp;
	b->cd = dp;
	b->alloc = rlen;
	return 0;
}

int
buf_reserve(struct buf *b, size_t len, uint8_t **dpp)
{
	int r;

	if (dpp != NULL)
		*dpp = NULL;
	if ((r = buf_allocate(b, len)) != 0)
		return r;
	if (dpp != NULL)
		*dpp = b->d + b->size;
	b->size += len;
	return 0;
}

int
buf_consume(struct buf *b, size_t len)
{
	int r;

	if ((r = buf_check_sanity(b)) != 0)
		return r;
	if (len > b->size - b->off)
		return SSH_ERR_MESSAGE_INCOMPLETE;
	if (b->wipe && !b->readonly)
		explicit_bzero(b->d + b->off, len);
	b->off += len;
	if (b->off == b->size && !b->readonly)
		b->off = b->size = 0;
	return 0;
}

int
buf_consume_end(struct buf *b, size_t len)
{
	int r;

	if ((r = buf_check_sanity(b)) != 0)
		return r;
	if (len > b->size - b->off)
		return SSH_ERR_MESSAGE_INCOMPLETE;
	if (b->wipe && !b->readonly)
		explicit_bzero(b->d + b->size - len, len);
	b->size -= len;
	return 0;
}

int
buf_expect_end(const struct buf *b)
{
	int r;

	if ((r = buf_check_sanity(b)) != 0)
		return r;
	return b->size == b->off ? 0 : SSH_ERR_UNEXPECTED_TRAILING_DATA;
}

int
buf_get(struct buf *b, void *v, size_t len)
{
	const uint8_t *p = buf_ptr(b);
	int r;

	if (p == NULL)
		return SSH_ERR_INTERNAL_ERROR;
	if (len > buf_len(b))
		return SSH_ERR_MESSAGE_INCOMPLETE;
	if (v != NULL && len > 0)
		memcpy(v, p, len);
	if ((r = buf_consume(b, len)) != 0)
		return r;
	return 0;
}

int
buf_put(struct buf *b, const void *v, size_t len)
{
	uint8_t *p;
	int r;

	if (v == NULL && len != 0)
		return SSH_ERR_INVALID_ARGUMENT;
	if ((r = buf_reserve(b, len, &p)) != 0)
		return r;
	if (len != 0)
		memcpy(p, v, len);
	return 0;
}

int
buf_putb(struct buf *b, const struct buf *v)
{
	if (v == NULL)
		return SSH_ERR_INVALID_ARGUMENT;
	return buf_put(b, buf_ptr(v), buf_len(v));
}

int
buf_putfv(struct buf *b, const char *fmt, va_list ap)
{
	va_list ap2;
	uint8_t *p;
	int len, r;

	va_copy(ap2, ap);
	len = vsnprintf(NULL, 0, fmt, ap2);
	va_end(ap2);
	if (len < 0)
		return SSH_ERR_INVALID_FORMAT;
	if (len == 0)
		return 0;
	/* One extra byte for vsnprintf's NUL, dropped afterwards. */
	if ((r = buf_reserve(b, (size_t)len + 1, &p)) != 0)
		return r;
	va_copy(ap2, ap);
	if (vsnprintf((char *)p, (size_t)len + 1, fmt, ap2) != len) {
		va_end(ap2);
		buf_consume_end(b, (size_t)len + 1);
		return SSH_ERR_INTERNAL_ERROR;
	}
	va_end(ap2);
	return buf_consume_end(b, 1);
}

int
buf_putf(struct buf *b, const char *fmt, ...)
{
	va_list ap;
	int r;

	va_start(ap, fmt);
	r = buf_putfv(b, fmt, ap);
	va_end(ap);
	return r;
}

static uint64_t
peek_be(const uint8_t *p, size_t n)
{
	uint64_t v = 0;
	size_t i;

	for (i = 0; i < n; i++)
		v = (v << 8) | p[i];
	return v;
}

static void
poke_be(uint8_t *p, uint64_t v, size_t n)
{
	size_t i;

	for (i = n; i > 0; i--) {
		p[i - 1] = (uint8_t)v;
		v >>= 8;
	}
}

static int
get_be(struct buf *b, uint64_t *valp, size_t n)
{
	const uint8_t *p = buf_ptr(b);
	int r;

	if (p == NULL)
		return SSH_ERR_INTERNAL_ERROR;
	if (buf_len(b) < n)
		return SSH_ERR_MESSAGE_INCOMPLETE;
	if (valp != NULL)
		*valp = peek_be(p, n);
	if ((r = buf_consume(b, n)) != 0)
		return r;
	return 0;
}

static int
put_be(struct buf *b, uint64_t val, size_t n)
{
	uint8_t *p;
	int r;

	if ((r = buf_reserve(b, n, &p)) != 0)
		return r;
	poke_be(p, val, n);
	return 0;
}

int
buf_get_u64(struct buf *b, uint64_t *valp)
{
	return get_be(b, valp, 8);
}

int
buf_get_u32(struct buf *b, uint32_t *valp)
{
	uint64_t v;
	int r;

	if ((r = get_be(b, &v, 4)) != 0)
		return r;
	if (valp != NULL)
		*valp = (uint32_t)v;
	return 0;
}

int
buf_get_u16(struct buf *b, uint16_t *valp)
{
	uint64_t v;
	int r;

	if ((r = get_be(b, &v, 2)) != 0)
		return r;
	if (valp != NULL)
		*valp = (uint16_t)v;
	return 0;
}

int
buf_get_u8(struct buf *b, uint8_t *valp)
{
	uint64_t v;
	int r;

	if ((r = get_be(b, &v, 1)) != 0)
		return r;
	if (valp != NULL)
		*valp = (uint8_t)v;
	return 0;
}

int
buf_get_bool(struct buf *b, int *valp)
{
	uint8_t v;
	int r;

	if ((r = buf_get_u8(b, &v)) != 0)
		return r;
	if (valp != NULL)
		*valp = v != 0;
	return 0;
}

int
buf_put_u64(struct buf *b, uint64_t val)
{
	return put_be(b, val, 8);
}

int
buf_put_u32(struct buf *b, uint32_t val)
{
	return put_be(b, val, 4);
}

int
buf_put_u16(struct buf *b, uint16_t val)
{
	return put_be(b, val, 2);
}

int
buf_put_u8(struct buf *b, uint8_t val)
{
	return put_be(b, val, 1);
}

int
buf_peek_u32(const struct buf *b, size_t offset, uint32_t *valp)
{
	const uint8_t *p = buf_ptr(b);

	if (p == NULL)
		return SSH_ERR_INTERNAL_ERROR;
	if (offset > buf_len(b) || buf_len(b) - offset < 4)
		return SSH_ERR_MESSAGE_INCOMPLETE;
	if (valp != NULL)
		*valp = (uint32_t)peek_be(p + offset, 4);
	return 0;
}

int
buf_poke_u32(struct buf *b, size_t offset, uint32_t val)
{
	uint8_t *p = buf_mutable_ptr(b);

	if (p == NULL)
		return b != NULL && b->readonly ? SSH_ERR_BUFFER_READ_ONLY :
		    SSH_ERR_INTERNAL_ERROR;
	if (offset > buf_len(b) || buf_len(b) - offset < 4)
		return SSH_ERR_NO_BUFFER_SPACE;
	poke_be(p + offset, val, 4);
	return 0;
}

int
buf_peek_string_direct(const struct buf *b, const uint8_t **valp,
    size_t *lenp)
{
	const uint8_t *p = buf_ptr(b);
	uint32_t len;
	int r;

	if (valp != NULL)
		*valp = NULL;
	if (lenp != NULL)
		*lenp = 0;
	if (p == NULL)
		return SSH_ERR_INTERNAL_ERROR;
	if ((r = buf_peek_u32(b, 0, &len)) != 0)
		return r;
	if (len > BUF_SIZE_MAX - 4)
		return SSH_ERR_STRING_TOO_LARGE;
	if (buf_len(b) - 4 < len)
		return SSH_ERR_MESSAGE_INCOMPLETE;
	if (valp != NULL)
		*valp = p + 4;
	if (lenp != NULL)
		*lenp = len;
	return 0;
}

int
buf_get_string_direct(struct buf *b, const uint8_t **valp, size_t *lenp)
{
	const uint8_t *p;
	size_t len;
	int r;

	if (valp != NULL)
		*valp = NULL;
	if (lenp != NULL)
		*lenp = 0;
	if ((r = buf_peek_string_direct(b, &p, &len)) != 0)
		return r;
	if ((r = buf_consume(b, 4 + len)) != 0)
		return r;
	if (valp != NULL)
		*valp = p;
	if (lenp != NULL)
		*lenp = len;
	return 0;
}

int
buf_get_string(struct buf *b, uint8_t **valp, size_t *lenp)
{
	const uint8_t *p;
	size_t len;
	uint8_t *v;
	int r;

	if (valp != NULL)
		*valp = NULL;
	if (lenp != NULL)
		*lenp = 0;
	if ((r = buf_peek_string_direct(b, &p, &len)) != 0)
		return r;
	if (valp != NULL) {
		if ((v = malloc(len + 1)) == NULL)
			return SSH_ERR_ALLOC_FAIL;
		if (len != 0)
			memcpy(v, p, len);
		v[len] = '\0';
	} else
		v = NULL;
	if ((r = buf_consume(b, 4 + len)) != 0) {
		free(v);
		return r;
	}
	if (valp != NULL)
		*valp = v;
	if (lenp != NULL)
		*lenp = len;
	return 0;
}

int
buf_get_cstring(struct buf *b, char **valp, size_t *lenp)
{
	const uint8_t *p;
	size_t len;
	int r;

	if (valp != NULL)
		*valp = NULL;
	if (lenp != NULL)
		*lenp = 0;
	if ((r = buf_peek_string_direct(b, &p, &len)) != 0)
		return r;
	if (len != 0 && memchr(p, '\0', len) != NULL)
		return SSH_ERR_INVALID_FORMAT;
	return buf_get_string(b, (uint8_t **)valp, lenp);
}

int
buf_get_stringb(struct buf *b, struct buf *v)
{
	const uint8_t *p;
	size_t len;
	int r;

	if ((r = buf_peek_string_direct(b, &p, &len)) != 0)
		return r;
	if ((r = buf_put(v, p, len)) != 0)
		return r;
	return buf_consume(b, 4 + len);
}

int
buf_froms(struct buf *b, struct buf **subp)
{
	const uint8_t *p;
	size_t len;
	struct buf *sub;
	int r;

	if (subp == NULL)
		return SSH_ERR_INVALID_ARGUMENT;
	*subp = NULL;
	if ((r = buf_peek_string_direct(b, &p, &len)) != 0)
		return r;
	if ((sub = buf_from(p, len)) == NULL)
		return SSH_ERR_ALLOC_FAIL;
	if ((r = buf_consume(b, 4 + len)) != 0) {
		buf_free(sub);
		return r;
	}
	*subp = sub;
	return 0;
}

int
buf_put_string(struct buf *b, const void *v, size_t len)
{
	uint8_t *p;
	int r;

	if (len > BUF_SIZE_MAX - 4)
		return SSH_ERR_NO_BUFFER_SPACE;
	if (v == NULL && len != 0)
		return SSH_ERR_INVALID_ARGUMENT;
	if ((r = buf_reserve(b, 4 + len, &p)) != 0)
		return r;
	poke_be(p, len, 4);
	if (len != 0)
		memcpy(p + 4, v, len);
	return 0;
}

int
buf_put_cstring(struct buf *b, const char *v)
{
	if (v == NULL)
		return SSH_ERR_INVALID_ARGUMENT;
	return buf_put_string(b, v, strlen(v));
}

int
buf_put_stringb(struct buf *b, const struct buf *v)
{
	if (v == NULL)
		return SSH_ERR_INVALID_ARGUMENT;
	return buf_put_string(b, buf_ptr(v), buf_len(v));
}

int
buf_get_bignum2_bytes_direct(struct buf *b, const uint8_t **valp,
    size_t *lenp)
{
	const uint8_t *d;
	size_t len, olen;
	int r;

	if (valp != NULL)
		*valp = NULL;
	if (lenp != NULL)
		*lenp = 0;
	if ((r = buf_peek_string_direct(b, &d, &olen)) != 0)
		return r;
	len = olen;
	if (len != 0 && (*d & 0x80) != 0)
		return SSH_ERR_BIGNUM_IS_NEGATIVE;
	/* RFC 4251: no unnecessary leading zero bytes. */
	if (len > 1 && d[0] == 0 && (d[1] & 0x80) == 0)
		return SSH_ERR_INVALID_FORMAT;
	if (len != 0 && d[0] == 0) {
		d++;
		len--;
	}
	if (len > BUF_MAX_BIGNUM)
		return SSH_ERR_BIGNUM_TOO_LARGE;
	if ((r = buf_consume(b, 4 + olen)) != 0)
		return r;
	if (valp != NULL)
		*valp = d;
	if (lenp != NULL)
		*lenp = len;
	return 0;
}

int
buf_put_bignum2_bytes(struct buf *b, const void *v, size_t len)
{
	const uint8_t *s = v;
	uint8_t *d;
	int prepend, r;

	if (v == NULL && len != 0)
		return SSH_ERR_INVALID_ARGUMENT;
	while (len > 0 && *s == 0) {
		s++;
		len--;
	}
	if (len > BUF_MAX_BIGNUM)
		return SSH_ERR_BIGNUM_TOO_LARGE;
	prepend = len > 0 && (s[0] & 0x80) != 0;
	if ((r = buf_reserve(b, 4 + prepend + len, &d)) != 0)
		return r;
	poke_be(d, len + prepend, 4);
	if (prepend)
		d[4] = 0;
	if (len != 0)
		memcpy(d + 4 + prepend, s, len);
	return 0;
}

char *
buf_dup_string(const struct buf *b)
{
	const uint8_t *p = buf_ptr(b);
	size_t len = buf_len(b);
	char *s;

	if (p == NULL || (len != 0 && memchr(p, '\0', len) != NULL))
		return NULL;
	if ((s = malloc(len + 1)) == NULL)
		return NULL;
	if (len != 0)
		memcpy(s, p, len);
	s[len] = '\0';
	return s;
}

int
buf_equals(const struct buf *a, const struct buf *b)
{
	if (buf_ptr(a) == NULL || buf_ptr(b) == NULL)
		return SSH_ERR_INTERNAL_ERROR;
	if (buf_len(a) != buf_len(b))
		return SSH_ERR_MESSAGE_INCOMPLETE;
	if (buf_len(a) == 0)
		return 0;
	return memcmp(buf_ptr(a), buf_ptr(b), buf_len(a)) == 0 ? 0 :
	    SSH_ERR_INVALID_FORMAT;
}
