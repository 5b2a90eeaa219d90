/* err.c - see err.h. */
#include "err.h"

#include <stdarg.h>
#include <stdio.h>

pgcdc_err_t pgcdc_err_set(pgcdc_err_t err, char *errstr, size_t errstr_size, const char *fmt, ...)
{
    va_list ap;

    if (errstr && errstr_size > 0) {
        va_start(ap, fmt);
        vsnprintf(errstr, errstr_size, fmt, ap);
        va_end(ap);
    }
    return err;
}

int pgcdc_err_exit_code(pgcdc_err_t err)
{
    switch (err) {
    case PGCDC_OK:
    case PGCDC_ERR_INTERRUPT:
        return 0;
    case PGCDC_ERR_USAGE:
        return 2;
    default:
        return 1;
    }
}

const char *pgcdc_err_name(pgcdc_err_t err)
{
    switch (err) {
    case PGCDC_OK:
        return "ok";
    case PGCDC_ERR_USAGE:
        return "usage";
    case PGCDC_ERR_RUNTIME:
        return "runtime";
    case PGCDC_ERR_PROTO:
        return "protocol";
    case PGCDC_ERR_TRANSIENT:
        return "transient";
    case PGCDC_ERR_INTERRUPT:
        return "interrupted";
    case PGCDC_ERR_REJECTED:
        return "rejected";
    }
    return "unknown";
}
