/*
 * monitor.c: the per-connection monitor (see monitor.h).  It never parses
 * SSH wire formats, only its own IPC messages; every request is checked
 * against the catalogue (phase, once-only, size, fds) before its handler
 * runs, and anything out of place ends the connection.
 */
#include <sys/types.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <poll.h>
#include <pwd.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "auth/authkeys.h"
#include "auth/pamconv.h"
#include "auth/passwd_pam.h"
#include "auth/password.h"
#include "common/config.h"
#include "common/monotime.h"
#include "common/log.h"
#include "common/match.h"
#include "privsep/child.h"
#include "privsep/child_fwd.h"
#include "privsep/fwdpolicy.h"
#include "privsep/ipc.h"
#include "privsep/ipc_catalogue.h"
#include "privsep/keylist.h"
#include "privsep/log_channel.h"
#include "privsep/monitor.h"
#include "privsep/monitor_fwd.h"
#include "privsep/monitor_local.h"
#include "privsep/outcome.h"
#include "privsep/userkeys.h"
#include "privsep/userproc.h"
#include "protocol/buf.h"
#include "protocol/cert.h"
#include "protocol/key.h"
#include "protocol/namelist.h"
#include "protocol/sig.h"
#include "protocol/ssh2.h"
#include "protocol/ssherr.h"

#define MON_BANNER_MAX		(64 * 1024)
#define MON_GRACE_SLACK_MS	5000	/* the child ends first; this is the backstop */
/* Post-auth host-key signatures are for rekeys: a bucket of this many,
 * refilled at this rate, is far above what any rekey schedule needs. */
#define MON_SIGN_BURST		100
#define MON_SIGN_PER_SEC	10
#define HOSTKEYS_PROVE		"hostkeys-prove-00@openssh.com"
/* Every failed authentication is answered no sooner than this after its
 * request, so that whether a user exists, or a key file was read, does
 * not show in the timing (CVE-2018-15473). */
#define MON_AUTH_FAIL_MIN_MS	100

/* Ends the connection because the child broke the rules. */
int
violation(struct mon *m, const char *what, int r)
{
	/* A well-formed request in the wrong state still breaks the rules. */
	if (r == 0)
		r = SSH_ERR_STATE_VIOLATION;
	log_error("protocol child violated the monitor protocol: %s: %s "
	    "(client %s port %u)", what, ssh_err(r), m->p->client_addr,
	    m->p->client_port);
	m->outcome = OUTCOME_VIOLATION;
	m->done = 1;
	return r;
}

static int
join(const struct strlist *l, struct buf *out)
{
	size_t i;
	int r;

	for (i = 0; i < l->n; i++) {
		if ((r = buf_putf(out, "%s%s", i ? "," : "", l->v[i])) != 0)
			return r;
	}
	return 0;
}

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
 * SSH_MSG_USERAUTH_FAILURE), among those this build serves. */
static int
put_methods_after(const struct strlist *methods, char *const *done,
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
		r = buf_put_stringb(out, list);
	buf_free(list);
	return r;
}

static int
put_methods(const struct cfg_settings *s, struct buf *out)
{
	return put_methods_after(&s->auth.methods, NULL, 0, out);
}

static int
read_banner(const char *path, struct buf *out)
{
	struct buf *b = NULL;
	char *text;
	int fd, r;

	if (path == NULL || *path == '\0')
		return buf_put_cstring(out, "");
	if ((fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY)) == -1) {
		log_error("banner %s: %s", path, strerror(errno));
		return buf_put_cstring(out, "");
	}
	r = userproc_read_all(fd, MON_BANNER_MAX, &b);
	close(fd);
	if (r != 0 || (text = buf_dup_string(b)) == NULL) {
		log_error("banner %s: unreadable or contains NUL", path);
		buf_free(b);
		return buf_put_cstring(out, "");
	}
	r = buf_put_cstring(out, text);
	free(text);
	buf_free(b);
	return r;
}

/* The host certificates by host key index (ipc_catalogue.h, CONFIG). */
static int
put_hostcerts(struct mon *m, struct buf *b)
{
	const uint8_t *blob;
	size_t i, len;
	uint32_t n = 0;
	int r;

	for (i = 0; m->p->hostcerts != NULL && i < m->p->nhostkeys; i++)
		n += m->p->hostcerts[i] != NULL;
	if ((r = buf_put_u32(b, n)) != 0)
		return r;
	for (i = 0; n > 0 && i < m->p->nhostkeys; i++) {
		if (m->p->hostcerts[i] == NULL)
			continue;
		blob = cert_blob(m->p->hostcerts[i], &len);
		if ((r = buf_put_u32(b, (uint32_t)i)) != 0 ||
		    (r = buf_put_string(b, blob, len)) != 0)
			return r;
	}
	return 0;
}

static int
send_config(struct mon *m)
{
	const struct cfg_settings *s = m->gs;
	struct buf *b = buf_new(), *list = buf_new(), *blob = buf_new();
	size_t i;
	int r = SSH_ERR_ALLOC_FAIL;

	if (b == NULL || list == NULL || blob == NULL)
		goto out;
#define PUT_LIST(l) do { buf_reset(list); \
	if ((r = join(&(l), list)) != 0 || (r = buf_put_stringb(b, list)) != 0) \
		goto out; } while (0)
	PUT_LIST(s->crypto.kex);
	PUT_LIST(s->crypto.host_key_algorithms);
	PUT_LIST(s->crypto.ciphers);
	PUT_LIST(s->crypto.macs);
#undef PUT_LIST
	if ((r = put_methods(s, b)) != 0 ||
	    (r = read_banner(s->auth.banner, b)) != 0 ||
	    (r = buf_put_cstring(b, m->p->client_addr)) != 0 ||
	    (r = buf_put_u32(b, m->p->client_port)) != 0 ||
	    (r = buf_put_u32(b, (uint32_t)s->auth.login_grace_time)) != 0 ||
	    (r = buf_put_u32(b, (uint32_t)s->limits.max_sessions)) != 0 ||
	    (r = buf_put_u32(b, (uint32_t)s->auth.max_tries)) != 0 ||
	    (r = buf_put_u64(b, s->crypto.rekey_limit)) != 0 ||
	    (r = buf_put_u32(b, (uint32_t)s->crypto.rekey_interval)) != 0 ||
	    (r = buf_put_u32(b, (uint32_t)m->p->nhostkeys)) != 0)
		goto out;
	for (i = 0; i < m->p->nhostkeys; i++) {
		buf_reset(blob);
		if ((r = key_to_blob(m->p->hostkeys[i], blob)) != 0 ||
		    (r = buf_put_stringb(b, blob)) != 0)
			goto out;
	}
	if ((r = put_hostcerts(m, b)) != 0)
		goto out;
	r = ipc_queue(m->ipc, IPC_MSG_CONFIG, b, -1);
 out:
	buf_free(b);
	buf_free(list);
	buf_free(blob);
	return r;
}

int
reply(struct mon *m, uint32_t type, const struct buf *b)
{
	int r;

	if ((r = ipc_queue(m->ipc, type, b, -1)) != 0)
		return r;
	return 0;
}

/* 1 if crypto.host_key_algorithms names alg, or a certificate
 * algorithm that signs with alg. */
static int
hostkey_alg_allowed(struct mon *m, const char *alg)
{
	const struct strlist *l = &m->gs->crypto.host_key_algorithms;
	const char *plain;
	size_t i;

	for (i = 0; i < l->n; i++) {
		plain = cert_alg_to_sig_alg(l->v[i]);
		if (strcmp(l->v[i], alg) == 0 ||
		    (plain != NULL && strcmp(plain, alg) == 0))
			return 1;
	}
	return 0;
}

/* SIGN: a host-key signature over an exchange hash. */
static int
mon_sign(struct mon *m, struct buf *req)
{
	const uint8_t *data;
	size_t len;
	uint32_t idx;
	char *alg = NULL;
	struct buf *sig = NULL, *b = NULL;
	uint64_t now;
	int r;

	if ((r = buf_get_u32(req, &idx)) != 0 ||
	    (r = buf_get_cstring(req, &alg, NULL)) != 0 ||
	    (r = buf_get_string_direct(req, &data, &len)) != 0 ||
	    (r = buf_expect_end(req)) != 0) {
		r = violation(m, "malformed SIGN", r);
		goto out;
	}
	/* Only exchange hashes (SHA-256/384/512 lengths), only with an
	 * algorithm the configuration allows: the child cannot ask for a
	 * SHA-1 "ssh-rsa" signature unless the administrator enabled it. */
	if (idx >= m->p->nhostkeys || (len != 32 && len != 48 && len != 64) ||
	    !hostkey_alg_allowed(m, alg) ||
	    sig_check_alg(m->p->hostkeys[idx], alg, 1) != 0) {
		r = violation(m, "SIGN for a key, algorithm or length not "
		    "allowed", SSH_ERR_INVALID_ARGUMENT);
		goto out;
	}
	if (m->session_id == NULL) {
		if ((m->session_id = buf_new()) == NULL ||
		    (r = buf_put(m->session_id, data, len)) != 0) {
			r = SSH_ERR_ALLOC_FAIL;
			goto out;
		}
	} else {
		now = monotime_ms();
		m->sign_tokens += (double)(now - m->sign_refill) *
		    MON_SIGN_PER_SEC / 1000.0;
		if (m->sign_tokens > MON_SIGN_BURST)
			m->sign_tokens = MON_SIGN_BURST;
		m->sign_refill = now;
		if (m->sign_tokens < 1.0) {
			r = violation(m, "too many rekey signatures",
			    SSH_ERR_LIMIT_EXCEEDED);
			goto out;
		}
		m->sign_tokens -= 1.0;
	}
	if ((sig = buf_new()) == NULL || (b = buf_new()) == NULL) {
		r = SSH_ERR_ALLOC_FAIL;
		goto out;
	}
	if ((r = sig_sign(m->p->hostkeys[idx], alg, data, len, sig)) != 0 ||
	    (r = buf_put_stringb(b, sig)) != 0)
		goto out;
	r = reply(m, IPC_MSG_SIGN_REPLY, b);
 out:
	free(alg);
	buf_free(sig);
	buf_free(b);
	return r;
}

/* HOSTKEYS_PROVE: the monitor builds what it signs itself. */
static int
mon_prove(struct mon *m, struct buf *req)
{
	struct buf *b = buf_new(), *data = buf_new(), *blob = buf_new();
	struct buf *sig = buf_new();
	uint32_t n, i, idx;
	int r = SSH_ERR_ALLOC_FAIL;

	if (b == NULL || data == NULL || blob == NULL || sig == NULL)
		goto out;
	if ((r = buf_get_u32(req, &n)) != 0 || n == 0 ||
	    n > m->p->nhostkeys || (r = buf_put_u32(b, n)) != 0) {
		r = violation(m, "malformed HOSTKEYS_PROVE", r);
		goto out;
	}
	for (i = 0; i < n; i++) {
		const struct sshkey *k;

		if ((r = buf_get_u32(req, &idx)) != 0 ||
		    idx >= m->p->nhostkeys) {
			r = violation(m, "bad HOSTKEYS_PROVE index", r);
			goto out;
		}
		k = m->p->hostkeys[idx];
		buf_reset(data);
		buf_reset(blob);
		buf_reset(sig);
		if ((r = key_to_blob(k, blob)) != 0 ||
		    (r = buf_put_cstring(data, HOSTKEYS_PROVE)) != 0 ||
		    (r = buf_put_stringb(data, m->session_id)) != 0 ||
		    (r = buf_put_stringb(data, blob)) != 0 ||
		    (r = sig_sign(k, key_type(k) == KEY_RSA ? "rsa-sha2-512" :
		    NULL, buf_ptr(data), buf_len(data), sig)) != 0 ||
		    (r = buf_put_stringb(b, sig)) != 0)
			goto out;
	}
	if ((r = buf_expect_end(req)) != 0) {
		r = violation(m, "malformed HOSTKEYS_PROVE", r);
		goto out;
	}
	r = reply(m, IPC_MSG_HOSTKEYS_PROVE_REPLY, b);
 out:
	buf_free(b);
	buf_free(data);
	buf_free(blob);
	buf_free(sig);
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

static void
free_passwd(struct passwd *pw)
{
	free(pw->pw_name);
	free(pw->pw_dir);
	free(pw->pw_shell);
	free(pw->pw_passwd);
	free(pw->pw_gecos);
	memset(pw, 0, sizeof(*pw));
}

void
usergroups_load(const struct passwd *pw, struct usergroups *g)
{
	gid_t gids[MON_MAX_GROUPS];
	int ng = MON_MAX_GROUPS, i;
	struct group *gr;

	memset(g, 0, sizeof(*g));
	if (getgrouplist(pw->pw_name, pw->pw_gid, gids, &ng) == -1)
		ng = MON_MAX_GROUPS;
	for (i = 0; i < ng; i++) {
		if ((gr = getgrgid(gids[i])) != NULL &&
		    (g->names[g->n] = strdup(gr->gr_name)) != NULL)
			g->n++;
	}
}

void
usergroups_free(struct usergroups *g)
{
	size_t i;

	for (i = 0; i < g->n; i++)
		free(g->names[i]);
	g->n = 0;
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
static int
user_policy(struct mon *m, const struct passwd *pw, const char *method,
    struct cfg_settings **effp, const char **whyp)
{
	struct usergroups groups;
	int r;

	*effp = NULL;
	*whyp = NULL;
	if (pw == NULL)
		return 0;
	usergroups_load(pw, &groups);
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

/* What may come next for this connection: after a partial success, by
 * the user's own sequences. */
static int
put_methods_now(struct mon *m, struct buf *out)
{
	return put_methods_after(m->npassed > 0 && m->partial_eff != NULL ?
	    &m->partial_eff->auth.methods : &m->gs->auth.methods, m->passed,
	    m->npassed, out);
}

static int
auth_reply(struct mon *m, uint32_t result)
{
	struct buf *b = buf_new();
	int r;

	if (b == NULL)
		return SSH_ERR_ALLOC_FAIL;
	if ((r = buf_put_u32(b, result)) == 0 &&
	    (r = put_methods_now(m, b)) == 0)
		r = reply(m, IPC_MSG_AUTH_REPLY, b);
	buf_free(b);
	return r;
}

/* A failure waits out MON_AUTH_FAIL_MIN_MS; the loop sends it. */
static int
auth_fail_reply(struct mon *m)
{
	int r;

	if (m->delayed != NULL)
		return SSH_ERR_STATE_VIOLATION;
	if ((m->delayed = buf_new()) == NULL)
		return SSH_ERR_ALLOC_FAIL;
	if ((r = buf_put_u32(m->delayed, IPC_AUTH_FAILURE)) != 0 ||
	    (r = put_methods_now(m, m->delayed)) != 0)
		return r;
	m->delayed_until = m->auth_started + MON_AUTH_FAIL_MIN_MS;
	return 0;
}

static int
send_delayed(struct mon *m, uint64_t now)
{
	int r;

	if (m->delayed == NULL || now < m->delayed_until)
		return 0;
	r = reply(m, IPC_MSG_AUTH_REPLY, m->delayed);
	buf_free(m->delayed);
	m->delayed = NULL;
	m->delayed_until = 0;
	return r;
}

static void
log_key(int level, const char *what, const char *user, int invalid,
    struct mon *m, const struct sshkey *key, const struct sshcert *cert)
{
	char *fp = NULL, *cafp = NULL;

	if (key != NULL && key_fingerprint(key, &fp) != 0)
		fp = NULL;
	if (cert != NULL && key_fingerprint(cert_ca(cert), &cafp) != 0)
		cafp = NULL;
	if (cert != NULL && fp != NULL && cafp != NULL)
		log_msg(level, "%s publickey for %s%s from %s port %u ssh2: "
		    "%s-CERT %s ID %s (serial %llu) CA %s %s", what,
		    invalid ? "invalid user " : "", user, m->p->client_addr,
		    m->p->client_port, key_type_short(key), fp,
		    cert_key_id(cert), (unsigned long long)cert_serial(cert),
		    key_type_short(cert_ca(cert)), cafp);
	else
		log_msg(level, "%s publickey for %s%s from %s port %u ssh2%s%s"
		    "%s%s", what, invalid ? "invalid user " : "", user,
		    m->p->client_addr, m->p->client_port, key != NULL ?
		    ": " : "", key != NULL ? key_type_short(key) : "",
		    fp != NULL ? " " : "", fp != NULL ? fp : "");
	free(fp);
	free(cafp);
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
	if (keylist_find(eff->auth.trusted_user_ca_keys, cert_ca(c)))
		return cert_check_user(c, pw->pw_name, (uint64_t)time(NULL),
		    m->p->client_addr, whyp);
	if ((ca = buf_new()) == NULL)
		return SSH_ERR_ALLOC_FAIL;
	if ((r = key_to_blob(cert_ca(c), ca)) == 0)
		r = userkeys_find(pw, &eff->auth.authorized_keys, ca, 1,
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
	struct buf *b = buf_new(), *list = buf_new();
	int r = SSH_ERR_ALLOC_FAIL;

	if (b == NULL || list == NULL)
		goto out;
	if ((r = join(&e->session.accept_env, list)) != 0 ||
	    (r = buf_put_stringb(b, list)) != 0 ||
	    (r = buf_put_u32(b, (uint32_t)e->limits.max_sessions)) != 0 ||
	    (r = buf_put_u32(b, (uint32_t)e->limits.max_session_time)) != 0 ||
	    (r = buf_put_u32(b, (uint32_t)e->limits.idle_timeout)) != 0 ||
	    (r = buf_put_u32(b, (uint32_t)e->limits.keepalive_interval)) != 0 ||
	    (r = buf_put_u32(b, (uint32_t)e->limits.keepalive_count_max)) != 0)
		goto out;
	r = reply(m, IPC_MSG_SESSION_CONFIG, b);
 out:
	buf_free(b);
	buf_free(list);
	return r;
}

static int auth_success(struct mon *m, const struct passwd *pw,
    struct cfg_settings *eff, struct authkeys_entry *entry, char *forced);

/*
 * A method passed: either it completes a sequence of auth.methods (the
 * user is in) or more are needed (partial success, RFC 4252 5.1).  Takes
 * eff, entry and forced in either case.
 */
static int
method_passed(struct mon *m, const struct passwd *pw, const char *method,
    struct cfg_settings *eff, struct authkeys_entry *entry, char *forced)
{
	int step = method_next(&eff->auth.methods, m->passed, m->npassed, method);

	if (step == 2) {
		/* Options of a key used in an earlier step still apply. */
		if (entry == NULL && m->authkey != NULL) {
			entry = m->authkey;
			m->authkey = NULL;
		}
		if (forced == NULL && m->forced != NULL) {
			forced = m->forced;
			m->forced = NULL;
		}
		return auth_success(m, pw, eff, entry, forced);
	}
	if (step == 0 || m->npassed >= MON_MAX_STEPS ||
	    (m->passed[m->npassed] = strdup(method)) == NULL) {
		cfg_settings_free(eff);
		authkeys_entry_free(entry);
		free(forced);
		return step == 0 ? SSH_ERR_STATE_VIOLATION : SSH_ERR_ALLOC_FAIL;
	}
	m->npassed++;
	log_info("Partial %s for %s from %s port %u ssh2", method,
	    pw->pw_name, m->p->client_addr, m->p->client_port);
	if (entry != NULL) {
		authkeys_entry_free(m->authkey);
		m->authkey = entry;
	}
	if (forced != NULL) {
		free(m->forced);
		m->forced = forced;
	}
	cfg_settings_free(m->partial_eff);
	m->partial_eff = eff;
	return auth_reply(m, IPC_AUTH_PARTIAL);
}

static int
auth_success(struct mon *m, const struct passwd *pw,
    struct cfg_settings *eff, struct authkeys_entry *entry, char *forced)
{
	char byte = 'A';
	int r;

	if ((r = copy_passwd(&m->pw, pw)) != 0)
		return r;
	m->eff = eff;
	m->authkey = entry;
	m->forced = forced;
	if (entry != NULL && entry->ae_opts.ao_env.al_n > 0)
		log_verbose("%s: environment= options ignored: user "
		    "environment is not permitted", pw->pw_name);
	m->authed = 1;
	m->grace_deadline = 0;
	if ((r = ipc_state_postauth(&m->st)) != 0)
		return r;
	/* Tell the listener: it stops counting us against max_startups. */
	if (m->p->status_fd != -1 &&
	    write(m->p->status_fd, &byte, 1) != 1)
		log_debug("status pipe: %s", strerror(errno));
	if ((r = auth_reply(m, IPC_AUTH_SUCCESS)) != 0)
		return r;
	return send_session_config(m);
}

/* AUTH_PUBKEY: the decision, made here and only here. */
static int
mon_auth_pubkey(struct mon *m, struct buf *req)
{
	char *user = NULL, *service = NULL, *alg = NULL;
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
	char *forced = NULL;
	struct buf *kb = NULL, *data = NULL;
	const char *why;

	if ((r = buf_get_cstring(req, &user, NULL)) != 0 ||
	    (r = buf_get_cstring(req, &service, NULL)) != 0 ||
	    (r = buf_get_string_direct(req, &blob, &bloblen)) != 0 ||
	    (r = buf_get_cstring(req, &alg, NULL)) != 0 ||
	    (r = buf_get_bool(req, &hostbound)) != 0 ||
	    (r = buf_get_u32(req, &hkidx)) != 0 ||
	    (r = buf_get_bool(req, &query)) != 0 ||
	    (r = buf_get_string_direct(req, &sig, &siglen)) != 0 ||
	    (r = buf_expect_end(req)) != 0) {
		r = violation(m, "malformed AUTH_PUBKEY", r);
		goto out;
	}
	sigalg = alg;
	if (m->session_id == NULL || strcmp(service, "ssh-connection") != 0 ||
	    (hostbound && !hostbound_index_ok(m, hkidx)) ||
	    (query && siglen != 0) || (!query && siglen == 0)) {
		r = violation(m, "AUTH_PUBKEY out of place",
		    SSH_ERR_STATE_VIOLATION);
		goto out;
	}
	/* The child stops at max_tries; one more means it did not. */
	if (m->failures > (unsigned int)m->gs->auth.max_tries) {
		r = violation(m, "authentication attempts beyond max_tries",
		    SSH_ERR_LIMIT_EXCEEDED);
		goto out;
	}
	if ((pwp = getpwnam(user)) == NULL) {
		log_info("Invalid user %s from %s port %u", user,
		    m->p->client_addr, m->p->client_port);
		invalid = 1;
		goto fail;
	}
	if ((r = user_policy(m, pwp, "publickey", &eff, &why)) != 0)
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
		r = userkeys_find(pwp, &eff->auth.authorized_keys, kb, 0,
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
	if (query) {
		log_debug("Postponed publickey for %s from %s port %u ssh2",
		    user, m->p->client_addr, m->p->client_port);
		r = auth_reply(m, IPC_AUTH_PK_OK);
		goto out;
	}
	if ((data = buf_new()) == NULL) {
		r = SSH_ERR_ALLOC_FAIL;
		goto out;
	}
	if ((r = signed_data(m, user, service, alg, blob, bloblen, hostbound,
	    hkidx, data)) != 0)
		goto out;
	if (sig_verify(key, sig, siglen, buf_ptr(data), buf_len(data), sigalg,
	    0) != 0)
		goto fail;
	log_key(LOG_LVL_INFO, "Accepted", user, 0, m, key, cert);
	/* A certificate without permit-pty restricts the whole login. */
	if (cert != NULL && !(cert_extensions(cert) & CERT_EXT_PERMIT_PTY))
		m->pty_denied = 1;
	if (cert != NULL && (cert_extensions(cert) & CERT_EXT_PERMIT_PORT) == 0)
		m->cert_no_portfwd = 1;
	r = method_passed(m, pwp, "publickey", eff, entry, forced);
	eff = NULL;
	entry = NULL;
	forced = NULL;
	goto out;
 fail:
	m->failures++;
	if (!query)
		log_key(LOG_LVL_INFO, "Failed", user, invalid, m, key, cert);
	r = auth_fail_reply(m);
 out:
	free(user);
	free(service);
	free(alg);
	free(forced);
	cert_free(cert);
	authkeys_entry_free(entry);
	buf_free(kb);
	buf_free(data);
	cfg_settings_free(eff);
	return r;
}

/* RFC 4252 8: the password was right but has expired.  The prompt is
 * what PAM said ("You are required to change your password
 * immediately"), else a fixed one. */
static int
changereq_reply(struct mon *m, const char *prompt)
{
	struct buf *b = buf_new();
	int r;

	if (b == NULL)
		return SSH_ERR_ALLOC_FAIL;
	if ((r = buf_put_u32(b, IPC_AUTH_CHANGEREQ)) == 0 &&
	    (r = buf_put_cstring(b, prompt != NULL && *prompt != '\0' ?
	    prompt : "Your password has expired; choose a new one.")) == 0)
		r = reply(m, IPC_MSG_AUTH_REPLY, b);
	buf_free(b);
	return r;
}

/* A password refused: OpenSSH's line (fail2ban reads it), counted,
 * answered after the minimum delay.  Takes eff. */
static int
password_failed(struct mon *m, const struct passwd *pwp, const char *user,
    struct cfg_settings *eff)
{
	log_info("Failed password for %s%s from %s port %u ssh2",
	    pwp == NULL ? "invalid user " : "", user, m->p->client_addr,
	    m->p->client_port);
	cfg_settings_free(eff);
	m->failures++;
	return auth_fail_reply(m);
}

/*
 * A password, from the password method or a keyboard-interactive answer.
 * The back end hashes for unknown and refused users too, so that neither
 * shows in the timing; every failure waits out MON_AUTH_FAIL_MIN_MS.
 */
static int
check_password(struct mon *m, const char *user, const char *method,
    const uint8_t *pw, size_t len)
{
	struct passwd *pwp;
	struct cfg_settings *eff = NULL;
	enum pw_result res = PW_ERROR;
	const char *why = NULL;
	char *msg = NULL;
	int r;

	if (m->failures > (unsigned int)m->gs->auth.max_tries)
		return violation(m, "authentication attempts beyond max_tries",
		    SSH_ERR_LIMIT_EXCEEDED);
	if ((pwp = getpwnam(user)) == NULL)
		log_info("Invalid user %s from %s port %u", user,
		    m->p->client_addr, m->p->client_port);
	if ((r = user_policy(m, pwp, method, &eff, &why)) != 0)
		return r;
	r = password_check(eff != NULL ? eff : m->gs, user,
	    (const char *)pw, len, &res, &msg);
	if (r == 0 && res == PW_OK && pwp != NULL && why == NULL) {
		log_info("Accepted password for %s from %s port %u ssh2", user,
		    m->p->client_addr, m->p->client_port);
		free(msg);
		r = method_passed(m, pwp, method, eff, NULL, NULL);
		return r;
	}
	if (r == 0 && res == PW_EXPIRED && pwp != NULL && why == NULL &&
	    strcmp(method, "password") == 0 && eff != NULL &&
	    eff->auth.password_backend == CFG_PW_PAM) {
		log_info("Password of %s from %s port %u has expired: "
		    "change requested", user, m->p->client_addr,
		    m->p->client_port);
		cfg_settings_free(eff);
		r = changereq_reply(m, msg);
		free(msg);
		return r;
	}
	if (why != NULL)
		log_info("User %s from %s not allowed because %s", user,
		    m->p->client_addr, why);
	else if (res != PW_FAIL)
		log_verbose("password for %s: %s%s%s", user,
		    password_result_name(res), msg != NULL ? ": " : "",
		    msg != NULL ? msg : "");
	free(msg);
	return password_failed(m, pwp, user, eff);
}

/* AUTH_PASSWORD: the password method (RFC 4252 8). */
static int
mon_auth_password(struct mon *m, struct buf *req)
{
	char *user = NULL, *service = NULL;
	const uint8_t *pw;
	size_t len;
	int r;

	if ((r = buf_get_cstring(req, &user, NULL)) != 0 ||
	    (r = buf_get_cstring(req, &service, NULL)) != 0 ||
	    (r = buf_get_string_direct(req, &pw, &len)) != 0 ||
	    (r = buf_expect_end(req)) != 0 ||
	    strcmp(service, "ssh-connection") != 0 || m->session_id == NULL)
		r = violation(m, "malformed AUTH_PASSWORD", r);
	else
		r = check_password(m, user, "password", pw, len);
	free(user);
	free(service);
	return r;
}

/*
 * The client's answer to a change request.  Only PAM changes passwords,
 * and only an expired one: the current password is checked again (the
 * request carries it), so nothing from the earlier attempt is trusted.
 * A new password the modules refuse is asked for again, counted as a
 * failure so that max_tries bounds the loop.
 */
static int
change_password(struct mon *m, const char *user, const uint8_t *old,
    size_t oldlen, const uint8_t *new, size_t newlen)
{
	struct passwd *pwp;
	struct cfg_settings *eff = NULL;
	struct pwpam *pam = NULL;
	enum pw_result res = PW_ERROR;
	const char *why = NULL;
	char *msg = NULL;
	int r;

	if (m->failures > (unsigned int)m->gs->auth.max_tries)
		return violation(m, "authentication attempts beyond max_tries",
		    SSH_ERR_LIMIT_EXCEEDED);
	pwp = getpwnam(user);
	if ((r = user_policy(m, pwp, "password", &eff, &why)) != 0)
		return r;
	if (pwp == NULL || why != NULL || eff == NULL ||
	    eff->auth.password_backend != CFG_PW_PAM ||
	    memchr(old, '\0', oldlen) != NULL ||
	    memchr(new, '\0', newlen) != NULL)
		goto fail;
	if ((r = pwpam_start(pwpam_service(), user, m->p->client_addr,
	    &pam)) != 0 ||
	    (r = pwpam_authenticate(pam, (const char *)old, oldlen, &res,
	    &msg)) != 0 || res != PW_EXPIRED)
		goto fail;
	free(msg);
	msg = NULL;
	if ((r = pwpam_change(pam, (const char *)old, oldlen,
	    (const char *)new, newlen, &res, &msg)) != 0)
		goto fail;
	pwpam_end(pam);
	if (res == PW_OK) {
		log_info("Password changed for %s from %s port %u", user,
		    m->p->client_addr, m->p->client_port);
		log_info("Accepted password for %s from %s port %u ssh2", user,
		    m->p->client_addr, m->p->client_port);
		free(msg);
		return method_passed(m, pwp, "password", eff, NULL, NULL);
	}
	log_info("Password change for %s from %s port %u refused: %s", user,
	    m->p->client_addr, m->p->client_port, msg != NULL ? msg :
	    password_result_name(res));
	cfg_settings_free(eff);
	m->failures++;
	if (res == PW_FAIL) {
		r = changereq_reply(m, msg);
		free(msg);
		return r;
	}
	free(msg);
	return auth_fail_reply(m);
 fail:
	pwpam_end(pam);
	if (r != 0)
		log_verbose("password change for %s: %s", user, ssh_err(r));
	else if (res == PW_OK)
		log_info("Password change for %s refused: the password has "
		    "not expired", user);
	free(msg);
	return password_failed(m, pwp, user, eff);
}

/* AUTH_PASSWORD_CHANGE: a change request (RFC 4252 8). */
static int
mon_auth_password_change(struct mon *m, struct buf *req)
{
	char *user = NULL, *service = NULL;
	const uint8_t *old, *new;
	size_t oldlen, newlen;
	int r;

	if ((r = buf_get_cstring(req, &user, NULL)) != 0 ||
	    (r = buf_get_cstring(req, &service, NULL)) != 0 ||
	    (r = buf_get_string_direct(req, &old, &oldlen)) != 0 ||
	    (r = buf_get_string_direct(req, &new, &newlen)) != 0 ||
	    (r = buf_expect_end(req)) != 0 ||
	    strcmp(service, "ssh-connection") != 0 || m->session_id == NULL)
		r = violation(m, "malformed AUTH_PASSWORD_CHANGE", r);
	else
		r = change_password(m, user, old, oldlen, new, newlen);
	free(user);
	free(service);
	return r;
}

/* The PAM conversation ended: the result decides like a password. */
static int
pam_finished(struct mon *m, enum pw_result res, char *msg)
{
	struct passwd *pwp = getpwnam(m->pam_user);
	struct cfg_settings *eff = NULL;
	const char *why = NULL;
	int r = 0;

	pamconv_free(m->pam);
	m->pam = NULL;
	r = user_policy(m, pwp, "keyboard-interactive", &eff, &why);
	if (r == 0 && res == PW_OK && pwp != NULL && why == NULL) {
		log_info("Accepted keyboard-interactive/pam for %s from %s "
		    "port %u ssh2", m->pam_user, m->p->client_addr,
		    m->p->client_port);
		free(msg);
		return method_passed(m, pwp, "keyboard-interactive", eff, NULL,
		    NULL);
	}
	if (why != NULL)
		log_info("User %s from %s not allowed because %s",
		    m->pam_user, m->p->client_addr, why);
	else if (msg != NULL)
		log_verbose("PAM for %s: %s", m->pam_user, msg);
	log_info("Failed keyboard-interactive/pam for %s%s from %s port %u "
	    "ssh2", pwp == NULL ? "invalid user " : "", m->pam_user,
	    m->p->client_addr, m->p->client_port);
	free(msg);
	cfg_settings_free(eff);
	m->failures++;
	return r != 0 ? r : auth_fail_reply(m);
}

/* The PAM helper has a round of prompts or the result. */
static int
handle_pam(struct mon *m)
{
	struct pamconv_round round;
	enum pw_result res = PW_ERROR;
	struct buf *b;
	char *msg = NULL;
	size_t i;
	int done = 0, r;

	memset(&round, 0, sizeof(round));
	if ((r = pamconv_next(m->pam, &round, &done, &res, &msg)) != 0) {
		log_error("PAM conversation for %s: %s", m->pam_user,
		    ssh_err(r));
		return pam_finished(m, PW_ERROR, NULL);
	}
	if (done)
		return pam_finished(m, res, msg);
	/* A round with text only needs no answers from the client. */
	if (round.n == 0) {
		pamconv_round_clear(&round);
		return pamconv_answer(m->pam, NULL, NULL, 0);
	}
	if ((b = buf_new()) == NULL) {
		pamconv_round_clear(&round);
		return SSH_ERR_ALLOC_FAIL;
	}
	r = buf_put_cstring(b, "");
	if (r == 0)
		r = buf_put_cstring(b, round.info != NULL ? round.info : "");
	if (r == 0)
		r = buf_put_u32(b, (uint32_t)round.n);
	for (i = 0; r == 0 && i < round.n; i++) {
		if ((r = buf_put_cstring(b, round.prompt[i])) == 0)
			r = buf_put_u8(b, round.echo[i] != 0);
	}
	if (r == 0)
		r = reply(m, IPC_MSG_KBDINT_PROMPTS, b);
	m->pam_prompts = round.n;
	pamconv_round_clear(&round);
	buf_free(b);
	return r;
}

/*
 * AUTH_KBDINT: keyboard-interactive.  With PAM, the conversation of any
 * number of rounds runs in a helper (auth/pamconv.h) that the monitor's
 * loop polls; otherwise it is one "Password:" round checked by the
 * password back end.
 */
static int
mon_auth_kbdint(struct mon *m, struct buf *req)
{
	char *user = NULL, *service = NULL;
	const char *answers[PAMCONV_PROMPTS_MAX];
	size_t lens[PAMCONV_PROMPTS_MAX];
	const uint8_t *a;
	struct buf *b = NULL;
	int pam = m->gs->auth.password_backend == CFG_PW_PAM;
	uint32_t n, i;
	int r;

	if ((r = buf_get_cstring(req, &user, NULL)) != 0 ||
	    (r = buf_get_cstring(req, &service, NULL)) != 0 ||
	    (r = buf_get_u32(req, &n)) != 0 || n > PAMCONV_PROMPTS_MAX ||
	    (!pam && n > 1) ||
	    strcmp(service, "ssh-connection") != 0 || m->session_id == NULL) {
		r = violation(m, "malformed AUTH_KBDINT", r);
		goto out;
	}
	for (i = 0; i < n; i++) {
		if ((r = buf_get_string_direct(req, &a, &lens[i])) != 0)
			break;
		answers[i] = (const char *)a;
	}
	if (r != 0 || (r = buf_expect_end(req)) != 0) {
		r = violation(m, "malformed AUTH_KBDINT", r);
		goto out;
	}
	if (pam && n > 0) {
		/* Answers must match the round the helper asked for. */
		if (m->pam == NULL || n != m->pam_prompts ||
		    strcmp(user, m->pam_user) != 0) {
			r = violation(m, "AUTH_KBDINT answers out of place",
			    SSH_ERR_STATE_VIOLATION);
			goto out;
		}
		m->pam_prompts = 0;
		r = pamconv_answer(m->pam, answers, lens, n);
		goto out;
	}
	if (pam) {
		pamconv_free(m->pam);
		free(m->pam_user);
		m->pam = NULL;
		if ((m->pam_user = strdup(user)) == NULL) {
			r = SSH_ERR_ALLOC_FAIL;
			goto out;
		}
		if ((r = pamconv_start(pwpam_service(), user, m->p->client_addr,
		    &m->pam)) != 0) {
			log_error("PAM for %s: %s", user, ssh_err(r));
			m->failures++;
			r = auth_fail_reply(m);
		}
		goto out;
	}
	if (n == 1) {
		r = check_password(m, user, "keyboard-interactive",
		    (const uint8_t *)answers[0], lens[0]);
		goto out;
	}
	if ((b = buf_new()) == NULL) {
		r = SSH_ERR_ALLOC_FAIL;
		goto out;
	}
	if ((r = buf_put_cstring(b, "")) == 0 &&
	    (r = buf_put_cstring(b, "")) == 0 &&
	    (r = buf_put_u32(b, 1)) == 0 &&
	    (r = buf_put_cstring(b, "Password: ")) == 0 &&
	    (r = buf_put_u8(b, 0)) == 0)
		r = reply(m, IPC_MSG_KBDINT_PROMPTS, b);
 out:
	buf_free(b);
	free(user);
	free(service);
	return r;
}

/* Port forwarding (issue 7): FWD_OPEN and FWD_LISTEN, decided by the
 * effective forwarding.* settings and what authentication carried. */
static int
mon_fwd(struct mon *m, uint32_t type, struct buf *req)
{
	const struct authkeys_opts *o = m->authkey != NULL ?
	    &m->authkey->ae_opts : NULL;
	struct fwd_rules rules;
	int r;

	memset(&rules, 0, sizeof(rules));
	/* An SFTP-only account forwards nothing. */
	rules.tcp = m->eff->sftp.force ? CFG_FWD_NO : m->eff->forwarding.tcp;
	rules.streamlocal = m->eff->sftp.force ? CFG_FWD_NO :
	    m->eff->forwarding.streamlocal;
	rules.permit_open = &m->eff->forwarding.permit_open;
	rules.permit_listen = &m->eff->forwarding.permit_listen;
	rules.key_denies = m->cert_no_portfwd ||
	    (o != NULL && !o->ao_permit_port_forwarding);
	rules.key_open = o != NULL ? &o->ao_permitopen : NULL;
	rules.key_listen = o != NULL ? &o->ao_permitlisten : NULL;
	rules.is_root = m->pw.pw_uid == 0;
	if (m->fwd == NULL && (m->fwd = monfwd_new()) == NULL)
		return SSH_ERR_ALLOC_FAIL;
	r = monfwd_request(m->fwd, type, req, &m->pw, &rules,
	    m->eff->forwarding.gateway_ports, m->ipc);
	if (r == SSH_ERR_ALLOC_FAIL || r == SSH_ERR_NO_BUFFER_SPACE)
		return r;
	return r != 0 ? violation(m, ipc_msg_name(type), r) : 0;
}

static int
mon_fwd_open(struct mon *m, struct buf *req)
{
	return mon_fwd(m, IPC_MSG_FWD_OPEN, req);
}

static int
mon_fwd_listen(struct mon *m, struct buf *req)
{
	return mon_fwd(m, IPC_MSG_FWD_LISTEN, req);
}

static const struct mon_dispatch {
	uint32_t type;
	int (*fn)(struct mon *, struct buf *);
} mon_dispatch[] = {
	{ IPC_MSG_SIGN, mon_sign },
	{ IPC_MSG_HOSTKEYS_PROVE, mon_prove },
	{ IPC_MSG_AUTH_PUBKEY, mon_auth_pubkey },
	{ IPC_MSG_SPAWN_EXEC, mon_spawn },
	{ IPC_MSG_AUTH_PASSWORD, mon_auth_password },
	{ IPC_MSG_AUTH_KBDINT, mon_auth_kbdint },
	{ IPC_MSG_AUTH_PASSWORD_CHANGE, mon_auth_password_change },
	{ IPC_MSG_PTY_REQ, mon_pty_req },
	{ IPC_MSG_SESSION_SIGNAL, mon_session_signal },
	{ IPC_MSG_SESSION_BREAK, mon_session_break },
	{ IPC_MSG_SESSION_CLOSE, mon_session_close },
	{ IPC_MSG_FWD_OPEN, mon_fwd_open },
	{ IPC_MSG_FWD_LISTEN, mon_fwd_listen },
};

static int
handle_ipc(struct mon *m)
{
	struct buf *req;
	uint32_t type;
	size_t i;
	int fd, r;

	if ((r = ipc_read(m->ipc)) != 0 && r != SSH_ERR_CONN_CLOSED)
		return violation(m, "reading requests", r);
	while (!m->done) {
		fd = -1;
		r = ipc_next(m->ipc, &type, &req, &fd);
		if (r == SSH_ERR_MESSAGE_INCOMPLETE)
			return 0;
		if (r == SSH_ERR_CONN_CLOSED) {
			/* The child is ending; SIGCHLD says how. */
			m->ipc_closed = 1;
			return 0;
		}
		if (r != 0)
			return violation(m, "reading requests", r);
		if (fd != -1)
			close(fd);
		if ((r = ipc_check(&m->st, IPC_TO_MONITOR, type, buf_len(req),
		    fd != -1)) != 0) {
			buf_free(req);
			return violation(m, ipc_msg_name(type), r);
		}
		if ((ipc_msgdef(type)->md_flags & IPC_F_AUTH_DECIDING) != 0) {
			/* The child waits for each answer: a request
			 * while one is held back breaks the protocol. */
			if (m->delayed != NULL) {
				buf_free(req);
				return violation(m, "request before the "
				    "previous answer", SSH_ERR_STATE_VIOLATION);
			}
			m->auth_started = monotime_ms();
		}
		for (i = 0; i < sizeof(mon_dispatch) / sizeof(mon_dispatch[0]);
		    i++) {
			if (mon_dispatch[i].type == type)
				break;
		}
		r = i < sizeof(mon_dispatch) / sizeof(mon_dispatch[0]) ?
		    mon_dispatch[i].fn(m, req) :
		    violation(m, ipc_msg_name(type), SSH_ERR_STATE_VIOLATION);
		buf_free(req);
		if (r != 0) {
			if (!m->done)
				log_error("monitor: %s: %s", ipc_msg_name(type),
				    ssh_err(r));
			m->done = 1;
			if (m->outcome == OUTCOME_OK)
				m->outcome = OUTCOME_ERROR;
			return r;
		}
	}
	return 0;
}

static void
handle_log(struct mon *m)
{
	char text[IPC_LOG_TEXT_MAX * 4 + 1];
	int level, r;

	if ((r = ipc_read(m->log)) != 0 && r != SSH_ERR_CONN_CLOSED)
		return;
	while ((r = logch_recv(m->log, &m->logst, &level, text,
	    sizeof(text))) == 0)
		log_escaped(level, text);
}

static int
send_child_exit(struct mon *m, struct mon_handle *h, int status)
{
	struct buf *b = buf_new();
	const char *sig = "";
	int r, signaled = WIFSIGNALED(status);

	if (b == NULL)
		return SSH_ERR_ALLOC_FAIL;
	if (signaled && sigabbrev_np(WTERMSIG(status)) != NULL)
		sig = sigabbrev_np(WTERMSIG(status));
	if ((r = buf_put_u32(b, h->id)) == 0 &&
	    (r = buf_put_u32(b, signaled ? IPC_EXIT_SIGNAL :
	    IPC_EXIT_STATUS)) == 0 &&
	    (r = buf_put_u32(b, signaled ? 0 :
	    (uint32_t)WEXITSTATUS(status))) == 0 &&
	    (r = buf_put_cstring(b, sig)) == 0 &&
	    (r = buf_put_u8(b, signaled && WCOREDUMP(status))) == 0)
		r = reply(m, IPC_MSG_CHILD_EXIT, b);
	buf_free(b);
	return r;
}

static void
reap(struct mon *m)
{
	struct mon_handle *h;
	pid_t pid;
	int status;

	while ((pid = waitpid(-1, &status, WNOHANG)) > 0) {
		if (pid == m->child) {
			m->child = -1;
			m->done = 1;
			if (WIFEXITED(status)) {
				if (m->outcome == OUTCOME_OK)
					m->outcome = WEXITSTATUS(status);
			} else {
				log_error("protocol child for %s port %u killed "
				    "by signal %d", m->p->client_addr,
				    m->p->client_port, WTERMSIG(status));
				m->outcome = OUTCOME_ERROR;
			}
			continue;
		}
		if ((h = handle_by_pid(m, pid)) == NULL)
			continue;
		if (!m->done && send_child_exit(m, h, status) != 0)
			m->done = 1;
		log_verbose("session %u of %s ended", h->id, m->pw.pw_name);
		handle_release(h);
	}
}

/* Moves fd to number want without clobbering the others in fds. */
static int
start_child(struct mon *m, int ipcfd, int logfd)
{
	const struct cfg_settings *s = m->gs;
	char nofile[16];
	char *argv[] = { "nanosshd-session", "-R", "-u", s->privsep.user,
	    "-C", s->privsep.chroot, "-n", nofile, NULL };
#ifdef NANOSSH_SANITIZERS
	/* LeakSanitizer's exit-time check clones and ptraces, which the
	 * seccomp filter rightly kills: the child's leaks go unchecked. */
	char *envp[] = { "ASAN_OPTIONS=detect_leaks=0", NULL };
#else
	char *envp[] = { NULL };
#endif
	int devnull, hi[3], i;
	pid_t pid;

	/* Three fds per session, two per forwarding (a socket, and one in
	 * flight), the listeners, and the child's own. */
	snprintf(nofile, sizeof(nofile), "%d",
	    3 * MON_MAX_HANDLES + 2 * CHILD_MAX_FWD + CHILD_MAX_LISTEN + 16);
	if ((pid = fork()) == -1)
		return SSH_ERR_SYSTEM_ERROR;
	if (pid != 0) {
		m->child = pid;
		return 0;
	}
	/* Only the client socket, the IPC and the log fd cross over. */
	if ((hi[0] = fcntl(m->p->client_fd, F_DUPFD, 10)) == -1 ||
	    (hi[1] = fcntl(ipcfd, F_DUPFD, 10)) == -1 ||
	    (hi[2] = fcntl(logfd, F_DUPFD, 10)) == -1)
		_exit(OUTCOME_ERROR);
	for (i = 0; i < 3; i++) {
		if (dup2(hi[i], CHILD_FD_CLIENT + i) == -1)
			_exit(OUTCOME_ERROR);
	}
	if ((devnull = open("/dev/null", O_RDWR)) == -1 ||
	    dup2(devnull, STDIN_FILENO) == -1 ||
	    dup2(devnull, STDOUT_FILENO) == -1 ||
	    (!m->p->child_stderr && dup2(devnull, STDERR_FILENO) == -1))
		_exit(OUTCOME_ERROR);
	if (close_range(CHILD_FD_LOG + 1, ~0U, 0) == -1)
		_exit(OUTCOME_ERROR);
	execve(m->p->self_path, argv, envp);
	_exit(OUTCOME_ERROR);
}

static void
end_everything(struct mon *m)
{
	sessions_end(m);
	if (m->child > 0) {
		kill(m->child, SIGKILL);
		while (waitpid(m->child, NULL, 0) == -1 && errno == EINTR)
			;
		m->child = -1;
	}
}

int
monitor_run(const struct monitor_params *p)
{
	struct mon m;
	struct pollfd pfd[4 + MONFWD_MAX_HELPERS];
	size_t nfwd;
	sigset_t mask;
	struct signalfd_siginfo si;
	int sp[2] = { -1, -1 }, lp[2] = { -1, -1 }, timeout;
	uint64_t now, deadline;

	memset(&m, 0, sizeof(m));
	m.p = p;
	m.gs = cfg_global(p->cfg);
	m.child = -1;
	m.sigfd = -1;
	m.outcome = OUTCOME_OK;
	m.sign_tokens = MON_SIGN_BURST;
	m.sign_refill = monotime_ms();
	for (timeout = 0; timeout < MON_MAX_HANDLES; timeout++) {
		m.handles[timeout].pty.master = m.handles[timeout].pty.slave = -1;
		m.ptys[timeout].pty.master = m.ptys[timeout].pty.slave = -1;
	}
	ipc_state_init(&m.st, 0);
	ipc_state_init(&m.logst, 1);
	sigemptyset(&mask);
	sigaddset(&mask, SIGCHLD);
	sigaddset(&mask, SIGTERM);
	sigaddset(&mask, SIGINT);
	sigaddset(&mask, SIGHUP);
	if (sigprocmask(SIG_BLOCK, &mask, NULL) == -1 ||
	    (m.sigfd = signalfd(-1, &mask, SFD_CLOEXEC | SFD_NONBLOCK)) == -1 ||
	    socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sp) == -1 ||
	    socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, lp) == -1) {
		log_error("monitor setup: %s", strerror(errno));
		m.outcome = OUTCOME_ERROR;
		goto out;
	}
	if (start_child(&m, sp[1], lp[1]) != 0) {
		log_error("cannot start the protocol child: %s",
		    strerror(errno));
		m.outcome = OUTCOME_ERROR;
		goto out;
	}
	/* The monitor never touches the client's bytes. */
	close(sp[1]);
	close(lp[1]);
	sp[1] = lp[1] = -1;
	if ((m.ipc = ipc_new(sp[0])) == NULL ||
	    (sp[0] = -1, m.log = ipc_new(lp[0])) == NULL) {
		m.outcome = OUTCOME_ERROR;
		goto out;
	}
	lp[0] = -1;
	if (send_config(&m) != 0) {
		m.outcome = OUTCOME_ERROR;
		goto out;
	}
	if (m.gs->auth.login_grace_time > 0)
		m.grace_deadline = monotime_ms() +
		    (uint64_t)m.gs->auth.login_grace_time * 1000 +
		    MON_GRACE_SLACK_MS;
	while (!m.done) {
		(void)ipc_flush(m.ipc);
		now = monotime_ms();
		if (m.grace_deadline != 0 && now >= m.grace_deadline) {
			log_info("login grace time over for %s port %u",
			    p->client_addr, p->client_port);
			m.outcome = OUTCOME_GRACE;
			break;
		}
		if (send_delayed(&m, now) != 0)
			break;
		deadline = m.grace_deadline;
		if (m.delayed_until != 0 &&
		    (deadline == 0 || m.delayed_until < deadline))
			deadline = m.delayed_until;
		timeout = deadline == 0 ? -1 : deadline <= now ? 0 :
		    (int)(deadline - now);
		pfd[0].fd = m.ipc_closed ? -1 : ipc_fd(m.ipc);
		pfd[0].events = POLLIN |
		    (ipc_output_pending(m.ipc) ? POLLOUT : 0);
		pfd[1].fd = m.ipc_closed ? -1 : ipc_fd(m.log);
		pfd[1].events = POLLIN;
		pfd[2].fd = m.sigfd;
		pfd[2].events = POLLIN;
		pfd[3].fd = m.pam != NULL && m.pam_prompts == 0 ?
		    pamconv_fd(m.pam) : -1;
		pfd[3].events = POLLIN;
		nfwd = m.fwd != NULL ? monfwd_pollfds(m.fwd, &pfd[4],
		    MONFWD_MAX_HELPERS) : 0;
		if (poll(pfd, 4 + nfwd, timeout) == -1) {
			if (errno == EINTR)
				continue;
			break;
		}
		if (pfd[1].revents != 0)
			handle_log(&m);
		if (pfd[0].revents & (POLLIN | POLLHUP | POLLERR))
			(void)handle_ipc(&m);
		if (m.pam != NULL && pfd[3].fd != -1 &&
		    (pfd[3].revents & (POLLIN | POLLHUP | POLLERR)) &&
		    handle_pam(&m) != 0)
			m.done = 1;
		if (m.fwd != NULL && !m.done &&
		    monfwd_handle(m.fwd, &pfd[4], nfwd, m.ipc) != 0)
			m.done = 1;
		if (pfd[2].revents & POLLIN) {
			while (read(m.sigfd, &si, sizeof(si)) == sizeof(si)) {
				if (si.ssi_signo != SIGCHLD) {
					m.done = 1;
					if (m.outcome == OUTCOME_OK &&
					    !m.authed)
						m.outcome = OUTCOME_NOAUTH;
				}
			}
			reap(&m);
		}
	}
	/* Last words of the child, if any. */
	if (m.log != NULL)
		handle_log(&m);
 out:
	end_everything(&m);
	if (m.outcome == OUTCOME_OK && !m.authed)
		m.outcome = OUTCOME_NOAUTH;
	ipc_free(m.ipc);
	ipc_free(m.log);
	buf_free(m.session_id);
	buf_free(m.delayed);
	authkeys_entry_free(m.authkey);
	free(m.forced);
	cfg_settings_free(m.partial_eff);
	pamconv_free(m.pam);
	monfwd_free(m.fwd);
	free(m.pam_user);
	for (timeout = 0; timeout < (int)m.npassed; timeout++)
		free(m.passed[timeout]);
	cfg_settings_free(m.eff);
	free_passwd(&m.pw);
	if (m.sigfd != -1)
		close(m.sigfd);
	for (timeout = 0; timeout < 2; timeout++) {
		if (sp[timeout] != -1)
			close(sp[timeout]);
		if (lp[timeout] != -1)
			close(lp[timeout]);
	}
	return m.outcome;
}
