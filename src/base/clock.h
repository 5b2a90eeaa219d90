/*
 * clock.h - the two clocks pgcdc reads: a monotonic one for intervals, timeouts and pacing
 * (never jumps when the wall clock is set), and the wall clock for the timestamps that go into
 * events (Unix epoch). Integer division that rounds towards negative infinity sits here too:
 * converting a timestamp before 1970 to coarser units must floor, as Java's Math.floorDiv.
 */
#ifndef PGCDC_CLOCK_H
#define PGCDC_CLOCK_H

#include <stdint.h>

/* Monotonic clock in milliseconds and nanoseconds (arbitrary origin). */
int64_t pgcdc_clock_mono_ms(void);
int64_t pgcdc_clock_mono_ns(void);

/* Wall clock: microseconds since the Unix epoch. */
int64_t pgcdc_clock_wall_us(void);

/* a / b rounded down (b > 0), as Java's Math.floorDiv. */
static inline int64_t pgcdc_floor_div(int64_t a, int64_t b)
{
    return a / b - (a % b < 0);
}

#endif
