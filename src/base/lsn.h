/*
 * lsn.h - PostgreSQL WAL positions (LSNs) as text: the "16/B374D848" form that the server
 * prints and accepts, upper-case hexadecimal halves without leading zeros.
 */
#ifndef PGCDC_LSN_H
#define PGCDC_LSN_H

#include <stddef.h>
#include <stdint.h>

/* Writes lsn into buf (20 bytes always suffice) and returns buf. */
const char *pgcdc_lsn_format(uint64_t lsn, char *buf, size_t size);

/* Parses "X/Y" (nothing before or after); returns 0, or -1 leaving *lsn alone. */
int pgcdc_lsn_parse(const char *s, uint64_t *lsn);

#endif
