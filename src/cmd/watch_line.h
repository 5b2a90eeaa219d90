/*
 * watch_line.h - the lines `pgcdc watch` prints for records: pretty (an operation, the key and
 * the fields, temporal fields as ISO 8601 times read from the record's schema), tsv and json
 * (the record as it is), and fitting a line to the terminal's width.
 *
 * Pure: no I/O. The caller owns the buffer; it is reset and reused for each line.
 */
#ifndef PGCDC_WATCH_LINE_H
#define PGCDC_WATCH_LINE_H

#include "buf.h"
#include "kafka_consumer.h"

#include <stdint.h>

typedef enum pgcdc_watch_format {
    PGCDC_WATCH_PRETTY = 0,
    PGCDC_WATCH_TSV,
    PGCDC_WATCH_JSON,
} pgcdc_watch_format_t;

/* Renders rec as one line (no newline) into out, which is reset first. */
void pgcdc_watch_line_render(pgcdc_watch_format_t format, const pgcdc_kafka_record_t *rec,
                             pgcdc_buf_t *out);

/* Appends value, of the Kafka Connect or Debezium temporal type named type (the schema's
 * "name", e.g. io.debezium.time.MicroTimestamp), as ISO 8601 text without zone: a date, a time
 * of day or both, with as many fraction digits as needed. Returns 0 and appends nothing when
 * type is not such a type (NULL included) or the value is outside years 0000-9999. */
int pgcdc_watch_line_put_time(pgcdc_buf_t *b, const char *type, int64_t value);

/* Cuts b to at most width columns (one per UTF-8 character), its end replaced by "..." when
 * cut. width <= 0 leaves it whole. */
void pgcdc_watch_line_fit(pgcdc_buf_t *b, int width);

/* The width to fit pretty lines to: 0 (whole lines) when stdout is no terminal; else the
 * terminal's columns (tty_cols, from TIOCGWINSZ, 0 when unknown), else $COLUMNS
 * (columns_env, may be NULL), else 80. */
int pgcdc_watch_line_width(int is_tty, int tty_cols, const char *columns_env);

#endif
