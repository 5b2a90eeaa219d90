/*
 * mem.h - allocation that cannot fail.
 *
 * Like Redis' zmalloc, pgcdc treats running out of memory as fatal: the message is logged and
 * the process aborts. Callers therefore never test for NULL, which keeps every cleanup path
 * short. Memory is bounded by design (queues are capped), not by recovering from malloc failure.
 */
#ifndef PGCDC_MEM_H
#define PGCDC_MEM_H

#include <stddef.h>

void *pgcdc_malloc(size_t size);
void *pgcdc_calloc(size_t n, size_t size);
void *pgcdc_realloc(void *ptr, size_t size);
char *pgcdc_strdup(const char *s);
char *pgcdc_strndup(const char *s, size_t n);

#endif
