/* check_proxy.c: the PROXY protocol header parser (protocol/proxy.c). */
#include <check.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "protocol/proxy.h"
#include "protocol/ssherr.h"
#include "tests/unit/testutil.h"

/* tests/fuzz/fuzz_proxy.c, linked in: its corpus is replayed below. */
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define SSHLINE	"SSH-2.0-OpenSSH_9.6\r\n"

/*
 * Reads a header from in[0..len) as the session does, short reads
 * included; returns proxy_need's
 * or proxy_parse's error, SSH_ERR_MESSAGE_INCOMPLETE if the input ends
 * first, else 0 with *usedp the bytes taken.
 */
static int
read_hdr(const uint8_t *in, size_t len, struct proxy_hdr *h, size_t *usedp)
{
	size_t have = 0, need;
	int r;

	*usedp = 0;
	for (;;) {
		if ((r = proxy_need(in, have, &need)) != 0)
			return r;
		if (need == 0)
			break;
		ck_assert_uint_le(have + need, PROXY_MAX);
		/* A short read, as a socket may give. */
		if (len == have)
			return SSH_ERR_MESSAGE_INCOMPLETE;
		have += need < len - have ? need : len - have;
	}
	*usedp = have;
	return proxy_parse(in, have, h);
}

static int
read_str(const char *s, struct proxy_hdr *h, size_t *usedp)
{
	return read_hdr((const uint8_t *)s, strlen(s), h, usedp);
}

/* A good header: accepted, ends exactly where it should, and every proper
 * prefix is incomplete, never an accepted header. */
static void
check_good(const uint8_t *in, size_t hlen, struct proxy_hdr *h)
{
	uint8_t buf[PROXY_MAX + sizeof(SSHLINE)];
	struct proxy_hdr t;
	size_t used, k;

	ck_assert_uint_le(hlen, PROXY_MAX);
	memcpy(buf, in, hlen);
	memcpy(buf + hlen, SSHLINE, strlen(SSHLINE));
	ck_assert_int_eq(read_hdr(buf, hlen + strlen(SSHLINE), h, &used), 0);
	ck_assert_uint_eq(used, hlen);
	for (k = 0; k < hlen; k++) {
		ck_assert_int_eq(read_hdr(buf, k, &t, &used),
		    SSH_ERR_MESSAGE_INCOMPLETE);
		ck_assert_int_ne(proxy_parse(buf, k, &t), 0);
	}
}

static void
check_good_str(const char *s, struct proxy_hdr *h)
{
	check_good((const uint8_t *)s, strlen(s), h);
}

static void
ck_src(const struct proxy_hdr *h, const char *src, const char *dst)
{
	char a[64];

	ck_assert_int_eq(proxy_addr_str(h, 1, a, sizeof(a)), 0);
	ck_assert_str_eq(a, src);
	ck_assert_int_eq(proxy_addr_str(h, 0, a, sizeof(a)), 0);
	ck_assert_str_eq(a, dst);
}

START_TEST(test_v1_tcp4)
{
	struct proxy_hdr h;

	check_good_str("PROXY TCP4 192.0.2.7 198.51.100.1 56324 22\r\n", &h);
	ck_assert_int_eq(h.ph_version, 1);
	ck_assert_int_eq(h.ph_local, 0);
	ck_assert_uint_eq(h.ph_alen, 4);
	ck_assert_uint_eq(h.ph_sport, 56324);
	ck_assert_uint_eq(h.ph_dport, 22);
	ck_src(&h, "192.0.2.7", "198.51.100.1");
}
END_TEST

START_TEST(test_v1_tcp6_longest)
{
	struct proxy_hdr h;
	const char *s = "PROXY TCP6 ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff "
	    "ffff:ffff:ffff:ffff:ffff:ffff:ffff:fffe 65535 0\r\n";

	check_good_str(s, &h);
	ck_assert_uint_eq(h.ph_alen, 16);
	ck_assert_uint_eq(h.ph_sport, 65535);
	ck_assert_uint_eq(h.ph_dport, 0);
	ck_src(&h, "ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff",
	    "ffff:ffff:ffff:ffff:ffff:ffff:ffff:fffe");
	check_good_str("PROXY TCP6 2001:db8::1 ::1 1 2\r\n", &h);
	ck_src(&h, "2001:db8::1", "::1");
}
END_TEST

START_TEST(test_v1_unknown)
{
	struct proxy_hdr h;
	char a[64], s[PROXY_V1_MAX + 2];
	size_t used;

	check_good_str("PROXY UNKNOWN\r\n", &h);
	ck_assert_int_eq(h.ph_local, 1);
	ck_assert_int_eq(proxy_addr_str(&h, 1, a, sizeof(a)),
	    SSH_ERR_INVALID_ARGUMENT);
	check_good_str("PROXY UNKNOWN ffff::1 ffff::2 1 2\r\n", &h);
	ck_assert_int_eq(h.ph_local, 1);
	/* 107 bytes with CRLF is the limit; 108 is refused. */
	memset(s, 'x', sizeof(s));
	memcpy(s, "PROXY UNKNOWN ", 14);
	memcpy(s + PROXY_V1_MAX - 2, "\r\n", 3);
	ck_assert_uint_eq(strlen(s), PROXY_V1_MAX);
	check_good_str(s, &h);
	memset(s, 'x', sizeof(s));
	memcpy(s, "PROXY UNKNOWN ", 14);
	memcpy(s + PROXY_V1_MAX - 1, "\r\n", 3);
	ck_assert_int_eq(read_str(s, &h, &used), SSH_ERR_INVALID_FORMAT);
	ck_assert_int_eq(proxy_parse((const uint8_t *)s, strlen(s), &h),
	    SSH_ERR_INVALID_FORMAT);
	/* UNKNOWN must be a whole word. */
	ck_assert_int_eq(read_str("PROXY UNKNOWNX\r\n", &h, &used),
	    SSH_ERR_INVALID_FORMAT);
}
END_TEST

START_TEST(test_v1_garbage)
{
	static const char *bad[] = {
		"PROXY TCP5 192.0.2.7 198.51.100.1 1 2\r\n",
		"PROXY tcp4 192.0.2.7 198.51.100.1 1 2\r\n",
		"proxy TCP4 192.0.2.7 198.51.100.1 1 2\r\n",
		"PROXY  TCP4 192.0.2.7 198.51.100.1 1 2\r\n",
		"PROXY TCP4 192.0.2.7  198.51.100.1 1 2\r\n",
		"PROXY TCP4 192.0.2.7 198.51.100.1 1 2 \r\n",
		"PROXY TCP4 192.0.2.7 198.51.100.1 1 2 3\r\n",
		"PROXY TCP4 192.0.2.7 198.51.100.1 1\r\n",
		"PROXY TCP4 192.0.2.7 198.51.100.1 01 2\r\n",
		"PROXY TCP4 192.0.2.7 198.51.100.1 65536 2\r\n",
		"PROXY TCP4 192.0.2.7 198.51.100.1 -1 2\r\n",
		"PROXY TCP4 192.0.2.7 198.51.100.1 1 2x\r\n",
		"PROXY TCP4 192.0.2.256 198.51.100.1 1 2\r\n",
		"PROXY TCP4 192.0.2 198.51.100.1 1 2\r\n",
		"PROXY TCP4 2001:db8::1 198.51.100.1 1 2\r\n",
		"PROXY TCP6 192.0.2.7 2001:db8::1 1 2\r\n",
		"PROXY TCP6 2001:db8::1/64 2001:db8::2 1 2\r\n",
		"PROXY TCP4 192.0.2.7 198.51.100.1 1 2\n",
		"PROXY TCP4 192.0.2.7 198.51.100.1 1 2\r\r\n",
		"PROXY TCP4 192.0.2.7\r198.51.100.1 1 2\r\n",
		"PROXY TCP4 192.0.2.7\t198.51.100.1 1 2\r\n",
		"PROXY \r\n",
		"PROXY\r\n",
		"PROXY TCP4\r\n",
		"PROXY TCP4 \r\n",
		"SSH-2.0-OpenSSH_9.6\r\n",
		"GET / HTTP/1.0\r\n",
		"\r\n\r\n\r\n",
	};
	struct proxy_hdr h;
	size_t i, used;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		ck_assert_msg(read_str(bad[i], &h, &used) ==
		    SSH_ERR_INVALID_FORMAT, "accepted: %s", bad[i]);
		ck_assert_int_eq(proxy_parse((const uint8_t *)bad[i],
		    strlen(bad[i]), &h), SSH_ERR_INVALID_FORMAT);
	}
}
END_TEST

START_TEST(test_v1_no_crlf_bounded)
{
	char s[400];
	struct proxy_hdr h;
	size_t have = 0, need = 0;
	int r = 0;

	/* Bytes that never end the line: refused at 107, not later. */
	memset(s, 'A', sizeof(s));
	memcpy(s, "PROXY ", 6);
	while (have < sizeof(s)) {
		if ((r = proxy_need((const uint8_t *)s, have, &need)) != 0)
			break;
		ck_assert_uint_eq(need, 1);
		have++;
	}
	ck_assert_int_eq(r, SSH_ERR_INVALID_FORMAT);
	ck_assert_uint_eq(have, PROXY_V1_MAX);
	(void)h;
}
END_TEST

static const uint8_t v2sig[12] = {
	0x0d, 0x0a, 0x0d, 0x0a, 0x00, 0x0d, 0x0a, 0x51, 0x55, 0x49, 0x54, 0x0a
};

/* A v2 header: signature, vc, fam, then plen bytes of payload. */
static size_t
v2(uint8_t *out, uint8_t vc, uint8_t fam, const uint8_t *p, size_t plen)
{
	memcpy(out, v2sig, 12);
	out[12] = vc;
	out[13] = fam;
	out[14] = (uint8_t)(plen >> 8);
	out[15] = (uint8_t)plen;
	if (plen > 0)
		memcpy(out + 16, p, plen);
	return 16 + plen;
}

static const uint8_t v4addrs[12] = {
	192, 0, 2, 7, 198, 51, 100, 1, 0xdc, 0x04, 0x00, 0x16
};

START_TEST(test_v2_inet)
{
	uint8_t b[PROXY_MAX], p[64];
	struct proxy_hdr h;
	size_t n;

	n = v2(b, 0x21, 0x11, v4addrs, sizeof(v4addrs));
	check_good(b, n, &h);
	ck_assert_int_eq(h.ph_version, 2);
	ck_assert_int_eq(h.ph_local, 0);
	ck_assert_uint_eq(h.ph_sport, 56324);
	ck_assert_uint_eq(h.ph_dport, 22);
	ck_src(&h, "192.0.2.7", "198.51.100.1");
	/* TLVs after the addresses are skipped. */
	memcpy(p, v4addrs, sizeof(v4addrs));
	memcpy(p + 12, "\x04\x00\x03" "abc" "\xea\x00\x01" "z", 10);
	n = v2(b, 0x21, 0x11, p, 22);
	check_good(b, n, &h);
	ck_src(&h, "192.0.2.7", "198.51.100.1");
}
END_TEST

START_TEST(test_v2_inet6)
{
	uint8_t b[PROXY_MAX], p[36];
	struct proxy_hdr h;
	size_t n;

	memset(p, 0, sizeof(p));
	p[0] = 0x20; p[1] = 0x01; p[2] = 0x0d; p[3] = 0xb8; p[15] = 1;
	p[31] = 1;
	p[32] = 0x04; p[33] = 0xd2; p[34] = 0x00; p[35] = 0x16;
	n = v2(b, 0x21, 0x21, p, sizeof(p));
	check_good(b, n, &h);
	ck_assert_uint_eq(h.ph_alen, 16);
	ck_assert_uint_eq(h.ph_sport, 1234);
	ck_src(&h, "2001:db8::1", "::1");
}
END_TEST

START_TEST(test_v2_local)
{
	uint8_t b[PROXY_MAX];
	struct proxy_hdr h;
	size_t n;

	n = v2(b, 0x20, 0x00, NULL, 0);
	check_good(b, n, &h);
	ck_assert_int_eq(h.ph_local, 1);
	/* LOCAL ignores whatever family and addresses come with it. */
	n = v2(b, 0x20, 0x11, v4addrs, sizeof(v4addrs));
	check_good(b, n, &h);
	ck_assert_int_eq(h.ph_local, 1);
}
END_TEST

START_TEST(test_v2_bad)
{
	uint8_t b[PROXY_MAX + 64], big[PROXY_MAX];
	struct proxy_hdr h;
	size_t n, i, used;

	/* Each byte of the signature matters. */
	for (i = 0; i < 12; i++) {
		n = v2(b, 0x21, 0x11, v4addrs, sizeof(v4addrs));
		b[i] ^= 0x20;
		ck_assert_int_eq(read_hdr(b, n, &h, &used),
		    SSH_ERR_INVALID_FORMAT);
		ck_assert_int_eq(proxy_parse(b, n, &h), SSH_ERR_INVALID_FORMAT);
	}
	/* Versions 1 and 3, commands beyond PROXY. */
	static const uint8_t badvc[] = { 0x11, 0x31, 0x22, 0x2f, 0x01 };
	for (i = 0; i < sizeof(badvc); i++) {
		n = v2(b, badvc[i], 0x11, v4addrs, sizeof(v4addrs));
		ck_assert_int_eq(read_hdr(b, n, &h, &used),
		    SSH_ERR_INVALID_FORMAT);
	}
	/* Families: UNSPEC, UDP, unix stream and dgram, unknown. */
	static const uint8_t badfam[] = { 0x00, 0x12, 0x22, 0x31, 0x32, 0x41,
	    0x10, 0x13 };
	memset(big, 0, sizeof(big));
	for (i = 0; i < sizeof(badfam); i++) {
		n = v2(b, 0x21, badfam[i], big, 216);
		ck_assert_int_eq(read_hdr(b, n, &h, &used),
		    SSH_ERR_INVALID_FORMAT);
	}
	/* Too short for the family's addresses. */
	n = v2(b, 0x21, 0x11, v4addrs, 11);
	ck_assert_int_eq(read_hdr(b, n, &h, &used), SSH_ERR_INVALID_FORMAT);
	n = v2(b, 0x21, 0x21, big, 35);
	ck_assert_int_eq(read_hdr(b, n, &h, &used), SSH_ERR_INVALID_FORMAT);
	/* Longer than our bound: refused from the fixed part alone. */
	n = v2(b, 0x21, 0x11, big, PROXY_V2_MAX - 16);
	ck_assert_int_eq(read_hdr(b, n, &h, &used), 0);
	b[14] = (uint8_t)((PROXY_V2_MAX - 15) >> 8);
	b[15] = (uint8_t)(PROXY_V2_MAX - 15);
	ck_assert_int_eq(proxy_need(b, 16, &n), SSH_ERR_INVALID_FORMAT);
	b[14] = b[15] = 0xff;
	ck_assert_int_eq(proxy_need(b, 16, &n), SSH_ERR_INVALID_FORMAT);
	/* A length that disagrees with the bytes given. */
	n = v2(b, 0x21, 0x11, v4addrs, sizeof(v4addrs));
	ck_assert_int_eq(proxy_parse(b, n - 1, &h), SSH_ERR_INVALID_FORMAT);
	b[n] = 0;
	ck_assert_int_eq(proxy_parse(b, n + 1, &h), SSH_ERR_INVALID_FORMAT);
	ck_assert_int_eq(proxy_need(b, n + 1, &used), SSH_ERR_INVALID_FORMAT);
	ck_assert_int_eq(proxy_parse(b, 0, &h), SSH_ERR_INVALID_FORMAT);
}
END_TEST

START_TEST(test_addr_str_small)
{
	struct proxy_hdr h;
	char a[8];

	check_good_str("PROXY TCP4 192.0.2.77 198.51.100.1 1 2\r\n", &h);
	ck_assert_int_eq(proxy_addr_str(&h, 1, a, sizeof(a)),
	    SSH_ERR_NO_BUFFER_SPACE);
}
END_TEST

START_TEST(test_fuzz_corpus_replay)
{
	ck_assert_uint_gt(tu_replay_corpus("proxy", LLVMFuzzerTestOneInput),
	    0);
}
END_TEST

static Suite *
proxy_suite(void)
{
	Suite *s = suite_create("proxy");
	TCase *tc = tcase_create("core");

	tcase_add_test(tc, test_v1_tcp4);
	tcase_add_test(tc, test_v1_tcp6_longest);
	tcase_add_test(tc, test_v1_unknown);
	tcase_add_test(tc, test_v1_garbage);
	tcase_add_test(tc, test_v1_no_crlf_bounded);
	tcase_add_test(tc, test_v2_inet);
	tcase_add_test(tc, test_v2_inet6);
	tcase_add_test(tc, test_v2_local);
	tcase_add_test(tc, test_v2_bad);
	tcase_add_test(tc, test_addr_str_small);
	tcase_add_test(tc, test_fuzz_corpus_replay);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	return tu_run(proxy_suite());
}
