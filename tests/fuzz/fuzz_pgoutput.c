/*
 * fuzz_pgoutput.c - libFuzzer target for the pgoutput decoder.
 *
 * Every input is decoded under each protocol version, outside and inside a streamed block.
 * A successful decode must only hand out views inside the input: each one is checked against
 * the input's bounds and read in full, so a bad view is a crash here rather than later.
 * Also compiled into tests/unit/test_pgoutput_fuzz.c, which drives it without libFuzzer.
 */
#include "pgoutput.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static pgcdc_pgoutput_msg_t fuzz_pgoutput_msg;
/* Decodes that succeeded and failed, so a driver can tell its inputs reached both paths. */
static unsigned long fuzz_pgoutput_ok, fuzz_pgoutput_failed;
/* Where the bytes read through the views go, so the reads cannot be optimized away. */
static volatile unsigned fuzz_pgoutput_sink;

/* Aborts unless [p, p + n) lies inside the input, then reads every byte of it. */
static unsigned fuzz_pgoutput_view(const uint8_t *data, size_t size, const void *p, size_t n)
{
    const uint8_t *v = p;
    unsigned sum = 0;
    size_t i;

    if (n == 0)
        return 0;
    if (!v || v < data || v > data + size || n > (size_t)(data + size - v))
        abort();
    for (i = 0; i < n; i++)
        sum += v[i];
    return sum;
}

static unsigned fuzz_pgoutput_str(const uint8_t *data, size_t size, const char *s)
{
    const uint8_t *end;

    if (!s || (const uint8_t *)s < data || (const uint8_t *)s >= data + size)
        abort();
    end = memchr(s, '\0', (size_t)(data + size - (const uint8_t *)s));
    if (!end)
        abort();
    return fuzz_pgoutput_view(data, size, s, (size_t)(end - (const uint8_t *)s) + 1);
}

static unsigned fuzz_pgoutput_tuple(const uint8_t *data, size_t size,
                                    const pgcdc_pgoutput_tuple_t *t)
{
    unsigned sum = 0;
    uint16_t i;

    if (t->ncols > PGCDC_PGOUTPUT_MAX_COLUMNS)
        abort();
    for (i = 0; i < t->ncols; i++) {
        const pgcdc_pgoutput_value_t *v = &t->cols[i];

        if (v->kind == 't' || v->kind == 'b')
            sum += fuzz_pgoutput_view(data, size, v->data, v->len);
        else if (v->kind != 'n' && v->kind != 'u')
            abort();
    }
    return sum;
}

static unsigned fuzz_pgoutput_check(const uint8_t *data, size_t size, const pgcdc_pgoutput_msg_t *m)
{
    unsigned sum = 0;
    uint32_t i;

    switch (m->kind) {
    case PGCDC_PGO_ORIGIN:
        sum += fuzz_pgoutput_str(data, size, m->u.origin.name);
        break;
    case PGCDC_PGO_RELATION:
        sum += fuzz_pgoutput_str(data, size, m->u.relation.nspname);
        sum += fuzz_pgoutput_str(data, size, m->u.relation.relname);
        if (m->u.relation.ncols > PGCDC_PGOUTPUT_MAX_COLUMNS)
            abort();
        for (i = 0; i < m->u.relation.ncols; i++)
            sum += fuzz_pgoutput_str(data, size, m->u.relation.cols[i].name);
        break;
    case PGCDC_PGO_TYPE:
        sum += fuzz_pgoutput_str(data, size, m->u.type.nspname);
        sum += fuzz_pgoutput_str(data, size, m->u.type.typname);
        break;
    case PGCDC_PGO_INSERT:
    case PGCDC_PGO_UPDATE:
    case PGCDC_PGO_DELETE:
        if (m->u.change.old_kind)
            sum += fuzz_pgoutput_tuple(data, size, &m->u.change.old_tuple);
        if (m->kind != PGCDC_PGO_DELETE)
            sum += fuzz_pgoutput_tuple(data, size, &m->u.change.new_tuple);
        break;
    case PGCDC_PGO_TRUNCATE:
        if (m->u.truncate.nrelids > size / 4)
            abort();
        sum += fuzz_pgoutput_view(data, size, m->u.truncate.relids_raw,
                                  (size_t)m->u.truncate.nrelids * 4);
        for (i = 0; i < m->u.truncate.nrelids; i++)
            sum += pgcdc_pgoutput_truncate_relid(m, i);
        break;
    case PGCDC_PGO_MESSAGE:
        sum += fuzz_pgoutput_str(data, size, m->u.message.prefix);
        sum += fuzz_pgoutput_view(data, size, m->u.message.content, m->u.message.len);
        break;
    default:
        break;
    }
    return sum;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char errstr[PGCDC_ERRSTR_SIZE];
    int proto, in_stream;

    for (proto = 1; proto <= 4; proto++) {
        for (in_stream = 0; in_stream <= 1; in_stream++) {
            pgcdc_err_t err = pgcdc_pgoutput_parse(data, size, proto, in_stream, &fuzz_pgoutput_msg,
                                                   errstr, sizeof(errstr));

            if (err == PGCDC_OK) {
                fuzz_pgoutput_sink += fuzz_pgoutput_check(data, size, &fuzz_pgoutput_msg);
                fuzz_pgoutput_ok++;
            } else if (err != PGCDC_ERR_PROTO || strncmp(errstr, "pgoutput", 8) != 0) {
                abort();
            } else {
                fuzz_pgoutput_failed++;
            }
        }
    }
    return 0;
}
