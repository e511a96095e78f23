/* children.c: the listener's table of session processes (children.h). */
#include <sys/types.h>
#include <sys/socket.h>
#include <netinet/in.h>
#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <bsd/stdlib.h>
#include <bsd/string.h>

#include "daemon/children.h"
#include "common/log.h"
#include "common/monotime.h"
#include "common/sessrec.h"
#include "protocol/ssherr.h"

void
children_init(struct children *c)
{
	memset(c, 0, sizeof(*c));
}

void
children_clear(struct children *c)
{
	size_t i;

	for (i = 0; i < c->c_n; i++) {
		if (c->c_v[i].ch_status_fd != -1)
			close(c->c_v[i].ch_status_fd);
	}
	free(c->c_v);
	children_init(c);
}

int
children_add(struct children *c, pid_t pid, int status_fd, const char *peer)
{
	return children_add_addr(c, pid, status_fd, peer, NULL, 0);
}

int
children_add_addr(struct children *c, pid_t pid, int status_fd,
    const char *peer, const struct sockaddr *sa, socklen_t salen)
{
	struct child *n;
	size_t nalloc;

	if (sa != NULL && (salen == 0 ||
	    (size_t)salen > sizeof(n->ch_addr)))
		return SSH_ERR_INVALID_ARGUMENT;
	if (c->c_n >= CHILDREN_MAX)
		return SSH_ERR_LIMIT_EXCEEDED;
	if (c->c_n == c->c_alloc) {
		nalloc = c->c_alloc == 0 ? 16 : c->c_alloc * 2;
		if (nalloc > CHILDREN_MAX)
			nalloc = CHILDREN_MAX;
		if ((n = reallocarray(c->c_v, nalloc, sizeof(*n))) == NULL)
			return SSH_ERR_ALLOC_FAIL;
		c->c_v = n;
		c->c_alloc = nalloc;
	}
	n = &c->c_v[c->c_n++];
	memset(n, 0, sizeof(*n));
	n->ch_pid = pid;
	n->ch_status_fd = status_fd;
	strlcpy(n->ch_peer, peer, sizeof(n->ch_peer));
	n->ch_started_ms = monotime_ms();
	if (sa != NULL) {
		memcpy(&n->ch_addr, sa, salen);
		n->ch_addrlen = salen;
	}
	c->c_unauthenticated++;
	return 0;
}

struct child *
children_find(struct children *c, pid_t pid)
{
	size_t i;

	for (i = 0; i < c->c_n; i++) {
		if (c->c_v[i].ch_pid == pid)
			return &c->c_v[i];
	}
	return NULL;
}

void
children_remove(struct children *c, struct child *ch)
{
	size_t i = (size_t)(ch - c->c_v);

	if (ch->ch_status_fd != -1)
		close(ch->ch_status_fd);
	if (!ch->ch_authenticated && c->c_unauthenticated > 0)
		c->c_unauthenticated--;
	/* Order does not matter: move the last entry into the hole. */
	c->c_v[i] = c->c_v[--c->c_n];
}

static void
children_mark_authenticated(struct children *c, struct child *ch)
{
	if (ch->ch_authenticated)
		return;
	ch->ch_authenticated = 1;
	if (c->c_unauthenticated > 0)
		c->c_unauthenticated--;
}

int
children_proxy_record(const struct sockaddr *sa, uint8_t *out)
{
	const struct sockaddr_in *s4 = (const struct sockaddr_in *)sa;
	const struct sockaddr_in6 *s6 = (const struct sockaddr_in6 *)sa;
	uint16_t port;

	memset(out, 0, CHILD_STATUS_PROXY_LEN);
	out[0] = CHILD_STATUS_PROXY;
	if (sa->sa_family == AF_INET) {
		out[1] = '4';
		memcpy(out + 2, &s4->sin_addr, 4);
		port = ntohs(s4->sin_port);
	} else if (sa->sa_family == AF_INET6) {
		out[1] = '6';
		memcpy(out + 2, &s6->sin6_addr, 16);
		port = ntohs(s6->sin6_port);
	} else
		return SSH_ERR_INVALID_ARGUMENT;
	out[18] = (uint8_t)(port >> 8);
	out[19] = (uint8_t)port;
	return 0;
}

/* Takes a 'P' record: the client behind the proxy becomes the child's
 * source for logs and penalties. */
static int
children_set_proxied(struct child *ch, const uint8_t *rec)
{
	struct sockaddr_storage ss;
	struct sockaddr_in *s4 = (struct sockaddr_in *)&ss;
	struct sockaddr_in6 *s6 = (struct sockaddr_in6 *)&ss;
	uint16_t port = (uint16_t)((rec[18] << 8) | rec[19]);
	char host[INET6_ADDRSTRLEN];
	socklen_t len;

	memset(&ss, 0, sizeof(ss));
	if (rec[1] == '4') {
		s4->sin_family = AF_INET;
		memcpy(&s4->sin_addr, rec + 2, 4);
		s4->sin_port = htons(port);
		len = sizeof(*s4);
	} else if (rec[1] == '6') {
		s6->sin6_family = AF_INET6;
		memcpy(&s6->sin6_addr, rec + 2, 16);
		s6->sin6_port = htons(port);
		len = sizeof(*s6);
	} else
		return 0;
	if (inet_ntop(ss.ss_family, ss.ss_family == AF_INET ?
	    (void *)&s4->sin_addr : (void *)&s6->sin6_addr, host,
	    sizeof(host)) == NULL)
		return 0;
	log_debug("session pid %ld: %s is proxied for %s port %u",
	    (long)ch->ch_pid, ch->ch_peer, host, port);
	memcpy(&ch->ch_addr, &ss, len);
	ch->ch_addrlen = len;
	/* The client's from now on, not the proxy's. */
	ch->ch_no_penalty = 0;
	snprintf(ch->ch_peer, sizeof(ch->ch_peer), "%s port %u", host, port);
	return 1;
}

/* Reads at most this many records per call: a chatty session cannot hold
 * the listener's loop. */
#define CHILDREN_RECORDS_PER_READ	8

/* One record; returns 1 when a 'P' record changed the child's address. */
static int
children_record(struct children *c, struct child *ch, const uint8_t *b,
    size_t n)
{
	struct sessrec_info info;
	int changed = 0;

	switch (b[0]) {
	case CHILD_STATUS_AUTHENTICATED:
		if (n != 1)
			break;
		children_mark_authenticated(c, ch);
		return 0;
	case CHILD_STATUS_PROXY:
		/* Only once, only before authentication. */
		if (ch->ch_proxy && !ch->ch_authenticated &&
		    n == CHILD_STATUS_PROXY_LEN)
			changed = children_set_proxied(ch, b);
		else
			log_debug("session pid %ld: proxy record ignored",
			    (long)ch->ch_pid);
		ch->ch_proxy = 0;
		return changed;
	case SESSREC_PONG:
		if (sessrec_pong_parse(b, n, &ch->ch_pong_token,
		    &ch->ch_pong_ms) != 0)
			break;
		ch->ch_pong_new = 1;
		return 0;
	case SESSREC_INFO:
		if (sessrec_info_parse(b, n, &info) != 0)
			break;
		ch->ch_info = info;
		ch->ch_info_ms = monotime_ms();
		return 0;
	}
	/* One line per 64: a session cannot flood the log with them. */
	if (ch->ch_bad_records++ % 64 == 0)
		log_info("session pid %ld: malformed status record ignored "
		    "(type 0x%02x, %zu bytes)", (long)ch->ch_pid, b[0], n);
	return 0;
}

int
children_read_status(struct children *c, struct child *ch)
{
	uint8_t b[SESSREC_MAX + 1];
	ssize_t n;
	int i, changed = 0;

	for (i = 0; i < CHILDREN_RECORDS_PER_READ && ch->ch_status_fd != -1;
	    i++) {
		/* One byte more than the largest record: a longer one shows
		 * as too long (MSG_TRUNC cuts it to this). */
		n = recv(ch->ch_status_fd, b, sizeof(b), MSG_DONTWAIT);
		if (n == -1 && (errno == EINTR || errno == EAGAIN))
			break;
		if (n <= 0) {
			/* EOF: the child closed it or is exiting; it keeps
			 * counting as it is until it is reaped. */
			close(ch->ch_status_fd);
			ch->ch_status_fd = -1;
			break;
		}
		if (children_record(c, ch, b, (size_t)n) == 1)
			changed = 1;
	}
	return changed;
}

unsigned int
children_drop_chance(size_t n, int begin, int rate, int full)
{
	unsigned long long p;

	if (begin < 0 || rate < 0 || full < 0)
		return 100;
	if (n < (size_t)begin)
		return 0;
	if (n >= (size_t)full)
		return 100;
	if (rate > 100)
		rate = 100;
	/* begin <= n < full here, so full - begin > 0. */
	p = (unsigned long long)(100 - rate) * (n - (size_t)begin);
	p /= (unsigned long long)(full - begin);
	return (unsigned int)p + (unsigned int)rate;
}

int
children_should_drop(const struct children *c, int begin, int rate, int full)
{
	unsigned int chance;

	chance = children_drop_chance(c->c_unauthenticated, begin, rate, full);
	if (chance == 0)
		return 0;
	if (chance >= 100)
		return 1;
	return arc4random_uniform(100) < chance;
}
