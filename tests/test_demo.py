#!/usr/bin/python3
"""test_demo.py: scripts/demo as the README tells a newcomer to use it:
run it, then run the ssh and sftp command lines it prints, exactly as
printed (with commands on their standard input, since there is no one to
type).  Builds in build/demo and writes ./demo/ of the tree it is in, as
the demo itself does; scripts/check runs it on a fresh clone."""

import os
import re
import signal
import socket
import subprocess
import sys
import threading
import time
import unittest

TOP = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
DEMO = os.path.join(TOP, "scripts", "demo")
# The first run builds nanossh.
BUILD_TIMEOUT = 900


class Demo(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        # Not harness.free_port: the harness wants a built tree, and the
        # demo is what builds this one.
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            cls.port = s.getsockname()[1]
        env = dict(os.environ, NANOSSH_DEMO_PORT=str(cls.port))
        cls.proc = subprocess.Popen([DEMO], cwd=TOP, env=env,
                                    stdin=subprocess.DEVNULL,
                                    stdout=subprocess.PIPE,
                                    stderr=subprocess.STDOUT,
                                    start_new_session=True)
        cls.lines = []
        deadline = time.monotonic() + BUILD_TIMEOUT
        # Until the daemon says it listens; the output is read line by line
        # (a bounded wait: the demo ends or prints, or the deadline hits).
        while time.monotonic() < deadline:
            line = cls.proc.stdout.readline()
            if not line:
                break
            cls.lines.append(line.decode(errors="replace"))
            if re.search(r"listening on 127\.0\.0\.1:%d" % cls.port,
                         cls.lines[-1]):
                # The daemon logs to this pipe from now on: keep it
                # drained so that it never blocks on a full pipe.
                threading.Thread(target=cls.drain, daemon=True).start()
                return
        cls.tearDownClass()
        raise AssertionError("the demo did not start:\n" + "".join(cls.lines))

    @classmethod
    def drain(cls):
        for line in cls.proc.stdout:
            cls.lines.append(line.decode(errors="replace"))

    @classmethod
    def tearDownClass(cls):
        if cls.proc.poll() is None:
            os.killpg(cls.proc.pid, signal.SIGINT)
            try:
                cls.proc.wait(30)
            except subprocess.TimeoutExpired:
                os.killpg(cls.proc.pid, signal.SIGKILL)
                cls.proc.wait(30)

    def printed(self, program):
        cmds = [l.strip() for l in self.lines
                if l.strip().startswith(program + " ")]
        self.assertEqual(len(cmds), 1, "".join(self.lines))
        return cmds[0]

    def run_printed(self, program, stdin):
        # As a newcomer would paste it into a shell; no terminal, so the
        # clients read their commands from standard input.
        r = subprocess.run(["sh", "-c", self.printed(program)], input=stdin,
                           capture_output=True, text=True, timeout=60,
                           start_new_session=True)
        self.assertEqual(r.returncode, 0, "%s\n%s" % (r.stdout, r.stderr))
        return r

    def test_printed_ssh_command(self):
        r = self.run_printed("ssh", "echo demo-$((6*7))\nexit\n")
        self.assertIn("demo-42", r.stdout)

    def test_printed_sftp_command(self):
        r = self.run_printed("sftp", "pwd\nls -a\nbye\n")
        self.assertIn("Remote working directory: /", r.stdout)

    def test_no_host_key_prompt(self):
        # The printed known_hosts names the demo's keys already.
        with open(os.path.join(TOP, "demo", "known_hosts")) as f:
            self.assertRegex(f.read(), r"^\[127\.0\.0\.1\]:%d ssh-ed25519 "
                             % self.port)


if __name__ == "__main__":
    unittest.main(verbosity=2)
