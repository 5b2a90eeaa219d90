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

static void log_init_level(void)
{
    const char *env = getenv("PGCDC_LOG_LEVEL");

    log_level = PGCDC_LOG_INFO;
    if (!env)
        return;
    if (!strcasecmp(env, "debug"))
        log_level = PGCDC_LOG_DEBUG;
    else if (!strcasecmp(env, "warn"))
        log_level = PGCDC_LOG_WARN;
    else if (!strcasecmp(env, "error"))
        log_level = PGCDC_LOG_ERROR;
}

int pgcdc_log_enabled(pgcdc_log_level_t level)
{
    if (log_level < 0)
        log_init_level();
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
