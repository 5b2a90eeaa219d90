/*
 * config_check_filters.c - the validation step of the filter keys: the include/exclude regex
 * lists of schemas, tables, columns and message prefixes, and message.key.columns. The
 * matching itself is in config_filter.c.
 */
#include "config_int.h"
#include "buf.h"
#include "mem.h"

#include <stdlib.h>
#include <string.h>

#define CONFIG_KEYCOLS_EXPECTED "<table regex>:<column>[,<column>...] entries separated by ';'"

/* One "<table regex>:<column>[,<column>...]" entry of message.key.columns (whole value: arg). */
static pgcdc_err_t config_keycols_add(config_ctx_t *c, const char *item, void *arg)
{
    pgcdc_config_priv_t *p = c->p;
    const char *colon = strchr(item, ':');
    const char *v = arg;
    pgcdc_buf_t cols = PGCDC_BUF_INIT;
    char *table = NULL, *col, *save = NULL, *copy;
    pgcdc_err_t err;

    if (!colon || colon == item || !colon[1])
        return pgcdc_config_value_invalid(c, "message.key.columns", v, CONFIG_KEYCOLS_EXPECTED);
    table = pgcdc_config_kv_trimmed(item, (size_t)(colon - item));
    copy = pgcdc_strdup(colon + 1);
    for (col = strtok_r(copy, ",", &save); col; col = strtok_r(NULL, ",", &save)) {
        char *t = pgcdc_config_kv_trimmed(col, strlen(col));

        if (*t) {
            if (cols.len)
                pgcdc_buf_putc(&cols, ',');
            pgcdc_buf_puts(&cols, t);
        }
        free(t);
    }
    free(copy);
    if (!cols.len || !*table) {
        err = pgcdc_config_value_invalid(c, "message.key.columns", v, CONFIG_KEYCOLS_EXPECTED);
        goto out;
    }
    if ((err = pgcdc_config_value_regex(c, "message.key.columns", table, &p->keycols)))
        goto out;
    p->keycols_columns =
        pgcdc_realloc(p->keycols_columns, p->keycols.n * sizeof(*p->keycols_columns));
    p->keycols_columns[p->keycols.n - 1] = pgcdc_strdup(cols.data);
out:
    free(table);
    pgcdc_buf_free(&cols);
    return err;
}

pgcdc_err_t pgcdc_config_check_filters(config_ctx_t *c)
{
    pgcdc_config_t *cfg = c->cfg;
    pgcdc_config_priv_t *p = c->p;
    struct {
        const char *key;
        const char **field;
        config_relist_t *list;
    } lists[] = {
        {"schema.include.list", &cfg->schema_include_list, &p->schema_inc},
        {"schema.exclude.list", &cfg->schema_exclude_list, &p->schema_exc},
        {"table.include.list", &cfg->table_include_list, &p->table_inc},
        {"table.exclude.list", &cfg->table_exclude_list, &p->table_exc},
        {"column.include.list", &cfg->column_include_list, &p->col_inc},
        {"column.exclude.list", &cfg->column_exclude_list, &p->col_exc},
        {"message.prefix.include.list", &cfg->message_prefix_include_list, &p->msg_inc},
        {"message.prefix.exclude.list", &cfg->message_prefix_exclude_list, &p->msg_exc},
    };
    pgcdc_err_t err;
    const char *v;
    size_t i;

    for (i = 0; i < sizeof(lists) / sizeof(lists[0]); i++)
        if ((err = pgcdc_config_value_regex_list(c, lists[i].key, lists[i].field, lists[i].list)))
            return err;
    /* Debezium rejects an include list together with its exclude list (the lists above come in
     * include, exclude pairs). */
    for (i = 0; i < sizeof(lists) / sizeof(lists[0]); i += 2)
        if (*lists[i].field && *lists[i + 1].field)
            return pgcdc_err_set(PGCDC_ERR_USAGE, c->errstr, c->errstr_size,
                                 "%s: %s cannot be used together with %s",
                                 pgcdc_config_value_source(c, lists[i + 1].key), lists[i + 1].key,
                                 lists[i].key);
    v = pgcdc_config_value_get(c, "message.key.columns");
    cfg->message_key_columns = v;
    if (v && (err = pgcdc_config_value_split(v, ';', config_keycols_add, c, (void *)v)))
        return err;
    return PGCDC_OK;
}
