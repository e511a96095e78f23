/*
 * cert_local.h: the certificate object, shared by cert.c (the blob and the
 * checks) and cert_options.c (critical options and extensions).  Not for
 * use outside those files.
 */
#ifndef NANOSSH_CERT_LOCAL_H
#define NANOSSH_CERT_LOCAL_H

#include <stddef.h>
#include <stdint.h>

struct buf;
struct cert_kind;
struct sshkey;

struct cert_opt {
	char		*co_name;
	uint8_t		*co_data;
	size_t		 co_len;
};

struct cert_optlist {
	struct cert_opt	*col_opts;
	size_t		 col_n;
};

struct sshcert {
	const struct cert_kind *c_kind;	/* cert.c's row for its type */
	struct buf	*c_blob;
	size_t		 c_signed_len;	/* type name .. signature key */
	size_t		 c_sig_off;	/* the signature blob in c_blob */
	size_t		 c_sig_len;
	char		*c_sig_alg;
	struct sshkey	*c_key;
	struct sshkey	*c_ca;
	uint64_t	 c_serial;
	uint32_t	 c_type;
	char		*c_key_id;
	char		**c_principals;
	size_t		 c_nprincipals;
	uint64_t	 c_valid_after;
	uint64_t	 c_valid_before;
	struct cert_optlist c_crit;
	struct cert_optlist c_ext;
	char		*c_force_command;
	char		*c_source_address;
	int		 c_verify_required;
	unsigned int	 c_ext_flags;
};

/* cert_options.c */
void cert_optlist_free(struct cert_optlist *l);
/* A list of (string name, string data), names strictly increasing. */
int cert_get_optlist(struct buf *b, struct cert_optlist *l);
/* Reads what we understand out of the options; malformed known ones fail. */
int cert_interpret_options(struct sshcert *c);

#endif
