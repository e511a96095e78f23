/*
 * buf.h: the one byte-buffer type.  All wire data is parsed and built only
 * through these functions.  Every getter checks that enough bytes are
 * present and never reads past the end; every putter checks the buffer's
 * maximum size.  Functions return 0 or a negative SSH_ERR_* code (ssherr.h);
 * on error a getter consumes nothing and leaves its outputs untouched or
 * NULL.
 *
 * SSH encodings (RFC 4251 section 5): uint32/uint64 are big-endian; a
 * "string" is a uint32 length followed by that many bytes; an "mpint" is a
 * string holding a two's-complement big-endian integer.
 */
#ifndef NANOSSH_BUF_H
#define NANOSSH_BUF_H

#include <sys/types.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#define BUF_SIZE_MAX		0x8000000	/* hard cap on any buffer: 128 MiB */
#define BUF_SIZE_INIT		256
#define BUF_MAX_BIGNUM		(16384 / 8)	/* largest mpint magnitude, bytes */

struct buf;

/* A new empty buffer, growable up to BUF_SIZE_MAX; NULL on allocation failure. */
struct buf *buf_new(void);
/* A read-only buffer over caller-owned memory, which must outlive it. */
struct buf *buf_from(const void *p, size_t len);
/* Frees the buffer, wiping its contents first.  NULL is allowed. */
void buf_free(struct buf *b);
/* Empties the buffer (wiping it); the maximum size stays. */
void buf_reset(struct buf *b);

/* Lower the maximum size; fails with SSH_ERR_NO_BUFFER_SPACE if the data would not fit. */
int buf_set_max_size(struct buf *b, size_t max_size);
size_t buf_max_size(const struct buf *b);
/* Bytes of data in the buffer. */
size_t buf_len(const struct buf *b);
/* Bytes that may still be appended before the maximum size is reached. */
size_t buf_avail(const struct buf *b);
/* Start of the data (valid until the next call that changes the buffer). */
const uint8_t *buf_ptr(const struct buf *b);
/* Writable start of the data, or NULL for a read-only buffer. */
uint8_t *buf_mutable_ptr(struct buf *b);

/* 0 if len more bytes could be appended, else an error. */
int buf_check_reserve(const struct buf *b, size_t len);
/* From now on, bytes that are consumed, or left behind when the data
 * moves, are zeroed at once: for buffers that carry passwords (the IPC
 * channel's), so that none lingers after it was handled. */
void buf_set_wipe(struct buf *b);
/* Appends len uninitialised bytes and returns a pointer to them in *dpp. */
int buf_reserve(struct buf *b, size_t len, uint8_t **dpp);
/* Ensures room for len more bytes without changing the data. */
int buf_allocate(struct buf *b, size_t len);
/* Drops len bytes from the front / the end. */
int buf_consume(struct buf *b, size_t len);
int buf_consume_end(struct buf *b, size_t len);
/* SSH_ERR_UNEXPECTED_TRAILING_DATA unless the buffer is empty: the last
 * step of every parser, so a message must be consumed exactly. */
int buf_expect_end(const struct buf *b);

/* Raw bytes. */
int buf_get(struct buf *b, void *v, size_t len);
int buf_put(struct buf *b, const void *v, size_t len);
int buf_putb(struct buf *b, const struct buf *v);
int buf_putf(struct buf *b, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
int buf_putfv(struct buf *b, const char *fmt, va_list ap)
    __attribute__((format(printf, 2, 0)));

/* Fixed-size integers, big-endian. */
int buf_get_u64(struct buf *b, uint64_t *valp);
int buf_get_u32(struct buf *b, uint32_t *valp);
int buf_get_u16(struct buf *b, uint16_t *valp);
int buf_get_u8(struct buf *b, uint8_t *valp);
int buf_get_bool(struct buf *b, int *valp);
int buf_put_u64(struct buf *b, uint64_t val);
int buf_put_u32(struct buf *b, uint32_t val);
int buf_put_u16(struct buf *b, uint16_t val);
int buf_put_u8(struct buf *b, uint8_t val);
/* Reads a uint32 at offset without consuming. */
int buf_peek_u32(const struct buf *b, size_t offset, uint32_t *valp);
/* Overwrites a uint32 at offset (e.g. a length filled in afterwards). */
int buf_poke_u32(struct buf *b, size_t offset, uint32_t val);

/*
 * Strings.  buf_get_string returns a fresh allocation with a NUL appended
 * (not counted in *lenp); the caller frees it.  buf_get_cstring also
 * rejects strings that contain a NUL.  The _direct forms return a pointer
 * into the buffer (valid until it changes) and copy nothing; peek does not
 * consume.  valp and lenp may be NULL to skip a string.
 */
int buf_get_string(struct buf *b, uint8_t **valp, size_t *lenp);
int buf_get_cstring(struct buf *b, char **valp, size_t *lenp);
int buf_get_string_direct(struct buf *b, const uint8_t **valp, size_t *lenp);
int buf_peek_string_direct(const struct buf *b, const uint8_t **valp,
    size_t *lenp);
/* Reads a string and appends its contents to v. */
int buf_get_stringb(struct buf *b, struct buf *v);
/* Reads a string and returns a new read-only buffer over its bytes; the
 * new buffer borrows b's memory and must be freed before b changes. */
int buf_froms(struct buf *b, struct buf **subp);
int buf_put_string(struct buf *b, const void *v, size_t len);
int buf_put_cstring(struct buf *b, const char *v);
int buf_put_stringb(struct buf *b, const struct buf *v);

/*
 * mpint as unsigned magnitude bytes: get rejects negative numbers and
 * non-minimal encodings and strips the sign byte; put adds one when the top
 * bit is set and strips leading zeros.  Magnitudes are capped at
 * BUF_MAX_BIGNUM bytes.
 */
int buf_get_bignum2_bytes_direct(struct buf *b, const uint8_t **valp,
    size_t *lenp);
int buf_put_bignum2_bytes(struct buf *b, const void *v, size_t len);

/* Base64 (no line breaks when wrap is 0, else lines of 70) and hex
 * (buf_encode.c). */
int buf_dtob64(const struct buf *d, struct buf *b64, int wrap);
int buf_b64tod(struct buf *b, const char *b64);
/* A NUL-terminated hex copy of the data, or NULL. */
char *buf_dtob16(const struct buf *b);
/* A NUL-terminated copy of the data; NULL if it contains a NUL. */
char *buf_dup_string(const struct buf *b);
/* 0 if both hold the same bytes (not constant time: not for secrets). */
int buf_equals(const struct buf *a, const struct buf *b);

#endif
