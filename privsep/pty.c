/* pty.c: pseudo-terminals for sessions (pty.h). */
#include <sys/types.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <pty.h>
#include <pwd.h>
#include <stdio.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

#include "privsep/pty.h"
#include "protocol/ssherr.h"
#include "protocol/ttymodes.h"

/* RFC 4254 section 8: which opcode is which termios character or flag. */
enum mode_kind { MK_CC, MK_IFLAG, MK_LFLAG, MK_OFLAG, MK_CFLAG };

static const struct {
	uint8_t op;
	enum mode_kind kind;
	tcflag_t flag;		/* for flags; the c_cc index for MK_CC */
} pty_modes[] = {
	{ 1, MK_CC, VINTR }, { 2, MK_CC, VQUIT }, { 3, MK_CC, VERASE },
	{ 4, MK_CC, VKILL }, { 5, MK_CC, VEOF }, { 6, MK_CC, VEOL },
	{ 7, MK_CC, VEOL2 }, { 8, MK_CC, VSTART }, { 9, MK_CC, VSTOP },
	{ 10, MK_CC, VSUSP }, { 12, MK_CC, VREPRINT }, { 13, MK_CC, VWERASE },
	{ 14, MK_CC, VLNEXT }, { 18, MK_CC, VDISCARD },
	{ 30, MK_IFLAG, IGNPAR }, { 31, MK_IFLAG, PARMRK },
	{ 32, MK_IFLAG, INPCK }, { 33, MK_IFLAG, ISTRIP },
	{ 34, MK_IFLAG, INLCR }, { 35, MK_IFLAG, IGNCR },
	{ 36, MK_IFLAG, ICRNL }, { 37, MK_IFLAG, IUCLC },
	{ 38, MK_IFLAG, IXON }, { 39, MK_IFLAG, IXANY },
	{ 40, MK_IFLAG, IXOFF }, { 41, MK_IFLAG, IMAXBEL },
	{ 42, MK_IFLAG, IUTF8 },
	{ 50, MK_LFLAG, ISIG }, { 51, MK_LFLAG, ICANON },
	{ 52, MK_LFLAG, XCASE }, { 53, MK_LFLAG, ECHO },
	{ 54, MK_LFLAG, ECHOE }, { 55, MK_LFLAG, ECHOK },
	{ 56, MK_LFLAG, ECHONL }, { 57, MK_LFLAG, NOFLSH },
	{ 58, MK_LFLAG, TOSTOP }, { 59, MK_LFLAG, IEXTEN },
	{ 60, MK_LFLAG, ECHOCTL }, { 61, MK_LFLAG, ECHOKE },
	{ 62, MK_LFLAG, PENDIN },
	{ 70, MK_OFLAG, OPOST }, { 71, MK_OFLAG, OLCUC },
	{ 72, MK_OFLAG, ONLCR }, { 73, MK_OFLAG, OCRNL },
	{ 74, MK_OFLAG, ONOCR }, { 75, MK_OFLAG, ONLRET },
	{ 90, MK_CFLAG, CS7 }, { 91, MK_CFLAG, CS8 },
	{ 92, MK_CFLAG, PARENB }, { 93, MK_CFLAG, PARODD },
};

static const struct {
	uint32_t baud;
	speed_t speed;
} pty_speeds[] = {
	{ 0, B0 }, { 50, B50 }, { 75, B75 }, { 110, B110 }, { 134, B134 },
	{ 150, B150 }, { 200, B200 }, { 300, B300 }, { 600, B600 },
	{ 1200, B1200 }, { 1800, B1800 }, { 2400, B2400 }, { 4800, B4800 },
	{ 9600, B9600 }, { 19200, B19200 }, { 38400, B38400 },
	{ 57600, B57600 }, { 115200, B115200 }, { 230400, B230400 },
};

int
pty_mode_known(uint8_t opcode)
{
	size_t i;

	if (opcode == TTY_OP_ISPEED || opcode == TTY_OP_OSPEED)
		return 1;
	for (i = 0; i < sizeof(pty_modes) / sizeof(pty_modes[0]); i++)
		if (pty_modes[i].op == opcode)
			return 1;
	return 0;
}

static int
speed_of(uint32_t baud, speed_t *sp)
{
	size_t i;

	for (i = 0; i < sizeof(pty_speeds) / sizeof(pty_speeds[0]); i++) {
		if (pty_speeds[i].baud == baud) {
			*sp = pty_speeds[i].speed;
			return 1;
		}
	}
	return 0;
}

static void
flag_set(tcflag_t *f, tcflag_t flag, uint32_t on)
{
	if (on)
		*f |= flag;
	else
		*f &= ~flag;
}

static void
apply_mode(struct termios *tio, uint8_t op, uint32_t v)
{
	speed_t sp;
	size_t i;

	if (op == TTY_OP_ISPEED || op == TTY_OP_OSPEED) {
		if (speed_of(v, &sp))
			(void)(op == TTY_OP_ISPEED ? cfsetispeed(tio, sp) :
			    cfsetospeed(tio, sp));
		return;
	}
	for (i = 0; i < sizeof(pty_modes) / sizeof(pty_modes[0]); i++) {
		if (pty_modes[i].op != op)
			continue;
		switch (pty_modes[i].kind) {
		case MK_CC:
			/* 255 disables the character (OpenSSH's encoding). */
			tio->c_cc[pty_modes[i].flag] = v == 255 ?
			    _POSIX_VDISABLE : (cc_t)v;
			break;
		case MK_IFLAG:
			flag_set(&tio->c_iflag, pty_modes[i].flag, v);
			break;
		case MK_LFLAG:
			flag_set(&tio->c_lflag, pty_modes[i].flag, v);
			break;
		case MK_OFLAG:
			flag_set(&tio->c_oflag, pty_modes[i].flag, v);
			break;
		case MK_CFLAG:
			if (pty_modes[i].flag == CS7 ||
			    pty_modes[i].flag == CS8) {
				if (v) {
					tio->c_cflag &= ~CSIZE;
					tio->c_cflag |= pty_modes[i].flag;
				}
			} else
				flag_set(&tio->c_cflag, pty_modes[i].flag, v);
			break;
		}
		return;
	}
}

int
pty_set_size(int fd, const struct pty_size *size)
{
	struct winsize ws;

	memset(&ws, 0, sizeof(ws));
	/* The protocol has 32 bits; the kernel 16. */
	ws.ws_col = size->cols > 0xffff ? 0xffff : (unsigned short)size->cols;
	ws.ws_row = size->rows > 0xffff ? 0xffff : (unsigned short)size->rows;
	ws.ws_xpixel = size->width_px > 0xffff ? 0xffff :
	    (unsigned short)size->width_px;
	ws.ws_ypixel = size->height_px > 0xffff ? 0xffff :
	    (unsigned short)size->height_px;
	return ioctl(fd, TIOCSWINSZ, &ws) == -1 ? SSH_ERR_SYSTEM_ERROR : 0;
}

/* As root: the user's terminal, readable by no one else, writable by
 * the tty group (write(1), wall(1)), as OpenSSH's pty_setowner. */
static int
pty_own(const struct passwd *pw, const struct pty *p)
{
	struct group *gr;
	gid_t gid;

	if (getuid() != 0)
		return 0;
	gid = (gr = getgrnam("tty")) != NULL ? gr->gr_gid : pw->pw_gid;
	if (fchown(p->slave, pw->pw_uid, gid) == -1 ||
	    fchmod(p->slave, gr != NULL ? 0620 : 0600) == -1)
		return SSH_ERR_SYSTEM_ERROR;
	return 0;
}

int
pty_open(const struct passwd *pw, const struct ttymode *modes,
    size_t nmodes, const struct pty_size *size, struct pty *p)
{
	struct termios tio;
	size_t i;

	p->master = p->slave = -1;
	p->name[0] = '\0';
	if (openpty(&p->master, &p->slave, NULL, NULL, NULL) == -1)
		goto fail;
	if (fcntl(p->master, F_SETFD, FD_CLOEXEC) == -1 ||
	    fcntl(p->slave, F_SETFD, FD_CLOEXEC) == -1 ||
	    ttyname_r(p->slave, p->name, sizeof(p->name)) != 0 ||
	    pty_own(pw, p) != 0 || tcgetattr(p->slave, &tio) == -1)
		goto fail;
	for (i = 0; i < nmodes; i++)
		apply_mode(&tio, modes[i].opcode, modes[i].value);
	if (tcsetattr(p->slave, TCSANOW, &tio) == -1 ||
	    pty_set_size(p->master, size) != 0)
		goto fail;
	return 0;
 fail:
	pty_close(p);
	return SSH_ERR_SYSTEM_ERROR;
}

void
pty_close(struct pty *p)
{
	/* Back to root's, as OpenSSH's pty_release: the next user of the
	 * same number must not find it still the previous user's. */
	if (getuid() == 0 && p->name[0] != '\0' && p->master != -1) {
		if (chown(p->name, 0, 0) == -1 || chmod(p->name, 0666) == -1)
			p->name[0] = '\0';	/* nothing more to do with it */
	}
	if (p->master != -1)
		close(p->master);
	if (p->slave != -1)
		close(p->slave);
	p->master = p->slave = -1;
}

int
pty_make_controlling(struct pty *p)
{
	if (p->master != -1) {
		close(p->master);
		p->master = -1;
	}
	if (setsid() == -1 || ioctl(p->slave, TIOCSCTTY, 0) == -1 ||
	    dup2(p->slave, STDIN_FILENO) == -1 ||
	    dup2(p->slave, STDOUT_FILENO) == -1 ||
	    dup2(p->slave, STDERR_FILENO) == -1)
		return SSH_ERR_SYSTEM_ERROR;
	if (p->slave > STDERR_FILENO)
		close(p->slave);
	p->slave = -1;
	return 0;
}
