#!/bin/sh
# keygen_interop.sh: nanossh-keygen and OpenSSH's ssh-keygen read each
# other's keys and print the same fingerprints and public key lines; -e and
# -i conversions go both ways; PEM/PKCS#8 keys from openssl convert with -p;
# ssh-keygen -Z keys read; hostile and malformed files are refused.
set -u

KEYGEN="${NANOSSH_BUILDDIR:-.}/nanossh-keygen"
SSH_KEYGEN="${SSH_KEYGEN:-ssh-keygen}"
PASS="interop pass phrase"

if ! command -v "$SSH_KEYGEN" >/dev/null 2>&1; then
	echo "SKIP: $SSH_KEYGEN not found"
	exit 77
fi
[ -x "$KEYGEN" ] || { echo "FAIL: $KEYGEN not built"; exit 1; }

TMP=$(mktemp -d "${TMPDIR:-/tmp}/keygen_interop.XXXXXX") || exit 1
trap 'rm -rf "$TMP"' EXIT INT TERM
failures=0

fail() {
	echo "FAIL: $*"
	failures=$((failures + 1))
}

# same WHAT CMD1 -- CMD2: both commands succeed with identical output.
same() {
	s_what=$1
	shift
	s_a=""
	while [ "$1" != "--" ]; do s_a="$s_a '$1'"; shift; done
	shift
	s_b=""
	for s_arg in "$@"; do s_b="$s_b '$s_arg'"; done
	if ! s_out1=$(eval "$s_a" </dev/null 2>"$TMP/err1"); then
		fail "$s_what: $s_a failed: $(cat "$TMP/err1")"
		return
	fi
	if ! s_out2=$(eval "$s_b" </dev/null 2>"$TMP/err2"); then
		fail "$s_what: $s_b failed: $(cat "$TMP/err2")"
		return
	fi
	if [ "$s_out1" != "$s_out2" ]; then
		fail "$s_what: outputs differ"
		echo "  $s_a: $s_out1"
		echo "  $s_b: $s_out2"
	fi
}

# agree WHAT CMD1 -- CMD2: both succeed or both fail (ssh-keygen exits 255
# where we exit 1), with the same output; e.g. -l on an encrypted PEM key
# without its .pub file fails in both.
agree() {
	g_what=$1
	shift
	g_a=""
	while [ "$1" != "--" ]; do g_a="$g_a '$1'"; shift; done
	shift
	g_b=""
	for g_arg in "$@"; do g_b="$g_b '$g_arg'"; done
	g_st1=0 g_st2=0
	g_out1=$(eval "$g_a" </dev/null 2>/dev/null) || g_st1=1
	g_out2=$(eval "$g_b" </dev/null 2>/dev/null) || g_st2=1
	if [ "$g_st1" != "$g_st2" ] || [ "$g_out1" != "$g_out2" ]; then
		fail "$g_what: results differ"
		echo "  $g_a: status $g_st1: $g_out1"
		echo "  $g_b: status $g_st2: $g_out2"
	fi
}

# refuse WHAT CMD...: exits 1 with one line on stderr and nothing on stdout.
refuse() {
	r_what=$1
	shift
	r_st=0
	"$@" </dev/null >"$TMP/rout" 2>"$TMP/rerr" || r_st=$?
	if [ "$r_st" != 1 ]; then
		fail "$r_what: exit status $r_st, want 1"
	elif [ "$(wc -l <"$TMP/rerr")" != 1 ] || [ -s "$TMP/rout" ]; then
		fail "$r_what: not one line of error: $(cat "$TMP/rerr" "$TMP/rout")"
	fi
}

# The "type base64" of a public key line.
keyonly() {
	cut -d' ' -f1,2 "$@"
}

mode_is() {
	m_mode=$(stat -c %a "$1")
	[ "$m_mode" = "$2" ] || fail "$1 has mode $m_mode, want $2"
}

# Both tools' -y and -l on FILE (passphrase PW, may be empty).
compare() {
	c_what=$1 c_file=$2 c_pw=$3
	same "$c_what -y" "$SSH_KEYGEN" -y -P "$c_pw" -f "$c_file" -- \
	    "$KEYGEN" -y -P "$c_pw" -f "$c_file"
	same "$c_what -l" "$SSH_KEYGEN" -l -f "$c_file" -- \
	    "$KEYGEN" -l -f "$c_file"
	if [ -f "$c_file.pub" ]; then
		same "$c_what -l .pub" "$SSH_KEYGEN" -l -f "$c_file.pub" -- \
		    "$KEYGEN" -l -f "$c_file.pub"
		# Without the .pub file the comment must come from the key.
		mv "$c_file.pub" "$c_file.hidden"
		agree "$c_what -l without .pub" "$SSH_KEYGEN" -l -f "$c_file" \
		    -- "$KEYGEN" -l -f "$c_file"
		mv "$c_file.hidden" "$c_file.pub"
	fi
}

# Keys made by nanossh-keygen, read by ssh-keygen.
for spec in ed25519: ecdsa:256 ecdsa:384 ecdsa:521 rsa:2048; do
	t=${spec%%:*} b=${spec#*:}
	for pw in "" "$PASS"; do
		f="$TMP/nano_${t}${b}_${pw:+enc}"
		if ! "$KEYGEN" -q -t "$t" ${b:+-b "$b"} -N "$pw" -C "nano $t" \
		    -f "$f" </dev/null; then
			fail "nanossh-keygen -t $t ${b:+-b $b} failed"
			continue
		fi
		mode_is "$f" 600
		mode_is "$f.pub" 644
		compare "nanossh $t$b ${pw:+encrypted}" "$f" "$pw"
		# ssh-keygen -y prints exactly our .pub file.
		same "nanossh $t$b .pub" "$SSH_KEYGEN" -y -P "$pw" -f "$f" -- \
		    cat "$f.pub"
		if [ -n "$pw" ]; then
			"$SSH_KEYGEN" -y -P "wrong" -f "$f" >/dev/null 2>&1 &&
			    fail "ssh-keygen accepted a wrong passphrase for $f"
			"$KEYGEN" -y -P "wrong" -f "$f" >/dev/null 2>&1 &&
			    fail "nanossh-keygen accepted a wrong passphrase for $f"
		fi
	done
done

# The default RSA size is 3072 bits.
if "$KEYGEN" -q -t rsa -N "" -f "$TMP/rsa_default" </dev/null; then
	bits=$("$SSH_KEYGEN" -l -f "$TMP/rsa_default" | cut -d' ' -f1)
	[ "$bits" = 3072 ] || fail "default RSA key has $bits bits"
else
	fail "nanossh-keygen -t rsa (default size) failed"
fi

# Keys made by ssh-keygen in each of its formats, read by nanossh-keygen.
for spec in ed25519: ecdsa:256 ecdsa:384 ecdsa:521 rsa:2048 rsa:1024; do
	t=${spec%%:*} b=${spec#*:}
	for fmt in RFC4716 PEM PKCS8; do
		# ssh-keygen writes Ed25519 only in its own format.
		[ "$t" = ed25519 ] && [ "$fmt" != RFC4716 ] && continue
		for pw in "" "$PASS"; do
			f="$TMP/ossh_${t}${b}_${fmt}_${pw:+enc}"
			if ! "$SSH_KEYGEN" -q -t "$t" ${b:+-b "$b"} -m "$fmt" \
			    -N "$pw" -C "openssh $t" -f "$f" </dev/null; then
				fail "ssh-keygen -t $t -m $fmt failed"
				continue
			fi
			compare "ssh-keygen $t$b $fmt ${pw:+encrypted}" "$f" "$pw"
		done
	done
done

# Refusing to overwrite, without a terminal to ask on.
f="$TMP/nano_ed25519_"
cp "$f" "$TMP/before"
if "$KEYGEN" -q -t ed25519 -N "" -f "$f" </dev/null >/dev/null 2>"$TMP/err"
then
	fail "nanossh-keygen overwrote an existing key"
fi
grep -q "already exists" "$TMP/err" ||
    fail "no 'already exists' message: $(cat "$TMP/err")"
cmp -s "$f" "$TMP/before" || fail "existing key was changed"

# A private key others can read is refused, as ssh-keygen does.
cp "$f" "$TMP/open" && chmod 644 "$TMP/open"
"$KEYGEN" -y -f "$TMP/open" >/dev/null 2>&1 &&
    fail "nanossh-keygen -y read a 0644 private key"

# -A into a scratch directory: three host keys, then nothing to do.
hk="$TMP/hostkeys"
if ! out=$("$KEYGEN" -A -f "$hk" </dev/null); then
	fail "nanossh-keygen -A -f $hk failed"
else
	case $out in
	"nanossh-keygen: generating new host keys: RSA ECDSA ED25519 ") ;;
	*) fail "-A printed '$out'" ;;
	esac
	mode_is "$hk" 755
	for t in rsa ecdsa ed25519; do
		mode_is "$hk/ssh_host_${t}_key" 600
		mode_is "$hk/ssh_host_${t}_key.pub" 644
		compare "-A $t" "$hk/ssh_host_${t}_key" ""
	done
	cp "$hk/ssh_host_ed25519_key" "$TMP/before"
	rm "$hk/ssh_host_ecdsa_key"
	out=$("$KEYGEN" -A -f "$hk" </dev/null)
	[ "$out" = "nanossh-keygen: generating new host keys: ECDSA " ] ||
	    fail "second -A printed '$out'"
	cmp -s "$hk/ssh_host_ed25519_key" "$TMP/before" ||
	    fail "-A replaced an existing host key"
	out=$("$KEYGEN" -A -f "$hk" </dev/null)
	[ -z "$out" ] || fail "-A with all keys present printed '$out'"
fi

# Errors are one line on stderr with exit status 1.
"$KEYGEN" -l -f "$TMP/missing" >/dev/null 2>"$TMP/err"
st=$?
[ "$st" = 1 ] || fail "-l on a missing file exited $st"
[ "$(wc -l <"$TMP/err")" = 1 ] || fail "error was not one line: $(cat "$TMP/err")"
"$KEYGEN" -t dsa -N "" -f "$TMP/dsa" >/dev/null 2>&1 && fail "made a DSA key"
"$KEYGEN" -t rsa -b 1024 -N "" -f "$TMP/rsa1024" >/dev/null 2>&1 &&
    fail "made a 1024-bit RSA key"

# -e and -i against ssh-keygen, both ways, for keys either tool made.
for spec in ed25519: ecdsa:256 ecdsa:384 ecdsa:521 rsa:2048; do
	t=${spec%%:*} b=${spec#*:}
	for f in "$TMP/nano_${t}${b}_" "$TMP/ossh_${t}${b}_RFC4716_enc"; do
		[ -f "$f.pub" ] || { fail "$f.pub missing"; continue; }
		keyonly "$f.pub" >"$TMP/want"
		for fmt in RFC4716 PKCS8 PEM; do
			w="$t$b $fmt ${f##*/}"
			# What ssh-keygen exports, we import, and the same way.
			if "$SSH_KEYGEN" -e -m "$fmt" -f "$f.pub" \
			    >"$TMP/theirs" 2>/dev/null; then
				same "-e $w" "$SSH_KEYGEN" -e -m "$fmt" -f "$f.pub" \
				    -- "$KEYGEN" -e -m "$fmt" -f "$f.pub"
				# The private file (its public header; the
				# encrypted one needs no passphrase for that).
				same "-e private $w" "$SSH_KEYGEN" -e -m "$fmt" \
				    -f "$f" -- "$KEYGEN" -e -m "$fmt" -f "$f"
				"$KEYGEN" -i -m "$fmt" -f "$TMP/theirs" \
				    >"$TMP/got" 2>"$TMP/err" ||
				    fail "-i $w: $(cat "$TMP/err")"
				cmp -s "$TMP/got" "$TMP/want" ||
				    fail "-i $w: not the key of $f.pub"
				if "$SSH_KEYGEN" -i -m "$fmt" -f "$TMP/theirs" \
				    >/dev/null 2>&1; then
					same "-i $w" "$SSH_KEYGEN" -i -m "$fmt" \
					    -f "$TMP/theirs" -- "$KEYGEN" -i \
					    -m "$fmt" -f "$TMP/theirs"
				fi
			else
				# ssh-keygen 9.2 has no PEM form of Ed25519;
				# ours is SubjectPublicKeyInfo, as openssl's.
				"$KEYGEN" -e -m "$fmt" -f "$f.pub" >"$TMP/ours" \
				    2>"$TMP/err" || fail "-e $w: $(cat "$TMP/err")"
				openssl pkey -pubin -in "$TMP/ours" -noout \
				    2>/dev/null || fail "-e $w: openssl refuses it"
			fi
			# What we export, ssh-keygen imports where it can.
			"$KEYGEN" -e -m "$fmt" -f "$f" >"$TMP/ours" 2>"$TMP/err" ||
			    fail "-e $w: $(cat "$TMP/err")"
			if "$SSH_KEYGEN" -i -m "$fmt" -f "$TMP/theirs" \
			    >/dev/null 2>&1; then
				"$SSH_KEYGEN" -i -m "$fmt" -f "$TMP/ours" \
				    >"$TMP/got" 2>"$TMP/err" ||
				    fail "ssh-keygen -i $w: $(cat "$TMP/err")"
				cmp -s "$TMP/got" "$TMP/want" ||
				    fail "ssh-keygen -i $w: another key"
			fi
			"$KEYGEN" -i -m "$fmt" -f "$TMP/ours" >"$TMP/got" \
			    2>"$TMP/err" || fail "-i ours $w: $(cat "$TMP/err")"
			cmp -s "$TMP/got" "$TMP/want" || fail "-i ours $w: another key"
		done
	done
done

# PEM and PKCS#8 private keys from openssl: -p rewrites them as OpenSSH
# keys that ssh-keygen reads, with the key openssl says they hold.
n=0
for alg in ED25519 EC:P-256 EC:P-384 EC:P-521 RSA:2048; do
	n=$((n + 1))
	orig="$TMP/ossl$n.pem"
	case $alg in
	EC:*) opt="-pkeyopt ec_paramgen_curve:${alg#EC:}" a=EC ;;
	RSA:*) opt="-pkeyopt rsa_keygen_bits:${alg#RSA:}" a=RSA ;;
	*) opt="" a=$alg ;;
	esac
	# shellcheck disable=SC2086
	if ! openssl genpkey -algorithm "$a" $opt -out "$orig" 2>/dev/null; then
		fail "openssl genpkey $alg failed"
		continue
	fi
	chmod 600 "$orig"
	openssl pkey -in "$orig" -pubout 2>/dev/null >"$TMP/spki"
	"$KEYGEN" -i -m PKCS8 -f "$TMP/spki" >"$TMP/want" ||
	    fail "-i of openssl's $alg public key"
	forms="pkcs8 pkcs8enc"
	[ "$a" != ED25519 ] && forms="$forms trad tradenc"
	for form in $forms; do
		k="$TMP/ossl$n.$form"
		old=""
		case $form in
		pkcs8) cp "$orig" "$k" ;;
		pkcs8enc) old="$PASS"
			openssl pkey -in "$orig" -aes256 -passout pass:"$PASS" \
			    -out "$k" ;;
		trad) openssl pkey -in "$orig" -traditional -out "$k" ;;
		tradenc) old="$PASS"
			openssl pkey -in "$orig" -traditional -aes256 \
			    -passout pass:"$PASS" -out "$k" ;;
		esac
		chmod 600 "$k"
		for new in "" "$PASS"; do
			c="$k.${new:+new}conv"
			cp "$k" "$c"
			if ! out=$("$KEYGEN" -p -P "$old" -N "$new" -f "$c" \
			    </dev/null 2>"$TMP/err"); then
				fail "-p $alg $form: $(cat "$TMP/err")"
				continue
			fi
			[ "$out" = "Your identification has been saved with the new passphrase." ] ||
			    fail "-p $alg $form printed '$out'"
			mode_is "$c" 600
			head -1 "$c" | grep -q "^-----BEGIN OPENSSH PRIVATE KEY-----$" ||
			    fail "-p $alg $form: not an OpenSSH key file"
			"$SSH_KEYGEN" -y -P "$new" -f "$c" 2>"$TMP/err" |
			    keyonly >"$TMP/got"
			cmp -s "$TMP/got" "$TMP/want" ||
			    fail "ssh-keygen -y of -p $alg $form: $(cat "$TMP/err")"
			if [ -n "$new" ]; then
				"$SSH_KEYGEN" -y -P "" -f "$c" >/dev/null 2>&1 &&
				    fail "-p $alg $form: no passphrase set"
			fi
		done
	done
done

# -p keeps the comment, and its file is an ordinary OpenSSH key.
f="$TMP/nano_ecdsa256_enc"
if "$KEYGEN" -q -p -P "$PASS" -N "" -f "$f" </dev/null; then
	same "-p keeps the comment" "$SSH_KEYGEN" -l -f "$f" -- \
	    "$SSH_KEYGEN" -l -f "$f.pub"
	refuse "-p with a wrong old passphrase" "$KEYGEN" -p -P wrong -N x \
	    -f "$TMP/ossl2.pkcs8enc"
else
	fail "-p on $f failed"
fi
# DSA (in the key model for ssh-dss host keys): -p rewrites a legacy PEM
# DSA key in OpenSSH format like the others, the same key for ssh-keygen.
cp "$NANOSSH_SRCDIR/tests/keys/dsa_pkcs1.pem" "$TMP/dsa.pem"
chmod 600 "$TMP/dsa.pem"
dsa_want=$("$SSH_KEYGEN" -y -f "$TMP/dsa.pem" | cut -d' ' -f1,2)
if "$KEYGEN" -p -N "" -f "$TMP/dsa.pem" >/dev/null 2>&1; then
	head -1 "$TMP/dsa.pem" | grep -q "BEGIN OPENSSH PRIVATE KEY" ||
		fail "-p left a DSA key in PEM"
	[ "$("$SSH_KEYGEN" -y -f "$TMP/dsa.pem" | cut -d' ' -f1,2)" = \
	    "$dsa_want" ] || fail "-p changed the DSA key"
else
	fail "-p on a DSA key failed"
fi

# ssh-keygen -Z: each cipher both tools know, read and written.
for z in aes256-gcm@openssh.com aes128-gcm@openssh.com \
    chacha20-poly1305@openssh.com aes256-cbc aes128-ctr; do
	"${SSH:-ssh}" -Q cipher 2>/dev/null | grep -qx "$z" || continue
	f="$TMP/ossh_z_$z"
	if "$SSH_KEYGEN" -q -t ecdsa -Z "$z" -N "$PASS" -f "$f" </dev/null; then
		same "-y of ssh-keygen -Z $z" "$SSH_KEYGEN" -y -P "$PASS" \
		    -f "$f" -- "$KEYGEN" -y -P "$PASS" -f "$f"
		refuse "-y -Z $z, wrong passphrase" "$KEYGEN" -y -P wrong -f "$f"
	else
		fail "ssh-keygen -Z $z failed"
	fi
	f="$TMP/nano_z_$z"
	if "$KEYGEN" -q -t ed25519 -Z "$z" -N "$PASS" -f "$f" </dev/null; then
		same "ssh-keygen -y of -Z $z" "$SSH_KEYGEN" -y -P "$PASS" \
		    -f "$f" -- cat "$f.pub"
		"$KEYGEN" -q -p -P "$PASS" -N "$PASS$PASS" -Z "$z" -f "$f" \
		    </dev/null || fail "-p -Z $z failed"
		same "ssh-keygen -y after -p -Z $z" "$SSH_KEYGEN" -y \
		    -P "$PASS$PASS" -f "$f" -- cat "$f.pub"
	else
		fail "nanossh-keygen -Z $z failed"
	fi
done
refuse "-Z unknown cipher" "$KEYGEN" -q -t ed25519 -Z rot13 -N "" \
    -f "$TMP/z_rot13"
[ -e "$TMP/z_rot13" ] && fail "-Z rot13 wrote a key"

# A key file asking for 2^20 bcrypt rounds (minutes of CPU) is refused
# at once, before any passphrase is used.
f="$TMP/nano_ed25519_enc"
python3 - "$f" "$TMP/rounds" <<'PYEOF' || fail "could not patch the rounds"
import base64, struct, sys
text = open(sys.argv[1]).read().splitlines()
body = bytearray(base64.b64decode("".join(text[1:-1])))
off = 15
for _ in range(2):                       # cipher and KDF names
    off += 4 + struct.unpack(">I", body[off:off + 4])[0]
off += 4                                 # the KDF options' length
off += 4 + struct.unpack(">I", body[off:off + 4])[0]    # salt
assert struct.unpack(">I", body[off:off + 4])[0] == 16
body[off:off + 4] = struct.pack(">I", 1 << 20)
b64 = base64.b64encode(bytes(body)).decode()
with open(sys.argv[2], "w") as out:
    out.write(text[0] + "\n")
    for i in range(0, len(b64), 70):
        out.write(b64[i:i + 70] + "\n")
    out.write(text[-1] + "\n")
PYEOF
chmod 600 "$TMP/rounds"
refuse "-y with 2^20 KDF rounds" timeout 20 "$KEYGEN" -y -P "$PASS" \
    -f "$TMP/rounds"
grep -q "rounds" "$TMP/rerr" || fail "rounds refusal says: $(cat "$TMP/rerr")"
refuse "-p with 2^20 KDF rounds" timeout 20 "$KEYGEN" -p -P "$PASS" -N "" \
    -f "$TMP/rounds"
# ... while its public half still prints.
same "-e of a 2^20-rounds key" "$KEYGEN" -e -f "$TMP/rounds" -- \
    "$KEYGEN" -e -f "$f.pub"

# -i: malformed, private and oversized inputs.
pub="$TMP/nano_ed25519_.pub"
"$KEYGEN" -e -f "$pub" >"$TMP/good.rfc"
sed '3s/.\{8\}$//' "$TMP/good.rfc" >"$TMP/trunc.rfc"
sed '$d' "$TMP/good.rfc" >"$TMP/noend.rfc"
sed 's/BEGIN SSH2 PUBLIC/BEGIN SSH2 PRIVATE/' "$TMP/good.rfc" >"$TMP/hdr.rfc"
sed 's/^Comment: /Comment:/' "$TMP/good.rfc" >"$TMP/colon.rfc"
{ cat "$TMP/good.rfc"; echo junk; } >"$TMP/trail.rfc"
{ sed -n 1p "$TMP/good.rfc"
  i=0; while [ $i -lt 1100 ]; do sed -n 3p "$TMP/good.rfc"; i=$((i + 1)); done
  sed -n '$p' "$TMP/good.rfc"; } >"$TMP/huge.rfc"
for bad in trunc noend hdr colon trail huge; do
	refuse "-i $bad.rfc" "$KEYGEN" -i -f "$TMP/$bad.rfc"
done
"$KEYGEN" -e -m PKCS8 -f "$TMP/nano_rsa2048_.pub" >"$TMP/good.spki"
sed 's/PUBLIC KEY/PUBLIK KEY/' "$TMP/good.spki" >"$TMP/label.spki"
sed '3d' "$TMP/good.spki" >"$TMP/short.spki"
for bad in label short; do
	refuse "-i -m PKCS8 $bad" "$KEYGEN" -i -m PKCS8 -f "$TMP/$bad.spki"
done
refuse "-i -m PKCS8 of PKCS#1" "$KEYGEN" -i -m PKCS8 -f \
    "$NANOSSH_SRCDIR/tests/keys/rsa2048_pkcs1.pem"
refuse "-i of an OpenSSH public key" "$KEYGEN" -i -f "$pub"
for k in "$TMP/ossl2.pkcs8" "$TMP/ossl2.trad"; do
	for fmt in RFC4716 PKCS8 PEM; do
		refuse "-i -m $fmt of private $k" "$KEYGEN" -i -m "$fmt" -f "$k"
		grep -q -- "-p" "$TMP/rerr" ||
		    fail "-i of a private key does not point to -p"
	done
done
refuse "-m with -y" "$KEYGEN" -y -m PEM -f "$TMP/nano_ed25519_"
refuse "-m unknown" "$KEYGEN" -e -m X509 -f "$pub"

if [ "$failures" -ne 0 ]; then
	echo "$failures failure(s)"
	exit 1
fi
echo "PASS: keygen interop"
exit 0
