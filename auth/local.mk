# auth/: authentication building blocks used by the monitor: the
# authorized_keys line parser with OpenSSH's key options.  Programs using
# it also link libdaemon.a (daemon/match.c) and libprotocol.a.
noinst_LIBRARIES += libauth.a
libauth_a_SOURCES = \
	auth/authkeys.c auth/authkeys.h
AUTH_LIBS = libauth.a libdaemon.a libprotocol.a $(OPENSSL_LIBS) $(LIBBSD_LIBS)
