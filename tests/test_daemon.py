#!/usr/bin/python3
"""test_daemon.py: nanosshd's command line, startup checks, listening,
pid file, signals and max_startups, against the built daemon."""

import grp
import os
import pwd
import re
import signal
import socket
import stat
import struct
import subprocess
import sys
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import harness  # noqa: E402
from harness import Server, scratch_server, recv_line, wait_until  # noqa: E402

BANNER = re.compile(rb"^SSH-2\.0-nanossh_[0-9][0-9A-Za-z.]*\r\n$")


def stderr_lines(r):
    return [l for l in r.stderr.splitlines() if l.strip()]


def recv_exact(s, n):
    data = b""
    while len(data) < n:
        chunk = s.recv(n - len(data))
        if not chunk:
            raise AssertionError("connection closed after %r" % data)
        data += chunk
    return data


def server_ciphers(srv):
    """The server-to-client cipher list of the KEXINIT a new connection
    gets: what the serving session's configuration says."""
    with srv.connect() as s:
        if not BANNER.match(recv_line(s)):
            raise AssertionError("no banner; log:\n%s" % srv.read_log())
        s.sendall(b"SSH-2.0-test\r\n")
        s.settimeout(10)
        length, _pad = struct.unpack(">IB", recv_exact(s, 5))
        payload = recv_exact(s, length - 1)
    if payload[0] != 20:
        raise AssertionError("not a KEXINIT: %r" % payload[:1])
    off, lists = 17, []
    for _ in range(4):
        n = struct.unpack(">I", payload[off:off + 4])[0]
        lists.append(payload[off + 4:off + 4 + n].decode())
        off += 4 + n
    # kex, host key, ciphers client to server, server to client.
    return lists[3]


class CommandLine(unittest.TestCase):
    def test_version(self):
        with scratch_server() as srv:
            r = srv.run("-V")
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertRegex(r.stdout, r"^nanossh_[0-9]+\.[0-9]+\.[0-9]+\n$")

    def test_unknown_flag(self):
        with scratch_server() as srv:
            r = srv.run("-Q")
        self.assertEqual(r.returncode, 1)
        self.assertIn("usage:", r.stderr)

    def test_extra_argument(self):
        with scratch_server() as srv:
            r = srv.run("-t", "stray")
        self.assertEqual(r.returncode, 1)
        self.assertIn("usage:", r.stderr)

    def test_check_good_config(self):
        with scratch_server() as srv:
            r = srv.run("-t")
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertEqual(r.stdout, "")

    def test_check_bad_config(self):
        with scratch_server() as srv:
            srv.write_config(harness.conf_text(srv.settings) +
                             "auth = { max_tries = \"many\"; };\n")
            r = srv.run("-t")
        self.assertEqual(r.returncode, 1)
        self.assertRegex(r.stderr, re.escape(srv.conf_path) + r":\d+: ")

    def test_check_reports_every_problem(self):
        with scratch_server() as srv:
            srv.update_settings({"host_keys": [
                os.path.join(srv.tmp, "missing1"),
                os.path.join(srv.tmp, "missing2")]})
            srv.write_config()
            r = srv.run("-t")
        self.assertEqual(r.returncode, 1)
        self.assertIn("missing1", r.stderr)
        self.assertIn("missing2", r.stderr)

    def test_missing_config(self):
        with scratch_server() as srv:
            r = srv.run("-t", "-f", os.path.join(srv.tmp, "nonexistent"))
        self.assertEqual(r.returncode, 1)
        self.assertIn("nonexistent", r.stderr)

    def test_dump_defaults(self):
        with scratch_server() as srv:
            r = srv.run("-T")
        self.assertEqual(r.returncode, 0, r.stderr)
        # Settings absent from the file appear with their defaults.
        self.assertRegex(r.stdout, r'max_startups = "10:30:100";')
        self.assertRegex(r.stdout, r"login_grace_time = 120;")
        self.assertIn('pid_file = "%s";' % srv.pid_file, r.stdout)

    def test_dump_overrides(self):
        with scratch_server() as srv:
            r = srv.run("-T", "-o", "limits.max_startups=1:100:1",
                        "-o", "auth.max_tries=3")
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertIn('max_startups = "1:100:1";', r.stdout)
        self.assertRegex(r.stdout, r"max_tries = 3;")

    def test_dump_for_connection(self):
        me = pwd.getpwuid(os.getuid()).pw_name
        group = grp.getgrgid(os.getgid()).gr_name
        with scratch_server(settings={"match": [
                {"users": ["nanossh-nobody-such"],
                 "limits": {"max_sessions": 2}},
                {"addresses": ["192.0.2.0/24"],
                 "limits": {"max_sessions": 3}},
                {"groups": [group], "forwarding": {"tcp": "no"}}]}) as srv:
            def sessions_tcp(*spec):
                r = srv.run("-T", *spec)
                self.assertEqual(r.returncode, 0, r.stderr)
                return (re.search(r"max_sessions = (\d+);", r.stdout).group(1),
                        re.search(r'\btcp = "(\w+)";', r.stdout).group(1))
            self.assertEqual(sessions_tcp(), ("10", "yes"))
            self.assertEqual(sessions_tcp("-C", "addr=192.0.2.9"),
                             ("3", "yes"))
            self.assertEqual(sessions_tcp("-C", "addr=2001:db8::1"),
                             ("10", "yes"))
            # The user's groups are looked up as for a login.
            self.assertEqual(sessions_tcp("-C", "user=%s,addr=192.0.2.9" % me),
                             ("3", "no"))
            self.assertEqual(sessions_tcp("-C", "user=nanossh-nobody-such"),
                             ("2", "yes"))
            for bad, why in (("host=example.org", "no match criterion"),
                             ("addr=example.org", "not a numeric"),
                             ("user", "not name=value"),
                             ("user=a,user=b", "repeated"),
                             ("colour=blue", "unknown")):
                r = srv.run("-T", "-C", bad)
                self.assertEqual(r.returncode, 1, bad)
                self.assertIn(why, r.stderr)
                self.assertEqual(r.stdout, "")
            # -C means nothing without -T.
            r = srv.run("-t", "-C", "user=%s" % me)
            self.assertEqual(r.returncode, 1)
            self.assertIn("usage:", r.stderr)

    def test_bad_override(self):
        with scratch_server() as srv:
            r = srv.run("-t", "-o", "no.such.setting=1")
        self.assertEqual(r.returncode, 1)
        self.assertIn("no.such.setting", r.stderr)


class StartupFailures(unittest.TestCase):
    """Each gives exactly one line naming the problem, and exit status 1
    (at log level info; debug adds lines such as host key fingerprints)."""

    def start_fails(self, srv):
        r = srv.run("-D", "-e")
        self.assertEqual(r.returncode, 1, r.stderr)
        lines = stderr_lines(r)
        self.assertEqual(len(lines), 1, r.stderr)
        self.assertFalse(os.path.exists(srv.pid_file))
        return lines[0]

    def test_missing_host_key(self):
        with scratch_server(log_level="info") as srv:
            missing = os.path.join(srv.tmp, "no_such_key")
            srv.update_settings({"host_keys": [missing]})
            srv.write_config()
            line = self.start_fails(srv)
        self.assertIn("cannot load host key %s" % missing, line)
        self.assertIn("No such file", line)

    def test_group_readable_host_key(self):
        with scratch_server(log_level="info") as srv:
            os.chmod(srv.host_keys[0], 0o640)
            line = self.start_fails(srv)
        self.assertIn("cannot load host key %s" % srv.host_keys[0], line)
        self.assertIn("permissions", line)

    def test_bad_host_key(self):
        with scratch_server(log_level="info") as srv:
            with open(srv.host_keys[0], "w") as f:
                f.write("not a key\n")
            line = self.start_fails(srv)
        self.assertIn("cannot load host key %s" % srv.host_keys[0], line)

    def test_port_in_use(self):
        with scratch_server(log_level="info") as srv, \
                socket.socket(socket.AF_INET, socket.SOCK_STREAM) as blocker:
            blocker.bind(("127.0.0.1", srv.port))
            blocker.listen(1)
            line = self.start_fails(srv)
        self.assertEqual(line, "nanosshd: cannot listen on 127.0.0.1:%d: "
                         "Address already in use" % srv.port)


class Serving(unittest.TestCase):
    def test_banner_and_pid_file(self):
        srv = Server()
        try:
            srv.start()
            self.assertTrue(BANNER.match(srv.banner()), srv.read_log())
            with open(srv.pid_file) as f:
                self.assertEqual(f.read(), "%d\n" % srv.pid)
            self.assertEqual(os.stat(srv.pid_file).st_mode & 0o777, 0o644)
            self.assertEqual(srv.stop(), 0, srv.log_text)
            self.assertFalse(os.path.exists(srv.pid_file))
            self.assertRegex(srv.log_text, r"Connection from 127\.0\.0\.1 "
                             r"port \d+ on 127\.0\.0\.1 port %d" % srv.port)
        finally:
            srv.close()

    def test_debug_flag(self):
        """-d logs at debug whatever log_level says."""
        with Server(log_level="error", extra_args=["-d"]) as srv:
            self.assertTrue(BANNER.match(srv.banner()))
            srv.wait_log(r"nanosshd\[%d\]: debug: host key " % srv.pid)
            srv.wait_log(r"nanosshd-session\[\d+\]: debug: ")

    def test_log_level_error_is_quiet(self):
        with Server(log_level="error") as srv:
            self.assertTrue(BANNER.match(srv.banner()))
            self.assertEqual(srv.stop(), 0)
            self.assertEqual(srv.log_text, "")

    def test_openssh_client_sees_version(self):
        """A real client reads the identification (the protocol itself is
        not there yet, so it then fails)."""
        with Server() as srv:
            r = subprocess.run(srv.ssh_argv("true", options=["LogLevel=DEBUG1"]),
                               stdin=subprocess.DEVNULL, capture_output=True,
                               text=True, timeout=60)
        self.assertNotEqual(r.returncode, 0)
        self.assertRegex(r.stderr, r"Remote protocol version 2\.0, remote "
                         r"software version nanossh_\d")

    def test_sigint_stops(self):
        srv = Server()
        try:
            srv.start()
            self.assertEqual(srv.stop(signal.SIGINT), 0, srv.log_text)
            self.assertFalse(os.path.exists(srv.pid_file))
        finally:
            srv.close()

    @unittest.skipUnless(harness.have_ipv6(), "no IPv6 on this machine")
    def test_ipv4_and_ipv6(self):
        with Server(listen_hosts=("127.0.0.1", "::1")) as srv:
            srv.wait_listening("::1", srv.port)
            self.assertTrue(BANNER.match(srv.banner("127.0.0.1")))
            self.assertTrue(BANNER.match(srv.banner("::1")))

    def test_session_gets_overrides(self):
        """-o reaches each session with the rest of the configuration."""
        with Server(settings={"crypto": {"ciphers": ["aes128-ctr"]}},
                    overrides=["crypto.ciphers=aes192-ctr"]) as srv:
            self.assertEqual(server_ciphers(srv), "aes192-ctr")

    def test_log_lines_are_escaped(self):
        """A client-chosen string cannot forge log lines: the config path
        is logged, so give it a newline and control characters."""
        with scratch_server() as srv:
            odd = os.path.join(srv.tmp, "odd\nname\x1b[0m.conf")
            os.rename(srv.conf_path, odd)
            srv.conf_path = odd
            srv.start()
            srv.send_signal(signal.SIGHUP)
            srv.wait_log(r"is valid; restarting")
            srv.wait_log(r"restarted \(pid")
            log = srv.read_log()
            self.assertIn("odd\\012name\\033[0m.conf", log)
            self.assertNotIn("\x1b", log)
            for line in log.splitlines():
                self.assertRegex(line, r"^nanosshd(-session)?\[\d+\]: \w+: ")


def proc_umask(pid):
    with open("/proc/%d/status" % pid) as f:
        return int(re.search(r"^Umask:\s+([0-7]+)$", f.read(), re.M).group(1),
                   8)


class Hardening(unittest.TestCase):
    """What the daemon makes of the environment it is started in."""

    def session_pid(self, srv, s):
        return int(srv.wait_log(r"from 127\.0\.0\.1 port %d on .*: session "
                                r"pid (\d+)" % s.getsockname()[1]).group(1))

    def test_umask_at_least_022(self):
        """Started with umask 0, the listener and each session run with
        022; a stricter umask is kept."""
        for start, want in ((0o000, 0o022), (0o077, 0o077), (0o002, 0o022)):
            srv = Server()
            try:
                old = os.umask(start)
                try:
                    srv.start()
                finally:
                    os.umask(old)
                self.assertEqual(proc_umask(srv.pid), want)
                with srv.connect() as s:
                    self.assertTrue(BANNER.match(recv_line(s)))
                    self.assertEqual(proc_umask(self.session_pid(srv, s)),
                                     want)
            finally:
                srv.close()

    def test_monitor_descriptors(self):
        """In the monitor the client socket (3) and the status pipe (4)
        are close-on-exec, and the handover memfd is closed once read."""
        with Server() as srv:
            with srv.connect() as s:
                self.assertTrue(BANNER.match(recv_line(s)))
                pid = self.session_pid(srv, s)
                for fd in (3, 4):
                    with open("/proc/%d/fdinfo/%d" % (pid, fd)) as f:
                        flags = int(re.search(r"^flags:\s+([0-7]+)$",
                                              f.read(), re.M).group(1), 8)
                    self.assertTrue(flags & 0o2000000, "fd %d flags %o"
                                    % (fd, flags))
                links = [os.readlink("/proc/%d/fd/%s" % (pid, fd))
                         for fd in os.listdir("/proc/%d/fd" % pid)]
                self.assertFalse([l for l in links if "memfd:" in l], links)


class SessionProgram(unittest.TestCase):
    """nanosshd-session refuses to run other than as nanosshd starts it."""

    def run_session(self, *args, **kw):
        return subprocess.run([harness.SESSION] + list(args),
                              stdin=subprocess.DEVNULL, capture_output=True,
                              text=True, timeout=30, **kw)

    def test_usage(self):
        """The configuration comes from nanosshd, never a file named on
        the command line."""
        r = self.run_session("-f", "/x")
        self.assertEqual(r.returncode, 1)
        self.assertIn("usage:", r.stderr)
        r = self.run_session("-e", "extra")
        self.assertEqual(r.returncode, 1)
        self.assertIn("usage:", r.stderr)

    def test_no_socket(self):
        r = self.run_session("-e")
        self.assertEqual(r.returncode, 1)
        self.assertIn("fd 3 is not a socket", r.stderr)

    def run_with_fds(self, fd5=None):
        """The session with a socket on 3, a pipe on 4 and fd5 (a path
        opened read-only) on 5, as nanosshd would start it but for 5."""
        a, b = socket.socketpair()
        c, d = socket.socketpair()
        fds = [b.fileno(), d.fileno()]
        redir = '3>&%d 4>&%d' % tuple(fds)
        f = None
        if fd5 is not None:
            f = open(fd5, "rb")
            fds.append(f.fileno())
            redir += ' 5<&%d' % f.fileno()
        try:
            # bash moves the descriptors onto 3, 4 and 5, as nanosshd does.
            return subprocess.run(
                ["/bin/bash", "-c", 'exec "$0" "$@" ' + redir,
                 harness.SESSION, "-e"],
                stdin=subprocess.DEVNULL, capture_output=True, text=True,
                timeout=30, pass_fds=fds)
        finally:
            for s in (a, b, c, d):
                s.close()
            if f:
                f.close()

    def test_no_handover(self):
        r = self.run_with_fds()
        self.assertEqual(r.returncode, 1, r.stderr)
        self.assertIn("fd 5 (configuration) is not open", r.stderr)

    def test_config_file_refused(self):
        """fd 5 must be nanosshd's sealed memfd: the config file itself
        (which anyone able to edit it could change under the session) is
        refused."""
        with scratch_server() as srv:
            r = self.run_with_fds(srv.conf_path)
        self.assertEqual(r.returncode, 1, r.stderr)
        self.assertIn("cannot read the configuration from nanosshd",
                      r.stderr)


class Daemonize(unittest.TestCase):
    def test_without_D(self):
        """The started process forks the daemon and exits 0; the pid file
        names the daemon, which keeps its PID across SIGHUP."""
        with scratch_server() as srv:
            with open(srv.log_path, "ab") as log:
                r = subprocess.run([harness.NANOSSHD, "-e", "-f",
                                    srv.conf_path], stdin=subprocess.DEVNULL,
                                   stdout=log, stderr=log, env=srv.env(),
                                   timeout=30)
            self.assertEqual(r.returncode, 0, srv.read_log())
            pid = 0
            try:
                pid = int(srv.wait_log(r"started \(pid (\d+)\)").group(1))
                wait_until(lambda: os.path.exists(srv.pid_file), 10,
                           "the pid file")
                with open(srv.pid_file) as f:
                    self.assertEqual(f.read(), "%d\n" % pid)
                self.assertTrue(BANNER.match(srv.banner()), srv.read_log())
                os.kill(pid, signal.SIGHUP)
                srv.wait_log(r"restarted \(pid %d\)" % pid)
                self.assertTrue(BANNER.match(srv.banner()), srv.read_log())
                os.kill(pid, signal.SIGTERM)
                wait_until(lambda: not harness.pid_alive(pid), 10,
                           "the daemon to exit")
                self.assertFalse(os.path.exists(srv.pid_file))
            finally:
                if pid and harness.pid_alive(pid):
                    os.kill(pid, signal.SIGKILL)


class Reload(unittest.TestCase):
    def test_sighup_new_port(self):
        with Server() as srv:
            old = srv.port
            new = harness.free_port()
            old_pid_file = srv.pid_file
            srv.pid_file = os.path.join(srv.tmp, "moved.pid")
            srv.update_settings({"listen": ["127.0.0.1:%d" % new],
                                 "pid_file": srv.pid_file})
            srv.write_config()
            srv.send_signal(signal.SIGHUP)
            srv.wait_listening("127.0.0.1", new)
            srv.check_alive()
            wait_until(lambda: not srv.accepts("127.0.0.1", old), 10,
                       "old port to close")
            self.assertTrue(BANNER.match(srv.banner("127.0.0.1", new)),
                            srv.read_log())
            # The same process: the pid file and the child we started.
            with open(srv.pid_file) as f:
                self.assertEqual(f.read(), "%d\n" % srv.pid)
            self.assertFalse(os.path.exists(old_pid_file))
            srv.wait_log(r"restarted \(pid %d\)" % srv.pid)
            self.assertEqual(srv.stop(), 0, srv.log_text)
            self.assertFalse(os.path.exists(srv.pid_file))

    def test_sighup_invalid_config_keeps_running(self):
        with Server() as srv:
            good = harness.conf_text(srv.settings)
            srv.write_config(good + "limits = { max_sessions = -5; };\n")
            srv.send_signal(signal.SIGHUP)
            m = srv.wait_log(r"error: %s:\d+: .*\n" % re.escape(srv.conf_path))
            srv.wait_log(r"not reloaded; keeping the running one",
                         start=m.start())
            srv.check_alive()
            self.assertNotIn("restarted", srv.read_log())
            # Sessions are still served, by what the listener loaded.
            self.assertTrue(BANNER.match(srv.banner()), srv.read_log())
            with open(srv.pid_file) as f:
                self.assertEqual(f.read(), "%d\n" % srv.pid)

    def test_edited_config_waits_for_sighup(self):
        """Editing the file changes nothing until SIGHUP: new connections
        are served by the configuration the listener loaded and checked,
        whatever the file says now (a change, or nonsense).  A SIGHUP with
        a bad file keeps the old one; with a good file the new applies."""
        with Server(settings={"crypto": {"ciphers": ["aes128-ctr"]}}) as srv:
            self.assertEqual(server_ciphers(srv), "aes128-ctr")
            srv.update_settings({"crypto": {"ciphers": ["aes256-ctr"]}})
            good = harness.conf_text(srv.settings)
            srv.write_config()
            self.assertEqual(server_ciphers(srv), "aes128-ctr")
            srv.write_config("this is { not a configuration\n")
            self.assertEqual(server_ciphers(srv), "aes128-ctr")
            srv.send_signal(signal.SIGHUP)
            srv.wait_log(r"not reloaded; keeping the running one")
            self.assertEqual(server_ciphers(srv), "aes128-ctr")
            srv.write_config(good)
            srv.send_signal(signal.SIGHUP)
            srv.wait_log(r"restarted \(pid %d\)" % srv.pid)
            self.assertEqual(server_ciphers(srv), "aes256-ctr")
            self.assertNotRegex(srv.read_log(), r"nanosshd-session\[\d+\]: "
                                r"error: ")

    def test_reexec_runs_argv0_and_keeps_old_config(self):
        """SIGHUP runs the program the daemon was started as (argv[0], as a
        package upgrade replaces it), not /proc/self/exe.  Here that is a
        wrapper which, when first re-executed, breaks the file the old image
        had just found good: the new image logs it and keeps serving the old
        configuration, handed over from the old image."""
        with scratch_server(settings={"crypto": {"ciphers":
                                                 ["aes128-ctr"]}}) as srv:
            wrapper = os.path.join(srv.tmp, "nanosshd-wrapper")
            mark = os.path.join(srv.tmp, "wrapper-ran")
            with open(wrapper, "w") as f:
                f.write('#!/bin/bash\n'
                        'if [ -n "$NANOSSHD_REEXEC" ] && [ ! -e "%s" ]; then\n'
                        '  echo x > "%s"\n'
                        '  echo "limits = { max_sessions = -5; };" > "%s"\n'
                        'fi\n'
                        'exec -a "$0" "%s" "$@"\n'
                        % (mark, mark, srv.conf_path, harness.NANOSSHD))
            os.chmod(wrapper, stat.S_IRWXU)
            argv0 = harness.NANOSSHD
            harness.NANOSSHD = wrapper
            try:
                srv.start()
            finally:
                harness.NANOSSHD = argv0
            self.assertEqual(server_ciphers(srv), "aes128-ctr")
            srv.update_settings({"crypto": {"ciphers": ["aes256-ctr"]}})
            srv.write_config()
            srv.send_signal(signal.SIGHUP)
            srv.wait_log(r"restarting %s" % re.escape(wrapper))
            m = srv.wait_log(r"not loaded; keeping the one in use before "
                             r"the restart")
            srv.wait_log(r"restarted \(pid %d\)" % srv.pid, start=m.start())
            self.assertTrue(os.path.exists(mark))
            self.assertEqual(server_ciphers(srv), "aes128-ctr")
            # And the next good SIGHUP applies the file as usual.
            srv.write_config()
            srv.send_signal(signal.SIGHUP)
            srv.wait_log(r"restarted \(pid %d\)(.|\n)*restarted \(pid %d\)"
                         % (srv.pid, srv.pid))
            self.assertEqual(server_ciphers(srv), "aes256-ctr")

    def test_sighup_bad_host_key_keeps_running(self):
        with Server() as srv:
            os.chmod(srv.host_keys[0], 0o644)
            srv.send_signal(signal.SIGHUP)
            srv.wait_log(r"cannot load host key .*permissions")
            srv.wait_log(r"not reloaded")
            os.chmod(srv.host_keys[0], 0o600)
            srv.check_alive()
            self.assertTrue(BANNER.match(srv.banner()), srv.read_log())

    def test_sessions_survive_reload(self):
        """A session started before SIGHUP keeps its connection, and the
        new image reaps it."""
        with Server() as srv:
            s = srv.connect()
            self.assertTrue(BANNER.match(recv_line(s)))
            m = srv.wait_log(r"from 127\.0\.0\.1 port %d on .*: session pid "
                             r"(\d+)" % s.getsockname()[1])
            srv.send_signal(signal.SIGHUP)
            srv.wait_log(r"restarted \(pid")
            s.sendall(b"SSH-2.0-test\r\n")
            # The session still speaks SSH: its KEXINIT (type 20) arrives.
            s.settimeout(5)
            head = b""
            while len(head) < 6:
                chunk = s.recv(6 - len(head))
                self.assertTrue(chunk, "connection closed")
                head += chunk
            self.assertEqual(head[5], 20)
            s.close()
            # Closed before authenticating: outcome 2 (privsep/outcome.h).
            srv.wait_log(r"session pid %s for \(started before reload\) "
                         r"exited with status 2" % m.group(1))


class MaxStartups(unittest.TestCase):
    def test_drop_when_full(self):
        # "1:100:1": with one unauthenticated session running, refuse.
        with Server(overrides=["limits.max_startups=1:100:1"]) as srv:
            # The readiness probe's session may still run; retry until one
            # connection holds the only slot.
            def hold():
                s = srv.connect()
                if BANNER.match(recv_line(s)):
                    return s
                s.close()
                return None
            first = wait_until(hold, 10, "a connection to be served")
            try:
                self.assertEqual(srv.banner(), b"")
                srv.wait_log(r"drop connection from 127\.0\.0\.1 port \d+ "
                             r"on 127\.0\.0\.1:%d: max_startups" % srv.port)
                srv.wait_log(r"info: max_startups: dropped 1 connection")
            finally:
                first.close()
            # Once that session ends the slot is free again.
            wait_until(lambda: BANNER.match(srv.banner()), 10,
                       "the slot to be freed")


if __name__ == "__main__":
    if not os.access(harness.NANOSSHD, os.X_OK):
        print("SKIP: %s not built" % harness.NANOSSHD)
        sys.exit(77)
    prog = unittest.main(exit=False, verbosity=2)
    r = prog.result
    print("ran %d tests: %d failures, %d errors, %d skipped"
          % (r.testsRun, len(r.failures), len(r.errors), len(r.skipped)))
    sys.exit(0 if r.wasSuccessful() else 1)
