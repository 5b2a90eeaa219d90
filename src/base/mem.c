/* mem.c - see mem.h. */
#include "mem.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void mem_oom(size_t size)
{
    fprintf(stderr, "pgcdc: out of memory allocating %zu bytes\n", size);
    abort();
}

void *pgcdc_malloc(size_t size)
{
    void *p = malloc(size ? size : 1);

    if (!p)
        mem_oom(size);
    return p;
}

void *pgcdc_calloc(size_t n, size_t size)
{
    void *p = calloc(n ? n : 1, size ? size : 1);

    if (!p)
        mem_oom(n * size);
    return p;
}

void *pgcdc_realloc(void *ptr, size_t size)
{
    void *p = realloc(ptr, size ? size : 1);

    if (!p)
        mem_oom(size);
    return p;
}

char *pgcdc_strdup(const char *s)
{
    return pgcdc_strndup(s, strlen(s));
}

char *pgcdc_strndup(const char *s, size_t n)
{
    char *p = pgcdc_malloc(n + 1);

    memcpy(p, s, n);
    p[n] = '\0';
    return p;
}
