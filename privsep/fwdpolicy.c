/* fwdpolicy.c: the forwarding permission rules (see fwdpolicy.h). */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "auth/authkeys.h"
#include "common/config.h"
#include "privsep/fwdpolicy.h"

#define FWDPOLICY_PRIV_PORT	1024

/* Splits "host:port" / "[v6]:port" into host (copied, at most hostlen-1)
 * and the port text; 0 on success. */
static int
split_pattern(const char *pattern, char *host, size_t hostlen,
    const char **portp)
{
	const char *colon, *start = pattern, *end;

	if (*pattern == '[') {
		start = pattern + 1;
		if ((end = strchr(start, ']')) == NULL || end[1] != ':')
			return -1;
		colon = end + 1;
	} else {
		if ((colon = strrchr(pattern, ':')) == NULL)
			return -1;
		end = colon;
	}
	if (end == start || (size_t)(end - start) >= hostlen)
		return -1;
	memcpy(host, start, (size_t)(end - start));
	host[end - start] = '\0';
	*portp = colon + 1;
	return 0;
}

static int
port_matches(const char *text, uint32_t port)
{
	char *end;
	unsigned long v;

	if (strcmp(text, "*") == 0)
		return 1;
	if (port == 0 || *text < '0' || *text > '9')
		return 0;
	v = strtoul(text, &end, 10);
	return *end == '\0' && v == port;
}

int
fwdpolicy_match(const char *pattern, const char *host, uint32_t port)
{
	char phost[256];
	const char *pport;

	if (strcmp(pattern, "any") == 0)
		return 1;
	if (split_pattern(pattern, phost, sizeof(phost), &pport) != 0)
		return 0;
	if (strcmp(phost, "*") != 0 && strcasecmp(phost, host) != 0)
		return 0;
	return port_matches(pport, port);
}

static int
list_allows(char *const *v, size_t n, const char *host, uint32_t port)
{
	size_t i;

	for (i = 0; i < n; i++) {
		if (fwdpolicy_match(v[i], host, port))
			return 1;
	}
	return 0;
}

static int
direction_allowed(int setting, int listen)
{
	switch (setting) {
	case CFG_FWD_YES:
		return 1;
	case CFG_FWD_LOCAL:
		return !listen;
	case CFG_FWD_REMOTE:
		return listen;
	default:
		return 0;
	}
}

const char *
fwdpolicy_check(const struct fwd_rules *r, int listen, int unix_sock,
    const char *host, uint32_t port)
{
	const struct strlist *conf = listen ? r->permit_listen : r->permit_open;
	const struct authkeys_list *key = listen ? r->key_listen : r->key_open;

	if (!direction_allowed(unix_sock ? r->streamlocal : r->tcp, listen))
		return unix_sock ? "forwarding.streamlocal forbids it" :
		    "forwarding.tcp forbids it";
	if (r->key_denies)
		return "the key or certificate does not permit port forwarding";
	if (unix_sock)
		return NULL;
	if (listen && port != 0 && port < FWDPOLICY_PRIV_PORT && !r->is_root)
		return "privileged port";
	if (conf != NULL && !list_allows(conf->v, conf->n, host, port))
		return listen ? "not in forwarding.permit_listen" :
		    "not in forwarding.permit_open";
	if (key != NULL && key->al_set &&
	    !list_allows(key->al_v, key->al_n, host, port))
		return listen ? "not permitted by permitlisten=" :
		    "not permitted by permitopen=";
	return NULL;
}

const char *
fwdpolicy_bind_host(const char *requested, int gateway_ports)
{
	if (!gateway_ports || strcasecmp(requested, "localhost") == 0)
		return "127.0.0.1";
	if (*requested == '\0' || strcmp(requested, "*") == 0)
		return "";
	return requested;
}

const char *
fwdpolicy_agent_check(const struct agent_rules *r)
{
	if (!r->enabled)
		return "forwarding.agent is false";
	if (r->sftp_only)
		return "the account is SFTP-only (sftp.force)";
	if (r->key_denies)
		return "no-agent-forwarding or restrict on the key";
	if (r->cert_denies)
		return "a certificate without permit-agent-forwarding";
	return NULL;
}
