/*
 * config_masks.c - the column value option keys (column.truncate.to.<N>.chars,
 * column.mask.with.<N>.chars, column.mask.hash[.v2].<algorithm>.with.salt.<salt>): parsing each
 * key into a rule (column_mask.h) with the column regexes of its value, ordering the rules as
 * Debezium tries them, and finding the rule of a column.
 */
#include "config_int.h"
#include "mem.h"
#include "utf8.h"

#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct config_maskrule {
    pgcdc_mask_rule_t rule;
    config_relist_t cols; /* fully-qualified column regexes */
    uint32_t order;       /* Java HashMap bucket of the key (see pgcdc_config_check_masks) */
    size_t kvpos;
};

/* The digits of a <N> in a key, as a non-negative int; -1 when not one. */
static long config_masks_key_int(const char *s, size_t n)
{
    long v = 0;
    size_t i;

    if (n == 0 || n > 10)
        return -1;
    for (i = 0; i < n; i++) {
        if (s[i] < '0' || s[i] > '9')
            return -1;
        v = v * 10 + (s[i] - '0');
    }
    return v > INT_MAX ? -1 : v;
}

/* Recognises one column value option key: kind, N or algorithm and salt (pointers into key).
 * Returns 0 when key is not such an option, 1 when it is, -1 when it is malformed. */
static int config_masks_parse_key(const char *key, pgcdc_mask_kind_t *kind, long *n, char *alg,
                                  size_t alg_size, const char **salt)
{
    static const char trunc[] = "column.truncate.to.", with[] = "column.mask.with.",
                      hash[] = "column.mask.hash.", chars[] = ".chars", wsalt[] = ".with.salt.";
    const char *s, *dot;
    size_t len;

    if (!strncmp(key, trunc, sizeof(trunc) - 1) || !strncmp(key, with, sizeof(with) - 1)) {
        *kind = key[7] == 't' ? PGCDC_MASK_TRUNCATE : PGCDC_MASK_CHARS;
        s = key + (*kind == PGCDC_MASK_TRUNCATE ? sizeof(trunc) : sizeof(with)) - 1;
        len = strlen(s);
        if (len <= sizeof(chars) - 1 || strcmp(s + len - (sizeof(chars) - 1), chars))
            return -1;
        *n = config_masks_key_int(s, len - (sizeof(chars) - 1));
        return *n < 0 ? -1 : 1;
    }
    if (strncmp(key, hash, sizeof(hash) - 1))
        return 0;
    s = key + sizeof(hash) - 1;
    *kind = PGCDC_MASK_HASH_V1;
    dot = strchr(s, '.');
    if (dot && strncmp(dot, wsalt, sizeof(wsalt) - 1) && dot - s == 2 && !strncmp(s, "v2", 2)) {
        *kind = PGCDC_MASK_HASH_V2;
        s = dot + 1;
        dot = strchr(s, '.');
    }
    if (!dot || dot == s || strncmp(dot, wsalt, sizeof(wsalt) - 1) || !dot[sizeof(wsalt) - 1] ||
        (size_t)(dot - s) >= alg_size)
        return -1;
    memcpy(alg, s, (size_t)(dot - s));
    alg[dot - s] = '\0';
    *salt = dot + sizeof(wsalt) - 1;
    return 1;
}

int pgcdc_config_masks_is_key(const char *key)
{
    pgcdc_mask_kind_t kind;
    long n;
    char alg[64];
    const char *salt;

    return config_masks_parse_key(key, &kind, &n, alg, sizeof(alg), &salt) == 1;
}

static int config_masks_cmp(const void *a, const void *b)
{
    const config_maskrule_t *x = a, *y = b;

    if (x->rule.kind != y->rule.kind)
        return x->rule.kind < y->rule.kind ? -1 : 1;
    if (x->order != y->order)
        return x->order < y->order ? -1 : 1;
    return x->kvpos < y->kvpos ? -1 : x->kvpos > y->kvpos;
}

/* Reads every column value option. Debezium tries its rules in this order: all truncate
 * options, then all mask options, then hash v1, then hash v2; within a kind in the iteration
 * order of the Java HashMap holding the configuration, which pgcdc reproduces for a map of as
 * many keys as it was given (bucket = spread hash & (capacity - 1)). The first rule whose
 * regexes match a column is the one applied to it. */
pgcdc_err_t pgcdc_config_check_masks(config_ctx_t *c)
{
    pgcdc_config_priv_t *p = c->p;
    size_t i, nkv = pgcdc_config_kv_count(p->kv), cap = 16;
    const char *key, *salt = NULL;
    char alg[64];
    pgcdc_err_t err = PGCDC_OK;

    while (nkv > cap * 3 / 4)
        cap *= 2;
    for (i = 0; i < nkv; i++) {
        pgcdc_mask_kind_t kind = PGCDC_MASK_TRUNCATE;
        long n = 0;
        int rc;
        config_maskrule_t *m;
        const char *v;
        uint32_t h;

        pgcdc_config_kv_at(p->kv, i, &key, NULL, NULL);
        rc = config_masks_parse_key(key, &kind, &n, alg, sizeof(alg), &salt);
        if (rc == 0)
            continue;
        v = pgcdc_config_value_get(c, key);
        if (rc < 0)
            return pgcdc_err_set(PGCDC_ERR_USAGE, c->errstr, c->errstr_size,
                                 "%s: invalid key '%s' (value '%s'): expected "
                                 "column.truncate.to.<N>.chars, column.mask.with.<N>.chars or "
                                 "column.mask.hash[.v2].<algorithm>.with.salt.<salt> with N a "
                                 "non-negative integer",
                                 pgcdc_config_value_source(c, key), key, v ? v : "");
        if (!v)
            continue;
        p->masks = pgcdc_realloc(p->masks, (p->nmasks + 1) * sizeof(*p->masks));
        m = &p->masks[p->nmasks];
        memset(m, 0, sizeof(*m));
        if (pgcdc_column_mask_rule_init(&m->rule, kind, n, alg, salt) != 0)
            return pgcdc_err_set(PGCDC_ERR_USAGE, c->errstr, c->errstr_size,
                                 "%s: unknown hash algorithm '%s' in %s (value '%s'; expected a "
                                 "Java MessageDigest name such as SHA-256, SHA-512, SHA-1, MD5)",
                                 pgcdc_config_value_source(c, key), alg, key, v);
        h = pgcdc_utf8_java_hash(key, strlen(key));
        m->order = (h ^ (h >> 16)) & (uint32_t)(cap - 1);
        m->kvpos = i;
        p->nmasks++;
        if ((err = pgcdc_config_value_regexes(c, key, v, &m->cols)))
            return err;
    }
    if (p->nmasks > 1)
        qsort(p->masks, p->nmasks, sizeof(*p->masks), config_masks_cmp);
    return PGCDC_OK;
}

void pgcdc_config_masks_free(config_maskrule_t *masks, size_t n)
{
    size_t i;

    if (!masks)
        return;
    for (i = 0; i < n; i++) {
        pgcdc_column_mask_rule_clear(&masks[i].rule);
        pgcdc_config_regex_free(&masks[i].cols);
    }
    free(masks);
}

const pgcdc_mask_rule_t *pgcdc_config_column_mask(const pgcdc_config_t *cfg, const char *schema,
                                                  const char *table, const char *column)
{
    const pgcdc_config_priv_t *p = cfg->priv;
    char fq[768];
    size_t i;

    if (!p->nmasks)
        return NULL;
    snprintf(fq, sizeof(fq), "%s.%s.%s", schema, table, column);
    for (i = 0; i < p->nmasks; i++)
        if (pgcdc_config_regex_match(&p->masks[i].cols, fq))
            return &p->masks[i].rule;
    return NULL;
}
