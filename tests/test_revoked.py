#!/usr/bin/python3
"""test_revoked.py: auth.revoked_keys as an OpenSSH KRL made by the real
ssh-keygen -k, with the real OpenSSH client: a revoked key is refused and
another accepted; a certificate revoked by serial or by key ID is refused,
another from the same CA accepted; a file that cannot be read or parsed
refuses every key (fail closed, as OpenSSH)."""

import os
import re
import subprocess
import sys
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from harness import Server, SSH_KEYGEN  # noqa: E402


def keygen(*args):
    subprocess.run([SSH_KEYGEN, "-q"] + list(args), check=True,
                   stdin=subprocess.DEVNULL, timeout=60)


class RevokedServer(Server):
    """A Server whose user logs in with key "a" or "b" (authorized) or a
    certificate of key "c" or "d" from a CA named in
    auth.trusted_user_ca_keys (serials 7 and 8, key IDs "cert-c" and
    "cert-d"); auth.revoked_keys is self.revoked."""

    def __init__(self):
        super().__init__()
        self.keys = {}
        for name in "ab":
            self.keys[name] = self.user_key_named(name, authorize=True)
        self.ca = os.path.join(self.tmp, "ca")
        keygen("-t", "ed25519", "-N", "", "-f", self.ca)
        user = os.environ.get("USER") or __import__("pwd").getpwuid(
            os.getuid()).pw_name
        for name, serial in (("c", 7), ("d", 8)):
            path = self.user_key_named(name, authorize=False)
            keygen("-s", self.ca, "-I", "cert-" + name, "-n", user,
                   "-z", str(serial), path + ".pub")
            self.keys[name] = path
        self.revoked = os.path.join(self.tmp, "revoked")
        self.krl("")
        self.update_settings({"auth": {
            "authorized_keys": [self.authorized_keys],
            "methods": ["publickey"],
            "trusted_user_ca_keys": self.ca + ".pub",
            "revoked_keys": self.revoked}})
        self.write_config()

    def user_key_named(self, name, authorize):
        path = os.path.join(self.tmp, "id_" + name)
        keygen("-t", "ed25519", "-N", "", "-f", path)
        if authorize:
            with open(path + ".pub") as f, \
                    open(self.authorized_keys, "a") as out:
                out.write(f.read())
            os.chmod(self.authorized_keys, 0o600)
        return path

    def krl(self, spec, *options):
        """Replaces self.revoked with a KRL of the specification."""
        spec_path = os.path.join(self.tmp, "krl.spec")
        with open(spec_path, "w") as f:
            f.write(spec)
        new = self.revoked + ".new"
        if os.path.exists(new):
            os.unlink(new)
        keygen("-k", "-f", new, *options, spec_path)
        os.replace(new, self.revoked)

    def pub(self, name):
        with open(self.keys[name] + ".pub") as f:
            return f.read().strip()

    def login(self, name):
        """The ssh exit status of "true" run with key or certificate name."""
        argv = self.ssh_argv("true", key=self.keys[name])
        return subprocess.run(argv, stdin=subprocess.DEVNULL,
                              capture_output=True, timeout=60).returncode


class Revoked(unittest.TestCase):
    def setUp(self):
        self.srv = RevokedServer()
        self.srv.start()

    def tearDown(self):
        self.srv.close()

    def test_empty_krl_accepts_all(self):
        for name in "abcd":
            self.assertEqual(self.srv.login(name), 0, name)

    def test_revoked_key_refused(self):
        self.srv.krl("key: %s\n" % self.srv.pub("a"))
        self.assertEqual(self.srv.login("a"), 255)
        self.srv.wait_log(r"Authentication key ED25519 of \S+ revoked by")
        self.assertEqual(self.srv.login("b"), 0)

    def test_revoked_fingerprint_refused(self):
        self.srv.krl("sha256: %s\n" % self.srv.pub("b"))
        self.assertEqual(self.srv.login("b"), 255)
        self.assertEqual(self.srv.login("a"), 0)

    def test_revoked_cert_serial_refused(self):
        self.srv.krl("serial: 5-7\n", "-s", self.srv.ca + ".pub")
        self.assertEqual(self.srv.login("c"), 255)
        self.srv.wait_log(r'Refused certificate ID "cert-c" .*revoked')
        self.assertEqual(self.srv.login("d"), 0)

    def test_revoked_cert_key_id_refused(self):
        self.srv.krl("id: cert-d\n", "-s", self.srv.ca + ".pub")
        self.assertEqual(self.srv.login("d"), 255)
        self.assertEqual(self.srv.login("c"), 0)

    def test_revoked_ca_refuses_its_certs(self):
        with open(self.srv.ca + ".pub") as f:
            self.srv.krl("key: %s\n" % f.read().strip())
        self.assertEqual(self.srv.login("c"), 255)
        self.assertEqual(self.srv.login("d"), 255)
        self.assertEqual(self.srv.login("a"), 0)

    def test_missing_file_refuses_all(self):
        # The monitor reads the file for each key it checks (the session
        # is handed the configuration nanosshd checked at start, so a file
        # removed since fails closed there, as with OpenSSH's RevokedKeys).
        os.unlink(self.srv.revoked)
        for name in "ac":
            self.assertEqual(self.srv.login(name), 255, name)
        self.srv.wait_log(r"%s: No such file" % re.escape(self.srv.revoked))

    def test_unreadable_file_refuses_all(self):
        # Readable, but more than the monitor reads (16 MiB).
        with open(self.srv.revoked, "wb") as f:
            f.truncate(17 * 1024 * 1024)
        for name in "ac":
            self.assertEqual(self.srv.login(name), 255, name)
        self.srv.wait_log(r"%s: unreadable" % self.srv.revoked)

    def test_invalid_krl_refuses_all(self):
        with open(self.srv.revoked, "ab") as f:
            f.write(b"\x07garbage")
        for name in "ac":
            self.assertEqual(self.srv.login(name), 255, name)
        self.srv.wait_log(r"invalid KRL")


if __name__ == "__main__":
    unittest.main(verbosity=2)
