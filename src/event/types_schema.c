/* types_schema.c - Connect schema fragments: the parts every family's schema writer is made of,
 * and the field schema around them with its options (see types.h, types_int.h). */
#include "types.h"
#include "types_int.h"

void pgcdc_types_schema_head(pgcdc_buf_t *out, const char *type, int optional, const char *name)
{
    pgcdc_buf_puts(out, "{\"type\":\"");
    pgcdc_buf_puts(out, type);
    pgcdc_buf_puts(out, optional ? "\",\"optional\":true" : "\",\"optional\":false");
    if (name) {
        pgcdc_buf_puts(out, ",\"name\":\"");
        pgcdc_buf_puts(out, name);
        pgcdc_buf_puts(out, "\",\"version\":1");
    }
}

void pgcdc_types_schema_plain(types_schema_t *s, pgcdc_buf_t *out)
{
    pgcdc_types_schema_head(out, s->row->type, s->optional, s->row->name);
}

void pgcdc_types_schema_optional(pgcdc_buf_t *out, int optional)
{
    pgcdc_buf_puts(out, optional ? ",\"optional\":true" : ",\"optional\":false");
}

void pgcdc_types_schema_params_open(pgcdc_buf_t *out)
{
    pgcdc_buf_puts(out, ",\"parameters\":{");
}

/* The extra parameters, comma-separated; comma: one before the first too. */
static void types_schema_put_params(const types_schema_t *s, int comma, pgcdc_buf_t *out)
{
    size_t i;

    for (i = 0; i < s->nparams; i++) {
        if (i || comma)
            pgcdc_buf_putc(out, ',');
        pgcdc_json_write_cstr(out, s->params[i].name);
        pgcdc_buf_putc(out, ':');
        pgcdc_json_write_cstr(out, s->params[i].value);
    }
}

void pgcdc_types_schema_params_close(types_schema_t *s, pgcdc_buf_t *out)
{
    types_schema_put_params(s, 1, out);
    pgcdc_buf_putc(out, '}');
    s->params_done = 1;
}

/* Runs col's row's schema writer. */
static void types_schema_run(types_schema_t *s, pgcdc_buf_t *out)
{
    s->row = &pgcdc_types_table[pgcdc_types_resolve(s->col)];
    s->row->schema(s, out);
}

void pgcdc_types_schema_write(const pgcdc_event_opts_t *opts, const pgcdc_column_t *col,
                              int optional, pgcdc_buf_t *out)
{
    types_schema_t s = {opts, col, NULL, optional, NULL, 0, 0};

    types_schema_run(&s, out);
}

void pgcdc_types_write_field_schema_opts(const pgcdc_event_opts_t *opts, const pgcdc_column_t *col,
                                         const pgcdc_types_field_opts_t *fo, pgcdc_buf_t *out)
{
    static const pgcdc_types_field_opts_t none;
    types_schema_t s = {opts, col, NULL, 0, NULL, 0, 0};

    if (!fo)
        fo = &none;
    s.optional = col->optional || fo->force_optional;
    s.params = fo->params;
    s.nparams = fo->nparams;
    types_schema_run(&s, out);
    if (col->default_json && !fo->omit_default) {
        pgcdc_buf_puts(out, ",\"default\":");
        pgcdc_buf_puts(out, col->default_json);
    }
    pgcdc_buf_puts(out, ",\"field\":");
    pgcdc_json_write_cstr(out, fo->field ? fo->field : col->name);
    if (s.nparams && !s.params_done) {
        pgcdc_buf_puts(out, ",\"parameters\":{");
        types_schema_put_params(&s, 0, out);
        pgcdc_buf_putc(out, '}');
    }
    pgcdc_buf_putc(out, '}');
}

void pgcdc_types_write_field_schema(const pgcdc_event_opts_t *opts, const pgcdc_column_t *col,
                                    pgcdc_buf_t *out)
{
    pgcdc_types_write_field_schema_opts(opts, col, NULL, out);
}
