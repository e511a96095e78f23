/*
 * proxy.h: the PROXY protocol header (HAProxy's proxy-protocol.txt,
 * versions 1 and 2) that a load balancer sends before the SSH version
 * line to carry the client's address.  Sans-IO: the caller reads exactly
 * the bytes proxy_need asks for, so nothing after the header is consumed,
 * then hands the whole header to proxy_parse.
 *
 * Functions return 0 or a negative SSH_ERR_* code (ssherr.h).
 */
#ifndef NANOSSH_PROXY_H
#define NANOSSH_PROXY_H

#include <stddef.h>
#include <stdint.h>

/* Version 1: a text line of at most 107 bytes with its CRLF. */
#define PROXY_V1_MAX		107
/* Version 2: 12 signature bytes, version/command, family, 2 length bytes. */
#define PROXY_V2_FIXED		16
/* Our bound on a version 2 header with its TLVs (the spec lets the length
 * reach 65535; load balancers send tens of bytes). */
#define PROXY_V2_MAX		2048
/* Room for any header proxy_need accepts. */
#define PROXY_MAX		PROXY_V2_MAX

struct proxy_hdr {
	int		ph_version;	/* 1 or 2 */
	/* 1: v2 LOCAL or v1 UNKNOWN: keep the socket's own addresses. */
	int		ph_local;
	size_t		ph_alen;	/* 4 (IPv4) or 16 (IPv6); 0 if local */
	uint8_t		ph_src[16];	/* client address, network order */
	uint8_t		ph_dst[16];	/* address the client connected to */
	uint16_t	ph_sport;
	uint16_t	ph_dport;
};

/*
 * Given the first have bytes of a header in buf, sets *needp to how many
 * more bytes to read (never past the header's end), or to 0 when the
 * header is complete at have bytes.  SSH_ERR_INVALID_FORMAT as soon as the
 * bytes cannot begin a header (bad signature, v1 line without CRLF within
 * PROXY_V1_MAX bytes, v2 length beyond PROXY_V2_MAX).
 */
int proxy_need(const uint8_t *buf, size_t have, size_t *needp);
/*
 * Parses one complete header of exactly len bytes.  SSH_ERR_INVALID_FORMAT
 * for anything proxy_need would not have completed at len, or a bad
 * version, command, family, address or port.  v2 TLVs are skipped.
 */
int proxy_parse(const uint8_t *buf, size_t len, struct proxy_hdr *h);
/* The numeric text of h's source (src 1) or destination address, for
 * logs and matching; SSH_ERR_INVALID_ARGUMENT if h is local. */
int proxy_addr_str(const struct proxy_hdr *h, int src, char *out,
    size_t outsize);

#endif
