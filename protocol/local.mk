# protocol/: the sans-IO SSH core.  No sockets and no system calls in here.
noinst_LIBRARIES += libprotocol.a
libprotocol_a_SOURCES = \
	protocol/ssherr.c protocol/ssherr.h \
	protocol/buf.c protocol/buf.h
