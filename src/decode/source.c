/* source.c - see source.h. */
#include "source.h"

#include <stdlib.h>

void pgcdc_source_tables_free(pgcdc_source_tables_t *tables)
{
    int i;

    if (!tables)
        return;
    for (i = 0; i < tables->n; i++) {
        free(tables->items[i].schema);
        free(tables->items[i].table);
    }
    free(tables->items);
    tables->items = NULL;
    tables->n = 0;
}

void pgcdc_source_free(pgcdc_source_t *s)
{
    if (s)
        s->ops->free(s);
}
