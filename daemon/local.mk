# daemon/: listener, configuration, logging, main.
noinst_LIBRARIES += libdaemon.a
libdaemon_a_SOURCES = \
	daemon/config.c daemon/config.h \
	daemon/match.c daemon/match.h
DAEMON_LIBS = $(LIBCONFIG_LIBS) $(LIBBSD_LIBS)
dist_man_MANS += man/nanosshd.conf.5
