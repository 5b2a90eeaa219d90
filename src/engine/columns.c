/* columns.c - see columns.h. */
#include "columns.h"
#include "column_mask.h"
#include "log.h"
#include "mem.h"

#include <stdlib.h>

#include <string.h>

/* Gives the columns named in list ("a,b,c", as the configuration stores it) key positions in
 * list order. */
static void columns_set_key(pgcdc_relation_t *rel, const char *list)
{
    const char *s = list, *end;
    int i, pos = 0;

    for (i = 0; i < rel->ncols; i++)
        rel->cols[i].pk_position = 0;
    while (*s) {
        size_t n;
        int found = 0;

        end = strchr(s, ',');
        n = end ? (size_t)(end - s) : strlen(s);
        for (i = 0; i < rel->ncols; i++) {
            pgcdc_column_t *c = &rel->cols[i];

            if (strlen(c->name) == n && !strncmp(c->name, s, n)) {
                if (!c->pk_position)
                    c->pk_position = ++pos;
                found = 1;
                break;
            }
        }
        if (!found)
            pgcdc_log_warn("message.key.columns: table \"%s\".\"%s\" has no column \"%.*s\"",
                           rel->schema, rel->table, (int)n, s);
        s += n;
        if (*s == ',')
            s++;
    }
    rel->npk = pos;
}

void pgcdc_columns_apply(const pgcdc_config_t *cfg, pgcdc_relation_t *rel)
{
    const char *keycols = pgcdc_config_message_key_columns(cfg, rel->schema, rel->table);
    pgcdc_event_opts_t opts;
    pgcdc_column_mask_t plan;
    int i;

    pgcdc_config_event_opts(cfg, &opts);
    if (keycols)
        columns_set_key(rel, keycols);
    for (i = 0; i < rel->ncols; i++) {
        pgcdc_column_t *c = &rel->cols[i];

        c->excluded = !pgcdc_config_column_included(cfg, rel->schema, rel->table, c->name);
        pgcdc_column_mask_plan(pgcdc_config_column_mask(cfg, rel->schema, rel->table, c->name),
                               &opts, c, &plan);
        if (!plan.rule) {
            free(c->mask);
            c->mask = NULL;
            continue;
        }
        if (!c->mask)
            c->mask = pgcdc_malloc(sizeof(*c->mask));
        *c->mask = plan;
    }
}
