#!/usr/bin/python3
"""test_x11.py: X11 forwarding (x11-req, RFC 4254 6.3) with the OpenSSH
client (-Y, and -X trusted) and paramiko.

The client's display is a fake X server: a TCP listener on 6000+n with
DISPLAY=127.0.0.1:n and a cookie of its own in a temporary XAUTHORITY.
On the server, a script reads DISPLAY and the cookie xauth filed for it
(the client's fake one), connects to the display and sends an X11
connection setup with that cookie: the client swaps in the real cookie,
so the fake server receiving the real one proves the whole relay.  Then
single connections (paramiko), the listeners closing with the session,
and a refusal for every rule: forwarding.x11 off (the default), a match
block, no-X11-forwarding and restrict on the key line, a certificate
without permit-X11-forwarding, an x11-req after the command started, a
malformed cookie, an SFTP-only account, a missing xauth."""

import json
import os
import re
import shutil
import socket
import struct
import subprocess
import sys
import threading
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import harness  # noqa: E402
from harness import wait_until, SSH_KEYGEN  # noqa: E402
from test_forward import (FwdServer, USER, WAIT,  # noqa: E402
                          paramiko_transport)

XAUTH = shutil.which("xauth") or "/usr/bin/xauth"
PROTO = b"MIT-MAGIC-COOKIE-1"

# Run on the server, in the session: the display, xauth's entry for it,
# then one X11 connection setup per argument ("v4" or "v6": the address
# family), each answered by whatever comes back first.
CLIENT_SCRIPT = r'''
import json, os, re, socket, struct, subprocess, sys
disp = os.environ.get("DISPLAY", "")
out = {"display": disp, "xauth": "", "replies": []}
m = re.match(r"localhost:(\d+)\.(\d+)$", disp)
if m:
    n = int(m.group(1))
    out["xauth"] = subprocess.run(["xauth", "list"], capture_output=True,
                                  text=True).stdout
    cookie = b""
    for line in out["xauth"].splitlines():
        f = line.split()
        if len(f) == 3 and f[0].endswith("unix:%d" % n):
            cookie = bytes.fromhex(f[2])
    name = b"MIT-MAGIC-COOKIE-1"
    pad = lambda b: b + b"\0" * (-len(b) % 4)
    setup = (struct.pack("<cxHHHHxx", b"l", 11, 0, len(name), len(cookie))
             + pad(name) + pad(cookie))
    for fam in sys.argv[1:]:
        host, af = ("::1", socket.AF_INET6) if fam == "v6" else \
            ("127.0.0.1", socket.AF_INET)
        try:
            s = socket.socket(af)
            s.settimeout(20)
            s.connect((host, 6000 + n))
            s.sendall(setup)
            out["replies"].append(s.recv(100).decode())
            s.close()
        except OSError as e:
            out["replies"].append("error: %s" % type(e).__name__)
print(json.dumps(out))
'''


def have_ipv6_loopback():
    try:
        with socket.socket(socket.AF_INET6) as s:
            s.bind(("::1", 0))
        return True
    except OSError:
        return False


class FakeX:
    """An X server that reads one connection setup per connection,
    records its auth protocol and data, and answers "FAKEX n"."""

    def __init__(self):
        self.sock = None
        for n in range(50, 400):
            s = socket.socket()
            try:
                s.bind(("127.0.0.1", 6000 + n))
            except OSError:
                s.close()
                continue
            self.sock, self.display = s, n
            break
        assert self.sock is not None, "no free X11 port for the fake server"
        self.sock.listen(8)
        self.setups = []
        self.thread = threading.Thread(target=self.serve, daemon=True)
        self.thread.start()

    def serve(self):
        while True:
            try:
                c, _ = self.sock.accept()
            except OSError:
                return
            with c:
                c.settimeout(WAIT)
                try:
                    hdr = recv_exact(c, 12)
                    order, _, _, nlen, dlen = struct.unpack("<cxHHHHxx", hdr)
                    name = recv_exact(c, nlen + (-nlen % 4))[:nlen]
                    data = recv_exact(c, dlen + (-dlen % 4))[:dlen]
                    self.setups.append((name, data))
                    c.sendall(b"FAKEX %d" % len(self.setups))
                except (OSError, AssertionError):
                    pass

    def close(self):
        self.sock.close()


def recv_exact(s, n):
    b = b""
    while len(b) < n:
        d = s.recv(n - len(b))
        assert d, "connection closed"
        b += d
    return b


def port_listening(port, host="127.0.0.1"):
    try:
        with socket.create_connection((host, port), timeout=2):
            return True
    except OSError:
        return False


class X11Base(unittest.TestCase):
    forwarding = {"x11": True}
    key_options = ""
    extra = None

    @classmethod
    def setUpClass(cls):
        cls.srv = FwdServer(forwarding=cls.forwarding,
                            key_options=cls.key_options, extra=cls.extra)
        cls.srv_xauth = os.path.join(cls.srv.tmp, "server.Xauthority")
        cls.srv.extra_env["NANOSSH_TEST_XAUTHORITY"] = cls.srv_xauth
        cls.script = os.path.join(cls.srv.tmp, "xclient.py")
        with open(cls.script, "w") as f:
            f.write(CLIENT_SCRIPT)
        cls.srv.start()
        cls.fake = FakeX()
        cls.cookie = os.urandom(16)
        cls.cli_xauth = os.path.join(cls.srv.tmp, "client.Xauthority")
        subprocess.run([XAUTH, "-f", cls.cli_xauth, "add",
                        "127.0.0.1:%d" % cls.fake.display, PROTO.decode(),
                        cls.cookie.hex()], check=True, capture_output=True)

    @classmethod
    def tearDownClass(cls):
        cls.fake.close()
        cls.srv.close()

    def ssh(self, *args, command=None, key=None, families=("v4",)):
        env = dict(os.environ, DISPLAY="127.0.0.1:%d" % self.fake.display,
                   XAUTHORITY=self.cli_xauth)
        cmd = command or ["python3", self.script] + list(families)
        return subprocess.run(self.srv.argv(*args, key=key,
                                            log_level="INFO") + cmd,
                              env=env, capture_output=True, timeout=60)

    def forwarded(self, *args, key=None, families=("v4",)):
        """ssh with X11 forwarding running the script: its JSON output."""
        r = self.ssh("-Y", *args, key=key, families=families)
        self.assertEqual(r.returncode, 0, r.stderr)
        return json.loads(r.stdout.decode().strip().splitlines()[-1]), r

    def assert_refused(self, key=None, log=None):
        start = len(self.srv.read_log())
        out, r = self.forwarded(key=key)
        self.assertEqual(out["display"], "")
        self.assertIn(b"X11 forwarding request failed", r.stderr)
        if log is not None:
            self.srv.wait_log(log, start=start)


class Forwarding(X11Base):
    def check_relay(self, *args, families=("v4",)):
        before = len(self.fake.setups)
        out, _ = self.forwarded(*args, families=families)
        m = re.match(r"localhost:(\d+)\.0$", out["display"])
        self.assertTrue(m, out)
        display = int(m.group(1))
        self.assertGreaterEqual(display, 10)
        self.assertRegex(out["xauth"], r"/unix:%d\s+MIT-MAGIC-COOKIE-1\s+"
                         r"[0-9a-f]{32}" % display)
        # The session's cookie is the client's fake one, never the real.
        self.assertNotIn(self.cookie.hex(), out["xauth"])
        self.assertEqual(out["replies"], ["FAKEX %d" % (before + i + 1)
                                          for i in range(len(families))])
        for name, data in self.fake.setups[before:]:
            self.assertEqual(name, PROTO)
            self.assertEqual(data, self.cookie)
        return display

    def test_trusted_relay(self):
        display = self.check_relay()
        # The display went with the session.
        wait_until(lambda: not port_listening(6000 + display), WAIT,
                   "display %d to close" % display)
        self.srv.wait_log(r"X11 forwarding requested for channel")

    def test_untrusted_flag_with_trusted_cookie(self):
        # -X as Debian's ssh_config has it (ForwardX11Trusted yes): the
        # fake server has no SECURITY extension for an untrusted cookie.
        self.check_relay("-X", "-o", "ForwardX11Trusted=yes")

    @unittest.skipUnless(have_ipv6_loopback(), "no IPv6 loopback")
    def test_ipv6_loopback_too(self):
        self.check_relay(families=("v4", "v6"))

    def test_two_sessions_two_displays(self):
        a = subprocess.Popen(self.srv.argv("-Y", log_level="ERROR") +
                             ["echo $DISPLAY; read x"],
                             env=dict(os.environ, DISPLAY="127.0.0.1:%d" %
                                      self.fake.display,
                                      XAUTHORITY=self.cli_xauth),
                             stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                             stderr=subprocess.PIPE)
        try:
            first = a.stdout.readline().decode().strip()
            second, _ = self.forwarded()
            self.assertRegex(first, r"^localhost:\d+\.0$")
            self.assertNotEqual(first, second["display"])
        finally:
            a.communicate(b"\n", timeout=WAIT)

    def test_display_not_from_client_env(self):
        # DISPLAY is the server's to set, whatever accept_env says.
        r = self.ssh("-o", "SetEnv=DISPLAY=evil:0",
                     command=["echo", "D=$DISPLAY"])
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertEqual(r.stdout.strip(), b"D=")


class ParamikoBase(X11Base):
    def session(self, single=False, cookie=None):
        t = paramiko_transport(self.srv)
        self.addCleanup(t.close)
        got = []

        def answer(ch):
            ch.settimeout(WAIT)
            try:
                ch.recv(1000)
                ch.sendall(b"PARAMIKO")
            finally:
                ch.close()

        def handler(ch, origin):
            # Called in paramiko's transport thread, which must go on.
            got.append(origin)
            threading.Thread(target=answer, args=(ch,), daemon=True).start()
        ch = t.open_session()
        return t, ch, got, handler


class Paramiko(ParamikoBase):
    extra = {"session": {"accept_env": ["*"]}}

    def run_script(self, ch, *families):
        ch.exec_command("python3 %s %s" % (self.script, " ".join(families)))
        out = b""
        ch.settimeout(60)
        while True:
            d = ch.recv(65536)
            if not d:
                break
            out += d
        return json.loads(out.decode().strip().splitlines()[-1])

    def test_single_connection(self):
        t, ch, got, handler = self.session()
        ch.request_x11(single_connection=True, handler=handler)
        out = self.run_script(ch, "v4", "v4")
        self.assertRegex(out["display"], r"^localhost:\d+\.0$")
        self.assertEqual(out["replies"][0], "PARAMIKO")
        self.assertTrue(out["replies"][1].startswith("error"), out)
        self.assertEqual(len(got), 1)
        self.assertEqual(got[0][0], "127.0.0.1")

    def test_many_connections(self):
        t, ch, got, handler = self.session()
        ch.request_x11(handler=handler)
        out = self.run_script(ch, "v4", "v4", "v4")
        self.assertEqual(out["replies"], ["PARAMIKO"] * 3)
        self.assertEqual(len(got), 3)

    def test_client_env_cannot_set_display(self):
        t, ch, got, handler = self.session()
        ch.set_environment_variable("DISPLAY", "evil:0")
        ch.request_x11(handler=handler)
        out = self.run_script(ch)
        self.assertRegex(out["display"], r"^localhost:\d+\.0$")
        self.srv.wait_log(r"environment variable DISPLAY refused")

    def test_closed_session_display_not_inherited(self):
        # The channel id comes back for the next session: neither the
        # display nor the refusal of a second request goes with it.
        t, ch, got, handler = self.session()
        ch.request_x11(handler=handler)
        ch.close()
        ch2 = t.open_session()
        self.assertEqual(self.run_script(ch2)["display"], "")
        ch3 = t.open_session()
        ch3.request_x11(handler=handler)
        out = self.run_script(ch3, "v4")
        self.assertEqual(out["replies"], ["PARAMIKO"])

    def test_after_command_started_refused(self):
        import paramiko
        t, ch, got, handler = self.session()
        ch.exec_command("sleep 5")
        with self.assertRaises(paramiko.SSHException):
            ch.request_x11(handler=handler)
        self.srv.wait_log(r"X11 forwarding refused: the session has started")

    def test_twice_refused(self):
        import paramiko
        t, ch, got, handler = self.session()
        ch.request_x11(handler=handler)
        with self.assertRaises(paramiko.SSHException):
            ch.request_x11(handler=handler)
        self.srv.wait_log(r"X11 forwarding refused: already requested")

    def test_malformed_cookie_refused(self):
        import paramiko
        for cookie, why in ((b"zz" * 16, "cookie"), (b"abc", "cookie"),
                            (b"", "cookie"), (b"a" * 1000, "cookie")):
            t, ch, got, handler = self.session()
            with self.assertRaises(paramiko.SSHException):
                ch.request_x11(auth_cookie=cookie, handler=handler)
            self.srv.wait_log(r"X11 forwarding refused: bad authentication "
                              + why)

    def test_malformed_protocol_refused(self):
        import paramiko
        t, ch, got, handler = self.session()
        with self.assertRaises(paramiko.SSHException):
            ch.request_x11(auth_protocol="MIT MAGIC\nadd", handler=handler)
        self.srv.wait_log(r"X11 forwarding refused: bad authentication "
                          r"protocol")


class Wildcard(X11Base):
    """x11_use_localhost false: every address, DISPLAY names the host."""
    forwarding = {"x11": True, "x11_use_localhost": False}

    def test_display_names_host(self):
        r = self.ssh("-Y", command=["echo", "$DISPLAY;", "xauth", "list"])
        self.assertEqual(r.returncode, 0, r.stderr)
        lines = r.stdout.decode().splitlines()
        m = re.match(r"^%s:(\d+)\.0$" % re.escape(socket.gethostname()),
                     lines[0])
        self.assertTrue(m, lines)
        # xauth files a display of this host under its local name.
        self.assertRegex(lines[1], r"^%s(/unix)?:%s\s+MIT-MAGIC-COOKIE-1"
                         % (re.escape(socket.gethostname()), m.group(1)))


class DefaultOff(X11Base):
    forwarding = None

    def test_refused(self):
        self.assert_refused(log=r"X11 forwarding refused: forwarding.x11 "
                                r"is off")


class MatchBlock(X11Base):
    extra = {"match": [
        {"users": ["nobody-else-*"], "forwarding": {"x11": True}},
        {"users": [USER], "forwarding": {"x11": False}},
    ]}

    def test_refused(self):
        self.assert_refused(log=r"forwarding.x11 is off")


class MatchBlockOffset(X11Base):
    forwarding = None
    extra = {"match": [{"users": [USER], "forwarding": {
        "x11": True, "x11_display_offset": 200}}]}

    def test_offset_applies(self):
        out, _ = self.forwarded()
        n = int(re.match(r"localhost:(\d+)\.0$", out["display"]).group(1))
        self.assertGreaterEqual(n, 200)


class NoX11KeyOption(X11Base):
    key_options = "no-X11-forwarding"

    def test_refused(self):
        self.assert_refused(log=r"no-X11-forwarding or restrict")


class RestrictKeyOption(X11Base):
    key_options = "restrict"

    def test_refused(self):
        self.assert_refused(log=r"no-X11-forwarding or restrict")


class RestrictButX11(X11Base):
    key_options = "restrict,X11-forwarding"

    def test_allowed(self):
        out, _ = self.forwarded()
        self.assertRegex(out["display"], r"^localhost:\d+\.0$")


class SftpOnly(X11Base):
    extra = {"sftp": {"force": True}}

    def test_refused(self):
        import paramiko
        t = paramiko_transport(self.srv)
        self.addCleanup(t.close)
        ch = t.open_session()
        with self.assertRaises(paramiko.SSHException):
            ch.request_x11()
        self.srv.wait_log(r"X11 forwarding refused: the account is "
                          r"SFTP-only")


class MissingXauth(X11Base):
    forwarding = {"x11": True, "xauth_path": "/nonexistent/xauth"}

    def test_refused(self):
        self.assert_refused(log=r"xauth not found")


class Certificate(X11Base):
    """A certificate without permit-X11-forwarding forbids it; one with
    it (ssh-keygen's default) allows it."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        ca = os.path.join(cls.srv.tmp, "ca")
        subprocess.run([SSH_KEYGEN, "-q", "-t", "ed25519", "-N", "", "-f",
                        ca], check=True, stdin=subprocess.DEVNULL)
        with open(ca + ".pub") as f:
            capub = f.read()
        with open(cls.srv.authorized_keys, "w") as f:
            f.write("cert-authority " + capub)
        cls.keys = harness.certified_copies(
            cls.srv.key, ca, USER, (("nox11", ["-O", "no-x11-forwarding"]), ("x11", [])),
            cls.srv.tmp)

    def test_without_extension_refused(self):
        self.assert_refused(key=self.keys["nox11"],
                            log=r"without permit-X11-forwarding")

    def test_with_extension_works(self):
        out, _ = self.forwarded(key=self.keys["x11"])
        self.assertRegex(out["display"], r"^localhost:\d+\.0$")


if __name__ == "__main__":
    unittest.main()
