#!/usr/bin/python3
"""test_principals.py: auth.authorized_principals_file and
auth.authorized_principals_command with user certificates of a trusted CA
and the OpenSSH client: a listed principal logs in (although it is not
the user name), an unlisted one and the user name itself are refused, the
line's options apply, a missing file refuses every certificate; the
command's tokens, its hang (refused within the deadline) and root as its
user (refused by the config check)."""

import os
import pwd
import subprocess
import sys
import time
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from harness import SSH_KEYGEN, Server  # noqa: E402

USER = pwd.getpwuid(os.getuid()).pw_name


# As root the command runs as nobody; unprivileged, only as ourselves.
CMD_USER = "nobody" if os.getuid() == 0 else USER


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
            f.write("# who may log in as %s\n\n  ops-team \t\n"
                    'restrict,command="echo forced-by-principal"\tforced\n'
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
                self.srv.wait_log(r"no principal of the certificate is "
                                  r"accepted by auth.authorized_principals",
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


CMD_SCRIPT = r"""#!/bin/sh
[ "$1" = '%(user)s' ] && [ "$2" = '%(fp)s' ] && [ "$3" = ssh-ed25519 ] &&
    [ "$(id -u)" = '%(uid)d' ] || exit 0
case "$(cat '%(dir)s/mode')" in
list)	echo '# from the directory'; echo cmd-team
	echo 'command="echo forced-by-command" cmd-forced' ;;
hang)	sleep 60 ;;
esac
"""


class PrincipalsCommand(unittest.TestCase):
    """A file that lists "file-team", then a command."""

    @classmethod
    def setUpClass(cls):
        cls.srv = Server()
        tmp = cls.srv.tmp
        os.chmod(tmp, 0o755)	# the command user must reach the script
        cls.dir = os.path.join(tmp, "cmd")
        os.mkdir(cls.dir, 0o755)
        ca = os.path.join(tmp, "user_ca")
        keygen("-t", "ed25519", "-N", "", "-f", ca)
        cls.key = os.path.join(tmp, "id_multi")
        keygen("-t", "ed25519", "-N", "", "-f", cls.key)
        r = subprocess.run([SSH_KEYGEN, "-l", "-E", "sha256", "-f",
                            cls.key + ".pub"], capture_output=True,
                           text=True, check=True, timeout=30)
        fp = r.stdout.split()[1]
        cls.certs = {}
        for name in ("cmd-team", "cmd-forced", "file-team", "nobody-team"):
            # One key, several certificates: each its own identity file.
            k = os.path.join(tmp, "id_" + name)
            for suffix in ("", ".pub"):
                with open(cls.key + suffix) as src, \
                        open(k + suffix, "w") as dst:
                    dst.write(src.read())
            os.chmod(k, 0o600)
            keygen("-s", ca, "-I", "id-" + name, "-n", name, k + ".pub")
            cls.certs[name] = k
        pfile = os.path.join(tmp, "principals")
        with open(pfile, "w") as f:
            f.write("file-team\n")
        os.chmod(pfile, 0o644)
        cls.script = os.path.join(cls.dir, "principals")
        with open(cls.script, "w") as f:
            f.write(CMD_SCRIPT % {"user": USER, "fp": fp, "dir": cls.dir,
                                  "uid": pwd.getpwnam(CMD_USER).pw_uid})
        os.chmod(cls.script, 0o755)
        cls.set_mode("list")
        cls.srv.update_settings({"auth": {
            "methods": ["publickey"],
            "authorized_keys": [os.path.join(tmp, "no_such_file")],
            "trusted_user_ca_keys": ca + ".pub",
            "authorized_principals_file": pfile,
            "authorized_principals_command": cls.script + " %u %f %t",
            "authorized_principals_command_user": CMD_USER}})
        cls.srv.write_config()
        cls.srv.start()

    @classmethod
    def tearDownClass(cls):
        cls.srv.close()

    @classmethod
    def set_mode(cls, mode):
        p = os.path.join(cls.dir, "mode")
        with open(p + ".new", "w") as f:
            f.write(mode + "\n")
        os.chmod(p + ".new", 0o644)
        os.replace(p + ".new", p)

    def ssh(self, name, mode="list"):
        self.set_mode(mode)
        return subprocess.run(self.srv.ssh_argv(
            "echo", "in", key=self.certs[name]),
            stdin=subprocess.DEVNULL, capture_output=True, timeout=90)

    def test_command_principal(self):
        start = len(self.srv.read_log())
        r = self.ssh("cmd-team")
        self.assertEqual((r.stdout, r.returncode), (b"in\n", 0), r.stderr)
        self.srv.wait_log(r"principals:2: matching principal cmd-team",
                          start=start)

    def test_file_still_first(self):
        r = self.ssh("file-team", mode="hang")
        self.assertEqual((r.stdout, r.returncode), (b"in\n", 0), r.stderr)

    def test_command_options_applied(self):
        r = self.ssh("cmd-forced")
        self.assertEqual((r.stdout, r.returncode),
                         (b"forced-by-command\n", 0), r.stderr)

    def test_unlisted_refused(self):
        r = self.ssh("nobody-team")
        self.assertEqual(r.returncode, 255, r.stdout)

    def test_hang_refused_within_deadline(self):
        start = len(self.srv.read_log())
        t0 = time.monotonic()
        r = self.ssh("cmd-team", mode="hang")
        self.assertEqual(r.returncode, 255, r.stdout)
        self.assertLess(time.monotonic() - t0, 40)
        self.srv.wait_log(r"authorized_principals_command \S+: did not "
                          r"finish in time; killed", start=start)

    def test_root_command_user_refused_by_config_check(self):
        for user in ("root", ""):
            with self.subTest(user=user):
                r = self.srv.run(
                    "-t", "-o", "auth.authorized_principals_command_user="
                    "\"%s\"" % user)
                self.assertNotEqual(r.returncode, 0)
                self.assertIn("auth.authorized_principals_command_user",
                              r.stderr)
        self.assertEqual(self.srv.run("-t").returncode, 0)


if __name__ == "__main__":
    unittest.main(verbosity=2)
