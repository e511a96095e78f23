/*
 * fuzz_fwdmsg.c: libFuzzer target for the port forwarding payloads
 * (protocol/fwdmsg.h).  The first byte picks the kind (modulo the six
 * kinds), the rest is the payload.  Whatever a parser accepts must keep
 * the promises of fwdmsg.h; the forwarded-* encoders must take what was
 * accepted.  Broken invariants abort.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "protocol/buf.h"
#include "protocol/fwdmsg.h"
#include "protocol/ssherr.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void
check_name(const char *s, size_t max, int empty_ok)
{
	size_t i, len = strlen(s);

	if (len > max || (len == 0 && !empty_ok))
		abort();
	for (i = 0; i < len; i++) {
		if ((unsigned char)s[i] < 0x20 || (unsigned char)s[i] == 0x7f)
			abort();
	}
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	enum fwdmsg_kind kind;
	struct fwdmsg m;
	struct buf *out;
	int r;

	if (size == 0)
		return 0;
	kind = (enum fwdmsg_kind)(FWDMSG_DIRECT_TCPIP + data[0] % 6);
	r = fwdmsg_parse(kind, data + 1, size - 1, &m);
	if (r == SSH_ERR_INTERNAL_ERROR || r > 0)
		abort();
	if (r == 0) {
		if (m.kind != kind || m.host == NULL || m.orig_addr == NULL ||
		    m.port > 65535 || m.orig_port > 65535)
			abort();
		if (m.unix_sock) {
			check_name(m.host, FWDMSG_PATH_MAX, 0);
			if (m.port != 0)
				abort();
		} else {
			check_name(m.host, FWDMSG_HOST_MAX,
			    !fwdmsg_is_open(kind));
			check_name(m.orig_addr, FWDMSG_HOST_MAX, 1);
			if (fwdmsg_is_open(kind) && m.port == 0)
				abort();
		}
		if ((out = buf_new()) == NULL)
			abort();
		r = m.unix_sock ? fwdmsg_put_forwarded_streamlocal(out, m.host) :
		    fwdmsg_put_forwarded_tcpip(out, m.host, m.port,
		    m.orig_addr, m.orig_port);
		if (r != 0)
			abort();
		buf_free(out);
	}
	fwdmsg_clear(&m);
	return 0;
}
