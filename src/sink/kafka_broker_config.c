/* kafka_broker_config.c - see kafka_broker_config.h. */
#include "kafka_broker_config.h"
#include "clock.h"

#include <librdkafka/rdkafka.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* What is left of the wait, never less than a short round so that a late call still asks. */
static int broker_config_left(int64_t deadline)
{
    int64_t left = deadline - pgcdc_clock_mono_ms();

    return left > 100 ? (int)left : 100;
}

/* Reads name from one broker into *value. */
static pgcdc_err_t broker_config_read(rd_kafka_t *rk, int32_t id, const char *name,
                                      int64_t deadline, long long *value, char *errstr,
                                      size_t errstr_size)
{
    rd_kafka_ConfigResource_t *res = NULL;
    rd_kafka_AdminOptions_t *opts = NULL;
    rd_kafka_queue_t *q = NULL;
    rd_kafka_event_t *ev = NULL;
    const rd_kafka_DescribeConfigs_result_t *result;
    const rd_kafka_ConfigResource_t **rs;
    const rd_kafka_ConfigEntry_t **entries;
    size_t nrs = 0, nentries = 0, i;
    pgcdc_err_t err = PGCDC_OK;
    char idstr[16], rderr[256];
    const char *v = NULL;
    char *end;

    snprintf(idstr, sizeof(idstr), "%d", (int)id);
    res = rd_kafka_ConfigResource_new(RD_KAFKA_RESOURCE_BROKER, idstr);
    /* Named settings only: a broker's whole configuration is a few hundred entries. */
    rd_kafka_ConfigResource_set_config(res, name, NULL);
    opts = rd_kafka_AdminOptions_new(rk, RD_KAFKA_ADMIN_OP_DESCRIBECONFIGS);
    if (rd_kafka_AdminOptions_set_request_timeout(opts, broker_config_left(deadline), rderr,
                                                  sizeof(rderr))) {
        err = pgcdc_err_set(PGCDC_ERR_RUNTIME, errstr, errstr_size,
                            "kafka: cannot ask broker %d for %s: %s", (int)id, name, rderr);
        goto out;
    }
    q = rd_kafka_queue_new(rk);
    rd_kafka_DescribeConfigs(rk, &res, 1, opts, q);
    ev = rd_kafka_queue_poll(q, broker_config_left(deadline) + 1000);
    if (!ev) {
        err = pgcdc_err_set(PGCDC_ERR_RUNTIME, errstr, errstr_size,
                            "kafka: broker %d did not say its %s in time", (int)id, name);
        goto out;
    }
    if (rd_kafka_event_error(ev)) {
        err = pgcdc_err_set(PGCDC_ERR_RUNTIME, errstr, errstr_size,
                            "kafka: broker %d did not say its %s: %s", (int)id, name,
                            rd_kafka_event_error_string(ev));
        goto out;
    }
    result = rd_kafka_event_DescribeConfigs_result(ev);
    rs = result ? rd_kafka_DescribeConfigs_result_resources(result, &nrs) : NULL;
    if (nrs != 1 || rd_kafka_ConfigResource_error(rs[0])) {
        err = pgcdc_err_set(PGCDC_ERR_RUNTIME, errstr, errstr_size,
                            "kafka: broker %d did not say its %s: %s", (int)id, name,
                            nrs == 1 && rd_kafka_ConfigResource_error_string(rs[0])
                                ? rd_kafka_ConfigResource_error_string(rs[0])
                                : "no result");
        goto out;
    }
    entries = rd_kafka_ConfigResource_configs(rs[0], &nentries);
    for (i = 0; i < nentries && !v; i++) {
        if (!strcmp(rd_kafka_ConfigEntry_name(entries[i]), name))
            v = rd_kafka_ConfigEntry_value(entries[i]);
    }
    errno = 0;
    if (!v || (*value = strtoll(v, &end, 10), errno || end == v || *end)) {
        err = pgcdc_err_set(PGCDC_ERR_RUNTIME, errstr, errstr_size,
                            "kafka: broker %d has no integer %s", (int)id, name);
        goto out;
    }

out:
    if (ev)
        rd_kafka_event_destroy(ev);
    if (q)
        rd_kafka_queue_destroy(q);
    if (opts)
        rd_kafka_AdminOptions_destroy(opts);
    rd_kafka_ConfigResource_destroy(res);
    return err;
}

pgcdc_err_t pgcdc_kafka_broker_config_min(struct rd_kafka_s *rk, const char *name, int timeout_ms,
                                          long long *value, int32_t *broker_id, char *errstr,
                                          size_t errstr_size)
{
    int64_t deadline = pgcdc_clock_mono_ms() + timeout_ms;
    const struct rd_kafka_metadata *md = NULL;
    rd_kafka_resp_err_t rerr;
    pgcdc_err_t err = PGCDC_OK;
    long long v;
    int i;

    /* No topics: only the broker list is wanted. */
    rerr = rd_kafka_metadata(rk, 0, NULL, &md, broker_config_left(deadline));
    if (rerr || !md || md->broker_cnt < 1) {
        err = pgcdc_err_set(PGCDC_ERR_RUNTIME, errstr, errstr_size,
                            "kafka: no broker list to ask for %s: %s", name,
                            rerr ? rd_kafka_err2str(rerr) : "no brokers");
        goto out;
    }
    for (i = 0; i < md->broker_cnt; i++) {
        if ((err = broker_config_read(rk, md->brokers[i].id, name, deadline, &v, errstr,
                                      errstr_size)))
            goto out;
        if (i == 0 || v < *value) {
            *value = v;
            *broker_id = md->brokers[i].id;
        }
    }

out:
    if (md)
        rd_kafka_metadata_destroy(md);
    return err;
}
