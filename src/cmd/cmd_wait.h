/*
 * cmd_wait.h - the bounded start-up wait of `watch` and `verify`: Kafka must answer and each
 * topic exist within --wait seconds, or the command ends with one line saying which of the two
 * failed ("Kafka unreachable", "topic ... does not exist").
 *
 * A wait that lasts longer than a first short probe is announced on stderr, so that it is never
 * silent. Also parses the option's value.
 */
#ifndef PGCDC_CMD_WAIT_H
#define PGCDC_CMD_WAIT_H

#include "err.h"
#include "kafka_consumer.h"

#include <signal.h>

/* The default bound on the start-up wait, in seconds (the same as `run`'s). */
#define PGCDC_CMD_WAIT_DEFAULT_S 60

/* Parses a number of seconds >= 0 (fractions allowed) into *ms; 0 stays 0. Returns 0 when text
 * is no such number. */
int pgcdc_cmd_wait_parse(const char *text, int *ms);

/* Waits up to wait_ms in all (0: without bound) for Kafka to answer and every topic to exist.
 * prog prefixes the notice ("pgcdc watch"). Returns PGCDC_OK, PGCDC_ERR_INTERRUPT when *stop
 * was set, PGCDC_ERR_RUNTIME with one line in errstr otherwise. */
pgcdc_err_t pgcdc_cmd_wait_topics(pgcdc_kafka_consumer_t *c, const char *prog,
                                  const char *bootstrap, const char *const *topics, int ntopics,
                                  int wait_ms, volatile sig_atomic_t *stop, char *errstr,
                                  size_t errstr_size);

#endif
