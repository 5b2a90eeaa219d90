/* pgoutput.c - see pgoutput.h.
 *
 * Every read goes through a small cursor that knows how many bytes are left and which message
 * it is decoding, so that each field is bounds-checked exactly once and a failure names the
 * message and the field. Nothing here allocates: names are views into the input (their NUL is
 * checked to lie inside it) and per-column arrays live in the caller's message struct.
 */
#include "pgoutput.h"

#include <string.h>

/* Seconds from 1970-01-01 to 2000-01-01. */
#define PGOUTPUT_EPOCH_DIFF_US (INT64_C(946684800) * INT64_C(1000000))

typedef struct pgoutput_rd {
    const uint8_t *p;
    size_t left;
    const char *msgname;
    char *errstr;
    size_t errstr_size;
} pgoutput_rd_t;

static pgcdc_err_t pgoutput_need(pgoutput_rd_t *r, size_t n, const char *field)
{
    if (r->left >= n)
        return PGCDC_OK;
    return pgcdc_err_set(PGCDC_ERR_PROTO, r->errstr, r->errstr_size,
                         "pgoutput %s: %s truncated (%zu bytes needed, %zu left)", r->msgname,
                         field, n, r->left);
}

static pgcdc_err_t pgoutput_u8(pgoutput_rd_t *r, const char *field, uint8_t *out)
{
    pgcdc_err_t err = pgoutput_need(r, 1, field);

    if (err)
        return err;
    *out = r->p[0];
    r->p++;
    r->left--;
    return PGCDC_OK;
}

static pgcdc_err_t pgoutput_u16(pgoutput_rd_t *r, const char *field, uint16_t *out)
{
    pgcdc_err_t err = pgoutput_need(r, 2, field);

    if (err)
        return err;
    *out = (uint16_t)(((uint16_t)r->p[0] << 8) | r->p[1]);
    r->p += 2;
    r->left -= 2;
    return PGCDC_OK;
}

static pgcdc_err_t pgoutput_u32(pgoutput_rd_t *r, const char *field, uint32_t *out)
{
    pgcdc_err_t err = pgoutput_need(r, 4, field);

    if (err)
        return err;
    *out = ((uint32_t)r->p[0] << 24) | ((uint32_t)r->p[1] << 16) | ((uint32_t)r->p[2] << 8) |
           (uint32_t)r->p[3];
    r->p += 4;
    r->left -= 4;
    return PGCDC_OK;
}

static pgcdc_err_t pgoutput_u64(pgoutput_rd_t *r, const char *field, uint64_t *out)
{
    pgcdc_err_t err = pgoutput_need(r, 8, field);
    uint64_t v = 0;
    int i;

    if (err)
        return err;
    for (i = 0; i < 8; i++)
        v = (v << 8) | r->p[i];
    *out = v;
    r->p += 8;
    r->left -= 8;
    return PGCDC_OK;
}

/* Signed 64-bit fields (timestamps) are two's complement on the wire like everywhere else. */
static pgcdc_err_t pgoutput_i64(pgoutput_rd_t *r, const char *field, int64_t *out)
{
    uint64_t v;
    pgcdc_err_t err = pgoutput_u64(r, field, &v);

    if (err)
        return err;
    memcpy(out, &v, sizeof(v));
    return PGCDC_OK;
}

static pgcdc_err_t pgoutput_i32(pgoutput_rd_t *r, const char *field, int32_t *out)
{
    uint32_t v;
    pgcdc_err_t err = pgoutput_u32(r, field, &v);

    if (err)
        return err;
    memcpy(out, &v, sizeof(v));
    return PGCDC_OK;
}

/* A NUL-terminated string; the view is handed out only when its NUL lies inside the input. */
static pgcdc_err_t pgoutput_str(pgoutput_rd_t *r, const char *field, const char **out)
{
    const uint8_t *nul = r->left ? memchr(r->p, '\0', r->left) : NULL;
    size_t n;

    if (!nul)
        return pgcdc_err_set(PGCDC_ERR_PROTO, r->errstr, r->errstr_size,
                             "pgoutput %s: %s is not NUL-terminated within the message "
                             "(%zu bytes left)",
                             r->msgname, field, r->left);
    n = (size_t)(nul - r->p) + 1;
    *out = (const char *)r->p;
    r->p += n;
    r->left -= n;
    return PGCDC_OK;
}

static pgcdc_err_t pgoutput_bytes(pgoutput_rd_t *r, const char *field, uint32_t n, const char **out)
{
    if (n > r->left)
        return pgcdc_err_set(PGCDC_ERR_PROTO, r->errstr, r->errstr_size,
                             "pgoutput %s: %s length %u exceeds message (%zu bytes left)",
                             r->msgname, field, n, r->left);
    *out = (const char *)r->p;
    r->p += n;
    r->left -= n;
    return PGCDC_OK;
}

static pgcdc_err_t pgoutput_tuple(pgoutput_rd_t *r, const char *which,
                                  pgcdc_pgoutput_value_t *storage, pgcdc_pgoutput_tuple_t *tuple)
{
    pgcdc_err_t err;
    uint16_t ncols;
    uint16_t i;

    if ((err = pgoutput_u16(r, which, &ncols)))
        return err;
    if (ncols > PGCDC_PGOUTPUT_MAX_COLUMNS)
        return pgcdc_err_set(PGCDC_ERR_PROTO, r->errstr, r->errstr_size,
                             "pgoutput %s: %s has %u columns (at most %d)", r->msgname, which,
                             ncols, PGCDC_PGOUTPUT_MAX_COLUMNS);
    for (i = 0; i < ncols; i++) {
        pgcdc_pgoutput_value_t *v = &storage[i];
        uint32_t len;

        if (r->left < 1)
            return pgcdc_err_set(PGCDC_ERR_PROTO, r->errstr, r->errstr_size,
                                 "pgoutput %s: %s column %u kind truncated (0 bytes left)",
                                 r->msgname, which, i + 1);
        v->kind = (char)r->p[0];
        v->len = 0;
        v->data = NULL;
        r->p++;
        r->left--;
        switch (v->kind) {
        case 'n':
        case 'u':
            break;
        case 't':
        case 'b':
            if (r->left < 4)
                return pgcdc_err_set(PGCDC_ERR_PROTO, r->errstr, r->errstr_size,
                                     "pgoutput %s: %s column %u length truncated (%zu bytes "
                                     "left)",
                                     r->msgname, which, i + 1, r->left);
            len = ((uint32_t)r->p[0] << 24) | ((uint32_t)r->p[1] << 16) | ((uint32_t)r->p[2] << 8) |
                  (uint32_t)r->p[3];
            r->p += 4;
            r->left -= 4;
            if (len > r->left)
                return pgcdc_err_set(PGCDC_ERR_PROTO, r->errstr, r->errstr_size,
                                     "pgoutput %s: %s column %u length %u exceeds message (%zu "
                                     "bytes left)",
                                     r->msgname, which, i + 1, len, r->left);
            v->len = len;
            v->data = (const char *)r->p;
            r->p += len;
            r->left -= len;
            break;
        default:
            return pgcdc_err_set(PGCDC_ERR_PROTO, r->errstr, r->errstr_size,
                                 "pgoutput %s: %s column %u has unknown kind 0x%02x", r->msgname,
                                 which, i + 1, (unsigned)(uint8_t)v->kind);
        }
    }
    tuple->ncols = ncols;
    tuple->cols = storage;
    return PGCDC_OK;
}

static pgcdc_err_t pgoutput_relation(pgoutput_rd_t *r, pgcdc_pgoutput_msg_t *msg)
{
    pgcdc_err_t err;
    uint8_t replident;
    uint16_t i;

    if ((err = pgoutput_u32(r, "relation id", &msg->u.relation.relid)) ||
        (err = pgoutput_str(r, "namespace", &msg->u.relation.nspname)) ||
        (err = pgoutput_str(r, "relation name", &msg->u.relation.relname)) ||
        (err = pgoutput_u8(r, "replica identity", &replident)) ||
        (err = pgoutput_u16(r, "column count", &msg->u.relation.ncols)))
        return err;
    msg->u.relation.replident = (char)replident;
    if (msg->u.relation.ncols > PGCDC_PGOUTPUT_MAX_COLUMNS)
        return pgcdc_err_set(PGCDC_ERR_PROTO, r->errstr, r->errstr_size,
                             "pgoutput %s: column count %u exceeds %d", r->msgname,
                             msg->u.relation.ncols, PGCDC_PGOUTPUT_MAX_COLUMNS);
    for (i = 0; i < msg->u.relation.ncols; i++) {
        pgcdc_pgoutput_column_t *c = &msg->columns[i];

        /* Field names stay static so the loop formats nothing; on failure the column number
         * is appended to the line the cursor wrote. */
        if ((err = pgoutput_u8(r, "column flags", &c->flags)) ||
            (err = pgoutput_str(r, "column name", &c->name)) ||
            (err = pgoutput_u32(r, "column type", &c->type_oid)) ||
            (err = pgoutput_i32(r, "column type modifier", &c->typmod))) {
            size_t n = strlen(r->errstr ? r->errstr : "");

            if (r->errstr && n + 1 < r->errstr_size)
                pgcdc_err_set(err, r->errstr + n, r->errstr_size - n, " at column %u", i + 1);
            return err;
        }
    }
    msg->u.relation.cols = msg->columns;
    return PGCDC_OK;
}

static pgcdc_err_t pgoutput_change(pgoutput_rd_t *r, pgcdc_pgoutput_msg_t *msg)
{
    pgcdc_err_t err;
    uint8_t tag;

    if ((err = pgoutput_u32(r, "relation id", &msg->u.change.relid)) ||
        (err = pgoutput_u8(r, "tuple tag", &tag)))
        return err;
    switch (msg->kind) {
    case PGCDC_PGO_INSERT:
        if (tag != 'N')
            goto bad_tag;
        return pgoutput_tuple(r, "new tuple", msg->values_new, &msg->u.change.new_tuple);
    case PGCDC_PGO_UPDATE:
        if (tag == 'K' || tag == 'O') {
            msg->u.change.old_kind = (char)tag;
            if ((err = pgoutput_tuple(r, tag == 'K' ? "old key" : "old tuple", msg->values_old,
                                      &msg->u.change.old_tuple)) ||
                (err = pgoutput_u8(r, "new tuple tag", &tag)))
                return err;
        }
        if (tag != 'N')
            goto bad_tag;
        return pgoutput_tuple(r, "new tuple", msg->values_new, &msg->u.change.new_tuple);
    default: /* DELETE */
        if (tag != 'K' && tag != 'O')
            goto bad_tag;
        msg->u.change.old_kind = (char)tag;
        return pgoutput_tuple(r, tag == 'K' ? "old key" : "old tuple", msg->values_old,
                              &msg->u.change.old_tuple);
    }

bad_tag:
    return pgcdc_err_set(PGCDC_ERR_PROTO, r->errstr, r->errstr_size,
                         "pgoutput %s: unexpected tuple tag 0x%02x", r->msgname, (unsigned)tag);
}

static pgcdc_err_t pgoutput_truncate(pgoutput_rd_t *r, pgcdc_pgoutput_msg_t *msg)
{
    pgcdc_err_t err;
    uint32_t n;

    if ((err = pgoutput_u32(r, "relation count", &n)) ||
        (err = pgoutput_u8(r, "options", &msg->u.truncate.options)))
        return err;
    /* Compare by division so that a huge count cannot overflow the byte size. */
    if (n > r->left / 4)
        return pgcdc_err_set(PGCDC_ERR_PROTO, r->errstr, r->errstr_size,
                             "pgoutput %s: relation count %u exceeds message (%zu bytes left)",
                             r->msgname, n, r->left);
    msg->u.truncate.nrelids = n;
    msg->u.truncate.relids_raw = (const char *)r->p;
    r->p += (size_t)n * 4;
    r->left -= (size_t)n * 4;
    return PGCDC_OK;
}

static pgcdc_err_t pgoutput_message(pgoutput_rd_t *r, pgcdc_pgoutput_msg_t *msg)
{
    pgcdc_err_t err;

    if ((err = pgoutput_u8(r, "flags", &msg->u.message.flags)) ||
        (err = pgoutput_u64(r, "lsn", &msg->u.message.lsn)) ||
        (err = pgoutput_str(r, "prefix", &msg->u.message.prefix)) ||
        (err = pgoutput_u32(r, "content length", &msg->u.message.len)) ||
        (err = pgoutput_bytes(r, "content", msg->u.message.len, &msg->u.message.content)))
        return err;
    return PGCDC_OK;
}

static pgcdc_err_t pgoutput_body(pgoutput_rd_t *r, int proto_version, int in_stream,
                                 pgcdc_pgoutput_msg_t *msg)
{
    pgcdc_err_t err;

    switch (msg->kind) {
    case PGCDC_PGO_BEGIN:
        if ((err = pgoutput_u64(r, "final lsn", &msg->u.begin.final_lsn)) ||
            (err = pgoutput_i64(r, "commit time", &msg->u.begin.commit_time)) ||
            (err = pgoutput_u32(r, "xid", &msg->u.begin.xid)))
            return err;
        return PGCDC_OK;
    case PGCDC_PGO_COMMIT:
        if ((err = pgoutput_u8(r, "flags", &msg->u.commit.flags)) ||
            (err = pgoutput_u64(r, "commit lsn", &msg->u.commit.commit_lsn)) ||
            (err = pgoutput_u64(r, "end lsn", &msg->u.commit.end_lsn)) ||
            (err = pgoutput_i64(r, "commit time", &msg->u.commit.commit_time)))
            return err;
        return PGCDC_OK;
    case PGCDC_PGO_ORIGIN:
        if ((err = pgoutput_u64(r, "origin lsn", &msg->u.origin.lsn)) ||
            (err = pgoutput_str(r, "origin name", &msg->u.origin.name)))
            return err;
        return PGCDC_OK;
    case PGCDC_PGO_STREAM_START:
        if ((err = pgoutput_u32(r, "xid", &msg->xid)) ||
            (err = pgoutput_u8(r, "first segment", &msg->u.stream_start.first_segment)))
            return err;
        return PGCDC_OK;
    case PGCDC_PGO_STREAM_STOP:
        return PGCDC_OK;
    case PGCDC_PGO_STREAM_COMMIT:
        if ((err = pgoutput_u32(r, "xid", &msg->xid)) ||
            (err = pgoutput_u8(r, "flags", &msg->u.commit.flags)) ||
            (err = pgoutput_u64(r, "commit lsn", &msg->u.commit.commit_lsn)) ||
            (err = pgoutput_u64(r, "end lsn", &msg->u.commit.end_lsn)) ||
            (err = pgoutput_i64(r, "commit time", &msg->u.commit.commit_time)))
            return err;
        return PGCDC_OK;
    case PGCDC_PGO_STREAM_ABORT:
        if ((err = pgoutput_u32(r, "xid", &msg->xid)) ||
            (err = pgoutput_u32(r, "subtransaction xid", &msg->u.stream_abort.subxid)))
            return err;
        /* Protocol 4 adds the abort position only when the subscriber asked for parallel
         * streaming, which the decoder cannot know: decode it when it is there. */
        if (proto_version >= 4 && r->left > 0) {
            if ((err = pgoutput_u64(r, "abort lsn", &msg->u.stream_abort.abort_lsn)) ||
                (err = pgoutput_i64(r, "abort time", &msg->u.stream_abort.abort_time)))
                return err;
        }
        return PGCDC_OK;
    case PGCDC_PGO_RELATION:
    case PGCDC_PGO_TYPE:
    case PGCDC_PGO_INSERT:
    case PGCDC_PGO_UPDATE:
    case PGCDC_PGO_DELETE:
    case PGCDC_PGO_TRUNCATE:
    case PGCDC_PGO_MESSAGE:
        break;
    default:
        /* Two-phase kinds ('b', 'P', 'K', 'r', 'p') land here too: pgcdc never asks for them. */
        return pgcdc_err_set(PGCDC_ERR_PROTO, r->errstr, r->errstr_size,
                             "pgoutput: unknown message kind 0x%02x", (unsigned)msg->kind);
    }

    /* The remaining kinds describe changes; inside a streamed block each starts with the xid
     * of the top-level transaction it belongs to. */
    if (in_stream && (err = pgoutput_u32(r, "xid", &msg->xid)))
        return err;
    switch (msg->kind) {
    case PGCDC_PGO_RELATION:
        return pgoutput_relation(r, msg);
    case PGCDC_PGO_TYPE:
        if ((err = pgoutput_u32(r, "type id", &msg->u.type.type_oid)) ||
            (err = pgoutput_str(r, "namespace", &msg->u.type.nspname)) ||
            (err = pgoutput_str(r, "type name", &msg->u.type.typname)))
            return err;
        return PGCDC_OK;
    case PGCDC_PGO_INSERT:
    case PGCDC_PGO_UPDATE:
    case PGCDC_PGO_DELETE:
        return pgoutput_change(r, msg);
    case PGCDC_PGO_TRUNCATE:
        return pgoutput_truncate(r, msg);
    default: /* MESSAGE */
        return pgoutput_message(r, msg);
    }
}

static int pgoutput_is_stream_kind(int kind)
{
    return kind == PGCDC_PGO_STREAM_START || kind == PGCDC_PGO_STREAM_STOP ||
           kind == PGCDC_PGO_STREAM_COMMIT || kind == PGCDC_PGO_STREAM_ABORT;
}

pgcdc_err_t pgcdc_pgoutput_parse(const uint8_t *buf, size_t len, int proto_version, int in_stream,
                                 pgcdc_pgoutput_msg_t *msg, char *errstr, size_t errstr_size)
{
    pgoutput_rd_t r;
    pgcdc_err_t err;

    if (proto_version < 1 || proto_version > 4)
        return pgcdc_err_set(PGCDC_ERR_PROTO, errstr, errstr_size,
                             "pgoutput: unsupported protocol version %d (expected 1 to 4)",
                             proto_version);
    if (in_stream && proto_version < 2)
        return pgcdc_err_set(PGCDC_ERR_PROTO, errstr, errstr_size,
                             "pgoutput: streamed transactions need protocol version 2 or later "
                             "(negotiated %d)",
                             proto_version);
    if (!buf || len == 0)
        return pgcdc_err_set(PGCDC_ERR_PROTO, errstr, errstr_size,
                             "pgoutput: empty message (no kind byte)");

    msg->kind = (pgcdc_pgoutput_kind_t)buf[0];
    msg->xid = 0;
    memset(&msg->u, 0, sizeof(msg->u));
    r.p = buf + 1;
    r.left = len - 1;
    r.msgname = pgcdc_pgoutput_kind_name(buf[0]);
    r.errstr = errstr;
    r.errstr_size = errstr_size;

    if (pgoutput_is_stream_kind(buf[0]) && proto_version < 2)
        return pgcdc_err_set(PGCDC_ERR_PROTO, errstr, errstr_size,
                             "pgoutput %s: needs protocol version 2 or later (negotiated %d)",
                             r.msgname, proto_version);
    if ((err = pgoutput_body(&r, proto_version, in_stream, msg)))
        return err;
    if (r.left != 0)
        return pgcdc_err_set(PGCDC_ERR_PROTO, errstr, errstr_size,
                             "pgoutput %s: %zu trailing bytes after the message", r.msgname,
                             r.left);
    return PGCDC_OK;
}

uint32_t pgcdc_pgoutput_truncate_relid(const pgcdc_pgoutput_msg_t *msg, uint32_t i)
{
    const uint8_t *p = (const uint8_t *)msg->u.truncate.relids_raw + (size_t)i * 4;

    return ((uint32_t)p[0] << 24) | ((uint32_t)p[1] << 16) | ((uint32_t)p[2] << 8) | (uint32_t)p[3];
}

int64_t pgcdc_pgoutput_pg_to_unix_us(int64_t pg_us)
{
    return pg_us + PGOUTPUT_EPOCH_DIFF_US;
}

const char *pgcdc_pgoutput_kind_name(int kind)
{
    switch (kind) {
    case PGCDC_PGO_BEGIN:
        return "BEGIN";
    case PGCDC_PGO_COMMIT:
        return "COMMIT";
    case PGCDC_PGO_ORIGIN:
        return "ORIGIN";
    case PGCDC_PGO_RELATION:
        return "RELATION";
    case PGCDC_PGO_TYPE:
        return "TYPE";
    case PGCDC_PGO_INSERT:
        return "INSERT";
    case PGCDC_PGO_UPDATE:
        return "UPDATE";
    case PGCDC_PGO_DELETE:
        return "DELETE";
    case PGCDC_PGO_TRUNCATE:
        return "TRUNCATE";
    case PGCDC_PGO_MESSAGE:
        return "MESSAGE";
    case PGCDC_PGO_STREAM_START:
        return "STREAM START";
    case PGCDC_PGO_STREAM_STOP:
        return "STREAM STOP";
    case PGCDC_PGO_STREAM_COMMIT:
        return "STREAM COMMIT";
    case PGCDC_PGO_STREAM_ABORT:
        return "STREAM ABORT";
    default:
        return "UNKNOWN";
    }
}
