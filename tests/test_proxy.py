#!/usr/bin/python3
"""test_proxy.py: PROXY protocol v1 and v2 (listen_proxy, proxy_from) with
the real OpenSSH client behind a header writer (this file run with
--relay as ProxyCommand): the carried client address is logged, matched by
match blocks and from=; LOCAL keeps the proxy's; a missing, malformed or
oversized header is closed before any banner; a source outside proxy_from
is refused; the other listen address takes plain connections."""

import ipaddress
import os
import pwd
import re
import selectors
import shutil
import socket
import struct
import subprocess
import sys
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from harness import (Server, SSH_KEYGEN, free_port, recv_line,  # noqa: E402
                     wait_until)

SSH = os.environ.get("SSH") or "ssh"
USER = pwd.getpwuid(os.getuid()).pw_name
PLAIN = "127.0.0.2"
# Client addresses on loopback, for HAProxy to carry: one from= allows,
# one a match block denies.
ALLOWED, DENIED = "127.0.0.4", "127.0.0.3"
HAPROXY = shutil.which("haproxy") or "/usr/sbin/haproxy"
V2SIG = b"\r\n\r\n\x00\r\nQUIT\n"


def header(version, src, sport, dst=None, dport=22):
    """A PROXY header for a TCP client src:sport; src None: LOCAL (v2) or
    UNKNOWN (v1)."""
    if dst is None:
        dst = "2001:db8::1" if src and ":" in src else "192.0.2.1"
    if version == 1:
        if src is None:
            return b"PROXY UNKNOWN\r\n"
        fam = "TCP6" if ":" in src else "TCP4"
        return ("PROXY %s %s %s %d %d\r\n" % (fam, src, dst, sport,
                                              dport)).encode()
    if src is None:
        return V2SIG + b"\x20\x00\x00\x00"
    s, d = ipaddress.ip_address(src), ipaddress.ip_address(dst)
    body = s.packed + d.packed + struct.pack(">HH", sport, dport)
    # A TLV (PP2_TYPE_AUTHORITY) the server skips.
    body += b"\x02\x00\x04host"
    fam = b"\x21" if s.version == 6 else b"\x11"
    return V2SIG + b"\x21" + fam + struct.pack(">H", len(body)) + body


def relay(host, port, hdr):
    """ProxyCommand: connect, write hdr, then copy both ways."""
    sock = socket.create_connection((host, int(port)), timeout=30)
    sock.settimeout(None)
    sock.sendall(hdr)
    sel = selectors.DefaultSelector()
    sel.register(0, selectors.EVENT_READ)
    sel.register(sock, selectors.EVENT_READ)
    while True:
        for key, _ in sel.select():
            if key.fileobj == 0:
                data = os.read(0, 65536)
                if not data:
                    sock.shutdown(socket.SHUT_WR)
                    sel.unregister(0)
                    continue
                sock.sendall(data)
            else:
                data = sock.recv(65536)
                if not data:
                    return
                os.write(1, data)


class ProxyServer(Server):
    """127.0.0.1 expects PROXY headers (from 127.0.0.1 only); PLAIN, on
    the same port, does not.  A key is authorized with from= the proxied
    network 198.51.100.0/24 or 2001:db8::/32, never the loopback."""

    def __init__(self, settings=None, **kw):
        super().__init__(listen_hosts=("127.0.0.1", PLAIN), **kw)
        self.key = os.path.join(self.tmp, "id_user")
        subprocess.run([SSH_KEYGEN, "-q", "-t", "ed25519", "-N", "", "-f",
                        self.key], check=True, stdin=subprocess.DEVNULL,
                       timeout=60)
        with open(self.key + ".pub") as f:
            pub = f.read().strip()
        self.authorized = os.path.join(self.tmp, "authorized_keys")
        with open(self.authorized, "w") as f:
            f.write('from="198.51.100.0/24,2001:db8::/32,127.0.0.1,%s" '
                    '%s\n' % (ALLOWED, pub))
        os.chmod(self.authorized, 0o600)
        self.update_settings({
            "listen_proxy": ["127.0.0.1:%d" % self.port],
            "proxy_from": ["127.0.0.1"],
            "auth": {"authorized_keys": [self.authorized],
                     "methods": ["publickey"], "login_grace_time": 2},
            # The proxied TEST-NET-3 client is denied by a match block.
            "match": [{"addresses": ["203.0.113.0/24", DENIED],
                       "auth": {"deny_users": [USER]}}],
        })
        self.update_settings(settings or {})
        self.write_config()

    def ssh(self, hdr=None, host="127.0.0.1", command="echo in", port=None,
            bind=None):
        argv = [SSH, "-F", "/dev/null", "-p", str(port or self.port),
                "-i", self.key,
                "-o", "IdentitiesOnly=yes", "-o", "IdentityAgent=none",
                "-o", "BatchMode=yes", "-o", "StrictHostKeyChecking=no",
                "-o", "UserKnownHostsFile=/dev/null", "-o", "LogLevel=ERROR",
                "-o", "ConnectTimeout=10"]
        if bind is not None:
            argv += ["-b", bind]
        if hdr is not None:
            argv += ["-o", "ProxyCommand=%s %s --relay %%h %%p %s" % (
                sys.executable, os.path.abspath(__file__), hdr.hex())]
        argv += ["%s@%s" % (USER, host), command]
        return subprocess.run(argv, capture_output=True, timeout=60,
                              stdin=subprocess.DEVNULL)


class Proxy(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.srv = ProxyServer()
        cls.srv.start()

    @classmethod
    def tearDownClass(cls):
        cls.srv.close()

    def login_from(self, version, src, sport):
        start = len(self.srv.read_log())
        r = self.srv.ssh(header(version, src, sport))
        return r, start

    def test_v1_and_v2_carry_the_client(self):
        for version, src in ((1, "198.51.100.7"), (2, "198.51.100.8"),
                             (1, "2001:db8::7"), (2, "2001:db8::8")):
            with self.subTest(version=version, src=src):
                sport = 40000 + version
                start = len(self.srv.read_log())
                r = self.srv.ssh(header(version, src, sport),
                                 command='echo "$SSH_CONNECTION"')
                self.assertEqual(r.returncode, 0, r.stderr)
                # The header's destination is the server's end.
                dst = "2001:db8::1" if ":" in src else "192.0.2.1"
                self.assertEqual(r.stdout.decode(), "%s %d %s 22\n" % (
                    src, sport, dst))
                self.srv.wait_log(
                    r"Connection from %s port %d via PROXY protocol v%d "
                    r"from 127\.0\.0\.1 port \d+" % (re.escape(src), sport,
                                                     version), start=start)
                # The monitor's line names the client, not the proxy.
                self.srv.wait_log(r"Accepted publickey for %s from %s port "
                                  r"%d" % (USER, re.escape(src), sport),
                                  start=start)

    def test_match_block_on_the_proxied_address(self):
        r, start = self.login_from(1, "203.0.113.9", 41000)
        self.assertEqual(r.returncode, 255)
        self.srv.wait_log(r"203\.0\.113\.9.*deny_users|deny_users.*"
                          r"203\.0\.113\.9", start=start)
        r, start = self.login_from(2, "203.0.113.10", 41001)
        self.assertEqual(r.returncode, 255)

    def test_from_option_uses_the_proxied_address(self):
        # 192.0.2.5 is not in from=; the proxy (127.0.0.1) is, and must
        # not count.
        r, start = self.login_from(2, "192.0.2.5", 41002)
        self.assertEqual(r.returncode, 255)
        self.assertNotIn("Accepted publickey",
                         self.srv.read_log()[start:])

    def test_local_and_unknown_keep_the_peer(self):
        for version in (1, 2):
            with self.subTest(version=version):
                r, start = self.login_from(version, None, 0)
                self.assertEqual(r.returncode, 0, r.stderr)
                self.srv.wait_log(r"Accepted publickey for %s from "
                                  r"127\.0\.0\.1 port" % USER, start=start)

    def test_plain_address_needs_no_header(self):
        start = len(self.srv.read_log())
        r = self.srv.ssh(host=PLAIN)
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertNotIn("PROXY", self.srv.read_log()[start:])

    def refused(self, data, why, source=None):
        start = len(self.srv.read_log())
        s = socket.create_connection(
            ("127.0.0.1", self.srv.port), timeout=15,
            source_address=(source, 0) if source else None)
        with s:
            if data:
                s.sendall(data)
            # Closed before any banner.
            self.assertEqual(recv_line(s, timeout=15), b"")
        self.srv.wait_log(why, start=start)

    def test_missing_header_closed(self):
        r = self.srv.ssh()
        self.assertEqual(r.returncode, 255)
        self.srv.wait_log(r"closed: no valid PROXY protocol header")
        self.refused(b"SSH-2.0-OpenSSH_9.6\r\n",
                     r"closed: no valid PROXY protocol header")

    def test_malformed_headers_closed(self):
        bad = [
            b"PROXY TCP4 198.51.100.7 192.0.2.1 1 65536\r\n",
            b"PROXY TCP4 198.51.100.7 192.0.2.1 1 2\n",
            b"PROXY TCP5 198.51.100.7 192.0.2.1 1 2\r\n",
            b"PROXY " + b"A" * 200,
            V2SIG + b"\x22\x11\x00\x0c" + b"\x00" * 12,
            V2SIG + b"\x21\x31\x00\x0c" + b"\x00" * 12,
            V2SIG + b"\x21\x11\xff\xff",
            b"\r\n\r\n\x00\r\nQUIX\n\x21\x11\x00\x0c" + b"\x00" * 12,
        ]
        for data in bad:
            with self.subTest(data=data[:40]):
                self.refused(data, r"closed: no valid PROXY protocol "
                             r"header \(invalid format\)")

    def test_truncated_header_times_out(self):
        # login_grace_time (2 s here) bounds the wait for the rest.
        self.refused(b"PROXY TCP4 198.51.100.7",
                     r"closed: no valid PROXY protocol header")

    def test_source_outside_proxy_from_refused(self):
        self.refused(header(1, "198.51.100.7", 1),
                     r"refuse connection from 127\.0\.0\.2 port \d+ on "
                     r"127\.0\.0\.1:\d+: not in proxy_from", source=PLAIN)


def wait_closed(sock, timeout):
    sock.settimeout(timeout)
    try:
        while sock.recv(4096):
            pass
    except (ConnectionResetError, socket.timeout):
        pass


class ProxyPenalty(unittest.TestCase):
    def test_penalty_counts_against_the_proxied_client(self):
        """A proxied client that runs out of login grace time is
        penalised and then refused once its header is read; another
        client through the same proxy still gets in."""
        # Nothing exempt: the proxy (127.0.0.1) would be penalised too if
        # its own connections counted.
        srv = ProxyServer(settings={"limits": {"penalties": {
            "grace_exceeded": 10, "min": 1, "max": 20, "exempt": []}}})
        try:
            srv.start()
            # A health check (LOCAL) that lingers, and a bad header: the
            # proxy's own, no penalty; plain connections from it still in.
            for data in (header(2, None, 0), b"PROXY TCP4 x\r\n"):
                with socket.create_connection(("127.0.0.1", srv.port),
                                              timeout=15) as s:
                    s.sendall(data)
                    wait_closed(s, 15)
            srv.wait_log(r"Timeout before authentication for 127\.0\.0\.1")
            srv.wait_log(r"closed: no valid PROXY protocol header")
            srv.wait_log(r"session pid \d+ for 127\.0\.0\.1 port \d+ "
                         r"exited with status 4")
            r = srv.ssh(host=PLAIN)
            self.assertEqual(r.returncode, 0, r.stderr)
            self.assertNotIn("penalty grace_exceeded for 127.0.0.1",
                             srv.read_log())
            hdr = header(1, "198.51.100.50", 42000)
            with socket.create_connection(("127.0.0.1", srv.port),
                                          timeout=15) as s:
                s.sendall(hdr)
                self.assertTrue(recv_line(s).startswith(b"SSH-2.0-"))
                wait_closed(s, 15)
            srv.wait_log(r"penalty grace_exceeded for 198\.51\.100\.50 "
                         r"port 42000: 10 seconds; refusing")
            start = len(srv.read_log())
            with socket.create_connection(("127.0.0.1", srv.port),
                                          timeout=15) as s:
                s.sendall(hdr)
                # Closed by the listener once it learns who this is.
                wait_closed(s, 15)
            srv.wait_log(r"refuse connection from 198\.51\.100\.50 port "
                         r"42000 on a PROXY listener: penalty", start=start)
            # The proxy is not penalised: its next client is served.
            r = srv.ssh(header(2, "198.51.100.51", 42001))
            self.assertEqual(r.returncode, 0, r.stderr)
            self.assertNotIn("penalty grace_exceeded for 127.0.0.1",
                             srv.read_log())
        finally:
            srv.close()


@unittest.skipUnless(os.access(HAPROXY, os.X_OK), "haproxy not installed")
class HAProxy(unittest.TestCase):
    """HAProxy in TCP mode in front of nanosshd, send-proxy and
    send-proxy-v2; ssh binds to a loopback address HAProxy carries."""

    @classmethod
    def setUpClass(cls):
        cls.srv = ProxyServer()
        cls.srv.start()
        cls.ports = {1: free_port(), 2: free_port()}
        while cls.ports[2] == cls.ports[1]:
            cls.ports[2] = free_port()
        conf = os.path.join(cls.srv.tmp, "haproxy.cfg")
        with open(conf, "w") as f:
            f.write("global\n  maxconn 64\n"
                    "defaults\n  mode tcp\n  timeout connect 5s\n"
                    "  timeout client 60s\n  timeout server 60s\n")
            for v, opt in ((1, "send-proxy"), (2, "send-proxy-v2")):
                f.write("frontend f%d\n  bind 127.0.0.1:%d\n"
                        "  default_backend b%d\n"
                        "backend b%d\n  server s 127.0.0.1:%d %s\n"
                        % (v, cls.ports[v], v, v, cls.srv.port, opt))
        cls.log = open(os.path.join(cls.srv.tmp, "haproxy.log"), "wb")
        cls.proc = subprocess.Popen([HAPROXY, "-db", "-f", conf],
                                    stdin=subprocess.DEVNULL, stdout=cls.log,
                                    stderr=cls.log)

        def up():
            if cls.proc.poll() is not None:
                raise AssertionError("haproxy exited")
            try:
                for p in cls.ports.values():
                    socket.create_connection(("127.0.0.1", p), 1).close()
                return True
            except OSError:
                return False
        try:
            wait_until(up, 20, "haproxy listening")
        except BaseException:
            cls.tearDownClass()
            raise

    @classmethod
    def tearDownClass(cls):
        cls.proc.terminate()
        try:
            cls.proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            cls.proc.kill()
            cls.proc.wait()
        cls.log.close()
        cls.srv.close()

    def test_send_proxy_v1_and_v2(self):
        for v in (1, 2):
            with self.subTest(version=v):
                start = len(self.srv.read_log())
                r = self.srv.ssh(port=self.ports[v], bind=ALLOWED)
                self.assertEqual(r.returncode, 0, r.stderr)
                self.assertEqual(r.stdout, b"in\n")
                self.srv.wait_log(r"Connection from 127\.0\.0\.4 port \d+ "
                                  r"via PROXY protocol v%d from 127\.0\.0\.1 "
                                  r"port \d+" % v, start=start)
                self.srv.wait_log(r"Accepted publickey for %s from "
                                  r"127\.0\.0\.4 port" % USER, start=start)

    def test_match_on_the_carried_address(self):
        for v in (1, 2):
            with self.subTest(version=v):
                start = len(self.srv.read_log())
                r = self.srv.ssh(port=self.ports[v], bind=DENIED)
                self.assertEqual(r.returncode, 255)
                self.srv.wait_log(r"127\.0\.0\.3.*deny_users|deny_users.*"
                                  r"127\.0\.0\.3", start=start)


class ProxyConfig(unittest.TestCase):
    def test_listen_proxy_must_be_listened_on(self):
        srv = Server()
        try:
            srv.update_settings({"listen_proxy": ["127.0.0.1:1"],
                                 "proxy_from": ["127.0.0.1"]})
            srv.write_config()
            r = srv.run("-t")
            self.assertNotEqual(r.returncode, 0)
            self.assertIn("listen_proxy: found \"127.0.0.1:1\", expected "
                          "an entry of listen", r.stderr)
        finally:
            srv.close()


if __name__ == "__main__":
    if len(sys.argv) == 5 and sys.argv[1] == "--relay":
        relay(sys.argv[2], sys.argv[3], bytes.fromhex(sys.argv[4]))
        sys.exit(0)
    unittest.main()
