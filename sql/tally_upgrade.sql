--
-- Upgrade with stored tallies (issue 18): a database installed at 0.1.0
-- stores version 1 tallies (pinned bytes captured from the 0.1.0 library,
-- as in tally_format) and tallies computed through 0.1.0's SQL objects;
-- after ALTER EXTENSION kpi_eval UPDATE every accessor gives the same
-- result for every stored value, and the values are still stored as before
-- (the update rewrites nothing).
--
DROP EXTENSION kpi_eval;
CREATE EXTENSION kpi_eval VERSION '0.1.0';
SELECT extversion FROM pg_extension WHERE extname = 'kpi_eval';
CREATE FUNCTION pg_temp.raw(bytea) RETURNS kpi.tally LANGUAGE internal IMMUTABLE STRICT AS 'byteasend';
CREATE FUNCTION pg_temp.bytes(kpi.tally) RETURNS bytea LANGUAGE internal IMMUTABLE STRICT AS 'byteasend';

CREATE TABLE up_t (g int PRIMARY KEY, t kpi.tally);
-- raw stored bytes written by the 0.1.0 library (version 1, 120 bytes)
INSERT INTO up_t VALUES
  (1, pg_temp.raw('\x0100c409c409000000000000040000000000000003000000000000000400000000000000204e5c4400000000000000000000000080f8a932000000000000000000000000c0cd4522000000000000000000000000a0d3722d0000000000000000000000000065cd1d000000000000000000000000')),
  (2, pg_temp.raw('\x0100c409c40900000000000002000000000000000000000000000000000000000000000000c2eb0b00000000000000000000000000c2eb0b00000000000000000000000000c2eb0b00000000000000000000000000c2eb0b00000000000000000000000000c2eb0b000000000000000000000000')),
  (3, pg_temp.raw('\x0100c409c4090000000000000200000000000000010000000000000001000000000000000200fc4038c3cb0ab782da5adc0900000200fc4038c3cb0ab782da5adc090000c60938e8acebd9afb582da5adc090000c60938e8acebd9afb582da5adc0900001227ecdd0a65049fb182da5adc090000')),
  (4, pg_temp.raw('\x01008813e803000000000000040000000000000003000000000000000400000000000000204e5c4400000000000000000000000080f8a9320000000000000000000000000065cd1d000000000000000000000000c0e993300000000000000000000000000065cd1d000000000000000000000000')),
  (5, pg_temp.raw('\x0100c409c4090000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000'));
-- and tallies computed through the 0.1.0 aggregates
INSERT INTO up_t
SELECT 10 + g, kpi.tally_agg(c, a, d, p, e, l)
FROM (VALUES (1, 1, 1, 1, 1, 0, 0), (1, 2, 3, 2.5, 2, 1, 1), (1, 0.5, 4, 5, 3, 2, 3),
             (2, 1.5, 2, 2, 1, 3, 0), (2, 100000, 100000, 100000, 100000, 0, 0),
             (2, 100000, 100000, 100000, 100000, 0, 0), (2, 100000, 100000, 100000, 100000, 0, 2),
             (2, 100000, 100000, 100000, 100000, 0, 0), (2, 100000, 100000, 100000, 100000, 0, 0),
             (2, 100000, 100000, 100000, 100000, 0, 0), (2, 100000, 100000, 100000, 100000, 0, 0),
             (2, 100000, 100000, 100000, 100000, 0, 0), (2, 100000, 100000, 100000, 100000, 0, 0),
             (2, 100000, 100000, 100000, 100000, 0, 0)) v(g, c, a, d, p, e, l)
GROUP BY g;
INSERT INTO up_t SELECT 20, kpi.rollup(t) FROM up_t WHERE g IN (1, 2, 3, 11, 12);

-- every accessor of a tally, as one text per stored value
CREATE FUNCTION pg_temp.readings(t kpi.tally) RETURNS text LANGUAGE sql AS $$
	SELECT concat_ws(' | ', t::text, encode(kpi.tally_send(t), 'hex'), kpi.tally_components(t)::text,
	       kpi.period_score(26.5, t), kpi.period_score(26.5, t, 100, 50, 100),
	       kpi.period_score(20, t, '{"progress_reading": "strict"}'), kpi.period_score(20, t, '{"cap": false}'),
	       kpi.task_pct(t), kpi.task_pct(t, 100, 100, 50), kpi.task_points(t), kpi.task_points(t, 50, 100, 100),
	       kpi.quantity_pct(t), kpi.quality_pct(t), kpi.progress_pct(t),
	       kpi.progress_pct(t, '{"progress_reading": "strict"}')) $$;
CREATE TABLE up_before AS
SELECT g, pg_temp.bytes(t) AS stored, pg_temp.readings(t) AS readings FROM up_t;
SELECT g, pg_column_size(t) AS size, readings FROM up_t JOIN up_before USING (g) ORDER BY g;

ALTER EXTENSION kpi_eval UPDATE;
SELECT extversion FROM pg_extension WHERE extname = 'kpi_eval';

SELECT g, pg_temp.bytes(t) = b.stored AS still_stored_as_before,
       pg_temp.readings(t) = b.readings AS same_readings
FROM up_t JOIN up_before b USING (g) ORDER BY g;
-- rollups across the upgrade: stored version 1 and 2 values together
SELECT pg_temp.readings(kpi.rollup(t)) = (SELECT readings FROM up_before WHERE g = 20) AS same_rollup
FROM up_t WHERE g IN (1, 2, 3, 11, 12);

DROP TABLE up_t, up_before;
DROP FUNCTION pg_temp.raw(bytea), pg_temp.bytes(kpi.tally), pg_temp.readings(kpi.tally);
-- leave a fresh install behind for the tests that follow
DROP EXTENSION kpi_eval;
CREATE EXTENSION kpi_eval;
