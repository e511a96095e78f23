# tests/: Check unit tests (tests/unit) and integration tests with real clients.
TEST_EXTENSIONS = .py .sh
PY_LOG_COMPILER = $(PYTHON3)
SH_LOG_COMPILER = $(SHELL)
# Integration tests find the built programs and the source tree here.
AM_TESTS_ENVIRONMENT = \
	NANOSSH_BUILDDIR='$(abs_top_builddir)'; export NANOSSH_BUILDDIR; \
	NANOSSH_SRCDIR='$(abs_top_srcdir)'; export NANOSSH_SRCDIR; \
	SSH='$(SSH)'; export SSH; SSH_KEYGEN='$(SSH_KEYGEN)'; export SSH_KEYGEN; \
	CK_DEFAULT_TIMEOUT=$${CK_DEFAULT_TIMEOUT:-60}; export CK_DEFAULT_TIMEOUT;
# (Check's own 4 s per test case is too short on a loaded machine or
# under the sanitizers; a hung test still ends, after a minute.)

# Unit tests link the shared test helpers; JSON is only read by tests.
noinst_LIBRARIES += libtestutil.a
libtestutil_a_SOURCES = tests/unit/testutil.c tests/unit/testutil.h
libtestutil_a_CFLAGS = $(AM_CFLAGS) $(CHECK_CFLAGS) $(JANSSON_CFLAGS) -DSRCDIR='"$(abs_top_srcdir)"'
CHECK_LDADD = libtestutil.a libcommon.a libprotocol.a $(CHECK_LIBS) $(JANSSON_LIBS) \
	$(LIBCONFIG_LIBS) $(OPENSSL_LIBS) $(LIBBSD_LIBS)
CHECK_CFLAGS_ALL = $(AM_CFLAGS) $(CHECK_CFLAGS) $(JANSSON_CFLAGS)
EXTRA_DIST += tests/vectors

check_PROGRAMS += tests/unit/check_buf
tests_unit_check_buf_SOURCES = tests/unit/check_buf.c
tests_unit_check_buf_CFLAGS = $(CHECK_CFLAGS_ALL)
tests_unit_check_buf_LDADD = $(CHECK_LDADD)

TESTS += tests/unit/check_buf

check_PROGRAMS += tests/unit/check_bcrypt_pbkdf
tests_unit_check_bcrypt_pbkdf_SOURCES = tests/unit/check_bcrypt_pbkdf.c
tests_unit_check_bcrypt_pbkdf_CFLAGS = $(CHECK_CFLAGS_ALL)
tests_unit_check_bcrypt_pbkdf_LDADD = $(CHECK_LDADD)
TESTS += tests/unit/check_bcrypt_pbkdf

check_PROGRAMS += tests/unit/check_negotiation
tests_unit_check_negotiation_SOURCES = tests/unit/check_negotiation.c
tests_unit_check_negotiation_CFLAGS = $(CHECK_CFLAGS_ALL)
tests_unit_check_negotiation_LDADD = $(CHECK_LDADD)
TESTS += tests/unit/check_negotiation

SIGTEST_SOURCES = tests/unit/sigtest.c tests/unit/sigtest.h
check_PROGRAMS += tests/unit/check_sig tests/unit/check_sig_vectors
tests_unit_check_sig_SOURCES = tests/unit/check_sig.c $(SIGTEST_SOURCES)
tests_unit_check_sig_CFLAGS = $(CHECK_CFLAGS_ALL)
tests_unit_check_sig_LDADD = $(CHECK_LDADD)
tests_unit_check_sig_vectors_SOURCES = tests/unit/check_sig_vectors.c \
	$(SIGTEST_SOURCES)
tests_unit_check_sig_vectors_CFLAGS = $(CHECK_CFLAGS_ALL)
tests_unit_check_sig_vectors_LDADD = $(CHECK_LDADD)
TESTS += tests/unit/check_sig tests/unit/check_sig_vectors

if FUZZING
FUZZ_TARGETS += tests/fuzz/fuzz_sig
endif
EXTRA_PROGRAMS += tests/fuzz/fuzz_sig
tests_fuzz_fuzz_sig_SOURCES = tests/fuzz/fuzz_sig.c
tests_fuzz_fuzz_sig_LDFLAGS = $(AM_LDFLAGS) $(FUZZ_LDFLAGS)
tests_fuzz_fuzz_sig_LDADD = libprotocol.a $(OPENSSL_LIBS) $(LIBBSD_LIBS)
EXTRA_DIST += tests/fuzz/corpus/sig

# The configuration in three programs: the table, good files, the dump and
# the API; bad files and -o; match blocks.  They share config_util.c.
CHECK_CONFIG_CFLAGS = $(CHECK_CFLAGS_ALL) -DSRCDIR='"$(abs_top_srcdir)"'
CHECK_CONFIG_LDADD = libcommon.a libprotocol.a $(CHECK_LIBS) \
	$(LIBCONFIG_LIBS) $(LIBBSD_LIBS)
check_PROGRAMS += tests/unit/check_config tests/unit/check_config_bad \
	tests/unit/check_config_match
tests_unit_check_config_SOURCES = tests/unit/check_config.c \
	tests/unit/config_util.c tests/unit/config_util.h
tests_unit_check_config_CFLAGS = $(CHECK_CONFIG_CFLAGS)
tests_unit_check_config_LDADD = $(CHECK_CONFIG_LDADD)
tests_unit_check_config_bad_SOURCES = tests/unit/check_config_bad.c \
	tests/unit/config_util.c tests/unit/config_util.h
tests_unit_check_config_bad_CFLAGS = $(CHECK_CONFIG_CFLAGS)
tests_unit_check_config_bad_LDADD = $(CHECK_CONFIG_LDADD)
tests_unit_check_config_match_SOURCES = tests/unit/check_config_match.c \
	tests/unit/config_util.c tests/unit/config_util.h
tests_unit_check_config_match_CFLAGS = $(CHECK_CONFIG_CFLAGS)
tests_unit_check_config_match_LDADD = $(CHECK_CONFIG_LDADD)
TESTS += tests/unit/check_config tests/unit/check_config_bad \
	tests/unit/check_config_match
# The configuration as nanosshd hands it to each session.
check_PROGRAMS += tests/unit/check_config_wire
tests_unit_check_config_wire_SOURCES = tests/unit/check_config_wire.c \
	tests/unit/config_util.c tests/unit/config_util.h
tests_unit_check_config_wire_CFLAGS = $(CHECK_CONFIG_CFLAGS)
tests_unit_check_config_wire_LDADD = $(CHECK_LDADD)
TESTS += tests/unit/check_config_wire
# Test-only environment variables refused as root without test hooks.
check_PROGRAMS += tests/unit/check_testhook
tests_unit_check_testhook_SOURCES = tests/unit/check_testhook.c
tests_unit_check_testhook_CFLAGS = $(CHECK_CFLAGS_ALL)
tests_unit_check_testhook_LDADD = $(CHECK_LDADD)
TESTS += tests/unit/check_testhook
EXTRA_DIST += tests/config/empty.conf tests/config/good-full.conf \
	tests/config/match.conf tests/config/banner.txt tests/config/passwd \
	tests/config/bad-syntax.conf tests/config/bad-unknown.conf \
	tests/config/bad-type.conf tests/config/bad-range.conf \
	tests/config/bad-bigint.conf tests/config/bad-enum.conf \
	tests/config/bad-algs.conf tests/config/bad-listen.conf \
	tests/config/bad-limits.conf tests/config/bad-startups-rate.conf \
	tests/config/bad-methods.conf tests/config/bad-permit.conf \
	tests/config/bad-mounts.conf tests/config/bad-paths.conf \
	tests/config/bad-files.conf tests/config/bad-password-file.conf \
	tests/config/bad-match.conf tests/config/bad-match-preauth.conf \
	tests/config/bad-include.conf \
	tests/config/bad-proxy.conf tests/config/bad-proxy-from.conf \
	tests/config/bad-proxy-alone.conf

check_PROGRAMS += tests/unit/check_packet
tests_unit_check_packet_SOURCES = tests/unit/check_packet.c \
	tests/fuzz/fuzz_packet.c
tests_unit_check_packet_CFLAGS = $(CHECK_CFLAGS_ALL)
tests_unit_check_packet_LDADD = $(CHECK_LDADD)
TESTS += tests/unit/check_packet

check_PROGRAMS += tests/unit/check_kex
tests_unit_check_kex_SOURCES = tests/unit/check_kex.c
tests_unit_check_kex_CFLAGS = $(CHECK_CFLAGS_ALL)
tests_unit_check_kex_LDADD = $(CHECK_LDADD)
TESTS += tests/unit/check_kex

# Keys, key files and nanossh-keygen.
KEYTEST_SOURCES = tests/unit/keytest.c tests/unit/keytest.h
check_PROGRAMS += tests/unit/check_key tests/unit/check_key_private \
	tests/unit/check_keyfile
tests_unit_check_key_SOURCES = tests/unit/check_key.c $(KEYTEST_SOURCES)
tests_unit_check_key_CFLAGS = $(CHECK_CFLAGS_ALL)
tests_unit_check_key_LDADD = $(CHECK_LDADD)
tests_unit_check_key_private_SOURCES = tests/unit/check_key_private.c \
	$(KEYTEST_SOURCES)
tests_unit_check_key_private_CFLAGS = $(CHECK_CFLAGS_ALL)
tests_unit_check_key_private_LDADD = $(CHECK_LDADD)
tests_unit_check_keyfile_SOURCES = tests/unit/check_keyfile.c \
	$(KEYTEST_SOURCES)
tests_unit_check_keyfile_CFLAGS = $(CHECK_CFLAGS_ALL)
tests_unit_check_keyfile_LDADD = $(CHECK_LDADD)
TESTS += tests/unit/check_key tests/unit/check_key_private \
	tests/unit/check_keyfile
check_PROGRAMS += tests/unit/check_key_dsa
tests_unit_check_key_dsa_SOURCES = tests/unit/check_key_dsa.c \
	$(KEYTEST_SOURCES)
tests_unit_check_key_dsa_CFLAGS = $(CHECK_CFLAGS_ALL)
tests_unit_check_key_dsa_LDADD = $(CHECK_LDADD)
TESTS += tests/unit/check_key_dsa
check_PROGRAMS += tests/unit/check_key_convert
tests_unit_check_key_convert_SOURCES = tests/unit/check_key_convert.c \
	$(KEYTEST_SOURCES)
tests_unit_check_key_convert_CFLAGS = $(CHECK_CFLAGS_ALL)
tests_unit_check_key_convert_LDADD = $(CHECK_LDADD)
TESTS += tests/unit/check_key_convert
EXTRA_DIST += tests/keys

# nanosshd: unit tests of the listener's parts, and the daemon end to end
# (tests/harness.py is the integration harness later tests reuse).
check_PROGRAMS += tests/unit/check_daemon
tests_unit_check_daemon_SOURCES = tests/unit/check_daemon.c
tests_unit_check_daemon_CFLAGS = $(CHECK_CFLAGS_ALL)
tests_unit_check_daemon_LDADD = libdaemon.a $(CHECK_LDADD) $(LIBCONFIG_LIBS)
TESTS += tests/unit/check_daemon
check_PROGRAMS += tests/unit/check_handover
tests_unit_check_handover_SOURCES = tests/unit/check_handover.c
tests_unit_check_handover_CFLAGS = $(CHECK_CFLAGS_ALL)
tests_unit_check_handover_LDADD = libdaemon.a $(CHECK_LDADD) $(LIBCONFIG_LIBS)
TESTS += tests/unit/check_handover
TESTS += tests/test_daemon.py
EXTRA_DIST += tests/harness.py tests/test_daemon.py

CIPHERTEST_SOURCES = tests/unit/ciphertest.c tests/unit/ciphertest.h
check_PROGRAMS += tests/unit/check_cipher tests/unit/check_cipher_vectors \
	tests/unit/check_mac
tests_unit_check_cipher_SOURCES = tests/unit/check_cipher.c \
	$(CIPHERTEST_SOURCES)
tests_unit_check_cipher_CFLAGS = $(CHECK_CFLAGS_ALL)
tests_unit_check_cipher_LDADD = $(CHECK_LDADD)
tests_unit_check_cipher_vectors_SOURCES = tests/unit/check_cipher_vectors.c \
	$(CIPHERTEST_SOURCES)
tests_unit_check_cipher_vectors_CFLAGS = $(CHECK_CFLAGS_ALL)
tests_unit_check_cipher_vectors_LDADD = $(CHECK_LDADD)
tests_unit_check_mac_SOURCES = tests/unit/check_mac.c
tests_unit_check_mac_CFLAGS = $(CHECK_CFLAGS_ALL)
tests_unit_check_mac_LDADD = $(CHECK_LDADD)
TESTS += tests/unit/check_cipher tests/unit/check_cipher_vectors \
	tests/unit/check_mac

# ML-KEM-768 (FIPS 203) over the Wycheproof vectors.
check_PROGRAMS += tests/unit/check_mlkem
tests_unit_check_mlkem_SOURCES = tests/unit/check_mlkem.c
tests_unit_check_mlkem_CFLAGS = $(CHECK_CFLAGS_ALL)
tests_unit_check_mlkem_LDADD = $(CHECK_LDADD)
TESTS += tests/unit/check_mlkem

# Connection protocol: channels and global requests (protocol/channel*.c),
# one program a topic over the chantest.c harness.
CHANTEST_SOURCES = tests/unit/chantest.c tests/unit/chantest.h
check_PROGRAMS += tests/unit/check_channel tests/unit/check_channel_data \
	tests/unit/check_channel_request tests/unit/check_channel_malformed
tests_unit_check_channel_SOURCES = tests/unit/check_channel.c \
	$(CHANTEST_SOURCES)
tests_unit_check_channel_CFLAGS = $(CHECK_CFLAGS_ALL)
tests_unit_check_channel_LDADD = $(CHECK_LDADD)
tests_unit_check_channel_data_SOURCES = tests/unit/check_channel_data.c \
	$(CHANTEST_SOURCES)
tests_unit_check_channel_data_CFLAGS = $(CHECK_CFLAGS_ALL)
tests_unit_check_channel_data_LDADD = $(CHECK_LDADD)
tests_unit_check_channel_request_SOURCES = \
	tests/unit/check_channel_request.c $(CHANTEST_SOURCES)
tests_unit_check_channel_request_CFLAGS = $(CHECK_CFLAGS_ALL)
tests_unit_check_channel_request_LDADD = $(CHECK_LDADD)
tests_unit_check_channel_malformed_SOURCES = \
	tests/unit/check_channel_malformed.c $(CHANTEST_SOURCES) \
	tests/fuzz/fuzz_channel.c
tests_unit_check_channel_malformed_CFLAGS = $(CHECK_CFLAGS_ALL)
tests_unit_check_channel_malformed_LDADD = $(CHECK_LDADD)
TESTS += tests/unit/check_channel tests/unit/check_channel_data \
	tests/unit/check_channel_request tests/unit/check_channel_malformed
if FUZZING
FUZZ_TARGETS += tests/fuzz/fuzz_channel
endif
EXTRA_PROGRAMS += tests/fuzz/fuzz_channel
tests_fuzz_fuzz_channel_SOURCES = tests/fuzz/fuzz_channel.c
tests_fuzz_fuzz_channel_LDFLAGS = $(AM_LDFLAGS) $(FUZZ_LDFLAGS)
tests_fuzz_fuzz_channel_LDADD = libprotocol.a $(OPENSSL_LIBS) $(LIBBSD_LIBS)
EXTRA_DIST += tests/fuzz/corpus/channel

# Streamlined NTRU Prime sntrup761 itself; its kex method is in
# check_kex_hybrid.
check_PROGRAMS += tests/unit/check_sntrup761
tests_unit_check_sntrup761_SOURCES = tests/unit/check_sntrup761.c
tests_unit_check_sntrup761_CFLAGS = $(CHECK_CFLAGS_ALL)
tests_unit_check_sntrup761_LDADD = $(CHECK_LDADD)
TESTS += tests/unit/check_sntrup761

check_PROGRAMS += tests/unit/check_kex_dh
tests_unit_check_kex_dh_SOURCES = tests/unit/check_kex_dh.c
tests_unit_check_kex_dh_CFLAGS = $(CHECK_CFLAGS_ALL)
tests_unit_check_kex_dh_LDADD = $(CHECK_LDADD)
TESTS += tests/unit/check_kex_dh

# nanossh-keygen against ssh-keygen; fuzzing the key parsers.
TESTS += tests/keygen_interop.sh
EXTRA_DIST += tests/keygen_interop.sh

if FUZZING
FUZZ_TARGETS += tests/fuzz/fuzz_key
endif
EXTRA_PROGRAMS += tests/fuzz/fuzz_key
tests_fuzz_fuzz_key_SOURCES = tests/fuzz/fuzz_key.c
tests_fuzz_fuzz_key_LDFLAGS = $(AM_LDFLAGS) $(FUZZ_LDFLAGS)
tests_fuzz_fuzz_key_LDADD = libprotocol.a $(OPENSSL_LIBS) $(LIBBSD_LIBS)
EXTRA_DIST += tests/fuzz/corpus/key

# nanossh-keygen -i's parsers: RFC 4716 and PEM public keys.
if FUZZING
FUZZ_TARGETS += tests/fuzz/fuzz_keyconv
endif
EXTRA_PROGRAMS += tests/fuzz/fuzz_keyconv
tests_fuzz_fuzz_keyconv_SOURCES = tests/fuzz/fuzz_keyconv.c
tests_fuzz_fuzz_keyconv_LDFLAGS = $(AM_LDFLAGS) $(FUZZ_LDFLAGS)
tests_fuzz_fuzz_keyconv_LDADD = libprotocol.a $(OPENSSL_LIBS) $(LIBBSD_LIBS)
EXTRA_DIST += tests/fuzz/corpus/keyconv

check_PROGRAMS += tests/unit/check_dispatch
tests_unit_check_dispatch_SOURCES = tests/unit/check_dispatch.c
tests_unit_check_dispatch_CFLAGS = $(CHECK_CFLAGS_ALL)
tests_unit_check_dispatch_LDADD = $(CHECK_LDADD)
TESTS += tests/unit/check_dispatch

check_PROGRAMS += tests/unit/check_kex_derive
tests_unit_check_kex_derive_SOURCES = tests/unit/check_kex_derive.c
tests_unit_check_kex_derive_CFLAGS = $(CHECK_CFLAGS_ALL)
tests_unit_check_kex_derive_LDADD = $(CHECK_LDADD)
TESTS += tests/unit/check_kex_derive

check_PROGRAMS += tests/unit/check_dh_groups
tests_unit_check_dh_groups_SOURCES = tests/unit/check_dh_groups.c
tests_unit_check_dh_groups_CFLAGS = $(CHECK_CFLAGS_ALL)
tests_unit_check_dh_groups_LDADD = $(CHECK_LDADD)
TESTS += tests/unit/check_dh_groups

# privsep/: IPC framing, the message catalogue, the log channel, the sandbox.
PRIVSEP_CHECK_LDADD = libprivsep.a $(CHECK_LDADD) $(LIBSECCOMP_LIBS)
check_PROGRAMS += tests/unit/check_ipc tests/unit/check_ipc_catalogue \
	tests/unit/check_ipc_codec \
	tests/unit/check_log_channel tests/unit/check_sandbox \
	tests/unit/check_sandbox_chroot
tests_unit_check_ipc_SOURCES = tests/unit/check_ipc.c tests/fuzz/fuzz_ipc.c
tests_unit_check_ipc_CFLAGS = $(CHECK_CFLAGS_ALL)
tests_unit_check_ipc_LDADD = $(PRIVSEP_CHECK_LDADD)
tests_unit_check_ipc_catalogue_SOURCES = tests/unit/check_ipc_catalogue.c
tests_unit_check_ipc_catalogue_CFLAGS = $(CHECK_CFLAGS_ALL)
tests_unit_check_ipc_catalogue_LDADD = $(PRIVSEP_CHECK_LDADD)
tests_unit_check_ipc_codec_SOURCES = tests/unit/check_ipc_codec.c
tests_unit_check_ipc_codec_CFLAGS = $(CHECK_CFLAGS_ALL)
tests_unit_check_ipc_codec_LDADD = $(PRIVSEP_CHECK_LDADD)
tests_unit_check_log_channel_SOURCES = tests/unit/check_log_channel.c
tests_unit_check_log_channel_CFLAGS = $(CHECK_CFLAGS_ALL)
tests_unit_check_log_channel_LDADD = $(PRIVSEP_CHECK_LDADD)
tests_unit_check_sandbox_SOURCES = tests/unit/check_sandbox.c
tests_unit_check_sandbox_CFLAGS = $(CHECK_CFLAGS_ALL)
tests_unit_check_sandbox_LDADD = $(PRIVSEP_CHECK_LDADD)
tests_unit_check_sandbox_chroot_SOURCES = tests/unit/check_sandbox_chroot.c
tests_unit_check_sandbox_chroot_CFLAGS = $(CHECK_CFLAGS_ALL)
tests_unit_check_sandbox_chroot_LDADD = $(PRIVSEP_CHECK_LDADD)
TESTS += tests/unit/check_ipc tests/unit/check_ipc_catalogue \
	tests/unit/check_ipc_codec \
	tests/unit/check_log_channel tests/unit/check_sandbox \
	tests/unit/check_sandbox_chroot

if FUZZING
FUZZ_TARGETS += tests/fuzz/fuzz_ipc
endif
EXTRA_PROGRAMS += tests/fuzz/fuzz_ipc
tests_fuzz_fuzz_ipc_SOURCES = tests/fuzz/fuzz_ipc.c
tests_fuzz_fuzz_ipc_LDFLAGS = $(AM_LDFLAGS) $(FUZZ_LDFLAGS)
tests_fuzz_fuzz_ipc_LDADD = $(PRIVSEP_LIBS)
EXTRA_DIST += tests/fuzz/corpus/ipc

# nanossh-keygen on a terminal: overwrite question and passphrase prompts.
TESTS += tests/keygen_tty.py
EXTRA_DIST += tests/keygen_tty.py

# The OpenSSH client and paramiko log in and run commands.
TESTS += tests/test_exec.py
EXTRA_DIST += tests/test_exec.py
TESTS += tests/test_privsep.py
EXTRA_DIST += tests/test_privsep.py
TESTS += tests/test_badinput.py
EXTRA_DIST += tests/test_badinput.py

# The server connection driven by a scripted client (tests/unit/testclient.c);
# fuzz_conn feeds it arbitrary messages after a real key exchange.
check_PROGRAMS += tests/unit/check_conn
tests_unit_check_conn_SOURCES = tests/unit/check_conn.c \
	tests/unit/testclient.c tests/unit/testclient.h tests/fuzz/fuzz_conn.c
tests_unit_check_conn_CFLAGS = $(CHECK_CFLAGS_ALL)
tests_unit_check_conn_LDADD = $(CHECK_LDADD)
TESTS += tests/unit/check_conn
if FUZZING
FUZZ_TARGETS += tests/fuzz/fuzz_conn
endif
EXTRA_PROGRAMS += tests/fuzz/fuzz_conn
tests_fuzz_fuzz_conn_SOURCES = tests/fuzz/fuzz_conn.c tests/unit/testclient.c
tests_fuzz_fuzz_conn_LDFLAGS = $(AM_LDFLAGS) $(FUZZ_LDFLAGS)
tests_fuzz_fuzz_conn_LDADD = libprotocol.a $(OPENSSL_LIBS) $(LIBBSD_LIBS)
EXTRA_DIST += tests/fuzz/corpus/conn
if FUZZING
FUZZ_TARGETS += tests/fuzz/fuzz_packet
endif
EXTRA_PROGRAMS += tests/fuzz/fuzz_packet
tests_fuzz_fuzz_packet_SOURCES = tests/fuzz/fuzz_packet.c
tests_fuzz_fuzz_packet_LDFLAGS = $(AM_LDFLAGS) $(FUZZ_LDFLAGS)
tests_fuzz_fuzz_packet_LDADD = libprotocol.a $(OPENSSL_LIBS) $(LIBBSD_LIBS)
EXTRA_DIST += tests/fuzz/corpus/packet

# mlkem768x25519-sha256 and sntrup761x25519-sha512: both sides, K,
# refusals, a whole exchange in memory.  fuzz_kex puts arbitrary client
# values into the server's key exchange and server values into a client's.
check_PROGRAMS += tests/unit/check_kex_hybrid
tests_unit_check_kex_hybrid_SOURCES = tests/unit/check_kex_hybrid.c \
	tests/unit/testclient.c tests/unit/testclient.h tests/fuzz/fuzz_kex.c
tests_unit_check_kex_hybrid_CFLAGS = $(CHECK_CFLAGS_ALL)
tests_unit_check_kex_hybrid_LDADD = $(CHECK_LDADD)
TESTS += tests/unit/check_kex_hybrid
if FUZZING
FUZZ_TARGETS += tests/fuzz/fuzz_kex
endif
EXTRA_PROGRAMS += tests/fuzz/fuzz_kex
tests_fuzz_fuzz_kex_SOURCES = tests/fuzz/fuzz_kex.c tests/unit/testclient.c
tests_fuzz_fuzz_kex_LDFLAGS = $(AM_LDFLAGS) $(FUZZ_LDFLAGS)
tests_fuzz_fuzz_kex_LDADD = libprotocol.a $(OPENSSL_LIBS) $(LIBBSD_LIBS)
EXTRA_DIST += tests/fuzz/corpus/kex
TESTS += tests/test_pq.py
EXTRA_DIST += tests/test_pq.py

# RSA key exchange (RFC 4432): Wycheproof RSAES-OAEP, K's bound, both
# methods in memory, tampered secrets; fuzz_kex reaches KEXRSA_SECRET too.
check_PROGRAMS += tests/unit/check_kex_rsa
tests_unit_check_kex_rsa_SOURCES = tests/unit/check_kex_rsa.c \
	tests/unit/testclient.c tests/unit/testclient.h tests/fuzz/fuzz_kex.c
tests_unit_check_kex_rsa_CFLAGS = $(CHECK_CFLAGS_ALL)
tests_unit_check_kex_rsa_LDADD = $(CHECK_LDADD)
TESTS += tests/unit/check_kex_rsa
TESTS += tests/test_rsakex.py
EXTRA_DIST += tests/test_rsakex.py

check_PROGRAMS += tests/unit/check_kex_session
tests_unit_check_kex_session_SOURCES = tests/unit/check_kex_session.c
tests_unit_check_kex_session_CFLAGS = $(CHECK_CFLAGS_ALL)
tests_unit_check_kex_session_LDADD = $(CHECK_LDADD)
TESTS += tests/unit/check_kex_session

# auth/authkeys*.c: authorized_keys lines (check_authkeys) and their
# options (check_authkeys_opts); fuzz_authkeys is linked into
# check_authkeys, which replays its corpus.
check_PROGRAMS += tests/unit/check_authkeys tests/unit/check_authkeys_opts
tests_unit_check_authkeys_SOURCES = tests/unit/check_authkeys.c \
	tests/unit/authkeys_util.c tests/unit/authkeys_util.h \
	tests/fuzz/fuzz_authkeys.c
tests_unit_check_authkeys_CFLAGS = $(CHECK_CFLAGS_ALL)
tests_unit_check_authkeys_LDADD = libauth.a $(CHECK_LDADD)
tests_unit_check_authkeys_opts_SOURCES = tests/unit/check_authkeys_opts.c \
	tests/unit/authkeys_util.c tests/unit/authkeys_util.h
tests_unit_check_authkeys_opts_CFLAGS = $(CHECK_CFLAGS_ALL)
tests_unit_check_authkeys_opts_LDADD = libauth.a $(CHECK_LDADD)
TESTS += tests/unit/check_authkeys tests/unit/check_authkeys_opts

# FIDO security keys (PROTOCOL.u2f): blobs, signatures from a software
# authenticator, ssh-keygen certificates of sk keys, the flag policy;
# fuzz_sig is linked in to replay its (sk signature) corpus.
check_PROGRAMS += tests/unit/check_sk
tests_unit_check_sk_SOURCES = tests/unit/check_sk.c tests/unit/sktest.c \
	tests/unit/sktest.h tests/fuzz/fuzz_sig.c
tests_unit_check_sk_CFLAGS = $(CHECK_CFLAGS_ALL)
tests_unit_check_sk_LDADD = libauth.a $(CHECK_LDADD)
TESTS += tests/unit/check_sk
TESTS += tests/test_sk.py
EXTRA_DIST += tests/test_sk.py tests/sk/sk_provider.c
if FUZZING
FUZZ_TARGETS += tests/fuzz/fuzz_authkeys
endif
EXTRA_PROGRAMS += tests/fuzz/fuzz_authkeys
tests_fuzz_fuzz_authkeys_SOURCES = tests/fuzz/fuzz_authkeys.c
tests_fuzz_fuzz_authkeys_LDFLAGS = $(AM_LDFLAGS) $(FUZZ_LDFLAGS)
tests_fuzz_fuzz_authkeys_LDADD = $(AUTH_LIBS)
EXTRA_DIST += tests/fuzz/corpus/authkeys

# Per-source penalties in the listener (daemon/penalty.c), and the config
# files of the penalties and allow/deny list tests in check_config.
check_PROGRAMS += tests/unit/check_penalty
tests_unit_check_penalty_SOURCES = tests/unit/check_penalty.c
tests_unit_check_penalty_CFLAGS = $(CHECK_CFLAGS_ALL)
tests_unit_check_penalty_LDADD = libdaemon.a $(CHECK_LDADD)
TESTS += tests/unit/check_penalty
TESTS += tests/test_penalty.py
EXTRA_DIST += tests/test_penalty.py tests/config/bad-penalties.conf \
	tests/config/bad-penalties-order.conf tests/config/bad-members.conf \
	tests/config/match-members.conf

# OpenSSH certificates: ssh-keygen fixtures in tests/certs (see its README);
# fuzz_cert feeds the parser, the CA signature and the checks.
CERTTEST_SOURCES = tests/unit/certtest.c tests/unit/certtest.h
check_PROGRAMS += tests/unit/check_cert tests/unit/check_cert_built \
	tests/unit/check_cidr
tests_unit_check_cert_SOURCES = tests/unit/check_cert.c tests/fuzz/fuzz_cert.c \
	$(CERTTEST_SOURCES)
tests_unit_check_cert_CFLAGS = $(CHECK_CFLAGS_ALL)
tests_unit_check_cert_LDADD = $(CHECK_LDADD)
tests_unit_check_cert_built_SOURCES = tests/unit/check_cert_built.c \
	$(CERTTEST_SOURCES)
tests_unit_check_cert_built_CFLAGS = $(CHECK_CFLAGS_ALL)
tests_unit_check_cert_built_LDADD = $(CHECK_LDADD)
tests_unit_check_cidr_SOURCES = tests/unit/check_cidr.c
tests_unit_check_cidr_CFLAGS = $(CHECK_CFLAGS_ALL)
tests_unit_check_cidr_LDADD = $(CHECK_LDADD)
TESTS += tests/unit/check_cert tests/unit/check_cert_built \
	tests/unit/check_cidr
EXTRA_DIST += tests/certs
if FUZZING
FUZZ_TARGETS += tests/fuzz/fuzz_cert
endif
EXTRA_PROGRAMS += tests/fuzz/fuzz_cert
tests_fuzz_fuzz_cert_SOURCES = tests/fuzz/fuzz_cert.c
tests_fuzz_fuzz_cert_LDFLAGS = $(AM_LDFLAGS) $(FUZZ_LDFLAGS)
tests_fuzz_fuzz_cert_LDADD = libprotocol.a $(OPENSSL_LIBS) $(LIBBSD_LIBS)
EXTRA_DIST += tests/fuzz/corpus/cert

# The file back end and crypt; the shadow and PAM back ends (root only).
check_PROGRAMS += tests/unit/check_password tests/unit/check_password_system
tests_unit_check_password_SOURCES = tests/unit/check_password.c \
	tests/unit/password_util.c tests/unit/password_util.h
tests_unit_check_password_CFLAGS = $(CHECK_CFLAGS_ALL)
tests_unit_check_password_LDADD = libauth.a $(CHECK_LDADD) $(PAM_LIBS) \
	$(CRYPT_LIBS)
tests_unit_check_password_system_SOURCES = \
	tests/unit/check_password_system.c \
	tests/unit/password_util.c tests/unit/password_util.h
tests_unit_check_password_system_CFLAGS = $(CHECK_CFLAGS_ALL) -DSRCDIR='"$(abs_top_srcdir)"'
tests_unit_check_password_system_LDADD = libauth.a $(CHECK_LDADD) \
	$(PAM_LIBS) $(CRYPT_LIBS)
TESTS += tests/unit/check_password tests/unit/check_password_system

# Account validity without root: login shells (auth/account.c).
check_PROGRAMS += tests/unit/check_account
tests_unit_check_account_SOURCES = tests/unit/check_account.c
tests_unit_check_account_CFLAGS = $(CHECK_CFLAGS_ALL)
tests_unit_check_account_LDADD = libauth.a $(CHECK_LDADD) $(PAM_LIBS) \
	$(CRYPT_LIBS)
TESTS += tests/unit/check_account

# Passwords and keyboard-interactive through the monitor (file back end).
TESTS += tests/test_password.py
EXTRA_DIST += tests/test_password.py
TESTS += tests/test_fail2ban.py
EXTRA_DIST += tests/test_fail2ban.py

# Host certificates: offered as certificate host key algorithms, K_S is the
# certificate (check_hostcert); the OpenSSH client with @cert-authority.
check_PROGRAMS += tests/unit/check_hostcert
tests_unit_check_hostcert_SOURCES = tests/unit/check_hostcert.c \
	tests/unit/testclient.c tests/unit/testclient.h
tests_unit_check_hostcert_CFLAGS = $(CHECK_CFLAGS_ALL)
tests_unit_check_hostcert_LDADD = $(CHECK_LDADD)
TESTS += tests/unit/check_hostcert
TESTS += tests/test_hostcert.py
EXTRA_DIST += tests/test_hostcert.py
TESTS += tests/test_dsa.py
EXTRA_DIST += tests/test_dsa.py
TESTS += tests/test_password_system.py
EXTRA_DIST += tests/test_password_system.py
# Account validity (expired, locked, no login shell, 100 groups) with real
# system users, as root.
TESTS += tests/test_account.py
EXTRA_DIST += tests/test_account.py
TESTS += tests/test_client_retries.py tests/test_systemd.py tests/test_manpages.py \
	tests/test_hardening.py
EXTRA_DIST += tests/test_client_retries.py tests/test_systemd.py \
	tests/test_manpages.py tests/test_install.py tests/test_hardening.py
TESTS += tests/test_keys_command.py
EXTRA_DIST += tests/test_keys_command.py
TESTS += tests/test_principals.py
EXTRA_DIST += tests/test_principals.py

# OpenSSH key revocation lists (protocol/krl.c): ssh-keygen -k fixtures in
# tests/krl (see its README); fuzz_krl is linked into check_krl, which
# replays its corpus.
check_PROGRAMS += tests/unit/check_krl
tests_unit_check_krl_SOURCES = tests/unit/check_krl.c tests/fuzz/fuzz_krl.c
tests_unit_check_krl_CFLAGS = $(CHECK_CFLAGS_ALL)
tests_unit_check_krl_LDADD = $(CHECK_LDADD)
TESTS += tests/unit/check_krl
EXTRA_DIST += tests/krl
if FUZZING
FUZZ_TARGETS += tests/fuzz/fuzz_krl
endif
EXTRA_PROGRAMS += tests/fuzz/fuzz_krl
tests_fuzz_fuzz_krl_SOURCES = tests/fuzz/fuzz_krl.c
tests_fuzz_fuzz_krl_LDFLAGS = $(AM_LDFLAGS) $(FUZZ_LDFLAGS)
tests_fuzz_fuzz_krl_LDADD = libprotocol.a $(OPENSSL_LIBS) $(LIBBSD_LIBS)
EXTRA_DIST += tests/fuzz/corpus/krl

# privsep/sftpargs: the SFTP server's command line for a user.
check_PROGRAMS += tests/unit/check_sftpargs
tests_unit_check_sftpargs_SOURCES = tests/unit/check_sftpargs.c
tests_unit_check_sftpargs_CFLAGS = $(CHECK_CFLAGS_ALL)
tests_unit_check_sftpargs_LDADD = libprivsep.a $(CHECK_LDADD) \
	$(LIBCONFIG_LIBS)
TESTS += tests/unit/check_sftpargs
# auth.revoked_keys as a KRL from ssh-keygen -k, with the OpenSSH client.
TESTS += tests/test_revoked.py
EXTRA_DIST += tests/test_revoked.py

# sntrup761x25519-sha512 with OpenSSH's ssh and PuTTY's plink.
TESTS += tests/test_kex_sntrup.py
EXTRA_DIST += tests/test_kex_sntrup.py

# Clients other than OpenSSH's: PuTTY, Dropbear, AsyncSSH, rsync, git.
TESTS += tests/test_interop.py
EXTRA_DIST += tests/test_interop.py

# The monitor against a hostile protocol child: hostile_child hands the
# IPC and log sockets to the test (tests/unit/hostile.c), which plays the
# child: the IPC rules in check_monitor_hostile, authentication's in
# check_monitor_hostile_auth, RSA key exchange's in
# check_monitor_hostile_rsakex.
check_PROGRAMS += tests/unit/check_monitor_hostile tests/unit/hostile_child
tests_unit_hostile_child_SOURCES = tests/unit/hostile_child.c
tests_unit_check_monitor_hostile_SOURCES = tests/unit/check_monitor_hostile.c \
	tests/unit/hostile.c tests/unit/hostile.h
tests_unit_check_monitor_hostile_CFLAGS = $(CHECK_CFLAGS_ALL) \
	-DHOSTILE_CHILD='"$(abs_top_builddir)/tests/unit/hostile_child"' \
	-DSRCDIR='"$(abs_top_srcdir)"'
tests_unit_check_monitor_hostile_LDADD = libprivsep.a libauth.a \
	$(CHECK_LDADD) $(LIBSECCOMP_LIBS) $(PAM_LIBS) $(CRYPT_LIBS)
TESTS += tests/unit/check_monitor_hostile
check_PROGRAMS += tests/unit/check_monitor_hostile_auth
tests_unit_check_monitor_hostile_auth_SOURCES = \
	tests/unit/check_monitor_hostile_auth.c tests/unit/hostile.c \
	tests/unit/hostile.h tests/unit/sktest.c tests/unit/sktest.h
tests_unit_check_monitor_hostile_auth_CFLAGS = \
	$(tests_unit_check_monitor_hostile_CFLAGS)
tests_unit_check_monitor_hostile_auth_LDADD = \
	$(tests_unit_check_monitor_hostile_LDADD)
TESTS += tests/unit/check_monitor_hostile_auth
check_PROGRAMS += tests/unit/check_monitor_hostile_rsakex
tests_unit_check_monitor_hostile_rsakex_SOURCES = \
	tests/unit/check_monitor_hostile_rsakex.c tests/unit/hostile.c \
	tests/unit/hostile.h
tests_unit_check_monitor_hostile_rsakex_CFLAGS = \
	$(tests_unit_check_monitor_hostile_CFLAGS)
tests_unit_check_monitor_hostile_rsakex_LDADD = \
	$(tests_unit_check_monitor_hostile_LDADD)
TESTS += tests/unit/check_monitor_hostile_rsakex

# SFTP and legacy SCP (sftp/): the virtual filesystem's containment, the
# packet core, the real OpenSSH sftp and scp clients against
# nanossh-sftp-server and nanossh-scp; fuzz targets for the SFTP packet
# handler and the SCP control-line and command parsers.
check_PROGRAMS += tests/unit/check_sftp_vfs
tests_unit_check_sftp_vfs_SOURCES = tests/unit/check_sftp_vfs.c
tests_unit_check_sftp_vfs_CFLAGS = $(CHECK_CFLAGS_ALL)
tests_unit_check_sftp_vfs_LDADD = libsftp.a $(CHECK_LDADD) -lpthread
TESTS += tests/unit/check_sftp_vfs
# Mount targets that a user could swap for a link.
check_PROGRAMS += tests/unit/check_sftp_mount
tests_unit_check_sftp_mount_SOURCES = tests/unit/check_sftp_mount.c
tests_unit_check_sftp_mount_CFLAGS = $(CHECK_CFLAGS_ALL)
tests_unit_check_sftp_mount_LDADD = libsftp.a $(CHECK_LDADD)
TESTS += tests/unit/check_sftp_mount
check_PROGRAMS += tests/unit/check_sftp
tests_unit_check_sftp_SOURCES = tests/unit/check_sftp.c tests/fuzz/fuzz_sftp.c
tests_unit_check_sftp_CFLAGS = $(CHECK_CFLAGS_ALL)
tests_unit_check_sftp_LDADD = libsftp.a $(CHECK_LDADD)
TESTS += tests/unit/check_sftp
if FUZZING
FUZZ_TARGETS += tests/fuzz/fuzz_sftp
endif
EXTRA_PROGRAMS += tests/fuzz/fuzz_sftp
tests_fuzz_fuzz_sftp_SOURCES = tests/fuzz/fuzz_sftp.c
tests_fuzz_fuzz_sftp_LDFLAGS = $(AM_LDFLAGS) $(FUZZ_LDFLAGS)
tests_fuzz_fuzz_sftp_LDADD = libsftp.a libprotocol.a $(OPENSSL_LIBS) \
	$(LIBBSD_LIBS)
EXTRA_DIST += tests/fuzz/corpus/sftp
check_PROGRAMS += tests/unit/check_sftp_scp
tests_unit_check_sftp_scp_SOURCES = tests/unit/check_sftp_scp.c \
	tests/fuzz/fuzz_scp.c
tests_unit_check_sftp_scp_CFLAGS = $(CHECK_CFLAGS_ALL)
tests_unit_check_sftp_scp_LDADD = libsftp.a $(CHECK_LDADD)
TESTS += tests/unit/check_sftp_scp
if FUZZING
FUZZ_TARGETS += tests/fuzz/fuzz_scp
endif
EXTRA_PROGRAMS += tests/fuzz/fuzz_scp
tests_fuzz_fuzz_scp_SOURCES = tests/fuzz/fuzz_scp.c
tests_fuzz_fuzz_scp_LDFLAGS = $(AM_LDFLAGS) $(FUZZ_LDFLAGS)
tests_fuzz_fuzz_scp_LDADD = libsftp.a libprotocol.a $(LIBBSD_LIBS)
EXTRA_DIST += tests/fuzz/corpus/scp
TESTS += tests/test_sftp.py tests/test_scp.py
EXTRA_DIST += tests/test_sftp.py tests/test_scp.py
# Interactive sessions (issue 5): pty-req terminal modes
# (protocol/ttymodes.c), with fuzz_ttymodes linked in to replay its corpus;
# test_session.py drives real ssh -tt sessions through a pty.
check_PROGRAMS += tests/unit/check_ttymodes
tests_unit_check_ttymodes_SOURCES = tests/unit/check_ttymodes.c \
	tests/fuzz/fuzz_ttymodes.c
tests_unit_check_ttymodes_CFLAGS = $(CHECK_CFLAGS_ALL)
tests_unit_check_ttymodes_LDADD = $(CHECK_LDADD)
TESTS += tests/unit/check_ttymodes
if FUZZING
FUZZ_TARGETS += tests/fuzz/fuzz_ttymodes
endif
EXTRA_PROGRAMS += tests/fuzz/fuzz_ttymodes
tests_fuzz_fuzz_ttymodes_SOURCES = tests/fuzz/fuzz_ttymodes.c
tests_fuzz_fuzz_ttymodes_LDFLAGS = $(AM_LDFLAGS) $(FUZZ_LDFLAGS)
tests_fuzz_fuzz_ttymodes_LDADD = libprotocol.a $(OPENSSL_LIBS) $(LIBBSD_LIBS)
EXTRA_DIST += tests/fuzz/corpus/ttymodes
TESTS += tests/test_session.py
# privsep/pty.c: modes, window size, owner, controlling terminal.
check_PROGRAMS += tests/unit/check_pty
tests_unit_check_pty_SOURCES = tests/unit/check_pty.c
tests_unit_check_pty_CFLAGS = $(CHECK_CFLAGS_ALL)
tests_unit_check_pty_LDADD = $(PRIVSEP_CHECK_LDADD)
TESTS += tests/unit/check_pty
EXTRA_DIST += tests/test_session.py tests/config/bad-accept-env.conf
# Port forwarding (issue 7): payload parsing (protocol/fwdmsg.c) and the
# permission rules (privsep/fwdpolicy.c); fuzz_fwdmsg is linked into
# check_fwd, which replays its corpus; the integration test with the
# OpenSSH client and paramiko.
check_PROGRAMS += tests/unit/check_fwd
tests_unit_check_fwd_SOURCES = tests/unit/check_fwd.c tests/fuzz/fuzz_fwdmsg.c
tests_unit_check_fwd_CFLAGS = $(CHECK_CFLAGS_ALL)
tests_unit_check_fwd_LDADD = libprivsep.a $(CHECK_LDADD)
TESTS += tests/unit/check_fwd
if FUZZING
FUZZ_TARGETS += tests/fuzz/fuzz_fwdmsg
endif
EXTRA_PROGRAMS += tests/fuzz/fuzz_fwdmsg
tests_fuzz_fuzz_fwdmsg_SOURCES = tests/fuzz/fuzz_fwdmsg.c
tests_fuzz_fuzz_fwdmsg_LDFLAGS = $(AM_LDFLAGS) $(FUZZ_LDFLAGS)
tests_fuzz_fuzz_fwdmsg_LDADD = libprotocol.a $(OPENSSL_LIBS) $(LIBBSD_LIBS)
EXTRA_DIST += tests/fuzz/corpus/fwdmsg
TESTS += tests/test_forward.py
EXTRA_DIST += tests/test_forward.py
TESTS += tests/test_agent.py
EXTRA_DIST += tests/test_agent.py

# The sftp subsystem and legacy scp through nanosshd with every client:
# OpenSSH sftp/scp, paramiko, PuTTY psftp/pscp, sshfs; sftp.force.
TESTS += tests/test_sftp_clients.py
EXTRA_DIST += tests/test_sftp_clients.py

# The monitor's FWD_OPEN / FWD_LISTEN parser against a hostile child.
check_PROGRAMS += tests/unit/check_monitor_fwd
tests_unit_check_monitor_fwd_SOURCES = tests/unit/check_monitor_fwd.c
tests_unit_check_monitor_fwd_CFLAGS = $(CHECK_CFLAGS_ALL)
tests_unit_check_monitor_fwd_LDADD = $(tests_unit_check_monitor_hostile_LDADD)
TESTS += tests/unit/check_monitor_fwd

# The monitor's forks for the user's work hold no host key.
check_PROGRAMS += tests/unit/check_helper_secrets
tests_unit_check_helper_secrets_SOURCES = tests/unit/check_helper_secrets.c
tests_unit_check_helper_secrets_CFLAGS = $(CHECK_CFLAGS_ALL) \
	-DSRCDIR='"$(abs_top_srcdir)"'
tests_unit_check_helper_secrets_LDADD = \
	$(tests_unit_check_monitor_hostile_LDADD)
TESTS += tests/unit/check_helper_secrets

# No wait on a process of the user's beyond its deadline.
check_PROGRAMS += tests/unit/check_userproc_deadline
tests_unit_check_userproc_deadline_SOURCES = \
	tests/unit/check_userproc_deadline.c
tests_unit_check_userproc_deadline_CFLAGS = $(CHECK_CFLAGS_ALL)
tests_unit_check_userproc_deadline_LDADD = \
	$(tests_unit_check_monitor_hostile_LDADD) -lpthread
TESTS += tests/unit/check_userproc_deadline
# PROXY protocol headers (issue 13): the parser (protocol/proxy.c) with
# fuzz_proxy linked in to replay its corpus; test_proxy.py puts real ssh
# behind a header writer (and HAProxy when installed).
check_PROGRAMS += tests/unit/check_proxy
tests_unit_check_proxy_SOURCES = tests/unit/check_proxy.c \
	tests/fuzz/fuzz_proxy.c
tests_unit_check_proxy_CFLAGS = $(CHECK_CFLAGS_ALL)
tests_unit_check_proxy_LDADD = $(CHECK_LDADD)
TESTS += tests/unit/check_proxy tests/test_proxy.py
EXTRA_DIST += tests/test_proxy.py
if FUZZING
FUZZ_TARGETS += tests/fuzz/fuzz_proxy
endif
EXTRA_PROGRAMS += tests/fuzz/fuzz_proxy
tests_fuzz_fuzz_proxy_SOURCES = tests/fuzz/fuzz_proxy.c
tests_fuzz_fuzz_proxy_LDFLAGS = $(AM_LDFLAGS) $(FUZZ_LDFLAGS)
tests_fuzz_fuzz_proxy_LDADD = libprotocol.a $(OPENSSL_LIBS) $(LIBBSD_LIBS)
EXTRA_DIST += tests/fuzz/corpus/proxy

# X11 forwarding (ssh -X/-Y, paramiko) to a fake X server; every refusal.
TESTS += tests/test_x11.py
EXTRA_DIST += tests/test_x11.py
# nanosshctl: the status records and the control socket's requests (with
# fuzz_sessrec's corpus replayed); test_ctl.py with real ssh sessions.
check_PROGRAMS += tests/unit/check_ctl
tests_unit_check_ctl_SOURCES = tests/unit/check_ctl.c tests/fuzz/fuzz_sessrec.c
tests_unit_check_ctl_CFLAGS = $(CHECK_CFLAGS_ALL)
tests_unit_check_ctl_LDADD = libdaemon.a $(CHECK_LDADD) $(LIBCONFIG_LIBS)
TESTS += tests/unit/check_ctl tests/test_ctl.py
EXTRA_DIST += tests/test_ctl.py tests/fuzz/corpus/sessrec
if FUZZING
FUZZ_TARGETS += tests/fuzz/fuzz_sessrec
endif
EXTRA_PROGRAMS += tests/fuzz/fuzz_sessrec
tests_fuzz_fuzz_sessrec_SOURCES = tests/fuzz/fuzz_sessrec.c
tests_fuzz_fuzz_sessrec_LDFLAGS = $(AM_LDFLAGS) $(FUZZ_LDFLAGS)
tests_fuzz_fuzz_sessrec_LDADD = libcommon.a libprotocol.a $(OPENSSL_LIBS) \
	$(LIBBSD_LIBS)
