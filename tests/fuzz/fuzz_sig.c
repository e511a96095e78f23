/*
 * fuzz_sig.c: libFuzzer target for sig_verify and sig_get_alg.  Fixed
 * public keys of every type (from the Wycheproof vectors; the security
 * keys, PROTOCOL.u2f, reuse the Ed25519 and P-256 ones with application
 * "ssh:") check fuzzed signature blobs over a fixed message.  Input:
 * one control byte (bits 0-2 pick the key, bit 3 allows ssh-rsa, bit 4
 * passes the key's preferred algorithm as the constraint), then the blob.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "protocol/buf.h"
#include "protocol/key.h"
#include "protocol/sig.h"
#include "protocol/ssherr.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define ED25519_PUB \
	"7d4d0e7f6153a69b6242b522abbee685fda4420f8834b108c3bdae369ef549fa"
#define P256_PUB \
	"0404aaec73635726f213fb8a9e64da3b8632e41495a944d0045b522eba7240fad5" \
	"87d9315798aaa3a5ba01775787ced05eaaf7b4e09fc81d6d1aa546e8365d525d"

static const struct {
	const char	*type;
	const char	*curve;		/* ECDSA only */
	const char	*pub;		/* hex: pk, Q, or RSA n (e = 65537) */
	const char	*app;		/* security keys only */
} fuzz_keys[] = {
	{ "ssh-ed25519", NULL, ED25519_PUB, NULL },
	{ "ecdsa-sha2-nistp256", "nistp256", P256_PUB, NULL },
	{ "ecdsa-sha2-nistp384", "nistp384",
	  "0429bdb76d5fa741bfd70233cb3a66cc7d44beb3b0663d92a8136650478bcefb61"
	  "ef182e155a54345a5e8e5e88f064e5bc9a525ab7f764dad3dae1468c2b419f3b62"
	  "b9ba917d5e8c4fb1ec47404a3fc76474b2713081be9db4c00e043ada9fc4a3" },
	{ "ecdsa-sha2-nistp521", "nistp521",
	  "04012a908bfc5b70e17bdfae74294994808bf2a42dab59af8b0523a026d640a2a3"
	  "d6d344520b62177e2cfa339ca42fb0883ec425904fbda2833a3b5b0a9a00811365"
	  "d8012333d532f8f8eb1a623c378a3694651192bbda833e3b8d7b8f90b2bfc9b045"
	  "f8a55e1b6a5fe1512c400c4bc9c86fd7c699d642f5cee9bb827c8b0abc0da01cef"
	  "1e" },
	{ "ssh-rsa", NULL,
	  "a2b451a07d0aa5f96e455671513550514a8a5b462ebef717094fa1fee82224e6"
	  "37f9746d3f7cafd31878d80325b6ef5a1700f65903b469429e89d6eac8845097"
	  "b5ab393189db92512ed8a7711a1253facd20f79c15e8247f3d3e42e46e48c98e"
	  "254a2fe9765313a03eff8f17e1a029397a1fa26a8dce26f490ed81299615d981"
	  "4c22da610428e09c7d9658594266f5c021d0fceca08d945a12be82de4d1ece6b"
	  "4c03145b5d3495d4ed5411eb878daf05fd7afc3e09ada0f1126422f590975a19"
	  "69816f48698bcbba1b4d9cae79d460d8f9f85e7975005d9bc22c4e5ac0f7c1a4"
	  "5d12569a62807d3b9a02e5a530e773066f453d1f5b4c2e9cf7820283f742b9d5" },
	{ "sk-ssh-ed25519@openssh.com", NULL, ED25519_PUB, "ssh:" },
	{ "sk-ecdsa-sha2-nistp256@openssh.com", "nistp256", P256_PUB, "ssh:" },
};
#define NKEYS	(sizeof(fuzz_keys) / sizeof(fuzz_keys[0]))

static const char *const alg_names[] = {
	"ssh-ed25519", "ecdsa-sha2-nistp256", "ecdsa-sha2-nistp384",
	"ecdsa-sha2-nistp521", "rsa-sha2-512", "rsa-sha2-256", "ssh-rsa",
	"sk-ssh-ed25519@openssh.com", "sk-ecdsa-sha2-nistp256@openssh.com",
};
#define NALGS	(sizeof(alg_names) / sizeof(alg_names[0]))

static struct sshkey *keys[NKEYS];
static const uint8_t msg[] = "fuzz_sig message";

static void
load_key(size_t i)
{
	static const uint8_t e[] = { 0x01, 0x00, 0x01 };
	const char *hex = fuzz_keys[i].pub;
	uint8_t raw[256];
	size_t j, n = strlen(hex) / 2;
	struct buf *b = buf_new();

	if (b == NULL || n > sizeof(raw))
		abort();
	for (j = 0; j < n; j++) {
		unsigned int v;
		char two[3] = { hex[2 * j], hex[2 * j + 1], 0 };

		v = (unsigned int)strtoul(two, NULL, 16);
		raw[j] = (uint8_t)v;
	}
	if (buf_put_cstring(b, fuzz_keys[i].type) != 0)
		abort();
	if (strcmp(fuzz_keys[i].type, "ssh-rsa") == 0) {
		if (buf_put_bignum2_bytes(b, e, sizeof(e)) != 0 ||
		    buf_put_bignum2_bytes(b, raw, n) != 0)
			abort();
	} else {
		if (fuzz_keys[i].curve != NULL &&
		    buf_put_cstring(b, fuzz_keys[i].curve) != 0)
			abort();
		if (buf_put_string(b, raw, n) != 0)
			abort();
	}
	if (fuzz_keys[i].app != NULL &&
	    buf_put_cstring(b, fuzz_keys[i].app) != 0)
		abort();
	if (key_from_blob(b, &keys[i]) != 0)
		abort();
	buf_free(b);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const struct sshkey *k;
	const char *alg = NULL, *list, *wrap;
	char pref[64], *name = NULL;
	struct buf *blob = NULL;
	const uint8_t *sig = data + 1;
	size_t i, siglen = size - 1, ki;
	int r, rg;

	if (keys[0] == NULL) {
		for (i = 0; i < NKEYS; i++)
			load_key(i);
	}
	if (size < 1)
		return 0;
	ki = (data[0] & 7) % NKEYS;
	k = keys[ki];
	list = sig_algs_for_type(key_type(k), 0);
	if (list == NULL)
		abort();
	i = strcspn(list, ",");
	if (i >= sizeof(pref))
		abort();
	memcpy(pref, list, i);
	pref[i] = '\0';
	if (data[0] & 0x10)
		alg = pref;
	if (data[0] & 0x20) {
		wrap = (data[0] >> 6) == 0 ? pref :
		    alg_names[(ki + (data[0] >> 6)) % NALGS];
		if ((blob = buf_new()) == NULL ||
		    buf_put_cstring(blob, wrap) != 0 ||
		    buf_put_string(blob, sig, siglen) != 0)
			abort();
		sig = buf_ptr(blob);
		siglen = buf_len(blob);
	}
	r = sig_verify(k, sig, siglen, msg, sizeof(msg), alg,
	    (data[0] & 8) != 0);
	switch (r) {
	case 0:
	case SSH_ERR_INVALID_FORMAT:
	case SSH_ERR_SIGN_ALG_UNSUPPORTED:
	case SSH_ERR_KEY_TYPE_MISMATCH:
	case SSH_ERR_SIGNATURE_INVALID:
		break;
	default:
		abort();	/* undocumented error for a wire blob */
	}
	rg = sig_get_alg(sig, siglen, &name);
	/* Anything sig_verify parsed, sig_get_alg parses too. */
	if (r != SSH_ERR_INVALID_FORMAT && rg != 0)
		abort();
	if (rg == 0 && r == 0 && sig_alg_key_type(name) != key_type(k))
		abort();
	free(name);
	buf_free(blob);
	return 0;
}
