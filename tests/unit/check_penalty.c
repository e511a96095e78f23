/*
 * check_penalty.c: the listener's per-source penalty table: accumulation,
 * the refusal threshold, expiry, the cap, eviction when full, IPv6 /64
 * grouping, IPv4-mapped addresses, exempt patterns, and the exit status
 * to penalty mapping.
 */
#include <sys/types.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <check.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "daemon/penalty.h"
#include "privsep/outcome.h"
#include "protocol/ssherr.h"

/* A sockaddr for a numeric address; the port must not matter. */
struct addr {
	struct sockaddr_storage ss;
	socklen_t len;
};

static struct addr
A(const char *text)
{
	struct addr a;
	struct sockaddr_in *s4 = (struct sockaddr_in *)&a.ss;
	struct sockaddr_in6 *s6 = (struct sockaddr_in6 *)&a.ss;

	memset(&a, 0, sizeof(a));
	if (strchr(text, ':') != NULL) {
		s6->sin6_family = AF_INET6;
		s6->sin6_port = htons((uint16_t)(1000 + rand() % 60000));
		ck_assert_int_eq(inet_pton(AF_INET6, text, &s6->sin6_addr), 1);
		a.len = sizeof(*s6);
	} else {
		s4->sin_family = AF_INET;
		s4->sin_port = htons((uint16_t)(1000 + rand() % 60000));
		ck_assert_int_eq(inet_pton(AF_INET, text, &s4->sin_addr), 1);
		a.len = sizeof(*s4);
	}
	return a;
}

#define SA(a)	((const struct sockaddr *)&(a).ss), (a).len

static char *const no_exempt[] = { NULL };

/* authfail 5, grace 10, crash 90, min 15, max 600, nothing exempt. */
static void
table(struct penalty_table *t, size_t cap, char *const *exempt,
    size_t nexempt)
{
	struct penalty_conf pc = { 1, 5, 10, 90, 15, 600, exempt, nexempt };

	ck_assert_int_eq(penalty_init(t, &pc, cap), 0);
}

static int
add(struct penalty_table *t, const char *addr, int secs, uint64_t now)
{
	struct addr a = A(addr);

	return penalty_add(t, SA(a), secs, now);
}

static int
refused(struct penalty_table *t, const char *addr, uint64_t now)
{
	struct addr a = A(addr);

	return penalty_refused(t, SA(a), now);
}

START_TEST(test_accumulate_to_threshold)
{
	struct penalty_table t;

	table(&t, 16, no_exempt, 0);
	/* 5 + 5 + 5 = 15 is not above min 15: still allowed. */
	ck_assert_int_eq(add(&t, "192.0.2.1", 5, 1000), 0);
	ck_assert_int_eq(add(&t, "192.0.2.1", 5, 1000), 0);
	ck_assert_int_eq(add(&t, "192.0.2.1", 5, 1000), 0);
	ck_assert_int_eq(refused(&t, "192.0.2.1", 1000), 0);
	/* The fourth makes 20: refused, and add says so once. */
	ck_assert_int_eq(add(&t, "192.0.2.1", 5, 1000), 1);
	ck_assert_int_eq(refused(&t, "192.0.2.1", 1000), 20);
	ck_assert_int_eq(add(&t, "192.0.2.1", 5, 1000), 0);
	ck_assert_int_eq(refused(&t, "192.0.2.1", 1000), 25);
	/* Other sources are not affected. */
	ck_assert_int_eq(refused(&t, "192.0.2.2", 1000), 0);
	penalty_free(&t);
}
END_TEST

/* What is left decays: slow failures never add up to the threshold. */
/* nanosshctl penalties --clear: one source (an IPv6 /64 as one), all;
 * the sources as text. */
START_TEST(test_clear_and_text)
{
	struct penalty_table t;
	struct addr a;
	char text[64];

	table(&t, 16, no_exempt, 0);
	ck_assert_int_eq(add(&t, "192.0.2.1", 20, 1000), 1);
	ck_assert_int_eq(add(&t, "2001:db8:1:2::5", 20, 1000), 1);
	ck_assert_int_eq(add(&t, "192.0.2.3", 20, 1000), 1);
	ck_assert_int_eq(penalty_key_text(&t.pt_v[0].pe_key, text,
	    sizeof(text)), 0);
	ck_assert_str_eq(text, "192.0.2.1");
	ck_assert_int_eq(penalty_key_text(&t.pt_v[1].pe_key, text,
	    sizeof(text)), 0);
	ck_assert_str_eq(text, "2001:db8:1:2::/64");
	a = A("2001:db8:1:2::99");
	ck_assert_int_eq(penalty_clear(&t, SA(a), 1000), 1);
	ck_assert_int_eq(refused(&t, "2001:db8:1:2::5", 1000), 0);
	ck_assert_int_gt(refused(&t, "192.0.2.1", 1000), 0);
	ck_assert_int_eq(penalty_clear(&t, SA(a), 1000), 0);
	/* Of the two left, one ran out: one cleared. */
	ck_assert_uint_eq(t.pt_n, 2);
	t.pt_v[1].pe_expiry = 999;
	ck_assert_int_eq(penalty_clear(&t, NULL, 0, 1000), 1);
	ck_assert_int_eq(refused(&t, "192.0.2.1", 1000), 0);
	penalty_free(&t);
}
END_TEST

START_TEST(test_decay_between_penalties)
{
	struct penalty_table t;
	uint64_t now = 5000;
	int i;

	table(&t, 16, no_exempt, 0);
	for (i = 0; i < 100; i++, now += 5)
		ck_assert_int_eq(add(&t, "198.51.100.7", 5, now), 0);
	ck_assert_int_eq(refused(&t, "198.51.100.7", now), 0);
	/* A second after a penalty of 15, 14 are left; 14 + 5 passes 15. */
	ck_assert_int_eq(add(&t, "198.51.100.8", 15, now), 0);
	ck_assert_int_eq(add(&t, "198.51.100.8", 5, now + 1), 1);
	ck_assert_int_eq(refused(&t, "198.51.100.8", now + 1), 19);
	penalty_free(&t);
}
END_TEST

START_TEST(test_expiry)
{
	struct penalty_table t;

	table(&t, 16, no_exempt, 0);
	ck_assert_int_eq(add(&t, "203.0.113.9", 90, 100), 1);
	ck_assert_int_eq(refused(&t, "203.0.113.9", 100), 90);
	/* Refused until the whole penalty has run out, even below min. */
	ck_assert_int_eq(refused(&t, "203.0.113.9", 180), 10);
	ck_assert_int_eq(refused(&t, "203.0.113.9", 189), 1);
	ck_assert_int_eq(refused(&t, "203.0.113.9", 190), 0);
	ck_assert_uint_eq(t.pt_n, 0);
	/* Afterwards the source starts from nothing again. */
	ck_assert_int_eq(add(&t, "203.0.113.9", 5, 200), 0);
	ck_assert_int_eq(refused(&t, "203.0.113.9", 200), 0);
	penalty_free(&t);
}
END_TEST

START_TEST(test_cap_at_max)
{
	struct penalty_table t;
	int i;

	table(&t, 16, no_exempt, 0);
	for (i = 0; i < 50; i++)
		(void)add(&t, "192.0.2.50", 90, 10);
	ck_assert_int_eq(refused(&t, "192.0.2.50", 10), 600);
	ck_assert_int_eq(refused(&t, "192.0.2.50", 609), 1);
	ck_assert_int_eq(refused(&t, "192.0.2.50", 610), 0);
	/* One penalty larger than max is capped too. */
	ck_assert_int_eq(add(&t, "192.0.2.51", 86400, 10), 1);
	ck_assert_int_eq(refused(&t, "192.0.2.51", 10), 600);
	penalty_free(&t);
}
END_TEST

/* A full table forgets the source whose penalty ends soonest. */
START_TEST(test_eviction)
{
	struct penalty_table t;
	char a[32];
	int i;

	table(&t, 4, no_exempt, 0);
	ck_assert_int_eq(add(&t, "10.0.0.1", 100, 0), 1);
	ck_assert_int_eq(add(&t, "10.0.0.2", 20, 0), 1);	/* soonest */
	ck_assert_int_eq(add(&t, "10.0.0.3", 300, 0), 1);
	ck_assert_int_eq(add(&t, "10.0.0.4", 400, 0), 1);
	ck_assert_uint_eq(t.pt_n, 4);
	ck_assert_int_eq(add(&t, "10.0.0.5", 50, 1), 1);
	ck_assert_uint_eq(t.pt_n, 4);
	ck_assert_uint_eq(t.pt_evicted, 1);
	ck_assert_int_eq(refused(&t, "10.0.0.2", 1), 0);
	ck_assert_int_ne(refused(&t, "10.0.0.1", 1), 0);
	ck_assert_int_ne(refused(&t, "10.0.0.3", 1), 0);
	ck_assert_int_ne(refused(&t, "10.0.0.4", 1), 0);
	ck_assert_int_ne(refused(&t, "10.0.0.5", 1), 0);
	/* Expired entries make room before anything live is evicted. */
	ck_assert_int_eq(add(&t, "10.0.0.6", 30, 200), 1);
	ck_assert_uint_eq(t.pt_evicted, 1);
	ck_assert_int_ne(refused(&t, "10.0.0.3", 200), 0);
	ck_assert_int_ne(refused(&t, "10.0.0.4", 200), 0);
	/* A flood of sources never grows the table past its capacity. */
	for (i = 0; i < 1000; i++) {
		snprintf(a, sizeof(a), "172.16.%d.%d", i / 250, i % 250 + 1);
		(void)add(&t, a, 16, 300);
	}
	ck_assert_uint_eq(t.pt_n, 4);
	ck_assert_uint_eq(t.pt_cap, 4);
	penalty_free(&t);
}
END_TEST

START_TEST(test_ipv6_grouped_by_64)
{
	struct penalty_table t;

	table(&t, 16, no_exempt, 0);
	ck_assert_int_eq(add(&t, "2001:db8:1:2::1", 10, 0), 0);
	ck_assert_int_eq(add(&t, "2001:db8:1:2:ffff:1:2:3", 10, 0), 1);
	ck_assert_int_eq(refused(&t, "2001:db8:1:2::abcd", 0), 20);
	/* The next /64 is another source. */
	ck_assert_int_eq(refused(&t, "2001:db8:1:3::1", 0), 0);
	ck_assert_uint_eq(t.pt_n, 1);
	/* IPv4 stays per address. */
	ck_assert_int_eq(add(&t, "192.0.2.1", 20, 0), 1);
	ck_assert_int_eq(refused(&t, "192.0.2.2", 0), 0);
	penalty_free(&t);
}
END_TEST

/* An IPv4 client seen on an IPv6 socket is the same IPv4 source. */
START_TEST(test_v4mapped)
{
	struct penalty_table t;
	struct penalty_key k4, k6;
	struct addr a4 = A("192.0.2.77"), a6 = A("::ffff:192.0.2.77");

	ck_assert_int_eq(penalty_key_of(SA(a4), &k4), 0);
	ck_assert_int_eq(penalty_key_of(SA(a6), &k6), 0);
	ck_assert_int_eq(k6.pk_family, AF_INET);
	ck_assert_mem_eq(&k4, &k6, sizeof(k4));
	table(&t, 16, no_exempt, 0);
	ck_assert_int_eq(add(&t, "::ffff:192.0.2.77", 20, 0), 1);
	ck_assert_int_eq(refused(&t, "192.0.2.77", 0), 20);
	/* And a mapped address is not grouped by /64 with others. */
	ck_assert_int_eq(refused(&t, "::ffff:192.0.2.78", 0), 0);
	penalty_free(&t);
}
END_TEST

START_TEST(test_exempt)
{
	static char *const ex[] = { "127.0.0.0/8", "::1", "10.1.*",
	    "!10.1.2.3" };
	struct penalty_table t;
	struct addr lo = A("127.5.6.7");

	table(&t, 16, ex, 4);
	ck_assert_int_eq(penalty_exempt(&t, SA(lo)), 1);
	ck_assert_int_eq(add(&t, "127.5.6.7", 600, 0), 0);
	ck_assert_int_eq(refused(&t, "127.5.6.7", 0), 0);
	ck_assert_int_eq(add(&t, "::1", 600, 0), 0);
	ck_assert_int_eq(add(&t, "::ffff:127.0.0.1", 600, 0), 0);
	ck_assert_int_eq(add(&t, "10.1.9.9", 600, 0), 0);
	ck_assert_uint_eq(t.pt_n, 0);
	/* Not exempt: a negated pattern, and addresses outside the list. */
	ck_assert_int_eq(add(&t, "10.1.2.3", 600, 0), 1);
	ck_assert_int_eq(add(&t, "::2", 600, 0), 1);
	ck_assert_int_eq(add(&t, "128.0.0.1", 600, 0), 1);
	ck_assert_uint_eq(t.pt_n, 3);
	penalty_free(&t);
}
END_TEST

/* The exempt patterns are copied: the caller's list may go away. */
START_TEST(test_exempt_copied)
{
	struct penalty_table t;
	char pat[] = "192.0.2.0/24";
	char *ex[] = { pat };

	table(&t, 16, ex, 1);
	pat[0] = 'x';
	ck_assert_int_eq(add(&t, "192.0.2.1", 600, 0), 0);
	penalty_free(&t);
}
END_TEST

START_TEST(test_disabled)
{
	struct penalty_conf pc = { 0, 5, 10, 90, 15, 600, no_exempt, 0 };
	struct penalty_table t;

	ck_assert_int_eq(penalty_init(&t, &pc, 16), 0);
	ck_assert_int_eq(add(&t, "192.0.2.1", 600, 0), 0);
	ck_assert_int_eq(refused(&t, "192.0.2.1", 0), 0);
	ck_assert_uint_eq(t.pt_n, 0);
	penalty_free(&t);
	/* A zeroed table (never initialised) refuses nobody. */
	memset(&t, 0, sizeof(t));
	ck_assert_int_eq(refused(&t, "192.0.2.1", 0), 0);
	ck_assert_int_eq(add(&t, "192.0.2.1", 600, 0), 0);
	penalty_free(&t);
}
END_TEST

START_TEST(test_bad_input)
{
	struct penalty_conf pc = { 1, 5, 10, 90, 15, 600, no_exempt, 0 };
	struct penalty_conf bad;
	struct penalty_table t;
	struct penalty_key k;
	struct sockaddr_un_like {
		sa_family_t fam;
		char path[32];
	} un;
	struct addr a = A("192.0.2.1");

	ck_assert_int_eq(penalty_init(&t, &pc, 0), SSH_ERR_INVALID_ARGUMENT);
	ck_assert_int_eq(penalty_init(&t, &pc, PENALTY_SOURCES_MAX + 1),
	    SSH_ERR_INVALID_ARGUMENT);
	bad = pc;
	bad.pc_max = 0;
	ck_assert_int_eq(penalty_init(&t, &bad, 4), SSH_ERR_INVALID_ARGUMENT);
	bad = pc;
	bad.pc_exempt = NULL;
	bad.pc_nexempt = 1;
	ck_assert_int_eq(penalty_init(&t, &bad, 4), SSH_ERR_INVALID_ARGUMENT);
	ck_assert_ptr_null(t.pt_v);
	table(&t, 4, no_exempt, 0);
	memset(&un, 0, sizeof(un));
	un.fam = AF_UNIX;
	ck_assert_int_eq(penalty_key_of((struct sockaddr *)&un, sizeof(un),
	    &k), SSH_ERR_INVALID_ARGUMENT);
	ck_assert_int_eq(penalty_add(&t, (struct sockaddr *)&un, sizeof(un),
	    600, 0), 0);
	/* A truncated address is refused, not read past its end. */
	ck_assert_int_eq(penalty_key_of(SA(a) - 1, &k),
	    SSH_ERR_INVALID_ARGUMENT);
	ck_assert_int_eq(penalty_add(&t, NULL, 0, 600, 0), 0);
	/* Zero or negative seconds add nothing. */
	ck_assert_int_eq(add(&t, "192.0.2.1", 0, 0), 0);
	ck_assert_int_eq(add(&t, "192.0.2.1", -5, 0), 0);
	ck_assert_uint_eq(t.pt_n, 0);
	penalty_free(&t);
}
END_TEST

/* A real exit status, from a child that exits or is killed. */
static int
status_of(int code, int sig)
{
	pid_t pid;
	int st;

	ck_assert_int_ne(pid = fork(), -1);
	if (pid == 0) {
		/* Check's own handlers are inherited: die the plain way. */
		if (sig != 0) {
			signal(sig, SIG_DFL);
			raise(sig);
		}
		_exit(code);
	}
	ck_assert_int_eq(waitpid(pid, &st, 0), pid);
	if (sig != 0)
		ck_assert(WIFSIGNALED(st) && WTERMSIG(st) == sig);
	else
		ck_assert(WIFEXITED(st) && WEXITSTATUS(st) == code);
	return st;
}

START_TEST(test_for_status)
{
	struct penalty_table t;
	const char *why;

	table(&t, 4, no_exempt, 0);
	ck_assert_int_eq(penalty_for_status(&t, status_of(OUTCOME_OK, 0),
	    &why), 0);
	ck_assert_ptr_null(why);
	ck_assert_int_eq(penalty_for_status(&t, status_of(OUTCOME_NOAUTH, 0),
	    &why), 0);
	ck_assert_int_eq(penalty_for_status(&t,
	    status_of(OUTCOME_PROTOCOL, 0), &why), 0);
	ck_assert_ptr_null(why);
	ck_assert_int_eq(penalty_for_status(&t,
	    status_of(OUTCOME_AUTHFAIL, 0), &why), 5);
	ck_assert_str_eq(why, "authfail");
	ck_assert_int_eq(penalty_for_status(&t, status_of(OUTCOME_GRACE, 0),
	    &why), 10);
	ck_assert_str_eq(why, "grace_exceeded");
	ck_assert_int_eq(penalty_for_status(&t, status_of(OUTCOME_ERROR, 0),
	    &why), 90);
	ck_assert_str_eq(why, "crash");
	ck_assert_int_eq(penalty_for_status(&t,
	    status_of(OUTCOME_VIOLATION, 0), &why), 90);
	ck_assert_int_eq(penalty_for_status(&t, status_of(0, SIGKILL), &why),
	    90);
	ck_assert_str_eq(why, "crash");
	/* SIGTERM, not SIGSEGV, which the sanitizers turn into an exit. */
	ck_assert_int_eq(penalty_for_status(&t, status_of(0, SIGTERM), &why),
	    90);
	ck_assert_int_eq(penalty_for_status(&t, status_of(77, 0), &why), 90);
	penalty_free(&t);
}
END_TEST

static Suite *
penalty_suite(void)
{
	Suite *s = suite_create("penalty");
	TCase *tc = tcase_create("table");

	tcase_add_test(tc, test_accumulate_to_threshold);
	tcase_add_test(tc, test_decay_between_penalties);
	tcase_add_test(tc, test_expiry);
	tcase_add_test(tc, test_cap_at_max);
	tcase_add_test(tc, test_eviction);
	tcase_add_test(tc, test_ipv6_grouped_by_64);
	tcase_add_test(tc, test_v4mapped);
	tcase_add_test(tc, test_exempt);
	tcase_add_test(tc, test_exempt_copied);
	tcase_add_test(tc, test_disabled);
	tcase_add_test(tc, test_bad_input);
	tcase_add_test(tc, test_for_status);
	tcase_add_test(tc, test_clear_and_text);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	SRunner *sr = srunner_create(penalty_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
