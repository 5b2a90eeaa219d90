/* lsn_track.c - see lsn_track.h. */
#include "lsn_track.h"

#include "mem.h"

#include <stdlib.h>

typedef struct lsn_track_tx {
    uint64_t seq;      /* the ticket; 0 marks a free slot */
    uint64_t produced; /* events counted by add_event */
    uint64_t acked;    /* successful deliveries */
    uint64_t end_lsn;  /* valid once closed */
    int closed;
} lsn_track_tx_t;

struct pgcdc_lsn_track {
    lsn_track_tx_t *ring;
    size_t capacity;
    uint64_t head; /* sequence number of the oldest transaction in flight */
    uint64_t next; /* sequence number the next begin() hands out; head == next: none */
    int open;      /* the newest transaction (next - 1) is still open */
    uint64_t confirmable;
    uint64_t unacked;
};

pgcdc_lsn_track_t *pgcdc_lsn_track_new(size_t capacity)
{
    pgcdc_lsn_track_t *t = pgcdc_calloc(1, sizeof(*t));

    if (capacity == 0)
        capacity = 1;
    t->ring = pgcdc_calloc(capacity, sizeof(*t->ring));
    t->capacity = capacity;
    /* Sequence numbers start at 1 so that 0 is never a valid ticket. */
    t->head = 1;
    t->next = 1;
    return t;
}

void pgcdc_lsn_track_free(pgcdc_lsn_track_t *t)
{
    if (!t)
        return;
    free(t->ring);
    free(t);
}

static lsn_track_tx_t *lsn_track_slot(const pgcdc_lsn_track_t *t, uint64_t seq)
{
    return &t->ring[seq % t->capacity];
}

/* Releases the completed transactions at the tail of the window, in commit order, so that the
 * confirmable position only ever covers a prefix of the stream. */
static void lsn_track_release(pgcdc_lsn_track_t *t)
{
    while (t->head != t->next) {
        lsn_track_tx_t *tx = lsn_track_slot(t, t->head);

        if (!tx->closed || tx->acked < tx->produced)
            break;
        /* A snapshot batch (end_lsn 0) completes without moving the position; the max keeps
         * the position monotonic even if a caller commits an older LSN after a newer one. */
        if (tx->end_lsn > t->confirmable)
            t->confirmable = tx->end_lsn;
        tx->seq = 0;
        t->head++;
    }
}

uint64_t pgcdc_lsn_track_begin(pgcdc_lsn_track_t *t)
{
    lsn_track_tx_t *tx;
    uint64_t seq;

    if (t->open || pgcdc_lsn_track_full(t))
        return 0;
    seq = t->next++;
    tx = lsn_track_slot(t, seq);
    tx->seq = seq;
    tx->produced = 0;
    tx->acked = 0;
    tx->end_lsn = 0;
    tx->closed = 0;
    t->open = 1;
    return seq;
}

uint64_t pgcdc_lsn_track_add_event(pgcdc_lsn_track_t *t)
{
    lsn_track_tx_t *tx;

    if (!t->open)
        return 0;
    tx = lsn_track_slot(t, t->next - 1);
    tx->produced++;
    t->unacked++;
    return tx->seq;
}

int pgcdc_lsn_track_commit(pgcdc_lsn_track_t *t, uint64_t end_lsn)
{
    lsn_track_tx_t *tx;

    if (!t->open)
        return -1;
    tx = lsn_track_slot(t, t->next - 1);
    tx->end_lsn = end_lsn;
    tx->closed = 1;
    t->open = 0;
    lsn_track_release(t);
    return 0;
}

int pgcdc_lsn_track_ack(pgcdc_lsn_track_t *t, uint64_t ticket)
{
    lsn_track_tx_t *tx;

    if (ticket < t->head || ticket >= t->next)
        return -1;
    tx = lsn_track_slot(t, ticket);
    if (tx->seq != ticket || tx->acked >= tx->produced)
        return -1;
    tx->acked++;
    t->unacked--;
    if (ticket == t->head)
        lsn_track_release(t);
    return 0;
}

uint64_t pgcdc_lsn_track_confirmable(const pgcdc_lsn_track_t *t)
{
    return t->confirmable;
}

int pgcdc_lsn_track_idle(const pgcdc_lsn_track_t *t)
{
    return t->head == t->next;
}

int pgcdc_lsn_track_full(const pgcdc_lsn_track_t *t)
{
    return t->next - t->head >= t->capacity;
}

size_t pgcdc_lsn_track_in_flight(const pgcdc_lsn_track_t *t)
{
    return (size_t)(t->next - t->head);
}

uint64_t pgcdc_lsn_track_unacked(const pgcdc_lsn_track_t *t)
{
    return t->unacked;
}
