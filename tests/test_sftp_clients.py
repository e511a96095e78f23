#!/usr/bin/python3
"""test_sftp_clients.py: the sftp subsystem of nanosshd with the clients
people use: OpenSSH's sftp (batch mode), scp in SFTP and legacy mode,
paramiko's SFTPClient, PuTTY's psftp and pscp, and sshfs where FUSE works.
With sftp.mounts the clients see only the virtual tree; escapes fail; a
group-restricted mount is invisible; read-only mounts refuse writes;
sftp.force makes an account SFTP-only; the audit log names every
operation."""

import hashlib
import os
import pwd
import re
import shutil
import subprocess
import sys
import threading
import time
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from harness import SSH_KEYGEN, wait_until  # noqa: E402
from test_exec import ExecServer  # noqa: E402

SSH = os.environ.get("SSH") or "ssh"
SFTP = os.path.join(os.path.dirname(SSH), "sftp")
SCP = os.path.join(os.path.dirname(SSH), "scp")
USER = pwd.getpwuid(os.getuid()).pw_name


def need(program):
    path = shutil.which(program)
    if path is None:
        raise unittest.SkipTest("%s is not installed" % program)
    return path


def write(path, data):
    with open(path, "wb") as f:
        f.write(data)


def read(path):
    with open(path, "rb") as f:
        return f.read()


class SftpServer(ExecServer):
    """nanosshd with a virtual tree:
        /          -> root/ (ro)   holds "readme" and an escaping symlink
        /rw        -> rw/   (rw)
        /rw/inner  -> inner/ (inherits rw)
        /secret    -> secret/ (only for a group nobody is in)
    """

    def __init__(self, mounts=True, **kw):
        super().__init__(**kw)
        self.root = os.path.join(self.tmp, "root")
        self.rw = os.path.join(self.tmp, "rw")
        self.inner = os.path.join(self.tmp, "inner")
        self.secret = os.path.join(self.tmp, "secret")
        self.outside = os.path.join(self.tmp, "outside")
        for d in (self.root, self.rw, self.inner, self.secret, self.outside):
            os.mkdir(d)
        write(os.path.join(self.root, "readme"), b"hello from root\n")
        write(os.path.join(self.secret, "s"), b"secret\n")
        write(os.path.join(self.outside, "private"), b"outside data\n")
        os.symlink(os.path.join(self.outside, "private"),
                   os.path.join(self.root, "abs-link"))
        os.symlink("../outside/private", os.path.join(self.rw, "rel-link"))
        sftp = {"enabled": True}
        if mounts:
            sftp["mounts"] = [
                {"path": "/", "target": self.root, "access": "ro"},
                {"path": "/rw", "target": self.rw, "access": "rw"},
                {"path": "/rw/inner", "target": self.inner},
                {"path": "/secret", "target": self.secret, "access": "rw",
                 "groups": ["nanossh-nobody-%d" % os.getpid()]},
            ]
        self.update_settings({"sftp": sftp, "log_level": "verbose"})
        self.write_config()

    def ssh_opts(self):
        return ["-F", "/dev/null", "-i", self.user_key,
                "-o", "BatchMode=yes", "-o", "IdentitiesOnly=yes",
                "-o", "IdentityAgent=none",
                "-o", "StrictHostKeyChecking=yes",
                "-o", "UserKnownHostsFile=" + self.known_hosts()]

    def sftp_batch(self, commands, timeout=120):
        """Runs OpenSSH's sftp with a batch file; a command prefixed with
        "-" may fail without ending the batch."""
        batch = os.path.join(self.tmp, "batch")
        with open(batch, "w") as f:
            f.write("\n".join(commands) + "\n")
        argv = [SFTP] + self.ssh_opts() + ["-P", str(self.port), "-b",
                                           batch, "%s@%s" % (USER,
                                                             self.host)]
        return subprocess.run(argv, capture_output=True, timeout=timeout,
                              stdin=subprocess.DEVNULL)

    def scp(self, *args, legacy=False, timeout=120):
        argv = [SCP] + self.ssh_opts() + ["-P", str(self.port)]
        if legacy:
            argv.append("-O")
        return subprocess.run(argv + list(args), capture_output=True,
                              timeout=timeout, stdin=subprocess.DEVNULL)

    def remote(self, path):
        return "%s@%s:%s" % (USER, self.host, path)


class VirtualTree(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.srv = SftpServer()
        cls.srv.start()
        cls.local = os.path.join(cls.srv.tmp, "local")
        os.mkdir(cls.local)

    @classmethod
    def tearDownClass(cls):
        cls.srv.close()

    def ok(self, r):
        self.assertEqual(r.returncode, 0, r.stderr + r.stdout)
        return r.stdout.decode(errors="replace")

    # -- OpenSSH sftp ------------------------------------------------------

    def test_tree_matches_the_config(self):
        out = self.ok(self.srv.sftp_batch(["pwd", "ls -1 /", "ls -1 /rw"]))
        self.assertIn("Remote working directory: /", out)
        names = set(os.path.basename(n) for n in out.split())
        self.assertIn("readme", names)
        self.assertIn("rw", names)
        self.assertIn("inner", names)
        self.assertNotIn("secret", names)
        self.assertNotIn(self.srv.tmp, out)

    def test_put_get_integrity(self):
        data = os.urandom(100 * 1024 * 1024 + 123)
        src = os.path.join(self.local, "big")
        write(src, data)
        back = os.path.join(self.local, "big.back")
        self.ok(self.srv.sftp_batch(["put %s /rw/big" % src,
                                     "get /rw/big %s" % back]))
        want = hashlib.sha256(data).hexdigest()
        self.assertEqual(hashlib.sha256(read(os.path.join(
            self.srv.rw, "big"))).hexdigest(), want)
        self.assertEqual(hashlib.sha256(read(back)).hexdigest(), want)
        os.unlink(os.path.join(self.srv.rw, "big"))

    def test_resume_reget_reput(self):
        data = os.urandom(2 * 1024 * 1024)
        src = os.path.join(self.local, "resume")
        write(src, data)
        write(os.path.join(self.srv.rw, "resume"), data[:700000])
        part = os.path.join(self.local, "resume.part")
        write(part, data[:300000])
        self.ok(self.srv.sftp_batch(["reput %s /rw/resume" % src,
                                     "reget /rw/resume %s" % part]))
        self.assertEqual(read(os.path.join(self.srv.rw, "resume")), data)
        self.assertEqual(read(part), data)

    def test_directory_operations(self):
        src = os.path.join(self.local, "f")
        write(src, b"abc\n")
        out = self.ok(self.srv.sftp_batch([
            "mkdir /rw/d", "put %s /rw/d/f" % src, "chmod 600 /rw/d/f",
            "rename /rw/d/f /rw/d/g", "ln -s g /rw/d/sym",
            "ln /rw/d/g /rw/d/hard", "ls -l /rw/d", "df /rw",
            "rm /rw/d/sym", "rm /rw/d/hard", "rm /rw/d/g", "rmdir /rw/d"]))
        # OpenSSH's client formats ls -l itself once the server offers
        # users-groups-by-id (no link count, no "-> target").
        self.assertRegex(out, r"-rw-------.*\s4 .* /rw/d/g\b")
        self.assertRegex(out, r"lrwx.* /rw/d/sym\b")
        self.assertFalse(os.path.exists(os.path.join(self.srv.rw, "d")))

    def test_inherited_access(self):
        src = os.path.join(self.local, "i")
        write(src, b"inner\n")
        self.ok(self.srv.sftp_batch(["put %s /rw/inner/i" % src]))
        self.assertEqual(read(os.path.join(self.srv.inner, "i")), b"inner\n")

    def test_read_only_mount_refuses_writes(self):
        src = os.path.join(self.local, "w")
        write(src, b"w\n")
        for cmd in ("put %s /w" % src, "mkdir /d", "rm /readme",
                    "rename /readme /r2", "chmod 777 /readme",
                    "ln -s readme /l"):
            r = self.srv.sftp_batch([cmd])
            self.assertNotEqual(r.returncode, 0, cmd)
            self.assertIn(b"ermission denied", r.stderr, cmd)
        self.assertEqual(sorted(os.listdir(self.srv.root)),
                         ["abs-link", "readme"])

    def test_escapes_fail(self):
        dst = os.path.join(self.local, "escaped")
        for path in ("/../outside/private", "../../outside/private",
                     "/rw/../../outside/private", self.srv.outside +
                     "/private", "/abs-link", "/rw/rel-link", "/secret/s",
                     "/etc/passwd"):
            r = self.srv.sftp_batch(["get %s %s" % (path, dst)])
            self.assertNotEqual(r.returncode, 0, path)
            self.assertFalse(os.path.exists(dst), path)

    def test_client_made_links_do_not_escape(self):
        dst = os.path.join(self.local, "via-link")
        r = self.srv.sftp_batch([
            "-ln -s %s /rw/evil" % os.path.join(self.srv.outside,
                                                 "private"),
            "-ln -s ../../outside/private /rw/evil2",
            "-get /rw/evil %s" % dst, "-get /rw/evil2 %s" % dst,
            "-ln %s/private /rw/hard" % self.srv.outside,
            "-rename /rw/rel-link /moved"])
        self.assertFalse(os.path.exists(dst))
        self.assertFalse(os.path.exists(os.path.join(self.srv.rw, "hard")))
        self.assertEqual(read(os.path.join(self.srv.outside, "private")),
                         b"outside data\n")
        for name in ("evil", "evil2"):
            p = os.path.join(self.srv.rw, name)
            if os.path.lexists(p):
                os.unlink(p)

    def test_symlink_swap_race(self):
        """A local process swaps a directory for a symlink to the outside
        while the client keeps opening a file beneath it: every read gets
        the inside file or an error, never the outside one."""
        race = os.path.join(self.srv.rw, "race")
        os.mkdir(race)
        write(os.path.join(race, "private"), b"inside\n")
        stop = threading.Event()

        def swapper():
            alt = race + ".dir"
            link = race + ".lnk"
            while not stop.is_set():
                try:
                    os.symlink(self.srv.outside, link)
                    os.rename(race, alt)
                    os.rename(link, race)
                    os.rename(race, link)
                    os.rename(alt, race)
                    os.unlink(link)
                except OSError:
                    pass

        t = threading.Thread(target=swapper)
        t.start()
        try:
            dst = os.path.join(self.local, "race-%d")
            cmds = ["-get /rw/race/private %s" % (dst % i)
                    for i in range(200)]
            self.srv.sftp_batch(cmds, timeout=300)
        finally:
            stop.set()
            t.join(30)
        for i in range(200):
            if os.path.exists(dst % i):
                self.assertEqual(read(dst % i), b"inside\n")

    def test_audit_log(self):
        src = os.path.join(self.local, "audited")
        write(src, b"x" * 1000)
        start = len(self.srv.read_log())
        self.ok(self.srv.sftp_batch(["put %s /rw/audited" % src,
                                     "rm /rw/audited"]))
        # Each line names the connection (the session process's pid) and
        # the channel, and the virtual path, never the real one.
        m = self.srv.wait_log(r"nanosshd-session\[(\d+)\]: verbose: Starting "
                              r"session: subsystem for %s" % USER,
                              start=start)
        for line in (r'open "/rw/audited" write: ok',
                     r'close "/rw/audited" read 0 written 1000: ok',
                     r'remove "/rw/audited": ok'):
            self.srv.wait_log(r"session %s\.\d+: %s" % (m.group(1), line),
                              start=start)
        self.assertNotIn(self.srv.rw, self.srv.read_log()[start:])

    # -- scp ---------------------------------------------------------------

    def test_scp_both_modes(self):
        tree = os.path.join(self.local, "tree")
        os.makedirs(os.path.join(tree, "sub"))
        write(os.path.join(tree, "sub", "a"), b"A" * 5000)
        os.chmod(os.path.join(tree, "sub", "a"), 0o640)
        os.utime(os.path.join(tree, "sub", "a"), (1000000000, 1000000000))
        for legacy in (False, True):
            name = "tree-%s" % ("legacy" if legacy else "sftp")
            self.ok(self.srv.scp("-r", "-p", tree,
                                 self.srv.remote("/rw/" + name),
                                 legacy=legacy))
            a = os.path.join(self.srv.rw, name, "sub", "a")
            self.assertEqual(read(a), b"A" * 5000)
            st = os.stat(a)
            self.assertEqual((st.st_mode & 0o777, int(st.st_mtime)),
                             (0o640, 1000000000))
            back = os.path.join(self.local, name + "-back")
            self.ok(self.srv.scp("-r", "-p", self.srv.remote("/rw/" + name),
                                 back, legacy=legacy))
            self.assertEqual(read(os.path.join(back, "sub", "a")),
                             b"A" * 5000)

    def test_scp_escapes_fail(self):
        for legacy in (False, True):
            dst = os.path.join(self.local, "scp-escaped")
            r = self.srv.scp(self.srv.remote("/abs-link"), dst,
                             legacy=legacy)
            self.assertNotEqual(r.returncode, 0)
            self.assertFalse(os.path.exists(dst))
            r = self.srv.scp(self.srv.remote("../outside/private"), dst,
                             legacy=legacy)
            self.assertNotEqual(r.returncode, 0)
            self.assertFalse(os.path.exists(dst))
            src = os.path.join(self.local, "scp-w")
            write(src, b"w")
            r = self.srv.scp(src, self.srv.remote("/scp-w"), legacy=legacy)
            self.assertNotEqual(r.returncode, 0)
            self.assertFalse(os.path.exists(os.path.join(self.srv.root,
                                                         "scp-w")))

    # -- other clients -----------------------------------------------------

    def test_paramiko(self):
        try:
            import paramiko
        except ImportError:
            self.skipTest("python3-paramiko is not installed")
        client = paramiko.SSHClient()
        client.set_missing_host_key_policy(paramiko.AutoAddPolicy())
        client.connect(self.srv.host, port=self.srv.port, username=USER,
                       key_filename=self.srv.user_key, allow_agent=False,
                       look_for_keys=False, timeout=20)
        try:
            sftp = client.open_sftp()
            self.assertEqual(sftp.normalize("."), "/")
            self.assertIn("readme", sftp.listdir("/"))
            with sftp.open("/rw/pm", "w") as f:
                f.write(b"paramiko\n")
            self.assertEqual(sftp.stat("/rw/pm").st_size, 9)
            with sftp.open("/rw/pm") as f:
                self.assertEqual(f.read(), b"paramiko\n")
            sftp.rename("/rw/pm", "/rw/pm2")
            sftp.remove("/rw/pm2")
            with self.assertRaises(PermissionError):
                sftp.open("/pm", "w")
            with self.assertRaises(IOError):
                sftp.open("/secret/s")
        finally:
            client.close()

    def putty_common(self):
        ppk = os.path.join(self.srv.tmp, "id_user.ppk")
        if not os.path.exists(ppk):
            subprocess.run([need("puttygen"), self.srv.user_key, "-O",
                            "private", "-o", ppk], check=True,
                           capture_output=True, timeout=60)
        r = subprocess.run([SSH_KEYGEN, "-l", "-E", "sha256", "-f",
                            self.srv.host_keys[0] + ".pub"],
                           capture_output=True, text=True, check=True,
                           timeout=30)
        return ["-batch", "-P", str(self.srv.port), "-l", USER, "-i", ppk,
                "-noagent", "-hostkey", r.stdout.split()[1]]

    def test_psftp(self):
        psftp = need("psftp")
        src = os.path.join(self.local, "pf")
        write(src, b"putty sftp\n")
        batch = os.path.join(self.local, "psftp.batch")
        with open(batch, "w") as f:
            f.write("cd /rw\nput %s pf\nls\nget pf %s.back\nrm pf\n"
                    % (src, src))
        r = subprocess.run([psftp] + self.putty_common() + ["-b", batch,
                                                            self.srv.host],
                           capture_output=True, timeout=120,
                           stdin=subprocess.DEVNULL)
        self.assertEqual(r.returncode, 0, r.stderr + r.stdout)
        self.assertEqual(read(src + ".back"), b"putty sftp\n")

    def test_pscp_both_protocols(self):
        pscp = need("pscp")
        src = os.path.join(self.local, "pc")
        write(src, b"putty scp\n" * 1000)
        for proto in ("-sftp", "-scp"):
            r = subprocess.run([pscp, proto] + self.putty_common() +
                               [src, "%s:/rw/pc%s" % (self.srv.host, proto)],
                               capture_output=True, timeout=120,
                               stdin=subprocess.DEVNULL)
            self.assertEqual(r.returncode, 0, r.stderr + r.stdout)
            self.assertEqual(read(os.path.join(self.srv.rw, "pc" + proto)),
                             b"putty scp\n" * 1000)

    def test_sshfs(self):
        sshfs = need("sshfs")
        mnt = os.path.join(self.local, "mnt")
        os.mkdir(mnt)
        cmd = " ".join([SSH] + self.srv.ssh_opts() + ["-p",
                                                     str(self.srv.port)])
        r = subprocess.run([sshfs, "-o", "ssh_command=" + cmd,
                            "%s@%s:/" % (USER, self.srv.host), mnt],
                           capture_output=True, timeout=60,
                           stdin=subprocess.DEVNULL)
        if r.returncode != 0 and (b"fuse" in r.stderr.lower() or
                                  b"permitted" in r.stderr):
            self.skipTest("FUSE is not usable here: %s" %
                          r.stderr.decode(errors="replace").strip())
        self.assertEqual(r.returncode, 0, r.stderr)
        try:
            self.assertEqual(read(os.path.join(mnt, "readme")),
                             b"hello from root\n")
            write(os.path.join(mnt, "rw", "viafuse"), b"fuse\n")
            self.assertEqual(read(os.path.join(self.srv.rw, "viafuse")),
                             b"fuse\n")
            self.assertNotIn("secret", os.listdir(mnt))
        finally:
            subprocess.run(["fusermount", "-u", mnt], timeout=60,
                           capture_output=True)


class RealFilesystem(unittest.TestCase):
    """Without mounts the client sees the real file system with the
    user's permissions, starting in the home directory, as with
    OpenSSH."""

    def test_home_and_absolute_paths(self):
        with SftpServer(mounts=False) as srv:
            out = srv.sftp_batch(["pwd", "ls -1 %s" % srv.root])
            self.assertEqual(out.returncode, 0, out.stderr)
            text = out.stdout.decode()
            self.assertIn("Remote working directory: %s"
                          % os.path.realpath(os.path.expanduser("~")), text)
            self.assertIn("readme", text)


class SftpOnly(unittest.TestCase):
    """sftp.force: shell and exec refused, sftp served."""

    def test_force(self):
        srv = SftpServer()
        srv.update_settings({"sftp": dict(srv.settings["sftp"], force=True)})
        srv.write_config()
        with srv:
            r = srv.ssh("echo shell")
            self.assertNotEqual(r.returncode, 0)
            self.assertNotIn(b"shell", r.stdout)
            srv.wait_log(r"command request by user \S+ refused: the "
                         r"account is SFTP-only")
            src = os.path.join(srv.tmp, "x")
            write(src, b"x")
            r = srv.scp(src, srv.remote("/rw/x"), legacy=True)
            self.assertNotEqual(r.returncode, 0)
            try:
                import paramiko
            except ImportError:
                self.skipTest("python3-paramiko is not installed")
            client = paramiko.SSHClient()
            client.set_missing_host_key_policy(paramiko.AutoAddPolicy())
            client.connect(srv.host, port=srv.port, username=USER,
                           key_filename=srv.user_key, allow_agent=False,
                           look_for_keys=False, timeout=20)
            try:
                with self.assertRaises(paramiko.ChannelException) as cm:
                    client.get_transport().open_channel(
                        "direct-tcpip", (srv.host, srv.port),
                        ("127.0.0.1", 0), timeout=20)
                self.assertEqual(cm.exception.code, 1)  # prohibited
            finally:
                client.close()
            r = srv.sftp_batch(["ls -1 /"])
            self.assertEqual(r.returncode, 0, r.stderr)
            self.assertIn(b"readme", r.stdout)


class Disabled(unittest.TestCase):
    def test_sftp_and_scp_disabled(self):
        srv = SftpServer()
        srv.update_settings({"sftp": dict(srv.settings["sftp"],
                                          enabled=False),
                             "scp": {"enabled": False}})
        srv.write_config()
        with srv:
            r = srv.sftp_batch(["ls /"])
            self.assertNotEqual(r.returncode, 0)
            src = os.path.join(srv.tmp, "x")
            write(src, b"x")
            r = srv.scp(src, srv.remote("/rw/x"), legacy=True)
            self.assertNotEqual(r.returncode, 0)
            self.assertFalse(os.path.exists(os.path.join(srv.rw, "x")))


if __name__ == "__main__":
    unittest.main(verbosity=2)
