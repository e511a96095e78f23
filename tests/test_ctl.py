#!/usr/bin/python3
"""test_ctl.py: nanosshctl against a live nanosshd with real OpenSSH
sessions: list (table and --json), show, status, disconnect by ID (the
client sees the reason), by user and all, a pre-auth connection, rekey,
ping, penalties (list, clear), reload (valid and invalid configurations), the
control socket's life (mode, stale socket, directory, removal), and the
refusals: another uid, no daemon, an unknown ID, oversized, slow and
garbage requests."""

import json
import os
import pwd
import socket
import stat
import subprocess
import sys
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import harness  # noqa: E402
from harness import Server, wait_until  # noqa: E402

CTL = os.path.join(harness.BUILDDIR, "nanosshctl")
USER = pwd.getpwuid(os.getuid()).pw_name


class CtlServer(Server):
    def __init__(self, **kw):
        super().__init__(**kw)
        self.key = self.user_key()
        self.update_settings({"auth": {
            "authorized_keys": [self.authorized_keys],
            "methods": ["publickey"]}})
        self.write_config()
        self.control = self.settings["control_socket"]

    def ctl(self, *args, sock=None):
        return subprocess.run([CTL, "-s", sock or self.control] + list(args),
                              capture_output=True, text=True, timeout=30,
                              stdin=subprocess.DEVNULL)

    def conns(self):
        r = self.ctl("list", "--json")
        if r.returncode != 0:
            raise AssertionError(r.stderr)
        return json.loads(r.stdout)

    def session(self, *command, options=()):
        """An ssh client running command, and its connection's ID once
        the listener lists it authenticated with its algorithms."""
        before = {c["id"] for c in self.conns()}
        p = subprocess.Popen(self.ssh_argv(*command, key=self.key,
                                           options=options),
                             stdin=subprocess.DEVNULL,
                             stdout=subprocess.DEVNULL,
                             stderr=subprocess.PIPE, text=True)

        def ready():
            for c in self.conns():
                if c["id"] not in before and \
                        c["state"] == "authenticated" and c["kex"] and \
                        c["bytes_in"] > 0 and c["channels"] >= 1:
                    return c
            return None
        try:
            c = wait_until(ready, 20, "the session in nanosshctl list")
        except BaseException:
            p.kill()
            p.wait()
            raise
        return p, c

    def raw(self, data, timeout=10):
        """The listener's reply to raw bytes on the control socket."""
        with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as s:
            s.settimeout(timeout)
            s.connect(self.control)
            s.sendall(data)
            out = b""
            while True:
                try:
                    chunk = s.recv(4096)
                except ConnectionResetError:
                    # Closed with the rest of an oversized request unread.
                    return out or b"<reset>"
                if not chunk:
                    return out
                out += chunk


def end(p):
    if p.poll() is None:
        p.kill()
    p.wait(timeout=10)
    p.stderr.close()


class Ctl(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.srv = CtlServer()
        cls.srv.start()

    @classmethod
    def tearDownClass(cls):
        cls.srv.close()

    def test_socket_mode(self):
        st = os.stat(self.srv.control)
        self.assertTrue(stat.S_ISSOCK(st.st_mode))
        self.assertEqual(stat.S_IMODE(st.st_mode), 0o600)

    def test_list_show_status(self):
        p, c = self.srv.session("sleep", "60")
        try:
            self.assertEqual(c["user"], USER)
            self.assertEqual(c["method"], "publickey")
            self.assertTrue(c["cipher"])
            self.assertTrue(c["hostkey"].startswith("ssh-ed25519"))
            self.assertTrue(c["peer"].startswith("127.0.0.1 port "))
            self.assertGreater(c["bytes_out"], 0)
            table = self.srv.ctl("list")
            self.assertEqual(table.returncode, 0, table.stderr)
            self.assertIn("ID", table.stdout.splitlines()[0])
            line = [l for l in table.stdout.splitlines()
                    if l.split()[0] == str(c["id"])]
            self.assertEqual(len(line), 1, table.stdout)
            self.assertIn("authenticated", line[0])
            self.assertIn(c["kex"], line[0])
            show = self.srv.ctl("show", str(c["id"]))
            self.assertEqual(show.returncode, 0, show.stderr)
            self.assertRegex(show.stdout, r"(?m)^user +%s$" % USER)
            self.assertRegex(show.stdout, r"(?m)^cipher +%s$" % c["cipher"])
            js = json.loads(self.srv.ctl("show", str(c["id"]),
                                         "--json").stdout)
            self.assertEqual(js["id"], c["id"])
            st = json.loads(self.srv.ctl("status", "--json").stdout)
            self.assertGreaterEqual(st["connections"], 1)
            self.assertEqual(st["pid"], self.srv.pid)
            self.assertIn("127.0.0.1:%d" % self.srv.port, st["listeners"])
            self.assertTrue(st["version"].startswith("nanossh_"))
        finally:
            end(p)

    def test_disconnect_one_with_reason(self):
        p1, c1 = self.srv.session("sleep", "60")
        p2, c2 = self.srv.session("sleep", "60")
        try:
            r = self.srv.ctl("disconnect", str(c1["id"]), "--reason",
                             "maintenance")
            self.assertEqual(r.returncode, 0, r.stderr)
            self.assertIn("disconnected 1", r.stdout)
            p1.wait(timeout=15)
            err = p1.stderr.read()
            self.assertRegex(err, r"Received disconnect from .*:11: "
                             r"maintenance")
            self.assertIsNone(p2.poll())
            ids = [c["id"] for c in self.srv.conns()]
            self.assertIn(c2["id"], ids)
            wait_until(lambda: c1["id"] not in
                       [c["id"] for c in self.srv.conns()], 10,
                       "the session gone from the list")
        finally:
            end(p1)
            end(p2)

    def test_disconnect_user_and_all(self):
        p1, c1 = self.srv.session("sleep", "60")
        p2, c2 = self.srv.session("sleep", "60")
        try:
            r = self.srv.ctl("disconnect", "--user", "nosuchuser")
            self.assertNotEqual(r.returncode, 0)
            self.assertIn("no connection of user nosuchuser", r.stderr)
            r = self.srv.ctl("disconnect", "--user", USER)
            self.assertEqual(r.returncode, 0, r.stderr)
            self.assertIn("disconnected 2", r.stdout)
            p1.wait(timeout=15)
            p2.wait(timeout=15)
            self.assertIn("disconnected by the administrator",
                          p1.stderr.read())
        finally:
            end(p1)
            end(p2)
        p3, c3 = self.srv.session("sleep", "60")
        try:
            r = self.srv.ctl("disconnect", "--all", "--reason", "bye now")
            self.assertEqual(r.returncode, 0, r.stderr)
            p3.wait(timeout=15)
            self.assertIn("bye now", p3.stderr.read())
        finally:
            end(p3)

    def test_preauth_listed(self):
        with self.srv.connect() as s:
            s.sendall(b"SSH-2.0-OpenSSH_9.6 test\r\n")
            port = s.getsockname()[1]
            peer = "127.0.0.1 port %d" % port
            c = wait_until(lambda: [c for c in self.srv.conns()
                                    if c["peer"] == peer], 10,
                           "the pre-auth connection")[0]
            self.assertEqual(c["state"], "pre-auth")
            self.assertEqual(c["user"], "")
            self.assertEqual(c["kex"], "")
            table = self.srv.ctl("list").stdout
            self.assertRegex(table, r"(?m)^%d +- +%s .* pre-auth "
                             % (c["id"], peer))
            # Before any keys the DISCONNECT goes in the clear, once the
            # client's version line has been read (before that there is
            # no packet to send: the connection just closes).
            wait_until(lambda: [x for x in self.srv.conns()
                                if x["id"] == c["id"] and x["bytes_in"] > 0],
                       10, "the version line read")
            r = self.srv.ctl("disconnect", str(c["id"]), "--reason",
                             "pre-auth bye")
            self.assertEqual(r.returncode, 0, r.stderr)
            s.settimeout(10)
            data = b""
            try:
                while True:
                    chunk = s.recv(4096)
                    if not chunk:
                        break
                    data += chunk
            except ConnectionResetError:
                pass
            self.assertIn(b"pre-auth bye", data)

    def test_rekey(self):
        # The client logs each exchange it completes at DEBUG1.
        p, c = self.srv.session("sleep", "60",
                                options=("LogLevel=DEBUG1",))
        try:
            start = len(self.srv.read_log())
            r = self.srv.ctl("rekey", str(c["id"]))
            self.assertEqual(r.returncode, 0, r.stderr)
            self.assertEqual(r.stdout, "rekey of %d started\n" % c["id"])
            self.srv.wait_log(r"rekey requested by the administrator",
                              start=start)
            wait_until(lambda: [x for x in self.srv.conns()
                                if x["id"] == c["id"] and
                                x["bytes_in"] > c["bytes_in"]], 10,
                       "traffic of the re-exchange")
            # A ping's answer comes after the exchange (what the server
            # sends meanwhile waits for the new keys): the session goes on.
            r = self.srv.ctl("ping", str(c["id"]))
            self.assertEqual(r.returncode, 0, r.stderr)
            self.assertIsNone(p.poll())
        finally:
            if p.poll() is None:
                p.kill()
            p.wait(timeout=10)
            err = p.stderr.read()
            p.stderr.close()
        self.assertGreaterEqual(err.count("SSH2_MSG_NEWKEYS received"), 2,
                                err)

    def test_ping(self):
        p, c = self.srv.session("sleep", "60")
        try:
            for _ in range(3):
                r = self.srv.ctl("ping", str(c["id"]))
                self.assertEqual(r.returncode, 0, r.stderr)
                self.assertRegex(r.stdout, r"^\d+ ms\n$")
                self.assertLess(int(r.stdout.split()[0]), 5000)
            self.assertIsNone(p.poll())
        finally:
            end(p)
        with self.srv.connect() as s:
            s.sendall(b"SSH-2.0-OpenSSH_9.6 test\r\n")
            peer = "127.0.0.1 port %d" % s.getsockname()[1]
            c = wait_until(lambda: [c for c in self.srv.conns()
                                    if c["peer"] == peer], 10,
                           "the pre-auth connection")[0]
            r = self.srv.ctl("ping", str(c["id"]))
            self.assertEqual(r.returncode, 1)
            self.assertIn("has not authenticated", r.stderr)
            r = self.srv.ctl("rekey", str(c["id"]))
            self.assertEqual(r.returncode, 1)
            self.assertIn("has not authenticated", r.stderr)

    def test_errors(self):
        r = self.srv.ctl("show", "999999")
        self.assertEqual(r.returncode, 1)
        self.assertEqual(r.stderr.strip(),
                         "nanosshctl: no such connection: 999999")
        r = self.srv.ctl("disconnect", "999999")
        self.assertEqual(r.returncode, 1)
        self.assertIn("no such connection", r.stderr)
        r = self.srv.ctl("show", "abc")
        self.assertEqual(r.returncode, 1)
        self.assertIn("not a connection ID", r.stderr)
        r = self.srv.ctl("list", sock=os.path.join(self.srv.tmp, "none"))
        self.assertEqual(r.returncode, 1)
        self.assertIn("nanosshd is not running", r.stderr)
        self.assertEqual(len(r.stderr.splitlines()), 1)
        self.assertIn(self.srv.raw(b"x" * 5000),
                      (b"error request too long (at most 1023 bytes)\n",
                       b"<reset>"))
        self.assertEqual(self.srv.raw(b"x" * 1023),
                         b"error request too long (at most 1023 bytes)\n")
        self.assertEqual(self.srv.raw(b"frobnicate\n"),
                         b"error unknown request: frobnicate\n")
        self.assertEqual(self.srv.raw(b"list\x01\x02\n"),
                         b"error malformed request\n")
        self.assertEqual(self.srv.raw(b"show\n"),
                         b"error unknown request: show\n")
        # At most 8 clients at once: the next is told, not queued.
        idle = []
        try:
            for _ in range(8):
                c = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
                idle.append(c)
                c.connect(self.srv.control)
            # (Told on connecting, before it could ask anything.)
            with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as c:
                c.settimeout(10)
                c.connect(self.srv.control)
                self.assertEqual(c.recv(100),
                                 b"error too many control clients\n")
        finally:
            for c in idle:
                c.close()
        wait_until(lambda: self.srv.ctl("status").returncode == 0, 10,
                   "the control socket free again")
        # A client that never finishes its line is dropped at the deadline
        # while others are served.
        with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as slow:
            slow.connect(self.srv.control)
            slow.sendall(b"li")
            self.assertEqual(self.srv.ctl("status").returncode, 0)
            slow.settimeout(15)
            self.assertEqual(slow.recv(100), b"")
        self.srv.check_alive()

    @unittest.skipUnless(os.geteuid() == 0, "needs root to change uid")
    def test_other_uid_refused(self):
        nobody = pwd.getpwnam("nobody").pw_uid
        r = subprocess.run([CTL, "-s", self.srv.control, "list"],
                           capture_output=True, text=True, timeout=30,
                           preexec_fn=lambda: os.setuid(nobody))
        self.assertEqual(r.returncode, 1)
        self.assertIn("Permission denied", r.stderr)


def ctl(path, *args):
    return subprocess.run([CTL, "-s", path] + list(args),
                          capture_output=True, text=True, timeout=30,
                          stdin=subprocess.DEVNULL)


class Penalties(unittest.TestCase):
    SOURCE = "127.0.0.3"

    def test_list_and_clear(self):
        settings = {"auth": {"login_grace_time": 1},
                    "limits": {"penalties": {"grace_exceeded": 10, "min": 2,
                                             "max": 60, "exempt": []}}}
        with harness.scratch_server(settings=settings) as srv:
            srv.start()
            path = srv.settings["control_socket"]
            with socket.create_connection(
                    (srv.host, srv.port), timeout=10,
                    source_address=(self.SOURCE, 0)) as s:
                s.settimeout(10)
                try:
                    while s.recv(4096):
                        pass
                except (ConnectionResetError, socket.timeout):
                    pass

            def listed():
                r = ctl(path, "penalties", "--json")
                return [p for p in json.loads(r.stdout)
                        if p["source"] == self.SOURCE]
            p = wait_until(listed, 10, "the penalty listed")[0]
            self.assertEqual(p["refused"], "yes")
            self.assertGreater(p["left"], 0)
            table = ctl(path, "penalties").stdout
            self.assertRegex(table, r"(?m)^127\.0\.0\.3 +\d+ yes$")
            st = json.loads(ctl(path, "status", "--json").stdout)
            self.assertEqual(st["penalties"], 1)
            with socket.create_connection((srv.host, srv.port), timeout=5,
                                          source_address=(self.SOURCE, 0)) \
                    as s:
                self.assertEqual(harness.recv_line(s), b"")
            r = ctl(path, "penalties", "--clear", "192.0.2.9")
            self.assertEqual(r.returncode, 1)
            self.assertIn("no penalty for 192.0.2.9", r.stderr)
            r = ctl(path, "penalties", "--clear", "not-an-address")
            self.assertEqual(r.returncode, 1)
            self.assertIn("not an IP address", r.stderr)
            r = ctl(path, "penalties", "--clear", self.SOURCE)
            self.assertEqual(r.returncode, 0, r.stderr)
            self.assertIn("cleared the penalties of 1 source", r.stdout)
            self.assertEqual(listed(), [])
            with socket.create_connection((srv.host, srv.port), timeout=5,
                                          source_address=(self.SOURCE, 0)) \
                    as s:
                self.assertTrue(harness.recv_line(s).startswith(b"SSH-2.0-"))
            r = ctl(path, "penalties", "--clear")
            self.assertEqual(r.returncode, 0, r.stderr)


class Reload(unittest.TestCase):
    def test_valid_and_invalid(self):
        with harness.scratch_server() as srv:
            srv.start()
            path = srv.settings["control_socket"]
            start = len(srv.read_log())
            r = ctl(path, "reload")
            self.assertEqual(r.returncode, 0, r.stderr)
            self.assertIn("nanosshd is restarting", r.stdout)
            srv.wait_log(r"nanosshd nanossh_\S+ restarted", start=start)
            r = wait_until(lambda: ctl(path, "status", "--json").stdout, 10,
                           "the control socket after the restart")
            self.assertEqual(json.loads(r)["pid"], srv.pid)
            srv.write_config("this is { not a configuration")
            r = ctl(path, "reload")
            self.assertEqual(r.returncode, 1)
            self.assertRegex(r.stderr, r"^nanosshctl: the new configuration "
                             r"is not valid .*; the running one stays\n$")
            srv.check_alive()
            self.assertEqual(ctl(path, "status").returncode, 0)


class Lifecycle(unittest.TestCase):
    def test_stale_replaced_removed_on_exit_disabled(self):
        with harness.scratch_server() as srv:
            path = srv.settings["control_socket"]
            stale = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
            stale.bind(path)
            stale.close()
            srv.start()
            r = subprocess.run([CTL, "-s", path, "status"],
                               capture_output=True, text=True, timeout=30)
            self.assertEqual(r.returncode, 0, r.stderr)
            srv.stop()
            self.assertFalse(os.path.exists(path))
            srv.update_settings({"control_socket": ""})
            srv.write_config()
            srv.start()
            self.assertFalse(os.path.exists(path))

    def test_live_socket_kept(self):
        with harness.scratch_server() as srv, \
                harness.scratch_server() as other:
            srv.start()
            other.update_settings({"control_socket":
                                   srv.settings["control_socket"]})
            other.write_config()
            other.start(wait=False)
            other.proc.wait(timeout=10)
            self.assertEqual(other.proc.returncode, 1)
            self.assertIn("in use by another nanosshd", other.read_log())
            r = ctl(srv.settings["control_socket"], "status", "--json")
            self.assertEqual(json.loads(r.stdout)["pid"], srv.pid)

    def test_directory_made_0700(self):
        with harness.scratch_server() as srv:
            path = os.path.join(srv.tmp, "run", "control")
            srv.update_settings({"control_socket": path})
            srv.write_config()
            srv.start()
            st = os.stat(os.path.dirname(path))
            self.assertEqual(stat.S_IMODE(st.st_mode), 0o700)
            self.assertTrue(stat.S_ISSOCK(os.stat(path).st_mode))


if __name__ == "__main__":
    unittest.main(verbosity=2)
