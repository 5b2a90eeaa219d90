/*
 * record.h - the unit pgcdc publishes: one Kafka record (topic, key, value, headers) as bytes,
 * already rendered. Every encoder produces records and every sink takes them, so neither knows
 * the other.
 *
 * A record only borrows: its pointers stay valid until its producer renders the next record;
 * a sink that queues a record copies what it keeps.
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

#endif
