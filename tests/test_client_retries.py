#!/usr/bin/python3
"""test_client_retries.py: clients that ask for the userauth service again
before each attempt (paramiko: several keys, the first refused; a key then
a password), with the attempts still counted across those requests; and
that ssh -J (ProxyJump through nanosshd to itself) and -W keep working."""

import os
import pwd
import subprocess
import sys
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from harness import Server, make_host_key  # noqa: E402

SSH = os.environ.get("SSH") or "ssh"
USER = pwd.getpwuid(os.getuid()).pw_name
PASSWORD = "correct horse battery"


def crypt_hash(password):
    r = subprocess.run(["openssl", "passwd", "-6", "-stdin"],
                       input=password, capture_output=True, text=True,
                       check=True, timeout=30)
    return r.stdout.strip()


class Paramiko(unittest.TestCase):
    """auth.methods "publickey" or "password"; one authorized key (good),
    several that are not (bad0..)."""

    @classmethod
    def setUpClass(cls):
        try:
            import paramiko
        except ImportError:
            raise unittest.SkipTest("python3-paramiko is not installed")
        cls.paramiko = paramiko
        cls.srv = Server()
        tmp = cls.srv.tmp
        cls.good = cls.srv.user_key()
        cls.bad = []
        for i in range(4):
            p = os.path.join(tmp, "id_bad%d" % i)
            make_host_key(p)
            cls.bad.append(p)
        pwfile = os.path.join(tmp, "passwd")
        with open(pwfile, "w") as f:
            f.write("%s:%s\n" % (USER, crypt_hash(PASSWORD)))
        os.chmod(pwfile, 0o600)
        cls.srv.update_settings({"auth": {
            "methods": ["publickey", "password"],
            "authorized_keys": [cls.srv.authorized_keys],
            "password_backend": "file", "password_file": pwfile,
            "permit_root_login": "yes", "max_tries": 3}})
        cls.srv.write_config()
        cls.srv.start()

    @classmethod
    def tearDownClass(cls):
        cls.srv.close()

    def connect(self, **kw):
        client = self.paramiko.SSHClient()
        self.addCleanup(client.close)
        client.set_missing_host_key_policy(self.paramiko.AutoAddPolicy())
        client.connect(self.srv.host, port=self.srv.port, username=USER,
                       allow_agent=False, look_for_keys=False, timeout=20,
                       auth_timeout=20, **kw)
        return client

    def echo(self, client):
        _, out, _ = client.exec_command("echo in", timeout=20)
        self.assertEqual(out.read(), b"in\n")

    def test_second_key_after_refused_first(self):
        start = len(self.srv.read_log())
        self.echo(self.connect(key_filename=[self.bad[0], self.good]))
        self.srv.wait_log(r"Accepted publickey for %s" % USER, start=start)
        self.assertNotIn("unexpected message", self.srv.read_log()[start:])

    def test_key_then_password(self):
        start = len(self.srv.read_log())
        self.echo(self.connect(key_filename=[self.bad[0]], password=PASSWORD))
        self.srv.wait_log(r"Accepted password for %s" % USER, start=start)

    def test_tries_still_counted(self):
        """max_tries 3: three refused keys end the connection although
        each came after a fresh service request; the fourth, good key is
        never tried."""
        start = len(self.srv.read_log())
        with self.assertRaises((self.paramiko.AuthenticationException,
                                self.paramiko.SSHException, EOFError)):
            self.connect(key_filename=self.bad[:3] + [self.good])
        self.srv.wait_log(r"maximum authentication attempts exceeded",
                          start=start)
        self.assertNotRegex(self.srv.read_log()[start:],
                            r"Accepted publickey for %s" % USER)


class Jump(unittest.TestCase):
    """OpenSSH's -J and -W through nanosshd to itself."""

    @classmethod
    def setUpClass(cls):
        cls.srv = Server()
        cls.key = cls.srv.user_key()
        cls.srv.update_settings({"auth": {
            "methods": ["publickey"],
            "authorized_keys": [cls.srv.authorized_keys]}})
        cls.srv.write_config()
        cls.srv.start()

    @classmethod
    def tearDownClass(cls):
        cls.srv.close()

    def test_dash_j(self):
        """-J itself, with a config file so that the jump connection
        uses the same key and known_hosts."""
        cfg = os.path.join(self.srv.tmp, "ssh_config")
        with open(cfg, "w") as f:
            f.write("Host jump\n  HostName %s\n  Port %d\n"
                    "Host *\n  User %s\n  IdentityFile %s\n"
                    "  IdentitiesOnly yes\n  IdentityAgent none\n"
                    "  BatchMode yes\n  UserKnownHostsFile %s\n"
                    "  GlobalKnownHostsFile /dev/null\n"
                    "  StrictHostKeyChecking yes\n  ConnectTimeout 10\n"
                    % (self.srv.host, self.srv.port, USER, self.key,
                       self.srv.known_hosts()))
        start = len(self.srv.read_log())
        r = subprocess.run([SSH, "-F", cfg, "-J", "jump", "-p",
                            str(self.srv.port), self.srv.host, "echo",
                            "jumped"], stdin=subprocess.DEVNULL,
                           capture_output=True, timeout=60)
        self.assertEqual((r.stdout, r.returncode), (b"jumped\n", 0), r.stderr)
        # Two logins: the jump and the one through it.
        log = self.srv.read_log()[start:]
        self.assertGreaterEqual(log.count("Accepted publickey for %s" % USER),
                                2, log)

    def test_dash_w(self):
        """-W to the server's own port: its version line comes back."""
        argv = self.srv.ssh_argv(key=self.key)
        host = argv[-2]
        argv = argv[:-2] + ["-W", "%s:%d" % (host, self.srv.port), host]
        r = subprocess.run(argv, input=b"SSH-2.0-probe\r\n",
                           capture_output=True, timeout=60)
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertTrue(r.stdout.startswith(b"SSH-2.0-"), r.stdout)


if __name__ == "__main__":
    unittest.main(verbosity=2)
