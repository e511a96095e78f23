# auth/: authentication building blocks used by the monitor: the
# authorized_keys line parser with OpenSSH's key options.  Programs using
# it also link libcommon.a and libprotocol.a.
noinst_LIBRARIES += libauth.a
libauth_a_SOURCES = \
	auth/authkeys.c auth/authkeys.h auth/authkeys_opts.c \
	auth/authkeys_local.h
AUTH_LIBS = libauth.a libcommon.a libprotocol.a $(LIBCONFIG_LIBS) $(OPENSSL_LIBS) $(LIBBSD_LIBS)

# Password back ends (pam, shadow, file) behind password_check, for the
# monitor.  Programs using them also link $(PAM_LIBS) $(CRYPT_LIBS).
libauth_a_SOURCES += \
	auth/password.c auth/password.h \
	auth/account.c auth/account.h \
	auth/pwcrypt.c auth/pwcrypt.h \
	auth/passwd_file.c auth/passwd_file.h \
	auth/passwd_shadow.c auth/passwd_shadow.h \
	auth/passwd_pam.c auth/passwd_pam.h \
	auth/pamconv.c auth/pamconv.h
PASSWORD_LIBS = libauth.a libprotocol.a $(PAM_LIBS) $(CRYPT_LIBS) \
	$(OPENSSL_LIBS) $(LIBBSD_LIBS)

# The PAM service file, installed as $(sysconfdir)/pam.d/nanosshd.
pamdir = $(sysconfdir)/pam.d
pam_DATA = etc/pam.d/nanosshd
EXTRA_DIST += etc/pam.d/nanosshd
