/*
 * check_sftpargs.c: nanossh-sftp-server's command line as the monitor
 * builds it for one user: %h/%u expanded, other groups' mounts left out,
 * paths that would break the option syntax refused.
 */
#include <pwd.h>
#include <syslog.h>
#include <stdlib.h>
#include <string.h>

#include <bsd/string.h>
#include <check.h>

#include "common/config.h"
#include "common/log.h"
#include "privsep/sftpargs.h"
#include "protocol/ssherr.h"

static char *admin[] = { "admin" };

static struct passwd alice = {
	.pw_name = "alice", .pw_dir = "/home/alice", .pw_uid = 1000,
	.pw_gid = 1000, .pw_shell = "/bin/sh",
};

static struct cfg_mount mounts[3];
static struct sftpargs_opts opts = { "/x/sftp", NULL, 1, 1, NULL };
static struct cfg_settings set;

static void
setup(void)
{
	memset(&set, 0, sizeof(set));
	memset(mounts, 0, sizeof(mounts));
	set.log_level = LOG_LVL_VERBOSE;
	mounts[0] = (struct cfg_mount){ "/", "/srv/root", CFG_ACCESS_RO,
	    { NULL, 0 } };
	mounts[1] = (struct cfg_mount){ "/fw", "/var/lib/fw", CFG_ACCESS_RW,
	    { admin, 1 } };
	mounts[2] = (struct cfg_mount){ "/home", "%h/files-%u",
	    CFG_ACCESS_INHERIT, { NULL, 0 } };
	set.sftp.mounts = mounts;
	set.sftp.nmounts = 3;
}

static char *
joined(char **argv)
{
	static char out[1024];
	size_t i;

	out[0] = '\0';
	for (i = 0; argv[i] != NULL; i++) {
		if (i > 0)
			strlcat(out, " ", sizeof(out));
		strlcat(out, argv[i], sizeof(out));
	}
	return out;
}

START_TEST(test_member_sees_group_mount)
{
	char **argv;
	char *groups[] = { "alice", "admin" };

	ck_assert_int_eq(sftpargs_build(&set, &alice, groups, 2, &opts,
	    &argv), 0);
	ck_assert_str_eq(joined(argv), "/x/sftp -l verbose -e -V "
	    "-M /=/srv/root:ro -M /fw=/var/lib/fw:rw "
	    "-M /home=/home/alice/files-alice:inherit");
	sftpargs_free(argv);
}
END_TEST

START_TEST(test_others_do_not)
{
	char **argv;
	char *groups[] = { "alice", "users" };

	set.sftp.home = "/home";
	ck_assert_int_eq(sftpargs_build(&set, &alice, groups, 2, &opts,
	    &argv), 0);
	ck_assert_str_eq(joined(argv), "/x/sftp -l verbose -e -d /home -V "
	    "-M /=/srv/root:ro -M /home=/home/alice/files-alice:inherit");
	sftpargs_free(argv);
}
END_TEST

START_TEST(test_no_mounts)
{
	char **argv;

	set.sftp.nmounts = 0;
	set.log_level = LOG_LVL_INFO;
	ck_assert_int_eq(sftpargs_build(&set, &alice, NULL, 0, &opts,
	    &argv), 0);
	ck_assert_str_eq(joined(argv), "/x/sftp -l info -e");
	sftpargs_free(argv);
}
END_TEST

/* A home directory with ':' or '=' would change the option's meaning. */
START_TEST(test_separator_in_home_refused)
{
	struct passwd odd = alice;
	char **argv = (char **)1;

	odd.pw_dir = (_i == 0) ? "/home/a:b" : "/home/a=b";
	ck_assert_int_eq(sftpargs_build(&set, &odd, NULL, 0, &opts,
	    &argv), SSH_ERR_INVALID_FORMAT);
	ck_assert_ptr_null(argv);
}
END_TEST

/* Every mount is for another group: still the (empty) virtual tree,
 * never the real file system. */
START_TEST(test_no_mount_for_the_user)
{
	char **argv;

	mounts[0].groups = (struct strlist){ admin, 1 };
	mounts[2].groups = (struct strlist){ admin, 1 };
	ck_assert_int_eq(sftpargs_build(&set, &alice, NULL, 0, &opts,
	    &argv), 0);
	ck_assert_str_eq(joined(argv), "/x/sftp -l verbose -e -V");
	sftpargs_free(argv);
}
END_TEST

/* Legacy scp: the same options, then the client's command; without
 * secure_path the mounts do not apply; syslog with the facility. */
START_TEST(test_scp_command)
{
	struct sftpargs_opts o = { "/x/scp", "scp -t /rw", 1, 0, "4242.3" };
	char **argv;

	set.log_facility = LOG_LOCAL3;
	ck_assert_int_eq(sftpargs_build(&set, &alice, NULL, 0, &o, &argv), 0);
	ck_assert_str_eq(joined(argv), "/x/scp -l verbose -f local3 -s 4242.3 -V "
	    "-M /=/srv/root:ro -M /home=/home/alice/files-alice:inherit "
	    "-c scp -t /rw");
	sftpargs_free(argv);
	o.confine = 0;
	ck_assert_int_eq(sftpargs_build(&set, &alice, NULL, 0, &o, &argv), 0);
	ck_assert_str_eq(joined(argv), "/x/scp -l verbose -f local3 -s 4242.3 "
	    "-c scp -t /rw");
	sftpargs_free(argv);
}
END_TEST

START_TEST(test_bad_expansion_refused)
{
	char **argv;

	mounts[2].target = "%x/files";
	ck_assert_int_eq(sftpargs_build(&set, &alice, NULL, 0, &opts,
	    &argv), SSH_ERR_INVALID_FORMAT);
}
END_TEST

int
main(void)
{
	Suite *s = suite_create("sftpargs");
	TCase *tc = tcase_create("core");
	SRunner *sr;
	int failed;

	tcase_add_checked_fixture(tc, setup, NULL);
	tcase_add_test(tc, test_member_sees_group_mount);
	tcase_add_test(tc, test_others_do_not);
	tcase_add_test(tc, test_no_mounts);
	tcase_add_loop_test(tc, test_separator_in_home_refused, 0, 2);
	tcase_add_test(tc, test_no_mount_for_the_user);
	tcase_add_test(tc, test_scp_command);
	tcase_add_test(tc, test_bad_expansion_refused);
	suite_add_tcase(s, tc);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
