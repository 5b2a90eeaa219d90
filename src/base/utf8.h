/*
 * utf8.h - UTF-8 as Java sees it: encoding a code point, and Java's String.hashCode() of UTF-8
 * text (computed over its UTF-16 code units). Shared by the properties reader, the JSON
 * unescapers and the places that reproduce Java's HashMap order. Header-only: no state.
 */
#ifndef PGCDC_UTF8_H
#define PGCDC_UTF8_H

#include <stddef.h>
#include <stdint.h>

/* Writes code point cp (at most U+10FFFF) as UTF-8 to out; returns the byte count (1-4). */
static inline size_t pgcdc_utf8_encode(uint32_t cp, char *out)
{
    if (cp < 0x80) {
        out[0] = (char)cp;
        return 1;
    }
    if (cp < 0x800) {
        out[0] = (char)(0xC0 | (cp >> 6));
        out[1] = (char)(0x80 | (cp & 0x3F));
        return 2;
    }
    if (cp < 0x10000) {
        out[0] = (char)(0xE0 | (cp >> 12));
        out[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
        out[2] = (char)(0x80 | (cp & 0x3F));
        return 3;
    }
    out[0] = (char)(0xF0 | (cp >> 18));
    out[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
    out[2] = (char)(0x80 | ((cp >> 6) & 0x3F));
    out[3] = (char)(0x80 | (cp & 0x3F));
    return 4;
}

/* Java's String.hashCode() of the UTF-8 text s[0..len): h = 31 * h + unit over the UTF-16 code
 * units, a character above U+FFFF counting as its two surrogates. */
static inline uint32_t pgcdc_utf8_java_hash(const char *s, size_t len)
{
    const unsigned char *p = (const unsigned char *)s, *end = p + len;
    uint32_t h = 0;

    while (p < end) {
        uint32_t cp = *p++;
        int more = cp >= 0xF0 ? 3 : cp >= 0xE0 ? 2 : cp >= 0xC0 ? 1 : 0;

        if (more)
            cp &= 0x3Fu >> more;
        for (; more > 0 && p < end; more--)
            cp = (cp << 6) | (*p++ & 0x3Fu);
        if (cp >= 0x10000) {
            cp -= 0x10000;
            h = 31 * h + (0xD800 + (cp >> 10));
            h = 31 * h + (0xDC00 + (cp & 0x3FF));
        } else {
            h = 31 * h + cp;
        }
    }
    return h;
}

#endif
