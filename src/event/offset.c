/* offset.c - see offset.h. */
#include "offset.h"
#include "json_write.h"
#include "utf8.h"

#include <jansson.h>

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

/* The fields in the order Debezium puts them into its map. The JSON lists them in the map's
 * iteration order: by bucket of String.hashCode() spread as HashMap.hash() does, in a table of
 * 16 (the default capacity, enough below 13 fields), and in put order within a bucket. */
enum offset_field {
    OFFSET_TS_USEC,
    OFFSET_TXID,
    OFFSET_LSN,
    OFFSET_XMIN,
    OFFSET_SNAPSHOT,
    OFFSET_LAST_SNAPSHOT_RECORD,
    OFFSET_LSN_PROC,
    OFFSET_LSN_COMMIT,
    OFFSET_MESSAGE_TYPE,
    OFFSET_SNAPSHOT_COMPLETED,
    OFFSET_NFIELDS
};

static const char *const offset_names[OFFSET_NFIELDS] = {
    "ts_usec",     "txId",
    "lsn",         "xmin",
    "snapshot",    "last_snapshot_record",
    "lsn_proc",    "lsn_commit",
    "messageType", "snapshot_completed",
};

#define OFFSET_JAVA_CAPACITY 16

static unsigned offset_bucket(const char *name)
{
    uint32_t h = pgcdc_utf8_java_hash(name, strlen(name));

    return (h ^ (h >> 16)) & (OFFSET_JAVA_CAPACITY - 1);
}

void pgcdc_offset_init(pgcdc_offset_t *o)
{
    memset(o, 0, sizeof(*o));
    o->txid = -1;
    o->ts_usec = -1;
    o->xmin = -1;
    o->snapshot_completed = -1;
}

void pgcdc_offset_key(const char *name, const char *server, pgcdc_buf_t *out)
{
    pgcdc_buf_puts(out, "[");
    pgcdc_json_write_cstr(out, name);
    pgcdc_buf_puts(out, ",{\"server\":");
    pgcdc_json_write_cstr(out, server);
    pgcdc_buf_puts(out, "}]");
}

/* Whether field f is in o's map, as Debezium would have put it. */
static int offset_present(const pgcdc_offset_t *o, int f)
{
    switch (f) {
    case OFFSET_TS_USEC:
        return o->ts_usec >= 0;
    case OFFSET_TXID:
        return o->txid >= 0;
    case OFFSET_LSN:
        return o->lsn != 0;
    case OFFSET_XMIN:
        return o->xmin >= 0;
    case OFFSET_SNAPSHOT:
    case OFFSET_LAST_SNAPSHOT_RECORD:
        return o->snapshot;
    case OFFSET_LSN_PROC:
        return o->lsn_proc != 0;
    case OFFSET_LSN_COMMIT:
        return o->lsn_commit != 0;
    case OFFSET_MESSAGE_TYPE:
        return o->message_type[0] != '\0';
    default:
        return o->snapshot_completed >= 0;
    }
}

static void offset_put_value(const pgcdc_offset_t *o, int f, pgcdc_buf_t *out)
{
    char num[32];

    switch (f) {
    case OFFSET_TS_USEC:
        snprintf(num, sizeof(num), "%" PRId64, o->ts_usec);
        break;
    case OFFSET_TXID:
        snprintf(num, sizeof(num), "%" PRId64, o->txid);
        break;
    case OFFSET_LSN:
        snprintf(num, sizeof(num), "%" PRIu64, o->lsn);
        break;
    case OFFSET_XMIN:
        snprintf(num, sizeof(num), "%" PRId64, o->xmin);
        break;
    case OFFSET_SNAPSHOT:
        /* Debezium 3 names the kind of snapshot here (its 1.x wrote true). */
        pgcdc_json_write_cstr(out, "INITIAL");
        return;
    case OFFSET_LAST_SNAPSHOT_RECORD:
        snprintf(num, sizeof(num), "%s", o->last_snapshot_record ? "true" : "false");
        break;
    case OFFSET_LSN_PROC:
        snprintf(num, sizeof(num), "%" PRIu64, o->lsn_proc);
        break;
    case OFFSET_LSN_COMMIT:
        snprintf(num, sizeof(num), "%" PRIu64, o->lsn_commit);
        break;
    case OFFSET_MESSAGE_TYPE:
        pgcdc_json_write_cstr(out, o->message_type);
        return;
    default:
        snprintf(num, sizeof(num), "%s", o->snapshot_completed ? "true" : "false");
        break;
    }
    pgcdc_buf_puts(out, num);
}

void pgcdc_offset_write(const pgcdc_offset_t *o, pgcdc_buf_t *out)
{
    unsigned bucket;
    int f, first = 1;

    pgcdc_buf_putc(out, '{');
    for (bucket = 0; bucket < OFFSET_JAVA_CAPACITY; bucket++) {
        for (f = 0; f < OFFSET_NFIELDS; f++) {
            if (offset_bucket(offset_names[f]) != bucket || !offset_present(o, f))
                continue;
            if (!first)
                pgcdc_buf_putc(out, ',');
            first = 0;
            pgcdc_json_write_cstr(out, offset_names[f]);
            pgcdc_buf_putc(out, ':');
            offset_put_value(o, f, out);
        }
    }
    pgcdc_buf_putc(out, '}');
}

/* A non-negative integer field; LSNs also come as PostgreSQL's text form from other tools. */
static pgcdc_err_t offset_get_u64(json_t *root, const char *name, uint64_t *out, char *errstr,
                                  size_t errstr_size)
{
    json_t *v = json_object_get(root, name);
    unsigned hi, lo;
    char tail;

    if (!v || json_is_null(v))
        return PGCDC_OK;
    if (json_is_integer(v) && json_integer_value(v) >= 0) {
        *out = (uint64_t)json_integer_value(v);
        return PGCDC_OK;
    }
    if (json_is_string(v) && sscanf(json_string_value(v), "%X/%X%c", &hi, &lo, &tail) == 2) {
        *out = ((uint64_t)hi << 32) | lo;
        return PGCDC_OK;
    }
    return pgcdc_err_set(PGCDC_ERR_RUNTIME, errstr, errstr_size,
                         "offset field '%s' is not a non-negative number", name);
}

static pgcdc_err_t offset_get_i64(json_t *root, const char *name, int64_t *out, char *errstr,
                                  size_t errstr_size)
{
    json_t *v = json_object_get(root, name);

    if (!v || json_is_null(v))
        return PGCDC_OK;
    if (!json_is_integer(v) || json_integer_value(v) < 0)
        return pgcdc_err_set(PGCDC_ERR_RUNTIME, errstr, errstr_size,
                             "offset field '%s' is not a non-negative number", name);
    *out = json_integer_value(v);
    return PGCDC_OK;
}

/* A boolean field (-1 when absent); Debezium's snapshot field may also hold the snapshot's
 * kind as a string, which counts as true. */
static pgcdc_err_t offset_get_bool(json_t *root, const char *name, int *out, char *errstr,
                                   size_t errstr_size)
{
    json_t *v = json_object_get(root, name);

    *out = -1;
    if (!v || json_is_null(v))
        return PGCDC_OK;
    if (json_is_boolean(v)) {
        *out = json_is_true(v);
        return PGCDC_OK;
    }
    if (json_is_string(v)) {
        *out = strcmp(json_string_value(v), "false") != 0;
        return PGCDC_OK;
    }
    return pgcdc_err_set(PGCDC_ERR_RUNTIME, errstr, errstr_size,
                         "offset field '%s' is not a boolean", name);
}

pgcdc_err_t pgcdc_offset_read(const char *json, size_t len, pgcdc_offset_t *o, char *errstr,
                              size_t errstr_size)
{
    json_error_t jerr;
    json_t *root = json_loadb(json, len, JSON_REJECT_DUPLICATES, &jerr), *mt;
    int snapshot, last;
    pgcdc_err_t err = PGCDC_OK;

    pgcdc_offset_init(o);
    if (!root || !json_is_object(root)) {
        err =
            pgcdc_err_set(PGCDC_ERR_RUNTIME, errstr, errstr_size, "offset is not a JSON object%s%s",
                          root ? "" : ": ", root ? "" : jerr.text);
        goto out;
    }
    if ((err = offset_get_u64(root, "lsn", &o->lsn, errstr, errstr_size)) ||
        (err = offset_get_u64(root, "lsn_proc", &o->lsn_proc, errstr, errstr_size)) ||
        (err = offset_get_u64(root, "lsn_commit", &o->lsn_commit, errstr, errstr_size)) ||
        (err = offset_get_i64(root, "txId", &o->txid, errstr, errstr_size)) ||
        (err = offset_get_i64(root, "ts_usec", &o->ts_usec, errstr, errstr_size)) ||
        (err = offset_get_i64(root, "xmin", &o->xmin, errstr, errstr_size)) ||
        (err = offset_get_bool(root, "snapshot", &snapshot, errstr, errstr_size)) ||
        (err = offset_get_bool(root, "last_snapshot_record", &last, errstr, errstr_size)) ||
        (err = offset_get_bool(root, "snapshot_completed", &o->snapshot_completed, errstr,
                               errstr_size)))
        goto out;
    /* Debezium's PostgreSQL connector always writes lsn (pgcdc leaves it out only in the
     * snapshot's first record); an object with neither is another connector's position (a
     * MySQL connector's file and pos, say) under a colliding name. */
    if (!json_object_get(root, "lsn") && !json_object_get(root, "snapshot")) {
        err = pgcdc_err_set(PGCDC_ERR_RUNTIME, errstr, errstr_size,
                            "offset has no field 'lsn': not a position of a PostgreSQL "
                            "connector (another connector's under the same name and "
                            "topic.prefix?)");
        goto out;
    }
    o->snapshot = snapshot == 1;
    o->last_snapshot_record = last == 1;
    mt = json_object_get(root, "messageType");
    if (mt && json_is_string(mt))
        snprintf(o->message_type, sizeof(o->message_type), "%s", json_string_value(mt));
    else if (mt && !json_is_null(mt))
        err = pgcdc_err_set(PGCDC_ERR_RUNTIME, errstr, errstr_size,
                            "offset field 'messageType' is not a string");
out:
    json_decref(root);
    return err;
}

int pgcdc_offset_covers(const pgcdc_offset_t *o, uint64_t commit_end, int64_t xid, uint64_t lsn)
{
    if (o->lsn_commit && commit_end <= o->lsn_commit)
        return 1;
    return o->txid >= 0 && xid == o->txid && o->lsn_proc && lsn <= o->lsn_proc;
}
