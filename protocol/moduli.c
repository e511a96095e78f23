/*
 * moduli.c: moduli(5) parsing and the group-exchange group choice.
 */
#include <stdlib.h>
#include <string.h>

#include <bsd/stdlib.h>
#include <openssl/bn.h>

#include "protocol/buf.h"
#include "protocol/dh_groups.h"
#include "protocol/moduli.h"
#include "protocol/ssherr.h"

#define MODULI_FIELDS		7
/* Longest hex field we take: an 8192-bit modulus. */
#define MODULI_HEX_MAX		(DH_GROUP_MAX_BITS / 4)

struct field {
	const char	*s;
	size_t		 len;
};

static int
is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

/* Splits on blanks; SSH_ERR_INVALID_FORMAT unless exactly n fields. */
static int
split_fields(const char *line, size_t len, struct field *f, size_t n)
{
	size_t i = 0, nf = 0, start;

	while (i < len) {
		while (i < len && is_space(line[i]))
			i++;
		if (i == len)
			break;
		if (nf == n)
			return SSH_ERR_INVALID_FORMAT;
		start = i;
		while (i < len && !is_space(line[i]))
			i++;
		f[nf].s = line + start;
		f[nf].len = i - start;
		nf++;
	}
	return nf == n ? 0 : SSH_ERR_INVALID_FORMAT;
}

/* Strict decimal: digits only, at most max. */
static int
parse_dec(const struct field *f, uint32_t max, uint32_t *valp)
{
	uint64_t v = 0;
	size_t i;

	if (f->len == 0 || f->len > 10)
		return SSH_ERR_INVALID_FORMAT;
	for (i = 0; i < f->len; i++) {
		if (f->s[i] < '0' || f->s[i] > '9')
			return SSH_ERR_INVALID_FORMAT;
		v = v * 10 + (uint64_t)(f->s[i] - '0');
	}
	if (v > max)
		return SSH_ERR_INVALID_FORMAT;
	*valp = (uint32_t)v;
	return 0;
}

static int
parse_hex(const struct field *f, BIGNUM **bnp)
{
	char *s = NULL;
	size_t i;
	int r = SSH_ERR_INTERNAL_ERROR;

	*bnp = NULL;
	if (f->len == 0 || f->len > MODULI_HEX_MAX)
		return SSH_ERR_INVALID_FORMAT;
	for (i = 0; i < f->len; i++) {
		char c = f->s[i];

		if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') ||
		    (c >= 'A' && c <= 'F')))
			return SSH_ERR_INVALID_FORMAT;
	}
	if ((s = malloc(f->len + 1)) == NULL)
		return SSH_ERR_ALLOC_FAIL;
	memcpy(s, f->s, f->len);
	s[f->len] = '\0';
	if (BN_hex2bn(bnp, s) != (int)f->len) {
		BN_free(*bnp);
		*bnp = NULL;
		r = SSH_ERR_LIBCRYPTO_ERROR;
		goto out;
	}
	r = 0;
 out:
	free(s);
	return r;
}

int
moduli_parse_line(const char *line, size_t len, struct dh_group **groupp)
{
	struct field f[MODULI_FIELDS];
	uint32_t type, tests, tries, size;
	BIGNUM *g = NULL, *p = NULL;
	size_t i;
	int r = SSH_ERR_INTERNAL_ERROR;

	if (groupp != NULL)
		*groupp = NULL;
	if ((line == NULL && len != 0) || groupp == NULL)
		return SSH_ERR_INVALID_ARGUMENT;
	for (i = 0; i < len && is_space(line[i]); i++)
		;
	if (i == len || line[i] == '#')
		return 0;
	if ((r = split_fields(line, len, f, MODULI_FIELDS)) != 0)
		return r;
	/* f[0] is the timestamp, which nothing depends on. */
	if ((r = parse_dec(&f[1], 0xff, &type)) != 0 ||
	    (r = parse_dec(&f[2], 0xff, &tests)) != 0 ||
	    (r = parse_dec(&f[3], 1U << 30, &tries)) != 0 ||
	    (r = parse_dec(&f[4], 64 * 1024, &size)) != 0)
		return r;
	if (tries == 0)
		return SSH_ERR_INVALID_FORMAT;
	if ((r = parse_hex(&f[5], &g)) != 0 || (r = parse_hex(&f[6], &p)) != 0)
		goto out;
	/* The size field counts the bits of q = (p-1)/2. */
	if ((uint32_t)BN_num_bits(p) != size + 1) {
		r = SSH_ERR_INVALID_FORMAT;
		goto out;
	}
	/* Only screened safe primes: ssh-keygen -M screen marks them so. */
	if (type != MODULI_TYPE_SAFE || (tests & MODULI_TESTS_COMPOSITE) != 0 ||
	    (tests & ~MODULI_TESTS_COMPOSITE) == 0 ||
	    size + 1 < DH_GROUP_MIN_BITS || size + 1 > DH_GROUP_MAX_BITS) {
		r = SSH_ERR_FEATURE_UNSUPPORTED;
		goto out;
	}
	if ((r = dh_group_new(p, g, groupp)) != 0) {
		r = SSH_ERR_INVALID_FORMAT;
		goto out;
	}
	r = 0;
 out:
	BN_free(g);
	BN_free(p);
	return r;
}

/* 1 if a group of cand bits suits a request for n better than one of best bits (0: none yet). */
static int
better_size(uint32_t cand, uint32_t best, uint32_t n)
{
	if (best == 0)
		return 1;
	if (cand >= n && best >= n)
		return cand < best;
	if (cand < n && best < n)
		return cand > best;
	return cand >= n;
}

/*
 * Calls fn for each usable entry in [min, max].  fn returns 0 to go on,
 * 1 to stop with success, or an error.
 */
static int
moduli_walk(const struct buf *moduli, uint32_t min, uint32_t max,
    int (*fn)(struct dh_group *, void *), void *arg)
{
	const char *p = (const char *)buf_ptr(moduli), *nl;
	size_t left = buf_len(moduli), linelen;
	struct dh_group *group;
	uint32_t bits;
	int r;

	while (left > 0) {
		nl = memchr(p, '\n', left);
		linelen = nl != NULL ? (size_t)(nl - p) : left;
		r = moduli_parse_line(p, linelen, &group);
		p += linelen;
		left -= linelen;
		if (left > 0) {
			p++;
			left--;
		}
		if (r == SSH_ERR_ALLOC_FAIL || r == SSH_ERR_LIBCRYPTO_ERROR)
			return r;
		if (r != 0 || group == NULL)
			continue;	/* as sshd: bad lines are skipped */
		bits = dh_group_bits(group);
		if (bits < min || bits > max) {
			dh_group_free(group);
			continue;
		}
		r = fn(group, arg);
		if (r != 0)
			return r;
	}
	return 0;
}

struct choose_state {
	uint32_t	 cs_n;
	uint32_t	 cs_best;	/* bits of the best size so far */
	uint32_t	 cs_count;	/* entries of that size */
	uint32_t	 cs_pick;	/* second pass: index to take */
	struct dh_group	*cs_group;
};

static int
choose_best(struct dh_group *group, void *arg)
{
	struct choose_state *cs = arg;
	uint32_t bits = dh_group_bits(group);

	dh_group_free(group);
	if (bits != cs->cs_best && better_size(bits, cs->cs_best, cs->cs_n)) {
		cs->cs_best = bits;
		cs->cs_count = 0;
	}
	if (bits == cs->cs_best)
		cs->cs_count++;
	return 0;
}

static int
choose_pick(struct dh_group *group, void *arg)
{
	struct choose_state *cs = arg;

	if (dh_group_bits(group) != cs->cs_best) {
		dh_group_free(group);
		return 0;
	}
	if (cs->cs_pick-- != 0) {
		dh_group_free(group);
		return 0;
	}
	cs->cs_group = group;
	return 1;
}

static int
choose_rfc3526(uint32_t min, uint32_t n, uint32_t max,
    struct dh_group **groupp)
{
	struct dh_group *group = NULL;
	unsigned int id, best_id = 0;
	uint32_t bits, best = 0;
	int r;

	for (id = DH_GROUP_RFC3526_FIRST; id <= DH_GROUP_RFC3526_LAST; id++) {
		if ((r = dh_group_rfc3526(id, &group)) != 0)
			return r;
		bits = dh_group_bits(group);
		dh_group_free(group);
		group = NULL;
		if (bits >= min && bits <= max && better_size(bits, best, n)) {
			best = bits;
			best_id = id;
		}
	}
	if (best_id == 0)
		return SSH_ERR_DH_GEX_OUT_OF_RANGE;
	return dh_group_rfc3526(best_id, groupp);
}

int
kex_gex_choose(const struct buf *moduli, uint32_t min, uint32_t n,
    uint32_t max, struct dh_group **groupp)
{
	struct choose_state cs;
	int r = SSH_ERR_INTERNAL_ERROR;

	if (groupp != NULL)
		*groupp = NULL;
	if (groupp == NULL)
		return SSH_ERR_INVALID_ARGUMENT;
	if (min > n || n > max || max < DH_GROUP_MIN_BITS ||
	    min > DH_GROUP_MAX_BITS)
		return SSH_ERR_DH_GEX_OUT_OF_RANGE;
	if (min < DH_GROUP_MIN_BITS)
		min = DH_GROUP_MIN_BITS;
	if (max > DH_GROUP_MAX_BITS)
		max = DH_GROUP_MAX_BITS;
	if (n < min)
		n = min;
	if (n > max)
		n = max;

	memset(&cs, 0, sizeof(cs));
	cs.cs_n = n;
	if (moduli != NULL &&
	    (r = moduli_walk(moduli, min, max, choose_best, &cs)) != 0)
		return r;
	if (cs.cs_count == 0)
		return choose_rfc3526(min, n, max, groupp);
	cs.cs_pick = arc4random_uniform(cs.cs_count);
	if ((r = moduli_walk(moduli, min, max, choose_pick, &cs)) < 0) {
		dh_group_free(cs.cs_group);
		return r;
	}
	if (cs.cs_group == NULL)
		return SSH_ERR_INTERNAL_ERROR;
	*groupp = cs.cs_group;
	return 0;
}
