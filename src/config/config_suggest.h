/*
 * config_suggest.h - how far a mistyped key is from a key pgcdc knows: the optimal string
 * alignment distance (Levenshtein's insertions, deletions and substitutions, plus the
 * transposition of two adjacent characters, the commonest typing slip), and how far a key may
 * be from a candidate for the candidate to be suggested.
 *
 * Pure functions, no state; config_keys.c uses them to say "did you mean ...?".
 */
#ifndef PGCDC_CONFIG_SUGGEST_H
#define PGCDC_CONFIG_SUGGEST_H

#include <stddef.h>

/* The distance between a[0..alen) and b[0..blen), or max + 1 when it is larger than max (the
 * computation stops early then). Bytes are compared exactly: keys are case-sensitive. */
int pgcdc_config_suggest_distance(const char *a, size_t alen, const char *b, size_t blen, int max);

/* The largest distance at which a candidate of len bytes is still suggested: 1 up to 7 bytes,
 * 2 up to 15, 3 beyond. Three slips in a short key make another word ("snapshot.lock" is not
 * "snapshot.mode"); in a long dotted one they are still the same key. */
int pgcdc_config_suggest_limit(size_t len);

#endif
