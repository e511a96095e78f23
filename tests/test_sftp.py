#!/usr/bin/python3
"""test_sftp.py: the OpenSSH sftp client against nanossh-sftp-server,
connected directly ("sftp -D program"), over a temporary tree of mounts:

    /      -> root/   ro   (a.txt; links that point outside it)
    /fw    -> fw/     rw
    /log   -> log/    inherit (from "/": ro)
    /admin -> admin/  rw, only for a group we are not in (invisible)
    /mine  -> mine/   rw, only for our own group

Transfers with content checked, listings, directory and link operations,
df, chmod, resume, recursion; read-only refusal; escape attempts; the
audit log; malformed packets sent by hand."""

import hashlib
import os
import re
import resource
import shutil
import stat
import struct
import subprocess
import sys
import tempfile
import unittest

BUILDDIR = os.environ.get("NANOSSH_BUILDDIR",
                          os.path.dirname(os.path.dirname(
                              os.path.abspath(__file__))))
SERVER = os.path.join(BUILDDIR, "nanossh-sftp-server")
SFTP = shutil.which("sftp")
TIMEOUT = 60


def sha(path):
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def tree_digest(top):
    """{relative path: sha256 or "dir"} of a real tree."""
    out = {}
    for dirpath, dirnames, filenames in os.walk(top):
        rel = os.path.relpath(dirpath, top)
        for d in dirnames:
            out[os.path.normpath(os.path.join(rel, d))] = "dir"
        for f in filenames:
            out[os.path.normpath(os.path.join(rel, f))] = sha(
                os.path.join(dirpath, f))
    return out


@unittest.skipUnless(SFTP, "the OpenSSH sftp client is not installed")
class SftpTest(unittest.TestCase):

    def setUp(self):
        self.tmp = tempfile.mkdtemp(prefix="test_sftp.")
        self.addCleanup(shutil.rmtree, self.tmp, ignore_errors=True)
        for d in ("root", "fw", "log", "admin", "mine", "outside", "local"):
            os.mkdir(self.p(d))
        self.write("root/a.txt", b"inside\n")
        self.write("log/messages", b"log line\n")
        self.write("admin/secret", b"admin only\n")
        self.write("outside/secret", b"OUTSIDE\n")
        os.symlink(self.p("outside/secret"), self.p("root/abs"))
        os.symlink("../outside/secret", self.p("root/rel"))
        os.symlink("/etc", self.p("root/etclink"))
        os.symlink("../outside", self.p("root/updir"))
        self.outside_before = tree_digest(self.p("outside"))
        self.addCleanup(self.check_outside)

    def check_outside(self):
        self.assertEqual(tree_digest(self.p("outside")), self.outside_before,
                         "the tree outside the mounts changed")

    def p(self, rel):
        return os.path.join(self.tmp, rel)

    def write(self, rel, data):
        with open(self.p(rel), "wb") as f:
            f.write(data)

    def read(self, rel):
        with open(self.p(rel), "rb") as f:
            return f.read()

    def mounts(self):
        return ["-M", "/=%s:ro" % self.p("root"),
                "-M", "/fw=%s:rw" % self.p("fw"),
                "-M", "/log=%s:inherit" % self.p("log"),
                "-M", "/admin=%s:rw:%d" % (self.p("admin"), 3999999),
                "-M", "/mine=%s:rw:%d" % (self.p("mine"), os.getegid())]

    def sftp(self, batch, args=None, expect_ok=True, env=None):
        """Runs sftp -b on the batch lines; (stdout, stderr, log)."""
        args = self.mounts() if args is None else args
        log = self.p("server.log")
        bpath = self.p("batch")
        with open(bpath, "w") as f:
            f.write("\n".join(batch) + "\n")
        # sftp -D runs the command through no shell of ours: a wrapper
        # collects the server's stderr (the audit log) in a file.
        wrapper = self.p("server.sh")
        with open(wrapper, "w") as f:
            f.write("#!/bin/sh\nexec %s -e -l verbose %s 2>>%s\n" % (
                SERVER, " ".join("'%s'" % a for a in args), log))
        os.chmod(wrapper, 0o755)
        r = subprocess.run([SFTP, "-D", wrapper, "-b", bpath],
                           cwd=self.p("local"), capture_output=True,
                           timeout=TIMEOUT, env=env)
        out, err = r.stdout.decode(), r.stderr.decode()
        logtext = ""
        if os.path.exists(log):
            with open(log) as f:
                logtext = f.read()
        if expect_ok:
            self.assertEqual(r.returncode, 0, err + logtext)
        else:
            self.assertNotEqual(r.returncode, 0, out)
        self.assertNotRegex(logtext, r"ERROR: \w+Sanitizer|runtime error:")
        return out, err, logtext

    def test_put_get_content(self):
        data = os.urandom(3 * 1024 * 1024 + 17)
        self.write("local/up.bin", data)
        self.sftp(["put up.bin /fw/up.bin", "get /fw/up.bin down.bin",
                   "get /a.txt a.txt"])
        self.assertEqual(self.read("fw/up.bin"), data)
        self.assertEqual(self.read("local/down.bin"), data)
        self.assertEqual(self.read("local/a.txt"), b"inside\n")

    def test_large_file_integrity(self):
        with open(self.p("local/big"), "wb") as f:
            for _ in range(32):
                f.write(os.urandom(1 << 20))
        self.sftp(["put big /fw/big", "get /fw/big big.back"])
        self.assertEqual(sha(self.p("fw/big")), sha(self.p("local/big")))
        self.assertEqual(sha(self.p("local/big.back")),
                         sha(self.p("local/big")))

    def test_resume(self):
        data = os.urandom(200000)
        self.write("fw/r.bin", data)
        self.write("local/r.bin", data[:70000])
        self.write("local/w.bin", data)
        self.write("fw/w.bin", data[:1234])
        self.sftp(["reget /fw/r.bin r.bin", "reput w.bin /fw/w.bin"])
        self.assertEqual(self.read("local/r.bin"), data)
        self.assertEqual(self.read("fw/w.bin"), data)

    def test_ls_l_shows_tree(self):
        out, _, _ = self.sftp(["ls -l /", "ls -l /fw"])
        names = set(re.findall(r"^\S+\s+.*\s(\S+)$", out, re.M))
        for want in ("/a.txt", "/fw", "/log", "/mine", "/abs"):
            self.assertIn(want, names, out)
        self.assertNotIn("/admin", names, out)
        self.assertRegex(out, r"(?m)^-rw-r--r--\s.*\s7\s.*/a\.txt$")
        self.assertRegex(out, r"(?m)^lrwxrwxrwx\s.*/abs$")

    def test_group_restricted_mount_invisible(self):
        out, err, _ = self.sftp(["-ls /admin", "-get /admin/secret s",
                                 "ls /mine"])
        self.assertFalse(os.path.exists(self.p("local/s")))
        self.assertIn("not found", err)

    def test_mkdir_rmdir_rename_rm(self):
        self.write("local/f", b"x")
        self.sftp(["mkdir /fw/d", "mkdir /fw/d/e", "put f /fw/d/e/f",
                   "rename /fw/d/e/f /fw/g", "rmdir /fw/d/e",
                   "rm /fw/g", "mkdir /fw/keep"])
        self.assertEqual(os.listdir(self.p("fw/d")), [])
        self.assertFalse(os.path.exists(self.p("fw/g")))
        self.assertTrue(os.path.isdir(self.p("fw/keep")))

    def test_symlink_and_hardlink(self):
        self.write("fw/target", b"t")
        self.sftp(["ln -s target /fw/sym", "ln /fw/target /fw/hard",
                   "get /fw/sym via-sym"])
        self.assertEqual(os.readlink(self.p("fw/sym")), "target")
        self.assertEqual(os.stat(self.p("fw/hard")).st_ino,
                         os.stat(self.p("fw/target")).st_ino)
        self.assertEqual(self.read("local/via-sym"), b"t")

    def test_df(self):
        out, _, _ = self.sftp(["df /fw", "df -i /"])
        self.assertIn("Size", out)
        self.assertIn("Inodes", out)

    def test_chmod(self):
        self.write("fw/m", b"m")
        os.chmod(self.p("fw/m"), 0o644)
        self.sftp(["chmod 600 /fw/m"])
        self.assertEqual(stat.S_IMODE(os.stat(self.p("fw/m")).st_mode),
                         0o600)

    def test_recursive_put_get(self):
        src = self.p("local/tree")
        os.makedirs(os.path.join(src, "a/b/c"))
        for i, rel in enumerate(("x", "a/y", "a/b/z", "a/b/c/w")):
            with open(os.path.join(src, rel), "wb") as f:
                f.write(os.urandom(1000 * (i + 1)))
        self.sftp(["put -r tree /fw/", "get -r /fw/tree back"])
        self.assertEqual(tree_digest(self.p("fw/tree")), tree_digest(src))
        self.assertEqual(tree_digest(self.p("local/back")), tree_digest(src))

    def test_readonly_refused(self):
        self.write("local/f", b"x")
        _, err, _ = self.sftp(["-put f /new", "-put f /log/new",
                               "-rm /a.txt", "-mkdir /d", "-chmod 777 /a.txt",
                               "-rename /a.txt /fw/a.txt",
                               "-ln -s x /lnk"])
        self.assertGreaterEqual(err.count("Permission denied"), 5, err)
        self.assertEqual(sorted(os.listdir(self.p("root"))),
                         ["a.txt", "abs", "etclink", "rel", "updir"])
        self.assertEqual(os.listdir(self.p("log")), ["messages"])
        self.assertEqual(stat.S_IMODE(os.stat(self.p("root/a.txt")).st_mode),
                         0o644)

    def test_readonly_flag(self):
        self.write("local/f", b"x")
        _, err, _ = self.sftp(["-put f /fw/f"],
                              args=self.mounts() + ["-R"])
        self.assertIn("Permission denied", err)
        self.assertEqual(os.listdir(self.p("fw")), [])

    def test_escape_attempts(self):
        self.write("local/f", b"x")
        batch = ["-get /abs g1", "-get /rel g2", "-get /etclink/passwd g3",
                 "-get /updir/secret g4", "-get ../../../../etc/passwd g5",
                 "-get /../outside/secret g6",
                 "ln -s %s /fw/made-abs" % self.p("outside/secret"),
                 "ln -s ../outside/secret /fw/made-rel",
                 "ln -s /etc/passwd /fw/made-etc",
                 "-get /fw/made-abs g7", "-get /fw/made-rel g8",
                 "-get /fw/made-etc g9",
                 "-ln /abs /fw/hard-abs", "-get /fw/hard-abs g10",
                 "-put f /updir/new", "-put f /fw/made-rel",
                 "-rename /fw/made-abs ../../outside/moved",
                 "-cd /etclink", "-ls /updir/"]
        _, err, _ = self.sftp(batch)
        self.assertEqual([f for f in os.listdir(self.p("local"))
                          if f.startswith("g")], [])
        self.assertFalse(os.path.exists(self.p("outside/new")))
        self.assertFalse(os.path.exists(self.p("outside/moved")))
        # the attempted rename stays within the virtual tree ("/moved",
        # which is read-only)
        self.assertTrue(os.path.islink(self.p("fw/made-abs")))

    def test_symlink_swap_race(self):
        """A directory swapped with a link to the outside while the client
        keeps fetching through it: only inside content ever arrives."""
        os.mkdir(self.p("fw/sw"))
        self.write("fw/sw/secret", b"inside\n")
        os.symlink(self.p("outside"), self.p("fw/swlink"))
        swapper = subprocess.Popen(
            [sys.executable, "-c",
             "import ctypes, os, sys\n"
             "libc = ctypes.CDLL(None, use_errno=True)\n"
             "a, b = sys.argv[1].encode(), sys.argv[2].encode()\n"
             "while True:\n"
             "    libc.renameat2(-100, a, -100, b, 2)\n",
             self.p("fw/sw"), self.p("fw/swlink")])
        try:
            batch = []
            for i in range(150):
                batch += ["-get /fw/sw/secret s%d" % i,
                          "-get /fw/swlink/secret l%d" % i]
            self.sftp(batch)
        finally:
            swapper.kill()
            swapper.wait()
        got = [f for f in os.listdir(self.p("local"))]
        self.assertTrue(got, "no fetch succeeded at all")
        for f in got:
            self.assertEqual(self.read("local/" + f), b"inside\n", f)

    def test_audit_log(self):
        self.write("local/f", b"12345")
        _, _, log = self.sftp(["put f /fw/f", "get /fw/f f2", "rm /fw/f",
                               "-rm /a.txt"])
        self.assertRegex(log, r'open "/fw/f" write: ok')
        self.assertRegex(log, r'close "/fw/f" read 0 written 5: ok')
        self.assertRegex(log, r'close "/fw/f" read 5 written 0: ok')
        self.assertRegex(log, r'remove "/fw/f": ok')
        self.assertRegex(log, r'remove "/a.txt": Permission denied')
        self.assertRegex(log, r"session totals: \d+ operations \(1 failed\),"
                         r" 1 files read \(5 bytes\), 1 files written "
                         r"\(5 bytes\)")
        self.assertNotIn(self.tmp, log, "a real path in the audit log")

    def test_start_dir(self):
        out, _, _ = self.sftp(["pwd", "ls"],
                              args=self.mounts() + ["-d", "/log"])
        self.assertIn("Remote working directory: /log", out)
        self.assertIn("messages", out)

    def test_plain_mode_is_home(self):
        env = dict(os.environ, HOME=self.p("fw"))
        self.write("fw/h", b"home file")
        out, _, _ = self.sftp(["pwd", "get h", "get %s o" %
                               self.p("outside/secret")], args=[], env=env)
        self.assertIn("Remote working directory: %s" % self.p("fw"), out)
        self.assertEqual(self.read("local/h"), b"home file")
        self.assertEqual(self.read("local/o"), b"OUTSIDE\n")

    def test_umask(self):
        self.write("local/f", b"x")
        os.chmod(self.p("local/f"), 0o666)
        self.sftp(["put f /fw/f", "mkdir /fw/d"],
                  args=self.mounts() + ["-u", "027"])
        self.assertEqual(stat.S_IMODE(os.stat(self.p("fw/f")).st_mode),
                         0o640)
        self.assertEqual(stat.S_IMODE(os.stat(self.p("fw/d")).st_mode),
                         0o750)

    def test_write_only_drop_box(self):
        self.write("local/f", b"dropped")
        _, err, _ = self.sftp(["put f /drop/f", "-get /drop/f back",
                               "-ls /drop"],
                              args=["-M", "/drop=%s:wo" % self.p("fw")])
        self.assertEqual(self.read("fw/f"), b"dropped")
        self.assertFalse(os.path.exists(self.p("local/back")))
        self.assertIn("Permission denied", err)

    def test_virtual_without_mounts_is_empty(self):
        out, err, _ = self.sftp(["pwd", "ls -l /", "-get %s o" %
                                 self.p("outside/secret"), "-ls /etc"],
                                args=["-V"])
        self.assertIn("Remote working directory: /", out)
        self.assertFalse(os.path.exists(self.p("local/o")))
        self.assertIn("not found", err)

    def test_bad_mount_target_fails(self):
        _, _, log = self.sftp(["ls"], args=["-M", "/x=%s:rw" %
                                            self.p("nonexistent")],
                              expect_ok=False)
        self.assertIn("No such file or directory", log)

    def test_swapped_mount_target_refused(self):
        # A target under a directory any user may write, swapped for a
        # link to /etc before the session: no session, nothing read.
        os.mkdir(self.p("spool"))
        os.chmod(self.p("spool"), 0o777)
        os.symlink("/etc", self.p("spool/alice"))
        _, _, log = self.sftp(["get /passwd"],
                              args=["-M", "/=%s:ro" % self.p("spool/alice")],
                              expect_ok=False)
        self.assertIn("refused: a symbolic link a user could have planted",
                      log)
        self.assertFalse(os.path.exists(self.p("local/passwd")))


@unittest.skipUnless(SFTP and os.geteuid() == 0 and shutil.which("setpriv"),
                     "needs root (to run the server as nobody) and setpriv")
class AsUserTest(unittest.TestCase):
    """The server as an unprivileged user (nobody, with supplementary group
    4242), as the monitor will run it: group-restricted mounts follow the
    process's real groups and the kernel's permission checks still apply
    inside read-write mounts."""

    def setUp(self):
        self.tmp = tempfile.mkdtemp(prefix="test_sftp_user.")
        self.addCleanup(shutil.rmtree, self.tmp, ignore_errors=True)
        os.chmod(self.tmp, 0o755)
        for d in ("g", "h", "rw", "local"):
            os.mkdir(os.path.join(self.tmp, d))
        os.chown(os.path.join(self.tmp, "rw"), 65534, 65534)
        os.chmod(os.path.join(self.tmp, "local"), 0o777)
        with open(os.path.join(self.tmp, "rw/root-only"), "w") as f:
            f.write("secret\n")
        os.chmod(os.path.join(self.tmp, "rw/root-only"), 0o600)
        os.mkdir(os.path.join(self.tmp, "rw/root-dir"), 0o755)
        with open(os.path.join(self.tmp, "rw/root-dir/keep"), "w") as f:
            f.write("keep\n")
        with open(os.path.join(self.tmp, "local/f"), "w") as f:
            f.write("x")
        os.chmod(os.path.join(self.tmp, "local/f"), 0o644)

    def sftp(self, batch):
        t = self.tmp
        server = ("setpriv --reuid=65534 --regid=65534 --groups=4242 %s -e "
                  "-M /g=%s/g:rw:4242 -M /h=%s/h:rw:4343,nosuchgroup "
                  "-M /rw=%s/rw:rw" % (SERVER, t, t, t))
        with open(os.path.join(t, "batch"), "w") as f:
            f.write("\n".join(batch) + "\n")
        r = subprocess.run([SFTP, "-D", server, "-b",
                            os.path.join(t, "batch")],
                           cwd=os.path.join(t, "local"), capture_output=True,
                           timeout=TIMEOUT)
        return r.returncode, r.stdout.decode(), r.stderr.decode()

    def test_groups_from_the_process(self):
        rc, out, err = self.sftp(["ls /", "-ls /h"])
        self.assertEqual(rc, 0, err)
        self.assertIn("/g", out)
        self.assertNotIn("/h", out.replace("-ls /h", ""))
        self.assertIn("not found", err)

    def test_kernel_permissions_apply(self):
        rc, out, err = self.sftp(["put f /rw/mine", "-get /rw/root-only o",
                                  "-put f /rw/root-dir/x",
                                  "-rm /rw/root-dir/keep"])
        self.assertEqual(rc, 0, err)
        self.assertGreaterEqual(err.count("Permission denied"), 3, err)
        self.assertEqual(os.stat(os.path.join(self.tmp, "rw/mine")).st_uid,
                         65534)
        self.assertFalse(os.path.exists(os.path.join(self.tmp, "local/o")))
        self.assertEqual(os.listdir(os.path.join(self.tmp, "rw/root-dir")),
                         ["keep"])


    def test_chown_as_allowed(self):
        rc, out, err = self.sftp(["put f /rw/mine", "chgrp 4242 /rw/mine",
                                  "-chown 0 /rw/mine"])
        self.assertEqual(rc, 0, err)
        st = os.stat(os.path.join(self.tmp, "rw/mine"))
        self.assertEqual((st.st_uid, st.st_gid), (65534, 4242))
        self.assertIn("Permission denied", err)


class RawTest(unittest.TestCase):
    """Packets written by hand to the server's stdin."""

    def run_raw(self, data):
        tmp = tempfile.mkdtemp(prefix="test_sftp_raw.")
        self.addCleanup(shutil.rmtree, tmp, ignore_errors=True)
        r = subprocess.run([SERVER, "-e", "-M", "/=%s:rw" % tmp],
                           input=data, capture_output=True, timeout=TIMEOUT)
        return r

    @staticmethod
    def pkt(t, body):
        return struct.pack(">IB", len(body) + 1, t) + body

    @staticmethod
    def s(b):
        return struct.pack(">I", len(b)) + b

    def init(self):
        return self.pkt(1, struct.pack(">I", 3))

    def replies(self, out):
        res = []
        while out:
            n = struct.unpack(">I", out[:4])[0]
            res.append(out[4:4 + n])
            out = out[4 + n:]
        return res

    def test_trailing_data_answered_bad_message(self):
        r = self.run_raw(self.init() + self.pkt(
            17, struct.pack(">I", 9) + self.s(b"/") + b"x"))
        reps = self.replies(r.stdout)
        self.assertEqual(reps[0][0], 2)           # VERSION
        self.assertEqual(reps[1][0], 101)         # STATUS
        self.assertEqual(struct.unpack(">II", reps[1][1:9]), (9, 5))
        self.assertEqual(r.returncode, 0)

    def open_write(self, i, path):
        return self.pkt(3, struct.pack(">I", i) + self.s(path) +
                        struct.pack(">II", 0x1a, 0))

    def status(self, rep):
        code = struct.unpack(">I", rep[5:9])[0]
        n = struct.unpack(">I", rep[9:13])[0]
        return code, rep[13:13 + n].decode()

    @unittest.skipUnless(os.path.exists("/dev/full"), "no /dev/full")
    def test_out_of_space_reported(self):
        # the real filesystem (no -M): /dev/full always says ENOSPC
        write = self.pkt(6, struct.pack(">I", 2) + self.s(b"\0\0\0\0") +
                         struct.pack(">Q", 0) + self.s(b"x" * 1000))
        r = subprocess.run([SERVER, "-e"], input=self.init() +
                           self.open_write(1, b"/dev/full") + write,
                           capture_output=True, timeout=TIMEOUT)
        reps = self.replies(r.stdout)
        self.assertEqual(reps[1][0], 102, reps)      # HANDLE
        self.assertEqual(self.status(reps[2]),
                         (4, os.strerror(28)))        # FAILURE, ENOSPC
        self.assertEqual(r.returncode, 0)

    def test_file_size_limit_reported(self):
        tmp = tempfile.mkdtemp(prefix="test_sftp_raw.")
        self.addCleanup(shutil.rmtree, tmp, ignore_errors=True)
        chunk = b"y" * 60000
        data = b""
        for i in range(3):
            data += self.pkt(6, struct.pack(">I", 2 + i) +
                             self.s(b"\0\0\0\0") +
                             struct.pack(">Q", i * len(chunk)) + self.s(chunk))
        def limit():
            resource.setrlimit(resource.RLIMIT_FSIZE,
                               (100 * 1024, 100 * 1024))
        r = subprocess.run([SERVER, "-e", "-M", "/=%s:rw" % tmp],
                           input=self.init() + self.open_write(1, b"/f") +
                           data, capture_output=True, timeout=TIMEOUT,
                           preexec_fn=limit)
        reps = self.replies(r.stdout)
        self.assertEqual([self.status(x)[0] for x in reps[2:]], [0, 4, 4])
        self.assertEqual(self.status(reps[3])[1], os.strerror(27))  # EFBIG
        self.assertEqual(r.returncode, 0)
        # what was written before the limit is intact
        with open(os.path.join(tmp, "f"), "rb") as f:
            got = f.read()
        self.assertEqual(got[:60000], chunk)
        self.assertEqual(len(got), 100 * 1024)

    def test_oversized_packet_ends_session(self):
        r = self.run_raw(self.init() + struct.pack(">IB", 300 * 1024, 5) +
                         b"\0" * 64)
        self.assertEqual(len(self.replies(r.stdout)), 1)
        self.assertNotEqual(r.returncode, 0)
        self.assertIn(b"malformed or oversized", r.stderr)

    def test_request_before_init_ends_session(self):
        r = self.run_raw(self.pkt(17, struct.pack(">I", 1) + self.s(b"/")))
        self.assertEqual(r.stdout, b"")
        self.assertNotEqual(r.returncode, 0)

    def test_usage(self):
        r = subprocess.run([SERVER, "-x"], capture_output=True,
                           timeout=TIMEOUT)
        self.assertNotEqual(r.returncode, 0)
        self.assertIn(b"usage", r.stderr)
        r = subprocess.run([SERVER, "-e", "-M", "/=nocolon"], capture_output=True,
                           timeout=TIMEOUT, input=b"")
        self.assertNotEqual(r.returncode, 0)
        self.assertIn(b"bad mount", r.stderr)
        r = subprocess.run([SERVER, "-e", "-f", "nosuch"],
                           capture_output=True, timeout=TIMEOUT, input=b"")
        self.assertNotEqual(r.returncode, 0)
        self.assertIn(b"unknown log facility", r.stderr)
        r = subprocess.run([SERVER, "-e", "-f", "LOCAL3", "-V"],
                           capture_output=True, timeout=TIMEOUT, input=b"")
        self.assertEqual(r.returncode, 0, r.stderr)


if __name__ == "__main__":
    unittest.main(verbosity=2)
