/*
 * recording_sink.h - a sink (sink.h) that keeps a copy of every record it is given, so that
 * unit tests can check what the engine published, in order, and can play a slow Kafka:
 *  - capacity: produce() refuses (PGCDC_ERR_TRANSIENT) while that many records are queued;
 *  - hold: poll() reports nothing while held (acknowledgements pile up);
 *  - fail_at: the record with that sequence number (1-based) is reported as failed for good;
 *  - reject_at: that record is reported as refused for its size (PGCDC_ERR_REJECTED);
 *  - take_values: values offered with value_taken (record.h) are taken and freed;
 *  - not_ready: ready() fails as an unreachable Kafka does;
 *  - stop_at_poll: that poll sets *stop to 1 (a signal arriving while Kafka is away).
 * Otherwise poll() reports every queued record as delivered, in order.
 *
 * recording_sink_transactional() gives it transactions, as Kafka's: records belong to the open
 * one, commit() reports them and makes them visible, abort() (or abort_at_commit: that commit,
 * 1-based, aborts instead) drops them; fence_at_commit makes that commit fail as a fenced
 * producer's does.
 *
 * Test-only code.
 */
#ifndef PGCDC_RECORDING_SINK_H
#define PGCDC_RECORDING_SINK_H

#include "sink.h"

#include <signal.h>
#include <stddef.h>
#include <stdint.h>

typedef struct recorded {
    char *topic;
    char *key;   /* NULL: null key */
    char *value; /* NULL: tombstone */
    int nheaders;
    char **hnames;
    char **hvalues; /* NULL: a null header value */
    uint64_t ticket;
    int acked;
    int txn;     /* the transaction the record was produced in (1-based), 0 for none */
    int visible; /* committed (or produced without transactions) */
} recorded_t;

typedef struct recording_sink {
    pgcdc_sink_t base; /* first: the port */
    recorded_t *recs;
    int n, cap;
    int capacity; /* 0: unbounded */
    int hold;
    int fail_at;
    int next_unacked; /* index of the oldest record not yet reported */
    int max_queued;   /* the most records ever queued at once */
    int refusals;     /* produce() calls refused as full */
    int polls;
    int reject_at;
    int take_values;
    int taken; /* values taken */
    int not_ready;
    int stop_at_poll;
    volatile sig_atomic_t *stop;
    int ready_calls;
    /* Transactions. */
    int txn_open; /* the open transaction's number, 0 for none */
    int txns;     /* begun */
    int commits;  /* committed */
    int aborts;
    int claims;
    int abort_at_commit;
    int fence_at_commit;
    /* Called at every poll, before reporting (a scenario may release a hold). */
    void (*on_poll)(struct recording_sink *rs, void *opaque);
    void *opaque;
} recording_sink_t;

recording_sink_t *recording_sink_new(void);
pgcdc_sink_t *recording_sink_port(recording_sink_t *rs);
/* Gives rs transactions (see above). */
void recording_sink_transactional(recording_sink_t *rs);
/* The records on topic a read_committed consumer sees: count, and the i-th. */
int recording_sink_visible(const recording_sink_t *rs, const char *topic);
const recorded_t *recording_sink_visible_nth(const recording_sink_t *rs, const char *topic, int i);

/* The value of header name of r, or NULL (*found 0 when absent). */
const char *recorded_header(const recorded_t *r, const char *name, int *found);

/* The records on topic, in order: count, and the i-th (NULL past the end). */
int recording_sink_count(const recording_sink_t *rs, const char *topic);
const recorded_t *recording_sink_nth(const recording_sink_t *rs, const char *topic, int i);

#endif
