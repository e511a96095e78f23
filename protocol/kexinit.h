/*
 * kexinit.h: the SSH_MSG_KEXINIT message and algorithm negotiation
 * (RFC 4253 section 7.1), with OpenSSH's strict-KEX and RFC 8308
 * ext-info markers.
 */
#ifndef NANOSSH_KEXINIT_H
#define NANOSSH_KEXINIT_H

#include <stdint.h>

struct buf;

enum kexinit_list {
	KEXI_KEX = 0,
	KEXI_HOSTKEY,
	KEXI_ENC_CS,
	KEXI_ENC_SC,
	KEXI_MAC_CS,
	KEXI_MAC_SC,
	KEXI_COMP_CS,
	KEXI_COMP_SC,
	KEXI_LANG_CS,
	KEXI_LANG_SC,
	KEXI_NLISTS
};

/* Pseudo-algorithms in the kex list (OpenSSH PROTOCOL; RFC 8308). */
#define KEX_STRICT_C	"kex-strict-c-v00@openssh.com"
#define KEX_STRICT_S	"kex-strict-s-v00@openssh.com"
#define KEX_EXT_INFO_C	"ext-info-c"

struct kexinit {
	uint8_t cookie[16];
	char *lists[KEXI_NLISTS];
	int first_kex_follows;
};

/* Directions for the per-direction algorithms below. */
#define KEX_DIR_CS	0	/* client to server */
#define KEX_DIR_SC	1	/* server to client */

struct kex_negotiated {
	char *kex;
	char *hostkey_alg;
	char *enc[2];
	char *mac[2];		/* NULL for AEAD ciphers, whose tag is the MAC */
	char *comp[2];
	int strict;		/* the client offered strict KEX */
	int ext_info_c;		/* the client wants SSH_MSG_EXT_INFO */
	int guess_wrong;	/* a guessed first kex packet must be ignored */
};

/* Parses a KEXINIT payload positioned after the message number; the
 * payload must be consumed exactly and every name-list must be valid. */
int kexinit_parse(struct buf *payload, struct kexinit **kip);
/* Appends a KEXINIT message (with its message number) to out. */
int kexinit_build(const struct kexinit *ki, struct buf *out);
void kexinit_free(struct kexinit *ki);

/*
 * Chooses the algorithms: for each list the client's first choice that
 * the server also offers.  Pseudo-algorithms never match.  Returns
 * SSH_ERR_NO_KEX_ALG_MATCH, ..._HOSTKEY_..., ..._CIPHER_..., ..._MAC_...,
 * or ..._COMPRESS_... when a list has no common name.
 */
int kexinit_negotiate(const struct kexinit *client,
    const struct kexinit *server, struct kex_negotiated *out);
void kex_negotiated_clear(struct kex_negotiated *neg);

#endif
