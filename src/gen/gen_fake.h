/*
 * gen_fake.h - pure fake-data functions of the transaction generator.
 *
 * Everything here is deterministic given the state of a pgcdc_gen_rng_t (xoshiro256**, seeded
 * through splitmix64), does no I/O and allocates nothing except through a caller's pgcdc_buf_t.
 * Strings returned as `const char *` point into static data and are never freed; the fixed-size
 * `out` arrays are the caller's.
 */
#ifndef PGCDC_GEN_FAKE_H
#define PGCDC_GEN_FAKE_H

#include "buf.h"
#include "err.h"
#include "gen_words.h"

#include <stddef.h>
#include <stdint.h>

typedef struct pgcdc_gen_rng {
    uint64_t s[4];
} pgcdc_gen_rng_t;

/* Any seed (0 included) gives a valid, distinct stream. */
void pgcdc_gen_rng_seed(pgcdc_gen_rng_t *rng, uint64_t seed);
uint64_t pgcdc_gen_rng_next(pgcdc_gen_rng_t *rng);
/* Uniform in [0, n), without modulo bias; n must be > 0. */
uint64_t pgcdc_gen_rng_below(pgcdc_gen_rng_t *rng, uint64_t n);

#define PGCDC_GEN_UUID_LEN      36
#define PGCDC_GEN_IPV4_MAX      16 /* "255.255.255.255" + NUL */
#define PGCDC_GEN_AMOUNT_MAX    24
#define PGCDC_GEN_USERNAME_MAX  48
#define PGCDC_GEN_TIMESTAMP_MAX 32

/* Smallest and largest amount in cents: 10.00 and 1000.00. */
#define PGCDC_GEN_AMOUNT_MIN_CENTS 1000
#define PGCDC_GEN_AMOUNT_MAX_CENTS 100000

/* Random UUID version 4 in its 36-character lower-case text form, NUL-terminated. */
void pgcdc_gen_uuid4(pgcdc_gen_rng_t *rng, char out[PGCDC_GEN_UUID_LEN + 1]);

/* A random public unicast IPv4 address (host byte order); host parts .0 and .255 avoided. */
uint32_t pgcdc_gen_ipv4(pgcdc_gen_rng_t *rng);
/* 1 when addr (host byte order) lies outside every private, loopback, link-local, shared,
 * documentation, benchmarking, multicast and reserved range. */
int pgcdc_gen_ipv4_is_public(uint32_t addr);
/* Dotted quad of addr; returns its length. */
size_t pgcdc_gen_ipv4_format(uint32_t addr, char out[PGCDC_GEN_IPV4_MAX]);

/* Uniform in [PGCDC_GEN_AMOUNT_MIN_CENTS, PGCDC_GEN_AMOUNT_MAX_CENTS]. */
int64_t pgcdc_gen_amount_cents(pgcdc_gen_rng_t *rng);
/* "123.45"; returns its length. */
size_t pgcdc_gen_amount_format(int64_t cents, char out[PGCDC_GEN_AMOUNT_MAX]);

/* "USD" or "GBP". */
const char *pgcdc_gen_currency(pgcdc_gen_rng_t *rng);
/* "credit_card", "debit_card" or "online_transfer". */
const char *pgcdc_gen_payment_method(pgcdc_gen_rng_t *rng);
/* "" two times out of three, "DISCOUNT10" otherwise. */
const char *pgcdc_gen_voucher(pgcdc_gen_rng_t *rng);
/* A uniformly chosen entry of a word list. */
const char *pgcdc_gen_pick(pgcdc_gen_rng_t *rng, const pgcdc_words_t *words);
/* A plausible lower-case user name ("mary.smith", "jgarcia", "david_lee84", ...); returns its
 * length. */
size_t pgcdc_gen_username(pgcdc_gen_rng_t *rng, char out[PGCDC_GEN_USERNAME_MAX]);
/* "YYYY-MM-DD HH:MM:SS.ffffff" (UTC) of a time in microseconds since the Unix epoch; returns
 * its length. */
size_t pgcdc_gen_timestamp_format(int64_t usec, char out[PGCDC_GEN_TIMESTAMP_MAX]);

/* One fake transaction, all columns but the timestamp (which is the wall clock's, not the
 * seed's). */
typedef struct pgcdc_gen_txn {
    char transaction_id[PGCDC_GEN_UUID_LEN + 1];
    char user_id[PGCDC_GEN_USERNAME_MAX];
    char amount[PGCDC_GEN_AMOUNT_MAX];
    const char *currency;
    const char *city;
    const char *country;
    const char *merchant_name;
    const char *payment_method;
    char ip_address[PGCDC_GEN_IPV4_MAX];
    const char *voucher_code;
    char affiliate_id[PGCDC_GEN_UUID_LEN + 1];
} pgcdc_gen_txn_t;

void pgcdc_gen_txn(pgcdc_gen_rng_t *rng, pgcdc_gen_txn_t *txn);
/* Appends txn as one line of COPY text format, columns in table order (transaction_id, user_id,
 * timestamp, amount, currency, city, country, merchant_name, payment_method, ip_address,
 * voucher_code, affiliateid). No value needs escaping: the generator never produces a tab,
 * newline or backslash. */
void pgcdc_gen_txn_copy_line(const pgcdc_gen_txn_t *txn, const char *timestamp, pgcdc_buf_t *out);

/* The change mix: relative weights of inserts, updates and deletes. */
typedef enum pgcdc_gen_op {
    PGCDC_GEN_OP_INSERT = 0,
    PGCDC_GEN_OP_UPDATE,
    PGCDC_GEN_OP_DELETE,
} pgcdc_gen_op_t;

#define PGCDC_GEN_OP_COUNT 3

typedef struct pgcdc_gen_mix {
    unsigned weight[PGCDC_GEN_OP_COUNT];
    unsigned total;
} pgcdc_gen_mix_t;

/* Parses "insert=60,update=30,delete=10" (any subset, any order, non-negative integer weights
 * with a positive sum). On error the line names the offending part, e.g.
 * "invalid --mix 'insert=x': weight of 'insert' is not a non-negative integer". */
pgcdc_err_t pgcdc_gen_mix_parse(const char *spec, pgcdc_gen_mix_t *mix, char *errstr,
                                size_t errstr_size);
pgcdc_gen_op_t pgcdc_gen_mix_pick(const pgcdc_gen_mix_t *mix, pgcdc_gen_rng_t *rng);

/* A bounded pool of primary keys known to exist, the targets of updates and deletes. Keys are
 * stored inline in one array (no allocation per key); the pool owns that array. Keys of
 * PGCDC_GEN_KEY_MAX bytes or more are not kept. */
#define PGCDC_GEN_KEY_MAX 64

typedef struct pgcdc_gen_keypool {
    char (*keys)[PGCDC_GEN_KEY_MAX];
    size_t len;   /* keys held */
    size_t alloc; /* slots allocated */
    size_t cap;   /* most keys ever held */
} pgcdc_gen_keypool_t;

void pgcdc_gen_keypool_init(pgcdc_gen_keypool_t *pool, size_t cap);
/* Releases the keys; pool may be NULL. */
void pgcdc_gen_keypool_free(pgcdc_gen_keypool_t *pool);
/* Adds a copy of key (a random old key makes room when full); returns 0 when key is too long. */
int pgcdc_gen_keypool_add(pgcdc_gen_keypool_t *pool, const char *key, pgcdc_gen_rng_t *rng);
/* Index of a random key; the pool must not be empty. */
size_t pgcdc_gen_keypool_pick(const pgcdc_gen_keypool_t *pool, pgcdc_gen_rng_t *rng);
/* Forgets the key at idx (its row was deleted or is gone). */
void pgcdc_gen_keypool_remove(pgcdc_gen_keypool_t *pool, size_t idx);

#endif
