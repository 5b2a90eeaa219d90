/* Decodes the pgoutput payloads captured from PostgreSQL 15 (protocol 2, streaming on) in
 * tests/data/pgoutput/, in file-name order, and checks kinds, counts and some content. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "pgoutput.h"
#include "testutil.h"

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define CORPUS_DIR "tests/data/pgoutput"

static int name_cmp(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The .bin file names of the corpus, sorted; the caller frees each and the array. */
static char **corpus_files(size_t *count)
{
    char path[4096];
    char **names = NULL;
    size_t n = 0, cap = 0;
    struct dirent *de;
    DIR *d;

    snprintf(path, sizeof(path), "%s/%s", pgcdc_test_env("PGCDC_SOURCE_DIR"), CORPUS_DIR);
    d = opendir(path);
    if (!d)
        fail_msg("cannot open %s", path);
    while ((de = readdir(d))) {
        size_t len = strlen(de->d_name);

        if (len < 5 || strcmp(de->d_name + len - 4, ".bin") != 0)
            continue;
        if (n == cap) {
            cap = cap ? cap * 2 : 64;
            names = realloc(names, cap * sizeof(*names));
            assert_non_null(names);
        }
        names[n++] = strdup(de->d_name);
    }
    closedir(d);
    qsort(names, n, sizeof(*names), name_cmp);
    *count = n;
    return names;
}

/* "07-update.bin" -> "UPDATE", "21-stream-start.bin" -> "STREAM START". */
static void kind_from_name(const char *file, char *out, size_t out_size)
{
    const char *p = strchr(file, '-');
    size_t i = 0;

    assert_non_null(p);
    for (p++; *p && *p != '.' && i + 1 < out_size; p++)
        out[i++] = *p == '-' ? ' ' : (char)(*p >= 'a' && *p <= 'z' ? *p - 32 : *p);
    out[i] = '\0';
}

static int has_value(const pgcdc_pgoutput_value_t *v, const char *text)
{
    return v->kind == 't' && v->len == strlen(text) && memcmp(v->data, text, v->len) == 0;
}

static void test_corpus(void **state)
{
    pgcdc_pgoutput_msg_t *msg = calloc(1, sizeof(*msg));
    char errstr[PGCDC_ERRSTR_SIZE];
    char relpath[512];
    char kind[32];
    size_t nfiles, i;
    char **files = corpus_files(&nfiles);
    int counts[256] = {0};
    int in_stream = 0;
    uint32_t stream_xid = 0, relid = 0;
    int saw_unchanged_toast = 0, saw_null = 0, saw_old_full = 0;

    (void)state;
    assert_non_null(msg);
    assert_int_equal(nfiles, 48);
    for (i = 0; i < nfiles; i++) {
        size_t len;
        char *data;

        snprintf(relpath, sizeof(relpath), "%s/%s", CORPUS_DIR, files[i]);
        data = pgcdc_test_read_source_file(relpath, &len);
        if (pgcdc_pgoutput_parse((const uint8_t *)data, len, 2, in_stream, msg, errstr,
                                 sizeof(errstr)) != PGCDC_OK)
            fail_msg("%s: %s", files[i], errstr);
        kind_from_name(files[i], kind, sizeof(kind));
        assert_string_equal(pgcdc_pgoutput_kind_name(msg->kind), kind);
        counts[msg->kind]++;

        /* Every change inside a streamed block belongs to the transaction that opened it. */
        if (in_stream && msg->kind != PGCDC_PGO_STREAM_STOP)
            assert_int_equal(msg->xid, stream_xid);
        else if (!in_stream && msg->kind != PGCDC_PGO_STREAM_START &&
                 msg->kind != PGCDC_PGO_STREAM_COMMIT && msg->kind != PGCDC_PGO_STREAM_ABORT)
            assert_int_equal(msg->xid, 0);

        switch (msg->kind) {
        case PGCDC_PGO_STREAM_START:
            assert_false(in_stream);
            in_stream = 1;
            stream_xid = msg->xid;
            break;
        case PGCDC_PGO_STREAM_STOP:
            assert_true(in_stream);
            in_stream = 0;
            break;
        case PGCDC_PGO_STREAM_COMMIT:
        case PGCDC_PGO_STREAM_ABORT:
            assert_int_equal(msg->xid, stream_xid);
            break;
        case PGCDC_PGO_RELATION:
            assert_string_equal(msg->u.relation.nspname, "public");
            assert_int_equal(msg->u.relation.replident, 'f');
            assert_int_equal(msg->u.relation.ncols, 6);
            assert_string_equal(msg->u.relation.cols[4].name, "big");
            if (relid)
                assert_int_equal(msg->u.relation.relid, relid);
            relid = msg->u.relation.relid;
            break;
        case PGCDC_PGO_INSERT:
            assert_int_equal(msg->u.change.relid, relid);
            assert_int_equal(msg->u.change.new_tuple.ncols, 6);
            if (has_value(&msg->u.change.new_tuple.cols[1], "alice") &&
                msg->u.change.new_tuple.cols[5].kind == 'n')
                saw_null = 1;
            break;
        case PGCDC_PGO_UPDATE:
            assert_int_equal(msg->u.change.old_kind, 'O');
            assert_int_equal(msg->u.change.old_tuple.cols[4].kind, 't');
            assert_int_equal(msg->u.change.old_tuple.cols[4].len, 5000);
            assert_int_equal(msg->u.change.new_tuple.cols[4].kind, 'u');
            assert_true(has_value(&msg->u.change.new_tuple.cols[5], "changed"));
            saw_unchanged_toast = 1;
            break;
        case PGCDC_PGO_DELETE:
            assert_int_equal(msg->u.change.old_kind, 'O');
            assert_true(has_value(&msg->u.change.old_tuple.cols[1], "alice"));
            saw_old_full = 1;
            break;
        case PGCDC_PGO_TRUNCATE:
            assert_int_equal(msg->u.truncate.nrelids, 1);
            assert_int_equal(pgcdc_pgoutput_truncate_relid(msg, 0), relid);
            break;
        default:
            break;
        }
        free(data);
    }
    assert_false(in_stream);
    assert_int_equal(counts['B'], 5);
    assert_int_equal(counts['C'], 5);
    assert_int_equal(counts['Y'], 4);
    assert_int_equal(counts['R'], 4);
    assert_int_equal(counts['I'], 9);
    assert_int_equal(counts['U'], 1);
    assert_int_equal(counts['D'], 1);
    assert_int_equal(counts['T'], 1);
    assert_int_equal(counts['M'], 2);
    assert_int_equal(counts['S'], 7);
    assert_int_equal(counts['E'], 7);
    assert_int_equal(counts['c'], 1);
    assert_int_equal(counts['A'], 1);
    assert_true(saw_unchanged_toast && saw_null && saw_old_full);

    for (i = 0; i < nfiles; i++)
        free(files[i]);
    free(files);
    free(msg);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_corpus),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
