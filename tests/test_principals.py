#!/usr/bin/python3
"""test_principals.py: auth.authorized_principals_file with user
certificates of a trusted CA and the OpenSSH client: a listed principal
logs in (although it is not the user name), an unlisted one and the user
name itself are refused, the line's options apply, and a missing file
refuses every certificate."""

import os
import pwd
import subprocess
import sys
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from harness import SSH_KEYGEN, Server  # noqa: E402

USER = pwd.getpwuid(os.getuid()).pw_name


def keygen(*args):
    subprocess.run([SSH_KEYGEN, "-q"] + list(args), check=True,
                   stdin=subprocess.DEVNULL, capture_output=True, timeout=60)


class Principals(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.srv = Server()
        tmp = cls.srv.tmp
        ca = os.path.join(tmp, "user_ca")
        keygen("-t", "ed25519", "-N", "", "-f", ca)
        cls.keys = {}
        for principal in ("ops-team", "other", USER, "forced"):
            key = os.path.join(tmp, "id_%s" % principal)
            keygen("-t", "ed25519", "-N", "", "-f", key)
            keygen("-s", ca, "-I", "id-" + principal, "-n", principal,
                   key + ".pub")
            cls.keys[principal] = key
        pdir = os.path.join(tmp, "principals")
        os.mkdir(pdir, 0o755)
        cls.pfile = os.path.join(pdir, USER)
        with open(cls.pfile, "w") as f:
            f.write("# who may log in as %s\n\nops-team\n"
                    'restrict,command="echo forced-by-principal" forced\n'
                    'bogus-option=1 other\n' % USER)
        os.chmod(cls.pfile, 0o644)
        cls.srv.update_settings({"auth": {
            "methods": ["publickey"],
            "authorized_keys": [os.path.join(tmp, "no_such_file")],
            "trusted_user_ca_keys": ca + ".pub",
            "authorized_principals_file": os.path.join(pdir, "%u")}})
        cls.srv.write_config()
        cls.srv.start()

    @classmethod
    def tearDownClass(cls):
        cls.srv.close()

    def ssh(self, principal):
        return subprocess.run(self.srv.ssh_argv(
            "echo", "in", key=self.keys[principal]),
            stdin=subprocess.DEVNULL, capture_output=True, timeout=60)

    def test_listed_principal(self):
        start = len(self.srv.read_log())
        r = self.ssh("ops-team")
        self.assertEqual((r.stdout, r.returncode), (b"in\n", 0), r.stderr)
        self.srv.wait_log(r"matching principal ops-team found", start=start)

    def test_unlisted_and_user_name_refused(self):
        # "other" is on a line whose options are bad: that line is void.
        for principal in ("other", USER):
            with self.subTest(principal=principal):
                start = len(self.srv.read_log())
                r = self.ssh(principal)
                self.assertEqual(r.returncode, 255, r.stdout)
                self.srv.wait_log(r"no principal of the certificate is in "
                                  r"auth.authorized_principals_file",
                                  start=start)

    def test_options_applied(self):
        r = self.ssh("forced")
        self.assertEqual((r.stdout, r.returncode),
                         (b"forced-by-principal\n", 0), r.stderr)

    def test_missing_file_refuses(self):
        moved = self.pfile + ".away"
        os.rename(self.pfile, moved)
        self.addCleanup(os.rename, moved, self.pfile)
        start = len(self.srv.read_log())
        r = self.ssh("ops-team")
        self.assertEqual(r.returncode, 255, r.stdout)
        self.srv.wait_log(r"no principals file", start=start)

    def test_bad_token_refused_by_config_check(self):
        r = self.srv.run("-t", "-o",
                         "auth.authorized_principals_file=\"/x/%k\"")
        self.assertNotEqual(r.returncode, 0)
        self.assertIn("auth.authorized_principals_file", r.stderr)


if __name__ == "__main__":
    unittest.main(verbosity=2)
