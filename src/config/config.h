/*
 * config.h - the connector configuration of `pgcdc run --config FILE [--set key=value ...]`.
 *
 * Two layers:
 *
 *  - the raw layer (config_kv.h), an ordered key -> value store filled by the readers (Java
 *    .properties, Kafka Connect connector JSON) and by --set overrides;
 *
 *  - the typed layer, this header: pgcdc_config_t, with Debezium's PostgreSQL connector
 *    property names, defaults and validation, plus pgcdc's own keys (sink.type, kafka.*).
 *
 * Where it is done: config_load.c (file -> reader -> overrides), config.c (validation steps,
 * run in order, into the typed struct; accessors), config_filter.c (the runtime filters),
 * config_masks.c (column value options), config_transforms.c (ExtractNewRecordState),
 * config_dsn.c (conninfo and description).
 *
 * Ownership: a pgcdc_config_t owns its raw store and every string its fields point to (they
 * point into the store, into its private string pool or at static defaults). Pointers handed
 * out by the accessors stay valid until pgcdc_config_free(). A loaded config is read-only, so
 * any number of threads may read it concurrently.
 *
 * Secrets: database.password and kafka.* properties whose name says password/secret never
 * appear in errstr, in a log line or in pgcdc_config_describe(); only pgcdc_config_dsn() and
 * the kafka property iterator hand them out, for the connection itself.
 */
#ifndef PGCDC_CONFIG_H
#define PGCDC_CONFIG_H

#include "buf.h"
#include "column_mask.h"
#include "config_kv.h"
#include "err.h"
#include "event.h"

#include <stddef.h>
#include <stdint.h>

/* ---- typed layer ------------------------------------------------------------------------ */

typedef enum {
    PGCDC_SSLMODE_DISABLE,
    PGCDC_SSLMODE_ALLOW,
    PGCDC_SSLMODE_PREFER,
    PGCDC_SSLMODE_REQUIRE,
    PGCDC_SSLMODE_VERIFY_CA,
    PGCDC_SSLMODE_VERIFY_FULL,
} pgcdc_sslmode_t;

typedef enum {
    PGCDC_SNAPSHOT_INITIAL,
    PGCDC_SNAPSHOT_NO_DATA,
    PGCDC_SNAPSHOT_INITIAL_ONLY,
    PGCDC_SNAPSHOT_ALWAYS,
    PGCDC_SNAPSHOT_WHEN_NEEDED,
} pgcdc_snapshot_mode_t;

typedef enum {
    PGCDC_PUBLICATION_ALL_TABLES,
    PGCDC_PUBLICATION_DISABLED,
    PGCDC_PUBLICATION_FILTERED,
    PGCDC_PUBLICATION_NO_TABLES,
} pgcdc_publication_mode_t;

typedef enum { PGCDC_SINK_KAFKA, PGCDC_SINK_STDOUT } pgcdc_sink_type_t;

/* Where an exactly-once Kafka transaction ends (Kafka Connect's transaction.boundary), always
 * at the end of a PostgreSQL transaction: after a burst of WAL (poll: the stream went idle or
 * poll.interval.ms passed), after transaction.boundary.interval.ms (interval), or after every
 * PostgreSQL transaction (connector). */
typedef enum { PGCDC_TXN_POLL, PGCDC_TXN_INTERVAL, PGCDC_TXN_CONNECTOR } pgcdc_txn_boundary_t;

/* Bits of skipped.operations. */
#define PGCDC_SKIP_CREATE   0x01u
#define PGCDC_SKIP_UPDATE   0x02u
#define PGCDC_SKIP_DELETE   0x04u
#define PGCDC_SKIP_TRUNCATE 0x08u

/* pgcdc's bound on queued bytes when max.queue.size.in.bytes is 0 or unset (Debezium: unbounded).
 */
#define PGCDC_CONFIG_DEFAULT_QUEUE_BYTES (8LL * 1024 * 1024)

typedef struct pgcdc_config_priv pgcdc_config_priv_t;

/* Fields are named after the property (dots -> underscores). Strings are NULL when unset and
 * have no default. */
typedef struct pgcdc_config {
    const char *database_hostname;
    int database_port; /* 1..65535, default 5432 */
    const char *database_user;
    const char *database_password; /* never log it */
    const char *database_dbname;
    pgcdc_sslmode_t database_sslmode;  /* default prefer */
    const char *database_sslmode_name; /* libpq spelling of database_sslmode */

    const char *topic_prefix;           /* required */
    const char *topic_heartbeat_prefix; /* default "__debezium-heartbeat" */
    const char *topic_transaction;      /* default "transaction" */

    const char *plugin_name;                              /* always "pgoutput" */
    const char *slot_name;                                /* default "debezium" */
    int slot_drop_on_stop;                                /* default 0 */
    const char *publication_name;                         /* default "dbz_publication" */
    pgcdc_publication_mode_t publication_autocreate_mode; /* default all_tables */
    pgcdc_snapshot_mode_t snapshot_mode;                  /* default initial */
    int snapshot_fetch_size;                              /* default 10240 */

    /* Filter lists as written (NULL when unset); matching: pgcdc_config_*_included(). */
    const char *schema_include_list;
    const char *schema_exclude_list;
    const char *table_include_list;
    const char *table_exclude_list;
    const char *column_include_list;
    const char *column_exclude_list;
    const char *message_key_columns;
    const char *message_prefix_include_list;
    const char *message_prefix_exclude_list;

    pgcdc_decimal_mode_t decimal_handling_mode;
    pgcdc_time_mode_t time_precision_mode;
    pgcdc_binary_mode_t binary_handling_mode;
    pgcdc_interval_mode_t interval_handling_mode;
    pgcdc_hstore_mode_t hstore_handling_mode;
    int include_unknown_datatypes; /* default 0 */

    int tombstones_on_delete;           /* default 1 */
    unsigned skipped_operations;        /* PGCDC_SKIP_* bits, default PGCDC_SKIP_TRUNCATE */
    int provide_transaction_metadata;   /* default 0 */
    int key_converter_schemas_enable;   /* default 1 */
    int value_converter_schemas_enable; /* default 1 */

    int max_queue_size;                 /* default 8192, > max_batch_size */
    int max_batch_size;                 /* default 2048 */
    int64_t max_queue_size_in_bytes;    /* default PGCDC_CONFIG_DEFAULT_QUEUE_BYTES */
    int64_t poll_interval_ms;           /* default 500 */
    int status_update_interval_ms;      /* default 10000 */
    int heartbeat_interval_ms;          /* default 0 = off */
    const char *heartbeat_action_query; /* run on the catalog connection at each heartbeat */

    const char *name; /* the connector's name, default "pgcdc" */
    /* Kafka Connect's offsets topic (NULL: no offsets, as with sink.type=stdout), created with
     * offset_storage_partitions and _replication_factor (-1: min(3, brokers)) when missing. */
    const char *offset_storage_topic;      /* default "connect-offsets" */
    int offset_storage_partitions;         /* default 25 */
    int offset_storage_replication_factor; /* default -1 */
    int offset_flush_interval_ms;          /* default 1000 */
    int offset_flush_timeout_ms;           /* default 5000 */

    pgcdc_sink_type_t sink_type;         /* default kafka */
    const char *kafka_bootstrap_servers; /* required when sink_type is kafka */
    int sink_ready_timeout_ms;           /* pgcdc.kafka.ready.timeout.ms, default 60000 */
    int shutdown_timeout_ms;             /* task.shutdown.graceful.timeout.ms, default 10000 */
    int standby_timeout_ms;              /* pgcdc.standby.timeout.ms, default 10000 */
    int errors_tolerance_all;            /* errors.tolerance=all (default none: 0) */

    /* Exactly-once delivery (exactly.once.support=required, or Kafka Connect's worker key
     * exactly.once.source.support=enabled): Kafka transactions under transactional_id, which is
     * kafka.transactional.id or "pgcdc-<name>"; NULL and 0 with at-least-once (the default). */
    int exactly_once;
    const char *transactional_id;
    pgcdc_txn_boundary_t txn_boundary; /* transaction.boundary, default poll */
    int txn_boundary_interval_ms;      /* default offset.flush.interval.ms */
    int txn_timeout_ms;                /* kafka.transaction.timeout.ms, default 60000 */

    /* transforms=<alias> with transforms.<alias>.type=io.debezium.transforms.ExtractNewRecordState
     * (transform_unwrap.h), or NULL when no transform is configured. */
    struct pgcdc_unwrap *unwrap;

    pgcdc_config_priv_t *priv;
} pgcdc_config_t;

/*
 * Reads path (JSON when its first non-blank character is '{', else .properties), applies the
 * nsets `key=value` overrides in order, validates and returns a new config in *out. Warns once
 * (pgcdc_log_warn) per unknown key and per known-but-unsupported key. Returns PGCDC_ERR_USAGE
 * for a bad value, a missing required key, an unknown key that config.unknown.keys refuses (by
 * default one that misspells a key changing what is captured), a file that cannot be opened or
 * parsed (all are configuration errors, exit code 2), PGCDC_ERR_RUNTIME for a read error of an
 * open file.
 */
pgcdc_err_t pgcdc_config_load(const char *path, const char *const *sets, int nsets,
                              pgcdc_config_t **out, char *errstr, size_t errstr_size);

/* Same from text in memory; name stands for the file in messages. */
pgcdc_err_t pgcdc_config_load_string(const char *text, size_t len, const char *name,
                                     const char *const *sets, int nsets, pgcdc_config_t **out,
                                     char *errstr, size_t errstr_size);

/* Validates kv into a new config; takes ownership of kv in every case. */
pgcdc_err_t pgcdc_config_from_kv(pgcdc_config_kv_t *kv, pgcdc_config_t **out, char *errstr,
                                 size_t errstr_size);

/* cfg may be NULL. */
void pgcdc_config_free(pgcdc_config_t *cfg);

/* Raw value of any key after overrides (not trimmed), or NULL. */
const char *pgcdc_config_get(const pgcdc_config_t *cfg, const char *key);

/* The kafka.<property> entries, prefix stripped, in first-set order, for the producer's
 * rd_kafka_conf_set() (kafka.bootstrap.servers comes out as bootstrap.servers). */
size_t pgcdc_config_kafka_count(const pgcdc_config_t *cfg);
void pgcdc_config_kafka_at(const pgcdc_config_t *cfg, size_t i, const char **name,
                           const char **value);

/* Fills the encoder's options; strings are borrowed from cfg. */
void pgcdc_config_event_opts(const pgcdc_config_t *cfg, pgcdc_event_opts_t *out);

/* Appends a libpq conninfo string (values single-quoted and escaped; unset keys omitted;
 * application_name=pgcdc; replication=database when replication is non-zero) to out. It holds
 * the password: pass it to libpq, never to a log. */
void pgcdc_config_dsn(const pgcdc_config_t *cfg, int replication, pgcdc_buf_t *out);

/* Appends a one-line summary for logs with every secret replaced by "***". */
void pgcdc_config_describe(const pgcdc_config_t *cfg, pgcdc_buf_t *out);

/* Debezium's table filter: system schemas/tables excluded; then schema.include.list (or, when
 * unset, schema.exclude.list) against the schema name; then table.include.list (or
 * table.exclude.list) against "schema.table". Regexes match the whole name, case-insensitively.
 * Returns 1 when the table is captured. */
int pgcdc_config_table_included(const pgcdc_config_t *cfg, const char *schema, const char *table);

/* The snapshot reads tables in the order of the table.include.list expressions they match
 * (Debezium's order); this is the index of the first expression matching "schema.table", 0
 * without a list. Tables of equal rank keep their order (by schema and name). */
int pgcdc_config_table_snapshot_rank(const pgcdc_config_t *cfg, const char *schema,
                                     const char *table);

/* column.include.list / column.exclude.list against "schema.table.column". */
int pgcdc_config_column_included(const pgcdc_config_t *cfg, const char *schema, const char *table,
                                 const char *column);

/* The column value option (column.truncate.to.<N>.chars, column.mask.with.<N>.chars,
 * column.mask.hash[.v2].<algorithm>.with.salt.<salt>) whose regexes first match
 * "schema.table.column" in Debezium's order of precedence, or NULL. Owned by cfg. */
const pgcdc_mask_rule_t *pgcdc_config_column_mask(const pgcdc_config_t *cfg, const char *schema,
                                                  const char *table, const char *column);

/* 1 when skipped.operations drops events of op (PGCDC_OP_CREATE, _UPDATE, _DELETE, _TRUNCATE). */
int pgcdc_config_op_skipped(const pgcdc_config_t *cfg, char op);

/* message.prefix.include.list / message.prefix.exclude.list against a logical decoding
 * message's prefix (the include list wins when set). Returns 1 when the message is published. */
int pgcdc_config_message_prefix_included(const pgcdc_config_t *cfg, const char *prefix);

/* message.key.columns: the comma-separated key columns configured for schema.table (first
 * matching entry), or NULL when none applies. */
const char *pgcdc_config_message_key_columns(const pgcdc_config_t *cfg, const char *schema,
                                             const char *table);

#endif
