/* kafka_producer.c - see kafka_producer.h. */
#include "kafka_producer.h"
#include "kafka_producer_int.h"

#include "kafka_broker_config.h"
#include "secret.h"
#include "clock.h"
#include "log.h"
#include "mem.h"

#include <librdkafka/rdkafka.h>

#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* Tickets travel as librdkafka's per-message opaque pointer. */
_Static_assert(sizeof(void *) >= sizeof(uint64_t), "a ticket must fit in a message opaque");

#define KAFKA_THROTTLE_SLOTS       16
#define KAFKA_DEFAULT_THROTTLE_MS  30000
#define KAFKA_TOPIC_CACHE_MIN_SIZE 16
#define KAFKA_LOG_CODE_BASE        (1 << 20)
/* Kafka's default socket.request.max.bytes, the broker's bound on one request. */
#define KAFKA_BROKER_DEFAULT_REQUEST_MAX 104857600
/* What a produce request holds besides its largest record: request and batch headers, client
 * and topic names (at most 249 bytes), record framing, headers' names. Generous on purpose. */
#define KAFKA_REQUEST_FRAMING 16384
/* The longest the brokers' settings are waited for, on top of the metadata wait. */
#define KAFKA_BROKER_CONFIG_TIMEOUT_MS 5000

/* Defaults, applied before the user's properties. They mirror what a Debezium user gets from
 * the Java producer Kafka Connect configures, plus the one thing Connect achieves differently:
 * message.timeout.ms=0 makes librdkafka retry a message forever, so an outage only pauses us. */
static const pgcdc_kafka_prop_t kafka_defaults[] = {
    {"client.id", "pgcdc"},
    {"enable.idempotence", "true"},
    {"acks", "all"},
    {"partitioner", "murmur2_random"},
    {"message.timeout.ms", "0"},
    {"linger.ms", "5"},
    {"batch.num.messages", "10000"},
    {"batch.size", "1000000"},
    {"queue.buffering.max.messages", "100000"},
    {"queue.buffering.max.kbytes", "65536"},
    /* Debezium's events repeat their schemas in every message: lz4 shrinks them about tenfold,
     * which costs less CPU than the broker saves, and consumers decompress transparently. */
    {"compression.type", "lz4"},
    {"socket.keepalive.enable", "true"},
    /* Brokers close idle connections; that is not worth a log line. */
    {"log.connection.close", "false"},
};

/* Throttling state of one error code (or one log facility): the first occurrence in an
 * interval is logged, later ones are only counted and summarised with the next logged line. */
typedef struct kafka_throttle {
    int code;
    int used;
    int64_t last_ms;
    uint64_t suppressed;
} kafka_throttle_t;

typedef struct kafka_topic_entry {
    char *name; /* NULL: empty slot */
    uint32_t hash;
    rd_kafka_topic_t *rkt;
} kafka_topic_entry_t;

struct pgcdc_kafka {
    rd_kafka_t *rk;
    pgcdc_kafka_delivery_cb on_delivery;
    void *opaque;
    int destroying; /* reports after destroy began are dropped */

    /* Topic handles by name: an open-addressing table, so that the per-event lookup neither
     * allocates nor walks a list. */
    kafka_topic_entry_t *topics;
    size_t ntopics;
    size_t topics_size; /* a power of two */

    /* Reused produce arguments; grows with the largest header count seen. */
    rd_kafka_vu_t *vus;
    size_t vus_size;

    /* Error reporting; log_cb runs on librdkafka's threads, hence the lock and atomics. */
    pthread_mutex_t log_lock;
    kafka_throttle_t throttle[KAFKA_THROTTLE_SLOTS];
    int throttle_ms;
    atomic_uint_fast64_t raised;
    atomic_uint_fast64_t logged;
    atomic_int fatal;
    atomic_int brokers_down;

    /* Effective size bounds, for messages naming them: librdkafka's message.max.bytes and the
     * local queue's bytes (a record larger than the queue would be refused as "full" forever). */
    long long max_message_bytes;
    long long queue_max_bytes;
    int limits_checked; /* against the brokers' socket.request.max.bytes, once */
    char *txn_id;       /* transactional.id; NULL: not transactional */
};

/* FNV-1a: for topic names and log facilities, short and few. */
static uint32_t kafka_hash(const char *s)
{
    uint32_t h = 2166136261u;

    while (*s)
        h = (h ^ (uint8_t)*s++) * 16777619u;
    return h;
}

/* Logs one librdkafka error line unless the same code was logged within the interval. Codes
 * are Kafka error codes for error_cb, and KAFKA_LOG_CODE_BASE + a hash of the facility for
 * log_cb (above any Kafka error code). */
static void kafka_throttled_log(pgcdc_kafka_t *k, pgcdc_log_level_t level, int code,
                                const char *what, const char *msg)
{
    kafka_throttle_t *slot = NULL, *oldest = NULL;
    int64_t now = pgcdc_clock_mono_ms();
    uint64_t suppressed = 0;
    int emit = 0, i;

    atomic_fetch_add(&k->raised, 1);
    pthread_mutex_lock(&k->log_lock);
    for (i = 0; i < KAFKA_THROTTLE_SLOTS; i++) {
        kafka_throttle_t *s = &k->throttle[i];

        if (s->used && s->code == code) {
            slot = s;
            break;
        }
        if (!oldest || !s->used || (oldest->used && s->last_ms < oldest->last_ms))
            oldest = s;
    }
    if (!slot) {
        /* A new code takes the stalest slot; its own throttling starts afresh. */
        slot = oldest;
        slot->used = 1;
        slot->code = code;
        slot->suppressed = 0;
        slot->last_ms = now - k->throttle_ms;
    }
    if (now - slot->last_ms >= k->throttle_ms) {
        emit = 1;
        suppressed = slot->suppressed;
        slot->suppressed = 0;
        slot->last_ms = now;
    } else {
        slot->suppressed++;
    }
    pthread_mutex_unlock(&k->log_lock);

    if (!emit)
        return;
    atomic_fetch_add(&k->logged, 1);
    if (suppressed)
        pgcdc_log(level, "kafka: %s: %s (%llu similar suppressed in the last %ds)", what, msg,
                  (unsigned long long)suppressed, k->throttle_ms / 1000);
    else
        pgcdc_log(level, "kafka: %s: %s", what, msg);
}

static void kafka_error_cb(rd_kafka_t *rk, int err, const char *reason, void *opaque)
{
    pgcdc_kafka_t *k = opaque;

    (void)rk;
    if (err == RD_KAFKA_RESP_ERR__FATAL)
        atomic_store(&k->fatal, 1);
    else if (err == RD_KAFKA_RESP_ERR__ALL_BROKERS_DOWN)
        atomic_store(&k->brokers_down, 1);
    kafka_throttled_log(k, err == RD_KAFKA_RESP_ERR__FATAL ? PGCDC_LOG_ERROR : PGCDC_LOG_WARN, err,
                        rd_kafka_err2name((rd_kafka_resp_err_t)err), reason);
}

/* Whether a librdkafka warning is the startup of a broker rather than a problem: until a
 * freshly started broker has loaded its transaction state, it answers the idempotent producer's
 * InitProducerId with "coordinator load in progress" (or "not available"), and librdkafka
 * retries by itself. Other refusals of the producer id stay warnings, fatal ones errors. */
static int kafka_log_is_startup(const char *fac, const char *buf)
{
    return !strcmp(fac, "GETPID") && strstr(buf, ": retrying") &&
           (strstr(buf, rd_kafka_err2str(RD_KAFKA_RESP_ERR_COORDINATOR_LOAD_IN_PROGRESS)) ||
            strstr(buf, rd_kafka_err2str(RD_KAFKA_RESP_ERR_COORDINATOR_NOT_AVAILABLE)));
}

static void kafka_log_cb(const rd_kafka_t *rk, int level, const char *fac, const char *buf)
{
    pgcdc_kafka_t *k = rd_kafka_opaque(rk);

    /* Connection failures (FAIL, ERROR) and fatal errors also reach error_cb, which logs
     * them; librdkafka's informational chatter is only wanted when debugging. */
    if (level <= 4 && strcmp(fac, "FAIL") != 0 && strcmp(fac, "ERROR") != 0 &&
        strcmp(fac, "FATAL") != 0 && !kafka_log_is_startup(fac, buf)) {
        kafka_throttled_log(k, level <= 3 ? PGCDC_LOG_ERROR : PGCDC_LOG_WARN,
                            KAFKA_LOG_CODE_BASE + (int)(kafka_hash(fac) & 0xffff), fac, buf);
        return;
    }
    if (pgcdc_log_enabled(PGCDC_LOG_DEBUG))
        pgcdc_log_debug("kafka: %s: %s", fac, buf);
}

/* A short printable excerpt of a key for messages: a JSON converter's key carries its schema
 * first, so the excerpt starts at its payload when it has one. */
static void kafka_key_excerpt(const void *key, size_t keylen, char *out, size_t out_size)
{
    static const char payload[] = "\"payload\":";
    const char *p = key, *end = p + keylen, *hit;
    size_t n = 0;

    if (!key) {
        snprintf(out, out_size, "null");
        return;
    }
    hit = memmem(p, keylen, payload, sizeof(payload) - 1);
    /* Without the envelope's closing brace, so that the excerpt is the payload alone. */
    if (hit) {
        p = hit + sizeof(payload) - 1;
        if (end > p && end[-1] == '}')
            end--;
    }
    while (p < end && n + 4 < out_size && n < 64) {
        out[n++] = (*p >= 0x20 && *p < 0x7f) ? *p : '?';
        p++;
    }
    if (p < end && n + 4 <= out_size) {
        memcpy(out + n, "...", 3);
        n += 3;
    }
    out[n] = '\0';
}

/* A record Kafka can never take because of its size: the three limits a user may raise. */
static pgcdc_err_t kafka_too_large(const pgcdc_kafka_t *k, const char *topic, const void *key,
                                   size_t keylen, size_t size, const char *reason, char *errstr,
                                   size_t errstr_size)
{
    char kx[80];

    kafka_key_excerpt(key, keylen, kx, sizeof(kx));
    return pgcdc_err_set(PGCDC_ERR_REJECTED, errstr, errstr_size,
                         "record too large for Kafka: topic %s, key %s, %zu bytes (%s); the limits "
                         "are the topic's max.message.bytes, the producer's message.max.bytes "
                         "(kafka.message.max.bytes, now %lld) and the broker's "
                         "socket.request.max.bytes",
                         topic, kx, size, reason, k->max_message_bytes);
}

static void kafka_dr_msg_cb(rd_kafka_t *rk, const rd_kafka_message_t *m, void *opaque)
{
    pgcdc_kafka_t *k = opaque;
    uint64_t ticket = (uint64_t)(uintptr_t)m->_private;
    char errstr[PGCDC_ERRSTR_SIZE];

    (void)rk;
    if (k->destroying || !k->on_delivery)
        return;
    /* What an abort dropped: never visible, and the caller knows (it aborted). */
    if (k->txn_id &&
        (m->err == RD_KAFKA_RESP_ERR__PURGE_QUEUE || m->err == RD_KAFKA_RESP_ERR__PURGE_INFLIGHT))
        return;
    if (m->err == RD_KAFKA_RESP_ERR_NO_ERROR) {
        atomic_store(&k->brokers_down, 0);
        k->on_delivery(k->opaque, ticket, PGCDC_OK, NULL);
        return;
    }
    if (m->err == RD_KAFKA_RESP_ERR_MSG_SIZE_TOO_LARGE ||
        m->err == RD_KAFKA_RESP_ERR_RECORD_LIST_TOO_LARGE) {
        /* The broker's limit (the topic's max.message.bytes): this record only. */
        kafka_too_large(k, m->rkt ? rd_kafka_topic_name(m->rkt) : "?", m->key, m->key_len,
                        m->len + m->key_len, "the broker refused it", errstr, sizeof(errstr));
        k->on_delivery(k->opaque, ticket, PGCDC_ERR_REJECTED, errstr);
        return;
    }
    snprintf(errstr, sizeof(errstr), "kafka: delivery to topic %s failed: %s (%s)%s",
             m->rkt ? rd_kafka_topic_name(m->rkt) : "?", rd_kafka_err2str(m->err),
             rd_kafka_err2name(m->err), k->txn_id ? ": its transaction is aborted" : "");
    /* In a transaction the failure is the transaction's: aborted, it is sent again. */
    k->on_delivery(k->opaque, ticket, k->txn_id ? PGCDC_ERR_TRANSIENT : PGCDC_ERR_RUNTIME, errstr);
}

static pgcdc_err_t kafka_conf_set(rd_kafka_conf_t *rconf, const pgcdc_kafka_prop_t *p, char *errstr,
                                  size_t errstr_size)
{
    char rderr[512];

    if (!p->name || !p->value)
        return pgcdc_err_set(PGCDC_ERR_USAGE, errstr, errstr_size,
                             "kafka.%s: a property needs a name and a value",
                             p->name ? p->name : "");
    if (rd_kafka_conf_set(rconf, p->name, p->value, rderr, sizeof(rderr)) == RD_KAFKA_CONF_OK)
        return PGCDC_OK;
    return pgcdc_err_set(PGCDC_ERR_USAGE, errstr, errstr_size, "kafka.%s=%s: %s", p->name,
                         pgcdc_secret_key(p->name) ? "<redacted>" : p->value, rderr);
}

/* An integer property as librdkafka holds it after defaults and overrides; 0 if unreadable. */
static long long kafka_conf_number(rd_kafka_t *rk, const char *name)
{
    char v[64];
    size_t size = sizeof(v);

    if (rd_kafka_conf_get(rd_kafka_conf(rk), name, v, &size) != RD_KAFKA_CONF_OK ||
        size > sizeof(v))
        return 0;
    return strtoll(v, NULL, 10);
}

pgcdc_err_t pgcdc_kafka_new(const pgcdc_kafka_conf_t *conf, pgcdc_kafka_t **out, char *errstr,
                            size_t errstr_size)
{
    rd_kafka_conf_t *rconf = NULL;
    pgcdc_kafka_t *k = NULL;
    pgcdc_kafka_prop_t bootstrap = {"bootstrap.servers", conf->bootstrap_servers};
    char rderr[512], qmsgs[32], qkbytes[32], txn_id[512];
    pgcdc_err_t err = PGCDC_OK;
    size_t i;

    *out = NULL;
    if (!conf->bootstrap_servers || !*conf->bootstrap_servers)
        return pgcdc_err_set(PGCDC_ERR_USAGE, errstr, errstr_size,
                             "kafka.bootstrap.servers is required");

    k = pgcdc_calloc(1, sizeof(*k));
    pthread_mutex_init(&k->log_lock, NULL);
    k->on_delivery = conf->on_delivery;
    k->opaque = conf->opaque;
    k->throttle_ms = conf->log_throttle_ms > 0 ? conf->log_throttle_ms : KAFKA_DEFAULT_THROTTLE_MS;

    rconf = rd_kafka_conf_new();
    for (i = 0; i < sizeof(kafka_defaults) / sizeof(kafka_defaults[0]); i++) {
        if ((err = kafka_conf_set(rconf, &kafka_defaults[i], errstr, errstr_size)))
            goto out;
    }
    if ((err = kafka_conf_set(rconf, &bootstrap, errstr, errstr_size)))
        goto out;
    if (conf->queue_max_messages > 0) {
        pgcdc_kafka_prop_t p = {"queue.buffering.max.messages", qmsgs};

        snprintf(qmsgs, sizeof(qmsgs), "%d", conf->queue_max_messages);
        if ((err = kafka_conf_set(rconf, &p, errstr, errstr_size)))
            goto out;
    }
    if (conf->queue_max_bytes > 0) {
        pgcdc_kafka_prop_t p = {"queue.buffering.max.kbytes", qkbytes};

        snprintf(qkbytes, sizeof(qkbytes), "%lld",
                 conf->queue_max_bytes / 1024 > 0 ? (long long)(conf->queue_max_bytes / 1024) : 1);
        if ((err = kafka_conf_set(rconf, &p, errstr, errstr_size)))
            goto out;
    }
    for (i = 0; i < conf->nprops; i++) {
        if ((err = kafka_conf_set(rconf, &conf->props[i], errstr, errstr_size)))
            goto out;
    }
    rd_kafka_conf_set_opaque(rconf, k);
    rd_kafka_conf_set_dr_msg_cb(rconf, kafka_dr_msg_cb);
    rd_kafka_conf_set_error_cb(rconf, kafka_error_cb);
    rd_kafka_conf_set_log_cb(rconf, kafka_log_cb);

    /* rd_kafka_new() checks the whole configuration (say acks=1 with idempotence): an error
     * there is the user's too. On success it owns rconf, on failure we still do. */
    k->rk = rd_kafka_new(RD_KAFKA_PRODUCER, rconf, rderr, sizeof(rderr));
    if (!k->rk) {
        err = pgcdc_err_set(PGCDC_ERR_USAGE, errstr, errstr_size, "kafka configuration: %s", rderr);
        goto out;
    }
    rconf = NULL;
    k->max_message_bytes = kafka_conf_number(k->rk, "message.max.bytes");
    k->queue_max_bytes = kafka_conf_number(k->rk, "queue.buffering.max.kbytes") * 1024;
    if (pgcdc_kafka_conf_get(k, "transactional.id", txn_id, sizeof(txn_id)) == 0 && txn_id[0])
        k->txn_id = pgcdc_strdup(txn_id);
    k->topics_size = KAFKA_TOPIC_CACHE_MIN_SIZE;
    k->topics = pgcdc_calloc(k->topics_size, sizeof(*k->topics));
    k->vus_size = 8;
    k->vus = pgcdc_calloc(k->vus_size, sizeof(*k->vus));
    *out = k;
    k = NULL;

out:
    if (rconf)
        rd_kafka_conf_destroy(rconf);
    pgcdc_kafka_free(k);
    return err;
}

void pgcdc_kafka_free(pgcdc_kafka_t *k)
{
    size_t i;

    if (!k)
        return;
    if (k->rk) {
        k->destroying = 1;
        /* Without a purge, destroying a producer whose broker is down would wait for
         * messages that, with message.timeout.ms=0, never time out. */
        rd_kafka_purge(k->rk, RD_KAFKA_PURGE_F_QUEUE | RD_KAFKA_PURGE_F_INFLIGHT |
                                  RD_KAFKA_PURGE_F_NON_BLOCKING);
        rd_kafka_poll(k->rk, 0);
    }
    for (i = 0; i < k->topics_size; i++) {
        if (k->topics[i].name) {
            rd_kafka_topic_destroy(k->topics[i].rkt);
            free(k->topics[i].name);
        }
    }
    free(k->topics);
    free(k->vus);
    free(k->txn_id);
    if (k->rk)
        rd_kafka_destroy(k->rk);
    pthread_mutex_destroy(&k->log_lock);
    free(k);
}

static void kafka_topic_grow(pgcdc_kafka_t *k)
{
    kafka_topic_entry_t *old = k->topics;
    size_t oldsize = k->topics_size, i, j;

    k->topics_size *= 2;
    k->topics = pgcdc_calloc(k->topics_size, sizeof(*k->topics));
    for (i = 0; i < oldsize; i++) {
        if (!old[i].name)
            continue;
        for (j = old[i].hash & (k->topics_size - 1); k->topics[j].name;
             j = (j + 1) & (k->topics_size - 1))
            ;
        k->topics[j] = old[i];
    }
    free(old);
}

/* The cached handle of topic, created at first use (librdkafka's own lookup by name takes a
 * lock and a reference per call). */
static rd_kafka_topic_t *kafka_topic_get(pgcdc_kafka_t *k, const char *topic, char *errstr,
                                         size_t errstr_size)
{
    uint32_t h = kafka_hash(topic);
    size_t i;
    rd_kafka_topic_t *rkt;

    for (i = h & (k->topics_size - 1); k->topics[i].name; i = (i + 1) & (k->topics_size - 1)) {
        if (k->topics[i].hash == h && strcmp(k->topics[i].name, topic) == 0)
            return k->topics[i].rkt;
    }
    rkt = rd_kafka_topic_new(k->rk, topic, NULL);
    if (!rkt) {
        pgcdc_err_set(PGCDC_ERR_RUNTIME, errstr, errstr_size, "kafka: topic %s: %s", topic,
                      rd_kafka_err2str(rd_kafka_last_error()));
        return NULL;
    }
    /* Keep the load at most one half so that probes stay short. */
    if ((k->ntopics + 1) * 2 > k->topics_size) {
        kafka_topic_grow(k);
        for (i = h & (k->topics_size - 1); k->topics[i].name; i = (i + 1) & (k->topics_size - 1))
            ;
    }
    k->topics[i].name = pgcdc_strdup(topic);
    k->topics[i].hash = h;
    k->topics[i].rkt = rkt;
    k->ntopics++;
    return rkt;
}

rd_kafka_t *pgcdc_kafka_rk(pgcdc_kafka_t *k)
{
    return k->rk;
}

const char *pgcdc_kafka_txn_id(const pgcdc_kafka_t *k)
{
    return k->txn_id;
}

void pgcdc_kafka_set_fatal(pgcdc_kafka_t *k)
{
    atomic_store(&k->fatal, 1);
}

pgcdc_err_t pgcdc_kafka_fatal(pgcdc_kafka_t *k, char *errstr, size_t errstr_size)
{
    char reason[512];
    rd_kafka_resp_err_t err = rd_kafka_fatal_error(k->rk, reason, sizeof(reason));

    if (k->txn_id &&
        (err == RD_KAFKA_RESP_ERR__FENCED || err == RD_KAFKA_RESP_ERR_PRODUCER_FENCED ||
         err == RD_KAFKA_RESP_ERR_INVALID_PRODUCER_EPOCH))
        return pgcdc_err_set(PGCDC_ERR_RUNTIME, errstr, errstr_size,
                             "kafka: transactional.id '%s' is in use by a newer producer, which "
                             "fenced this one (%s): this process writes nothing more",
                             k->txn_id, reason);
    return pgcdc_err_set(PGCDC_ERR_RUNTIME, errstr, errstr_size,
                         "kafka: fatal producer error: %s: %s", rd_kafka_err2name(err),
                         err ? reason : "unknown");
}

/* value_taken: see record.h; NULL copies the value. */
static pgcdc_err_t kafka_produce(pgcdc_kafka_t *k, const char *topic, const void *key,
                                 size_t keylen, const void *value, size_t valuelen,
                                 const pgcdc_header_t *headers, int nheaders, int *value_taken,
                                 uint64_t ticket, char *errstr, size_t errstr_size)
{
    int take = value_taken && value;
    rd_kafka_topic_t *rkt;
    rd_kafka_error_t *error;
    rd_kafka_resp_err_t code;
    size_t n = 0, need, size;
    int i, fatal;

    if (atomic_load(&k->fatal))
        return pgcdc_kafka_fatal(k, errstr, errstr_size);
    if (!(rkt = kafka_topic_get(k, topic, errstr, errstr_size)))
        return PGCDC_ERR_RUNTIME;
    if (nheaders < 0)
        nheaders = 0;
    size = (key ? keylen : 0) + (value ? valuelen : 0);
    for (i = 0; i < nheaders; i++)
        size += strlen(headers[i].name) + (headers[i].value ? headers[i].value_len : 0);
    if (k->queue_max_bytes > 0 && (long long)size > k->queue_max_bytes) {
        char kx[80];

        kafka_key_excerpt(key, keylen, kx, sizeof(kx));
        return pgcdc_err_set(PGCDC_ERR_REJECTED, errstr, errstr_size,
                             "record too large for the local queue: topic %s, key %s, %zu bytes, "
                             "more than max.queue.size.in.bytes (kafka.queue.buffering.max.kbytes) "
                             "allows, %lld bytes",
                             topic, kx, size, k->queue_max_bytes);
    }
    need = 5 + (size_t)nheaders;
    if (need > k->vus_size) {
        k->vus_size = need;
        k->vus = pgcdc_realloc(k->vus, need * sizeof(*k->vus));
    }

    k->vus[n].vtype = RD_KAFKA_VTYPE_RKT;
    k->vus[n++].u.rkt = rkt;
    k->vus[n].vtype = RD_KAFKA_VTYPE_MSGFLAGS;
    /* Keeping a large value's block saves a copy of it for as long as it is in flight. */
    k->vus[n++].u.i = take ? RD_KAFKA_MSG_F_FREE : RD_KAFKA_MSG_F_COPY;
    k->vus[n].vtype = RD_KAFKA_VTYPE_OPAQUE;
    k->vus[n++].u.ptr = (void *)(uintptr_t)ticket;
    k->vus[n].vtype = RD_KAFKA_VTYPE_KEY;
    k->vus[n].u.mem.ptr = (void *)key;
    k->vus[n++].u.mem.size = key ? keylen : 0;
    k->vus[n].vtype = RD_KAFKA_VTYPE_VALUE;
    k->vus[n].u.mem.ptr = (void *)value;
    k->vus[n++].u.mem.size = value ? valuelen : 0;
    for (i = 0; i < nheaders; i++) {
        k->vus[n].vtype = RD_KAFKA_VTYPE_HEADER;
        k->vus[n].u.header.name = headers[i].name;
        k->vus[n].u.header.val = headers[i].value;
        k->vus[n++].u.header.size = headers[i].value ? (ssize_t)headers[i].value_len : -1;
    }

    error = rd_kafka_produceva(k->rk, k->vus, n);
    if (!error) {
        if (take)
            *value_taken = 1;
        return PGCDC_OK;
    }
    code = rd_kafka_error_code(error);
    /* Once the producer is in a fatal state, produce fails with the underlying error code
     * (not __FATAL), flagged fatal; error_cb may not have been served yet. */
    fatal = rd_kafka_error_is_fatal(error) || code == RD_KAFKA_RESP_ERR__FATAL;
    rd_kafka_error_destroy(error);
    if (fatal) {
        atomic_store(&k->fatal, 1);
        return pgcdc_kafka_fatal(k, errstr, errstr_size);
    }
    if (code == RD_KAFKA_RESP_ERR_MSG_SIZE_TOO_LARGE)
        return kafka_too_large(k, topic, key, keylen, size, "over the producer's limit", errstr,
                               errstr_size);
    if (code == RD_KAFKA_RESP_ERR__QUEUE_FULL)
        return pgcdc_err_set(PGCDC_ERR_TRANSIENT, errstr, errstr_size,
                             "kafka: local producer queue is full (%d messages outstanding)",
                             rd_kafka_outq_len(k->rk));
    return pgcdc_err_set(PGCDC_ERR_RUNTIME, errstr, errstr_size,
                         "kafka: cannot produce to topic %s (key %zu bytes, value %zu bytes): %s",
                         topic, key ? keylen : 0, value ? valuelen : 0, rd_kafka_err2str(code));
}

pgcdc_err_t pgcdc_kafka_produce(pgcdc_kafka_t *k, const char *topic, const void *key, size_t keylen,
                                const void *value, size_t valuelen, const pgcdc_header_t *headers,
                                int nheaders, uint64_t ticket, char *errstr, size_t errstr_size)
{
    return kafka_produce(k, topic, key, keylen, value, valuelen, headers, nheaders, NULL, ticket,
                         errstr, errstr_size);
}

pgcdc_err_t pgcdc_kafka_produce_record(pgcdc_kafka_t *k, const pgcdc_record_t *rec, uint64_t ticket,
                                       char *errstr, size_t errstr_size)
{
    return kafka_produce(k, rec->topic, rec->key, rec->key_len, rec->value, rec->value_len,
                         rec->headers, rec->nheaders, rec->value_taken, ticket, errstr,
                         errstr_size);
}

pgcdc_err_t pgcdc_kafka_poll(pgcdc_kafka_t *k, int timeout_ms, char *errstr, size_t errstr_size)
{
    rd_kafka_poll(k->rk, timeout_ms);
    if (atomic_load(&k->fatal))
        return pgcdc_kafka_fatal(k, errstr, errstr_size);
    return PGCDC_OK;
}

int pgcdc_kafka_outstanding(const pgcdc_kafka_t *k)
{
    return rd_kafka_outq_len(k->rk);
}

pgcdc_err_t pgcdc_kafka_flush(pgcdc_kafka_t *k, int timeout_ms, char *errstr, size_t errstr_size)
{
    rd_kafka_resp_err_t err = rd_kafka_flush(k->rk, timeout_ms);

    if (atomic_load(&k->fatal))
        return pgcdc_kafka_fatal(k, errstr, errstr_size);
    if (err == RD_KAFKA_RESP_ERR__TIMED_OUT)
        return pgcdc_err_set(PGCDC_ERR_TRANSIENT, errstr, errstr_size,
                             "kafka: %d messages still outstanding after %d ms",
                             rd_kafka_outq_len(k->rk), timeout_ms);
    return PGCDC_OK;
}

/* Above a broker's socket.request.max.bytes a request is not refused but cut off: the broker
 * closes the connection, the producer retries the same request, and the log says only "brokers
 * down". librdkafka bounds a request by message.max.bytes plus framing, so that setting must
 * leave room for the framing under the smallest broker's bound. Unreadable settings (no
 * DescribeConfigs permission, say) leave a warning when the default bound would be passed. */
static pgcdc_err_t kafka_check_request_max(pgcdc_kafka_t *k, char *errstr, size_t errstr_size)
{
    long long request_max = 0;
    int32_t broker = -1;
    char why[PGCDC_ERRSTR_SIZE];

    if (k->limits_checked)
        return PGCDC_OK;
    k->limits_checked = 1;
    if (pgcdc_kafka_broker_config_min(k->rk, "socket.request.max.bytes",
                                      KAFKA_BROKER_CONFIG_TIMEOUT_MS, &request_max, &broker, why,
                                      sizeof(why))) {
        if (k->max_message_bytes + KAFKA_REQUEST_FRAMING > KAFKA_BROKER_DEFAULT_REQUEST_MAX)
            pgcdc_log_warn("kafka.message.max.bytes=%lld leaves no room for a request's framing "
                           "under the brokers' default socket.request.max.bytes (%d), and the "
                           "brokers' own value is unknown (%s): a larger request makes a broker "
                           "close the connection (logged as brokers down)",
                           k->max_message_bytes, KAFKA_BROKER_DEFAULT_REQUEST_MAX, why);
        return PGCDC_OK;
    }
    if (k->max_message_bytes + KAFKA_REQUEST_FRAMING <= request_max)
        return PGCDC_OK;
    return pgcdc_err_set(PGCDC_ERR_USAGE, errstr, errstr_size,
                         "kafka.message.max.bytes=%lld does not fit in one request to broker %d, "
                         "whose socket.request.max.bytes is %lld (a request needs up to %d bytes "
                         "besides its records): the broker would close the connection on every "
                         "larger request and delivery would stall; set kafka.message.max.bytes to "
                         "at most %lld, or raise socket.request.max.bytes on every broker",
                         k->max_message_bytes, (int)broker, request_max, KAFKA_REQUEST_FRAMING,
                         request_max - KAFKA_REQUEST_FRAMING);
}

pgcdc_err_t pgcdc_kafka_wait_ready(pgcdc_kafka_t *k, int timeout_ms, volatile sig_atomic_t *stop,
                                   char *errstr, size_t errstr_size)
{
    pgcdc_kafka_ready_t ready;
    pgcdc_err_t err;

    err = pgcdc_kafka_metadata_wait(k->rk, NULL, timeout_ms, stop, &ready, errstr, errstr_size);
    if (err)
        return err;
    return kafka_check_request_max(k, errstr, errstr_size);
}

int pgcdc_kafka_broker_up(const pgcdc_kafka_t *k)
{
    return !atomic_load(&((pgcdc_kafka_t *)k)->brokers_down);
}

int pgcdc_kafka_conf_get(const pgcdc_kafka_t *k, const char *name, char *dest, size_t dest_size)
{
    size_t size = dest_size;

    if (rd_kafka_conf_get(rd_kafka_conf(k->rk), name, dest, &size) != RD_KAFKA_CONF_OK)
        return -1;
    /* librdkafka reports the size it needed; a truncated value must not pass for the value. */
    return size <= dest_size ? 0 : -1;
}

void pgcdc_kafka_log_counts(const pgcdc_kafka_t *k, uint64_t *raised, uint64_t *logged)
{
    *raised = atomic_load(&((pgcdc_kafka_t *)k)->raised);
    *logged = atomic_load(&((pgcdc_kafka_t *)k)->logged);
}
