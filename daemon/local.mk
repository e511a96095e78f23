# daemon/: listener, configuration, logging, main.
noinst_LIBRARIES += libdaemon.a
libdaemon_a_SOURCES = \
	daemon/config.c daemon/config.h \
	daemon/fdutil.c daemon/fdutil.h \
	daemon/match.c daemon/match.h
DAEMON_LIBS = $(LIBCONFIG_LIBS) $(LIBBSD_LIBS)
dist_man_MANS += man/nanosshd.conf.5

# The listener (nanosshd) and the per-connection nanosshd-session.
libdaemon_a_SOURCES += \
	daemon/log.c daemon/log.h \
	daemon/monotime.h \
	daemon/pidfile.c daemon/pidfile.h \
	daemon/cfgsum.c daemon/cfgsum.h \
	daemon/listener.c daemon/listener.h \
	daemon/children.c daemon/children.h \
	daemon/penalty.c daemon/penalty.h \
	daemon/spawn.c daemon/spawn.h \
	daemon/serve.c daemon/serve.h
NANOSSHD_LDADD = libdaemon.a libprotocol.a $(LIBCONFIG_LIBS) \
	$(OPENSSL_LIBS) $(LIBBSD_LIBS)

sbin_PROGRAMS += nanosshd
nanosshd_SOURCES = daemon/main.c
nanosshd_LDADD = libprivsep.a libauth.a $(NANOSSHD_LDADD) $(LIBSECCOMP_LIBS) \
	$(PAM_LIBS) $(CRYPT_LIBS)

libexec_PROGRAMS += nanosshd-session
nanosshd_session_SOURCES = daemon/session_main.c
nanosshd_session_LDADD = libprivsep.a libauth.a libdaemon.a libprotocol.a \
	$(LIBCONFIG_LIBS) $(LIBSECCOMP_LIBS) $(PAM_LIBS) $(CRYPT_LIBS) \
	$(OPENSSL_LIBS) $(LIBBSD_LIBS)

dist_man_MANS += man/nanosshd.8
# Key files, shared by nanosshd and nanossh-keygen.
libdaemon_a_SOURCES += daemon/keyfile.c daemon/keyfile.h
# Host certificates (host_certificates), for nanosshd and nanosshd-session.
libdaemon_a_SOURCES += daemon/hostcert.c daemon/hostcert.h
