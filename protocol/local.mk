# protocol/: the sans-IO SSH core.  No sockets and no system calls in here.
noinst_LIBRARIES += libprotocol.a
libprotocol_a_SOURCES = \
	protocol/ssherr.c protocol/ssherr.h \
	protocol/buf.c protocol/buf.h \
	protocol/ssh2.h \
	protocol/version.c protocol/version.h \
	protocol/namelist.c protocol/namelist.h \
	protocol/kexinit.c protocol/kexinit.h \
	protocol/blowfish.c protocol/blowfish.h protocol/blowfish_tables.h \
	protocol/bcrypt_pbkdf.c protocol/bcrypt_pbkdf.h \
	protocol/key.c protocol/key.h \
	protocol/sig.c protocol/sig.h
EXTRA_DIST += scripts/gen-blowfish-tables
