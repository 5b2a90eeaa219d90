/* engine_relation.c - a table made ready for encoding: captured or not, completed from the
 * catalog, per-column options applied, schemas rendered (see engine_int.h). */
#include "engine_int.h"
#include "columns.h"

static pgcdc_err_t engine_render_relation(pgcdc_engine_t *e, pgcdc_relation_t *rel, char *errstr,
                                          size_t errstr_size)
{
    pgcdc_columns_apply(e->cfg, rel);
    return pgcdc_change_prepare(&e->opts, rel, errstr, errstr_size);
}

pgcdc_err_t engine_prepare_relation(pgcdc_engine_t *e, pgcdc_relation_t *rel, char *errstr,
                                    size_t errstr_size)
{
    pgcdc_err_t err;

    if (rel->capture == PGCDC_CAPTURE_UNDECIDED)
        rel->capture = pgcdc_config_table_included(e->cfg, rel->schema, rel->table)
                           ? PGCDC_CAPTURE_YES
                           : PGCDC_CAPTURE_NO;
    if (rel->capture != PGCDC_CAPTURE_YES)
        return PGCDC_OK;
    if (!rel->catalog_loaded) {
        err = e->source->ops->load_relation(e->source, rel, errstr, errstr_size);
        if (err)
            return err;
    }
    if (rel->prepared)
        return PGCDC_OK;
    return engine_render_relation(e, rel, errstr, errstr_size);
}

pgcdc_err_t engine_prepare_snapshot_relation(pgcdc_engine_t *e, pgcdc_relation_t *rel, char *errstr,
                                             size_t errstr_size)
{
    /* The snapshot's tables are those the filter captures, read from the catalog. */
    rel->capture = PGCDC_CAPTURE_YES;
    return engine_render_relation(e, rel, errstr, errstr_size);
}
