/*
 * check_sftp_vfs.c: the SFTP virtual filesystem (sftp/vfs.h): canonical
 * paths, mount arguments, the mount table, and containment against every
 * escape: absolute, relative and /etc symlinks, "..", a rename out, a
 * directory swapped for a link between calls and during opens, links the
 * client creates; each with openat2 and with the O_NOFOLLOW fallback.
 */
#include <sys/stat.h>
#include <check.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <bsd/string.h>

#include "protocol/ssherr.h"
#include "sftp/vfs.h"

/* A temporary tree:
 *   base/outside/secret            "OUTSIDE"
 *   base/root/a.txt                "inside"       mounted at /   (ro)
 *   base/root/abs -> base/outside/secret
 *   base/root/rel -> ../outside/secret
 *   base/root/etc -> /etc
 *   base/root/updir -> ../outside
 *   base/root/inlink -> a.txt
 *   base/fw/                                       mounted at /fw (rw)
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
mk(const char *rel)
{
	char p[PATH_MAX];

	path_of(p, rel);
	ck_assert_int_eq(mkdir(p, 0755), 0);
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
	char t[PATH_MAX];

	snprintf(base, sizeof(base), "/tmp/check_sftp_vfs.XXXXXX");
	ck_assert_ptr_nonnull(mkdtemp(base));
	mk("outside");
	write_file("outside/secret", "OUTSIDE");
	mk("root");
	write_file("root/a.txt", "inside");
	path_of(t, "outside/secret");
	link_to(t, "root/abs");
	link_to("../outside/secret", "root/rel");
	link_to("/etc", "root/etc");
	link_to("../outside", "root/updir");
	link_to("a.txt", "root/inlink");
	mk("fw");
}

static void
teardown(void)
{
	char cmd[PATH_MAX + 16];

	vfs_force_fallback(0);
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", base);
	ck_assert_int_eq(system(cmd), 0);
}

/* The usual table: / read-only, /fw read-write. */
static struct vfs *
two_mounts(void)
{
	struct vfs *v;
	char p[PATH_MAX];

	ck_assert_int_eq(vfs_new(&v), 0);
	path_of(p, "root");
	ck_assert_int_eq(vfs_mount(v, "/", p, VFS_RO), 0);
	path_of(p, "fw");
	ck_assert_int_eq(vfs_mount(v, "/fw", p, VFS_RW), 0);
	ck_assert_int_eq(vfs_ready(v, NULL, 0, 1), 0);
	return v;
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

static void
assert_refused(struct vfs *v, const char *path)
{
	char *got;

	errno = 0;
	got = vread(v, path);
	ck_assert_msg(got == NULL, "%s was readable: %s", path, got);
	ck_assert_msg(errno == EACCES || errno == ENOENT, "%s: errno %d",
	    path, errno);
}

START_TEST(test_canon)
{
	static const struct { const char *base, *in, *out; } cases[] = {
		{ "/", "../../x", "/x" },
		{ "/h", "a/./b/../c", "/h/a/c" },
		{ "/h", "", "/h" },
		{ "/h", ".", "/h" },
		{ "/h", "//a//b/", "/a/b" },
		{ "/", "/..", "/" },
		{ "/a/b", "../../../../etc/passwd", "/etc/passwd" },
		{ "/a", "..a/.b", "/a/..a/.b" },
	};
	char *out;
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		ck_assert_int_eq(vfs_canon_from(cases[i].base, cases[i].in,
		    &out), 0);
		ck_assert_str_eq(out, cases[i].out);
		free(out);
	}
}
END_TEST

START_TEST(test_canon_too_long)
{
	char *big = malloc(VFS_PATH_MAX + 10), *out = NULL;

	memset(big, 'a', VFS_PATH_MAX + 9);
	big[VFS_PATH_MAX + 9] = '\0';
	ck_assert_int_eq(vfs_canon_from("/", big, &out),
	    SSH_ERR_SYSTEM_ERROR);
	ck_assert_int_eq(errno, ENAMETOOLONG);
	ck_assert_ptr_null(out);
	free(big);
}
END_TEST

START_TEST(test_mount_spec)
{
	char *vp, *t, *g;
	int a;

	ck_assert_int_eq(vfs_mount_spec_parse("/fw=/var/lib/fw:rw", &vp, &t,
	    &a, &g), 0);
	ck_assert_str_eq(vp, "/fw");
	ck_assert_str_eq(t, "/var/lib/fw");
	ck_assert_int_eq(a, VFS_RW);
	ck_assert_ptr_null(g);
	free(vp);
	free(t);
	ck_assert_int_eq(vfs_mount_spec_parse("/x=/a:b:inherit:admin,wheel",
	    &vp, &t, &a, &g), 0);
	ck_assert_str_eq(t, "/a:b");
	ck_assert_int_eq(a, VFS_INHERIT);
	ck_assert_str_eq(g, "admin,wheel");
	free(vp);
	free(t);
	free(g);
}
END_TEST

START_TEST(test_mount_spec_bad)
{
	static const char *bad[] = {
		"/fw=/x", "/fw=/x:rx", "fw=/x:ro", "=/x:ro", "/fw=:ro",
		"/fw", "/fw=/x:ro:", "/fw=/x:zz:admin",
	};
	char *vp, *t, *g;
	size_t i;
	int a;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		ck_assert_msg(vfs_mount_spec_parse(bad[i], &vp, &t, &a, &g) ==
		    SSH_ERR_INVALID_FORMAT, "accepted %s", bad[i]);
		ck_assert_ptr_null(vp);
	}
}
END_TEST

START_TEST(test_groups)
{
	char own[32];

	snprintf(own, sizeof(own), "nosuchgroup_zz,%u",
	    (unsigned int)getegid());
	ck_assert_int_eq(vfs_in_groups(own), 1);
	ck_assert_int_eq(vfs_in_groups("nosuchgroup_zz"), 0);
	ck_assert_int_eq(vfs_in_groups("4000000000"), 0);
}
END_TEST

START_TEST(test_inside_reads)
{
	struct vfs *v = two_mounts();

	ck_assert_str_eq(vread(v, "/a.txt"), "inside");
	ck_assert_str_eq(vread(v, "a.txt"), "inside");
	ck_assert_str_eq(vread(v, "/fw/../a.txt"), "inside");
	vfs_free(v);
}
END_TEST

/* Links inside the tree that point out are never followed out, with
 * openat2 (_i == 0) and with the fallback walk (_i == 1). */
START_TEST(test_escaping_links)
{
	static const char *paths[] = {
		"/abs", "/rel", "/etc/passwd", "/etc", "/updir/secret",
		"/../outside/secret", "/../../../../etc/passwd",
	};
	struct vfs *v;
	struct stat st;
	size_t i;

	vfs_force_fallback(_i);
	v = two_mounts();
	for (i = 0; i < sizeof(paths) / sizeof(paths[0]); i++)
		assert_refused(v, paths[i]);
	ck_assert_int_ne(vfs_stat(v, "/etc/passwd", 1, &st), 0);
	ck_assert_int_ne(vfs_stat(v, "/updir/secret", 0, &st), 0);
	/* lstat of the link itself is fine: it is inside. */
	ck_assert_int_eq(vfs_stat(v, "/abs", 0, &st), 0);
	ck_assert(S_ISLNK(st.st_mode));
	vfs_free(v);
}
END_TEST

START_TEST(test_inner_link_openat2_only)
{
	struct vfs *v = two_mounts();

	ck_assert_str_eq(vread(v, "/inlink"), "inside");
	vfs_free(v);
	/* The fallback never follows a link, even one that stays inside. */
	vfs_force_fallback(1);
	v = two_mounts();
	assert_refused(v, "/inlink");
	vfs_free(v);
}
END_TEST

START_TEST(test_readonly_refuses)
{
	struct vfs *v = two_mounts();
	struct vfs_attr a = { .flags = VFS_ATTR_PERM, .perm = 0777 };
	int fd, w;

	ck_assert_int_ne(vfs_open(v, "/new", O_WRONLY | O_CREAT, 0644, &fd,
	    &w), 0);
	ck_assert_int_eq(errno, EACCES);
	ck_assert_int_ne(vfs_open(v, "/a.txt", O_RDWR, 0, &fd, &w), 0);
	ck_assert_int_ne(vfs_mkdir(v, "/d", 0755), 0);
	ck_assert_int_eq(errno, EACCES);
	ck_assert_int_ne(vfs_remove(v, "/a.txt"), 0);
	ck_assert_int_ne(vfs_rename(v, "/a.txt", "/b.txt", 0), 0);
	ck_assert_int_ne(vfs_rename(v, "/a.txt", "/fw/a.txt", 0), 0);
	ck_assert_int_ne(vfs_symlink(v, "a.txt", "/l"), 0);
	ck_assert_int_ne(vfs_link(v, "/a.txt", "/fw/h"), 0);
	ck_assert_int_ne(vfs_setstat(v, "/a.txt", 1, &a), 0);
	ck_assert_int_eq(errno, EACCES);
	/* A read-only handle may not be changed either. */
	ck_assert_int_eq(vfs_open(v, "/a.txt", O_RDONLY, 0, &fd, &w), 0);
	ck_assert_int_eq(w, 0);
	close(fd);
	ck_assert_str_eq(vread(v, "/a.txt"), "inside");
	vfs_free(v);
}
END_TEST

START_TEST(test_readonly_flag)
{
	struct vfs *v;
	char p[PATH_MAX];

	ck_assert_int_eq(vfs_new(&v), 0);
	path_of(p, "fw");
	ck_assert_int_eq(vfs_mount(v, "/fw", p, VFS_RW), 0);
	ck_assert_int_eq(vfs_ready(v, NULL, 1, 1), 0);
	ck_assert_int_ne(vfs_mkdir(v, "/fw/d", 0755), 0);
	ck_assert_int_eq(errno, EACCES);
	vfs_free(v);
}
END_TEST

START_TEST(test_write_ops)
{
	struct vfs *v = two_mounts();
	struct stat st;
	char *s;
	int fd, w;

	ck_assert_int_eq(vfs_mkdir(v, "/fw/d", 0755), 0);
	ck_assert_int_eq(vfs_open(v, "/fw/d/f", O_WRONLY | O_CREAT | O_EXCL,
	    0600, &fd, &w), 0);
	ck_assert_int_eq(w, 1);
	ck_assert_int_eq(write(fd, "data", 4), 4);
	close(fd);
	ck_assert_int_eq(vfs_rename(v, "/fw/d/f", "/fw/g", 1), 0);
	ck_assert_int_eq(vfs_link(v, "/fw/g", "/fw/h"), 0);
	ck_assert_int_eq(vfs_rename(v, "/fw/g", "/fw/h", 1),
	    SSH_ERR_SYSTEM_ERROR);
	ck_assert_int_eq(errno, EEXIST);
	ck_assert_int_eq(vfs_symlink(v, "h", "/fw/l"), 0);
	ck_assert_int_eq(vfs_readlink(v, "/fw/l", &s), 0);
	ck_assert_str_eq(s, "h");
	free(s);
	ck_assert_str_eq(vread(v, "/fw/l"), "data");
	ck_assert_int_eq(vfs_stat(v, "/fw/h", 1, &st), 0);
	ck_assert_int_eq(st.st_nlink, 2);
	ck_assert_int_eq(vfs_remove(v, "/fw/g"), 0);
	ck_assert_int_eq(vfs_rmdir(v, "/fw/d"), 0);
	vfs_free(v);
}
END_TEST

START_TEST(test_setstat)
{
	struct vfs *v = two_mounts();
	struct vfs_attr a;
	struct stat st;
	int fd, w;

	ck_assert_int_eq(vfs_open(v, "/fw/f", O_WRONLY | O_CREAT, 0600, &fd,
	    &w), 0);
	ck_assert_int_eq(write(fd, "0123456789", 10), 10);
	close(fd);
	memset(&a, 0, sizeof(a));
	a.flags = VFS_ATTR_SIZE | VFS_ATTR_PERM | VFS_ATTR_ACMODTIME;
	a.size = 4;
	a.perm = 0640;
	a.atime = 1000000000;
	a.mtime = 1200000000;
	ck_assert_int_eq(vfs_setstat(v, "/fw/f", 1, &a), 0);
	ck_assert_int_eq(vfs_stat(v, "/fw/f", 1, &st), 0);
	ck_assert_int_eq(st.st_size, 4);
	ck_assert_int_eq(st.st_mode & 07777, 0640);
	ck_assert_int_eq(st.st_mtime, 1200000000);
	/* A link to the outside may not be followed to change anything. */
	ck_assert_int_eq(vfs_symlink(v, "../outside/secret", "/fw/out"), 0);
	a.flags = VFS_ATTR_PERM;
	a.perm = 0777;
	ck_assert_int_ne(vfs_setstat(v, "/fw/out", 1, &a), 0);
	ck_assert_int_eq(vfs_stat(v, "/fw/out", 0, &st), 0);
	vfs_free(v);
	{
		char p[PATH_MAX];

		path_of(p, "outside/secret");
		ck_assert_int_eq(stat(p, &st), 0);
		ck_assert_int_ne(st.st_mode & 07777, 0777);
	}
}
END_TEST

/* Links the client makes point nowhere outside, whatever they contain. */
START_TEST(test_client_links)
{
	struct vfs *v;
	char p[PATH_MAX];

	vfs_force_fallback(_i);
	v = two_mounts();
	path_of(p, "outside/secret");
	ck_assert_int_eq(vfs_symlink(v, p, "/fw/abs"), 0);
	ck_assert_int_eq(vfs_symlink(v, "../outside/secret", "/fw/rel"), 0);
	ck_assert_int_eq(vfs_symlink(v, "/etc/passwd", "/fw/etc"), 0);
	assert_refused(v, "/fw/abs");
	assert_refused(v, "/fw/rel");
	assert_refused(v, "/fw/etc");
	/* A hard link to a link is a link: still refused when opened. */
	ck_assert_int_eq(vfs_link(v, "/fw/abs", "/fw/hard"), 0);
	assert_refused(v, "/fw/hard");
	/* Hard links to a file outside cannot even be named. */
	ck_assert_int_ne(vfs_link(v, "/fw/../../outside/secret", "/fw/h2"), 0);
	ck_assert_int_ne(vfs_link(v, "/abs", "/fw/h3"), 0);
	vfs_free(v);
}
END_TEST

/* Renaming "out" with ".." stays in the virtual tree. */
START_TEST(test_rename_out)
{
	struct vfs *v;
	struct vfs *rw;
	char p[PATH_MAX];
	int fd, w;
	struct stat st;

	ck_assert_int_eq(vfs_new(&rw), 0);
	path_of(p, "fw");
	ck_assert_int_eq(vfs_mount(rw, "/", p, VFS_RW), 0);
	ck_assert_int_eq(vfs_ready(rw, NULL, 0, 1), 0);
	ck_assert_int_eq(vfs_open(rw, "/f", O_WRONLY | O_CREAT, 0600, &fd,
	    &w), 0);
	close(fd);
	ck_assert_int_eq(vfs_rename(rw, "/f", "../../outside/f", 0),
	    SSH_ERR_SYSTEM_ERROR);
	ck_assert_int_eq(vfs_rename(rw, "/f", "/../moved", 0), 0);
	path_of(p, "fw/moved");
	ck_assert_int_eq(stat(p, &st), 0);
	path_of(p, "outside/f");
	ck_assert_int_ne(stat(p, &st), 0);
	path_of(p, "moved");
	ck_assert_int_ne(stat(p, &st), 0);
	vfs_free(rw);
	/* Out of a read-write mount into a read-only one: refused. */
	v = two_mounts();
	ck_assert_int_eq(vfs_open(v, "/fw/x", O_WRONLY | O_CREAT, 0600, &fd,
	    &w), 0);
	close(fd);
	ck_assert_int_ne(vfs_rename(v, "/fw/x", "/x", 0), 0);
	ck_assert_int_eq(errno, EACCES);
	vfs_free(v);
}
END_TEST

/* A directory swapped for a link to the outside between two requests. */
START_TEST(test_swap_between_calls)
{
	struct vfs *v;
	char p[PATH_MAX], q[PATH_MAX];

	vfs_force_fallback(_i);
	v = two_mounts();
	mk("fw/d");
	write_file("fw/d/secret", "inside");
	ck_assert_str_eq(vread(v, "/fw/d/secret"), "inside");
	path_of(p, "fw/d");
	path_of(q, "fw/d.old");
	ck_assert_int_eq(rename(p, q), 0);
	path_of(q, "outside");
	ck_assert_int_eq(symlink(q, p), 0);
	assert_refused(v, "/fw/d/secret");
	vfs_free(v);
}
END_TEST

static volatile int swapping;

static void *
swapper(void *arg)
{
	char a[PATH_MAX], b[PATH_MAX];

	(void)arg;
	path_of(a, "fw/sw");
	path_of(b, "fw/swlink");
	while (swapping)
		(void)renameat2(AT_FDCWD, a, AT_FDCWD, b, RENAME_EXCHANGE);
	return NULL;
}

/* The same swap, racing: opens never read the outside. */
START_TEST(test_swap_race)
{
	struct vfs *v;
	pthread_t t;
	char *got;
	int i, inside = 0;

	vfs_force_fallback(_i);
	v = two_mounts();
	mk("fw/sw");
	write_file("fw/sw/secret", "inside");
	link_to("../outside", "fw/swlink");
	swapping = 1;
	ck_assert_int_eq(pthread_create(&t, NULL, swapper, NULL), 0);
	for (i = 0; i < 3000; i++) {
		if ((got = vread(v, "/fw/sw/secret")) != NULL) {
			ck_assert_str_eq(got, "inside");
			inside++;
		}
		if ((got = vread(v, "/fw/swlink/secret")) != NULL) {
			ck_assert_str_eq(got, "inside");
			inside++;
		}
	}
	swapping = 0;
	pthread_join(t, NULL);
	ck_assert_int_gt(inside, 0);
	vfs_free(v);
}
END_TEST

START_TEST(test_synthetic)
{
	struct vfs *v;
	struct vfs_dir *d;
	struct stat st;
	const char *name;
	char p[PATH_MAX], seen[256] = "";
	int fd, w;

	ck_assert_int_eq(vfs_new(&v), 0);
	path_of(p, "fw");
	ck_assert_int_eq(vfs_mount(v, "/a/b/c", p, VFS_RW), 0);
	path_of(p, "root");
	ck_assert_int_eq(vfs_mount(v, "/a/log", p, VFS_INHERIT), 0);
	ck_assert_int_eq(vfs_ready(v, "/a", 0, 1), 0);
	ck_assert_str_eq(vfs_home(v), "/a");
	ck_assert_int_eq(vfs_stat(v, "/", 1, &st), 0);
	ck_assert(S_ISDIR(st.st_mode));
	ck_assert_int_eq(vfs_stat(v, "b", 1, &st), 0);
	ck_assert_int_ne(vfs_stat(v, "/zz", 1, &st), 0);
	ck_assert_int_eq(errno, ENOENT);
	ck_assert_int_ne(vfs_mkdir(v, "/a/new", 0755), 0);
	ck_assert_int_ne(vfs_mkdir(v, "/a/b", 0755), 0);
	ck_assert_int_eq(errno, EEXIST);
	ck_assert_int_ne(vfs_rmdir(v, "/a/b/c"), 0);
	ck_assert_int_ne(vfs_open(v, "/a/f", O_WRONLY | O_CREAT, 0600, &fd,
	    &w), 0);
	/* Listing "/a" shows the mounts below it. */
	ck_assert_int_eq(vfs_opendir(v, "/a", &d), 0);
	while (vfs_dir_next(d, &name, &st) == 0) {
		strlcat(seen, name, sizeof(seen));
		strlcat(seen, ",", sizeof(seen));
	}
	vfs_dir_close(d);
	ck_assert_str_eq(seen, ".,..,b,log,");
	/* /a/log inherits from no parent mount: read-only. */
	ck_assert_str_eq(vread(v, "/a/log/a.txt"), "inside");
	ck_assert_int_ne(vfs_open(v, "/a/log/n", O_WRONLY | O_CREAT, 0600,
	    &fd, &w), 0);
	ck_assert_int_eq(vfs_open(v, "/a/b/c/n", O_WRONLY | O_CREAT, 0600,
	    &fd, &w), 0);
	close(fd);
	vfs_free(v);
}
END_TEST

START_TEST(test_inherit_and_listing_merge)
{
	struct vfs *v;
	struct vfs_dir *d;
	struct stat st;
	const char *name;
	char p[PATH_MAX];
	int fd, w, saw_fw = 0, saw_a = 0;

	ck_assert_int_eq(vfs_new(&v), 0);
	path_of(p, "root");
	ck_assert_int_eq(vfs_mount(v, "/", p, VFS_RW), 0);
	path_of(p, "fw");
	ck_assert_int_eq(vfs_mount(v, "/fw", p, VFS_INHERIT), 0);
	ck_assert_int_eq(vfs_ready(v, NULL, 0, 1), 0);
	ck_assert_int_eq(vfs_open(v, "/fw/n", O_WRONLY | O_CREAT, 0600, &fd,
	    &w), 0);
	close(fd);
	ck_assert_int_eq(vfs_opendir(v, "/", &d), 0);
	while (vfs_dir_next(d, &name, &st) == 0) {
		saw_fw += strcmp(name, "fw") == 0;
		saw_a += strcmp(name, "a.txt") == 0;
	}
	vfs_dir_close(d);
	ck_assert_int_eq(saw_fw, 1);
	ck_assert_int_eq(saw_a, 1);
	vfs_free(v);
}
END_TEST

/* Below a synthetic directory only its mounts exist, even where a parent
 * mount has real entries: what is listed is what can be reached. */
START_TEST(test_synthetic_hides_parent_mount)
{
	struct vfs *v;
	struct stat st;
	char p[PATH_MAX];

	mk("root/a");
	mk("root/a/b");
	write_file("root/a/c", "hidden");
	write_file("root/a/b/d", "hidden too");
	ck_assert_int_eq(vfs_new(&v), 0);
	path_of(p, "root");
	ck_assert_int_eq(vfs_mount(v, "/", p, VFS_RW), 0);
	path_of(p, "fw");
	ck_assert_int_eq(vfs_mount(v, "/a/b", p, VFS_RW), 0);
	ck_assert_int_eq(vfs_ready(v, NULL, 0, 1), 0);
	ck_assert_int_eq(vfs_stat(v, "/a", 1, &st), 0);
	ck_assert_int_ne(vfs_stat(v, "/a/c", 1, &st), 0);
	ck_assert_int_eq(errno, ENOENT);
	ck_assert_int_ne(vfs_stat(v, "/a/b/d", 1, &st), 0);
	ck_assert_str_eq(vread(v, "/a.txt"), "inside");
	vfs_free(v);
}
END_TEST

START_TEST(test_wo_mount)
{
	struct vfs *v;
	struct vfs_dir *d;
	char p[PATH_MAX];
	int fd, w;

	ck_assert_int_eq(vfs_new(&v), 0);
	path_of(p, "fw");
	ck_assert_int_eq(vfs_mount(v, "/drop", p, VFS_WO), 0);
	ck_assert_int_eq(vfs_ready(v, NULL, 0, 1), 0);
	ck_assert_int_eq(vfs_open(v, "/drop/f", O_WRONLY | O_CREAT, 0600, &fd,
	    &w), 0);
	close(fd);
	ck_assert_int_ne(vfs_open(v, "/drop/f", O_RDONLY, 0, &fd, &w), 0);
	ck_assert_int_eq(errno, EACCES);
	ck_assert_int_ne(vfs_opendir(v, "/drop", &d), 0);
	vfs_free(v);
}
END_TEST

START_TEST(test_no_mounts_virtual_is_empty)
{
	struct vfs *v;
	struct stat st;

	ck_assert_int_eq(vfs_new(&v), 0);
	ck_assert_int_eq(vfs_ready(v, NULL, 0, 1), 0);
	ck_assert_int_eq(vfs_is_plain(v), 0);
	ck_assert_int_eq(vfs_stat(v, "/", 1, &st), 0);
	ck_assert_int_ne(vfs_stat(v, "/etc/passwd", 1, &st), 0);
	vfs_free(v);
}
END_TEST

START_TEST(test_plain)
{
	struct vfs *v;
	char *canon, p[PATH_MAX], *got;

	ck_assert_int_eq(vfs_new(&v), 0);
	path_of(p, "root");
	ck_assert_int_eq(vfs_ready(v, p, 0, 0), 0);
	ck_assert_int_eq(vfs_is_plain(v), 1);
	ck_assert_int_eq(vfs_canon(v, "a.txt", &canon), 0);
	ck_assert_str_eq(vread(v, canon), "inside");
	free(canon);
	/* The real filesystem: links are followed as usual. */
	ck_assert_ptr_nonnull(got = vread(v, "rel"));
	ck_assert_str_eq(got, "OUTSIDE");
	vfs_free(v);
}
END_TEST

START_TEST(test_real_path)
{
	struct vfs *v = two_mounts();
	char *real, p[PATH_MAX];

	ck_assert_int_eq(vfs_real_path(v, "/fw/x/../y", &real), 0);
	path_of(p, "fw/y");
	ck_assert_str_eq(real, p);
	free(real);
	vfs_free(v);
}
END_TEST

static Suite *
vfs_suite(void)
{
	Suite *s = suite_create("sftp_vfs");
	TCase *tc = tcase_create("core");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, test_canon);
	tcase_add_test(tc, test_canon_too_long);
	tcase_add_test(tc, test_mount_spec);
	tcase_add_test(tc, test_mount_spec_bad);
	tcase_add_test(tc, test_groups);
	tcase_add_test(tc, test_inside_reads);
	tcase_add_loop_test(tc, test_escaping_links, 0, 2);
	tcase_add_test(tc, test_inner_link_openat2_only);
	tcase_add_test(tc, test_readonly_refuses);
	tcase_add_test(tc, test_readonly_flag);
	tcase_add_test(tc, test_write_ops);
	tcase_add_test(tc, test_setstat);
	tcase_add_loop_test(tc, test_client_links, 0, 2);
	tcase_add_test(tc, test_rename_out);
	tcase_add_loop_test(tc, test_swap_between_calls, 0, 2);
	tcase_add_loop_test(tc, test_swap_race, 0, 2);
	tcase_add_test(tc, test_synthetic);
	tcase_add_test(tc, test_inherit_and_listing_merge);
	tcase_add_test(tc, test_synthetic_hides_parent_mount);
	tcase_add_test(tc, test_wo_mount);
	tcase_add_test(tc, test_no_mounts_virtual_is_empty);
	tcase_add_test(tc, test_plain);
	tcase_add_test(tc, test_real_path);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	SRunner *sr = srunner_create(vfs_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
