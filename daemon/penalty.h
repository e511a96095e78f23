/*
 * penalty.h: per-source penalties for the listener, like OpenSSH's
 * PerSourcePenalties.
 *
 * Each session that ends badly (authentication failures, login grace time
 * exceeded, a crash) adds seconds of penalty to its source.  Penalties add
 * up to a cap and wear off with time; once a source's penalty is above a
 * threshold the listener refuses its connections until the penalty has
 * run out.  A source is an IPv4 address, or an IPv6 /64 (one host usually
 * owns a whole /64, so counting single IPv6 addresses would be useless).
 *
 * The table has a fixed capacity, allocated once by penalty_init; lookups
 * and additions never allocate.  When it is full, the source whose
 * penalty ends soonest is forgotten.  Time comes in as an argument
 * (seconds of a monotonic clock); nothing here reads a clock or logs.
 */
#ifndef NANOSSH_PENALTY_H
#define NANOSSH_PENALTY_H

#include <sys/types.h>
#include <sys/socket.h>
#include <stddef.h>
#include <stdint.h>

/* The listener's capacity, whatever the configuration says. */
#define PENALTY_SOURCES_MAX	4096

/* What penalty_init needs from limits.penalties (config.h). */
struct penalty_conf {
	int pc_enabled;
	int pc_authfail;	/* seconds per reason */
	int pc_grace;
	int pc_crash;
	int pc_min;		/* refused once the total is above this */
	int pc_max;		/* the total is capped here */
	char *const *pc_exempt;	/* match_addr_list patterns, copied */
	size_t pc_nexempt;
};

/* A source: the address with the host part of an IPv6 /64 cleared. */
struct penalty_key {
	uint8_t pk_family;	/* AF_INET or AF_INET6 */
	uint8_t pk_addr[16];
};

struct penalty_ent {
	struct penalty_key pe_key;
	uint64_t pe_expiry;	/* the penalty runs out at this second */
	int pe_refused;		/* the total passed pc_min before expiry */
};

struct penalty_table {
	struct penalty_ent *pt_v;	/* pt_cap entries, pt_n in use */
	size_t pt_n;
	size_t pt_cap;
	int pt_enabled;
	int pt_authfail, pt_grace, pt_crash, pt_min, pt_max;
	char **pt_exempt;
	size_t pt_nexempt;
	unsigned long long pt_evicted;	/* sources forgotten for room */
};

/*
 * Sets up t for at most cap sources (1 to PENALTY_SOURCES_MAX).  Copies
 * the exempt patterns.  0, SSH_ERR_INVALID_ARGUMENT or SSH_ERR_ALLOC_FAIL
 * (t is then empty and safe to free).
 */
int penalty_init(struct penalty_table *t, const struct penalty_conf *pc,
    size_t cap);
void penalty_free(struct penalty_table *t);

/*
 * The source of sa (AF_INET, or AF_INET6 with an IPv4-mapped address
 * taken as IPv4).  0, or SSH_ERR_INVALID_ARGUMENT for other families.
 */
int penalty_key_of(const struct sockaddr *sa, socklen_t len,
    struct penalty_key *k);

/* 1 when sa's address matches the exempt patterns, else 0. */
int penalty_exempt(const struct penalty_table *t, const struct sockaddr *sa,
    socklen_t len);

/*
 * Adds seconds of penalty to sa's source at time now: the total (what is
 * left of the earlier penalty plus seconds) is capped at pc_max, and the
 * source is refused from the moment it is above pc_min.  Nothing happens
 * when penalties are disabled, seconds is not positive or sa is exempt.
 * Returns 1 when this made the source refused, else 0.
 */
int penalty_add(struct penalty_table *t, const struct sockaddr *sa,
    socklen_t len, int seconds, uint64_t now);

/*
 * 0 when a connection from sa may go ahead at time now; else the seconds
 * (at least 1) until the source's refusal ends.
 */
int penalty_refused(struct penalty_table *t, const struct sockaddr *sa,
    socklen_t len, uint64_t now);

/*
 * Forgets the penalty of sa's source (sa NULL: of every source), for
 * nanosshctl.  The number of sources forgotten, or -1 for an address of
 * another family.
 */
int penalty_clear(struct penalty_table *t, const struct sockaddr *sa,
    socklen_t len, uint64_t now);
/* The source as text: "192.0.2.1", or "2001:db8::/64".  0 or -1. */
int penalty_key_text(const struct penalty_key *k, char *out, size_t outsize);

/*
 * The penalty in seconds for a session that ended with this waitpid(2)
 * status (privsep/outcome.h exit codes), and in *whyp a word for logs
 * ("authfail", "grace_exceeded", "crash"; NULL for none).  0 for none.
 */
int penalty_for_status(const struct penalty_table *t, int status,
    const char **whyp);

#endif
