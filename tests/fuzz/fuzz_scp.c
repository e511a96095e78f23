/*
 * fuzz_scp.c: libFuzzer target for legacy SCP's parsers (sftp/scp.h).
 * The first byte chooses: even, the rest is one control line for
 * scp_ctl_parse; odd, the rest is the client's command for
 * scp_cmd_parse.  Whatever is accepted must keep the promises: names one
 * plain component, exactly one of -t and -f, paths present.
 */
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "protocol/ssherr.h"
#include "sftp/scp.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void
check_ctl(const char *line, size_t len)
{
	struct scp_ctl c;
	size_t n;

	if (scp_ctl_parse(line, len, &c) != 0)
		return;
	if (c.c_type == SCP_CTL_FILE || c.c_type == SCP_CTL_DIR) {
		n = strlen(c.c_name);
		if (n == 0 || n > NAME_MAX || strchr(c.c_name, '/') != NULL ||
		    strcmp(c.c_name, ".") == 0 || strcmp(c.c_name, "..") == 0 ||
		    c.c_mode > 07777 || c.c_size > (uint64_t)INT64_MAX)
			abort();
	}
}

static void
check_cmd(const uint8_t *data, size_t size)
{
	struct scp_cmd c;
	char *cmd;
	size_t i;

	if ((cmd = malloc(size + 1)) == NULL)
		abort();
	memcpy(cmd, data, size);
	cmd[size] = '\0';
	if (scp_cmd_parse(cmd, &c) == 0) {
		if (c.c_sink == c.c_source || c.c_npaths == 0 ||
		    (c.c_sink && c.c_npaths != 1))
			abort();
		for (i = 0; i < c.c_npaths; i++)
			if (c.c_paths[i] == NULL || c.c_paths[i][0] == '\0')
				abort();
		scp_cmd_free(&c);
	}
	free(cmd);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size == 0)
		return 0;
	if ((data[0] & 1) == 0)
		check_ctl((const char *)data + 1, size - 1);
	else
		check_cmd(data + 1, size - 1);
	return 0;
}
