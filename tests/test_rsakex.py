#!/usr/bin/python3
"""test_rsakex.py: RSA key exchange (RFC 4432) with PuTTY's plink, the one
common client that speaks it: rsa2048-sha256 and rsa1024-sha1 when
crypto.kex names them, a login and a rekey, and refused when it does not
(the default).  PuTTY's preference order is set in a saved session; -batch
makes it refuse any method below its WARN line instead of asking."""

import os
import pwd
import shutil
import subprocess
import sys
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from harness import SSH_KEYGEN  # noqa: E402
from test_exec import ExecServer  # noqa: E402

USER = pwd.getpwuid(os.getuid()).pw_name
PLINK = shutil.which("plink")
PUTTYGEN = shutil.which("puttygen")


def host_fingerprint(pubfile):
    r = subprocess.run([SSH_KEYGEN, "-l", "-E", "sha256", "-f", pubfile],
                       capture_output=True, text=True, check=True,
                       timeout=30)
    return r.stdout.split()[1]


@unittest.skipIf(PLINK is None or PUTTYGEN is None, "PuTTY is not installed")
class RsaKex(unittest.TestCase):
    def server(self, kex):
        srv = ExecServer()
        srv.update_settings({"crypto": {"kex": kex}})
        srv.write_config()
        srv.start()
        self.addCleanup(srv.close)
        return srv

    def plink(self, srv, command, session_lines=()):
        home = os.path.join(srv.tmp, "home")
        sessions = os.path.join(home, ".putty", "sessions")
        os.makedirs(sessions, exist_ok=True)
        # Unix PuTTY's session file: key=value lines; only RSA key
        # exchange above the WARN line.
        with open(os.path.join(sessions, "rsakex"), "w") as f:
            f.write("KEX=rsa,WARN,ntru-curve25519,ecdh,dh-gex-sha1,"
                    "dh-group14-sha1,dh-group1-sha1\n")
            for line in session_lines:
                f.write(line + "\n")
        ppk = os.path.join(srv.tmp, "id_user.ppk")
        if not os.path.exists(ppk):
            subprocess.run([PUTTYGEN, srv.user_key, "-O", "private", "-o",
                            ppk], check=True, capture_output=True, timeout=60)
        argv = [PLINK, "-load", "rsakex", "-batch", "-ssh", "-P",
                str(srv.port), "-l", USER, "-hostkey",
                host_fingerprint(srv.host_keys[0] + ".pub"), "-i", ppk,
                "-noagent", "127.0.0.1", command]
        return subprocess.run(argv, capture_output=True, timeout=120,
                              stdin=subprocess.DEVNULL,
                              env=dict(os.environ, HOME=home))

    def login(self, srv, kex, command="echo rsa; exit 3", lines=()):
        start = len(srv.read_log())
        r = self.plink(srv, command, lines)
        self.assertEqual((r.stdout[:4], r.returncode), (b"rsa\n", 3),
                         "stderr %r; server log:\n%s"
                         % (r.stderr, srv.read_log()[-3000:]))
        srv.wait_log(r"Session summary: .*; kex %s, " % kex, start=start)

    def test_rsa2048_sha256(self):
        srv = self.server(["curve25519-sha256", "rsa2048-sha256",
                           "rsa1024-sha1"])
        self.login(srv, "rsa2048-sha256")

    def test_rsa1024_sha1(self):
        srv = self.server(["curve25519-sha256", "rsa1024-sha1"])
        self.login(srv, "rsa1024-sha1")

    def bytes_in(self, srv, lines):
        start = len(srv.read_log())
        r = self.plink(srv, "echo rsa; head -c 200000 /dev/zero; exit 3",
                       lines)
        self.assertEqual((r.stdout[:4], len(r.stdout), r.returncode),
                         (b"rsa\n", 200004, 3),
                         "stderr %r; server log:\n%s"
                         % (r.stderr, srv.read_log()[-3000:]))
        m = srv.wait_log(r"Session summary: .*bytes in (\d+), .*; "
                         r"kex rsa2048-sha256, ", start=start)
        self.assertNotIn("violat", srv.read_log()[start:])
        return int(m.group(1))

    def test_rekey(self):
        """PuTTY's RekeyBytes=1K makes it rekey while the output streams:
        the monitor's second RSA exchange on the connection, after
        authentication.  A rekey is one more KEXINIT (over a KiB from
        PuTTY) and secret in the summary's bytes in."""
        srv = self.server(["rsa2048-sha256"])
        plain = self.bytes_in(srv, [])
        self.assertGreater(self.bytes_in(srv, ["RekeyBytes=1K"]),
                           plain + 1024)

    def test_not_offered_by_default(self):
        """Without crypto.kex naming it the server does not offer RSA
        key exchange: PuTTY, which wants it first, finds the server's
        first common method (the default's sntrup761x25519, which PuTTY
        calls ntru-curve25519) below its WARN line and gives up."""
        srv = ExecServer()
        srv.start()
        self.addCleanup(srv.close)
        r = self.plink(srv, "echo rsa")
        self.assertNotEqual(r.returncode, 0)
        self.assertNotIn(b"rsa", r.stdout)
        self.assertIn(b"supported by the server is\n"
                      b"sntrup761x25519-sha512@openssh.com",
                      r.stderr)


if __name__ == "__main__":
    unittest.main()
