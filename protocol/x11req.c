/* x11req.c: the x11-req session request (see x11req.h). */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <bsd/stdlib.h>

#include "protocol/buf.h"
#include "protocol/ssherr.h"
#include "protocol/x11req.h"

int
x11req_parse(struct buf *m, struct x11req *q)
{
	int r;

	memset(q, 0, sizeof(*q));
	if ((r = buf_get_bool(m, &q->single)) != 0 ||
	    (r = buf_get_cstring(m, &q->proto, NULL)) != 0 ||
	    (r = buf_get_cstring(m, &q->cookie, NULL)) != 0 ||
	    (r = buf_get_u32(m, &q->screen)) != 0)
		return r;
	return buf_expect_end(m);
}

static int
all_of(const char *s, const char *set)
{
	return s[strspn(s, set)] == '\0';
}

const char *
x11req_check(const char *proto, const char *cookie, uint32_t screen)
{
	size_t plen = strlen(proto), clen = strlen(cookie);

	if (plen == 0 || plen > X11REQ_PROTO_MAX || !all_of(proto,
	    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
	    "0123456789-_."))
		return "bad authentication protocol name";
	if (clen == 0 || clen > X11REQ_COOKIE_MAX || clen % 2 != 0 ||
	    !all_of(cookie, "0123456789abcdefABCDEF"))
		return "bad authentication cookie";
	if (screen > X11REQ_SCREEN_MAX)
		return "bad screen number";
	return NULL;
}

static void
wipe_free(char *s)
{
	if (s != NULL)
		freezero(s, strlen(s));
}

void
x11req_clear(struct x11req *q)
{
	wipe_free(q->proto);
	wipe_free(q->cookie);
	memset(q, 0, sizeof(*q));
}
