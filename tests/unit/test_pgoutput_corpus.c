/* Decodes the pgoutput payloads captured from PostgreSQL 15 (protocol 2, streaming on) in
 * tests/data/pgoutput/, in file-name order, and checks kinds, counts and some content. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "pgoutput.h"
#include "pgoutput_writer.h"
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

/* Writes a decoded message back with the test writer; for captured input the result must be
 * byte-identical, which is what shows the writer speaks PostgreSQL's format. */
static void rewrite(const pgcdc_pgoutput_msg_t *m, pgcdc_buf_t *b)
{
    uint32_t relids[16];
    uint32_t i;

    pgcdc_buf_reset(b);
    switch (m->kind) {
    case PGCDC_PGO_BEGIN:
        pgcdc_pgoutput_write_begin(b, m->u.begin.final_lsn, m->u.begin.commit_time, m->u.begin.xid);
        break;
    case PGCDC_PGO_COMMIT:
        pgcdc_pgoutput_write_commit(b, m->u.commit.flags, m->u.commit.commit_lsn,
                                    m->u.commit.end_lsn, m->u.commit.commit_time);
        break;
    case PGCDC_PGO_ORIGIN:
        pgcdc_pgoutput_write_origin(b, m->u.origin.lsn, m->u.origin.name);
        break;
    case PGCDC_PGO_RELATION:
        pgcdc_pgoutput_write_relation(b, m->xid, m->u.relation.relid, m->u.relation.nspname,
                                      m->u.relation.relname, m->u.relation.replident,
                                      m->u.relation.ncols, m->u.relation.cols);
        break;
    case PGCDC_PGO_TYPE:
        pgcdc_pgoutput_write_type(b, m->xid, m->u.type.type_oid, m->u.type.nspname,
                                  m->u.type.typname);
        break;
    case PGCDC_PGO_INSERT:
        pgcdc_pgoutput_write_insert(b, m->xid, m->u.change.relid, &m->u.change.new_tuple);
        break;
    case PGCDC_PGO_UPDATE:
        pgcdc_pgoutput_write_update(b, m->xid, m->u.change.relid, m->u.change.old_kind,
                                    &m->u.change.old_tuple, &m->u.change.new_tuple);
        break;
    case PGCDC_PGO_DELETE:
        pgcdc_pgoutput_write_delete(b, m->xid, m->u.change.relid, m->u.change.old_kind,
                                    &m->u.change.old_tuple);
        break;
    case PGCDC_PGO_TRUNCATE:
        assert_true(m->u.truncate.nrelids <= 16);
        for (i = 0; i < m->u.truncate.nrelids; i++)
            relids[i] = pgcdc_pgoutput_truncate_relid(m, i);
        pgcdc_pgoutput_write_truncate(b, m->xid, m->u.truncate.nrelids, relids,
                                      m->u.truncate.options);
        break;
    case PGCDC_PGO_MESSAGE:
        pgcdc_pgoutput_write_message(b, m->xid, m->u.message.flags, m->u.message.lsn,
                                     m->u.message.prefix, m->u.message.content, m->u.message.len);
        break;
    case PGCDC_PGO_STREAM_START:
        pgcdc_pgoutput_write_stream_start(b, m->xid, m->u.stream_start.first_segment);
        break;
    case PGCDC_PGO_STREAM_STOP:
        pgcdc_pgoutput_write_stream_stop(b);
        break;
    case PGCDC_PGO_STREAM_COMMIT:
        pgcdc_pgoutput_write_stream_commit(b, m->xid, m->u.commit.flags, m->u.commit.commit_lsn,
                                           m->u.commit.end_lsn, m->u.commit.commit_time);
        break;
    case PGCDC_PGO_STREAM_ABORT:
        pgcdc_pgoutput_write_stream_abort(b, m->xid, m->u.stream_abort.subxid, 0, 0, 0);
        break;
    }
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
    pgcdc_buf_t again = PGCDC_BUF_INIT;

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
        rewrite(msg, &again);
        assert_int_equal(again.len, len);
        assert_memory_equal(again.data, data, len);
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
    pgcdc_buf_free(&again);
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

/* Every proper prefix of every captured message is rejected. */
static void test_corpus_truncations(void **state)
{
    pgcdc_pgoutput_msg_t *msg = calloc(1, sizeof(*msg));
    char errstr[PGCDC_ERRSTR_SIZE];
    char relpath[512];
    size_t nfiles, i, n;
    char **files = corpus_files(&nfiles);
    int in_stream = 0;

    (void)state;
    assert_non_null(msg);
    for (i = 0; i < nfiles; i++) {
        size_t len;
        char *data;

        snprintf(relpath, sizeof(relpath), "%s/%s", CORPUS_DIR, files[i]);
        data = pgcdc_test_read_source_file(relpath, &len);
        for (n = 0; n < len; n++) {
            uint8_t *cut = malloc(n ? n : 1);

            assert_non_null(cut);
            memcpy(cut, data, n);
            if (pgcdc_pgoutput_parse(cut, n, 2, in_stream, msg, errstr, sizeof(errstr)) !=
                PGCDC_ERR_PROTO)
                fail_msg("%s cut at %zu of %zu bytes was accepted", files[i], n, len);
            free(cut);
        }
        assert_int_equal(pgcdc_pgoutput_parse((const uint8_t *)data, len, 2, in_stream, msg, errstr,
                                              sizeof(errstr)),
                         PGCDC_OK);
        if (msg->kind == PGCDC_PGO_STREAM_START)
            in_stream = 1;
        else if (msg->kind == PGCDC_PGO_STREAM_STOP)
            in_stream = 0;
        free(data);
        free(files[i]);
    }
    free(files);
    free(msg);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_corpus),
        cmocka_unit_test(test_corpus_truncations),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
