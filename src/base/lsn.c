/* lsn.c - see lsn.h. */
#include "lsn.h"

#include <inttypes.h>
#include <stdio.h>

const char *pgcdc_lsn_format(uint64_t lsn, char *buf, size_t size)
{
    snprintf(buf, size, "%" PRIX32 "/%" PRIX32, (uint32_t)(lsn >> 32), (uint32_t)lsn);
    return buf;
}

int pgcdc_lsn_parse(const char *s, uint64_t *lsn)
{
    unsigned int hi, lo;
    int n = 0;

    if (!s || sscanf(s, "%X/%X%n", &hi, &lo, &n) != 2 || s[n] != '\0')
        return -1;
    *lsn = ((uint64_t)hi << 32) | lo;
    return 0;
}
