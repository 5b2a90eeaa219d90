/* config_suggest.c - see config_suggest.h. */
#include "config_suggest.h"
#include "mem.h"

#include <stdlib.h>

int pgcdc_config_suggest_distance(const char *a, size_t alen, const char *b, size_t blen, int max)
{
    /* Three rows of the dynamic programme: two back (for transpositions), one back, this one. */
    int *rows, *prev2, *prev, *cur, *t, d, best, result;
    size_t i, j;

    if ((alen > blen ? alen - blen : blen - alen) > (size_t)max)
        return max + 1;
    rows = pgcdc_calloc(3 * (blen + 1), sizeof(*rows));
    prev2 = rows;
    prev = rows + blen + 1;
    cur = rows + 2 * (blen + 1);
    for (j = 0; j <= blen; j++)
        prev[j] = (int)j;
    result = -1;
    for (i = 1; i <= alen && result < 0; i++) {
        cur[0] = (int)i;
        best = cur[0];
        for (j = 1; j <= blen; j++) {
            int cost = a[i - 1] != b[j - 1];

            d = prev[j - 1] + cost;
            if (prev[j] + 1 < d)
                d = prev[j] + 1;
            if (cur[j - 1] + 1 < d)
                d = cur[j - 1] + 1;
            if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] &&
                prev2[j - 2] + 1 < d)
                d = prev2[j - 2] + 1;
            cur[j] = d;
            if (d < best)
                best = d;
        }
        /* Every later row is at least this row's minimum. */
        if (best > max)
            result = max + 1;
        t = prev2;
        prev2 = prev;
        prev = cur;
        cur = t;
    }
    if (result < 0)
        result = prev[blen] > max ? max + 1 : prev[blen];
    free(rows);
    return result;
}

int pgcdc_config_suggest_limit(size_t len)
{
    return len <= 7 ? 1 : len <= 15 ? 2 : 3;
}
