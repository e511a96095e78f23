/*
 * monitor_auth.c: the monitor's authentication decisions: which methods
 * may come next (auth.methods sequences), the user's policy (allow/deny
 * lists, root, match blocks), public keys and certificates, and the
 * answers to the child, failures held back to a minimum delay.
 */
#include <sys/types.h>
#include <errno.h>
#include <grp.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "auth/authkeys.h"
#include "common/config.h"
#include "common/log.h"
#include "common/match.h"
#include "privsep/ipc.h"
#include "privsep/ipc_catalogue.h"
#include "privsep/ipc_codec.h"
#include "privsep/keylist.h"
#include "privsep/monitor.h"
#include "privsep/monitor_local.h"
#include "privsep/userkeys.h"
#include "protocol/buf.h"
#include "protocol/cert.h"
#include "protocol/key.h"
#include "protocol/sig.h"
#include "protocol/ssh2.h"
#include "protocol/ssherr.h"

/* Every failed authentication is answered no sooner than this after its
 * request, so that whether a user exists, or a key file was read, does
 * not show in the timing (CVE-2018-15473). */
#define MON_AUTH_FAIL_MIN_MS	100

/*
 * auth.methods is a list of sequences, OpenSSH's AuthenticationMethods:
 * "publickey" alone, or "publickey,password" (both, in that order).  With
 * the methods completed so far (a prefix), method_next() tells whether
 * method may come next, and whether it completes a sequence.
 */
static int
sequence_step(const char *seq, char *const *done, size_t ndone,
    const char *method, int *lastp)
{
	char buf[256], *name, *save = NULL;
	size_t k = 0;

	if (strlen(seq) >= sizeof(buf))
		return 0;
	strcpy(buf, seq);
	for (name = strtok_r(buf, ",", &save); name != NULL;
	    name = strtok_r(NULL, ",", &save), k++) {
		if (k < ndone) {
			if (strcmp(name, done[k]) != 0)
				return 0;
			continue;
		}
		if (strcmp(name, method) != 0)
			return 0;
		*lastp = strtok_r(NULL, ",", &save) == NULL;
		return 1;
	}
	return 0;
}

/* 0: method may not come next; 1: it may, more will be needed;
 * 2: it completes a sequence. */
static int
method_next(const struct strlist *methods, char *const *done, size_t ndone,
    const char *method)
{
	size_t i;
	int last, best = 0;

	for (i = 0; i < methods->n; i++) {
		if (sequence_step(methods->v[i], done, ndone, method, &last))
			best = last ? 2 : (best > 1 ? best : 1);
	}
	return best;
}

/* The methods that may come next (the name-list for the child and for
 * SSH_MSG_USERAUTH_FAILURE), among those this build serves, appended to
 * out. */
int
mon_methods_after(const struct strlist *methods, char *const *done,
    size_t ndone, struct buf *out)
{
	static const char *const served[] = {
		"publickey", "password", "keyboard-interactive",
	};
	struct buf *list;
	size_t i;
	int r = 0;

	if ((list = buf_new()) == NULL)
		return SSH_ERR_ALLOC_FAIL;
	for (i = 0; r == 0 && i < sizeof(served) / sizeof(served[0]); i++) {
		if (method_next(methods, done, ndone, served[i]) != 0)
			r = buf_putf(list, "%s%s", buf_len(list) ? "," : "",
			    served[i]);
	}
	if (r == 0)
		r = buf_putb(out, list);
	buf_free(list);
	return r;
}

static int
copy_passwd(struct passwd *dst, const struct passwd *src)
{
	memset(dst, 0, sizeof(*dst));
	dst->pw_uid = src->pw_uid;
	dst->pw_gid = src->pw_gid;
	if ((dst->pw_name = strdup(src->pw_name)) == NULL ||
	    (dst->pw_dir = strdup(src->pw_dir)) == NULL ||
	    (dst->pw_shell = strdup(src->pw_shell != NULL ?
	    src->pw_shell : "")) == NULL ||
	    (dst->pw_passwd = strdup("*")) == NULL ||
	    (dst->pw_gecos = strdup("")) == NULL)
		return SSH_ERR_ALLOC_FAIL;
	return 0;
}

void
mon_passwd_free(struct passwd *pw)
{
	free(pw->pw_name);
	free(pw->pw_dir);
	free(pw->pw_shell);
	free(pw->pw_passwd);
	free(pw->pw_gecos);
	memset(pw, 0, sizeof(*pw));
}

static int
any_group_matches(const struct usergroups *g, const struct strlist *l)
{
	size_t i;

	for (i = 0; i < g->n; i++) {
		if (match_list(g->names[i], l->v, l->n))
			return 1;
	}
	return 0;
}

/* The user's effective settings: global ones with matching blocks. */
static int
effective_for(struct mon *m, const struct passwd *pw,
    const struct usergroups *g, struct cfg_settings **effp)
{
	return cfg_effective(m->p->cfg, pw->pw_name,
	    (const char *const *)g->names, g->n, m->p->client_addr, effp);
}

/*
 * Why this user may not log in with this method, or NULL.  The lists
 * are read in OpenSSH's order: deny_users, allow_users, deny_groups,
 * allow_groups; an empty allow list allows everyone.
 */
static const char *
user_refused(struct mon *m, const struct passwd *pw,
    const struct usergroups *g, const struct cfg_settings *eff,
    const char *method)
{
	const struct strlist *methods = &eff->auth.methods;

	if (getuid() != 0 && pw->pw_uid != getuid())
		return "it is not the user nanosshd runs as";
	if (eff->auth.deny_users.n > 0 && match_list(pw->pw_name,
	    eff->auth.deny_users.v, eff->auth.deny_users.n))
		return "listed in deny_users";
	if (eff->auth.allow_users.n > 0 && !match_list(pw->pw_name,
	    eff->auth.allow_users.v, eff->auth.allow_users.n))
		return "not listed in allow_users";
	if (eff->auth.deny_groups.n > 0 &&
	    any_group_matches(g, &eff->auth.deny_groups))
		return "a group is listed in deny_groups";
	if (eff->auth.allow_groups.n > 0 &&
	    !any_group_matches(g, &eff->auth.allow_groups))
		return "no group is listed in allow_groups";
	if (pw->pw_uid == 0 && (eff->auth.permit_root_login == CFG_ROOT_NO ||
	    (eff->auth.permit_root_login == CFG_ROOT_PROHIBIT_PASSWORD &&
	    strcmp(method, "publickey") != 0)))
		return "root login refused";
	if (method_next(methods, m->passed, m->npassed, method) != 0)
		return NULL;
	return "the method is not allowed";
}

/*
 * The policy for one attempt: the user's effective settings (*effp,
 * caller frees) and why they may not use method (*whyp, NULL when they
 * may).  pw NULL (unknown user) leaves both NULL.
 */
int
mon_user_policy(struct mon *m, const struct passwd *pw, const char *method,
    struct cfg_settings **effp, const char **whyp)
{
	struct usergroups groups;
	int r;

	*effp = NULL;
	*whyp = NULL;
	if (pw == NULL)
		return 0;
	if (usergroups_load(pw, &groups) != 0) {
		/* Every group or none: deny_groups may name a missing one. */
		*whyp = "its groups cannot be read";
		return 0;
	}
	r = effective_for(m, pw, &groups, effp);
	if (r == 0)
		*whyp = user_refused(m, pw, &groups, *effp, method);
	usergroups_free(&groups);
	return r;
}

/* RFC 4252 section 7: what the client signed, rebuilt from our own
 * session id and the request's fields. */
static int
signed_data(struct mon *m, const char *user, const char *service,
    const char *alg, const uint8_t *key, size_t keylen, int hostbound,
    uint32_t hkidx, struct buf *out)
{
	struct buf *hk;
	const uint8_t *cb;
	size_t clen;
	int r;

	if ((r = buf_put_stringb(out, m->session_id)) != 0 ||
	    (r = buf_put_u8(out, SSH2_MSG_USERAUTH_REQUEST)) != 0 ||
	    (r = buf_put_cstring(out, user)) != 0 ||
	    (r = buf_put_cstring(out, service)) != 0 ||
	    (r = buf_put_cstring(out, hostbound ?
	    "publickey-hostbound-v00@openssh.com" : "publickey")) != 0 ||
	    (r = buf_put_u8(out, 1)) != 0 ||
	    (r = buf_put_cstring(out, alg)) != 0 ||
	    (r = buf_put_string(out, key, keylen)) != 0)
		return r;
	if (!hostbound)
		return 0;
	if (hkidx >= m->p->nhostkeys) {
		/* Bound to the certificate the key exchange sent. */
		cb = cert_blob(m->p->hostcerts[hkidx - m->p->nhostkeys], &clen);
		return buf_put_string(out, cb, clen);
	}
	if ((hk = buf_new()) == NULL)
		return SSH_ERR_ALLOC_FAIL;
	if ((r = key_to_blob(m->p->hostkeys[hkidx], hk)) == 0)
		r = buf_put_stringb(out, hk);
	buf_free(hk);
	return r;
}

/* A hostbound request's host key index: a key, or nhostkeys + i for the
 * certificate of key i. */
static int
hostbound_index_ok(struct mon *m, uint32_t hkidx)
{
	if (hkidx < m->p->nhostkeys)
		return 1;
	hkidx -= m->p->nhostkeys;
	return hkidx < m->p->nhostkeys && m->p->hostcerts != NULL &&
	    m->p->hostcerts[hkidx] != NULL;
}

/* AUTH_REPLY with result and what may come next for this connection
 * (after a partial success, by the user's own sequences), encoded. */
static int
encode_auth_reply(struct mon *m, uint32_t result, struct buf *out)
{
	struct ipc_auth_reply a;
	struct buf *list = buf_new();
	int r;

	if (list == NULL)
		return SSH_ERR_ALLOC_FAIL;
	if ((r = mon_methods_after(m->npassed > 0 && m->partial_eff != NULL ?
	    &m->partial_eff->auth.methods : &m->gs->auth.methods, m->passed,
	    m->npassed, list)) == 0 && (r = buf_put_u8(list, 0)) == 0) {
		a.result = result;
		a.text = (const char *)buf_ptr(list);
		r = ipc_enc_auth_reply(out, &a);
	}
	buf_free(list);
	return r;
}

static int
mon_auth_reply(struct mon *m, uint32_t result)
{
	struct buf *b = buf_new();
	int r;

	if (b == NULL)
		return SSH_ERR_ALLOC_FAIL;
	if ((r = encode_auth_reply(m, result, b)) == 0)
		r = ipc_queue(m->ipc, IPC_MSG_AUTH_REPLY, b, -1);
	buf_free(b);
	return r;
}

/* A failure, counted; it waits out MON_AUTH_FAIL_MIN_MS and the loop
 * sends it. */
int
mon_auth_fail_reply(struct mon *m)
{
	int r;

	if (m->delayed != NULL)
		return SSH_ERR_STATE_VIOLATION;
	/* What the child counts too: it stops at max_tries of these. */
	m->failures++;
	if ((m->delayed = buf_new()) == NULL)
		return SSH_ERR_ALLOC_FAIL;
	if ((r = encode_auth_reply(m, IPC_AUTH_FAILURE, m->delayed)) != 0)
		return r;
	m->delayed_until = m->auth_started + MON_AUTH_FAIL_MIN_MS;
	return 0;
}

int
mon_send_delayed(struct mon *m, uint64_t now)
{
	int r;

	if (m->delayed == NULL || now < m->delayed_until)
		return 0;
	r = ipc_queue(m->ipc, IPC_MSG_AUTH_REPLY, m->delayed, -1);
	buf_free(m->delayed);
	m->delayed = NULL;
	m->delayed_until = 0;
	return r;
}

/* OpenSSH's "Accepted publickey ..." / "Failed publickey ..." line (NULL
 * when out of memory). */
static char *
key_line(const char *what, const char *user, int invalid, struct mon *m,
    const struct sshkey *key, const struct sshcert *cert)
{
	char *fp = NULL, *cafp = NULL, *line = NULL;
	int n;

	if (key != NULL && key_fingerprint(key, &fp) != 0)
		fp = NULL;
	if (cert != NULL && key_fingerprint(cert_ca(cert), &cafp) != 0)
		cafp = NULL;
	if (cert != NULL && fp != NULL && cafp != NULL)
		n = asprintf(&line, "%s publickey for %s%s from %s port %u "
		    "ssh2: %s-CERT %s ID %s (serial %llu) CA %s %s", what,
		    invalid ? "invalid user " : "", user, m->p->client_addr,
		    m->p->client_port, key_type_short(key), fp,
		    cert_key_id(cert), (unsigned long long)cert_serial(cert),
		    key_type_short(cert_ca(cert)), cafp);
	else
		n = asprintf(&line, "%s publickey for %s%s from %s port %u "
		    "ssh2%s%s%s%s", what, invalid ? "invalid user " : "",
		    user, m->p->client_addr, m->p->client_port, key != NULL ?
		    ": " : "", key != NULL ? key_type_short(key) : "",
		    fp != NULL ? " " : "", fp != NULL ? fp : "");
	free(fp);
	free(cafp);
	return n == -1 ? NULL : line;
}

static void
log_key(int level, const char *what, const char *user, int invalid,
    struct mon *m, const struct sshkey *key, const struct sshcert *cert)
{
	char *line = key_line(what, user, invalid, m, key, cert);

	if (line != NULL)
		log_msg(level, "%s", line);
	free(line);
}

/*
 * Whether a user certificate may log in as pw: signed by a CA trusted in
 * auth.trusted_user_ca_keys (a principal must be the user's name), or by
 * a cert-authority line of the user's authorized_keys (whose principals=
 * list, if any, replaces that rule).  Validity, source-address and the
 * critical options are checked either way.
 */
static int
cert_trusted(struct mon *m, const struct passwd *pw,
    const struct cfg_settings *eff, const struct sshcert *c,
    struct authkeys_entry **entryp, const char **whyp)
{
	const struct authkeys_list *pl;
	struct buf *ca;
	size_t i;
	int r;

	*whyp = NULL;
	if ((r = cert_verify_signature(c)) != 0) {
		*whyp = "the CA's signature is invalid";
		return r;
	}
	if (keylist_cert_revoked(eff->auth.revoked_keys, c)) {
		*whyp = "it, its key or its CA is revoked";
		return SSH_ERR_KEY_REVOKED;
	}
	if (keylist_find(eff->auth.trusted_user_ca_keys, cert_ca(c))) {
		const char *pf = eff->auth.authorized_principals_file;
		const char *pc = eff->auth.authorized_principals_command;

		if ((pf == NULL || *pf == '\0') && (pc == NULL || *pc == '\0'))
			return cert_check_user(c, pw->pw_name,
			    (uint64_t)time(NULL), m->p->client_addr, whyp);
		/* With a principals file or command, their names replace
		 * the user's (OpenSSH's AuthorizedPrincipalsFile and
		 * AuthorizedPrincipalsCommand). */
		if ((r = cert_check_user(c, NULL, (uint64_t)time(NULL),
		    m->p->client_addr, whyp)) != 0)
			return r;
		r = userkeys_principals(pw, pf, pc,
		    eff->auth.authorized_principals_command_user, c,
		    m->p->client_addr, entryp);
		if (r != 0)
			*whyp = "no principal of the certificate is accepted "
			    "by auth.authorized_principals_file or _command";
		return r;
	}
	if ((ca = buf_new()) == NULL)
		return SSH_ERR_ALLOC_FAIL;
	if ((r = key_to_blob(cert_ca(c), ca)) == 0)
		r = userkeys_find(pw, &eff->auth.authorized_keys,
		    eff->auth.authorized_keys_command,
		    eff->auth.authorized_keys_command_user, ca, 1,
		    m->p->client_addr, entryp);
	buf_free(ca);
	if (r != 0) {
		*whyp = "its CA is not trusted";
		return r;
	}
	pl = &(*entryp)->ae_opts.ao_principals;
	for (i = 0, r = !pl->al_set && cert_has_principal(c, pw->pw_name);
	    pl->al_set && i < pl->al_n && !r; i++)
		r = cert_has_principal(c, pl->al_v[i]);
	if (!r) {
		*whyp = "no principal of the certificate is allowed";
		return SSH_ERR_KEY_CERT_INVALID;
	}
	return cert_check_user(c, NULL, (uint64_t)time(NULL),
	    m->p->client_addr, whyp);
}

/* The command a login is forced to run: the certificate's and the key
 * line's must agree when both have one. */
static int
forced_command(const struct sshcert *c, const struct authkeys_entry *e,
    char **cmdp)
{
	const char *a = c != NULL ? cert_force_command(c) : NULL;
	const char *b = e != NULL ? e->ae_opts.ao_force_command : NULL;

	*cmdp = NULL;
	if (a != NULL && b != NULL && strcmp(a, b) != 0)
		return SSH_ERR_KEY_CERT_INVALID;
	if (a == NULL)
		a = b;
	if (a != NULL && (*cmdp = strdup(a)) == NULL)
		return SSH_ERR_ALLOC_FAIL;
	return 0;
}

/* SESSION_CONFIG: the user's effective session settings for the child. */
static int
send_session_config(struct mon *m)
{
	const struct cfg_settings *e = m->eff;
	struct ipc_session_config c;
	char *list;
	int r;

	if ((list = mon_join(&e->session.accept_env)) == NULL)
		return SSH_ERR_ALLOC_FAIL;
	c.accept_env = list;
	c.max_sessions = (uint32_t)e->limits.max_sessions;
	c.max_session_time = (uint32_t)e->limits.max_session_time;
	c.idle_timeout = (uint32_t)e->limits.idle_timeout;
	c.keepalive_interval = (uint32_t)e->limits.keepalive_interval;
	c.keepalive_count_max = (uint32_t)e->limits.keepalive_count_max;
	r = ipc_send_session_config(m->ipc, &c, -1);
	free(list);
	return r;
}

static int auth_success(struct mon *m, const char *method, struct passwd *pw,
    struct cfg_settings *eff);

/*
 * Every key of a sequence restricts the login: its options are
 * intersected with those of the keys before it (authkeys_opts_merge),
 * and forced commands must agree.  Takes entry and forced; MON_REFUSED
 * (logged) when they conflict.
 */
static int
restrict_login(struct mon *m, const struct passwd *pw,
    struct authkeys_entry *entry, char *forced)
{
	const char *why = NULL;
	int r = 0;

	if (forced != NULL && m->forced != NULL &&
	    strcmp(forced, m->forced) != 0) {
		log_info("Refused a second key for %s: conflicting forced "
		    "commands", pw->pw_name);
		r = MON_REFUSED;
		goto out;
	}
	if (entry != NULL && m->authkey != NULL) {
		if ((r = authkeys_opts_merge(&m->authkey->ae_opts,
		    &entry->ae_opts, &why)) != 0) {
			log_info("Refused a second key for %s: %s",
			    pw->pw_name, why);
			if (r != SSH_ERR_ALLOC_FAIL)
				r = MON_REFUSED;
			goto out;
		}
	} else if (entry != NULL) {
		m->authkey = entry;
		entry = NULL;
	}
	if (forced != NULL && m->forced == NULL) {
		m->forced = forced;
		forced = NULL;
	}
 out:
	authkeys_entry_free(entry);
	free(forced);
	return r;
}

/*
 * A method passed: either it completes a sequence of auth.methods (the
 * user is in) or more are needed (partial success, RFC 4252 5.1).  The
 * account is checked first, whatever the method.  Takes eff, entry and
 * forced in every case.
 */
int
mon_method_passed(struct mon *m, const struct passwd *pw, const char *method,
    const char *accepted, struct cfg_settings *eff,
    struct authkeys_entry *entry, char *forced)
{
	int step = method_next(&eff->auth.methods, m->passed, m->npassed, method);
	struct passwd pwc;
	int r;

	/* getpwnam's buffer is anybody's: PAM modules call it too. */
	if ((r = copy_passwd(&pwc, pw)) != 0)
		goto out;
	pw = &pwc;
	if (step == 0) {
		r = SSH_ERR_STATE_VIOLATION;
		goto out;
	}
	if (step == 1 && m->npassed >= MON_MAX_STEPS) {
		r = SSH_ERR_LIMIT_EXCEEDED;
		goto out;
	}
	if ((r = mon_account_check(m, pw, eff, step == 2)) != 0)
		goto out;
	r = restrict_login(m, pw, entry, forced);
	entry = NULL;
	forced = NULL;
	if (r != 0)
		goto out;
	log_info("%s", accepted);
	if (step == 2)
		return auth_success(m, method, &pwc, eff);
	if ((m->passed[m->npassed] = strdup(method)) == NULL) {
		r = SSH_ERR_ALLOC_FAIL;
		goto out;
	}
	m->npassed++;
	log_info("Partial %s for %s from %s port %u ssh2", method,
	    pw->pw_name, m->p->client_addr, m->p->client_port);
	cfg_settings_free(m->partial_eff);
	m->partial_eff = eff;
	mon_passwd_free(&pwc);
	return mon_auth_reply(m, IPC_AUTH_PARTIAL);
 out:
	mon_passwd_free(&pwc);
	cfg_settings_free(eff);
	authkeys_entry_free(entry);
	free(forced);
	return r;
}

/* Takes pw's strings and eff. */
static int
auth_success(struct mon *m, const char *method, struct passwd *pw,
    struct cfg_settings *eff)
{
	char byte = 'A';
	int r;

	m->eff = eff;
	m->pw = *pw;
	memset(pw, 0, sizeof(*pw));
	pw = &m->pw;
	if (m->authkey != NULL && m->authkey->ae_opts.ao_env.al_n > 0)
		log_verbose("%s: environment= options ignored: user "
		    "environment is not permitted", pw->pw_name);
	m->authed = 1;
	m->grace_deadline = 0;
	if ((r = ipc_state_enter(&m->st, IPC_PH_SESSION)) != 0)
		return r;
	/* Tell the listener: it stops counting us against max_startups. */
	if (m->p->status_fd != -1 &&
	    write(m->p->status_fd, &byte, 1) != 1)
		log_debug("status socket: %s", strerror(errno));
	mon_status_authenticated(m, method);
	if ((r = mon_auth_reply(m, IPC_AUTH_SUCCESS)) != 0)
		return r;
	return send_session_config(m);
}

/* AUTH_PUBKEY: the decision, made here and only here. */
int
mon_auth_pubkey(struct mon *m, struct buf *req)
{
	struct ipc_auth_pubkey q;
	const char *user, *service, *alg;
	const uint8_t *blob, *sig;
	size_t bloblen, siglen;
	uint32_t hkidx;
	int hostbound, query, r, invalid = 0;
	struct passwd *pwp;
	struct cfg_settings *eff = NULL;
	struct authkeys_entry *entry = NULL;
	struct sshcert *cert = NULL;
	const struct sshkey *key = NULL;
	const char *sigalg;
	char *forced = NULL, *accepted = NULL;
	struct buf *kb = NULL, *data = NULL, *used = NULL;
	struct sig_details sd;
	const char *why;

	if ((r = ipc_dec_auth_pubkey(req, &q)) != 0) {
		r = violation(m, "malformed AUTH_PUBKEY", r);
		goto out;
	}
	user = q.user;
	service = q.service;
	blob = q.key.p;
	bloblen = q.key.len;
	alg = q.alg;
	hostbound = q.hostbound;
	hkidx = q.hostkey;
	query = q.query;
	sig = q.sig.p;
	siglen = q.sig.len;
	sigalg = alg;
	if ((r = mon_auth_begin(m, user, service, 0)) != 0)
		goto out;
	if (strcmp(service, "ssh-connection") != 0 ||
	    (hostbound && !hostbound_index_ok(m, hkidx)) ||
	    (query && siglen != 0) || (!query && siglen == 0)) {
		r = violation(m, "AUTH_PUBKEY out of place",
		    SSH_ERR_STATE_VIOLATION);
		goto out;
	}
	if ((pwp = getpwnam(user)) == NULL) {
		log_info("Invalid user %s from %s port %u", user,
		    m->p->client_addr, m->p->client_port);
		invalid = 1;
		goto fail;
	}
	if ((r = mon_user_policy(m, pwp, "publickey", &eff, &why)) != 0)
		goto out;
	if (why != NULL) {
		log_info("User %s from %s not allowed because %s", user,
		    m->p->client_addr, why);
		goto fail;
	}
	if ((kb = buf_from(blob, bloblen)) == NULL) {
		r = SSH_ERR_ALLOC_FAIL;
		goto out;
	}
	if (cert_alg_to_sig_alg(alg) != NULL) {
		/* A certificate: its CA vouches for the key inside. */
		if (cert_parse(kb, &cert) != 0 || cert_check_alg(cert, alg,
		    0) != 0)
			goto fail;
		if ((r = cert_trusted(m, pwp, eff, cert, &entry, &why)) != 0) {
			log_info("Refused certificate ID \"%s\" for %s: %s",
			    cert_key_id(cert), user, why != NULL ? why :
			    ssh_err(r));
			r = 0;
			goto fail;
		}
		key = cert_key(cert);
		sigalg = cert_alg_to_sig_alg(alg);
		if ((r = forced_command(cert, entry, &forced)) != 0) {
			log_info("Refused certificate ID \"%s\" for %s: "
			    "conflicting forced commands", cert_key_id(cert),
			    user);
			r = 0;
			goto fail;
		}
	} else {
		r = userkeys_find(pwp, &eff->auth.authorized_keys,
		    eff->auth.authorized_keys_command,
		    eff->auth.authorized_keys_command_user, kb, 0,
		    m->p->client_addr, &entry);
		if (r == SSH_ERR_KEY_NOT_FOUND)
			goto fail;
		if (r != 0) {
			log_error("authorized_keys of %s: %s", user,
			    ssh_err(r));
			goto fail;
		}
		key = entry->ae_key;
		if (sig_check_alg(key, alg, 0) != 0)
			goto fail;
		if (keylist_key_revoked(eff->auth.revoked_keys, key)) {
			log_info("Authentication key %s of %s revoked by %s",
			    key_type_short(key), user, eff->auth.revoked_keys);
			goto fail;
		}
		if ((r = forced_command(NULL, entry, &forced)) != 0)
			goto out;
	}
	/* OpenSSH's rule: one key, one step of the sequence. */
	if (mon_key_used(m, key)) {
		log_verbose("refusing previously-used %s key for %s",
		    key_type_short(key), user);
		goto fail;
	}
	if (query) {
		log_debug("Postponed publickey for %s from %s port %u ssh2",
		    user, m->p->client_addr, m->p->client_port);
		r = mon_auth_reply(m, IPC_AUTH_PK_OK);
		goto out;
	}
	if ((data = buf_new()) == NULL) {
		r = SSH_ERR_ALLOC_FAIL;
		goto out;
	}
	if ((r = signed_data(m, user, service, alg, blob, bloblen, hostbound,
	    hkidx, data)) != 0)
		goto out;
	if (sig_verify_details(key, sig, siglen, buf_ptr(data), buf_len(data),
	    sigalg, 0, &sd) != 0)
		goto fail;
	if (sd.sd_sk)
		log_debug("%s signature: counter %u, flags 0x%02x",
		    key_type_short(key), sd.sd_sk_counter, sd.sd_sk_flags);
	if (authkeys_sk_check(entry != NULL ? &entry->ae_opts : NULL, cert,
	    &sd, &why) != 0) {
		log_info("public key %s signature for %s from %s port %u "
		    "rejected: %s", key_type_short(key), user,
		    m->p->client_addr, m->p->client_port, why);
		goto fail;
	}
	if ((accepted = key_line("Accepted", user, 0, m, key, cert)) == NULL ||
	    (used = buf_new()) == NULL) {
		r = SSH_ERR_ALLOC_FAIL;
		goto out;
	}
	if ((r = key_to_blob(key, used)) != 0)
		goto out;
	/* A certificate without permit-pty restricts the whole login. */
	if (cert != NULL && !(cert_extensions(cert) & CERT_EXT_PERMIT_PTY))
		m->pty_denied = 1;
	if (cert != NULL && (cert_extensions(cert) & CERT_EXT_PERMIT_PORT) == 0)
		m->cert_no_portfwd = 1;
	if (cert != NULL && (cert_extensions(cert) & CERT_EXT_PERMIT_X11) == 0)
		m->cert_no_x11 = 1;
	if (cert != NULL && (cert_extensions(cert) & CERT_EXT_PERMIT_AGENT) == 0)
		m->cert_no_agent = 1;
	r = mon_method_passed(m, pwp, "publickey", accepted, eff, entry,
	    forced);
	eff = NULL;
	entry = NULL;
	forced = NULL;
	/* A step passed (at most MON_MAX_STEPS): this key has had its turn. */
	if (r == 0 && m->nused < MON_MAX_STEPS) {
		m->used_keys[m->nused++] = used;
		used = NULL;
	}
	if (r != MON_REFUSED)
		goto out;
	/* The signature was good, but the account may not log in.  A
	 * plain key went with its entry. */
	key = cert != NULL ? cert_key(cert) : NULL;
 fail:
	if (!query)
		log_key(LOG_LVL_INFO, "Failed", user, invalid, m, key, cert);
	r = mon_auth_fail_reply(m);
 out:
	ipc_free_auth_pubkey(&q);
	free(accepted);
	free(forced);
	cert_free(cert);
	authkeys_entry_free(entry);
	buf_free(kb);
	buf_free(data);
	buf_free(used);
	cfg_settings_free(eff);
	return r;
}
