/*
 * pg_types.h - OIDs of PostgreSQL's built-in types (fixed in pg_type.dat since forever), so that
 * the pure modules can name types without linking libpq. Extension types (citext, hstore, ...)
 * have database-specific OIDs and are recognised by name instead.
 */
#ifndef PGCDC_PG_TYPES_H
#define PGCDC_PG_TYPES_H

#define PGCDC_OID_BOOL        16
#define PGCDC_OID_BYTEA       17
#define PGCDC_OID_CHAR        18
#define PGCDC_OID_NAME        19
#define PGCDC_OID_INT8        20
#define PGCDC_OID_INT2        21
#define PGCDC_OID_INT4        23
#define PGCDC_OID_TEXT        25
#define PGCDC_OID_OID         26
#define PGCDC_OID_JSON        114
#define PGCDC_OID_XML         142
#define PGCDC_OID_POINT       600
#define PGCDC_OID_LSEG        601
#define PGCDC_OID_PATH        602
#define PGCDC_OID_BOX         603
#define PGCDC_OID_POLYGON     604
#define PGCDC_OID_LINE        628
#define PGCDC_OID_CIDR        650
#define PGCDC_OID_FLOAT4      700
#define PGCDC_OID_FLOAT8      701
#define PGCDC_OID_CIRCLE      718
#define PGCDC_OID_MACADDR8    774
#define PGCDC_OID_MONEY       790
#define PGCDC_OID_MACADDR     829
#define PGCDC_OID_INET        869
#define PGCDC_OID_BPCHAR      1042
#define PGCDC_OID_VARCHAR     1043
#define PGCDC_OID_DATE        1082
#define PGCDC_OID_TIME        1083
#define PGCDC_OID_TIMESTAMP   1114
#define PGCDC_OID_TIMESTAMPTZ 1184
#define PGCDC_OID_INTERVAL    1186
#define PGCDC_OID_TIMETZ      1266
#define PGCDC_OID_BIT         1560
#define PGCDC_OID_VARBIT      1562
#define PGCDC_OID_NUMERIC     1700
#define PGCDC_OID_REFCURSOR   1790
#define PGCDC_OID_UUID        2950
#define PGCDC_OID_TSVECTOR    3614
#define PGCDC_OID_JSONB       3802
#define PGCDC_OID_INT4RANGE   3904
#define PGCDC_OID_NUMRANGE    3906
#define PGCDC_OID_TSRANGE     3908
#define PGCDC_OID_TSTZRANGE   3910
#define PGCDC_OID_DATERANGE   3912
#define PGCDC_OID_INT8RANGE   3926

/* typmod of numeric(p,s) is ((p << 16) | (s & 0x7ff)) + VARHDRSZ; -1 when unconstrained. */
#define PGCDC_PG_VARHDRSZ 4

#endif
