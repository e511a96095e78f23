/*
 * fuzz_proxy.c: libFuzzer target for the PROXY protocol header parser
 * (protocol/proxy.c).  It reads the input as the session does, asking
 * proxy_need how much to read next.  Invariants: a reader never holds more
 * than PROXY_MAX bytes nor reads past the header; a header proxy_parse
 * accepts is exactly one proxy_need completes; accepted addresses print.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "protocol/proxy.h"
#include "protocol/ssherr.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct proxy_hdr h;
	char a[64];
	size_t have = 0, need = 0;
	int r, whole;

	for (;;) {
		if ((r = proxy_need(data, have, &need)) != 0)
			break;
		if (need == 0)
			break;
		if (need > size - have || have + need > PROXY_MAX) {
			if (have + need > PROXY_MAX)
				abort();
			r = SSH_ERR_MESSAGE_INCOMPLETE;
			break;
		}
		have += need;
	}
	whole = proxy_parse(data, size, &h);
	if (whole == 0) {
		/* Anything parse takes, the reader completes at its length. */
		if (r != 0 || have != size)
			abort();
		if (h.ph_version != 1 && h.ph_version != 2)
			abort();
		if (h.ph_local) {
			if (proxy_addr_str(&h, 1, a, sizeof(a)) == 0)
				abort();
		} else if (proxy_addr_str(&h, 1, a, sizeof(a)) != 0 ||
		    proxy_addr_str(&h, 0, a, sizeof(a)) != 0)
			abort();
	}
	if (have > PROXY_MAX)
		abort();
	/* What the reader completes, parse sees (it may still refuse it). */
	if (r == 0 && need == 0 && have > 0)
		(void)proxy_parse(data, have, &h);
	return 0;
}
