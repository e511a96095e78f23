#!/usr/bin/python3
"""test_forward.py: port forwarding with the OpenSSH client and paramiko:
-L to an HTTP server, -R with a fixed port and with port 0, -D (SOCKS)
with curl, -L and -R with Unix sockets, 50 parallel connections through
one forward, half-close in both directions, paramiko direct-tcpip,
gateway_ports (loopback only or every address), match blocks, and a
refusal for every rule (forwarding.tcp, forwarding.streamlocal,
permit_open, permit_listen, authorized_keys no-port-forwarding /
permitopen= / permitlisten= / restrict, a certificate without
permit-port-forwarding) with the reason the client reports.  As root, a
login as "nobody" shows that forwarded sockets are made with the user's
uid, never root's."""

import hashlib
import http.server
import os
import pwd
import re
import shutil
import socket
import struct
import subprocess
import sys
import tempfile
import threading
import unittest
import urllib.request

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import harness  # noqa: E402
from harness import (Server, free_port, have_ipv6, wait_until,  # noqa: E402
                     SSH_KEYGEN)

SSH = os.environ.get("SSH") or "ssh"
CURL = shutil.which("curl")
USER = pwd.getpwuid(os.getuid()).pw_name
PAGE = b"<html>nanossh forwarding test page " + b"x" * 5000 + b"</html>\n"
WAIT = 20.0


class QuietHandler(http.server.BaseHTTPRequestHandler):
    def do_GET(self):
        body = PAGE + self.path.encode()
        self.send_response(200)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


class HTTPServer:
    """python's http.server on a free loopback port, in a thread."""

    def __init__(self):
        self.srv = http.server.ThreadingHTTPServer(("127.0.0.1", 0),
                                                   QuietHandler)
        self.port = self.srv.server_address[1]
        self.thread = threading.Thread(target=self.srv.serve_forever,
                                       daemon=True)
        self.thread.start()

    def close(self):
        self.srv.shutdown()
        self.srv.server_close()


def expected_page(path):
    return PAGE + path.encode()


def http_get(port, path="/", host="127.0.0.1"):
    with urllib.request.urlopen("http://%s:%d%s" % (host, port, path),
                                timeout=WAIT) as r:
        return r.read()


def http_get_unix(path, url="/"):
    with socket.socket(socket.AF_UNIX) as s:
        s.settimeout(WAIT)
        s.connect(path)
        s.sendall(b"GET %s HTTP/1.0\r\nHost: x\r\n\r\n" % url.encode())
        data = recv_all(s)
    return data.split(b"\r\n\r\n", 1)[1]


def recv_all(s):
    chunks = []
    while True:
        d = s.recv(65536)
        if not d:
            return b"".join(chunks)
        chunks.append(d)


class UnixHTTPServer(http.server.ThreadingHTTPServer):
    address_family = socket.AF_UNIX

    def server_bind(self):
        self.socket.bind(self.server_address)
        self.server_name = "unix"
        self.server_port = 0

    def get_request(self):
        s, _ = self.socket.accept()
        return s, ("unix", 0)


class FwdServer(Server):
    """A Server with an authorized user key and forwarding settings."""

    def __init__(self, forwarding=None, key_options="", extra=None, **kw):
        super().__init__(log_level="verbose", **kw)
        self.key = os.path.join(self.tmp, "id_user")
        subprocess.run([SSH_KEYGEN, "-q", "-t", "ed25519", "-N", "", "-f",
                        self.key], check=True, stdin=subprocess.DEVNULL)
        with open(self.key + ".pub") as f:
            pub = f.read()
        with open(self.authorized_keys, "w") as f:
            f.write((key_options + " " if key_options else "") + pub)
        os.chmod(self.authorized_keys, 0o600)
        self.update_settings({"auth": {"authorized_keys":
                                       [self.authorized_keys],
                                       "methods": ["publickey"]}})
        if forwarding:
            self.update_settings({"forwarding": forwarding})
        self.update_settings(extra or {})
        self.write_config()

    def argv(self, *args, key=None, log_level="ERROR", user=USER):
        argv = [SSH, "-F", "/dev/null", "-p", str(self.port),
                "-i", key or self.key,
                "-o", "IdentitiesOnly=yes", "-o", "IdentityAgent=none",
                "-o", "BatchMode=yes", "-o", "StrictHostKeyChecking=no",
                "-o", "UserKnownHostsFile=/dev/null",
                "-o", "LogLevel=" + log_level,
                "-o", "ConnectTimeout=10"]
        return argv + list(args) + ["%s@%s" % (user, self.host)]

    def run(self, *args, command=(), key=None, log_level="ERROR",
            input=None, timeout=60):
        return subprocess.run(self.argv(*args, key=key, log_level=log_level)
                              + list(command), input=input,
                              capture_output=True, timeout=timeout)

    def background(self, *args, key=None, log_level="ERROR"):
        """ssh -N with the given forwarding options, in the background."""
        p = subprocess.Popen(self.argv("-N", "-o", "ExitOnForwardFailure=yes",
                                       *args, key=key, log_level=log_level),
                             stdin=subprocess.DEVNULL,
                             stdout=subprocess.DEVNULL,
                             stderr=subprocess.PIPE)
        return p


def stop(p):
    if p.poll() is None:
        p.terminate()
    try:
        _, err = p.communicate(timeout=WAIT)
    except subprocess.TimeoutExpired:
        p.kill()
        _, err = p.communicate()
    return (err or b"").decode(errors="replace")


def wait_port(port, proc=None):
    def up():
        if proc is not None and proc.poll() is not None:
            raise AssertionError("ssh exited: %s" % stop(proc))
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                return True
        except OSError:
            return False
    wait_until(up, WAIT, "port %d to accept" % port)


def wait_path(path, proc=None):
    # The socket file appears at bind(), before listen(): wait until a
    # connection succeeds.
    def up():
        if proc is not None and proc.poll() is not None:
            raise AssertionError("ssh exited: %s" % stop(proc))
        try:
            with socket.socket(socket.AF_UNIX) as s:
                s.connect(path)
                return True
        except OSError:
            return False
    wait_until(up, WAIT, "socket %s" % path)


class ForwardBase(unittest.TestCase):
    forwarding = None
    key_options = ""
    extra = None

    @classmethod
    def setUpClass(cls):
        cls.srv = FwdServer(forwarding=cls.forwarding,
                            key_options=cls.key_options, extra=cls.extra)
        cls.srv.start()
        cls.http = HTTPServer()
        cls.sockdir = tempfile.mkdtemp(prefix="nanossh-fwd-")

    @classmethod
    def tearDownClass(cls):
        cls.http.close()
        shutil.rmtree(cls.sockdir, ignore_errors=True)
        cls.srv.close()

    def local_forward(self, target, **kw):
        """ssh -L to target ("host:port" or a path); returns (proc, port)."""
        port = free_port()
        p = self.srv.background("-L", "127.0.0.1:%d:%s" % (port, target),
                                **kw)
        self.addCleanup(stop, p)
        wait_port(port, p)
        return p, port

    def stdio_forward(self, target, input=b""):
        """ssh -W: one direct-tcpip channel over ssh's stdin/stdout (its
        open failures are logged at INFO)."""
        return self.srv.run("-W", target, input=input, log_level="INFO")


class Forward(ForwardBase):
    forwarding = {"streamlocal": "yes"}

    def test_local_http(self):
        _, port = self.local_forward("127.0.0.1:%d" % self.http.port)
        self.assertEqual(http_get(port, "/local"), expected_page("/local"))
        self.srv.wait_log(r"forwarding channel \d+ opened: direct-tcpip to "
                          r"127\.0\.0\.1 port %d" % self.http.port)
        self.srv.wait_log(r"forwarding channel \d+ closed .*direct-tcpip to "
                          r"127\.0\.0\.1 port %d.* bytes to it, \d+ bytes "
                          r"from it" % self.http.port)

    def test_local_by_name(self):
        _, port = self.local_forward("localhost:%d" % self.http.port)
        self.assertEqual(http_get(port, "/name"), expected_page("/name"))

    def test_connect_refused(self):
        closed = free_port()
        r = self.stdio_forward("127.0.0.1:%d" % closed)
        self.assertNotEqual(r.returncode, 0)
        self.assertIn(b"open failed: connect failed", r.stderr)
        self.assertIn(b"Connection refused", r.stderr)

    def test_unknown_host(self):
        r = self.stdio_forward("no-such-host.invalid:80")
        self.assertNotEqual(r.returncode, 0)
        self.assertIn(b"open failed: connect failed", r.stderr)

    def test_remote_fixed_port(self):
        port = free_port()
        p = self.srv.background("-R", "127.0.0.1:%d:127.0.0.1:%d"
                                % (port, self.http.port))
        self.addCleanup(stop, p)
        wait_port(port, p)
        self.assertEqual(http_get(port, "/remote"), expected_page("/remote"))
        self.srv.wait_log(r"forwarding channel \d+ opened: forwarded-tcpip "
                          r"from 127\.0\.0\.1 port %d" % port)

    def test_remote_port_zero(self):
        p = self.srv.background("-R", "0:127.0.0.1:%d" % self.http.port,
                                log_level="INFO")
        self.addCleanup(stop, p)
        line = b""
        while b"Allocated port" not in line:
            line = p.stderr.readline()
            self.assertNotEqual(line, b"", "ssh ended without a port")
        port = int(line.split()[2])
        self.assertGreaterEqual(port, 1024)
        wait_port(port, p)
        self.assertEqual(http_get(port, "/zero"), expected_page("/zero"))

    def test_remote_cancel(self):
        # ssh -O cancel needs a control master; cancel-tcpip-forward is
        # sent by paramiko's cancel_port_forward instead.
        t = paramiko_transport(self.srv)
        try:
            port = t.request_port_forward("127.0.0.1", 0)
            wait_port(port)
            t.cancel_port_forward("127.0.0.1", port)
            wait_until(lambda: not connects(port), WAIT,
                       "the listener to go")
        finally:
            t.close()

    def test_remote_port_in_use(self):
        with socket.socket() as busy:
            busy.bind(("127.0.0.1", 0))
            busy.listen(1)
            port = busy.getsockname()[1]
            p = self.srv.background("-R", "127.0.0.1:%d:127.0.0.1:%d"
                                    % (port, self.http.port))
            self.assertNotEqual(p.wait(WAIT), 0)
            self.assertIn("remote port forwarding failed", stop(p))

    @unittest.skipUnless(CURL, "curl not installed")
    def test_dynamic_socks(self):
        port = free_port()
        p = self.srv.background("-D", "127.0.0.1:%d" % port)
        self.addCleanup(stop, p)
        wait_port(port, p)
        r = subprocess.run([CURL, "-sS", "--max-time", "20",
                            "--socks5-hostname", "127.0.0.1:%d" % port,
                            "http://localhost:%d/socks" % self.http.port],
                           capture_output=True, timeout=60)
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertEqual(r.stdout, expected_page("/socks"))

    def test_local_unix(self):
        path = os.path.join(self.sockdir, "l-target.sock")
        srv = UnixHTTPServer(path, QuietHandler)
        threading.Thread(target=srv.serve_forever, daemon=True).start()
        self.addCleanup(srv.server_close)
        self.addCleanup(srv.shutdown)
        local = os.path.join(self.sockdir, "l-local.sock")
        p = self.srv.background("-L", "%s:%s" % (local, path))
        self.addCleanup(stop, p)
        wait_path(local, p)
        self.assertEqual(http_get_unix(local, "/lunix"),
                         expected_page("/lunix"))
        self.srv.wait_log(r"forwarding channel \d+ opened: "
                          r"direct-streamlocal@openssh.com to %s" % path)

    def test_remote_unix(self):
        remote = os.path.join(self.sockdir, "r-remote.sock")
        p = self.srv.background("-R", "%s:127.0.0.1:%d"
                                % (remote, self.http.port))
        self.addCleanup(stop, p)
        wait_path(remote, p)
        # Only the user may connect (StreamLocalBindMask 0177).
        self.assertEqual(os.stat(remote).st_mode & 0o777, 0o600)
        self.assertEqual(http_get_unix(remote, "/runix"),
                         expected_page("/runix"))

    def test_remote_unix_cancel(self):
        # cancel-streamlocal-forward@openssh.com, from a control master.
        ctl = os.path.join(self.sockdir, "ctl")
        remote = os.path.join(self.sockdir, "r-cancel.sock")
        p = self.srv.background("-M", "-S", ctl, "-R", "%s:127.0.0.1:%d"
                                % (remote, self.http.port))
        self.addCleanup(stop, p)
        wait_path(remote, p)
        r = subprocess.run(self.srv.argv("-S", ctl, "-O", "cancel", "-R",
                                         "%s:127.0.0.1:%d"
                                         % (remote, self.http.port)),
                           capture_output=True, timeout=60)
        self.assertEqual(r.returncode, 0, r.stderr)

        def gone():
            try:
                with socket.socket(socket.AF_UNIX) as s:
                    s.connect(remote)
                    return False
            except OSError:
                return True
        wait_until(gone, WAIT, "the Unix listener to go")
        self.srv.wait_log(r"stopped listening on %s" % re.escape(remote))

    def test_parallel(self):
        echo = EchoServer()
        self.addCleanup(echo.close)
        _, port = self.local_forward("127.0.0.1:%d" % echo.port)
        results = [None] * 50
        barrier = threading.Barrier(50)

        def one(i):
            data = os.urandom(1000 + i * 997)
            with socket.create_connection(("127.0.0.1", port),
                                          timeout=WAIT) as s:
                barrier.wait(WAIT)
                s.sendall(data)
                s.shutdown(socket.SHUT_WR)
                results[i] = recv_all(s) == hashlib.sha256(data).digest()

        threads = [threading.Thread(target=one, args=(i,))
                   for i in range(50)]
        for t in threads:
            t.start()
        for t in threads:
            t.join(WAIT * 3)
        self.assertEqual(results, [True] * 50)
        # Each channel ended cleanly, both directions done.
        rx = (r"forwarding channel \d+ closed \(both ends done\): "
              r"direct-tcpip to 127\.0\.0\.1 port %d," % echo.port)
        wait_until(lambda: len(re.findall(rx, self.srv.read_log())) >= 50,
                   WAIT, "50 channels to close")

    def test_target_resets(self):
        # The target resets the connection: the client's side ends, and
        # the forward (and the connection) carry on.
        lsn = socket.socket()
        lsn.bind(("127.0.0.1", 0))
        lsn.listen(8)
        self.addCleanup(lsn.close)

        def serve():
            while True:
                try:
                    c, _ = lsn.accept()
                except OSError:
                    return
                c.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER,
                             struct.pack("ii", 1, 0))
                c.close()

        threading.Thread(target=serve, daemon=True).start()
        p, port = self.local_forward("127.0.0.1:%d" % lsn.getsockname()[1])
        with socket.create_connection(("127.0.0.1", port),
                                      timeout=WAIT) as s:
            try:
                self.assertEqual(recv_all(s), b"")
            except ConnectionResetError:
                pass
        self.assertIsNone(p.poll())
        # The reset lands either after the helper's connect completed
        # (the child's read fails) or before (SO_ERROR reports it, and
        # the open is refused): both end that channel only.
        port = lsn.getsockname()[1]
        self.srv.wait_log(r"closed \(read failed\): direct-tcpip to "
                          r"127\.0\.0\.1 port %d|forwarding: connecting "
                          r"to 127\.0\.0\.1 port %d failed: connect: "
                          r"Connection reset" % (port, port))
        self.assertIsNone(p.poll())

    def test_half_close_client_first(self):
        # The client's EOF reaches the server (shutdown(SHUT_WR)) while
        # the server's answer still flows back.
        echo = EchoServer()
        self.addCleanup(echo.close)
        _, port = self.local_forward("127.0.0.1:%d" % echo.port)
        data = os.urandom(3 * 1024 * 1024)
        with socket.create_connection(("127.0.0.1", port),
                                      timeout=WAIT) as s:
            s.sendall(data)
            s.shutdown(socket.SHUT_WR)
            self.assertEqual(recv_all(s), hashlib.sha256(data).digest())

    def test_half_close_server_first(self):
        # The server says its piece and shuts its side; the client then
        # still sends, and the server receives it all.
        got = []
        srv = socket.socket()
        srv.bind(("127.0.0.1", 0))
        srv.listen(1)
        self.addCleanup(srv.close)

        def serve():
            # The first connection is wait_port's probe, which sends
            # nothing: serve until one does.
            while not got:
                c, _ = srv.accept()
                with c:
                    try:
                        c.sendall(b"hello from the server")
                        c.shutdown(socket.SHUT_WR)
                        data = recv_all(c)
                    except OSError:
                        continue
                    if data:
                        got.append(data)

        th = threading.Thread(target=serve, daemon=True)
        th.start()
        _, port = self.local_forward("127.0.0.1:%d" %
                                     srv.getsockname()[1])
        payload = os.urandom(1024 * 1024)
        with socket.create_connection(("127.0.0.1", port),
                                      timeout=WAIT) as s:
            self.assertEqual(recv_all(s), b"hello from the server")
            s.sendall(payload)
            s.shutdown(socket.SHUT_WR)
            th.join(WAIT)
        self.assertEqual(got, [payload])

    def test_paramiko_direct_tcpip(self):
        t = paramiko_transport(self.srv)
        try:
            ch = t.open_channel("direct-tcpip",
                                ("127.0.0.1", self.http.port),
                                ("127.0.0.1", 4242))
            ch.sendall(b"GET /paramiko HTTP/1.0\r\n\r\n")
            data = b""
            while True:
                d = ch.recv(65536)
                if not d:
                    break
                data += d
            ch.close()
            self.assertEqual(data.split(b"\r\n\r\n", 1)[1],
                             expected_page("/paramiko"))
        finally:
            t.close()
        self.srv.wait_log(r"originator 127\.0\.0\.1 port 4242")

    def test_paramiko_reason_codes(self):
        # RFC 4254 5.1: CONNECT_FAILED (2) for a closed port,
        # UNKNOWN_CHANNEL_TYPE (3) for a type nobody serves.
        import paramiko
        t = paramiko_transport(self.srv)
        try:
            with self.assertRaises(paramiko.ChannelException) as cm:
                t.open_channel("direct-tcpip", ("127.0.0.1", free_port()),
                               ("127.0.0.1", 1))
            self.assertEqual(cm.exception.code, 2)
            with self.assertRaises(paramiko.ChannelException) as cm:
                t.open_channel("x-no-such-type@example.org")
            self.assertEqual(cm.exception.code, 3)
        finally:
            t.close()

    def test_channel_cap(self):
        # 128 forwarded channels at once; one more is RESOURCE_SHORTAGE
        # (4), and closing one makes room again.
        import paramiko
        echo = EchoServer()
        self.addCleanup(echo.close)
        t = paramiko_transport(self.srv)
        try:
            chans = [t.open_channel("direct-tcpip", ("127.0.0.1", echo.port),
                                    ("127.0.0.1", 1)) for _ in range(128)]
            with self.assertRaises(paramiko.ChannelException) as cm:
                t.open_channel("direct-tcpip", ("127.0.0.1", echo.port),
                               ("127.0.0.1", 1))
            self.assertEqual(cm.exception.code, 4)
            chans[0].shutdown_write()
            self.assertEqual(len(chans[0].recv(64)), 32)
            chans[0].close()
            wait_until(lambda: try_open(t, echo.port), WAIT,
                       "a free channel")
        finally:
            t.close()

    def test_paramiko_malformed_open(self):
        # A port over 65535: refused, and the connection carries on.
        import paramiko
        t = paramiko_transport(self.srv)
        try:
            with self.assertRaises(paramiko.ChannelException) as cm:
                t.open_channel("direct-tcpip", ("127.0.0.1", 70000),
                               ("127.0.0.1", 1))
            self.assertEqual(cm.exception.code, 1)
            ch = t.open_channel("direct-tcpip",
                                ("127.0.0.1", self.http.port),
                                ("127.0.0.1", 1))
            ch.close()
        finally:
            t.close()


class EchoServer:
    """Reads each connection to its end, answers its SHA-256, closes."""

    def __init__(self):
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(128)
        self.port = self.sock.getsockname()[1]
        threading.Thread(target=self.loop, daemon=True).start()

    def loop(self):
        while True:
            try:
                c, _ = self.sock.accept()
            except OSError:
                return
            threading.Thread(target=self.one, args=(c,), daemon=True).start()

    def one(self, c):
        with c:
            h = hashlib.sha256()
            while True:
                d = c.recv(65536)
                if not d:
                    break
                h.update(d)
            c.sendall(h.digest())

    def close(self):
        self.sock.close()


def connects(port):
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=1):
            return True
    except OSError:
        return False


def try_open(t, port):
    import paramiko
    try:
        t.open_channel("direct-tcpip", ("127.0.0.1", port),
                       ("127.0.0.1", 1)).close()
        return True
    except paramiko.ChannelException:
        return False


def paramiko_transport(srv):
    import paramiko
    t = paramiko.Transport((srv.host, srv.port))
    t.start_client(timeout=WAIT)
    t.auth_publickey(USER, paramiko.Ed25519Key.from_private_key_file(srv.key))
    return t


PROHIBITED = b"open failed: administratively prohibited"


class Denied(ForwardBase):
    """Each rule refuses what it should, and only that."""

    def assert_open_refused(self, target="127.0.0.1:%d"):
        r = self.stdio_forward(target % self.http.port
                               if "%d" in target else target)
        self.assertNotEqual(r.returncode, 0)
        self.assertIn(PROHIBITED, r.stderr)

    def assert_open_works(self, target="127.0.0.1:%d"):
        r = self.stdio_forward(target % self.http.port,
                               input=b"GET /ok HTTP/1.0\r\n\r\n")
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertTrue(r.stdout.endswith(expected_page("/ok")))

    def assert_unix_open_refused(self, path):
        # ssh -W takes no paths: -L from a local port to the socket.
        port = free_port()
        p = self.srv.background("-L", "127.0.0.1:%d:%s" % (port, path),
                                log_level="INFO")
        wait_port(port, p)
        with socket.create_connection(("127.0.0.1", port),
                                      timeout=WAIT) as s:
            self.assertEqual(recv_all(s), b"")
        self.assertIn(PROHIBITED.decode(), stop(p))

    def assert_listen_refused(self, spec="127.0.0.1:%d:127.0.0.1:1"):
        p = self.srv.background("-R", spec % free_port()
                                if "%d" in spec else spec)
        self.assertNotEqual(p.wait(WAIT), 0)
        self.assertIn("remote port forwarding failed", stop(p))

    def assert_listen_works(self, bind="127.0.0.1"):
        port = free_port()
        p = self.srv.background("-R", "%s:%d:127.0.0.1:%d"
                                % (bind, port, self.http.port))
        self.addCleanup(stop, p)
        wait_port(port, p)


def connects_to(host, port):
    try:
        with socket.create_connection((host, port), timeout=2):
            return True
    except OSError:
        return False


class GatewayPortsOff(Denied):
    def test_wildcard_request_binds_loopback(self):
        port = free_port()
        p = self.srv.background("-R", "*:%d:127.0.0.1:%d"
                                % (port, self.http.port))
        self.addCleanup(stop, p)
        wait_port(port, p)
        self.assertFalse(connects_to("127.0.0.2", port))


class GatewayPortsOn(Denied):
    forwarding = {"gateway_ports": True}

    def test_wildcard_request_binds_everything(self):
        port = free_port()
        p = self.srv.background("-R", "*:%d:127.0.0.1:%d"
                                % (port, self.http.port))
        self.addCleanup(stop, p)
        wait_port(port, p)
        self.assertEqual(http_get(port, "/gw", host="127.0.0.2"),
                         expected_page("/gw"))

    @unittest.skipUnless(have_ipv6(), "no IPv6 loopback")
    def test_wildcard_is_dual_stack(self):
        port = free_port(("127.0.0.1", "::1"))
        p = self.srv.background("-R", "*:%d:127.0.0.1:%d"
                                % (port, self.http.port))
        self.addCleanup(stop, p)
        wait_port(port, p)
        self.assertEqual(http_get(port, "/v6", host="[::1]"),
                         expected_page("/v6"))

    def test_localhost_request_binds_loopback(self):
        port = free_port()
        p = self.srv.background("-R", "localhost:%d:127.0.0.1:%d"
                                % (port, self.http.port))
        self.addCleanup(stop, p)
        wait_port(port, p)
        self.assertFalse(connects_to("127.0.0.2", port))


class MatchBlock(Denied):
    """forwarding.* per user: a match block for this user turns TCP
    forwarding off; one for somebody else changes nothing."""
    extra = {"match": [
        {"users": ["nobody-else-*"], "forwarding": {"tcp": "yes"}},
        {"users": [USER], "forwarding": {"tcp": "no"}},
    ]}

    def test_local_refused(self):
        self.assert_open_refused()

    def test_remote_refused(self):
        self.assert_listen_refused()


class MatchBlockOther(Denied):
    extra = {"match": [{"users": ["nobody-else-*"],
                        "forwarding": {"tcp": "no"}}]}

    def test_local_works(self):
        self.assert_open_works()


class TcpNo(Denied):
    forwarding = {"tcp": "no"}

    def test_reason_code(self):
        # ADMINISTRATIVELY_PROHIBITED (1), RFC 4254 5.1.
        import paramiko
        t = paramiko_transport(self.srv)
        try:
            with self.assertRaises(paramiko.ChannelException) as cm:
                t.open_channel("direct-tcpip", ("127.0.0.1", self.http.port),
                               ("127.0.0.1", 1))
            self.assertEqual(cm.exception.code, 1)
        finally:
            t.close()

    def test_local_refused(self):
        self.assert_open_refused()
        self.srv.wait_log(r"refused connecting to 127\.0\.0\.1 port \d+: "
                          r"forwarding\.tcp forbids it")

    def test_remote_refused(self):
        self.assert_listen_refused()

    def test_unix_still_off(self):
        self.assert_unix_open_refused(os.path.join(self.sockdir, "x.sock"))


class TcpLocal(Denied):
    forwarding = {"tcp": "local"}

    def test_local_works(self):
        self.assert_open_works()

    def test_remote_refused(self):
        self.assert_listen_refused()


class TcpRemote(Denied):
    forwarding = {"tcp": "remote"}

    def test_local_refused(self):
        self.assert_open_refused()

    def test_remote_works(self):
        self.assert_listen_works()


class StreamlocalDefaultOff(Denied):
    def test_local_unix_refused(self):
        self.assert_unix_open_refused(os.path.join(self.sockdir, "y.sock"))
        self.srv.wait_log(r"forwarding\.streamlocal forbids it")

    def test_remote_unix_refused(self):
        self.assert_listen_refused(os.path.join(self.sockdir, "z.sock") +
                                   ":127.0.0.1:1")


class PermitOpen(Denied):
    @classmethod
    def setUpClass(cls):
        cls.forwarding = {"permit_open": ["127.0.0.1:%d" % free_port(),
                                          "localhost:*"]}
        super().setUpClass()
        # The HTTP port is known only now: allow exactly it by number.
        cls.srv.update_settings({"forwarding": {"permit_open": [
            "127.0.0.1:%d" % cls.http.port, "localhost:*"]}})
        cls.srv.write_config()
        cls.srv.stop()
        cls.srv.start()

    def test_listed_works(self):
        self.assert_open_works()

    def test_host_wildcard_port_works(self):
        self.assert_open_works("localhost:%d")

    def test_other_port_refused(self):
        self.assert_open_refused("127.0.0.1:%d" % free_port())
        self.srv.wait_log(r"not in forwarding\.permit_open")

    def test_other_name_for_same_host_refused(self):
        # Names are not resolved: 127.0.0.2 is not 127.0.0.1.
        self.assert_open_refused("127.0.0.2:%d")


class PermitListen(Denied):
    forwarding = {"permit_listen": ["localhost:*"]}

    def test_listed_works(self):
        self.assert_listen_works("localhost")

    def test_other_address_refused(self):
        self.assert_listen_refused("127.0.0.1:%d:127.0.0.1:1")

    def test_privileged_port_refused(self):
        if os.getuid() == 0:
            self.skipTest("root may listen below 1024")
        self.assert_listen_refused("localhost:80:127.0.0.1:1")
        self.srv.wait_log(r"privileged port")


class KeyNoPortForwarding(Denied):
    forwarding = {"streamlocal": "yes"}
    key_options = "no-port-forwarding"

    def test_local_refused(self):
        self.assert_open_refused()
        self.srv.wait_log(r"does not permit port forwarding")

    def test_remote_refused(self):
        self.assert_listen_refused()

    def test_unix_refused(self):
        self.assert_unix_open_refused(os.path.join(self.sockdir, "k.sock"))


class KeyRestrict(Denied):
    key_options = "restrict"

    def test_local_refused(self):
        self.assert_open_refused()

    def test_remote_refused(self):
        self.assert_listen_refused()


class KeyRestrictPortForwarding(Denied):
    key_options = "restrict,port-forwarding"

    def test_local_works(self):
        self.assert_open_works()


class KeyPermitOpen(Denied):
    @classmethod
    def setUpClass(cls):
        cls.http_port_hint = None
        super().setUpClass()
        with open(cls.srv.key + ".pub") as f:
            pub = f.read()
        with open(cls.srv.authorized_keys, "w") as f:
            f.write('permitopen="127.0.0.1:%d",permitlisten="localhost:*" %s'
                    % (cls.http.port, pub))

    def test_listed_works(self):
        self.assert_open_works()

    def test_other_refused(self):
        self.assert_open_refused("127.0.0.1:%d" % free_port())
        self.srv.wait_log(r"not permitted by permitopen=")

    def test_listen_listed_works(self):
        self.assert_listen_works("localhost")

    def test_listen_other_refused(self):
        self.assert_listen_refused("127.0.0.1:%d:127.0.0.1:1")
        self.srv.wait_log(r"not permitted by permitlisten=")


class Certificate(Denied):
    """A user certificate without permit-port-forwarding forbids it; one
    with it (ssh-keygen's default) allows it."""

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
            cls.srv.key, ca, USER, (("nofwd", ["-O", "no-port-forwarding"]), ("fwd", [])),
            cls.srv.tmp)

    def forward(self, key):
        return subprocess.run(self.srv.argv("-W", "127.0.0.1:%d" %
                                            self.http.port, key=key,
                                            log_level="INFO"),
                              input=b"GET /c HTTP/1.0\r\n\r\n",
                              capture_output=True, timeout=60)

    def test_without_extension_refused(self):
        r = self.forward(self.keys["nofwd"])
        self.assertNotEqual(r.returncode, 0)
        self.assertIn(PROHIBITED, r.stderr)

    def test_with_extension_works(self):
        r = self.forward(self.keys["fwd"])
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertTrue(r.stdout.endswith(expected_page("/c")))


def tcp_socket_uid(port, state=None):
    """The uid that owns the local TCP socket on 127.0.0.1:port, from
    /proc/net/tcp (state "0A": listening), or None."""
    want = "0100007F:%04X" % port
    with open("/proc/net/tcp") as f:
        for line in f.readlines()[1:]:
            fields = line.split()
            if fields[1] == want and (state is None or fields[3] == state):
                return int(fields[7])
    return None


@unittest.skipUnless(os.getuid() == 0, "needs root to serve another user")
class AsTheUser(unittest.TestCase):
    """Forwarded sockets belong to the user, never to root: served as
    root, a login as "nobody" connects and listens with nobody's uid."""

    @classmethod
    def setUpClass(cls):
        cls.pw = pwd.getpwnam("nobody")
        cls.dir = tempfile.mkdtemp(prefix="nanossh-fwd-user-")
        os.chmod(cls.dir, 0o755)
        key = os.path.join(cls.dir, "id_user")
        subprocess.run([SSH_KEYGEN, "-q", "-t", "ed25519", "-N", "", "-f",
                        key], check=True, stdin=subprocess.DEVNULL)
        authorized = os.path.join(cls.dir, "authorized_keys")
        shutil.copy(key + ".pub", authorized)
        os.chmod(authorized, 0o644)
        cls.srv = FwdServer(forwarding={"streamlocal": "yes"})
        cls.srv.key = key
        cls.srv.update_settings({"auth": {"authorized_keys": [authorized],
                                          "methods": ["publickey"]}})
        cls.srv.write_config()
        cls.srv.start()

    @classmethod
    def tearDownClass(cls):
        cls.srv.close()
        shutil.rmtree(cls.dir, ignore_errors=True)

    def test_tcp_connect_as_user(self):
        owners = []
        with socket.socket() as lsn:
            lsn.bind(("127.0.0.1", 0))
            lsn.listen(1)

            def serve():
                c, peer = lsn.accept()
                with c:
                    owners.append(tcp_socket_uid(peer[1]))
                    c.sendall(b"ok")

            th = threading.Thread(target=serve, daemon=True)
            th.start()
            r = subprocess.run(self.srv.argv("-W", "127.0.0.1:%d" %
                                             lsn.getsockname()[1],
                                             user="nobody"),
                               capture_output=True, timeout=60)
            th.join(WAIT)
        self.assertEqual(r.stdout, b"ok", r.stderr)
        self.assertEqual(owners, [self.pw.pw_uid])

    def test_unix_connect_as_user(self):
        path = os.path.join(self.dir, "peercred.sock")
        creds = []
        with socket.socket(socket.AF_UNIX) as lsn:
            lsn.bind(path)
            os.chmod(path, 0o666)
            lsn.listen(1)

            def serve():
                c, _ = lsn.accept()
                with c:
                    cred = c.getsockopt(socket.SOL_SOCKET,
                                        socket.SO_PEERCRED, 12)
                    creds.append(int.from_bytes(cred[4:8], sys.byteorder))
                    c.sendall(b"ok")

            th = threading.Thread(target=serve, daemon=True)
            th.start()
            port = free_port()
            p = subprocess.Popen(self.srv.argv("-N", "-L", "127.0.0.1:%d:%s"
                                               % (port, path),
                                               user="nobody"),
                                 stdin=subprocess.DEVNULL,
                                 stdout=subprocess.DEVNULL,
                                 stderr=subprocess.PIPE)
            self.addCleanup(stop, p)
            wait_until(lambda: connects(port), WAIT, "the forward")
            th.join(WAIT)
        # wait_port's probe was the one connection served.
        self.assertEqual(creds, [self.pw.pw_uid])

    def test_listen_as_user(self):
        port = free_port()
        p = subprocess.Popen(self.srv.argv("-N", "-o",
                                           "ExitOnForwardFailure=yes", "-R",
                                           "127.0.0.1:%d:127.0.0.1:1" % port,
                                           user="nobody"),
                             stdin=subprocess.DEVNULL,
                             stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        self.addCleanup(stop, p)
        wait_port(port, p)
        self.assertEqual(tcp_socket_uid(port, "0A"), self.pw.pw_uid)

    def test_privileged_port_refused(self):
        p = subprocess.Popen(self.srv.argv("-N", "-o",
                                           "ExitOnForwardFailure=yes", "-R",
                                           "127.0.0.1:99:127.0.0.1:1",
                                           user="nobody"),
                             stdin=subprocess.DEVNULL,
                             stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        self.assertNotEqual(p.wait(WAIT), 0)
        self.assertIn("remote port forwarding failed", stop(p))
        self.srv.wait_log(r"refused listening on 127\.0\.0\.1 port 99: "
                          r"privileged port")


if __name__ == "__main__":
    unittest.main(verbosity=2)
