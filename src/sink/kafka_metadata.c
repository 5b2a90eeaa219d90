/* kafka_metadata.c - see kafka_metadata.h. */
#include "kafka_metadata.h"
#include "clock.h"

#include <librdkafka/rdkafka.h>

#include <string.h>
#include <time.h>

/* One metadata request per round: short enough that a signal is seen within a second. */
#define METADATA_ROUND_MS 1000

/* Whether md lists topic without a topic-level error. */
static int metadata_has_topic(const struct rd_kafka_metadata *md, const char *topic)
{
    int i;

    for (i = 0; i < md->topic_cnt; i++) {
        if (!strcmp(md->topics[i].topic, topic))
            return md->topics[i].err == RD_KAFKA_RESP_ERR_NO_ERROR;
    }
    return 0;
}

pgcdc_err_t pgcdc_kafka_metadata_wait(struct rd_kafka_s *rk, const char *topic, int timeout_ms,
                                      volatile sig_atomic_t *stop, pgcdc_kafka_ready_t *ready,
                                      char *errstr, size_t errstr_size)
{
    int64_t start = pgcdc_clock_mono_ms(), waited;
    const struct rd_kafka_metadata *md;
    rd_kafka_resp_err_t rerr;
    char bootstrap[512];
    size_t bootstrap_size = sizeof(bootstrap);
    int answered = 0, round;

    if (rd_kafka_conf_get(rd_kafka_conf(rk), "bootstrap.servers", bootstrap, &bootstrap_size) !=
        RD_KAFKA_CONF_OK)
        strcpy(bootstrap, "?");
    *ready = PGCDC_KAFKA_UNREACHABLE;
    for (;;) {
        if (stop && *stop) {
            *ready = PGCDC_KAFKA_READY_STOPPED;
            return pgcdc_err_set(PGCDC_ERR_INTERRUPT, errstr, errstr_size,
                                 "stopped while waiting for Kafka at %s", bootstrap);
        }
        waited = pgcdc_clock_mono_ms() - start;
        round = METADATA_ROUND_MS;
        if (timeout_ms - waited < round)
            round = timeout_ms - waited > 100 ? (int)(timeout_ms - waited) : 100;
        /* All topics: asking for one by name could create it where auto-creation is on. */
        md = NULL;
        rerr = rd_kafka_metadata(rk, 1, NULL, &md, round);
        if (rerr == RD_KAFKA_RESP_ERR_NO_ERROR && md) {
            answered = 1;
            if (!topic || metadata_has_topic(md, topic)) {
                rd_kafka_metadata_destroy(md);
                *ready = PGCDC_KAFKA_READY;
                return PGCDC_OK;
            }
        }
        if (md)
            rd_kafka_metadata_destroy(md);
        waited = pgcdc_clock_mono_ms() - start;
        if (waited >= timeout_ms)
            break;
        if (rerr != RD_KAFKA_RESP_ERR_NO_ERROR && rerr != RD_KAFKA_RESP_ERR__TIMED_OUT &&
            rerr != RD_KAFKA_RESP_ERR__TRANSPORT) {
            /* Anything else (authentication, say) will not improve by asking again. */
            return pgcdc_err_set(PGCDC_ERR_RUNTIME, errstr, errstr_size,
                                 "Kafka at %s refused the metadata request: %s", bootstrap,
                                 rd_kafka_err2str(rerr));
        }
        if (answered) {
            /* A topic being created shows up within a round or two; do not spin meanwhile. */
            struct timespec ts = {0, 200 * 1000 * 1000};

            nanosleep(&ts, NULL);
        }
    }
    if (answered) {
        *ready = PGCDC_KAFKA_NO_TOPIC;
        return pgcdc_err_set(PGCDC_ERR_RUNTIME, errstr, errstr_size,
                             "topic '%s' does not exist on Kafka at %s (waited %.1f s)", topic,
                             bootstrap, (double)waited / 1000.0);
    }
    return pgcdc_err_set(PGCDC_ERR_RUNTIME, errstr, errstr_size,
                         "Kafka unreachable at %s: no broker answered within %.1f s", bootstrap,
                         (double)waited / 1000.0);
}
