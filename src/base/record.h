/*
 * record.h - the unit pgcdc publishes: one Kafka record (topic, key, value, headers), already
 * rendered to bytes. Encoders produce records and sinks take them, so neither knows the other.
 *
 * A record only borrows: its pointers stay valid until whoever rendered it renders the next
 * one; a sink that queues a record copies what it keeps (or takes the value, see value_taken).
 */
#ifndef PGCDC_RECORD_H
#define PGCDC_RECORD_H

#include <stddef.h>

/* One record header: Kafka header values are bytes, NULL for a header with a null value. */
typedef struct pgcdc_header {
    const char *name;
    const void *value;
    size_t value_len;
} pgcdc_header_t;

typedef struct pgcdc_record {
    const char *topic;
    const void *key; /* NULL: a null key (Kafka picks the partition) */
    size_t key_len;
    const void *value; /* NULL: a tombstone */
    size_t value_len;
    const pgcdc_header_t *headers;
    int nheaders;
    /* NULL, or: value is the start of a malloc'd block that a sink may keep instead of copying
     * it, saying so by setting *value_taken to 1 (then it frees the block with free() once
     * done, and the renderer forgets it). Offered for large values only, so that one large
     * event costs its size once more, not twice, while small ones reuse the buffer. */
    int *value_taken;
} pgcdc_record_t;

#endif
