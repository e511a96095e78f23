/* sessrec.c: the session <-> listener status records (sessrec.h). */
#include <stdint.h>
#include <string.h>

#include "common/sessrec.h"
#include "protocol/buf.h"
#include "protocol/ssherr.h"

int
sessrec_name_ok(const char *s, size_t len)
{
	size_t i;

	if (len == 0 || len > SESSREC_NAME_MAX)
		return 0;
	for (i = 0; i < len; i++) {
		/* (strchr finds the NUL too: never take it for one.) */
		if ((s[i] >= 'a' && s[i] <= 'z') || (s[i] >= 'A' &&
		    s[i] <= 'Z') || (s[i] >= '0' && s[i] <= '9') ||
		    (s[i] != '\0' && strchr("@._+-:=,", s[i]) != NULL))
			continue;
		return 0;
	}
	return 1;
}

void
sessrec_name_copy(char *dst, const char *src)
{
	size_t i;

	for (i = 0; i < SESSREC_NAME_MAX && src[i] != '\0'; i++)
		dst[i] = sessrec_name_ok(src + i, 1) ? src[i] : '_';
	dst[i] = '\0';
}

static int
name_or_empty(const char *s)
{
	return *s == '\0' || sessrec_name_ok(s, strlen(s));
}

/* The names of an INFO record, in wire order. */
#define INFO_NAMES(v) { (v)->user, (v)->method, (v)->kex, (v)->hostkey, \
	(v)->cipher, (v)->mac }
#define INFO_NNAMES	6

int
sessrec_info_encode(const struct sessrec_info *v, uint8_t *out,
    size_t outsize, size_t *lenp)
{
	const char *names[INFO_NNAMES] = INFO_NAMES(v);
	struct buf *b;
	size_t i;
	int r;

	*lenp = 0;
	for (i = 0; i < INFO_NNAMES; i++) {
		if (!name_or_empty(names[i]))
			return SSH_ERR_INVALID_ARGUMENT;
	}
	if ((b = buf_new()) == NULL)
		return SSH_ERR_ALLOC_FAIL;
	if ((r = buf_put_u8(b, SESSREC_INFO)) != 0)
		goto out;
	for (i = 0; i < INFO_NNAMES; i++) {
		if ((r = buf_put_cstring(b, names[i])) != 0)
			goto out;
	}
	if ((r = buf_put_u64(b, v->bytes_in)) != 0 ||
	    (r = buf_put_u64(b, v->bytes_out)) != 0 ||
	    (r = buf_put_u32(b, v->channels)) != 0 ||
	    (r = buf_put_u32(b, v->idle_s)) != 0)
		goto out;
	if (buf_len(b) > outsize || buf_len(b) > SESSREC_MAX) {
		r = SSH_ERR_NO_BUFFER_SPACE;
		goto out;
	}
	memcpy(out, buf_ptr(b), buf_len(b));
	*lenp = buf_len(b);
 out:
	buf_free(b);
	return r;
}

static int
get_name(struct buf *b, char *dst)
{
	const uint8_t *p;
	size_t len;
	int r;

	if ((r = buf_get_string_direct(b, &p, &len)) != 0)
		return SSH_ERR_INVALID_FORMAT;
	if (len != 0 && !sessrec_name_ok((const char *)p, len))
		return SSH_ERR_INVALID_FORMAT;
	memcpy(dst, p, len);
	dst[len] = '\0';
	return 0;
}

int
sessrec_info_parse(const uint8_t *p, size_t len, struct sessrec_info *v)
{
	char *names[INFO_NNAMES] = INFO_NAMES(v);
	struct buf *b;
	uint8_t type;
	size_t i;
	int r = SSH_ERR_INVALID_FORMAT;

	memset(v, 0, sizeof(*v));
	if (len > SESSREC_MAX)
		return SSH_ERR_INVALID_FORMAT;
	if ((b = buf_from(p, len)) == NULL)
		return SSH_ERR_ALLOC_FAIL;
	if (buf_get_u8(b, &type) != 0 || type != SESSREC_INFO)
		goto out;
	for (i = 0; i < INFO_NNAMES; i++) {
		if (get_name(b, names[i]) != 0)
			goto out;
	}
	if (buf_get_u64(b, &v->bytes_in) != 0 ||
	    buf_get_u64(b, &v->bytes_out) != 0 ||
	    buf_get_u32(b, &v->channels) != 0 ||
	    buf_get_u32(b, &v->idle_s) != 0 || buf_len(b) != 0)
		goto out;
	r = 0;
 out:
	buf_free(b);
	if (r != 0)
		memset(v, 0, sizeof(*v));
	return r;
}

void
sessrec_reason(char *dst, const char *src, size_t srclen)
{
	size_t i;

	if (srclen > SESSREC_REASON_MAX)
		srclen = SESSREC_REASON_MAX;
	for (i = 0; i < srclen; i++)
		dst[i] = (src[i] >= 0x20 && src[i] < 0x7f) ? src[i] : '?';
	dst[srclen] = '\0';
}

int
sessrec_cmd_encode(int cmd, const char *reason, uint8_t *out,
    size_t outsize, size_t *lenp)
{
	char clean[SESSREC_REASON_MAX + 1];
	size_t n = 0;

	*lenp = 0;
	if (cmd == SESSREC_DISCONNECT && reason != NULL) {
		sessrec_reason(clean, reason, strlen(reason));
		n = strlen(clean);
	} else if (cmd != SESSREC_REKEY || reason != NULL)
		return SSH_ERR_INVALID_ARGUMENT;
	if (outsize < 1 + n)
		return SSH_ERR_NO_BUFFER_SPACE;
	out[0] = (uint8_t)cmd;
	memcpy(out + 1, clean, n);
	*lenp = 1 + n;
	return 0;
}

static void
put32(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)(v >> 24);
	p[1] = (uint8_t)(v >> 16);
	p[2] = (uint8_t)(v >> 8);
	p[3] = (uint8_t)v;
}

static uint32_t
get32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 |
	    (uint32_t)p[2] << 8 | p[3];
}

void
sessrec_ping_encode(uint32_t token, uint8_t *out)
{
	out[0] = SESSREC_PING;
	put32(out + 1, token);
}

void
sessrec_pong_encode(uint32_t token, uint32_t ms, uint8_t *out)
{
	out[0] = SESSREC_PONG;
	put32(out + 1, token);
	put32(out + 5, ms);
}

int
sessrec_pong_parse(const uint8_t *p, size_t len, uint32_t *tokenp,
    uint32_t *msp)
{
	if (len != SESSREC_PONG_LEN || p[0] != SESSREC_PONG)
		return SSH_ERR_INVALID_FORMAT;
	*tokenp = get32(p + 1);
	*msp = get32(p + 5);
	return 0;
}

int
sessrec_cmd_parse(const uint8_t *p, size_t len, int *cmdp, char *reason,
    uint32_t *tokenp)
{
	*cmdp = 0;
	*tokenp = 0;
	reason[0] = '\0';
	if (len == 0 || len > 1 + SESSREC_REASON_MAX)
		return SSH_ERR_INVALID_FORMAT;
	if (p[0] == SESSREC_REKEY && len == 1) {
		*cmdp = SESSREC_REKEY;
		return 0;
	}
	if (p[0] == SESSREC_PING && len == SESSREC_PING_LEN) {
		*cmdp = SESSREC_PING;
		*tokenp = get32(p + 1);
		return 0;
	}
	if (p[0] != SESSREC_DISCONNECT)
		return SSH_ERR_INVALID_FORMAT;
	sessrec_reason(reason, (const char *)p + 1, len - 1);
	*cmdp = SESSREC_DISCONNECT;
	return 0;
}
