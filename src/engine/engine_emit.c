/* engine_emit.c - one change of a table rendered into its records and produced (see
 * engine_int.h). */
#include "engine_int.h"

pgcdc_err_t engine_emit(pgcdc_engine_t *e, const pgcdc_relation_t *rel, char op,
                        const pgcdc_pgoutput_tuple_t *before, const pgcdc_pgoutput_tuple_t *after,
                        const pgcdc_event_source_t *src, int64_t now_us, const pgcdc_header_t *own,
                        char *errstr, size_t errstr_size)
{
    pgcdc_change_t c = {rel, op, before, after, src, now_us, own};
    const pgcdc_record_t *recs;
    int i, n;
    pgcdc_err_t err = pgcdc_change_encode(e->enc, &c, &recs, &n, errstr, errstr_size);

    e->emitting = rel;
    for (i = 0; !err && i < n; i++)
        err = engine_produce(e, &recs[i], errstr, errstr_size);
    e->emitting = NULL;
    return err;
}
