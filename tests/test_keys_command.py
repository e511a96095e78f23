#!/usr/bin/python3
"""test_keys_command.py: auth.authorized_keys_command with the OpenSSH
client: a command that prints the key (with the %u %h %t %f %k tokens
checked), one whose key options apply, ones that print nothing, garbage,
too much, exit non-zero or hang (all refused, the hang within the
deadline), and the config check refusing root as the command user."""

import os
import pwd
import subprocess
import sys
import time
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from harness import SSH_KEYGEN, Server, make_host_key  # noqa: E402

USER = pwd.getpwuid(os.getuid()).pw_name
HOME = pwd.getpwuid(os.getuid()).pw_dir
# As root the command runs as nobody; unprivileged, only as ourselves.
CMD_USER = "nobody" if os.getuid() == 0 else USER

SCRIPT = r"""#!/bin/sh
mode=$(cat '%(dir)s/mode')
case "$mode" in
key)
	[ "$1" = '%(user)s' ] && [ "$2" = '%(home)s' ] && [ "$3" = '%(type)s' ] &&
	    [ "$4" = '%(fp)s' ] && [ "$5" = '%(b64)s' ] && [ "$6" = '%%' ] &&
	    [ "$(id -u)" = '%(uid)d' ] || exit 0
	echo '# from the directory'
	echo '%(type)s %(b64)s'
	;;
opts)	echo 'restrict,command="echo forced-by-command" %(type)s %(b64)s' ;;
empty)	;;
garbage) printf 'garbage line\n%(type)s notbase64\n\001\002\n' ;;
fail)	echo '%(type)s %(b64)s'; exit 3 ;;
much)	head -c 2000000 /dev/zero | tr '\0' '#'; echo; echo '%(type)s %(b64)s' ;;
hang)	sleep 60 ;;
closed)	echo '%(type)s %(b64)s'; exec >&-; sleep 60 ;;
esac
"""


class KeysCommand(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.srv = Server()
        tmp = cls.srv.tmp
        # The command user must reach the script: the temp dir is 0700.
        os.chmod(tmp, 0o755)
        cls.dir = os.path.join(tmp, "cmd")
        os.mkdir(cls.dir, 0o755)
        cls.key = os.path.join(tmp, "id_cmd")
        make_host_key(cls.key)
        with open(cls.key + ".pub") as f:
            ktype, b64 = f.read().split()[:2]
        r = subprocess.run([SSH_KEYGEN, "-l", "-E", "sha256", "-f",
                            cls.key + ".pub"], capture_output=True,
                           text=True, check=True, timeout=30)
        fp = r.stdout.split()[1]
        cls.script = os.path.join(cls.dir, "keys")
        with open(cls.script, "w") as f:
            f.write(SCRIPT % {"dir": cls.dir, "user": USER, "home": HOME,
                              "type": ktype, "fp": fp, "b64": b64,
                              "uid": pwd.getpwnam(CMD_USER).pw_uid})
        os.chmod(cls.script, 0o755)
        cls.set_mode("key")
        cls.srv.update_settings({"auth": {
            "methods": ["publickey"],
            # No file has the key: only the command can allow it.
            "authorized_keys": [os.path.join(tmp, "no_such_file")],
            "authorized_keys_command": cls.script + " %u %h %t %f %k %%",
            "authorized_keys_command_user": CMD_USER}})
        cls.srv.write_config()
        cls.srv.start()

    @classmethod
    def tearDownClass(cls):
        cls.srv.close()

    @classmethod
    def set_mode(cls, mode):
        p = os.path.join(cls.dir, "mode")
        with open(p + ".new", "w") as f:
            f.write(mode + "\n")
        os.chmod(p + ".new", 0o644)
        os.replace(p + ".new", p)

    def ssh(self, mode, *command):
        self.set_mode(mode)
        return subprocess.run(self.srv.ssh_argv(*command, key=self.key),
                              stdin=subprocess.DEVNULL, capture_output=True,
                              timeout=90)

    def test_key_printed(self):
        start = len(self.srv.read_log())
        r = self.ssh("key", "echo", "in")
        self.assertEqual((r.stdout, r.returncode), (b"in\n", 0), r.stderr)
        self.srv.wait_log(r"Accepted publickey for %s" % USER, start=start)
        self.srv.wait_log(r"auth.authorized_keys_command \S+:2: matching "
                          r"key found", start=start)

    def test_options_applied(self):
        r = self.ssh("opts", "echo", "in")
        self.assertEqual((r.stdout, r.returncode),
                         (b"forced-by-command\n", 0), r.stderr)

    def test_nothing_garbage_failure_too_much_refused(self):
        for mode in ("empty", "garbage", "fail", "much"):
            with self.subTest(mode=mode):
                start = len(self.srv.read_log())
                r = self.ssh(mode, "echo", "in")
                self.assertEqual(r.returncode, 255, r.stdout)
                self.assertNotIn("Accepted publickey",
                                 self.srv.read_log()[start:])
                if mode == "fail":
                    self.srv.wait_log(r"authorized_keys_command \S+ "
                                      r"failed", start=start)
                if mode == "much":
                    self.srv.wait_log(r"too much output", start=start)

    def test_hang_refused_within_deadline(self):
        start = len(self.srv.read_log())
        t0 = time.monotonic()
        r = self.ssh("hang", "echo", "in")
        took = time.monotonic() - t0
        self.assertEqual(r.returncode, 255, r.stdout)
        self.assertLess(took, 40)
        self.srv.wait_log(r"authorized_keys_command \S+: did not finish "
                          r"in time; killed", start=start)

    def test_closed_output_but_running_refused(self):
        """Its key printed and stdout closed, but it never exits: not
        waited for past the deadline, and the key is not used."""
        start = len(self.srv.read_log())
        t0 = time.monotonic()
        r = self.ssh("closed", "echo", "in")
        self.assertEqual(r.returncode, 255, r.stdout)
        self.assertLess(time.monotonic() - t0, 40)
        self.srv.wait_log(r"did not exit in time; killed", start=start)

    def test_root_command_user_refused_by_config_check(self):
        for user in ("root", ""):
            with self.subTest(user=user):
                r = self.srv.run("-t", "-o",
                                 "auth.authorized_keys_command_user=\"%s\""
                                 % user)
                self.assertNotEqual(r.returncode, 0)
                self.assertIn("auth.authorized_keys_command_user",
                              r.stderr)
        self.assertEqual(self.srv.run("-t").returncode, 0)


if __name__ == "__main__":
    unittest.main(verbosity=2)
