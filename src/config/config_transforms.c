/*
 * config_transforms.c - the transforms.* keys: the single message transform pgcdc applies,
 * Debezium's ExtractNewRecordState, built into a pgcdc_unwrap_t (transform_unwrap.h) that the
 * config owns and the encoder borrows. Every other key of the transform's alias is warned
 * about here; pgcdc_config_check_ignored() skips them.
 */
#include "config_int.h"
#include "buf.h"
#include "log.h"
#include "mem.h"
#include "transform_unwrap.h"

#include <stdlib.h>
#include <string.h>

/* Options of ExtractNewRecordState (Debezium 3.2) that pgcdc reads or that change nothing for
 * the records pgcdc publishes. */
static const char *const config_unwrap_keys[] = {
    "type",
    "delete.tombstone.handling.mode",
    "add.fields",
    "add.fields.prefix",
    "add.headers",
    "add.headers.prefix",
    "replace.null.with.default",
    "drop.fields.header.name",
    "drop.fields.from.key",
    "drop.fields.keep.schema.compatible",
    NULL,
};

/* The trimmed value of the transform's option opt; key is left holding the option's full key. */
static const char *config_transforms_value(config_ctx_t *c, pgcdc_buf_t *key, const char *opt)
{
    pgcdc_buf_reset(key);
    pgcdc_buf_printf(key, "%s%s", c->p->transform_prefix, opt);
    return pgcdc_config_value_get(c, key->data);
}

/* Reads add.fields or add.headers (headers = 1) and its prefix into u. */
static pgcdc_err_t config_transforms_refs(config_ctx_t *c, pgcdc_unwrap_t *u, int headers,
                                          pgcdc_buf_t *key)
{
    const char *opt = headers ? "add.headers" : "add.fields";
    const char *prefix, *list;
    char msg[PGCDC_ERRSTR_SIZE];
    pgcdc_err_t err;

    pgcdc_buf_reset(key);
    pgcdc_buf_printf(key, "%s%s.prefix", c->p->transform_prefix, opt);
    /* The prefix is taken as written (Debezium does not trim it). */
    prefix = pgcdc_config_kv_get(c->p->kv, key->data);
    if (!prefix)
        prefix = "__";
    list = config_transforms_value(c, key, opt);
    if (!list)
        return PGCDC_OK;
    err = pgcdc_unwrap_set_refs(u, headers, list, prefix, msg, sizeof(msg));
    if (err)
        return pgcdc_err_set(PGCDC_ERR_USAGE, c->errstr, c->errstr_size,
                             "%s: invalid value for %s: %s",
                             pgcdc_config_value_source(c, key->data), key->data, msg);
    return PGCDC_OK;
}

/* Every other key of the alias: warn about what pgcdc does not do. */
static void config_transforms_warn(config_ctx_t *c)
{
    size_t i, n = pgcdc_config_kv_count(c->p->kv), plen = strlen(c->p->transform_prefix);
    const char *key, *source, *opt;

    for (i = 0; i < n; i++) {
        pgcdc_config_kv_at(c->p->kv, i, &key, NULL, &source);
        if (strncmp(key, c->p->transform_prefix, plen))
            continue;
        opt = key + plen;
        if (pgcdc_config_keys_in_list(config_unwrap_keys, opt))
            continue;
        if (!strcmp(opt, "drop.tombstones") || !strcmp(opt, "delete.handling.mode"))
            pgcdc_log_warn("configuration key '%s' (%s) was removed in Debezium 3 and is ignored "
                           "as Debezium 3.2 ignores it; use delete.tombstone.handling.mode",
                           key, source);
        else if (!strcmp(opt, "route.by.field")) {
            if (pgcdc_config_value_get(c, key))
                pgcdc_log_warn("configuration key '%s' (%s) is not supported by pgcdc yet; "
                               "ignored",
                               key, source);
        } else if (!strcmp(opt, "predicate") || !strcmp(opt, "negate"))
            pgcdc_log_warn("configuration key '%s' (%s) is not supported by pgcdc yet; ignored",
                           key, source);
        else
            pgcdc_log_warn("unknown configuration key '%s' (%s); ignored", key, source);
    }
}

/* The first alias of the transforms list into alias; returns how many aliases it names. */
static int config_transforms_alias(const char *v, pgcdc_buf_t *alias)
{
    const char *s, *e;
    int count = 0;
    char *t;

    /* Aliases: comma-separated, trimmed; pgcdc applies exactly one. */
    for (s = v;; s = e + 1) {
        e = strchr(s, ',');
        t = pgcdc_config_kv_trimmed(s, e ? (size_t)(e - s) : strlen(s));
        if (*t && count++ == 0)
            pgcdc_buf_puts(alias, t);
        free(t);
        if (!e)
            break;
    }
    return count;
}

pgcdc_err_t pgcdc_config_check_transforms(config_ctx_t *c)
{
    const char *v = pgcdc_config_value_get(c, "transforms"), *type, *opt;
    pgcdc_buf_t alias = PGCDC_BUF_INIT, k = PGCDC_BUF_INIT;
    pgcdc_unwrap_t *u = NULL;
    pgcdc_unwrap_mode_t mode;
    pgcdc_err_t err = PGCDC_OK;
    int count;

    if (!v)
        return PGCDC_OK;
    count = config_transforms_alias(v, &alias);
    if (count == 0)
        goto out;
    if (count > 1) {
        err = pgcdc_config_value_invalid(
            c, "transforms", v, "a single transform: pgcdc applies only ExtractNewRecordState");
        goto out;
    }
    pgcdc_buf_printf(&k, "transforms.%s.", alias.data);
    c->p->transform_prefix = pgcdc_strdup(k.data);
    type = config_transforms_value(c, &k, "type");
    if (!type) {
        err = pgcdc_err_set(PGCDC_ERR_USAGE, c->errstr, c->errstr_size,
                            "%s: missing required key %s (transform '%s' is named in transforms)",
                            pgcdc_config_value_source(c, "transforms"), k.data, alias.data);
        goto out;
    }
    if (strcmp(type, "io.debezium.transforms.ExtractNewRecordState") &&
        strcmp(type, "ExtractNewRecordState")) {
        err = pgcdc_config_value_invalid(
            c, k.data, type,
            "io.debezium.transforms.ExtractNewRecordState, the only transform pgcdc applies");
        goto out;
    }
    u = pgcdc_unwrap_new();
    opt = config_transforms_value(c, &k, "delete.tombstone.handling.mode");
    if (opt && pgcdc_unwrap_parse_mode(opt, &mode) != 0) {
        err = pgcdc_config_value_invalid(c, k.data, opt,
                                         "drop, tombstone, rewrite, rewrite-with-tombstone or "
                                         "delete-to-tombstone");
        goto out;
    }
    if (opt)
        u->mode = mode;
    if ((err = config_transforms_refs(c, u, 0, &k)) || (err = config_transforms_refs(c, u, 1, &k)))
        goto out;
    config_transforms_warn(c);
    c->cfg->unwrap = u;
    u = NULL;
out:
    pgcdc_unwrap_free(u);
    pgcdc_buf_free(&alias);
    pgcdc_buf_free(&k);
    return err;
}
