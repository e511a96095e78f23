/* penalty.c: per-source penalties for the listener (penalty.h). */
#include <sys/types.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include <bsd/string.h>

#include "common/match.h"
#include "daemon/penalty.h"
#include "privsep/outcome.h"
#include "protocol/ssherr.h"

/* OpenSSH's default grouping: IPv4 per address, IPv6 per /64. */
#define PENALTY_V6_PREFIX_BYTES	8

static const uint8_t v4mapped_prefix[12] = {
	0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff
};

void
penalty_free(struct penalty_table *t)
{
	size_t i;

	if (t == NULL)
		return;
	for (i = 0; i < t->pt_nexempt; i++)
		free(t->pt_exempt[i]);
	free(t->pt_exempt);
	free(t->pt_v);
	memset(t, 0, sizeof(*t));
}

int
penalty_init(struct penalty_table *t, const struct penalty_conf *pc,
    size_t cap)
{
	int r = SSH_ERR_INTERNAL_ERROR;
	size_t i;

	memset(t, 0, sizeof(*t));
	if (pc == NULL || cap == 0 || cap > PENALTY_SOURCES_MAX ||
	    pc->pc_min < 0 || pc->pc_max < 1 || pc->pc_authfail < 0 ||
	    pc->pc_grace < 0 || pc->pc_crash < 0 ||
	    (pc->pc_nexempt > 0 && pc->pc_exempt == NULL))
		return SSH_ERR_INVALID_ARGUMENT;
	if ((t->pt_v = calloc(cap, sizeof(*t->pt_v))) == NULL) {
		r = SSH_ERR_ALLOC_FAIL;
		goto out;
	}
	if (pc->pc_nexempt > 0 && (t->pt_exempt = calloc(pc->pc_nexempt,
	    sizeof(*t->pt_exempt))) == NULL) {
		r = SSH_ERR_ALLOC_FAIL;
		goto out;
	}
	for (i = 0; i < pc->pc_nexempt; i++) {
		if ((t->pt_exempt[i] = strdup(pc->pc_exempt[i])) == NULL) {
			r = SSH_ERR_ALLOC_FAIL;
			goto out;
		}
		t->pt_nexempt++;
	}
	t->pt_cap = cap;
	t->pt_enabled = pc->pc_enabled;
	t->pt_authfail = pc->pc_authfail;
	t->pt_grace = pc->pc_grace;
	t->pt_crash = pc->pc_crash;
	t->pt_min = pc->pc_min;
	t->pt_max = pc->pc_max;
	r = 0;
 out:
	if (r != 0)
		penalty_free(t);
	return r;
}

/*
 * The key of sa, and (when text is not NULL) its numeric address as text
 * for the exempt patterns; an IPv4-mapped IPv6 address is IPv4 in both.
 */
static int
penalty_parse(const struct sockaddr *sa, socklen_t len,
    struct penalty_key *k, char *text, size_t textlen)
{
	const struct sockaddr_in *s4;
	const struct sockaddr_in6 *s6;
	const uint8_t *a;

	memset(k, 0, sizeof(*k));
	if (sa == NULL)
		return SSH_ERR_INVALID_ARGUMENT;
	if (sa->sa_family == AF_INET) {
		if (len < (socklen_t)sizeof(*s4))
			return SSH_ERR_INVALID_ARGUMENT;
		s4 = (const struct sockaddr_in *)sa;
		a = (const uint8_t *)&s4->sin_addr;
		goto v4;
	}
	if (sa->sa_family != AF_INET6 || len < (socklen_t)sizeof(*s6))
		return SSH_ERR_INVALID_ARGUMENT;
	s6 = (const struct sockaddr_in6 *)sa;
	a = s6->sin6_addr.s6_addr;
	if (memcmp(a, v4mapped_prefix, sizeof(v4mapped_prefix)) == 0) {
		a += sizeof(v4mapped_prefix);
		goto v4;
	}
	k->pk_family = AF_INET6;
	memcpy(k->pk_addr, a, PENALTY_V6_PREFIX_BYTES);
	if (text != NULL && inet_ntop(AF_INET6, a, text,
	    (socklen_t)textlen) == NULL)
		return SSH_ERR_INVALID_ARGUMENT;
	return 0;
 v4:
	k->pk_family = AF_INET;
	memcpy(k->pk_addr, a, 4);
	if (text != NULL && inet_ntop(AF_INET, a, text,
	    (socklen_t)textlen) == NULL)
		return SSH_ERR_INVALID_ARGUMENT;
	return 0;
}

int
penalty_key_of(const struct sockaddr *sa, socklen_t len,
    struct penalty_key *k)
{
	return penalty_parse(sa, len, k, NULL, 0);
}

static int
penalty_exempt_text(const struct penalty_table *t, const char *addr)
{
	return t->pt_nexempt > 0 &&
	    match_addr_list(addr, t->pt_exempt, t->pt_nexempt) == 1;
}

int
penalty_exempt(const struct penalty_table *t, const struct sockaddr *sa,
    socklen_t len)
{
	struct penalty_key k;
	char text[INET6_ADDRSTRLEN];

	if (penalty_parse(sa, len, &k, text, sizeof(text)) != 0)
		return 0;
	return penalty_exempt_text(t, text);
}

/*
 * The live entry for k, or NULL.  Entries whose penalty has run out are
 * dropped on the way, so a full table holds only live sources.
 */
static struct penalty_ent *
penalty_find(struct penalty_table *t, const struct penalty_key *k,
    uint64_t now)
{
	size_t i = 0;

	while (i < t->pt_n) {
		struct penalty_ent *e = &t->pt_v[i];

		if (e->pe_expiry <= now) {
			/* Order does not matter: the last entry fills in. */
			*e = t->pt_v[--t->pt_n];
			continue;
		}
		if (e->pe_key.pk_family == k->pk_family &&
		    memcmp(e->pe_key.pk_addr, k->pk_addr,
		    sizeof(k->pk_addr)) == 0)
			return e;
		i++;
	}
	return NULL;
}

/* A free entry, forgetting the source whose penalty ends soonest. */
static struct penalty_ent *
penalty_slot(struct penalty_table *t)
{
	size_t i, victim = 0;

	if (t->pt_n < t->pt_cap)
		return &t->pt_v[t->pt_n++];
	for (i = 1; i < t->pt_n; i++) {
		if (t->pt_v[i].pe_expiry < t->pt_v[victim].pe_expiry)
			victim = i;
	}
	t->pt_evicted++;
	return &t->pt_v[victim];
}

int
penalty_add(struct penalty_table *t, const struct sockaddr *sa,
    socklen_t len, int seconds, uint64_t now)
{
	struct penalty_key k;
	struct penalty_ent *e;
	char text[INET6_ADDRSTRLEN];
	uint64_t total;

	if (!t->pt_enabled || seconds <= 0 || t->pt_cap == 0)
		return 0;
	if (penalty_parse(sa, len, &k, text, sizeof(text)) != 0 ||
	    penalty_exempt_text(t, text))
		return 0;
	if ((e = penalty_find(t, &k, now)) == NULL) {
		e = penalty_slot(t);
		memset(e, 0, sizeof(*e));
		e->pe_key = k;
		e->pe_expiry = now;
	}
	/* What is left of the earlier penalty, plus this one, capped. */
	total = e->pe_expiry - now + (uint64_t)seconds;
	if (total > (uint64_t)t->pt_max)
		total = (uint64_t)t->pt_max;
	e->pe_expiry = now + total;
	if (e->pe_refused || total <= (uint64_t)t->pt_min)
		return 0;
	e->pe_refused = 1;
	return 1;
}

int
penalty_refused(struct penalty_table *t, const struct sockaddr *sa,
    socklen_t len, uint64_t now)
{
	struct penalty_key k;
	struct penalty_ent *e;
	char text[INET6_ADDRSTRLEN];
	uint64_t left;

	if (!t->pt_enabled || t->pt_n == 0)
		return 0;
	if (penalty_parse(sa, len, &k, text, sizeof(text)) != 0 ||
	    penalty_exempt_text(t, text))
		return 0;
	if ((e = penalty_find(t, &k, now)) == NULL || !e->pe_refused)
		return 0;
	/* penalty_find returned a live entry: pe_expiry > now. */
	left = e->pe_expiry - now;
	return left > INT_MAX ? INT_MAX : (int)left;
}

int
penalty_clear(struct penalty_table *t, const struct sockaddr *sa,
    socklen_t len, uint64_t now)
{
	struct penalty_key k;
	struct penalty_ent *e;
	size_t i;
	int n = 0;

	if (sa == NULL) {
		for (i = 0; i < t->pt_n; i++)
			n += t->pt_v[i].pe_expiry > now;
		t->pt_n = 0;
		return n;
	}
	if (penalty_key_of(sa, len, &k) != 0)
		return -1;
	if ((e = penalty_find(t, &k, now)) == NULL)
		return 0;
	*e = t->pt_v[--t->pt_n];
	return 1;
}

int
penalty_key_text(const struct penalty_key *k, char *out, size_t outsize)
{
	uint8_t a[16];

	memset(a, 0, sizeof(a));
	memcpy(a, k->pk_addr, k->pk_family == AF_INET ? 4 :
	    PENALTY_V6_PREFIX_BYTES);
	if (inet_ntop(k->pk_family, a, out, (socklen_t)outsize) == NULL)
		return -1;
	if (k->pk_family == AF_INET6)
		strlcat(out, "/64", outsize);
	return 0;
}

int
penalty_for_status(const struct penalty_table *t, int status,
    const char **whyp)
{
	*whyp = NULL;
	if (WIFSIGNALED(status)) {
		*whyp = "crash";
		return t->pt_crash;
	}
	if (!WIFEXITED(status))
		return 0;
	switch (WEXITSTATUS(status)) {
	case OUTCOME_OK:
	case OUTCOME_NOAUTH:
	case OUTCOME_PROTOCOL:
		/* A client may leave or talk nonsense; that alone is no
		 * attack on the server. */
		return 0;
	case OUTCOME_AUTHFAIL:
		*whyp = "authfail";
		return t->pt_authfail;
	case OUTCOME_GRACE:
		*whyp = "grace_exceeded";
		return t->pt_grace;
	default:
		/* OUTCOME_ERROR, OUTCOME_VIOLATION, and any status the
		 * session program never returns on its own. */
		*whyp = "crash";
		return t->pt_crash;
	}
}
