#!/bin/sh
# Regenerates the KRL fixtures in this directory with ssh-keygen -k
# (OpenSSH 9.2 was used), from the keys and certificates in ../certs.
# Run from tests/krl: sh gen.sh.  See README for what each one revokes.
set -eu
KG=${SSH_KEYGEN:-ssh-keygen}
C=../certs
rm -f ./*.krl

# krl OUT [ssh-keygen options...] <<spec: a KRL from a specification file.
krl() {
	out=$1
	shift
	cat > spec.tmp
	$KG -q -k -f "$out.krl" "$@" spec.tmp
	rm -f spec.tmp
}

# Serials under the ed25519 CA, each written as ssh-keygen chooses:
# sparse serials as a list, a long run as a range, a dense scatter as a
# bitmap.
krl serial_list -s $C/ca_ed25519_key.pub <<SPEC
serial: 1
serial: 1000000
serial: 4000000000
SPEC
krl serial_range -s $C/ca_ed25519_key.pub <<SPEC
serial: 2-900000
SPEC
krl serial_bitmap -s $C/ca_ed25519_key.pub <<SPEC
serial: 3
serial: 5
serial: 7
serial: 9
serial: 11
serial: 13
serial: 15
serial: 17
serial: 19
serial: 21
serial: 23
SPEC
# A key ID under one CA, and a key ID under any CA ("-s none").
krl key_id -s $C/ca_ed25519_key.pub <<SPEC
id: alice-ed25519
SPEC
krl key_id_any -s none <<SPEC
id: alice-p256
SPEC
# Plain keys: a public key blob, a SHA1 and a SHA256 fingerprint, and a
# CA key (revoking every certificate it signed).
krl explicit_key <<SPEC
key: $(cat $C/user_ecdsa384_key.pub)
SPEC
krl sha1 <<SPEC
sha1: $(cat $C/user_rsa_key.pub)
SPEC
krl sha256 <<SPEC
sha256: $(cat $C/user_ed25519_key.pub)
SPEC
krl ca_key <<SPEC
key: $(cat $C/ca_ecdsa_key.pub)
SPEC
# Empty, with a version number and a comment.
krl empty -z 42 <<SPEC
SPEC
# A SHA256 fingerprint as sshd logs it ("hash:").
krl hash <<SPEC
hash: $($KG -l -f $C/user_ecdsa521_key.pub | awk '{print $2}')
SPEC
