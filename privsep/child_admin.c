/*
 * child_admin.c: the protocol child's side of nanosshctl.  CONN_INFO
 * tells the monitor the algorithms in use and the counters, when they
 * changed and at most once per CHILD_INFO_INTERVAL_MS (the listener
 * works out the idle time in between); ADMIN carries the administrator's
 * disconnect and rekey.
 */
#include <stdint.h>
#include <string.h>

#include <bsd/string.h>

#include "common/log.h"
#include "common/monotime.h"
#include "common/sessrec.h"
#include "privsep/child_local.h"
#include "privsep/ipc_codec.h"
#include "protocol/channel.h"
#include "protocol/conn.h"
#include "protocol/ssh2.h"
#include "protocol/ssherr.h"

#define CHILD_INFO_INTERVAL_MS	1000

static void
name_copy(char *dst, const char *src)
{
	strlcpy(dst, src != NULL ? src : "", SESSREC_NAME_MAX + 1);
}

void
child_report(struct child *c, uint64_t now)
{
	struct ipc_conn_info q;
	struct conn_crypto cr;
	char names[CHILD_INFO_NAMES][SESSREC_NAME_MAX + 1];
	uint64_t since;
	uint32_t chans;

	if (conn_closed(c->conn))
		return;
	conn_crypto(c->conn, &cr);
	name_copy(names[0], cr.kex);
	name_copy(names[1], cr.hostkey);
	name_copy(names[2], cr.cipher);
	name_copy(names[3], cr.mac);
	chans = c->authed ? chan_count(conn_channels(c->conn)) : 0;
	if (c->info_sent && c->info_in == c->bytes_in &&
	    c->info_out == c->bytes_out && c->info_chans == chans &&
	    memcmp(names, c->info_names, sizeof(names)) == 0) {
		c->info_due = 0;
		return;
	}
	if (now < c->info_next) {
		c->info_due = c->info_next;
		return;
	}
	since = c->last_data != 0 ? c->last_data : c->auth_time;
	memset(&q, 0, sizeof(q));
	q.kex = names[0];
	q.hostkey = names[1];
	q.cipher = names[2];
	q.mac = names[3];
	q.bytes_in = c->bytes_in;
	q.bytes_out = c->bytes_out;
	q.channels = chans;
	q.idle_s = since != 0 && now > since ? (uint32_t)((now - since) /
	    1000) : 0;
	c->info_next = now + CHILD_INFO_INTERVAL_MS;
	c->info_due = 0;
	/* A full queue costs this report only (the next change retries). */
	if (ipc_send_conn_info(c->ipc, &q, -1) != 0)
		return;
	memcpy(c->info_names, names, sizeof(names));
	c->info_in = c->bytes_in;
	c->info_out = c->bytes_out;
	c->info_chans = chans;
	c->info_sent = 1;
}

/* keepalive@openssh.com with want_reply; its answer is timed. */
static int
child_ping(struct child *c, uint32_t token)
{
	struct chan_table *t = c->authed ? conn_channels(c->conn) : NULL;
	int r;

	if (t == NULL || conn_closed(c->conn) || c->ping_pending)
		return 0;
	if ((r = chan_global_send(t, "keepalive@openssh.com", 1, NULL,
	    0)) != 0) {
		child_log(c, LOG_LVL_INFO, "ping by the administrator not "
		    "sent: %s", ssh_err(r));
		return r == SSH_ERR_LIMIT_EXCEEDED ? 0 : r;
	}
	c->ping_pending = 1;
	c->ping_seq = c->globals_sent++;
	c->ping_start = monotime_ms();
	c->ping_token = token;
	return 0;
}

int
child_global_answered(struct child *c)
{
	struct ipc_ping_result q;
	uint64_t now = monotime_ms();

	if (c->globals_answered++ != c->ping_seq || !c->ping_pending)
		return 0;
	c->ping_pending = 0;
	q.token = c->ping_token;
	q.ms = now - c->ping_start > UINT32_MAX ? UINT32_MAX :
	    (uint32_t)(now - c->ping_start);
	return ipc_send_ping_result(c->ipc, &q, -1);
}

int
child_recv_admin(struct child *c, struct buf *m, int *fdp)
{
	struct ipc_admin a;
	char reason[SESSREC_REASON_MAX + 1];
	int r;

	(void)fdp;
	memset(&a, 0, sizeof(a));
	if ((r = ipc_dec_admin(m, &a)) != 0)
		goto out;
	switch (a.cmd) {
	case IPC_ADMIN_DISCONNECT:
		sessrec_reason(reason, a.reason, strlen(a.reason));
		child_log(c, LOG_LVL_INFO, "Disconnecting%s%s %s port %u: %s "
		    "(by the administrator)", *child_who(c) != '\0' ?
		    " user " : "", child_who(c), c->addr, c->port, reason);
		/* The loop sees the closed connection and lingers while the
		 * DISCONNECT goes out. */
		r = conn_disconnect(c->conn, SSH2_DISCONNECT_BY_APPLICATION,
		    reason);
		/* Ending it is the point: not an error of the child's. */
		r = r == SSH_ERR_DISCONNECTED ? 0 : r;
		break;
	case IPC_ADMIN_PING:
		r = child_ping(c, a.token);
		break;
	case IPC_ADMIN_REKEY:
		if ((r = conn_rekey(c->conn)) != 0)
			child_log(c, LOG_LVL_INFO, "rekey requested by the "
			    "administrator not started: %s", ssh_err(r));
		else
			child_log(c, LOG_LVL_INFO, "rekey requested by the "
			    "administrator");
		r = 0;
		break;
	default:
		r = SSH_ERR_INVALID_FORMAT;
	}
 out:
	ipc_free_admin(&a);
	return r;
}
