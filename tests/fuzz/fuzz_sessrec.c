/*
 * fuzz_sessrec.c: libFuzzer target for the status records a session
 * sends its listener and the commands the listener sends back
 * (common/sessrec.c).  Invariants: an accepted INFO record holds only
 * showable names and encodes back to the same bytes; an accepted
 * command's reason is printable and bounded.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "common/sessrec.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void
check_name(const char *s)
{
	if (*s != '\0' && !sessrec_name_ok(s, strlen(s)))
		abort();
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct sessrec_info v;
	uint8_t out[SESSREC_MAX];
	char reason[SESSREC_REASON_MAX + 1];
	size_t len, i;
	uint32_t token, ms;
	int cmd;

	if (sessrec_info_parse(data, size, &v) == 0) {
		check_name(v.user);
		check_name(v.method);
		check_name(v.kex);
		check_name(v.hostkey);
		check_name(v.cipher);
		check_name(v.mac);
		if (sessrec_info_encode(&v, out, sizeof(out), &len) != 0 ||
		    len != size || memcmp(out, data, size) != 0)
			abort();
	}
	if (sessrec_pong_parse(data, size, &token, &ms) == 0) {
		sessrec_pong_encode(token, ms, out);
		if (size != SESSREC_PONG_LEN || memcmp(out, data, size) != 0)
			abort();
	}
	if (sessrec_cmd_parse(data, size, &cmd, reason, &token) == 0) {
		if (cmd != SESSREC_DISCONNECT && cmd != SESSREC_REKEY &&
		    cmd != SESSREC_PING)
			abort();
		if (strlen(reason) > SESSREC_REASON_MAX)
			abort();
		for (i = 0; reason[i] != '\0'; i++)
			if (reason[i] < 0x20 || reason[i] >= 0x7f)
				abort();
	}
	return 0;
}
