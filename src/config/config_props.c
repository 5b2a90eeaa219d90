/*
 * config_props.c - reader of Java .properties files, as java.util.Properties.load() reads them.
 *
 * Rules followed (so that a file that works with Kafka Connect's standalone worker means the same
 * here):
 *  - a natural line ends at \n, \r or \r\n; leading blanks (space, tab, form feed) are skipped;
 *    a line that is then empty, or starts with '#' or '!', is a comment;
 *  - a natural line ending in an odd number of backslashes continues on the next line, whose
 *    leading blanks are dropped (a comment line never continues);
 *  - the key ends at the first unescaped '=', ':' or blank; blanks around one separator are
 *    skipped; the value is the rest of the line, trailing blanks included;
 *  - escapes: \t \n \r \f, \uXXXX (four hex digits exactly, UTF-16 pairs combined), and a
 *    backslash before any other character stands for that character.
 * One deliberate difference: Properties.load(InputStream) decodes ISO-8859-1, while pgcdc passes
 * bytes through, i.e. reads the file as UTF-8, which is what editors write today.
 */
#include "buf.h"
#include "config_kv.h"
#include "hex.h"
#include "utf8.h"

#include <stdio.h>
#include <string.h>

static int props_is_blank(char c)
{
    return c == ' ' || c == '\t' || c == '\f';
}

static int props_is_eol(char c)
{
    return c == '\n' || c == '\r';
}

static void props_put_utf8(pgcdc_buf_t *out, unsigned cp)
{
    char u[4];

    pgcdc_buf_append(out, u, pgcdc_utf8_encode(cp, u));
}

/* Reads the four hex digits of a \u escape at s[*i] (just after the 'u'). */
static int props_read_u16(const char *s, size_t n, size_t *i, unsigned *unit)
{
    long v;

    if (*i + 4 > n || (v = pgcdc_hex4(s + *i)) < 0)
        return -1;
    *i += 4;
    *unit = (unsigned)v;
    return 0;
}

/* Unescapes s[0..n) into out; -1 on a malformed \u escape. */
static int props_unescape(const char *s, size_t n, pgcdc_buf_t *out)
{
    size_t i = 0;
    unsigned unit, low;
    size_t save;
    char c;

    pgcdc_buf_reset(out);
    pgcdc_buf_reserve(out, n);
    while (i < n) {
        c = s[i++];
        if (c != '\\') {
            pgcdc_buf_putc(out, c);
            continue;
        }
        if (i >= n)
            break; /* a lone trailing backslash stands for nothing */
        c = s[i++];
        switch (c) {
        case 't':
            pgcdc_buf_putc(out, '\t');
            break;
        case 'n':
            pgcdc_buf_putc(out, '\n');
            break;
        case 'r':
            pgcdc_buf_putc(out, '\r');
            break;
        case 'f':
            pgcdc_buf_putc(out, '\f');
            break;
        case 'u':
            if (props_read_u16(s, n, &i, &unit) < 0)
                return -1;
            if (unit >= 0xD800 && unit <= 0xDBFF) {
                /* Java strings are UTF-16: a character beyond the BMP is written as a pair. */
                save = i;
                if (i + 2 <= n && s[i] == '\\' && s[i + 1] == 'u') {
                    i += 2;
                    if (props_read_u16(s, n, &i, &low) == 0 && low >= 0xDC00 && low <= 0xDFFF) {
                        props_put_utf8(out, 0x10000 + ((unit - 0xD800) << 10) + (low - 0xDC00));
                        break;
                    }
                }
                i = save;
                props_put_utf8(out, 0xFFFD);
            } else if (unit >= 0xDC00 && unit <= 0xDFFF) {
                props_put_utf8(out, 0xFFFD);
            } else {
                props_put_utf8(out, unit);
            }
            break;
        default:
            pgcdc_buf_putc(out, c);
            break;
        }
    }
    return 0;
}

/* Splits one logical line (escapes still in) into key and value and stores them. */
static pgcdc_err_t props_store(const char *s, size_t n, const char *name, int lineno,
                               pgcdc_config_kv_t *kv, pgcdc_buf_t *key, pgcdc_buf_t *value,
                               char *errstr, size_t errstr_size)
{
    size_t klen = 0, vstart = n;
    int backslash = 0, has_sep = 0;
    char source[512];
    char c;

    while (klen < n) {
        c = s[klen];
        if ((c == '=' || c == ':') && !backslash) {
            vstart = klen + 1;
            has_sep = 1;
            break;
        }
        if (props_is_blank(c) && !backslash) {
            vstart = klen + 1;
            break;
        }
        backslash = c == '\\' ? !backslash : 0;
        klen++;
    }
    while (vstart < n) {
        c = s[vstart];
        if (!props_is_blank(c)) {
            if (has_sep || (c != '=' && c != ':'))
                break;
            has_sep = 1;
        }
        vstart++;
    }
    if (props_unescape(s, klen, key) < 0 || props_unescape(s + vstart, n - vstart, value) < 0)
        return pgcdc_err_set(PGCDC_ERR_USAGE, errstr, errstr_size,
                             "%s:%d: malformed \\uXXXX escape", name, lineno);
    snprintf(source, sizeof(source), "%s:%d", name, lineno);
    pgcdc_config_kv_set(kv, key->data ? key->data : "", value->data ? value->data : "", source);
    return PGCDC_OK;
}

pgcdc_err_t pgcdc_config_props_parse(const char *text, size_t len, const char *name,
                                     pgcdc_config_kv_t *kv, char *errstr, size_t errstr_size)
{
    pgcdc_buf_t line = PGCDC_BUF_INIT, key = PGCDC_BUF_INIT, value = PGCDC_BUF_INIT;
    pgcdc_err_t err = PGCDC_OK;
    size_t i = 0, seg, nbs;
    int lineno = 0, first;

    while (i < len) {
        lineno++;
        first = lineno;
        while (i < len && props_is_blank(text[i]))
            i++;
        if (i < len && (text[i] == '#' || text[i] == '!')) {
            while (i < len && !props_is_eol(text[i]))
                i++;
        }
        if (i >= len || props_is_eol(text[i])) {
            /* blank or comment line */
            if (i < len && text[i] == '\r' && i + 1 < len && text[i + 1] == '\n')
                i++;
            i++;
            continue;
        }
        pgcdc_buf_reset(&line);
        for (;;) {
            seg = line.len;
            while (i < len && !props_is_eol(text[i]))
                pgcdc_buf_putc(&line, text[i++]);
            if (i < len) {
                if (text[i] == '\r' && i + 1 < len && text[i + 1] == '\n')
                    i++;
                i++;
            }
            /* Backslashes of this natural line only: a continuation resets the count. */
            nbs = 0;
            while (line.len - nbs > seg && line.data[line.len - nbs - 1] == '\\')
                nbs++;
            if (nbs % 2 == 0)
                break;
            pgcdc_buf_truncate(&line, line.len - 1);
            if (i >= len)
                break;
            lineno++;
            while (i < len && props_is_blank(text[i]))
                i++;
        }
        err = props_store(line.data ? line.data : "", line.len, name, first, kv, &key, &value,
                          errstr, errstr_size);
        if (err != PGCDC_OK)
            goto out;
    }
out:
    pgcdc_buf_free(&line);
    pgcdc_buf_free(&key);
    pgcdc_buf_free(&value);
    return err;
}
