#!/usr/bin/python3
"""test_install.py: a daemon installed with `make install` into a prefix
serves logins, SFTP and SCP from its installed programs alone (no test
variables point it anywhere), and the installed systemd, sysusers and
tmpfiles files work.  scripts/check builds such a prefix and names it in
$NANOSSH_INSTALLED_PREFIX; without it every test is skipped."""

import os
import pwd
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import harness  # noqa: E402

PREFIX = os.environ.get("NANOSSH_INSTALLED_PREFIX")


def installed(*parts):
    return os.path.join(PREFIX, *parts)


@unittest.skipUnless(PREFIX, "no installed prefix (scripts/check makes one)")
class Installed(unittest.TestCase):
    def setUp(self):
        self.tmp = tempfile.mkdtemp(prefix="nanossh-install-")
        self.addCleanup(shutil.rmtree, self.tmp, True)
        # Only what an installed daemon sees: no NANOSSH* variables.
        self.env = {k: v for k, v in os.environ.items()
                    if not k.startswith("NANOSSH")}
        self.port = harness.free_port()
        hk = os.path.join(self.tmp, "host_key")
        harness.make_host_key(hk)
        self.key = os.path.join(self.tmp, "id")
        harness.make_host_key(self.key)
        ak = os.path.join(self.tmp, "authorized_keys")
        shutil.copy(self.key + ".pub", ak)
        os.chmod(ak, 0o600)
        empty = os.path.join(self.tmp, "empty")
        os.mkdir(empty, 0o755)
        self.conf = os.path.join(self.tmp, "nanosshd.conf")
        with open(self.conf, "w") as f:
            f.write(harness.conf_text({
                "listen": ["127.0.0.1:%d" % self.port],
                "host_keys": [hk],
                "pid_file": os.path.join(self.tmp, "pid"),
                "privsep": {"user": harness.privsep_user(),
                            "chroot": empty},
                "auth": {"authorized_keys": [ak]},
                "control_socket": os.path.join(self.tmp, "control"),
            }))
        with open(hk + ".pub") as f:
            fields = f.read().split()
        self.known = os.path.join(self.tmp, "known_hosts")
        with open(self.known, "w") as f:
            f.write("[127.0.0.1]:%d %s %s\n" % (self.port, fields[0],
                                                 fields[1]))

    def client_opts(self):
        return ["-F", "/dev/null", "-o", "UserKnownHostsFile=" + self.known,
                "-o", "StrictHostKeyChecking=yes", "-o", "BatchMode=yes",
                "-o", "IdentitiesOnly=yes", "-o", "IdentityAgent=none",
                "-i", self.key]

    def start(self):
        log = open(os.path.join(self.tmp, "log"), "wb")
        self.addCleanup(log.close)
        proc = subprocess.Popen([installed("sbin", "nanosshd"), "-D", "-e",
                                 "-f", self.conf], stdin=subprocess.DEVNULL,
                                stdout=log, stderr=log, env=self.env)

        def stop():
            proc.terminate()
            proc.wait(harness.STOP_TIMEOUT)
        self.addCleanup(stop)

        def up():
            if proc.poll() is not None:
                raise AssertionError("nanosshd exited: " + self.log())
            return socket_accepts(self.port)
        harness.wait_until(up, harness.START_TIMEOUT, "installed nanosshd")

    def log(self):
        with open(os.path.join(self.tmp, "log"), errors="replace") as f:
            return f.read()

    def run_client(self, argv, **kw):
        r = subprocess.run(argv, capture_output=True, text=True, timeout=60,
                           env=self.env, **kw)
        self.assertEqual(r.returncode, 0, "%s\n%s\n%s" % (argv, r.stderr,
                                                          self.log()))
        return r

    def test_configuration_check(self):
        r = subprocess.run([installed("sbin", "nanosshd"), "-t", "-f",
                            self.conf], capture_output=True, text=True,
                           timeout=30, env=self.env)
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertEqual(r.stderr, "")

    def test_login_sftp_scp(self):
        self.start()
        user = pwd.getpwuid(os.getuid()).pw_name
        r = self.run_client([harness.SSH] + self.client_opts() +
                            ["-p", str(self.port), "-l", user, "127.0.0.1",
                             "echo", "installed"])
        self.assertEqual(r.stdout, "installed\n")
        r = subprocess.run([installed("sbin", "nanosshctl"), "-s",
                            os.path.join(self.tmp, "control"), "status"],
                           capture_output=True, text=True, timeout=30)
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertIn("nanossh_", r.stdout)
        src = os.path.join(self.tmp, "src.bin")
        with open(src, "wb") as f:
            f.write(os.urandom(100000))
        dest = "%s@127.0.0.1:%s" % (user, self.tmp)
        got_sftp = os.path.join(self.tmp, "via-sftp")
        batch = "put %s %s/up\nget %s/up %s\n" % (src, self.tmp, self.tmp,
                                                   got_sftp)
        self.run_client(["sftp"] + self.client_opts() +
                        ["-P", str(self.port), "-b", "-",
                         "%s@127.0.0.1" % user], input=batch)
        got_scp = os.path.join(self.tmp, "via-scp")
        got_legacy = os.path.join(self.tmp, "via-scp-O")
        self.run_client(["scp"] + self.client_opts() +
                        ["-P", str(self.port), src, dest + "/up2"])
        self.run_client(["scp"] + self.client_opts() +
                        ["-P", str(self.port), dest + "/up2", got_scp])
        self.run_client(["scp", "-O"] + self.client_opts() +
                        ["-P", str(self.port), dest + "/up2", got_legacy])
        with open(src, "rb") as f:
            want = f.read()
        for p in (got_sftp, got_scp, got_legacy):
            with open(p, "rb") as f:
                self.assertEqual(f.read(), want, p)

    def test_units_name_the_installed_daemon(self):
        with open(installed("lib", "systemd", "system",
                            "nanosshd.service")) as f:
            unit = f.read()
        self.assertIn("ExecStart=%s -D\n" % installed("sbin", "nanosshd"),
                      unit)
        self.assertIn("Type=notify", unit)
        self.assertTrue(os.path.exists(installed("lib", "systemd", "system",
                                                 "nanosshd.socket")))

    @unittest.skipUnless(shutil.which("systemd-analyze"),
                         "systemd-analyze not installed")
    def test_units_verify(self):
        units = installed("lib", "systemd", "system")
        # Documentation= names man pages: the installed ones.
        env = dict(self.env, MANPATH=installed("share", "man"))
        r = subprocess.run(["systemd-analyze", "verify",
                            os.path.join(units, "nanosshd.service"),
                            os.path.join(units, "nanosshd.socket")],
                           capture_output=True, text=True, timeout=60,
                           env=env)
        self.assertEqual((r.returncode, r.stdout + r.stderr), (0, ""))

    @unittest.skipUnless(shutil.which("systemd-sysusers") and
                         shutil.which("systemd-tmpfiles"),
                         "systemd-sysusers/tmpfiles not installed")
    def test_sysusers_and_tmpfiles(self):
        root = os.path.join(self.tmp, "root")
        os.makedirs(os.path.join(root, "etc"))
        subprocess.run(["systemd-sysusers", "--root=" + root,
                        installed("lib", "sysusers.d", "nanossh.conf")],
                       check=True, capture_output=True, timeout=60)
        with open(os.path.join(root, "etc", "passwd")) as f:
            line = [l for l in f if l.startswith("nanossh:")]
        self.assertEqual(len(line), 1)
        self.assertRegex(line[0], r":/var/empty/nanossh:/usr/sbin/nologin$")
        subprocess.run(["systemd-tmpfiles", "--root=" + root, "--create",
                        installed("lib", "tmpfiles.d", "nanossh.conf")],
                       check=True, capture_output=True, timeout=60)
        st = os.stat(os.path.join(root, "var", "empty", "nanossh"))
        self.assertEqual(st.st_mode & 0o7777, 0o755)
        st = os.stat(os.path.join(root, "run", "nanossh"))
        self.assertEqual(st.st_mode & 0o7777, 0o700)

    def test_man_pages(self):
        for sec, page in (("8", "nanosshd.8"), ("5", "nanosshd.conf.5"),
                          ("1", "nanossh-keygen.1"),
                          ("8", "nanossh-sftp-server.8"),
                          ("8", "nanosshctl.8")):
            self.assertTrue(os.path.exists(
                installed("share", "man", "man" + sec, page)), page)


def socket_accepts(port):
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=1):
            return True
    except OSError:
        return False


if __name__ == "__main__":
    unittest.main(verbosity=2)
