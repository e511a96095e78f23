/*
 * fuzz_sftp.c: libFuzzer target for the SFTP packet core (sftp/server.h)
 * over a real temporary tree: "/" read-write, "/ro" read-only, and a
 * synthetic "/deep" above the mount "/deep/x".  Input: the bytes a client
 * sends after INIT (which is prepended).  Every reply must be a
 * well-formed packet within the size cap; SSH_ERR_INTERNAL_ERROR aborts.
 * The tree is made once per process and removed at exit.
 */
#include <sys/stat.h>
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "protocol/buf.h"
#include "protocol/ssherr.h"
#include "sftp/server.h"
#include "sftp/sftp_proto.h"
#include "sftp/vfs.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static char tree[64];
static struct vfs *vfs;

static int
rm_one(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	(void)st;
	(void)flag;
	(void)ftw;
	(void)remove(path);
	return 0;
}

static void
cleanup(void)
{
	vfs_free(vfs);
	if (tree[0] != '\0')
		(void)nftw(tree, rm_one, 16, FTW_DEPTH | FTW_PHYS);
}

static void
setup_once(void)
{
	char p[128];
	FILE *f;

	snprintf(tree, sizeof(tree), "/tmp/fuzz_sftp.XXXXXX");
	if (mkdtemp(tree) == NULL)
		abort();
	snprintf(p, sizeof(p), "%s/rw", tree);
	if (mkdir(p, 0700) != 0)
		abort();
	snprintf(p, sizeof(p), "%s/ro", tree);
	if (mkdir(p, 0700) != 0)
		abort();
	snprintf(p, sizeof(p), "%s/ro/file", tree);
	if ((f = fopen(p, "w")) == NULL)
		abort();
	fputs("read-only content\n", f);
	fclose(f);
	snprintf(p, sizeof(p), "%s/rw/file", tree);
	if ((f = fopen(p, "w")) == NULL)
		abort();
	fputs("hello\n", f);
	fclose(f);
	atexit(cleanup);
	if (vfs_new(&vfs) != 0)
		abort();
	snprintf(p, sizeof(p), "%s/rw", tree);
	if (vfs_mount(vfs, "/", p, VFS_RW) != 0)
		abort();
	snprintf(p, sizeof(p), "%s/ro", tree);
	if (vfs_mount(vfs, "/ro", p, VFS_RO) != 0 ||
	    vfs_mount(vfs, "/deep/x", p, VFS_INHERIT) != 0)
		abort();
	if (vfs_ready(vfs, "/", 0, 1) != 0)
		abort();
}

/* Every reply is a whole packet of a known type within the cap. */
static void
check_replies(struct buf *out)
{
	const uint8_t *p = buf_ptr(out);
	size_t left = buf_len(out);
	uint32_t len;

	while (left > 0) {
		if (left < 5)
			abort();
		len = (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 |
		    (uint32_t)p[2] << 8 | p[3];
		if (len < 1 || len > SFTP_MAX_PACKET || len > left - 4)
			abort();
		switch (p[4]) {
		case SSH2_FXP_VERSION: case SSH2_FXP_STATUS:
		case SSH2_FXP_HANDLE: case SSH2_FXP_DATA: case SSH2_FXP_NAME:
		case SSH2_FXP_ATTRS: case SSH2_FXP_EXTENDED_REPLY:
			break;
		default:
			abort();
		}
		p += 4 + len;
		left -= 4 + len;
	}
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const uint8_t init[] = { 0, 0, 0, 5, SSH2_FXP_INIT, 0, 0, 0, 3 };
	struct sftp *s = NULL;
	struct buf *in, *out;
	int r;

	if (vfs == NULL)
		setup_once();
	if ((in = buf_new()) == NULL || (out = buf_new()) == NULL ||
	    sftp_new(vfs, NULL, NULL, &s) != 0)
		abort();
	if (buf_put(in, init, sizeof(init)) != 0 ||
	    buf_put(in, data, size) != 0)
		abort();
	while ((r = sftp_process(s, in, out)) == 1) {
		check_replies(out);
		buf_reset(out);
	}
	if (r == SSH_ERR_INTERNAL_ERROR)
		abort();
	check_replies(out);
	sftp_free(s);
	buf_free(in);
	buf_free(out);
	return 0;
}
