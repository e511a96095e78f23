/* check_sandbox_chroot.c: sandbox_check_chroot, which directories the
 * protocol child may be locked into and why the others are refused. */
#include <sys/types.h>
#include <sys/stat.h>
#include <check.h>
#include <fcntl.h>
#include <limits.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <bsd/string.h>

#include "privsep/sandbox.h"
#include "protocol/ssherr.h"

static uid_t nobody_uid;
static gid_t nobody_gid;

static void
setup_nobody(void)
{
	struct passwd *pw;

	ck_assert_ptr_nonnull(pw = getpwnam("nobody"));
	nobody_uid = pw->pw_uid;
	nobody_gid = pw->pw_gid;
}

static char tmpdir[64];

static void
setup_tmp(void)
{
	strlcpy(tmpdir, "/tmp/check_chroot.XXXXXX", sizeof(tmpdir));
	ck_assert_ptr_nonnull(mkdtemp(tmpdir));
	ck_assert_int_eq(chmod(tmpdir, 0755), 0);
}

static void
teardown_tmp(void)
{
	char cmd[128];

	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", tmpdir);
	(void)!system(cmd);
}

static const char *
sub(const char *name)
{
	static char path[256];

	snprintf(path, sizeof(path), "%s/%s", tmpdir, name);
	return path;
}

static void
check_refused(const char *path, int want, const char *reason)
{
	char *why = NULL;

	ck_assert_int_eq(sandbox_check_chroot(path, &why), want);
	ck_assert_ptr_nonnull(why);
	ck_assert_msg(strstr(why, reason) != NULL, "why: %s", why);
	free(why);
}

START_TEST(test_chroot_root_dir_ok)
{
	char *why = NULL;

	ck_assert_int_eq(sandbox_check_chroot("/", &why), 0);
	ck_assert_ptr_null(why);
}
END_TEST

/* Root's own directory below sticky /tmp passes. */
START_TEST(test_chroot_good)
{
	char *why = NULL;

	ck_assert_int_eq(sandbox_check_chroot(tmpdir, &why), 0);
	ck_assert_ptr_null(why);
}
END_TEST

START_TEST(test_chroot_missing)
{
	check_refused(sub("missing"), SSH_ERR_SYSTEM_ERROR,
	    "No such file or directory");
}
END_TEST

START_TEST(test_chroot_file)
{
	check_refused("/etc/passwd", SSH_ERR_KEY_BAD_PERMISSIONS,
	    "not a directory");
}
END_TEST

/* Sticky is fine above the chroot, not for the chroot itself. */
START_TEST(test_chroot_tmp_refused)
{
	check_refused("/tmp", SSH_ERR_KEY_BAD_PERMISSIONS,
	    "writable by group or others");
}
END_TEST

START_TEST(test_chroot_file_in_tmpdir)
{
	int fd;

	ck_assert_int_ne(fd = open(sub("file"), O_CREAT | O_WRONLY, 0644), -1);
	close(fd);
	check_refused(sub("file"), SSH_ERR_KEY_BAD_PERMISSIONS,
	    "not a directory");
}
END_TEST

START_TEST(test_chroot_group_writable)
{
	ck_assert_int_eq(mkdir(sub("gw"), 0755), 0);
	ck_assert_int_eq(chmod(sub("gw"), 0775), 0);
	check_refused(sub("gw"), SSH_ERR_KEY_BAD_PERMISSIONS,
	    "writable by group or others");
}
END_TEST

START_TEST(test_chroot_other_writable)
{
	ck_assert_int_eq(mkdir(sub("ow"), 0755), 0);
	ck_assert_int_eq(chmod(sub("ow"), 0757), 0);
	check_refused(sub("ow"), SSH_ERR_KEY_BAD_PERMISSIONS,
	    "writable by group or others");
}
END_TEST

/* The chroot itself may not be sticky-and-writable like /tmp. */
START_TEST(test_chroot_sticky_itself_refused)
{
	ck_assert_int_eq(mkdir(sub("st"), 0755), 0);
	ck_assert_int_eq(chmod(sub("st"), 01777), 0);
	check_refused(sub("st"), SSH_ERR_KEY_BAD_PERMISSIONS,
	    "writable by group or others");
}
END_TEST

START_TEST(test_chroot_not_root_owned)
{
	ck_assert_int_eq(mkdir(sub("nr"), 0755), 0);
	ck_assert_int_eq(chown(sub("nr"), nobody_uid, nobody_gid), 0);
	check_refused(sub("nr"), SSH_ERR_KEY_BAD_PERMISSIONS,
	    "not owned by root");
}
END_TEST

/* A good directory under a parent someone else owns. */
START_TEST(test_chroot_parent_not_root_owned)
{
	char inner[PATH_MAX];

	ck_assert_int_eq(mkdir(sub("p"), 0755), 0);
	snprintf(inner, sizeof(inner), "%s/inner", sub("p"));
	ck_assert_int_eq(mkdir(inner, 0755), 0);
	ck_assert_int_eq(chown(sub("p"), nobody_uid, nobody_gid), 0);
	check_refused(inner, SSH_ERR_KEY_BAD_PERMISSIONS, "not owned by root");
}
END_TEST

START_TEST(test_chroot_parent_writable)
{
	char inner[PATH_MAX];

	ck_assert_int_eq(mkdir(sub("pw"), 0755), 0);
	snprintf(inner, sizeof(inner), "%s/inner", sub("pw"));
	ck_assert_int_eq(mkdir(inner, 0755), 0);
	ck_assert_int_eq(chmod(sub("pw"), 0777), 0);
	check_refused(inner, SSH_ERR_KEY_BAD_PERMISSIONS,
	    "writable by group or others");
}
END_TEST

/* A symlink is judged by where it leads. */
START_TEST(test_chroot_symlink_to_bad_dir)
{
	char target[256];

	ck_assert_int_eq(mkdir(sub("bad"), 0755), 0);
	ck_assert_int_eq(chmod(sub("bad"), 0777), 0);
	strlcpy(target, sub("bad"), sizeof(target));
	ck_assert_int_eq(symlink(target, sub("link")), 0);
	check_refused(sub("link"), SSH_ERR_KEY_BAD_PERMISSIONS,
	    "writable by group or others");
}
END_TEST

START_TEST(test_chroot_relative)
{
	check_refused("var/empty", SSH_ERR_INVALID_ARGUMENT, "absolute");
	check_refused("", SSH_ERR_INVALID_ARGUMENT, "absolute");
	check_refused(NULL, SSH_ERR_INVALID_ARGUMENT, "absolute");
}
END_TEST

static Suite *
chroot_suite(void)
{
	Suite *s = suite_create("sandbox_chroot");
	TCase *tc;

	/* Paths whose parents are root's in any case. */
	tc = tcase_create("check_chroot");
	tcase_add_test(tc, test_chroot_root_dir_ok);
	tcase_add_test(tc, test_chroot_file);
	tcase_add_test(tc, test_chroot_tmp_refused);
	tcase_add_test(tc, test_chroot_relative);
	suite_add_tcase(s, tc);

	/* Directories made for the test, which only root can make root's;
	 * without root the parent's owner would fail them all. */
	if (geteuid() == 0) {
		tc = tcase_create("check_chroot_made");
		tcase_add_checked_fixture(tc, setup_nobody, NULL);
		tcase_add_checked_fixture(tc, setup_tmp, teardown_tmp);
		tcase_add_test(tc, test_chroot_good);
		tcase_add_test(tc, test_chroot_missing);
		tcase_add_test(tc, test_chroot_file_in_tmpdir);
		tcase_add_test(tc, test_chroot_group_writable);
		tcase_add_test(tc, test_chroot_other_writable);
		tcase_add_test(tc, test_chroot_sticky_itself_refused);
		tcase_add_test(tc, test_chroot_not_root_owned);
		tcase_add_test(tc, test_chroot_parent_not_root_owned);
		tcase_add_test(tc, test_chroot_parent_writable);
		tcase_add_test(tc, test_chroot_symlink_to_bad_dir);
		suite_add_tcase(s, tc);
	}
	return s;
}

int
main(void)
{
	SRunner *sr = srunner_create(chroot_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
