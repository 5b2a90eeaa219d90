/*
 * err.h - the one error convention of pgcdc.
 *
 * Every fallible function returns a pgcdc_err_t and, when it is not PGCDC_OK, has written one
 * human-readable line (no trailing newline) into the caller's errstr buffer of errstr_size bytes.
 * The line names the key, value or object at fault. Callers decide how to report it; nothing
 * below main() prints an error and exits.
 */
#ifndef PGCDC_ERR_H
#define PGCDC_ERR_H

#include <stddef.h>

typedef enum pgcdc_err {
    PGCDC_OK = 0,
    PGCDC_ERR_USAGE,     /* bad command line or configuration: exit code 2 */
    PGCDC_ERR_RUNTIME,   /* a server refused, a file is missing, ...: exit code 1 */
    PGCDC_ERR_PROTO,     /* malformed bytes from a peer: never trusted, never crashes */
    PGCDC_ERR_TRANSIENT, /* worth retrying with backoff (connection lost, broker down) */
    PGCDC_ERR_INTERRUPT, /* stopped by SIGINT/SIGTERM: a clean exit 0 */
    PGCDC_ERR_REJECTED,  /* the destination refuses this one record for good (too large for
                          * it): the rest may go on (errors.tolerance=all); exit code 1 */
} pgcdc_err_t;

/* Size of the errstr buffers callers allocate on their stack. */
#define PGCDC_ERRSTR_SIZE 512

/* Formats into errstr (snprintf-style, never overflows) and returns err, so that a failing
 * branch reads `return pgcdc_err_set(PGCDC_ERR_USAGE, errstr, size, "...", ...);`. */
pgcdc_err_t pgcdc_err_set(pgcdc_err_t err, char *errstr, size_t errstr_size, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

/* Process exit code for an error: 0 for OK and INTERRUPT, 2 for USAGE, 1 otherwise. */
int pgcdc_err_exit_code(pgcdc_err_t err);

/* Stable lower-case name of err, for logs and tests. */
const char *pgcdc_err_name(pgcdc_err_t err);

#endif
