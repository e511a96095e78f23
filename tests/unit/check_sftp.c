/*
 * check_sftp.c: the SFTP packet core (sftp/server.h) driven with packets
 * over a temporary tree ("/" read-write, "/ro" read-only, "/deep/x"
 * below a synthetic "/deep"), and the fuzz target's corpus replayed.
 */
#include <sys/stat.h>
#include <check.h>
#include <errno.h>
#include <fcntl.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "protocol/buf.h"
#include "protocol/ssherr.h"
#include "sftp/server.h"
#include "sftp/attr.h"
#include "sftp/server_local.h"
#include "sftp/sftp_proto.h"
#include "sftp/vfs.h"
#include "tests/unit/testutil.h"

/* tests/fuzz/fuzz_sftp.c, linked in: its corpus is replayed below. */
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static char base[128];
static struct vfs *v;
static struct sftp *s;

struct reply {
	uint8_t type;
	uint32_t id;
	uint32_t code;		/* STATUS */
	struct buf *body;	/* after type and id */
};

static void
setup(void)
{
	char p[256];
	FILE *f;

	snprintf(base, sizeof(base), "/tmp/check_sftp.XXXXXX");
	ck_assert_ptr_nonnull(mkdtemp(base));
	snprintf(p, sizeof(p), "%s/rw", base);
	ck_assert_int_eq(mkdir(p, 0755), 0);
	snprintf(p, sizeof(p), "%s/ro", base);
	ck_assert_int_eq(mkdir(p, 0755), 0);
	snprintf(p, sizeof(p), "%s/ro/file", base);
	ck_assert_ptr_nonnull(f = fopen(p, "w"));
	fputs("read-only\n", f);
	fclose(f);
	ck_assert_int_eq(vfs_new(&v), 0);
	snprintf(p, sizeof(p), "%s/rw", base);
	ck_assert_int_eq(vfs_mount(v, "/", p, VFS_RW), 0);
	snprintf(p, sizeof(p), "%s/ro", base);
	ck_assert_int_eq(vfs_mount(v, "/ro", p, VFS_RO), 0);
	ck_assert_int_eq(vfs_mount(v, "/deep/x", p, VFS_RO), 0);
	ck_assert_int_eq(vfs_ready(v, "/", 0, 1), 0);
	ck_assert_int_eq(sftp_new(v, NULL, NULL, &s), 0);
}

static void
teardown(void)
{
	char cmd[256];

	sftp_free(s);
	vfs_free(v);
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", base);
	ck_assert_int_eq(system(cmd), 0);
}

static void
reply_free(struct reply *r)
{
	buf_free(r->body);
	memset(r, 0, sizeof(*r));
}

/* Feeds raw bytes; returns sftp_process's last result and the one reply
 * (if any) in *rep. */
static int
feed(const void *bytes, size_t len, struct reply *rep)
{
	struct buf *in = buf_new(), *out = buf_new();
	uint32_t plen;
	int r;

	memset(rep, 0, sizeof(*rep));
	ck_assert_int_eq(buf_put(in, bytes, len), 0);
	r = sftp_process(s, in, out);
	if (buf_len(out) > 0) {
		ck_assert_int_eq(buf_get_u32(out, &plen), 0);
		ck_assert_uint_eq(plen, buf_len(out));
		ck_assert_int_eq(buf_get_u8(out, &rep->type), 0);
		if (rep->type != SSH2_FXP_VERSION)
			ck_assert_int_eq(buf_get_u32(out, &rep->id), 0);
		if (rep->type == SSH2_FXP_STATUS)
			ck_assert_int_eq(buf_peek_u32(out, 0, &rep->code), 0);
		rep->body = buf_new();
		ck_assert_int_eq(buf_putb(rep->body, out), 0);
	}
	buf_free(in);
	buf_free(out);
	return r;
}

/* Sends a request of type with id 7 and body; one reply expected. */
static void
request(uint8_t type, struct buf *body, struct reply *rep)
{
	struct buf *p = buf_new();

	ck_assert_int_eq(buf_put_u32(p, 1 + 4 + (uint32_t)buf_len(body)), 0);
	ck_assert_int_eq(buf_put_u8(p, type), 0);
	ck_assert_int_eq(buf_put_u32(p, 7), 0);
	ck_assert_int_eq(buf_putb(p, body), 0);
	ck_assert_int_eq(feed(buf_ptr(p), buf_len(p), rep), 1);
	ck_assert_int_ne(rep->type, 0);
	ck_assert_uint_eq(rep->id, 7);
	buf_free(p);
	buf_free(body);
}

static void
init(void)
{
	static const uint8_t pkt[] = { 0, 0, 0, 5, SSH2_FXP_INIT, 0, 0, 0, 3 };
	struct reply rep;

	ck_assert_int_eq(feed(pkt, sizeof(pkt), &rep), 1);
	ck_assert_int_eq(rep.type, SSH2_FXP_VERSION);
	reply_free(&rep);
}

static struct buf *
body_str(const char *a)
{
	struct buf *b = buf_new();

	ck_assert_int_eq(buf_put_cstring(b, a), 0);
	return b;
}

static struct buf *
body_str2(const char *a, const char *b2)
{
	struct buf *b = body_str(a);

	ck_assert_int_eq(buf_put_cstring(b, b2), 0);
	return b;
}

static struct buf *
body_ext(const char *name)
{
	return body_str(name);
}

static void
expect_status(uint8_t type, struct buf *body, uint32_t code)
{
	struct reply rep;

	request(type, body, &rep);
	ck_assert_int_eq(rep.type, SSH2_FXP_STATUS);
	ck_assert_msg(rep.code == code, "status %u, wanted %u", rep.code, code);
	reply_free(&rep);
}

/* OPEN with pflags; returns the handle string (4 bytes) as a uint32. */
static uint32_t
open_ok(const char *path, uint32_t pflags)
{
	struct buf *b = body_str(path);
	struct reply rep;
	uint32_t len, h;

	ck_assert_int_eq(buf_put_u32(b, pflags), 0);
	ck_assert_int_eq(buf_put_u32(b, 0), 0);
	request(SSH2_FXP_OPEN, b, &rep);
	ck_assert_msg(rep.type == SSH2_FXP_HANDLE, "open %s: type %u code %u",
	    path, rep.type, rep.code);
	ck_assert_int_eq(buf_get_u32(rep.body, &len), 0);
	ck_assert_uint_eq(len, 4);
	ck_assert_int_eq(buf_get_u32(rep.body, &h), 0);
	reply_free(&rep);
	return h;
}

static struct buf *
body_handle(uint32_t h)
{
	struct buf *b = buf_new();

	ck_assert_int_eq(buf_put_u32(b, 4), 0);
	ck_assert_int_eq(buf_put_u32(b, h), 0);
	return b;
}

static void
write_at(uint32_t h, uint64_t off, const char *data)
{
	struct buf *b = body_handle(h);

	ck_assert_int_eq(buf_put_u64(b, off), 0);
	ck_assert_int_eq(buf_put_cstring(b, data), 0);
	expect_status(SSH2_FXP_WRITE, b, SSH2_FX_OK);
}

static void
read_at(uint32_t h, uint64_t off, uint32_t len, struct reply *rep)
{
	struct buf *b = body_handle(h);

	ck_assert_int_eq(buf_put_u64(b, off), 0);
	ck_assert_int_eq(buf_put_u32(b, len), 0);
	request(SSH2_FXP_READ, b, rep);
}

START_TEST(test_version_lists_extensions)
{
	static const char *names[] = {
		"posix-rename@openssh.com", "statvfs@openssh.com",
		"fstatvfs@openssh.com", "hardlink@openssh.com",
		"fsync@openssh.com", "lsetstat@openssh.com",
		"limits@openssh.com", "expand-path@openssh.com", "copy-data",
		"home-directory", "users-groups-by-id@openssh.com",
	};
	static const uint8_t pkt[] = { 0, 0, 0, 5, SSH2_FXP_INIT, 0, 0, 0, 3 };
	struct reply rep;
	uint32_t version;
	char *name, *ver;
	size_t i, found = 0;

	ck_assert_int_eq(feed(pkt, sizeof(pkt), &rep), 1);
	ck_assert_int_eq(rep.type, SSH2_FXP_VERSION);
	ck_assert_int_eq(buf_get_u32(rep.body, &version), 0);
	ck_assert_uint_eq(version, 3);
	while (buf_len(rep.body) > 0) {
		ck_assert_int_eq(buf_get_cstring(rep.body, &name, NULL), 0);
		ck_assert_int_eq(buf_get_cstring(rep.body, &ver, NULL), 0);
		for (i = 0; i < sizeof(names) / sizeof(names[0]); i++)
			found += strcmp(name, names[i]) == 0;
		free(name);
		free(ver);
	}
	ck_assert_uint_eq(found, sizeof(names) / sizeof(names[0]));
	reply_free(&rep);
}
END_TEST

START_TEST(test_request_before_init_ends)
{
	static const uint8_t pkt[] = { 0, 0, 0, 9, SSH2_FXP_CLOSE, 0, 0, 0, 1,
	    0, 0, 0, 0 };
	struct reply rep;

	ck_assert_int_eq(feed(pkt, sizeof(pkt), &rep), SSH_ERR_PROTOCOL_ERROR);
	ck_assert_int_eq(rep.type, 0);
}
END_TEST

START_TEST(test_second_init_ends)
{
	static const uint8_t pkt[] = { 0, 0, 0, 5, SSH2_FXP_INIT, 0, 0, 0, 3 };
	struct reply rep;

	init();
	ck_assert_int_eq(feed(pkt, sizeof(pkt), &rep), SSH_ERR_PROTOCOL_ERROR);
}
END_TEST

START_TEST(test_oversized_packet_ends)
{
	uint8_t pkt[8] = { 0, 0x04, 0x00, 0x01, SSH2_FXP_READ };
	struct reply rep;

	init();
	ck_assert_int_eq(feed(pkt, sizeof(pkt), &rep), SSH_ERR_INVALID_FORMAT);
	pkt[1] = 0;
	pkt[2] = 0;
	pkt[3] = 0;	/* shorter than a type and an id */
	ck_assert_int_eq(feed(pkt, sizeof(pkt), &rep), SSH_ERR_INVALID_FORMAT);
}
END_TEST

START_TEST(test_incomplete_packet_waits)
{
	static const uint8_t pkt[] = { 0, 0, 0, 20, SSH2_FXP_STAT, 0, 0 };
	struct reply rep;

	init();
	ck_assert_int_eq(feed(pkt, sizeof(pkt), &rep), 0);
	ck_assert_int_eq(rep.type, 0);
}
END_TEST

START_TEST(test_write_read_roundtrip)
{
	struct reply rep;
	uint32_t h, n;
	char *data;
	size_t len;

	init();
	h = open_ok("f", SSH2_FXF_WRITE | SSH2_FXF_CREAT | SSH2_FXF_TRUNC |
	    SSH2_FXF_READ);
	write_at(h, 0, "hello ");
	write_at(h, 6, "world");
	read_at(h, 0, 100, &rep);
	ck_assert_int_eq(rep.type, SSH2_FXP_DATA);
	ck_assert_int_eq(buf_get_string(rep.body, (uint8_t **)&data, &len), 0);
	ck_assert_str_eq(data, "hello world");
	free(data);
	reply_free(&rep);
	read_at(h, 11, 100, &rep);
	ck_assert_int_eq(rep.code, SSH2_FX_EOF);
	reply_free(&rep);
	/* A read longer than the cap gets at most the cap. */
	read_at(h, 0, 0xffffffff, &rep);
	ck_assert_int_eq(rep.type, SSH2_FXP_DATA);
	ck_assert_int_eq(buf_get_u32(rep.body, &n), 0);
	ck_assert_uint_le(n, SFTP_MAX_READ);
	reply_free(&rep);
	expect_status(SSH2_FXP_CLOSE, body_handle(h), SSH2_FX_OK);
	expect_status(SSH2_FXP_CLOSE, body_handle(h), SSH2_FX_FAILURE);
	ck_assert_uint_eq(sftp_open_handles(s), 0);
}
END_TEST

START_TEST(test_trailing_data_is_bad_message)
{
	struct buf *b = body_str("newdir");
	struct stat st;
	char p[256];

	init();
	ck_assert_int_eq(buf_put_u32(b, 0), 0);
	ck_assert_int_eq(buf_put_u8(b, 0), 0);	/* one byte too many */
	expect_status(SSH2_FXP_MKDIR, b, SSH2_FX_BAD_MESSAGE);
	snprintf(p, sizeof(p), "%s/rw/newdir", base);
	ck_assert_int_ne(stat(p, &st), 0);
}
END_TEST

START_TEST(test_short_request_is_bad_message)
{
	struct buf *b = buf_new();

	init();
	ck_assert_int_eq(buf_put_u32(b, 100), 0);	/* string cut short */
	expect_status(SSH2_FXP_STAT, b, SSH2_FX_BAD_MESSAGE);
	b = body_str("x");
	ck_assert_int_eq(buf_put_u32(b, 0x40), 0);	/* unknown pflag */
	ck_assert_int_eq(buf_put_u32(b, 0), 0);
	expect_status(SSH2_FXP_OPEN, b, SSH2_FX_BAD_MESSAGE);
	b = body_str("x");
	ck_assert_int_eq(buf_put_u32(b, 0x10), 0);	/* unknown attr flag */
	expect_status(SSH2_FXP_SETSTAT, b, SSH2_FX_BAD_MESSAGE);
}
END_TEST

START_TEST(test_unknown_requests)
{
	init();
	expect_status(99, buf_new(), SSH2_FX_OP_UNSUPPORTED);
	expect_status(SSH2_FXP_EXTENDED, body_ext("nope@example.com"),
	    SSH2_FX_OP_UNSUPPORTED);
}
END_TEST

START_TEST(test_readonly_mount_denies)
{
	struct buf *b = body_str("/ro/new");

	init();
	ck_assert_int_eq(buf_put_u32(b, SSH2_FXF_WRITE | SSH2_FXF_CREAT), 0);
	ck_assert_int_eq(buf_put_u32(b, 0), 0);
	expect_status(SSH2_FXP_OPEN, b, SSH2_FX_PERMISSION_DENIED);
	expect_status(SSH2_FXP_REMOVE, body_str("/ro/file"),
	    SSH2_FX_PERMISSION_DENIED);
	expect_status(SSH2_FXP_RENAME, body_str2("/ro/file", "/moved"),
	    SSH2_FX_PERMISSION_DENIED);
	expect_status(SSH2_FXP_SYMLINK, body_str2("x", "/ro/l"),
	    SSH2_FX_PERMISSION_DENIED);
	expect_status(SSH2_FXP_RMDIR, body_str("/deep"),
	    SSH2_FX_PERMISSION_DENIED);
	expect_status(SSH2_FXP_REMOVE, body_str("/nonexistent"),
	    SSH2_FX_NO_SUCH_FILE);
}
END_TEST

START_TEST(test_handles_bounded)
{
	struct buf *b;
	unsigned int i;

	init();
	for (i = 0; i < SFTP_MAX_HANDLES; i++)
		(void)open_ok("/ro/file", SSH2_FXF_READ);
	ck_assert_uint_eq(sftp_open_handles(s), SFTP_MAX_HANDLES);
	b = body_str("/ro/file");
	ck_assert_int_eq(buf_put_u32(b, SSH2_FXF_READ), 0);
	ck_assert_int_eq(buf_put_u32(b, 0), 0);
	expect_status(SSH2_FXP_OPEN, b, SSH2_FX_FAILURE);
	ck_assert_uint_eq(sftp_open_handles(s), SFTP_MAX_HANDLES);
}
END_TEST

/* The NAME reply's only file name. */
static char *
name_of(struct reply *rep)
{
	uint32_t count;
	char *name;

	ck_assert_int_eq(rep->type, SSH2_FXP_NAME);
	ck_assert_int_eq(buf_get_u32(rep->body, &count), 0);
	ck_assert_uint_eq(count, 1);
	ck_assert_int_eq(buf_get_cstring(rep->body, &name, NULL), 0);
	return name;
}

START_TEST(test_realpath_and_expand)
{
	struct reply rep;
	char *name;

	init();
	request(SSH2_FXP_REALPATH, body_str("../../deep/./x/.."), &rep);
	name = name_of(&rep);
	ck_assert_str_eq(name, "/deep");
	free(name);
	reply_free(&rep);
	request(SSH2_FXP_REALPATH, body_str(""), &rep);
	name = name_of(&rep);
	ck_assert_str_eq(name, "/");
	free(name);
	reply_free(&rep);
	{
		struct buf *b = body_ext("expand-path@openssh.com");

		ck_assert_int_eq(buf_put_cstring(b, "~/a/../b"), 0);
		request(SSH2_FXP_EXTENDED, b, &rep);
	}
	name = name_of(&rep);
	ck_assert_str_eq(name, "/b");
	free(name);
	reply_free(&rep);
}
END_TEST

START_TEST(test_readdir_shows_mounts)
{
	struct reply rep;
	uint32_t h, len, count, i;
	char *name, *longname;
	int saw_ro = 0, saw_deep = 0;
	struct buf *b;

	init();
	request(SSH2_FXP_OPENDIR, body_str("/"), &rep);
	ck_assert_int_eq(rep.type, SSH2_FXP_HANDLE);
	ck_assert_int_eq(buf_get_u32(rep.body, &len), 0);
	ck_assert_int_eq(buf_get_u32(rep.body, &h), 0);
	reply_free(&rep);
	request(SSH2_FXP_READDIR, body_handle(h), &rep);
	ck_assert_int_eq(rep.type, SSH2_FXP_NAME);
	ck_assert_int_eq(buf_get_u32(rep.body, &count), 0);
	for (i = 0; i < count; i++) {
		struct vfs_attr a;

		ck_assert_int_eq(buf_get_cstring(rep.body, &name, NULL), 0);
		ck_assert_int_eq(buf_get_cstring(rep.body, &longname, NULL), 0);
		ck_assert_int_eq(sftp_attr_get(rep.body, &a), 0);
		if (strcmp(name, "ro") == 0 || strcmp(name, "deep") == 0) {
			ck_assert(longname[0] == 'd');
			ck_assert_str_eq(longname + strlen(longname) -
			    strlen(name), name);
		}
		saw_ro += strcmp(name, "ro") == 0;
		saw_deep += strcmp(name, "deep") == 0;
		free(name);
		free(longname);
	}
	ck_assert_int_eq(buf_expect_end(rep.body), 0);
	reply_free(&rep);
	ck_assert_int_eq(saw_ro, 1);
	ck_assert_int_eq(saw_deep, 1);
	b = body_handle(h);
	expect_status(SSH2_FXP_READDIR, b, SSH2_FX_EOF);
	expect_status(SSH2_FXP_CLOSE, body_handle(h), SSH2_FX_OK);
}
END_TEST

START_TEST(test_symlink_argument_order)
{
	struct reply rep;
	char *name;

	init();
	/* OpenSSH's order: the link's contents first, then its path. */
	expect_status(SSH2_FXP_SYMLINK, body_str2("target-text", "lnk"),
	    SSH2_FX_OK);
	request(SSH2_FXP_READLINK, body_str("lnk"), &rep);
	name = name_of(&rep);
	ck_assert_str_eq(name, "target-text");
	free(name);
	reply_free(&rep);
}
END_TEST

START_TEST(test_rename_variants)
{
	struct buf *b;
	uint32_t h;

	init();
	h = open_ok("a", SSH2_FXF_WRITE | SSH2_FXF_CREAT);
	expect_status(SSH2_FXP_CLOSE, body_handle(h), SSH2_FX_OK);
	h = open_ok("b", SSH2_FXF_WRITE | SSH2_FXF_CREAT);
	expect_status(SSH2_FXP_CLOSE, body_handle(h), SSH2_FX_OK);
	/* v3 RENAME never overwrites; posix-rename does. */
	expect_status(SSH2_FXP_RENAME, body_str2("a", "b"), SSH2_FX_FAILURE);
	b = body_ext("posix-rename@openssh.com");
	ck_assert_int_eq(buf_put_cstring(b, "a"), 0);
	ck_assert_int_eq(buf_put_cstring(b, "b"), 0);
	expect_status(SSH2_FXP_EXTENDED, b, SSH2_FX_OK);
	b = body_ext("hardlink@openssh.com");
	ck_assert_int_eq(buf_put_cstring(b, "b"), 0);
	ck_assert_int_eq(buf_put_cstring(b, "c"), 0);
	expect_status(SSH2_FXP_EXTENDED, b, SSH2_FX_OK);
	expect_status(SSH2_FXP_STAT, body_str("a"), SSH2_FX_NO_SUCH_FILE);
}
END_TEST

START_TEST(test_limits)
{
	struct reply rep;
	uint64_t pkt, rd, wr, handles;

	init();
	request(SSH2_FXP_EXTENDED, body_ext("limits@openssh.com"), &rep);
	ck_assert_int_eq(rep.type, SSH2_FXP_EXTENDED_REPLY);
	ck_assert_int_eq(buf_get_u64(rep.body, &pkt), 0);
	ck_assert_int_eq(buf_get_u64(rep.body, &rd), 0);
	ck_assert_int_eq(buf_get_u64(rep.body, &wr), 0);
	ck_assert_int_eq(buf_get_u64(rep.body, &handles), 0);
	ck_assert_int_eq(buf_expect_end(rep.body), 0);
	ck_assert(pkt == SFTP_MAX_PACKET && rd == SFTP_MAX_READ &&
	    handles == SFTP_MAX_HANDLES);
	reply_free(&rep);
}
END_TEST

START_TEST(test_statvfs_readonly_flag)
{
	struct reply rep;
	uint64_t v64[11];
	struct buf *b;
	int i;

	init();
	b = body_ext("statvfs@openssh.com");
	ck_assert_int_eq(buf_put_cstring(b, "/ro"), 0);
	request(SSH2_FXP_EXTENDED, b, &rep);
	ck_assert_int_eq(rep.type, SSH2_FXP_EXTENDED_REPLY);
	for (i = 0; i < 11; i++)
		ck_assert_int_eq(buf_get_u64(rep.body, &v64[i]), 0);
	ck_assert(v64[9] & SSH2_FXE_STATVFS_ST_RDONLY);
	reply_free(&rep);
	b = body_ext("statvfs@openssh.com");
	ck_assert_int_eq(buf_put_cstring(b, "/"), 0);
	request(SSH2_FXP_EXTENDED, b, &rep);
	for (i = 0; i < 11; i++)
		ck_assert_int_eq(buf_get_u64(rep.body, &v64[i]), 0);
	ck_assert(!(v64[9] & SSH2_FXE_STATVFS_ST_RDONLY));
	reply_free(&rep);
}
END_TEST

START_TEST(test_users_groups_by_id)
{
	struct buf *b, *ids;
	struct reply rep;
	struct passwd *pw;
	char *users, *u1, *u2, *me;
	size_t len;

	init();
	ck_assert_ptr_nonnull(pw = getpwuid(getuid()));
	ck_assert_ptr_nonnull(me = strdup(pw->pw_name));
	b = body_ext("users-groups-by-id@openssh.com");
	ids = buf_new();
	ck_assert_int_eq(buf_put_u32(ids, getuid()), 0);
	ck_assert_int_eq(buf_put_u32(ids, 4000000000U), 0);
	ck_assert_int_eq(buf_put_stringb(b, ids), 0);
	ck_assert_int_eq(buf_put_string(b, NULL, 0), 0);
	request(SSH2_FXP_EXTENDED, b, &rep);
	ck_assert_int_eq(rep.type, SSH2_FXP_EXTENDED_REPLY);
	ck_assert_int_eq(buf_get_string(rep.body, (uint8_t **)&users, &len),
	    0);
	{
		struct buf *ub = buf_from(users, len);

		ck_assert_int_eq(buf_get_cstring(ub, &u1, NULL), 0);
		ck_assert_int_eq(buf_get_cstring(ub, &u2, NULL), 0);
		ck_assert_int_eq(buf_expect_end(ub), 0);
		buf_free(ub);
	}
	ck_assert_str_eq(u1, me);
	free(me);
	ck_assert_str_eq(u2, "");
	free(u1);
	free(u2);
	free(users);
	reply_free(&rep);
	/* Ids not a multiple of four bytes: malformed. */
	b = body_ext("users-groups-by-id@openssh.com");
	ck_assert_int_eq(buf_put_string(b, "abc", 3), 0);
	ck_assert_int_eq(buf_put_string(b, NULL, 0), 0);
	expect_status(SSH2_FXP_EXTENDED, b, SSH2_FX_BAD_MESSAGE);
	buf_free(ids);
}
END_TEST

START_TEST(test_copy_data)
{
	struct buf *b;
	struct reply rep;
	uint32_t src, dst;
	char *data;

	init();
	src = open_ok("/ro/file", SSH2_FXF_READ);
	dst = open_ok("copy", SSH2_FXF_WRITE | SSH2_FXF_CREAT | SSH2_FXF_READ);
	b = body_ext("copy-data");
	ck_assert_int_eq(buf_put_u32(b, 4), 0);
	ck_assert_int_eq(buf_put_u32(b, src), 0);
	ck_assert_int_eq(buf_put_u64(b, 0), 0);
	ck_assert_int_eq(buf_put_u64(b, 0), 0);	/* to the end */
	ck_assert_int_eq(buf_put_u32(b, 4), 0);
	ck_assert_int_eq(buf_put_u32(b, dst), 0);
	ck_assert_int_eq(buf_put_u64(b, 0), 0);
	expect_status(SSH2_FXP_EXTENDED, b, SSH2_FX_OK);
	read_at(dst, 0, 100, &rep);
	ck_assert_int_eq(buf_get_cstring(rep.body, &data, NULL), 0);
	ck_assert_str_eq(data, "read-only\n");
	free(data);
	reply_free(&rep);
	/* Writing through a read-only handle is refused. */
	b = body_ext("copy-data");
	ck_assert_int_eq(buf_put_u32(b, 4), 0);
	ck_assert_int_eq(buf_put_u32(b, dst), 0);
	ck_assert_int_eq(buf_put_u64(b, 0), 0);
	ck_assert_int_eq(buf_put_u64(b, 0), 0);
	ck_assert_int_eq(buf_put_u32(b, 4), 0);
	ck_assert_int_eq(buf_put_u32(b, src), 0);
	ck_assert_int_eq(buf_put_u64(b, 0), 0);
	expect_status(SSH2_FXP_EXTENDED, b, SSH2_FX_PERMISSION_DENIED);
}
END_TEST

START_TEST(test_errno_mapping)
{
	const char *msg;

	ck_assert_uint_eq(sftp_errno_status(ENOENT, &msg),
	    SSH2_FX_NO_SUCH_FILE);
	ck_assert_uint_eq(sftp_errno_status(EACCES, &msg),
	    SSH2_FX_PERMISSION_DENIED);
	ck_assert_uint_eq(sftp_errno_status(EROFS, &msg),
	    SSH2_FX_PERMISSION_DENIED);
	ck_assert_uint_eq(sftp_errno_status(ENOSPC, &msg), SSH2_FX_FAILURE);
	ck_assert_str_eq(msg, strerror(ENOSPC));
	ck_assert_uint_eq(sftp_errno_status(EOPNOTSUPP, &msg),
	    SSH2_FX_OP_UNSUPPORTED);
}
END_TEST

START_TEST(test_longname)
{
	struct stat st;
	char line[256], mode[11];

	setenv("TZ", "UTC", 1);
	tzset();
	memset(&st, 0, sizeof(st));
	st.st_mode = S_IFREG | 0644;
	st.st_nlink = 1;
	st.st_uid = 4000000;	/* no such user: the number */
	st.st_gid = 4000000;
	st.st_size = 1234;
	st.st_mtime = 1000000000;
	sftp_longname(line, sizeof(line), "name", &st, 1700000000);
	ck_assert_str_eq(line, "-rw-r--r--    1 4000000  4000000      1234 "
	    "Sep  9  2001 name");
	st.st_mtime = 1700000000 - 3600;	/* recent: time of day */
	sftp_longname(line, sizeof(line), "n", &st, 1700000000);
	ck_assert_msg(strstr(line, " Nov 14 21:13 n") != NULL, "%s", line);
	sftp_mode_string(S_IFDIR | 01777, mode);
	ck_assert_str_eq(mode, "drwxrwxrwt");
	sftp_mode_string(S_IFREG | 04755, mode);
	ck_assert_str_eq(mode, "-rwsr-xr-x");
	sftp_mode_string(S_IFLNK | 02644, mode);
	ck_assert_str_eq(mode, "lrw-r-Sr--");
}
END_TEST

START_TEST(test_fuzz_corpus_replay)
{
	ck_assert_uint_gt(tu_replay_corpus("sftp", LLVMFuzzerTestOneInput), 0);
}
END_TEST

static Suite *
sftp_suite(void)
{
	Suite *su = suite_create("sftp");
	TCase *tc = tcase_create("core");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_version_lists_extensions);
	tcase_add_test(tc, test_request_before_init_ends);
	tcase_add_test(tc, test_second_init_ends);
	tcase_add_test(tc, test_oversized_packet_ends);
	tcase_add_test(tc, test_incomplete_packet_waits);
	tcase_add_test(tc, test_write_read_roundtrip);
	tcase_add_test(tc, test_trailing_data_is_bad_message);
	tcase_add_test(tc, test_short_request_is_bad_message);
	tcase_add_test(tc, test_unknown_requests);
	tcase_add_test(tc, test_readonly_mount_denies);
	tcase_add_test(tc, test_handles_bounded);
	tcase_add_test(tc, test_realpath_and_expand);
	tcase_add_test(tc, test_readdir_shows_mounts);
	tcase_add_test(tc, test_symlink_argument_order);
	tcase_add_test(tc, test_rename_variants);
	tcase_add_test(tc, test_limits);
	tcase_add_test(tc, test_statvfs_readonly_flag);
	tcase_add_test(tc, test_users_groups_by_id);
	tcase_add_test(tc, test_copy_data);
	tcase_add_test(tc, test_errno_mapping);
	tcase_add_test(tc, test_longname);
	tcase_add_test(tc, test_fuzz_corpus_replay);
	suite_add_tcase(su, tc);
	return su;
}

int
main(void)
{
	SRunner *sr = srunner_create(sftp_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
