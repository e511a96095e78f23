#!/usr/bin/python3
"""test_pq.py: the post-quantum key exchange mlkem768x25519-sha256 with the
OpenSSH client, and crypto.require_pq, which sntrup761x25519-sha512 (either
name) satisfies too.

A client with mlkem768x25519-sha256 (OpenSSH 9.9 or later) is taken from
$NANOSSH_PQ_SSH, else the system ssh if it has the method; the tests that
need one are skipped without it (the unit tests check_mlkem and
check_kex_hybrid cover the algorithm and a whole exchange in memory).  The
refusal of a classical client runs with the system ssh, whatever it is."""

import os
import subprocess
import sys
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from test_exec import SSH, USER, ExecServer  # noqa: E402

HYBRID = "mlkem768x25519-sha256"
SNTRUP = ("sntrup761x25519-sha512", "sntrup761x25519-sha512@openssh.com")


def kex_names(ssh):
    try:
        r = subprocess.run([ssh, "-Q", "kex"], capture_output=True,
                           text=True, timeout=10)
    except OSError:
        return []
    return r.stdout.split() if r.returncode == 0 else []


def has_hybrid(ssh):
    return HYBRID in kex_names(ssh)


def pq_client():
    for ssh in (os.environ.get("NANOSSH_PQ_SSH"), SSH):
        if ssh and has_hybrid(ssh):
            return ssh
    return None


PQ_SSH = pq_client()


class PQServer(ExecServer):
    def ssh_with(self, ssh, command, options=()):
        argv = [ssh, "-F", "/dev/null", "-p", str(self.port),
                "-i", self.user_key]
        for o in options:
            argv += ["-o", o]
        argv += ["-o", "IdentitiesOnly=yes", "-o", "IdentityAgent=none",
                 "-o", "BatchMode=yes", "-o", "StrictHostKeyChecking=no",
                 "-o", "UserKnownHostsFile=/dev/null", "-o", "LogLevel=ERROR",
                 "-o", "ConnectTimeout=10", "%s@%s" % (USER, self.host),
                 command]
        return subprocess.run(argv, capture_output=True, text=True,
                              timeout=60, stdin=subprocess.DEVNULL)


class PostQuantum(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.srv = PQServer()
        cls.srv.start()
        cls.strict = PQServer(overrides=["crypto.require_pq=true"])
        cls.strict.start()

    @classmethod
    def tearDownClass(cls):
        cls.srv.close()
        cls.strict.close()

    def summary(self, srv, start, kex):
        srv.wait_log(r"Session summary: .*; kex %s, " % kex, start=start)

    def login(self, srv, ssh, options=()):
        start = len(srv.read_log())
        r = srv.ssh_with(ssh, "echo hi", ["LogLevel=DEBUG1"] + list(options))
        self.assertEqual((r.stdout, r.returncode), ("hi\n", 0),
                         "stderr %r; server log:\n%s"
                         % (r.stderr, srv.read_log()[-3000:]))
        return start, r.stderr

    @unittest.skipIf(PQ_SSH is None, "no ssh with " + HYBRID)
    def test_default_is_hybrid(self):
        for srv in (self.srv, self.strict):
            start, err = self.login(srv, PQ_SSH)
            self.assertIn("kex: algorithm: " + HYBRID, err)
            # OpenSSH 10.1+ warns about a classical exchange; not here.
            self.assertNotIn("post-quantum", err)
            self.summary(srv, start, HYBRID)

    @unittest.skipIf(PQ_SSH is None, "no ssh with " + HYBRID)
    def test_classical_warned(self):
        """The control for the warning check above: OpenSSH 10.1 and later
        warn when a server without the hybrid makes them use a classical
        method (not when KexAlgorithms was set)."""
        if "OpenSSH_9" in subprocess.run([PQ_SSH, "-V"], capture_output=True,
                                         text=True).stderr:
            self.skipTest("OpenSSH 9.x does not warn")
        srv = PQServer(overrides=["crypto.kex=curve25519-sha256"])
        try:
            srv.start()
            start, err = self.login(srv, PQ_SSH)
            self.assertIn("kex: algorithm: curve25519-sha256", err)
            self.assertIn("not using a post-quantum key exchange", err)
        finally:
            srv.close()

    @unittest.skipIf(PQ_SSH is None, "no ssh with " + HYBRID)
    def test_hybrid_explicit(self):
        start, err = self.login(self.srv, PQ_SSH, ["KexAlgorithms=" + HYBRID])
        self.assertIn("kex: algorithm: " + HYBRID, err)

    @unittest.skipIf(PQ_SSH is None, "no ssh with " + HYBRID)
    def test_hybrid_rekey(self):
        """Rekeying repeats the hybrid exchange (4 MiB at a 1 MiB limit)."""
        start = len(self.strict.read_log())
        argv = [PQ_SSH, "-F", "/dev/null", "-p", str(self.strict.port),
                "-i", self.strict.user_key, "-o", "RekeyLimit=1M",
                "-o", "IdentitiesOnly=yes", "-o", "IdentityAgent=none",
                "-o", "BatchMode=yes", "-o", "StrictHostKeyChecking=no",
                "-o", "UserKnownHostsFile=/dev/null", "-o", "LogLevel=DEBUG1",
                "%s@%s" % (USER, self.strict.host), "head -c 4194304 /dev/zero"]
        r = subprocess.run(argv, capture_output=True, timeout=120,
                           stdin=subprocess.DEVNULL)
        self.assertEqual((len(r.stdout), r.returncode), (4 << 20, 0), r.stderr)
        # The client logs each exchange, the first and the rekeys.
        self.assertGreaterEqual(r.stderr.count(
            b"kex: algorithm: " + HYBRID.encode()), 2, r.stderr[-2000:])
        self.summary(self.strict, start, HYBRID)

    def test_classical_without_require_pq(self):
        start, err = self.login(self.srv, SSH,
                                ["KexAlgorithms=curve25519-sha256"])
        self.summary(self.srv, start, "curve25519-sha256")

    def test_require_pq_refuses_classical(self):
        for ssh in [SSH] + ([PQ_SSH] if PQ_SSH else []):
            with self.subTest(ssh=ssh):
                start = len(self.strict.read_log())
                r = self.strict.ssh_with(ssh, "echo hi",
                                         ["KexAlgorithms=curve25519-sha256"])
                self.assertEqual(r.returncode, 255, r.stderr)
                self.assertEqual(r.stdout, "")
                self.assertIn("post-quantum key exchange required", r.stderr)
                self.strict.wait_log(r"post-quantum key exchange required",
                                     start=start)

    def test_require_pq_accepts_sntrup(self):
        """A client offering only sntrup761x25519 (under each name it
        knows, with every ssh here) passes crypto.require_pq."""
        tried = 0
        for ssh in [SSH] + ([PQ_SSH] if PQ_SSH else []):
            for name in SNTRUP:
                if name not in kex_names(ssh):
                    continue
                with self.subTest(ssh=ssh, kex=name):
                    start, err = self.login(self.strict, ssh,
                                            ["KexAlgorithms=" + name])
                    self.assertIn("kex: algorithm: " + name, err)
                    self.summary(self.strict, start, name)
                    tried += 1
        if tried == 0:
            self.skipTest("no ssh here knows sntrup761x25519-sha512")

    def test_require_pq_old_client_default(self):
        """OpenSSH 9.0 to 9.8 have no ML-KEM but put sntrup761x25519
        first: accepted.  Older ones have neither: refused."""
        if has_hybrid(SSH):
            self.skipTest("the system ssh has " + HYBRID)
        if SNTRUP[1] in kex_names(SSH):
            start, err = self.login(self.strict, SSH)
            self.assertRegex(err, r"kex: algorithm: sntrup761x25519-sha512")
            return
        r = self.strict.ssh_with(SSH, "echo hi")
        self.assertEqual(r.returncode, 255, r.stderr)
        self.assertIn("post-quantum key exchange required", r.stderr)


if __name__ == "__main__":
    unittest.main(verbosity=2)
