/*
 * gen_words.h - the built-in word lists of the fake transaction generator.
 *
 * The lists are static, read-only data compiled into the program so that generation needs no
 * network and no data files. Every list holds at least a few hundred entries; none contains a
 * tab, newline or backslash, so entries go into COPY text format unescaped. Nothing here is
 * owned by the caller.
 */
#ifndef PGCDC_GEN_WORDS_H
#define PGCDC_GEN_WORDS_H

#include <stddef.h>

typedef struct pgcdc_words {
    const char *const *items;
    size_t count;
} pgcdc_words_t;

extern const pgcdc_words_t pgcdc_words_cities;
extern const pgcdc_words_t pgcdc_words_countries;
/* Company-like merchant names ("Summit Coffee LLC", "Jenkins and Sons", ...). */
extern const pgcdc_words_t pgcdc_words_merchants;
/* Lower-case given names and family names, the material of user names. */
extern const pgcdc_words_t pgcdc_words_first_names;
extern const pgcdc_words_t pgcdc_words_last_names;

#endif
