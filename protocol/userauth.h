/*
 * userauth.h: the connection's side of user authentication (userauth.c),
 * as conn.c and the dispatch table drive it.  Not an API outside
 * protocol/.
 */
#ifndef NANOSSH_USERAUTH_H
#define NANOSSH_USERAUTH_H

#include <stddef.h>
#include <stdint.h>

#include "protocol/conn.h"

struct buf;
struct ssh_conn;

/* Dispatch handlers (dispatch.h's dispatch_fn): SERVICE_REQUEST,
 * USERAUTH_REQUEST, USERAUTH_INFO_RESPONSE. */
int auth_recv_service_request(struct ssh_conn *c, uint8_t type,
    struct buf *msg);
int auth_recv_request(struct ssh_conn *c, uint8_t type, struct buf *msg);
int auth_recv_info_response(struct ssh_conn *c, uint8_t type,
    struct buf *msg);
/* What conn_kbdint_prompts() and conn_passwd_changereq() send. */
int auth_send_prompts(struct ssh_conn *c, const char *name,
    const char *instruction, size_t n, const char *const *prompts,
    const int *echo);
int auth_send_changereq(struct ssh_conn *c, const char *prompt);
/* The monitor's decision on the authentication event ev. */
int auth_answer(struct ssh_conn *c, enum conn_event_type ev,
    enum conn_auth_result res, const char *methods_left);
void auth_clear(struct ssh_conn *c);

#endif
