/*
 * config_value.c - the typed value parsers the validation steps read keys with: trimmed values,
 * where a key was set, integers, booleans, enums, separated lists and regex lists, with
 * Debezium's accepted spellings and pgcdc's messages for a bad value.
 *
 * Values are read trimmed, and a blank value counts as unset (the key's default applies).
 */
#include "config_int.h"
#include "buf.h"
#include "mem.h"

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

const char *pgcdc_config_value_keep(config_ctx_t *c, char *s)
{
    pgcdc_config_priv_t *p = c->p;

    if (p->npool == p->cappool) {
        p->cappool = p->cappool ? p->cappool * 2 : 32;
        p->pool = pgcdc_realloc(p->pool, p->cappool * sizeof(*p->pool));
    }
    p->pool[p->npool++] = s;
    return s;
}

const char *pgcdc_config_value_source(config_ctx_t *c, const char *key)
{
    size_t i, n = pgcdc_config_kv_count(c->p->kv);
    const char *k, *source;

    for (i = 0; i < n; i++) {
        pgcdc_config_kv_at(c->p->kv, i, &k, NULL, &source);
        if (!strcmp(k, key))
            return source;
    }
    return "default";
}

const char *pgcdc_config_value_get(config_ctx_t *c, const char *key)
{
    const char *raw = pgcdc_config_kv_get(c->p->kv, key);
    char *t;

    if (!raw)
        return NULL;
    t = pgcdc_config_kv_trimmed(raw, strlen(raw));
    if (!*t) {
        free(t);
        return NULL;
    }
    return pgcdc_config_value_keep(c, t);
}

pgcdc_err_t pgcdc_config_value_invalid(config_ctx_t *c, const char *key, const char *value,
                                       const char *expected)
{
    return pgcdc_err_set(PGCDC_ERR_USAGE, c->errstr, c->errstr_size,
                         "%s: invalid value '%s' for %s (expected %s)",
                         pgcdc_config_value_source(c, key), value, key, expected);
}

pgcdc_err_t pgcdc_config_value_string(config_ctx_t *c, const char *key, const char *def,
                                      const char **out)
{
    const char *v = pgcdc_config_value_get(c, key);

    *out = v ? v : def;
    return PGCDC_OK;
}

pgcdc_err_t pgcdc_config_value_long(config_ctx_t *c, const char *key, long long def, long long min,
                                    long long max, long long *out)
{
    const char *v = pgcdc_config_value_get(c, key);
    char expected[128];
    char *end;
    long long n;

    *out = def;
    if (!v)
        return PGCDC_OK;
    errno = 0;
    n = strtoll(v, &end, 10);
    if (errno || *end || end == v || n < min || n > max) {
        if (max == INT_MAX || max == LLONG_MAX)
            snprintf(expected, sizeof(expected), "an integer >= %lld", min);
        else
            snprintf(expected, sizeof(expected), "an integer between %lld and %lld", min, max);
        return pgcdc_config_value_invalid(c, key, v, expected);
    }
    *out = n;
    return PGCDC_OK;
}

pgcdc_err_t pgcdc_config_value_int(config_ctx_t *c, const char *key, int def, int min, int max,
                                   int *out)
{
    long long n;
    pgcdc_err_t err = pgcdc_config_value_long(c, key, def, min, max, &n);

    *out = (int)n;
    return err;
}

pgcdc_err_t pgcdc_config_value_bool(config_ctx_t *c, const char *key, int def, int *out)
{
    const char *v = pgcdc_config_value_get(c, key);

    *out = def;
    if (!v)
        return PGCDC_OK;
    /* Kafka's ConfigDef accepts exactly true/false, in any case. */
    if (!strcasecmp(v, "true"))
        *out = 1;
    else if (!strcasecmp(v, "false"))
        *out = 0;
    else
        return pgcdc_config_value_invalid(c, key, v, "true or false");
    return PGCDC_OK;
}

pgcdc_err_t pgcdc_config_value_enum(config_ctx_t *c, const char *key, const config_enum_t *names,
                                    int def, const char *expected, int *out)
{
    const char *v = pgcdc_config_value_get(c, key);

    *out = def;
    if (!v)
        return PGCDC_OK;
    for (; names->name; names++) {
        if (!strcasecmp(v, names->name)) {
            *out = names->value;
            return PGCDC_OK;
        }
    }
    return pgcdc_config_value_invalid(c, key, v, expected);
}

pgcdc_err_t pgcdc_config_value_split(const char *list, char sep,
                                     pgcdc_err_t (*fn)(config_ctx_t *, const char *, void *),
                                     config_ctx_t *c, void *arg)
{
    pgcdc_buf_t item = PGCDC_BUF_INIT;
    pgcdc_err_t err = PGCDC_OK;
    const char *s = list;
    char *t;

    for (;;) {
        if (*s == '\\' && s[1] == sep) {
            pgcdc_buf_putc(&item, sep);
            s += 2;
            continue;
        }
        if (*s == sep || *s == '\0') {
            t = pgcdc_config_kv_trimmed(item.data ? item.data : "", item.len);
            if (*t)
                err = fn(c, t, arg);
            free(t);
            if (err != PGCDC_OK || *s == '\0')
                break;
            pgcdc_buf_reset(&item);
            s++;
            continue;
        }
        pgcdc_buf_putc(&item, *s++);
    }
    pgcdc_buf_free(&item);
    return err;
}

pgcdc_err_t pgcdc_config_value_regex(config_ctx_t *c, const char *key, const char *item,
                                     config_relist_t *list)
{
    char msg[256];

    if (pgcdc_config_regex_add(list, item, msg, sizeof(msg)) != 0)
        return pgcdc_err_set(PGCDC_ERR_USAGE, c->errstr, c->errstr_size,
                             "%s: invalid regular expression '%s' in %s: %s",
                             pgcdc_config_value_source(c, key), item, key, msg);
    return PGCDC_OK;
}

typedef struct config_value_regex_arg {
    const char *key;
    config_relist_t *list;
} config_value_regex_arg_t;

static pgcdc_err_t config_value_regex_item(config_ctx_t *c, const char *item, void *arg)
{
    config_value_regex_arg_t *a = arg;

    return pgcdc_config_value_regex(c, a->key, item, a->list);
}

pgcdc_err_t pgcdc_config_value_regexes(config_ctx_t *c, const char *key, const char *value,
                                       config_relist_t *list)
{
    config_value_regex_arg_t a = {key, list};

    return pgcdc_config_value_split(value, ',', config_value_regex_item, c, &a);
}

pgcdc_err_t pgcdc_config_value_regex_list(config_ctx_t *c, const char *key, const char **out,
                                          config_relist_t *list)
{
    *out = pgcdc_config_value_get(c, key);
    if (!*out)
        return PGCDC_OK;
    return pgcdc_config_value_regexes(c, key, *out, list);
}
