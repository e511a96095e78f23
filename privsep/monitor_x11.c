/*
 * monitor_x11.c: X11 forwarding in the monitor.  X11_REQ (a session's
 * x11-req) is decided here against the effective forwarding.x11
 * settings, the key's options and the certificate; a granted one gets a
 * display from a helper running as the user (monitor_fwd.h), whose
 * DISPLAY the session's SPAWN_EXEC then takes (mon_x11_take).
 */
#include <sys/types.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "auth/authkeys.h"
#include "common/config.h"
#include "common/log.h"
#include "common/testhook.h"
#include "privsep/fwdhelper.h"
#include "privsep/ipc_catalogue.h"
#include "privsep/ipc_codec.h"
#include "privsep/monitor_fwd.h"
#include "privsep/monitor_local.h"
#include "privsep/x11.h"
#include "protocol/ssherr.h"
#include "protocol/x11req.h"

/* Test builds: the file xauth writes, instead of the user's own. */
#define MON_XAUTHORITY_ENV	"NANOSSH_TEST_XAUTHORITY"

static struct monfwd_x11 *
x11_by_tag(struct mon *m, uint32_t tag)
{
	size_t i;

	for (i = 0; i < MON_MAX_HANDLES; i++)
		if (m->x11[i].used && m->x11[i].tag == tag)
			return &m->x11[i];
	return NULL;
}

/* Why the user may not forward X11 (NULL: they may). */
static const char *
x11_refusal(struct mon *m, uint32_t tag)
{
	struct monfwd_x11 *slot;
	size_t i;

	if (!m->eff->forwarding.x11)
		return "forwarding.x11 is off";
	if (m->eff->sftp.force)
		return "the account is SFTP-only (sftp.force)";
	if (m->authkey != NULL && !m->authkey->ae_opts.ao_permit_x11_forwarding)
		return "no-X11-forwarding or restrict in authorized_keys";
	if (m->cert_no_x11)
		return "a certificate without permit-X11-forwarding";
	for (i = 0; i < MON_MAX_HANDLES; i++)
		if (m->handles[i].id != 0 && m->handles[i].tag == tag)
			return "the session has started";
	/* The child asks once per channel: a grant for the same tag that
	 * no command took was an earlier channel's, closed since. */
	if ((slot = x11_by_tag(m, tag)) != NULL) {
		if (!slot->ready)
			return "already requested for the session";
		slot->used = 0;
	}
	return NULL;
}

int
mon_x11_req(struct mon *m, struct buf *req)
{
	struct ipc_x11_req q;
	struct x11_setup x;
	struct fwdhelper_req hr;
	struct monfwd_x11 *slot = NULL;
	const char *why;
	size_t i;
	int r;

	if ((r = ipc_dec_x11_req(req, &q)) != 0) {
		r = violation(m, "malformed X11_REQ", r);
		goto out;
	}
	/* The child refuses these itself: one that sends them is not ours. */
	if ((q.tag & IPC_FWD_X11_TAG) != 0 ||
	    x11req_check(q.proto, q.cookie, q.screen) != NULL) {
		r = violation(m, "malformed X11_REQ", SSH_ERR_INVALID_FORMAT);
		goto out;
	}
	if ((why = x11_refusal(m, q.tag)) != NULL) {
		log_info("%s: X11 forwarding refused: %s", m->pw.pw_name, why);
		r = monfwd_x11_result(m->ipc, q.tag, SSH_ERR_FEATURE_UNSUPPORTED,
		    0);
		goto out;
	}
	for (i = 0; i < MON_MAX_HANDLES && slot == NULL; i++)
		if (!m->x11[i].used)
			slot = &m->x11[i];
	if (slot == NULL || (m->fwd == NULL &&
	    (m->fwd = monfwd_new()) == NULL)) {
		r = slot == NULL ? monfwd_x11_result(m->ipc, q.tag,
		    SSH_ERR_LIMIT_EXCEEDED, 0) : SSH_ERR_ALLOC_FAIL;
		goto out;
	}
	memset(slot, 0, sizeof(*slot));
	slot->used = 1;
	slot->tag = q.tag;
	slot->screen = q.screen;
	slot->localhost = m->eff->forwarding.x11_use_localhost;
	memset(&x, 0, sizeof(x));
	x.offset = (uint32_t)m->eff->forwarding.x11_display_offset;
	x.localhost = slot->localhost;
	x.screen = q.screen;
	x.proto = q.proto;
	x.cookie = q.cookie;
	x.xauth_path = m->eff->forwarding.xauth_path;
	x.xauthority = testhook_getenv(MON_XAUTHORITY_ENV);
	memset(&hr, 0, sizeof(hr));
	hr.listen = 1;
	hr.x11 = &x;
	log_verbose("%s: X11 forwarding requested for channel %u%s",
	    m->pw.pw_name, q.tag, q.single ? " (single connection)" : "");
	r = monfwd_x11(m->fwd, &hr, &m->pw, slot, m->ipc);
 out:
	ipc_free_x11_req(&q);
	return r;
}

char *
mon_x11_take(struct mon *m, uint32_t tag, int want, char **xap, int *rp)
{
	struct monfwd_x11 *slot = x11_by_tag(m, tag);
	const char *xa = testhook_getenv(MON_XAUTHORITY_ENV);
	char name[300], *env = NULL;

	*xap = NULL;
	*rp = 0;
	if (want && (slot == NULL || !slot->ready)) {
		*rp = violation(m, "SPAWN_EXEC on an X11 display never granted",
		    SSH_ERR_STATE_VIOLATION);
		return NULL;
	}
	if (slot == NULL || !slot->ready)
		return NULL;
	slot->used = 0;
	if (!want)
		return NULL;	/* an earlier channel's, of the same tag */
	if (x11_display_name(slot->localhost, 0, slot->display, slot->screen,
	    name, sizeof(name)) != 0) {
		log_error("%s: X11 forwarding: no name for display %u",
		    m->pw.pw_name, slot->display);
		return NULL;
	}
	if (asprintf(&env, "DISPLAY=%s", name) == -1 ||
	    (xa != NULL && asprintf(xap, "XAUTHORITY=%s", xa) == -1)) {
		free(env);
		*xap = NULL;
		*rp = SSH_ERR_ALLOC_FAIL;
		return NULL;
	}
	return env;
}
