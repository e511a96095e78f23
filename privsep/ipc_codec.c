/* ipc_codec.c: one field table per message, and the walker that encodes,
 * decodes and frees every message's struct from it. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <bsd/stdlib.h>

#include "privsep/ipc.h"
#include "privsep/ipc_codec.h"
#include "protocol/buf.h"
#include "protocol/ssherr.h"

enum ipc_kind { IK_U32, IK_U64, IK_BOOL, IK_CSTR, IK_BYTES, IK_LIST };

struct ipc_field {
	enum ipc_kind kind;
	int secret;			/* wipe when freed */
	size_t off;
	/* IK_LIST: bounds on the count, and the element's own table. */
	uint32_t min, max;
	size_t elem_size;
	const struct ipc_field *elem;
	size_t nelem;
};

/* Every IPC_LIST(T) has this layout, whatever T is. */
struct ipc_list_any {
	uint32_t n;
	void *v;
};

#define NFIELDS(t)	(sizeof(t) / sizeof((t)[0]))
#define U32(S, m)	{ IK_U32, 0, offsetof(S, m) }
#define U64(S, m)	{ IK_U64, 0, offsetof(S, m) }
#define BOOL(S, m)	{ IK_BOOL, 0, offsetof(S, m) }
#define CSTR(S, m)	{ IK_CSTR, 0, offsetof(S, m) }
#define SECRET_CSTR(S, m)	{ IK_CSTR, 1, offsetof(S, m) }
#define BYTES(S, m)	{ IK_BYTES, 0, offsetof(S, m) }
#define SECRET(S, m)	{ IK_BYTES, 1, offsetof(S, m) }
#define LIST(S, m, lo, hi, T, et) \
	{ IK_LIST, 0, offsetof(S, m), (lo), (hi), sizeof(T), et, NFIELDS(et) }
#define SECRET_LIST(S, m, lo, hi, T, et) \
	{ IK_LIST, 1, offsetof(S, m), (lo), (hi), sizeof(T), et, NFIELDS(et) }

/* Elements of lists. */
static const struct ipc_field f_bytes[] = { BYTES(struct ipc_bytes, p) };
static const struct ipc_field f_u32[] = { { IK_U32, 0, 0 } };
static const struct ipc_field f_hostcert[] = {
	U32(struct ipc_hostcert, hostkey), BYTES(struct ipc_hostcert, blob),
};
static const struct ipc_field f_env[] = {
	CSTR(struct ipc_env, name), CSTR(struct ipc_env, value),
};
static const struct ipc_field f_prompt[] = {
	CSTR(struct ipc_prompt, text), BOOL(struct ipc_prompt, echo),
};
static const struct ipc_field f_ttymode[] = {
	U32(struct ipc_ttymode, opcode), U32(struct ipc_ttymode, value),
};

/* The messages, named by their codec (ipc_msgs.h). */
#define S struct ipc_config
static const struct ipc_field f_config[] = {
	CSTR(S, kex), CSTR(S, hostkey_algs), CSTR(S, ciphers), CSTR(S, macs),
	CSTR(S, methods), CSTR(S, banner), CSTR(S, addr), U32(S, port),
	U32(S, grace), U32(S, max_sessions), U32(S, max_tries),
	U64(S, rekey_limit), U32(S, rekey_interval), BOOL(S, require_pq),
	LIST(S, hostkeys, 1, IPC_CONFIG_MAX_HOSTKEYS, struct ipc_bytes,
	    f_bytes),
	LIST(S, hostcerts, 0, IPC_CONFIG_MAX_HOSTKEYS, struct ipc_hostcert,
	    f_hostcert),
};
#undef S
static const struct ipc_field f_log[] = {
	U32(struct ipc_log, level), BYTES(struct ipc_log, text),
};
static const struct ipc_field f_sign[] = {
	U32(struct ipc_sign, hostkey), CSTR(struct ipc_sign, alg),
	CSTR(struct ipc_sign, kex), BYTES(struct ipc_sign, data),
};
static const struct ipc_field f_sign_reply[] = {
	BYTES(struct ipc_sign_reply, sig),
};
static const struct ipc_field f_hostkeys_prove[] = {
	LIST(struct ipc_hostkeys_prove, hostkeys, 1, IPC_CONFIG_MAX_HOSTKEYS,
	    uint32_t, f_u32),
};
static const struct ipc_field f_hostkeys_prove_reply[] = {
	LIST(struct ipc_hostkeys_prove_reply, sigs, 1,
	    IPC_CONFIG_MAX_HOSTKEYS, struct ipc_bytes, f_bytes),
};
#define S struct ipc_auth_pubkey
static const struct ipc_field f_auth_pubkey[] = {
	CSTR(S, user), CSTR(S, service), BYTES(S, key), CSTR(S, alg),
	BOOL(S, hostbound), U32(S, hostkey), BOOL(S, query), BYTES(S, sig),
};
#undef S
static const struct ipc_field f_auth_reply[] = {
	U32(struct ipc_auth_reply, result), CSTR(struct ipc_auth_reply, text),
};
#define S struct ipc_spawn_exec
static const struct ipc_field f_spawn_exec[] = {
	U32(S, tag), U32(S, kind), CSTR(S, command), BOOL(S, pty),
	BOOL(S, x11),
	LIST(S, env, 0, IPC_SPAWN_ENV_MAX, struct ipc_env, f_env),
};
#undef S
static const struct ipc_field f_spawn_result[] = {
	U32(struct ipc_spawn_result, tag), U32(struct ipc_spawn_result, status),
	U32(struct ipc_spawn_result, handle),
};
static const struct ipc_field f_spawn_fd[] = {
	U32(struct ipc_spawn_fd, handle), U32(struct ipc_spawn_fd, which),
};
#define S struct ipc_child_exit
static const struct ipc_field f_child_exit[] = {
	U32(S, handle), U32(S, kind), U32(S, status), CSTR(S, signame),
	BOOL(S, core),
};
#undef S
static const struct ipc_field f_auth_password[] = {
	CSTR(struct ipc_auth_password, user),
	CSTR(struct ipc_auth_password, service),
	SECRET(struct ipc_auth_password, password),
};
static const struct ipc_field f_secret_bytes[] = {
	SECRET(struct ipc_bytes, p),
};
static const struct ipc_field f_auth_kbdint[] = {
	CSTR(struct ipc_auth_kbdint, user),
	CSTR(struct ipc_auth_kbdint, service),
	LIST(struct ipc_auth_kbdint, answers, 0, IPC_KBDINT_MAX,
	    struct ipc_bytes, f_secret_bytes),
};
static const struct ipc_field f_kbdint_prompts[] = {
	CSTR(struct ipc_kbdint_prompts, name),
	CSTR(struct ipc_kbdint_prompts, instruction),
	LIST(struct ipc_kbdint_prompts, prompts, 1, IPC_KBDINT_MAX,
	    struct ipc_prompt, f_prompt),
};
#define S struct ipc_auth_password_change
static const struct ipc_field f_auth_password_change[] = {
	CSTR(S, user), CSTR(S, service), SECRET(S, password),
	SECRET(S, newpassword),
};
#undef S
#define S struct ipc_session_config
static const struct ipc_field f_session_config[] = {
	CSTR(S, accept_env), U32(S, max_sessions), U32(S, max_session_time),
	U32(S, idle_timeout), U32(S, keepalive_interval),
	U32(S, keepalive_count_max),
};
#undef S
#define S struct ipc_pty_req
static const struct ipc_field f_pty_req[] = {
	U32(S, tag), CSTR(S, term), U32(S, cols), U32(S, rows),
	U32(S, width_px), U32(S, height_px),
	LIST(S, modes, 0, IPC_PTY_MAX_MODES, struct ipc_ttymode, f_ttymode),
};
#undef S
static const struct ipc_field f_pty_result[] = {
	U32(struct ipc_pty_result, tag), U32(struct ipc_pty_result, status),
};
static const struct ipc_field f_session_signal[] = {
	U32(struct ipc_session_signal, handle),
	CSTR(struct ipc_session_signal, signame),
};
static const struct ipc_field f_session_break[] = {
	U32(struct ipc_session_break, handle),
	U32(struct ipc_session_break, ms),
};
static const struct ipc_field f_session_close[] = {
	U32(struct ipc_session_close, handle),
};
#define S struct ipc_fwd_open
static const struct ipc_field f_fwd_open[] = {
	U32(S, tag), U32(S, kind), CSTR(S, host), U32(S, port),
	CSTR(S, orig_addr), U32(S, orig_port),
};
#undef S
#define S struct ipc_fwd_listen
static const struct ipc_field f_fwd_listen[] = {
	U32(S, tag), U32(S, kind), CSTR(S, host), U32(S, port),
};
#undef S
static const struct ipc_field f_fwd_socket[] = {
	U32(struct ipc_fwd_socket, tag), U32(struct ipc_fwd_socket, port),
};
static const struct ipc_field f_fwd_refused[] = {
	U32(struct ipc_fwd_refused, tag), U32(struct ipc_fwd_refused, reason),
	CSTR(struct ipc_fwd_refused, description),
};
static const struct ipc_field f_agent_listen[] = {
	U32(struct ipc_agent_listen, tag),
};

#define S struct ipc_x11_req
static const struct ipc_field f_x11_req[] = {
	U32(S, tag), BOOL(S, single), CSTR(S, proto), SECRET_CSTR(S, cookie),
	U32(S, screen),
};
#undef S
static const struct ipc_field f_x11_result[] = {
	U32(struct ipc_x11_result, tag), U32(struct ipc_x11_result, status),
	U32(struct ipc_x11_result, display),
};
#define S struct ipc_conn_info
static const struct ipc_field f_conn_info[] = {
	CSTR(S, kex), CSTR(S, hostkey), CSTR(S, cipher), CSTR(S, mac),
	U64(S, bytes_in), U64(S, bytes_out), U32(S, channels), U32(S, idle_s),
};
#undef S
static const struct ipc_field f_admin[] = {
	U32(struct ipc_admin, cmd), CSTR(struct ipc_admin, reason),
	U32(struct ipc_admin, token),
};
static const struct ipc_field f_ping_result[] = {
	U32(struct ipc_ping_result, token), U32(struct ipc_ping_result, ms),
};
static const struct ipc_field f_rsa_kex_pubkey[] = {
	CSTR(struct ipc_rsa_kex_pubkey, kex),
};
static const struct ipc_field f_rsa_kex_pubkey_reply[] = {
	BYTES(struct ipc_rsa_kex_pubkey_reply, key),
};
static const struct ipc_field f_rsa_kex_decrypt[] = {
	CSTR(struct ipc_rsa_kex_decrypt, kex),
	BYTES(struct ipc_rsa_kex_decrypt, ct),
};
static const struct ipc_field f_rsa_kex_decrypt_reply[] = {
	BOOL(struct ipc_rsa_kex_decrypt_reply, ok),
	SECRET(struct ipc_rsa_kex_decrypt_reply, k),
};

static int put_fields(struct buf *b, const struct ipc_field *f, size_t n,
    const void *obj);
static int get_fields(struct buf *b, const struct ipc_field *f, size_t n,
    void *obj);
static void free_fields(const struct ipc_field *f, size_t n, void *obj);

static int
put_field(struct buf *b, const struct ipc_field *f, const uint8_t *obj)
{
	const void *p = obj + f->off;
	const struct ipc_bytes *s;
	const struct ipc_list_any *l;
	const char *str;
	uint32_t u32, i;
	uint64_t u64;
	int v, r;

	switch (f->kind) {
	case IK_U32:
		memcpy(&u32, p, sizeof(u32));
		return buf_put_u32(b, u32);
	case IK_U64:
		memcpy(&u64, p, sizeof(u64));
		return buf_put_u64(b, u64);
	case IK_BOOL:
		memcpy(&v, p, sizeof(v));
		return buf_put_u8(b, v != 0);
	case IK_CSTR:
		memcpy(&str, p, sizeof(str));
		return buf_put_cstring(b, str != NULL ? str : "");
	case IK_BYTES:
		s = p;
		return buf_put_string(b, s->p, s->p != NULL ? s->len : 0);
	case IK_LIST:
		l = p;
		/* The sender is held to the bounds the receiver checks. */
		if (l->n < f->min || l->n > f->max)
			return SSH_ERR_INVALID_ARGUMENT;
		if ((r = buf_put_u32(b, l->n)) != 0)
			return r;
		for (i = 0; i < l->n; i++) {
			if ((r = put_fields(b, f->elem, f->nelem,
			    (const uint8_t *)l->v + i * f->elem_size)) != 0)
				return r;
		}
		return 0;
	}
	return SSH_ERR_INTERNAL_ERROR;
}

static int
put_fields(struct buf *b, const struct ipc_field *f, size_t n,
    const void *obj)
{
	size_t i;
	int r;

	for (i = 0; i < n; i++)
		if ((r = put_field(b, &f[i], obj)) != 0)
			return r;
	return 0;
}

static int
get_field(struct buf *b, const struct ipc_field *f, uint8_t *obj)
{
	void *p = obj + f->off;
	struct ipc_bytes *s;
	struct ipc_list_any *l;
	uint8_t *bytes;
	char *str;
	uint32_t u32, i;
	uint64_t u64;
	size_t len;
	int v, r;

	switch (f->kind) {
	case IK_U32:
		if ((r = buf_get_u32(b, &u32)) == 0)
			memcpy(p, &u32, sizeof(u32));
		return r;
	case IK_U64:
		if ((r = buf_get_u64(b, &u64)) == 0)
			memcpy(p, &u64, sizeof(u64));
		return r;
	case IK_BOOL:
		if ((r = buf_get_bool(b, &v)) == 0)
			memcpy(p, &v, sizeof(v));
		return r;
	case IK_CSTR:
		if ((r = buf_get_cstring(b, &str, NULL)) == 0)
			memcpy(p, &str, sizeof(str));
		return r;
	case IK_BYTES:
		s = p;
		if ((r = buf_get_string(b, &bytes, &len)) == 0) {
			s->p = bytes;
			s->len = len;
		}
		return r;
	case IK_LIST:
		l = p;
		if ((r = buf_get_u32(b, &u32)) != 0)
			return r;
		if (u32 < f->min || u32 > f->max)
			return SSH_ERR_INVALID_FORMAT;
		if (u32 == 0)
			return 0;
		if ((l->v = calloc(u32, f->elem_size)) == NULL)
			return SSH_ERR_ALLOC_FAIL;
		/* Counted as each element arrives, so a failure frees
		 * exactly what was decoded. */
		for (i = 0; i < u32; i++) {
			l->n = i + 1;
			if ((r = get_fields(b, f->elem, f->nelem,
			    (uint8_t *)l->v + i * f->elem_size)) != 0)
				return r;
		}
		return 0;
	}
	return SSH_ERR_INTERNAL_ERROR;
}

static int
get_fields(struct buf *b, const struct ipc_field *f, size_t n, void *obj)
{
	size_t i;
	int r;

	for (i = 0; i < n; i++)
		if ((r = get_field(b, &f[i], obj)) != 0)
			return r;
	return 0;
}

static void
free_field(const struct ipc_field *f, uint8_t *obj, int secret)
{
	void *p = obj + f->off;
	struct ipc_bytes *s;
	struct ipc_list_any *l;
	char *str;
	uint32_t i;

	secret |= f->secret;
	switch (f->kind) {
	case IK_CSTR:
		memcpy(&str, p, sizeof(str));
		if (secret && str != NULL)
			freezero(str, strlen(str));
		else
			free(str);
		break;
	case IK_BYTES:
		s = p;
		if (secret && s->p != NULL)
			freezero((void *)s->p, s->len);
		else
			free((void *)s->p);
		break;
	case IK_LIST:
		l = p;
		for (i = 0; i < l->n; i++) {
			size_t k;

			for (k = 0; k < f->nelem; k++)
				free_field(&f->elem[k], (uint8_t *)l->v +
				    i * f->elem_size, secret);
		}
		free(l->v);
		break;
	default:
		break;
	}
}

static void
free_fields(const struct ipc_field *f, size_t n, void *obj)
{
	size_t i;

	for (i = 0; i < n; i++)
		free_field(&f[i], obj, 0);
}

struct ipc_codec {
	const struct ipc_field *fields;
	size_t nfields;
	size_t size;
};

#define IPC_CODEC_ROW(name, codec, dir, phases, flags, cap, fn)	\
	[IPC_MSG_##name] = { f_##codec, NFIELDS(f_##codec),		\
	    sizeof(struct ipc_##codec) },
static const struct ipc_codec codecs[IPC_MSG_MAX] = {
	IPC_MESSAGES(IPC_CODEC_ROW)
};
#undef IPC_CODEC_ROW

size_t
ipc_msg_size(uint32_t type)
{
	return type < IPC_MSG_MAX ? codecs[type].size : 0;
}

int
ipc_encode(uint32_t type, const void *msg, struct buf *out)
{
	if (ipc_msg_size(type) == 0 || msg == NULL || out == NULL)
		return SSH_ERR_INVALID_ARGUMENT;
	return put_fields(out, codecs[type].fields, codecs[type].nfields, msg);
}

void
ipc_msg_free(uint32_t type, void *msg)
{
	if (ipc_msg_size(type) == 0 || msg == NULL)
		return;
	free_fields(codecs[type].fields, codecs[type].nfields, msg);
	explicit_bzero(msg, codecs[type].size);
}

int
ipc_decode(uint32_t type, struct buf *in, void *msg)
{
	int r;

	if (ipc_msg_size(type) == 0 || msg == NULL || in == NULL)
		return SSH_ERR_INVALID_ARGUMENT;
	memset(msg, 0, codecs[type].size);
	if ((r = get_fields(in, codecs[type].fields, codecs[type].nfields,
	    msg)) != 0 || (r = buf_expect_end(in)) != 0) {
		ipc_msg_free(type, msg);
		return r;
	}
	return 0;
}

static int
ipc_send(struct ipc *ipc, uint32_t type, const void *msg, int fd)
{
	struct buf *b;
	int r;

	if ((b = buf_new()) == NULL)
		return SSH_ERR_ALLOC_FAIL;
	if ((r = ipc_encode(type, msg, b)) == 0)
		r = ipc_queue(ipc, type, b, fd);
	buf_free(b);		/* wipes the copy of any secret */
	return r;
}

#define IPC_CODEC_DEFINE(name, codec, dir, phases, flags, cap, fn)	\
int									\
ipc_enc_##codec(struct buf *out, const struct ipc_##codec *v)		\
{									\
	return ipc_encode(IPC_MSG_##name, v, out);			\
}									\
int									\
ipc_dec_##codec(struct buf *in, struct ipc_##codec *v)			\
{									\
	return ipc_decode(IPC_MSG_##name, in, v);			\
}									\
void									\
ipc_free_##codec(struct ipc_##codec *v)					\
{									\
	ipc_msg_free(IPC_MSG_##name, v);				\
}									\
int									\
ipc_send_##codec(struct ipc *ipc, const struct ipc_##codec *v, int fd)	\
{									\
	return ipc_send(ipc, IPC_MSG_##name, v, fd);			\
}
IPC_MESSAGES(IPC_CODEC_DEFINE)
#undef IPC_CODEC_DEFINE
