/* testutil.c - see testutil.h. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "testutil.h"

#include <string.h>

#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

const char *pgcdc_test_env(const char *name)
{
    const char *v = getenv(name);

    if (!v || !*v)
        fail_msg("environment variable %s is not set (run through ctest)", name);
    return v;
}

char *pgcdc_test_read_source_file(const char *relpath, size_t *len)
{
    char path[4096];
    FILE *f;
    char *data;
    long n;

    snprintf(path, sizeof(path), "%s/%s", pgcdc_test_env("PGCDC_SOURCE_DIR"), relpath);
    f = fopen(path, "rb");
    if (!f)
        fail_msg("cannot open %s", path);
    fseek(f, 0, SEEK_END);
    n = ftell(f);
    fseek(f, 0, SEEK_SET);
    data = malloc((size_t)n + 1);
    assert_non_null(data);
    assert_int_equal(fread(data, 1, (size_t)n, f), (size_t)n);
    data[n] = '\0';
    fclose(f);
    *len = (size_t)n;
    return data;
}

const char *pgcdc_test_unique(const char *prefix)
{
    static char name[128];
    static int counter;

    snprintf(name, sizeof(name), "%s_%d_%d", prefix, (int)getpid(), ++counter);
    return name;
}

pgcdc_column_t pgcdc_test_column(uint32_t oid, int32_t typmod)
{
    pgcdc_column_t c;

    memset(&c, 0, sizeof(c));
    c.name = "c";
    c.type_oid = oid;
    c.base_type_oid = oid;
    c.typmod = typmod;
    c.base_typmod = -1;
    c.optional = 1;
    return c;
}
