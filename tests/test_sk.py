#!/usr/bin/python3
"""test_sk.py: FIDO security keys (PROTOCOL.u2f) with the OpenSSH client:
ed25519-sk and ecdsa-sk keys made by ssh-keygen -w and used by ssh through
SecurityKeyProvider, with a software authenticator
(tests/sk/sk_provider.c) whose signatures claim whatever flags the test
sets.  User presence is required unless the authorized_keys line says
no-touch-required; verify-required demands user verification; a
certificate of an sk key logs in, and waiving touch needs both the
certificate's extension and the cert-authority line's option."""

import os
import pwd
import shutil
import subprocess
import sys
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from harness import SRCDIR, SSH_KEYGEN, Server  # noqa: E402

USER = pwd.getpwuid(os.getuid()).pw_name
UP, UV = 0x01, 0x04


def keygen(*args, env=None):
    subprocess.run([SSH_KEYGEN, "-q"] + list(args), check=True, env=env,
                   stdin=subprocess.DEVNULL, capture_output=True, timeout=60)


def pubkey(path):
    with open(path + ".pub") as f:
        return " ".join(f.read().split()[:2])


class SecurityKeys(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.srv = Server()
        tmp = cls.srv.tmp
        cc = os.environ.get("CC_FOR_TESTS") or shutil.which("cc") or "gcc"
        cls.provider = os.path.join(tmp, "sk_provider.so")
        # The provider is loaded by OpenSSH's ssh-sk-helper: plain cc,
        # never the sanitizer flags of this build.
        subprocess.run([cc, "-shared", "-fPIC", "-o", cls.provider,
                        os.path.join(SRCDIR, "tests/sk/sk_provider.c"),
                        "-lcrypto"], check=True, capture_output=True,
                       timeout=120)
        cls.keys = {}
        for name, kt in (("ed", "ed25519-sk"), ("ec", "ecdsa-sk"),
                         ("notouch", "ed25519-sk"), ("verify", "ecdsa-sk"),
                         ("certkey", "ed25519-sk")):
            path = os.path.join(tmp, "id_" + name)
            keygen("-t", kt, "-w", cls.provider, "-N", "", "-f", path)
            cls.keys[name] = path
        cas = {}
        for ca in ("ca_plain", "ca_notouch"):
            cas[ca] = os.path.join(tmp, ca)
            keygen("-t", "ed25519", "-N", "", "-f", cas[ca])
        cls.certs = {}
        for name, ca, opts in (("plain", "ca_plain", []),
                               ("ext_line_lacks", "ca_plain",
                                ["-O", "no-touch-required"]),
                               ("ext_and_line", "ca_notouch",
                                ["-O", "no-touch-required"]),
                               ("line_only", "ca_notouch", [])):
            d = os.path.join(tmp, "cert_" + name)
            os.mkdir(d)
            shutil.copy(cls.keys["certkey"] + ".pub", d)
            keygen("-s", cas[ca], "-I", "sk-" + name, "-n", USER, *opts,
                   os.path.join(d, "id_certkey.pub"))
            cls.certs[name] = os.path.join(d, "id_certkey-cert.pub")
        with open(cls.srv.authorized_keys, "w") as f:
            f.write("%s ed\n" % pubkey(cls.keys["ed"]))
            f.write("%s ec\n" % pubkey(cls.keys["ec"]))
            f.write("no-touch-required %s\n" % pubkey(cls.keys["notouch"]))
            f.write("verify-required %s\n" % pubkey(cls.keys["verify"]))
            f.write("cert-authority %s\n" % pubkey(cas["ca_plain"]))
            f.write("cert-authority,no-touch-required %s\n"
                    % pubkey(cas["ca_notouch"]))
        os.chmod(cls.srv.authorized_keys, 0o600)
        cls.srv.update_settings({"auth": {
            "methods": ["publickey"],
            "authorized_keys": [cls.srv.authorized_keys]}})
        cls.srv.write_config()
        cls.srv.start()

    @classmethod
    def tearDownClass(cls):
        cls.srv.close()

    def ssh(self, key, flags=UP, counter=1, cert=None):
        env = dict(os.environ, NANOSSH_SK_FLAGS=str(flags),
                   NANOSSH_SK_COUNTER=str(counter))
        opts = ["SecurityKeyProvider=" + self.provider]
        if cert:
            opts.append("CertificateFile=" + cert)
        return subprocess.run(self.srv.ssh_argv(
            "echo", "in", key=self.keys[key], options=opts),
            stdin=subprocess.DEVNULL, capture_output=True, timeout=60,
            env=env)

    def assert_in(self, r):
        self.assertEqual((r.stdout, r.returncode), (b"in\n", 0), r.stderr)

    def assert_refused(self, r):
        self.assertNotEqual(r.returncode, 0)
        self.assertNotIn(b"in\n", r.stdout)

    def test_keys_log_in(self):
        for key, short in (("ed", "ED25519-SK"), ("ec", "ECDSA-SK")):
            with self.subTest(key=key):
                start = len(self.srv.read_log())
                self.assert_in(self.ssh(key, counter=4242))
                self.srv.wait_log(r"Accepted publickey for %s .*%s SHA256:"
                                  % (USER, short), start=start)
                self.srv.wait_log(r"%s signature: counter 4242, flags 0x01"
                                  % short, start=start)

    def test_presence_required(self):
        for key in ("ed", "ec"):
            with self.subTest(key=key):
                start = len(self.srv.read_log())
                self.assert_refused(self.ssh(key, flags=0))
                self.srv.wait_log(r"rejected: user presence", start=start)
        # Verification alone is not presence.
        self.assert_refused(self.ssh("ed", flags=UV))

    def test_no_touch_required(self):
        self.assert_in(self.ssh("notouch", flags=0))
        self.assert_in(self.ssh("notouch", flags=UP))

    def test_verify_required(self):
        start = len(self.srv.read_log())
        self.assert_refused(self.ssh("verify", flags=UP))
        self.srv.wait_log(r"rejected: user verification", start=start)
        self.assert_in(self.ssh("verify", flags=UP | UV))
        # Verification does not stand in for presence either.
        self.assert_refused(self.ssh("verify", flags=UV))

    def test_certificate(self):
        start = len(self.srv.read_log())
        self.assert_in(self.ssh("certkey", cert=self.certs["plain"]))
        self.srv.wait_log(r"Accepted publickey for %s .*ED25519-SK-CERT "
                          r".*ID sk-plain" % USER, start=start)
        self.assert_refused(self.ssh("certkey", flags=0,
                                     cert=self.certs["plain"]))

    def test_certificate_no_touch_needs_both(self):
        self.assert_in(self.ssh("certkey", flags=0,
                                cert=self.certs["ext_and_line"]))
        self.assert_refused(self.ssh("certkey", flags=0,
                                     cert=self.certs["ext_line_lacks"]))
        self.assert_refused(self.ssh("certkey", flags=0,
                                     cert=self.certs["line_only"]))


if __name__ == "__main__":
    unittest.main()
