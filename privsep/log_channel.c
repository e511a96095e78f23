/* log_channel.c: child log lines, formatted by the child, checked by the monitor. */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "common/config.h"
#include "common/log.h"
#include "privsep/ipc.h"
#include "privsep/ipc_catalogue.h"
#include "privsep/ipc_codec.h"
#include "privsep/log_channel.h"
#include "protocol/escape.h"
#include "protocol/buf.h"
#include "protocol/ssherr.h"

static int
logch_level_ok(uint32_t level)
{
	switch (level) {
	case LOG_LVL_ERROR:
	case LOG_LVL_INFO:
	case LOG_LVL_VERBOSE:
	case LOG_LVL_DEBUG:
		return 1;
	default:
		return 0;
	}
}

int
logch_format(struct buf *payload, int level, const char *text)
{
	struct ipc_log m;

	if (payload == NULL || text == NULL || level < 0 ||
	    !logch_level_ok((uint32_t)level))
		return SSH_ERR_INVALID_ARGUMENT;
	m.level = (uint32_t)level;
	m.text.p = (const uint8_t *)text;
	m.text.len = strnlen(text, IPC_LOG_TEXT_MAX);
	return ipc_enc_log(payload, &m);
}

int
logch_send(struct ipc *ipc, int level, const char *fmt, ...)
{
	char line[IPC_LOG_TEXT_MAX + 1];
	struct buf *payload = NULL;
	va_list ap;
	int r = SSH_ERR_INTERNAL_ERROR;

	va_start(ap, fmt);
	/* vsnprintf cuts long lines; logch_format would cut them too. */
	vsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
	if ((payload = buf_new()) == NULL) {
		r = SSH_ERR_ALLOC_FAIL;
		goto out;
	}
	if ((r = logch_format(payload, level, line)) != 0 ||
	    (r = ipc_queue(ipc, IPC_MSG_LOG, payload, -1)) != 0)
		goto out;
	if ((r = ipc_flush(ipc)) < 0)
		goto out;
	r = 0;
 out:
	buf_free(payload);
	return r;
}

int
logch_parse(const struct buf *payload, int *levelp, char *text,
    size_t textsize)
{
	struct buf *b = NULL;
	struct ipc_log m;
	int r = SSH_ERR_INTERNAL_ERROR;

	memset(&m, 0, sizeof(m));

	if (levelp != NULL)
		*levelp = -1;
	if (text == NULL || textsize == 0)
		return SSH_ERR_INVALID_ARGUMENT;
	*text = '\0';
	/* A view, so the caller's payload stays as it was. */
	if ((b = buf_from(buf_ptr(payload), buf_len(payload))) == NULL) {
		r = SSH_ERR_ALLOC_FAIL;
		goto out;
	}
	if ((r = ipc_dec_log(b, &m)) != 0)
		goto out;
	if (!logch_level_ok(m.level)) {
		r = SSH_ERR_INVALID_FORMAT;
		goto out;
	}
	if (m.text.len > IPC_LOG_TEXT_MAX) {
		r = SSH_ERR_STRING_TOO_LARGE;
		goto out;
	}
	str_escape(text, textsize, m.text.p, m.text.len);
	if (levelp != NULL)
		*levelp = (int)m.level;
	r = 0;
 out:
	ipc_free_log(&m);
	buf_free(b);
	return r;
}

int
logch_recv(struct ipc *ipc, struct ipc_state *st, int *levelp, char *text,
    size_t textsize)
{
	struct buf *payload = NULL;
	uint32_t type;
	int fd = -1, r = SSH_ERR_INTERNAL_ERROR;

	if ((r = ipc_next(ipc, &type, &payload, &fd)) != 0)
		goto out;
	if ((r = ipc_check(st, IPC_TO_MONITOR, type, buf_len(payload),
	    fd != -1)) != 0)
		goto out;
	if ((r = logch_parse(payload, levelp, text, textsize)) != 0)
		goto out;
	r = 0;
 out:
	if (fd != -1)
		close(fd);
	buf_free(payload);
	return r;
}
