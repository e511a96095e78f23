#!/usr/bin/python3
"""test_fail2ban.py: fail2ban's stock sshd filter, given nanosshd's
daemon name, matches every failed login in the log and no successful
one.  The log is the daemon's own (-e), with each line put in the form
syslog writes it: syslog adds the time and host, and does not show the
level word that -e prints."""

import os
import re
import shutil
import subprocess
import sys
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from test_password import PASSWORD, USER, PasswordServer  # noqa: E402

FILTER = 'sshd[_daemon="nanosshd(?:-session)?"]'
LINE_RX = re.compile(r"^(nanosshd(?:-session)?\[\d+\]): \w+: (.*)$")


def as_syslog(log_text):
    out = []
    for line in log_text.splitlines():
        m = LINE_RX.match(line)
        if m:
            out.append("Nov 25 12:00:00 testhost %s: %s" % m.groups())
    return "\n".join(out) + "\n"


@unittest.skipUnless(shutil.which("fail2ban-regex"),
                     "fail2ban-regex is not installed")
class Fail2ban(unittest.TestCase):
    def regex(self, srv, text):
        path = os.path.join(srv.tmp, "syslog")
        with open(path, "w") as f:
            f.write(text)
        r = subprocess.run(["fail2ban-regex", "-o", "ip", path, FILTER],
                           capture_output=True, text=True, timeout=120)
        self.assertEqual(r.returncode, 0, r.stderr)
        return [l for l in r.stdout.split() if l]

    def test_failures_matched_successes_not(self):
        with PasswordServer() as srv:
            start = len(srv.read_log())
            self.assertEqual(srv.ssh(PASSWORD).returncode, 0)
            srv.wait_log(r"Accepted password", start=start)
            ok_log = as_syslog(srv.read_log()[start:])
            self.assertEqual(self.regex(srv, ok_log), [], ok_log)

            start = len(srv.read_log())
            self.assertEqual(srv.ssh("wrong").returncode, 255)
            self.assertEqual(srv.ssh(PASSWORD, user="nosuchuser").returncode,
                             255)
            srv.wait_log(r"Failed password for invalid user nosuchuser",
                         start=start)
            bad_log = as_syslog(srv.read_log()[start:])
            ips = self.regex(srv, bad_log)
            failures = len(re.findall(r"Failed password|Invalid user",
                                      bad_log))
            self.assertGreaterEqual(failures, 3, bad_log)
            self.assertGreaterEqual(len(ips), failures, bad_log)
            self.assertEqual(set(ips), {"127.0.0.1"})

    def test_child_lines_not_matched(self):
        # The protocol child is assumed compromised: whatever it logs
        # (here a real line, and a forged failure as it would arrive) is
        # tagged by the monitor, and the stock filter takes none of it.
        with PasswordServer() as srv:
            start = len(srv.read_log())
            self.assertEqual(srv.ssh(PASSWORD).returncode, 0)
            srv.wait_log(r"child: Session summary", start=start)
            log = as_syslog(srv.read_log()[start:])
            line = next(l for l in log.splitlines()
                        if "child: Session summary" in l)
            prefix = line[:line.index("child: ")]
            failed = "Failed password for root from 192.0.2.9 port 22 ssh2"
            self.assertEqual(self.regex(srv, prefix + failed + "\n"),
                             ["192.0.2.9"])
            forged = log + prefix + "child: " + failed + "\n"
            self.assertEqual(self.regex(srv, forged), [], forged)

    def too_many_failures(self, settings):
        srv = PasswordServer()
        try:
            srv.update_settings(settings(srv))
            srv.write_config()
            srv.start()
            start = len(srv.read_log())
            self.assertEqual(srv.ssh("wrong", prompts=5).returncode, 255)
            srv.wait_log(r"Disconnecting authenticating user %s 127\.0\.0\.1 "
                         r"port \d+: Too many authentication failures"
                         % re.escape(USER), start=start)
            srv.wait_log(r"error: maximum authentication attempts exceeded "
                         r"for %s from 127\.0\.0\.1 port \d+ ssh2"
                         % re.escape(USER), start=start)
            log = as_syslog(srv.read_log()[start:])
            # The monitor's own line, not only the child's tagged one.
            self.assertRegex(log, r"\]: maximum authentication attempts "
                             r"exceeded for %s from" % re.escape(USER))
            # Two tries, as configured, not the default six.
            self.assertEqual(log.count("Failed password for"), 2, log)
            self.assertGreaterEqual(len(self.regex(srv, log)), 2, log)
        finally:
            srv.close()

    def test_too_many_failures(self):
        self.too_many_failures(lambda srv: {
            "auth": dict(srv.settings["auth"], max_tries=2)})

    def test_too_many_failures_by_address_block(self):
        # A block matched by the address alone applies before the user
        # is known, to the child and the monitor alike.
        self.too_many_failures(lambda srv: {"match": [
            {"addresses": ["127.0.0.0/8"], "auth": {"max_tries": 2}}]})

if __name__ == "__main__":
    unittest.main(verbosity=2)
