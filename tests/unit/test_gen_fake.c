/* Unit tests of the generator's fake data: shapes, ranges, ratios, word lists, determinism. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "buf.h"
#include "err.h"
#include "gen_fake.h"
#include "gen_words.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#define DRAWS 30000

static int hexval(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    return -1;
}

static void test_uuid4_shape(void **state)
{
    pgcdc_gen_rng_t rng;
    char u[PGCDC_GEN_UUID_LEN + 1], prev[PGCDC_GEN_UUID_LEN + 1] = "";
    int i, j;

    (void)state;
    pgcdc_gen_rng_seed(&rng, 1);
    for (i = 0; i < DRAWS; i++) {
        pgcdc_gen_uuid4(&rng, u);
        assert_int_equal(strlen(u), 36);
        for (j = 0; j < 36; j++) {
            if (j == 8 || j == 13 || j == 18 || j == 23)
                assert_int_equal(u[j], '-');
            else
                assert_true(hexval(u[j]) >= 0);
        }
        assert_int_equal(u[14], '4');               /* version nibble */
        assert_int_equal(hexval(u[19]) & 0xc, 0x8); /* variant 10xx */
        assert_string_not_equal(u, prev);
        memcpy(prev, u, sizeof(u));
    }
}

static int parse_ipv4(const char *s, uint32_t *out)
{
    unsigned v[4];
    int i;
    const char *p = s;

    for (i = 0; i < 4; i++) {
        char *end;
        unsigned long x;

        if (!isdigit((unsigned char)*p))
            return 0;
        if (*p == '0' && isdigit((unsigned char)p[1]))
            return 0; /* no leading zeros */
        x = strtoul(p, &end, 10);
        if (x > 255 || end - p > 3)
            return 0;
        v[i] = (unsigned)x;
        p = end;
        if (i < 3) {
            if (*p != '.')
                return 0;
            p++;
        }
    }
    if (*p)
        return 0;
    *out = (v[0] << 24) | (v[1] << 16) | (v[2] << 8) | v[3];
    return 1;
}

static void test_ipv4_public(void **state)
{
    pgcdc_gen_rng_t rng;
    char s[PGCDC_GEN_IPV4_MAX];
    uint32_t a, parsed;
    int i, firsts[256] = {0}, distinct_first = 0;

    (void)state;
    pgcdc_gen_rng_seed(&rng, 2);
    for (i = 0; i < DRAWS; i++) {
        a = pgcdc_gen_ipv4(&rng);
        pgcdc_gen_ipv4_format(a, s);
        assert_true(parse_ipv4(s, &parsed));
        assert_int_equal(parsed, a);
        /* Independent check of the ranges that must never show up. */
        assert_true((a >> 24) != 0 && (a >> 24) != 10 && (a >> 24) != 127);
        assert_false((a >> 24) >= 224);                 /* multicast and reserved */
        assert_false((a >> 22) == ((100u << 2) | 1));   /* 100.64/10 */
        assert_false((a >> 16) == ((169u << 8) | 254)); /* 169.254/16 */
        assert_false((a >> 20) == ((172u << 4) | 1));   /* 172.16/12 */
        assert_false((a >> 16) == ((192u << 8) | 168)); /* 192.168/16 */
        assert_false((a >> 17) == ((198u << 7) | 9));   /* 198.18/15 */
        assert_false((a >> 8) == ((192u << 16) | 2));   /* 192.0.2/24 */
        assert_false((a >> 8) == ((198u << 16) | (51u << 8) | 100));
        assert_false((a >> 8) == ((203u << 16) | 113)); /* 203.0.113/24 */
        assert_true((a & 0xff) != 0 && (a & 0xff) != 255);
        if (!firsts[a >> 24]++)
            distinct_first++;
    }
    assert_true(distinct_first > 150); /* spread over the whole public space */

    assert_false(pgcdc_gen_ipv4_is_public(0x0a000001)); /* 10.0.0.1 */
    assert_false(pgcdc_gen_ipv4_is_public(0x7f000001)); /* 127.0.0.1 */
    assert_false(pgcdc_gen_ipv4_is_public(0xc0a80101)); /* 192.168.1.1 */
    assert_false(pgcdc_gen_ipv4_is_public(0xac1f0001)); /* 172.31.0.1 */
    assert_true(pgcdc_gen_ipv4_is_public(0xac200001));  /* 172.32.0.1 */
    assert_false(pgcdc_gen_ipv4_is_public(0xe0000001)); /* 224.0.0.1 */
    assert_false(pgcdc_gen_ipv4_is_public(0xffffffff)); /* broadcast */
    assert_true(pgcdc_gen_ipv4_is_public(0x08080808));  /* 8.8.8.8 */
    pgcdc_gen_ipv4_format(0x08080808, s);
    assert_string_equal(s, "8.8.8.8");
}

static void test_amount_range_and_scale(void **state)
{
    pgcdc_gen_rng_t rng;
    char s[PGCDC_GEN_AMOUNT_MAX];
    int i, low_half = 0;

    (void)state;
    pgcdc_gen_rng_seed(&rng, 3);
    for (i = 0; i < DRAWS; i++) {
        int64_t c = pgcdc_gen_amount_cents(&rng);
        char *dot, *end;
        double v;

        assert_true(c >= 1000 && c <= 100000);
        pgcdc_gen_amount_format(c, s);
        dot = strchr(s, '.');
        assert_non_null(dot);
        assert_int_equal(strlen(dot + 1), 2); /* exactly two decimals */
        v = strtod(s, &end);
        assert_int_equal(*end, '\0');
        assert_true(v >= 10.0 && v <= 1000.0);
        if (v < 505.0)
            low_half++;
    }
    /* Uniform: about half below the midpoint. */
    assert_true(low_half > DRAWS * 45 / 100 && low_half < DRAWS * 55 / 100);
    pgcdc_gen_amount_format(1000, s);
    assert_string_equal(s, "10.00");
    pgcdc_gen_amount_format(100000, s);
    assert_string_equal(s, "1000.00");
    pgcdc_gen_amount_format(12305, s);
    assert_string_equal(s, "123.05");
}

static void test_value_sets_and_voucher_ratio(void **state)
{
    pgcdc_gen_rng_t rng;
    int i, usd = 0, gbp = 0, pay[3] = {0, 0, 0}, empty = 0, discount = 0;
    double ratio;

    (void)state;
    pgcdc_gen_rng_seed(&rng, 4);
    for (i = 0; i < DRAWS; i++) {
        const char *c = pgcdc_gen_currency(&rng);
        const char *p = pgcdc_gen_payment_method(&rng);
        const char *v = pgcdc_gen_voucher(&rng);

        if (!strcmp(c, "USD"))
            usd++;
        else if (!strcmp(c, "GBP"))
            gbp++;
        else
            fail_msg("unexpected currency '%s'", c);
        if (!strcmp(p, "credit_card"))
            pay[0]++;
        else if (!strcmp(p, "debit_card"))
            pay[1]++;
        else if (!strcmp(p, "online_transfer"))
            pay[2]++;
        else
            fail_msg("unexpected payment method '%s'", p);
        if (!strcmp(v, ""))
            empty++;
        else if (!strcmp(v, "DISCOUNT10"))
            discount++;
        else
            fail_msg("unexpected voucher '%s'", v);
    }
    assert_true(usd > DRAWS * 45 / 100 && gbp > DRAWS * 45 / 100);
    for (i = 0; i < 3; i++)
        assert_true(pay[i] > DRAWS * 30 / 100);
    ratio = (double)empty / (double)discount;
    assert_true(ratio > 1.85 && ratio < 2.15);
}

static void check_list(const pgcdc_words_t *w)
{
    size_t i, j;

    assert_true(w->count >= 200);
    for (i = 0; i < w->count; i++) {
        assert_true(strlen(w->items[i]) > 0);
        assert_null(strpbrk(w->items[i], "\t\n\r\\"));
        for (j = i + 1; j < w->count; j++)
            assert_string_not_equal(w->items[i], w->items[j]);
    }
}

static void test_word_lists(void **state)
{
    pgcdc_gen_rng_t rng;
    char name[PGCDC_GEN_USERNAME_MAX];
    int i;

    (void)state;
    check_list(&pgcdc_words_cities);
    check_list(&pgcdc_words_countries);
    check_list(&pgcdc_words_merchants);
    check_list(&pgcdc_words_first_names);
    check_list(&pgcdc_words_last_names);
    pgcdc_gen_rng_seed(&rng, 5);
    for (i = 0; i < DRAWS; i++) {
        size_t n = pgcdc_gen_username(&rng, name), k;

        assert_int_equal(n, strlen(name));
        assert_true(n >= 3 && n < PGCDC_GEN_USERNAME_MAX);
        for (k = 0; k < n; k++)
            assert_true(islower((unsigned char)name[k]) || isdigit((unsigned char)name[k]) ||
                        name[k] == '.' || name[k] == '_');
    }
}

static void fill_row(uint64_t seed, int rows, pgcdc_buf_t *out)
{
    pgcdc_gen_rng_t rng;
    pgcdc_gen_txn_t txn;
    int i;

    pgcdc_gen_rng_seed(&rng, seed);
    for (i = 0; i < rows; i++) {
        pgcdc_gen_txn(&rng, &txn);
        pgcdc_gen_txn_copy_line(&txn, "2024-01-01 00:00:00.000000", out);
    }
}

static void test_determinism(void **state)
{
    pgcdc_buf_t a = PGCDC_BUF_INIT, b = PGCDC_BUF_INIT, c = PGCDC_BUF_INIT;
    pgcdc_gen_rng_t r1, r2;
    size_t tabs = 0, lines = 0, i;

    (void)state;
    fill_row(42, 500, &a);
    fill_row(42, 500, &b);
    fill_row(43, 500, &c);
    assert_int_equal(a.len, b.len);
    assert_memory_equal(a.data, b.data, a.len);
    assert_true(a.len != c.len || memcmp(a.data, c.data, a.len) != 0);
    for (i = 0; i < a.len; i++) {
        tabs += a.data[i] == '\t';
        lines += a.data[i] == '\n';
    }
    assert_int_equal(lines, 500);
    assert_int_equal(tabs, 500 * 11); /* twelve columns per line */

    pgcdc_gen_rng_seed(&r1, 0);
    pgcdc_gen_rng_seed(&r2, 1);
    assert_true(pgcdc_gen_rng_next(&r1) != pgcdc_gen_rng_next(&r2));
    pgcdc_buf_free(&a);
    pgcdc_buf_free(&b);
    pgcdc_buf_free(&c);
}

static void test_timestamp_format(void **state)
{
    char s[PGCDC_GEN_TIMESTAMP_MAX];

    (void)state;
    assert_int_equal(pgcdc_gen_timestamp_format(0, s), 26);
    assert_string_equal(s, "1970-01-01 00:00:00.000000");
    pgcdc_gen_timestamp_format(1704067199123456LL, s);
    assert_string_equal(s, "2023-12-31 23:59:59.123456");
}

static void test_mix_parse(void **state)
{
    char errstr[PGCDC_ERRSTR_SIZE];
    pgcdc_gen_mix_t mix;
    pgcdc_gen_rng_t rng;
    int counts[PGCDC_GEN_OP_COUNT] = {0, 0, 0}, i;

    (void)state;
    assert_int_equal(
        pgcdc_gen_mix_parse("insert=60,update=30,delete=10", &mix, errstr, sizeof(errstr)),
        PGCDC_OK);
    assert_int_equal(mix.weight[PGCDC_GEN_OP_INSERT], 60);
    assert_int_equal(mix.weight[PGCDC_GEN_OP_UPDATE], 30);
    assert_int_equal(mix.weight[PGCDC_GEN_OP_DELETE], 10);
    assert_int_equal(mix.total, 100);
    pgcdc_gen_rng_seed(&rng, 6);
    for (i = 0; i < DRAWS; i++)
        counts[pgcdc_gen_mix_pick(&mix, &rng)]++;
    assert_true(counts[0] > DRAWS * 57 / 100 && counts[0] < DRAWS * 63 / 100);
    assert_true(counts[2] > DRAWS * 8 / 100 && counts[2] < DRAWS * 12 / 100);

    assert_int_equal(pgcdc_gen_mix_parse("delete=1", &mix, errstr, sizeof(errstr)), PGCDC_OK);
    assert_int_equal(mix.total, 1);
    assert_int_equal(pgcdc_gen_mix_pick(&mix, &rng), PGCDC_GEN_OP_DELETE);

    assert_int_equal(pgcdc_gen_mix_parse("insert=x", &mix, errstr, sizeof(errstr)),
                     PGCDC_ERR_USAGE);
    assert_non_null(strstr(errstr, "invalid --mix 'insert=x'"));
    assert_non_null(strstr(errstr, "'insert'"));
    assert_int_equal(pgcdc_gen_mix_parse("upsert=1", &mix, errstr, sizeof(errstr)),
                     PGCDC_ERR_USAGE);
    assert_non_null(strstr(errstr, "'upsert'"));
    assert_int_equal(pgcdc_gen_mix_parse("insert=0,update=0", &mix, errstr, sizeof(errstr)),
                     PGCDC_ERR_USAGE);
    assert_int_equal(pgcdc_gen_mix_parse("insert=1,", &mix, errstr, sizeof(errstr)),
                     PGCDC_ERR_USAGE);
    assert_int_equal(pgcdc_gen_mix_parse("insert=1,insert=2", &mix, errstr, sizeof(errstr)),
                     PGCDC_ERR_USAGE);
    assert_int_equal(pgcdc_gen_mix_parse("insert", &mix, errstr, sizeof(errstr)), PGCDC_ERR_USAGE);
    assert_int_equal(pgcdc_gen_mix_parse("insert=-1", &mix, errstr, sizeof(errstr)),
                     PGCDC_ERR_USAGE);
    assert_int_equal(pgcdc_gen_mix_parse("", &mix, errstr, sizeof(errstr)), PGCDC_ERR_USAGE);
}

static void test_keypool(void **state)
{
    pgcdc_gen_keypool_t pool;
    pgcdc_gen_rng_t rng;
    char key[PGCDC_GEN_UUID_LEN + 1], longkey[100];
    int i;

    (void)state;
    pgcdc_gen_rng_seed(&rng, 7);
    pgcdc_gen_keypool_init(&pool, 5000);
    for (i = 0; i < 3000; i++) {
        pgcdc_gen_uuid4(&rng, key);
        assert_true(pgcdc_gen_keypool_add(&pool, key, &rng));
    }
    assert_int_equal(pool.len, 3000);
    assert_string_equal(pool.keys[2999], key);
    for (i = 0; i < 4000; i++) {
        pgcdc_gen_uuid4(&rng, key);
        pgcdc_gen_keypool_add(&pool, key, &rng);
    }
    assert_int_equal(pool.len, 5000); /* capped */
    pgcdc_gen_keypool_remove(&pool, 0);
    assert_int_equal(pool.len, 4999);
    while (pool.len > 0)
        pgcdc_gen_keypool_remove(&pool, pgcdc_gen_keypool_pick(&pool, &rng));
    memset(longkey, 'k', sizeof(longkey) - 1);
    longkey[sizeof(longkey) - 1] = '\0';
    assert_false(pgcdc_gen_keypool_add(&pool, longkey, &rng));
    assert_int_equal(pool.len, 0);
    pgcdc_gen_keypool_free(&pool);
    pgcdc_gen_keypool_free(NULL);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_uuid4_shape),
        cmocka_unit_test(test_ipv4_public),
        cmocka_unit_test(test_amount_range_and_scale),
        cmocka_unit_test(test_value_sets_and_voucher_ratio),
        cmocka_unit_test(test_word_lists),
        cmocka_unit_test(test_determinism),
        cmocka_unit_test(test_timestamp_format),
        cmocka_unit_test(test_mix_parse),
        cmocka_unit_test(test_keypool),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
