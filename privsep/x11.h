/*
 * x11.h: the user-side half of X11 forwarding, run by the forwarding
 * helper (fwdhelper.h) once it has the user's identity: it finds the
 * first free display from the configured offset and listens on its TCP
 * port (6000 + display), then installs the client's cookie for that
 * display with xauth, as OpenSSH's sshd does.
 */
#ifndef NANOSSH_X11_H
#define NANOSSH_X11_H

#include <stddef.h>
#include <stdint.h>

#define X11_PORT_BASE		6000
#define X11_DISPLAY_TRIES	1000	/* displays tried from the offset */
#define X11_MAX_SOCKS		2	/* IPv4 and IPv6 */
#define X11_XAUTH_MS		5000	/* xauth must be done by then */
/* Two lines naming the display twice, the protocol and the cookie. */
#define X11_XAUTH_INPUT_MAX	1024

struct x11_setup {
	uint32_t offset;	/* forwarding.x11_display_offset */
	int localhost;		/* forwarding.x11_use_localhost */
	uint32_t screen;
	const char *proto;	/* checked: x11req_check */
	const char *cookie;
	const char *xauth_path;
	const char *xauthority;	/* the file xauth writes, NULL: its default */
};

/*
 * Listens on the first display from s->offset whose port is free on
 * every address (loopback, or the wildcard without s->localhost), one
 * socket per address family, close-on-exec.  0 with *np sockets in
 * socks and the display in *displayp, or -1 with errno set.
 */
int x11_listen(const struct x11_setup *s, int socks[X11_MAX_SOCKS],
    size_t *np, uint32_t *displayp);

/*
 * The display's name: DISPLAY ("localhost:N.S", or the host's name with
 * x11_use_localhost off) or, with for_xauth, the name xauth files the
 * cookie under ("unix:N.S" for a localhost display, as OpenSSH).
 */
int x11_display_name(int localhost, int for_xauth, uint32_t display,
    uint32_t screen, char *out, size_t len);

/*
 * Runs xauth (as whoever we are: the helper is the user by now) with
 * "remove" and "add" lines for the display on its standard input, with
 * HOME and, if set, XAUTHORITY in its environment.  0, or -1 with a
 * reason in *whyp.
 */
int x11_xauth(const struct x11_setup *s, const char *home, uint32_t display,
    const char **whyp);

#endif
