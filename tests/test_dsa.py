#!/usr/bin/python3
"""test_dsa.py: ssh-dss (1024-bit DSA, SHA-1) as an explicit opt-in, with
the system OpenSSH client.  A DSA host key (ssh-keygen -t dsa) is loaded
but offered only when crypto.host_key_algorithms names ssh-dss; then
nanosshd -t and the start warn about it.  DSA user keys stay refused."""

import os
import subprocess
import sys
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from test_exec import ExecServer, keygen  # noqa: E402

WARNING = ("ssh-dss is enabled: DSA keys are 1024-bit and signed with "
           "SHA-1; OpenSSH removed them")
DSS_CLIENT = ["HostKeyAlgorithms=ssh-dss",
              "PubkeyAcceptedAlgorithms=+ssh-dss"]


def dsa_server(opt_in):
    srv = ExecServer(key_types=("ed25519", "dsa"))
    if opt_in:
        srv.update_settings({"crypto": {"host_key_algorithms": [
            "ssh-ed25519", "ssh-dss"]}})
        srv.write_config()
    return srv


class Dsa(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.on = dsa_server(True)
        cls.off = dsa_server(False)
        cls.dsa_user = os.path.join(cls.on.tmp, "dsa_user_key")
        keygen(cls.dsa_user, "dsa")
        cls.on.start()
        cls.off.start()

    @classmethod
    def tearDownClass(cls):
        cls.on.close()
        cls.off.close()

    def login(self, srv, options, key=None):
        return srv.ssh("echo hi", list(options) + ["LogLevel=DEBUG1"],
                       key=key)

    def test_host_key_opted_in(self):
        r = self.login(self.on, DSS_CLIENT)
        self.assertEqual((r.stdout, r.returncode), (b"hi\n", 0),
                         "stderr %r; log:\n%s" % (r.stderr[-2000:],
                                                  self.on.read_log()[-2000:]))
        self.assertIn(b"kex: host key algorithm: ssh-dss", r.stderr)

    def test_host_key_not_named(self):
        # The DSA key is loaded, but ssh-dss is not in the default list.
        r = self.login(self.off, DSS_CLIENT)
        self.assertEqual(r.stdout, b"")
        self.assertNotEqual(r.returncode, 0)
        self.assertIn(b"no matching host key type found", r.stderr)

    def test_unoffered_key_not_announced(self):
        # UpdateHostKeys (hostkeys-00@openssh.com) names only keys that
        # some offered algorithm uses.
        for srv, want in ((self.off, False), (self.on, True)):
            argv = srv.ssh_argv("true", key=srv.user_key, options=[
                "HostKeyAlgorithms=ssh-ed25519,ssh-dss",
                "UpdateHostKeys=yes", "LogLevel=DEBUG3"])
            r = subprocess.run(argv, capture_output=True, timeout=60,
                               stdin=subprocess.DEVNULL)
            self.assertEqual(r.returncode, 0, r.stderr[-2000:])
            self.assertIn(b"received ED25519 key", r.stderr)
            self.assertEqual(b"received DSA key" in r.stderr, want,
                             r.stderr[-3000:])

    def test_dsa_user_key_refused(self):
        # auth.pubkey_algorithms does not exist yet: ssh-dss user keys
        # are refused whatever the host key algorithms say.
        with open(self.dsa_user + ".pub") as f:
            pub = f.read()
        for srv in (self.on, self.off):
            with open(srv.authorized, "a") as f:
                f.write(pub)
        r = self.login(self.on, DSS_CLIENT, key=self.dsa_user)
        self.assertNotEqual(r.returncode, 0)
        self.assertIn(b"Permission denied (publickey)", r.stderr)

    def test_warning(self):
        r = self.on.run("-t")
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertIn(WARNING, r.stderr)
        self.on.wait_log(WARNING)
        r = self.off.run("-t")
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertNotIn(WARNING, r.stderr)
        self.assertNotIn(WARNING, self.off.read_log())


if __name__ == "__main__":
    unittest.main()
