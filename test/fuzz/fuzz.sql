-- The SQL-level fuzzer of kpi_eval (driven by test/cluster/fuzz.sh): schema
-- fz in a database of its own, with kpi_eval installed.  Nothing here is part
-- of the extension.
--
-- Each batch (CALL fz.batch(seed, batch, size)) seeds random() from the seed
-- and the batch number, so a batch always runs the same statements: the
-- driver replays one with echo => true to name the statement that killed a
-- backend.  Statement kinds:
--   text      text input of kpi.tally and kpi.lawmaking: valid values with
--             1-3 random edits (characters, extreme numbers, cut, doubled),
--             and a successful input must read back to the same text;
--   binary    binary receive (COPY FORMAT binary of a crafted field) of both
--             types: valid wire forms with random bytes, extreme integers,
--             cut or extended; a successful receive must send the same bytes;
--   rules     kpi.effective_rules of the effective rules with random edits
--             (keys set to random JSON, removed, unknown keys, nesting);
--   call      every function of schema kpi with random arguments by type,
--             aggregate support functions included (transition, inverse,
--             combine and final functions of crafted states: valid states
--             from a pool, mutated, random bigint[] arrays);
--   aggregate every aggregate over 0-6 random rows, plain and as a moving
--             window (inverse transition functions).
-- Errors are recorded by SQLSTATE; the driver decides which are expected.

SET client_min_messages = warning;
DROP SCHEMA IF EXISTS fz CASCADE;
CREATE SCHEMA fz;

-- counts by kind and SQLSTATE ('ok' for success), and every failure the
-- driver must look at (unexpected SQLSTATE, or a round trip that differs)
CREATE TABLE fz.stat (batch int, kind text, state text, n bigint);
CREATE TABLE fz.finding (batch int, i int, kind text, state text, message text, stmt text);
-- per target function: calls, successes
CREATE TABLE fz.called (oid oid PRIMARY KEY, n bigint, ok bigint);
CREATE TABLE fz.recv_tally (v kpi.tally);
CREATE TABLE fz.recv_lawmaking (v kpi.lawmaking);
-- valid values of the two types and of the bigint[] aggregate states
CREATE TABLE fz.pool (typ text, id int, val text, PRIMARY KEY (typ, id));

CREATE FUNCTION fz.r(n int) RETURNS int LANGUAGE sql AS 'SELECT floor(random() * n)::int';
CREATE FUNCTION fz.pick(a text[]) RETURNS text LANGUAGE sql
AS 'SELECT a[1 + floor(random() * array_length(a, 1))::int]';

-- a value of the pool (its text)
CREATE FUNCTION fz.pooled(t text) RETURNS text LANGUAGE plpgsql AS $$
DECLARE
	k int := fz.r((SELECT count(*)::int FROM fz.pool WHERE typ = t));
BEGIN
	RETURN (SELECT val FROM fz.pool WHERE typ = t AND id = k);
END $$;

-- 1-3 random edits of a text
CREATE FUNCTION fz.mutate(s text) RETURNS text LANGUAGE plpgsql AS $$
DECLARE
	chars text[] := ARRAY['0', '1', '9', '-', '.', ',', '(', ')', '=', ' ', 'e', 'x', '+', '_', E'\t', 'é', '%', '"', ''''];
	nums text[] := ARRAY['0', '-1', '1', '99999999999999999999', '9223372036854775807', '9223372036854775808',
	                     '-9223372036854775808', '170141183460469231731687303715884105727',
	                     '340282366920938463463374607431768211456', '0.0000000001', '1.23456789', '1e5',
	                     '00000000000000000000001', '2147483648', '0.5', '', '1.', '.5', '2026-02-30',
	                     '0000-01-01', '9999-12-31', '10000-01-01', '2026-13-01'];
	p int;
	m text;
BEGIN
	FOR k IN 0 .. fz.r(3) LOOP
		p := 1 + fz.r(greatest(length(s), 1));
		CASE fz.r(7)
		WHEN 0 THEN s := overlay(s PLACING fz.pick(chars) FROM p FOR 1);			-- replace a character
		WHEN 1 THEN s := overlay(s PLACING '' FROM p FOR 1 + fz.r(3));				-- delete
		WHEN 2 THEN s := overlay(s PLACING fz.pick(chars) FROM p FOR 0);			-- insert
		WHEN 3 THEN																	-- a number replaced by an extreme
			m := (regexp_match(substr(s, p), '[0-9][0-9.-]*'))[1];
			IF m IS NOT NULL THEN
				s := substr(s, 1, p - 1) || regexp_replace(substr(s, p), '[0-9][0-9.-]*', fz.pick(nums));
			END IF;
		WHEN 4 THEN s := substr(s, 1, p);											-- cut
		WHEN 5 THEN s := s || substr(s, p);											-- tail doubled
		ELSE																		-- two fields swapped
			s := regexp_replace(s, '([a-z_]+=[^,)]*),([a-z_]+=[^,)]*)', '\2,\1');
		END CASE;
	END LOOP;
	RETURN s;
END $$;

-- 1-3 random edits of a byte string
CREATE FUNCTION fz.bmutate(b bytea) RETURNS bytea LANGUAGE plpgsql AS $$
DECLARE
	ints bytea[] := ARRAY['\x00000000'::bytea, '\xffffffff', '\x7fffffff', '\x80000000', '\x0000000000000000',
	                      '\xffffffffffffffff', '\x7fffffffffffffff', '\x8000000000000000', '\x0000000000000001',
	                      '\x00000000000f4240', '\x01', '\x00', '\xff', '\x02'];
	p int;
	x bytea;
BEGIN
	FOR k IN 0 .. fz.r(3) LOOP
		p := fz.r(greatest(length(b), 1));
		CASE fz.r(6)
		WHEN 0 THEN IF length(b) > 0 THEN b := set_byte(b, p, fz.r(256)); END IF;
		WHEN 1 THEN IF length(b) > 0 THEN b := set_byte(b, p, get_byte(b, p) # (1 << fz.r(8))); END IF;
		WHEN 2 THEN															-- an extreme integer written over
			x := ints[1 + fz.r(array_length(ints, 1))];
			b := overlay(b PLACING x FROM 1 + p FOR length(x));
		WHEN 3 THEN b := substr(b, 1, p);									-- cut
		WHEN 4 THEN b := b || substr(b, 1 + p, 1 + fz.r(9));				-- extended
		ELSE b := overlay(b PLACING ints[1 + fz.r(array_length(ints, 1))] FROM 1 + 4 * fz.r(greatest(length(b) / 4, 1)) FOR 4);
		END CASE;
	END LOOP;
	RETURN b;
END $$;

-- random JSON (depth-bounded)
CREATE FUNCTION fz.json(depth int DEFAULT 0) RETURNS jsonb LANGUAGE plpgsql AS $$
DECLARE
	k int := fz.r(CASE WHEN depth > 3 THEN 4 ELSE 7 END);
	words text[] := ARRAY['strict', 'partial', 'nested', 'pooled', 'minmax', 'rank', 'province', 'ministry',
	                      'canh_cao', 'khien_trach', 'cach_chuc', 'giang_chuc', 'tot', 'xuat_sac', '', 'NaN',
	                      'Infinity', '1', 'true', repeat('x', 300)];
	nums text[] := ARRAY['0', '1', '-1', '0.5', '100', '100.0001', '1e30', '1e-30', '-0', '4', '5', '30', '0.0001',
	                     '0.00001', '123456789012345678901234567890', '2147483648', '9223372036854775808', '3.0', '89.9999'];
	o jsonb := '{}';
BEGIN
	CASE k
	WHEN 0 THEN RETURN fz.pick(nums)::jsonb;
	WHEN 1 THEN RETURN to_jsonb(fz.pick(words));
	WHEN 2 THEN RETURN to_jsonb(random() < 0.5);
	WHEN 3 THEN RETURN 'null';
	WHEN 4 THEN RETURN to_jsonb(round((random() * 200 - 50)::numeric, fz.r(6)));
	WHEN 5 THEN
		RETURN (SELECT coalesce(jsonb_agg(fz.json(depth + 1)), '[]') FROM generate_series(1, fz.r(4)));
	ELSE
		FOR j IN 1 .. fz.r(4) LOOP
			o := o || jsonb_build_object(fz.pick(words || ARRAY['progress', 'quality', 'cap', 'impact', 'dti']), fz.json(depth + 1));
		END LOOP;
		RETURN o;
	END CASE;
END $$;

-- a rules document: the effective rules (or {}) with random edits
CREATE FUNCTION fz.rules() RETURNS jsonb LANGUAGE plpgsql AS $$
DECLARE
	doc jsonb := CASE WHEN random() < 0.5 THEN kpi.effective_rules() ELSE '{}' END;
	full_doc jsonb := kpi.effective_rules();
	keys text[] := ARRAY(SELECT jsonb_object_keys(full_doc) ORDER BY 1);
	key text;
	sub text[];
BEGIN
	IF random() < 0.03 THEN RETURN fz.json(); END IF;				-- not even an object
	FOR k IN 0 .. fz.r(3) LOOP
		key := keys[1 + fz.r(array_length(keys, 1))];
		CASE fz.r(5)
		WHEN 0 THEN doc := doc - key;
		WHEN 1 THEN doc := doc || jsonb_build_object(fz.pick(ARRAY['unknown_key', 'Cap', 'quality deduction', '']), fz.json());
		WHEN 2 THEN												-- a key inside a nested rule
			IF jsonb_typeof(full_doc -> key) = 'object' THEN
				sub := ARRAY(SELECT jsonb_object_keys(full_doc -> key) ORDER BY 1);
				doc := jsonb_set(doc || jsonb_build_object(key, full_doc -> key), ARRAY[key, sub[1 + fz.r(array_length(sub, 1))]], fz.json(2));
			ELSE
				doc := doc || jsonb_build_object(key, fz.json(1));
			END IF;
		ELSE doc := doc || jsonb_build_object(key, fz.json(1));
		END CASE;
	END LOOP;
	RETURN doc;
END $$;

-- an SQL expression of type t (a format_type name)
CREATE FUNCTION fz.val(t text) RETURNS text LANGUAGE plpgsql AS $$
DECLARE
	v text;
BEGIN
	IF random() < 0.05 THEN RETURN 'NULL::' || t; END IF;
	IF t LIKE '%[]' THEN
		IF t = 'bigint[]' AND random() < 0.5 AND EXISTS (SELECT FROM fz.pool WHERE typ = 'bigint[]') THEN
			v := fz.pooled('bigint[]');
			IF random() < 0.5 THEN v := fz.mutate(v); END IF;
			RETURN quote_literal(v) || '::bigint[]';
		END IF;
		IF random() < 0.1 THEN
			RETURN quote_literal(fz.pick(ARRAY['{}', '{{1,2},{3,4}}', '{NULL}', '{1,NULL,3}', '[0:1]={1,2}', '{{}}'])) || '::' || t;
		END IF;
		RETURN 'ARRAY[' || coalesce((SELECT string_agg(fz.val(left(t, -2)), ', ') FROM generate_series(1, 1 + fz.r(6))), '')
			|| ']::' || t;
	END IF;
	CASE t
	WHEN 'numeric' THEN
		IF random() < 0.5 THEN
			v := fz.pick(ARRAY['0', '1', '-1', '0.5', '100', '100.0001', '30', '30.5', '1e20', '-1e20', '1e-20',
			                   '99999999999999999999999999999999.9', '0.0000000000000000000001', 'NaN', 'Infinity',
			                   '-Infinity', '9223372036854775807', '9223372036854775808', '-9223372036854775808',
			                   '0.33333333333333333333', '89.9999', '70', '50', '2', '1.25', '16', '0.3333']);
		ELSE
			v := round((random() * 300 - 100)::numeric, fz.r(8))::text;
		END IF;
		RETURN quote_literal(v) || '::numeric';
	WHEN 'integer', 'bigint', 'smallint' THEN
		IF random() < 0.5 THEN RETURN fz.r(4) || '::' || t; END IF;		-- small counts, mostly valid
		v := fz.pick(ARRAY['0', '1', '-1', '2', '3', '5', '10', '2147483647', '-2147483648', '32767', '-32768',
		                   '9223372036854775807', '-9223372036854775808', (fz.r(50) - 5)::text, fz.r(2030)::text]);
		IF t = 'smallint' AND abs(v::numeric) > 32767 THEN v := '7'; END IF;
		IF t = 'integer' AND abs(v::numeric) > 2147483647 THEN v := '-7'; END IF;
		RETURN v || '::' || t;
	WHEN 'boolean' THEN RETURN fz.pick(ARRAY['true', 'false']);
	WHEN 'date' THEN
		-- often the pooled summaries' period bounds, so that transition
		-- functions given a pooled state get past the period check
		IF random() < 0.6 THEN RETURN quote_literal(fz.pick(ARRAY['2026-04-01', '2026-06-30'])) || '::date'; END IF;
		RETURN quote_literal(fz.pick(ARRAY['2026-04-01', '2026-06-30', '2026-01-01', '2025-12-31', 'infinity',
		                                   '-infinity', '0001-01-01', '9999-12-31', '4713-01-01 BC', '5874897-12-31',
		                                   '2026-02-28', '2028-02-29', '2026-01-28',
		                                   ('2020-01-01'::date + fz.r(4000))::text])) || '::date';
	WHEN 'timestamp with time zone' THEN
		RETURN quote_literal(fz.pick(ARRAY['2026-04-01 08:00+07', '2026-04-01 17:30+07', '2026-04-03 12:00+07',
		                                   '2026-04-01 08:00+07', 'infinity', '-infinity', '4713-01-01 00:00+00 BC',
		                                   '294276-12-31 23:59+00', '2026-12-31 23:59:59.999999+07',
		                                   ('2026-01-01 00:00+07'::timestamptz + fz.r(400000) * interval '1 minute')::text])) || '::timestamptz';
	WHEN 'interval' THEN
		RETURN quote_literal(fz.pick(ARRAY['1 day', '8 hours', '0', '-1 day', '1 month', '178000000 years',
		                                   '1 microsecond', '2 days 3 hours', '-178000000 years',
		                                   (fz.r(100) || ' hours')])) || '::interval';
	WHEN 'text', 'cstring' THEN
		RETURN quote_literal(fz.pick(ARRAY['vi', 'en', '', 'VI', 'fr', 'dti', 'pci', 'par', 'sipas', 'procedures',
		                                   'month', 'quarter', 'half', 'year', 'week', repeat('a', 2000), 'x y',
		                                   'DTI', 'work_plan', 'tot'])) || '::' || t;
	WHEN 'jsonb' THEN
		IF random() < 0.4 THEN RETURN '''{}''::jsonb'; END IF;
		RETURN quote_literal(fz.rules()) || '::jsonb';
	WHEN 'kpi.tally', 'kpi.lawmaking' THEN
		v := fz.pooled(t);
		IF random() < 0.15 THEN v := fz.mutate(v); END IF;
		RETURN quote_literal(v) || '::' || t;
	WHEN 'kpi.tier', 'kpi.discipline_form' THEN
		RETURN quote_literal(fz.pick(ARRAY(SELECT e::text FROM unnest(enum_range(NULL::kpi.tier)) e)
		                             || ARRAY(SELECT e::text FROM unnest(enum_range(NULL::kpi.discipline_form)) e)
		                             || ARRAY['xuat sac', ''])) || '::' || t;
	ELSE
		RAISE EXCEPTION 'fz.val: no generator for type %', t;
	END CASE;
END $$;

-- The functions and aggregates fuzzed: everything in schema kpi that takes
-- and returns no internal.
CREATE VIEW fz.target AS
SELECT p.oid, p.proname, p.prokind,
       ARRAY(SELECT format_type(a, NULL) FROM unnest(p.proargtypes) a) AS args,
       a.aggmtransfn <> 0 AS moving
FROM pg_proc p
LEFT JOIN pg_aggregate a ON a.aggfnoid = p.oid
WHERE p.pronamespace = 'kpi'::regnamespace
  AND p.prokind IN ('f', 'a')
  AND p.prorettype <> 'internal'::regtype
  AND NOT 'internal'::regtype = ANY (p.proargtypes::oid[])
  AND p.proretset = false;

-- one statement of the given kind
CREATE FUNCTION fz.statement(kind text, OUT stmt text, OUT payload bytea, OUT typ text, OUT fn oid) LANGUAGE plpgsql AS $$
DECLARE
	f record;
	rows_ int;
	cols text;
	vals text;
BEGIN
	CASE kind
	WHEN 'text' THEN
		typ := fz.pick(ARRAY['kpi.tally', 'kpi.lawmaking']);
		IF random() < 0.4 THEN
			-- syntax kept: 1-3 numbers changed to small ones (the invariants)
			stmt := fz.pooled(typ);
			FOR k IN 0 .. fz.r(3) LOOP
				stmt := regexp_replace(stmt, '[0-9]+', fz.r(12)::text, 1, 3 + fz.r(20));
			END LOOP;
			stmt := format('SELECT %L::%s::text', stmt, typ);
		ELSE
			stmt := format('SELECT %L::%s::text', fz.mutate(fz.pooled(typ)), typ);
		END IF;
	WHEN 'binary' THEN
		typ := fz.pick(ARRAY['tally', 'lawmaking']);
		EXECUTE format('SELECT kpi.%s_send(%L::kpi.%s)', typ, fz.pooled('kpi.' || typ), typ) INTO payload;
		payload := fz.bmutate(payload);
		stmt := format('binary receive of kpi.%s: %s', typ, payload);
	WHEN 'rules' THEN
		stmt := format('SELECT kpi.effective_rules(%L::jsonb)::text', fz.rules());
	WHEN 'call' THEN
		SELECT * INTO f FROM fz.target WHERE prokind = 'f' ORDER BY oid OFFSET fz.r((SELECT count(*)::int FROM fz.target WHERE prokind = 'f')) LIMIT 1;
		fn := f.oid;
		stmt := format('SELECT kpi.%I(%s)::text', f.proname,
		               coalesce((SELECT string_agg(fz.val(a), ', ' ORDER BY n) FROM unnest(f.args) WITH ORDINALITY u(a, n)), ''));
	ELSE	-- aggregate
		SELECT * INTO f FROM fz.target WHERE prokind = 'a' ORDER BY oid OFFSET fz.r((SELECT count(*)::int FROM fz.target WHERE prokind = 'a')) LIMIT 1;
		fn := f.oid;
		rows_ := fz.r(7);
		cols := (SELECT string_agg('c' || n, ', ' ORDER BY n) FROM generate_series(1, array_length(f.args, 1)) n);
		vals := (SELECT string_agg('(' || r || ', ' || (SELECT string_agg(fz.val(a), ', ' ORDER BY n)
		                                                FROM unnest(f.args) WITH ORDINALITY u(a, n)) || ')', ', ')
		         FROM generate_series(1, greatest(rows_, 1)) r);
		IF f.moving AND random() < 0.5 THEN
			stmt := format('SELECT string_agg(w::text, ''|'') FROM (SELECT kpi.%I(%s) OVER (ORDER BY n ROWS BETWEEN %s PRECEDING AND CURRENT ROW) AS w FROM (VALUES %s) v(n, %s)) s',
			               f.proname, cols, fz.r(3), vals, cols);
		ELSE
			stmt := format('SELECT kpi.%I(%s)::text FROM (VALUES %s) v(n, %s)%s', f.proname, cols, vals, cols,
			               CASE WHEN rows_ = 0 THEN ' WHERE false' ELSE '' END);
		END IF;
	END CASE;
END $$;

-- expected: an SQLSTATE the driver accepts (data exceptions, limits, and the
-- check violation of kpi.task_line_check, the function behind a constraint)
CREATE FUNCTION fz.expected(state text) RETURNS boolean LANGUAGE sql IMMUTABLE
AS $$ SELECT left(state, 2) IN ('22', '54') OR state = '23514' $$;

-- CALL fz.batch(seed, batch, size [, echo]): size statements
CREATE PROCEDURE fz.batch(seed int, b int, size int, echo boolean DEFAULT false) LANGUAGE plpgsql AS $$
DECLARE
	kinds text[] := ARRAY['text', 'text', 'text', 'binary', 'rules', 'rules', 'call', 'call', 'call', 'call',
	                      'call', 'aggregate', 'aggregate'];
	kind text;
	s record;
	res text;
	st text;
	msg text;
	f text := '/tmp/kpi_fuzz_' || pg_backend_pid() || '.bin';
	counts jsonb := '{}';
	fns jsonb := '{}';
	back bytea;
BEGIN
	PERFORM setseed(((seed::bigint * 1000003 + b) % 2000000001) / 2000000001.0 * 2 - 1);
	FOR i IN 1 .. size LOOP
		kind := kinds[1 + fz.r(array_length(kinds, 1))];
		s := fz.statement(kind);
		IF echo THEN RAISE NOTICE 'fuzz % %: %', b, i, left(s.stmt, 2000); END IF;
		st := 'ok';
		BEGIN
			IF kind = 'binary' THEN
				EXECUTE format('COPY (SELECT %L::bytea) TO %L (FORMAT binary)', s.payload, f);
				EXECUTE format('TRUNCATE fz.recv_%s', s.typ);
				EXECUTE format('COPY fz.recv_%s FROM %L (FORMAT binary)', s.typ, f);
				EXECUTE format('SELECT kpi.%s_send(v) FROM fz.recv_%s', s.typ, s.typ) INTO back;
				IF back IS DISTINCT FROM s.payload THEN
					st := 'roundtrip';
					msg := format('received, but sent back as %s', back);
				END IF;
			ELSE
				EXECUTE s.stmt INTO res;
				IF kind = 'text' THEN
					EXECUTE format('SELECT %L::%s::text', res, s.typ) INTO msg;
					IF msg IS DISTINCT FROM res THEN
						st := 'roundtrip';
						msg := format('read as %s, which reads back as %s', res, msg);
					END IF;
				END IF;
			END IF;
		EXCEPTION WHEN OTHERS THEN
			GET STACKED DIAGNOSTICS st = RETURNED_SQLSTATE, msg = MESSAGE_TEXT;
		END;
		counts := jsonb_set(counts, ARRAY[kind || ' ' || st], to_jsonb(coalesce((counts ->> (kind || ' ' || st))::bigint, 0) + 1));
		IF s.fn IS NOT NULL THEN
			fns := jsonb_set(fns, ARRAY[s.fn::text], to_jsonb(ARRAY[coalesce((fns -> s.fn::text ->> 0)::bigint, 0) + 1,
			                                                       coalesce((fns -> s.fn::text ->> 1)::bigint, 0) + (st = 'ok')::int]));
		END IF;
		IF st <> 'ok' AND (st = 'roundtrip' OR NOT fz.expected(st)) THEN
			INSERT INTO fz.finding VALUES (b, i, kind, st, msg, left(s.stmt, 4000));
		END IF;
	END LOOP;
	INSERT INTO fz.called SELECT k::oid, (v ->> 0)::bigint, (v ->> 1)::bigint FROM jsonb_each(fns) e(k, v)
	ON CONFLICT (oid) DO UPDATE SET n = fz.called.n + excluded.n, ok = fz.called.ok + excluded.ok;
	INSERT INTO fz.stat SELECT b, split_part(k, ' ', 1), split_part(k, ' ', 2), v::bigint FROM jsonb_each_text(counts) e(k, v);
END $$;

-- The pools: valid tallies and summaries from random lines and documents,
-- the boundaries, and valid bigint[] states from the transition functions.
SELECT setseed(0.5);
INSERT INTO fz.pool
SELECT 'kpi.tally', row_number() OVER (ORDER BY g) - 1, t::text
FROM (SELECT g, kpi.tally_agg(coef, assigned, least(done, round(assigned * 1.3, 2)), least(passed, done, round(assigned * 1.3, 2)), qerr, late) AS t
      FROM (SELECT g % 200 AS g,
                   (ARRAY[1, 1, 0.5, 2, 16, 0, 0.3333, 1.25])[1 + fz.r(8)]::numeric AS coef,
                   round((1 + random() * 19)::numeric, 2) AS assigned,
                   round((random() * 25)::numeric, 2) AS done,
                   round((random() * 25)::numeric, 2) AS passed,
                   (ARRAY[0, 0, 0, 1, 2, 5])[1 + fz.r(6)] AS qerr,
                   (ARRAY[0, 0, 0, 1, 3])[1 + fz.r(5)] AS late
            FROM generate_series(1, 2000) g) l
      GROUP BY g) s;
INSERT INTO fz.pool
SELECT 'kpi.lawmaking', row_number() OVER (ORDER BY g) - 1, s::text
FROM (SELECT g, kpi.lawmaking_agg(due, issued, ret, det, least(res, det), ini, '2026-04-01', '2026-06-30') AS s
      FROM (SELECT g % 100 AS g, d AS due,
                   CASE WHEN random() < 0.2 THEN NULL ELSE d + fz.r(120) - 60 END AS issued,
                   fz.r(3) AS ret, fz.r(4) AS det, fz.r(4) AS res, fz.r(2) AS ini
            FROM generate_series(1, 1500) g, LATERAL (SELECT '2026-01-01'::date + fz.r(300) + g * 0 AS d) x) l
      GROUP BY g) s;
INSERT INTO fz.pool
SELECT 'kpi.lawmaking', 100, '(period_start=0001-01-01,period_end=9999-12-31,due_in_period=9223372036854775807,on_time=9223372036854775807,late_issued=9223372036854775807,backlog=9223372036854775807,issued_in_period=9223372036854775807,first_pass=9223372036854775807,obstacles_detected=9223372036854775807,obstacles_resolved=9223372036854775807,initiatives=9223372036854775807)';
INSERT INTO fz.pool
SELECT 'bigint[]', row_number() OVER (ORDER BY n, k) - 1, v
FROM (SELECT 1 AS k, n, kpi.annual_score_trans(NULL, (n * 7 % 101)::numeric)::text AS v FROM generate_series(1, 20) n
      UNION ALL
      SELECT 2, n, kpi.unit_result_trans(NULL, (n * 13 % 101)::numeric)::text FROM generate_series(1, 20) n
      UNION ALL
      SELECT 3, n, kpi.group_points_trans(NULL, (n % 7)::numeric, 10)::text FROM generate_series(1, 20) n
      UNION ALL
      SELECT 4, n, (SELECT kpi.annual_score_trans(kpi.annual_score_trans(NULL, 80), (n * 3)::numeric))::text FROM generate_series(1, 20) n) s
WHERE v IS NOT NULL;
