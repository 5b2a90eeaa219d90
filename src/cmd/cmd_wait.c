/* cmd_wait.c - see cmd_wait.h. */
#include "cmd_wait.h"
#include "clock.h"

#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>

/* A healthy cluster answers a metadata request in milliseconds: longer is worth a word. */
#define WAIT_PROBE_MS 1000

int pgcdc_cmd_wait_parse(const char *text, int *ms)
{
    char *end;
    double s = strtod(text, &end);

    if (*text == '\0' || *end != '\0' || !isfinite(s) || s < 0 || s * 1000.0 > INT_MAX)
        return 0;
    *ms = (int)(s * 1000.0 + 0.5);
    if (*ms == 0 && s > 0)
        *ms = 1;
    return 1;
}

pgcdc_err_t pgcdc_cmd_wait_topics(pgcdc_kafka_consumer_t *c, const char *prog,
                                  const char *bootstrap, const char *const *topics, int ntopics,
                                  int wait_ms, volatile sig_atomic_t *stop, char *errstr,
                                  size_t errstr_size)
{
    int64_t start = pgcdc_clock_mono_ms(), left;
    pgcdc_kafka_ready_t ready = PGCDC_KAFKA_READY;
    pgcdc_err_t err = PGCDC_OK;
    int i, announced = 0, bound = wait_ms > 0 ? wait_ms : INT_MAX;

    for (i = 0; i < ntopics; i++) {
        left = bound - (pgcdc_clock_mono_ms() - start);
        if (left < 0)
            left = 0;
        err = pgcdc_kafka_consumer_wait_ready(c, topics[i],
                                              left < WAIT_PROBE_MS ? (int)left : WAIT_PROBE_MS,
                                              stop, &ready, errstr, errstr_size);
        if (err == PGCDC_OK)
            continue;
        left = bound - (pgcdc_clock_mono_ms() - start);
        if (ready == PGCDC_KAFKA_READY_STOPPED || left <= 0)
            break;
        if (!announced) {
            char what[512];

            if (ready == PGCDC_KAFKA_NO_TOPIC)
                snprintf(what, sizeof(what), "topic '%s' to be created", topics[i]);
            else
                snprintf(what, sizeof(what), "Kafka at %s to answer", bootstrap);
            if (wait_ms > 0)
                fprintf(stderr, "%s: waiting up to %d s for %s (--wait)\n", prog,
                        (wait_ms + 999) / 1000, what);
            else
                fprintf(stderr, "%s: waiting for %s (--wait 0: no bound)\n", prog, what);
            announced = 1;
        }
        err = pgcdc_kafka_consumer_wait_ready(c, topics[i], (int)left, stop, &ready, errstr,
                                              errstr_size);
        if (err)
            break;
    }
    if (err == PGCDC_ERR_RUNTIME && ready == PGCDC_KAFKA_UNREACHABLE)
        err = pgcdc_err_set(err, errstr, errstr_size,
                            "Kafka unreachable at %s: no broker answered within %.1f s", bootstrap,
                            (double)(pgcdc_clock_mono_ms() - start) / 1000.0);
    else if (err == PGCDC_ERR_RUNTIME && ready == PGCDC_KAFKA_NO_TOPIC)
        err = pgcdc_err_set(err, errstr, errstr_size,
                            "topic '%s' does not exist on Kafka at %s (waited %.1f s)", topics[i],
                            bootstrap, (double)(pgcdc_clock_mono_ms() - start) / 1000.0);
    return err;
}
