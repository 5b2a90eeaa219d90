/* types_string.c - the types whose values are their PostgreSQL text as a string: text-like
 * types (and the network, range and citext types Debezium sends as text), json, uuid, xml,
 * enums and ltree. Their schemas are the table's plain rows, but for the enum's labels. */
#include "types.h"
#include "types_int.h"

void pgcdc_types_enum_schema(types_schema_t *s, pgcdc_buf_t *out)
{
    pgcdc_types_schema_plain(s, out);
    pgcdc_types_schema_params_open(out);
    pgcdc_buf_puts(out, "\"allowed\":");
    pgcdc_json_write_cstr(out, s->col->enum_labels);
    pgcdc_types_schema_params_close(s, out);
}

pgcdc_err_t pgcdc_types_string_value(const types_conv_t *c, const pgcdc_pgoutput_value_t *v,
                                     types_out_t *o)
{
    (void)c;
    types_out_str(o, v->data, v->len);
    return PGCDC_OK;
}

void pgcdc_types_string_unchanged(const types_conv_t *c, types_out_t *o)
{
    (void)c;
    types_out_cstr(o, PGCDC_TYPES_UNAVAILABLE);
}
