/*
 * json_write.h - JSON text fragments written into a pgcdc_buf_t, the way Kafka Connect's
 * JsonConverter (Jackson) writes them.
 *
 * Pure and allocation-free apart from the buffer growing: the caller owns the buffer and reuses
 * it. Strings are escaped like Jackson's default: '"' and '\\' and control characters below 0x20
 * (short forms \b \t \n \f \r, else \u00XX with upper-case hex); every other byte, including
 * UTF-8 sequences, is copied as is. Numbers are written like Java's Double.toString /
 * Float.toString (shortest round-trip digits, "1.0E10" outside [1e-3, 1e7)), and NaN and the
 * infinities as the strings "NaN", "Infinity", "-Infinity" as Jackson does by default.
 */
#ifndef PGCDC_JSON_WRITE_H
#define PGCDC_JSON_WRITE_H

#include "buf.h"

#include <stddef.h>
#include <stdint.h>

/* Writes s[0..len) as a quoted, escaped JSON string. */
void pgcdc_json_write_str(pgcdc_buf_t *b, const char *s, size_t len);
/* Same for a NUL-terminated string. */
void pgcdc_json_write_cstr(pgcdc_buf_t *b, const char *s);
/* Writes s[0..len) escaped but without the surrounding quotes (to build a string in pieces). */
void pgcdc_json_write_escaped(pgcdc_buf_t *b, const char *s, size_t len);
/* The escape of byte c inside a JSON string (c itself when it needs none) into e; returns its
 * length (1, 2 or 6). For writers that escape text they decode byte by byte. */
size_t pgcdc_json_escape_byte(unsigned char c, char e[6]);

/* Writes p[0..n) as a quoted base64 string (RFC 4648 with padding; url_safe picks the URL and
 * file name alphabet, still padded, as Java's Base64.getUrlEncoder()). */
void pgcdc_json_write_base64(pgcdc_buf_t *b, const uint8_t *p, size_t n, int url_safe);

/* Same without the quotes, for a value written in pieces (every piece but the last must be a
 * multiple of 3 bytes long). */
void pgcdc_json_write_base64_raw(pgcdc_buf_t *b, const uint8_t *p, size_t n, int url_safe);

/* Writes v like Java's Double.toString (NaN and infinities as quoted strings). */
void pgcdc_json_write_double(pgcdc_buf_t *b, double v);
/* Writes v like Java's Float.toString (NaN and infinities as quoted strings). */
void pgcdc_json_write_float(pgcdc_buf_t *b, float v);

/*
 * Writes the decimal number in text s[0..len) (as PostgreSQL prints float4/float8/numeric:
 * optional sign, digits, optional fraction, optional exponent, or NaN/Infinity/-Infinity) the
 * way Java would print it after parsing it into a double (single = 0) or float (single = 1).
 * Texts with few enough significant digits are laid out directly without a parse; longer ones
 * go through strtod/strtof. Returns 0, or -1 when s is not a number (nothing written).
 */
int pgcdc_json_write_number_text(pgcdc_buf_t *b, const char *s, size_t len, int single);

/* Kafka Connect's JsonConverter with schemas.enable=true writes each key and value as
 * {"schema":<schema>,"payload":<payload>}: opens that envelope with schema[0..len) before the
 * payload is written (enabled 0: writes nothing); pgcdc_json_write_schema_close() ends it. */
void pgcdc_json_write_schema_open(pgcdc_buf_t *out, int enabled, const char *schema, size_t len);
void pgcdc_json_write_schema_close(pgcdc_buf_t *out, int enabled);

#endif
