/*
 * column_mask.h - Debezium's column value options, applied to the values of "before" and
 * "after" (never to the key, as Debezium):
 *
 *  - column.truncate.to.<N>.chars: string values cut to N UTF-16 code units (Java's
 *    String.length), raw bytes values (bytea in binary.handling.mode=bytes) to N bytes; only
 *    when the column's length (the JDBC precision) is unknown or above N, and then the field
 *    schema gets the parameter "truncateLength": "N", whatever the type;
 *  - column.mask.with.<N>.chars: values of character columns (text, varchar, char, "char", name,
 *    enums) replaced by N '*', NULL included;
 *  - column.mask.hash[.v2].<algorithm>.with.salt.<salt>: values of character columns replaced by
 *    the lower-case hex digest of salt + bytes, where the bytes are the Java serialization of the
 *    String (v1) or its UTF-8 (v2), cut to the column's length when it has one; NULL stays NULL.
 *  Both mask options add the parameter "masked": "true" to the field schema of any matched
 *  column, character or not.
 *
 * A column takes the first rule that matches it, in Debezium's order: truncate rules, then mask
 * rules, then hash v1, then hash v2 (see config_masks.c). The decision per column is made once,
 * when the relation's options are applied (pgcdc_column_mask_plan); the field schema takes the
 * parameter as an option of its writer (pgcdc_column_mask_params); per value only the rendered JSON
 * is rewritten in place, with no allocation (the output buffer's tail is used as scratch).
 */
#ifndef PGCDC_COLUMN_MASK_H
#define PGCDC_COLUMN_MASK_H

#include "buf.h"
#include "err.h"

#include <stddef.h>
#include <stdint.h>

struct pgcdc_column;
struct pgcdc_event_opts;
struct pgcdc_types_param;

typedef enum pgcdc_mask_kind {
    PGCDC_MASK_TRUNCATE = 1, /* column.truncate.to.<n>.chars */
    PGCDC_MASK_CHARS,        /* column.mask.with.<n>.chars */
    PGCDC_MASK_HASH_V1,      /* column.mask.hash.<alg>.with.salt.<salt> */
    PGCDC_MASK_HASH_V2,      /* column.mask.hash.v2.<alg>.with.salt.<salt> */
} pgcdc_mask_kind_t;

/* One configured option. Owned by the configuration; init/clear pair. */
typedef struct pgcdc_mask_rule {
    pgcdc_mask_kind_t kind;
    long n;     /* TRUNCATE, CHARS */
    char *salt; /* HASH: the salt's bytes (the key's text after ".with.salt.") */
    size_t salt_len;
    const void *md; /* HASH: the OpenSSL EVP_MD */
    void *md_ctx;   /* HASH: an EVP_MD_CTX reused for every value (single encoder thread) */
} pgcdc_mask_rule_t;

/* The OpenSSL digest for a Java MessageDigest algorithm name (case-insensitive: MD5, SHA-1,
 * SHA-224, SHA-256, SHA-384, SHA-512, SHA-512/224, SHA-512/256, SHA3-224..SHA3-512, and Java's
 * aliases SHA, SHA1, ...), or NULL when there is none. */
const void *pgcdc_column_mask_digest(const char *java_name);

/* Sets up a rule; for the hash kinds algorithm must be known (pgcdc_column_mask_digest) and
 * salt is copied. Returns 0, or -1 for an unknown algorithm. */
int pgcdc_column_mask_rule_init(pgcdc_mask_rule_t *r, pgcdc_mask_kind_t kind, long n,
                                const char *algorithm, const char *salt);
/* Frees what init allocated; r may be NULL. */
void pgcdc_column_mask_rule_clear(pgcdc_mask_rule_t *r);

typedef enum pgcdc_mask_op {
    PGCDC_MASK_OP_NONE = 0,
    PGCDC_MASK_OP_CHARS,        /* value (even null) -> n '*' */
    PGCDC_MASK_OP_HASH,         /* string -> hex digest */
    PGCDC_MASK_OP_TRUNC_STRING, /* JSON string -> first n UTF-16 units */
    PGCDC_MASK_OP_TRUNC_BYTES,  /* base64 JSON string of raw bytes -> first n bytes */
} pgcdc_mask_op_t;

/* What happens to one column: kept in pgcdc_column_t, filled by pgcdc_column_mask_plan(). */
typedef struct pgcdc_column_mask {
    const pgcdc_mask_rule_t *rule; /* NULL: the column is not matched by any option */
    pgcdc_mask_op_t op;
    int param_masked;   /* add "masked":"true" to the field schema */
    int param_truncate; /* add "truncateLength":"<n>" to the field schema */
    int64_t length;     /* Debezium's column length (JDBC precision), -1 when unknown */
} pgcdc_column_mask_t;

/* Debezium's Column.length() of col, which PgJDBC's TypeInfoCache.getPrecision() gives (and its
 * display size where that is 0): varchar(n)/char(n) n, text and other unbounded types
 * 2147483647, int4 10, ... */
int64_t pgcdc_column_mask_length(const struct pgcdc_column *col);

/* Decides what rule (may be NULL) does to col's values and schema under opts. */
void pgcdc_column_mask_plan(const pgcdc_mask_rule_t *rule, const struct pgcdc_event_opts *opts,
                            const struct pgcdc_column *col, pgcdc_column_mask_t *out);

/* The field schema parameter m adds, for pgcdc_types_write_field_schema_opts(): "masked":"true"
 * for the mask options, else "truncateLength":"<n>" (its digits written into buf, which must
 * outlive *p). Returns the number of parameters set in *p: 0 or 1. */
size_t pgcdc_column_mask_params(const pgcdc_column_mask_t *m, struct pgcdc_types_param *p,
                                char *buf, size_t buf_size);

/* out holds, from start to its end, one JSON value as pgcdc_types_write_value wrote it for the
 * column: rewrites it as m says. toast is 1 when the value is the placeholder of an unchanged
 * TOASTed value: masked, hashed and cut as a string like any value, but left whole for bytea
 * (Debezium's placeholder there is a byte[], which it does not cut). Returns PGCDC_ERR_RUNTIME
 * (errstr set) only if the digest fails. */
pgcdc_err_t pgcdc_column_mask_apply(const pgcdc_column_mask_t *m, pgcdc_buf_t *out, size_t start,
                                    int toast, char *errstr, size_t errstr_size);

#endif
