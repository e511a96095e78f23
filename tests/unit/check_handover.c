/*
 * check_handover.c: what nanosshd hands each session (daemon/handover.h):
 * configuration, host keys and certificates survive the sealed memfd, one
 * session cannot change what the next reads, and anything but the
 * listener's sealed memfd, truncated or mispaired, is refused.
 */
#include <sys/types.h>
#include <sys/mman.h>
#include <check.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "common/config.h"
#include "daemon/handover.h"
#include "protocol/buf.h"
#include "protocol/cert.h"
#include "protocol/key.h"
#include "protocol/ssherr.h"
#include "tests/unit/testutil.h"

static char *
read_text(const char *rel)
{
	char *s;
	long len;
	FILE *f;

	ck_assert_msg((f = fopen(tu_path(rel), "rb")) != NULL, "%s", rel);
	ck_assert_int_eq(fseek(f, 0, SEEK_END), 0);
	ck_assert((len = ftell(f)) >= 0);
	rewind(f);
	ck_assert_ptr_nonnull(s = calloc(1, (size_t)len + 1));
	ck_assert_uint_eq(fread(s, 1, (size_t)len, f), (size_t)len);
	fclose(f);
	return s;
}

/* match.conf, the ed25519 host key with its certificate and a fresh
 * ECDSA key without one. */
static void
make(struct handover *h)
{
	struct buf *file;
	char *text, *errs = NULL;

	memset(h, 0, sizeof(*h));
	ck_assert_int_eq(cfg_load(tu_path("config/match.conf"), NULL, 0,
	    &h->cfg, &errs), 0);
	h->nkeys = 2;
	ck_assert_ptr_nonnull(h->keys = calloc(2, sizeof(*h->keys)));
	ck_assert_ptr_nonnull(h->certs = calloc(2, sizeof(*h->certs)));
	text = read_text("certs/host_ed25519_key");
	ck_assert_ptr_nonnull(file = buf_from(text, strlen(text)));
	ck_assert_int_eq(key_private_parse(file, NULL, &h->keys[0], NULL), 0);
	buf_free(file);
	free(text);
	text = read_text("certs/host_ed25519-cert.pub");
	ck_assert_int_eq(cert_from_public_line(text, &h->certs[0], NULL), 0);
	free(text);
	ck_assert_int_eq(key_generate(KEY_ECDSA_P256, 0, &h->keys[1]), 0);
}

static char *
dump(const struct cfg *cfg)
{
	char *text = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&text, &len);

	ck_assert_ptr_nonnull(f);
	ck_assert_int_eq(cfg_dump(cfg_global(cfg), f), 0);
	ck_assert_int_eq(fclose(f), 0);
	return text;
}

static void
assert_same(const struct handover *a, const struct handover *b)
{
	const uint8_t *pa, *pb;
	char *da, *db;
	size_t i, la, lb;

	da = dump(a->cfg);
	db = dump(b->cfg);
	ck_assert_str_eq(da, db);
	free(da);
	free(db);
	ck_assert_uint_eq(a->nkeys, b->nkeys);
	for (i = 0; i < a->nkeys; i++) {
		ck_assert_int_eq(key_equal_public(a->keys[i], b->keys[i]), 0);
		ck_assert(key_is_private(b->keys[i]));
		ck_assert((a->certs[i] == NULL) == (b->certs[i] == NULL));
		if (a->certs[i] == NULL)
			continue;
		pa = cert_blob(a->certs[i], &la);
		pb = cert_blob(b->certs[i], &lb);
		ck_assert_uint_eq(la, lb);
		ck_assert(memcmp(pa, pb, la) == 0);
	}
}

START_TEST(test_handover_memfd)
{
	struct handover h, r1, r2;
	int fd, seals;
	char c = 'x';

	make(&h);
	ck_assert_int_eq(handover_write(&h, &fd), 0);
	ck_assert_int_ne(fcntl(fd, F_GETFD) & FD_CLOEXEC, 0);
	seals = fcntl(fd, F_GET_SEALS);
	ck_assert_int_eq(seals & (F_SEAL_WRITE | F_SEAL_GROW | F_SEAL_SHRINK |
	    F_SEAL_SEAL), F_SEAL_WRITE | F_SEAL_GROW | F_SEAL_SHRINK |
	    F_SEAL_SEAL);
	/* A session (root) cannot change it for the next one. */
	ck_assert_int_eq(pwrite(fd, &c, 1, 0), -1);
	ck_assert_int_eq(errno, EPERM);
	ck_assert_int_eq(ftruncate(fd, 1), -1);
	/* Each reader gets all of it, whatever the shared offset. */
	ck_assert_int_eq(lseek(fd, 5, SEEK_SET), 5);
	ck_assert_int_eq(handover_read(fd, &r1), 0);
	ck_assert_int_eq(handover_read(fd, &r2), 0);
	assert_same(&h, &r1);
	assert_same(&h, &r2);
	handover_clear(&r1);
	handover_clear(&r2);
	close(fd);
	handover_clear(&h);
	ck_assert_ptr_null(h.cfg);
}
END_TEST

/* The same bytes, but in something that could change: refused. */
START_TEST(test_handover_unsealed)
{
	struct handover h, r;
	struct buf *b = buf_new();
	char path[] = "/tmp/check_handover.XXXXXX";
	int fd;

	make(&h);
	ck_assert_int_eq(handover_serialise(&h, b), 0);
	fd = memfd_create("unsealed", MFD_CLOEXEC | MFD_ALLOW_SEALING);
	ck_assert_int_ge(fd, 0);
	ck_assert_int_eq(write(fd, buf_ptr(b), buf_len(b)),
	    (ssize_t)buf_len(b));
	ck_assert_int_eq(handover_read(fd, &r), SSH_ERR_INVALID_FORMAT);
	close(fd);
	fd = mkstemp(path);
	ck_assert_int_ge(fd, 0);
	unlink(path);
	ck_assert_int_eq(write(fd, buf_ptr(b), buf_len(b)),
	    (ssize_t)buf_len(b));
	ck_assert_int_ne(handover_read(fd, &r), 0);
	ck_assert_ptr_null(r.cfg);
	close(fd);
	buf_free(b);
	handover_clear(&h);
}
END_TEST

START_TEST(test_handover_truncated)
{
	struct handover h, r;
	struct buf *b = buf_new(), *part;
	size_t n, step;

	make(&h);
	ck_assert_int_eq(handover_serialise(&h, b), 0);
	step = buf_len(b) / 1500 + 1;
	for (n = 0; n < buf_len(b); n += step) {
		ck_assert_ptr_nonnull(part = buf_from(buf_ptr(b), n));
		ck_assert_int_ne(handover_deserialise(part, &r), 0);
		ck_assert_ptr_null(r.cfg);
		ck_assert_ptr_null(r.keys);
		buf_free(part);
	}
	/* And nothing may follow. */
	ck_assert_int_eq(buf_put_u8(b, 0), 0);
	ck_assert_int_ne(handover_deserialise(b, &r), 0);
	buf_free(b);
	handover_clear(&h);
}
END_TEST

/* A certificate must certify the key it comes with. */
START_TEST(test_handover_mispaired)
{
	struct handover h, r;
	struct buf *b = buf_new();

	make(&h);
	h.certs[1] = h.certs[0];
	h.certs[0] = NULL;
	ck_assert_int_eq(handover_serialise(&h, b), 0);
	ck_assert_int_eq(handover_deserialise(b, &r), SSH_ERR_INVALID_FORMAT);
	ck_assert_ptr_null(r.cfg);
	buf_free(b);
	handover_clear(&h);
}
END_TEST

static Suite *
handover_suite(void)
{
	Suite *s = suite_create("handover");
	TCase *tc = tcase_create("handover");

	tcase_add_test(tc, test_handover_memfd);
	tcase_add_test(tc, test_handover_unsealed);
	tcase_add_test(tc, test_handover_truncated);
	tcase_add_test(tc, test_handover_mispaired);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	return tu_run(handover_suite());
}
