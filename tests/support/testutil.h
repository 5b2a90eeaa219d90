/*
 * testutil.h - helpers shared by the cmocka tests.
 *
 * Include after cmocka's own prerequisites (stdarg.h, stddef.h, setjmp.h, stdint.h, cmocka.h).
 */
#ifndef PGCDC_TESTUTIL_H
#define PGCDC_TESTUTIL_H

#include "relation.h"

#include <stddef.h>
#include <stdint.h>

/* Value of an environment variable the stack fixture sets; fails the test when missing. */
const char *pgcdc_test_env(const char *name);

/* Reads a whole file under the source tree (path relative to PGCDC_SOURCE_DIR). Returns a
 * malloc'ed buffer the caller frees, and its length in *len; fails the test when unreadable. */
char *pgcdc_test_read_source_file(const char *relpath, size_t *len);

/* A name unique to this process (prefix + pid + counter), for slots, topics and tables, so
 * tests sharing one stack do not see each other's objects. Returns a static buffer. */
const char *pgcdc_test_unique(const char *prefix);

/* A nullable column "c" of type oid and modifier typmod (its own base type), as the type and
 * encoder tests build them; everything else zero. */
pgcdc_column_t pgcdc_test_column(uint32_t oid, int32_t typmod);

#endif
