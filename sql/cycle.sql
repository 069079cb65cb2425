--
-- The 2026 cycle in the reference schema (issue 13, rules.md section 8):
-- discipline forms after Decree 172/2025/ND-CP (CS14), multi-unit task lines
-- (CS6/CS7), quarterly forms (CY2) and the year's tier from period tiers
-- (CY3).  Every expected value is worked by hand in the comments.
--
CREATE EXTENSION kpi_eval_reference;
\set SHOW_CONTEXT never
SET datestyle = 'ISO, YMD';
\i sql/include/err.sql

------------------------------------------------------------------------------
-- Discipline forms after Decree 172/2025/ND-CP (in force 2025-07-01)
------------------------------------------------------------------------------

-- the removed forms (ha_bac_luong, giang_chuc) are valid before the day, not
-- from it; the other four always; a rule set may move the day
SELECT f, d, kpi.discipline_form_valid(f, d) AS by_default,
       kpi.discipline_form_valid(f, d, '{"discipline_reform_date": "2026-01-01"}') AS from_2026
FROM unnest(enum_range(NULL::kpi.discipline_form)) AS f
CROSS JOIN unnest('{2025-06-30,2025-07-01,2025-12-31}'::date[]) AS d
ORDER BY f, d;
-- NULL in, NULL out (STRICT): a CHECK constraint passes a record of unknown form
SELECT kpi.discipline_form_valid(NULL, '2026-01-01') IS NULL AS no_form,
       kpi.discipline_form_valid('giang_chuc', NULL) IS NULL AS no_date;
SELECT kpi.effective_rules('{}') -> 'discipline_reform_date' AS default_day;
SELECT * FROM pg_temp.err($$SELECT kpi.discipline_form_valid('giang_chuc', '2026-01-01', '{"discipline_reform_date": "2025-02-30"}')$$);
SELECT * FROM pg_temp.err($$SELECT kpi.discipline_form_valid('giang_chuc', '2026-01-01', '{"discipline_reform_date": "1.7.2025"}')$$);
SELECT * FROM pg_temp.err($$SELECT kpi.discipline_form_valid('giang_chuc', '2026-01-01', '{"discipline_reform_date": 20250701}')$$);

INSERT INTO kpi.unit (unit_id, parent_id, name, agency_kind) VALUES
	(1, NULL, 'Sở Nội vụ', 'province');
INSERT INTO kpi.official (official_id, unit_id, full_name, is_leader, leads_unit, task_group) VALUES
	(1, 1, 'Nguyễn Văn An', true, 1, 'lanh_dao'),
	(2, 1, 'Trần Thị Bình', false, NULL, 'chuyen_vien');

-- the table: an old demotion stays readable, a new one is refused (23514),
-- the forms of the decree are accepted on any date
INSERT INTO kpi.disciplinary_record (official_id, decided_on, kind, form, duty_related) VALUES
	(2, '2025-06-20', 'discipline', 'giang_chuc', true),
	(2, '2026-03-02', 'discipline', 'khien_trach', true),
	(1, '2026-04-10', 'discipline', 'cach_chuc', false);
SELECT * FROM pg_temp.err($$INSERT INTO kpi.disciplinary_record (official_id, decided_on, kind, form, duty_related)
                           VALUES (2, '2025-07-01', 'discipline', 'ha_bac_luong', true)$$);
SELECT * FROM pg_temp.err($$UPDATE kpi.disciplinary_record SET decided_on = '2025-08-01' WHERE form = 'giang_chuc'$$);
SELECT official_id, decided_on, form FROM kpi.disciplinary_record ORDER BY record_id;
DELETE FROM kpi.disciplinary_record;
-- the loader names such a row among the staged problems, before loading
INSERT INTO kpi.stage_disciplinary_record (official_id, unit_id, decided_on, kind, form, duty_related) VALUES
	('2', '', '20/06/2025', 'discipline', 'giang_chuc', 'có'),
	('2', '', '01/07/2025', 'discipline', 'ha_bac_luong', 'có'),
	('2', '', '01/07/2025', 'discipline', '', '');
SELECT * FROM kpi.stage_problems('DD/MM/YYYY');
CALL kpi.stage_clear();

------------------------------------------------------------------------------
-- Multi-unit task lines (CS6/CS7): a line's errors are spread over its units
------------------------------------------------------------------------------

-- issue 13's example: 5 units, all completed and passed, 8 failed reviews all
-- on one unit.  Single-unit form (5 lines): 4 lines of credit 1 and one of
-- max(0, 1 - 0.25 x 8) = 0, quality credit 4, b = 100 x 4 / 5 = 80.
-- Quantity form (1 line of 5): max(0, 5 - 0.25 x 8) = 3, b = 60: the 2 units
-- of deduction are taken over the line, as if spread (1.6 per unit, each unit
-- losing 0.4); the clamp at 0 binds per line, not per unit.  The same for
-- late events: 8 late events on one unit, progress credit 4 against 3.
SELECT form, (c).quality_credit, kpi.quality_pct(t) AS b, (c).progress_credit, kpi.progress_pct(t) AS c
FROM (SELECT 'single-unit lines' AS form, kpi.tally_agg(1, 1, 1, 1, e, e) AS t
      FROM unnest('{8,0,0,0,0}'::int[]) AS e
      UNION ALL
      SELECT 'one line of 5 units', kpi.tally_agg(1, 5, 5, 5, 8, 8)) AS x
CROSS JOIN LATERAL (SELECT kpi.tally_components(x.t) AS c) AS y
ORDER BY form DESC;
-- the two forms agree while no single unit takes more than 4 failed reviews
-- (its credit never reaches the clamp): 8 reviews as 2 per unit on 4 units
-- is 4 x (1 - 0.5) + 1 = 3 both ways
SELECT (SELECT (kpi.tally_components(kpi.tally_agg(1, 1, 1, 1, e, 0))).quality_credit
        FROM unnest('{2,2,2,2,0}'::int[]) AS e) AS single_unit,
       (SELECT (kpi.tally_components(kpi.tally_agg(1, 5, 5, 5, 8, 0))).quality_credit) AS one_line;

------------------------------------------------------------------------------
-- Quarterly forms (CY2): "forms_period": "quarter"
------------------------------------------------------------------------------

-- the first quarter of 2026 under a set with quarterly forms; the second
-- under the seeded set, with one form a month.  The same officials, marks and
-- task lines month by month (January as April, February as May, March as June)
INSERT INTO kpi.rule_set (name, effective, rules)
VALUES ('Phiếu theo quý 2026', '[2026-01-01,2026-04-01)', '{"forms_period": "quarter"}');
INSERT INTO kpi.task_line (official_id, title, due, done, completed_qty, passed_qty, late_events)
SELECT 1, 'Chỉ đạo ' || i, make_date(2026, m, 20), make_date(2026, m, 19), 1, 1, 0
FROM generate_series(1, 6) m, generate_series(1, 2) i
UNION ALL	-- 2: 4 lines, one late once (months 1 and 4)
SELECT 2, 'Văn bản ' || i, make_date(2026, m, 20), make_date(2026, m, CASE WHEN i = 1 THEN 22 ELSE 19 END), 1, 1, (i = 1)::int
FROM unnest('{1,4}'::int[]) m, generate_series(1, 4) i
UNION ALL	-- 2: 2 lines, one not done (months 2 and 5)
SELECT 2, 'Văn bản ' || i, make_date(2026, m, 20), CASE WHEN i = 1 THEN make_date(2026, m, 19) END, (i = 1)::int, (i = 1)::int, 0
FROM unnest('{2,5}'::int[]) m, generate_series(1, 2) i
UNION ALL	-- 2: 5 lines, all on time and passed (months 3 and 6)
SELECT 2, 'Văn bản ' || i, make_date(2026, m, 20), make_date(2026, m, 19), 1, 1, 0
FROM unnest('{3,6}'::int[]) m, generate_series(1, 5) i;
-- one form and one d/dd/e for the quarter, dated on its first day; then one a month
INSERT INTO kpi.general_mark VALUES
	(1, '2026-01-01', '{5,5,2.5,2.5,2.5,2.5,2.5,2.5,2.5,2.5}'),
	(2, '2026-01-01', '{5,5,2.5,2.5,2.5,2.5,2.5,2.5,2.5,1.5}');
INSERT INTO kpi.leader_criteria VALUES (1, '2026-01-01', 50, NULL);
INSERT INTO kpi.general_mark
SELECT o, make_date(2026, m, 1), CASE o WHEN 1 THEN '{5,5,2.5,2.5,2.5,2.5,2.5,2.5,2.5,2.5}'::numeric[]
                                        ELSE '{5,5,2.5,2.5,2.5,2.5,2.5,2.5,2.5,1.5}'::numeric[] END
FROM generate_series(1, 2) o, generate_series(4, 6) m;
INSERT INTO kpi.leader_criteria SELECT 1, make_date(2026, m, 1), 50, NULL FROM generate_series(4, 6) m;

-- February and March have no form of their own: under the quarterly set the
-- data-quality checks find the quarter's (no DQ-DU-01 error, no DQ-SONG-03)
SELECT m, count(*) FILTER (WHERE c.severity = 'error') AS errors,
       string_agg(DISTINCT c.check_id, ', ') AS checks
FROM generate_series(2, 3) m
LEFT JOIN LATERAL kpi.check_inputs(make_date(2026, m, 1), 'month') c ON true
GROUP BY m ORDER BY m;
-- under the seeded set the same month would miss its form (DQ-DU-01, an error)
UPDATE kpi.rule_set SET effective = '[2026-01-01,2026-02-01)' WHERE name = 'Phiếu theo quý 2026';
SELECT check_id, severity, official_id FROM kpi.check_inputs('2026-02-01', 'month') WHERE severity = 'error' ORDER BY official_id;
UPDATE kpi.rule_set SET effective = '[2026-01-01,2026-04-01)' WHERE name = 'Phiếu theo quý 2026';

CALL kpi.evaluate('2026-01-01', 'month');
CALL kpi.evaluate('2026-02-01', 'month');
CALL kpi.evaluate('2026-03-01', 'month');
CALL kpi.evaluate('2026-04-01', 'month');
CALL kpi.evaluate('2026-05-01', 'month');
CALL kpi.evaluate('2026-06-01', 'month');

-- worked by hand.  1 (leader): G 30; 2 lines on time and passed, a = b = c =
-- 100, d 100, dd 50 (the quarter's criteria in January to March), e 100:
-- KQ = 550 / 6, T = 0.70 x KQ = 64.1667, score 94.17 (xuat_sac) every month.
-- 2: G = 29.  Month 1: a = b = 100, c = (3 + 0.75) / 4 = 93.75, KQ = 97.9167,
-- T = 68.5417, 97.54.  Month 2: a = b = c = 50, T = 35, 64 (hoan_thanh).
-- Month 3: T = 70, 99.  The quarterly months equal the monthly ones.
SELECT q.official_id, q.period_start, q.general_points, q.dd, q.score, q.tier,
       m.period_start AS monthly_form_month, m.score AS monthly_form_score,
       (q.general_points, q.task_points, q.d, q.dd, q.e, q.score, q.tier)
         IS NOT DISTINCT FROM (m.general_points, m.task_points, m.d, m.dd, m.e, m.score, m.tier) AS same
FROM kpi.current_official_result q
JOIN kpi.current_official_result m
  ON m.official_id = q.official_id AND m.period_kind = 'month' AND m.period_start = (q.period_start + interval '3 months')::date
WHERE q.period_kind = 'month' AND q.period_start < '2026-04-01'
ORDER BY q.official_id, q.period_start;

-- Per agency (kpi.unit_forms_period): the nearest ancestor-or-self row in
-- force on the period's last day wins over the rule value
SELECT d, k, fp, kpi.forms_date(d, k, fp) AS forms
FROM unnest('{2026-02-01,2026-05-31}'::date[]) d,
     unnest('{month,quarter}'::text[]) k, unnest(ARRAY['quarter', 'period', NULL]) fp
ORDER BY d, k, fp NULLS LAST;
SELECT * FROM kpi.unit_forms('2026-02-01', 'month', (SELECT rules FROM kpi.rule_set WHERE name = 'Phiếu theo quý 2026'));
-- the Sở's own row says monthly for the first quarter: February then needs
-- February's forms, which it does not have (DQ-DU-01 for both officials)
INSERT INTO kpi.unit_forms_period (unit_id, effective, forms_period, decision)
VALUES (1, '[2026-01-01,2026-04-01)', 'period', 'Công văn 12/SNV');
SELECT * FROM kpi.unit_forms('2026-02-01', 'month', (SELECT rules FROM kpi.rule_set WHERE name = 'Phiếu theo quý 2026'));
SELECT check_id, severity, official_id FROM kpi.check_inputs('2026-02-01', 'month') WHERE severity = 'error' ORDER BY official_id;
-- the dates of the forms some unit reads (kpi.forms_dates): the Sở reads
-- February's by its own row, a unit below it the quarter's by its own, so two
-- dates whatever the rule value says; a quarter reads its own
INSERT INTO kpi.unit (unit_id, parent_id, name) VALUES (2, 1, 'Phòng Tổ chức');
INSERT INTO kpi.unit_forms_period VALUES (2, '[2026-01-01,2026-04-01)', 'quarter');
SELECT kpi.forms_dates('2026-02-01', 'month', '{}') AS february,
       kpi.forms_dates('2026-02-01', 'month', '{"forms_period": "quarter"}') AS february_rule_quarter,
       kpi.forms_dates('2026-04-01', 'quarter', '{}') AS a_quarter;
DELETE FROM kpi.unit_forms_period WHERE unit_id = 2;
DELETE FROM kpi.unit WHERE unit_id = 2;
-- refused where it enters: a range that does not fall between quarters, an
-- overlap, an unknown value, an unknown unit
SELECT * FROM pg_temp.err($$INSERT INTO kpi.unit_forms_period VALUES (1, '[2026-04-01,2026-05-01)', 'quarter')$$);
SELECT * FROM pg_temp.err($$INSERT INTO kpi.unit_forms_period VALUES (1, '[2026-02-01,)', 'quarter')$$);
SELECT * FROM pg_temp.err($$INSERT INTO kpi.unit_forms_period VALUES (1, '[2026-03-01,2026-03-01)', 'quarter')$$);
SELECT * FROM pg_temp.err($$INSERT INTO kpi.unit_forms_period VALUES (1, '[2026-01-01,2026-07-01)', 'quarter')$$);
SELECT * FROM pg_temp.err($$INSERT INTO kpi.unit_forms_period VALUES (1, '[2026-04-01,)', 'month')$$);
SELECT * FROM pg_temp.err($$INSERT INTO kpi.unit_forms_period VALUES (99, '[2026-04-01,)', 'quarter')$$);
DELETE FROM kpi.unit_forms_period;

------------------------------------------------------------------------------
-- The year from its quarter tiers (CY3): "annual_method": "tiers"
------------------------------------------------------------------------------

-- 2027 rated by quarters under a set with annual_method "tiers" and the
-- default annual_tier_table (letter 21169)
INSERT INTO kpi.rule_set (name, effective, rules)
VALUES ('Năm theo xếp loại quý 2027', '[2027-01-01,2028-01-01)', '{"annual_method": "tiers"}');
-- 1 (leader): 2 lines on time each quarter; 2: 5 good lines in Q1, 4 with one
-- late in Q2, 4 with one not done in Q3, 2 with one not done in Q4;
-- 3: 2 good lines each quarter and a duty-related warning in 2027
INSERT INTO kpi.official (official_id, unit_id, full_name, is_leader, leads_unit, task_group) VALUES
	(3, 1, 'Lê Văn Cường', false, NULL, 'chuyen_vien');
INSERT INTO kpi.task_line (official_id, title, due, done, completed_qty, passed_qty, late_events)
SELECT o, 'Quý ' || q || ' việc ' || i, make_date(2027, 3 * q - 1, 15), make_date(2027, 3 * q - 1, 14), 1, 1, 0
FROM generate_series(1, 4) q, unnest('{1,3}'::int[]) o, generate_series(1, 2) i
UNION ALL
SELECT 2, 'Quý 1 văn bản ' || i, '2027-02-15', '2027-02-14', 1, 1, 0 FROM generate_series(1, 5) i
UNION ALL
SELECT 2, 'Quý 2 văn bản ' || i, '2027-05-15', CASE WHEN i = 1 THEN date '2027-05-18' ELSE date '2027-05-14' END, 1, 1, (i = 1)::int
FROM generate_series(1, 4) i
UNION ALL
SELECT 2, 'Quý 3 văn bản ' || i, '2027-08-15', CASE WHEN i > 1 THEN date '2027-08-14' END, (i > 1)::int, (i > 1)::int, 0
FROM generate_series(1, 4) i
UNION ALL
SELECT 2, 'Quý 4 văn bản ' || i, '2027-11-15', CASE WHEN i = 1 THEN date '2027-11-14' END, (i = 1)::int, (i = 1)::int, 0
FROM generate_series(1, 2) i;
INSERT INTO kpi.general_mark
SELECT o, make_date(2027, 3 * q - 2, 1), CASE o WHEN 2 THEN '{5,5,2.5,2.5,2.5,2.5,2.5,2.5,2.5,1.5}'::numeric[]
                                               ELSE '{5,5,2.5,2.5,2.5,2.5,2.5,2.5,2.5,2.5}'::numeric[] END
FROM generate_series(1, 3) o, generate_series(1, 4) q;
INSERT INTO kpi.disciplinary_record (official_id, decided_on, kind, form, duty_related)
VALUES (3, '2027-09-01', 'discipline', 'canh_cao', true);
-- (rows written now, before 2027, draw DQ-SONG-03 warnings whose count
-- depends on the day the test runs: the runs' notices are not shown)
SET client_min_messages = warning;
CALL kpi.evaluate('2027-01-01', 'quarter');
CALL kpi.evaluate('2027-04-01', 'quarter');
CALL kpi.evaluate('2027-07-01', 'quarter');
CALL kpi.evaluate('2027-10-01', 'quarter');
CALL kpi.evaluate('2027-01-01', 'year');
RESET client_min_messages;

-- worked by hand.  2: G 29; Q1 T 70, 99 (xuat_sac); Q2 c = 93.75, 97.54
-- (xuat_sac); Q3 a = b = c = 75, T 52.5, 81.5 (tot); Q4 a = b = c = 50, 64
-- (hoan_thanh).  Mean 342.04 / 4 = 85.51: tot by the mean (CS12), xuat_sac by
-- the table (2 quarters excellent, none not complete).  1 and 3: 100 every
-- quarter, xuat_sac; 3 is disqualified by the warning (CS14): khong_hoan_thanh.
-- The quota then applies to the tier (CS15): 1 alone in lanh_dao and 2 alone
-- excellent beside no one good in chuyen_vien keep floor(0.2 x 1 / 1.2) = 0.
SELECT r.official_id, string_agg(p.tier::text, ', ' ORDER BY p.period_start) AS quarter_tiers,
       r.score, r.tier, r.disqualified, r.quota_tier,
       (SELECT m.tier FROM kpi.score_period('2027-01-01', 'year', '{"annual_method": "mean"}') m
        WHERE m.official_id = r.official_id) AS tier_by_mean
FROM kpi.current_official_result r
JOIN kpi.current_official_result p ON p.official_id = r.official_id AND p.period_kind = 'quarter'
WHERE r.period_kind = 'year'
GROUP BY r.official_id, r.score, r.tier, r.disqualified, r.quota_tier
ORDER BY r.official_id;
SELECT * FROM pg_temp.err($$SELECT kpi.effective_rules('{"annual_method": "median"}')$$);
SELECT * FROM pg_temp.err($$SELECT kpi.effective_rules('{"forms_period": "month"}')$$);

SET kpi_eval.allow_drop_with_data = on;
SET client_min_messages = error;	-- the warning counts every table's rows (drop_guard.sql pins it)
DROP EXTENSION kpi_eval_reference;
RESET client_min_messages;
