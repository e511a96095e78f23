/* kexinit.c: SSH_MSG_KEXINIT and algorithm negotiation (RFC 4253 7.1). */
#include <stdlib.h>
#include <string.h>

#include "protocol/buf.h"
#include "protocol/cipher.h"
#include "protocol/kexinit.h"
#include "protocol/namelist.h"
#include "protocol/ssh2.h"
#include "protocol/ssherr.h"

void
kexinit_free(struct kexinit *ki)
{
	size_t i;

	if (ki == NULL)
		return;
	for (i = 0; i < KEXI_NLISTS; i++)
		free(ki->lists[i]);
	free(ki);
}

int
kexinit_parse(struct buf *payload, struct kexinit **kip)
{
	struct kexinit *ki;
	size_t i, len;
	uint32_t reserved;
	int r = SSH_ERR_INTERNAL_ERROR;

	*kip = NULL;
	if ((ki = calloc(1, sizeof(*ki))) == NULL)
		return SSH_ERR_ALLOC_FAIL;
	if ((r = buf_get(payload, ki->cookie, sizeof(ki->cookie))) != 0)
		goto out;
	for (i = 0; i < KEXI_NLISTS; i++) {
		if ((r = buf_get_cstring(payload, &ki->lists[i], &len)) != 0)
			goto out;
		if ((r = namelist_check(ki->lists[i], len)) != 0)
			goto out;
	}
	if ((r = buf_get_bool(payload, &ki->first_kex_follows)) != 0 ||
	    (r = buf_get_u32(payload, &reserved)) != 0 ||
	    (r = buf_expect_end(payload)) != 0)
		goto out;
	*kip = ki;
	ki = NULL;
	r = 0;
 out:
	kexinit_free(ki);
	return r;
}

int
kexinit_build(const struct kexinit *ki, struct buf *out)
{
	size_t i;
	int r;

	if ((r = buf_put_u8(out, SSH2_MSG_KEXINIT)) != 0 ||
	    (r = buf_put(out, ki->cookie, sizeof(ki->cookie))) != 0)
		return r;
	for (i = 0; i < KEXI_NLISTS; i++) {
		if ((r = buf_put_cstring(out,
		    ki->lists[i] != NULL ? ki->lists[i] : "")) != 0)
			return r;
	}
	if ((r = buf_put_u8(out, ki->first_kex_follows != 0)) != 0 ||
	    (r = buf_put_u32(out, 0)) != 0)
		return r;
	return 0;
}

void
kex_negotiated_clear(struct kex_negotiated *neg)
{
	int d;

	free(neg->kex);
	free(neg->hostkey_alg);
	for (d = 0; d < 2; d++) {
		free(neg->enc[d]);
		free(neg->mac[d]);
		free(neg->comp[d]);
	}
	memset(neg, 0, sizeof(*neg));
}

/* The server's kex list without its pseudo-algorithms, so that a client
 * naming one of them cannot have it chosen as a real method. */
static int
real_kex_list(const char *list, char **outp)
{
	char *out, *dup, *name, *save = NULL;
	size_t len = 0;

	*outp = NULL;
	if ((out = calloc(1, strlen(list) + 1)) == NULL)
		return SSH_ERR_ALLOC_FAIL;
	if ((dup = strdup(list)) == NULL) {
		free(out);
		return SSH_ERR_ALLOC_FAIL;
	}
	for (name = strtok_r(dup, ",", &save); name != NULL;
	    name = strtok_r(NULL, ",", &save)) {
		if (strcmp(name, KEX_STRICT_C) == 0 ||
		    strcmp(name, KEX_STRICT_S) == 0 ||
		    strncmp(name, "ext-info-", 9) == 0)
			continue;
		if (len != 0)
			out[len++] = ',';
		memcpy(out + len, name, strlen(name));
		len += strlen(name);
	}
	free(dup);
	*outp = out;
	return 0;
}

/* Whether two name-lists start with the same name. */
static int
same_first(const char *a, const char *b)
{
	size_t n = strcspn(a, ",");

	return n == strcspn(b, ",") && strncmp(a, b, n) == 0;
}

int
kexinit_negotiate(const struct kexinit *c, const struct kexinit *s,
    struct kex_negotiated *neg)
{
	const struct cipher_alg *calg;
	char *skex = NULL;
	int d, r = SSH_ERR_INTERNAL_ERROR;

	memset(neg, 0, sizeof(*neg));
	if ((r = real_kex_list(s->lists[KEXI_KEX], &skex)) != 0)
		goto out;
	if (namelist_match(c->lists[KEXI_KEX], skex, &neg->kex) != 0) {
		r = SSH_ERR_NO_KEX_ALG_MATCH;
		goto out;
	}
	if (namelist_match(c->lists[KEXI_HOSTKEY], s->lists[KEXI_HOSTKEY],
	    &neg->hostkey_alg) != 0) {
		r = SSH_ERR_NO_HOSTKEY_ALG_MATCH;
		goto out;
	}
	for (d = 0; d < 2; d++) {
		if (namelist_match(c->lists[KEXI_ENC_CS + d],
		    s->lists[KEXI_ENC_CS + d], &neg->enc[d]) != 0) {
			r = SSH_ERR_NO_CIPHER_ALG_MATCH;
			goto out;
		}
		/* An AEAD cipher authenticates itself: no MAC to agree on. */
		calg = cipher_by_name(neg->enc[d]);
		if ((calg == NULL || !cipher_alg_is_aead(calg)) &&
		    namelist_match(c->lists[KEXI_MAC_CS + d],
		    s->lists[KEXI_MAC_CS + d], &neg->mac[d]) != 0) {
			r = SSH_ERR_NO_MAC_ALG_MATCH;
			goto out;
		}
		if (namelist_match(c->lists[KEXI_COMP_CS + d],
		    s->lists[KEXI_COMP_CS + d], &neg->comp[d]) != 0) {
			r = SSH_ERR_NO_COMPRESS_ALG_MATCH;
			goto out;
		}
	}
	neg->strict = namelist_contains(c->lists[KEXI_KEX], KEX_STRICT_C);
	neg->ext_info_c = namelist_contains(c->lists[KEXI_KEX], KEX_EXT_INFO_C);
	/* RFC 4253 7.1: a guessed packet counts only when both sides
	 * prefer the same kex and host key algorithms. */
	neg->guess_wrong = c->first_kex_follows &&
	    (!same_first(c->lists[KEXI_KEX], s->lists[KEXI_KEX]) ||
	    !same_first(c->lists[KEXI_HOSTKEY], s->lists[KEXI_HOSTKEY]));
	r = 0;
 out:
	free(skex);
	if (r != 0)
		kex_negotiated_clear(neg);
	return r;
}
