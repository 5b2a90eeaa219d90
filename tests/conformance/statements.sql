-- Conformance statements, run while both connectors stream. Each statement is its own
-- transaction unless grouped; the last one writes the marker row the driver waits for.
\set ON_ERROR_STOP 1
SET client_min_messages = warning;

-- Scalars: special values, edge values, then an update of every column and a delete.
INSERT INTO scalars (c_bool, c_int2, c_int4, c_int8, c_oid, c_float4, c_float8,
                     c_numeric_bounded, c_numeric, c_money, c_char, c_varchar, c_text, c_name,
                     c_qchar, c_bytea, c_uuid, c_json, c_jsonb, c_xml, c_inet, c_cidr, c_macaddr,
                     c_macaddr8, c_bit1, c_bit10, c_varbit, c_varbit_any, c_mood, c_price,
                     c_short, c_hstore, c_ltree, c_point, c_citext, c_int4range, c_int8range,
                     c_numrange, c_tsrange, c_tstzrange, c_daterange)
VALUES (false, 32767, -2147483648, 9223372036854775807, 0, 'NaN', 'Infinity', -0.0001, 'NaN',
        -92233720368547758.08, 'abcde', '', E'line\nbreak "quoted" \\ tab\t', 'n', '"',
        '\x', '00000000-0000-0000-0000-000000000000', '[]', '{"z": 1, "a": 2}',
        '<?xml version="1.0"?><doc/>', '::1', '2001:db8::/32', 'ff:ff:ff:ff:ff:ff',
        '00:00:00:00:00:00:00:00', B'0', B'0000000001', B'', B'1', 'sad', 0, '', '', '',
        '(0,0)', 'ÄÖÜ ünïcödé', 'empty', '(,)', '[1e10,1e11)', '(,)', 'empty', 'empty'),
       (NULL, 0, 0, 0, 1, '-Infinity', 'NaN', 0, 'Infinity', 0, ' ', 'x', 'x', 'x', NULL,
        '\xdeadbeef', NULL, 'null', '"s"', NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL,
        NULL, NULL, NULL, NULL, '"k"=>"v"', NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL,
        NULL),
       (true, 1, 1, 1, 1, 1e10, 1e-7, 99999999.9999, '-Infinity', 1, 'a', 'a', 'a', 'a', 'a',
        NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL,
        NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL),
       (true, 2, 2, 2, 2, 3.4028235e38, 1.7976931348623157e308, 0.5, 123456789012345678901234567890.123456789,
        0.01, 'b', 'b', 'b', 'b', 'b', NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL,
        NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL,
        NULL, NULL, NULL),
       (true, 3, 3, 3, 3, 1.17549435e-38, 4.9e-324, 1, 0.000000000000000000001, 3, 'c', 'c',
        'c', 'c', 'c', NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL,
        NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL);
UPDATE scalars SET c_int4 = c_int4 - 1, c_text = 'updated', c_numeric = 42, c_mood = 'ok',
                   c_point = '(3,4)', c_hstore = '"a"=>"b"'
    WHERE id = 1;
DELETE FROM scalars WHERE id = 2;

-- Temporals: limits, infinities, BC dates, 24:00.
INSERT INTO temporals VALUES
    (2, 'infinity', '24:00:00', '00:00:00', '23:59:59.999', '00:00:00.000001', '00:00:00+00',
     '12:00:00-11:30', 'infinity', '-infinity', '1970-01-01 00:00:00.1', '1969-12-31 23:59:59.99',
     '1900-01-01 00:00:00.001', '2000-02-29 12:00:00.0001', '2262-04-11 23:47:16.85477',
     '1677-09-21 00:12:43.145225', 'infinity', '-infinity', '2024-06-30 23:59:59.9+14',
     '2024-06-30 23:59:59.99-12', '2024-06-30 00:00:00.001+05:45', '0001-01-01 00:00:00+00',
     '9999-12-31 23:59:59.9999+00', '2024-01-02 03:04:05.000001+00', '-1 day -02:00:00'),
    (3, '-infinity', '00:00:00', '12:00:00', '00:00:00.001', '12:34:56.789012', '12:00:00.123456+01',
     '00:00:00+00', '0044-03-15 12:00:00 BC', '1999-12-31 23:59:59', '2024-01-01', '2024-01-01',
     '2024-01-01', '2024-01-01', '2024-01-01', '2024-01-01', '0044-03-15 12:00:00+00 BC',
     '2024-01-01 00:00:00.5+00', '2024-01-01', '2024-01-01', '2024-01-01', '2024-01-01',
     '2024-01-01', '2024-01-01', '3 mons 1 us'),
    (4, '0001-01-01 BC', NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL,
     NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, '-178000000 years');
UPDATE temporals SET c_interval = '0' WHERE id = 1;

-- Arrays.
INSERT INTO arrays (id, a_int4, a_text, a_numeric, a_mood, a_2d, a_date)
VALUES (2, '{NULL}', '{}', '{NULL,0.5}', '{}', '{}', '{infinity}'),
       (3, '[0:1]={7,8}', '{"\\\\"}', NULL, NULL, NULL, NULL);
UPDATE arrays SET a_int4 = '{4,5,6}' WHERE id = 1;

-- Replica identities; the UPDATEs that do not touch "big" leave it unchanged and TOASTed.
UPDATE ri_default SET big = (SELECT string_agg(md5(i::text), '') FROM generate_series(1, 200) i)
    WHERE id = 1;
UPDATE ri_full SET big = (SELECT string_agg(md5(i::text), '') FROM generate_series(1, 200) i)
    WHERE id = 1;
UPDATE ri_default SET n = n + 10 WHERE id = 1;
UPDATE ri_full SET n = n + 10 WHERE id = 1;
UPDATE ri_default SET val = 'two!' WHERE id = 2;
UPDATE ri_full SET val = 'two!' WHERE id = 2;
DELETE FROM ri_default WHERE id = 1;
DELETE FROM ri_full WHERE id = 1;
INSERT INTO ri_index VALUES (2, 'B2', 'two');
UPDATE ri_index SET val = 'one!' WHERE id = 1;
UPDATE ri_index SET code = 'A9' WHERE id = 1;
DELETE FROM ri_index WHERE id = 2;
INSERT INTO ri_nothing VALUES (2, 'two');

-- Tables without a primary key.
INSERT INTO nopk_full VALUES (2, 'two'), (2, 'two');
UPDATE nopk_full SET b = 'uno' WHERE a = 1;
DELETE FROM nopk_full WHERE a = 2;
INSERT INTO nopk_plain VALUES (2, NULL);

-- Primary-key change: delete + tombstone + create with key headers.
UPDATE pk_change SET k2 = 'b', val = 'moved' WHERE k1 = 1;
UPDATE pk_change SET val = 'same key' WHERE k1 = 1;
DELETE FROM pk_change WHERE k1 = 1;

-- Partitioned table: a row moving between partitions is a delete and an insert.
INSERT INTO measurements VALUES (2, '2025-03-01', 11.0);
UPDATE measurements SET reading = 21.5 WHERE id = 1;
UPDATE measurements SET logdate = '2025-06-01' WHERE id = 1;

-- Generated column.
INSERT INTO generated (id, qty, unit_price) VALUES (2, 3, 1.25);
UPDATE generated SET qty = 10 WHERE id = 1;

-- Column added with a default mid-stream.
INSERT INTO evolving VALUES (2, 'second');
ALTER TABLE evolving ADD COLUMN status text NOT NULL DEFAULT 'new';
ALTER TABLE evolving ADD COLUMN score integer DEFAULT 7;
INSERT INTO evolving (id, name) VALUES (3, 'third');
UPDATE evolving SET status = 'old' WHERE id = 1;

-- Defaults: a streamed insert, explicit NULLs (written as the default), a delete whose old tuple
-- carries only the key (the other columns get their default, else null or the zero value).
INSERT INTO defaults (id, d_req_int, d_req_text, d_req_tstz, d_req_num, d_req_bool)
VALUES (2, 2, 'two', '2024-01-02 00:00:00+00', 2.5, false);
INSERT INTO defaults (id, d_int2, d_num_neg, d_tstz, d_mood, d_bit, d_req_int, d_req_text,
                      d_req_tstz, d_req_num, d_req_bool)
VALUES (3, NULL, NULL, NULL, 'sad', NULL, 3, 'three', '2024-01-03 00:00:00+00', 3.5, true);
DELETE FROM defaults WHERE id = 1;

-- Second schema, quoted identifiers; several statements in one transaction.
BEGIN;
INSERT INTO "Sales"."OrderLines" VALUES (2, 'Gadget', 5);
UPDATE "Sales"."OrderLines" SET "Qty" = 3 WHERE "LineId" = 1;
INSERT INTO inventory.items VALUES ('SKU-2', 0);
UPDATE inventory.items SET stock = stock - 1 WHERE sku = 'SKU-1';
COMMIT;

-- Truncate (skipped by default in both, so no event is expected) and a delete after it.
TRUNCATE inventory.items;
DELETE FROM "Sales"."OrderLines" WHERE "LineId" = 2;

-- Unmapped types, a name that is not a valid topic name, personal data.
INSERT INTO unmapped VALUES (2, 'b:2 c', '((2,2),(1,1))', '<(0,0),2>', '{1,-1,0}', '[(0,0),(1,1)]',
                             '((0,0),(1,1),(2,0))', '((0,0),(1,1),(2,0))', '16/B374D848');
INSERT INTO "odd name$" VALUES (2, 'two');
UPDATE "odd name$" SET "the value" = 'uno' WHERE id = 1;
INSERT INTO customers VALUES (2, 'Zoë Ångström', 'zoe@example.com', '4111111111111111',
                              repeat('ünïcödé ', 10), NULL, NULL);
UPDATE customers SET note = 'short', score = 11 WHERE id = 1;
DELETE FROM customers WHERE id = 2;

-- Logical decoding messages: one transactional (alone in its transaction: Debezium's
-- transaction metadata names it by a Java object identity, see known-differences.txt), two not.
INSERT INTO inventory.items VALUES ('SKU-3', 3);
SELECT pg_logical_emit_message(true, 'audit.tx', 'in a transaction');
SELECT pg_logical_emit_message(false, 'skip.me', 'outside');
SELECT pg_logical_emit_message(false, 'audit.bin', '\x00ff'::bytea);

-- The marker: the last event of the run.
CREATE TABLE conformance_done (id integer PRIMARY KEY);
INSERT INTO conformance_done VALUES (1);
