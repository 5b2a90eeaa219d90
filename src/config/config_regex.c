/*
 * config_regex.c - see config_regex.h. The translation of Java regexes to POSIX ERE, and
 * matching against lists of them.
 */
#include "config_regex.h"
#include "buf.h"
#include "mem.h"

#include <stdlib.h>

/* Compiles one Debezium (Java) regex as an anchored, case-insensitive POSIX ERE. Java's \d and
 * \D, common in table lists, are rewritten; the rest of ERE with GNU extensions (\w, \s, \b)
 * reads the same. */
int pgcdc_config_regex_compile(regex_t *re, const char *java, char *msg, size_t msg_size)
{
    pgcdc_buf_t b = PGCDC_BUF_INIT;
    int in_bracket = 0, rc;
    const char *s;

    pgcdc_buf_puts(&b, "^(");
    for (s = java; *s; s++) {
        if (*s == '\\' && s[1]) {
            if (!in_bracket && s[1] == 'd') {
                pgcdc_buf_puts(&b, "[0-9]");
            } else if (!in_bracket && s[1] == 'D') {
                pgcdc_buf_puts(&b, "[^0-9]");
            } else {
                pgcdc_buf_putc(&b, s[0]);
                pgcdc_buf_putc(&b, s[1]);
            }
            s++;
            continue;
        }
        if (*s == '[')
            in_bracket = 1;
        else if (*s == ']')
            in_bracket = 0;
        pgcdc_buf_putc(&b, *s);
    }
    pgcdc_buf_puts(&b, ")$");
    rc = regcomp(re, b.data, REG_EXTENDED | REG_ICASE | REG_NOSUB);
    if (rc != 0) {
        /* Nothing to regfree() after a failed regcomp(). */
        regerror(rc, re, msg, msg_size);
    }
    pgcdc_buf_free(&b);
    return rc;
}

int pgcdc_config_regex_add(config_relist_t *l, const char *java, char *msg, size_t msg_size)
{
    int rc;

    l->re = pgcdc_realloc(l->re, (l->n + 1) * sizeof(regex_t));
    rc = pgcdc_config_regex_compile(&l->re[l->n], java, msg, msg_size);
    if (rc == 0)
        l->n++;
    return rc;
}

int pgcdc_config_regex_first(const config_relist_t *l, const char *name)
{
    size_t i;

    for (i = 0; i < l->n; i++)
        if (regexec(&l->re[i], name, 0, NULL, 0) == 0)
            return (int)i;
    return -1;
}

int pgcdc_config_regex_match(const config_relist_t *l, const char *name)
{
    return pgcdc_config_regex_first(l, name) >= 0;
}

void pgcdc_config_regex_free(config_relist_t *l)
{
    size_t i;

    if (!l)
        return;
    for (i = 0; i < l->n; i++)
        regfree(&l->re[i]);
    free(l->re);
    l->re = NULL;
    l->n = 0;
}
