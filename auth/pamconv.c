/*
 * pamconv.c: the keyboard-interactive PAM helper process and its
 * parent's side (see pamconv.h).
 */
#include <sys/types.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <errno.h>
#include <signal.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <security/pam_appl.h>

#include <bsd/stdlib.h>

#include "auth/pamconv.h"
#include "auth/passwd_pam.h"
#include "common/secrets.h"
#include "protocol/buf.h"
#include "protocol/ssherr.h"

#define PCV_PROMPTS	1
#define PCV_RESULT	2
#define PCV_ANSWERS	3

struct pamconv {
	pid_t pc_pid;
	int pc_fd;
	size_t pc_pending;	/* prompts awaiting pamconv_answer */
	int pc_done;
};

/* The helper's conversation state. */
struct helper {
	int h_fd;
	unsigned int h_rounds;
	struct buf *h_info;	/* info lines not yet sent */
};

static int
send_buf(int fd, const struct buf *b)
{
	ssize_t n;

	while ((n = send(fd, buf_ptr(b), buf_len(b), MSG_NOSIGNAL)) == -1 &&
	    errno == EINTR)
		;
	if (n == -1)
		return SSH_ERR_SYSTEM_ERROR;
	return (size_t)n == buf_len(b) ? 0 : SSH_ERR_SYSTEM_ERROR;
}

/* One packet into a new buffer; an oversized one is an error. */
static int
recv_buf(int fd, struct buf **bp)
{
	struct buf *b = NULL;
	uint8_t *p;
	ssize_t n;
	int r = SSH_ERR_INTERNAL_ERROR;

	*bp = NULL;
	if ((b = buf_new()) == NULL)
		return SSH_ERR_ALLOC_FAIL;
	if ((r = buf_reserve(b, PAMCONV_MSG_MAX, &p)) != 0)
		goto out;
	while ((n = recv(fd, p, PAMCONV_MSG_MAX, MSG_TRUNC)) == -1 &&
	    errno == EINTR)
		;
	if (n == -1) {
		r = SSH_ERR_SYSTEM_ERROR;
		goto out;
	}
	if (n == 0) {
		r = SSH_ERR_CONN_CLOSED;
		goto out;
	}
	if (n > PAMCONV_MSG_MAX) {
		r = SSH_ERR_LIMIT_EXCEEDED;
		goto out;
	}
	if ((r = buf_consume_end(b, PAMCONV_MSG_MAX - (size_t)n)) != 0)
		goto out;
	*bp = b;
	b = NULL;
	r = 0;
 out:
	buf_free(b);
	return r;
}

/* Sends the prompts of one PAM call as a round and reads the answers. */
static int
helper_round(struct helper *h, const struct pam_message **msg,
    const int *idx, size_t np, struct pam_response *rs)
{
	struct buf *out = NULL, *in = NULL;
	uint8_t type;
	uint32_t na;
	char *a;
	size_t i, alen;
	int r = SSH_ERR_INTERNAL_ERROR;

	if ((out = buf_new()) == NULL) {
		r = SSH_ERR_ALLOC_FAIL;
		goto out;
	}
	if ((r = buf_put_u8(out, PCV_PROMPTS)) != 0 ||
	    (r = buf_put_string(out, buf_ptr(h->h_info),
	    buf_len(h->h_info))) != 0 ||
	    (r = buf_put_u32(out, (uint32_t)np)) != 0)
		goto out;
	for (i = 0; i < np; i++) {
		if (strlen(msg[idx[i]]->msg) > PAMCONV_TEXT_MAX) {
			r = SSH_ERR_LIMIT_EXCEEDED;
			goto out;
		}
		if ((r = buf_put_cstring(out, msg[idx[i]]->msg)) != 0 ||
		    (r = buf_put_u8(out, msg[idx[i]]->msg_style ==
		    PAM_PROMPT_ECHO_ON)) != 0)
			goto out;
	}
	buf_reset(h->h_info);
	if ((r = send_buf(h->h_fd, out)) != 0 ||
	    (r = recv_buf(h->h_fd, &in)) != 0 ||
	    (r = buf_get_u8(in, &type)) != 0 ||
	    (r = buf_get_u32(in, &na)) != 0)
		goto out;
	if (type != PCV_ANSWERS || na != np) {
		r = SSH_ERR_PROTOCOL_ERROR;
		goto out;
	}
	for (i = 0; i < np; i++) {
		if ((r = buf_get_cstring(in, &a, &alen)) != 0)
			goto out;
		rs[idx[i]].resp = a;
		if (alen > PAMCONV_TEXT_MAX) {
			r = SSH_ERR_LIMIT_EXCEEDED;
			goto out;
		}
	}
	r = buf_expect_end(in);
 out:
	buf_free(out);
	buf_free(in);
	return r;
}

static int
helper_conv(int n, const struct pam_message **msg,
    struct pam_response **resp, void *arg)
{
	struct helper *h = arg;
	struct pam_response *rs = NULL;
	int idx[PAMCONV_PROMPTS_MAX], i;
	size_t np = 0;

	*resp = NULL;
	if (n <= 0 || n > PAM_MAX_NUM_MSG)
		return PAM_CONV_ERR;
	if ((rs = calloc((size_t)n, sizeof(*rs))) == NULL)
		return PAM_BUF_ERR;
	for (i = 0; i < n; i++) {
		switch (msg[i]->msg_style) {
		case PAM_ERROR_MSG:
		case PAM_TEXT_INFO:
			/* past the cap the rest is dropped */
			if (msg[i]->msg != NULL)
				(void)buf_putf(h->h_info, "%s\n", msg[i]->msg);
			break;
		case PAM_PROMPT_ECHO_OFF:
		case PAM_PROMPT_ECHO_ON:
			if (np == PAMCONV_PROMPTS_MAX || msg[i]->msg == NULL)
				goto fail;
			idx[np++] = i;
			break;
		default:
			goto fail;
		}
	}
	/* Info alone waits for the next round or the result. */
	if (np > 0 && (++h->h_rounds > PAMCONV_ROUNDS_MAX ||
	    helper_round(h, msg, idx, np, rs) != 0))
		goto fail;
	*resp = rs;
	return PAM_SUCCESS;
 fail:
	pwpam_responses_free(rs, n);
	return PAM_CONV_ERR;
}

static void
no_delay(int status, unsigned int usec, void *arg)
{
	(void)status;
	(void)usec;
	(void)arg;
}

/* The helper's life: one authentication, then the result, then exit. */
static int
helper_run(int fd, const char *service, const char *user, const char *rhost)
{
	struct helper h;
	struct pam_conv pc;
	pam_handle_t *pamh = NULL;
	struct buf *out = NULL;
	const void *item = NULL;
	const char *msg;
	union {
		void (*fn)(int, unsigned int, void *);
		const void *item;
	} delay;
	enum pw_result res = PW_ERROR;
	int st = PAM_SYSTEM_ERR, r = SSH_ERR_INTERNAL_ERROR;

	memset(&h, 0, sizeof(h));
	h.h_fd = fd;
	if ((h.h_info = buf_new()) == NULL || (out = buf_new()) == NULL) {
		r = SSH_ERR_ALLOC_FAIL;
		goto out;
	}
	if ((r = buf_set_max_size(h.h_info, PAMCONV_INFO_MAX)) != 0)
		goto out;
	pc.conv = helper_conv;
	pc.appdata_ptr = &h;
	delay.fn = no_delay;
	if ((st = pam_start(service, user, &pc, &pamh)) != PAM_SUCCESS) {
		pamh = NULL;
		goto result;
	}
	if ((st = pam_set_item(pamh, PAM_FAIL_DELAY, delay.item)) !=
	    PAM_SUCCESS ||
	    (st = pam_set_item(pamh, PAM_TTY, "ssh")) != PAM_SUCCESS ||
	    (st = pam_set_item(pamh, PAM_RUSER, user)) != PAM_SUCCESS ||
	    (rhost != NULL && (st = pam_set_item(pamh, PAM_RHOST, rhost)) !=
	    PAM_SUCCESS))
		goto result;
	st = pam_authenticate(pamh, PAM_DISALLOW_NULL_AUTHTOK);
	if ((res = pwpam_auth_result(st)) == PW_OK) {
		if (pam_get_item(pamh, PAM_USER, &item) != PAM_SUCCESS ||
		    item == NULL || strcmp(item, user) != 0) {
			res = PW_ERROR;
			(void)buf_putf(h.h_info, "PAM changed the user name\n");
			goto result;
		}
		st = pam_acct_mgmt(pamh, PAM_DISALLOW_NULL_AUTHTOK);
		res = pwpam_acct_result(st);
	}
	/* An expired password is changed in the same conversation: the
	 * modules' "Current password", "New password" prompts become more
	 * rounds, as with OpenSSH. */
	if (res == PW_EXPIRED) {
		st = pam_chauthtok(pamh, PAM_CHANGE_EXPIRED_AUTHTOK);
		res = pwpam_chauthtok_result(st);
		if (res == PW_FAIL)
			res = PW_EXPIRED;
	}
 result:
	if (res != PW_OK && buf_len(h.h_info) == 0) {
		msg = pamh != NULL ? pam_strerror(pamh, st) :
		    "PAM could not start";
		(void)buf_putf(h.h_info, "%s\n", msg);
	}
	/* the last newline is the packet's business, not the text's */
	if (buf_len(h.h_info) > 0 &&
	    (r = buf_consume_end(h.h_info, 1)) != 0)
		goto out;
	if ((r = buf_put_u8(out, PCV_RESULT)) != 0 ||
	    (r = buf_put_u32(out, (uint32_t)res)) != 0 ||
	    (r = buf_put_string(out, buf_ptr(h.h_info),
	    buf_len(h.h_info))) != 0 ||
	    (r = send_buf(fd, out)) != 0)
		goto out;
	r = 0;
 out:
	if (pamh != NULL)
		pam_end(pamh, st);
	buf_free(h.h_info);
	buf_free(out);
	return r;
}

int
pamconv_start(const char *service, const char *user, const char *rhost,
    struct pamconv **pcp)
{
	struct pamconv *pc = NULL;
	sigset_t none;
	int sv[2] = { -1, -1 }, r = SSH_ERR_INTERNAL_ERROR;

	*pcp = NULL;
	if (service == NULL || user == NULL)
		return SSH_ERR_INVALID_ARGUMENT;
	if ((pc = calloc(1, sizeof(*pc))) == NULL)
		return SSH_ERR_ALLOC_FAIL;
	pc->pc_fd = -1;
	if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sv) == -1) {
		r = SSH_ERR_SYSTEM_ERROR;
		goto out;
	}
	if ((pc->pc_pid = fork()) == -1) {
		r = SSH_ERR_SYSTEM_ERROR;
		goto out;
	}
	if (pc->pc_pid == 0) {
		/* Nothing of the parent's (client socket, IPC, host keys)
		 * may reach PAM modules or what they run. */
		secrets_forget();
		if (dup2(sv[1], 3) == -1 || close_range(4, ~0U, 0) == -1)
			_exit(1);
		sigemptyset(&none);
		(void)sigprocmask(SIG_SETMASK, &none, NULL);
		(void)signal(SIGPIPE, SIG_DFL);
		_exit(helper_run(3, service, user, rhost) == 0 ? 0 : 1);
	}
	close(sv[1]);
	sv[1] = -1;
	pc->pc_fd = sv[0];
	sv[0] = -1;
	*pcp = pc;
	pc = NULL;
	r = 0;
 out:
	if (sv[0] != -1)
		close(sv[0]);
	if (sv[1] != -1)
		close(sv[1]);
	pamconv_free(pc);
	return r;
}

int
pamconv_fd(const struct pamconv *pc)
{
	return pc->pc_fd;
}

void
pamconv_round_clear(struct pamconv_round *round)
{
	size_t i;

	free(round->info);
	for (i = 0; i < round->n && i < PAMCONV_PROMPTS_MAX; i++)
		free(round->prompt[i]);
	memset(round, 0, sizeof(*round));
}

int
pamconv_next(struct pamconv *pc, struct pamconv_round *round, int *donep,
    enum pw_result *res, char **msg)
{
	struct buf *in = NULL;
	struct pamconv_round rd;
	uint8_t type, echo;
	uint32_t n, v;
	int r = SSH_ERR_INTERNAL_ERROR;

	/* Out of turn, the caller's pending round is left alone. */
	if (pc->pc_done || pc->pc_pending != 0)
		return SSH_ERR_STATE_VIOLATION;
	memset(&rd, 0, sizeof(rd));
	memset(round, 0, sizeof(*round));
	*donep = 0;
	*res = PW_ERROR;
	*msg = NULL;
	if ((r = recv_buf(pc->pc_fd, &in)) != 0 ||
	    (r = buf_get_u8(in, &type)) != 0)
		goto out;
	switch (type) {
	case PCV_PROMPTS:
		if ((r = buf_get_cstring(in, &rd.info, NULL)) != 0 ||
		    (r = buf_get_u32(in, &n)) != 0)
			goto out;
		if (n == 0 || n > PAMCONV_PROMPTS_MAX) {
			r = SSH_ERR_PROTOCOL_ERROR;
			goto out;
		}
		for (rd.n = 0; rd.n < n; rd.n++) {
			if ((r = buf_get_cstring(in, &rd.prompt[rd.n],
			    NULL)) != 0 ||
			    (r = buf_get_u8(in, &echo)) != 0) {
				rd.n++;
				goto out;
			}
			rd.echo[rd.n] = echo != 0;
		}
		if ((r = buf_expect_end(in)) != 0)
			goto out;
		pc->pc_pending = rd.n;
		*round = rd;
		memset(&rd, 0, sizeof(rd));
		break;
	case PCV_RESULT:
		if ((r = buf_get_u32(in, &v)) != 0 ||
		    (r = buf_get_cstring(in, msg, NULL)) != 0 ||
		    (r = buf_expect_end(in)) != 0)
			goto out;
		if (v > PW_ERROR) {
			r = SSH_ERR_PROTOCOL_ERROR;
			goto out;
		}
		if (**msg == '\0') {
			free(*msg);
			*msg = NULL;
		}
		*res = (enum pw_result)v;
		*donep = 1;
		pc->pc_done = 1;
		break;
	default:
		r = SSH_ERR_PROTOCOL_ERROR;
		goto out;
	}
	r = 0;
 out:
	if (r != 0) {
		free(*msg);
		*msg = NULL;
		*res = PW_ERROR;
		/* a broken helper gets no second chance */
		pc->pc_done = 1;
	}
	pamconv_round_clear(&rd);
	buf_free(in);
	return r;
}

int
pamconv_answer(struct pamconv *pc, const char *const *answers,
    const size_t *lens, size_t n)
{
	struct buf *out = NULL;
	size_t i;
	int r = SSH_ERR_INTERNAL_ERROR;

	if (pc->pc_done || pc->pc_pending == 0 || n != pc->pc_pending)
		return SSH_ERR_STATE_VIOLATION;
	for (i = 0; i < n; i++) {
		if (lens[i] > PAMCONV_TEXT_MAX)
			return SSH_ERR_LIMIT_EXCEEDED;
		if (memchr(answers[i], '\0', lens[i]) != NULL)
			return SSH_ERR_INVALID_FORMAT;
	}
	if ((out = buf_new()) == NULL)
		return SSH_ERR_ALLOC_FAIL;
	if ((r = buf_put_u8(out, PCV_ANSWERS)) != 0 ||
	    (r = buf_put_u32(out, (uint32_t)n)) != 0)
		goto out;
	for (i = 0; i < n; i++) {
		if ((r = buf_put_string(out, answers[i], lens[i])) != 0)
			goto out;
	}
	if ((r = send_buf(pc->pc_fd, out)) != 0)
		goto out;
	pc->pc_pending = 0;
	r = 0;
 out:
	buf_free(out);	/* wipes the answers */
	return r;
}

void
pamconv_free(struct pamconv *pc)
{
	if (pc == NULL)
		return;
	if (pc->pc_fd != -1)
		close(pc->pc_fd);
	if (pc->pc_pid > 0) {
		(void)kill(pc->pc_pid, SIGKILL);
		while (waitpid(pc->pc_pid, NULL, 0) == -1 && errno == EINTR)
			;
	}
	free(pc);
}
