/* types.c - see types.h: which converter a column takes, the table of converters, and the
 * dispatch of values through it (the families' writers are in types_*.c). */
#include "types.h"
#include "types_int.h"

#include "pg_types.h"

#include <string.h>

/* ---- resolution ---- */

/* Built-in types by OID. */
static pgcdc_type_conv_t types_by_oid(uint32_t oid)
{
    switch (oid) {
    case PGCDC_OID_BOOL:
        return PGCDC_TYPE_BOOL;
    case PGCDC_OID_INT2:
        return PGCDC_TYPE_INT16;
    case PGCDC_OID_INT4:
        return PGCDC_TYPE_INT32;
    case PGCDC_OID_INT8:
    case PGCDC_OID_OID:
        return PGCDC_TYPE_INT64;
    case PGCDC_OID_FLOAT4:
        return PGCDC_TYPE_FLOAT32;
    case PGCDC_OID_FLOAT8:
        return PGCDC_TYPE_FLOAT64;
    case PGCDC_OID_NUMERIC:
        return PGCDC_TYPE_NUMERIC;
    case PGCDC_OID_MONEY:
        return PGCDC_TYPE_MONEY;
    case PGCDC_OID_CHAR:
    case PGCDC_OID_NAME:
    case PGCDC_OID_TEXT:
    case PGCDC_OID_BPCHAR:
    case PGCDC_OID_VARCHAR:
    case PGCDC_OID_INET:
    case PGCDC_OID_CIDR:
    case PGCDC_OID_MACADDR:
    case PGCDC_OID_MACADDR8:
    case PGCDC_OID_INT4RANGE:
    case PGCDC_OID_INT8RANGE:
    case PGCDC_OID_NUMRANGE:
    case PGCDC_OID_TSRANGE:
    case PGCDC_OID_TSTZRANGE:
    case PGCDC_OID_DATERANGE:
        return PGCDC_TYPE_STRING;
    case PGCDC_OID_JSON:
    case PGCDC_OID_JSONB:
        return PGCDC_TYPE_JSON;
    case PGCDC_OID_UUID:
        return PGCDC_TYPE_UUID;
    case PGCDC_OID_XML:
        return PGCDC_TYPE_XML;
    case PGCDC_OID_BYTEA:
        return PGCDC_TYPE_BYTEA;
    case PGCDC_OID_DATE:
        return PGCDC_TYPE_DATE;
    case PGCDC_OID_TIME:
        return PGCDC_TYPE_TIME;
    case PGCDC_OID_TIMESTAMP:
        return PGCDC_TYPE_TIMESTAMP;
    case PGCDC_OID_TIMESTAMPTZ:
        return PGCDC_TYPE_TIMESTAMPTZ;
    case PGCDC_OID_INTERVAL:
        return PGCDC_TYPE_INTERVAL;
    case PGCDC_OID_TIMETZ:
        return PGCDC_TYPE_TIMETZ;
    case PGCDC_OID_BIT:
    case PGCDC_OID_VARBIT:
        return PGCDC_TYPE_BITS;
    case PGCDC_OID_POINT:
        return PGCDC_TYPE_POINT;
    default:
        return PGCDC_TYPE_NONE;
    }
}

/* Extension types (database-specific OIDs) Debezium knows by name. */
static pgcdc_type_conv_t types_by_name(const char *name)
{
    if (!name)
        return PGCDC_TYPE_NONE;
    if (!strcmp(name, "citext") || !strcmp(name, "isbn"))
        return PGCDC_TYPE_STRING;
    if (!strcmp(name, "hstore"))
        return PGCDC_TYPE_HSTORE;
    if (!strcmp(name, "ltree"))
        return PGCDC_TYPE_LTREE;
    return PGCDC_TYPE_NONE;
}

/* The type name resolution by name goes by: the root of a domain chain when known. */
static const char *types_root_name(const pgcdc_column_t *col)
{
    return col->base_type_name ? col->base_type_name : col->type_name;
}

int32_t pgcdc_types_typmod(const pgcdc_column_t *col)
{
    if (col->typmod >= 0 || col->base_type_oid == 0 || col->base_type_oid == col->type_oid)
        return col->typmod;
    return col->base_typmod;
}

/* Debezium builds the element column from the element type and the array column's length and
 * scale (i.e. its type modifier). */
void pgcdc_types_elem_column(const pgcdc_column_t *col, pgcdc_column_t *elem)
{
    const char *rn = types_root_name(col);

    memset(elem, 0, sizeof(*elem));
    elem->name = col->name;
    elem->type_oid = elem->base_type_oid = col->elem_type_oid;
    elem->typmod = pgcdc_types_typmod(col);
    elem->base_typmod = -1;
    elem->optional = 1;
    /* An array type's name is its element's behind an underscore. */
    elem->type_name = rn && rn[0] == '_' ? (char *)rn + 1 : NULL;
    elem->enum_labels = col->enum_labels;
}

/* Array element types Debezium's schema builder rejects outright (or, for bit, maps to a schema
 * that does not fit its values), whatever include.unknown.datatypes says. */
static int types_array_elem_rejected(uint32_t oid)
{
    return oid == PGCDC_OID_MONEY || oid == PGCDC_OID_NAME || oid == PGCDC_OID_INTERVAL ||
           oid == PGCDC_OID_VARBIT || oid == PGCDC_OID_BIT || oid == PGCDC_OID_XML ||
           oid == PGCDC_OID_POINT || oid == PGCDC_OID_REFCURSOR;
}

pgcdc_type_conv_t pgcdc_types_resolve(const pgcdc_column_t *col)
{
    pgcdc_type_conv_t conv;

    if (col->elem_type_oid) {
        pgcdc_column_t elem;

        pgcdc_types_elem_column(col, &elem);
        if (types_array_elem_rejected(elem.type_oid))
            return PGCDC_TYPE_UNSUPPORTED;
        conv = pgcdc_types_resolve(&elem);
        return conv == PGCDC_TYPE_NONE || conv == PGCDC_TYPE_UNSUPPORTED ? PGCDC_TYPE_UNSUPPORTED
                                                                         : PGCDC_TYPE_ARRAY;
    }
    if (col->enum_labels)
        return PGCDC_TYPE_ENUM;
    conv = types_by_oid(col->type_oid);
    /* A domain converts as its root type. */
    if (conv == PGCDC_TYPE_NONE && col->base_type_oid && col->base_type_oid != col->type_oid)
        conv = types_by_oid(col->base_type_oid);
    if (conv == PGCDC_TYPE_NONE)
        conv = types_by_name(types_root_name(col));
    return conv;
}

int pgcdc_types_included(const pgcdc_event_opts_t *opts, const pgcdc_column_t *col)
{
    pgcdc_type_conv_t conv = pgcdc_types_resolve(col);

    return conv == PGCDC_TYPE_NONE ? opts->include_unknown : conv != PGCDC_TYPE_UNSUPPORTED;
}

/* ---- the table ---- */

const types_row_t pgcdc_types_table[TYPES_NCONV] = {
    /* include.unknown.datatypes: the bytes of the text, as binary.handling.mode says. */
    [PGCDC_TYPE_NONE] = {pgcdc_types_binary_schema, pgcdc_types_unknown_value,
                         pgcdc_types_binary_unchanged, NULL, NULL},
    [PGCDC_TYPE_BOOL] = {pgcdc_types_schema_plain, pgcdc_types_bool_value, NULL, "boolean", NULL},
    [PGCDC_TYPE_INT16] = {pgcdc_types_schema_plain, pgcdc_types_int_value, NULL, "int16", NULL},
    [PGCDC_TYPE_INT32] = {pgcdc_types_schema_plain, pgcdc_types_int_value, NULL, "int32", NULL},
    [PGCDC_TYPE_INT64] = {pgcdc_types_schema_plain, pgcdc_types_int_value, NULL, "int64", NULL},
    [PGCDC_TYPE_FLOAT32] = {pgcdc_types_schema_plain, pgcdc_types_float32_value, NULL, "float",
                            NULL},
    [PGCDC_TYPE_FLOAT64] = {pgcdc_types_schema_plain, pgcdc_types_float64_value, NULL, "double",
                            NULL},
    [PGCDC_TYPE_NUMERIC] = {pgcdc_types_numeric_schema, pgcdc_types_numeric_value,
                            pgcdc_types_numeric_unchanged, NULL, NULL},
    [PGCDC_TYPE_MONEY] = {pgcdc_types_money_schema, pgcdc_types_money_value, NULL, NULL, NULL},
    [PGCDC_TYPE_STRING] = {pgcdc_types_schema_plain, pgcdc_types_string_value,
                           pgcdc_types_string_unchanged, "string", NULL},
    [PGCDC_TYPE_JSON] = {pgcdc_types_schema_plain, pgcdc_types_string_value,
                         pgcdc_types_string_unchanged, "string", "io.debezium.data.Json"},
    /* Debezium's uuid converter has no placeholder: an unchanged uuid is null. */
    [PGCDC_TYPE_UUID] = {pgcdc_types_schema_plain, pgcdc_types_string_value, NULL, "string",
                         "io.debezium.data.Uuid"},
    [PGCDC_TYPE_XML] = {pgcdc_types_schema_plain, pgcdc_types_string_value,
                        pgcdc_types_string_unchanged, "string", "io.debezium.data.Xml"},
    [PGCDC_TYPE_BYTEA] = {pgcdc_types_binary_schema, pgcdc_types_bytea_value,
                          pgcdc_types_binary_unchanged, NULL, NULL},
    [PGCDC_TYPE_DATE] = {pgcdc_types_date_schema, pgcdc_types_date_value, NULL, NULL, NULL},
    [PGCDC_TYPE_TIME] = {pgcdc_types_time_schema, pgcdc_types_time_value, NULL, NULL, NULL},
    [PGCDC_TYPE_TIMESTAMP] = {pgcdc_types_timestamp_schema, pgcdc_types_timestamp_value, NULL, NULL,
                              NULL},
    [PGCDC_TYPE_TIMESTAMPTZ] = {pgcdc_types_schema_plain, pgcdc_types_timestamptz_value, NULL,
                                "string", "io.debezium.time.ZonedTimestamp"},
    [PGCDC_TYPE_INTERVAL] = {pgcdc_types_interval_schema, pgcdc_types_interval_value, NULL, NULL,
                             NULL},
    [PGCDC_TYPE_ENUM] = {pgcdc_types_enum_schema, pgcdc_types_string_value,
                         pgcdc_types_string_unchanged, "string", "io.debezium.data.Enum"},
    [PGCDC_TYPE_BITS] = {pgcdc_types_bits_schema, pgcdc_types_bits_value, NULL, NULL, NULL},
    [PGCDC_TYPE_TIMETZ] = {pgcdc_types_schema_plain, pgcdc_types_timetz_value, NULL, "string",
                           "io.debezium.time.ZonedTime"},
    [PGCDC_TYPE_POINT] = {pgcdc_types_point_schema, pgcdc_types_point_value, NULL, NULL, NULL},
    [PGCDC_TYPE_HSTORE] = {pgcdc_types_hstore_schema, pgcdc_types_hstore_value,
                           pgcdc_types_hstore_unchanged, NULL, NULL},
    [PGCDC_TYPE_LTREE] = {pgcdc_types_schema_plain, pgcdc_types_string_value,
                          pgcdc_types_string_unchanged, "string", "io.debezium.data.Ltree"},
    [PGCDC_TYPE_ARRAY] = {pgcdc_types_array_schema, pgcdc_types_array_value,
                          pgcdc_types_array_unchanged, NULL, NULL},
    /* Only reached with include.unknown.datatypes' schemas (arrays of rejected types). */
    [PGCDC_TYPE_UNSUPPORTED] = {pgcdc_types_binary_schema, pgcdc_types_unknown_value,
                                pgcdc_types_binary_unchanged, NULL, NULL},
};

/* ---- dispatch ---- */

/* The default, else for a NOT NULL column (missing from an identity-only old tuple) the type's
 * zero value, as Debezium (defaults.h). */
static void types_write_null(const types_conv_t *c, types_out_t *o)
{
    const char *fill = o->text ? c->col->fill_text : c->col->fill_json;

    if (!fill)
        types_out_null(o);
    else
        pgcdc_buf_puts(o->buf, fill);
}

pgcdc_err_t pgcdc_types_convert(const types_conv_t *c, const pgcdc_pgoutput_value_t *v,
                                types_out_t *o)
{
    const types_row_t *row = &pgcdc_types_table[pgcdc_types_resolve(c->col)];

    switch (v->kind) {
    case 't':
        return row->value(c, v, o);
    case 'n':
        types_write_null(c, o);
        return PGCDC_OK;
    case 'u':
        /* Unchanged TOASTed value: Debezium's placeholder where the type can carry it. */
        if (row->unchanged)
            row->unchanged(c, o);
        else
            types_out_null(o);
        return PGCDC_OK;
    default:
        return pgcdc_err_set(PGCDC_ERR_PROTO, c->errstr, c->errstr_size,
                             "column \"%s\": value of kind '%c' where text format was expected",
                             c->col->name, v->kind);
    }
}

pgcdc_err_t pgcdc_types_convert_tail(const types_conv_t *c, types_out_t *o, size_t mark)
{
    pgcdc_buf_t *out = o->buf;
    size_t len = out->len - mark;
    pgcdc_pgoutput_value_t v = {'t', (uint32_t)len, NULL};
    pgcdc_err_t err;

    /* No converter writes more than 16 bytes per input byte (doubly escaped hstore text): with
     * that room reserved first, out does not move while its tail is read. */
    pgcdc_buf_reserve(out, len * 16 + 256);
    v.data = out->data + mark;
    err = pgcdc_types_convert(c, &v, o);
    if (err) {
        pgcdc_buf_truncate(out, mark);
        return err;
    }
    memmove(out->data + mark, out->data + mark + len, out->len - mark - len);
    pgcdc_buf_truncate(out, out->len - len);
    return PGCDC_OK;
}

pgcdc_err_t pgcdc_types_bad(const types_conv_t *c, const pgcdc_pgoutput_value_t *v,
                            const char *kind)
{
    int n = (int)(v->len > 64 ? 64 : v->len);

    if (!kind)
        return pgcdc_err_set(PGCDC_ERR_PROTO, c->errstr, c->errstr_size,
                             "column \"%s\": bad value '%.*s' for its type", c->col->name, n,
                             v->data);
    return pgcdc_err_set(PGCDC_ERR_PROTO, c->errstr, c->errstr_size,
                         "column \"%s\": bad %s value '%.*s'", c->col->name, kind, n, v->data);
}

pgcdc_err_t pgcdc_types_write_value(const pgcdc_event_opts_t *opts, const pgcdc_column_t *col,
                                    const pgcdc_pgoutput_value_t *v, pgcdc_buf_t *out, char *errstr,
                                    size_t errstr_size)
{
    types_conv_t c = {opts, col, 0, errstr, errstr_size};
    types_out_t o = {out, 0, 0};

    return pgcdc_types_convert(&c, v, &o);
}

pgcdc_err_t pgcdc_types_write_text(const pgcdc_event_opts_t *opts, const pgcdc_column_t *col,
                                   const pgcdc_pgoutput_value_t *v, pgcdc_buf_t *out, int *is_null,
                                   char *errstr, size_t errstr_size)
{
    types_conv_t c = {opts, col, 0, errstr, errstr_size};
    types_out_t o = {out, 1, 0};
    pgcdc_err_t err = pgcdc_types_convert(&c, v, &o);

    *is_null = o.is_null;
    return err;
}

pgcdc_err_t pgcdc_types_write_tail(const pgcdc_event_opts_t *opts, const pgcdc_column_t *col,
                                   pgcdc_buf_t *out, size_t mark, int text, int *is_null,
                                   char *errstr, size_t errstr_size)
{
    types_conv_t c = {opts, col, 0, errstr, errstr_size};
    types_out_t o = {out, text, 0};
    pgcdc_err_t err = pgcdc_types_convert_tail(&c, &o, mark);

    if (is_null)
        *is_null = o.is_null;
    return err;
}
