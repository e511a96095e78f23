#!/usr/bin/python3
"""test_account.py: the account's validity, checked by the monitor before
any method succeeds, with real system users (created for the test,
removed afterwards) and the OpenSSH client.  An expired account
(chage -E 0) is refused by key (shell, command, ssh -N -L whose tunnel
never reaches its target, -W, sftp), by password and by
keyboard-interactive, with every back end; a locked one (passwd -l) with
the shadow back end; a pam_access rule by origin; a user whose shell is nologin gets no command and no
sftp unless sftp.force says so; a user in 100 groups is matched by a
match block on the last one (these need root; skipped otherwise).  With
"publickey,publickey" one key cannot count twice, and the options of both
keys apply (paramiko, as any user)."""

import os
import pwd
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from harness import (SRCDIR, SSH_KEYGEN, Server, free_port,  # noqa: E402
                     wait_until)

SSH = os.environ.get("SSH") or "ssh"
SFTP = shutil.which("sftp")
WAIT = 30.0
TAG = "%d" % os.getpid()
PASSWORD = "Acc0unt-test-%s" % TAG
PAM_NAME = "nanosshd-test-acct-%s" % TAG
PAM_SERVICE = "/etc/pam.d/" + PAM_NAME
NGROUPS = 100
USER = pwd.getpwuid(os.getuid()).pw_name


def run(*argv, **kw):
    """A system tool; useradd and friends retry while another test holds
    /etc/passwd's lock."""
    def attempt():
        r = subprocess.run(list(argv), capture_output=True, text=True,
                           timeout=60, **kw)
        return r if r.returncode == 0 else None
    return wait_until(attempt, 60, " ".join(argv[:2]))


def crypt_hash(password):
    r = subprocess.run(["openssl", "passwd", "-6", "-stdin"],
                       input=password, capture_output=True, text=True,
                       check=True, timeout=30)
    return r.stdout.strip()


class Target:
    """A loopback listener that counts the connections it accepts."""

    def __init__(self):
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(8)
        self.port = self.sock.getsockname()[1]
        self.accepted = 0
        self.thread = threading.Thread(target=self.serve, daemon=True)
        self.thread.start()

    def serve(self):
        while True:
            try:
                c, _ = self.sock.accept()
            except OSError:
                return
            self.accepted += 1
            with c:
                try:
                    c.sendall(b"reached\n")
                except OSError:
                    pass

    def close(self):
        # shutdown wakes the accept() of the thread
        try:
            self.sock.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass
        self.sock.close()
        self.thread.join(5)


def port_open(port):
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=1):
            return True
    except OSError:
        return False


class AccountServer(Server):
    """Every method, the users' passwords in a file for the file back
    end, and the test's own PAM service."""

    def __init__(self, users, backend="pam", settings=None, key_file=None,
                 **kw):
        super().__init__(**kw)
        self.extra_env["NANOSSHD_PAM_SERVICE"] = PAM_NAME
        pwfile = os.path.join(self.tmp, "passwd")
        h = crypt_hash(PASSWORD)
        with open(pwfile, "w") as f:
            for u in users:
                f.write("%s:%s\n" % (u, h))
        os.chmod(pwfile, 0o600)
        self.update_settings({"auth": {
            "methods": ["publickey", "password", "keyboard-interactive"],
            "authorized_keys": [key_file],
            "password_backend": backend, "password_file": pwfile}})
        self.update_settings(settings or {})
        self.write_config()

    def key_argv(self, user, key, *extra, command=()):
        argv = self.ssh_argv(user=user, key=key,
                             options=("PreferredAuthentications=publickey",))
        i = argv.index("-l")
        argv[i:i] = list(extra)
        return argv + list(command)

    def ssh_key(self, user, key, *extra, command=("echo", "in"), timeout=60):
        return subprocess.run(self.key_argv(user, key, *extra,
                                            command=command),
                              stdin=subprocess.DEVNULL, capture_output=True,
                              timeout=timeout)

    def ssh_password(self, user, method):
        askpass = os.path.join(self.tmp, "askpass")
        with open(askpass, "w") as f:
            f.write("#!/bin/sh\nprintf '%%s\\n' '%s'\n" % PASSWORD)
        os.chmod(askpass, 0o700)
        env = dict(os.environ, SSH_ASKPASS=askpass,
                   SSH_ASKPASS_REQUIRE="force", DISPLAY=":0")
        argv = [SSH, "-F", "/dev/null", "-p", str(self.port),
                "-o", "PreferredAuthentications=" + method,
                "-o", "PubkeyAuthentication=no",
                "-o", "NumberOfPasswordPrompts=1",
                "-o", "StrictHostKeyChecking=no",
                "-o", "UserKnownHostsFile=/dev/null", "-o", "LogLevel=ERROR",
                "%s@%s" % (user, self.host), "echo in"]
        return subprocess.run(argv, stdin=subprocess.DEVNULL, env=env,
                              capture_output=True, timeout=60)

    def sftp(self, user, key, batch="ls /\n"):
        argv = [SFTP, "-b", "-", "-F", "/dev/null", "-P", str(self.port),
                "-i", key, "-o", "IdentitiesOnly=yes",
                "-o", "IdentityAgent=none", "-o", "BatchMode=yes",
                "-o", "StrictHostKeyChecking=no",
                "-o", "UserKnownHostsFile=/dev/null",
                "-o", "PreferredAuthentications=publickey",
                "%s@%s" % (user, self.host)]
        return subprocess.run(argv, input=batch.encode(),
                              capture_output=True, timeout=60)


@unittest.skipUnless(os.getuid() == 0, "needs root to create users")
class Accounts(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.dir = tempfile.mkdtemp(prefix="nanossh-acct-")
        os.chmod(cls.dir, 0o755)
        cls.key = os.path.join(cls.dir, "id_user")
        subprocess.run([SSH_KEYGEN, "-q", "-t", "ed25519", "-N", "", "-f",
                        cls.key], check=True, stdin=subprocess.DEVNULL,
                       timeout=60)
        cls.key_file = os.path.join(cls.dir, "authorized_keys")
        shutil.copy(cls.key + ".pub", cls.key_file)
        os.chmod(cls.key_file, 0o644)
        shutil.copy(os.path.join(SRCDIR, "etc", "pam.d", "nanosshd"),
                    PAM_SERVICE)
        cls.users = []
        cls.groups = []
        cls.ok = cls.add_user("ok")
        cls.expired = cls.add_user("exp")
        run("chage", "-E", "0", cls.expired)
        cls.locked = cls.add_user("lck")
        run("passwd", "-l", cls.locked)
        cls.nologin = cls.add_user("nol", shell="/usr/sbin/nologin")
        cls.grouped = cls.add_user("grp")
        for i in range(NGROUPS):
            name = "nsag%s_%d" % (TAG, i)
            run("groupadd", name)
            cls.groups.append(name)
        run("usermod", "-a", "-G", ",".join(cls.groups), cls.grouped)

    @classmethod
    def add_user(cls, tag, shell="/bin/sh"):
        name = "nsa%s%s" % (tag, TAG)
        run("useradd", "-m", "-s", shell, name)
        cls.users.append(name)
        run("chpasswd", input="%s:%s\n" % (name, PASSWORD))
        return name

    @classmethod
    def tearDownClass(cls):
        for u in cls.users:
            subprocess.run(["userdel", "-r", u], timeout=60,
                           capture_output=True)
        for g in cls.groups:
            subprocess.run(["groupdel", g], timeout=60, capture_output=True)
        os.unlink(PAM_SERVICE)
        shutil.rmtree(cls.dir, ignore_errors=True)

    def server(self, backend="pam", settings=None):
        return AccountServer(self.users, backend=backend, settings=settings,
                             key_file=self.key_file)

    def assert_denied(self, r, srv):
        self.assertEqual(r.returncode, 255, r.stdout + r.stderr)
        self.assertIn(b"Permission denied", r.stderr,
                      r.stderr + srv.read_log()[-3000:].encode())
        self.assertNotEqual(r.stdout, b"in\n")

    # -- an expired account, by key ---------------------------------------

    def expired_by_key(self, backend, log_rx):
        with self.server(backend) as srv:
            # The control: a valid account gets in the same way.
            r = srv.ssh_key(self.ok, self.key)
            self.assertEqual((r.stdout, r.returncode), (b"in\n", 0),
                             r.stderr + srv.read_log()[-3000:].encode())
            # The forwardings first: no session is ever asked for.
            target = Target()
            self.addCleanup(target.close)
            self.assert_tunnel_refused(srv, target)
            r = srv.ssh_key(self.expired, self.key, "-W",
                            "127.0.0.1:%d" % target.port, command=())
            self.assert_denied(r, srv)
            self.assertEqual(target.accepted, 0)
            srv.wait_log(log_rx % self.expired)
            self.assertNotRegex(srv.read_log(), r"Accepted publickey for %s "
                                % self.expired)
            r = srv.ssh_key(self.expired, self.key)
            self.assert_denied(r, srv)
            r = srv.ssh_key(self.expired, self.key, "-T", command=())
            self.assert_denied(r, srv)
            if SFTP:
                r = srv.sftp(self.expired, self.key)
                self.assertNotEqual(r.returncode, 0)
                self.assertIn(b"Permission denied", r.stderr)

    def assert_tunnel_refused(self, srv, target):
        """ssh -N -L: the client must give up (Permission denied) and the
        tunnel must never reach its target."""
        lport = free_port()
        p = subprocess.Popen(srv.key_argv(
            self.expired, self.key, "-N", "-o", "ExitOnForwardFailure=yes",
            "-L", "%d:127.0.0.1:%d" % (lport, target.port)),
            stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
            stderr=subprocess.PIPE)
        try:
            wait_until(lambda: p.poll() is not None or port_open(lport),
                       WAIT, "ssh -N -L to end or listen")
            if p.poll() is None:
                # Logged in: the tunnel is up; show where it leads.
                with socket.create_connection(("127.0.0.1", lport),
                                              timeout=5) as s:
                    s.settimeout(5)
                    try:
                        s.recv(64)
                    except OSError:
                        pass
        finally:
            if p.poll() is None:
                p.kill()
            _, err = p.communicate(timeout=WAIT)
        self.assertEqual(target.accepted, 0, "the tunnel reached its target")
        self.assertEqual(p.returncode, 255, err)
        self.assertIn(b"Permission denied", err)

    def test_expired_by_key_pam(self):
        self.expired_by_key("pam", r"Access denied for user %s by PAM "
                            r"account configuration")

    def test_expired_by_key_shadow(self):
        self.expired_by_key("shadow", r"User %s not allowed because "
                            r"account has expired")

    def test_expired_by_key_file(self):
        self.expired_by_key("file", r"User %s not allowed because "
                            r"account has expired")

    # -- an expired account, by password -----------------------------------

    def expired_by_password(self, backend):
        with self.server(backend) as srv:
            for method in ("password", "keyboard-interactive"):
                r = srv.ssh_password(self.ok, method)
                self.assertEqual((r.stdout, r.returncode), (b"in\n", 0),
                                 method.encode() + r.stderr +
                                 srv.read_log()[-3000:].encode())
                r = srv.ssh_password(self.expired, method)
                self.assert_denied(r, srv)

    def test_expired_by_password_file(self):
        """The file back end has its own hashes: only the account check
        knows the account expired."""
        self.expired_by_password("file")
        # (and the log says why, in OpenSSH's words)

    def test_expired_by_password_shadow(self):
        self.expired_by_password("shadow")

    def test_expired_by_password_pam(self):
        self.expired_by_password("pam")

    def test_expired_file_log(self):
        with self.server("file") as srv:
            r = srv.ssh_password(self.expired, "password")
            self.assert_denied(r, srv)
            srv.wait_log(r"User %s not allowed because account has expired"
                         % self.expired)
            srv.wait_log(r"Failed password for %s from" % self.expired)

    # -- a locked account ------------------------------------------------

    def test_locked_shadow(self):
        with self.server("shadow") as srv:
            r = srv.ssh_key(self.locked, self.key)
            self.assert_denied(r, srv)
            srv.wait_log(r"User %s not allowed because account is locked"
                         % self.locked)
            r = srv.ssh_key(self.locked, self.key, "-W",
                            "127.0.0.1:1", command=())
            self.assert_denied(r, srv)
            for method in ("password", "keyboard-interactive"):
                r = srv.ssh_password(self.locked, method)
                self.assert_denied(r, srv)

    # -- a shell that is no login shell ------------------------------------

    def test_nologin_no_command_no_sftp(self):
        with self.server() as srv:
            r = srv.ssh_key(self.nologin, self.key)
            self.assertEqual(r.returncode, 255, r.stdout + r.stderr)
            self.assertNotIn(b"in\n", r.stdout)
            srv.wait_log(r"command request by user %s refused: shell "
                         r"/usr/sbin/nologin is not a login shell"
                         % self.nologin)
            if SFTP:
                r = srv.sftp(self.nologin, self.key)
                self.assertNotEqual(r.returncode, 0, r.stdout)
                srv.wait_log(r"subsystem request by user %s refused: "
                             r"shell /usr/sbin/nologin" % self.nologin)

    @unittest.skipUnless(SFTP, "the OpenSSH sftp client is not installed")
    def test_nologin_sftp_force(self):
        """sftp.force is the setting that makes such an account an
        SFTP account."""
        with self.server(settings={"match": [
                {"users": [self.nologin], "sftp": {"force": True}}]}) as srv:
            r = srv.sftp(self.nologin, self.key, "pwd\n")
            self.assertEqual(r.returncode, 0,
                             r.stderr + srv.read_log()[-3000:].encode())
            r = srv.ssh_key(self.nologin, self.key)
            self.assertNotEqual(r.returncode, 0)

    # -- pam_access by origin -------------------------------------------

    def test_pam_access_by_origin(self):
        """PAM_RHOST is set for the account stack and for password
        checks: a pam_access rule refusing 127.0.0.1 refuses a key login
        before any forwarding, and a password."""
        access = os.path.join(self.dir, "access.conf")
        with open(access, "w") as f:
            f.write("-:%s:127.0.0.1\n+:ALL:ALL\n" % self.ok)
        service = PAM_NAME + "-access"
        with open("/etc/pam.d/" + service, "w") as f:
            f.write("auth required pam_unix.so\n"
                    "account required pam_access.so accessfile=%s\n"
                    "account required pam_unix.so\n"
                    "session required pam_permit.so\n"
                    "password required pam_unix.so\n" % access)
        self.addCleanup(os.unlink, "/etc/pam.d/" + service)
        srv = self.server("pam")
        srv.extra_env["NANOSSHD_PAM_SERVICE"] = service
        with srv:
            target = Target()
            self.addCleanup(target.close)
            r = srv.ssh_key(self.ok, self.key, "-W",
                            "127.0.0.1:%d" % target.port, command=())
            self.assert_denied(r, srv)
            self.assertEqual(target.accepted, 0)
            srv.wait_log(r"Access denied for user %s by PAM account "
                         r"configuration" % self.ok)
            for method in ("password", "keyboard-interactive"):
                r = srv.ssh_password(self.ok, method)
                self.assert_denied(r, srv)
            self.assertNotRegex(srv.read_log(), r"Accepted \S+ for %s "
                                % self.ok)
            # Another user, no rule: in.
            r = srv.ssh_key(self.grouped, self.key)
            self.assertEqual((r.stdout, r.returncode), (b"in\n", 0),
                             r.stderr + srv.read_log()[-3000:].encode())

    # -- groups ----------------------------------------------------------

    def test_match_on_the_last_of_100_groups(self):
        """A match block on the 100th group applies (no cut at 64): it
        makes the account SFTP-only, so a command is refused."""
        with self.server(settings={"match": [
                {"groups": [self.groups[-1]],
                 "sftp": {"force": True}}]}) as srv:
            r = srv.ssh_key(self.grouped, self.key)
            self.assertNotEqual((r.stdout, r.returncode), (b"in\n", 0),
                                srv.read_log()[-3000:].encode())
            srv.wait_log(r"command request by user %s refused: the account "
                         r"is SFTP-only" % self.grouped)
            r = srv.ssh_key(self.ok, self.key)
            self.assertEqual((r.stdout, r.returncode), (b"in\n", 0),
                             r.stderr)


class TwoKeys(unittest.TestCase):
    """auth.methods "publickey,publickey": two different keys, and the
    login has the restrictions of both."""

    @classmethod
    def setUpClass(cls):
        try:
            import paramiko
        except ImportError:
            raise unittest.SkipTest("python3-paramiko is not installed")
        cls.paramiko = paramiko
        cls.srv = Server()
        cls.keys = []
        with open(cls.srv.authorized_keys, "w") as out:
            for name, opts in (("a", "no-port-forwarding "), ("b", "")):
                path = os.path.join(cls.srv.tmp, "id_" + name)
                subprocess.run([SSH_KEYGEN, "-q", "-t", "ed25519", "-N", "",
                                "-f", path], check=True, timeout=60,
                               stdin=subprocess.DEVNULL)
                with open(path + ".pub") as f:
                    out.write(opts + f.read())
                cls.keys.append(paramiko.Ed25519Key.from_private_key_file(
                    path))
        os.chmod(cls.srv.authorized_keys, 0o600)
        cls.srv.update_settings({"auth": {
            "methods": ["publickey,publickey"],
            "authorized_keys": [cls.srv.authorized_keys]}})
        cls.srv.write_config()
        cls.srv.start()

    @classmethod
    def tearDownClass(cls):
        cls.srv.close()

    def transport(self):
        t = self.paramiko.Transport((self.srv.host, self.srv.port))
        self.addCleanup(t.close)
        t.connect()
        return t

    def auth_again(self, t, key):
        """A second attempt as paramiko makes it: a new service request
        first, which nanossh answers during authentication."""
        return t.auth_publickey(USER, key)

    def test_one_key_twice_is_refused(self):
        t = self.transport()
        self.assertEqual(t.auth_publickey(USER, self.keys[0]), ["publickey"])
        with self.assertRaises(self.paramiko.AuthenticationException):
            self.auth_again(t, self.keys[0])
        self.assertFalse(t.is_authenticated())
        self.srv.wait_log(r"refusing previously-used ED25519 key")

    def test_options_of_both_keys(self):
        """The first key says no-port-forwarding, the second nothing:
        the login may not forward."""
        t = self.transport()
        self.assertEqual(t.auth_publickey(USER, self.keys[0]), ["publickey"])
        self.assertEqual(self.auth_again(t, self.keys[1]), [])
        target = Target()
        self.addCleanup(target.close)
        with self.assertRaises(self.paramiko.ChannelException) as cm:
            t.open_channel("direct-tcpip", ("127.0.0.1", target.port),
                           ("127.0.0.1", 1))
        self.assertEqual(cm.exception.code, 1)
        self.assertEqual(target.accepted, 0)
        chan = t.open_session()
        chan.exec_command("echo in")
        self.assertEqual(chan.makefile().read(), b"in\n")


if __name__ == "__main__":
    unittest.main(verbosity=2)
