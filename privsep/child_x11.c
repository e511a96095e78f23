/*
 * child_x11.c: a session's x11-req in the protocol child: checked here
 * first (before the command starts, well-formed, once per session), then
 * decided by the monitor (X11_REQ); the display's listeners live with
 * the other forwarding listeners (child_fwd.h).
 */
#include <stdint.h>

#include "common/log.h"
#include "privsep/child_fwd.h"
#include "privsep/child_local.h"
#include "privsep/ipc_codec.h"
#include "protocol/channel.h"
#include "protocol/conn.h"
#include "protocol/ssherr.h"
#include "protocol/x11req.h"

int
child_x11_request(struct child *c, struct cchan *ch, const struct x11req *q)
{
	struct chan_table *t = conn_channels(c->conn);
	struct ipc_x11_req m;
	const char *why = NULL;
	int r;

	if (ch->handle != 0 || c->spawn_pending)
		why = "the session has started";
	else if (ch->x11)
		why = "already requested";
	else if (c->fwd == NULL)
		why = "not authenticated";
	else
		why = x11req_check(q->proto, q->cookie, q->screen);
	if (why != NULL) {
		child_log(c, LOG_LVL_VERBOSE, "channel %u: X11 forwarding "
		    "refused: %s", ch->id, why);
		return chan_request_reply(t, ch->id, 0);
	}
	m.tag = ch->id;
	m.single = q->single;
	m.proto = q->proto;
	m.cookie = q->cookie;
	m.screen = q->screen;
	if ((r = ipc_send_x11_req(c->ipc, &m, -1)) != 0)
		return r;
	cfwd_x11_begin(c->fwd, ch->id, q->single);
	return 0;
}

int
child_recv_x11_result(struct child *c, struct buf *m, int *fdp)
{
	struct ipc_x11_result a;
	struct cchan *ch;
	int ok, r;

	(void)fdp;
	if (c->fwd == NULL)
		return SSH_ERR_STATE_VIOLATION;
	if ((r = ipc_dec_x11_result(m, &a)) != 0)
		return r;
	if ((ok = cfwd_x11_end(c->fwd, a.tag, a.status == 0)) < 0)
		return ok;
	/* The channel may have closed while the monitor worked on it. */
	if ((ch = child_chan_by_id(c, a.tag)) == NULL) {
		cfwd_x11_close(c->fwd, a.tag);
		return 0;
	}
	ch->x11 = ok;
	if (ok)
		child_log(c, LOG_LVL_VERBOSE, "channel %u: X11 forwarding on "
		    "display %u", ch->id, a.display);
	else
		child_log(c, LOG_LVL_VERBOSE, "channel %u: X11 forwarding "
		    "refused by the monitor", ch->id);
	return chan_request_reply(conn_channels(c->conn), ch->id, ok);
}
