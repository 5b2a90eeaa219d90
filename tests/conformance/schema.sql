-- Conformance schema: one table per concern, covering the type catalogue of
-- docs/type-mapping.md and the replica identity / key / table-shape cases. The rows inserted
-- here exist before either connector starts, so they come out of the snapshot (op "r").
SET client_min_messages = warning;
CREATE EXTENSION IF NOT EXISTS hstore;
CREATE EXTENSION IF NOT EXISTS ltree;
CREATE EXTENSION IF NOT EXISTS citext;

CREATE TYPE mood AS ENUM ('sad', 'ok', 'happy');
CREATE DOMAIN price AS numeric(10, 2) CHECK (VALUE >= 0);
CREATE DOMAIN short_text AS varchar(20);

-- Scalars, one column per mapping row.
CREATE TABLE scalars (
    id serial PRIMARY KEY,
    c_bool boolean,
    c_int2 smallint,
    c_int4 integer,
    c_int8 bigint,
    c_oid oid,
    c_float4 real,
    c_float8 double precision,
    c_numeric_bounded numeric(12, 4),
    c_numeric numeric,
    c_money money,
    c_char char(5),
    c_varchar varchar(30),
    c_text text NOT NULL DEFAULT '',
    c_name name,
    c_qchar "char",
    c_bytea bytea,
    c_uuid uuid,
    c_json json,
    c_jsonb jsonb,
    c_xml xml,
    c_inet inet,
    c_cidr cidr,
    c_macaddr macaddr,
    c_macaddr8 macaddr8,
    c_bit1 bit(1),
    c_bit10 bit(10),
    c_varbit varbit(16),
    c_varbit_any varbit,
    c_mood mood,
    c_price price,
    c_short short_text,
    c_hstore hstore,
    c_ltree ltree,
    c_point point,
    c_citext citext,
    c_int4range int4range,
    c_int8range int8range,
    c_numrange numrange,
    c_tsrange tsrange,
    c_tstzrange tstzrange,
    c_daterange daterange
);

-- Temporal types at every precision.
CREATE TABLE temporals (
    id integer PRIMARY KEY,
    c_date date,
    c_time time,
    c_time0 time(0),
    c_time3 time(3),
    c_time6 time(6),
    c_timetz timetz,
    c_timetz3 timetz(3),
    c_ts timestamp,
    c_ts0 timestamp(0),
    c_ts1 timestamp(1),
    c_ts2 timestamp(2),
    c_ts3 timestamp(3),
    c_ts4 timestamp(4),
    c_ts5 timestamp(5),
    c_ts6 timestamp(6),
    c_tstz timestamptz,
    c_tstz0 timestamptz(0),
    c_tstz1 timestamptz(1),
    c_tstz2 timestamptz(2),
    c_tstz3 timestamptz(3),
    c_tstz4 timestamptz(4),
    c_tstz5 timestamptz(5),
    c_tstz6 timestamptz(6),
    c_interval interval
);

-- Arrays, with NULL elements.
CREATE TABLE arrays (
    id integer PRIMARY KEY,
    a_int2 smallint[],
    a_int4 integer[],
    a_int8 bigint[],
    a_float8 double precision[],
    a_numeric numeric(8, 2)[],
    a_text text[],
    a_varchar varchar(10)[],
    a_bool boolean[],
    a_uuid uuid[],
    a_date date[],
    a_ts timestamp[],
    a_tstz timestamptz[],
    a_jsonb jsonb[],
    a_inet inet[],
    a_mood mood[],
    a_citext citext[],
    a_2d integer[][]
);

-- Replica identities.
CREATE TABLE ri_default (id integer PRIMARY KEY, val text, big text, n integer);
ALTER TABLE ri_default ALTER COLUMN big SET STORAGE EXTERNAL;
CREATE TABLE ri_full (id integer PRIMARY KEY, val text, big text, n integer);
ALTER TABLE ri_full REPLICA IDENTITY FULL;
ALTER TABLE ri_full ALTER COLUMN big SET STORAGE EXTERNAL;
CREATE TABLE ri_index (id integer PRIMARY KEY, code varchar(10) NOT NULL, val text);
CREATE UNIQUE INDEX ri_index_code ON ri_index (code);
ALTER TABLE ri_index REPLICA IDENTITY USING INDEX ri_index_code;
CREATE TABLE ri_nothing (id integer PRIMARY KEY, val text);
ALTER TABLE ri_nothing REPLICA IDENTITY NOTHING;

-- No primary key: one with FULL identity (updates and deletes allowed), one insert-only.
CREATE TABLE nopk_full (a integer, b text);
ALTER TABLE nopk_full REPLICA IDENTITY FULL;
CREATE TABLE nopk_plain (a integer, b text);

-- Composite primary key, changed by an update.
CREATE TABLE pk_change (k1 integer, k2 text, val text, PRIMARY KEY (k1, k2));

-- Partitioned table: events come from the leaf partitions.
CREATE TABLE measurements (id integer NOT NULL, logdate date NOT NULL, reading numeric(6, 1),
                           PRIMARY KEY (id, logdate))
    PARTITION BY RANGE (logdate);
CREATE TABLE measurements_2024 PARTITION OF measurements
    FOR VALUES FROM ('2024-01-01') TO ('2025-01-01');
CREATE TABLE measurements_2025 PARTITION OF measurements
    FOR VALUES FROM ('2025-01-01') TO ('2026-01-01');

-- Generated column.
CREATE TABLE generated (id integer PRIMARY KEY, qty integer, unit_price numeric(8, 2),
                        total numeric(12, 2) GENERATED ALWAYS AS (qty * unit_price) STORED);

-- A column is added with a default while streaming (statements.sql).
CREATE TABLE evolving (id integer PRIMARY KEY, name text);

-- Second schema, quoted mixed-case identifiers.
CREATE SCHEMA "Sales";
CREATE TABLE "Sales"."OrderLines" ("LineId" integer PRIMARY KEY, "ItemName" text,
                                   "Qty" integer NOT NULL DEFAULT 1);
-- An empty table that the snapshot reads first: the snapshot's first record is in the next one.
CREATE TABLE "Sales"."Empty" (id integer PRIMARY KEY);
CREATE SCHEMA inventory;
CREATE TABLE inventory.items (sku text PRIMARY KEY, stock integer);

-- Types Debezium does not map: left out, or sent as bytes with include.unknown.datatypes.
CREATE TABLE unmapped (id integer PRIMARY KEY, c_tsvector tsvector, c_box box, c_circle circle,
                       c_line line, c_lseg lseg, c_path path, c_polygon polygon, c_pglsn pg_lsn);

-- Characters that are not valid in a topic name.
CREATE TABLE "odd name$" (id integer PRIMARY KEY, "the value" text);

-- An empty table that the snapshot reads last.
CREATE TABLE zz_empty (id integer PRIMARY KEY);

-- Personal data, for the masking and truncation options.
CREATE TABLE customers (id integer PRIMARY KEY, name varchar(40), email text, card char(16),
                        note text, phone varchar(20), score integer);
-- Column defaults of the kinds Debezium parses into the field schema's "default" (literals with
-- casts, bare numbers, booleans, placeholders for function calls, none for NULL, domains or
-- expressions), and NOT NULL columns a delete's identity-only old tuple leaves out.
CREATE TABLE defaults (
    id integer PRIMARY KEY,
    d_bool boolean NOT NULL DEFAULT true,
    d_int2 smallint DEFAULT -5,
    d_int8 bigint NOT NULL DEFAULT 9223372036854775807,
    d_float4 real DEFAULT 1.5,
    d_float8 double precision DEFAULT -2.25,
    d_num numeric(10, 2) NOT NULL DEFAULT 1.5,
    d_num_neg numeric(8, 3) DEFAULT -0.5,
    d_num_any numeric DEFAULT 10,
    d_varchar varchar(20) DEFAULT 'abc'::character varying,
    d_char char(4) DEFAULT 'ab',
    d_quote text DEFAULT 'it''s',
    d_text_fn text DEFAULT md5('x'),
    d_user text DEFAULT current_user,
    d_json jsonb DEFAULT '{"a": 1}',
    d_uuid uuid DEFAULT 'A0EEBC99-9C0B-4EF8-BB6D-6BB9BD380A11',
    d_uuid_fn uuid NOT NULL DEFAULT gen_random_uuid(),
    d_date date DEFAULT '2024-02-29',
    d_date_now date NOT NULL DEFAULT CURRENT_DATE,
    d_time time DEFAULT '12:34:56.5',
    d_ts timestamp DEFAULT '2024-01-02 03:04:05.5',
    d_ts_now timestamp NOT NULL DEFAULT now(),
    d_tstz timestamptz DEFAULT '2024-01-02 03:04:05+02',
    d_tstz_now timestamptz NOT NULL DEFAULT CURRENT_TIMESTAMP,
    d_interval interval DEFAULT '1 day 02:00:00',
    d_mood mood NOT NULL DEFAULT 'ok',
    d_bit bit(1) DEFAULT B'1',
    d_null integer DEFAULT NULL,
    d_expr integer DEFAULT (1 + 2),
    d_price price DEFAULT 5,
    d_req_int integer NOT NULL,
    d_req_text text NOT NULL,
    d_req_tstz timestamptz NOT NULL,
    d_req_num numeric(6, 1) NOT NULL,
    d_req_bool boolean NOT NULL
);

-- Rows read by the snapshot.
INSERT INTO scalars (c_bool, c_int2, c_int4, c_int8, c_oid, c_float4, c_float8,
                     c_numeric_bounded, c_numeric, c_money, c_char, c_varchar, c_text, c_name,
                     c_qchar, c_bytea, c_uuid, c_json, c_jsonb, c_xml, c_inet, c_cidr, c_macaddr,
                     c_macaddr8, c_bit1, c_bit10, c_varbit, c_varbit_any, c_mood, c_price,
                     c_short, c_hstore, c_ltree, c_point, c_citext, c_int4range, c_int8range,
                     c_numrange, c_tsrange, c_tstzrange, c_daterange)
VALUES (true, -32768, 2147483647, -9223372036854775808, 4294967295, 1.5, 3.141592653589793,
        12345678.1234, 1234.5600, 1234.56, 'ab', 'hello', 'snapshot row', 'pg_name', 'x',
        '\x00ff10', 'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11', '{"a": [1, 2]}', '{"b": {"c": null}}',
        '<r><x>1</x></r>', '192.168.0.1/24', '10.0.0.0/8', '08:00:2b:01:02:03',
        '08:00:2b:01:02:03:04:05', B'1', B'1000000000', B'101', B'110011', 'happy', 9.99,
        'short', '"z"=>"1", "aa"=>"2", "n"=>NULL', 'Top.Science.Astronomy', '(1.5,-2)', 'MiXeD',
        '[1,10)', '[5,)', '(1.5,2.5]', '[2024-01-01 00:00,2024-02-01 00:00)',
        '[2024-01-01 00:00+00,2024-02-01 00:00+02)', '[2024-01-01,2024-12-31)'),
       (NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, '', NULL, NULL,
        NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL,
        NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL);

INSERT INTO temporals VALUES
    (1, '2024-02-29', '13:14:15.123456', '13:14:15', '13:14:15.123', '13:14:15.123456',
     '23:30:00.5-05', '01:02:03.456+02', '2024-01-02 03:04:05.123456', '2024-01-02 03:04:05',
     '2024-01-02 03:04:05.1', '2024-01-02 03:04:05.12', '2024-01-02 03:04:05.123',
     '2024-01-02 03:04:05.1234', '2024-01-02 03:04:05.12345', '2024-01-02 03:04:05.123456',
     '2024-01-02 03:04:05.123456+02', '2024-01-02 03:04:05+00', '2024-01-02 03:04:05.1+00',
     '2024-01-02 03:04:05.12+00', '2024-01-02 03:04:05.123+00', '2024-01-02 03:04:05.1234+00',
     '2024-01-02 03:04:05.12345+00', '2024-01-02 03:04:05.123456-03:30',
     '1 year 2 months 3 days 04:05:06.789');

INSERT INTO arrays VALUES
    (1, '{1,NULL,3}', '{}', '{9223372036854775807}', '{1.5,NULL}', '{1.10,2.25}',
     '{"a b","c\"d",NULL,"NULL"}', '{x,y}', '{t,f,NULL}',
     '{a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11}', '{2024-01-01,NULL}', '{"2024-01-01 00:00:00.5"}',
     '{"2024-01-01 00:00:00+00"}', '{"{\"k\": 1}"}', '{10.0.0.1,::1}', '{sad,happy}', '{Ab,cD}',
     '{{1,2},{3,4}}');

INSERT INTO ri_default VALUES (1, 'one', NULL, 1), (2, 'two', NULL, 2);
INSERT INTO ri_full VALUES (1, 'one', NULL, 1), (2, 'two', NULL, 2);
INSERT INTO ri_index VALUES (1, 'A1', 'one');
INSERT INTO ri_nothing VALUES (1, 'one');
INSERT INTO nopk_full VALUES (1, 'one');
INSERT INTO nopk_plain VALUES (1, 'one');
INSERT INTO pk_change VALUES (1, 'a', 'one');
INSERT INTO measurements VALUES (1, '2024-06-01', 20.5);
INSERT INTO generated (id, qty, unit_price) VALUES (1, 2, 3.50);
INSERT INTO evolving VALUES (1, 'before');
INSERT INTO "Sales"."OrderLines" VALUES (1, 'Widget', 2);
INSERT INTO inventory.items VALUES ('SKU-1', 10);
INSERT INTO unmapped VALUES (1, 'a:1 fat cat', '((1,1),(0,0))', '<(1,1),1>', '{1,2,3}',
                             '[(0,0),(2,2)]', '[(0,0),(1,1)]', '((0,0),(0,1),(1,0))', '0/16B3748');
INSERT INTO "odd name$" VALUES (1, 'one');
INSERT INTO customers VALUES (1, 'Ada Lovelace', 'ada@example.com', '4000123412341234',
                              '😀 first customer, a long note', '+44 20 7946 0000', 10);
INSERT INTO defaults (id, d_req_int, d_req_text, d_req_tstz, d_req_num, d_req_bool)
VALUES (1, 1, 'one', '2024-01-01 00:00:00+00', 1.5, true);
