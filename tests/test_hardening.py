#!/usr/bin/python3
"""test_hardening.py: nanosshd works confined as systemd/nanosshd-appliance.conf
confines it, as far as that can be reproduced without systemd: the
daemon runs as root under setpriv with exactly the drop-in's
CapabilityBoundingSet and NoNewPrivileges, and serves a command, a
terminal session, SFTP and forwarding.  Without one capability of the set
(CAP_SYS_CHROOT) logins fail, so the confinement is real.  Root only."""

import os
import re
import shutil
import socket
import subprocess
import sys
import threading
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import harness  # noqa: E402
from harness import Server  # noqa: E402

SETPRIV = shutil.which("setpriv")
DROPIN = os.path.join(harness.SRCDIR, "systemd", "nanosshd-appliance.conf")


def dropin_settings():
    with open(DROPIN) as f:
        text = f.read()
    caps = re.search(r"^CapabilityBoundingSet=(.*)$", text, re.M).group(1)
    nnp = re.search(r"^NoNewPrivileges=(\w+)$", text, re.M).group(1)
    return [c.lower().replace("cap_", "") for c in caps.split()], nnp == "yes"


def setpriv_argv(caps, no_new_privs):
    argv = [SETPRIV, "--bounding-set", ",".join(["-all"] +
                                                ["+" + c for c in caps])]
    if no_new_privs:
        argv.append("--no-new-privs")
    return argv + ["--"]


@unittest.skipUnless(os.geteuid() == 0, "needs root (capabilities)")
@unittest.skipUnless(SETPRIV, "setpriv (util-linux) is not installed")
class Confined(unittest.TestCase):
    def setUp(self):
        self.caps, self.nnp = dropin_settings()
        self.srv = Server()
        self.addCleanup(self.srv.close)
        self.key = self.srv.authorize_user_key()

    def start(self, caps):
        self.srv.wrapper = setpriv_argv(caps, self.nnp)
        self.srv.start()

    def ssh(self, *command, args=(), input=None):
        argv = self.srv.ssh_argv(*command, key=self.key)
        argv[1:1] = list(args)
        return subprocess.run(argv, capture_output=True, text=True,
                              timeout=60, input=input)

    def test_bounding_set_really_applies(self):
        self.start(self.caps)
        # What the drop-in's set comes to on this kernel and container.
        want = subprocess.run(setpriv_argv(self.caps, self.nnp) +
                              ["cat", "/proc/self/status"],
                              capture_output=True, text=True, timeout=30,
                              check=True).stdout
        with open("/proc/%d/status" % self.srv.pid) as f:
            got = f.read()
        rx = re.compile(r"^(CapBnd|NoNewPrivs):\s*(\S+)$", re.M)
        self.assertEqual(rx.findall(got), rx.findall(want))
        bnd = int(dict(rx.findall(got))["CapBnd"], 16)
        self.assertLessEqual(bin(bnd).count("1"), len(self.caps))

    def test_command_terminal_sftp_forwarding(self):
        self.start(self.caps)
        r = self.ssh("echo", "confined")
        self.assertEqual((r.returncode, r.stdout), (0, "confined\n"),
                         r.stderr + self.srv.read_log())
        r = self.ssh("tty", args=["-tt"])
        self.assertEqual(r.returncode, 0, r.stderr + self.srv.read_log())
        self.assertRegex(r.stdout, r"^/dev/pts/\d+\r?\n$")
        # SFTP (the subsystem's helper runs as the user).
        src = os.path.join(self.srv.tmp, "src")
        with open(src, "wb") as f:
            f.write(os.urandom(50000))
        batch = "put %s %s/up\n" % (src, self.srv.tmp)
        argv = self.srv.ssh_argv(key=self.key)
        at = argv.index("-l")
        opts = argv[1:at]
        del opts[opts.index("-p"):opts.index("-p") + 2]
        r = subprocess.run(["sftp", "-P", str(self.srv.port), "-b", "-"] +
                           opts + ["%s@%s" % (argv[at + 1], argv[at + 2])],
                           input=batch, capture_output=True, text=True,
                           timeout=60)
        self.assertEqual(r.returncode, 0, r.stderr + self.srv.read_log())
        with open(src, "rb") as a, open(os.path.join(self.srv.tmp, "up"),
                                        "rb") as b:
            self.assertEqual(a.read(), b.read())
        # A direct-tcpip channel to a local echo service.
        lsock = socket.create_server(("127.0.0.1", 0))
        self.addCleanup(lsock.close)

        def echo():
            c, _ = lsock.accept()
            with c:
                c.sendall(c.recv(100))
        t = threading.Thread(target=echo, daemon=True)
        t.start()
        r = self.ssh(args=["-W", "127.0.0.1:%d" % lsock.getsockname()[1]],
                     input="ping\n")
        self.assertEqual(r.stdout, "ping\n", r.stderr + self.srv.read_log())
        t.join(30)

    def test_without_chroot_capability_logins_fail(self):
        self.start([c for c in self.caps if c != "sys_chroot"])
        r = self.ssh("echo", "confined")
        self.assertNotEqual(r.returncode, 0)
        self.assertNotIn("confined", r.stdout)


if __name__ == "__main__":
    unittest.main(verbosity=2)
