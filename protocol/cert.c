/*
 * cert.c: OpenSSH certificates (PROTOCOL.certkeys): the blob parser, the CA
 * signature and the user/host checks.  See cert.h for the rules enforced.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <bsd/stdlib.h>

#include "protocol/buf.h"
#include "protocol/cert.h"
#include "protocol/cert_local.h"
#include "protocol/cidr.h"
#include "protocol/publine.h"
#include "protocol/key.h"
#include "protocol/sig.h"
#include "protocol/ssherr.h"

/*
 * One row per certificate type: the plain key type it certifies, and how
 * many strings (mpints are strings too) the key takes after the nonce.
 */
static const struct cert_kind {
	const char	*ck_name;
	const char	*ck_plain;
	enum key_type	 ck_type;
	unsigned int	 ck_nfields;
	const char	*ck_algs;
} cert_kinds[] = {
	{ "ssh-ed25519-cert-v01@openssh.com", "ssh-ed25519", KEY_ED25519, 1,
	  "ssh-ed25519-cert-v01@openssh.com" },
	{ "ecdsa-sha2-nistp256-cert-v01@openssh.com", "ecdsa-sha2-nistp256",
	  KEY_ECDSA_P256, 2, "ecdsa-sha2-nistp256-cert-v01@openssh.com" },
	{ "ecdsa-sha2-nistp384-cert-v01@openssh.com", "ecdsa-sha2-nistp384",
	  KEY_ECDSA_P384, 2, "ecdsa-sha2-nistp384-cert-v01@openssh.com" },
	{ "ecdsa-sha2-nistp521-cert-v01@openssh.com", "ecdsa-sha2-nistp521",
	  KEY_ECDSA_P521, 2, "ecdsa-sha2-nistp521-cert-v01@openssh.com" },
	{ "ssh-rsa-cert-v01@openssh.com", "ssh-rsa", KEY_RSA, 2,
	  "rsa-sha2-512-cert-v01@openssh.com,"
	  "rsa-sha2-256-cert-v01@openssh.com" },
	/* PROTOCOL.u2f: the plain key's fields, then the application. */
	{ "sk-ssh-ed25519-cert-v01@openssh.com", "sk-ssh-ed25519@openssh.com",
	  KEY_SK_ED25519, 2, "sk-ssh-ed25519-cert-v01@openssh.com" },
	{ "sk-ecdsa-sha2-nistp256-cert-v01@openssh.com",
	  "sk-ecdsa-sha2-nistp256@openssh.com", KEY_SK_ECDSA_P256, 3,
	  "sk-ecdsa-sha2-nistp256-cert-v01@openssh.com" },
};
#define NKINDS	(sizeof(cert_kinds) / sizeof(cert_kinds[0]))

/* Algorithm names (KEXINIT, publickey requests) -> signature algorithm. */
static const struct {
	const char	*ca_cert;
	const char	*ca_sig;
} cert_algs[] = {
	{ "ssh-ed25519-cert-v01@openssh.com", "ssh-ed25519" },
	{ "ecdsa-sha2-nistp256-cert-v01@openssh.com", "ecdsa-sha2-nistp256" },
	{ "ecdsa-sha2-nistp384-cert-v01@openssh.com", "ecdsa-sha2-nistp384" },
	{ "ecdsa-sha2-nistp521-cert-v01@openssh.com", "ecdsa-sha2-nistp521" },
	{ "rsa-sha2-512-cert-v01@openssh.com", "rsa-sha2-512" },
	{ "rsa-sha2-256-cert-v01@openssh.com", "rsa-sha2-256" },
	{ "ssh-rsa-cert-v01@openssh.com", "ssh-rsa" },
	{ "sk-ssh-ed25519-cert-v01@openssh.com", "sk-ssh-ed25519@openssh.com" },
	{ "sk-ecdsa-sha2-nistp256-cert-v01@openssh.com",
	  "sk-ecdsa-sha2-nistp256@openssh.com" },
};

static const struct cert_kind *
cert_kind_by_name(const char *name)
{
	size_t i;

	for (i = 0; i < NKINDS; i++)
		if (strcmp(name, cert_kinds[i].ck_name) == 0)
			return &cert_kinds[i];
	return NULL;
}

static const struct cert_kind *
cert_kind_by_type(enum key_type type)
{
	size_t i;

	for (i = 0; i < NKINDS; i++)
		if (cert_kinds[i].ck_type == type)
			return &cert_kinds[i];
	return NULL;
}

void
cert_free(struct sshcert *c)
{
	size_t i;

	if (c == NULL)
		return;
	buf_free(c->c_blob);
	free(c->c_sig_alg);
	key_free(c->c_key);
	key_free(c->c_ca);
	free(c->c_key_id);
	for (i = 0; i < c->c_nprincipals; i++)
		free(c->c_principals[i]);
	free(c->c_principals);
	cert_optlist_free(&c->c_crit);
	cert_optlist_free(&c->c_ext);
	free(c->c_force_command);
	free(c->c_source_address);
	free(c);
}

/*
 * Reads the certified key's fields and parses them as a plain key blob
 * (plain type name, then the same fields), so key.c does all key checks.
 */
static int
cert_get_key(struct buf *b, const struct cert_kind *kind, struct sshkey **keyp)
{
	struct buf *plain = NULL;
	const uint8_t *start = buf_ptr(b);
	size_t before = buf_len(b);
	unsigned int i;
	int r = SSH_ERR_INTERNAL_ERROR;

	for (i = 0; i < kind->ck_nfields; i++)
		if ((r = buf_get_string_direct(b, NULL, NULL)) != 0)
			goto out;
	if ((plain = buf_new()) == NULL) {
		r = SSH_ERR_ALLOC_FAIL;
		goto out;
	}
	if ((r = buf_put_cstring(plain, kind->ck_plain)) != 0 ||
	    (r = buf_put(plain, start, before - buf_len(b))) != 0)
		goto out;
	if ((r = key_from_blob(plain, keyp)) != 0)
		goto out;
	if (key_type(*keyp) != kind->ck_type) {
		key_free(*keyp);
		*keyp = NULL;
		r = SSH_ERR_KEY_TYPE_MISMATCH;
		goto out;
	}
	r = 0;
 out:
	buf_free(plain);
	return r;
}

static int
cert_get_principals(struct buf *b, struct sshcert *c)
{
	struct buf *sub = NULL;
	char *p = NULL, **tmp;
	int r = SSH_ERR_INTERNAL_ERROR;

	if ((r = buf_froms(b, &sub)) != 0)
		goto out;
	while (buf_len(sub) > 0) {
		if (c->c_nprincipals >= CERT_MAX_PRINCIPALS) {
			r = SSH_ERR_KEY_CERT_INVALID;
			goto out;
		}
		if ((r = buf_get_cstring(sub, &p, NULL)) != 0)
			goto out;
		if ((tmp = reallocarray(c->c_principals, c->c_nprincipals + 1,
		    sizeof(*tmp))) == NULL) {
			r = SSH_ERR_ALLOC_FAIL;
			goto out;
		}
		c->c_principals = tmp;
		c->c_principals[c->c_nprincipals++] = p;
		p = NULL;
	}
	r = 0;
 out:
	free(p);
	buf_free(sub);
	return r;
}

/* The signature key: a plain key blob; a certificate as CA is refused. */
static int
cert_get_ca(struct buf *b, struct sshkey **cap)
{
	struct buf *sub = NULL, *view = NULL;
	char *name = NULL;
	int r = SSH_ERR_INTERNAL_ERROR;

	if ((r = buf_froms(b, &sub)) != 0)
		goto out;
	/* A second view reads the name; key_from_blob reads it again. */
	if ((view = buf_from(buf_ptr(sub), buf_len(sub))) == NULL) {
		r = SSH_ERR_ALLOC_FAIL;
		goto out;
	}
	if ((r = buf_get_cstring(view, &name, NULL)) != 0)
		goto out;
	if (strstr(name, "-cert-v0") != NULL) {
		r = SSH_ERR_KEY_CERT_INVALID_SIGN_KEY;
		goto out;
	}
	if ((r = key_from_blob(sub, cap)) != 0)
		goto out;
	r = 0;
 out:
	free(name);
	buf_free(view);
	buf_free(sub);
	return r;
}

int
cert_parse(const struct buf *blob, struct sshcert **certp)
{
	struct sshcert *c = NULL;
	struct buf *b = NULL;
	char *name = NULL;
	size_t total;
	int r = SSH_ERR_INTERNAL_ERROR;

	if (certp == NULL || blob == NULL)
		return SSH_ERR_INVALID_ARGUMENT;
	*certp = NULL;
	if ((c = calloc(1, sizeof(*c))) == NULL ||
	    (c->c_blob = buf_new()) == NULL) {
		r = SSH_ERR_ALLOC_FAIL;
		goto out;
	}
	if ((r = buf_putb(c->c_blob, blob)) != 0)
		goto out;
	total = buf_len(c->c_blob);
	if ((b = buf_from(buf_ptr(c->c_blob), total)) == NULL) {
		r = SSH_ERR_ALLOC_FAIL;
		goto out;
	}
	if ((r = buf_get_cstring(b, &name, NULL)) != 0)
		goto out;
	if ((c->c_kind = cert_kind_by_name(name)) == NULL) {
		r = SSH_ERR_KEY_CERT_UNKNOWN_TYPE;
		goto out;
	}
	if ((r = buf_get_string_direct(b, NULL, NULL)) != 0 ||	/* nonce */
	    (r = cert_get_key(b, c->c_kind, &c->c_key)) != 0 ||
	    (r = buf_get_u64(b, &c->c_serial)) != 0 ||
	    (r = buf_get_u32(b, &c->c_type)) != 0 ||
	    (r = buf_get_cstring(b, &c->c_key_id, NULL)) != 0 ||
	    (r = cert_get_principals(b, c)) != 0 ||
	    (r = buf_get_u64(b, &c->c_valid_after)) != 0 ||
	    (r = buf_get_u64(b, &c->c_valid_before)) != 0 ||
	    (r = cert_get_optlist(b, &c->c_crit)) != 0 ||
	    (r = cert_get_optlist(b, &c->c_ext)) != 0 ||
	    (r = buf_get_string_direct(b, NULL, NULL)) != 0 ||	/* reserved */
	    (r = cert_get_ca(b, &c->c_ca)) != 0)
		goto out;
	c->c_signed_len = total - buf_len(b);
	c->c_sig_off = c->c_signed_len + 4;
	if ((r = buf_get_string_direct(b, NULL, &c->c_sig_len)) != 0 ||
	    (r = buf_expect_end(b)) != 0)
		goto out;
	if ((r = sig_get_alg(buf_ptr(c->c_blob) + c->c_sig_off, c->c_sig_len,
	    &c->c_sig_alg)) != 0)
		goto out;
	if ((r = cert_interpret_options(c)) != 0)
		goto out;
	*certp = c;
	c = NULL;
	r = 0;
 out:
	free(name);
	buf_free(b);
	cert_free(c);
	return r;
}

int
cert_from_public_line(const char *line, struct sshcert **certp,
    char **commentp)
{
	struct publine pl;
	struct sshcert *c = NULL;
	struct buf *blob = NULL;
	int r = SSH_ERR_INTERNAL_ERROR;

	if (certp == NULL || line == NULL)
		return SSH_ERR_INVALID_ARGUMENT;
	*certp = NULL;
	if (commentp != NULL)
		*commentp = NULL;
	if ((r = publine_split(line, &pl)) != 0)
		goto out;
	if (cert_kind_by_name(pl.name) == NULL) {
		r = SSH_ERR_KEY_CERT_UNKNOWN_TYPE;
		goto out;
	}
	if ((blob = buf_new()) == NULL) {
		r = SSH_ERR_ALLOC_FAIL;
		goto out;
	}
	if ((r = buf_b64tod(blob, pl.b64)) != 0 ||
	    (r = cert_parse(blob, &c)) != 0)
		goto out;
	if (strcmp(pl.name, c->c_kind->ck_name) != 0) {
		r = SSH_ERR_KEY_TYPE_MISMATCH;
		goto out;
	}
	if (commentp != NULL) {
		*commentp = pl.comment;
		pl.comment = NULL;
	}
	*certp = c;
	c = NULL;
	r = 0;
 out:
	publine_clear(&pl);
	buf_free(blob);
	cert_free(c);
	return r;
}

int
cert_to_blob(const struct sshcert *c, struct buf *out)
{
	if (c == NULL || out == NULL)
		return SSH_ERR_INVALID_ARGUMENT;
	return buf_putb(out, c->c_blob);
}

const uint8_t *
cert_blob(const struct sshcert *c, size_t *lenp)
{
	if (lenp != NULL)
		*lenp = buf_len(c->c_blob);
	return buf_ptr(c->c_blob);
}

int
cert_verify_signature(const struct sshcert *c)
{
	const uint8_t *p;

	if (c == NULL)
		return SSH_ERR_INVALID_ARGUMENT;
	p = buf_ptr(c->c_blob);
	/* allow_sha1 0: an RSA CA must sign with rsa-sha2-256/512. */
	return sig_verify(c->c_ca, p + c->c_sig_off, c->c_sig_len,
	    p, c->c_signed_len, NULL, 0);
}

const struct sshkey *
cert_key(const struct sshcert *c)
{
	return c->c_key;
}

const struct sshkey *
cert_ca(const struct sshcert *c)
{
	return c->c_ca;
}

const char *
cert_key_type_name(const struct sshcert *c)
{
	return c->c_kind->ck_name;
}

const char *
cert_signature_alg(const struct sshcert *c)
{
	return c->c_sig_alg;
}

uint32_t
cert_type(const struct sshcert *c)
{
	return c->c_type;
}

uint64_t
cert_serial(const struct sshcert *c)
{
	return c->c_serial;
}

const char *
cert_key_id(const struct sshcert *c)
{
	return c->c_key_id;
}

size_t
cert_nprincipals(const struct sshcert *c)
{
	return c->c_nprincipals;
}

const char *
cert_principal(const struct sshcert *c, size_t i)
{
	return i < c->c_nprincipals ? c->c_principals[i] : NULL;
}

uint64_t
cert_valid_after(const struct sshcert *c)
{
	return c->c_valid_after;
}

uint64_t
cert_valid_before(const struct sshcert *c)
{
	return c->c_valid_before;
}

const char *
cert_force_command(const struct sshcert *c)
{
	return c->c_force_command;
}

int
cert_verify_required(const struct sshcert *c)
{
	return c->c_verify_required;
}

const char *
cert_source_address(const struct sshcert *c)
{
	return c->c_source_address;
}

unsigned int
cert_extensions(const struct sshcert *c)
{
	return c->c_ext_flags;
}

/* Shared by the user and host checks: the validity window. */
static int
cert_check_time(const struct sshcert *c, uint64_t now, const char **whyp)
{
	if (now < c->c_valid_after) {
		*whyp = "Certificate invalid: not yet valid";
		return SSH_ERR_KEY_CERT_INVALID;
	}
	if (now >= c->c_valid_before) {
		*whyp = "Certificate invalid: expired";
		return SSH_ERR_KEY_CERT_INVALID;
	}
	return 0;
}

int
cert_has_principal(const struct sshcert *c, const char *name)
{
	size_t i;

	if (c == NULL || name == NULL)
		return 0;
	for (i = 0; i < c->c_nprincipals; i++)
		if (strcmp(c->c_principals[i], name) == 0)
			return 1;
	return 0;
}

int
cert_check_user(const struct sshcert *c, const char *principal,
    uint64_t now, const char *client_addr, const char **whyp)
{
	const char *why = "Certificate invalid";
	const char *name;
	size_t i;
	int r = SSH_ERR_KEY_CERT_INVALID;

	if (c == NULL) {
		r = SSH_ERR_INVALID_ARGUMENT;
		goto out;
	}
	if (c->c_type != CERT_TYPE_USER) {
		why = "Certificate invalid: not a user certificate";
		goto out;
	}
	if (cert_check_time(c, now, &why) != 0)
		goto out;
	if (principal != NULL) {
		if (c->c_nprincipals == 0) {
			why = "Certificate lacks principal list";
			goto out;
		}
		if (!cert_has_principal(c, principal)) {
			why = "Certificate invalid: name is not a listed "
			    "principal";
			goto out;
		}
	}
	for (i = 0; i < c->c_crit.col_n; i++) {
		name = c->c_crit.col_opts[i].co_name;
		if (strcmp(name, "force-command") == 0)
			continue;
		if (strcmp(name, "source-address") == 0) {
			if (client_addr == NULL || cidr_list_match(client_addr,
			    c->c_source_address) != 1) {
				why = "Certificate invalid: source address "
				    "not allowed (source-address)";
				goto out;
			}
			continue;
		}
		/* The caller checks it against the signature. */
		if (strcmp(name, "verify-required") == 0)
			continue;
		why = "Certificate invalid: unsupported critical option";
		goto out;
	}
	why = NULL;
	r = 0;
 out:
	if (whyp != NULL)
		*whyp = why;
	return r;
}

int
cert_check_host(const struct sshcert *c, const char *hostname,
    uint64_t now, const char **whyp)
{
	const char *why = "Certificate invalid";
	int r = SSH_ERR_KEY_CERT_INVALID;

	if (c == NULL) {
		r = SSH_ERR_INVALID_ARGUMENT;
		goto out;
	}
	if (c->c_type != CERT_TYPE_HOST) {
		why = "Certificate invalid: not a host certificate";
		goto out;
	}
	if (cert_check_time(c, now, &why) != 0)
		goto out;
	if (hostname != NULL && c->c_nprincipals > 0 &&
	    !cert_has_principal(c, hostname)) {
		why = "Certificate invalid: name is not a listed principal";
		goto out;
	}
	if (c->c_crit.col_n != 0) {
		why = "Certificate invalid: host certificate has critical "
		    "options";
		goto out;
	}
	why = NULL;
	r = 0;
 out:
	if (whyp != NULL)
		*whyp = why;
	return r;
}

int
cert_check_key(const struct sshcert *c, const struct sshkey *key)
{
	if (c == NULL || key == NULL)
		return SSH_ERR_INVALID_ARGUMENT;
	return key_equal_public(c->c_key, key) == 0 ?
	    0 : SSH_ERR_KEY_CERT_MISMATCH;
}

const char *
cert_name_for_type(enum key_type type)
{
	const struct cert_kind *k = cert_kind_by_type(type);

	return k == NULL ? NULL : k->ck_name;
}

enum key_type
cert_type_from_name(const char *name)
{
	const struct cert_kind *k;

	if (name == NULL || (k = cert_kind_by_name(name)) == NULL)
		return KEY_UNSPEC;
	return k->ck_type;
}

const char *
cert_alg_to_sig_alg(const char *alg)
{
	size_t i;

	if (alg == NULL)
		return NULL;
	for (i = 0; i < sizeof(cert_algs) / sizeof(cert_algs[0]); i++)
		if (strcmp(alg, cert_algs[i].ca_cert) == 0)
			return cert_algs[i].ca_sig;
	return NULL;
}

int
cert_check_alg(const struct sshcert *c, const char *alg, int allow_sha1)
{
	const char *sigalg;

	if (c == NULL || alg == NULL)
		return SSH_ERR_INVALID_ARGUMENT;
	if ((sigalg = cert_alg_to_sig_alg(alg)) == NULL)
		return SSH_ERR_SIGN_ALG_UNSUPPORTED;
	return sig_check_alg(c->c_key, sigalg, allow_sha1);
}

const char *
cert_algs_for_type(enum key_type type)
{
	const struct cert_kind *k = cert_kind_by_type(type);

	return k == NULL ? NULL : k->ck_algs;
}
