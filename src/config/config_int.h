/*
 * config_int.h - the private part of the typed layer, shared by the files that build a
 * pgcdc_config_t from its raw store and by those that answer questions about it.
 *
 * pgcdc_config_from_kv() (config.c) runs the validation steps below in order on one
 * config_ctx_t; each step reads its keys with the value parsers of config_value.c, fills its
 * fields of pgcdc_config_t and pgcdc_config_priv_t, and returns the first error. Later steps
 * may read what earlier ones set (the required keys depend on the sink type, the warnings
 * about ignored keys on the transform's alias), and the order decides which of two bad keys
 * is reported.
 *
 * Ownership: the priv part owns the raw store, the pool of trimmed values the typed fields
 * point to, and everything compiled from the keys (regex lists, key columns, mask rules, the
 * kafka.* property view); pgcdc_config_free() releases it all.
 */
#ifndef PGCDC_CONFIG_INT_H
#define PGCDC_CONFIG_INT_H

#include "column_mask.h"
#include "config.h"
#include "config_kv.h"
#include "config_regex.h"

#include <stddef.h>

/* One column value option with its column regexes (config_masks.c). */
typedef struct config_maskrule config_maskrule_t;

struct pgcdc_config_priv {
    pgcdc_config_kv_t *kv;
    char **pool; /* strings the typed fields point to that are not in kv (trimmed copies) */
    size_t npool, cappool;
    config_relist_t schema_inc, schema_exc, table_inc, table_exc, col_inc, col_exc;
    config_relist_t msg_inc, msg_exc;
    config_relist_t keycols;  /* message.key.columns: the table regex of each entry... */
    char **keycols_columns;   /* ... and its columns, comma-separated; keycols.n of them */
    config_maskrule_t *masks; /* in Debezium's order of precedence */
    size_t nmasks;
    const char **kafka_name; /* into kv keys */
    const char **kafka_value;
    size_t nkafka;
    char *transform_prefix; /* "transforms.<alias>." of the transform pgcdc applies, or NULL */
};

/* What every validation step works on. */
typedef struct config_ctx {
    pgcdc_config_t *cfg;
    pgcdc_config_priv_t *p;
    char *errstr;
    size_t errstr_size;
} config_ctx_t;

/* ---- value parsers (config_value.c) ----------------------------------------------------- */

/* Takes s (allocated) into the config's pool, for fields that point to it; returns s. */
const char *pgcdc_config_value_keep(config_ctx_t *c, char *s);
/* Where key was set ("file.properties:12", "--set"), or "default". */
const char *pgcdc_config_value_source(config_ctx_t *c, const char *key);
/* The trimmed value of key (owned by the config), or NULL when unset or blank. */
const char *pgcdc_config_value_get(config_ctx_t *c, const char *key);
/* Sets "<source>: invalid value '<value>' for <key> (expected <expected>)"; PGCDC_ERR_USAGE. */
pgcdc_err_t pgcdc_config_value_invalid(config_ctx_t *c, const char *key, const char *value,
                                       const char *expected);

/* Typed reads: *out is def when the key is unset or blank. */
pgcdc_err_t pgcdc_config_value_string(config_ctx_t *c, const char *key, const char *def,
                                      const char **out);
pgcdc_err_t pgcdc_config_value_long(config_ctx_t *c, const char *key, long long def, long long min,
                                    long long max, long long *out);
pgcdc_err_t pgcdc_config_value_int(config_ctx_t *c, const char *key, int def, int min, int max,
                                   int *out);
pgcdc_err_t pgcdc_config_value_bool(config_ctx_t *c, const char *key, int def, int *out);

typedef struct config_enum {
    const char *name;
    int value;
} config_enum_t;

/* names is terminated by {NULL, 0}; expected lists them for the message. */
pgcdc_err_t pgcdc_config_value_enum(config_ctx_t *c, const char *key, const config_enum_t *names,
                                    int def, const char *expected, int *out);

/* Splits list at sep ("\<sep>" is a literal sep), trimming each item; calls fn on each
 * non-empty item and stops at its first error. */
pgcdc_err_t pgcdc_config_value_split(const char *list, char sep,
                                     pgcdc_err_t (*fn)(config_ctx_t *, const char *, void *),
                                     config_ctx_t *c, void *arg);

/* Compiles the Java regex item, a part of the value of key, into list; the error names key. */
pgcdc_err_t pgcdc_config_value_regex(config_ctx_t *c, const char *key, const char *item,
                                     config_relist_t *list);
/* Compiles each regex of the comma-separated value (of key) into list. */
pgcdc_err_t pgcdc_config_value_regexes(config_ctx_t *c, const char *key, const char *value,
                                       config_relist_t *list);
/* A regex list key: *out is its trimmed value (NULL when unset), compiled into list. */
pgcdc_err_t pgcdc_config_value_regex_list(config_ctx_t *c, const char *key, const char **out,
                                          config_relist_t *list);

/* ---- validation steps, in the order pgcdc_config_from_kv() runs them -------------------- */

/* database.*: connection settings (config_check_database.c). */
pgcdc_err_t pgcdc_config_check_database(config_ctx_t *c);
/* plugin, slot, publication, snapshot (config_check_database.c). */
pgcdc_err_t pgcdc_config_check_replication(config_ctx_t *c);
/* Include/exclude lists and message.key.columns (config_check_filters.c). */
pgcdc_err_t pgcdc_config_check_filters(config_ctx_t *c);
/* column.truncate.* and column.mask.* (config_masks.c). */
pgcdc_err_t pgcdc_config_check_masks(config_ctx_t *c);
/* Topics, value modes, event switches, converters (config_check_events.c). */
pgcdc_err_t pgcdc_config_check_events(config_ctx_t *c);
/* transforms.* (config_transforms.c). */
pgcdc_err_t pgcdc_config_check_transforms(config_ctx_t *c);
/* Queue sizes, polling and heartbeats (config_check_sink.c). */
pgcdc_err_t pgcdc_config_check_queue(config_ctx_t *c);
/* sink.type and kafka.* (config_check_sink.c). */
pgcdc_err_t pgcdc_config_check_sink(config_ctx_t *c);
/* config.unknown.keys: which unknown keys stop pgcdc (config_keys.c). */
enum {
    PGCDC_CONFIG_UNKNOWN_FAIL_ON_CAPTURE, /* those nearest to a key that changes what is captured */
    PGCDC_CONFIG_UNKNOWN_WARN,            /* none: every unknown key is warned about */
    PGCDC_CONFIG_UNKNOWN_FAIL,            /* every unknown key */
};
/* After the other steps, before the required keys: the first unknown key config.unknown.keys
 * refuses is a usage error naming it and the key it most likely misspells (config_keys.c). */
pgcdc_err_t pgcdc_config_check_unknown(config_ctx_t *c);
/* Last, after every step succeeded: one warning per key pgcdc does not act on (config_keys.c). */
void pgcdc_config_check_ignored(config_ctx_t *c);

/* ---- shared by the steps ---------------------------------------------------------------- */

/* 1 when key is in the NULL-terminated list (config_keys.c). */
int pgcdc_config_keys_in_list(const char *const *list, const char *key);
/* 1 for kafka.<property> (config_keys.c). */
int pgcdc_config_keys_is_kafka(const char *key);
/* 1 when key is a well-formed column value option key (config_masks.c). */
int pgcdc_config_masks_is_key(const char *key);
/* Frees n rules; masks may be NULL (config_masks.c). */
void pgcdc_config_masks_free(config_maskrule_t *masks, size_t n);

#endif
