/*
 * sink_stdout.h - a sink (sink.h) that prints records instead of sending them to Kafka, for
 * trying pgcdc out and for debugging without a broker (sink.type=stdout).
 *
 * Each record becomes one line
 *   {"topic":"cdc.public.t","key":<key>,"value":<value>}
 * where key and value are written as they are (the encoders produce JSON texts), a null key or
 * a tombstone as null; headers are not printed. A record counts as delivered once its line has
 * been flushed to the stream: the report comes with the next poll(), never from inside
 * produce(), and a delivery callback may produce again.
 *
 * Memory: the line buffer and the ticket lists are reused; the stream is borrowed, never closed.
 */
#ifndef PGCDC_SINK_STDOUT_H
#define PGCDC_SINK_STDOUT_H

#include "sink.h"

#include <stdio.h>

/* out NULL means stdout. Freed with pgcdc_sink_free(). */
pgcdc_sink_t *pgcdc_sink_stdout_new(FILE *out);

#endif
