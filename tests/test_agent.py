#!/usr/bin/python3
"""test_agent.py: agent forwarding (ssh -A, auth-agent-req@openssh.com).

A throwaway ssh-agent holds a test key; through `ssh -A` the server's
ssh-add lists it (-l and -L).  The socket (SSH_AUTH_SOCK) lives in a
fresh directory of mode 0700 owned by the user, under $XDG_RUNTIME_DIR
when that is the user's private directory, else /tmp, and both are gone
once the connection ends.  A client's env request cannot set
SSH_AUTH_SOCK.  Refusals: forwarding.agent false (globally and in a match
block), no-agent-forwarding and restrict on the key line (restrict,
agent-forwarding allows), a certificate without permit-agent-forwarding,
an SFTP-only account (sftp.force).  With paramiko: its own agent
forwarding works, want_reply is answered, and a second request on the
connection fails.  As root, a login as "nobody" gets a directory and
socket that belong to nobody."""

import os
import pwd
import re
import shutil
import signal
import stat
import subprocess
import sys
import tempfile
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import harness  # noqa: E402
from harness import Server, wait_until, SSH_KEYGEN  # noqa: E402

SSH = os.environ.get("SSH") or "ssh"
SSH_AGENT = shutil.which("ssh-agent")
SSH_ADD = shutil.which("ssh-add")
USER = pwd.getpwuid(os.getuid()).pw_name
WAIT = 20.0


def keygen(path, *opts):
    subprocess.run([SSH_KEYGEN, "-q", "-t", "ed25519", "-N", "", "-f", path]
                   + list(opts), check=True, stdin=subprocess.DEVNULL)
    with open(path + ".pub") as f:
        return f.read()


class Agent:
    """ssh-agent -D on a socket of its own, holding one fresh key."""

    def __init__(self, tmp):
        self.sock = os.path.join(tmp, "agent.sock")
        self.key = os.path.join(tmp, "id_agent")
        self.pub = keygen(self.key, "-C", "nanossh-agent-test")
        self.proc = subprocess.Popen([SSH_AGENT, "-D", "-a", self.sock],
                                     stdin=subprocess.DEVNULL,
                                     stdout=subprocess.DEVNULL,
                                     stderr=subprocess.DEVNULL)
        wait_until(lambda: os.path.exists(self.sock), WAIT, "ssh-agent")
        subprocess.run([SSH_ADD, "-q", self.key], check=True,
                       env=dict(os.environ, SSH_AUTH_SOCK=self.sock),
                       stdin=subprocess.DEVNULL, capture_output=True,
                       timeout=WAIT)
        self.fingerprint = subprocess.run(
            [SSH_KEYGEN, "-l", "-f", self.key + ".pub"], check=True,
            capture_output=True, text=True).stdout.split()[1]

    def close(self):
        self.proc.kill()
        self.proc.wait(WAIT)


def client_options(agent):
    """ssh -A forwards the IdentityAgent ("none" forwards nothing);
    IdentitiesOnly keeps its keys out of authentication."""
    if agent is None:
        return ["-o", "IdentityAgent=none"]
    return ["-A", "-o", "IdentityAgent=" + agent.sock]


def client_env():
    env = dict(os.environ)
    env.pop("SSH_AUTH_SOCK", None)
    return env


class AgentServer(Server):
    """A Server with a user key (key_options on its line)."""

    def __init__(self, key_options="", extra=None, **kw):
        super().__init__(log_level="verbose", **kw)
        self.key = os.path.join(self.tmp, "id_user")
        pub = keygen(self.key)
        self.set_key_line((key_options + " " if key_options else "") + pub)
        self.update_settings({"auth": {"authorized_keys":
                                       [self.authorized_keys],
                                       "methods": ["publickey"]}})
        self.update_settings(extra or {})
        self.write_config()

    def set_key_line(self, line):
        with open(self.authorized_keys, "w") as f:
            f.write(line)
        os.chmod(self.authorized_keys, 0o600)

    def ssh(self, command, agent=None, key=None, options=(), timeout=60):
        argv = [SSH, "-F", "/dev/null", "-p", str(self.port),
                "-i", key or self.key,
                "-o", "IdentitiesOnly=yes",
                "-o", "BatchMode=yes", "-o", "StrictHostKeyChecking=no",
                "-o", "UserKnownHostsFile=/dev/null",
                "-o", "LogLevel=ERROR", "-o", "ConnectTimeout=10"]
        argv += client_options(agent)
        for o in options:
            argv += ["-o", o]
        argv += ["%s@%s" % (USER, self.host), command]
        return subprocess.run(argv, stdin=subprocess.DEVNULL,
                              capture_output=True, text=True,
                              timeout=timeout, env=client_env())


@unittest.skipUnless(SSH_AGENT and SSH_ADD, "needs ssh-agent and ssh-add")
class AgentBase(unittest.TestCase):
    key_options = ""
    extra = None

    @classmethod
    def setUpClass(cls):
        cls.srv = AgentServer(key_options=cls.key_options, extra=cls.extra)
        cls.srv.start()
        cls.agent = Agent(cls.srv.tmp)

    @classmethod
    def tearDownClass(cls):
        cls.agent.close()
        cls.srv.close()

    def assert_forwarded(self, key=None):
        r = self.srv.ssh("ssh-add -l", agent=self.agent, key=key)
        self.assertEqual(r.returncode, 0, r.stderr + self.srv.read_log())
        self.assertIn(self.agent.fingerprint, r.stdout)

    def assert_refused(self, why, key=None):
        start = len(self.srv.read_log())
        r = self.srv.ssh("echo ${SSH_AUTH_SOCK-unset}", agent=self.agent,
                         key=key)
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertEqual(r.stdout, "unset\n")
        self.srv.wait_log(r"agent forwarding refused: " + re.escape(why),
                          start=start)


class Forwarded(AgentBase):
    def test_ssh_add_lists_the_key(self):
        self.assert_forwarded()

    def test_ssh_add_public_keys_match(self):
        r = self.srv.ssh("ssh-add -L", agent=self.agent)
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertEqual(r.stdout.split()[:2], self.agent.pub.split()[:2])

    def test_socket_private_and_removed(self):
        r = self.srv.ssh('s="$SSH_AUTH_SOCK"; echo "$s"; '
                         'stat -c "%a %u %F" "${s%/*}" "$s"',
                         agent=self.agent)
        self.assertEqual(r.returncode, 0, r.stderr)
        path, dmode, smode = r.stdout.splitlines()
        d = os.path.dirname(path)
        self.assertRegex(path, r"^/tmp/ssh-[A-Za-z0-9]{10}/agent\.[0-9]+$")
        self.assertEqual(dmode, "700 %d directory" % os.getuid())
        self.assertEqual(smode, "600 %d socket" % os.getuid())
        wait_until(lambda: not os.path.exists(d), WAIT,
                   "%s to be removed" % d)

    def test_without_A_no_socket(self):
        r = self.srv.ssh("echo ${SSH_AUTH_SOCK-unset}")
        self.assertEqual(r.stdout, "unset\n", r.stderr)

    def test_shell_gets_it_too(self):
        r = subprocess.run(
            [SSH, "-F", "/dev/null", "-p", str(self.srv.port), "-i",
             self.srv.key, "-T", "-o", "IdentitiesOnly=yes", "-o",
             "BatchMode=yes", "-o", "StrictHostKeyChecking=no", "-o",
             "UserKnownHostsFile=/dev/null", "-o", "LogLevel=ERROR"]
            + client_options(self.agent) + ["%s@%s" % (USER, self.srv.host)],
            input="ssh-add -l\nexit\n", capture_output=True, text=True,
            timeout=60, env=client_env())
        self.assertIn(self.agent.fingerprint, r.stdout, r.stderr)


class ClientCannotSetIt(AgentBase):
    """session.accept_env "*" lets everything through but SSH_AUTH_SOCK."""
    extra = {"session": {"accept_env": ["*"]}}

    def test_env_request_ignored_with_agent(self):
        start = len(self.srv.read_log())
        r = self.srv.ssh('echo "$SSH_AUTH_SOCK $FOO"', agent=self.agent,
                         options=("SetEnv=SSH_AUTH_SOCK=/tmp/evil FOO=bar",))
        self.assertEqual(r.returncode, 0, r.stderr)
        sock, foo = r.stdout.split()
        self.assertEqual(foo, "bar")
        self.assertTrue(sock.startswith("/tmp/ssh-"), sock)
        self.srv.wait_log(r"environment variable SSH_AUTH_SOCK refused",
                          start=start)

    def test_env_request_ignored_without_agent(self):
        r = self.srv.ssh("echo ${SSH_AUTH_SOCK-unset}",
                         options=("SetEnv=SSH_AUTH_SOCK=/tmp/evil",))
        self.assertEqual(r.stdout, "unset\n", r.stderr)


class RuntimeDir(AgentBase):
    """$XDG_RUNTIME_DIR, when it is the user's own private directory,
    holds the socket's directory instead of /tmp."""

    @classmethod
    def setUpClass(cls):
        cls.srv = AgentServer()
        cls.runtime = tempfile.mkdtemp(prefix="xdg-", dir="/tmp")
        os.chmod(cls.runtime, 0o700)
        cls.srv.extra_env["XDG_RUNTIME_DIR"] = cls.runtime
        cls.srv.start()
        cls.agent = Agent(cls.srv.tmp)

    @classmethod
    def tearDownClass(cls):
        super().tearDownClass()
        shutil.rmtree(cls.runtime, ignore_errors=True)

    def sock_path(self):
        r = self.srv.ssh('echo "$SSH_AUTH_SOCK"; ssh-add -l',
                         agent=self.agent)
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertIn(self.agent.fingerprint, r.stdout)
        return r.stdout.splitlines()[0]

    def test_private_runtime_dir_used(self):
        os.chmod(self.runtime, 0o700)
        path = self.sock_path()
        self.assertEqual(os.path.dirname(os.path.dirname(path)),
                         self.runtime)
        wait_until(lambda: os.listdir(self.runtime) == [], WAIT,
                   "the runtime directory to be emptied")

    def test_open_runtime_dir_not_used(self):
        os.chmod(self.runtime, 0o755)
        try:
            path = self.sock_path()
        finally:
            os.chmod(self.runtime, 0o700)
        self.assertTrue(path.startswith("/tmp/ssh-"), path)


class GloballyOff(AgentBase):
    extra = {"forwarding": {"agent": False}}

    def test_refused(self):
        self.assert_refused("forwarding.agent is false")


class OffInMatch(AgentBase):
    extra = {"match": [{"users": [USER], "forwarding": {"agent": False}}]}

    def test_refused(self):
        self.assert_refused("forwarding.agent is false")


class OffInOtherMatch(AgentBase):
    extra = {"match": [{"users": ["nobody-else-*"],
                        "forwarding": {"agent": False}}]}

    def test_allowed(self):
        self.assert_forwarded()


class KeyNoAgentForwarding(AgentBase):
    key_options = "no-agent-forwarding"

    def test_refused(self):
        self.assert_refused("no-agent-forwarding or restrict on the key")


class KeyRestrict(AgentBase):
    key_options = "restrict"

    def test_refused(self):
        self.assert_refused("no-agent-forwarding or restrict on the key")


class KeyRestrictAgentForwarding(AgentBase):
    key_options = "restrict,agent-forwarding"

    def test_allowed(self):
        self.assert_forwarded()


class SftpOnly(AgentBase):
    extra = {"sftp": {"force": True}}

    def test_refused(self):
        start = len(self.srv.read_log())
        self.srv.ssh("true", agent=self.agent)
        self.srv.wait_log(r"agent forwarding refused: the account is "
                          r"SFTP-only", start=start)


class Certificate(AgentBase):
    """A certificate without permit-agent-forwarding forbids it; one with
    it (ssh-keygen's default) allows it."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        ca = os.path.join(cls.srv.tmp, "ca")
        cls.srv.set_key_line("cert-authority " + keygen(ca))
        cls.keys = harness.certified_copies(
            cls.srv.key, ca, USER, (("noagent", ["-O", "no-agent-forwarding"]), ("agent", [])),
            cls.srv.tmp)

    def test_without_extension_refused(self):
        self.assert_refused("a certificate without permit-agent-forwarding",
                            key=self.keys["noagent"])

    def test_with_extension_allowed(self):
        self.assert_forwarded(key=self.keys["agent"])


def paramiko_or_skip():
    try:
        import paramiko
        return paramiko
    except ImportError:
        raise unittest.SkipTest("needs paramiko")


def agent_request(chan, want_reply=True):
    """auth-agent-req@openssh.com on a paramiko channel; with want_reply
    True (paramiko's own request_forward_agent sends False) whether it
    succeeded."""
    paramiko = paramiko_or_skip()
    from paramiko.common import cMSG_CHANNEL_REQUEST
    m = paramiko.Message()
    m.add_byte(cMSG_CHANNEL_REQUEST)
    m.add_int(chan.remote_chanid)
    m.add_string("auth-agent-req@openssh.com")
    m.add_boolean(want_reply)
    chan._event_pending()
    chan.transport._send_user_message(m)
    try:
        chan._wait_for_event()
        return True
    except paramiko.SSHException:
        return False


def paramiko_transport(srv, user=USER, key=None):
    paramiko = paramiko_or_skip()
    t = paramiko.Transport((srv.host, srv.port))
    t.start_client(timeout=WAIT)
    t.auth_publickey(user, paramiko.Ed25519Key.from_private_key_file(
        key or srv.key))
    return t


class WantReply(AgentBase):
    """The request with want_reply set is answered; once per connection."""

    def channel_request(self, chan):
        return agent_request(chan)

    def transport(self):
        return paramiko_transport(self.srv)

    def test_once_per_connection(self):
        t = self.transport()
        try:
            a = t.open_session(timeout=WAIT)
            self.assertTrue(self.channel_request(a))
            self.assertFalse(self.channel_request(a))
            b = t.open_session(timeout=WAIT)
            self.assertFalse(self.channel_request(b))
            # Every session of the connection gets the one socket
            # (paramiko drops a channel whose request failed).
            c = t.open_session(timeout=WAIT)
            c.exec_command("echo $SSH_AUTH_SOCK")
            out = c.makefile().read().decode()
            self.assertRegex(out, r"^/tmp/ssh-[A-Za-z0-9]{10}/agent\.\d+\n$")
            d = os.path.dirname(out.strip())
            self.assertTrue(os.path.isdir(d))
        finally:
            t.close()
        wait_until(lambda: not os.path.exists(d), WAIT,
                   "%s to be removed" % d)

    def test_removed_when_the_monitor_dies(self):
        """The helper cleans up on its socketpair's end of file, so even a
        monitor killed outright (SIGKILL) leaves nothing behind."""
        t = self.transport()
        try:
            a = t.open_session(timeout=WAIT)
            self.assertTrue(self.channel_request(a))
            a.exec_command("echo $SSH_AUTH_SOCK")
            path = a.makefile().read().decode().strip()
            d = os.path.dirname(path)
            self.assertTrue(os.path.isdir(d))
            # agent.<pid>: the monitor's pid.
            os.kill(int(path.rsplit(".", 1)[1]), signal.SIGKILL)
            wait_until(lambda: not os.path.exists(d), WAIT,
                       "%s to be removed" % d)
        finally:
            t.close()

    def test_after_the_command_fails(self):
        t = self.transport()
        try:
            a = t.open_session(timeout=WAIT)
            a.exec_command("sleep 5")
            self.assertFalse(self.channel_request(a))
        finally:
            t.close()


class ParamikoClient(AgentBase):
    """paramiko's own agent forwarding (AgentRequestHandler) reaches the
    agent through the channels the server opens."""

    def test_ssh_add_lists_the_key(self):
        paramiko = paramiko_or_skip()
        import paramiko.agent
        old = os.environ.get("SSH_AUTH_SOCK")
        os.environ["SSH_AUTH_SOCK"] = self.agent.sock
        t = paramiko_transport(self.srv)
        try:
            chan = t.open_session(timeout=WAIT)
            handler = paramiko.agent.AgentRequestHandler(chan)
            chan.exec_command("ssh-add -l")
            chan.settimeout(WAIT)
            out = chan.makefile().read().decode()
            self.assertEqual(chan.recv_exit_status(), 0)
            self.assertIn(self.agent.fingerprint, out)
            handler.close()
        finally:
            t.close()
            if old is None:
                os.environ.pop("SSH_AUTH_SOCK", None)
            else:
                os.environ["SSH_AUTH_SOCK"] = old


class WantReplyRefused(AgentBase):
    extra = {"forwarding": {"agent": False}}

    def test_refused(self):
        t = paramiko_transport(self.srv)
        try:
            a = t.open_session(timeout=WAIT)
            self.assertFalse(agent_request(a))
        finally:
            t.close()


@unittest.skipUnless(os.getuid() == 0, "needs root to serve another user")
class AsTheUser(unittest.TestCase):
    """Served as root, a login as "nobody" gets a directory and socket
    that belong to nobody, and nobody's process removes them."""

    @classmethod
    def setUpClass(cls):
        cls.pw = pwd.getpwnam("nobody")
        cls.dir = tempfile.mkdtemp(prefix="nanossh-agent-user-")
        os.chmod(cls.dir, 0o755)
        cls.key = os.path.join(cls.dir, "id_user")
        keygen(cls.key)
        authorized = os.path.join(cls.dir, "authorized_keys")
        shutil.copy(cls.key + ".pub", authorized)
        os.chmod(authorized, 0o644)
        cls.srv = AgentServer()
        cls.srv.update_settings({"auth": {"authorized_keys": [authorized],
                                          "methods": ["publickey"]}})
        cls.srv.write_config()
        cls.srv.start()

    @classmethod
    def tearDownClass(cls):
        cls.srv.close()
        shutil.rmtree(cls.dir, ignore_errors=True)

    def test_socket_belongs_to_the_user(self):
        start = len(self.srv.read_log())
        t = paramiko_transport(self.srv, user="nobody", key=self.key)
        try:
            chan = t.open_session(timeout=WAIT)
            self.assertTrue(agent_request(chan))
            path = self.srv.wait_log(r"agent forwarding: socket (\S+)",
                                     start=start).group(1)
            d = os.path.dirname(path)
            st = os.stat(d)
            self.assertEqual((st.st_uid, stat.S_IMODE(st.st_mode)),
                             (self.pw.pw_uid, 0o700))
            self.assertTrue(stat.S_ISDIR(st.st_mode))
            st = os.stat(path)
            self.assertEqual((st.st_uid, stat.S_IMODE(st.st_mode)),
                             (self.pw.pw_uid, 0o600))
            self.assertTrue(stat.S_ISSOCK(st.st_mode))
        finally:
            t.close()
        wait_until(lambda: not os.path.exists(d), WAIT,
                   "%s to be removed" % d)


if __name__ == "__main__":
    unittest.main()
