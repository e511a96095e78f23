#!/usr/bin/python3
"""test_privsep.py: the process model, seen from /proc while a connection
sits idle before authentication: the protocol child runs as the privsep
user, chrooted, under seccomp with no_new_privs and no capabilities, and the
monitor is the connection's only root process.  Needs root (CI runs as
root); skipped otherwise."""

import os
import pwd
import sys
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from harness import Server, recv_line, scratch_server, wait_until  # noqa: E402


def children(pid):
    """Direct children of pid, from /proc."""
    out = []
    for d in os.listdir("/proc"):
        if not d.isdigit():
            continue
        try:
            with open("/proc/%s/stat" % d) as f:
                fields = f.read().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == pid and fields[0] != "Z":
            out.append(int(d))
    return out


def status(pid):
    with open("/proc/%d/status" % pid) as f:
        return dict(line.rstrip("\n").split(":\t", 1) for line in f
                    if ":\t" in line)


@unittest.skipUnless(os.getuid() == 0, "needs root")
class ProcessModel(unittest.TestCase):
    def test_idle_connection(self):
        with Server() as srv:
            sock = srv.connect()
            try:
                self.assertTrue(recv_line(sock).startswith(b"SSH-2.0-"))
                sock.sendall(b"SSH-2.0-privsep-test\r\n")
                # Only this connection's session (the harness's probe
                # connection has ended by then).
                monitor = wait_until(
                    lambda: len(children(srv.pid)) == 1 and children(srv.pid),
                    10, "exactly one session process")[0]
                child = wait_until(lambda: children(monitor), 10,
                                   "the protocol child")[0]
                # The child may still be entering its sandbox: wait for it.
                wait_until(lambda: status(child).get("Seccomp") == "2", 10,
                           "the child's seccomp filter")
                st = status(child)
                user = pwd.getpwnam(srv.settings["privsep"]["user"])
                uids = st["Uid"].split()
                gids = st["Gid"].split()
                self.assertEqual(uids, [str(user.pw_uid)] * 4)
                self.assertEqual(gids, [str(user.pw_gid)] * 4)
                self.assertEqual(st["Groups"].split(), [str(user.pw_gid)])
                self.assertEqual(st["NoNewPrivs"], "1")
                self.assertEqual(st["Seccomp"], "2")
                for cap in ("CapInh", "CapPrm", "CapEff", "CapBnd", "CapAmb"):
                    if cap == "CapBnd":
                        continue  # the bounding set limits, grants nothing
                    self.assertEqual(int(st[cap], 16), 0, cap)
                self.assertEqual(os.readlink("/proc/%d/root" % child),
                                 srv.settings["privsep"]["chroot"])
                # The monitor is the connection's only root process.
                self.assertEqual(status(monitor)["Uid"].split()[0], "0")
                self.assertEqual(children(child), [])
                self.assertEqual(children(monitor), [child])
            finally:
                sock.close()

    def test_check_refuses_bad_privsep_settings(self):
        with scratch_server() as srv:
            bad = os.path.join(srv.tmp, "writable")
            os.mkdir(bad)
            os.chmod(bad, 0o777)
            srv.update_settings({"privsep": {"user": "no-such-user-x",
                                             "chroot": bad}})
            srv.write_config()
            r = srv.run("-t")
        self.assertEqual(r.returncode, 1)
        self.assertIn("privsep user no-such-user-x does not exist", r.stderr)
        self.assertIn("privsep chroot %s" % bad, r.stderr)


if __name__ == "__main__":
    unittest.main(verbosity=2)
