# privsep/: the monitor's building blocks: the typed IPC channel and its
# message catalogue, the child's log channel, and the protocol child's
# sandbox.  Programs using it link $(LIBSECCOMP_LIBS) and libprotocol.a.
noinst_LIBRARIES += libprivsep.a
libprivsep_a_SOURCES = \
	privsep/ipc.c privsep/ipc.h \
	privsep/ipc_catalogue.c privsep/ipc_catalogue.h privsep/ipc_msgs.h \
	privsep/ipc_codec.c privsep/ipc_codec.h \
	privsep/log_channel.c privsep/log_channel.h \
	privsep/sandbox.c privsep/sandbox.h
PRIVSEP_LIBS = libprivsep.a libcommon.a libprotocol.a $(LIBCONFIG_LIBS) $(LIBSECCOMP_LIBS) $(OPENSSL_LIBS) $(LIBBSD_LIBS)

# The protocol child and the monitor, as run by nanosshd-session.
libprivsep_a_SOURCES += \
	privsep/outcome.h \
	privsep/child.c privsep/child.h privsep/child_local.h \
	privsep/child_monitor.c privsep/child_session.c \
	privsep/child_admin.c
libprivsep_a_SOURCES += \
	privsep/monitor.c privsep/monitor.h \
	privsep/monitor_local.h privsep/monitor_session.c \
	privsep/monitor_hostkey.c privsep/monitor_rsakex.c \
	privsep/monitor_auth.c \
	privsep/monitor_password.c privsep/monitor_account.c \
	privsep/monitor_status.c \
	privsep/usergroups.c privsep/usergroups.h \
	privsep/userkeys.c privsep/userkeys.h \
	privsep/usercmd.c privsep/usercmd.h \
	privsep/userpath.c privsep/userpath.h \
	privsep/sftpargs.c privsep/sftpargs.h \
	privsep/userproc.c privsep/userproc.h \
	privsep/pty.c privsep/pty.h \
	privsep/loginrec.c privsep/loginrec.h

# The monitor's own key files: trusted CAs and revoked keys (plain or KRL).
libprivsep_a_SOURCES += privsep/keylist.c privsep/keylist.h
# Port forwarding: the rules, the user-side helper, the monitor's and the
# child's halves.
libprivsep_a_SOURCES += \
	privsep/fwdpolicy.c privsep/fwdpolicy.h \
	privsep/fwdhelper.c privsep/fwdhelper.h \
	privsep/monitor_fwd.c privsep/monitor_fwd.h \
	privsep/child_fwd.c privsep/child_fwd.h
# X11 forwarding: the user-side display and xauth, the monitor's and the
# child's halves of x11-req.
libprivsep_a_SOURCES += \
	privsep/x11.c privsep/x11.h \
	privsep/monitor_x11.c privsep/child_x11.c
