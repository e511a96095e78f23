#!/usr/bin/python3
"""test_badinput.py: a raw client sends what no well-behaved client would:
malformed identification lines, impossible packet lengths, bad padding,
wrong-length key exchange values, messages out of order, IGNORE during a
strict key exchange, connection-protocol messages before authentication.
Each must end that connection cleanly (a DISCONNECT with a reason, or a
close) without crashing anything, and the daemon must keep serving."""

import os
import socket
import struct
import sys
import time
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from harness import Server, recv_line  # noqa: E402

MSG_DISCONNECT = 1
MSG_IGNORE = 2
MSG_SERVICE_REQUEST = 5
MSG_KEXINIT = 20
MSG_NEWKEYS = 21
MSG_KEX_ECDH_INIT = 30
MSG_USERAUTH_REQUEST = 50
MSG_USERAUTH_SUCCESS = 52
MSG_GLOBAL_REQUEST = 80
MSG_CHANNEL_OPEN = 90


def string(b):
    if isinstance(b, str):
        b = b.encode()
    return struct.pack(">I", len(b)) + b


def packet(payload, padlen=None, length=None):
    """A plaintext binary packet (before NEWKEYS), optionally broken."""
    if padlen is None:
        padlen = 8 - (5 + len(payload)) % 8
        if padlen < 4:
            padlen += 8
    body = bytes([padlen]) + payload + b"\0" * padlen
    return struct.pack(">I", len(body) if length is None else length) + body


def kexinit(kex="curve25519-sha256,kex-strict-c-v00@openssh.com",
            first_kex_follows=False):
    lists = [kex, "ssh-ed25519", "aes128-ctr", "aes128-ctr",
             "hmac-sha2-256", "hmac-sha2-256", "none", "none", "", ""]
    return (bytes([MSG_KEXINIT]) + b"\x11" * 16 +
            b"".join(string(x) for x in lists) +
            bytes([first_kex_follows]) + b"\0\0\0\0")


class RawClient:
    def __init__(self, srv):
        self.sock = srv.connect(timeout=10)
        self.banner = recv_line(self.sock)
        self.buf = b""

    def close(self):
        self.sock.close()

    def send(self, data):
        try:
            self.sock.sendall(data)
        except (BrokenPipeError, ConnectionResetError):
            pass

    def hello(self, kex=None):
        self.send(b"SSH-2.0-badinput\r\n")
        self.send(packet(kexinit(kex) if kex else kexinit()))

    def _recv(self, n, deadline):
        while len(self.buf) < n:
            self.sock.settimeout(max(0.01, deadline - time.monotonic()))
            try:
                chunk = self.sock.recv(65536)
            except (ConnectionResetError, socket.timeout):
                return None
            if not chunk:
                return None
            self.buf += chunk
        out, self.buf = self.buf[:n], self.buf[n:]
        return out

    def read_to_close(self, timeout=10):
        """Everything the server sends until it closes (bounded)."""
        deadline = time.monotonic() + timeout
        data = self.buf
        while time.monotonic() < deadline:
            self.sock.settimeout(max(0.01, deadline - time.monotonic()))
            try:
                chunk = self.sock.recv(65536)
            except ConnectionResetError:
                return data
            except socket.timeout:
                break
            if not chunk:
                return data
            data += chunk
        raise AssertionError("the server did not close the connection")

    def outcome(self, timeout=10):
        """Reads plaintext packets until the server disconnects or closes.
        Returns ("disconnect", reason) or ("closed", None); raises on a
        timeout (the server neither answered nor hung up)."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            head = self._recv(4, deadline)
            if head is None:
                return ("closed", None)
            n = struct.unpack(">I", head)[0]
            if n > 100000:
                raise AssertionError("implausible packet length %d" % n)
            body = self._recv(n, deadline)
            if body is None:
                return ("closed", None)
            payload = body[1:len(body) - body[0]]
            if payload and payload[0] == MSG_DISCONNECT:
                return ("disconnect", struct.unpack(">I", payload[1:5])[0])
        raise AssertionError("the server neither disconnected nor closed")


class BadInput(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.srv = Server()
        cls.srv.start()

    @classmethod
    def tearDownClass(cls):
        cls.srv.close()

    def tearDown(self):
        # After every attack the daemon still serves new connections.
        self.srv.check_alive()
        self.assertTrue(self.srv.banner().startswith(b"SSH-2.0-nanossh_"))

    def ends(self, send, expect_disconnect=True, what=""):
        c = RawClient(self.srv)
        try:
            send(c)
            kind, reason = c.outcome()
        finally:
            c.close()
        if expect_disconnect:
            self.assertEqual(kind, "disconnect", what)
        return kind, reason

    def test_version_lines(self):
        for line in (b"SSH-1.5-old\r\n", b"SSH-3.0-future\r\n",
                     b"SSH-2.0-\r\n", b"SSH-2.0-a\x01b\r\n",
                     b"x" * 300 + b"\r\n", b"junk\r\n" * 20):
            with self.subTest(line=line[:20]):
                c = RawClient(self.srv)
                try:
                    c.send(line)
                    # The server says why in plain text, then closes.
                    text = c.read_to_close()
                finally:
                    c.close()
                self.assertTrue(b"Protocol major versions differ" in text or
                                b"Bad protocol version" in text, text[-200:])

    def test_bad_packet_lengths(self):
        for length in (0, 1, 3, 0x7fffffff, 0xffffffff, 13):
            with self.subTest(length=length):
                self.ends(lambda c: (c.send(b"SSH-2.0-badinput\r\n"),
                                     c.send(packet(kexinit(), length=length))),
                          what="length %d" % length)

    def test_bad_padding(self):
        for padlen in (0, 2, 3, 255):
            with self.subTest(padlen=padlen):
                self.ends(lambda c: (c.send(b"SSH-2.0-badinput\r\n"),
                                     c.send(packet(kexinit(), padlen=padlen))))

    def test_wrong_length_kex_values(self):
        for q in (b"", b"\x09" * 31, b"\x09" * 33, bytes(32)):
            with self.subTest(len=len(q)):
                self.ends(lambda c: (c.hello(), c.send(packet(
                    bytes([MSG_KEX_ECDH_INIT]) + string(q)))))

    def refused_values(self, kex, cases):
        # Each Q_C ends in KEY_EXCHANGE_FAILED (3), refused for the value,
        # not for an unknown method.
        kex += ",kex-strict-c-v00@openssh.com"
        for what, q in cases.items():
            with self.subTest(kex=kex, what=what):
                start = len(self.srv.read_log())
                kind, reason = self.ends(lambda c: (c.hello(kex=kex), c.send(
                    packet(bytes([MSG_KEX_ECDH_INIT]) + string(q)))), what=what)
                self.assertEqual(reason, 3, what)
                self.srv.wait_log("invalid public value from client",
                                  start=start)

    def test_bad_mlkem768x25519_values(self):
        # Q_C = encapsulation key (1184 bytes) || X25519 key (32).  A
        # 12-bit coefficient 0xfff is not below q = 3329 (FIPS 203 7.2).
        x = b"\x09" + bytes(31)
        self.refused_values("mlkem768x25519-sha256", {
            "unreduced": b"\xff\x0f" + bytes(1182) + x,
            "short": bytes(1184) + x[:31],
            "long": bytes(1184) + x + b"\0",
            "x25519 only": x,
        })

    def test_bad_sntrup761x25519_values(self):
        # Q_C = sntrup761 public key (1158 bytes, any bytes) || X25519 key
        # (32): refused only for the length or a low-order (all-zero)
        # X25519 half.
        x = b"\x09" + bytes(31)
        for kex in ("sntrup761x25519-sha512",
                    "sntrup761x25519-sha512@openssh.com"):
            self.refused_values(kex, {
                "empty": b"",
                "x25519 only": x,
                "short": bytes(1158) + x[:31],
                "long": bytes(1158) + x + b"\0",
                "zero x25519": b"\x09" * 1158 + bytes(32),
            })

    def test_trailing_bytes_in_kexinit(self):
        self.ends(lambda c: (c.send(b"SSH-2.0-badinput\r\n"),
                             c.send(packet(kexinit() + b"extra"))))

    def test_messages_out_of_order(self):
        cases = {
            "newkeys before kex": bytes([MSG_NEWKEYS]),
            "service request before kex": bytes([MSG_SERVICE_REQUEST]) +
            string("ssh-userauth"),
            "userauth before kex": bytes([MSG_USERAUTH_REQUEST]) +
            string("root") + string("ssh-connection") + string("none"),
            "USERAUTH_SUCCESS from a client": bytes([MSG_USERAUTH_SUCCESS]),
            "channel open before auth": bytes([MSG_CHANNEL_OPEN]) +
            string("session") + struct.pack(">III", 0, 65536, 32768),
            "global request before auth": bytes([MSG_GLOBAL_REQUEST]) +
            string("x") + b"\0",
        }
        for what, payload in cases.items():
            with self.subTest(what=what):
                self.ends(lambda c: (c.hello(), c.send(packet(payload))),
                          what=what)

    def test_second_kexinit(self):
        self.ends(lambda c: (c.hello(), c.send(packet(kexinit()))))

    def test_ignore_before_kexinit_under_strict_kex(self):
        # Terrapin: under strict KEX the KEXINIT must be the first packet.
        self.ends(lambda c: (c.send(b"SSH-2.0-badinput\r\n"),
                             c.send(packet(bytes([MSG_IGNORE]) + string(""))),
                             c.send(packet(kexinit()))))

    def test_ignore_during_strict_kex(self):
        self.ends(lambda c: (c.hello(),
                             c.send(packet(bytes([MSG_IGNORE]) + string("")))))

    def test_ignore_allowed_without_strict_kex(self):
        # Without strict KEX an IGNORE is harmless: the exchange goes on
        # (the server answers the ECDH_INIT; it does not disconnect).
        c = RawClient(self.srv)
        try:
            c.hello(kex="curve25519-sha256")
            c.send(packet(bytes([MSG_IGNORE]) + string("")))
            c.send(packet(bytes([MSG_KEX_ECDH_INIT]) +
                          string(bytes(range(1, 33)))))
            deadline = time.monotonic() + 10
            seen = []
            while 31 not in seen:
                head = c._recv(4, deadline)
                self.assertIsNotNone(head, "closed; seen %r" % seen)
                body = c._recv(struct.unpack(">I", head)[0], deadline)
                self.assertIsNotNone(body)
                seen.append(body[1])
                self.assertNotEqual(body[1], MSG_DISCONNECT)
        finally:
            c.close()

    def test_garbage_after_version(self):
        self.ends(lambda c: (c.send(b"SSH-2.0-badinput\r\n"),
                             c.send(os.urandom(4096))), expect_disconnect=False)


if __name__ == "__main__":
    unittest.main(verbosity=2)
