/*
 * transform_unwrap_int.h - what the transform's two files share: the envelope fields an added
 * field or header may name. Not for use outside src/event/transform_unwrap*.c.
 */
#ifndef PGCDC_TRANSFORM_UNWRAP_INT_H
#define PGCDC_TRANSFORM_UNWRAP_INT_H

#include "transform_unwrap.h"

/* A field of the source block: its name, and its Connect schema as an added field gets it (a
 * copy made optional; the snapshot enum keeps its name and parameters but not its default). */
typedef struct pgcdc_unwrap_field {
    const char *name;
    const char *schema; /* JSON members before "field" */
} pgcdc_unwrap_field_t;

extern const pgcdc_unwrap_field_t pgcdc_unwrap_source_fields[PGCDC_UNWRAP_SRC_COUNT];

/* The transaction block's fields, by PGCDC_UNWRAP_REF_TX sub. */
extern const char *const pgcdc_unwrap_tx_fields[3];

#endif
