# protocol/: the sans-IO SSH core.  No sockets and no system calls in here.
noinst_LIBRARIES += libprotocol.a
libprotocol_a_SOURCES = \
	protocol/ssherr.c protocol/ssherr.h \
	protocol/buf.c protocol/buf.h \
	protocol/blowfish.c protocol/blowfish.h protocol/blowfish_tables.h \
	protocol/bcrypt_pbkdf.c protocol/bcrypt_pbkdf.h
EXTRA_DIST += scripts/gen-blowfish-tables
