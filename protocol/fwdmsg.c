/* fwdmsg.c: port forwarding payloads (see fwdmsg.h). */
#include <stdlib.h>
#include <string.h>

#include "protocol/buf.h"
#include "protocol/fwdmsg.h"
#include "protocol/ssherr.h"

static const struct {
	const char *name;
	enum fwdmsg_kind kind;
} fwdmsg_names[] = {
	{ "direct-tcpip", FWDMSG_DIRECT_TCPIP },
	{ "direct-streamlocal@openssh.com", FWDMSG_DIRECT_STREAMLOCAL },
	{ "tcpip-forward", FWDMSG_TCPIP_FORWARD },
	{ "cancel-tcpip-forward", FWDMSG_CANCEL_TCPIP_FORWARD },
	{ "streamlocal-forward@openssh.com", FWDMSG_STREAMLOCAL_FORWARD },
	{ "cancel-streamlocal-forward@openssh.com",
	    FWDMSG_CANCEL_STREAMLOCAL_FORWARD },
};

enum fwdmsg_kind
fwdmsg_kind(const char *name)
{
	size_t i;

	for (i = 0; i < sizeof(fwdmsg_names) / sizeof(fwdmsg_names[0]); i++) {
		if (strcmp(name, fwdmsg_names[i].name) == 0)
			return fwdmsg_names[i].kind;
	}
	return FWDMSG_NONE;
}

int
fwdmsg_is_open(enum fwdmsg_kind kind)
{
	return kind == FWDMSG_DIRECT_TCPIP || kind == FWDMSG_DIRECT_STREAMLOCAL;
}

void
fwdmsg_clear(struct fwdmsg *m)
{
	free(m->host);
	free(m->orig_addr);
	memset(m, 0, sizeof(*m));
}

/* Names end up in log lines and sockaddrs: no control characters. */
static int
printable(const char *s)
{
	for (; *s != '\0'; s++) {
		if ((unsigned char)*s < 0x20 || (unsigned char)*s == 0x7f)
			return 0;
	}
	return 1;
}

/* A host (may be empty when listening: "all addresses") and a port. */
static int
get_host_port(struct buf *b, int empty_ok, char **hostp, uint32_t *portp)
{
	size_t len;
	int r = SSH_ERR_INTERNAL_ERROR;

	if ((r = buf_get_cstring(b, hostp, &len)) != 0 ||
	    (r = buf_get_u32(b, portp)) != 0)
		return r;
	if (len > FWDMSG_HOST_MAX || (len == 0 && !empty_ok) ||
	    *portp > 65535 || !printable(*hostp))
		return SSH_ERR_INVALID_FORMAT;
	return 0;
}

static int
get_path(struct buf *b, char **pathp)
{
	size_t len;
	int r = SSH_ERR_INTERNAL_ERROR;

	if ((r = buf_get_cstring(b, pathp, &len)) != 0)
		return r;
	if (len == 0 || len > FWDMSG_PATH_MAX || !printable(*pathp))
		return SSH_ERR_INVALID_FORMAT;
	return 0;
}

int
fwdmsg_parse(enum fwdmsg_kind kind, const uint8_t *data, size_t len,
    struct fwdmsg *m)
{
	struct buf *b = NULL;
	const uint8_t *skip;
	size_t skiplen;
	uint32_t u;
	int r = SSH_ERR_INTERNAL_ERROR;

	memset(m, 0, sizeof(*m));
	m->kind = kind;
	if ((b = buf_from(data, len)) == NULL)
		return SSH_ERR_ALLOC_FAIL;
	switch (kind) {
	case FWDMSG_DIRECT_TCPIP:
		/* A port-0 destination is meaningless; the originator is the
		 * client's business and only logged. */
		if ((r = get_host_port(b, 0, &m->host, &m->port)) != 0 ||
		    (r = get_host_port(b, 1, &m->orig_addr,
		    &m->orig_port)) != 0)
			goto out;
		if (m->port == 0) {
			r = SSH_ERR_INVALID_FORMAT;
			goto out;
		}
		break;
	case FWDMSG_DIRECT_STREAMLOCAL:
		m->unix_sock = 1;
		if ((r = get_path(b, &m->host)) != 0 ||
		    (r = buf_get_string_direct(b, &skip, &skiplen)) != 0 ||
		    (r = buf_get_u32(b, &u)) != 0)
			goto out;
		break;
	case FWDMSG_TCPIP_FORWARD:
	case FWDMSG_CANCEL_TCPIP_FORWARD:
		if ((r = get_host_port(b, 1, &m->host, &m->port)) != 0)
			goto out;
		break;
	case FWDMSG_STREAMLOCAL_FORWARD:
	case FWDMSG_CANCEL_STREAMLOCAL_FORWARD:
		m->unix_sock = 1;
		if ((r = get_path(b, &m->host)) != 0)
			goto out;
		break;
	default:
		r = SSH_ERR_INVALID_ARGUMENT;
		goto out;
	}
	if (m->orig_addr == NULL && (m->orig_addr = strdup("")) == NULL) {
		r = SSH_ERR_ALLOC_FAIL;
		goto out;
	}
	r = buf_expect_end(b);
 out:
	buf_free(b);
	return r;
}

int
fwdmsg_put_forwarded_tcpip(struct buf *out, const char *addr, uint32_t port,
    const char *orig_addr, uint32_t orig_port)
{
	int r = SSH_ERR_INTERNAL_ERROR;

	if ((r = buf_put_cstring(out, addr)) != 0 ||
	    (r = buf_put_u32(out, port)) != 0 ||
	    (r = buf_put_cstring(out, orig_addr)) != 0 ||
	    (r = buf_put_u32(out, orig_port)) != 0)
		return r;
	return 0;
}

int
fwdmsg_put_forwarded_streamlocal(struct buf *out, const char *path)
{
	int r = SSH_ERR_INTERNAL_ERROR;

	/* PROTOCOL 2.4: the path, then a reserved string. */
	if ((r = buf_put_cstring(out, path)) != 0 ||
	    (r = buf_put_cstring(out, "")) != 0)
		return r;
	return 0;
}
