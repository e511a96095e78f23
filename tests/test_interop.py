#!/usr/bin/python3
"""test_interop.py: clients other than OpenSSH's ssh log in and run
commands: PuTTY's plink (key and password), Dropbear's dbclient, AsyncSSH,
and the programs people run over ssh: rsync and git.  Each client that is
not installed is skipped with the reason (scripts/deps --test installs
them all)."""

import asyncio
import os
import pwd
import shutil
import subprocess
import sys
import unittest
import warnings

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from harness import SSH_KEYGEN  # noqa: E402
from test_exec import ExecServer  # noqa: E402
from test_password import PASSWORD, crypt_hash  # noqa: E402

SSH = os.environ.get("SSH") or "ssh"
USER = pwd.getpwuid(os.getuid()).pw_name


def need(program):
    path = shutil.which(program)
    if path is None:
        raise unittest.SkipTest("%s is not installed" % program)
    return path


def host_fingerprint(pubfile):
    r = subprocess.run([SSH_KEYGEN, "-l", "-E", "sha256", "-f", pubfile],
                       capture_output=True, text=True, check=True,
                       timeout=30)
    return r.stdout.split()[1]


class Interop(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.srv = ExecServer()
        pwfile = os.path.join(cls.srv.tmp, "passwd")
        with open(pwfile, "w") as f:
            f.write("%s:%s\n" % (USER, crypt_hash(PASSWORD)))
        os.chmod(pwfile, 0o600)
        cls.srv.update_settings({"auth": dict(
            cls.srv.settings["auth"], methods=["publickey", "password"],
            password_backend="file", password_file=pwfile,
            permit_root_login="yes")})
        cls.srv.write_config()
        cls.srv.start()
        cls.home = os.path.join(cls.srv.tmp, "home")
        os.mkdir(cls.home)
        cls.hostfp = host_fingerprint(cls.srv.host_keys[0] + ".pub")

    @classmethod
    def tearDownClass(cls):
        cls.srv.close()

    def run_client(self, argv, timeout=60, env=None, input=None):
        # Clients that remember hosts do it in this HOME, not the user's.
        e = dict(os.environ, HOME=self.home)
        e.update(env or {})
        return subprocess.run(argv, capture_output=True, timeout=timeout,
                              env=e, input=input,
                              stdin=None if input is not None
                              else subprocess.DEVNULL)

    def ssh_command(self):
        """The OpenSSH client as rsync -e / GIT_SSH_COMMAND want it."""
        return " ".join([SSH, "-F", "/dev/null", "-i", self.srv.user_key,
                         "-p", str(self.srv.port), "-o", "BatchMode=yes",
                         "-o", "IdentitiesOnly=yes",
                         "-o", "StrictHostKeyChecking=yes",
                         "-o", "UserKnownHostsFile=" +
                         self.srv.known_hosts()])

    # -- PuTTY ------------------------------------------------------------

    def plink(self, *args, hostkey=None):
        argv = [need("plink"), "-batch", "-ssh", "-P", str(self.srv.port),
                "-l", USER, "-hostkey", hostkey or self.hostfp] + list(args)
        return self.run_client(argv)

    def test_plink_key(self):
        ppk = os.path.join(self.srv.tmp, "id_user.ppk")
        if not os.path.exists(ppk):
            subprocess.run([need("puttygen"), self.srv.user_key, "-O",
                            "private", "-o", ppk], check=True,
                           capture_output=True, timeout=60)
        r = self.plink("-i", ppk, "-noagent", "127.0.0.1",
                       "echo plink; exit 7")
        self.assertEqual((r.stdout, r.returncode), (b"plink\n", 7), r.stderr)

    def test_plink_password(self):
        r = self.plink("-pw", PASSWORD, "-noagent", "127.0.0.1", "echo pw")
        self.assertEqual((r.stdout, r.returncode), (b"pw\n", 0), r.stderr)
        r = self.plink("-pw", "wrong", "-noagent", "127.0.0.1", "echo pw")
        self.assertNotEqual(r.returncode, 0)

    def test_plink_wrong_host_key_refused(self):
        """PuTTY checks what the server proves, like OpenSSH."""
        r = self.plink("-pw", PASSWORD, "-noagent", "127.0.0.1", "echo pw",
                       hostkey="SHA256:" + "A" * 43)
        self.assertNotEqual(r.returncode, 0)
        self.assertNotIn(b"pw", r.stdout)

    # -- Dropbear ----------------------------------------------------------

    def test_dbclient(self):
        dbclient = need("dbclient")
        key = os.path.join(self.srv.tmp, "id_user.dropbear")
        if not os.path.exists(key):
            subprocess.run([need("dropbearconvert"), "openssh", "dropbear",
                            self.srv.user_key, key], check=True,
                           capture_output=True, timeout=60)
        # -y -y: no known_hosts for this throwaway server; the key
        # exchange and the host key signature are still checked.
        r = self.run_client([dbclient, "-y", "-y", "-i", key, "-p",
                             str(self.srv.port), "%s@127.0.0.1" % USER,
                             "echo dropbear; echo err >&2; exit 3"])
        self.assertEqual((r.stdout, r.returncode), (b"dropbear\n", 3),
                         r.stderr)
        self.assertIn(b"err", r.stderr)

    # -- AsyncSSH ----------------------------------------------------------

    def test_asyncssh(self):
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            try:
                import asyncssh
            except ImportError:
                self.skipTest("python3-asyncssh is not installed")

        async def session():
            async with asyncssh.connect(
                    "127.0.0.1", port=self.srv.port, username=USER,
                    client_keys=[self.srv.user_key], known_hosts=None,
                    agent_path=None) as conn:
                r1 = await conn.run("cat; exit 4", input="async\n")
                r2 = await conn.run("echo second")
                return r1, r2

        r1, r2 = asyncio.run(asyncio.wait_for(session(), 60))
        self.assertEqual((r1.stdout, r1.exit_status), ("async\n", 4))
        self.assertEqual((r2.stdout, r2.exit_status), ("second\n", 0))

    # -- programs run over ssh ------------------------------------------------

    def test_rsync(self):
        rsync = need("rsync")
        src = os.path.join(self.srv.tmp, "rsync-src")
        dst = os.path.join(self.srv.tmp, "rsync-dst")
        os.makedirs(os.path.join(src, "sub"))
        data = os.urandom(3 * 1024 * 1024 + 17)
        with open(os.path.join(src, "sub", "blob"), "wb") as f:
            f.write(data)
        os.symlink("sub/blob", os.path.join(src, "link"))
        r = self.run_client([rsync, "-a", "-e", self.ssh_command(),
                             src + "/", "127.0.0.1:" + dst + "/"],
                            timeout=120)
        self.assertEqual(r.returncode, 0, r.stderr)
        with open(os.path.join(dst, "sub", "blob"), "rb") as f:
            self.assertEqual(f.read(), data)
        self.assertEqual(os.readlink(os.path.join(dst, "link")), "sub/blob")
        # and back, through the same pipe the other way
        back = os.path.join(self.srv.tmp, "rsync-back")
        r = self.run_client([rsync, "-a", "-e", self.ssh_command(),
                             "127.0.0.1:" + dst + "/", back + "/"],
                            timeout=120)
        self.assertEqual(r.returncode, 0, r.stderr)
        with open(os.path.join(back, "sub", "blob"), "rb") as f:
            self.assertEqual(f.read(), data)

    def test_git_clone_and_push(self):
        git = need("git")
        repo = os.path.join(self.srv.tmp, "repo.git")
        work = os.path.join(self.srv.tmp, "work")
        env = {"GIT_SSH_COMMAND": self.ssh_command(),
               "GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.com",
               "GIT_COMMITTER_NAME": "t",
               "GIT_COMMITTER_EMAIL": "t@example.com",
               "GIT_CONFIG_NOSYSTEM": "1"}

        def git_run(*args, cwd=None):
            r = subprocess.run([git] + list(args), capture_output=True,
                               timeout=120, cwd=cwd, stdin=subprocess.DEVNULL,
                               env=dict(os.environ, HOME=self.home, **env))
            self.assertEqual(r.returncode, 0, r.stderr)
            return r

        git_run("init", "-q", "--bare", "-b", "main", repo)
        url = "ssh://%s@127.0.0.1:%d%s" % (USER, self.srv.port, repo)
        git_run("clone", "-q", url, work)
        with open(os.path.join(work, "file"), "w") as f:
            f.write("pushed over nanossh\n")
        git_run("add", "file", cwd=work)
        git_run("commit", "-q", "-m", "first", cwd=work)
        git_run("push", "-q", "origin", "HEAD:main", cwd=work)
        again = os.path.join(self.srv.tmp, "again")
        git_run("clone", "-q", url, again)
        with open(os.path.join(again, "file")) as f:
            self.assertEqual(f.read(), "pushed over nanossh\n")


if __name__ == "__main__":
    unittest.main(verbosity=2)
