#!/usr/bin/python3
"""Records real key exchanges with OpenSSH's sshd for check_kex_session.c.

Starts sshd on a free loopback port with a throw-away host key, connects with
paramiko once per key-exchange method, and writes what each side put into the
exchange hash (decoded from paramiko's hash input), K, H, the client's
ephemeral private key and paramiko's derived keys to openssh_kex.json.  sshd
signs H with its host key and paramiko verifies that signature, so H is
authenticated by OpenSSH itself.  Run as root (sshd needs it); not run by
the test suite, whose input is the recorded JSON.

usage: capture_openssh_kex.py [output.json]
"""
import hashlib
import json
import os
import socket
import struct
import subprocess
import sys
import tempfile
import time

import paramiko
from cryptography.hazmat.primitives import serialization
from paramiko import kex_curve25519, kex_ecdh_nist, kex_gex, kex_group14
from paramiko import kex_group16

METHODS = [
    ('curve25519-sha256@libssh.org', kex_curve25519.KexCurve25519, 'x25519'),
    ('ecdh-sha2-nistp256', kex_ecdh_nist.KexNistp256, 'ecdh'),
    ('ecdh-sha2-nistp384', kex_ecdh_nist.KexNistp384, 'ecdh'),
    ('ecdh-sha2-nistp521', kex_ecdh_nist.KexNistp521, 'ecdh'),
    ('diffie-hellman-group14-sha256', kex_group14.KexGroup14SHA256, 'dh'),
    ('diffie-hellman-group16-sha512', kex_group16.KexGroup16SHA512, 'dh'),
    ('diffie-hellman-group-exchange-sha256', kex_gex.KexGexSHA256, 'gex'),
]

recorded = []
original_hash = {}


def recorder(orig):
    def h(data=b''):
        recorded.append(bytes(data))
        return orig(data)
    return staticmethod(h)


for _, cls, _ in METHODS:
    original_hash[cls] = cls.hash_algo
    cls.hash_algo = recorder(cls.hash_algo)

# paramiko forgets K and the kex engine once the keys are in use; keep them.
shared_K = {}
_set_K_H = paramiko.Transport._set_K_H


def keep_K_H(self, k, h):
    shared_K[id(self)] = (k, self.kex_engine)
    return _set_K_H(self, k, h)


paramiko.Transport._set_K_H = keep_K_H


class Reader:
    def __init__(self, data):
        self.d, self.i = data, 0

    def u32(self):
        v = struct.unpack('>I', self.d[self.i:self.i + 4])[0]
        self.i += 4
        return v

    def string(self):
        n = self.u32()
        v = self.d[self.i:self.i + n]
        assert len(v) == n
        self.i += n
        return v

    def mpint(self):
        v = self.string()
        assert not v or v[0] & 0x80 == 0
        return v.lstrip(b'\0')

    def end(self):
        assert self.i == len(self.d)


def free_port():
    s = socket.socket()
    s.bind(('127.0.0.1', 0))
    port = s.getsockname()[1]
    s.close()
    return port


def wait_port(port, proc):
    for _ in range(200):
        if proc.poll() is not None:
            raise RuntimeError('sshd exited')
        try:
            socket.create_connection(('127.0.0.1', port), 0.2).close()
            return
        except OSError:
            time.sleep(0.05)
    raise RuntimeError('sshd did not start')


def int_bytes(n, length=None):
    if length is None:
        length = (n.bit_length() + 7) // 8
    return n.to_bytes(length, 'big')


def capture(port, name, cls, kind):
    del recorded[:]
    sock = socket.create_connection(('127.0.0.1', port), 10)
    t = paramiko.Transport(sock)
    opts = t.get_security_options()
    opts.kex = (name,)
    opts.key_types = ('ssh-ed25519',)
    t.start_client(timeout=10)
    K, eng = shared_K[id(t)]
    H, sid = t.H, t.session_id
    hin = [d for d in recorded if original_hash[cls](d).digest() == H]
    assert len(hin) == 1
    r = Reader(hin[0])
    out = {'name': name}
    for f in ('V_C', 'V_S', 'I_C', 'I_S', 'K_S'):
        out[f] = r.string()
    if kind == 'gex':
        out['gex_min'], out['gex_n'], out['gex_max'] = r.u32(), r.u32(), r.u32()
        out['gex_p'], out['gex_g'] = r.mpint(), r.mpint()
    if kind in ('dh', 'gex'):
        out['client_pub'], out['server_pub'] = r.mpint(), r.mpint()
    else:
        out['client_pub'], out['server_pub'] = r.string(), r.string()
    out['K'] = r.mpint()
    r.end()
    assert int.from_bytes(out['K'], 'big') == K
    if kind == 'x25519':
        priv = eng.key.private_bytes(serialization.Encoding.Raw,
                                     serialization.PrivateFormat.Raw,
                                     serialization.NoEncryption())
    elif kind == 'ecdh':
        priv = int_bytes(eng.P.private_numbers().private_value)
    else:
        priv = int_bytes(eng.x)
    out['client_private'] = priv
    out['H'] = H
    out['session_id'] = sid
    t.K, t.kex_engine = K, eng
    for letter in 'ABCDEF':
        out['key_' + letter] = t._compute_key(letter, 100)
    t.close()
    res = {}
    for k, v in out.items():
        if isinstance(v, bytes):
            v = v.decode() if k in ('V_C', 'V_S') else v.hex()
        res[k] = v
    return res


def main():
    outpath = sys.argv[1] if len(sys.argv) > 1 else os.path.join(
        os.path.dirname(os.path.abspath(__file__)), 'openssh_kex.json')
    with tempfile.TemporaryDirectory() as tmp:
        key = os.path.join(tmp, 'host_ed25519')
        subprocess.run(['ssh-keygen', '-q', '-t', 'ed25519', '-N', '', '-f',
                        key], check=True)
        port = free_port()
        cfg = os.path.join(tmp, 'sshd_config')
        with open(cfg, 'w') as f:
            f.write('ListenAddress 127.0.0.1\nPort %d\nHostKey %s\n'
                    'PidFile %s/pid\nUsePAM no\nLogLevel ERROR\n'
                    'KexAlgorithms %s\n' % (port, key, tmp, ','.join(
                        m[0] for m in METHODS)))
        os.makedirs('/run/sshd', exist_ok=True)
        proc = subprocess.Popen(['/usr/sbin/sshd', '-D', '-e', '-f', cfg])
        try:
            wait_port(port, proc)
            sessions = [capture(port, *m) for m in METHODS]
            version = subprocess.run(['/usr/sbin/sshd', '-V'],
                                     capture_output=True, text=True).stderr
        finally:
            proc.terminate()
            proc.wait(10)
    doc = {
        'source': 'paramiko %s client against %s, on loopback'
                  % (paramiko.__version__, version.strip()),
        'generator': 'tests/vectors/kex/capture_openssh_kex.py',
        'sessions': sessions,
    }
    with open(outpath, 'w') as f:
        json.dump(doc, f, indent=1)
        f.write('\n')


if __name__ == '__main__':
    main()
