/*
 * log.h - one line per message on stderr: "2026-01-01T00:00:00.000Z LEVEL message".
 *
 * Never pass a password or a full connection string with one to these functions; use
 * pgcdc_log_redact() helpers of the caller's module for anything that may carry one.
 */
#ifndef PGCDC_LOG_H
#define PGCDC_LOG_H

#include "err.h"

typedef enum pgcdc_log_level {
    PGCDC_LOG_DEBUG = 0,
    PGCDC_LOG_INFO,
    PGCDC_LOG_WARN,
    PGCDC_LOG_ERROR,
} pgcdc_log_level_t;

/* Messages below level are dropped. Default INFO; PGCDC_LOG_LEVEL=debug|info|warn|error in the
 * environment overrides at the first call (main() has checked it with pgcdc_log_level_init, so
 * an invalid value never gets this far in the program). */
int pgcdc_log_enabled(pgcdc_log_level_t level);

/* Reads PGCDC_LOG_LEVEL now: unset or empty means info, debug|info|warn|error (any case) set
 * the level; anything else is a USAGE error naming the variable and its value. */
pgcdc_err_t pgcdc_log_level_init(char *errstr, size_t errstr_size);

/* The level a name stands for (debug|info|warn|error, any case); USAGE error otherwise. */
pgcdc_err_t pgcdc_log_level_parse(const char *name, pgcdc_log_level_t *level, char *errstr,
                                  size_t errstr_size);

void pgcdc_log(pgcdc_log_level_t level, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

#define pgcdc_log_debug(...) pgcdc_log(PGCDC_LOG_DEBUG, __VA_ARGS__)
#define pgcdc_log_info(...)  pgcdc_log(PGCDC_LOG_INFO, __VA_ARGS__)
#define pgcdc_log_warn(...)  pgcdc_log(PGCDC_LOG_WARN, __VA_ARGS__)
#define pgcdc_log_error(...) pgcdc_log(PGCDC_LOG_ERROR, __VA_ARGS__)

#endif
