/*
 * config.c - see config.h. The typed config object: built from a raw store by running the
 * validation steps (config_int.h) in order, then checked for its required keys; freed; and the
 * accessors that hand out its raw values, its kafka.* properties and the encoder's options.
 *
 * The steps live one topic per file: config_check_database.c, config_check_filters.c,
 * config_masks.c, config_check_events.c, config_transforms.c, config_check_sink.c, and
 * config_keys.c for the keys pgcdc does not act on (refused when misspelt, else warned about).
 */
#include "config_int.h"
#include "buf.h"
#include "mem.h"
#include "transform_unwrap.h"

#include <stdlib.h>
#include <string.h>

void pgcdc_config_free(pgcdc_config_t *cfg)
{
    pgcdc_config_priv_t *p;
    size_t i;

    if (!cfg)
        return;
    p = cfg->priv;
    if (p) {
        for (i = 0; i < p->npool; i++)
            free(p->pool[i]);
        free(p->pool);
        pgcdc_config_regex_free(&p->schema_inc);
        pgcdc_config_regex_free(&p->schema_exc);
        pgcdc_config_regex_free(&p->table_inc);
        pgcdc_config_regex_free(&p->table_exc);
        pgcdc_config_regex_free(&p->col_inc);
        pgcdc_config_regex_free(&p->col_exc);
        pgcdc_config_regex_free(&p->msg_inc);
        pgcdc_config_regex_free(&p->msg_exc);
        for (i = 0; i < p->keycols.n; i++)
            free(p->keycols_columns[i]);
        free(p->keycols_columns);
        pgcdc_config_regex_free(&p->keycols);
        pgcdc_config_masks_free(p->masks, p->nmasks);
        free(p->kafka_name);
        free(p->kafka_value);
        free(p->transform_prefix);
        pgcdc_config_kv_free(p->kv);
        free(p);
    }
    pgcdc_unwrap_free(cfg->unwrap);
    free(cfg);
}

/* After every step: the keys without a default, all named in one message. */
static pgcdc_err_t config_check_required(config_ctx_t *c)
{
    pgcdc_config_t *cfg = c->cfg;
    const char *missing[8];
    pgcdc_buf_t b = PGCDC_BUF_INIT;
    size_t n = 0, i;

    if (!cfg->database_hostname)
        missing[n++] = "database.hostname";
    if (!cfg->database_user)
        missing[n++] = "database.user";
    if (!cfg->database_dbname)
        missing[n++] = "database.dbname";
    if (!cfg->topic_prefix)
        missing[n++] = "topic.prefix";
    if (cfg->sink_type == PGCDC_SINK_KAFKA && !cfg->kafka_bootstrap_servers)
        missing[n++] = "kafka.bootstrap.servers";
    if (!n)
        return PGCDC_OK;
    for (i = 0; i < n; i++)
        pgcdc_buf_printf(&b, "%s%s", i ? ", " : "", missing[i]);
    pgcdc_err_set(PGCDC_ERR_USAGE, c->errstr, c->errstr_size, "missing required key%s %s",
                  n > 1 ? "s" : "", b.data);
    pgcdc_buf_free(&b);
    return PGCDC_ERR_USAGE;
}

pgcdc_err_t pgcdc_config_from_kv(pgcdc_config_kv_t *kv, pgcdc_config_t **out, char *errstr,
                                 size_t errstr_size)
{
    pgcdc_config_t *cfg = pgcdc_calloc(1, sizeof(*cfg));
    config_ctx_t c;
    pgcdc_err_t err;

    *out = NULL;
    cfg->priv = pgcdc_calloc(1, sizeof(*cfg->priv));
    cfg->priv->kv = kv;
    c.cfg = cfg;
    c.p = cfg->priv;
    c.errstr = errstr;
    c.errstr_size = errstr_size;
    if ((err = pgcdc_config_check_database(&c)) || (err = pgcdc_config_check_replication(&c)) ||
        (err = pgcdc_config_check_filters(&c)) || (err = pgcdc_config_check_masks(&c)) ||
        (err = pgcdc_config_check_events(&c)) || (err = pgcdc_config_check_transforms(&c)) ||
        (err = pgcdc_config_check_queue(&c)) || (err = pgcdc_config_check_sink(&c)) ||
        (err = pgcdc_config_check_unknown(&c)) || (err = config_check_required(&c)))
        goto out;
    pgcdc_config_check_ignored(&c);
    *out = cfg;
    cfg = NULL;
out:
    pgcdc_config_free(cfg);
    return err;
}

const char *pgcdc_config_get(const pgcdc_config_t *cfg, const char *key)
{
    return pgcdc_config_kv_get(cfg->priv->kv, key);
}

size_t pgcdc_config_kafka_count(const pgcdc_config_t *cfg)
{
    return cfg->priv->nkafka;
}

void pgcdc_config_kafka_at(const pgcdc_config_t *cfg, size_t i, const char **name,
                           const char **value)
{
    *name = cfg->priv->kafka_name[i];
    *value = cfg->priv->kafka_value[i];
}

void pgcdc_config_event_opts(const pgcdc_config_t *cfg, pgcdc_event_opts_t *out)
{
    memset(out, 0, sizeof(*out));
    out->topic_prefix = cfg->topic_prefix;
    out->database = cfg->database_dbname;
    out->decimal_mode = cfg->decimal_handling_mode;
    out->time_mode = cfg->time_precision_mode;
    out->binary_mode = cfg->binary_handling_mode;
    out->interval_mode = cfg->interval_handling_mode;
    out->hstore_mode = cfg->hstore_handling_mode;
    out->include_unknown = cfg->include_unknown_datatypes;
    out->key_schemas = cfg->key_converter_schemas_enable;
    out->value_schemas = cfg->value_converter_schemas_enable;
    out->tombstones_on_delete = cfg->tombstones_on_delete;
    out->unwrap = cfg->unwrap;
}
