#!/usr/bin/python3
# Expected values for tests/unit/check_kex_derive.c, computed independently of
# the C code with hashlib: the exchange hash H (RFC 4253 section 8, RFC 4419
# section 3, RFC 5656 section 4, RFC 8731) and the key derivation (RFC 4253
# section 7.2) for fixed inputs.  Run it to regenerate the constants.
import hashlib
import struct
def u32(n): return struct.pack('>I', n)
def string(b): return u32(len(b)) + b
def mpint(raw):
    n = int.from_bytes(raw, 'big')
    if n == 0: return u32(0)
    b = n.to_bytes((n.bit_length() + 7) // 8, 'big')
    if b[0] & 0x80: b = b'\x00' + b
    return string(b)
# RFC 3526 section 4, the 3072-bit MODP group.
GROUP15_P = (
    'ffffffffffffffffc90fdaa22168c234c4c6628b80dc1cd129024e088a67cc74'
    '020bbea63b139b22514a08798e3404ddef9519b3cd3a431b302b0a6df25f1437'
    '4fe1356d6d51c245e485b576625e7ec6f44c42e9a637ed6b0bff5cb6f406b7ed'
    'ee386bfb5a899fa5ae9f24117c4b1fe649286651ece45b3dc2007cb8a163bf05'
    '98da48361c55d39a69163fa8fd24cf5f83655d23dca3ad961c62f356208552bb'
    '9ed529077096966d670c354e4abc9804f1746c08ca18217c32905e462e36ce3b'
    'e39e772c180e86039b2783a2ec07a28fb5c55df06f4c52c9de2bcbf695581718'
    '3995497cea956ae515d2261898fa051015728e5a8aaac42dad33170d04507a33'
    'a85521abdf1cba64ecfb850458dbef0a8aea71575d060c7db3970f85a6e1e4c7'
    'abf5ae8cdb0933d71e8c94e04a25619dcee3d2261ad2ee6bf12ffa06d98a0864'
    'd87602733ec86a64521f2b18177b200cbbe117577a615d6c770988c0bad946e2'
    '08e24fa074e5ab3143db5bfce0fd108e4b82d120a93ad2caffffffffffffffff'
)
VC = b'SSH-2.0-OpenSSH_9.2p1 Debian-2+deb12u10'
VS = b'SSH-2.0-nanossh_0.1'
IC = b'\x14' + b'\x11' * 16 + b'client kexinit'
IS = b'\x14' + b'\x22' * 16 + b'server kexinit'
KS = string(b'ssh-ed25519') + string(bytes(range(32)))
common = string(VC) + string(VS) + string(IC) + string(IS) + string(KS)
# RFC 7748 section 6.1: Alice's and Bob's public keys and their shared secret.
apub = bytes.fromhex('8520f0098930a754748b7ddcb43ef75a0dbf3a0d26381af4eba4a98eaa9b4e6a')
bpub = bytes.fromhex('de9edb7d7b7dc1b4d35b61c2ece435373f8343c85b78674dadfc7e146f882b4f')
x_shared = bytes.fromhex('4a5d9d5ba4ce2de1728e3bf480350f25e07e21c947d19e3376f09b3c1e161742')
cases = [
  ('curve25519-sha256', 'sha256', string(apub) + string(bpub), x_shared),
  ('ecdh-sha2-nistp384', 'sha384', string(b'\x04' + b'\xa1' * 96) + string(b'\x04' + b'\xb2' * 96), b'\x00' + b'\x85' * 47),
  ('ecdh-sha2-nistp521', 'sha512', string(b'\x04' + b'\xc3' * 132) + string(b'\x04' + b'\xd4' * 132), b'\x01' + b'\x5a' * 65),
  ('diffie-hellman-group14-sha256', 'sha256', mpint(b'\x7e' * 256) + mpint(b'\x80' * 256), b'\xf0' * 256),
  ('diffie-hellman-group16-sha512', 'sha512', mpint(b'\x00\x00\x01\x02') + mpint(b'\xff' * 512), b'\x00' + b'\x0f' * 511),
  ('diffie-hellman-group-exchange-sha256', 'sha256',
     u32(2048) + u32(3072) + u32(8192) + mpint(bytes.fromhex(GROUP15_P)) + mpint(b'\x02') +
     mpint(b'\x55' * 384) + mpint(b'\xaa' * 384), b'\x33' * 384),
]
sid = hashlib.sha256(b'session id').digest()
for name, h, middle, kraw in cases:
    K = mpint(kraw)
    H = hashlib.new(h, common + middle + K).digest()
    print(name, 'H', H.hex())
    hl = len(H)
    for letter in 'AF':
        need = 3 * hl + 5
        out = hashlib.new(h, K + H + letter.encode() + sid).digest()
        while len(out) < need:
            out += hashlib.new(h, K + H + out).digest()
        print(name, letter, out[:need].hex())
print('x25519 shared', x_shared.hex())
