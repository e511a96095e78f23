# keygen/: nanossh-keygen.
bin_PROGRAMS += nanossh-keygen
nanossh_keygen_SOURCES = keygen/nanossh-keygen.c
nanossh_keygen_LDADD = libcommon.a libprotocol.a $(LIBCONFIG_LIBS) \
	$(OPENSSL_LIBS) $(LIBBSD_LIBS)
dist_man_MANS += man/nanossh-keygen.1
