/*
 * sandbox.h: the protocol child's confinement.
 *
 * sandbox_enter() runs once in the freshly started protocol child, after
 * it has everything it needs open (client socket, IPC and log fds) and
 * has done every initialisation that touches files (OpenSSL providers
 * loaded, algorithms fetched), and before it reads a byte from the
 * client.  In order:
 *   1. as root: the chroot directory passes sandbox_check_chroot();
 *      chroot(dir), chdir("/"); setgroups(1, {gid}), setgid, setuid to
 *      the unprivileged user, then verified: real, effective and saved
 *      ids all equal the target, the group list is exactly {gid}, and
 *      setuid(0) / setgid(0) fail.
 *      Not root: none of that (nothing to drop), the rest still applies.
 *   2. prctl(PR_SET_NO_NEW_PRIVS).
 *   3. rlimits: RLIMIT_NPROC 0, RLIMIT_FSIZE 0, RLIMIT_CORE 0,
 *      RLIMIT_NOFILE sb_max_files, RLIMIT_DATA SANDBOX_MAX_DATA and
 *      RLIMIT_AS SANDBOX_MAX_AS (not in the sanitizer build, see below).
 *   4. a seccomp filter (libseccomp): an allow-list of what a poll loop
 *      over already open fds needs, everything else kills the process
 *      (SIGSYS).  The list and the reason for each entry are in
 *      sandbox.c.  Calls from another ABI (i386 int 0x80, x32) kill too.
 * On success the process cannot open files, create sockets, run
 * programs, fork, signal others or map executable memory.  abort() still
 * works (it may send SIGABRT to the process itself).
 *
 * Both functions return 0 or a negative SSH_ERR_*; on failure *why (if
 * why is not NULL) is set to an allocated message for the log that the
 * caller frees.  A failed sandbox_enter() leaves the process half
 * confined: the caller must exit, never carry on.
 */
#ifndef NANOSSH_SANDBOX_H
#define NANOSSH_SANDBOX_H

#include <sys/resource.h>

/*
 * The protocol child's memory caps: a child made to hoard memory (or
 * compromised) fails its own allocations instead of pushing the machine
 * into the OOM killer.  What it legitimately buffers is bounded by the
 * channels: 64 sessions and 128 forwardings with a 2 MiB window each way
 * is under 800 MiB, and a quiet connection uses about 1 MiB of data and
 * 10 MiB of address space.  Under AddressSanitizer the shadow memory
 * alone is terabytes of address space (and counts as data), so the
 * sanitizer build sets neither cap.
 */
#define SANDBOX_MAX_DATA	((rlim_t)1 << 30)	/* 1 GiB */
#define SANDBOX_MAX_AS		((rlim_t)2 << 30)	/* 2 GiB */

struct sandbox_params {
	const char	*sb_chroot;	/* privsep.chroot; used only as root */
	const char	*sb_user;	/* privsep.user; used only as root */
	rlim_t		 sb_max_files;	/* RLIMIT_NOFILE (lowered, never raised) */
};

/*
 * Checks a chroot directory, for sandbox_enter and for `nanosshd -t`:
 * path is absolute; it is a directory owned by root and not writable by
 * group or others; every directory above it is owned by root and either
 * not writable by group or others or sticky (like /tmp: there nobody
 * else can rename or replace root's entries).
 */
int sandbox_check_chroot(const char *path, char **why);

int sandbox_enter(const struct sandbox_params *sp, char **why);

#endif
