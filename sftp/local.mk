# sftp/: the SFTP server, its virtual filesystem and legacy SCP.
noinst_LIBRARIES += libsftp.a
libsftp_a_SOURCES = \
	sftp/vfs.c sftp/vfs.h sftp/vfs_local.h \
	sftp/vfs_path.c sftp/vfs_ops.c sftp/vfs_dir.c sftp/vfs_target.c \
	sftp/sftp_proto.h sftp/attr.c sftp/attr.h \
	sftp/server.c sftp/server.h sftp/server_local.h \
	sftp/server_ops.c sftp/server_ext.c \
	sftp/scp.c sftp/scp_parse.c sftp/scp.h \
	sftp/opts.c sftp/opts.h
SFTP_LDADD = libsftp.a libprotocol.a $(OPENSSL_LIBS) $(LIBBSD_LIBS)

# Both programs log through common/log.c.
libexec_PROGRAMS += nanossh-sftp-server
nanossh_sftp_server_SOURCES = sftp/sftp_main.c
nanossh_sftp_server_LDADD = libsftp.a libcommon.a $(SFTP_LDADD)

# Legacy SCP (scp -t / -f), same options plus -c command.
libexec_PROGRAMS += nanossh-scp
nanossh_scp_SOURCES = sftp/scp_main.c
nanossh_scp_LDADD = $(nanossh_sftp_server_LDADD)

dist_man_MANS += man/nanossh-sftp-server.8
