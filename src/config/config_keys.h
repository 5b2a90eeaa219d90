/*
 * config_keys.h - what pgcdc makes of a configuration key: read by pgcdc, a Kafka Connect
 * framework key without meaning for one process, a real Debezium 3.2 / Kafka Connect key that
 * pgcdc does not implement, or unknown; and, for an unknown key, the recognised key it most
 * likely misspells.
 *
 * The tables are static; nothing here allocates or keeps state.
 */
#ifndef PGCDC_CONFIG_KEYS_H
#define PGCDC_CONFIG_KEYS_H

#include <stddef.h>

typedef enum {
    PGCDC_CONFIG_KEY_READ,        /* a validation step reads it */
    PGCDC_CONFIG_KEY_FRAMEWORK,   /* Kafka Connect's (name, tasks.max, ...): accepted silently */
    PGCDC_CONFIG_KEY_UNSUPPORTED, /* a real key pgcdc does not implement: warned about */
    PGCDC_CONFIG_KEY_UNKNOWN,     /* none of those: a misspelling, or a key of another product */
} pgcdc_config_key_class_t;

/* The class of key on its own. The config also treats as read the keys of the transform it
 * applies, and as unsupported those under a converters / post.processors alias. */
pgcdc_config_key_class_t pgcdc_config_keys_classify(const char *key);

/* The recognised key nearest to key by edit distance (config_suggest.h), within the limit for
 * its length, written into out (cut to out_size); for families of keys (kafka.<property>,
 * column.mask.with.<N>.chars, ...) the misspelt prefix is corrected and the rest kept. On
 * ties a key that changes what is captured wins. *capture is set to 1 when the suggested key
 * changes what is captured (table, schema and column lists, the database, the slot, the
 * publication, the snapshot mode, topic.prefix, message keys, column masks...). Returns 0 and
 * leaves out empty when no key is near enough. */
int pgcdc_config_keys_suggest(const char *key, char *out, size_t out_size, int *capture);

#endif
