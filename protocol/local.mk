# protocol/: the sans-IO SSH core.  No sockets and no system calls in here.
noinst_LIBRARIES += libprotocol.a
libprotocol_a_SOURCES = \
	protocol/ssherr.c protocol/ssherr.h \
	protocol/buf.c protocol/buf.h protocol/buf_encode.c \
	protocol/escape.c protocol/escape.h \
	protocol/publine.c protocol/publine.h \
	protocol/dh_groups.c protocol/dh_groups.h \
	protocol/moduli.c protocol/moduli.h \
	protocol/kex_method.c protocol/kex_method.h \
	protocol/kex_method_local.h \
	protocol/kex_ecdh.c protocol/kex_dh.c protocol/kex_derive.c \
	protocol/mlkem768.c protocol/mlkem768.h protocol/kex_hybrid.c \
	protocol/sntrup761.c protocol/sntrup761.h protocol/sntrup761_local.h \
	protocol/kex_rsa.c \
	protocol/ssh2.h \
	protocol/channel.c protocol/channel.h protocol/channel_local.h \
	protocol/channel_data.c protocol/channel_request.c \
	protocol/ttymodes.c protocol/ttymodes.h \
	protocol/version.c protocol/version.h \
	protocol/namelist.c protocol/namelist.h \
	protocol/kexinit.c protocol/kexinit.h \
	protocol/packet.c protocol/packet.h \
	protocol/conn.c protocol/conn.h protocol/conn_local.h \
	protocol/conn_info.c \
	protocol/dispatch.c protocol/dispatch.h \
	protocol/kex.c protocol/kex.h protocol/userauth.c protocol/userauth.h \
	protocol/blowfish.c protocol/blowfish.h protocol/blowfish_tables.h \
	protocol/bcrypt_pbkdf.c protocol/bcrypt_pbkdf.h \
	protocol/cipher.c protocol/cipher.h \
	protocol/mac.c protocol/mac.h protocol/umac.c protocol/umac.h \
	protocol/key.c protocol/key.h protocol/key_local.h \
	protocol/key_evp.c protocol/key_private.c protocol/key_convert.c \
	protocol/sig.c protocol/sig.h \
	protocol/cert.c protocol/cert.h protocol/cert_local.h \
	protocol/cert_options.c \
	protocol/cidr.c protocol/cidr.h \
	protocol/proxy.c protocol/proxy.h
libprotocol_a_SOURCES += protocol/fwdmsg.c protocol/fwdmsg.h
libprotocol_a_SOURCES += protocol/x11req.c protocol/x11req.h
EXTRA_DIST += scripts/gen-blowfish-tables

# OpenSSH key revocation lists (auth.revoked_keys).
libprotocol_a_SOURCES += protocol/krl.c protocol/krl.h
