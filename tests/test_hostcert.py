#!/usr/bin/python3
"""test_hostcert.py: host certificates (host_certificates).  The OpenSSH
client trusts the server through an @cert-authority line in known_hosts,
with StrictHostKeyChecking=yes and no line for the host key itself, for
every certificate host key algorithm; another CA is refused; host key
algorithms without the certificate names offer no certificate; nanosshd -t
refuses certificates that do not fit the host keys."""

import os
import subprocess
import sys
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from harness import SSH_KEYGEN, scratch_server  # noqa: E402
from test_exec import ExecServer, keygen  # noqa: E402

CERT_ALGS = {
    "ed25519": ["ssh-ed25519-cert-v01@openssh.com"],
    "ecdsa": ["ecdsa-sha2-nistp256-cert-v01@openssh.com"],
    "rsa": ["rsa-sha2-512-cert-v01@openssh.com",
            "rsa-sha2-256-cert-v01@openssh.com"],
}


def make_ca(tmp, name):
    path = os.path.join(tmp, name)
    keygen(path, "ed25519")
    return path


def sign_host(ca, pub, principals="127.0.0.1,localhost", host=True):
    """ssh-keygen -s: the certificate next to pub (key-cert.pub)."""
    args = [SSH_KEYGEN, "-q", "-s", ca, "-I", "host"]
    if host:
        args.append("-h")
    args += ["-n", principals, pub]
    subprocess.run(args, check=True, stdin=subprocess.DEVNULL,
                   capture_output=True, timeout=60)
    return pub[:-len(".pub")] + "-cert.pub"


def write_known_hosts(tmp, name, ca):
    """An @cert-authority line for any host (the port is not 22)."""
    path = os.path.join(tmp, name)
    with open(ca + ".pub") as f:
        ca_pub = f.read().strip()
    with open(path, "w") as f:
        f.write("@cert-authority * %s\n" % ca_pub)
    return path


class HostCert(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.srv = ExecServer(key_types=("ed25519", "ecdsa", "rsa"))
        cls.ca = make_ca(cls.srv.tmp, "host_ca")
        certs = [sign_host(cls.ca, k + ".pub") for k in cls.srv.host_keys]
        cls.srv.update_settings({"host_certificates": certs})
        cls.srv.write_config()
        cls.kh = write_known_hosts(cls.srv.tmp, "known_hosts_ca", cls.ca)
        cls.other_kh = write_known_hosts(
            cls.srv.tmp, "known_hosts_other",
            make_ca(cls.srv.tmp, "other_ca"))
        cls.srv.start()

    @classmethod
    def tearDownClass(cls):
        cls.srv.close()

    def strict(self, kh, *options):
        return ["StrictHostKeyChecking=yes", "UserKnownHostsFile=" + kh,
                "GlobalKnownHostsFile=/dev/null"] + list(options)

    def login(self, options, level="DEBUG1"):
        return self.srv.ssh("echo hi", options + ["LogLevel=" + level])

    def assert_ok(self, r, what):
        self.assertEqual((r.stdout, r.returncode), (b"hi\n", 0),
                         "%s: stderr %r; server log:\n%s"
                         % (what, r.stderr[-3000:],
                            self.srv.read_log()[-3000:]))

    def test_default_algorithms_use_a_certificate(self):
        r = self.login(self.strict(self.kh))
        self.assert_ok(r, "default")
        # The certificate was offered first and is what the client checked.
        self.assertIn(b"kex: host key algorithm: "
                      b"ssh-ed25519-cert-v01@openssh.com", r.stderr)
        self.assertIn(b"Server host certificate: ", r.stderr)

    def test_every_certificate_algorithm(self):
        for algs in CERT_ALGS.values():
            for alg in algs:
                with self.subTest(alg=alg):
                    r = self.login(self.strict(
                        self.kh, "HostKeyAlgorithms=" + alg))
                    self.assert_ok(r, alg)
                    self.assertIn(b"kex: host key algorithm: " +
                                  alg.encode(), r.stderr)

    def test_hostbound_publickey_with_certificate(self):
        # The client binds its signature to the certificate it got as K_S;
        # the monitor must rebuild the signed data with that blob.
        r = self.login(self.strict(self.kh), "DEBUG3")
        self.assert_ok(r, "hostbound")
        self.assertIn(b"using publickey-hostbound-v00@openssh.com", r.stderr)

    def test_rekey_with_certificate(self):
        # Each rekey sends the certificate again and signs with the key.
        data = os.urandom(4 << 20)
        r = self.srv.ssh("wc -c", self.strict(self.kh, "RekeyLimit=1M"),
                         input=data, timeout=120)
        self.assertEqual((r.stdout.strip(), r.returncode),
                         (str(len(data)).encode(), 0),
                         "stderr %r; server log:\n%s"
                         % (r.stderr[-2000:], self.srv.read_log()[-3000:]))

    def test_other_ca_refused(self):
        r = self.login(self.strict(self.other_kh))
        self.assertNotEqual(r.returncode, 0)
        self.assertNotEqual(r.stdout, b"hi\n")
        self.assertIn(b"Host key verification failed", r.stderr)

    def test_plain_algorithm_without_known_key_refused(self):
        # Asking for a plain host key algorithm gets the plain key, which
        # no known_hosts line vouches for.
        r = self.login(self.strict(self.kh, "HostKeyAlgorithms=ssh-ed25519"))
        self.assertNotEqual(r.returncode, 0)
        self.assertIn(b"Host key verification failed", r.stderr)


class HostCertNotOffered(unittest.TestCase):
    def test_algorithms_without_certificates(self):
        srv = ExecServer()
        try:
            ca = make_ca(srv.tmp, "host_ca")
            cert = sign_host(ca, srv.host_keys[0] + ".pub")
            srv.update_settings({
                "host_certificates": [cert],
                "crypto": {"host_key_algorithms": ["ssh-ed25519"]}})
            srv.write_config()
            srv.start()
            kh = write_known_hosts(srv.tmp, "kh", ca)
            r = srv.ssh("echo hi", ["StrictHostKeyChecking=yes",
                                    "UserKnownHostsFile=" + kh,
                                    "GlobalKnownHostsFile=/dev/null"])
            self.assertNotEqual(r.returncode, 0)
            self.assertIn(b"Host key verification failed", r.stderr)
        finally:
            srv.close()


class HostCertCheck(unittest.TestCase):
    """nanosshd -t: each host certificate must certify a configured key."""

    def check(self, make_cert, expect_ok, message=None):
        with scratch_server() as srv:
            cert = make_cert(srv)
            srv.update_settings({"host_certificates": [cert]})
            srv.write_config()
            r = srv.run("-t")
            if expect_ok:
                self.assertEqual(r.returncode, 0, r.stderr)
            else:
                self.assertNotEqual(r.returncode, 0, r.stderr)
                self.assertIn(cert, r.stderr)
                self.assertIn(message, r.stderr)

    def test_good_certificate(self):
        self.check(lambda s: sign_host(make_ca(s.tmp, "ca"),
                                       s.host_keys[0] + ".pub"), True)

    def test_key_not_configured(self):
        def other(s):
            p = os.path.join(s.tmp, "other_key")
            keygen(p, "ed25519")
            return sign_host(make_ca(s.tmp, "ca"), p + ".pub")
        self.check(other, False, "certifies none of the host_keys")

    def test_user_certificate(self):
        self.check(lambda s: sign_host(make_ca(s.tmp, "ca"),
                                       s.host_keys[0] + ".pub", host=False),
                   False, "not a host certificate")

    def test_plain_public_key(self):
        self.check(lambda s: s.host_keys[0] + ".pub", False, "")

    def test_missing_file(self):
        self.check(lambda s: os.path.join(s.tmp, "nope-cert.pub"), False,
                   "No such file")

    def test_malformed(self):
        def bad(s):
            p = os.path.join(s.tmp, "bad-cert.pub")
            with open(p, "w") as f:
                f.write("ssh-ed25519-cert-v01@openssh.com AAAAbad=\n")
            return p
        self.check(bad, False, "")

    def test_two_certificates_for_one_key(self):
        with scratch_server() as srv:
            ca = make_ca(srv.tmp, "ca")
            first = sign_host(ca, srv.host_keys[0] + ".pub")
            second = os.path.join(srv.tmp, "second-cert.pub")
            with open(first) as src, open(second, "w") as dst:
                dst.write(src.read())
            srv.update_settings({"host_certificates": [first, second]})
            srv.write_config()
            r = srv.run("-t")
            self.assertNotEqual(r.returncode, 0)
            self.assertIn("already has a certificate", r.stderr)


if __name__ == "__main__":
    unittest.main(verbosity=2)
