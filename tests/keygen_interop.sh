#!/bin/sh
# keygen_interop.sh: nanossh-keygen and OpenSSH's ssh-keygen read each
# other's keys and print the same fingerprints and public key lines.
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

if [ "$failures" -ne 0 ]; then
	echo "$failures failure(s)"
	exit 1
fi
echo "PASS: keygen interop"
exit 0
