/*
 * columns.h - the per-column options of the configuration, applied to a relation after the
 * catalog has described it and before the encoder renders its schemas:
 *
 *  - message.key.columns: the listed columns, in the listed order, become the event key
 *    (pk_position and npk are rewritten), as Debezium's key mapper does; a listed column the
 *    table does not have is skipped with a warning;
 *  - column.include.list / column.exclude.list: columns left out of "before" and "after" and of
 *    their schema (pgcdc_column_t.excluded). The key keeps its columns, as Debezium's does;
 *  - column.truncate.to.*, column.mask.with.*, column.mask.hash.*: what each column's values
 *    and field schema get in before/after (pgcdc_column_t.mask, see column_mask.h).
 *
 * Applying twice gives the same result. Nothing is allocated; the relation stays owned by its
 * cache.
 */
#ifndef PGCDC_COLUMNS_H
#define PGCDC_COLUMNS_H

#include "config.h"
#include "relation.h"

void pgcdc_columns_apply(const pgcdc_config_t *cfg, pgcdc_relation_t *rel);

#endif
