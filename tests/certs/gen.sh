#!/bin/sh
# Regenerates the certificate fixtures in this directory with ssh-keygen
# (OpenSSH 9.2 was used).  Run from tests/certs: sh gen.sh
# The keys are test keys only: none of them guards anything.
set -eu
KG=${SSH_KEYGEN:-ssh-keygen}
rm -f ./*_key ./*_key.pub ./*-cert.pub

key() {	# name type [bits]
	if [ $# -eq 3 ]; then
		$KG -q -t "$2" -b "$3" -N '' -C "$1" -f "$1_key"
	else
		$KG -q -t "$2" -N '' -C "$1" -f "$1_key"
	fi
}
# sign CA out-name key-name args...: writes OUT-cert.pub
sign() {
	ca=$1 out=$2 k=$3
	shift 3
	cp "${k}_key.pub" "$out.pub"
	$KG -q -s "${ca}_key" "$@" "$out.pub"
	rm -f "$out.pub"
}

key ca_ed25519 ed25519
key ca_ecdsa ecdsa 384
key ca_rsa rsa 2048
key user_ed25519 ed25519
key user_ecdsa256 ecdsa 256
key user_ecdsa384 ecdsa 384
key user_ecdsa521 ecdsa 521
key user_rsa rsa 2048
key host_ed25519 ed25519

W='-V 20200101000000Z:20300101000000Z'
# One user certificate per key type, valid forever.
sign ca_ed25519 user_ed25519 user_ed25519 -I alice-ed25519 -n alice,bob -z 1
sign ca_ecdsa user_ecdsa256 user_ecdsa256 -I alice-p256 -n alice -z 2
sign ca_ed25519 user_ecdsa384 user_ecdsa384 -I alice-p384 -n alice -z 3
sign ca_ecdsa user_ecdsa521 user_ecdsa521 -I alice-p521 -n alice -z 4
sign ca_rsa user_rsa user_rsa -t rsa-sha2-512 -I alice-rsa -n alice -z 5
# RSA CA signatures: SHA-256 accepted, SHA-1 (ssh-rsa) refused.
sign ca_rsa user_rsa256 user_ed25519 -t rsa-sha2-256 -I rsa256 -n alice
sign ca_rsa user_rsasha1 user_ed25519 -t ssh-rsa -I sha1 -n alice
# Validity windows.
sign ca_ed25519 user_window user_ed25519 -I window -n alice $W
sign ca_ed25519 user_expired user_ed25519 -I expired -n alice \
	-V 20000101000000Z:20010101000000Z
sign ca_ed25519 user_notyet user_ed25519 -I notyet -n alice \
	-V 20990101000000Z:21000101000000Z
# Critical options and extensions.
sign ca_ed25519 user_force user_ed25519 -I force -n alice \
	-O force-command='/bin/echo forced'
sign ca_ed25519 user_source user_ed25519 -I source -n alice \
	-O source-address=10.0.0.0/8,2001:db8::/32,192.0.2.7
sign ca_ed25519 user_verify user_ed25519 -I verify -n alice \
	-O verify-required
sign ca_ed25519 user_unknown_crit user_ed25519 -I unknown -n alice \
	-O critical:frobnicate@example.com=yes
sign ca_ed25519 user_noext user_ed25519 -I noext -n alice -O clear \
	-O extension:custom@example.com
sign ca_ed25519 user_someext user_ed25519 -I someext -n alice -O clear \
	-O permit-pty -O permit-agent-forwarding -O no-touch-required
sign ca_ed25519 user_noprincipals user_ed25519 -I noprincipals
# A host certificate for the host key.
sign ca_ed25519 host_ed25519 host_ed25519 -h -I host -n host.example.com,localhost $W
# A host certificate for a key we do not hold (mismatch test).
sign ca_ed25519 host_other user_ed25519 -h -I other -n host.example.com
# Only the public halves of the user keys are needed.
rm -f user_*_key
