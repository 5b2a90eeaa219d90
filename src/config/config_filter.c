/*
 * config_filter.c - the runtime questions the engine asks of a loaded config about a table, a
 * column, an operation or a logical decoding message: is it captured, in which snapshot rank,
 * with which message key columns. The lists were compiled by config_check_filters.c; all of
 * this only reads them, so any number of threads may ask at once.
 */
#include "config_int.h"
#include "event.h"

#include <stdio.h>
#include <string.h>
#include <strings.h>

int pgcdc_config_table_included(const pgcdc_config_t *cfg, const char *schema, const char *table)
{
    const pgcdc_config_priv_t *p = cfg->priv;
    char fq[512];

    /* Debezium's built-in system table filter (table.ignore.builtin=true). */
    if (!strcasecmp(schema, "pg_catalog") || !strcasecmp(schema, "information_schema") ||
        !strncmp(schema, "pg_temp", 7) || !strcasecmp(table, "spatial_ref_sys"))
        return 0;
    if (p->schema_inc.n) {
        if (!pgcdc_config_regex_match(&p->schema_inc, schema))
            return 0;
    } else if (p->schema_exc.n && pgcdc_config_regex_match(&p->schema_exc, schema)) {
        return 0;
    }
    snprintf(fq, sizeof(fq), "%s.%s", schema, table);
    if (p->table_inc.n)
        return pgcdc_config_regex_match(&p->table_inc, fq);
    if (p->table_exc.n && pgcdc_config_regex_match(&p->table_exc, fq))
        return 0;
    return 1;
}

int pgcdc_config_table_snapshot_rank(const pgcdc_config_t *cfg, const char *schema,
                                     const char *table)
{
    char fq[512];
    int rank;

    snprintf(fq, sizeof(fq), "%s.%s", schema, table);
    rank = pgcdc_config_regex_first(&cfg->priv->table_inc, fq);
    return rank < 0 ? 0 : rank;
}

int pgcdc_config_column_included(const pgcdc_config_t *cfg, const char *schema, const char *table,
                                 const char *column)
{
    const pgcdc_config_priv_t *p = cfg->priv;
    char fq[768];

    snprintf(fq, sizeof(fq), "%s.%s.%s", schema, table, column);
    if (p->col_inc.n)
        return pgcdc_config_regex_match(&p->col_inc, fq);
    if (p->col_exc.n && pgcdc_config_regex_match(&p->col_exc, fq))
        return 0;
    return 1;
}

int pgcdc_config_op_skipped(const pgcdc_config_t *cfg, char op)
{
    switch (op) {
    case PGCDC_OP_CREATE:
        return (cfg->skipped_operations & PGCDC_SKIP_CREATE) != 0;
    case PGCDC_OP_UPDATE:
        return (cfg->skipped_operations & PGCDC_SKIP_UPDATE) != 0;
    case PGCDC_OP_DELETE:
        return (cfg->skipped_operations & PGCDC_SKIP_DELETE) != 0;
    case PGCDC_OP_TRUNCATE:
        return (cfg->skipped_operations & PGCDC_SKIP_TRUNCATE) != 0;
    default:
        return 0;
    }
}

int pgcdc_config_message_prefix_included(const pgcdc_config_t *cfg, const char *prefix)
{
    const pgcdc_config_priv_t *p = cfg->priv;

    if (p->msg_inc.n)
        return pgcdc_config_regex_match(&p->msg_inc, prefix);
    return !(p->msg_exc.n && pgcdc_config_regex_match(&p->msg_exc, prefix));
}

const char *pgcdc_config_message_key_columns(const pgcdc_config_t *cfg, const char *schema,
                                             const char *table)
{
    const pgcdc_config_priv_t *p = cfg->priv;
    char fq[512];
    int i;

    snprintf(fq, sizeof(fq), "%s.%s", schema, table);
    i = pgcdc_config_regex_first(&p->keycols, fq);
    return i < 0 ? NULL : p->keycols_columns[i];
}
