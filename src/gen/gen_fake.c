/* gen_fake.c - see gen_fake.h. */
#include "gen_fake.h"
#include "hex.h"
#include "mem.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* --- PRNG ------------------------------------------------------------------------------------ */

static uint64_t gen_splitmix64(uint64_t *x)
{
    uint64_t z = (*x += 0x9e3779b97f4a7c15ULL);

    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
}

static inline uint64_t gen_rotl(uint64_t x, int k)
{
    return (x << k) | (x >> (64 - k));
}

void pgcdc_gen_rng_seed(pgcdc_gen_rng_t *rng, uint64_t seed)
{
    int i;

    /* splitmix64 spreads any seed, 0 included, into a state that is never all zero. */
    for (i = 0; i < 4; i++)
        rng->s[i] = gen_splitmix64(&seed);
}

uint64_t pgcdc_gen_rng_next(pgcdc_gen_rng_t *rng)
{
    uint64_t *s = rng->s;
    uint64_t result = gen_rotl(s[1] * 5, 7) * 9;
    uint64_t t = s[1] << 17;

    s[2] ^= s[0];
    s[3] ^= s[1];
    s[1] ^= s[2];
    s[0] ^= s[3];
    s[2] ^= t;
    s[3] = gen_rotl(s[3], 45);
    return result;
}

uint64_t pgcdc_gen_rng_below(pgcdc_gen_rng_t *rng, uint64_t n)
{
    /* Rejection of the top partial block keeps every value equally likely. */
    uint64_t limit = UINT64_MAX - UINT64_MAX % n;
    uint64_t x;

    do
        x = pgcdc_gen_rng_next(rng);
    while (x >= limit);
    return x % n;
}

/* --- values ---------------------------------------------------------------------------------- */

void pgcdc_gen_uuid4(pgcdc_gen_rng_t *rng, char out[PGCDC_GEN_UUID_LEN + 1])
{
    unsigned char b[16];
    uint64_t hi = pgcdc_gen_rng_next(rng), lo = pgcdc_gen_rng_next(rng);
    int i, o = 0;

    for (i = 0; i < 8; i++) {
        b[i] = (unsigned char)(hi >> (56 - 8 * i));
        b[8 + i] = (unsigned char)(lo >> (56 - 8 * i));
    }
    b[6] = (unsigned char)((b[6] & 0x0f) | 0x40); /* version 4 */
    b[8] = (unsigned char)((b[8] & 0x3f) | 0x80); /* variant 10xx (RFC 4122) */
    for (i = 0; i < 16; i++) {
        if (i == 4 || i == 6 || i == 8 || i == 10)
            out[o++] = '-';
        out[o++] = PGCDC_HEX_LOWER[b[i] >> 4];
        out[o++] = PGCDC_HEX_LOWER[b[i] & 0x0f];
    }
    out[o] = '\0';
}

typedef struct gen_net {
    uint32_t addr;
    int prefix;
} gen_net_t;

#define GEN_IP(a, b, c, d) (((uint32_t)(a) << 24) | ((uint32_t)(b) << 16) | ((c) << 8) | (d))

/* IANA special-purpose ranges (RFC 6890 and successors) that must not look like a customer. */
static const gen_net_t gen_special_nets[] = {
    {GEN_IP(0, 0, 0, 0), 8},      {GEN_IP(10, 0, 0, 0), 8},     {GEN_IP(100, 64, 0, 0), 10},
    {GEN_IP(127, 0, 0, 0), 8},    {GEN_IP(169, 254, 0, 0), 16}, {GEN_IP(172, 16, 0, 0), 12},
    {GEN_IP(192, 0, 0, 0), 24},   {GEN_IP(192, 0, 2, 0), 24},   {GEN_IP(192, 88, 99, 0), 24},
    {GEN_IP(192, 168, 0, 0), 16}, {GEN_IP(198, 18, 0, 0), 15},  {GEN_IP(198, 51, 100, 0), 24},
    {GEN_IP(203, 0, 113, 0), 24}, {GEN_IP(224, 0, 0, 0), 4},    {GEN_IP(240, 0, 0, 0), 4},
};

int pgcdc_gen_ipv4_is_public(uint32_t addr)
{
    size_t i;

    for (i = 0; i < sizeof(gen_special_nets) / sizeof(gen_special_nets[0]); i++) {
        uint32_t mask = 0xffffffffu << (32 - gen_special_nets[i].prefix);

        if ((addr & mask) == gen_special_nets[i].addr)
            return 0;
    }
    return 1;
}

uint32_t pgcdc_gen_ipv4(pgcdc_gen_rng_t *rng)
{
    uint32_t a;

    /* About 86% of draws are accepted, so the loop is short. */
    do
        a = (uint32_t)(pgcdc_gen_rng_next(rng) >> 32);
    while (!pgcdc_gen_ipv4_is_public(a) || (a & 0xff) == 0 || (a & 0xff) == 0xff);
    return a;
}

static size_t gen_put_uint(char *out, uint64_t v)
{
    char tmp[24];
    size_t n = 0, i;

    do {
        tmp[n++] = (char)('0' + v % 10);
        v /= 10;
    } while (v);
    for (i = 0; i < n; i++)
        out[i] = tmp[n - 1 - i];
    return n;
}

size_t pgcdc_gen_ipv4_format(uint32_t addr, char out[PGCDC_GEN_IPV4_MAX])
{
    size_t n = 0;
    int i;

    for (i = 3; i >= 0; i--) {
        n += gen_put_uint(out + n, (addr >> (8 * i)) & 0xff);
        if (i)
            out[n++] = '.';
    }
    out[n] = '\0';
    return n;
}

int64_t pgcdc_gen_amount_cents(pgcdc_gen_rng_t *rng)
{
    return PGCDC_GEN_AMOUNT_MIN_CENTS +
           (int64_t)pgcdc_gen_rng_below(rng, PGCDC_GEN_AMOUNT_MAX_CENTS -
                                                 PGCDC_GEN_AMOUNT_MIN_CENTS + 1);
}

size_t pgcdc_gen_amount_format(int64_t cents, char out[PGCDC_GEN_AMOUNT_MAX])
{
    size_t n = 0;
    uint64_t c;

    if (cents < 0) {
        out[n++] = '-';
        c = (uint64_t)0 - (uint64_t)cents;
    } else {
        c = (uint64_t)cents;
    }
    n += gen_put_uint(out + n, c / 100);
    out[n++] = '.';
    out[n++] = (char)('0' + (c % 100) / 10);
    out[n++] = (char)('0' + c % 10);
    out[n] = '\0';
    return n;
}

const char *pgcdc_gen_currency(pgcdc_gen_rng_t *rng)
{
    return pgcdc_gen_rng_below(rng, 2) ? "GBP" : "USD";
}

const char *pgcdc_gen_payment_method(pgcdc_gen_rng_t *rng)
{
    static const char *const methods[] = {"credit_card", "debit_card", "online_transfer"};

    return methods[pgcdc_gen_rng_below(rng, 3)];
}

const char *pgcdc_gen_voucher(pgcdc_gen_rng_t *rng)
{
    return pgcdc_gen_rng_below(rng, 3) == 0 ? "DISCOUNT10" : "";
}

const char *pgcdc_gen_pick(pgcdc_gen_rng_t *rng, const pgcdc_words_t *words)
{
    return words->items[pgcdc_gen_rng_below(rng, words->count)];
}

static size_t gen_put_str(char *out, size_t n, const char *s)
{
    size_t len = strlen(s);

    memcpy(out + n, s, len);
    return n + len;
}

size_t pgcdc_gen_username(pgcdc_gen_rng_t *rng, char out[PGCDC_GEN_USERNAME_MAX])
{
    const char *first = pgcdc_gen_pick(rng, &pgcdc_words_first_names);
    const char *last = pgcdc_gen_pick(rng, &pgcdc_words_last_names);
    size_t n = 0;

    /* Word lists hold names of at most 12 letters, so no pattern exceeds 12+1+12+4 bytes. */
    switch (pgcdc_gen_rng_below(rng, 7)) {
    case 0: /* mary.smith */
        n = gen_put_str(out, n, first);
        out[n++] = '.';
        n = gen_put_str(out, n, last);
        break;
    case 1: /* marysmith42 */
        n = gen_put_str(out, n, first);
        n = gen_put_str(out, n, last);
        n += gen_put_uint(out + n, 10 + pgcdc_gen_rng_below(rng, 90));
        break;
    case 2: /* msmith */
        out[n++] = first[0];
        n = gen_put_str(out, n, last);
        break;
    case 3: /* mary_smith */
        n = gen_put_str(out, n, first);
        out[n++] = '_';
        n = gen_put_str(out, n, last);
        break;
    case 4: /* mary1987 */
        n = gen_put_str(out, n, first);
        n += gen_put_uint(out + n, 1950 + pgcdc_gen_rng_below(rng, 56));
        break;
    case 5: /* smith.mary */
        n = gen_put_str(out, n, last);
        out[n++] = '.';
        n = gen_put_str(out, n, first);
        break;
    default: /* marys7 */
        n = gen_put_str(out, n, first);
        out[n++] = last[0];
        n += gen_put_uint(out + n, pgcdc_gen_rng_below(rng, 1000));
        break;
    }
    out[n] = '\0';
    return n;
}

static size_t gen_put_2(char *out, size_t n, int v)
{
    out[n++] = (char)('0' + v / 10);
    out[n++] = (char)('0' + v % 10);
    return n;
}

size_t pgcdc_gen_timestamp_format(int64_t usec, char out[PGCDC_GEN_TIMESTAMP_MAX])
{
    time_t secs = (time_t)(usec / 1000000);
    long frac = (long)(usec % 1000000);
    struct tm tm;
    size_t n = 0;
    int i;

    if (frac < 0) {
        frac += 1000000;
        secs--;
    }
    gmtime_r(&secs, &tm);
    n += gen_put_uint(out, (uint64_t)(tm.tm_year + 1900));
    out[n++] = '-';
    n = gen_put_2(out, n, tm.tm_mon + 1);
    out[n++] = '-';
    n = gen_put_2(out, n, tm.tm_mday);
    out[n++] = ' ';
    n = gen_put_2(out, n, tm.tm_hour);
    out[n++] = ':';
    n = gen_put_2(out, n, tm.tm_min);
    out[n++] = ':';
    n = gen_put_2(out, n, tm.tm_sec);
    out[n++] = '.';
    for (i = 5; i >= 0; i--) {
        out[n + (size_t)i] = (char)('0' + frac % 10);
        frac /= 10;
    }
    n += 6;
    out[n] = '\0';
    return n;
}

/* --- rows ------------------------------------------------------------------------------------ */

void pgcdc_gen_txn(pgcdc_gen_rng_t *rng, pgcdc_gen_txn_t *txn)
{
    pgcdc_gen_uuid4(rng, txn->transaction_id);
    pgcdc_gen_username(rng, txn->user_id);
    pgcdc_gen_amount_format(pgcdc_gen_amount_cents(rng), txn->amount);
    txn->currency = pgcdc_gen_currency(rng);
    txn->city = pgcdc_gen_pick(rng, &pgcdc_words_cities);
    txn->country = pgcdc_gen_pick(rng, &pgcdc_words_countries);
    txn->merchant_name = pgcdc_gen_pick(rng, &pgcdc_words_merchants);
    txn->payment_method = pgcdc_gen_payment_method(rng);
    pgcdc_gen_ipv4_format(pgcdc_gen_ipv4(rng), txn->ip_address);
    txn->voucher_code = pgcdc_gen_voucher(rng);
    pgcdc_gen_uuid4(rng, txn->affiliate_id);
}

void pgcdc_gen_txn_copy_line(const pgcdc_gen_txn_t *txn, const char *timestamp, pgcdc_buf_t *out)
{
    const char *cols[12];
    size_t lens[12], total = 0, i;
    char *p;

    cols[0] = txn->transaction_id;
    cols[1] = txn->user_id;
    cols[2] = timestamp;
    cols[3] = txn->amount;
    cols[4] = txn->currency;
    cols[5] = txn->city;
    cols[6] = txn->country;
    cols[7] = txn->merchant_name;
    cols[8] = txn->payment_method;
    cols[9] = txn->ip_address;
    cols[10] = txn->voucher_code;
    cols[11] = txn->affiliate_id;
    for (i = 0; i < 12; i++) {
        lens[i] = strlen(cols[i]);
        total += lens[i] + 1;
    }
    /* One reservation per line, then plain copies: this is the bulk loader's inner loop. */
    pgcdc_buf_reserve(out, total);
    p = out->data + out->len;
    for (i = 0; i < 12; i++) {
        memcpy(p, cols[i], lens[i]);
        p += lens[i];
        *p++ = i == 11 ? '\n' : '\t';
    }
    out->len += total;
    out->data[out->len] = '\0';
}

/* --- change mix ------------------------------------------------------------------------------ */

static const char *const gen_op_names[PGCDC_GEN_OP_COUNT] = {"insert", "update", "delete"};

pgcdc_err_t pgcdc_gen_mix_parse(const char *spec, pgcdc_gen_mix_t *mix, char *errstr,
                                size_t errstr_size)
{
    const char *p = spec;
    int seen[PGCDC_GEN_OP_COUNT] = {0, 0, 0};
    unsigned long long total = 0;

    memset(mix, 0, sizeof(*mix));
    if (!*spec)
        return pgcdc_err_set(PGCDC_ERR_USAGE, errstr, errstr_size,
                             "invalid --mix '': expected insert=N,update=N,delete=N");
    while (*p) {
        const char *eq = strchr(p, '=');
        const char *end = strchr(p, ',');
        size_t klen;
        unsigned long v;
        char *vend = NULL;
        int op = -1, i;

        if (!end)
            end = p + strlen(p);
        if (!eq || eq > end)
            return pgcdc_err_set(PGCDC_ERR_USAGE, errstr, errstr_size,
                                 "invalid --mix '%s': '%.*s' is not of the form name=weight", spec,
                                 (int)(end - p), p);
        klen = (size_t)(eq - p);
        for (i = 0; i < PGCDC_GEN_OP_COUNT; i++)
            if (strlen(gen_op_names[i]) == klen && !strncmp(p, gen_op_names[i], klen))
                op = i;
        if (op < 0)
            return pgcdc_err_set(PGCDC_ERR_USAGE, errstr, errstr_size,
                                 "invalid --mix '%s': unknown operation '%.*s' (expected insert, "
                                 "update or delete)",
                                 spec, (int)klen, p);
        if (seen[op])
            return pgcdc_err_set(PGCDC_ERR_USAGE, errstr, errstr_size,
                                 "invalid --mix '%s': '%s' given twice", spec, gen_op_names[op]);
        seen[op] = 1;
        errno = 0;
        v = eq + 1 < end && eq[1] >= '0' && eq[1] <= '9' ? strtoul(eq + 1, &vend, 10) : 0;
        if (eq + 1 >= end || eq[1] < '0' || eq[1] > '9' || vend != end || errno || v > 1000000UL)
            return pgcdc_err_set(PGCDC_ERR_USAGE, errstr, errstr_size,
                                 "invalid --mix '%s': weight of '%s' is not a non-negative "
                                 "integer up to 1000000",
                                 spec, gen_op_names[op]);
        mix->weight[op] = (unsigned)v;
        total += v;
        p = *end ? end + 1 : end;
        if (*end && !*p)
            return pgcdc_err_set(PGCDC_ERR_USAGE, errstr, errstr_size,
                                 "invalid --mix '%s': trailing comma", spec);
    }
    if (total == 0)
        return pgcdc_err_set(PGCDC_ERR_USAGE, errstr, errstr_size,
                             "invalid --mix '%s': the weights add up to 0", spec);
    mix->total = (unsigned)total;
    return PGCDC_OK;
}

pgcdc_gen_op_t pgcdc_gen_mix_pick(const pgcdc_gen_mix_t *mix, pgcdc_gen_rng_t *rng)
{
    unsigned r = (unsigned)pgcdc_gen_rng_below(rng, mix->total);

    if (r < mix->weight[PGCDC_GEN_OP_INSERT])
        return PGCDC_GEN_OP_INSERT;
    if (r < mix->weight[PGCDC_GEN_OP_INSERT] + mix->weight[PGCDC_GEN_OP_UPDATE])
        return PGCDC_GEN_OP_UPDATE;
    return PGCDC_GEN_OP_DELETE;
}

/* --- key pool -------------------------------------------------------------------------------- */

void pgcdc_gen_keypool_init(pgcdc_gen_keypool_t *pool, size_t cap)
{
    pool->keys = NULL;
    pool->len = 0;
    pool->alloc = 0;
    pool->cap = cap ? cap : 1;
}

void pgcdc_gen_keypool_free(pgcdc_gen_keypool_t *pool)
{
    if (!pool)
        return;
    free(pool->keys);
    pool->keys = NULL;
    pool->len = pool->alloc = 0;
}

int pgcdc_gen_keypool_add(pgcdc_gen_keypool_t *pool, const char *key, pgcdc_gen_rng_t *rng)
{
    size_t len = strlen(key), slot;

    if (len >= PGCDC_GEN_KEY_MAX)
        return 0;
    if (pool->len < pool->cap) {
        if (pool->len == pool->alloc) {
            /* Grows in doubling steps so that a short run never pays for the full cap. */
            pool->alloc = pool->alloc ? pool->alloc * 2 : 1024;
            if (pool->alloc > pool->cap)
                pool->alloc = pool->cap;
            pool->keys = pgcdc_realloc(pool->keys, pool->alloc * sizeof(*pool->keys));
        }
        slot = pool->len++;
    } else {
        /* Full: a newcomer replaces a random key, so the pool stays a sample of the table. */
        slot = (size_t)pgcdc_gen_rng_below(rng, pool->len);
    }
    memcpy(pool->keys[slot], key, len + 1);
    return 1;
}

size_t pgcdc_gen_keypool_pick(const pgcdc_gen_keypool_t *pool, pgcdc_gen_rng_t *rng)
{
    return (size_t)pgcdc_gen_rng_below(rng, pool->len);
}

void pgcdc_gen_keypool_remove(pgcdc_gen_keypool_t *pool, size_t idx)
{
    /* Order does not matter: the last key fills the hole. */
    if (idx + 1 < pool->len)
        memcpy(pool->keys[idx], pool->keys[pool->len - 1], sizeof(pool->keys[idx]));
    pool->len--;
}
