/*
 * check_kex_derive.c: the exchange hash H and the key derivation against
 * values computed independently with Python's hashlib
 * (tests/vectors/kex/gen_kex_derive.py prints them; the inputs below are
 * the same as there).
 */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "protocol/buf.h"
#include "protocol/dh_groups.h"
#include "protocol/kex_method.h"
#include "protocol/ssherr.h"
#include "tests/unit/testutil.h"

/* hex prefix followed by n copies of fill */
struct val {
	const char	*prefix;
	uint8_t		 fill;
	size_t		 n;
};

static const struct hcase {
	const char	*name;
	struct val	 cpub, spub, k;
	unsigned int	 gex_group;
	const char	*h, *key_a, *key_f;
} cases[] = {
	{ "curve25519-sha256",
	    { "8520f0098930a754748b7ddcb43ef75a"
		"0dbf3a0d26381af4eba4a98eaa9b4e6a", 0, 0 },
	    { "de9edb7d7b7dc1b4d35b61c2ece43537"
		"3f8343c85b78674dadfc7e146f882b4f", 0, 0 },
	    { "4a5d9d5ba4ce2de1728e3bf480350f25"
		"e07e21c947d19e3376f09b3c1e161742", 0, 0 }, 0,
	    "acb73215b73bcfe9832fd6ac9338460a5c801fbca9fd78af4bf4366a5b479d10",
	    "d2e7f58b31bc2e596837e5e30ddc3ab994667b6759f10902d71a2c9bc04a945a"
	    "4c56b624e96ec221914e837c999f3d558eaa85aac4d7b66aabfe9d4903863ab8"
	    "18b475a249e04d97f764bfef8dc2542187ba501c1827d0dfadf020608c6e6c2f"
	    "25bcdf4adf",
	    "dcba1e4c8e568bf2fa2e25356e165767661208440a2fb62ebd59b54d5b249b8c"
	    "6932c320e7931b5f52a3d85e26f071d84396251e37b538d9dd4bb297615d0ba5"
	    "1722878703b434b5386f1d346d11c05e61a1c9dc6015b049c946b8d70c5ec7a3"
	    "97b1fdc1f7",
	},
	{ "ecdh-sha2-nistp384",
	    { "04", 0xa1, 96 },
	    { "04", 0xb2, 96 },
	    { "00", 0x85, 47 }, 0,
	    "4d7c5a5db913a48066260be48fcb72a9b67e65e28dc0c287695de1e9db40a14e"
	    "4414cfdf8e64b45af266a808ac8f5ce9",
	    "7cc2305646cf05702e0f681ac128932144de63664ffdd341c71673af75d73f5b"
	    "cd4670620dcd19795d2b37ff39dd859f44cf27d13346121fbf3b2276a1cd07db"
	    "29bdbb4403db3508fc87377650304d307c63cddaa5a2182018c7a2651e6ad1c1"
	    "5f6c3c610f57b57baaa81e90f9b3e30255d7b4526f5d73dc7177d43d3f222b17"
	    "c1a895cf96405e5abe317d365e4f6b1689b165ed47",
	    "2395884ddf99347d3f52cb7ceed5f447bebac68a135a22c31f606c7402ce4618"
	    "9a3d5d5d922a6e50259554a818deff90045d96a59d330d1d1d5ba47606fe7541"
	    "876f8e2f368db38f49dd685ce0cd29982e6347c272df9a543071d140240a91e5"
	    "a3aeb325bf8a2d65808867cc23d273eee81ac6d1d11516e11c39e35a93bd2577"
	    "eba7d4906bd4ea6d88f3074feadc19c9651600bd9f",
	},
	{ "ecdh-sha2-nistp521",
	    { "04", 0xc3, 132 },
	    { "04", 0xd4, 132 },
	    { "01", 0x5a, 65 }, 0,
	    "a5665cf34cb9356e899e3474e37639693e16993e2f59182eb2b4407eb97cb8ac"
	    "6317c02d3ccb8264c64e2278ab708f7b204b67d227e4f8e081f871fb1e958207",
	    "5e7b1ff9599d032ae1f67b9fc3ae64a55660292891ebc8bc2d5e25a032127015"
	    "f11412560576f7619b792106554ecaeef9aecbb2eb334d296618f4dfc3975ef1"
	    "8cae9359ca5e81b34d324e54124b0476bba6e704845464c100e6e20e64f2b50c"
	    "04dac4ca3249b058665a52c356cda95123b3b2f77bcf1fa717ed9274804eb05b"
	    "68c7dfbe81732a8036aec8673e7da164d6a8cd55bc79868416c3f41b53f27e55"
	    "4c858f62d7d56b1dcaddf5a9b84d1d3aaab7a9ef1074265bf45a3e07d61b4f24"
	    "2a00417961",
	    "1de16a1c6c87ebc5ade0bde31f905a8d00e850ac0b358a7d52e8af287b2077ee"
	    "fcd1ecc3ebb3bee2d8871598964396eee52dee2588b143ac06cc3d65bb61c43a"
	    "ef42e8173fe658afa3cda809f2539a71f050a0ee564372a6632d751432de7920"
	    "76c253bac48f181ea2b66868c5b23c6dd65bc2bfd1d171adb18ae0d379e6c184"
	    "752739d8f70283de652b66c0d958c2db07cf354a561980eadf28343d3d3af569"
	    "c77cedb69adec07048abca599e3c64b2ac692141a67c09fe0c1f4f318f8574f2"
	    "e6763b7761",
	},
	{ "diffie-hellman-group14-sha256",
	    { "", 0x7e, 256 },
	    { "", 0x80, 256 },
	    { "", 0xf0, 256 }, 0,
	    "50f3dee890eda9c2d65e34d38214ade9c3a67e0ceb03b46746f6eb9938cfe2e4",
	    "756c30d1684aaaa541a67e75009189db69bff17958f40dbf51e61a26f7f04750"
	    "039c53528ad6fa640bf8f8008bb11f0fa84c900884bd268e2f8607811b6e6d77"
	    "02ef8adc2c94b2711b5e98d78b0416273c45c6db059f2ac9f87727bff349c735"
	    "39a4b62709",
	    "f8880d227e5c28ba976e513601e3b28626eb926ae3cc8dee3925368c25f11edf"
	    "43e95099e8748ade3b7c5d18f682d3ba74c86345e0c5a432220f0c6076281e3a"
	    "9ec5a2b960a3f0bdcae1b706b52788dfd64ad8f80d22d8519b7531f3284f2b01"
	    "ae945083c6",
	},
	{ "diffie-hellman-group16-sha512",
	    { "00000102", 0, 0 },
	    { "", 0xff, 512 },
	    { "00", 0x0f, 511 }, 0,
	    "936a401e70d6c53c1e867d6133fbd5fc13a000973521c6d09bc74539a6824b81"
	    "5ddf628c1855eb934058cfc4beff5f892ff0e132c0ad2271b297d1324a919deb",
	    "e3a752dd90d6907eb328a5019469f4731e445c2b1f82b7ba53c4d88aae80761a"
	    "d2571d9fcee1039f47e29ccc75291d1ece46ba0d3bd0b1d62390632b6ffbd86a"
	    "fa9098e5dac81ac44b83d2e43d91f67c78a1048d7c3e7e2e76c917e0ed36347e"
	    "c1ececd6a432dde94c4506b610d4c67d1c520f7507531fcb3bcbbb06db6d69ef"
	    "55980865c111b2dd40f1c92b9b5fe2616569d560cc9a730f0079b509e6be0b84"
	    "549f6b18846489b36f15fc3c3f73a2237ee9d36d0ccd59f9ce57d444a5c6d55c"
	    "5ebaf31634",
	    "ecc3a2565b6683912305f96d8ea57bc303f92f321764248459ff0442647a5659"
	    "03c8ef7c30fdc8a158f52873c168338ca2bdca6b43a5615bfe18a8ca10be9864"
	    "8f1aefa80d1cc0f7f7088ad41b22f9cede2b7882a06522e116712f7d3606b24e"
	    "feb2310191e39f3661f4ecd901db6965baa2562c9429d063dec2ff4cf07a5348"
	    "2438f31bbbe35605f59e85bb4cce033f0d71d4690a1a6407d264a61ff127787d"
	    "75665b8d65f6abb92ea69927e9b0ca2c0f56f20a1bb69515a400cd266deb9341"
	    "7045853435",
	},
	{ "diffie-hellman-group-exchange-sha256",
	    { "", 0x55, 384 },
	    { "", 0xaa, 384 },
	    { "", 0x33, 384 }, 15,
	    "aad855b0b184d9316974539907b79bb93802515ad097a624cd9d04243c1ac59c",
	    "b6403d3b8cc7863969d61269f9484be3e74cda896b3f8b8246ae4d2d5f6667eb"
	    "67a6b67b212cd1dec6f549320faba3a48156da18a3987f8066e049fa95eaf582"
	    "81d574fbedeab156fc06032cd530d7c0ec83c32a2bf7d40e925772f0af670af7"
	    "0022a379aa",
	    "a99591bfc060ca0ee8e8392eb9c04c9ca8a897c1cc14b556c6647d044fbc63f2"
	    "4660da2277683bdf1b7e9ff534803c42c67e2d9010a94a0343d592d183cc8f41"
	    "f85d94699f4c4bcafde652ccc1b310c082716aebb09a264879dcb998244d5f1d"
	    "f5df0e25a3",
	},
};

#define NCASES	(sizeof(cases) / sizeof(cases[0]))

static struct buf *
val_buf(const struct val *v)
{
	struct buf *b = buf_new();
	uint8_t *d;
	size_t len, i;

	d = tu_hex(v->prefix, &len);
	ck_assert_int_eq(buf_put(b, d, len), 0);
	for (i = 0; i < v->n; i++)
		ck_assert_int_eq(buf_put_u8(b, v->fill), 0);
	free(d);
	return b;
}

static struct buf *
hex_buf(const char *hex)
{
	struct buf *b = buf_new();
	uint8_t *d;
	size_t len;

	d = tu_hex(hex, &len);
	ck_assert_int_eq(buf_put(b, d, len), 0);
	free(d);
	return b;
}

struct inputs {
	struct kex_hash_input	 in;
	struct buf		*ic, *is, *ks, *cpub, *spub, *K;
	struct dh_group		*group;
};

static void
inputs_init(const struct hcase *c, struct inputs *x)
{
	struct buf *kraw = val_buf(&c->k);

	memset(x, 0, sizeof(*x));
	x->ic = buf_new();
	x->is = buf_new();
	x->ks = buf_new();
	ck_assert_int_eq(buf_put_u8(x->ic, 0x14), 0);
	ck_assert_int_eq(buf_put_u8(x->is, 0x14), 0);
	for (int i = 0; i < 16; i++) {
		ck_assert_int_eq(buf_put_u8(x->ic, 0x11), 0);
		ck_assert_int_eq(buf_put_u8(x->is, 0x22), 0);
	}
	ck_assert_int_eq(buf_putf(x->ic, "client kexinit"), 0);
	ck_assert_int_eq(buf_putf(x->is, "server kexinit"), 0);
	ck_assert_int_eq(buf_put_cstring(x->ks, "ssh-ed25519"), 0);
	ck_assert_int_eq(buf_put_u32(x->ks, 32), 0);
	for (int i = 0; i < 32; i++)
		ck_assert_int_eq(buf_put_u8(x->ks, (uint8_t)i), 0);
	x->cpub = val_buf(&c->cpub);
	x->spub = val_buf(&c->spub);
	x->K = buf_new();
	ck_assert_int_eq(buf_put_bignum2_bytes(x->K, buf_ptr(kraw),
	    buf_len(kraw)), 0);
	buf_free(kraw);
	if (c->gex_group != 0)
		ck_assert_int_eq(dh_group_rfc3526(c->gex_group, &x->group), 0);
	x->in.kh_client_version = "SSH-2.0-OpenSSH_9.2p1 Debian-2+deb12u10";
	x->in.kh_server_version = "SSH-2.0-nanossh_0.1";
	x->in.kh_client_kexinit = x->ic;
	x->in.kh_server_kexinit = x->is;
	x->in.kh_host_key = x->ks;
	x->in.kh_gex_min = 2048;
	x->in.kh_gex_n = 3072;
	x->in.kh_gex_max = 8192;
	x->in.kh_gex_group = x->group;
	x->in.kh_client_pub = x->cpub;
	x->in.kh_server_pub = x->spub;
	x->in.kh_shared_secret = x->K;
}

static void
inputs_free(struct inputs *x)
{
	buf_free(x->ic);
	buf_free(x->is);
	buf_free(x->ks);
	buf_free(x->cpub);
	buf_free(x->spub);
	buf_free(x->K);
	dh_group_free(x->group);
}

START_TEST(test_exchange_hash_vectors)
{
	size_t i;

	for (i = 0; i < NCASES; i++) {
		const struct kex_alg *a = kex_alg_by_name(cases[i].name);
		struct inputs x;
		struct buf *H = buf_new(), *want = hex_buf(cases[i].h);

		ck_assert_ptr_nonnull(a);
		inputs_init(&cases[i], &x);
		ck_assert_int_eq(kex_exchange_hash(a, &x.in, H), 0);
		ck_assert_uint_eq(buf_len(H), a->ka_hash_len);
		ck_assert_msg(buf_equals(H, want) == 0, "%s: wrong H",
		    cases[i].name);
		inputs_free(&x);
		buf_free(H);
		buf_free(want);
	}
}
END_TEST

/* The X25519 case again, with K from a real agreement (RFC 7748 6.1). */
START_TEST(test_exchange_hash_x25519_agreement)
{
	const struct kex_alg *a = kex_alg_by_name("curve25519-sha256");
	struct kex_keypair *kp = NULL;
	struct inputs x;
	struct buf *K = buf_new(), *pub = buf_new(), *H = buf_new(), *want;
	uint8_t *priv;
	size_t len;

	inputs_init(&cases[0], &x);
	priv = tu_hex("77076d0a7318a57d3c16c17251b26645"
	    "df4c2f87ebc0992ab177fba51db92c2a", &len);
	ck_assert_int_eq(kex_keypair_from_private(a, NULL, priv, len, &kp), 0);
	ck_assert_int_eq(kex_keypair_public(kp, pub), 0);
	ck_assert_int_eq(buf_equals(pub, x.cpub), 0);
	ck_assert_int_eq(kex_shared_secret(kp, buf_ptr(x.spub),
	    buf_len(x.spub), K), 0);
	ck_assert_int_eq(buf_equals(K, x.K), 0);
	x.in.kh_shared_secret = K;
	want = hex_buf(cases[0].h);
	ck_assert_int_eq(kex_exchange_hash(a, &x.in, H), 0);
	ck_assert_int_eq(buf_equals(H, want), 0);
	kex_keypair_free(kp);
	inputs_free(&x);
	buf_free(K);
	buf_free(pub);
	buf_free(H);
	buf_free(want);
	free(priv);
}
END_TEST

static void
derive(const struct kex_alg *a, const struct buf *K, const struct buf *H,
    const struct buf *sid, char letter, size_t need, struct buf *out)
{
	buf_reset(out);
	ck_assert_int_eq(kex_derive_key(a, K, H, sid, letter, need, out), 0);
	ck_assert_uint_eq(buf_len(out), need);
}

/* RFC 4253 7.2, including the extension past one hash block. */
START_TEST(test_derive_vectors)
{
	/* SHA-256("session id"), as in the generator. */
	struct buf *sid = hex_buf("1cc1c70c03d3fa98125ac304150c6b2a"
	    "b44b1a308f55aab9e46e6de9f92ae871");
	size_t i;

	for (i = 0; i < NCASES; i++) {
		const struct kex_alg *a = kex_alg_by_name(cases[i].name);
		struct inputs x;
		struct buf *H = hex_buf(cases[i].h), *out = buf_new();
		struct buf *wa = hex_buf(cases[i].key_a);
		struct buf *wf = hex_buf(cases[i].key_f);
		size_t hl = a->ka_hash_len, need = 3 * hl + 5;
		size_t cuts[] = { 1, hl - 1, hl, hl + 1, 2 * hl, need };
		size_t j;

		inputs_init(&cases[i], &x);
		ck_assert_uint_eq(buf_len(wa), need);
		derive(a, x.K, H, sid, 'A', need, out);
		ck_assert_msg(buf_equals(out, wa) == 0, "%s: key A",
		    cases[i].name);
		derive(a, x.K, H, sid, 'F', need, out);
		ck_assert_msg(buf_equals(out, wf) == 0, "%s: key F",
		    cases[i].name);
		/* Any shorter request is a prefix of the long one. */
		for (j = 0; j < sizeof(cuts) / sizeof(cuts[0]); j++) {
			derive(a, x.K, H, sid, 'A', cuts[j], out);
			ck_assert_mem_eq(buf_ptr(out), buf_ptr(wa), cuts[j]);
		}
		/* Appends, does not overwrite. */
		buf_reset(out);
		ck_assert_int_eq(buf_put_u8(out, 0xee), 0);
		ck_assert_int_eq(kex_derive_key(a, x.K, H, sid, 'F', 3, out),
		    0);
		ck_assert_uint_eq(buf_len(out), 4);
		ck_assert_int_eq(buf_ptr(out)[0], 0xee);
		ck_assert_mem_eq(buf_ptr(out) + 1, buf_ptr(wf), 3);
		inputs_free(&x);
		buf_free(H);
		buf_free(out);
		buf_free(wa);
		buf_free(wf);
	}
	buf_free(sid);
}
END_TEST

START_TEST(test_derive_letters)
{
	const struct kex_alg *a = kex_alg_by_name("curve25519-sha256");
	struct inputs x;
	struct buf *H = hex_buf(cases[0].h), *out = buf_new();
	struct buf *keys[6];
	const char bad[] = { '@', 'G', 'a', '\0' };
	size_t i, j;

	inputs_init(&cases[0], &x);
	for (i = 0; i < 6; i++) {
		keys[i] = buf_new();
		ck_assert_int_eq(kex_derive_key(a, x.K, H, H, (char)('A' + i),
		    32, keys[i]), 0);
		for (j = 0; j < i; j++)
			ck_assert_int_ne(buf_equals(keys[i], keys[j]), 0);
	}
	for (i = 0; i < sizeof(bad); i++)
		ck_assert_int_eq(kex_derive_key(a, x.K, H, H, bad[i], 32, out),
		    SSH_ERR_INVALID_ARGUMENT);
	ck_assert_int_eq(kex_derive_key(a, x.K, H, H, 'A', 0, out),
	    SSH_ERR_INVALID_ARGUMENT);
	ck_assert_int_eq(kex_derive_key(NULL, x.K, H, H, 'A', 16, out),
	    SSH_ERR_INVALID_ARGUMENT);
	ck_assert_int_eq(kex_derive_key(a, NULL, H, H, 'A', 16, out),
	    SSH_ERR_INVALID_ARGUMENT);
	ck_assert_uint_eq(buf_len(out), 0);
	/* More than the output buffer may hold. */
	ck_assert_int_eq(buf_set_max_size(out, 16), 0);
	ck_assert_int_eq(kex_derive_key(a, x.K, H, H, 'A', 17, out),
	    SSH_ERR_NO_BUFFER_SPACE);
	ck_assert_uint_eq(buf_len(out), 0);
	for (i = 0; i < 6; i++)
		buf_free(keys[i]);
	inputs_free(&x);
	buf_free(H);
	buf_free(out);
}
END_TEST

START_TEST(test_exchange_hash_bad_input)
{
	const struct kex_alg *gex =
	    kex_alg_by_name("diffie-hellman-group-exchange-sha256");
	struct kex_alg fake = *gex;
	struct inputs x;
	struct buf *H = buf_new();

	inputs_init(&cases[NCASES - 1], &x);
	ck_assert_int_eq(kex_exchange_hash(gex, &x.in, H), 0);
	buf_reset(H);
	ck_assert_int_eq(kex_exchange_hash(&fake, &x.in, H),
	    SSH_ERR_INVALID_ARGUMENT);
	ck_assert_int_eq(kex_exchange_hash(gex, NULL, H),
	    SSH_ERR_INVALID_ARGUMENT);
	x.in.kh_gex_group = NULL;
	ck_assert_int_eq(kex_exchange_hash(gex, &x.in, H),
	    SSH_ERR_INVALID_ARGUMENT);
	x.in.kh_gex_group = x.group;
	x.in.kh_host_key = NULL;
	ck_assert_int_eq(kex_exchange_hash(gex, &x.in, H),
	    SSH_ERR_INVALID_ARGUMENT);
	x.in.kh_host_key = x.ks;
	x.in.kh_client_version = NULL;
	ck_assert_int_eq(kex_exchange_hash(gex, &x.in, H),
	    SSH_ERR_INVALID_ARGUMENT);
	ck_assert_uint_eq(buf_len(H), 0);
	inputs_free(&x);
	buf_free(H);
}
END_TEST

static Suite *
kex_derive_suite(void)
{
	Suite *s = suite_create("kex_derive");
	TCase *tc;

	tc = tcase_create("exchange_hash");
	tcase_add_test(tc, test_exchange_hash_vectors);
	tcase_add_test(tc, test_exchange_hash_x25519_agreement);
	tcase_add_test(tc, test_exchange_hash_bad_input);
	suite_add_tcase(s, tc);

	tc = tcase_create("derive");
	tcase_add_test(tc, test_derive_vectors);
	tcase_add_test(tc, test_derive_letters);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	SRunner *sr = srunner_create(kex_derive_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? 0 : 1;
}
