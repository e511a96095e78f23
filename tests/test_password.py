#!/usr/bin/python3
"""test_password.py: the password and keyboard-interactive methods with
the "file" back end (runs as any user): the OpenSSH client (through
SSH_ASKPASS) and paramiko, good and bad passwords, unknown users, the log
lines fail2ban reads, and nanosshd -t on a malformed password file."""

import os
import pwd
import subprocess
import sys
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from harness import Server  # noqa: E402

SSH = os.environ.get("SSH") or "ssh"
USER = pwd.getpwuid(os.getuid()).pw_name
PASSWORD = "correct horse battery"


def crypt_hash(password):
    r = subprocess.run(["openssl", "passwd", "-6", "-stdin"],
                       input=password, capture_output=True, text=True,
                       check=True, timeout=30)
    return r.stdout.strip()


class PasswordServer(Server):
    def __init__(self, methods=("password", "keyboard-interactive"), **kw):
        super().__init__(**kw)
        self.pwfile = os.path.join(self.tmp, "passwd")
        with open(self.pwfile, "w") as f:
            f.write("# test users\n%s:%s\n" % (USER, crypt_hash(PASSWORD)))
        os.chmod(self.pwfile, 0o600)
        self.update_settings({"auth": {
            "methods": list(methods), "password_backend": "file",
            "password_file": self.pwfile,
            # Tests run as root in CI: let root use a password here.
            "permit_root_login": "yes"}})
        self.write_config()

    def ssh(self, password, user=USER, method="password", prompts=1,
            answers=()):
        """answers: (shell pattern, answer) pairs for prompts other than
        the password's, e.g. ("*new*", "s3cret"), tried first."""
        askpass = os.path.join(self.tmp, "askpass")
        with open(askpass, "w") as f:
            f.write('#!/bin/sh\ncase "$1" in\n')
            for pattern, answer in answers:
                f.write("%s) printf '%%s\\n' '%s';;\n" % (pattern, answer))
            f.write("*) printf '%%s\\n' '%s';;\nesac\n" % password)
        os.chmod(askpass, 0o700)
        env = dict(os.environ, SSH_ASKPASS=askpass,
                   SSH_ASKPASS_REQUIRE="force", DISPLAY=":0")
        argv = [SSH, "-F", "/dev/null", "-p", str(self.port),
                "-o", "PreferredAuthentications=" + method,
                "-o", "PubkeyAuthentication=no",
                "-o", "NumberOfPasswordPrompts=%d" % prompts,
                "-o", "StrictHostKeyChecking=no",
                "-o", "UserKnownHostsFile=/dev/null", "-o", "LogLevel=ERROR",
                "%s@%s" % (user, self.host), "echo in"]
        return subprocess.run(argv, stdin=subprocess.DEVNULL, env=env,
                              capture_output=True, timeout=60)


class Password(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.srv = PasswordServer()
        cls.srv.start()

    @classmethod
    def tearDownClass(cls):
        cls.srv.close()

    def test_good_and_bad_password(self):
        r = self.srv.ssh(PASSWORD)
        self.assertEqual((r.stdout, r.returncode), (b"in\n", 0), r.stderr)
        self.srv.wait_log(r"Accepted password for %s from 127\.0\.0\.1 "
                          r"port \d+ ssh2" % USER)
        r = self.srv.ssh("wrong")
        self.assertEqual(r.returncode, 255)
        self.srv.wait_log(r"Failed password for %s from 127\.0\.0\.1 "
                          r"port \d+ ssh2" % USER)

    def test_unknown_user(self):
        r = self.srv.ssh(PASSWORD, user="nosuchuser")
        self.assertEqual(r.returncode, 255)
        self.srv.wait_log(r"Invalid user nosuchuser from 127\.0\.0\.1 port")
        self.srv.wait_log(r"Failed password for invalid user nosuchuser "
                          r"from 127\.0\.0\.1 port \d+ ssh2")

    def test_keyboard_interactive(self):
        r = self.srv.ssh(PASSWORD, method="keyboard-interactive")
        self.assertEqual((r.stdout, r.returncode), (b"in\n", 0), r.stderr)
        r = self.srv.ssh("wrong", method="keyboard-interactive")
        self.assertEqual(r.returncode, 255)

    def test_paramiko(self):
        try:
            import paramiko
        except ImportError:
            self.skipTest("python3-paramiko is not installed")
        client = paramiko.SSHClient()
        client.set_missing_host_key_policy(paramiko.AutoAddPolicy())
        try:
            client.connect(self.srv.host, port=self.srv.port, username=USER,
                           password=PASSWORD, allow_agent=False,
                           look_for_keys=False, timeout=20)
            _, out, _ = client.exec_command("echo in", timeout=20)
            self.assertEqual(out.read(), b"in\n")
        finally:
            client.close()
        with self.assertRaises(paramiko.AuthenticationException):
            client.connect(self.srv.host, port=self.srv.port, username=USER,
                           password="wrong", allow_agent=False,
                           look_for_keys=False, timeout=20)
        client.close()


class MultiFactor(unittest.TestCase):
    """auth.methods sequences: "publickey,password" needs both, in that
    order (partial success after the key)."""

    @classmethod
    def setUpClass(cls):
        cls.srv = PasswordServer(methods=("publickey,password",))
        cls.key = os.path.join(cls.srv.tmp, "id_user")
        subprocess.run(["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f",
                        cls.key], check=True, stdin=subprocess.DEVNULL,
                       timeout=60)
        authorized = os.path.join(cls.srv.tmp, "authorized_keys")
        with open(cls.key + ".pub") as src, open(authorized, "w") as dst:
            dst.write(src.read())
        cls.srv.update_settings({"auth": dict(cls.srv.settings["auth"],
                                              authorized_keys=[authorized])})
        cls.srv.write_config()
        cls.srv.start()

    @classmethod
    def tearDownClass(cls):
        cls.srv.close()

    def ssh(self, password, with_key=True):
        askpass = os.path.join(self.srv.tmp, "askpass-mf")
        with open(askpass, "w") as f:
            f.write("#!/bin/sh\nprintf '%%s\\n' '%s'\n" % password)
        os.chmod(askpass, 0o700)
        env = dict(os.environ, SSH_ASKPASS=askpass,
                   SSH_ASKPASS_REQUIRE="force", DISPLAY=":0")
        argv = [SSH, "-F", "/dev/null", "-p", str(self.srv.port),
                "-o", "IdentitiesOnly=yes", "-o", "IdentityAgent=none",
                "-o", "NumberOfPasswordPrompts=1",
                "-o", "StrictHostKeyChecking=no",
                "-o", "UserKnownHostsFile=/dev/null", "-o", "LogLevel=ERROR"]
        if with_key:
            argv += ["-i", self.key]
        else:
            argv += ["-o", "PubkeyAuthentication=no"]
        argv += ["%s@%s" % (USER, self.srv.host), "echo in"]
        return subprocess.run(argv, stdin=subprocess.DEVNULL, env=env,
                              capture_output=True, timeout=60)

    def test_key_then_password(self):
        start = len(self.srv.read_log())
        r = self.ssh(PASSWORD)
        self.assertEqual((r.stdout, r.returncode), (b"in\n", 0), r.stderr)
        self.srv.wait_log(r"Partial publickey for %s" % USER, start=start)
        self.srv.wait_log(r"Accepted password for %s" % USER, start=start)

    def test_key_and_wrong_password(self):
        self.assertEqual(self.ssh("wrong").returncode, 255)

    def test_password_alone_is_not_enough(self):
        self.assertEqual(self.ssh(PASSWORD, with_key=False).returncode, 255)


class Enumeration(unittest.TestCase):
    def test_unknown_user_costs_the_same(self):
        """CVE-2018-15473: a failed password for an unknown user takes as
        long as for a known one (medians within 10%)."""
        try:
            import paramiko
        except ImportError:
            self.skipTest("python3-paramiko is not installed")
        import statistics
        import time
        with PasswordServer() as srv:
            times = {USER: [], "nosuchuser": []}
            for _ in range(16):
                for user in times:
                    t = paramiko.Transport((srv.host, srv.port))
                    try:
                        t.connect()
                        start = time.monotonic()
                        with self.assertRaises(
                                paramiko.AuthenticationException):
                            t.auth_password(user, "wrong")
                        times[user].append(time.monotonic() - start)
                    finally:
                        t.close()
            known = statistics.median(times[USER])
            unknown = statistics.median(times["nosuchuser"])
            # Each unknown-user attempt runs right after a known-user one:
            # the median of the pairs' differences cancels the drift of
            # a loaded machine that the plain medians would pick up.
            diff = statistics.median(u - k for k, u in
                                     zip(times[USER], times["nosuchuser"]))
            self.assertLess(abs(diff) / known, 0.10,
                            "known %.4fs, unknown %.4fs, paired difference "
                            "%.4fs" % (known, unknown, diff))


class Policy(unittest.TestCase):
    def test_method_not_configured(self):
        with PasswordServer(methods=("publickey",)) as srv:
            self.assertEqual(srv.ssh(PASSWORD).returncode, 255)

    @unittest.skipUnless(os.getuid() == 0, "root's own policy")
    def test_root_password_prohibited_by_default(self):
        srv = PasswordServer()
        try:
            srv.update_settings({"auth": dict(
                srv.settings["auth"], permit_root_login="prohibit-password")})
            srv.write_config()
            srv.start()
            self.assertEqual(srv.ssh(PASSWORD).returncode, 255)
            srv.wait_log(r"not allowed because root login refused")
        finally:
            srv.close()

    def test_check_reports_bad_password_file(self):
        srv = PasswordServer()
        try:
            with open(srv.pwfile, "a") as f:
                f.write("nocolon\n")
            r = srv.run("-t")
            self.assertEqual(r.returncode, 1)
            self.assertIn("%s:3:" % srv.pwfile, r.stderr)
        finally:
            srv.close()


if __name__ == "__main__":
    unittest.main(verbosity=2)
