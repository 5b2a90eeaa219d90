/*
 * heartbeat.h - Debezium's heartbeat records (heartbeat.interval.ms): on
 * <topic.heartbeat.prefix>.<topic.prefix>, key {"serverName":<topic.prefix>} (schema
 * io.debezium.connector.common.ServerNameKey), value {"ts_ms":<now>} (schema
 * io.debezium.connector.common.Heartbeat).
 *
 * Pure: no I/O; writes into caller-owned buffers it resets. Running heartbeat.action.query is the
 * engine's business (it owns the database connection).
 */
#ifndef PGCDC_HEARTBEAT_H
#define PGCDC_HEARTBEAT_H

#include "buf.h"

#include <stdint.h>

void pgcdc_heartbeat_encode(const char *server_name, int64_t now_ms, int key_schemas,
                            int value_schemas, pgcdc_buf_t *key, pgcdc_buf_t *value);

/* "<heartbeat_prefix>.<prefix>". */
void pgcdc_heartbeat_topic(const char *heartbeat_prefix, const char *prefix, pgcdc_buf_t *out);

/* Whether a heartbeat is due at now_ms, given the last one at last_ms (0: none yet) and the
 * interval (0: heartbeats are off). */
int pgcdc_heartbeat_due(int interval_ms, int64_t last_ms, int64_t now_ms);

#endif
