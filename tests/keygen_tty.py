#!/usr/bin/python3
"""keygen_tty.py: nanossh-keygen's questions on a terminal: the overwrite
question, passphrase prompts for a new key, for an encrypted one and for
-p's old and new passphrases."""
import os
import pty
import select
import shutil
import subprocess
import sys
import tempfile
import time

KEYGEN = os.path.join(os.environ.get("NANOSSH_BUILDDIR", "."), "nanossh-keygen")
SSH_KEYGEN = os.environ.get("SSH_KEYGEN", "ssh-keygen")
TIMEOUT = 60.0


class Tty:
    """nanossh-keygen running on a pseudo-terminal."""

    def __init__(self, *args):
        self.pid, self.fd = pty.fork()
        if self.pid == 0:
            try:
                os.execv(KEYGEN, [KEYGEN, *args])
            finally:
                os._exit(127)
        self.out = b""

    def expect(self, text):
        """Reads until text has appeared; fails after TIMEOUT seconds."""
        want = text.encode()
        deadline = time.monotonic() + TIMEOUT
        while want not in self.out:
            left = deadline - time.monotonic()
            if left <= 0:
                raise AssertionError(f"timed out waiting for {text!r}; got {self.out!r}")
            ready, _, _ = select.select([self.fd], [], [], left)
            if ready:
                try:
                    chunk = os.read(self.fd, 4096)
                except OSError:
                    chunk = b""
                if not chunk:
                    raise AssertionError(f"EOF waiting for {text!r}; got {self.out!r}")
                self.out += chunk
        # Consume through the match so the next expect sees what follows.
        self.out = self.out[self.out.index(want) + len(want):]

    def send(self, text):
        os.write(self.fd, text.encode())

    def wait(self):
        """The exit status, draining output so the child cannot block."""
        deadline = time.monotonic() + TIMEOUT
        while True:
            pid, status = os.waitpid(self.pid, os.WNOHANG)
            if pid != 0:
                break
            if time.monotonic() > deadline:
                raise AssertionError("nanossh-keygen did not exit")
            ready, _, _ = select.select([self.fd], [], [], 0.1)
            if ready:
                try:
                    self.out += os.read(self.fd, 4096)
                except OSError:
                    pass
        os.close(self.fd)
        return os.waitstatus_to_exitcode(status)


def check(cond, what, failures):
    if not cond:
        print(f"FAIL: {what}")
        failures.append(what)


def main():
    if not os.access(KEYGEN, os.X_OK):
        print(f"FAIL: {KEYGEN} not built")
        return 1
    failures = []
    tmp = tempfile.mkdtemp(prefix="keygen_tty.")
    try:
        key = os.path.join(tmp, "id")

        # A new key: the passphrase is asked twice, without echo.
        t = Tty("-t", "ed25519", "-C", "tty", "-f", key)
        t.expect("Enter passphrase (empty for no passphrase): ")
        t.send("tty secret\n")
        t.expect("Enter same passphrase again: ")
        t.send("tty secret\n")
        t.expect("Your identification has been saved in " + key)
        check(t.wait() == 0, "new key with prompted passphrase", failures)
        check(b"tty secret" not in t.out, "passphrase was echoed", failures)
        ours = subprocess.run([SSH_KEYGEN, "-y", "-P", "tty secret", "-f", key],
                              capture_output=True, text=True)
        check(ours.returncode == 0, "ssh-keygen reads the prompted-passphrase key",
              failures)

        # Mismatched passphrases: nothing is written.
        t = Tty("-t", "ed25519", "-f", key + "2")
        t.expect("Enter passphrase (empty for no passphrase): ")
        t.send("one\n")
        t.expect("Enter same passphrase again: ")
        t.send("two\n")
        check(t.wait() == 1, "mismatched passphrases exit 1", failures)
        check(not os.path.exists(key + "2"), "mismatch wrote a key", failures)

        # -y on an encrypted key asks for the passphrase.
        t = Tty("-y", "-f", key)
        t.expect("Enter passphrase: ")
        t.send("tty secret\n")
        t.expect("ssh-ed25519 ")
        t.expect(" tty")
        check(t.wait() == 0, "-y with prompted passphrase", failures)

        # -p asks for the old passphrase, then the new one twice, as
        # ssh-keygen -p does; the comment stays.
        t = Tty("-p", "-f", key)
        t.expect("Enter old passphrase: ")
        t.send("tty secret\n")
        t.expect("Enter new passphrase (empty for no passphrase): ")
        t.send("new secret\n")
        t.expect("Enter same passphrase again: ")
        t.send("new secret\n")
        t.expect("Your identification has been saved with the new passphrase.")
        check(t.wait() == 0, "-p with prompted passphrases", failures)
        check(b"secret" not in t.out, "-p echoed a passphrase", failures)
        # (ssh-keygen -y prints the comment stored in the private key.)
        ours = subprocess.run([SSH_KEYGEN, "-y", "-P", "new secret", "-f", key],
                              capture_output=True, text=True)
        check(ours.returncode == 0 and ours.stdout.endswith(" tty\n"),
              "ssh-keygen -y after -p: %r" % ours.stdout, failures)

        # The overwrite question: "n" keeps the key, "y" replaces it.
        with open(key, "rb") as f:
            before = f.read()
        t = Tty("-t", "ed25519", "-N", "", "-f", key)
        t.expect(key + " already exists.")
        t.expect("Overwrite (y/n)? ")
        t.send("n\n")
        check(t.wait() == 1, "answering n exits 1", failures)
        with open(key, "rb") as f:
            check(f.read() == before, "answering n changed the key", failures)

        t = Tty("-t", "ed25519", "-N", "", "-C", "again", "-f", key)
        t.expect("Overwrite (y/n)? ")
        t.send("y\n")
        t.expect("Your public key has been saved in " + key + ".pub")
        check(t.wait() == 0, "answering y succeeds", failures)
        with open(key, "rb") as f:
            check(f.read() != before, "answering y kept the old key", failures)
        with open(key + ".pub") as f:
            check(f.read().endswith(" again\n"), "new .pub file after y", failures)
        check(oct(os.stat(key).st_mode & 0o777) == "0o600", "mode after overwrite",
              failures)
    except AssertionError as e:
        print(f"FAIL: {e}")
        failures.append(str(e))
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    if failures:
        print(f"{len(failures)} failure(s)")
        return 1
    print("PASS: keygen tty")
    return 0


if __name__ == "__main__":
    sys.exit(main())
