/*
 * hex.h - hexadecimal digits both ways, shared by every parser that reads hex (bytea text, COPY
 * escapes, \uXXXX in properties files) and every writer that prints it (digests, UUIDs, JSON
 * escapes). Header-only: it sits on hot paths.
 */
#ifndef PGCDC_HEX_H
#define PGCDC_HEX_H

/* The digits, indexed by value: PGCDC_HEX_LOWER[b >> 4], PGCDC_HEX_LOWER[b & 15]. */
#define PGCDC_HEX_LOWER "0123456789abcdef"
#define PGCDC_HEX_UPPER "0123456789ABCDEF"

/* 0-15 for [0-9a-fA-F], -1 for anything else. */
static inline int pgcdc_hexdigit(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

/* The value of the four hex digits at p (a \uXXXX escape), -1 when one is not a digit. */
static inline long pgcdc_hex4(const char *p)
{
    long v = 0;
    int i, d;

    for (i = 0; i < 4; i++) {
        if ((d = pgcdc_hexdigit(p[i])) < 0)
            return -1;
        v = v * 16 + d;
    }
    return v;
}

#endif
