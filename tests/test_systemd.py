#!/usr/bin/python3
"""test_systemd.py: nanosshd under systemd's protocols without systemd:
Type=notify messages (READY, RELOADING with MONOTONIC_USEC, STATUS,
STOPPING) read from a fake NOTIFY_SOCKET, and socket activation under
systemd-socket-activate (the sockets it passes replace listen, and survive
a SIGHUP re-exec)."""

import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import harness  # noqa: E402
from harness import Server, free_port, wait_until  # noqa: E402

ACTIVATE = shutil.which("systemd-socket-activate")


class FakeNotify:
    """A datagram socket standing in for systemd's notification socket;
    abstract: bind in the abstract namespace ("@name")."""

    def __init__(self, abstract=False):
        self.tmp = tempfile.mkdtemp(prefix="nanossh-notify-")
        self.sock = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
        if abstract:
            name = "nanossh-test-%d-%d" % (os.getpid(), time.monotonic_ns())
            self.sock.bind("\0" + name)
            self.env = "@" + name
        else:
            self.env = os.path.join(self.tmp, "notify")
            self.sock.bind(self.env)
        self.seen = []

    def next(self, timeout=harness.START_TIMEOUT):
        """The next message as a dict of its KEY=value lines."""
        self.sock.settimeout(timeout)
        data = self.sock.recv(4096).decode()
        msg = dict(l.split("=", 1) for l in data.split("\n") if l)
        self.seen.append(msg)
        return msg

    def wait_for(self, key, timeout=harness.START_TIMEOUT, value=None):
        """Reads messages until one has key (with value, if given)."""
        deadline = time.monotonic() + timeout
        while True:
            left = deadline - time.monotonic()
            if left <= 0:
                raise AssertionError("no %s in %r" % (key, self.seen))
            try:
                msg = self.next(left)
            except socket.timeout:
                continue
            if key in msg and (value is None or value(msg[key])):
                return msg

    def close(self):
        self.sock.close()
        shutil.rmtree(self.tmp, ignore_errors=True)


def session_pids(pid):
    """The children of pid (Linux: /proc/PID/task/PID/children)."""
    try:
        with open("/proc/%d/task/%d/children" % (pid, pid)) as f:
            return [int(p) for p in f.read().split()]
    except FileNotFoundError:
        return []


def environ_of(pid):
    with open("/proc/%d/environ" % pid, "rb") as f:
        return [e.decode(errors="replace") for e in f.read().split(b"\0")
                if e]


class Notify(unittest.TestCase):
    def setUp(self):
        self.note = FakeNotify()
        self.addCleanup(lambda: self.note.close())
        self.srv = Server()
        self.addCleanup(self.srv.close)
        self.srv.extra_env["NOTIFY_SOCKET"] = self.note.env

    def test_ready_after_listening(self):
        self.srv.start(wait=False)
        msg = self.note.wait_for("READY")
        self.assertEqual(msg["READY"], "1")
        self.assertEqual(msg.get("MAINPID"), str(self.srv.pid))
        # READY=1 means the sockets are up: no waiting here.
        self.assertTrue(self.srv.accepts())

    def test_status_counts_connections(self):
        self.srv.start(wait=False)
        self.note.wait_for("READY")
        self.note.wait_for("STATUS", value=lambda v: v.startswith("0 "))
        with self.srv.connect() as s:
            harness.recv_line(s)
            self.note.wait_for(
                "STATUS", value=lambda v: v == "1 connections, "
                "1 unauthenticated")
            # Sessions never see the notification socket.
            kids = session_pids(self.srv.pid)
            self.assertTrue(kids)
            for k in kids:
                self.assertFalse(
                    [e for e in environ_of(k)
                     if e.startswith("NOTIFY_SOCKET=")],
                    "session %d has NOTIFY_SOCKET" % k)
        self.note.wait_for("STATUS", value=lambda v: v.startswith("0 "))

    def test_reload(self):
        self.srv.start(wait=False)
        self.note.wait_for("READY")
        before = time.clock_gettime(time.CLOCK_MONOTONIC)
        self.srv.send_signal(signal.SIGHUP)
        msg = self.note.wait_for("RELOADING")
        usec = int(msg["MONOTONIC_USEC"])
        after = time.clock_gettime(time.CLOCK_MONOTONIC)
        self.assertTrue(before * 1e6 <= usec <= after * 1e6 + 1e6, usec)
        msg = self.note.wait_for("READY")
        self.assertEqual(msg.get("MAINPID"), str(self.srv.pid))
        self.srv.wait_log(r"restarted")
        self.srv.check_alive()

    def test_failed_reload_is_ready_again(self):
        self.srv.start(wait=False)
        self.note.wait_for("READY")
        self.srv.write_config("listen = [ ")
        self.srv.send_signal(signal.SIGHUP)
        self.note.wait_for("RELOADING")
        msg = self.note.wait_for("READY")
        self.assertIn("not reloaded", msg.get("STATUS", ""))
        self.srv.check_alive()

    def test_stopping(self):
        self.srv.start(wait=False)
        self.note.wait_for("READY")
        self.srv.send_signal(signal.SIGTERM)
        self.note.wait_for("STOPPING")
        self.assertEqual(self.srv.stop(), 0)

    def test_abstract_socket(self):
        self.note.close()
        self.note = FakeNotify(abstract=True)
        self.srv.extra_env["NOTIFY_SOCKET"] = self.note.env
        self.srv.start(wait=False)
        self.assertEqual(self.note.wait_for("READY")["READY"], "1")

    def test_bad_socket_name_ignored(self):
        self.srv.extra_env["NOTIFY_SOCKET"] = "vsock:2:1234"
        self.srv.start()
        self.srv.wait_log(r"ignoring NOTIFY_SOCKET")
        self.srv.check_alive()


@unittest.skipUnless(ACTIVATE, "systemd-socket-activate is not installed")
class SocketActivation(unittest.TestCase):
    def setUp(self):
        self.srv = Server()
        self.addCleanup(self.srv.close)
        self.key = self.srv.authorize_user_key()
        # listen keeps the harness's port; systemd's socket is another.
        self.configured = self.srv.port
        self.srv.port = free_port()
        # systemd-socket-activate passes on only the variables named.
        keep = [k for k in self.srv.env() if k.startswith("NANOSSH") or
                k.endswith("_OPTIONS") or k == "PATH"]
        self.srv.wrapper = [ACTIVATE, "-l", "127.0.0.1:%d" % self.srv.port]
        for k in keep:
            self.srv.wrapper += ["-E", k]
        self.srv.wrapper.append("--")

    def start(self):
        self.srv.start(wait=False)
        self.srv.wait_log(r"Listening on 127\.0\.0\.1:%d" % self.srv.port)

    def login(self):
        r = subprocess.run(self.srv.ssh_argv("echo", "activated",
                                             key=self.key),
                           capture_output=True, text=True, timeout=60)
        self.assertEqual(r.returncode, 0, r.stderr + self.srv.read_log())
        self.assertEqual(r.stdout, "activated\n")

    def test_serves_the_passed_socket(self):
        # systemd-socket-activate execs the daemon on the first
        # connection: this login is it.
        self.start()
        self.login()
        self.srv.wait_log(r"listening on 127\.0\.0\.1:%d \(socket from "
                          r"systemd\)" % self.srv.port)
        self.assertFalse(self.srv.accepts(port=self.configured),
                         "bound listen as well")

    def test_sockets_survive_reload(self):
        self.start()
        self.login()
        mark = len(self.srv.read_log())
        self.srv.send_signal(signal.SIGHUP)
        self.srv.wait_log(r"restarted", start=mark)
        self.srv.wait_log(r"listening on 127\.0\.0\.1:%d \(socket from "
                          r"systemd\)" % self.srv.port, start=mark)
        self.login()
        self.assertFalse(self.srv.accepts(port=self.configured))

    def test_not_a_socket_refused(self):
        # LISTEN_PID is the shell's PID, which exec keeps; fd 3 a file.
        r = subprocess.run(
            ["sh", "-c", 'LISTEN_PID=$$ LISTEN_FDS=1 exec "$0" "$@" '
             "3</dev/null", harness.NANOSSHD, "-D", "-e", "-f",
             self.srv.conf_path], capture_output=True, text=True,
            timeout=30, env=self.srv.env())
        self.assertNotEqual(r.returncode, 0)
        self.assertIn("descriptor 3 is not a stream socket", r.stderr)

    def test_other_process_ignored(self):
        # Variables meant for another PID: bind listen as usual.
        self.srv.wrapper = []
        self.srv.port = self.configured
        self.srv.extra_env.update({"LISTEN_PID": "1", "LISTEN_FDS": "1"})
        self.srv.start()
        self.login()


if __name__ == "__main__":
    unittest.main(verbosity=2)
