/*
 * scp_parse.c: SCP control lines and the client's command line.  Pure
 * parsers (no I/O), fed to the fuzz target.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "protocol/ssherr.h"
#include "sftp/scp.h"

/* Decimal digits at *pp up to the next stop character (not consumed). */
static int
get_decimal(const char **pp, const char *end, char stop, uint64_t *vp)
{
	const char *p = *pp;
	uint64_t v = 0;

	if (p >= end || *p < '0' || *p > '9')
		return SSH_ERR_INVALID_FORMAT;
	for (; p < end && *p != stop; p++) {
		if (*p < '0' || *p > '9' || v > (UINT64_MAX - 9) / 10)
			return SSH_ERR_INVALID_FORMAT;
		v = v * 10 + (uint64_t)(*p - '0');
	}
	if (stop != '\0' && p >= end)
		return SSH_ERR_INVALID_FORMAT;
	*pp = p;
	*vp = v;
	return 0;
}

/* Checks that p[0..end) is one plain file name. */
static int
plain_name(const char *p, const char *end)
{
	size_t n = (size_t)(end - p);

	if (n == 0 || n > NAME_MAX || memchr(p, '/', n) != NULL ||
	    memchr(p, '\0', n) != NULL || memchr(p, '\n', n) != NULL ||
	    (n == 1 && p[0] == '.') || (n == 2 && p[0] == '.' && p[1] == '.'))
		return SSH_ERR_INVALID_FORMAT;
	return 0;
}

static int
parse_entry(const char *p, const char *end, struct scp_ctl *c)
{
	uint64_t size;
	int i;

	/* Exactly four octal digits, as every scp sends. */
	c->c_mode = 0;
	for (i = 0; i < 4; i++, p++) {
		if (p >= end || *p < '0' || *p > '7')
			return SSH_ERR_INVALID_FORMAT;
		c->c_mode = (mode_t)(c->c_mode << 3 | (mode_t)(*p - '0'));
	}
	if (p >= end || *p++ != ' ')
		return SSH_ERR_INVALID_FORMAT;
	if (get_decimal(&p, end, ' ', &size) != 0)
		return SSH_ERR_INVALID_FORMAT;
	if (size > (uint64_t)INT64_MAX)
		return SSH_ERR_INVALID_FORMAT;
	p++;	/* the space */
	if (plain_name(p, end) != 0)
		return SSH_ERR_INVALID_FORMAT;
	c->c_size = size;
	memcpy(c->c_name, p, (size_t)(end - p));
	c->c_name[end - p] = '\0';
	return 0;
}

static int
parse_time(const char *p, const char *end, struct scp_ctl *c)
{
	uint64_t musec, ausec;

	if (get_decimal(&p, end, ' ', &c->c_mtime) != 0 || ++p >= end ||
	    get_decimal(&p, end, ' ', &musec) != 0 || ++p >= end ||
	    get_decimal(&p, end, ' ', &c->c_atime) != 0 || ++p >= end ||
	    get_decimal(&p, end, '\0', &ausec) != 0 || p != end ||
	    musec > 999999 || ausec > 999999 ||
	    c->c_mtime > (uint64_t)INT64_MAX ||
	    c->c_atime > (uint64_t)INT64_MAX)
		return SSH_ERR_INVALID_FORMAT;
	return 0;
}

int
scp_ctl_parse(const char *line, size_t len, struct scp_ctl *c)
{
	const char *end = line + len;
	int r = SSH_ERR_INTERNAL_ERROR;

	memset(c, 0, sizeof(*c));
	if (len == 0 || len > SCP_LINE_MAX)
		return SSH_ERR_INVALID_FORMAT;
	c->c_type = (unsigned char)line[0];
	switch (line[0]) {
	case SCP_CTL_FILE:
	case SCP_CTL_DIR:
		r = parse_entry(line + 1, end, c);
		break;
	case SCP_CTL_TIME:
		r = parse_time(line + 1, end, c);
		break;
	case SCP_CTL_END:
		r = len == 1 ? 0 : SSH_ERR_INVALID_FORMAT;
		break;
	case SCP_CTL_WARN:
	case SCP_CTL_FATAL:
		/* A message: kept with NULs cut (it is only logged). */
		memcpy(c->c_name, line + 1, len - 1);
		c->c_name[len - 1] = '\0';
		r = 0;
		break;
	default:
		r = SSH_ERR_INVALID_FORMAT;
		break;
	}
	if (r != 0)
		memset(c, 0, sizeof(*c));
	return r;
}

/*
 * One word: quotes group, a backslash escapes the next character (outside
 * single quotes); nothing else is special.  *pp is left after the word.
 */
static int
next_word(const char **pp, char **wordp)
{
	const char *p = *pp;
	char *w, *o;
	char quote = 0;

	*wordp = NULL;
	while (*p == ' ' || *p == '\t')
		p++;
	if (*p == '\0') {
		*pp = p;
		return 0;
	}
	if ((w = o = malloc(strlen(p) + 1)) == NULL)
		return SSH_ERR_ALLOC_FAIL;
	for (; *p != '\0'; p++) {
		if (quote == 0 && (*p == ' ' || *p == '\t'))
			break;
		if (quote == 0 && (*p == '\'' || *p == '"')) {
			quote = *p;
		} else if (quote != 0 && *p == quote) {
			quote = 0;
		} else if (*p == '\\' && quote != '\'') {
			if (p[1] == '\0')
				goto bad;
			/* Inside "...", only \" and \\ lose the backslash. */
			if (quote == '"' && p[1] != '"' && p[1] != '\\')
				*o++ = *p;
			*o++ = *++p;
		} else {
			*o++ = *p;
		}
	}
	if (quote != 0)
		goto bad;
	*o = '\0';
	*pp = p;
	*wordp = w;
	return 0;
 bad:
	free(w);
	return SSH_ERR_INVALID_FORMAT;
}

void
scp_cmd_free(struct scp_cmd *c)
{
	size_t i;

	for (i = 0; i < c->c_nwords; i++)
		free(c->c_words[i]);
	free(c->c_words);
	memset(c, 0, sizeof(*c));
}

static int
is_scp(const char *w)
{
	const char *slash = strrchr(w, '/');

	return strcmp(slash != NULL ? slash + 1 : w, "scp") == 0;
}

/* Applies one option word ("-rpt"); -1 if unknown. */
static int
cmd_option(const char *w, struct scp_cmd *c)
{
	for (w++; *w != '\0'; w++) {
		switch (*w) {
		case 't': c->c_sink = 1; break;
		case 'f': c->c_source = 1; break;
		case 'r': c->c_recursive = 1; break;
		case 'p': c->c_preserve = 1; break;
		case 'd': c->c_targetdir = 1; break;
		case 'v': case 'q': case 'O': break;
		default: return -1;
		}
	}
	return 0;
}

int
scp_cmd_parse(const char *cmd, struct scp_cmd *c)
{
	const char *p = cmd;
	char *w = NULL;
	size_t i;
	int r = SSH_ERR_INTERNAL_ERROR;

	memset(c, 0, sizeof(*c));
	if ((c->c_words = calloc(SCP_ARGS_MAX, sizeof(*c->c_words))) == NULL)
		return SSH_ERR_ALLOC_FAIL;
	for (;;) {
		if ((r = next_word(&p, &w)) != 0)
			goto out;
		if (w == NULL)
			break;
		if (c->c_nwords >= SCP_ARGS_MAX) {
			free(w);
			r = SSH_ERR_INVALID_FORMAT;
			goto out;
		}
		c->c_words[c->c_nwords++] = w;
	}
	r = SSH_ERR_INVALID_FORMAT;
	if (c->c_nwords == 0 || !is_scp(c->c_words[0]))
		goto out;
	for (i = 1; i < c->c_nwords; i++) {
		w = c->c_words[i];
		if (strcmp(w, "--") == 0) {
			i++;
			break;
		}
		if (w[0] != '-' || w[1] == '\0')
			break;
		if (cmd_option(w, c) != 0)
			goto out;
	}
	c->c_paths = c->c_words + i;
	c->c_npaths = c->c_nwords - i;
	if (c->c_sink == c->c_source || c->c_npaths == 0 ||
	    (c->c_sink && c->c_npaths != 1))
		goto out;
	for (i = 0; i < c->c_npaths; i++)
		if (c->c_paths[i][0] == '\0')
			goto out;
	r = 0;
 out:
	if (r != 0)
		scp_cmd_free(c);
	return r;
}
