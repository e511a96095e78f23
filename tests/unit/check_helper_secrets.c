/*
 * check_helper_secrets.c: the processes the monitor forks for the user's
 * work hold no host key (nor RSA key exchange's transient key).  A scan of the whole address space (every
 * readable mapping, through /proc/PID/mem) looks for the private key's
 * bytes: it finds them in a plain fork (the control), and not in a fork
 * that went through userproc_isolate, nor in a real forwarding helper
 * caught while it connects (as root, which may read another process's
 * memory).  The bytes to look for are kept masked, so the scan never
 * finds the test's own copy.
 */
#include <sys/types.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <netinet/in.h>
#include <arpa/inet.h>
#include <check.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pwd.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <openssl/evp.h>

#include "common/keyfile.h"
#include "common/secrets.h"
#include "privsep/fwdhelper.h"
#include "privsep/userproc.h"
#include "protocol/key.h"
#include "protocol/key_local.h"
#include "tests/unit/testutil.h"

#define MASK		0xa5
#define CHUNK		(1024 * 1024)
/* Larger mappings are a sanitizer's shadow memory (terabytes of zeros
 * reserved), never a heap the key could be on. */
#define REGION_MAX	(1UL << 32)
#define WAIT_MS		10000

static struct sshkey *key;
static uint8_t needle[32];		/* the private key, each byte ^ MASK */

/*
 * The key is loaded from a file, as nanosshd-session loads its host keys,
 * so copies the loading leaves behind count too.  Its raw bytes come from
 * a short-lived fork (OpenSSL's export leaves a copy on the heap of the
 * process that asks), masked, through a pipe.
 */
static void
setup(void)
{
	uint8_t raw[32];
	size_t len = sizeof(raw), i;
	int p[2], status;
	pid_t pid;

	ck_assert_int_eq(keyfile_load_private(SRCDIR "/tests/keys/ed25519",
	    NULL, 0, &key, NULL), 0);
	ck_assert_int_eq(pipe(p), 0);
	ck_assert_int_ne(pid = fork(), -1);
	if (pid == 0) {
		if (EVP_PKEY_get_raw_private_key(key->k_pkey, raw, &len) != 1 ||
		    len != sizeof(raw))
			_exit(1);
		for (i = 0; i < sizeof(raw); i++)
			raw[i] ^= MASK;
		_exit(write(p[1], raw, sizeof(raw)) == sizeof(raw) ? 0 : 1);
	}
	close(p[1]);
	ck_assert_int_eq(read(p[0], needle, sizeof(needle)), sizeof(needle));
	close(p[0]);
	ck_assert_int_eq(waitpid(pid, &status, 0), pid);
	ck_assert(WIFEXITED(status) && WEXITSTATUS(status) == 0);
}

static void
teardown(void)
{
	secrets_hold_keys(SECRETS_HOST_KEYS, NULL, 0);
	secrets_hold_keys(SECRETS_KEX_KEYS, NULL, 0);
	key_free(key);
	key = NULL;
}

static int
match_at(const uint8_t *p)
{
	size_t i;

	for (i = 0; i < sizeof(needle); i++)
		if ((uint8_t)(p[i] ^ MASK) != needle[i])
			return 0;
	return 1;
}

/* 1 if pid's memory holds the private key, 0 if not, -1 on error. */
static int
memory_holds_key(pid_t pid)
{
	char path[64], line[512];
	unsigned long lo, hi, a;
	uint8_t *buf;
	char perms[8];
	FILE *maps;
	ssize_t n;
	size_t keep = sizeof(needle) - 1, have, i;
	int mem, found = 0;

	snprintf(path, sizeof(path), "/proc/%ld/maps", (long)pid);
	if ((maps = fopen(path, "re")) == NULL)
		return -1;
	snprintf(path, sizeof(path), "/proc/%ld/mem", (long)pid);
	if ((mem = open(path, O_RDONLY | O_CLOEXEC)) == -1 ||
	    (buf = malloc(CHUNK + sizeof(needle))) == NULL) {
		fclose(maps);
		return -1;
	}
	while (!found && fgets(line, sizeof(line), maps) != NULL) {
		if (sscanf(line, "%lx-%lx %7s", &lo, &hi, perms) != 3 ||
		    perms[0] != 'r' || hi - lo > REGION_MAX ||
		    strstr(line, "[vvar") != NULL ||
		    strstr(line, "[vsyscall]") != NULL)
			continue;
		have = 0;
		for (a = lo; a < hi && !found; a += (unsigned long)n) {
			size_t want = hi - a < CHUNK ? hi - a : CHUNK;

			n = pread(mem, buf + have, want, (off_t)a);
			if (n <= 0)
				break;
			have += (size_t)n;
			for (i = 0; i + sizeof(needle) <= have; i++)
				if (match_at(buf + i)) {
					found = 1;
					break;
				}
			/* The tail, for a key across two chunks. */
			if (have > keep) {
				memmove(buf, buf + have - keep, keep);
				have = keep;
			}
		}
	}
	explicit_bzero(buf, CHUNK + sizeof(needle));
	free(buf);
	close(mem);
	fclose(maps);
	return found;
}

/* Forks; the child runs isolate first (or not) and exits with what its
 * scan of itself found: 0 nothing, 1 the key, 2 an error. */
static int
fork_and_scan(int isolate)
{
	pid_t pid;
	int status, r;

	ck_assert_int_ne(pid = fork(), -1);
	if (pid == 0) {
		if (isolate && userproc_isolate() != 0)
			_exit(2);
		r = memory_holds_key(getpid());
		_exit(r < 0 ? 2 : r);
	}
	ck_assert_int_eq(waitpid(pid, &status, 0), pid);
	ck_assert(WIFEXITED(status));
	return WEXITSTATUS(status);
}

/* The control: a plain fork carries the key, and the scan sees it. */
START_TEST(test_plain_fork_holds_key)
{
	secrets_hold_keys(SECRETS_HOST_KEYS, &key, 1);
	ck_assert_int_eq(fork_and_scan(0), 1);
	/* The parent keeps its key. */
	ck_assert_ptr_nonnull(key);
}
END_TEST

/* Every user-side helper and command starts with userproc_isolate. */
START_TEST(test_isolated_fork_forgets_key)
{
	secrets_hold_keys(SECRETS_HOST_KEYS, &key, 1);
	ck_assert_int_eq(fork_and_scan(1), 0);
	ck_assert_ptr_nonnull(key);
}
END_TEST

/* RSA key exchange's transient keys are wiped the same way. */
START_TEST(test_isolated_fork_forgets_kex_key)
{
	struct sshkey *kex[2] = { NULL, key };

	secrets_hold_keys(SECRETS_KEX_KEYS, kex, 2);
	ck_assert_int_eq(fork_and_scan(0), 1);
	ck_assert_int_eq(fork_and_scan(1), 0);
	ck_assert_ptr_nonnull(kex[1]);
}
END_TEST

/* The state a process is in: the number of its current system call. */
static long
current_syscall(pid_t pid)
{
	char path[64], text[64];
	ssize_t n;
	int fd;

	snprintf(path, sizeof(path), "/proc/%ld/syscall", (long)pid);
	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) == -1)
		return -1;
	n = read(fd, text, sizeof(text) - 1);
	close(fd);
	if (n <= 0)
		return -1;
	text[n] = '\0';
	return strtol(text, NULL, 10);
}

static int
in_poll(long nr)
{
#ifdef SYS_poll
	if (nr == SYS_poll)
		return 1;
#endif
	return nr == SYS_ppoll;
}

/* A real forwarding helper, held in its connect: a listener with a full
 * backlog drops the SYN, so the helper waits in poll. */
START_TEST(test_fwdhelper_forgets_key)
{
	struct sockaddr_in sin;
	socklen_t slen = sizeof(sin);
	struct fwdhelper_req req;
	struct timespec ts = { 0, 10 * 1000 * 1000 };
	struct passwd *pw;
	pid_t pid;
	int lsock, fill, fd, i, status;

	if (geteuid() != 0)
		return;	/* reading another process's memory takes root */
	ck_assert_ptr_nonnull(pw = getpwuid(geteuid()));
	ck_assert_int_ge(lsock = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC,
	    0), 0);
	memset(&sin, 0, sizeof(sin));
	sin.sin_family = AF_INET;
	sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	ck_assert_int_eq(bind(lsock, (struct sockaddr *)&sin, sizeof(sin)), 0);
	ck_assert_int_eq(listen(lsock, 0), 0);
	ck_assert_int_eq(getsockname(lsock, (struct sockaddr *)&sin, &slen),
	    0);
	ck_assert_int_ge(fill = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC,
	    0), 0);
	ck_assert_int_eq(connect(fill, (struct sockaddr *)&sin, sizeof(sin)),
	    0);
	secrets_hold_keys(SECRETS_HOST_KEYS, &key, 1);
	memset(&req, 0, sizeof(req));
	req.host = "127.0.0.1";
	req.port = ntohs(sin.sin_port);
	ck_assert_int_eq(fwdhelper_start(pw, &req, &pid, &fd), 0);
	for (i = 0; i < WAIT_MS / 10 && !in_poll(current_syscall(pid)); i++)
		nanosleep(&ts, NULL);
	ck_assert_msg(in_poll(current_syscall(pid)),
	    "the helper never waited in its connect");
	ck_assert_int_eq(memory_holds_key(pid), 0);
	ck_assert_ptr_nonnull(key);
	kill(pid, SIGKILL);
	ck_assert_int_eq(waitpid(pid, &status, 0), pid);
	close(fd);
	close(fill);
	close(lsock);
}
END_TEST

int
main(void)
{
	Suite *s = suite_create("helper_secrets");
	TCase *tc = tcase_create("core");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_plain_fork_holds_key);
	tcase_add_test(tc, test_isolated_fork_forgets_key);
	tcase_add_test(tc, test_isolated_fork_forgets_kex_key);
	tcase_add_test(tc, test_fwdhelper_forgets_key);
	suite_add_tcase(s, tc);
	return tu_run(s);
}
