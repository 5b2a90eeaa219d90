/*
 * config_regex.h - Debezium's regular expressions (Java syntax) as POSIX regexes, and lists of
 * them, for the filter and column option keys.
 *
 * Debezium matches a table, column or message prefix against each expression of a list as a
 * whole (Pattern.matcher().matches()) and case-insensitively; the compiled forms here are
 * anchored and REG_ICASE so that regexec() answers the same.
 *
 * Ownership: a list owns its compiled regexes; pgcdc_config_regex_free() releases them.
 */
#ifndef PGCDC_CONFIG_REGEX_H
#define PGCDC_CONFIG_REGEX_H

#include <regex.h>
#include <stddef.h>

typedef struct config_relist {
    regex_t *re;
    size_t n;
} config_relist_t;

/* Compiles one Java regex into re; returns 0, or regcomp()'s code with its message in msg
 * (and nothing to regfree()). */
int pgcdc_config_regex_compile(regex_t *re, const char *java, char *msg, size_t msg_size);

/* Compiles java and appends it to l; on failure l is unchanged and msg says why. */
int pgcdc_config_regex_add(config_relist_t *l, const char *java, char *msg, size_t msg_size);

/* 1 when some expression of l matches the whole of name. */
int pgcdc_config_regex_match(const config_relist_t *l, const char *name);

/* The index of the first expression of l that matches name, or -1. */
int pgcdc_config_regex_first(const config_relist_t *l, const char *name);

/* Empties l; l may be NULL. */
void pgcdc_config_regex_free(config_relist_t *l);

#endif
