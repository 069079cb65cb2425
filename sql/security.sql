--
-- Trustworthy records (issue 11, doc/security.md): the attacks of points 2, 3
-- and 6 as regression tests, and the seals of point 5.
--   2. a unit's role writes officials whose leads_unit or quota_group lie
--      outside its subtree: refused (42501);
--   3. a forged supersession: refused (23514), even with INSERT granted; one
--      already present (written past the triggers) is found by kpi.verify_run
--      and removed by kpi.repair_supersession, which logs it;
--   5. changes made past the append-only triggers (session_replication_role =
--      replica) are reported by kpi.verify_run;
--   6. what each role reads: CS15 rows of a quota group only when it sees the
--      whole group; runs, supersessions and seals for everyone; rule sets but
--      not drafts; and no role under row-level security writes any of them.
CREATE EXTENSION kpi_eval_reference;
\set SHOW_CONTEXT never
\i sql/include/err.sql
SET datestyle = 'ISO, YMD';
-- pg_temp.within_as(role, group): kpi.quota_group_within(group) as role
CREATE FUNCTION pg_temp.within_as(who text, grp text) RETURNS boolean
LANGUAGE plpgsql AS $$
DECLARE
	v boolean;
BEGIN
	EXECUTE format('SET LOCAL ROLE %I', who);
	v := kpi.quota_group_within(grp);
	RESET ROLE;
	RETURN v;
END $$;
SET client_min_messages = warning;

-- unit 1 (root) with its child unit 2; unit 3, another root
CREATE ROLE regress_kpi_unit1 NOLOGIN;
CREATE ROLE regress_kpi_unit2 NOLOGIN;
CREATE ROLE regress_kpi_unit3 NOLOGIN;
GRANT USAGE ON SCHEMA kpi TO regress_kpi_unit1, regress_kpi_unit2, regress_kpi_unit3;
GRANT SELECT ON ALL TABLES IN SCHEMA kpi TO regress_kpi_unit1, regress_kpi_unit2, regress_kpi_unit3;
-- the README's input grants, and more than any reporting role should have
GRANT INSERT, UPDATE ON kpi.official TO regress_kpi_unit1, regress_kpi_unit2;
GRANT INSERT ON kpi.evaluation_run, kpi.run_supersession, kpi.run_seal, kpi.rule_set TO regress_kpi_unit2;
INSERT INTO kpi.unit (unit_id, parent_id, name, reporting_role) VALUES
	(1, NULL, 'Sở Tư pháp', 'regress_kpi_unit1'),
	(2, 1, 'Phòng Hành chính tư pháp', 'regress_kpi_unit2'),
	(3, NULL, 'Sở Nội vụ', 'regress_kpi_unit3');
-- the heads of units 1 and 2 share a named quota group
INSERT INTO kpi.official (official_id, unit_id, full_name, is_leader, leads_unit, task_group, quota_group) VALUES
	(1, 1, 'Nguyễn Văn An', true, 1, 'lanh_dao', NULL),
	(2, 1, 'Trần Thị Bình', false, NULL, 'chuyen_vien', 'Trưởng phòng'),
	(3, 2, 'Lê Văn Cường', false, NULL, 'chuyen_vien', 'Trưởng phòng'),
	(4, 2, 'Phạm Thị Dung', false, NULL, 'chuyen_vien', NULL),
	(5, 3, 'Đỗ Thị Giang', false, NULL, 'chuyen_vien', NULL),
	(6, 3, 'Vũ Văn Hải', false, NULL, 'chuyen_vien', NULL);

------------------------------------------------------------------------------
-- 2. Cross-unit writes
------------------------------------------------------------------------------

SET ROLE regress_kpi_unit2;
-- leads_unit: the parent unit (the attack of issue 11), another root; its own unit is fine
SELECT * FROM pg_temp.err($$INSERT INTO kpi.official (official_id, unit_id, full_name, is_leader, leads_unit)
                           VALUES (20, 2, 'Lãnh đạo giả', true, 1)$$);
SELECT * FROM pg_temp.err($$INSERT INTO kpi.official (official_id, unit_id, full_name, is_leader, leads_unit)
                           VALUES (20, 2, 'Lãnh đạo giả', true, 3)$$);
SELECT * FROM pg_temp.err($$INSERT INTO kpi.official (official_id, unit_id, full_name, is_leader, leads_unit)
                           VALUES (20, 2, 'Trưởng phòng mới', true, 2)$$);
SELECT * FROM pg_temp.err($$UPDATE kpi.official SET leads_unit = 1 WHERE official_id = 20$$);
-- quota_group: a group with a member in unit 1 is refused; a group of its own is fine
SELECT * FROM pg_temp.err($$INSERT INTO kpi.official (official_id, unit_id, full_name, quota_group)
                           VALUES (21, 2, 'Chuyên viên', 'Trưởng phòng')$$);
SELECT * FROM pg_temp.err($$UPDATE kpi.official SET quota_group = 'Trưởng phòng' WHERE official_id = 4$$);
SELECT * FROM pg_temp.err($$INSERT INTO kpi.official (official_id, unit_id, full_name, quota_group)
                           VALUES (21, 2, 'Chuyên viên', 'Nhóm của phòng')$$);
-- and unit_id itself, as before
SELECT * FROM pg_temp.err($$UPDATE kpi.official SET unit_id = 1 WHERE official_id = 4$$);
SELECT * FROM pg_temp.err($$INSERT INTO kpi.official (official_id, unit_id, full_name) VALUES (22, 3, 'Người ngoài')$$);
-- every other input table: each column naming a unit or an official outside the subtree
RESET ROLE;
GRANT INSERT ON kpi.task_line, kpi.general_mark, kpi.leader_criteria, kpi.disciplinary_record,
	kpi.quota_approval, kpi.index_value, kpi.agency_input, kpi.lawmaking_document, kpi.lawmaking_impact
	TO regress_kpi_unit2;
SET ROLE regress_kpi_unit2;
SELECT t.what, e.code, e.message LIKE 'new row violates row-level security policy%' AS by_policy
FROM (VALUES
	('task line of an official of unit 1', $$INSERT INTO kpi.task_line (official_id, due) VALUES (2, '2026-01-20')$$),
	('task line of unit 1''s work plan', $$INSERT INTO kpi.task_line (unit_id, due) VALUES (1, '2026-01-20')$$),
	('marks of an official of unit 1', $$INSERT INTO kpi.general_mark VALUES (2, '2026-01-01', '{5,5,2.5,2.5,2.5,2.5,2.5,2.5,2.5,2.5}')$$),
	('criteria of unit 1''s leader', $$INSERT INTO kpi.leader_criteria VALUES (1, '2026-01-01', 50, 50)$$),
	('discipline of an official of unit 1', $$INSERT INTO kpi.disciplinary_record (official_id, decided_on, kind) VALUES (2, '2026-02-01', 'discipline')$$),
	('corruption case of unit 1', $$INSERT INTO kpi.disciplinary_record (unit_id, decided_on, kind) VALUES (1, '2026-02-01', 'unit_corruption')$$),
	('quota rate of unit 1', $$INSERT INTO kpi.quota_approval (year, unit_id, rate) VALUES (2026, 1, 0.5)$$),
	('quota rate of a named group', $$INSERT INTO kpi.quota_approval (year, quota_group, rate) VALUES (2026, 'Nhóm của phòng', 0.5)$$),
	('index value of unit 1', $$INSERT INTO kpi.index_value VALUES (1, 2026, 'par', 90)$$),
	('agency input of unit 1', $$INSERT INTO kpi.agency_input (unit_id, year, marks) VALUES (1, 2026, '{7,7,7,7}')$$),
	('law-making document of unit 1', $$INSERT INTO kpi.lawmaking_document (unit_id, role) VALUES (1, 'drafting')$$),
	('law-making impact mark of unit 1', $$INSERT INTO kpi.lawmaking_impact VALUES (1, 'drafting', '2026-01-01', '2026-12-31', 10)$$)
) AS t(what, q) CROSS JOIN LATERAL pg_temp.err(t.q) e;

-- quota approvals (issue 11): a unit's role approved its own unit's quota
-- rate.  The competent authority is the role of the unit above: a role writes
-- approvals only for units whose parent it reports on; it reads those of its
-- subtree.  (Year 2025: the runs below are of 2026.)
RESET ROLE;
GRANT INSERT, UPDATE, DELETE ON kpi.quota_approval TO regress_kpi_unit1, regress_kpi_unit2, regress_kpi_unit3;
SELECT r.who, t.what, e.code, e.message LIKE 'new row violates row-level security policy%' AS by_policy
FROM (VALUES
	('regress_kpi_unit2', 'its own unit 2', $$INSERT INTO kpi.quota_approval (year, unit_id, rate) VALUES (2025, 2, 0.5)$$),
	('regress_kpi_unit2', 'its own unit 2, one task group', $$INSERT INTO kpi.quota_approval (year, unit_id, task_group, rate) VALUES (2025, 2, 'chuyen_vien', 0.5)$$),
	('regress_kpi_unit3', 'its own root unit 3', $$INSERT INTO kpi.quota_approval (year, unit_id, rate) VALUES (2025, 3, 0.5)$$),
	('regress_kpi_unit1', 'its own root unit 1', $$INSERT INTO kpi.quota_approval (year, unit_id, rate) VALUES (2025, 1, 0.5)$$),
	('regress_kpi_unit3', 'unit 2, not below it', $$INSERT INTO kpi.quota_approval (year, unit_id, rate) VALUES (2025, 2, 0.5)$$),
	('regress_kpi_unit1', 'unit 2, its child', $$INSERT INTO kpi.quota_approval (year, unit_id, rate, decision) VALUES (2025, 2, 0.3, 'QĐ 12/QĐ-STP')$$)
) AS t(who, what, q)
CROSS JOIN LATERAL (SELECT t.who) r
CROSS JOIN LATERAL pg_temp.err(format('SET LOCAL ROLE %I; %s', t.who, t.q)) e;
-- unit 2's role reads its approval but can neither raise it nor remove it
SET ROLE regress_kpi_unit2;
SELECT year, unit_id, rate, decision FROM kpi.quota_approval;
UPDATE kpi.quota_approval SET rate = 0.9 WHERE unit_id = 2;
DELETE FROM kpi.quota_approval WHERE unit_id = 2;
-- unit 1's role changes it, may not move it to its own unit, and removes it
SET ROLE regress_kpi_unit1;
UPDATE kpi.quota_approval SET rate = 0.35 WHERE unit_id = 2;
SELECT * FROM pg_temp.err($$UPDATE kpi.quota_approval SET unit_id = 1 WHERE unit_id = 2$$);
RESET ROLE;
SELECT year, unit_id, rate, decision FROM kpi.quota_approval;
SET ROLE regress_kpi_unit1;
DELETE FROM kpi.quota_approval WHERE unit_id = 2;
RESET ROLE;
SELECT count(*) AS approvals_left FROM kpi.quota_approval;

-- kpi.quota_group_within (issue 11): it took the units to ask about, so any
-- role learnt which units a group's members are in.  It answers only for the
-- caller's own subtree now; no overload takes units.  'Trưởng phòng' has
-- members in units 1 and 2.
SELECT count(*) AS overloads_taking_units FROM pg_proc
WHERE proname = 'quota_group_within' AND pronamespace = 'kpi'::regnamespace AND pronargs <> 1;
SELECT * FROM pg_temp.err($$SELECT kpi.quota_group_within('Trưởng phòng', '{1}'::bigint[])$$);
SELECT r.who, kpi_within.within AS truong_phong, kpi_new.within AS new_group
FROM (VALUES ('regress_kpi_unit1'), ('regress_kpi_unit2'), ('regress_kpi_unit3')) r(who)
CROSS JOIN LATERAL pg_temp.within_as(r.who, 'Trưởng phòng') kpi_within(within)
CROSS JOIN LATERAL pg_temp.within_as(r.who, 'Nhóm chưa có ai') kpi_new(within);
SELECT kpi.quota_group_within('Trưởng phòng') AS as_superuser;
SET ROLE regress_kpi_unit2;
-- unit 1's role sees the whole group (units 1 and 2): it may add to it
SET ROLE regress_kpi_unit1;
SELECT * FROM pg_temp.err($$INSERT INTO kpi.official (official_id, unit_id, full_name, quota_group)
                           VALUES (23, 2, 'Phó trưởng phòng', 'Trưởng phòng')$$);
SELECT * FROM pg_temp.err($$UPDATE kpi.official SET leads_unit = 2 WHERE official_id = 20$$);
RESET ROLE;
SELECT official_id, unit_id, leads_unit, quota_group FROM kpi.official WHERE official_id >= 20 ORDER BY 1;

------------------------------------------------------------------------------
-- Runs: January, February, March and the year
------------------------------------------------------------------------------

INSERT INTO kpi.task_line (official_id, title, due, done, completed_qty, passed_qty)
SELECT o.official_id, 'Nhiệm vụ ' || m, make_date(2026, m, 20),
       make_date(2026, m, CASE WHEN o.official_id = 6 THEN 25 ELSE 19 END), 1, 1
FROM kpi.official o, generate_series(1, 3) m;
INSERT INTO kpi.general_mark
SELECT o.official_id, make_date(2026, m, 1), '{5,5,2.5,2.5,2.5,2.5,2.5,2.5,2.5,2.5}'
FROM kpi.official o, generate_series(1, 3) m;
CALL kpi.evaluate('2026-01-01', 'month');
CALL kpi.evaluate('2026-02-01', 'month');
CALL kpi.evaluate('2026-03-01', 'month');
CALL kpi.evaluate('2026-01-01', 'year');
SELECT run_id, period_start, period_kind, supersedes FROM kpi.evaluation_run ORDER BY run_id;
-- every run is sealed, in order, and verifies
SELECT run_id, seal_no, chain_prev, length(results_digest) AS len, sealed_on_upgrade FROM kpi.run_seal ORDER BY seal_no;
SELECT v.* FROM kpi.evaluation_run r CROSS JOIN LATERAL kpi.verify_run(r.run_id) v ORDER BY v.run_id;

------------------------------------------------------------------------------
-- 6. What each role reads
------------------------------------------------------------------------------

-- the CS15 rows of the year: the named group 'Trưởng phòng' (units 1 and 2)
-- and the unit-and-task-group quotas
SELECT official_id, unit_id, detail ->> 'quota_group' AS quota_group, detail ->> 'candidates' AS candidates
FROM kpi.ledger WHERE rule_id = 'CS15' ORDER BY official_id;
-- unit 2's role: its own officials' CS15 rows only when their group is within
-- its subtree (4, 21 yes; 3 and 23, in 'Trưởng phòng', no); unit 1's: all of
-- units 1 and 2; unit 3's: its own
SET ROLE regress_kpi_unit2;
SELECT official_id, detail ->> 'quota_group' AS quota_group FROM kpi.ledger WHERE rule_id = 'CS15' ORDER BY 1;
SELECT official_id, quota_group, quota_tier FROM kpi.current_official_result WHERE period_kind = 'year' ORDER BY 1;
SELECT line_no, rule_id FROM kpi.explain(3, '2026-01-01', 'en', 'year');
SET ROLE regress_kpi_unit1;
SELECT official_id, detail ->> 'quota_group' AS quota_group FROM kpi.ledger WHERE rule_id = 'CS15' ORDER BY 1;
SET ROLE regress_kpi_unit3;
SELECT official_id, detail ->> 'quota_group' AS quota_group FROM kpi.ledger WHERE rule_id = 'CS15' ORDER BY 1;
-- runs, supersessions and seals: every role with SELECT reads them all
SELECT (SELECT count(*) FROM kpi.evaluation_run) AS runs, (SELECT count(*) FROM kpi.run_seal) AS seals,
       (SELECT count(*) FROM kpi.visible_quota_group) AS whole_groups;
RESET ROLE;
-- the input problems recorded with the runs (kpi.input_problem): the owner
-- sees every unit's; a unit's role those of its subtree, and none of the
-- problems that name no unit
SELECT unit_id, count(*) AS problems FROM kpi.input_problem GROUP BY 1 ORDER BY 1;
SET ROLE regress_kpi_unit1;
SELECT unit_id, count(*) AS problems FROM kpi.input_problem GROUP BY 1 ORDER BY 1;
SET ROLE regress_kpi_unit2;
SELECT unit_id, count(*) AS problems FROM kpi.input_problem GROUP BY 1 ORDER BY 1;
SET ROLE regress_kpi_unit3;
SELECT unit_id, count(*) AS problems FROM kpi.input_problem GROUP BY 1 ORDER BY 1;
RESET ROLE;
-- rule sets: the ones in force, not the drafts
INSERT INTO kpi.rule_set (name, effective, rules, is_draft) VALUES ('Dự thảo', '[2026-01-01,)', '{"quota_rate": 0.3}', true);
SET ROLE regress_kpi_unit2;
SELECT name, is_draft FROM kpi.rule_set ORDER BY rule_set_id;
-- and no role under row-level security writes runs, supersessions, seals or rule sets, whatever its grants
SELECT * FROM pg_temp.err($$INSERT INTO kpi.evaluation_run (period_start, period_end, period_kind, rule_set_id)
                           VALUES ('2026-04-01', '2026-04-30', 'month', 1)$$);
SELECT * FROM pg_temp.err($$INSERT INTO kpi.run_supersession (run_id, superseded_by) VALUES (2, 3)$$);
SELECT * FROM pg_temp.err($$INSERT INTO kpi.run_seal (run_id, results_digest, chain_digest) VALUES (1, 'x', 'y')$$);
SELECT * FROM pg_temp.err($$INSERT INTO kpi.rule_set (name, effective) VALUES ('Của phòng', '[2030-01-01,)')$$);
-- nor verifies, repairs or evaluates
SELECT * FROM pg_temp.err($$SELECT * FROM kpi.verify_run(1)$$);
SELECT * FROM pg_temp.err($$SELECT kpi.repair_supersession(2, 'x')$$);
RESET ROLE;

------------------------------------------------------------------------------
-- 3. Forged supersessions
------------------------------------------------------------------------------

-- February's run "superseded by" March's, and runs that supersede across periods: refused
SELECT * FROM pg_temp.err($$INSERT INTO kpi.run_supersession (run_id, superseded_by) VALUES (2, 3)$$);
SELECT * FROM pg_temp.err($$INSERT INTO kpi.run_supersession (run_id, superseded_by) VALUES (3, 2)$$);
SELECT * FROM pg_temp.err($$INSERT INTO kpi.evaluation_run (period_start, period_end, period_kind, rule_set_id, supersedes)
                           VALUES ('2026-03-01', '2026-03-31', 'month', 1, 2)$$);
-- kpi.evaluate still supersedes (March again: run 7 replaces run 3; the refused
-- inserts used up run ids 5 and 6)
CALL kpi.evaluate('2026-03-01', 'month', supersede => true);
SELECT run_id, superseded_by FROM kpi.run_supersession ORDER BY run_id;
SELECT * FROM pg_temp.err($$INSERT INTO kpi.run_supersession (run_id, superseded_by) VALUES (2, 5)$$);

-- a forged row written past the triggers (as before 0.2.0, or by a superuser
-- in replica mode): February vanishes and cannot be evaluated again
SET session_replication_role = replica;
INSERT INTO kpi.run_supersession (run_id, superseded_by) VALUES (2, 4);
RESET session_replication_role;
SELECT DISTINCT period_start, period_kind FROM kpi.current_official_result ORDER BY 1, 2;
SELECT * FROM pg_temp.err($$CALL kpi.evaluate('2026-02-01', 'month', supersede => true)$$);
-- the seal of the year run (4) now covers a supersession it did not write
SELECT run_id, sealed, results_ok, chain_ok FROM kpi.verify_run(4);
SELECT kpi.supersession_problem(2, 4);
-- the owner repairs it; a valid supersession, a run not superseded and no reason are refused
SELECT * FROM pg_temp.err($$SELECT kpi.repair_supersession(3, 'March was replaced on purpose')$$);
SELECT * FROM pg_temp.err($$SELECT kpi.repair_supersession(1, 'not superseded')$$);
SELECT * FROM pg_temp.err($$SELECT kpi.repair_supersession(2, ' ')$$);
SELECT correction_id, run_id, superseded_by, problem, reason, corrected_by = current_user AS by_me
FROM kpi.repair_supersession(2, 'forged row: February is not superseded by the year');
SELECT run_id, superseded_by FROM kpi.run_supersession ORDER BY run_id;
SELECT DISTINCT period_start, period_kind FROM kpi.current_official_result ORDER BY 1, 2;
SELECT run_id, sealed, results_ok, chain_ok FROM kpi.verify_run(4);
CALL kpi.evaluate('2026-02-01', 'month', supersede => true);
-- the correction log is append-only, and the supersession table is again
SELECT * FROM pg_temp.err($$DELETE FROM kpi.run_correction$$);
SELECT * FROM pg_temp.err($$DELETE FROM kpi.run_supersession$$);
SELECT tgname, tgenabled FROM pg_trigger WHERE tgrelid = 'kpi.run_supersession'::regclass AND NOT tgisinternal ORDER BY 1;

------------------------------------------------------------------------------
-- 5. Tampering past the append-only triggers
------------------------------------------------------------------------------

SELECT count(*) AS runs, count(*) FILTER (WHERE v.results_ok AND v.chain_ok) AS verified
FROM kpi.evaluation_run r CROSS JOIN LATERAL kpi.verify_run(r.run_id) v;
-- the seals do not depend on the session's settings
SET TimeZone = 'Asia/Ho_Chi_Minh';
SET DateStyle = 'SQL, DMY';
SELECT count(*) FILTER (WHERE v.results_ok AND v.chain_ok) AS verified
FROM kpi.evaluation_run r CROSS JOIN LATERAL kpi.verify_run(r.run_id) v;
RESET TimeZone;
SET datestyle = 'ISO, YMD';
-- a superuser in replica mode: a ledger row zeroed (January, run 1), a ledger
-- row deleted (the year, run 4), both in the packed ledger of the result row
-- (kpi.ledger is a view over kpi.official_result.ledger), a run's author
-- changed (March's first run, 3), a result changed and its seal rewritten to
-- match (February's first, 2)
SET session_replication_role = replica;
UPDATE kpi.official_result r
SET ledger = kpi.ledger_pack(ARRAY(SELECT ROW(x.rule_id, x.source_table, x.source_id,
                                              CASE WHEN x.n = 1 THEN 0 ELSE x.points_lost END, x.detail)::kpi.ledger_entry
                                   FROM kpi.ledger_unpack(r.ledger) WITH ORDINALITY
                                        AS x(rule_id, source_table, source_id, points_lost, detail, n) ORDER BY x.n))
WHERE r.run_id = 1 AND r.official_id = 6;
UPDATE kpi.official_result r
SET ledger = kpi.ledger_pack(ARRAY(SELECT ROW(x.rule_id, x.source_table, x.source_id, x.points_lost, x.detail)::kpi.ledger_entry
                                   FROM kpi.ledger_unpack(r.ledger) WITH ORDINALITY
                                        AS x(rule_id, source_table, source_id, points_lost, detail, n)
                                   WHERE x.n > 1 ORDER BY x.n))
WHERE r.run_id = 4 AND r.official_id = 6;
UPDATE kpi.evaluation_run SET created_by = 'someone_else' WHERE run_id = 3;
UPDATE kpi.official_result SET score = 100 WHERE run_id = 2 AND official_id = 6;
UPDATE kpi.run_seal SET results_digest = kpi.run_results_digest(2) WHERE run_id = 2;
RESET session_replication_role;
SELECT v.run_id, v.sealed, v.results_ok, v.chain_ok,
       regexp_replace(v.detail, '[0-9a-f]{64}', '<sha256>', 'g') AS detail
FROM kpi.evaluation_run r CROSS JOIN LATERAL kpi.verify_run(r.run_id) v ORDER BY 1;
-- a seal deleted (March's second run, 7): that run is unsealed, and the next
-- seal's chain (February's second run, 9: the refused CALL used up 8) is broken
SET session_replication_role = replica;
DELETE FROM kpi.run_seal WHERE run_id = 7;
RESET session_replication_role;
SELECT * FROM kpi.verify_run(7)
UNION ALL
SELECT v.* FROM kpi.run_seal s CROSS JOIN LATERAL kpi.verify_run(s.run_id) v WHERE s.chain_prev = 7;
SELECT * FROM pg_temp.err($$SELECT * FROM kpi.verify_run(99)$$);

SET client_min_messages = error;
SET kpi_eval.allow_drop_with_data = on;
DROP OWNED BY regress_kpi_unit1, regress_kpi_unit2, regress_kpi_unit3;
DROP ROLE regress_kpi_unit1, regress_kpi_unit2, regress_kpi_unit3;
DROP EXTENSION kpi_eval_reference;
