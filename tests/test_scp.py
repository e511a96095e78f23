#!/usr/bin/python3
"""test_scp.py: legacy SCP (nanossh-scp) with the real OpenSSH scp client
in its original protocol ("scp -O"), through a fake ssh (-S) that ignores
the host and runs the remote command with nanossh-scp over a temporary
tree ("/" read-only, "/fw" read-write); -r and -p both ways; refusals;
and a malicious peer of our own sending names with ".." and "/"."""

import hashlib
import os
import shutil
import stat
import subprocess
import tempfile
import unittest

BUILDDIR = os.environ.get("NANOSSH_BUILDDIR",
                          os.path.dirname(os.path.dirname(
                              os.path.abspath(__file__))))
NANOSSH_SCP = os.path.join(BUILDDIR, "nanossh-scp")
NANOSSH_SFTP = os.path.join(BUILDDIR, "nanossh-sftp-server")
SCP = shutil.which("scp")
TIMEOUT = 60

# The fake ssh: skips ssh's options and the host, then hands the remote
# command, as one string, to nanossh-scp -c (as the monitor will).
FAKE_SSH = r"""#!/bin/sh
subsystem=
while [ $# -gt 0 ]; do
    case "$1" in
    --) shift; shift; break ;;
    -s) subsystem=1; shift ;;
    -[bcDEeFIiJLlmOopQRSWw]) shift 2 ;;
    -*) shift ;;
    *) shift; break ;;
    esac
done
if [ -n "$subsystem" ] && [ "$*" = sftp ]; then
    exec %(sftp)s -e -l verbose -M "/=%(root)s:ro" -M "/fw=%(fw)s:rw" \
        2>>%(log)s
fi
exec %(scp)s -e -l verbose -M "/=%(root)s:ro" -M "/fw=%(fw)s:rw" \
    -c "$*" 2>>%(log)s
"""


def tree_digest(top):
    out = {}
    for dirpath, dirnames, filenames in os.walk(top):
        rel = os.path.relpath(dirpath, top)
        for d in dirnames:
            out[os.path.normpath(os.path.join(rel, d))] = "dir"
        for f in filenames:
            with open(os.path.join(dirpath, f), "rb") as fh:
                out[os.path.normpath(os.path.join(rel, f))] = \
                    hashlib.sha256(fh.read()).hexdigest()
    return out


@unittest.skipUnless(SCP, "the OpenSSH scp client is not installed")
class ScpTest(unittest.TestCase):

    def setUp(self):
        self.tmp = tempfile.mkdtemp(prefix="test_scp.")
        self.addCleanup(shutil.rmtree, self.tmp, ignore_errors=True)
        for d in ("root", "fw", "outside", "local"):
            os.mkdir(self.p(d))
        self.write("root/a.txt", b"inside\n")
        self.write("outside/secret", b"OUTSIDE\n")
        os.symlink(self.p("outside/secret"), self.p("root/abs"))
        os.symlink("/etc", self.p("root/etclink"))
        self.fake = self.p("fake-ssh")
        with open(self.fake, "w") as f:
            f.write(FAKE_SSH % {"scp": NANOSSH_SCP, "sftp": NANOSSH_SFTP,
                                "root": self.p("root"),
                                "fw": self.p("fw"),
                                "log": self.p("server.log")})
        os.chmod(self.fake, 0o755)

    def p(self, rel):
        return os.path.join(self.tmp, rel)

    def write(self, rel, data):
        with open(self.p(rel), "wb") as f:
            f.write(data)

    def read(self, rel):
        with open(self.p(rel), "rb") as f:
            return f.read()

    def log(self):
        if not os.path.exists(self.p("server.log")):
            return ""
        with open(self.p("server.log")) as f:
            return f.read()

    def scp(self, *args, expect_ok=True, mode="-O"):
        r = subprocess.run([SCP, mode, "-S", self.fake] + list(args),
                           cwd=self.p("local"), capture_output=True,
                           timeout=TIMEOUT, stdin=subprocess.DEVNULL)
        err = r.stderr.decode()
        if expect_ok:
            self.assertEqual(r.returncode, 0, err + self.log())
        else:
            self.assertNotEqual(r.returncode, 0, err + self.log())
        self.assertNotRegex(self.log(),
                            r"ERROR: \w+Sanitizer|runtime error:")
        return err

    def test_upload_download_file(self):
        data = os.urandom(5 * 1024 * 1024 + 3)
        self.write("local/f.bin", data)
        self.scp("f.bin", "host:/fw/f.bin")
        self.assertEqual(self.read("fw/f.bin"), data)
        self.scp("host:/fw/f.bin", "back.bin")
        self.assertEqual(self.read("local/back.bin"), data)
        self.assertIn('scp receive "/fw/f.bin" bytes %d: ok' % len(data),
                      self.log())

    def test_preserve_both_ways(self):
        self.write("local/p", b"keep my mode")
        os.chmod(self.p("local/p"), 0o640)
        os.utime(self.p("local/p"), (1500000000, 1600000000))
        self.scp("-p", "p", "host:/fw/")
        st = os.stat(self.p("fw/p"))
        self.assertEqual(stat.S_IMODE(st.st_mode), 0o640)
        self.assertEqual(int(st.st_mtime), 1600000000)
        os.utime(self.p("fw/p"), (1400000000, 1450000000))
        self.scp("-p", "host:/fw/p", "p2")
        self.assertEqual(int(os.stat(self.p("local/p2")).st_mtime),
                         1450000000)

    def test_recursive_both_ways(self):
        src = self.p("local/tree")
        os.makedirs(os.path.join(src, "a/b"))
        for i, rel in enumerate(("x", "a/y", "a/b/z")):
            with open(os.path.join(src, rel), "wb") as f:
                f.write(os.urandom(3000 * (i + 1)))
        self.scp("-r", "-p", "tree", "host:/fw/")
        self.assertEqual(tree_digest(self.p("fw/tree")), tree_digest(src))
        self.scp("-r", "host:/fw/tree", "back")
        self.assertEqual(tree_digest(self.p("local/back")), tree_digest(src))

    def test_readonly_refused(self):
        self.write("local/f", b"x")
        err = self.scp("f", "host:/f", expect_ok=False)
        self.assertIn("Permission denied", err)
        self.assertFalse(os.path.exists(self.p("root/f")))

    def test_escapes_refused(self):
        self.write("local/f", b"x")
        for remote in ("/abs", "/etclink/passwd", "/../outside/secret",
                       "../../../../etc/passwd"):
            self.scp("host:" + remote, "got", expect_ok=False)
            self.assertFalse(os.path.exists(self.p("local/got")), remote)
        self.scp("f", "host:/fw/../../outside/f", expect_ok=False)
        self.assertEqual(os.listdir(self.p("outside")), ["secret"])

    def test_no_shell_injection(self):
        self.write("local/f", b"x")
        pwned = self.p("pwned")
        for remote in ("/fw/x;touch %s" % pwned, "/fw/$(touch %s)" % pwned,
                       "/fw/`touch %s`" % pwned):
            self.scp("f", "host:" + remote, expect_ok=False)
        self.assertFalse(os.path.exists(pwned))
        # A name with shell characters but no space is just a name.
        self.scp("f", "host:/fw/a;b$(c)")
        self.assertEqual(self.read("fw/a;b$(c)"), b"x")

    def test_sftp_mode(self):
        """OpenSSH 9's default scp mode goes through the SFTP server."""
        src = self.p("local/tree")
        os.makedirs(os.path.join(src, "d"))
        with open(os.path.join(src, "d/f"), "wb") as f:
            f.write(os.urandom(100000))
        self.scp("-r", "-p", "tree", "host:/fw/", mode="-s")
        self.assertEqual(tree_digest(self.p("fw/tree")), tree_digest(src))
        self.scp("-r", "host:/fw/tree", "back", mode="-s")
        self.assertEqual(tree_digest(self.p("local/back")), tree_digest(src))
        self.assertIn('close "/fw/tree/d/f" read 0 written 100000: ok',
                      self.log())
        self.scp("host:/abs", "got", mode="-s", expect_ok=False)
        self.assertFalse(os.path.exists(self.p("local/got")))

    def test_source_pattern(self):
        for name in ("a.log", "b.log", "c.txt", ".hidden.log"):
            self.write("fw/" + name, name.encode())
        self.scp("host:/fw/*.log", ".")
        self.assertEqual(sorted(os.listdir(self.p("local"))),
                         ["a.log", "b.log"])
        self.assertEqual(self.read("local/b.log"), b"b.log")
        err = self.scp("host:/fw/*.none", ".", expect_ok=False)
        self.assertIn("No match", err)
        # a pattern never leaves the directory it names
        self.scp("host:/fw/../../outside/*", ".", expect_ok=False)
        self.assertNotIn("secret", os.listdir(self.p("local")))

    def test_target_must_be_directory(self):
        self.write("local/f", b"x")
        self.write("local/g", b"y")
        self.write("fw/file", b"z")
        self.scp("f", "g", "host:/fw/file", expect_ok=False)
        self.assertEqual(self.read("fw/file"), b"z")


class MaliciousPeerTest(unittest.TestCase):
    """Our own client, speaking to nanossh-scp's sink, sends names that
    would write outside the target (CVE-2019-6111 style)."""

    def setUp(self):
        self.tmp = tempfile.mkdtemp(prefix="test_scp_peer.")
        self.addCleanup(shutil.rmtree, self.tmp, ignore_errors=True)
        os.makedirs(os.path.join(self.tmp, "root/fw"))

    def sink(self, lines, recursive=False):
        cmd = "scp %s-t /fw" % ("-r " if recursive else "")
        proc = subprocess.Popen(
            [NANOSSH_SCP, "-e", "-M", "/=%s:rw" %
             os.path.join(self.tmp, "root"), "-c", cmd],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE,
            stderr=subprocess.PIPE)
        out, err = proc.communicate(lines, timeout=TIMEOUT)
        return proc.returncode, out, err

    def files(self):
        out = []
        for dirpath, dirnames, filenames in os.walk(self.tmp):
            out += [os.path.relpath(os.path.join(dirpath, f), self.tmp)
                    for f in filenames + dirnames]
        return sorted(out)

    def test_dotdot_name_refused(self):
        rc, out, _ = self.sink(b"C0644 5 ../evil\nhello\0")
        self.assertNotEqual(rc, 0)
        self.assertEqual(out[:1], b"\0")       # ready
        self.assertEqual(out[1:2], b"\2")      # fatal: protocol error
        self.assertEqual(self.files(), ["root", "root/fw"])

    def test_slash_name_refused(self):
        for name in (b"a/b", b"/etc/evil", b"..", b"."):
            rc, out, _ = self.sink(b"C0644 5 " + name + b"\nhello\0")
            self.assertNotEqual(rc, 0, name)
            self.assertEqual(out[1:2], b"\2", name)
        rc, out, _ = self.sink(b"D0755 0 ..\nC0644 5 x\nhello\0E\n",
                               recursive=True)
        self.assertNotEqual(rc, 0)
        self.assertEqual(self.files(), ["root", "root/fw"])

    def test_directory_without_r_refused(self):
        rc, out, _ = self.sink(b"D0755 0 d\nE\n")
        self.assertNotEqual(rc, 0)
        self.assertEqual(self.files(), ["root", "root/fw"])

    def test_good_name_accepted(self):
        rc, out, _ = self.sink(b"C0644 5 ok\nhello\0")
        self.assertEqual(rc, 0)
        self.assertEqual(out, b"\0\0\0")
        with open(os.path.join(self.tmp, "root/fw/ok"), "rb") as f:
            self.assertEqual(f.read(), b"hello")

    def test_unsupported_command(self):
        proc = subprocess.run([NANOSSH_SCP, "-e", "-c", "rm -rf /"],
                              capture_output=True, timeout=TIMEOUT)
        self.assertNotEqual(proc.returncode, 0)
        self.assertEqual(proc.stdout[:1], b"\2")


if __name__ == "__main__":
    unittest.main(verbosity=2)
