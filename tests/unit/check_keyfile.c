/*
 * check_keyfile.c: the key file rules of common/keyfile.c: save and load,
 * comments, permissions, no overwriting, the size cap.
 */
#include <sys/types.h>
#include <sys/stat.h>
#include <check.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <bsd/string.h>

#include "common/keyfile.h"
#include "protocol/buf.h"
#include "protocol/key.h"
#include "protocol/ssherr.h"
#include "tests/unit/keytest.h"
#include "tests/unit/testutil.h"

/* A scratch directory, removed with everything in it. */
static char tmpdir[64];

static void
tmp_setup(void)
{
	strlcpy(tmpdir, "/tmp/check_key.XXXXXX", sizeof(tmpdir));
	ck_assert_ptr_nonnull(mkdtemp(tmpdir));
}

static void
tmp_teardown(void)
{
	DIR *d;
	struct dirent *de;
	char path[512];

	if ((d = opendir(tmpdir)) == NULL)
		return;
	while ((de = readdir(d)) != NULL) {
		if (strcmp(de->d_name, ".") == 0 || strcmp(de->d_name, "..") == 0)
			continue;
		snprintf(path, sizeof(path), "%s/%s", tmpdir, de->d_name);
		if (unlink(path) == -1)
			(void)rmdir(path);
	}
	closedir(d);
	(void)rmdir(tmpdir);
}

static size_t
dir_entries(void)
{
	DIR *d;
	size_t n = 0;

	ck_assert_ptr_nonnull(d = opendir(tmpdir));
	while (readdir(d) != NULL)
		n++;
	closedir(d);
	return n - 2;
}

static char *
tmp_path(const char *name)
{
	static char path[256];

	snprintf(path, sizeof(path), "%s/%s", tmpdir, name);
	return path;
}

START_TEST(test_keyfile_save_load)
{
	struct sshkey *k = NULL, *pub = NULL;
	char *comment = NULL, pubpath[256];
	struct stat st;

	strlcpy(pubpath, tmp_path("id.pub"), sizeof(pubpath));
	ck_assert_int_eq(keyfile_save(tmp_path("id"), gen_keys[1], PASS,
	    "saved", 0), 0);
	ck_assert_int_eq(stat(tmp_path("id"), &st), 0);
	ck_assert_uint_eq(st.st_mode & 07777, 0600);
	ck_assert_int_eq(stat(pubpath, &st), 0);
	ck_assert_uint_eq(st.st_mode & 07777, 0644);
	/* Nothing else (no temporary files) is left behind. */
	ck_assert_uint_eq(dir_entries(), 2);
	ck_assert_int_eq(keyfile_load_private(tmp_path("id"), PASS, 1, &k,
	    &comment), 0);
	ck_assert_str_eq(comment, "saved");
	ck_assert_int_eq(key_equal_public(k, gen_keys[1]), 0);
	assert_signs_for(k, gen_keys[1]);
	free(comment);
	ck_assert_int_eq(keyfile_load_public(pubpath, &pub, &comment), 0);
	ck_assert_str_eq(comment, "saved");
	ck_assert_int_eq(key_equal_public(pub, gen_keys[1]), 0);
	free(comment);
	key_free(pub);
	key_free(k);
	ck_assert_int_eq(keyfile_load_private(tmp_path("id"), "bad", 1, &k,
	    NULL), SSH_ERR_KEY_WRONG_PASSPHRASE);
	ck_assert_int_eq(keyfile_load_private(tmp_path("missing"), NULL, 1, &k,
	    NULL), SSH_ERR_SYSTEM_ERROR);
	ck_assert_ptr_null(k);
}
END_TEST

START_TEST(test_keyfile_public_comments)
{
	struct sshkey *k = NULL;
	struct buf *line = buf_new();
	char *comment = NULL;
	FILE *f;

	ck_assert_int_eq(key_to_public_line(gen_keys[0], "c1", line), 0);
	ck_assert_ptr_nonnull(f = fopen(tmp_path("k.pub"), "w"));
	fprintf(f, "# a comment\n\n   \n%.*s", (int)buf_len(line),
	    (const char *)buf_ptr(line));
	fclose(f);
	ck_assert_int_eq(keyfile_load_public(tmp_path("k.pub"), &k, &comment),
	    0);
	ck_assert_str_eq(comment, "c1");
	ck_assert_int_eq(key_equal_public(k, gen_keys[0]), 0);
	key_free(k);
	free(comment);
	ck_assert_ptr_nonnull(f = fopen(tmp_path("empty.pub"), "w"));
	fprintf(f, "# nothing\n");
	fclose(f);
	ck_assert_int_eq(keyfile_load_public(tmp_path("empty.pub"), &k, NULL),
	    SSH_ERR_INVALID_FORMAT);
	ck_assert_ptr_null(k);
	buf_free(line);
}
END_TEST

START_TEST(test_keyfile_permissions)
{
	struct sshkey *k = NULL;
	static const mode_t bad[] = { 0640, 0604, 0644, 0610, 0601, 0660 };
	size_t i;

	ck_assert_int_eq(keyfile_save(tmp_path("host"), gen_keys[0], NULL,
	    "h", 0), 0);
	ck_assert_int_eq(keyfile_load_private(tmp_path("host"), NULL, 1, &k,
	    NULL), 0);
	key_free(k);
	k = NULL;
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		ck_assert_int_eq(chmod(tmp_path("host"), bad[i]), 0);
		ck_assert_int_eq(keyfile_load_private(tmp_path("host"), NULL, 1,
		    &k, NULL), SSH_ERR_KEY_BAD_PERMISSIONS);
		ck_assert_ptr_null(k);
	}
	/* Without the check (e.g. ssh-keygen -l) it loads. */
	ck_assert_int_eq(keyfile_load_private(tmp_path("host"), NULL, 0, &k,
	    NULL), 0);
	key_free(k);
	k = NULL;
	/* 0400 is fine; a directory or FIFO is not a key file. */
	ck_assert_int_eq(chmod(tmp_path("host"), 0400), 0);
	ck_assert_int_eq(keyfile_load_private(tmp_path("host"), NULL, 1, &k,
	    NULL), 0);
	key_free(k);
	k = NULL;
	ck_assert_int_eq(mkdir(tmp_path("dir"), 0700), 0);
	ck_assert_int_eq(keyfile_load_private(tmp_path("dir"), NULL, 1, &k,
	    NULL), SSH_ERR_KEY_BAD_PERMISSIONS);
	ck_assert_int_eq(mkfifo(tmp_path("fifo"), 0600), 0);
	/* O_RDWR keeps a writer so the open in keyfile_read cannot block. */
	{
		int fd = open(tmp_path("fifo"), O_RDWR | O_NONBLOCK);

		ck_assert_int_ge(fd, 0);
		ck_assert_int_eq(keyfile_load_private(tmp_path("fifo"), NULL, 1,
		    &k, NULL), SSH_ERR_KEY_BAD_PERMISSIONS);
		close(fd);
	}
	ck_assert_ptr_null(k);
}
END_TEST

START_TEST(test_keyfile_refuse_overwrite)
{
	struct buf *before = NULL, *after = NULL;
	struct sshkey *k = NULL;
	char pubpath[256];
	FILE *f;

	strlcpy(pubpath, tmp_path("k.pub"), sizeof(pubpath));
	ck_assert_int_eq(keyfile_save(tmp_path("k"), gen_keys[0], NULL, "one",
	    0), 0);
	ck_assert_int_eq(keyfile_read(tmp_path("k"), 1, &before), 0);
	ck_assert_int_eq(keyfile_save(tmp_path("k"), gen_keys[1], NULL, "two",
	    0), SSH_ERR_FILE_EXISTS);
	ck_assert_int_eq(keyfile_read(tmp_path("k"), 1, &after), 0);
	ck_assert_int_eq(buf_equals(before, after), 0);
	ck_assert_uint_eq(dir_entries(), 2);
	buf_free(after);
	/* overwrite replaces both files. */
	ck_assert_int_eq(keyfile_save(tmp_path("k"), gen_keys[1], NULL, "two",
	    1), 0);
	ck_assert_int_eq(keyfile_load_private(tmp_path("k"), NULL, 1, &k,
	    NULL), 0);
	ck_assert_int_eq(key_equal_public(k, gen_keys[1]), 0);
	key_free(k);
	ck_assert_int_eq(keyfile_load_public(pubpath, &k, NULL), 0);
	ck_assert_int_eq(key_equal_public(k, gen_keys[1]), 0);
	key_free(k);
	ck_assert_uint_eq(dir_entries(), 2);
	/* A lone .pub also blocks a new key, and nothing is written. */
	ck_assert_ptr_nonnull(f = fopen(tmp_path("lone.pub"), "w"));
	fclose(f);
	ck_assert_int_eq(keyfile_save(tmp_path("lone"), gen_keys[0], NULL, "x",
	    0), SSH_ERR_FILE_EXISTS);
	ck_assert_int_eq(access(tmp_path("lone"), F_OK), -1);
	ck_assert_int_eq(errno, ENOENT);
	buf_free(before);
}
END_TEST

START_TEST(test_keyfile_size_cap)
{
	struct buf *b = NULL;
	FILE *f;
	size_t i;

	ck_assert_ptr_nonnull(f = fopen(tmp_path("big"), "w"));
	for (i = 0; i < KEYFILE_MAX_SIZE / 16 + 1; i++)
		fputs("0123456789abcdef", f);
	fclose(f);
	ck_assert_int_eq(keyfile_read(tmp_path("big"), 0, &b),
	    SSH_ERR_LIMIT_EXCEEDED);
	ck_assert_ptr_null(b);
	ck_assert_int_eq(truncate(tmp_path("big"), KEYFILE_MAX_SIZE), 0);
	ck_assert_int_eq(keyfile_read(tmp_path("big"), 0, &b), 0);
	ck_assert_uint_eq(buf_len(b), KEYFILE_MAX_SIZE);
	buf_free(b);
}
END_TEST

static Suite *
keyfile_suite(void)
{
	Suite *s = suite_create("keyfile");
	TCase *tc;

	tc = tcase_create("keyfile");
	tcase_set_timeout(tc, 60);
	tcase_add_unchecked_fixture(tc, gen_setup, gen_teardown);
	tcase_add_checked_fixture(tc, tmp_setup, tmp_teardown);
	tcase_add_test(tc, test_keyfile_save_load);
	tcase_add_test(tc, test_keyfile_public_comments);
	tcase_add_test(tc, test_keyfile_permissions);
	tcase_add_test(tc, test_keyfile_refuse_overwrite);
	tcase_add_test(tc, test_keyfile_size_cap);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	return tu_run(keyfile_suite());
}
