/*
 * sink_stdout.h - a stand-in for the Kafka sink that prints events, for trying pgcdc out and
 * for debugging without a broker.
 *
 * Same produce/poll/flush shape as kafka_sink.h. Each message becomes one line
 *   {"topic":"cdc.public.t","key":<key>,"value":<value>}
 * where key and value are written as they are (the event encoder produces JSON texts) and a
 * NULL key or value (tombstone) is written as null. Headers are not printed. A message counts
 * as delivered once its line has been flushed to the stream: the acknowledgement is reported
 * by the next pgcdc_sink_stdout_poll()/_flush(), never from inside produce.
 *
 * Memory: produce copies what it prints into a reused line buffer; the stream is borrowed and
 * never closed. pgcdc_sink_stdout_free() accepts NULL and drops unreported acknowledgements.
 */
#ifndef PGCDC_SINK_STDOUT_H
#define PGCDC_SINK_STDOUT_H

#include "err.h"
#include "kafka_sink.h"

#include <stdio.h>

typedef struct pgcdc_sink_stdout pgcdc_sink_stdout_t;

/* out NULL means stdout. on_delivery may be NULL. */
pgcdc_sink_stdout_t *pgcdc_sink_stdout_new(FILE *out, pgcdc_kafka_delivery_cb on_delivery,
                                           void *opaque);
void pgcdc_sink_stdout_free(pgcdc_sink_stdout_t *s);

/* Writes the line. PGCDC_ERR_RUNTIME when the stream refuses it (closed pipe, full disk). */
pgcdc_err_t pgcdc_sink_stdout_produce(pgcdc_sink_stdout_t *s, const char *topic, const void *key,
                                      size_t keylen, const void *value, size_t valuelen,
                                      const pgcdc_header_t *headers, int nheaders, uint64_t ticket,
                                      char *errstr, size_t errstr_size);

/* Flushes the stream and reports every message written since the last call as delivered.
 * timeout_ms is accepted for symmetry with the Kafka sink; nothing here waits. */
pgcdc_err_t pgcdc_sink_stdout_poll(pgcdc_sink_stdout_t *s, int timeout_ms, char *errstr,
                                   size_t errstr_size);
pgcdc_err_t pgcdc_sink_stdout_flush(pgcdc_sink_stdout_t *s, int timeout_ms, char *errstr,
                                    size_t errstr_size);

/* Messages written but not yet reported. */
int pgcdc_sink_stdout_outstanding(const pgcdc_sink_stdout_t *s);

#endif
