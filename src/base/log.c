/* log.c - see log.h. */
#include "log.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/time.h>
#include <time.h>

static int log_level = -1;

pgcdc_err_t pgcdc_log_level_parse(const char *name, pgcdc_log_level_t *level, char *errstr,
                                  size_t errstr_size)
{
    static const char *const names[] = {"debug", "info", "warn", "error"};
    size_t i;

    for (i = 0; i < sizeof(names) / sizeof(names[0]); i++)
        if (!strcasecmp(name, names[i])) {
            *level = (pgcdc_log_level_t)i;
            return PGCDC_OK;
        }
    return pgcdc_err_set(PGCDC_ERR_USAGE, errstr, errstr_size,
                         "invalid PGCDC_LOG_LEVEL '%s': expected debug, info, warn or error", name);
}

pgcdc_err_t pgcdc_log_level_init(char *errstr, size_t errstr_size)
{
    const char *env = getenv("PGCDC_LOG_LEVEL");
    pgcdc_log_level_t level = PGCDC_LOG_INFO;
    pgcdc_err_t err = PGCDC_OK;

    if (env && *env)
        err = pgcdc_log_level_parse(env, &level, errstr, errstr_size);
    log_level = (int)level;
    return err;
}

int pgcdc_log_enabled(pgcdc_log_level_t level)
{
    if (log_level < 0)
        pgcdc_log_level_init(NULL, 0);
    return (int)level >= log_level;
}

void pgcdc_log(pgcdc_log_level_t level, const char *fmt, ...)
{
    static const char *names[] = {"DEBUG", "INFO", "WARN", "ERROR"};
    char line[2048];
    char stamp[32];
    struct timeval tv;
    struct tm tm;
    va_list ap;
    int n;

    if (!pgcdc_log_enabled(level))
        return;
    gettimeofday(&tv, NULL);
    gmtime_r(&tv.tv_sec, &tm);
    strftime(stamp, sizeof(stamp), "%Y-%m-%dT%H:%M:%S", &tm);
    n = snprintf(line, sizeof(line), "%s.%03dZ %-5s ", stamp, (int)(tv.tv_usec / 1000),
                 names[level]);
    va_start(ap, fmt);
    vsnprintf(line + n, sizeof(line) - (size_t)n, fmt, ap);
    va_end(ap);
    /* One write per line so that lines of concurrent threads do not interleave. */
    fprintf(stderr, "%s\n", line);
}
