#!/usr/bin/python3
"""test_manpages.py: the manual pages are lint-clean (mandoc -T lint), every
setting nanosshd -T prints is documented in nanosshd.conf(5), and every
flag each program's usage message names is documented in its page."""

import os
import re
import shutil
import subprocess
import sys
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import harness  # noqa: E402

MAN = os.path.join(harness.SRCDIR, "man")
MANDOC = shutil.which("mandoc")
# Not about the page: other packages' pages missing from this machine.
NOT_THE_PAGE = re.compile(r"referenced manual not found|outdated mandoc\.db")

PROGRAMS = {
    "nanosshd": "nanosshd.8",
    "nanossh-keygen": "nanossh-keygen.1",
    "nanossh-sftp-server": "nanossh-sftp-server.8",
    "nanossh-scp": "nanossh-sftp-server.8",
    "nanosshctl": "nanosshctl.8",
    "nanosshd-session": "nanosshd.8",
}


def page(name):
    with open(os.path.join(MAN, name)) as f:
        return f.read()


def dump_keys(text):
    """The dotted names of the settings in nanosshd -T's output."""
    keys, path = [], []
    for line in text.splitlines():
        line = line.strip()
        m = re.match(r"^([a-z0-9_]+) : \{$", line)
        if m:
            path.append(m.group(1))
        elif line == "};":
            path.pop()
        elif line.startswith("match"):
            continue
        else:
            m = re.match(r"^([a-z0-9_]+) = ", line)
            if m:
                keys.append(".".join(path + [m.group(1)]))
    return keys


def usage_flags(program):
    """The option letters of program's usage message (it prints one for
    an unknown option)."""
    r = subprocess.run([os.path.join(harness.BUILDDIR, program), "-?"],
                       capture_output=True, text=True, timeout=30,
                       stdin=subprocess.DEVNULL)
    text = r.stderr + r.stdout
    if "usage:" not in text:
        raise AssertionError("%s printed no usage: %r" % (program, text))
    flags = set()
    for word in re.findall(r"\[-([A-Za-z]+)|(?:^|\s)-([A-Za-z])\b", text):
        for group in word:
            flags.update(group)
    return flags


@unittest.skipUnless(MANDOC, "mandoc is not installed (scripts/deps --test)")
class Lint(unittest.TestCase):
    def test_every_page_lint_clean(self):
        for name in sorted(os.listdir(MAN)):
            with self.subTest(page=name):
                r = subprocess.run([MANDOC, "-T", "lint", "-W", "style",
                                    os.path.join(MAN, name)],
                                   capture_output=True, text=True, timeout=60)
                problems = [l for l in (r.stdout + r.stderr).splitlines()
                            if l and not NOT_THE_PAGE.search(l)]
                self.assertEqual(problems, [])


class Documented(unittest.TestCase):
    def test_every_setting_in_conf5(self):
        with harness.scratch_server() as srv:
            r = srv.run("-T")
        self.assertEqual(r.returncode, 0, r.stderr)
        keys = dump_keys(r.stdout)
        self.assertGreater(len(keys), 50)
        documented = set(re.findall(r"^\.It Cm ([a-z0-9_.]+)",
                                    page("nanosshd.conf.5"), re.M))
        self.assertEqual([k for k in keys if k not in documented], [])

    def test_every_flag_in_its_page(self):
        for program, name in PROGRAMS.items():
            with self.subTest(program=program):
                flags = usage_flags(program)
                self.assertTrue(flags)
                text = page(name)
                missing = [f for f in sorted(flags)
                           if not re.search(r"^\.It Fl %s\b" % f, text, re.M)]
                self.assertEqual(missing, [], "%s(%s)" % (program, name))


if __name__ == "__main__":
    unittest.main(verbosity=2)
