"""harness.py: start a real nanosshd for integration tests.

    from harness import Server
    with Server() as srv:              # temp dir, host key, config, daemon
        banner = srv.banner()          # b"SSH-2.0-nanossh_..."
        ...
    print(srv.log_text)                # the daemon's stderr (-e)

Everything is bounded (every wait has a timeout), loopback only, on free
ports, inside a temporary directory that is removed afterwards.  The built
programs are found through $NANOSSH_BUILDDIR (set by `make check`).
"""

import contextlib
import os
import pwd
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time

BUILDDIR = os.environ.get("NANOSSH_BUILDDIR",
                          os.path.dirname(os.path.dirname(
                              os.path.abspath(__file__))))
SRCDIR = os.environ.get("NANOSSH_SRCDIR", BUILDDIR)
NANOSSHD = os.path.join(BUILDDIR, "nanosshd")
SESSION = os.path.join(BUILDDIR, "nanosshd-session")
KEYGEN = os.path.join(BUILDDIR, "nanossh-keygen")
SFTP_SERVER = os.path.join(BUILDDIR, "nanossh-sftp-server")
SCP_PROGRAM = os.path.join(BUILDDIR, "nanossh-scp")
SSH_KEYGEN = os.environ.get("SSH_KEYGEN") or "ssh-keygen"
SSH = os.environ.get("SSH") or "ssh"



def build_has_test_hooks():
    """True if the build was configured with --enable-test-hooks."""
    try:
        with open(os.path.join(BUILDDIR, "config.h")) as f:
            return re.search(r"^#define NANOSSH_TEST_HOOKS 1$", f.read(),
                             re.M) is not None
    except OSError:
        return False


# As root, nanosshd ignores the variables that point it at the built
# programs (NANOSSHD_SESSION, ...: common/testhook.h) unless the build has
# test hooks; without them every test would fail for that reason alone.
if os.geteuid() == 0 and not build_has_test_hooks():
    sys.stderr.write("SKIP: running as root needs a build configured with "
                     "--enable-test-hooks (as scripts/check's are)\n")
    sys.exit(77)

# Reports of the sanitizers (configure --enable-sanitizers) in a log.
SANITIZER_RX = re.compile(r"ERROR: (Address|Leak|Memory|Thread)Sanitizer|"
                          r"runtime error: ")

START_TIMEOUT = 10.0
STOP_TIMEOUT = 10.0
POLL_INTERVAL = 0.02


def wait_until(cond, timeout, what="condition"):
    """Polls cond() until it returns something true; that value, or raises
    TimeoutError after timeout seconds."""
    deadline = time.monotonic() + timeout
    while True:
        v = cond()
        if v:
            return v
        if time.monotonic() >= deadline:
            raise TimeoutError("timed out after %.1fs waiting for %s"
                               % (timeout, what))
        time.sleep(POLL_INTERVAL)


def pid_alive(pid):
    """True while pid runs (a zombie counts as gone)."""
    try:
        with open("/proc/%d/stat" % pid) as f:
            return f.read().rsplit(")", 1)[1].split()[0] != "Z"
    except (FileNotFoundError, ProcessLookupError):
        return False


def have_ipv6():
    """True if a socket can be bound on [::1]."""
    try:
        with socket.socket(socket.AF_INET6, socket.SOCK_STREAM) as s:
            s.bind(("::1", 0))
        return True
    except OSError:
        return False


def free_port(hosts=("127.0.0.1",)):
    """A TCP port that is currently free on every host given (the kernel
    picks it; bound and released again, so a small race remains)."""
    for _ in range(50):
        socks = []
        try:
            port = 0
            for h in hosts:
                fam = socket.AF_INET6 if ":" in h else socket.AF_INET
                s = socket.socket(fam, socket.SOCK_STREAM)
                socks.append(s)
                if fam == socket.AF_INET6:
                    s.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_V6ONLY, 1)
                s.bind((h, port))
                port = s.getsockname()[1]
            return port
        except OSError:
            continue
        finally:
            for s in socks:
                s.close()
    raise RuntimeError("no free port found")


def listen_spec(host, port):
    return "[%s]:%d" % (host, port) if ":" in host else "%s:%d" % (host, port)


def conf_value(v, indent="  "):
    """A Python value in libconfig syntax (str, int, bool, list, dict)."""
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, int):
        return str(v)
    if isinstance(v, str):
        return '"%s"' % v.replace("\\", "\\\\").replace('"', '\\"')
    if isinstance(v, (list, tuple)):
        # libconfig: arrays hold scalars, lists ( ) hold groups.
        if any(isinstance(x, dict) for x in v):
            return "( %s )" % ", ".join(conf_value(x, indent) for x in v)
        return "[ %s ]" % ", ".join(conf_value(x) for x in v)
    if isinstance(v, dict):
        inner = "".join("%s%s = %s;\n" % (indent, k, conf_value(x, indent + "  "))
                        for k, x in v.items())
        return "{\n%s%s}" % (inner, indent[:-2])
    raise TypeError("no libconfig form for %r" % (v,))


def conf_text(settings):
    return "".join("%s = %s;\n" % (k, conf_value(v)) for k, v in settings.items())


def make_host_key(path, key_type="ed25519"):
    """Writes an openssh-key-v1 private key (mode 0600) and path.pub, with
    nanossh-keygen when it is built, else ssh-keygen."""
    tools = [KEYGEN] if os.access(KEYGEN, os.X_OK) else []
    tools.append(SSH_KEYGEN)
    errors = []
    for tool in tools:
        for p in (path, path + ".pub"):
            if os.path.exists(p):
                os.unlink(p)
        r = subprocess.run([tool, "-q", "-t", key_type, "-N", "", "-C",
                            "harness", "-f", path],
                           stdin=subprocess.DEVNULL, capture_output=True,
                           timeout=60)
        if r.returncode == 0 and os.path.exists(path):
            os.chmod(path, 0o600)
            return tool
        errors.append("%s: exit %d: %s" % (tool, r.returncode,
                                           r.stderr.decode(errors="replace")))
    raise RuntimeError("cannot make host key %s:\n%s" % (path, "\n".join(errors)))


def certified_copies(key, ca, user, variants, directory):
    """Copies of the key pair at key (the private key's path) in
    directory, each certified by the CA key ca (ssh-keygen -s) for user
    with its options: variants is ((name, [options]), ...); returns
    {name: private key path}."""
    keys = {}
    for name, opts in variants:
        k = os.path.join(directory, "id_" + name)
        shutil.copy(key, k)
        shutil.copy(key + ".pub", k + ".pub")
        subprocess.run([SSH_KEYGEN, "-q", "-s", ca, "-I", name, "-n", user] +
                       list(opts) + [k + ".pub"], check=True,
                       stdin=subprocess.DEVNULL)
        keys[name] = k
    return keys


def privsep_user():
    """The user the protocol child runs as in tests."""
    if os.getuid() != 0:
        return pwd.getpwuid(os.getuid()).pw_name
    try:
        return pwd.getpwnam("nanossh").pw_name
    except KeyError:
        raise RuntimeError("running as root needs the privsep user "
                           "'nanossh' (scripts/check creates it)")


class DaemonDied(AssertionError):
    pass


class Server:
    """A temporary directory with host keys and a config, and (between
    start() and stop(), or inside `with`) a running nanosshd -D -e.

    settings: top-level config settings merged over the harness defaults
    (a dict value merges one level deep, e.g. {"limits": {...}}).
    overrides: -o arguments.  listen_hosts: loopback addresses to listen on,
    all on one free port (self.port)."""

    def __init__(self, settings=None, overrides=(), listen_hosts=("127.0.0.1",),
                 key_types=("ed25519",), extra_args=(), log_level="debug"):
        self.tmp = tempfile.mkdtemp(prefix="nanossh-test-")
        # Variables for the daemon (e.g. NANOSSHD_PAM_SERVICE).
        self.extra_env = {}
        self.proc = None
        self.log_text = ""
        self._log_file = None
        self.overrides = list(overrides)
        self.extra_args = list(extra_args)
        self.listen_hosts = list(listen_hosts)
        self.host = self.listen_hosts[0]
        self.port = free_port(self.listen_hosts)
        self.conf_path = os.path.join(self.tmp, "nanosshd.conf")
        self.pid_file = os.path.join(self.tmp, "nanosshd.pid")
        self.log_path = os.path.join(self.tmp, "nanosshd.log")
        self.empty = os.path.join(self.tmp, "empty")
        os.mkdir(self.empty, 0o755)
        self.host_keys = []
        for t in key_types:
            p = os.path.join(self.tmp, "ssh_host_%s_key" % t)
            make_host_key(p, t)
            self.host_keys.append(p)
        self.settings = {
            "listen": [listen_spec(h, self.port) for h in self.listen_hosts],
            "host_keys": list(self.host_keys),
            "pid_file": self.pid_file,
            # Not the system's /run/nanossh/control: tests run side by side.
            "control_socket": os.path.join(self.tmp, "control"),
            "log_level": log_level,
            # Unprivileged, the invoking user; as root, the system's
            # privsep user (scripts/check creates it).
            "privsep": {"user": privsep_user(), "chroot": self.empty},
        }
        self.update_settings(settings or {})
        self.write_config()

    # -- configuration --------------------------------------------------

    def update_settings(self, settings):
        for k, v in settings.items():
            if isinstance(v, dict) and isinstance(self.settings.get(k), dict):
                self.settings[k] = dict(self.settings[k], **v)
            else:
                self.settings[k] = v

    def write_config(self, text=None):
        """Writes self.settings (or the given raw text) to the config file."""
        if text is None:
            text = conf_text(self.settings)
        tmp = self.conf_path + ".new"
        with open(tmp, "w") as f:
            f.write(text)
        os.replace(tmp, self.conf_path)

    def env(self):
        e = dict(os.environ)
        e["NANOSSHD_SESSION"] = SESSION
        e["NANOSSH_SFTP_SERVER"] = SFTP_SERVER
        e["NANOSSH_SCP"] = SCP_PROGRAM
        e.update(self.extra_env)
        return e

    def run(self, *args, timeout=30):
        """Runs nanosshd once with args (e.g. "-t"), -f the config added
        unless given; returns the CompletedProcess (text output)."""
        argv = [NANOSSHD] + list(args)
        if "-f" not in args:
            argv += ["-f", self.conf_path]
        return subprocess.run(argv, stdin=subprocess.DEVNULL,
                              capture_output=True, text=True, timeout=timeout,
                              env=self.env())

    # -- the daemon -----------------------------------------------------

    @property
    def pid(self):
        return self.proc.pid if self.proc else None

    def read_log(self):
        try:
            with open(self.log_path, errors="replace") as f:
                self.log_text = f.read()
        except FileNotFoundError:
            pass
        return self.log_text

    def start(self, wait=True):
        # self.wrapper: a command the daemon runs under (for example
        # systemd-socket-activate and its options).
        argv = getattr(self, "wrapper", []) + [NANOSSHD, "-D", "-e", "-f",
                                               self.conf_path]
        for o in self.overrides:
            argv += ["-o", o]
        argv += self.extra_args
        self._log_file = open(self.log_path, "ab")
        self.proc = subprocess.Popen(argv, stdin=subprocess.DEVNULL,
                                     stdout=self._log_file,
                                     stderr=self._log_file, env=self.env(),
                                     close_fds=True)
        if wait:
            self.wait_listening()
        return self

    def check_alive(self):
        if self.proc.poll() is not None:
            raise DaemonDied("nanosshd exited with status %s; its log:\n%s"
                             % (self.proc.returncode, self.read_log()))

    def accepts(self, host=None, port=None):
        """True if a TCP connection to host:port succeeds right now."""
        host = host or self.host
        port = port or self.port
        try:
            with socket.create_connection((host, port), timeout=1):
                return True
        except OSError:
            return False

    def wait_listening(self, host=None, port=None, timeout=START_TIMEOUT):
        def ready():
            self.check_alive()
            return self.accepts(host, port)
        try:
            wait_until(ready, timeout, "nanosshd to accept on %s:%s"
                       % (host or self.host, port or self.port))
        except TimeoutError as e:
            raise AssertionError("%s; log:\n%s" % (e, self.read_log()))

    def wait_log(self, pattern, timeout=START_TIMEOUT, start=0):
        """Waits until the log (from offset start) matches the regular
        expression; returns the match."""
        rx = re.compile(pattern)
        try:
            return wait_until(lambda: rx.search(self.read_log(), start),
                              timeout, "log line /%s/" % pattern)
        except TimeoutError as e:
            raise AssertionError("%s; log:\n%s" % (e, self.log_text))

    def send_signal(self, sig):
        self.proc.send_signal(sig)

    def stop(self, sig=signal.SIGTERM, timeout=STOP_TIMEOUT):
        """Stops the daemon (sig, then SIGKILL after timeout); returns its
        exit status (negative: killed by that signal)."""
        if self.proc is None:
            return None
        if self.proc.poll() is None:
            self.proc.send_signal(sig)
            try:
                self.proc.wait(timeout)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(timeout)
        if self._log_file:
            self._log_file.close()
            self._log_file = None
        self.read_log()
        if SANITIZER_RX.search(self.log_text):
            raise AssertionError("sanitizer report in the log:\n%s"
                                 % self.log_text)
        return self.proc.returncode

    # -- clients ---------------------------------------------------------

    def connect(self, host=None, port=None, timeout=5):
        return socket.create_connection((host or self.host, port or self.port),
                                        timeout=timeout)

    def user_key(self, key_type="ed25519"):
        """Makes a client key pair in the temp dir and appends its public
        half to self.authorized_keys (a file; point auth.authorized_keys
        at it).  Returns the private key's path."""
        path = os.path.join(self.tmp, "id_%s" % key_type)
        if not os.path.exists(path):
            make_host_key(path, key_type)
            with open(path + ".pub") as f, \
                    open(self.authorized_keys, "a") as out:
                out.write(f.read())
            os.chmod(self.authorized_keys, 0o600)
        return path

    def authorize_user_key(self, key_type="ed25519"):
        """user_key(), with auth.authorized_keys naming only that file
        (the config rewritten); returns the private key's path."""
        key = self.user_key(key_type)
        self.update_settings({"auth": {"authorized_keys":
                                       [self.authorized_keys]}})
        self.write_config()
        return key

    @property
    def authorized_keys(self):
        return os.path.join(self.tmp, "authorized_keys")

    def known_hosts(self):
        """Writes a known_hosts file naming every host key for every
        listen address; returns its path."""
        path = os.path.join(self.tmp, "known_hosts")
        with open(path, "w") as out:
            for h in self.listen_hosts:
                name = "[%s]:%d" % (h, self.port)
                for k in self.host_keys:
                    with open(k + ".pub") as f:
                        fields = f.read().split()
                    out.write("%s %s %s\n" % (name, fields[0], fields[1]))
        return path

    def ssh_argv(self, *command, user=None, key=None, host=None,
                 options=()):
        """An OpenSSH client command line for this server: no user or
        system config, strict host key checking against known_hosts(),
        batch mode, only the given key (if any)."""
        user = user or pwd.getpwuid(os.getuid()).pw_name
        argv = [SSH, "-F", "/dev/null", "-p", str(self.port),
                "-o", "UserKnownHostsFile=%s" % self.known_hosts(),
                "-o", "GlobalKnownHostsFile=/dev/null",
                "-o", "StrictHostKeyChecking=yes",
                "-o", "BatchMode=yes",
                "-o", "ConnectTimeout=10",
                "-o", "IdentitiesOnly=yes",
                "-o", "IdentityAgent=none"]
        if key:
            argv += ["-i", key]
        for o in options:
            argv += ["-o", o]
        argv += ["-l", user, host or self.host, "--"]
        return argv + list(command)

    def banner(self, host=None, port=None, timeout=5):
        """Connects and returns the first line the server sends (b"" if it
        closes without one)."""
        with self.connect(host, port, timeout) as s:
            return recv_line(s, timeout)

    # -- cleanup -----------------------------------------------------------

    def close(self):
        try:
            self.stop()
        finally:
            shutil.rmtree(self.tmp, ignore_errors=True)

    def __enter__(self):
        try:
            return self.start()
        except BaseException:
            self.close()
            raise

    def __exit__(self, *exc):
        self.close()
        return False


def recv_line(sock, timeout=5, limit=1024):
    """Reads up to and including the first b"\\n" (bounded by limit bytes
    and timeout); returns that line (or what arrived before a close or the
    timeout; b"" on an immediate close).  Bytes after the line, such as
    the server's KEXINIT, are read one at a time so none is consumed."""
    sock.settimeout(timeout)
    data = b""
    deadline = time.monotonic() + timeout
    while b"\n" not in data and len(data) < limit:
        if time.monotonic() >= deadline:
            break
        try:
            chunk = sock.recv(1)
        except (ConnectionResetError, socket.timeout):
            break
        if not chunk:
            break
        data += chunk
    return data


@contextlib.contextmanager
def scratch_server(**kw):
    """A Server whose daemon is not started (for -t, -T and failures)."""
    srv = Server(**kw)
    try:
        yield srv
    finally:
        srv.close()
