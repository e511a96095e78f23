#!/usr/bin/python3
"""test_password_system.py: the "shadow" and "pam" password back ends
with a real system user (created for the test, removed afterwards) and
the OpenSSH client.  Needs root (CI runs as root); skipped otherwise."""

import os
import shutil
import subprocess
import sys
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from harness import SRCDIR  # noqa: E402
from test_password import PasswordServer  # noqa: E402

# A PAM service of this test's own (the daemon is told its name with
# NANOSSHD_PAM_SERVICE): /etc/pam.d/nanosshd belongs to the system and to
# tests running at the same time.
PAM_NAME = "nanosshd-test-pw-%d" % os.getpid()
PAM_SERVICE = "/etc/pam.d/" + PAM_NAME


@unittest.skipUnless(os.getuid() == 0, "needs root to create a user")
class SystemPasswords(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.user = "nsshpw%d" % os.getpid()
        cls.password = "Tr0ub4dor&3-%d" % os.getpid()
        subprocess.run(["useradd", "-m", "-s", "/bin/sh", cls.user],
                       check=True, timeout=60)
        subprocess.run(["chpasswd"], input="%s:%s\n" % (cls.user,
                                                          cls.password),
                       text=True, check=True, timeout=60)
        # The service file make install puts in place.
        shutil.copy(os.path.join(SRCDIR, "etc", "pam.d", "nanosshd"),
                    PAM_SERVICE)

    @classmethod
    def tearDownClass(cls):
        subprocess.run(["userdel", "-r", cls.user], timeout=60,
                       stderr=subprocess.DEVNULL)
        os.unlink(PAM_SERVICE)

    def backend(self, name):
        srv = PasswordServer()
        srv.extra_env["NANOSSHD_PAM_SERVICE"] = PAM_NAME
        srv.update_settings({"auth": dict(srv.settings["auth"],
                                          password_backend=name)})
        srv.write_config()
        return srv

    def check(self, name):
        with self.backend(name) as srv:
            r = srv.ssh(self.password, user=self.user)
            self.assertEqual((r.stdout, r.returncode), (b"in\n", 0),
                             r.stderr + srv.read_log()[-2000:].encode())
            r = srv.ssh("not-the-password", user=self.user)
            self.assertEqual(r.returncode, 255)
            r = srv.ssh(self.password, user=self.user,
                        method="keyboard-interactive")
            self.assertEqual(r.returncode, 0, r.stderr)
            srv.wait_log(r"Failed password for %s from" % self.user)

    def test_shadow(self):
        self.check("shadow")

    def test_pam(self):
        self.check("pam")

    def test_pam_keyboard_interactive_rounds(self):
        """A PAM stack that asks twice (pam_unix, then pam_stress) and
        greets first: each round becomes an INFO_REQUEST."""
        with open(PAM_SERVICE) as f:
            saved = f.read()
        try:
            with open(PAM_SERVICE, "w") as f:
                f.write("auth required pam_echo.so Welcome %u\n"
                        "auth required pam_unix.so\n"
                        "auth required pam_stress.so\n"
                        "account required pam_permit.so\n")
            with self.backend("pam") as srv:
                r = srv.ssh(self.password, user=self.user,
                            method="keyboard-interactive", prompts=3)
                self.assertEqual((r.stdout, r.returncode), (b"in\n", 0),
                                 r.stderr)
                srv.wait_log(r"Accepted keyboard-interactive/pam for %s"
                             % self.user)
                r = srv.ssh("wrong", user=self.user,
                            method="keyboard-interactive")
                self.assertEqual(r.returncode, 255)
                srv.wait_log(r"Failed keyboard-interactive/pam for %s"
                             % self.user)
        finally:
            with open(PAM_SERVICE, "w") as f:
                f.write(saved)

    def expired(self):
        subprocess.run(["chage", "-d", "0", self.user], check=True,
                       timeout=60)

    def restore(self):
        subprocess.run(["chpasswd"], input="%s:%s\n" % (self.user,
                                                         self.password),
                       text=True, check=True, timeout=60)

    def test_pam_expired_password_change(self):
        """RFC 4252 8: the right but expired password gets a
        PASSWD_CHANGEREQ; the OpenSSH client asks for the old and the
        new one, PAM changes it, the user is in."""
        new = "N3w-%s" % self.password
        self.expired()
        try:
            with self.backend("pam") as srv:
                r = srv.ssh(self.password, user=self.user, answers=(
                    ("*new*", new),))
                self.assertEqual((r.stdout, r.returncode), (b"in\n", 0),
                                 r.stderr + srv.read_log()[-2000:].encode())
                srv.wait_log(r"Password of %s from \S+ port \d+ has "
                             r"expired: change requested" % self.user)
                srv.wait_log(r"Password changed for %s from" % self.user)
                srv.wait_log(r"Accepted password for %s from" % self.user)
                r = srv.ssh(new, user=self.user)
                self.assertEqual(r.returncode, 0, r.stderr)
                r = srv.ssh(self.password, user=self.user)
                self.assertEqual(r.returncode, 255)
        finally:
            self.restore()

    def test_pam_expired_weak_new_password(self):
        """A new password the modules refuse is asked for again, bounded
        by max_tries; the old password keeps working afterwards only as
        an expired one."""
        self.expired()
        try:
            with self.backend("pam") as srv:
                r = srv.ssh(self.password, user=self.user, answers=(
                    ("*new*", "ab"),))
                self.assertEqual(r.returncode, 255)
                srv.wait_log(r"Password change for %s from \S+ port \d+ "
                             r"refused" % self.user)
                r = srv.ssh(self.password, user=self.user,
                            method="keyboard-interactive")
                self.assertNotEqual(r.stdout, b"in\n")
        finally:
            self.restore()

    def test_pam_expired_keyboard_interactive(self):
        """With keyboard-interactive the change happens inside the PAM
        conversation: Current / New / Retype prompts as more rounds."""
        new = "N3w-%s" % self.password
        self.expired()
        try:
            with self.backend("pam") as srv:
                r = srv.ssh(self.password, user=self.user,
                            method="keyboard-interactive", prompts=4,
                            answers=(("*[Nn]ew*", new),))
                self.assertEqual((r.stdout, r.returncode), (b"in\n", 0),
                                 r.stderr + srv.read_log()[-2000:].encode())
                r = srv.ssh(new, user=self.user)
                self.assertEqual(r.returncode, 0, r.stderr)
        finally:
            self.restore()

    def test_shadow_expired_refused(self):
        """The shadow back end cannot change passwords: refused."""
        self.expired()
        try:
            with self.backend("shadow") as srv:
                r = srv.ssh(self.password, user=self.user)
                self.assertEqual(r.returncode, 255)
                srv.wait_log(r"Failed password for %s from" % self.user)
        finally:
            self.restore()

    def test_locked_account(self):
        subprocess.run(["usermod", "-L", self.user], check=True, timeout=60)
        try:
            with self.backend("shadow") as srv:
                r = srv.ssh(self.password, user=self.user)
                self.assertEqual(r.returncode, 255)
        finally:
            subprocess.run(["usermod", "-U", self.user], check=True,
                           timeout=60)


if __name__ == "__main__":
    unittest.main(verbosity=2)
