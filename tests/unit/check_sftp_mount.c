/*
 * check_sftp_mount.c: a mount's target cannot be swapped
 * (sftp/vfs_target.c).  A target under a directory a user can write,
 * replaced by a symbolic link to /etc before the session (the target
 * itself or a directory on its way), is refused; a link only root could
 * have made is followed; a target swapped after it was mounted still
 * serves the directory that was mounted.
 */
#include <sys/stat.h>
#include <check.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "protocol/ssherr.h"
#include "sftp/vfs.h"
#include "tests/unit/testutil.h"

/*
 *   base/                  0755
 *   base/users/            0777: any user may replace what is in it
 *   base/users/bob/f       "bob's"
 *   base/admin/            0755, root's when run as root
 *   base/real/f            "real"
 */
static char base[256];

static void
path_of(char *dst, const char *rel)
{
	snprintf(dst, PATH_MAX, "%s/%s", base, rel);
}

static void
write_file(const char *rel, const char *content)
{
	char p[PATH_MAX];
	FILE *f;

	path_of(p, rel);
	ck_assert_ptr_nonnull(f = fopen(p, "w"));
	fputs(content, f);
	fclose(f);
}

static void
mk(const char *rel, mode_t mode)
{
	char p[PATH_MAX];

	path_of(p, rel);
	ck_assert_int_eq(mkdir(p, 0700), 0);
	ck_assert_int_eq(chmod(p, mode), 0);
}

static void
link_to(const char *target, const char *rel)
{
	char p[PATH_MAX];

	path_of(p, rel);
	ck_assert_int_eq(symlink(target, p), 0);
}

static void
setup(void)
{
	snprintf(base, sizeof(base), "/tmp/check_sftp_mount.XXXXXX");
	ck_assert_ptr_nonnull(mkdtemp(base));
	ck_assert_int_eq(chmod(base, 0755), 0);
	mk("users", 0777);
	mk("users/bob", 0755);
	write_file("users/bob/f", "bob's");
	mk("admin", 0755);
	mk("real", 0755);
	write_file("real/f", "real");
}

static void
teardown(void)
{
	char cmd[PATH_MAX + 16];

	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", base);
	ck_assert_int_eq(system(cmd), 0);
}

/* Reads a file through the vfs: its content, or NULL with errno. */
static char *
vread(struct vfs *v, const char *path)
{
	static char buf[64];
	int fd, w;
	ssize_t n;

	if (vfs_open(v, path, O_RDONLY, 0, &fd, &w) != 0)
		return NULL;
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	ck_assert_int_ge(n, 0);
	buf[n] = '\0';
	return buf;
}

/* vfs_mount of base/rel at "/": its result and errno. */
static int
mount_rel(struct vfs **vp, const char *rel, int *errp)
{
	char p[PATH_MAX];
	int r;

	ck_assert_int_eq(vfs_new(vp), 0);
	path_of(p, rel);
	errno = 0;
	r = vfs_mount(*vp, "/", p, VFS_RO);
	*errp = errno;
	if (r == 0)
		ck_assert_int_eq(vfs_ready(*vp, NULL, 0, 1), 0);
	return r;
}

/* The user swapped their directory for a link to /etc before the
 * session: refused, and /etc/passwd is not served. */
START_TEST(test_swapped_target_refused)
{
	struct vfs *v;
	int err;

	link_to("/etc", "users/alice");
	ck_assert_int_ne(mount_rel(&v, "users/alice", &err), 0);
	ck_assert_int_eq(err, ELOOP);
	ck_assert_ptr_null(vread(v, "/passwd"));
	vfs_free(v);
}
END_TEST

/* A link on the way to the target, relative this time. */
START_TEST(test_swapped_component_refused)
{
	struct vfs *v;
	int err;

	link_to("../../../etc", "users/carol");
	ck_assert_int_ne(mount_rel(&v, "users/carol/ssl", &err), 0);
	ck_assert_int_eq(err, ELOOP);
	vfs_free(v);
}
END_TEST

/* A plain directory under a writable directory is fine (a home under
 * a group-writable /home, a user's own directory). */
START_TEST(test_plain_directory_mounts)
{
	struct vfs *v;
	int err;

	ck_assert_int_eq(mount_rel(&v, "users/bob", &err), 0);
	ck_assert_str_eq(vread(v, "/f"), "bob's");
	vfs_free(v);
}
END_TEST

/* Swapped after the mount: the mount keeps the directory it opened. */
START_TEST(test_swapped_after_mount)
{
	char from[PATH_MAX], to[PATH_MAX];
	struct vfs *v;
	int err;

	ck_assert_int_eq(mount_rel(&v, "users/bob", &err), 0);
	path_of(from, "users/bob");
	path_of(to, "users/bob.old");
	ck_assert_int_eq(rename(from, to), 0);
	link_to("/etc", "users/bob");
	ck_assert_str_eq(vread(v, "/f"), "bob's");
	errno = 0;
	ck_assert_ptr_null(vread(v, "/passwd"));
	vfs_free(v);
}
END_TEST

/* Links only root could have made (an administrator's /home ->
 * /data/home) are followed: absolute, relative, chained.  Root only:
 * otherwise base itself is the test user's. */
START_TEST(test_root_links_followed)
{
	char p[PATH_MAX];
	struct vfs *v;
	int err;

	if (geteuid() != 0)
		return;
	path_of(p, "real");
	link_to(p, "admin/abs");
	link_to("../real", "admin/rel");
	link_to("rel", "admin/chain");
	ck_assert_int_eq(mount_rel(&v, "admin/abs", &err), 0);
	ck_assert_str_eq(vread(v, "/f"), "real");
	vfs_free(v);
	ck_assert_int_eq(mount_rel(&v, "admin/chain", &err), 0);
	ck_assert_str_eq(vread(v, "/f"), "real");
	vfs_free(v);
	/* The same link, but its directory is another user's: refused. */
	path_of(p, "admin");
	ck_assert_int_eq(chown(p, 65534, 65534), 0);
	ck_assert_int_ne(mount_rel(&v, "admin/rel", &err), 0);
	ck_assert_int_eq(err, ELOOP);
	vfs_free(v);
}
END_TEST

/* In a sticky directory (/tmp) only the link's owner may replace it:
 * root's link is followed, a user's is not. */
START_TEST(test_sticky_directory)
{
	char p[PATH_MAX];
	struct vfs *v;
	int err;

	if (geteuid() != 0)
		return;
	mk("sticky", 01777);
	link_to("../real", "sticky/root_link");
	link_to("../real", "sticky/user_link");
	path_of(p, "sticky/user_link");
	ck_assert_int_eq(lchown(p, 65534, 65534), 0);
	ck_assert_int_eq(mount_rel(&v, "sticky/root_link", &err), 0);
	ck_assert_str_eq(vread(v, "/f"), "real");
	vfs_free(v);
	ck_assert_int_ne(mount_rel(&v, "sticky/user_link", &err), 0);
	ck_assert_int_eq(err, ELOOP);
	vfs_free(v);
}
END_TEST

/* Not a directory, too many links, relative targets: refused. */
START_TEST(test_bad_targets)
{
	struct vfs *v;
	int err;

	ck_assert_int_ne(mount_rel(&v, "real/f", &err), 0);
	ck_assert_int_eq(err, ENOTDIR);
	vfs_free(v);
	ck_assert_int_eq(vfs_new(&v), 0);
	ck_assert_int_ne(vfs_mount(v, "/", "relative/dir", VFS_RO), 0);
	vfs_free(v);
	if (geteuid() == 0) {
		link_to("loop", "admin/loop");
		ck_assert_int_ne(mount_rel(&v, "admin/loop", &err), 0);
		ck_assert_int_eq(err, ELOOP);
		vfs_free(v);
	}
}
END_TEST

int
main(void)
{
	Suite *s = suite_create("sftp_mount");
	TCase *tc = tcase_create("core");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_swapped_target_refused);
	tcase_add_test(tc, test_swapped_component_refused);
	tcase_add_test(tc, test_plain_directory_mounts);
	tcase_add_test(tc, test_swapped_after_mount);
	tcase_add_test(tc, test_root_links_followed);
	tcase_add_test(tc, test_sticky_directory);
	tcase_add_test(tc, test_bad_targets);
	suite_add_tcase(s, tc);
	return tu_run(s);
}
