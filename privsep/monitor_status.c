/*
 * monitor_status.c: the monitor's side of nanosshctl.  It tells the
 * listener, on the status socketpair (common/sessrec.h), who the user is
 * and how they authenticated (the monitor's own knowledge) and what the
 * child says of the algorithms and counters (CONN_INFO: display only,
 * checked for length and charset, never acted upon), and carries the
 * listener's commands to the child (ADMIN).  A child that ignores a
 * DISCONNECT is ended anyway after MON_ADMIN_GRACE_MS.
 */
#include <sys/types.h>
#include <sys/socket.h>
#include <errno.h>
#include <string.h>

#include <bsd/string.h>

#include "common/log.h"
#include "common/monotime.h"
#include "common/sessrec.h"
#include "privsep/ipc_codec.h"
#include "privsep/monitor.h"
#include "privsep/monitor_local.h"
#include "protocol/buf.h"
#include "protocol/ssherr.h"

/* At most one INFO record a second reaches the listener. */
#define MON_INFO_INTERVAL_MS	1000
#define MON_ADMIN_GRACE_MS	5000
#define MON_COMMANDS_PER_READ	4

/* Sends the INFO record now; a full socket costs only this record. */
static void
mon_status_send(struct mon *m, uint64_t now)
{
	uint8_t rec[SESSREC_MAX];
	size_t len;

	/* Tried once, whatever becomes of it: never a deadline passed. */
	m->info_due = 0;
	if (m->p->status_fd == -1 || m->status_closed)
		return;
	if (sessrec_info_encode(&m->info, rec, sizeof(rec), &len) != 0 ||
	    send(m->p->status_fd, rec, len, MSG_DONTWAIT | MSG_NOSIGNAL) !=
	    (ssize_t)len) {
		log_debug("status record: %s", strerror(errno));
		return;
	}
	m->info_sent = now;
}

void
mon_status_authenticated(struct mon *m, const char *last_method)
{
	struct sessrec_info *v = &m->info;
	size_t i;

	sessrec_name_copy(v->user, m->pw.pw_name);
	/* The methods of the sequence, as "publickey,password". */
	v->method[0] = '\0';
	for (i = 0; i < m->npassed; i++) {
		strlcat(v->method, m->passed[i], sizeof(v->method));
		strlcat(v->method, ",", sizeof(v->method));
	}
	strlcat(v->method, last_method, sizeof(v->method));
	if (!sessrec_name_ok(v->method, strlen(v->method)))
		v->method[0] = '\0';
	mon_status_send(m, monotime_ms());
}

/* "" or a name the listener will take; anything else is dropped. */
static int
mon_copy_name(char *dst, const char *src)
{
	size_t len = strlen(src);

	if (len != 0 && !sessrec_name_ok(src, len))
		return -1;
	memcpy(dst, src, len + 1);
	return 0;
}

int
mon_conn_info(struct mon *m, struct buf *req)
{
	struct ipc_conn_info q;
	struct sessrec_info v;
	uint64_t now = monotime_ms();
	int r;

	memset(&q, 0, sizeof(q));
	if ((r = ipc_dec_conn_info(req, &q)) != 0) {
		ipc_free_conn_info(&q);
		return violation(m, "CONN_INFO", r);
	}
	v = m->info;
	if (mon_copy_name(v.kex, q.kex) != 0 ||
	    mon_copy_name(v.hostkey, q.hostkey) != 0 ||
	    mon_copy_name(v.cipher, q.cipher) != 0 ||
	    mon_copy_name(v.mac, q.mac) != 0) {
		log_debug("CONN_INFO with a name that is not shown: ignored");
		ipc_free_conn_info(&q);
		return 0;
	}
	v.bytes_in = q.bytes_in;
	v.bytes_out = q.bytes_out;
	v.channels = q.channels;
	v.idle_s = q.idle_s;
	m->info = v;
	ipc_free_conn_info(&q);
	/* Too soon after the last: it goes when the interval is over (the
	 * latest then), so that the last change is never lost. */
	if (m->info_sent == 0 || now >= m->info_sent + MON_INFO_INTERVAL_MS)
		mon_status_send(m, now);
	else
		m->info_due = m->info_sent + MON_INFO_INTERVAL_MS;
	return 0;
}

uint64_t
mon_status_tick(struct mon *m, uint64_t now)
{
	if (m->info_due != 0 && now >= m->info_due)
		mon_status_send(m, now);
	return m->info_due;
}

int
mon_ping_result(struct mon *m, struct buf *req)
{
	struct ipc_ping_result q;
	uint8_t rec[SESSREC_PONG_LEN];
	int r;

	memset(&q, 0, sizeof(q));
	if ((r = ipc_dec_ping_result(req, &q)) != 0)
		return violation(m, "PING_RESULT", r);
	/* Only the answer to the ping asked for goes on; the time in it
	 * is the child's to say (display only). */
	if (!m->ping_pending || q.token != m->ping_token) {
		log_debug("PING_RESULT for no ping: ignored");
		return 0;
	}
	m->ping_pending = 0;
	sessrec_pong_encode(q.token, q.ms, rec);
	if (m->p->status_fd != -1 && !m->status_closed &&
	    send(m->p->status_fd, rec, sizeof(rec),
	    MSG_DONTWAIT | MSG_NOSIGNAL) != (ssize_t)sizeof(rec))
		log_debug("status record: %s", strerror(errno));
	return 0;
}

/* One command from the listener, for the child. */
static int
mon_status_command(struct mon *m, const uint8_t *p, size_t len)
{
	struct ipc_admin a;
	char reason[SESSREC_REASON_MAX + 1];
	uint32_t token;
	int cmd;

	if (sessrec_cmd_parse(p, len, &cmd, reason, &token) != 0) {
		log_error("malformed command from nanosshd ignored");
		return 0;
	}
	memset(&a, 0, sizeof(a));
	if (cmd == SESSREC_DISCONNECT) {
		log_info("Disconnecting %s port %u by the administrator: %s",
		    m->p->client_addr, m->p->client_port, reason);
		a.cmd = IPC_ADMIN_DISCONNECT;
		a.reason = reason;
		if (m->admin_deadline == 0)
			m->admin_deadline = monotime_ms() +
			    MON_ADMIN_GRACE_MS;
	} else if (cmd == SESSREC_PING) {
		/* Only after authentication: the child's phase for the
		 * result (ipc_msgs.h). */
		if (!m->authed)
			return 0;
		log_debug("ping of %s port %u by the administrator",
		    m->p->client_addr, m->p->client_port);
		a.cmd = IPC_ADMIN_PING;
		a.reason = "";
		a.token = token;
		m->ping_token = token;
		m->ping_pending = 1;
	} else {
		log_info("Rekey of %s port %u requested by the administrator",
		    m->p->client_addr, m->p->client_port);
		a.cmd = IPC_ADMIN_REKEY;
		a.reason = "";
	}
	return ipc_send_admin(m->ipc, &a, -1);
}

int
mon_status_read(struct mon *m)
{
	uint8_t b[SESSREC_MAX + 1];
	ssize_t n;
	int i, r;

	for (i = 0; i < MON_COMMANDS_PER_READ; i++) {
		n = recv(m->p->status_fd, b, sizeof(b), MSG_DONTWAIT);
		if (n == -1 && (errno == EINTR || errno == EAGAIN))
			return 0;
		if (n <= 0) {
			/* The listener is gone (or re-executed): the session
			 * goes on, unlisted. */
			m->status_closed = 1;
			return 0;
		}
		if ((r = mon_status_command(m, b, (size_t)n)) != 0)
			return r;
	}
	return 0;
}
