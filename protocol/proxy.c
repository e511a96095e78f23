/* proxy.c: parsing the PROXY protocol header, v1 and v2 (proxy.h). */
#include <sys/types.h>
#include <sys/socket.h>
#include <netinet/in.h>
#include <arpa/inet.h>
#include <string.h>

#include "protocol/proxy.h"
#include "protocol/ssherr.h"

static const uint8_t proxy_v2_sig[12] = {
	0x0d, 0x0a, 0x0d, 0x0a, 0x00, 0x0d, 0x0a, 0x51, 0x55, 0x49, 0x54, 0x0a
};
static const char proxy_v1_sig[] = "PROXY ";
#define PROXY_V1_SIGLEN	6

int
proxy_need(const uint8_t *buf, size_t have, size_t *needp)
{
	size_t n, len;

	*needp = 0;
	if (have == 0) {
		/* One byte tells the versions apart ('P' or CR). */
		*needp = 1;
		return 0;
	}
	if (buf[0] == (uint8_t)proxy_v1_sig[0]) {
		n = have < PROXY_V1_SIGLEN ? have : PROXY_V1_SIGLEN;
		if (memcmp(buf, proxy_v1_sig, n) != 0)
			return SSH_ERR_INVALID_FORMAT;
		if (have >= 2 && buf[have - 2] == '\r' && buf[have - 1] == '\n')
			return 0;
		/* A bare CR or LF can never become the line's end. */
		if (buf[have - 1] == '\n' ||
		    (have >= 2 && buf[have - 2] == '\r'))
			return SSH_ERR_INVALID_FORMAT;
		if (have >= PROXY_V1_MAX)
			return SSH_ERR_INVALID_FORMAT;
		/* Byte by byte: the line's end is not known in advance. */
		*needp = 1;
		return 0;
	}
	n = have < sizeof(proxy_v2_sig) ? have : sizeof(proxy_v2_sig);
	if (memcmp(buf, proxy_v2_sig, n) != 0)
		return SSH_ERR_INVALID_FORMAT;
	if (have < PROXY_V2_FIXED) {
		*needp = PROXY_V2_FIXED - have;
		return 0;
	}
	len = PROXY_V2_FIXED + (((size_t)buf[14] << 8) | buf[15]);
	if (len > PROXY_V2_MAX || have > len)
		return SSH_ERR_INVALID_FORMAT;
	*needp = len - have;
	return 0;
}

/* A port: 1 to 5 digits, no leading zero, at most 65535. */
static int
proxy_v1_port(const char *s, size_t len, uint16_t *portp)
{
	unsigned long v = 0;
	size_t i;

	if (len == 0 || len > 5 || (s[0] == '0' && len > 1))
		return SSH_ERR_INVALID_FORMAT;
	for (i = 0; i < len; i++) {
		if (s[i] < '0' || s[i] > '9')
			return SSH_ERR_INVALID_FORMAT;
		v = v * 10 + (unsigned long)(s[i] - '0');
	}
	if (v > 65535)
		return SSH_ERR_INVALID_FORMAT;
	*portp = (uint16_t)v;
	return 0;
}

static int
proxy_v1_addr(const char *s, size_t len, int af, uint8_t *out)
{
	char tmp[64];

	if (len == 0 || len >= sizeof(tmp))
		return SSH_ERR_INVALID_FORMAT;
	memcpy(tmp, s, len);
	tmp[len] = '\0';
	return inet_pton(af, tmp, out) == 1 ? 0 : SSH_ERR_INVALID_FORMAT;
}

/* "PROXY TCP4 src dst sport dport\r\n", fields split by single spaces. */
static int
proxy_parse_v1(const uint8_t *buf, size_t len, struct proxy_hdr *h)
{
	const char *s = (const char *)buf, *f[4];
	size_t flen[4], i, nf = 0, start, end;
	int af;

	if (len < PROXY_V1_SIGLEN + 2 || len > PROXY_V1_MAX ||
	    memcmp(buf, proxy_v1_sig, PROXY_V1_SIGLEN) != 0 ||
	    buf[len - 2] != '\r' || buf[len - 1] != '\n')
		return SSH_ERR_INVALID_FORMAT;
	end = len - 2;
	/* No NUL, CR or LF inside, nothing but printable ASCII. */
	for (i = 0; i < end; i++) {
		if (buf[i] < 0x20 || buf[i] > 0x7e)
			return SSH_ERR_INVALID_FORMAT;
	}
	if (end - PROXY_V1_SIGLEN >= 7 &&
	    memcmp(s + PROXY_V1_SIGLEN, "UNKNOWN", 7) == 0 &&
	    (end == PROXY_V1_SIGLEN + 7 || s[PROXY_V1_SIGLEN + 7] == ' ')) {
		/* The spec: whatever follows UNKNOWN is ignored. */
		h->ph_version = 1;
		h->ph_local = 1;
		return 0;
	}
	if (end - PROXY_V1_SIGLEN < 5)
		return SSH_ERR_INVALID_FORMAT;
	if (memcmp(s + PROXY_V1_SIGLEN, "TCP4 ", 5) == 0) {
		af = AF_INET;
		h->ph_alen = 4;
	} else if (memcmp(s + PROXY_V1_SIGLEN, "TCP6 ", 5) == 0) {
		af = AF_INET6;
		h->ph_alen = 16;
	} else
		return SSH_ERR_INVALID_FORMAT;
	start = PROXY_V1_SIGLEN + 5;
	for (i = start; i <= end; i++) {
		if (i < end && s[i] != ' ')
			continue;
		if (nf == 4)
			return SSH_ERR_INVALID_FORMAT;
		f[nf] = s + start;
		flen[nf++] = i - start;
		start = i + 1;
	}
	if (nf != 4)
		return SSH_ERR_INVALID_FORMAT;
	if (proxy_v1_addr(f[0], flen[0], af, h->ph_src) != 0 ||
	    proxy_v1_addr(f[1], flen[1], af, h->ph_dst) != 0 ||
	    proxy_v1_port(f[2], flen[2], &h->ph_sport) != 0 ||
	    proxy_v1_port(f[3], flen[3], &h->ph_dport) != 0)
		return SSH_ERR_INVALID_FORMAT;
	h->ph_version = 1;
	return 0;
}

static uint16_t
proxy_be16(const uint8_t *p)
{
	return (uint16_t)(((unsigned)p[0] << 8) | p[1]);
}

/* Signature, 0x2C (v2, command), family, length, addresses, TLVs. */
static int
proxy_parse_v2(const uint8_t *buf, size_t len, struct proxy_hdr *h)
{
	size_t plen, alen;
	const uint8_t *a;

	if (len < PROXY_V2_FIXED || len > PROXY_V2_MAX ||
	    memcmp(buf, proxy_v2_sig, sizeof(proxy_v2_sig)) != 0)
		return SSH_ERR_INVALID_FORMAT;
	plen = proxy_be16(buf + 14);
	if (PROXY_V2_FIXED + plen != len || (buf[12] >> 4) != 2)
		return SSH_ERR_INVALID_FORMAT;
	h->ph_version = 2;
	switch (buf[12] & 0x0f) {
	case 0x0:
		/* LOCAL (health checks): the spec says to ignore the family
		 * and addresses and use the real connection's. */
		h->ph_local = 1;
		return 0;
	case 0x1:
		break;
	default:
		return SSH_ERR_INVALID_FORMAT;
	}
	/* PROXY: TCP over IPv4 or IPv6 only; an SSH client is neither a
	 * datagram nor, through a load balancer, a unix socket. */
	switch (buf[13]) {
	case 0x11:
		alen = 4;
		break;
	case 0x21:
		alen = 16;
		break;
	default:
		return SSH_ERR_INVALID_FORMAT;
	}
	if (plen < 2 * alen + 4)
		return SSH_ERR_INVALID_FORMAT;
	a = buf + PROXY_V2_FIXED;
	h->ph_alen = alen;
	memcpy(h->ph_src, a, alen);
	memcpy(h->ph_dst, a + alen, alen);
	h->ph_sport = proxy_be16(a + 2 * alen);
	h->ph_dport = proxy_be16(a + 2 * alen + 2);
	/* What follows (TLVs: ALPN, authority, SSL, vendor data) says
	 * nothing SSH uses; it is skipped unread. */
	return 0;
}

int
proxy_parse(const uint8_t *buf, size_t len, struct proxy_hdr *h)
{
	int r;

	memset(h, 0, sizeof(*h));
	if (len == 0)
		return SSH_ERR_INVALID_FORMAT;
	r = buf[0] == (uint8_t)proxy_v1_sig[0] ? proxy_parse_v1(buf, len, h) :
	    proxy_parse_v2(buf, len, h);
	if (r != 0)
		memset(h, 0, sizeof(*h));
	return r;
}

int
proxy_addr_str(const struct proxy_hdr *h, int src, char *out, size_t outsize)
{
	if (h->ph_local || (h->ph_alen != 4 && h->ph_alen != 16) ||
	    outsize > (size_t)(socklen_t)-1)
		return SSH_ERR_INVALID_ARGUMENT;
	if (inet_ntop(h->ph_alen == 4 ? AF_INET : AF_INET6,
	    src ? h->ph_src : h->ph_dst, out, (socklen_t)outsize) == NULL)
		return SSH_ERR_NO_BUFFER_SPACE;
	return 0;
}
