-- test/sample/load_reference.sql: copies the generated sample province
-- (schema "sample", test/sample/province.sql) into the kpi_eval reference
-- tables (kpi.unit, kpi.official, kpi.task_line, ...), so that the year can be
-- evaluated with CALL kpi.evaluate and explained with kpi.explain.
--
-- Mapping:
--  * units keep their ids; the leadership unit of each agency (21-25) is the
--    agency's root (agency_kind 'province'), its units (phòng) its children;
--    the four ministries of the law-making sample are roots 101-104, not rated.
--  * officials keep their ids; task_group is the name of their sample quota
--    group, and a group that spans units (the leaders of an agency's units,
--    the leaderships of all agencies) is also their quota_group.  The head of
--    an agency (Giám đốc, Chủ tịch UBND) leads the root unit; each of its
--    deputies leads the unit they supervise (sample.official.supervises):
--    exactly one leader is in charge of each agency.  Unit heads and deputies
--    lead their own unit (leads_unit NULL).
--  * task lines: one per sample task line (assigned 1, completed if done,
--    passed if passed) and per product line (quantities as given); late
--    events from the dates (kpi.late_events); the agencies' own lines on
--    the agency's root unit.
--  * disciplinary decisions as kind 'discipline'; the corruption case as
--    'unit_corruption' of the unit.
--  * agency inputs (marks, dossiers), the province's indices for 2026 on each
--    agency (PCI as the composite of its ten sub-indices), law-making
--    documents on the ministries.
\set ON_ERROR_STOP 1
SET client_min_messages = warning;

BEGIN;

INSERT INTO kpi.unit (unit_id, parent_id, name, agency_kind)
SELECT u.unit_id, u.parent_id, u.name || ' - ' || a.name,
       CASE WHEN u.parent_id IS NULL THEN a.kind END
FROM sample.unit u JOIN sample.agency a USING (agency_id)
ORDER BY u.parent_id NULLS FIRST, u.unit_id;

INSERT INTO kpi.unit (unit_id, parent_id, name, agency_kind)
SELECT 100 + ministry_id, NULL, name, NULL
FROM sample.ministry ORDER BY ministry_id;

INSERT INTO kpi.official (official_id, unit_id, full_name, is_leader, leads_unit, task_group, quota_group)
SELECT o.official_id, o.unit_id, o.full_name, o.is_leader,
       CASE WHEN u.parent_id IS NOT NULL THEN NULL		-- unit leaders: their own unit
            WHEN o.position IN ('Giám đốc', 'Chủ tịch UBND') THEN u.unit_id
            ELSE o.supervises END,
       g.name,
       CASE WHEN g.unit_id IS NULL THEN g.name || coalesce(' - ' || ga.short_name, '') END
FROM sample.official o
JOIN sample.unit u USING (unit_id)
JOIN sample.task_group g USING (group_id)
LEFT JOIN sample.agency ga ON ga.agency_id = g.agency_id
ORDER BY o.official_id;

INSERT INTO kpi.task_line (official_id, title, due, done, coef, assigned_qty, completed_qty, passed_qty,
                           quality_errors, late_events)
SELECT official_id, title, due_on, done_on, coef, 1,
       CASE WHEN done_on IS NOT NULL THEN 1 ELSE 0 END, CASE WHEN passed THEN 1 ELSE 0 END,
       quality_errors, kpi.late_events(due_on, done_on)
FROM sample.task_line
ORDER BY line_id;

INSERT INTO kpi.task_line (official_id, title, due, done, coef, assigned_qty, completed_qty, passed_qty,
                           quality_errors, late_events)
SELECT official_id, product, due_on, done_on, coef, assigned_qty, completed_qty, passed_qty,
       quality_errors, kpi.late_events(due_on, done_on)
FROM sample.product_line
ORDER BY line_id;

INSERT INTO kpi.task_line (unit_id, title, due, done, coef, assigned_qty, completed_qty, passed_qty,
                           quality_errors, late_events)
SELECT 20 + agency_id, source || ': ' || title, due_on, done_on, coef, 1,
       CASE WHEN done_on IS NOT NULL THEN 1 ELSE 0 END, CASE WHEN passed THEN 1 ELSE 0 END,
       quality_errors, kpi.late_events(due_on, done_on)
FROM sample.agency_task_line
ORDER BY line_id;

INSERT INTO kpi.general_mark (official_id, period_start, marks)
SELECT official_id, month, marks FROM sample.general_marks ORDER BY official_id, month;

INSERT INTO kpi.leader_criteria (official_id, period_start, dd, e)
SELECT official_id, month, dd, e FROM sample.leader_criteria ORDER BY official_id, month;

INSERT INTO kpi.disciplinary_record (official_id, decided_on, kind, form, duty_related)
SELECT official_id, decided_on, 'discipline', form, duty_related
FROM sample.discipline ORDER BY decided_on, official_id;

INSERT INTO kpi.disciplinary_record (unit_id, decided_on, kind)
SELECT unit_id, decided_on, 'unit_corruption'
FROM sample.unit_incident ORDER BY decided_on, unit_id;

INSERT INTO kpi.agency_input (unit_id, year, marks, dossiers, dossiers_on_time, dossiers_online)
SELECT 20 + m.agency_id, m.year, m.marks, d.dossiers, d.on_time, d.online
FROM sample.agency_marks m
JOIN sample.agency_dossier d USING (agency_id, year)
ORDER BY m.agency_id;

-- the province's published indices apply to each of its agencies
INSERT INTO kpi.index_value (unit_id, year, code, value)
SELECT 20 + a.agency_id, i.year, i.code, i.value
FROM sample.agency a
CROSS JOIN sample.province p
JOIN (SELECT year, province, code, value FROM sample.province_index
      UNION ALL
      SELECT year, province, 'pci', kpi.pci_composite(subindices) FROM sample.pci_subindex) i
  ON i.province = p.short_name AND i.year = p.year
ORDER BY a.agency_id, i.code;

INSERT INTO kpi.lawmaking_document (unit_id, role, title, due, issued, times_returned,
                                    obstacles_detected, obstacles_resolved, initiatives)
SELECT 100 + ministry_id, role, code || ' ' || title, due_on, issued_on, times_returned,
       obstacles_detected, obstacles_resolved, initiatives
FROM sample.lm_document
ORDER BY doc_id;

COMMIT;
ANALYZE kpi.unit, kpi.official, kpi.task_line, kpi.general_mark, kpi.leader_criteria;
RESET client_min_messages;

-- one line per count (short lines)
\x on
SELECT (SELECT count(*) FROM kpi.unit) AS units,
       (SELECT count(*) FROM kpi.official) AS officials,
       (SELECT count(*) FILTER (WHERE official_id IS NOT NULL) FROM kpi.task_line) AS official_lines,
       (SELECT count(*) FILTER (WHERE unit_id IS NOT NULL) FROM kpi.task_line) AS agency_lines,
       (SELECT count(*) FROM kpi.general_mark) AS general_marks,
       (SELECT count(*) FROM kpi.leader_criteria) AS leader_criteria,
       (SELECT count(*) FROM kpi.disciplinary_record) AS records,
       (SELECT count(*) FROM kpi.index_value) AS index_values,
       (SELECT count(*) FROM kpi.lawmaking_document) AS lm_documents;
\x off
