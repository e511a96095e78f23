#!/usr/bin/python3
"""test_exec.py: the OpenSSH client logs in by key and runs commands,
over every key exchange, cipher, MAC and host key algorithm; stdin, stdout,
stderr and exit status; rekeying in the middle of a 64 MiB transfer."""

import hashlib
import os
import pwd
import re
import shutil
import subprocess
import sys
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from harness import Server, SSH_KEYGEN  # noqa: E402

SSH = os.environ.get("SSH") or "ssh"
USER = pwd.getpwuid(os.getuid()).pw_name

KEX = ["sntrup761x25519-sha512@openssh.com",
       "curve25519-sha256", "curve25519-sha256@libssh.org",
       "ecdh-sha2-nistp256", "ecdh-sha2-nistp384", "ecdh-sha2-nistp521",
       "diffie-hellman-group14-sha256", "diffie-hellman-group16-sha512",
       "diffie-hellman-group18-sha512", "diffie-hellman-group-exchange-sha256"]
CIPHERS = ["chacha20-poly1305@openssh.com", "aes128-gcm@openssh.com",
           "aes256-gcm@openssh.com", "aes128-ctr", "aes192-ctr", "aes256-ctr"]
MACS = ["umac-64-etm@openssh.com", "umac-128-etm@openssh.com",
        "umac-64@openssh.com", "umac-128@openssh.com",
        "hmac-sha2-256-etm@openssh.com", "hmac-sha2-512-etm@openssh.com",
        "hmac-sha2-256", "hmac-sha2-512"]
HOSTKEY_ALGS = ["ssh-ed25519", "ecdsa-sha2-nistp256", "ecdsa-sha2-nistp384",
                "ecdsa-sha2-nistp521", "rsa-sha2-512", "rsa-sha2-256"]


def keygen(path, key_type, bits=None):
    args = [SSH_KEYGEN, "-q", "-t", key_type, "-N", "", "-f", path]
    if bits:
        args += ["-b", str(bits)]
    subprocess.run(args, check=True, stdin=subprocess.DEVNULL, timeout=60)


class ExecServer(Server):
    """A Server with a user key authorized for the invoking user."""

    def __init__(self, key_type="ed25519", **kw):
        super().__init__(**kw)
        self.user_key = os.path.join(self.tmp, "id_user")
        keygen(self.user_key, key_type)
        self.authorized = os.path.join(self.tmp, "authorized_keys")
        with open(self.user_key + ".pub") as src, \
                open(self.authorized, "w") as dst:
            dst.write(src.read())
        os.chmod(self.authorized, 0o600)
        self.update_settings({"auth": {"authorized_keys": [self.authorized],
                                       "methods": ["publickey"]}})
        self.write_config()

    def ssh(self, command, options=(), input=None, timeout=120, key=None):
        argv = [SSH, "-F", "/dev/null", "-p", str(self.port),
                "-i", key or self.user_key]
        # ssh takes the first value given for an option: the test's first.
        for o in options:
            argv += ["-o", o]
        argv += ["-o", "IdentitiesOnly=yes", "-o", "IdentityAgent=none",
                 "-o", "BatchMode=yes", "-o", "StrictHostKeyChecking=no",
                 "-o", "UserKnownHostsFile=/dev/null", "-o", "LogLevel=ERROR",
                 "-o", "ConnectTimeout=10"]
        argv += ["%s@%s" % (USER, self.host), command]
        return subprocess.run(argv, input=input, capture_output=True,
                              timeout=timeout)


class Exec(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.srv = ExecServer(key_types=("ed25519", "ecdsa", "rsa"))
        # ECDSA P-384 and P-521 host keys for their host key algorithms.
        for bits in (384, 521):
            p = os.path.join(cls.srv.tmp, "ssh_host_ecdsa%d_key" % bits)
            keygen(p, "ecdsa", bits)
            cls.srv.host_keys.append(p)
        cls.srv.update_settings({"host_keys": cls.srv.host_keys})
        cls.srv.write_config()
        cls.srv.start()

    @classmethod
    def tearDownClass(cls):
        cls.srv.close()

    def run_ok(self, options=(), what=""):
        r = self.srv.ssh("echo hi; exit 7", options)
        self.assertEqual((r.stdout, r.returncode), (b"hi\n", 7),
                         "%s: stderr %r; server log:\n%s"
                         % (what, r.stderr, self.srv.read_log()[-3000:]))

    def test_exec_exit_status(self):
        self.run_ok(what="default algorithms")

    def test_every_kex(self):
        for kex in KEX:
            with self.subTest(kex=kex):
                self.run_ok(["KexAlgorithms=" + kex], kex)

    def test_every_cipher(self):
        for c in CIPHERS:
            with self.subTest(cipher=c):
                self.run_ok(["Ciphers=" + c], c)

    def test_every_mac(self):
        for mac in MACS:
            with self.subTest(mac=mac):
                self.run_ok(["Ciphers=aes128-ctr", "MACs=" + mac], mac)

    def test_every_host_key_algorithm(self):
        for alg in HOSTKEY_ALGS:
            with self.subTest(hostkey=alg):
                self.run_ok(["HostKeyAlgorithms=" + alg], alg)

    def test_stdin_stdout_stderr(self):
        r = self.srv.ssh("cat; echo to-stderr >&2", input=b"line one\nline two\n")
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertEqual(r.stdout, b"line one\nline two\n")
        self.assertEqual(r.stderr, b"to-stderr\n")

    def test_environment(self):
        r = self.srv.ssh('echo "$USER:$LOGNAME:$HOME:${SSH_CONNECTION%% *}"; pwd')
        self.assertEqual(r.returncode, 0, r.stderr)
        home = pwd.getpwuid(os.getuid()).pw_dir
        self.assertEqual(r.stdout.decode(),
                         "%s:%s:%s:127.0.0.1\n%s\n" % (USER, USER, home, home))

    def test_rekey_during_transfer(self):
        data = os.urandom(64 * 1024 * 1024)
        want = hashlib.sha256(data).hexdigest()
        r = self.srv.ssh("sha256sum", ["RekeyLimit=1M"], input=data, timeout=300)
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertEqual(r.stdout.split()[0].decode(), want)
        r = self.srv.ssh("head -c 67108864 /dev/zero", ["RekeyLimit=1M"],
                         timeout=300)
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertEqual(hashlib.sha256(r.stdout).hexdigest(),
                         hashlib.sha256(bytes(64 * 1024 * 1024)).hexdigest())

    def test_strict_kex_negotiated(self):
        start = len(self.srv.read_log())
        self.run_ok(what="strict")
        self.srv.wait_log(r"algorithms: .*strict", start=start)

    def test_accepted_log_line(self):
        start = len(self.srv.read_log())
        self.run_ok(what="log line")
        self.srv.wait_log(r"Accepted publickey for %s from 127\.0\.0\.1 "
                          r"port \d+ ssh2: ED25519 SHA256:[A-Za-z0-9+/]{43}"
                          % re.escape(USER), start=start)

    def test_update_host_keys(self):
        """hostkeys-00 / hostkeys-prove-00: the client learns every host key
        after proving them."""
        kh = os.path.join(self.srv.tmp, "known_hosts_update")
        # The client updates only a host it already knows, and keeps only
        # key types its HostKeyAlgorithms allow: learn the Ed25519 key,
        # then connect again with the default algorithms.
        for restrict in (["HostKeyAlgorithms=ssh-ed25519"], []):
            r = self.srv.ssh("true", ["UserKnownHostsFile=" + kh,
                                      "StrictHostKeyChecking=accept-new",
                                      "UpdateHostKeys=yes"] + restrict)
            self.assertEqual(r.returncode, 0, r.stderr)
        with open(kh) as f:
            types = sorted(line.split()[1] for line in f if line.strip())
        self.assertEqual(types, sorted(["ssh-ed25519", "ecdsa-sha2-nistp256",
                                        "ssh-rsa", "ecdsa-sha2-nistp384",
                                        "ecdsa-sha2-nistp521"]))

    def test_exit_signal(self):
        r = self.srv.ssh("kill -TERM $$", ["LogLevel=DEBUG1"])
        self.assertIn(b"rtype exit-signal", r.stderr)
        self.assertEqual(r.returncode, 255)

    def test_many_channels_on_one_connection(self):
        """Several sessions at once over one connection (ssh multiplexing):
        each gets its own output and exit status."""
        ctl = os.path.join(self.srv.tmp, "ctl-%d" % os.getpid())
        master = subprocess.Popen(
            [SSH, "-F", "/dev/null", "-p", str(self.srv.port),
             "-i", self.srv.user_key, "-o", "IdentitiesOnly=yes",
             "-o", "BatchMode=yes", "-o", "StrictHostKeyChecking=no",
             "-o", "UserKnownHostsFile=/dev/null", "-o", "LogLevel=ERROR",
             "-o", "ControlMaster=yes", "-o", "ControlPath=" + ctl, "-N",
             "%s@%s" % (USER, self.srv.host)], stdin=subprocess.DEVNULL)
        try:
            from harness import wait_until
            wait_until(lambda: os.path.exists(ctl), 20, "the control socket")
            clients = [subprocess.Popen(
                [SSH, "-F", "/dev/null", "-o", "ControlPath=" + ctl,
                 "-o", "ControlMaster=no", "x",
                 "head -c %d /dev/zero | tr '\\0' x; sleep 1; exit %d"
                 % (100000 * (i + 1), i)],
                stdout=subprocess.PIPE, stderr=subprocess.PIPE)
                for i in range(5)]
            for i, c in enumerate(clients):
                out, err = c.communicate(timeout=60)
                self.assertEqual(c.returncode, i, err)
                self.assertEqual(out, b"x" * (100000 * (i + 1)))
        finally:
            # The master may still be closing sessions: no need to wait.
            master.kill()
            master.wait(10)

    def test_unknown_key_refused(self):
        other = os.path.join(self.srv.tmp, "id_other")
        if not os.path.exists(other):
            keygen(other, "ed25519")
        r = self.srv.ssh("echo no", key=other)
        self.assertEqual(r.returncode, 255)
        self.assertEqual(r.stdout, b"")


class StartupsCountOnlyUnauthenticated(unittest.TestCase):
    def test_authenticated_session_frees_its_startup_slot(self):
        """With max_startups 1:100:1 a second unauthenticated connection is
        dropped; once the first has authenticated (the monitor tells the
        listener), it no longer counts."""
        with ExecServer(settings={"limits": {"max_startups": "1:100:1"}}) \
                as srv:
            # The harness's readiness probe must be gone first.
            srv.wait_log(r"session pid \d+ for .* exited with status 2")
            first = subprocess.Popen(
                [SSH, "-F", "/dev/null", "-p", str(srv.port), "-i",
                 srv.user_key, "-o", "IdentitiesOnly=yes", "-o",
                 "BatchMode=yes", "-o", "StrictHostKeyChecking=no", "-o",
                 "UserKnownHostsFile=/dev/null", "-o", "LogLevel=ERROR",
                 "%s@%s" % (USER, srv.host), "sleep 20"],
                stdin=subprocess.DEVNULL)
            try:
                srv.wait_log(r"Accepted publickey")
                srv.wait_log(r"Starting session")
                r = srv.ssh("echo second")
                self.assertEqual((r.stdout, r.returncode), (b"second\n", 0),
                                 srv.read_log()[-2000:])
            finally:
                first.kill()
                first.wait(10)


class Sha1HostKey(unittest.TestCase):
    def test_ssh_rsa_only_when_configured(self):
        """SHA-1 ssh-rsa host key signatures only when named in
        crypto.host_key_algorithms."""
        with ExecServer(key_types=("rsa",)) as srv:
            r = srv.ssh("true", ["HostKeyAlgorithms=ssh-rsa"])
            self.assertEqual(r.returncode, 255)
        with ExecServer(key_types=("rsa",), settings={"crypto": {
                "host_key_algorithms": ["rsa-sha2-512", "ssh-rsa"]}}) as srv:
            r = srv.ssh("true", ["HostKeyAlgorithms=ssh-rsa"])
            self.assertEqual(r.returncode, 0, r.stderr)


class ServerRekey(unittest.TestCase):
    """Rekeying started by the server: by bytes and by time."""

    def test_rekey_limit_and_interval(self):
        with ExecServer(settings={"crypto": {"rekey_limit": "1M",
                                             "rekey_interval": 1}}) as srv:
            data = os.urandom(16 * 1024 * 1024)
            r = srv.ssh("sha256sum; head -c 16777216 /dev/zero", input=data,
                        options=["LogLevel=DEBUG1"], timeout=300)
            self.assertEqual(r.returncode, 0, r.stderr[-2000:])
            self.assertEqual(r.stdout[:64].decode(),
                             hashlib.sha256(data).hexdigest())
            self.assertEqual(r.stdout[-16 * 1024 * 1024:],
                             bytes(16 * 1024 * 1024))
            # The client logs each key exchange the server started.
            self.assertGreaterEqual(r.stderr.count(b"SSH2_MSG_KEXINIT received"),
                                    10, r.stderr[-2000:])
            r = srv.ssh("sleep 3; echo slept", options=["LogLevel=DEBUG1"])
            self.assertEqual(r.stdout, b"slept\n", r.stderr[-2000:])
            self.assertGreaterEqual(r.stderr.count(b"SSH2_MSG_KEXINIT received"),
                                    3, r.stderr[-2000:])


class Paramiko(unittest.TestCase):
    def test_paramiko_exec(self):
        try:
            import paramiko
        except ImportError:
            self.skipTest("python3-paramiko is not installed")
        with ExecServer() as srv:
            client = paramiko.SSHClient()
            client.set_missing_host_key_policy(paramiko.AutoAddPolicy())
            client.connect(srv.host, port=srv.port, username=USER,
                           key_filename=srv.user_key, allow_agent=False,
                           look_for_keys=False, timeout=20)
            try:
                _, out, err = client.exec_command("echo hi; exit 7", timeout=20)
                self.assertEqual(out.read(), b"hi\n")
                self.assertEqual(out.channel.recv_exit_status(), 7)
            finally:
                client.close()


class AccessLists(unittest.TestCase):
    """allow_users, deny_users, allow_groups, deny_groups, also through a
    match block."""

    def login(self, auth, match=None):
        srv = ExecServer()
        try:
            srv.update_settings({"auth": auth})
            if match is not None:
                srv.update_settings({"match": match})
            srv.write_config()
            srv.start()
            r = srv.ssh("echo in")
            return r.returncode, srv.read_log()
        finally:
            srv.close()

    def test_lists(self):
        import grp
        group = grp.getgrgid(os.getgid()).gr_name
        cases = [
            ({"deny_users": [USER]}, 255, "listed in deny_users"),
            ({"allow_users": ["someone-else"]}, 255,
             "not listed in allow_users"),
            ({"allow_users": ["*", "!" + USER]}, 255,
             "not listed in allow_users"),
            ({"allow_users": [USER]}, 0, None),
            ({"deny_groups": [group]}, 255, "a group is listed in deny_groups"),
            ({"allow_groups": ["no-such-group-x"]}, 255,
             "no group is listed in allow_groups"),
            ({"allow_groups": [group]}, 0, None),
        ]
        for auth, want, why in cases:
            with self.subTest(auth=auth):
                rc, log = self.login(auth)
                self.assertEqual(rc, want, log[-1500:])
                if why:
                    self.assertIn("User %s from 127.0.0.1 not allowed "
                                  "because %s" % (USER, why), log)

    def test_match_block_overrides(self):
        rc, log = self.login({}, match=[{"users": [USER],
                                         "auth": {"deny_users": [USER]}}])
        self.assertEqual(rc, 255, log[-1500:])
        rc, log = self.login({}, match=[{"users": ["other"],
                                         "auth": {"deny_users": [USER]}}])
        self.assertEqual(rc, 0, log[-1500:])


class AuthorizedKeysOptions(unittest.TestCase):
    """Key options in authorized_keys, each with a case that lets the key
    in and one that keeps it out."""

    @classmethod
    def setUpClass(cls):
        cls.srv = ExecServer()
        cls.srv.start()
        with open(cls.srv.user_key + ".pub") as f:
            cls.pub = f.read().strip()

    @classmethod
    def tearDownClass(cls):
        cls.srv.close()

    def with_options(self, options, command="echo in"):
        # The file is read at each login: no restart needed.
        with open(self.srv.authorized, "w") as f:
            f.write("%s %s\n" % (options, self.pub) if options else
                    self.pub + "\n")
        return self.srv.ssh(command)

    def test_forced_command(self):
        r = self.with_options('command="echo forced:$SSH_ORIGINAL_COMMAND"',
                              "echo asked")
        self.assertEqual((r.stdout, r.returncode),
                         (b"forced:echo asked\n", 0), r.stderr)

    def test_from(self):
        for opt, ok in (('from="127.0.0.1"', True),
                        ('from="127.0.0.0/8,!10.0.0.1"', True),
                        ('from="10.0.0.0/8"', False),
                        ('from="!127.0.0.1,*"', False)):
            with self.subTest(opt=opt):
                r = self.with_options(opt)
                self.assertEqual(r.returncode, 0 if ok else 255, r.stderr)

    def test_expiry_time(self):
        self.assertEqual(self.with_options('expiry-time="29991231"')
                         .returncode, 0)
        self.assertEqual(self.with_options('expiry-time="20000101"')
                         .returncode, 255)

    def test_unknown_option_refuses_the_line(self):
        self.assertEqual(self.with_options("frobnicate").returncode, 255)
        self.assertEqual(self.with_options('tunnel="1"').returncode, 255)

    def test_restrictions_still_allow_exec(self):
        for opt in ("restrict", "no-pty,no-port-forwarding",
                    "restrict,pty", 'environment="FOO=bar"'):
            with self.subTest(opt=opt):
                r = self.with_options(opt, 'echo "in${FOO}"')
                self.assertEqual((r.stdout, r.returncode), (b"in\n", 0),
                                 r.stderr)

    def test_cert_authority_line_is_not_a_plain_key(self):
        self.assertEqual(self.with_options("cert-authority").returncode, 255)


class UserCertificates(unittest.TestCase):
    """OpenSSH user certificates: trusted through trusted_user_ca_keys or a
    cert-authority line; principal, validity, source-address and
    force-command honoured."""

    @classmethod
    def setUpClass(cls):
        cls.srv = ExecServer()
        cls.ca = os.path.join(cls.srv.tmp, "user_ca")
        keygen(cls.ca, "ed25519")
        cls.ca_file = os.path.join(cls.srv.tmp, "trusted_ca")
        with open(cls.ca + ".pub") as src, open(cls.ca_file, "w") as dst:
            dst.write(src.read())
        cls.srv.update_settings({"auth": dict(
            cls.srv.settings["auth"], trusted_user_ca_keys=cls.ca_file)})
        cls.srv.write_config()
        cls.srv.start()
        cls.n = 0

    @classmethod
    def tearDownClass(cls):
        cls.srv.close()

    def certified_key(self, *sign_args):
        """A fresh key with a certificate from the CA (ssh picks up
        KEY-cert.pub next to -i KEY)."""
        type(self).n += 1
        key = os.path.join(self.srv.tmp, "id_cert%d" % self.n)
        keygen(key, "ecdsa")
        subprocess.run([SSH_KEYGEN, "-q", "-s", self.ca, "-I", "test-id",
                        *sign_args, key + ".pub"], check=True,
                       stdin=subprocess.DEVNULL, timeout=30)
        return key

    def test_trusted_ca(self):
        key = self.certified_key("-n", USER)
        start = len(self.srv.read_log())
        r = self.srv.ssh("echo cert", key=key)
        self.assertEqual((r.stdout, r.returncode), (b"cert\n", 0), r.stderr)
        self.srv.wait_log(r"Accepted publickey for %s from 127\.0\.0\.1 "
                          r"port \d+ ssh2: ECDSA-CERT SHA256:\S+ ID test-id "
                          r"\(serial 0\) CA ED25519 SHA256:" % re.escape(USER),
                          start=start)

    def test_refused_certificates(self):
        for args in (["-n", "someone-else"],
                     ["-n", USER, "-V", "-2d:-1d"],
                     ["-n", USER, "-V", "+1d:+2d"],
                     ["-n", USER, "-O", "source-address=10.0.0.0/8"]):
            with self.subTest(args=args):
                start = len(self.srv.read_log())
                r = self.srv.ssh("echo no", key=self.certified_key(*args))
                self.assertEqual(r.returncode, 255, r.stderr)
                # Refused for the certificate's own reason, logged.
                self.srv.wait_log(r'Refused certificate ID "test-id"',
                                  start=start)

    def test_force_command(self):
        key = self.certified_key("-n", USER, "-O",
                                 "force-command=echo forced:$SSH_ORIGINAL_COMMAND")
        r = self.srv.ssh("echo asked", key=key)
        self.assertEqual(r.stdout, b"forced:echo asked\n", r.stderr)

    def test_cert_authority_line(self):
        other_ca = os.path.join(self.srv.tmp, "line_ca")
        if not os.path.exists(other_ca):
            keygen(other_ca, "ed25519")
        type(self).n += 1
        key = os.path.join(self.srv.tmp, "id_line%d" % self.n)
        keygen(key, "ed25519")
        subprocess.run([SSH_KEYGEN, "-q", "-s", other_ca, "-I", "line",
                        "-n", "deploy", key + ".pub"], check=True,
                       stdin=subprocess.DEVNULL, timeout=30)
        with open(other_ca + ".pub") as f:
            ca_pub = f.read().strip()
        with open(self.srv.authorized) as f:
            saved = f.read()
        try:
            for opts, want in (('cert-authority,principals="deploy"', 0),
                               ('cert-authority,principals="ops"', 255),
                               ("cert-authority", 255)):
                with open(self.srv.authorized, "w") as f:
                    f.write(saved + "%s %s\n" % (opts, ca_pub))
                with self.subTest(opts=opts):
                    r = self.srv.ssh("echo line", key=key)
                    self.assertEqual(r.returncode, want, r.stderr)
        finally:
            with open(self.srv.authorized, "w") as f:
                f.write(saved)


class Revocation(unittest.TestCase):
    """auth.revoked_keys: a listed key, or a certificate whose key or CA is
    listed, is refused even though authorized."""

    def test_revoked_key_and_certificate(self):
        srv = ExecServer()
        try:
            revoked = os.path.join(srv.tmp, "revoked")
            ca = os.path.join(srv.tmp, "ca")
            keygen(ca, "ed25519")
            certkey = os.path.join(srv.tmp, "id_c")
            keygen(certkey, "ed25519")
            subprocess.run([SSH_KEYGEN, "-q", "-s", ca, "-I", "c", "-n", USER,
                            certkey + ".pub"], check=True, timeout=30,
                           stdin=subprocess.DEVNULL)
            cafile = os.path.join(srv.tmp, "ca_keys")
            shutil.copy(ca + ".pub", cafile)
            with open(revoked, "w") as f:
                f.write("# revoked\n")
            srv.update_settings({"auth": dict(
                srv.settings["auth"], revoked_keys=revoked,
                trusted_user_ca_keys=cafile)})
            srv.write_config()
            srv.start()
            self.assertEqual(srv.ssh("true").returncode, 0)
            self.assertEqual(srv.ssh("true", key=certkey).returncode, 0)
            # The file is read at each login.
            with open(revoked, "a") as f, open(srv.user_key + ".pub") as k:
                f.write(k.read())
            self.assertEqual(srv.ssh("true").returncode, 255)
            srv.wait_log(r"Authentication key ED25519 of %s revoked"
                         % re.escape(USER))
            with open(revoked, "a") as f, open(ca + ".pub") as k:
                f.write(k.read())
            self.assertEqual(srv.ssh("true", key=certkey).returncode, 255)
            srv.wait_log(r"its key or its CA is revoked")
        finally:
            srv.close()


class FailureDelay(unittest.TestCase):
    def test_failures_wait_the_minimum(self):
        """A failed attempt is answered no sooner than 100 ms after it was
        made, for a known and an unknown user alike."""
        try:
            import paramiko
        except ImportError:
            self.skipTest("python3-paramiko is not installed")
        import time
        with ExecServer() as srv:
            for user in (USER, "no-such-user-%d" % os.getpid()):
                t = paramiko.Transport((srv.host, srv.port))
                try:
                    t.connect()
                    key = paramiko.ECDSAKey.generate()
                    start = time.monotonic()
                    with self.assertRaises(paramiko.AuthenticationException):
                        t.auth_publickey(user, key)
                    self.assertGreaterEqual(time.monotonic() - start, 0.1,
                                            user)
                finally:
                    t.close()


class AuthorizedKeysFiles(unittest.TestCase):
    def test_refused_and_nul_files_skipped(self):
        # A file others may write is refused, one holding a NUL is
        # ignored, each logged; the next file of the list still counts.
        srv = ExecServer()
        try:
            open_ = os.path.join(srv.tmp, "open_keys")
            nul = os.path.join(srv.tmp, "nul_keys")
            with open(srv.authorized) as f:
                line = f.read()
            for path, data, mode in ((open_, line, 0o666),
                                     (nul, "\0" + line, 0o600)):
                with open(path, "w") as f:
                    f.write(data)
                os.chmod(path, mode)
            srv.update_settings({"auth": {"authorized_keys": [
                open_, nul, srv.authorized]}})
            srv.write_config()
            srv.start()
            r = srv.ssh("echo in")
            self.assertEqual(r.stdout, b"in\n", r.stderr)
            srv.wait_log(r"Authentication refused for %s: %s: "
                         % (re.escape(USER), re.escape(open_)))
            srv.wait_log(r"%s: contains NUL bytes; ignored" % re.escape(nul))
            # Without the good file, the key is refused.
            srv.update_settings({"auth": {"authorized_keys": [open_, nul]}})
            srv.write_config()
            srv.stop()
            srv.start()
            self.assertEqual(srv.ssh("echo in").returncode, 255)
        finally:
            srv.close()


if __name__ == "__main__":
    unittest.main(verbosity=2)
