/*
 * config_kv.h - the raw layer of the configuration: an ordered key -> value store, filled by
 * the two readers (Java .properties in config_props.c, Kafka Connect connector JSON in
 * config_json.c) and by --set overrides.
 *
 * Every entry remembers where it was set ("file.properties:12", "file.json", "--set") so that
 * messages can point at it. Setting a key again replaces the value in place (later wins) and
 * keeps the key's first-set position, the order in which the typed layer reads the entries.
 *
 * This layer knows no key: the typed layer (config.h) gives keys their meaning. The readers
 * depend on this header only.
 *
 * Ownership: the store owns copies of every key, value and source; pointers it hands out stay
 * valid until the key is set again or the store is freed.
 */
#ifndef PGCDC_CONFIG_KV_H
#define PGCDC_CONFIG_KV_H

#include "err.h"

#include <stddef.h>

typedef struct pgcdc_config_kv pgcdc_config_kv_t;

pgcdc_config_kv_t *pgcdc_config_kv_new(void);
/* kv may be NULL. */
void pgcdc_config_kv_free(pgcdc_config_kv_t *kv);
/* Copies key, value and source; replaces an existing key's value and source in place. */
void pgcdc_config_kv_set(pgcdc_config_kv_t *kv, const char *key, const char *value,
                         const char *source);
/* The value of key, or NULL when unset. */
const char *pgcdc_config_kv_get(const pgcdc_config_kv_t *kv, const char *key);
size_t pgcdc_config_kv_count(const pgcdc_config_kv_t *kv);
/* Entry i in first-set order; any out pointer may be NULL. */
void pgcdc_config_kv_at(const pgcdc_config_kv_t *kv, size_t i, const char **key, const char **value,
                        const char **source);
/* Applies one `key=value` override (split at the first '='; the key is trimmed). */
pgcdc_err_t pgcdc_config_kv_apply_set(pgcdc_config_kv_t *kv, const char *arg, char *errstr,
                                      size_t errstr_size);

/* The white space trimmed from --set keys here and from every value in the typed layer. */
int pgcdc_config_kv_is_space(char c);
/* A new copy of s[0..n) without surrounding white space (the caller frees it). */
char *pgcdc_config_kv_trimmed(const char *s, size_t n);

/* Readers: parse text (len bytes, need not be NUL-terminated) named name (for messages) into
 * kv. They never put a value into errstr. */
pgcdc_err_t pgcdc_config_props_parse(const char *text, size_t len, const char *name,
                                     pgcdc_config_kv_t *kv, char *errstr, size_t errstr_size);
pgcdc_err_t pgcdc_config_json_parse(const char *text, size_t len, const char *name,
                                    pgcdc_config_kv_t *kv, char *errstr, size_t errstr_size);

#endif
