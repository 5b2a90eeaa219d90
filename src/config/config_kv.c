/*
 * config_kv.c - see config_kv.h. The store, the trimming shared with the typed layer, and
 * --set overrides.
 */
#include "config_kv.h"
#include "mem.h"

#include <stdlib.h>
#include <string.h>

typedef struct config_kv_entry {
    char *key;
    char *value;
    char *source;
} config_kv_entry_t;

struct pgcdc_config_kv {
    config_kv_entry_t *v;
    size_t n;
    size_t cap;
};

pgcdc_config_kv_t *pgcdc_config_kv_new(void)
{
    return pgcdc_calloc(1, sizeof(pgcdc_config_kv_t));
}

void pgcdc_config_kv_free(pgcdc_config_kv_t *kv)
{
    size_t i;

    if (!kv)
        return;
    for (i = 0; i < kv->n; i++) {
        free(kv->v[i].key);
        free(kv->v[i].value);
        free(kv->v[i].source);
    }
    free(kv->v);
    free(kv);
}

static config_kv_entry_t *config_kv_find(const pgcdc_config_kv_t *kv, const char *key)
{
    size_t i;

    /* Linear: a connector config has tens of keys and is read once. */
    for (i = 0; i < kv->n; i++)
        if (!strcmp(kv->v[i].key, key))
            return &kv->v[i];
    return NULL;
}

void pgcdc_config_kv_set(pgcdc_config_kv_t *kv, const char *key, const char *value,
                         const char *source)
{
    config_kv_entry_t *e = config_kv_find(kv, key);

    if (e) {
        free(e->value);
        free(e->source);
        e->value = pgcdc_strdup(value);
        e->source = pgcdc_strdup(source);
        return;
    }
    if (kv->n == kv->cap) {
        kv->cap = kv->cap ? kv->cap * 2 : 32;
        kv->v = pgcdc_realloc(kv->v, kv->cap * sizeof(*kv->v));
    }
    e = &kv->v[kv->n++];
    e->key = pgcdc_strdup(key);
    e->value = pgcdc_strdup(value);
    e->source = pgcdc_strdup(source);
}

const char *pgcdc_config_kv_get(const pgcdc_config_kv_t *kv, const char *key)
{
    config_kv_entry_t *e = config_kv_find(kv, key);

    return e ? e->value : NULL;
}

size_t pgcdc_config_kv_count(const pgcdc_config_kv_t *kv)
{
    return kv->n;
}

void pgcdc_config_kv_at(const pgcdc_config_kv_t *kv, size_t i, const char **key, const char **value,
                        const char **source)
{
    if (key)
        *key = kv->v[i].key;
    if (value)
        *value = kv->v[i].value;
    if (source)
        *source = kv->v[i].source;
}

int pgcdc_config_kv_is_space(char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}

char *pgcdc_config_kv_trimmed(const char *s, size_t n)
{
    while (n > 0 && pgcdc_config_kv_is_space(*s)) {
        s++;
        n--;
    }
    while (n > 0 && pgcdc_config_kv_is_space(s[n - 1]))
        n--;
    return pgcdc_strndup(s, n);
}

pgcdc_err_t pgcdc_config_kv_apply_set(pgcdc_config_kv_t *kv, const char *arg, char *errstr,
                                      size_t errstr_size)
{
    const char *eq = strchr(arg, '=');
    char *key;

    /* The argument is not echoed: without '=' it may be a mistyped key=secret pair. */
    if (!eq)
        return pgcdc_err_set(PGCDC_ERR_USAGE, errstr, errstr_size,
                             "--set argument has no '=' (expected key=value)");
    key = pgcdc_config_kv_trimmed(arg, (size_t)(eq - arg));
    if (!*key) {
        free(key);
        return pgcdc_err_set(PGCDC_ERR_USAGE, errstr, errstr_size,
                             "--set argument has an empty key (expected key=value)");
    }
    pgcdc_config_kv_set(kv, key, eq + 1, "--set");
    free(key);
    return PGCDC_OK;
}
