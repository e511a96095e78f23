/*
 * child_session.c: session channels in the protocol child: their
 * requests (pty, env, exec, shell, subsystem, signals), and moving bytes
 * between each channel and the fds of the user's process.
 */
#include <sys/types.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <bsd/stdlib.h>

#include "common/fdutil.h"
#include "common/log.h"
#include "common/match.h"
#include "common/monotime.h"
#include "privsep/child.h"
#include "privsep/child_fwd.h"
#include "privsep/child_local.h"
#include "privsep/ipc.h"
#include "privsep/ipc_catalogue.h"
#include "privsep/ipc_codec.h"
#include "privsep/log_channel.h"
#include "privsep/pty.h"
#include "protocol/buf.h"
#include "protocol/cert.h"
#include "protocol/channel.h"
#include "protocol/conn.h"
#include "protocol/key.h"
#include "protocol/ssh2.h"
#include "protocol/ssherr.h"
#include "protocol/ttymodes.h"

struct cchan *
child_chan_by_id(struct child *c, uint32_t id)
{
	size_t i;

	for (i = 0; i < CHILD_MAX_CHANS; i++)
		if (c->ch[i].used && c->ch[i].id == id)
			return &c->ch[i];
	return NULL;
}

struct cchan *
child_chan_by_handle(struct child *c, uint32_t handle)
{
	size_t i;

	for (i = 0; i < CHILD_MAX_CHANS; i++)
		if (c->ch[i].used && c->ch[i].handle == handle && handle != 0)
			return &c->ch[i];
	return NULL;
}

static void
cchan_close_fd(struct cchan *ch, int which)
{
	if (ch->fd[which] != -1) {
		close(ch->fd[which]);
		ch->fd[which] = -1;
	}
}

void
cchan_release(struct cchan *ch)
{
	size_t i;

	for (i = 0; i < CFD_N; i++)
		cchan_close_fd(ch, (int)i);
	for (i = 0; i < ch->nenv; i++) {
		free(ch->env_name[i]);
		freezero(ch->env_value[i], strlen(ch->env_value[i]) + 1);
	}
	memset(ch, 0, sizeof(*ch));
	for (i = 0; i < CFD_N; i++)
		ch->fd[i] = -1;
}

/* env: kept for the command if session.accept_env names it. */
static int
accept_env(struct child *c, struct cchan *ch, const struct chan_req *q)
{
	if (ch->handle != 0 || c->spawn_pending ||
	    ch->nenv >= IPC_SPAWN_ENV_MAX || *q->env_name == '\0' ||
	    strchr(q->env_name, '=') != NULL ||
	    strlen(q->env_name) > CHILD_ENV_NAME_MAX ||
	    strlen(q->env_value) > CHILD_ENV_VALUE_MAX ||
	    !match_list(q->env_name, c->accept_env, c->naccept_env)) {
		child_log(c, LOG_LVL_VERBOSE, "channel %u: environment "
		    "variable %.64s refused", ch->id, q->env_name);
		return 0;
	}
	if ((ch->env_name[ch->nenv] = strdup(q->env_name)) == NULL)
		return 0;
	if ((ch->env_value[ch->nenv] = strdup(q->env_value)) == NULL) {
		free(ch->env_name[ch->nenv]);
		return 0;
	}
	ch->nenv++;
	return 1;
}

static int
handle_request(struct child *c, struct chan_table *t,
    const struct chan_event *ev)
{
	struct cchan *ch = child_chan_by_id(c, ev->id);
	const struct chan_req *q = &ev->req;
	int ok = 0, r = SSH_ERR_INTERNAL_ERROR;

	if (ch == NULL)
		return chan_request_reply(t, ev->id, 0);
	switch (q->type) {
	case CHAN_REQ_EXEC:
	case CHAN_REQ_SHELL:
	case CHAN_REQ_SUBSYSTEM:
		/* One command per session channel (RFC 4254 6.5). */
		if (ch->handle != 0 || c->spawn_pending)
			break;
		if (q->type == CHAN_REQ_EXEC && *q->command == '\0')
			break;
		if (q->type == CHAN_REQ_SUBSYSTEM && *q->subsystem == '\0')
			break;
		return child_send_spawn(c, ch, q->type == CHAN_REQ_EXEC ?
		    IPC_SPAWN_EXEC : q->type == CHAN_REQ_SHELL ?
		    IPC_SPAWN_SHELL : IPC_SPAWN_SUBSYSTEM,
		    q->type == CHAN_REQ_EXEC ? q->command :
		    q->type == CHAN_REQ_SUBSYSTEM ? q->subsystem : "");
	case CHAN_REQ_PTY:
		if (ch->handle != 0 || ch->pty || c->spawn_pending)
			break;
		return child_send_pty_req(c, ch, q);
	case CHAN_REQ_ENV:
		ok = accept_env(c, ch, q);
		break;
	case CHAN_REQ_X11:
		return child_x11_request(c, ch, &q->x11);
	case CHAN_REQ_AGENT:
		/* Before the command, whose environment names the socket. */
		if (!ch->session || ch->handle != 0 || c->spawn_pending ||
		    c->fwd == NULL)
			break;
		return cfwd_agent_request(c->fwd, ch->id);
	case CHAN_REQ_WINDOW_CHANGE:
		if (!ch->pty)
			break;
		ch->size.cols = q->cols;
		ch->size.rows = q->rows;
		ch->size.width_px = q->width_px;
		ch->size.height_px = q->height_px;
		/* Before the shell starts, the master is still to come;
		 * recv_spawn_fd applies the latest size then. */
		ok = ch->fd[CFD_PTY] == -1 ||
		    pty_set_size(ch->fd[CFD_PTY], &ch->size) == 0;
		break;
	case CHAN_REQ_SIGNAL:
	case CHAN_REQ_BREAK:
		/* For a running command; a break only on its pty.  The
		 * monitor delivers them (and checks the signal's name). */
		if (ch->handle == 0 || ch->fds_missing != 0 || ch->exited ||
		    (q->type == CHAN_REQ_BREAK && !ch->pty))
			break;
		if ((r = child_send_session_ctl(c, q->type == CHAN_REQ_SIGNAL ?
		    IPC_MSG_SESSION_SIGNAL : IPC_MSG_SESSION_BREAK, ch,
		    q->signame, q->break_ms)) != 0)
			return r;
		ok = 1;
		break;
	default:
		break;
	}
	return chan_request_reply(t, ev->id, ok);
}

/* Session channels open now, against limits.max_sessions. */
static unsigned int
session_count(const struct child *c)
{
	unsigned int n = 0;
	size_t i;

	for (i = 0; i < CHILD_MAX_CHANS; i++)
		n += c->ch[i].used && c->ch[i].session;
	return n;
}

int
child_handle_chan_events(struct child *c)
{
	struct chan_table *t = conn_channels(c->conn);
	struct chan_event ev;
	struct cchan *ch;
	size_t i;
	int r = 0;

	/* A request waiting for the monitor holds the replies in order;
	 * nothing is decided before the user's session settings came. */
	while (r == 0 && c->sess_cfg && !c->spawn_pending &&
	    !c->prove_pending && (c->fwd == NULL || !cfwd_busy(c->fwd))) {
		if ((r = chan_next_event(t, &ev)) != 0 ||
		    ev.type == CHAN_EV_NONE)
			break;
		if (c->fwd != NULL && cfwd_owns_event(c->fwd, &ev)) {
			r = cfwd_event(c->fwd, &ev);
			continue;
		}
		ch = child_chan_by_id(c, ev.id);
		switch (ev.type) {
		case CHAN_EV_OPEN:
			for (i = 0; i < CHILD_MAX_CHANS && c->ch[i].used; i++)
				;
			if (i == CHILD_MAX_CHANS) {
				r = chan_open_fail(t, ev.id,
				    SSH2_OPEN_RESOURCE_SHORTAGE,
				    "too many channels");
				break;
			}
			if (strcmp(ev.name, "session") == 0 &&
			    session_count(c) >= c->max_sessions) {
				child_log(c, LOG_LVL_INFO, "%s: refused a "
				    "session: limits.max_sessions (%u) reached",
				    child_who(c), c->max_sessions);
				r = chan_open_fail(t, ev.id,
				    SSH2_OPEN_ADMINISTRATIVELY_PROHIBITED,
				    "too many sessions");
				break;
			}
			cchan_release(&c->ch[i]);
			c->ch[i].used = 1;
			c->ch[i].id = ev.id;
			c->ch[i].session = strcmp(ev.name, "session") == 0;
			r = chan_open_confirm(t, ev.id);
			break;
		case CHAN_EV_REQUEST:
			r = handle_request(c, t, &ev);
			break;
		case CHAN_EV_EOF:
			if (ch != NULL)
				ch->client_eof = 1;
			break;
		case CHAN_EV_DATA_READY:
			c->last_data = monotime_ms();
			break;
		case CHAN_EV_CLOSE:
			if (ch != NULL) {
				if (!ch->finished)
					(void)chan_close(t, ev.id);
				/* The client left a running command: the
				 * monitor hangs up its process group. */
				if (ch->handle != 0 && !ch->exited)
					r = child_send_session_ctl(c,
					    IPC_MSG_SESSION_CLOSE, ch, NULL, 0);
				if (ch->x11 && c->fwd != NULL)
					cfwd_x11_close(c->fwd, ch->id);
				cchan_release(ch);
			}
			break;
		case CHAN_EV_GLOBAL_REPLY:
			/* Any answer shows the client is alive. */
			c->ka_missed = 0;
			r = child_global_answered(c);
			break;
		case CHAN_EV_GLOBAL:
			r = strcmp(ev.name, "hostkeys-prove-00@openssh.com") == 0 ?
			    child_send_prove(c, t, &ev) : chan_global_reply(t, 0, NULL, 0);
			break;
		default:
			break;
		}
	}
	return r;
}

void
child_pump_stdin(struct child *c, struct chan_table *t, struct cchan *ch)
{
	const uint8_t *p;
	size_t len;
	ssize_t n;

	while (ch->fd[0] != -1 && chan_peek_input(t, ch->id, &p, &len) == 0 &&
	    len > 0) {
		n = write(ch->fd[0], p, len);
		if (n == -1 && (errno == EAGAIN || errno == EINTR))
			return;
		if (n <= 0) {
			/* The command stopped reading: drop what is left. */
			(void)chan_consume_input(t, ch->id, len);
			cchan_close_fd(ch, 0);
			return;
		}
		(void)chan_consume_input(t, ch->id, (size_t)n);
	}
	if (ch->fd[0] != -1 && ch->client_eof &&
	    (chan_peek_input(t, ch->id, &p, &len) != 0 || len == 0))
		cchan_close_fd(ch, 0);
}

/* Moves what a command wrote into its channel: several reads per poll
 * while there is more and room for it (a poll per chunk costs more than
 * the chunk), bounded so that one channel cannot starve the others. */
int
child_pump_output(struct child *c, struct chan_table *t, struct cchan *ch,
    int which)
{
	uint8_t data[CHILD_IO_CHUNK];
	size_t room, acc;
	ssize_t n;
	int i, r;

	for (i = 0; i < CHILD_PUMP_READS; i++) {
		room = chan_writable(t, ch->id);
		if (room > sizeof(data))
			room = sizeof(data);
		if (room > conn_output_space(c->conn))
			room = conn_output_space(c->conn);
		if (room == 0)
			return 0;
		n = read(ch->fd[which], data, room);
		if (n == -1 && (errno == EAGAIN || errno == EINTR))
			return 0;
		if (n <= 0) {
			/* EOF, or EIO from a pty master once the last
			 * process holding the slave is gone. */
			cchan_close_fd(ch, which);
			return 0;
		}
		c->last_data = monotime_ms();
		if ((r = chan_write(t, ch->id, which == 2, data, (size_t)n,
		    &acc)) != 0)
			return r;
		if ((size_t)n < room)
			return 0;
	}
	return 0;
}

/* All output delivered and the command gone: EOF, exit status, CLOSE,
 * in that order, so that nothing the command wrote is lost. */
int
child_finish_channel(struct child *c, struct chan_table *t, struct cchan *ch)
{
	int r;

	if (ch->finished || ch->handle == 0 || ch->fds_missing != 0 ||
	    ch->fd[1] != -1 || ch->fd[2] != -1 || !ch->exited)
		return 0;
	ch->finished = 1;
	cchan_close_fd(ch, CFD_STDIN);
	cchan_close_fd(ch, CFD_PTY);
	if ((r = chan_send_eof(t, ch->id)) != 0)
		return r;
	if (ch->exit_kind == IPC_EXIT_SIGNAL)
		r = chan_send_exit_signal(t, ch->id, ch->signame, ch->core, "");
	else
		r = chan_send_exit_status(t, ch->id, ch->exit_status);
	if (r != 0)
		return r;
	return chan_close(t, ch->id);
}

void
child_free_accept_env(struct child *c)
{
	size_t i;

	for (i = 0; i < c->naccept_env; i++)
		free(c->accept_env[i]);
	free(c->accept_env);
	c->accept_env = NULL;
	c->naccept_env = 0;
}
