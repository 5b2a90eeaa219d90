/*
 * kafka_txn.c - the producer's transactions (see kafka_producer.h): librdkafka's transactional
 * API, with its three kinds of failure told apart for the caller. A retriable one (a commit still
 * waiting for a broker) is resumed by calling again, so that a long wait can be cut into short
 * ones that let the caller keep its other duties; an abortable one (a record the transaction
 * could not deliver) aborts the transaction here; a fatal one (a newer producer of the same
 * transactional.id fenced this one) leaves the producer unusable.
 */
#include "kafka_producer_int.h"
#include "clock.h"

#include <stdio.h>
#include <string.h>

int pgcdc_kafka_transactional(const pgcdc_kafka_t *k)
{
    return pgcdc_kafka_txn_id(k) != NULL;
}

/* An error of a transactional call. A fatal one (fencing, usually) marks the producer and is
 * told as every fatal error is (pgcdc_kafka_fatal names the fencing). Consumes error. */
static pgcdc_err_t kafka_txn_failed(pgcdc_kafka_t *k, const char *what, rd_kafka_error_t *error,
                                    char *errstr, size_t errstr_size)
{
    pgcdc_err_t err;

    if (rd_kafka_error_is_fatal(error)) {
        rd_kafka_error_destroy(error);
        pgcdc_kafka_set_fatal(k);
        return pgcdc_kafka_fatal(k, errstr, errstr_size);
    }
    err =
        pgcdc_err_set(PGCDC_ERR_TRANSIENT, errstr, errstr_size,
                      "kafka: %s (transactional.id '%s'): %s (%s)", what, pgcdc_kafka_txn_id(k),
                      rd_kafka_error_string(error), rd_kafka_err2name(rd_kafka_error_code(error)));
    rd_kafka_error_destroy(error);
    return err;
}

pgcdc_err_t pgcdc_kafka_txn_init(pgcdc_kafka_t *k, int timeout_ms, volatile sig_atomic_t *stop,
                                 char *errstr, size_t errstr_size)
{
    int64_t until = pgcdc_clock_mono_ms() + timeout_ms;
    rd_kafka_error_t *error;

    for (;;) {
        /* One second at a time: a stop request is seen, and the call resumes where it was. */
        error = rd_kafka_init_transactions(pgcdc_kafka_rk(k), 1000);
        if (!error)
            return PGCDC_OK;
        if (!rd_kafka_error_is_retriable(error))
            return kafka_txn_failed(k, "cannot start transactions", error, errstr, errstr_size);
        rd_kafka_error_destroy(error);
        if (stop && *stop)
            return pgcdc_err_set(PGCDC_ERR_INTERRUPT, errstr, errstr_size,
                                 "stopped while Kafka's transaction coordinator was awaited");
        if (pgcdc_clock_mono_ms() >= until)
            return pgcdc_err_set(PGCDC_ERR_RUNTIME, errstr, errstr_size,
                                 "kafka: the transaction coordinator of transactional.id '%s' did "
                                 "not answer within %d ms (the brokers' transaction state topic "
                                 "needs transaction.state.log.min.isr brokers in sync)",
                                 pgcdc_kafka_txn_id(k), timeout_ms);
    }
}

pgcdc_err_t pgcdc_kafka_txn_begin(pgcdc_kafka_t *k, char *errstr, size_t errstr_size)
{
    rd_kafka_error_t *error = rd_kafka_begin_transaction(pgcdc_kafka_rk(k));

    if (!error)
        return PGCDC_OK;
    return kafka_txn_failed(k, "cannot begin a transaction", error, errstr, errstr_size);
}

pgcdc_err_t pgcdc_kafka_txn_abort(pgcdc_kafka_t *k, int timeout_ms, char *errstr,
                                  size_t errstr_size)
{
    int64_t until = pgcdc_clock_mono_ms() + timeout_ms;
    rd_kafka_error_t *error;

    for (;;) {
        error = rd_kafka_abort_transaction(pgcdc_kafka_rk(k), 1000);
        if (!error)
            return PGCDC_OK;
        if (!rd_kafka_error_is_retriable(error) || pgcdc_clock_mono_ms() >= until)
            return kafka_txn_failed(k, "cannot abort the transaction", error, errstr, errstr_size);
        rd_kafka_error_destroy(error);
    }
}

pgcdc_err_t pgcdc_kafka_txn_commit(pgcdc_kafka_t *k, int timeout_ms, int *aborted, char *errstr,
                                   size_t errstr_size)
{
    rd_kafka_error_t *error = rd_kafka_commit_transaction(pgcdc_kafka_rk(k), timeout_ms);
    char why[PGCDC_ERRSTR_SIZE], aerr[PGCDC_ERRSTR_SIZE];
    pgcdc_err_t err;

    *aborted = 0;
    if (!error)
        return PGCDC_OK;
    if (rd_kafka_error_is_retriable(error)) {
        err = pgcdc_err_set(PGCDC_ERR_TRANSIENT, errstr, errstr_size,
                            "kafka: the transaction is not committed after %d ms: %s", timeout_ms,
                            rd_kafka_error_string(error));
        rd_kafka_error_destroy(error);
        return err;
    }
    if (!rd_kafka_error_txn_requires_abort(error))
        return kafka_txn_failed(k, "cannot commit the transaction", error, errstr, errstr_size);
    snprintf(why, sizeof(why), "%s", rd_kafka_error_string(error));
    rd_kafka_error_destroy(error);
    /* Abortable: a record of it failed. Aborted, none of it is visible; the caller sends it
     * again. The abort's own wait is bounded by the transaction's lifetime. */
    if ((err = pgcdc_kafka_txn_abort(k, 60000, aerr, sizeof(aerr))))
        return pgcdc_err_set(PGCDC_ERR_RUNTIME, errstr, errstr_size,
                             "kafka: the transaction failed (%s), and so did its abort: %s", why,
                             aerr);
    *aborted = 1;
    return pgcdc_err_set(PGCDC_ERR_TRANSIENT, errstr, errstr_size,
                         "kafka: the transaction was aborted: %s", why);
}
