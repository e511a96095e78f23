# tests/: Check unit tests (tests/unit) and integration tests with real clients.
CHECK_LDADD = libprotocol.a $(CHECK_LIBS) $(OPENSSL_LIBS) $(LIBBSD_LIBS)
CHECK_CFLAGS_ALL = $(AM_CFLAGS) $(CHECK_CFLAGS)

check_PROGRAMS += tests/unit/check_buf
tests_unit_check_buf_SOURCES = tests/unit/check_buf.c
tests_unit_check_buf_CFLAGS = $(CHECK_CFLAGS_ALL)
tests_unit_check_buf_LDADD = $(CHECK_LDADD)

TESTS += tests/unit/check_buf
