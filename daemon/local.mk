# daemon/: the listener (nanosshd) and the per-connection nanosshd-session.
noinst_LIBRARIES += libdaemon.a
libdaemon_a_SOURCES = \
	daemon/pidfile.c daemon/pidfile.h \
	daemon/handover.c daemon/handover.h \
	daemon/listener.c daemon/listener.h \
	daemon/notify.c daemon/notify.h \
	daemon/dumpconn.c daemon/dumpconn.h \
	daemon/children.c daemon/children.h \
	daemon/penalty.c daemon/penalty.h \
	daemon/spawn.c daemon/spawn.h \
	daemon/serve.c daemon/serve.h
# The control socket and its client, nanosshctl.
libdaemon_a_SOURCES += daemon/control.c daemon/control.h
# Host certificates (host_certificates), for nanosshd and nanosshd-session.
libdaemon_a_SOURCES += daemon/hostcert.c daemon/hostcert.h
DAEMON_LIBS = libdaemon.a libprivsep.a libauth.a libcommon.a libprotocol.a \
	$(LIBCONFIG_LIBS) $(LIBSECCOMP_LIBS) $(PAM_LIBS) $(CRYPT_LIBS) \
	$(OPENSSL_LIBS) $(LIBBSD_LIBS)

sbin_PROGRAMS += nanosshd
nanosshd_SOURCES = daemon/main.c
nanosshd_LDADD = $(DAEMON_LIBS)

libexec_PROGRAMS += nanosshd-session
nanosshd_session_SOURCES = daemon/session_main.c
nanosshd_session_LDADD = $(DAEMON_LIBS)

sbin_PROGRAMS += nanosshctl
nanosshctl_SOURCES = daemon/nanosshctl.c
nanosshctl_LDADD = $(LIBBSD_LIBS)

dist_man_MANS += man/nanosshd.8 man/nanosshctl.8
