/*
 * chantest.h: the harness of the channel-layer tests (check_channel*.c):
 * what the layer sends is captured in order and read back with
 * out_expect(); peer messages are built from a format ('u' uint32, 'c'
 * byte, 's' C string as SSH string, 'd' (ptr, len) as SSH string, 'r'
 * (ptr, len) raw bytes) and fed with feed().
 */
#ifndef NANOSSH_CHANTEST_H
#define NANOSSH_CHANTEST_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include "protocol/channel.h"

struct buf;

/* Messages captured and not yet read; set send_fail to make the send
 * callback fail. */
extern size_t cap_n;
extern int send_fail;
/* The limits table() creates tables with; setup() resets them to the
 * defaults. */
extern struct chan_limits lim;

int cap_send(void *ctx, struct buf *payload);
void cap_reset(void);
/* The next message sent, checked to be of type; the caller reads the
 * rest and frees it. */
struct buf *out_expect(uint8_t type);
void out_none(void);
void out_end(struct buf *b);
uint32_t get32(struct buf *b);
uint8_t get8(struct buf *b);
void getstr(struct buf *b, const char *want);
/* A message sent with only the peer's channel id. */
void out_simple(uint8_t type, uint32_t remote_id);
/*
 * fmt: 'u' uint32, 'c' byte, 's' C string as SSH string, 'd' (ptr, len)
 * as SSH string, 'r' (ptr, len) raw bytes.
 */
struct buf *vmsg(const char *fmt, va_list ap);
struct buf *msg(const char *fmt, ...);
/* Feeds one message; on success it must have been consumed exactly. */
int feed_buf(struct chan_table *t, uint8_t type, struct buf *b);
int feed(struct chan_table *t, uint8_t type, const char *fmt, ...);
struct chan_table *table(void);
void setup(void);
void teardown(void);
void next_ev(struct chan_table *t, struct chan_event *ev,
    enum chan_ev_type type);
void no_ev(struct chan_table *t);
/* Opens a session for the peer's id remote with the peer's window and
 * max packet, confirms it and returns our id. */
uint32_t session(struct chan_table *t, uint32_t remote, uint32_t window,
    uint32_t maxpacket);

#endif
