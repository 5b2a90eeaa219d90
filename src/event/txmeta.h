/*
 * txmeta.h - transaction metadata as Debezium's provide.transaction.metadata=true publishes it:
 * a BEGIN and an END record per transaction on <topic.prefix>.<topic.transaction>, and the
 * envelope's "transaction" block (id, total_order, data_collection_order) in every event.
 *
 * Debezium's PostgreSQL connector writes the id as "<xid>:<lsn>", where lsn is the position of
 * the record being written: the BEGIN message's for BEGIN, the change's for an event, the COMMIT
 * message's for END. So the ids of one transaction share the xid part only, as in Debezium.
 *
 * Pure: no I/O. The state keeps the per-table counters of the open transaction in arrays that
 * grow once and are reused, so counting an event allocates nothing once a transaction has
 * seen its tables. The state owns its arrays; pgcdc_txmeta_free() accepts NULL. Output goes to
 * caller-owned buffers, appended (the caller resets them).
 */
#ifndef PGCDC_TXMETA_H
#define PGCDC_TXMETA_H

#include "buf.h"

#include <stdint.h>

typedef struct pgcdc_txmeta pgcdc_txmeta_t;

/* The envelope's transaction block of one event, as data: every encoder that shows it
 * (envelope, message, ExtractNewRecordState's added fields) renders it from these. */
typedef struct pgcdc_tx_block {
    uint32_t xid;
    uint64_t lsn; /* the event's position: the block's id is "<xid>:<lsn>" */
    int64_t total_order;
    int64_t data_collection_order;
} pgcdc_tx_block_t;

pgcdc_txmeta_t *pgcdc_txmeta_new(void);
void pgcdc_txmeta_free(pgcdc_txmeta_t *t);

/* Starts counting a new transaction (forgets the previous one's counters). */
void pgcdc_txmeta_begin(pgcdc_txmeta_t *t, uint32_t xid);

/* Counts one event at lsn of data collection coll ("schema.table") and fills its block. */
void pgcdc_txmeta_event(pgcdc_txmeta_t *t, const char *coll, uint64_t lsn, pgcdc_tx_block_t *block);

/* Appends the block as the envelope's payload writes it:
 * {"id":"<xid>:<lsn>","total_order":N,"data_collection_order":M}, or null for NULL. */
void pgcdc_txmeta_write_block(const pgcdc_tx_block_t *block, pgcdc_buf_t *out);

/* The block's id as a JSON string, "<xid>:<lsn>". */
void pgcdc_txmeta_write_block_id(const pgcdc_tx_block_t *block, pgcdc_buf_t *out);
/* The same id's text, unquoted (a record header's). */
void pgcdc_txmeta_write_block_id_text(const pgcdc_tx_block_t *block, pgcdc_buf_t *out);

/* Events counted since pgcdc_txmeta_begin(). */
int64_t pgcdc_txmeta_total(const pgcdc_txmeta_t *t);

/* The key and value of the BEGIN record (end = 0) or of the END record (end = 1, with
 * event_count and the per-table counts in the order Debezium's HashMap of them iterates:
 * deterministic, not the order of first appearance). lsn is the BEGIN or
 * COMMIT message's position, ts_ms the commit time. schemas: wrap in {"schema":..,"payload":..}
 * (key and value separately, as key/value.converter.schemas.enable say). */
void pgcdc_txmeta_encode(pgcdc_txmeta_t *t, int end, uint64_t lsn, int64_t ts_ms, int key_schemas,
                         int value_schemas, pgcdc_buf_t *key, pgcdc_buf_t *value);

/* The transaction topic: "<prefix>.<topic_transaction>". */
void pgcdc_txmeta_topic(const char *prefix, const char *topic_transaction, pgcdc_buf_t *out);

#endif
