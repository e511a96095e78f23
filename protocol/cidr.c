/* cidr.c: the address and CIDR block parser and matcher of cidr.h. */
#include <sys/types.h>
#include <sys/socket.h>
#include <netinet/in.h>
#include <arpa/inet.h>
#include <stdint.h>
#include <string.h>

#include "protocol/cidr.h"
#include "protocol/ssherr.h"

int
cidr_parse(const char *s, size_t len, struct cidr *c)
{
	char tmp[INET6_ADDRSTRLEN + 8];
	const char *slash;
	unsigned int bits = 0, max, i;
	size_t digits;

	if (len == 0 || len >= sizeof(tmp))
		return SSH_ERR_INVALID_FORMAT;
	memcpy(tmp, s, len);
	tmp[len] = '\0';
	if ((slash = strchr(tmp, '/')) != NULL) {
		digits = strlen(slash + 1);
		if (digits == 0 || digits > 3 ||
		    strspn(slash + 1, "0123456789") != digits)
			return SSH_ERR_INVALID_FORMAT;
		for (i = 0; i < digits; i++)
			bits = bits * 10 + (unsigned int)(slash[1 + i] - '0');
		tmp[slash - tmp] = '\0';
	}
	if (cidr_parse_addr(tmp, c) != 0)
		return SSH_ERR_INVALID_FORMAT;
	max = (unsigned int)c->ci_len * 8;
	if (slash != NULL) {
		if (bits > max)
			return SSH_ERR_INVALID_FORMAT;
		c->ci_bits = bits;
	}
	return 0;
}

int
cidr_parse_addr(const char *addr, struct cidr *c)
{
	memset(c, 0, sizeof(*c));
	if (inet_pton(AF_INET, addr, c->ci_net) == 1)
		c->ci_len = 4;
	else if (inet_pton(AF_INET6, addr, c->ci_net) == 1)
		c->ci_len = 16;
	else
		return SSH_ERR_INVALID_FORMAT;
	c->ci_bits = (unsigned int)c->ci_len * 8;
	return 0;
}

int
cidr_is_network(const struct cidr *c)
{
	unsigned int i;

	for (i = c->ci_bits; i < c->ci_len * 8; i++)
		if (c->ci_net[i / 8] & (0x80 >> (i % 8)))
			return 0;
	return 1;
}

int
cidr_contains(const struct cidr *net, const struct cidr *a)
{
	unsigned int whole = net->ci_bits / 8, rest = net->ci_bits % 8;
	uint8_t mask;

	if (net->ci_len != a->ci_len)
		return 0;
	if (memcmp(a->ci_net, net->ci_net, whole) != 0)
		return 0;
	if (rest == 0)
		return 1;
	mask = (uint8_t)(0xff << (8 - rest));
	return (a->ci_net[whole] & mask) == (net->ci_net[whole] & mask);
}

int
cidr_list_match(const char *addr, const char *list)
{
	static const uint8_t v4mapped[12] = {
		0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff
	};
	struct cidr a, net;
	const char *cp;
	size_t len;
	int found = 0;

	if (addr == NULL || list == NULL)
		return SSH_ERR_INVALID_ARGUMENT;
	if (cidr_parse_addr(addr, &a) != 0)
		return SSH_ERR_INVALID_FORMAT;
	if (a.ci_len == 16 &&
	    memcmp(a.ci_net, v4mapped, sizeof(v4mapped)) == 0) {
		memmove(a.ci_net, a.ci_net + 12, 4);
		a.ci_len = 4;
		a.ci_bits = 32;
	}
	/* The whole list is checked, so an invalid tail is never ignored. */
	for (cp = list;; cp += len + 1) {
		len = strcspn(cp, ",");
		if (cidr_parse(cp, len, &net) != 0 || !cidr_is_network(&net))
			return SSH_ERR_INVALID_FORMAT;
		if (cidr_contains(&net, &a))
			found = 1;
		if (cp[len] == '\0')
			break;
	}
	return found;
}
