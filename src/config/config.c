/*
 * config.c - see config.h. Loading, validation of the raw store (config_kv.h) into the typed
 * struct, and the helpers built on it (filters, DSN, redacted description).
 */
#include "config.h"
#include "config_kv.h"
#include "secret.h"
#include "log.h"
#include "mem.h"
#include "utf8.h"
#include "transform_unwrap.h"

#include <errno.h>
#include <limits.h>
#include <regex.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* ---- typed layer: private part ---------------------------------------------------------- */

typedef struct config_relist {
    regex_t *re;
    size_t n;
} config_relist_t;

typedef struct config_keycols {
    regex_t re;
    char *columns;
} config_keycols_t;

typedef struct config_maskrule {
    pgcdc_mask_rule_t rule;
    config_relist_t cols; /* fully-qualified column regexes */
    uint32_t order;       /* Java HashMap bucket of the key (see config_check_masks) */
    size_t kvpos;
} config_maskrule_t;

struct pgcdc_config_priv {
    pgcdc_config_kv_t *kv;
    char **pool; /* strings the typed fields point to that are not in kv (trimmed copies) */
    size_t npool, cappool;
    config_relist_t schema_inc, schema_exc, table_inc, table_exc, col_inc, col_exc;
    config_relist_t msg_inc, msg_exc;
    config_keycols_t *keycols;
    size_t nkeycols;
    config_maskrule_t *masks; /* in Debezium's order of precedence */
    size_t nmasks;
    const char **kafka_name; /* into kv keys */
    const char **kafka_value;
    size_t nkafka;
    char *transform_prefix; /* "transforms.<alias>." of the transform pgcdc applies, or NULL */
};

static const char *config_pool_add(pgcdc_config_priv_t *p, char *s)
{
    if (p->npool == p->cappool) {
        p->cappool = p->cappool ? p->cappool * 2 : 32;
        p->pool = pgcdc_realloc(p->pool, p->cappool * sizeof(*p->pool));
    }
    p->pool[p->npool++] = s;
    return s;
}

static void config_relist_free(config_relist_t *l)
{
    size_t i;

    for (i = 0; i < l->n; i++)
        regfree(&l->re[i]);
    free(l->re);
    l->re = NULL;
    l->n = 0;
}

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
        config_relist_free(&p->schema_inc);
        config_relist_free(&p->schema_exc);
        config_relist_free(&p->table_inc);
        config_relist_free(&p->table_exc);
        config_relist_free(&p->col_inc);
        config_relist_free(&p->col_exc);
        config_relist_free(&p->msg_inc);
        config_relist_free(&p->msg_exc);
        for (i = 0; i < p->nkeycols; i++) {
            regfree(&p->keycols[i].re);
            free(p->keycols[i].columns);
        }
        free(p->keycols);
        for (i = 0; i < p->nmasks; i++) {
            pgcdc_column_mask_rule_clear(&p->masks[i].rule);
            config_relist_free(&p->masks[i].cols);
        }
        free(p->masks);
        free(p->kafka_name);
        free(p->kafka_value);
        free(p->transform_prefix);
        pgcdc_config_kv_free(p->kv);
        free(p);
    }
    pgcdc_unwrap_free(cfg->unwrap);
    free(cfg);
}

/* ---- key classification ----------------------------------------------------------------- */

/* Keys this file reads into the typed struct. */
static const char *const config_known_keys[] = {
    "database.hostname",
    "database.port",
    "database.user",
    "database.password",
    "database.dbname",
    "database.sslmode",
    "topic.prefix",
    "topic.heartbeat.prefix",
    "topic.transaction",
    "plugin.name",
    "slot.name",
    "slot.drop.on.stop",
    "publication.name",
    "publication.autocreate.mode",
    "snapshot.mode",
    "snapshot.fetch.size",
    "schema.include.list",
    "schema.exclude.list",
    "table.include.list",
    "table.exclude.list",
    "column.include.list",
    "column.exclude.list",
    "message.key.columns",
    "message.prefix.include.list",
    "message.prefix.exclude.list",
    "heartbeat.action.query",
    "decimal.handling.mode",
    "time.precision.mode",
    "binary.handling.mode",
    "interval.handling.mode",
    "hstore.handling.mode",
    "include.unknown.datatypes",
    "tombstones.on.delete",
    "skipped.operations",
    "provide.transaction.metadata",
    "key.converter",
    "value.converter",
    "key.converter.schemas.enable",
    "value.converter.schemas.enable",
    "max.queue.size",
    "max.batch.size",
    "max.queue.size.in.bytes",
    "poll.interval.ms",
    "status.update.interval.ms",
    "heartbeat.interval.ms",
    "sink.type",
    "connector.class",
    NULL,
};

/* Kafka Connect framework keys that mean nothing to a single-process pgcdc. */
static const char *const config_framework_keys[] = {
    "name",
    "tasks.max",
    "config.action.reload",
    NULL,
};

/* Legitimate Debezium / Kafka Connect keys pgcdc does not implement yet: exact names... */
static const char *const config_unsupported_keys[] = {
    "database.sslcert",
    "database.sslkey",
    "database.sslpassword",
    "database.sslrootcert",
    "database.sslfactory",
    "database.tcpKeepAlive",
    "database.initial.statements",
    "database.query.timeout.ms",
    "slot.stream.params",
    "slot.max.retries",
    "slot.retry.delay.ms",
    "slot.failover",
    "publish.via.partition.root",
    "replica.identity.autoset.values",
    "snapshot.isolation.mode",
    "snapshot.locking.mode",
    "snapshot.locking.mode.custom.name",
    "snapshot.query.mode",
    "snapshot.query.mode.custom.name",
    "snapshot.select.statement.overrides",
    "snapshot.include.collection.list",
    "snapshot.delay.ms",
    "snapshot.max.threads",
    "snapshot.mode.custom.name",
    "schema.refresh.mode",
    "schema.name.adjustment.mode",
    "field.name.adjustment.mode",
    "money.fraction.digits",
    "unavailable.value.placeholder",
    "column.propagate.source.type",
    "datatype.propagate.source.type",
    "converters",
    "event.processing.failure.handling.mode",
    "topic.naming.strategy",
    "topic.delimiter",
    "topic.cache.size",
    "incremental.snapshot.chunk.size",
    "incremental.snapshot.watermarking.strategy",
    "incremental.snapshot.allow.schema.changes",
    "retriable.restart.connector.wait.ms",
    "xmin.fetch.interval.ms",
    "lsn.flush.mode",
    "lsn.flush.timeout.ms",
    "lsn.flush.timeout.action",
    "flush.lsn.source",
    "offset.mismatch.strategy",
    "read.only",
    "table.ignore.builtin",
    "custom.metric.tags",
    "source.struct.version",
    "sourceinfo.struct.maker",
    "post.processors",
    "header.converter",
    "tombstones.on.delete.skip",
    "schema.history.internal",
    "include.schema.changes",
    NULL,
};

/* ... and prefixes. */
static const char *const config_unsupported_prefixes[] = {
    "transforms",
    "predicates",
    "errors.",
    "signal.",
    "notification.",
    "incremental.snapshot.",
    "snapshot.mode.configuration.based.",
    "converters.",
    "topic.creation.",
    "key.converter.",
    "value.converter.",
    "header.converter.",
    "post.processors.",
    "database.ssl",
    "producer.override.",
    "consumer.override.",
    "offset.storage.",
    "exactly.once.",
    "transaction.boundary",
    NULL,
};

static int config_in_list(const char *const *list, const char *key)
{
    for (; *list; list++)
        if (!strcmp(*list, key))
            return 1;
    return 0;
}

static int config_has_prefix_in(const char *const *list, const char *key)
{
    for (; *list; list++)
        if (!strncmp(*list, key, strlen(*list)))
            return 1;
    return 0;
}

static int config_is_kafka_key(const char *key)
{
    return !strncmp(key, "kafka.", 6) && key[6] != '\0';
}

/* ---- value parsers ---------------------------------------------------------------------- */

typedef struct config_ctx {
    pgcdc_config_t *cfg;
    pgcdc_config_priv_t *p;
    char *errstr;
    size_t errstr_size;
} config_ctx_t;

static const char *config_source(config_ctx_t *c, const char *key)
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

/* The trimmed value of key (owned by the config), or NULL when unset or blank. */
static const char *config_value(config_ctx_t *c, const char *key)
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
    return config_pool_add(c->p, t);
}

static pgcdc_err_t config_invalid(config_ctx_t *c, const char *key, const char *value,
                                  const char *expected)
{
    return pgcdc_err_set(PGCDC_ERR_USAGE, c->errstr, c->errstr_size,
                         "%s: invalid value '%s' for %s (expected %s)", config_source(c, key),
                         value, key, expected);
}

static pgcdc_err_t config_string(config_ctx_t *c, const char *key, const char *def,
                                 const char **out)
{
    const char *v = config_value(c, key);

    *out = v ? v : def;
    return PGCDC_OK;
}

static pgcdc_err_t config_long(config_ctx_t *c, const char *key, long long def, long long min,
                               long long max, long long *out)
{
    const char *v = config_value(c, key);
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
        return config_invalid(c, key, v, expected);
    }
    *out = n;
    return PGCDC_OK;
}

static pgcdc_err_t config_int(config_ctx_t *c, const char *key, int def, int min, int max, int *out)
{
    long long n;
    pgcdc_err_t err = config_long(c, key, def, min, max, &n);

    *out = (int)n;
    return err;
}

static pgcdc_err_t config_bool(config_ctx_t *c, const char *key, int def, int *out)
{
    const char *v = config_value(c, key);

    *out = def;
    if (!v)
        return PGCDC_OK;
    /* Kafka's ConfigDef accepts exactly true/false, in any case. */
    if (!strcasecmp(v, "true"))
        *out = 1;
    else if (!strcasecmp(v, "false"))
        *out = 0;
    else
        return config_invalid(c, key, v, "true or false");
    return PGCDC_OK;
}

typedef struct config_enum {
    const char *name;
    int value;
} config_enum_t;

/* names is terminated by {NULL, 0}; expected lists them for the message. */
static pgcdc_err_t config_enum(config_ctx_t *c, const char *key, const config_enum_t *names,
                               int def, const char *expected, int *out)
{
    const char *v = config_value(c, key);

    *out = def;
    if (!v)
        return PGCDC_OK;
    for (; names->name; names++) {
        if (!strcasecmp(v, names->name)) {
            *out = names->value;
            return PGCDC_OK;
        }
    }
    return config_invalid(c, key, v, expected);
}

/* Compiles one Debezium (Java) regex as an anchored, case-insensitive POSIX ERE. Java's \d and
 * \D, common in table lists, are rewritten; the rest of ERE with GNU extensions (\w, \s, \b)
 * reads the same. */
static int config_regcomp(regex_t *re, const char *java, char *msg, size_t msg_size)
{
    pgcdc_buf_t b = PGCDC_BUF_INIT;
    int in_bracket = 0, rc;
    const char *s;

    pgcdc_buf_puts(&b, "^(");
    for (s = java; *s; s++) {
        if (*s == '\\' && s[1]) {
            if (!in_bracket && s[1] == 'd') {
                pgcdc_buf_puts(&b, "[0-9]");
            } else if (!in_bracket && s[1] == 'D') {
                pgcdc_buf_puts(&b, "[^0-9]");
            } else {
                pgcdc_buf_putc(&b, s[0]);
                pgcdc_buf_putc(&b, s[1]);
            }
            s++;
            continue;
        }
        if (*s == '[')
            in_bracket = 1;
        else if (*s == ']')
            in_bracket = 0;
        pgcdc_buf_putc(&b, *s);
    }
    pgcdc_buf_puts(&b, ")$");
    rc = regcomp(re, b.data, REG_EXTENDED | REG_ICASE | REG_NOSUB);
    if (rc != 0) {
        /* Nothing to regfree() after a failed regcomp(). */
        regerror(rc, re, msg, msg_size);
    }
    pgcdc_buf_free(&b);
    return rc;
}

/* Splits a comma-separated list ("\," is a literal comma), trimming each item; calls fn on each
 * non-empty item. */
static pgcdc_err_t config_split(const char *list, char sep,
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

typedef struct config_relist_arg {
    const char *key;
    config_relist_t *list;
} config_relist_arg_t;

static pgcdc_err_t config_relist_add(config_ctx_t *c, const char *item, void *arg)
{
    config_relist_arg_t *a = arg;
    char msg[256];

    a->list->re = pgcdc_realloc(a->list->re, (a->list->n + 1) * sizeof(regex_t));
    if (config_regcomp(&a->list->re[a->list->n], item, msg, sizeof(msg)) != 0)
        return pgcdc_err_set(PGCDC_ERR_USAGE, c->errstr, c->errstr_size,
                             "%s: invalid regular expression '%s' in %s: %s",
                             config_source(c, a->key), item, a->key, msg);
    a->list->n++;
    return PGCDC_OK;
}

static pgcdc_err_t config_regex_list(config_ctx_t *c, const char *key, const char **out,
                                     config_relist_t *list)
{
    config_relist_arg_t a = {key, list};

    *out = config_value(c, key);
    if (!*out)
        return PGCDC_OK;
    return config_split(*out, ',', config_relist_add, c, &a);
}

static int config_relist_match(const config_relist_t *l, const char *name)
{
    size_t i;

    for (i = 0; i < l->n; i++)
        if (regexec(&l->re[i], name, 0, NULL, 0) == 0)
            return 1;
    return 0;
}

static pgcdc_err_t config_skip_add(config_ctx_t *c, const char *item, void *arg)
{
    unsigned *bits = arg;

    if (!strcasecmp(item, "c"))
        *bits |= PGCDC_SKIP_CREATE;
    else if (!strcasecmp(item, "u"))
        *bits |= PGCDC_SKIP_UPDATE;
    else if (!strcasecmp(item, "d"))
        *bits |= PGCDC_SKIP_DELETE;
    else if (!strcasecmp(item, "t"))
        *bits |= PGCDC_SKIP_TRUNCATE;
    else
        return config_invalid(c, "skipped.operations", config_value(c, "skipped.operations"),
                              "none or a comma-separated list of c, u, d and t");
    return PGCDC_OK;
}

static pgcdc_err_t config_skipped_ops(config_ctx_t *c)
{
    const char *v = config_value(c, "skipped.operations");
    unsigned bits = 0;
    pgcdc_err_t err;

    c->cfg->skipped_operations = PGCDC_SKIP_TRUNCATE;
    if (!v)
        return PGCDC_OK;
    if (!strcasecmp(v, "none")) {
        c->cfg->skipped_operations = 0;
        return PGCDC_OK;
    }
    err = config_split(v, ',', config_skip_add, c, &bits);
    c->cfg->skipped_operations = bits;
    return err;
}

static pgcdc_err_t config_keycols_add(config_ctx_t *c, const char *item, void *arg)
{
    const char *colon = strchr(item, ':');
    const char *v = arg;
    config_keycols_t *k;
    pgcdc_buf_t cols = PGCDC_BUF_INIT;
    char *table, *col, *save = NULL, *copy;
    char msg[256];

    if (!colon || colon == item || !colon[1])
        return config_invalid(c, "message.key.columns", v,
                              "<table regex>:<column>[,<column>...] entries separated by ';'");
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
        free(table);
        pgcdc_buf_free(&cols);
        return config_invalid(c, "message.key.columns", v,
                              "<table regex>:<column>[,<column>...] entries separated by ';'");
    }
    c->p->keycols = pgcdc_realloc(c->p->keycols, (c->p->nkeycols + 1) * sizeof(*c->p->keycols));
    k = &c->p->keycols[c->p->nkeycols];
    if (config_regcomp(&k->re, table, msg, sizeof(msg)) != 0) {
        pgcdc_err_set(PGCDC_ERR_USAGE, c->errstr, c->errstr_size,
                      "%s: invalid regular expression '%s' in message.key.columns: %s",
                      config_source(c, "message.key.columns"), table, msg);
        free(table);
        pgcdc_buf_free(&cols);
        return PGCDC_ERR_USAGE;
    }
    k->columns = pgcdc_strdup(cols.data);
    c->p->nkeycols++;
    free(table);
    pgcdc_buf_free(&cols);
    return PGCDC_OK;
}

/* ---- column value options (column.truncate.*, column.mask.*) ---------------------------- */

/* The digits of a <N> in a key, as a non-negative int; -1 when not one. */
static long config_key_int(const char *s, size_t n)
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
static int config_mask_key(const char *key, pgcdc_mask_kind_t *kind, long *n, char *alg,
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
        *n = config_key_int(s, len - (sizeof(chars) - 1));
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

static int config_mask_cmp(const void *a, const void *b)
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
static pgcdc_err_t config_check_masks(config_ctx_t *c)
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
        config_relist_arg_t a;
        const char *v;
        uint32_t h;

        pgcdc_config_kv_at(p->kv, i, &key, NULL, NULL);
        rc = config_mask_key(key, &kind, &n, alg, sizeof(alg), &salt);
        if (rc == 0)
            continue;
        v = config_value(c, key);
        if (rc < 0)
            return pgcdc_err_set(PGCDC_ERR_USAGE, c->errstr, c->errstr_size,
                                 "%s: invalid key '%s' (value '%s'): expected "
                                 "column.truncate.to.<N>.chars, column.mask.with.<N>.chars or "
                                 "column.mask.hash[.v2].<algorithm>.with.salt.<salt> with N a "
                                 "non-negative integer",
                                 config_source(c, key), key, v ? v : "");
        if (!v)
            continue;
        p->masks = pgcdc_realloc(p->masks, (p->nmasks + 1) * sizeof(*p->masks));
        m = &p->masks[p->nmasks];
        memset(m, 0, sizeof(*m));
        if (pgcdc_column_mask_rule_init(&m->rule, kind, n, alg, salt) != 0)
            return pgcdc_err_set(PGCDC_ERR_USAGE, c->errstr, c->errstr_size,
                                 "%s: unknown hash algorithm '%s' in %s (value '%s'; expected a "
                                 "Java MessageDigest name such as SHA-256, SHA-512, SHA-1, MD5)",
                                 config_source(c, key), alg, key, v);
        h = pgcdc_utf8_java_hash(key, strlen(key));
        m->order = (h ^ (h >> 16)) & (uint32_t)(cap - 1);
        m->kvpos = i;
        p->nmasks++;
        a.key = key;
        a.list = &m->cols;
        if ((err = config_split(v, ',', config_relist_add, c, &a)))
            return err;
    }
    if (p->nmasks > 1)
        qsort(p->masks, p->nmasks, sizeof(*p->masks), config_mask_cmp);
    return PGCDC_OK;
}

/* ---- validation ------------------------------------------------------------------------- */

static const config_enum_t config_sslmodes[] = {
    {"disable", PGCDC_SSLMODE_DISABLE},
    {"allow", PGCDC_SSLMODE_ALLOW},
    {"prefer", PGCDC_SSLMODE_PREFER},
    {"require", PGCDC_SSLMODE_REQUIRE},
    {"verify-ca", PGCDC_SSLMODE_VERIFY_CA},
    {"verify-full", PGCDC_SSLMODE_VERIFY_FULL},
    {NULL, 0},
};

static const char *const config_sslmode_names[] = {
    "disable", "allow", "prefer", "require", "verify-ca", "verify-full",
};

static const config_enum_t config_snapshot_modes[] = {
    {"initial", PGCDC_SNAPSHOT_INITIAL},
    {"no_data", PGCDC_SNAPSHOT_NO_DATA},
    {"never", PGCDC_SNAPSHOT_NO_DATA},
    {"initial_only", PGCDC_SNAPSHOT_INITIAL_ONLY},
    {"always", PGCDC_SNAPSHOT_ALWAYS},
    {"when_needed", PGCDC_SNAPSHOT_WHEN_NEEDED},
    {NULL, 0},
};

static const config_enum_t config_publication_modes[] = {
    {"all_tables", PGCDC_PUBLICATION_ALL_TABLES},
    {"disabled", PGCDC_PUBLICATION_DISABLED},
    {"filtered", PGCDC_PUBLICATION_FILTERED},
    {"no_tables", PGCDC_PUBLICATION_NO_TABLES},
    {NULL, 0},
};

static const config_enum_t config_decimal_modes[] = {
    {"precise", PGCDC_DECIMAL_PRECISE},
    {"double", PGCDC_DECIMAL_DOUBLE},
    {"string", PGCDC_DECIMAL_STRING},
    {NULL, 0},
};

static const config_enum_t config_time_modes[] = {
    {"adaptive", PGCDC_TIME_ADAPTIVE},
    {"adaptive_time_microseconds", PGCDC_TIME_ADAPTIVE_TIME_MICROSECONDS},
    {"connect", PGCDC_TIME_CONNECT},
    {"isostring", PGCDC_TIME_ISOSTRING},
    {"microseconds", PGCDC_TIME_MICROSECONDS},
    {"nanoseconds", PGCDC_TIME_NANOSECONDS},
    {NULL, 0},
};

static const config_enum_t config_binary_modes[] = {
    {"bytes", PGCDC_BINARY_BYTES},
    {"base64", PGCDC_BINARY_BASE64},
    {"base64-url-safe", PGCDC_BINARY_BASE64_URL_SAFE},
    {"hex", PGCDC_BINARY_HEX},
    {NULL, 0},
};

static const config_enum_t config_interval_modes[] = {
    {"numeric", PGCDC_INTERVAL_NUMERIC},
    {"string", PGCDC_INTERVAL_STRING},
    {NULL, 0},
};

static const config_enum_t config_hstore_modes[] = {
    {"json", PGCDC_HSTORE_JSON},
    {"map", PGCDC_HSTORE_MAP},
    {NULL, 0},
};

static const config_enum_t config_sink_types[] = {
    {"kafka", PGCDC_SINK_KAFKA},
    {"stdout", PGCDC_SINK_STDOUT},
    {NULL, 0},
};

#define CONFIG_JSON_CONVERTER  "org.apache.kafka.connect.json.JsonConverter"
#define CONFIG_CONNECTOR_CLASS "io.debezium.connector.postgresql.PostgresConnector"

static pgcdc_err_t config_check_database(config_ctx_t *c)
{
    pgcdc_config_t *cfg = c->cfg;
    pgcdc_err_t err;
    int mode;

    config_string(c, "database.hostname", NULL, &cfg->database_hostname);
    config_string(c, "database.user", NULL, &cfg->database_user);
    config_string(c, "database.dbname", NULL, &cfg->database_dbname);
    /* A password may legitimately start or end with blanks: taken as written. */
    cfg->database_password = pgcdc_config_kv_get(c->p->kv, "database.password");
    if ((err = config_int(c, "database.port", 5432, 1, 65535, &cfg->database_port)))
        return err;
    if ((err = config_enum(c, "database.sslmode", config_sslmodes, PGCDC_SSLMODE_PREFER,
                           "disable, allow, prefer, require, verify-ca or verify-full", &mode)))
        return err;
    cfg->database_sslmode = (pgcdc_sslmode_t)mode;
    cfg->database_sslmode_name = config_sslmode_names[mode];
    return PGCDC_OK;
}

static int config_valid_topic(const char *s)
{
    size_t n = strlen(s);

    if (n > 249)
        return 0;
    for (; *s; s++)
        if (!((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') || (*s >= '0' && *s <= '9') ||
              *s == '.' || *s == '_' || *s == '-'))
            return 0;
    return 1;
}

static pgcdc_err_t config_check_replication(config_ctx_t *c)
{
    pgcdc_config_t *cfg = c->cfg;
    const char *v, *s;
    pgcdc_err_t err;
    int mode;

    v = config_value(c, "plugin.name");
    if (v && !strcasecmp(v, "decoderbufs"))
        return pgcdc_err_set(PGCDC_ERR_USAGE, c->errstr, c->errstr_size,
                             "%s: plugin.name 'decoderbufs' is not supported by pgcdc "
                             "(only pgoutput)",
                             config_source(c, "plugin.name"));
    if (v && strcasecmp(v, "pgoutput"))
        return config_invalid(c, "plugin.name", v, "pgoutput");
    cfg->plugin_name = "pgoutput";

    config_string(c, "slot.name", "debezium", &cfg->slot_name);
    /* Postgres' own rule for slot names. */
    for (s = cfg->slot_name; *s; s++)
        if (!((*s >= 'a' && *s <= 'z') || (*s >= '0' && *s <= '9') || *s == '_'))
            break;
    if (*s || strlen(cfg->slot_name) > 63)
        return config_invalid(c, "slot.name", cfg->slot_name,
                              "1 to 63 lower-case letters, digits or underscores");
    if ((err = config_bool(c, "slot.drop.on.stop", 0, &cfg->slot_drop_on_stop)))
        return err;

    config_string(c, "publication.name", "dbz_publication", &cfg->publication_name);
    if (strlen(cfg->publication_name) > 63)
        return config_invalid(c, "publication.name", cfg->publication_name,
                              "a name of at most 63 bytes");
    if ((err = config_enum(c, "publication.autocreate.mode", config_publication_modes,
                           PGCDC_PUBLICATION_ALL_TABLES,
                           "all_tables, disabled, filtered or no_tables", &mode)))
        return err;
    cfg->publication_autocreate_mode = (pgcdc_publication_mode_t)mode;

    v = config_value(c, "snapshot.mode");
    if (v && (!strcasecmp(v, "configuration_based") || !strcasecmp(v, "custom")))
        return pgcdc_err_set(PGCDC_ERR_USAGE, c->errstr, c->errstr_size,
                             "%s: snapshot.mode '%s' is not supported by pgcdc (supported: "
                             "initial, no_data, initial_only, always, when_needed)",
                             config_source(c, "snapshot.mode"), v);
    if ((err = config_enum(c, "snapshot.mode", config_snapshot_modes, PGCDC_SNAPSHOT_INITIAL,
                           "initial, no_data, initial_only, always or when_needed", &mode)))
        return err;
    cfg->snapshot_mode = (pgcdc_snapshot_mode_t)mode;
    if (v && !strcasecmp(v, "never"))
        pgcdc_log_warn("snapshot.mode 'never' is the old name of 'no_data'; using no_data");
    if ((err = config_int(c, "snapshot.fetch.size", 10240, 1, INT_MAX, &cfg->snapshot_fetch_size)))
        return err;
    if ((err = config_int(c, "status.update.interval.ms", 10000, 1, INT_MAX,
                          &cfg->status_update_interval_ms)))
        return err;
    return PGCDC_OK;
}

static pgcdc_err_t config_check_filters(config_ctx_t *c)
{
    pgcdc_config_t *cfg = c->cfg;
    pgcdc_config_priv_t *p = c->p;
    pgcdc_err_t err;
    const char *v;
    static const char *const pairs[][2] = {
        {"schema.include.list", "schema.exclude.list"},
        {"table.include.list", "table.exclude.list"},
        {"column.include.list", "column.exclude.list"},
        {"message.prefix.include.list", "message.prefix.exclude.list"},
    };
    size_t i;

    if ((err = config_regex_list(c, "schema.include.list", &cfg->schema_include_list,
                                 &p->schema_inc)) ||
        (err = config_regex_list(c, "schema.exclude.list", &cfg->schema_exclude_list,
                                 &p->schema_exc)) ||
        (err =
             config_regex_list(c, "table.include.list", &cfg->table_include_list, &p->table_inc)) ||
        (err =
             config_regex_list(c, "table.exclude.list", &cfg->table_exclude_list, &p->table_exc)) ||
        (err =
             config_regex_list(c, "column.include.list", &cfg->column_include_list, &p->col_inc)) ||
        (err =
             config_regex_list(c, "column.exclude.list", &cfg->column_exclude_list, &p->col_exc)) ||
        (err = config_regex_list(c, "message.prefix.include.list",
                                 &cfg->message_prefix_include_list, &p->msg_inc)) ||
        (err = config_regex_list(c, "message.prefix.exclude.list",
                                 &cfg->message_prefix_exclude_list, &p->msg_exc)))
        return err;
    /* Debezium rejects an include list together with its exclude list. */
    for (i = 0; i < sizeof(pairs) / sizeof(pairs[0]); i++)
        if (config_value(c, pairs[i][0]) && config_value(c, pairs[i][1]))
            return pgcdc_err_set(PGCDC_ERR_USAGE, c->errstr, c->errstr_size,
                                 "%s: %s cannot be used together with %s",
                                 config_source(c, pairs[i][1]), pairs[i][1], pairs[i][0]);
    v = config_value(c, "message.key.columns");
    cfg->message_key_columns = v;
    if (v && (err = config_split(v, ';', config_keycols_add, c, (void *)v)))
        return err;
    return PGCDC_OK;
}

static pgcdc_err_t config_check_events(config_ctx_t *c)
{
    pgcdc_config_t *cfg = c->cfg;
    pgcdc_err_t err;
    const char *v;
    int mode;

    if ((err = config_string(c, "topic.prefix", NULL, &cfg->topic_prefix)))
        return err;
    if (cfg->topic_prefix && !config_valid_topic(cfg->topic_prefix))
        return config_invalid(c, "topic.prefix", cfg->topic_prefix,
                              "letters, digits, '.', '_' or '-' only");
    config_string(c, "topic.heartbeat.prefix", "__debezium-heartbeat",
                  &cfg->topic_heartbeat_prefix);
    if (!config_valid_topic(cfg->topic_heartbeat_prefix))
        return config_invalid(c, "topic.heartbeat.prefix", cfg->topic_heartbeat_prefix,
                              "letters, digits, '.', '_' or '-' only");
    config_string(c, "topic.transaction", "transaction", &cfg->topic_transaction);
    if (!config_valid_topic(cfg->topic_transaction))
        return config_invalid(c, "topic.transaction", cfg->topic_transaction,
                              "letters, digits, '.', '_' or '-' only");

    if ((err = config_enum(c, "decimal.handling.mode", config_decimal_modes, PGCDC_DECIMAL_PRECISE,
                           "precise, double or string", &mode)))
        return err;
    cfg->decimal_handling_mode = (pgcdc_decimal_mode_t)mode;
    if ((err = config_enum(c, "time.precision.mode", config_time_modes, PGCDC_TIME_ADAPTIVE,
                           "adaptive, adaptive_time_microseconds, connect, isostring, "
                           "microseconds or nanoseconds",
                           &mode)))
        return err;
    cfg->time_precision_mode = (pgcdc_time_mode_t)mode;
    if ((err = config_enum(c, "binary.handling.mode", config_binary_modes, PGCDC_BINARY_BYTES,
                           "bytes, base64, base64-url-safe or hex", &mode)))
        return err;
    cfg->binary_handling_mode = (pgcdc_binary_mode_t)mode;
    if ((err = config_enum(c, "interval.handling.mode", config_interval_modes,
                           PGCDC_INTERVAL_NUMERIC, "numeric or string", &mode)))
        return err;
    cfg->interval_handling_mode = (pgcdc_interval_mode_t)mode;
    if ((err = config_enum(c, "hstore.handling.mode", config_hstore_modes, PGCDC_HSTORE_JSON,
                           "json or map", &mode)))
        return err;
    cfg->hstore_handling_mode = (pgcdc_hstore_mode_t)mode;
    if ((err = config_bool(c, "include.unknown.datatypes", 0, &cfg->include_unknown_datatypes)) ||
        (err = config_bool(c, "tombstones.on.delete", 1, &cfg->tombstones_on_delete)) ||
        (err = config_bool(c, "provide.transaction.metadata", 0,
                           &cfg->provide_transaction_metadata)) ||
        (err = config_bool(c, "key.converter.schemas.enable", 1,
                           &cfg->key_converter_schemas_enable)) ||
        (err = config_bool(c, "value.converter.schemas.enable", 1,
                           &cfg->value_converter_schemas_enable)))
        return err;
    if ((err = config_skipped_ops(c)))
        return err;

    v = config_value(c, "key.converter");
    if (v && strcmp(v, CONFIG_JSON_CONVERTER))
        return config_invalid(c, "key.converter", v, CONFIG_JSON_CONVERTER);
    v = config_value(c, "value.converter");
    if (v && strcmp(v, CONFIG_JSON_CONVERTER))
        return config_invalid(c, "value.converter", v, CONFIG_JSON_CONVERTER);
    v = config_value(c, "connector.class");
    /* Kafka Connect also resolves a connector by its simple class name. */
    if (v && strcmp(v, CONFIG_CONNECTOR_CLASS) && strcmp(v, "PostgresConnector") &&
        strcmp(v, "Postgres"))
        return config_invalid(c, "connector.class", v, CONFIG_CONNECTOR_CLASS);
    return PGCDC_OK;
}

/* ---- transforms ------------------------------------------------------------------------- */

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

static const char *config_transform_value(config_ctx_t *c, pgcdc_buf_t *key, const char *opt)
{
    pgcdc_buf_reset(key);
    pgcdc_buf_printf(key, "%s%s", c->p->transform_prefix, opt);
    return config_value(c, key->data);
}

/* Reads add.fields or add.headers (headers = 1) and its prefix into u. */
static pgcdc_err_t config_unwrap_refs(config_ctx_t *c, pgcdc_unwrap_t *u, int headers,
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
    list = config_transform_value(c, key, opt);
    if (!list)
        return PGCDC_OK;
    err = pgcdc_unwrap_set_refs(u, headers, list, prefix, msg, sizeof(msg));
    if (err)
        return pgcdc_err_set(PGCDC_ERR_USAGE, c->errstr, c->errstr_size,
                             "%s: invalid value for %s: %s", config_source(c, key->data), key->data,
                             msg);
    return PGCDC_OK;
}

static pgcdc_err_t config_check_transforms(config_ctx_t *c)
{
    const char *v = config_value(c, "transforms"), *type, *key, *opt;
    pgcdc_buf_t alias = PGCDC_BUF_INIT, k = PGCDC_BUF_INIT;
    pgcdc_unwrap_t *u = NULL;
    pgcdc_unwrap_mode_t mode;
    pgcdc_err_t err = PGCDC_OK;
    size_t i, n, plen;
    const char *s, *e;
    int count = 0;

    if (!v)
        return PGCDC_OK;
    /* Aliases: comma-separated, trimmed; pgcdc applies exactly one. */
    for (s = v;; s = e + 1) {
        size_t a, b;

        e = strchr(s, ',');
        b = e ? (size_t)(e - s) : strlen(s);
        for (a = 0; a < b && pgcdc_config_kv_is_space(s[a]); a++)
            ;
        while (b > a && pgcdc_config_kv_is_space(s[b - 1]))
            b--;
        if (b > a) {
            if (count++ == 0)
                pgcdc_buf_append(&alias, s + a, b - a);
        }
        if (!e)
            break;
    }
    if (count == 0)
        goto out;
    if (count > 1) {
        err = config_invalid(c, "transforms", v,
                             "a single transform: pgcdc applies only ExtractNewRecordState");
        goto out;
    }
    pgcdc_buf_printf(&k, "transforms.%s.", alias.data);
    c->p->transform_prefix = pgcdc_strdup(k.data);
    type = config_transform_value(c, &k, "type");
    if (!type) {
        err = pgcdc_err_set(PGCDC_ERR_USAGE, c->errstr, c->errstr_size,
                            "%s: missing required key %s (transform '%s' is named in transforms)",
                            config_source(c, "transforms"), k.data, alias.data);
        goto out;
    }
    if (strcmp(type, "io.debezium.transforms.ExtractNewRecordState") &&
        strcmp(type, "ExtractNewRecordState")) {
        err = config_invalid(c, k.data, type,
                             "io.debezium.transforms.ExtractNewRecordState, the only transform "
                             "pgcdc applies");
        goto out;
    }
    u = pgcdc_unwrap_new();
    opt = config_transform_value(c, &k, "delete.tombstone.handling.mode");
    if (opt && pgcdc_unwrap_parse_mode(opt, &mode) != 0) {
        err = config_invalid(c, k.data, opt,
                             "drop, tombstone, rewrite, rewrite-with-tombstone or "
                             "delete-to-tombstone");
        goto out;
    }
    if (opt)
        u->mode = mode;
    if ((err = config_unwrap_refs(c, u, 0, &k)) || (err = config_unwrap_refs(c, u, 1, &k)))
        goto out;

    /* Every other key of the alias: warn about what pgcdc does not do. */
    plen = strlen(c->p->transform_prefix);
    n = pgcdc_config_kv_count(c->p->kv);
    for (i = 0; i < n; i++) {
        const char *source;

        pgcdc_config_kv_at(c->p->kv, i, &key, NULL, &source);
        if (strncmp(key, c->p->transform_prefix, plen))
            continue;
        opt = key + plen;
        if (config_in_list(config_unwrap_keys, opt))
            continue;
        if (!strcmp(opt, "drop.tombstones") || !strcmp(opt, "delete.handling.mode"))
            pgcdc_log_warn("configuration key '%s' (%s) was removed in Debezium 3 and is ignored "
                           "as Debezium 3.2 ignores it; use delete.tombstone.handling.mode",
                           key, source);
        else if (!strcmp(opt, "route.by.field")) {
            if (config_value(c, key))
                pgcdc_log_warn("configuration key '%s' (%s) is not supported by pgcdc yet; "
                               "ignored",
                               key, source);
        } else if (!strcmp(opt, "predicate") || !strcmp(opt, "negate"))
            pgcdc_log_warn("configuration key '%s' (%s) is not supported by pgcdc yet; ignored",
                           key, source);
        else
            pgcdc_log_warn("unknown configuration key '%s' (%s); ignored", key, source);
    }
    c->cfg->unwrap = u;
    u = NULL;
out:
    pgcdc_unwrap_free(u);
    pgcdc_buf_free(&alias);
    pgcdc_buf_free(&k);
    return err;
}

static pgcdc_err_t config_check_queue(config_ctx_t *c)
{
    pgcdc_config_t *cfg = c->cfg;
    pgcdc_err_t err;
    long long n;

    if ((err = config_int(c, "max.batch.size", 2048, 1, INT_MAX, &cfg->max_batch_size)) ||
        (err = config_int(c, "max.queue.size", 8192, 1, INT_MAX, &cfg->max_queue_size)))
        return err;
    if (cfg->max_queue_size <= cfg->max_batch_size)
        return pgcdc_err_set(PGCDC_ERR_USAGE, c->errstr, c->errstr_size,
                             "%s: max.queue.size (%d) must be larger than max.batch.size (%d)",
                             config_source(c, "max.queue.size"), cfg->max_queue_size,
                             cfg->max_batch_size);
    if ((err = config_long(c, "max.queue.size.in.bytes", 0, 0, LLONG_MAX, &n)))
        return err;
    /* Debezium reads 0 as "unbounded"; pgcdc always bounds its memory. */
    cfg->max_queue_size_in_bytes = n ? n : PGCDC_CONFIG_DEFAULT_QUEUE_BYTES;
    if ((err = config_long(c, "poll.interval.ms", 500, 1, LLONG_MAX, &n)))
        return err;
    cfg->poll_interval_ms = n;
    if ((err = config_int(c, "heartbeat.interval.ms", 0, 0, INT_MAX, &cfg->heartbeat_interval_ms)))
        return err;
    config_string(c, "heartbeat.action.query", NULL, &cfg->heartbeat_action_query);
    return PGCDC_OK;
}

static pgcdc_err_t config_check_sink(config_ctx_t *c)
{
    pgcdc_config_t *cfg = c->cfg;
    pgcdc_config_priv_t *p = c->p;
    const char *key, *value;
    pgcdc_err_t err;
    size_t i, n = pgcdc_config_kv_count(p->kv);
    int mode;

    if ((err = config_enum(c, "sink.type", config_sink_types, PGCDC_SINK_KAFKA, "kafka or stdout",
                           &mode)))
        return err;
    cfg->sink_type = (pgcdc_sink_type_t)mode;
    config_string(c, "kafka.bootstrap.servers", NULL, &cfg->kafka_bootstrap_servers);
    p->kafka_name = pgcdc_calloc(n, sizeof(*p->kafka_name));
    p->kafka_value = pgcdc_calloc(n, sizeof(*p->kafka_value));
    for (i = 0; i < n; i++) {
        pgcdc_config_kv_at(p->kv, i, &key, &value, NULL);
        if (!config_is_kafka_key(key))
            continue;
        p->kafka_name[p->nkafka] = key + 6;
        p->kafka_value[p->nkafka] =
            config_pool_add(p, pgcdc_config_kv_trimmed(value, strlen(value)));
        p->nkafka++;
    }
    return PGCDC_OK;
}

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

/* One warning per key that pgcdc does not act on. */
static void config_warn_ignored(config_ctx_t *c)
{
    const char *key, *source;
    size_t i, n = pgcdc_config_kv_count(c->p->kv);

    for (i = 0; i < n; i++) {
        pgcdc_mask_kind_t kind;
        long num;
        char alg[64];
        const char *salt;

        pgcdc_config_kv_at(c->p->kv, i, &key, NULL, &source);
        if (config_in_list(config_known_keys, key) || config_in_list(config_framework_keys, key) ||
            config_is_kafka_key(key) ||
            config_mask_key(key, &kind, &num, alg, sizeof(alg), &salt) == 1)
            continue;
        /* The transform's keys were checked with it. */
        if (c->p->transform_prefix &&
            (!strcmp(key, "transforms") ||
             !strncmp(key, c->p->transform_prefix, strlen(c->p->transform_prefix))))
            continue;
        if (config_in_list(config_unsupported_keys, key) ||
            config_has_prefix_in(config_unsupported_prefixes, key))
            pgcdc_log_warn("configuration key '%s' (%s) is not supported by pgcdc yet; ignored",
                           key, source);
        else
            pgcdc_log_warn("unknown configuration key '%s' (%s); ignored", key, source);
    }
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
    if ((err = config_check_database(&c)) || (err = config_check_replication(&c)) ||
        (err = config_check_filters(&c)) || (err = config_check_masks(&c)) ||
        (err = config_check_events(&c)) || (err = config_check_transforms(&c)) ||
        (err = config_check_queue(&c)) || (err = config_check_sink(&c)) ||
        (err = config_check_required(&c)))
        goto out;
    config_warn_ignored(&c);
    *out = cfg;
    cfg = NULL;
out:
    pgcdc_config_free(cfg);
    return err;
}

/* ---- loading ---------------------------------------------------------------------------- */

pgcdc_err_t pgcdc_config_load_string(const char *text, size_t len, const char *name,
                                     const char *const *sets, int nsets, pgcdc_config_t **out,
                                     char *errstr, size_t errstr_size)
{
    pgcdc_config_kv_t *kv = pgcdc_config_kv_new();
    pgcdc_err_t err;
    size_t i = 0;
    int k;

    *out = NULL;
    /* A UTF-8 byte order mark is not content. */
    if (len >= 3 && !memcmp(text, "\xEF\xBB\xBF", 3)) {
        text += 3;
        len -= 3;
    }
    while (i < len && pgcdc_config_kv_is_space(text[i]))
        i++;
    if (i < len && text[i] == '{')
        err = pgcdc_config_json_parse(text, len, name, kv, errstr, errstr_size);
    else
        err = pgcdc_config_props_parse(text, len, name, kv, errstr, errstr_size);
    for (k = 0; err == PGCDC_OK && k < nsets; k++)
        err = pgcdc_config_kv_apply_set(kv, sets[k], errstr, errstr_size);
    if (err != PGCDC_OK) {
        pgcdc_config_kv_free(kv);
        return err;
    }
    return pgcdc_config_from_kv(kv, out, errstr, errstr_size);
}

pgcdc_err_t pgcdc_config_load(const char *path, const char *const *sets, int nsets,
                              pgcdc_config_t **out, char *errstr, size_t errstr_size)
{
    pgcdc_buf_t text = PGCDC_BUF_INIT;
    pgcdc_err_t err;
    char chunk[8192];
    FILE *f;
    size_t n;

    *out = NULL;
    f = fopen(path, "rb");
    if (!f)
        return pgcdc_err_set(PGCDC_ERR_USAGE, errstr, errstr_size,
                             "cannot open configuration file %s: %s", path, strerror(errno));
    while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0)
        pgcdc_buf_append(&text, chunk, n);
    if (ferror(f)) {
        err = pgcdc_err_set(PGCDC_ERR_RUNTIME, errstr, errstr_size,
                            "cannot read configuration file %s: %s", path, strerror(errno));
        goto out;
    }
    err = pgcdc_config_load_string(text.data ? text.data : "", text.len, path, sets, nsets, out,
                                   errstr, errstr_size);
out:
    fclose(f);
    pgcdc_buf_free(&text);
    return err;
}

/* ---- accessors and helpers -------------------------------------------------------------- */

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

/* libpq conninfo quoting: single quotes, with ' and \ escaped by a backslash. */
static void config_dsn_put(pgcdc_buf_t *out, const char *key, const char *value)
{
    const char *s;

    if (!value || !*value)
        return;
    if (out->len && out->data[out->len - 1] != ' ')
        pgcdc_buf_putc(out, ' ');
    pgcdc_buf_puts(out, key);
    pgcdc_buf_puts(out, "='");
    for (s = value; *s; s++) {
        if (*s == '\'' || *s == '\\')
            pgcdc_buf_putc(out, '\\');
        pgcdc_buf_putc(out, *s);
    }
    pgcdc_buf_putc(out, '\'');
}

void pgcdc_config_dsn(const pgcdc_config_t *cfg, int replication, pgcdc_buf_t *out)
{
    char port[16];

    snprintf(port, sizeof(port), "%d", cfg->database_port);
    config_dsn_put(out, "host", cfg->database_hostname);
    config_dsn_put(out, "port", port);
    config_dsn_put(out, "dbname", cfg->database_dbname);
    config_dsn_put(out, "user", cfg->database_user);
    config_dsn_put(out, "password", cfg->database_password);
    config_dsn_put(out, "sslmode", cfg->database_sslmode_name);
    config_dsn_put(out, "application_name", "pgcdc");
    if (replication)
        config_dsn_put(out, "replication", "database");
}

void pgcdc_config_describe(const pgcdc_config_t *cfg, pgcdc_buf_t *out)
{
    static const char *const snapshot_names[] = {"initial", "no_data", "initial_only", "always",
                                                 "when_needed"};
    static const char *const publication_names[] = {"all_tables", "disabled", "filtered",
                                                    "no_tables"};
    const char *name, *value;
    size_t i;

    pgcdc_buf_printf(out, "postgres host=%s port=%d dbname=%s user=%s",
                     cfg->database_hostname ? cfg->database_hostname : "(default)",
                     cfg->database_port, cfg->database_dbname ? cfg->database_dbname : "(default)",
                     cfg->database_user ? cfg->database_user : "(default)");
    if (cfg->database_password)
        pgcdc_buf_puts(out, " password=***");
    pgcdc_buf_printf(out,
                     " sslmode=%s slot=%s publication=%s (%s) snapshot.mode=%s topic.prefix=%s",
                     cfg->database_sslmode_name, cfg->slot_name, cfg->publication_name,
                     publication_names[cfg->publication_autocreate_mode],
                     snapshot_names[cfg->snapshot_mode], cfg->topic_prefix);
    if (cfg->table_include_list)
        pgcdc_buf_printf(out, " table.include.list=%s", cfg->table_include_list);
    if (cfg->table_exclude_list)
        pgcdc_buf_printf(out, " table.exclude.list=%s", cfg->table_exclude_list);
    pgcdc_buf_printf(out, " sink=%s", cfg->sink_type == PGCDC_SINK_KAFKA ? "kafka" : "stdout");
    for (i = 0; i < cfg->priv->nkafka; i++) {
        name = cfg->priv->kafka_name[i];
        value = cfg->priv->kafka_value[i];
        pgcdc_buf_printf(out, " kafka.%s=%s", name, pgcdc_secret_key(name) ? "***" : value);
    }
}

int pgcdc_config_table_included(const pgcdc_config_t *cfg, const char *schema, const char *table)
{
    const pgcdc_config_priv_t *p = cfg->priv;
    char fq[512];

    /* Debezium's built-in system table filter (table.ignore.builtin=true). */
    if (!strcasecmp(schema, "pg_catalog") || !strcasecmp(schema, "information_schema") ||
        !strncmp(schema, "pg_temp", 7) || !strcasecmp(table, "spatial_ref_sys"))
        return 0;
    if (p->schema_inc.n) {
        if (!config_relist_match(&p->schema_inc, schema))
            return 0;
    } else if (p->schema_exc.n && config_relist_match(&p->schema_exc, schema)) {
        return 0;
    }
    snprintf(fq, sizeof(fq), "%s.%s", schema, table);
    if (p->table_inc.n)
        return config_relist_match(&p->table_inc, fq);
    if (p->table_exc.n && config_relist_match(&p->table_exc, fq))
        return 0;
    return 1;
}

int pgcdc_config_table_snapshot_rank(const pgcdc_config_t *cfg, const char *schema,
                                     const char *table)
{
    const config_relist_t *l = &cfg->priv->table_inc;
    char fq[512];
    size_t i;

    snprintf(fq, sizeof(fq), "%s.%s", schema, table);
    for (i = 0; i < l->n; i++)
        if (regexec(&l->re[i], fq, 0, NULL, 0) == 0)
            return (int)i;
    return 0;
}

int pgcdc_config_column_included(const pgcdc_config_t *cfg, const char *schema, const char *table,
                                 const char *column)
{
    const pgcdc_config_priv_t *p = cfg->priv;
    char fq[768];

    snprintf(fq, sizeof(fq), "%s.%s.%s", schema, table, column);
    if (p->col_inc.n)
        return config_relist_match(&p->col_inc, fq);
    if (p->col_exc.n && config_relist_match(&p->col_exc, fq))
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
        return config_relist_match(&p->msg_inc, prefix);
    return !(p->msg_exc.n && config_relist_match(&p->msg_exc, prefix));
}

const char *pgcdc_config_message_key_columns(const pgcdc_config_t *cfg, const char *schema,
                                             const char *table)
{
    const pgcdc_config_priv_t *p = cfg->priv;
    char fq[512];
    size_t i;

    snprintf(fq, sizeof(fq), "%s.%s", schema, table);
    for (i = 0; i < p->nkeycols; i++)
        if (regexec(&p->keycols[i].re, fq, 0, NULL, 0) == 0)
            return p->keycols[i].columns;
    return NULL;
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
        if (config_relist_match(&p->masks[i].cols, fq))
            return &p->masks[i].rule;
    return NULL;
}
