/*
 * fwdpolicy.h: may this forwarding happen?  The monitor's decision for a
 * direct-tcpip / direct-streamlocal open, a tcpip-forward /
 * streamlocal-forward request or agent forwarding, from the effective
 * settings (forwarding.*) and what authentication carried along
 * (authorized_keys options, certificate extensions).  Pure: no I/O,
 * unit-tested.
 *
 * Permission lists (forwarding.permit_open, forwarding.permit_listen,
 * permitopen=, permitlisten=) hold "host:port" entries, where host may be
 * "*" (any host), an IPv6 address in brackets, and port "*" (any port);
 * or the single entries "any" / "none".  Hosts compare as written, case
 * insensitively: nothing is resolved (as OpenSSH's PermitOpen).  A listen
 * request for port 0 (the server picks) matches only a "*" port.
 * Socket paths are not subject to the permission lists.
 */
#ifndef NANOSSH_FWDPOLICY_H
#define NANOSSH_FWDPOLICY_H

#include <stdint.h>

struct strlist;
struct authkeys_list;

struct fwd_rules {
	int tcp;			/* enum cfg_tcp_forwarding */
	int streamlocal;		/* enum cfg_tcp_forwarding */
	const struct strlist *permit_open;
	const struct strlist *permit_listen;
	/* no-port-forwarding or restrict on the key line, or a
	 * certificate without permit-port-forwarding */
	int key_denies;
	const struct authkeys_list *key_open;	/* permitopen=, NULL: none */
	const struct authkeys_list *key_listen;	/* permitlisten=, NULL: none */
	int is_root;			/* the user may listen below 1024 */
};

/*
 * NULL when allowed, else a static reason for the log.  listen: a listen
 * request (else an open); unix_sock: host is a socket path.
 */
const char *fwdpolicy_check(const struct fwd_rules *r, int listen,
    int unix_sock, const char *host, uint32_t port);

/* 1 when pattern ("host:port", "*:port", "host:*", "[v6]:port", "any")
 * allows host and port, else 0 ("none" and malformed patterns never do). */
int fwdpolicy_match(const char *pattern, const char *host, uint32_t port);

/*
 * The address a listen request binds: with gateway_ports false always
 * loopback ("127.0.0.1"), whatever the client asked; with it true, "" and
 * "*" mean every address (returned as ""), "localhost" loopback, anything
 * else is used as given.
 */
const char *fwdpolicy_bind_host(const char *requested, int gateway_ports);

/* Agent forwarding (auth-agent-req@openssh.com, ssh -A). */
struct agent_rules {
	int enabled;			/* forwarding.agent */
	int sftp_only;			/* sftp.force: a file service only */
	int key_denies;			/* no-agent-forwarding, or restrict */
	int cert_denies;		/* no permit-agent-forwarding */
};

/* NULL when the agent may be forwarded, else a static reason for the
 * log. */
const char *fwdpolicy_agent_check(const struct agent_rules *r);

#endif
