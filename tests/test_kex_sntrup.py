#!/usr/bin/python3
"""test_kex_sntrup.py: the post-quantum hybrid sntrup761x25519-sha512
against real clients: OpenSSH's ssh asked for it under each name it knows
(upstream 9.2 knows only the @openssh.com one, Debian's 9.2p1 both; the
in-memory client of tests/unit/check_kex_hybrid.c covers both whatever is
installed), OpenSSH's default list negotiating it where the client has no
mlkem768x25519-sha256 (which both sides put first), PuTTY's plink (0.78+
offers it), each name alone in crypto.kex, and a server configured
without it refusing it.  crypto.require_pq accepting it is
tests/test_pq.py."""

import os
import pwd
import re
import shutil
import subprocess
import sys
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from harness import Server  # noqa: E402

NAME = "sntrup761x25519-sha512"
ALIAS = NAME + "@openssh.com"
USER = pwd.getpwuid(os.getuid()).pw_name
KEX_LOG = re.compile(r"algorithms: kex ([^,\s]+)")


def ssh_kex_names():
    r = subprocess.run(["ssh", "-Q", "kex"], capture_output=True, text=True,
                       timeout=30)
    return r.stdout.split()


class Sntrup(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.srv = Server(settings={"auth": {"methods": ["publickey"]}})
        cls.key = cls.srv.authorize_user_key()
        cls.srv.start()

    @classmethod
    def tearDownClass(cls):
        cls.srv.close()

    def login(self, *options):
        """Runs echo over ssh; returns the kex the server logged for it."""
        start = len(self.srv.read_log())
        r = subprocess.run(self.srv.ssh_argv("echo", "pq-ok", key=self.key,
                                             options=options),
                           capture_output=True, text=True, timeout=60)
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertEqual(r.stdout, "pq-ok\n")
        m = self.srv.wait_log(KEX_LOG, start=start)
        return m.group(1)

    def test_openssh_by_name(self):
        known = [n for n in (NAME, ALIAS) if n in ssh_kex_names()]
        if not known:
            self.skipTest("this ssh does not know %s" % ALIAS)
        for name in known:
            with self.subTest(kex=name):
                self.assertEqual(self.login("KexAlgorithms=" + name), name)

    def test_openssh_default_negotiates_it(self):
        # OpenSSH 9.0 to 9.8 put it first (the plain name before the alias
        # where they know both); nanossh offers it right after
        # mlkem768x25519-sha256, which such a client lacks.
        names = ssh_kex_names()
        if ALIAS not in names:
            self.skipTest("this ssh does not know %s" % ALIAS)
        if "mlkem768x25519-sha256" in names:
            self.skipTest("this ssh prefers mlkem768x25519-sha256")
        self.assertEqual(self.login(), NAME if NAME in names else ALIAS)

    def test_openssh_rekey(self):
        # 4 MiB with a 64 KiB rekey limit: fresh encapsulations inside
        # one connection.  (With 1 MiB the transfer could end, under load,
        # before a second rekey had finished.)
        if ALIAS not in ssh_kex_names():
            self.skipTest("this ssh does not know %s" % ALIAS)
        r = subprocess.run(self.srv.ssh_argv(
            "head", "-c", "4194304", "/dev/zero", key=self.key,
            options=("KexAlgorithms=" + ALIAS, "RekeyLimit=64K",
                     "LogLevel=DEBUG1")),
            capture_output=True, timeout=120)
        self.assertEqual(r.returncode, 0, r.stderr[-2000:])
        self.assertEqual(len(r.stdout), 4194304)
        # The first exchange and at least two rekeys, all under the KEM.
        self.assertGreaterEqual(r.stderr.count(
            b"kex: algorithm: " + ALIAS.encode()), 3, r.stderr[-2000:])

    def test_plink(self):
        plink = shutil.which("plink")
        if plink is None:
            self.skipTest("plink is not installed")
        ver = subprocess.run([plink, "-V"], capture_output=True, text=True,
                             timeout=30).stdout
        # plink knows sntrup761 from 0.78; it needs its own key format.
        puttygen = shutil.which("puttygen")
        if puttygen is None:
            self.skipTest("puttygen is not installed")
        ppk = os.path.join(self.srv.tmp, "id.ppk")
        subprocess.run([puttygen, self.key, "-O", "private", "-o", ppk],
                       check=True, capture_output=True, timeout=60)
        hostkey = self.srv.host_keys[0] + ".pub"
        fp = subprocess.run(["ssh-keygen", "-l", "-E", "sha256", "-f",
                             hostkey], capture_output=True, text=True,
                            check=True, timeout=30).stdout.split()[1]
        start = len(self.srv.read_log())
        r = subprocess.run([plink, "-ssh", "-batch", "-noagent",
                            "-P", str(self.srv.port), "-i", ppk,
                            "-hostkey", fp, "-l", USER, self.srv.host,
                            "echo pq-ok"],
                           capture_output=True, text=True, timeout=60,
                           stdin=subprocess.DEVNULL)
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertEqual(r.stdout, "pq-ok\n")
        kex = self.srv.wait_log(KEX_LOG, start=start).group(1)
        if not kex.startswith(NAME):
            self.skipTest("%s negotiated %s" % (ver.splitlines()[0], kex))
        self.assertEqual(kex, ALIAS)


class Configured(unittest.TestCase):
    """crypto.kex takes either name alone; a server whose list leaves
    the method out does not negotiate it."""

    def run_with(self, kex_list, *options):
        srv = Server(settings={"crypto": {"kex": kex_list},
                               "auth": {"methods": ["publickey"]}})
        try:
            key = srv.authorize_user_key()
            srv.start()
            start = len(srv.read_log())
            r = subprocess.run(srv.ssh_argv("true", key=key,
                                            options=options),
                               capture_output=True, text=True, timeout=60)
            kex = None
            if r.returncode == 0:
                kex = srv.wait_log(KEX_LOG, start=start).group(1)
            return r, kex
        finally:
            srv.close()

    def test_each_name_alone(self):
        names = ssh_kex_names()
        for name in (NAME, ALIAS):
            if name not in names:
                continue
            with self.subTest(kex=name):
                r, kex = self.run_with([name])
                self.assertEqual(r.returncode, 0, r.stderr)
                self.assertEqual(kex, name)

    def test_refused_when_not_listed(self):
        if ALIAS not in ssh_kex_names():
            self.skipTest("this ssh does not know %s" % ALIAS)
        r, _ = self.run_with(["curve25519-sha256"], "KexAlgorithms=" + ALIAS)
        self.assertEqual(r.returncode, 255)
        self.assertIn("no matching key exchange method", r.stderr)


if __name__ == "__main__":
    unittest.main()
