-- test/sample/reference_org.sql: the small organisation of the reference
-- tests (the TAP tests through KpiTest::org_sql, test/cluster/clients.sh,
-- test/cluster/logical_replication.sh): a province department (unit 1) with a unit (2), a
-- second root (3), seven officials with task lines and forms for January and
-- February 2026, a leader's criteria, two disciplinary records, the
-- department's yearly inputs and indices, two law-making documents.
INSERT INTO kpi.unit (unit_id, parent_id, name, agency_kind) VALUES
	(1, NULL, 'Sở Tư pháp', 'province'),
	(2, 1, 'Phòng Hành chính tư pháp', NULL),
	(3, NULL, 'Sở Nội vụ', NULL);
INSERT INTO kpi.official (official_id, unit_id, full_name, is_leader, leads_unit, task_group) VALUES
	(1, 1, 'Nguyễn Văn An', true, 1, 'lanh_dao'),
	(2, 1, 'Trần Thị Bình', false, NULL, 'chuyen_vien'),
	(3, 2, 'Lê Văn Cường', false, NULL, 'chuyen_vien'),
	(4, 2, 'Phạm Thị Dung', false, NULL, 'chuyen_vien'),
	(5, 2, 'Hoàng Văn Em', false, NULL, 'chuyen_vien'),
	(6, 3, 'Đỗ Thị Giang', false, NULL, 'chuyen_vien'),
	(7, 3, 'Vũ Văn Hải', false, NULL, 'chuyen_vien');
INSERT INTO kpi.task_line (official_id, title, due, done, completed_qty, passed_qty, quality_errors, late_events)
SELECT o, 'Nhiệm vụ ' || i, make_date(2026, m, 20),
       CASE WHEN (o + i) % 5 <> 0 THEN make_date(2026, m, 19) END,
       ((o + i) % 5 <> 0)::int, ((o + i) % 5 <> 0)::int, ((o * i) % 7 = 0)::int, ((o + i * m) % 6 = 0)::int
FROM generate_series(1, 7) o, generate_series(1, 2) m, generate_series(1, 3 + o) i;
INSERT INTO kpi.general_mark
SELECT o, make_date(2026, m, 1),
       CASE WHEN (o + m) % 3 = 0 THEN '{5,5,2.5,2.5,2.5,2.5,2.5,2.5,2.5,2.5}'::numeric[]
            ELSE '{5,4,2.5,2.5,2.5,2.5,2.5,2.5,1.5,1.5}'::numeric[] END
FROM generate_series(1, 7) o, generate_series(1, 2) m;
INSERT INTO kpi.leader_criteria VALUES (1, '2026-02-01', 50, NULL);
INSERT INTO kpi.disciplinary_record (official_id, decided_on, kind, form, duty_related)
VALUES (4, '2026-02-10', 'discipline', 'khien_trach', true),
       (7, '2026-02-11', 'discipline', 'khien_trach', false);
INSERT INTO kpi.agency_input VALUES (1, 2026, '{7,6.5,6.5,6.5}', 50000, 49000, 40000);
INSERT INTO kpi.index_value VALUES
	(1, 2026, 'par', 91.43), (1, 2026, 'sipas', 83.94), (1, 2026, 'pci', 63.525), (1, 2026, 'dti', 800.2);
INSERT INTO kpi.task_line (unit_id, title, due, done, completed_qty, passed_qty, late_events)
SELECT 1, 'Kế hoạch công tác năm, mục ' || i, '2026-06-30', CASE WHEN i <= 18 THEN date '2026-06-30' END,
       (i <= 18)::int, (i <= 18)::int, (i <= 2)::int
FROM generate_series(1, 20) i;
INSERT INTO kpi.lawmaking_document (unit_id, role, title, due, issued) VALUES
	(1, 'drafting', 'Quyết định A', '2026-03-31', NULL),
	(3, 'drafting', 'Quyết định B', '2026-03-31', NULL);
INSERT INTO kpi.rule_set (name, effective, rules, is_draft)
VALUES ('Dự thảo tiến độ chặt', '[2026-01-01,)', '{"progress_reading": "strict"}', true);
