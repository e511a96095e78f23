/*
 * check_kex_session.c: real key exchanges between paramiko and OpenSSH's
 * sshd, recorded by tests/vectors/kex/capture_openssh_kex.py.  sshd signed
 * each H and paramiko verified the signature, so these values are what
 * OpenSSH computes.  From the client's recorded ephemeral private key we
 * recompute its public value, K, H and the session keys.
 */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/bn.h>

#include "protocol/buf.h"
#include "protocol/dh_groups.h"
#include "protocol/kex_method.h"
#include "protocol/ssherr.h"
#include "tests/unit/testutil.h"

static struct buf *
hex_field(const json_t *s, const char *key)
{
	struct buf *b = buf_new();
	uint8_t *d;
	size_t len;

	ck_assert_msg(json_is_string(json_object_get(s, key)), "no %s", key);
	d = tu_hex(tu_str(s, key), &len);
	ck_assert_int_eq(buf_put(b, d, len), 0);
	free(d);
	return b;
}

static uint32_t
u32_field(const json_t *s, const char *key)
{
	json_t *v = json_object_get(s, key);

	ck_assert_msg(json_is_integer(v), "no %s", key);
	return (uint32_t)json_integer_value(v);
}

static struct dh_group *
gex_group(const json_t *s)
{
	struct buf *p = hex_field(s, "gex_p"), *g = hex_field(s, "gex_g");
	BIGNUM *bp, *bg;
	struct dh_group *group = NULL;

	bp = BN_bin2bn(buf_ptr(p), (int)buf_len(p), NULL);
	bg = BN_bin2bn(buf_ptr(g), (int)buf_len(g), NULL);
	ck_assert(bp != NULL && bg != NULL);
	ck_assert_int_eq(dh_group_new(bp, bg, &group), 0);
	BN_free(bp);
	BN_free(bg);
	buf_free(p);
	buf_free(g);
	return group;
}

static void
check_session(const json_t *s)
{
	const char *name = tu_str(s, "name");
	const struct kex_alg *a = kex_alg_by_name(name);
	struct buf *ic = hex_field(s, "I_C"), *is = hex_field(s, "I_S");
	struct buf *ks = hex_field(s, "K_S"), *priv = hex_field(s,
	    "client_private");
	struct buf *cpub = hex_field(s, "client_pub");
	struct buf *spub = hex_field(s, "server_pub");
	struct buf *kraw = hex_field(s, "K"), *wantH = hex_field(s, "H");
	struct buf *sid = hex_field(s, "session_id");
	struct buf *pub = buf_new(), *K = buf_new(), *wantK = buf_new();
	struct buf *H = buf_new(), *key = buf_new();
	struct dh_group *group = NULL;
	struct kex_keypair *kp = NULL;
	struct kex_hash_input in;
	char field[8];
	int i;

	ck_assert_msg(a != NULL, "%s", name);
	if (a->ka_kind == KEX_KIND_GEX)
		group = gex_group(s);
	/* The client's ephemeral key: same public value, same K. */
	ck_assert_int_eq(kex_keypair_from_private(a, group, buf_ptr(priv),
	    buf_len(priv), &kp), 0);
	ck_assert_int_eq(kex_keypair_public(kp, pub), 0);
	ck_assert_msg(buf_equals(pub, cpub) == 0, "%s: public value", name);
	ck_assert_int_eq(kex_shared_secret(kp, buf_ptr(spub), buf_len(spub),
	    K), 0);
	ck_assert_int_eq(buf_put_bignum2_bytes(wantK, buf_ptr(kraw),
	    buf_len(kraw)), 0);
	ck_assert_msg(buf_equals(K, wantK) == 0, "%s: K", name);

	memset(&in, 0, sizeof(in));
	in.kh_client_version = tu_str(s, "V_C");
	in.kh_server_version = tu_str(s, "V_S");
	in.kh_client_kexinit = ic;
	in.kh_server_kexinit = is;
	in.kh_host_key = ks;
	if (a->ka_kind == KEX_KIND_GEX) {
		in.kh_gex_min = u32_field(s, "gex_min");
		in.kh_gex_n = u32_field(s, "gex_n");
		in.kh_gex_max = u32_field(s, "gex_max");
		in.kh_gex_group = group;
	}
	in.kh_client_pub = cpub;
	in.kh_server_pub = spub;
	in.kh_shared_secret = K;
	ck_assert_int_eq(kex_exchange_hash(a, &in, H), 0);
	ck_assert_msg(buf_equals(H, wantH) == 0, "%s: H", name);
	/* First exchange: the session id is H. */
	ck_assert_int_eq(buf_equals(sid, H), 0);

	for (i = 0; i < 6; i++) {
		struct buf *want;

		snprintf(field, sizeof(field), "key_%c", 'A' + i);
		want = hex_field(s, field);
		buf_reset(key);
		ck_assert_int_eq(kex_derive_key(a, K, H, sid, (char)('A' + i),
		    buf_len(want), key), 0);
		ck_assert_msg(buf_equals(key, want) == 0, "%s: %s", name,
		    field);
		buf_free(want);
	}

	kex_keypair_free(kp);
	dh_group_free(group);
	buf_free(ic);
	buf_free(is);
	buf_free(ks);
	buf_free(priv);
	buf_free(cpub);
	buf_free(spub);
	buf_free(kraw);
	buf_free(wantH);
	buf_free(sid);
	buf_free(pub);
	buf_free(K);
	buf_free(wantK);
	buf_free(H);
	buf_free(key);
}

static json_t *
load_sessions(void)
{
	json_error_t err;
	json_t *root = json_load_file(tu_path("vectors/kex/openssh_kex.json"),
	    0, &err);

	ck_assert_msg(root != NULL, "openssh_kex.json: %s", err.text);
	return root;
}

/* Every recorded session reproduces, and every method of ours but
 * group18 (which paramiko lacks) is among them. */
START_TEST(test_openssh_sessions)
{
	json_t *root = load_sessions(), *s;
	json_t *sessions = json_object_get(root, "sessions");
	size_t i, n = 0;
	int kinds[4] = { 0, 0, 0, 0 };

	json_array_foreach(sessions, i, s) {
		const struct kex_alg *a = kex_alg_by_name(tu_str(s, "name"));

		check_session(s);
		ck_assert_ptr_nonnull(a);
		kinds[a->ka_kind]++;
		n++;
	}
	ck_assert_uint_ge(n, 7);
	ck_assert_int_ge(kinds[KEX_KIND_X25519], 1);
	ck_assert_int_ge(kinds[KEX_KIND_ECDH], 3);
	ck_assert_int_ge(kinds[KEX_KIND_DH], 2);
	ck_assert_int_ge(kinds[KEX_KIND_GEX], 1);
	json_decref(root);
}
END_TEST

/* One changed byte of I_S (the server's KEXINIT) changes H. */
START_TEST(test_openssh_session_tampered)
{
	json_t *root = load_sessions(), *s;
	char *hex;

	s = json_array_get(json_object_get(root, "sessions"), 0);
	ck_assert_ptr_nonnull(s);
	hex = strdup(tu_str(s, "I_S"));
	hex[10] = hex[10] == '0' ? '1' : '0';
	ck_assert_int_eq(json_object_set_new(s, "I_S", json_string(hex)), 0);
	free(hex);
	{
		const struct kex_alg *a = kex_alg_by_name(tu_str(s, "name"));
		struct buf *ic = hex_field(s, "I_C"), *is = hex_field(s, "I_S");
		struct buf *ks = hex_field(s, "K_S"), *cp = hex_field(s,
		    "client_pub");
		struct buf *sp = hex_field(s, "server_pub");
		struct buf *kraw = hex_field(s, "K"), *want = hex_field(s, "H");
		struct buf *K = buf_new(), *H = buf_new();
		struct kex_hash_input in;

		ck_assert_int_eq(buf_put_bignum2_bytes(K, buf_ptr(kraw),
		    buf_len(kraw)), 0);
		memset(&in, 0, sizeof(in));
		in.kh_client_version = tu_str(s, "V_C");
		in.kh_server_version = tu_str(s, "V_S");
		in.kh_client_kexinit = ic;
		in.kh_server_kexinit = is;
		in.kh_host_key = ks;
		in.kh_client_pub = cp;
		in.kh_server_pub = sp;
		in.kh_shared_secret = K;
		ck_assert_int_eq(kex_exchange_hash(a, &in, H), 0);
		ck_assert_int_ne(buf_equals(H, want), 0);
		buf_free(ic);
		buf_free(is);
		buf_free(ks);
		buf_free(cp);
		buf_free(sp);
		buf_free(kraw);
		buf_free(want);
		buf_free(K);
		buf_free(H);
	}
	json_decref(root);
}
END_TEST

static Suite *
kex_session_suite(void)
{
	Suite *s = suite_create("kex_session");
	TCase *tc = tcase_create("openssh");

	tcase_add_test(tc, test_openssh_sessions);
	tcase_add_test(tc, test_openssh_session_tampered);
	tcase_set_timeout(tc, 60);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	SRunner *sr = srunner_create(kex_session_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? 0 : 1;
}
