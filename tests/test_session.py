#!/usr/bin/python3
"""test_session.py: interactive sessions with the real OpenSSH client.

ssh -tt runs on a pty of the test's own (python's pty module), so the
client behaves as under a terminal emulator: a login shell, its prompt,
Ctrl-C, resizing (the pty's size changed and SIGWINCH sent to ssh), exit
codes, TERM, the remote tty.  Then env (session.accept_env), signal and
exit-signal, subsystems, no-pty, the limits (max_sessions with
ControlMaster, max_session_time, idle_timeout, keepalive of a frozen
client) and teardown (no process left in the session's process group).
"""

import fcntl
import os
import pwd
import re
import select
import signal
import struct
import subprocess
import sys
import termios
import time
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from harness import SSH_KEYGEN, Server, wait_until  # noqa: E402

USER = pwd.getpwuid(os.getuid()).pw_name
IS_ROOT = os.getuid() == 0


def set_winsize(fd, rows, cols):
    fcntl.ioctl(fd, termios.TIOCSWINSZ, struct.pack("HHHH", rows, cols, 0, 0))


def pgrp_gone(pgid):
    try:
        os.killpg(pgid, 0)
    except ProcessLookupError:
        return True
    except PermissionError:
        return False
    return False


class PtyClient:
    """ssh -tt with stdin/stdout/stderr on a pty the test holds the
    master of; read with expect(), write with send()."""

    def __init__(self, argv, rows=24, cols=80, env=None):
        self.master, self.slave = os.openpty()
        set_winsize(self.slave, rows, cols)
        self.proc = subprocess.Popen(argv, stdin=self.slave,
                                     stdout=self.slave, stderr=self.slave,
                                     start_new_session=True, env=env)
        self.out = b""
        self.transcript = b""	# everything, expect() drops nothing here

    def _read(self, timeout):
        r, _, _ = select.select([self.master], [], [], timeout)
        if not r:
            return False
        try:
            data = os.read(self.master, 65536)
        except OSError:		# EIO: the client closed the pty
            return None
        if not data:
            return None
        self.out += data
        self.transcript += data
        return True

    def expect(self, pattern, timeout=20):
        """Waits until the output since the last match matches; returns
        the match and drops the output up to its end."""
        rx = re.compile(pattern.encode() if isinstance(pattern, str)
                        else pattern)
        deadline = time.monotonic() + timeout
        while True:
            m = rx.search(self.out)
            if m:
                self.out = self.out[m.end():]
                return m
            left = deadline - time.monotonic()
            if left <= 0 or self._read(min(left, 0.5)) is None:
                if rx.search(self.out):
                    continue
                raise AssertionError("no %r in the output: %r"
                                     % (pattern, self.out[-2000:]))

    def send(self, data):
        os.write(self.master, data.encode() if isinstance(data, str)
                 else data)

    def resize(self, rows, cols):
        set_winsize(self.slave, rows, cols)
        self.proc.send_signal(signal.SIGWINCH)

    def wait(self, timeout=20):
        """The client's exit status, draining its output meanwhile."""
        deadline = time.monotonic() + timeout
        while self.proc.poll() is None and time.monotonic() < deadline:
            self._read(0.2)
        return self.proc.wait(max(0.1, deadline - time.monotonic()))

    def close(self):
        if self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait(10)
        for fd in (self.master, self.slave):
            try:
                os.close(fd)
            except OSError:
                pass


def paramiko_transport(test, srv):
    """A paramiko Transport logged in with srv's key (skips the test
    without paramiko); closed at the test's end."""
    try:
        import paramiko
    except ImportError:
        test.skipTest("python3-paramiko is not installed")
    t = paramiko.Transport((srv.host, srv.port))
    test.addCleanup(t.close)
    t.connect(username=USER,
              pkey=paramiko.Ed25519Key.from_private_key_file(srv.key))
    return t


def channel_request(ch, name, want_reply, *fields):
    """A raw CHANNEL_REQUEST (paramiko has no call for signal or break);
    with want_reply, returns once it succeeded (SSHException if not)."""
    import paramiko
    m = paramiko.Message()
    m.add_byte(bytes([98]))	# SSH_MSG_CHANNEL_REQUEST
    m.add_int(ch.remote_chanid)
    m.add_string(name)
    m.add_boolean(want_reply)
    for f in fields:
        if isinstance(f, int):
            m.add_int(f)
        else:
            m.add_string(f)
    if want_reply:
        ch._event_pending()
    ch.transport._send_user_message(m)
    if want_reply:
        ch._wait_for_event()


class SessionServer(Server):
    """A Server with a key for the invoking user."""

    def __init__(self, settings=None, key_options="", pam_service=None,
                 **kw):
        self.pam_service = pam_service
        super().__init__(**kw)
        self.key = self.user_key()
        if key_options:
            with open(self.authorized_keys) as f:
                lines = f.read().splitlines()
            with open(self.authorized_keys, "w") as f:
                f.write("".join("%s %s\n" % (key_options, ln)
                                for ln in lines))
        self.update_settings({"auth": {"authorized_keys":
                                       [self.authorized_keys],
                                       "methods": ["publickey"]}})
        self.update_settings(settings or {})
        self.write_config()

    def env(self):
        e = super().env()
        if self.pam_service:
            e["NANOSSHD_PAM_SERVICE"] = self.pam_service
        return e

    def argv(self, *command, options=()):
        return self.ssh_argv(*command, key=self.key, options=options)

    def run_ssh(self, *command, options=(), timeout=60, input=None):
        return subprocess.run(self.argv(*command, options=options),
                              input=input, capture_output=True,
                              timeout=timeout)

    def pty_client(self, *command, options=(), rows=24, cols=80, env=None,
                   request="force"):
        return PtyClient(self.argv(*command, options=("RequestTTY=" + request,)
                                   + tuple(options)), rows, cols, env)


class Interactive(unittest.TestCase):
    """ssh -tt through a pty: what a person at a terminal notices."""

    @classmethod
    def setUpClass(cls):
        cls.srv = SessionServer()
        cls.srv.start()

    @classmethod
    def tearDownClass(cls):
        cls.srv.close()

    def shell(self, **kw):
        c = self.srv.pty_client(**kw)
        self.addCleanup(c.close)
        # Whatever the user's dot files print, the shell answers this.
        c.send("echo ready-$((20+22))\r")
        c.expect(r"ready-42")
        return c

    def test_login_shell_prompt_and_exit_status(self):
        c = self.shell()
        # argv[0] "-bash": a login shell; HOME is the cwd.
        c.send("echo \"arg0=$0 cwd=$PWD home=$HOME\"\r")
        m = c.expect(r"arg0=([^$\s]+) cwd=([^$\s]+) home=([^$\s]+)")
        self.assertTrue(m.group(1).startswith(b"-"), m.group(0))
        self.assertEqual(m.group(2), m.group(3))
        self.assertEqual(m.group(3).decode(), pwd.getpwuid(os.getuid()).pw_dir)
        c.send("exit 3\r")
        self.assertEqual(c.wait(), 3)

    def test_login_environment(self):
        c = self.shell()
        c.send("echo \"U=$USER L=$LOGNAME S=$SHELL M=$MAIL "
               "T=$SSH_TTY C=$SSH_CONNECTION P=$PATH\"\r")
        m = c.expect(r"U=([^$\s]+) L=(\S+) S=(\S+) M=(\S+) T=(\S+) "
                     r"C=(\S+ \d+ \S+ \d+) P=(\S+)")
        pw = pwd.getpwuid(os.getuid())
        self.assertEqual(m.group(1).decode(), pw.pw_name)
        self.assertEqual(m.group(2).decode(), pw.pw_name)
        self.assertEqual(m.group(3).decode(), pw.pw_shell)
        self.assertEqual(m.group(4).decode(), "/var/mail/" + pw.pw_name)
        self.assertRegex(m.group(5).decode(), r"^/dev/pts/\d+$")
        self.assertIn(b" %d" % self.srv.port, m.group(6))

    def test_tty_and_term(self):
        env = dict(os.environ, TERM="vt220")
        c = self.srv.pty_client("tty; echo TERM=$TERM", env=env)
        self.addCleanup(c.close)
        c.expect(r"/dev/pts/\d+\r\n")
        c.expect(r"TERM=vt220")
        self.assertEqual(c.wait(), 0)

    def test_tty_owned_by_user(self):
        c = self.srv.pty_client("stat -c '%u %a' \"$(tty)\"")
        self.addCleanup(c.close)
        m = c.expect(r"(\d+) (\d+)\r\n")
        self.assertEqual(int(m.group(1)), os.getuid())
        if IS_ROOT:
            self.assertEqual(m.group(2), b"620")

    def test_stty_size_follows_resize(self):
        c = self.shell(rows=24, cols=80)
        c.send("stty size\r")
        c.expect(r"\b24 80\r\n")
        c.resize(40, 132)

        # ssh sends window-change when its SIGWINCH handler has run,
        # which may be after the next keystrokes: asked again until then.
        for _ in range(5):
            c.send("stty size\r")
            m = c.expect(r"\b(\d+ \d+)\r\n")
            if m.group(1) != b"24 80":
                break
        self.assertEqual(m.group(1), b"40 132")

    def test_ctrl_c_interrupts_sleep(self):
        c = self.shell()
        start = time.monotonic()
        c.send("echo start-$((1+1)); sleep 30; echo slept-$((3+4))\r")
        c.expect(r"start-2\r\n")
        # The shell starts sleep just after the echo: a ^C that comes
        # before sleep holds the terminal is repeated.  A ^C also flushes
        # what the terminal has not read yet, so the command goes again
        # after each one.
        for _ in range(8):
            c.send(b"\x03")
            c.send("echo after-$((6*7))\r")
            try:
                c.expect(r"after-42", timeout=2)
                break
            except AssertionError:
                pass
        else:
            self.fail("sleep was not interrupted: %r" % c.out)
        self.assertLess(time.monotonic() - start, 25)
        self.assertNotIn(b"slept-7", c.transcript)

    def test_terminal_modes_apply(self):
        # The client's pty echoes and maps CR; the remote one got the
        # modes ssh sent (e.g. icanon, isig on).
        c = self.srv.pty_client("stty -a")
        self.addCleanup(c.close)
        m = c.expect(r"intr = \^C;")
        self.assertTrue(m)
        c.expect(r" icanon ")
        self.assertEqual(c.wait(), 0)

    def test_exec_with_pty_merges_stderr(self):
        r = subprocess.run(self.srv.argv("echo out; echo err >&2",
                                         options=("RequestTTY=force",)),
                           capture_output=True, timeout=60)
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertIn(b"out\r\n", r.stdout)
        self.assertIn(b"err\r\n", r.stdout)

    def test_exec_without_pty_has_no_tty(self):
        # (bash has a TERM of its own when none is exported.)
        r = self.srv.run_ssh("tty; env | grep -c '^TERM='")
        self.assertEqual(r.stdout, b"not a tty\n0\n")
        self.assertEqual(r.returncode, 1)


class Environment(unittest.TestCase):
    def test_accept_env_default(self):
        with SessionServer() as srv:
            r = srv.run_ssh('echo "$LANG|$LC_TIME|${NOPE-unset}"', options=(
                "SetEnv=LANG=fr_FR.UTF-8 LC_TIME=C NOPE=1",))
            self.assertEqual(r.stdout, b"fr_FR.UTF-8|C|unset\n", r.stderr)
            srv.wait_log(r"environment variable NOPE refused")

    def test_accept_env_configured(self):
        with SessionServer({"session": {"accept_env": ["NO?E"]}}) as srv:
            r = srv.run_ssh('echo "${LANG-unset}|${NOPE-unset}"', options=(
                "SetEnv=LANG=fr_FR.UTF-8 NOPE=1",))
            self.assertEqual(r.stdout, b"unset|1\n", r.stderr)

    def test_accept_env_cannot_override_the_login(self):
        # Even "*" leaves the login's identity and PATH to the server.
        with SessionServer({"session": {"accept_env": ["*"]}}) as srv:
            r = srv.run_ssh(
                'echo "$HOME|$USER|$LOGNAME|$SHELL|$MAIL|$NOPE"; '
                'case "$PATH" in /evil) echo evil;; esac', options=(
                    "SetEnv=HOME=/evil USER=evil LOGNAME=evil SHELL=/evil "
                    "PATH=/evil MAIL=/evil NOPE=1",))
            self.assertEqual(r.returncode, 0, r.stderr)
            self.assertNotIn(b"evil", r.stdout)
            self.assertTrue(r.stdout.endswith(b"|1\n"), r.stdout)
            for name in ("HOME", "USER", "LOGNAME", "SHELL", "PATH", "MAIL"):
                srv.wait_log(r"environment variable %s refused: the login "
                             r"sets it" % name)

    def test_accept_env_bad_pattern_refused(self):
        srv = SessionServer({"session": {"accept_env": ["A=B"]}})
        try:
            r = srv.run("-t")
            self.assertNotEqual(r.returncode, 0)
            self.assertIn("session.accept_env", r.stdout + r.stderr)
        finally:
            srv.close()


class Signals(unittest.TestCase):
    def test_exit_signal(self):
        with SessionServer() as srv:
            r = srv.run_ssh("kill -USR1 $$", options=("LogLevel=DEBUG",))
            self.assertEqual(r.returncode, 255, r.stderr)
            self.assertIn(b"rtype exit-signal", r.stderr)

    def test_signal_request(self):
        with SessionServer() as srv:
            t = paramiko_transport(self, srv)
            ch = t.open_session()
            ch.exec_command("trap 'echo got-usr2; exit 5' USR2; echo ready; "
                            "while :; do sleep 0.1; done")
            f = ch.makefile()
            self.assertEqual(f.readline(), "ready\n")
            channel_request(ch, "signal", False, "USR2")
            self.assertEqual(ch.recv_exit_status(), 5)
            self.assertEqual(f.read(), b"got-usr2\n")

    def test_signal_refused_to_forced_command(self):
        # As OpenSSH: the administrator's command="..." is not the
        # client's to interrupt (the trap would answer a USR2 that came).
        with SessionServer(key_options='command="trap \'echo got-usr2; '
                           'exit 5\' USR2; echo ready; sleep 2; echo '
                           'still-here"') as srv:
            t = paramiko_transport(self, srv)
            ch = t.open_session()
            ch.exec_command("ignored")
            f = ch.makefile()
            self.assertEqual(f.readline(), "ready\n")
            channel_request(ch, "signal", False, "USR2")
            srv.wait_log(r"refusing to send signal USR2 to a forced-command "
                         r"or subsystem session")
            self.assertEqual(f.read(), b"still-here\n")
            self.assertEqual(ch.recv_exit_status(), 0)

    def test_unknown_signal_ignored(self):
        with SessionServer() as srv:
            t = paramiko_transport(self, srv)
            ch = t.open_session()
            ch.exec_command("echo ready; sleep 2; echo still-here")
            f = ch.makefile()
            self.assertEqual(f.readline(), "ready\n")
            channel_request(ch, "signal", False, "NOSUCH")
            self.assertEqual(f.read(), b"still-here\n")
            self.assertEqual(ch.recv_exit_status(), 0)
            srv.wait_log(r'unknown signal "NOSUCH" ignored')

    def test_break(self):
        import paramiko
        with SessionServer() as srv:
            t = paramiko_transport(self, srv)
            ch = t.open_session()
            ch.get_pty()
            ch.exec_command("echo ready; sleep 30")
            self.assertEqual(ch.makefile().readline(), "ready\r\n")
            channel_request(ch, "break", True, 300)	# no exception: success
            # Without a pty there is nothing to send a break on.
            ch2 = t.open_session()
            ch2.exec_command("sleep 30")
            with self.assertRaises(paramiko.SSHException):
                channel_request(ch2, "break", True, 300)

    def test_channel_close_hangs_up_process_group(self):
        with SessionServer() as srv:
            t = paramiko_transport(self, srv)
            ch = t.open_session()
            ch.exec_command("echo $$; sleep 300 & sleep 300")
            pgid = int(ch.makefile().readline())
            self.assertFalse(pgrp_gone(pgid))
            ch.close()
            wait_until(lambda: pgrp_gone(pgid), 15,
                       "process group %d to end" % pgid)
            self.assertTrue(t.is_active())


class Subsystems(unittest.TestCase):
    def test_unknown_subsystem_refused(self):
        with SessionServer() as srv:
            r = srv.run_ssh("nosuch", options=("SessionType=subsystem",))
            self.assertEqual(r.returncode, 255)
            self.assertIn(b"subsystem request failed", r.stderr)
            srv.wait_log(r"subsystem request for nosuch by user \S+ failed")


class Restrictions(unittest.TestCase):
    def test_no_pty_key_option(self):
        with SessionServer(key_options="no-pty") as srv:
            # The pty-req fails (OpenSSH's client then gives up); the
            # same key still runs commands without one.
            c = srv.pty_client("tty")
            self.addCleanup(c.close)
            c.expect(r"PTY allocation request failed")
            srv.wait_log(r"pty refused: no-pty")
            r = srv.run_ssh("echo ok")
            self.assertEqual((r.returncode, r.stdout), (0, b"ok\n"))

    def test_certificate_permit_pty(self):
        """A certificate gets a pty only with its permit-pty extension."""
        with SessionServer() as srv:
            ca = os.path.join(srv.tmp, "user_ca")
            subprocess.run([SSH_KEYGEN, "-q", "-t", "ed25519", "-N", "",
                            "-f", ca], check=True, stdin=subprocess.DEVNULL)
            srv.update_settings({"auth": dict(
                srv.settings["auth"], trusted_user_ca_keys=ca + ".pub")})
            srv.write_config()
            srv.stop()
            srv.start()
            for n, (ext, allowed) in enumerate(((None, True),
                                                ("no-pty", False))):
                key = os.path.join(srv.tmp, "id_cert%d" % n)
                subprocess.run([SSH_KEYGEN, "-q", "-t", "ed25519", "-N", "",
                                "-f", key], check=True,
                               stdin=subprocess.DEVNULL)
                subprocess.run([SSH_KEYGEN, "-q", "-s", ca, "-I", "id", "-n",
                                USER] + (["-O", ext] if ext else [])
                               + [key + ".pub"], check=True,
                               stdin=subprocess.DEVNULL)
                c = PtyClient(srv.ssh_argv("tty", key=key, options=(
                    "RequestTTY=force",)))
                try:
                    if allowed:
                        c.expect(r"/dev/pts/\d+")
                        self.assertEqual(c.wait(), 0)
                    else:
                        c.expect(r"PTY allocation request failed")
                finally:
                    c.close()

    def test_restrict_then_pty(self):
        with SessionServer(key_options="restrict,pty") as srv:
            c = srv.pty_client("tty")
            try:
                c.expect(r"/dev/pts/\d+")
                self.assertEqual(c.wait(), 0)
            finally:
                c.close()


class Limits(unittest.TestCase):
    def test_max_sessions_with_controlmaster(self):
        with SessionServer({"limits": {"max_sessions": 2}}) as srv:
            sock = os.path.join(srv.tmp, "mux")
            master = subprocess.Popen(srv.argv(options=(
                "ControlMaster=yes", "ControlPath=" + sock)) [:-1] + ["-N"],
                stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL)
            self.addCleanup(master.kill)
            wait_until(lambda: os.path.exists(sock), 20, "control socket")
            mux = ("ControlPath=" + sock, "ControlMaster=no")
            held = []
            for i in range(2):
                p = subprocess.Popen(srv.argv("echo up; sleep 30",
                                              options=mux),
                                     stdin=subprocess.DEVNULL,
                                     stdout=subprocess.PIPE,
                                     stderr=subprocess.DEVNULL)
                self.addCleanup(p.kill)
                self.assertEqual(p.stdout.readline(), b"up\n")
                held.append(p)
            # The master's connection refuses a third session (the mux
            # client then falls back to a connection of its own).
            r = srv.run_ssh("echo third", options=mux)
            self.assertIn(b"Session open refused by peer", r.stderr)
            srv.wait_log(r"refused a session: limits.max_sessions \(2\) "
                         r"reached")
            held[0].kill()
            held[0].wait()

            def third_runs():
                r = srv.run_ssh("echo third", options=mux)
                return r.stdout == b"third\n" and b"refused" not in r.stderr
            wait_until(third_runs, 20, "a session slot to free up")

    def test_max_session_time(self):
        with SessionServer({"limits": {"max_session_time": 2}}) as srv:
            start = time.monotonic()
            r = srv.run_ssh("sleep 30", options=("LogLevel=INFO",))
            self.assertLess(time.monotonic() - start, 20)
            self.assertEqual(r.returncode, 255)
            self.assertIn(b"Session time limit reached", r.stderr)
            srv.wait_log(r"Session time limit reached: disconnecting user")

    def test_idle_timeout(self):
        # 4 s: a gap that long before the first output (a loaded CI
        # machine starting the shell under ASan) would end it early.
        with SessionServer({"limits": {"idle_timeout": 4}}) as srv:
            # Output every half second keeps it alive past the limit.
            r = srv.run_ssh("for i in $(seq 12); do echo $i; "
                            "sleep 0.5; done")
            self.assertEqual(r.returncode, 0, r.stderr)
            start = time.monotonic()
            r = srv.run_ssh("sleep 30", options=("LogLevel=INFO",))
            self.assertLess(time.monotonic() - start, 20)
            self.assertEqual(r.returncode, 255)
            self.assertIn(b"Idle timeout", r.stderr)
            srv.wait_log(r"Idle timeout: disconnecting user")

    def test_keepalive_frozen_client(self):
        with SessionServer({"limits": {"keepalive_interval": 1,
                                       "keepalive_count_max": 2}}) as srv:
            # A live client answers the probes and stays, also one that
            # sends keepalives of its own (answered by the server).
            r = srv.run_ssh("sleep 4; echo alive")
            self.assertEqual(r.stdout, b"alive\n", r.stderr)
            r = srv.run_ssh("sleep 4; echo alive", options=(
                "ServerAliveInterval=1", "ServerAliveCountMax=2"))
            self.assertEqual(r.stdout, b"alive\n", r.stderr)
            self.assertNotIn("client not responding", srv.read_log())
            p = subprocess.Popen(srv.argv("echo up; sleep 60"),
                                 stdin=subprocess.DEVNULL,
                                 stdout=subprocess.PIPE,
                                 stderr=subprocess.DEVNULL)
            self.addCleanup(p.kill)
            self.assertEqual(p.stdout.readline(), b"up\n")
            os.kill(p.pid, signal.SIGSTOP)
            self.addCleanup(os.kill, p.pid, signal.SIGCONT)
            srv.wait_log(r"Timeout, client not responding: disconnecting",
                         timeout=20)

    def test_session_summary_logged(self):
        with SessionServer() as srv:
            r = srv.run_ssh("echo hi")
            self.assertEqual(r.stdout, b"hi\n")
            # The child writes it: the monitor tags the line as the child's.
            srv.wait_log(r"child: Session summary: user %s from 127\.0\.0\.1 port "
                         r"\d+: duration \d+s, bytes in [1-9]\d*, out "
                         r"[1-9]\d*; kex \S+, host key \S+, cipher"
                         % re.escape(USER))


PAM_DIR = "/etc/pam.d"


class PamSessionUnprivileged(unittest.TestCase):
    @unittest.skipIf(IS_ROOT, "run as root the PAM session is opened")
    def test_not_root_logs_and_goes_on(self):
        # Whether the system's stack opens a session for an unprivileged
        # caller varies (pam_loginuid refuses, pam_unix alone does not);
        # either way the session runs and the outcome is logged.
        with SessionServer() as srv:
            r = srv.run_ssh("echo in")
            self.assertEqual((r.returncode, r.stdout), (0, b"in\n"))
            srv.wait_log(r"PAM session (opened for %s|for %s not opened "
                         r"\(not running as root\))"
                         % (re.escape(USER), re.escape(USER)))


@unittest.skipUnless(IS_ROOT, "PAM session modules need root")
class PamSession(unittest.TestCase):
    """auth.password_backend "pam" (the default): the monitor opens a PAM
    session before the user's first process and closes it at the end,
    even for a public key login; its environment and messages reach the
    shell."""

    def pam_stack(self, text):
        """A PAM service of this test's own (NANOSSHD_PAM_SERVICE names it
        to the daemon), so that /etc/pam.d/nanosshd, which other tests
        and the system use, stays as it is.  Returns its name."""
        name = "nanosshd-test-%d-%s" % (os.getpid(), self._testMethodName)
        path = os.path.join(PAM_DIR, name)
        with open(path, "w") as f:
            f.write(text)
        self.addCleanup(os.unlink, path)
        return name

    def test_refusing_session_module(self):
        """As root a refusing session module refuses every session of the
        connection, also a public key login's."""
        service = self.pam_stack("account required pam_permit.so\n"
                                 "session required pam_deny.so\n")
        with SessionServer(pam_service=service) as srv:
            t = paramiko_transport(self, srv)
            import paramiko
            for _ in range(2):
                ch = t.open_session()
                with self.assertRaises(paramiko.SSHException):
                    ch.exec_command("echo in")
            srv.wait_log(r"PAM session for %s refused" % re.escape(USER))

    def test_open_and_close_around_pty_session(self):
        tmp = __import__("tempfile").mkdtemp(prefix="nanossh-pam-")
        self.addCleanup(__import__("shutil").rmtree, tmp, True)
        log = os.path.join(tmp, "pam.log")
        hook = os.path.join(tmp, "hook")
        with open(hook, "w") as f:
            f.write("#!/bin/sh\necho \"$PAM_TYPE $PAM_USER\" >> %s\n" % log)
        os.chmod(hook, 0o755)
        envfile = os.path.join(tmp, "env")
        with open(envfile, "w") as f:
            f.write("NANOSSH_PAM_TEST DEFAULT=from-pam\n")
        service = self.pam_stack(
            "account required pam_permit.so\n"
            "session required pam_env.so readenv=0 conffile=%s\n"
            "session optional pam_exec.so %s\n"
            "session optional pam_echo.so Motd-from-pam\n" % (envfile, hook))
        with SessionServer(pam_service=service) as srv:
            c = srv.pty_client()
            try:
                c.expect(r"Motd-from-pam")
                c.send("echo \"pamenv=$NANOSSH_PAM_TEST\"\r")
                c.expect(r"pamenv=from-pam")
                c.send("exit\r")
                self.assertEqual(c.wait(), 0)
            finally:
                c.close()
            srv.wait_log(r"PAM session opened for %s" % re.escape(USER))

            def closed():
                try:
                    with open(log) as f:
                        return f.read().split("\n")[:2] == [
                            "open_session " + USER, "close_session " + USER]
                except FileNotFoundError:
                    return False
            wait_until(closed, 10, "pam_exec to see open and close")


class Teardown(unittest.TestCase):
    def test_disconnect_leaves_no_processes(self):
        with SessionServer() as srv:
            p = subprocess.Popen(srv.argv("echo $$; sleep 300 & sleep 300"),
                                 stdin=subprocess.DEVNULL,
                                 stdout=subprocess.PIPE,
                                 stderr=subprocess.DEVNULL)
            self.addCleanup(p.kill)
            pgid = int(p.stdout.readline())
            self.assertFalse(pgrp_gone(pgid))
            p.kill()
            p.wait()
            wait_until(lambda: pgrp_gone(pgid), 15,
                       "process group %d to end" % pgid)

    def test_shell_exit_flushes_output(self):
        with SessionServer() as srv:
            # Far more output than one read: all of it arrives before
            # the exit status.
            r = srv.run_ssh("seq 1 200000; exit 4",
                            options=("RequestTTY=force",))
            self.assertEqual(r.returncode, 4)
            self.assertTrue(r.stdout.endswith(b"199999\r\n200000\r\n"),
                            r.stdout[-100:])

    def test_ended_command_is_reaped_while_connected(self):
        with SessionServer() as srv:
            t = paramiko_transport(self, srv)
            ch = t.open_session()
            ch.exec_command("echo $$")
            pid = int(ch.makefile().readline())
            self.assertEqual(ch.recv_exit_status(), 0)
            # No zombie: the monitor waited for it, the connection lives.
            wait_until(lambda: not os.path.exists("/proc/%d" % pid), 10,
                       "process %d to be reaped" % pid)
            self.assertTrue(t.is_active())

    @unittest.skipUnless(IS_ROOT and os.path.exists("/var/log/wtmp"),
                         "login records are written only as root, into an "
                         "existing wtmp")
    def test_wtmp_records_login_and_logout(self):
        with SessionServer() as srv:
            c = srv.pty_client()
            try:
                c.send("echo pid=$$ tty=$(tty)\r")
                m = c.expect(r"pid=(\d+) tty=/dev/(pts/\d+)")
                pid, line = int(m.group(1)), m.group(2).decode()
                c.send("exit\r")
                c.wait()
            finally:
                c.close()

            def records():
                out = subprocess.run(["utmpdump", "/var/log/wtmp"],
                                     capture_output=True, text=True).stdout
                return set(int(t) for t, p, ln in re.findall(
                    r"(?m)^\[(\d)\] \[0*(\d+)\] \[[^]]*\] \[[^]]*\] "
                    r"\[([^] ]*)", out) if int(p) == pid and ln == line)
            # USER_PROCESS (7) at login, DEAD_PROCESS (8) at logout.
            wait_until(lambda: records() == {7, 8}, 10,
                       "login and logout records for %s" % line)

    @unittest.skipUnless(IS_ROOT and os.path.exists("/var/log/lastlog"),
                         "lastlog is kept only as root, in an existing file")
    def test_last_login_shown(self):
        with SessionServer() as srv:
            for _ in range(2):	# the second login sees the first
                c = srv.pty_client()
                try:
                    c.send("echo ready-$((40+2))\r")
                    c.expect(r"ready-42")
                    c.send("exit\r")
                    c.wait()
                finally:
                    c.close()
            self.assertRegex(c.out.decode(errors="replace") or "", r".*")
            c = srv.pty_client()
            try:
                c.expect(r"Last login: \w{3} \w{3} [ \d]\d "
                         r"\d\d:\d\d:\d\d \d{4} from 127\.0\.0\.1")
            finally:
                c.close()

    @unittest.skipUnless(IS_ROOT and os.path.exists("/run/utmp"),
                         "login records are written only as root, into an "
                         "existing utmp")
    def test_who_lists_pty_session(self):
        with SessionServer() as srv:
            c = srv.pty_client()
            try:
                c.send("echo tty=$(tty)\r")
                m = c.expect(r"tty=/dev/(pts/\d+)")
                line = m.group(1).decode()
                who = subprocess.run(["who"], capture_output=True, text=True)
                self.assertRegex(who.stdout, r"(?m)^%s\s+%s\s"
                                 % (re.escape(USER), re.escape(line)))
                c.send("exit\r")
                c.wait()
            finally:
                c.close()

            def gone():
                return not re.search(r"\s%s\s" % re.escape(line),
                                     subprocess.run(["who"],
                                                    capture_output=True,
                                                    text=True).stdout)
            wait_until(gone, 10, "the utmp entry to go")


if __name__ == "__main__":
    unittest.main(verbosity=2)
