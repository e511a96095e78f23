# common/: what auth/, sftp/, privsep/ and daemon/ share: logging, name
# tables, pattern lists, fd helpers, the monotonic clock, key files and the
# configuration, the wiping of host keys in forks.  Depends only on
# protocol/.
noinst_LIBRARIES += libcommon.a
libcommon_a_SOURCES = \
	common/names.c common/names.h \
	common/log.c common/log.h \
	common/match.c common/match.h \
	common/fdutil.c common/fdutil.h \
	common/testhook.c common/testhook.h \
	common/monotime.h common/tokens.h \
	common/keyfile.c common/keyfile.h \
	common/secrets.c common/secrets.h \
	common/config.h common/config_local.h \
	common/config_table.c common/config_check.c common/config_value.c \
	common/config_load.c common/config_dump.c common/config_wire.c
# The session <-> listener status records (nanosshctl's view).
libcommon_a_SOURCES += common/sessrec.c common/sessrec.h
COMMON_LIBS = libcommon.a libprotocol.a $(LIBCONFIG_LIBS) $(OPENSSL_LIBS) \
	$(LIBBSD_LIBS)
dist_man_MANS += man/nanosshd.conf.5
