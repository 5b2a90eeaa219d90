/* Drives the pgoutput fuzz target without libFuzzer: the captured corpus and writer-built
 * samples, then deterministic random mutations of them (bit flips, interesting values,
 * truncations, splices, insertions, deletions). Each input is handed over in an exactly sized
 * heap block, so AddressSanitizer and valgrind flag any read past its end; the target itself
 * aborts on a view outside the input. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "pgoutput_writer.h"
#include "testutil.h"

#include "../fuzz/fuzz_pgoutput.c"

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define FUZZ_ITERATIONS 200000
#define FUZZ_MAX_INPUT  (16 * 1024)
#define MAX_SEEDS       128

typedef struct seed {
    uint8_t *data;
    size_t len;
} seed_t;

static seed_t seeds[MAX_SEEDS];
static size_t nseeds;
static uint64_t rng_state = UINT64_C(0x9E3779B97F4A7C15);

static uint64_t rng_next(void)
{
    /* xorshift64*: fixed seed, so every run mutates identically and failures reproduce. */
    rng_state ^= rng_state >> 12;
    rng_state ^= rng_state << 25;
    rng_state ^= rng_state >> 27;
    return rng_state * UINT64_C(2685821657736338717);
}

static size_t rng_below(size_t n)
{
    return n ? (size_t)(rng_next() % n) : 0;
}

static void add_seed(const void *data, size_t len)
{
    assert_true(nseeds < MAX_SEEDS);
    assert_true(len <= FUZZ_MAX_INPUT);
    seeds[nseeds].data = malloc(len ? len : 1);
    assert_non_null(seeds[nseeds].data);
    memcpy(seeds[nseeds].data, data, len);
    seeds[nseeds].len = len;
    nseeds++;
}

static void add_corpus_seeds(void)
{
    char path[4096];
    char relpath[512];
    struct dirent *de;
    DIR *d;

    snprintf(path, sizeof(path), "%s/tests/data/pgoutput", pgcdc_test_env("PGCDC_SOURCE_DIR"));
    d = opendir(path);
    if (!d)
        fail_msg("cannot open %s", path);
    while ((de = readdir(d))) {
        size_t n = strlen(de->d_name), len;
        char *data;

        if (n < 5 || strcmp(de->d_name + n - 4, ".bin") != 0)
            continue;
        snprintf(relpath, sizeof(relpath), "tests/data/pgoutput/%s", de->d_name);
        data = pgcdc_test_read_source_file(relpath, &len);
        add_seed(data, len);
        free(data);
    }
    closedir(d);
}

/* Shapes the capture cannot produce: origins, key tuples, binary values, streamed messages,
 * several truncated relations, the protocol 4 abort. */
static void add_writer_seeds(void)
{
    static const pgcdc_pgoutput_column_t cols[] = {{1, "k", 23, -1}, {0, "v", 17, -1}};
    pgcdc_pgoutput_value_t vals[] = {{'t', 1, "7"}, {'b', 3, "\x00\x01\x02"}};
    pgcdc_pgoutput_tuple_t t = {2, vals};
    const uint32_t relids[] = {1, 2, 3};
    pgcdc_buf_t b = PGCDC_BUF_INIT;

#define SEED(call)                                                                                 \
    do {                                                                                           \
        pgcdc_buf_reset(&b);                                                                       \
        call;                                                                                      \
        add_seed(b.data, b.len);                                                                   \
    } while (0)

    SEED(pgcdc_pgoutput_write_origin(&b, 5, "node1"));
    SEED(pgcdc_pgoutput_write_relation(&b, 0, 9, "s", "t", 'd', 2, cols));
    SEED(pgcdc_pgoutput_write_relation(&b, 77, 9, "", "t", 'i', 2, cols));
    SEED(pgcdc_pgoutput_write_type(&b, 77, 5000, "s", "ty"));
    SEED(pgcdc_pgoutput_write_insert(&b, 77, 9, &t));
    SEED(pgcdc_pgoutput_write_update(&b, 0, 9, 'K', &t, &t));
    SEED(pgcdc_pgoutput_write_update(&b, 77, 9, 0, NULL, &t));
    SEED(pgcdc_pgoutput_write_delete(&b, 0, 9, 'K', &t));
    SEED(pgcdc_pgoutput_write_truncate(&b, 77, 3, relids, 1));
    SEED(pgcdc_pgoutput_write_message(&b, 77, 1, 9, "pfx", "body", 4));
    SEED(pgcdc_pgoutput_write_stream_abort(&b, 77, 78, 0, 0, 0));
    SEED(pgcdc_pgoutput_write_stream_abort(&b, 77, 77, 1, 123, 456));
#undef SEED
    pgcdc_buf_free(&b);
}

static const uint32_t interesting[] = {0,          1,          2,          4,          0x7f,
                                       0x80,       0xff,       0x100,      0x680,      0x681,
                                       0x7fff,     0x8000,     0xffff,     0x10000,    0x7fffffff,
                                       0x80000000, 0xfffffffe, 0xffffffff, 0x40000000, 0x3fffffff};
static const char kinds[] = "BCORYIUDTMSEcAbPKrpX";

/* Applies one random mutation to buf (len bytes, room for FUZZ_MAX_INPUT); returns the new
 * length. */
static size_t mutate(uint8_t *buf, size_t len)
{
    size_t pos = rng_below(len), n, m;
    uint32_t v;
    const seed_t *other;

    switch (rng_below(8)) {
    case 0: /* flip one bit */
        if (len)
            buf[pos] ^= (uint8_t)(1u << rng_below(8));
        return len;
    case 1: /* one byte to an interesting value */
        if (len)
            buf[pos] = (uint8_t)interesting[rng_below(sizeof(interesting) / sizeof(*interesting))];
        return len;
    case 2: /* truncate */
        return rng_below(len + 1);
    case 3: /* splice: our prefix, another seed's suffix */
        other = &seeds[rng_below(nseeds)];
        n = rng_below(other->len + 1);
        if (pos + (other->len - n) > FUZZ_MAX_INPUT)
            return len;
        memcpy(buf + pos, other->data + n, other->len - n);
        return pos + (other->len - n);
    case 4: /* a big-endian 16- or 32-bit field to an interesting value (counts, lengths) */
        v = interesting[rng_below(sizeof(interesting) / sizeof(*interesting))];
        if (rng_below(4) == 0)
            v = (uint32_t)(len - pos) + (uint32_t)rng_below(9) - 4;
        if (rng_below(2) && pos + 2 <= len) {
            buf[pos] = (uint8_t)(v >> 8);
            buf[pos + 1] = (uint8_t)v;
        } else if (pos + 4 <= len) {
            buf[pos] = (uint8_t)(v >> 24);
            buf[pos + 1] = (uint8_t)(v >> 16);
            buf[pos + 2] = (uint8_t)(v >> 8);
            buf[pos + 3] = (uint8_t)v;
        }
        return len;
    case 5: /* insert random bytes */
        n = 1 + rng_below(8);
        if (len + n > FUZZ_MAX_INPUT)
            return len;
        memmove(buf + pos + n, buf + pos, len - pos);
        for (m = 0; m < n; m++)
            buf[pos + m] = (uint8_t)rng_next();
        return len + n;
    case 6: /* delete a range */
        n = rng_below(len - pos + 1);
        memmove(buf + pos, buf + pos + n, len - pos - n);
        return len - n;
    default: /* another kind byte on the same body */
        if (len)
            buf[0] = (uint8_t)kinds[rng_below(sizeof(kinds) - 1)];
        return len;
    }
}

static void run_one(const uint8_t *data, size_t len)
{
    uint8_t *exact = malloc(len ? len : 1);

    assert_non_null(exact);
    memcpy(exact, data, len);
    LLVMFuzzerTestOneInput(exact, len);
    free(exact);
}

static void test_fuzz_mutations(void **state)
{
    static uint8_t work[FUZZ_MAX_INPUT];
    size_t i;
    long iterations = FUZZ_ITERATIONS;
    const char *env = getenv("PGCDC_FUZZ_ITERATIONS");

    (void)state;
    if (env && *env)
        iterations = atol(env);
    add_corpus_seeds();
    add_writer_seeds();
    assert_true(nseeds >= 48);

    for (i = 0; i < nseeds; i++)
        run_one(seeds[i].data, seeds[i].len);
    /* Every seed decodes under at least one version/stream combination. */
    assert_true(fuzz_pgoutput_ok >= nseeds);

    for (i = 0; i < (size_t)iterations; i++) {
        const seed_t *s = &seeds[rng_below(nseeds)];
        size_t len = s->len;
        size_t nmut = 1 + rng_below(4), m;

        memcpy(work, s->data, len);
        for (m = 0; m < nmut; m++)
            len = mutate(work, len);
        run_one(work, len);
    }
    print_message("pgoutput fuzz: %ld mutations, %lu decodes ok, %lu rejected\n", iterations,
                  fuzz_pgoutput_ok, fuzz_pgoutput_failed);
    /* Mutations must exercise both outcomes, or this test would prove nothing. */
    assert_true(fuzz_pgoutput_ok > (unsigned long)nseeds * 2);
    assert_true(fuzz_pgoutput_failed > (unsigned long)iterations);
    for (i = 0; i < nseeds; i++)
        free(seeds[i].data);
    nseeds = 0;
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_fuzz_mutations),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
