/*
 * conn_info.c: what an administrator may see of a connection and ask of
 * it (nanosshctl, through the monitor): the negotiated algorithms and a
 * key re-exchange on demand (conn.h).
 */
#include <stddef.h>
#include <string.h>

#include "protocol/conn.h"
#include "protocol/conn_local.h"
#include "protocol/kex.h"
#include "protocol/kexinit.h"
#include "protocol/ssherr.h"

void
conn_crypto(const struct ssh_conn *c, struct conn_crypto *out)
{
	memset(out, 0, sizeof(*out));
	/* Until the first exchange has finished the names are offers. */
	if (c->kex_done == 0)
		return;
	out->kex = c->neg.kex;
	out->hostkey = c->neg.hostkey_alg;
	out->cipher = c->neg.enc[KEX_DIR_SC];
	out->mac = c->neg.mac[KEX_DIR_SC];
}

int
conn_rekey(struct ssh_conn *c)
{
	if (c->closed || c->phase < PH_SERVICE || c->kex_done == 0)
		return SSH_ERR_INVALID_ARGUMENT;
	/* One already running is as good as a new one. */
	if (c->kx != KX_NONE)
		return 0;
	return kex_start(c);
}
