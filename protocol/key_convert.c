/*
 * key_convert.c: public keys in other tools' formats, for ssh-keygen -e and
 * -i: RFC 4716 ("SSH2 PUBLIC KEY"), PKCS#8-style SubjectPublicKeyInfo PEM
 * ("PUBLIC KEY") and PKCS#1 PEM ("RSA PUBLIC KEY").
 */
#include <sys/types.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <openssl/decoder.h>
#include <openssl/encoder.h>
#include <openssl/err.h>
#include <openssl/evp.h>

#include <bsd/stdlib.h>

#include "protocol/buf.h"
#include "protocol/key.h"
#include "protocol/key_local.h"
#include "protocol/ssherr.h"

#define RFC4716_BEGIN		"---- BEGIN SSH2 PUBLIC KEY ----"
#define RFC4716_END		"---- END SSH2 PUBLIC KEY ----"
/* RFC 4716 section 3.3: header tags and values. */
#define RFC4716_TAG_MAX		64
#define RFC4716_VALUE_MAX	1024
/*
 * Section 3 caps lines at 72 bytes, but ssh-keygen writes its Comment
 * header on one line however long user@host is; allow a whole header.
 */
#define RFC4716_LINE_MAX	(RFC4716_TAG_MAX + 2 + RFC4716_VALUE_MAX)

#define PEM_SPKI_LABEL		"PUBLIC KEY"
#define PEM_PKCS1_LABEL		"RSA PUBLIC KEY"

int
key_to_rfc4716(const struct sshkey *key, const char *comment, struct buf *out)
{
	struct buf *blob = NULL;
	int r = SSH_ERR_INTERNAL_ERROR;

	if (key == NULL || out == NULL)
		return SSH_ERR_INVALID_ARGUMENT;
	if (comment != NULL && (strlen(comment) > RFC4716_VALUE_MAX - 2 ||
	    strpbrk(comment, "\r\n") != NULL))
		return SSH_ERR_INVALID_ARGUMENT;
	if ((blob = buf_new()) == NULL)
		return SSH_ERR_ALLOC_FAIL;
	if ((r = key_to_blob(key, blob)) != 0 ||
	    (r = buf_putf(out, "%s\n", RFC4716_BEGIN)) != 0)
		goto out;
	if (comment != NULL &&
	    (r = buf_putf(out, "Comment: \"%s\"\n", comment)) != 0)
		goto out;
	if ((r = buf_dtob64(blob, out, 1)) != 0 ||
	    (r = buf_putf(out, "%s\n", RFC4716_END)) != 0)
		goto out;
	r = 0;
 out:
	buf_free(blob);
	return r;
}

/* The next line of [*pp, end) without its CR, LF or CRLF. */
static int
next_line(const char **pp, const char *end, const char **linep,
    size_t *lenp)
{
	const char *p = *pp, *e;

	if (p >= end)
		return SSH_ERR_INVALID_FORMAT;
	for (e = p; e < end && *e != '\n' && *e != '\r'; e++)
		if (*e == '\0')
			return SSH_ERR_INVALID_FORMAT;
	if ((size_t)(e - p) > RFC4716_LINE_MAX)
		return SSH_ERR_INVALID_FORMAT;
	*linep = p;
	*lenp = (size_t)(e - p);
	if (e < end && *e == '\r')
		e++;
	if (e < end && *e == '\n')
		e++;
	*pp = e;
	return 0;
}

static int
line_is(const char *line, size_t len, const char *want)
{
	return len == strlen(want) && memcmp(line, want, len) == 0;
}

/*
 * One header (section 3.3), its continuation lines joined; the Comment
 * value, unquoted, goes to *commentp.  Other headers are ignored.
 */
static int
parse_header(const char **pp, const char *end, const char *line, size_t len,
    char **commentp)
{
	char value[RFC4716_VALUE_MAX + 1];
	const char *colon;
	size_t tlen, vlen = 0, n;
	int more, r;

	colon = memchr(line, ':', len);
	tlen = (size_t)(colon - line);
	if (tlen == 0 || tlen > RFC4716_TAG_MAX || tlen + 1 >= len ||
	    line[tlen + 1] != ' ')
		return SSH_ERR_INVALID_FORMAT;
	for (n = 0; n < tlen; n++)
		if (line[n] <= ' ' || line[n] > '~')
			return SSH_ERR_INVALID_FORMAT;
	line += tlen + 2;
	len -= tlen + 2;
	for (;;) {
		/* A backslash at the end of a line continues the value. */
		if ((more = len > 0 && line[len - 1] == '\\'))
			len--;
		if (len > RFC4716_VALUE_MAX - vlen)
			return SSH_ERR_INVALID_FORMAT;
		memcpy(value + vlen, line, len);
		vlen += len;
		if (!more)
			break;
		if ((r = next_line(pp, end, &line, &len)) != 0)
			return r;
	}
	value[vlen] = '\0';
	if (tlen != 7 || strncasecmp(colon - 7, "Comment", 7) != 0 ||
	    commentp == NULL)
		return 0;
	/* Quotes around the whole value are not part of it. */
	if (vlen >= 2 && value[0] == '"' && value[vlen - 1] == '"') {
		value[vlen - 1] = '\0';
		memmove(value, value + 1, vlen - 1);
	}
	free(*commentp);
	if ((*commentp = strdup(value)) == NULL)
		return SSH_ERR_ALLOC_FAIL;
	return 0;
}

static int
is_b64_line(const char *line, size_t len)
{
	size_t i;

	for (i = 0; i < len; i++)
		if (strchr("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
		    "0123456789+/=", line[i]) == NULL || line[i] == '\0')
			return 0;
	return len > 0;
}

int
key_from_rfc4716(const struct buf *in, struct sshkey **keyp, char **commentp)
{
	const char *p, *end, *line;
	struct buf *b64 = NULL, *blob = NULL;
	char *comment = NULL, *s = NULL;
	size_t len;
	int in_body = 0, r = SSH_ERR_INTERNAL_ERROR;

	if (keyp == NULL)
		return SSH_ERR_INVALID_ARGUMENT;
	*keyp = NULL;
	if (commentp != NULL)
		*commentp = NULL;
	if (in == NULL || (p = (const char *)buf_ptr(in)) == NULL)
		return SSH_ERR_INVALID_FORMAT;
	if (buf_len(in) > KEY_CONVERT_MAX_INPUT)
		return SSH_ERR_LIMIT_EXCEEDED;
	end = p + buf_len(in);
	if ((b64 = buf_new()) == NULL || (blob = buf_new()) == NULL) {
		r = SSH_ERR_ALLOC_FAIL;
		goto out;
	}
	if ((r = next_line(&p, end, &line, &len)) != 0)
		goto out;
	if (!line_is(line, len, RFC4716_BEGIN)) {
		r = SSH_ERR_INVALID_FORMAT;
		goto out;
	}
	for (;;) {
		if ((r = next_line(&p, end, &line, &len)) != 0)
			goto out;
		if (line_is(line, len, RFC4716_END))
			break;
		if (!in_body && memchr(line, ':', len) != NULL) {
			if ((r = parse_header(&p, end, line, len,
			    &comment)) != 0)
				goto out;
			continue;
		}
		if (!is_b64_line(line, len)) {
			r = SSH_ERR_INVALID_FORMAT;
			goto out;
		}
		in_body = 1;
		if ((r = buf_put(b64, line, len)) != 0)
			goto out;
	}
	/* Nothing but white space after the end line. */
	for (; p < end; p++)
		if (*p != '\n' && *p != '\r' && *p != ' ' && *p != '\t') {
			r = SSH_ERR_INVALID_FORMAT;
			goto out;
		}
	if (!in_body || (s = buf_dup_string(b64)) == NULL) {
		r = SSH_ERR_INVALID_FORMAT;
		goto out;
	}
	if ((r = buf_b64tod(blob, s)) != 0 ||
	    (r = key_from_blob(blob, keyp)) != 0)
		goto out;
	if (commentp != NULL) {
		*commentp = comment;
		comment = NULL;
	}
	r = 0;
 out:
	buf_free(b64);
	buf_free(blob);
	free(comment);
	free(s);
	return r;
}

int
key_to_pem_public(const struct sshkey *key, enum key_pem_format fmt,
    struct buf *out)
{
	OSSL_ENCODER_CTX *ectx = NULL;
	const char *structure = "SubjectPublicKeyInfo";
	unsigned char *data = NULL;
	size_t len = 0;
	int r = SSH_ERR_INTERNAL_ERROR;

	if (key == NULL || out == NULL)
		return SSH_ERR_INVALID_ARGUMENT;
	/* As ssh-keygen -m PEM: PKCS#1 for RSA, SubjectPublicKeyInfo else. */
	if (fmt == KEY_PEM_PEM && key_type(key) == KEY_RSA)
		structure = "type-specific";
	if ((ectx = OSSL_ENCODER_CTX_new_for_pkey(key_evp(key),
	    EVP_PKEY_PUBLIC_KEY, "PEM", structure, NULL)) == NULL ||
	    OSSL_ENCODER_CTX_get_num_encoders(ectx) == 0) {
		r = SSH_ERR_KEY_TYPE_UNKNOWN;
		goto out;
	}
	if (OSSL_ENCODER_to_data(ectx, &data, &len) != 1) {
		r = SSH_ERR_LIBCRYPTO_ERROR;
		goto out;
	}
	r = buf_put(out, data, len);
 out:
	ERR_clear_error();
	OPENSSL_free(data);
	OSSL_ENCODER_CTX_free(ectx);
	return r;
}

/* The label of the PEM block at the start of p, after white space. */
static int
pem_label(const char *p, size_t len, char *label, size_t labelsize)
{
	const char *e, *end = p + len;
	size_t llen;

	while (p < end && strchr(" \t\r\n", *p) != NULL && *p != '\0')
		p++;
	if ((size_t)(end - p) < 11 || memcmp(p, "-----BEGIN ", 11) != 0)
		return SSH_ERR_INVALID_FORMAT;
	p += 11;
	if ((e = memmem(p, (size_t)(end - p), "-----", 5)) == NULL)
		return SSH_ERR_INVALID_FORMAT;
	if ((llen = (size_t)(e - p)) >= labelsize ||
	    memchr(p, '\n', llen) != NULL)
		return SSH_ERR_INVALID_FORMAT;
	memcpy(label, p, llen);
	label[llen] = '\0';
	return 0;
}

int
key_from_pem_public(const struct buf *in, enum key_pem_format fmt,
    struct sshkey **keyp)
{
	OSSL_DECODER_CTX *dctx = NULL;
	EVP_PKEY *pkey = NULL;
	const unsigned char *data;
	char label[32];
	size_t len;
	int r = SSH_ERR_INTERNAL_ERROR;

	if (keyp == NULL)
		return SSH_ERR_INVALID_ARGUMENT;
	*keyp = NULL;
	if (in == NULL || (data = buf_ptr(in)) == NULL)
		return SSH_ERR_INVALID_FORMAT;
	if ((len = buf_len(in)) > KEY_CONVERT_MAX_INPUT)
		return SSH_ERR_LIMIT_EXCEEDED;
	if (memchr(data, '\0', len) != NULL ||
	    (r = pem_label((const char *)data, len, label,
	    sizeof(label))) != 0)
		return SSH_ERR_INVALID_FORMAT;
	/* -m PKCS8 is SubjectPublicKeyInfo; -m PEM also PKCS#1 RSA. */
	if (strcmp(label, PEM_SPKI_LABEL) != 0 && (fmt != KEY_PEM_PEM ||
	    strcmp(label, PEM_PKCS1_LABEL) != 0))
		return SSH_ERR_INVALID_FORMAT;
	if ((dctx = OSSL_DECODER_CTX_new_for_pkey(&pkey, "PEM", NULL, NULL,
	    EVP_PKEY_PUBLIC_KEY, NULL, NULL)) == NULL) {
		r = SSH_ERR_ALLOC_FAIL;
		goto out;
	}
	if (OSSL_DECODER_from_data(dctx, &data, &len) != 1 || pkey == NULL) {
		r = SSH_ERR_INVALID_FORMAT;
		goto out;
	}
	/* One block only: the decoder stops after the first. */
	while (len > 0 && strchr(" \t\r\n", *data) != NULL && *data != '\0') {
		data++;
		len--;
	}
	if (len != 0) {
		r = SSH_ERR_UNEXPECTED_TRAILING_DATA;
		goto out;
	}
	if ((r = key_from_pkey(pkey, 0, KEY_UNSPEC, keyp)) != 0)
		goto out;
	pkey = NULL;
 out:
	ERR_clear_error();
	EVP_PKEY_free(pkey);
	OSSL_DECODER_CTX_free(dctx);
	return r;
}
