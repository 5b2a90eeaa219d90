/* relcache.c - relations and the cache of them by relation id; see relation.h.
 *
 * Open addressing with linear probing over a power-of-two table. Relations are only ever added
 * or replaced, never removed, so no tombstones are needed; the table doubles at 70% load.
 */
#include "relation.h"

#include "mem.h"

#include <stdlib.h>
#include <string.h>

#define RELCACHE_INITIAL_SLOTS 16

struct pgcdc_relcache {
    pgcdc_relation_t **slots; /* NULL: empty */
    size_t nslots;            /* power of two */
    size_t count;
};

/* Relation ids are OIDs handed out sequentially; a multiplicative hash spreads neighbours. */
static size_t relcache_hash(uint32_t relid)
{
    return (size_t)((relid * UINT32_C(2654435761)) ^ (relid >> 16));
}

static size_t relcache_find_slot(pgcdc_relation_t **slots, size_t nslots, uint32_t relid)
{
    size_t mask = nslots - 1;
    size_t i = relcache_hash(relid) & mask;

    while (slots[i] && slots[i]->relid != relid)
        i = (i + 1) & mask;
    return i;
}

static void relcache_grow(pgcdc_relcache_t *cache)
{
    size_t nslots = cache->nslots * 2;
    pgcdc_relation_t **slots = pgcdc_calloc(nslots, sizeof(*slots));
    size_t i;

    for (i = 0; i < cache->nslots; i++) {
        if (cache->slots[i])
            slots[relcache_find_slot(slots, nslots, cache->slots[i]->relid)] = cache->slots[i];
    }
    free(cache->slots);
    cache->slots = slots;
    cache->nslots = nslots;
}

pgcdc_relcache_t *pgcdc_relcache_new(void)
{
    pgcdc_relcache_t *cache = pgcdc_calloc(1, sizeof(*cache));

    cache->nslots = RELCACHE_INITIAL_SLOTS;
    cache->slots = pgcdc_calloc(cache->nslots, sizeof(*cache->slots));
    return cache;
}

void pgcdc_relcache_free(pgcdc_relcache_t *cache)
{
    size_t i;

    if (!cache)
        return;
    for (i = 0; i < cache->nslots; i++)
        pgcdc_relation_free(cache->slots[i]);
    free(cache->slots);
    free(cache);
}

pgcdc_relation_t *pgcdc_relcache_get(pgcdc_relcache_t *cache, uint32_t relid)
{
    return cache->slots[relcache_find_slot(cache->slots, cache->nslots, relid)];
}

pgcdc_relation_t *pgcdc_relcache_put(pgcdc_relcache_t *cache, pgcdc_relation_t *rel)
{
    size_t i;

    /* Grow before probing so that the slot found stays valid. */
    if ((cache->count + 1) * 10 > cache->nslots * 7)
        relcache_grow(cache);
    i = relcache_find_slot(cache->slots, cache->nslots, rel->relid);
    if (!cache->slots[i])
        cache->count++;
    else if (cache->slots[i] != rel)
        pgcdc_relation_free(cache->slots[i]);
    cache->slots[i] = rel;
    return rel;
}

/* Every RELATION message makes a new relation: PostgreSQL sends one when a session first
 * touches the table and after every ALTER TABLE, which may have changed a default, a NOT NULL
 * or the primary key without changing the columns, so what came from the catalog and what was
 * rendered from it is never carried over (Debezium reads the catalog again too). */
pgcdc_relation_t *pgcdc_relcache_apply(pgcdc_relcache_t *cache, const pgcdc_pgoutput_msg_t *msg)
{
    pgcdc_relation_t *rel;
    int i;

    rel = pgcdc_relation_new(msg->u.relation.relid, msg->u.relation.nspname,
                             msg->u.relation.relname, msg->u.relation.ncols);
    rel->replident = msg->u.relation.replident;
    for (i = 0; i < rel->ncols; i++) {
        const pgcdc_pgoutput_column_t *m = &msg->u.relation.cols[i];
        pgcdc_column_t *c = &rel->cols[i];

        c->name = pgcdc_strdup(m->name);
        c->type_oid = m->type_oid;
        c->typmod = m->typmod;
        c->replica_key = m->flags & 1;
        c->base_type_oid = m->type_oid;
    }
    return pgcdc_relcache_put(cache, rel);
}

pgcdc_relation_t *pgcdc_relation_new(uint32_t relid, const char *schema, const char *table,
                                     int ncols)
{
    pgcdc_relation_t *rel = pgcdc_calloc(1, sizeof(*rel));
    int i;

    rel->relid = relid;
    rel->schema = pgcdc_strdup(schema ? schema : "");
    rel->table = pgcdc_strdup(table ? table : "");
    rel->replident = 'd';
    rel->ncols = ncols > 0 ? ncols : 0;
    rel->cols = pgcdc_calloc((size_t)rel->ncols, sizeof(*rel->cols));
    for (i = 0; i < rel->ncols; i++) {
        rel->cols[i].typmod = -1;
        rel->cols[i].base_typmod = -1;
        rel->cols[i].optional = 1;
    }
    pgcdc_buf_init(&rel->topic);
    pgcdc_buf_init(&rel->key_schema);
    pgcdc_buf_init(&rel->value_schema);
    pgcdc_buf_init(&rel->unwrap_schema);
    pgcdc_buf_init(&rel->unwrap_null_schema);
    return rel;
}

void pgcdc_relation_free(pgcdc_relation_t *rel)
{
    int i;

    if (!rel)
        return;
    for (i = 0; i < rel->ncols; i++) {
        free(rel->cols[i].name);
        free(rel->cols[i].type_name);
        free(rel->cols[i].base_type_name);
        free(rel->cols[i].enum_labels);
        free(rel->cols[i].default_expr);
        free(rel->cols[i].default_json);
        free(rel->cols[i].fill_json);
        free(rel->cols[i].fill_text);
        free(rel->cols[i].mask);
    }
    free(rel->cols);
    free(rel->schema);
    free(rel->table);
    pgcdc_buf_free(&rel->topic);
    pgcdc_buf_free(&rel->key_schema);
    pgcdc_buf_free(&rel->value_schema);
    pgcdc_buf_free(&rel->unwrap_schema);
    pgcdc_buf_free(&rel->unwrap_null_schema);
    free(rel->unwrap_cols);
    free(rel);
}
