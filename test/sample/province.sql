-- test/sample/province.sql: a generated sample province for the kpi_eval demo.
--
-- Plain tables in schema "sample" (nothing here lives in schema kpi).  The data
-- is synthetic but shaped like a year of Decree 335/2025/ND-CP evaluations in a
-- province after the July 2025 reform (province and commune levels, no
-- districts): departments (Sở) and commune-level People's Committees, their
-- leadership and units (phòng), civil servants grouped by similar tasks (the
-- quota groups), monthly task lines for 2026, general-criteria marks, leaders'
-- criteria đ and e, disciplinary decisions and one corruption case, the tiers
-- of 2024 and 2025; for the agencies, their general marks, own work-plan lines
-- and dossier counts; the published indices of the province and nine peers;
-- and the law-making documents of four ministries.
--
-- Deterministic: setseed() fixes random(), and every random() call reads rows
-- from a subquery with ORDER BY on a unique key, so the draws go to the same
-- rows whatever plan the server picks: each run loads the same data.  Usage:
-- psql -v ON_ERROR_STOP=1 -f test/sample/province.sql (needs CREATE EXTENSION
-- kpi_eval first: marks are checked with kpi.general_points and
-- kpi.agency_general_points, indices with kpi.index_check, and the earlier
-- years' quota is applied with kpi.quota_tier).

\set ON_ERROR_STOP 1
SET client_min_messages = warning;
DROP SCHEMA IF EXISTS sample CASCADE;
CREATE SCHEMA sample;
COMMENT ON SCHEMA sample IS 'kpi_eval demo: a generated sample province (synthetic data)';

SELECT setseed(0.2026) AS seeded \gset

------------------------------------------------------------------------------
-- Organisation
------------------------------------------------------------------------------

CREATE TABLE sample.province (
	name text NOT NULL,
	short_name text NOT NULL,	-- as in the index tables
	year integer NOT NULL
);
INSERT INTO sample.province VALUES ('Tỉnh An Bình (dữ liệu mẫu)', 'An Bình', 2026);

CREATE TABLE sample.agency (
	agency_id integer PRIMARY KEY,
	name text NOT NULL,
	short_name text NOT NULL,
	kind text NOT NULL DEFAULT 'province' CHECK (kind IN ('province', 'ministry'))
);
COMMENT ON COLUMN sample.agency.kind IS
	'template of kpi.agency_score (AG3): agencies of a province take the province template and the province''s indices';
INSERT INTO sample.agency VALUES
	(1, 'Sở Tư pháp', 'STP'),
	(2, 'Sở Tài chính', 'STC'),
	(3, 'Sở Nội vụ', 'SNV'),
	(4, 'UBND phường Bình Minh', 'P.BM'),
	(5, 'UBND xã Tân Lập', 'X.TL');

CREATE TABLE sample.unit (
	unit_id integer PRIMARY KEY,
	agency_id integer NOT NULL REFERENCES sample.agency,
	parent_id integer REFERENCES sample.unit,	-- NULL: the agency's leadership, over all its units
	name text NOT NULL,
	one_stop boolean NOT NULL DEFAULT false	-- handles administrative procedures (dossiers)
);
-- The leadership of each agency: the director and two deputies of a Sở, the
-- chair and two vice-chairs of a commune-level People's Committee.
INSERT INTO sample.unit (unit_id, agency_id, name)
SELECT 20 + agency_id, agency_id,
       CASE WHEN name LIKE 'Sở %' THEN 'Lãnh đạo Sở' ELSE 'Lãnh đạo UBND' END
FROM sample.agency ORDER BY agency_id;
INSERT INTO sample.unit (unit_id, agency_id, parent_id, name, one_stop)
SELECT unit_id, agency_id, 20 + agency_id, name, one_stop
FROM (VALUES
	( 1, 1, 'Văn phòng Sở', false),
	( 2, 1, 'Phòng Xây dựng và Kiểm tra văn bản', false),
	( 3, 1, 'Phòng Hành chính tư pháp', true),
	( 4, 1, 'Phòng Bổ trợ tư pháp', true),
	( 5, 2, 'Văn phòng Sở', false),
	( 6, 2, 'Phòng Quản lý ngân sách', false),
	( 7, 2, 'Phòng Quản lý giá và công sản', false),
	( 8, 2, 'Phòng Đăng ký kinh doanh', true),
	( 9, 2, 'Phòng Tài chính doanh nghiệp', false),
	(10, 3, 'Văn phòng Sở', false),
	(11, 3, 'Phòng Tổ chức, biên chế', false),
	(12, 3, 'Phòng Công chức, viên chức', false),
	(13, 3, 'Phòng Lao động, việc làm', true),
	(14, 3, 'Phòng Xây dựng chính quyền', false),
	(15, 4, 'Văn phòng HĐND và UBND', true),
	(16, 4, 'Phòng Kinh tế, Hạ tầng và Đô thị', true),
	(17, 4, 'Phòng Văn hóa - Xã hội', false),
	(18, 5, 'Văn phòng HĐND và UBND', true),
	(19, 5, 'Phòng Kinh tế', false),
	(20, 5, 'Phòng Văn hóa - Xã hội', false)) v(unit_id, agency_id, name, one_stop)
ORDER BY unit_id;

-- Groups of civil servants with similar tasks: the quota on "excellent"
-- (CS15) is counted within each.  Staff are grouped within their unit; the
-- heads and deputies of units are rated by the head of the agency, so they
-- form one group per agency; the leaders of the agencies are rated by the
-- chair of the provincial People's Committee: one group for the province.
CREATE TABLE sample.task_group (
	group_id integer PRIMARY KEY,
	name text NOT NULL,
	agency_id integer REFERENCES sample.agency,	-- NULL: province-wide
	unit_id integer REFERENCES sample.unit,		-- NULL: agency-wide (or province-wide)
	CHECK (unit_id IS NULL OR agency_id IS NOT NULL),
	UNIQUE NULLS NOT DISTINCT (name, agency_id, unit_id)
);
INSERT INTO sample.task_group
SELECT row_number() OVER (ORDER BY agency_id NULLS FIRST, unit_id NULLS FIRST, name), name, agency_id, unit_id
FROM (SELECT 'Lãnh đạo sở, UBND cấp xã' AS name, NULL::integer AS agency_id, NULL::integer AS unit_id
      UNION ALL
      SELECT 'Lãnh đạo phòng', agency_id, NULL FROM sample.agency
      UNION ALL
      SELECT 'Tham mưu, tổng hợp', agency_id, unit_id FROM sample.unit WHERE parent_id IS NOT NULL
      UNION ALL
      SELECT 'Giải quyết thủ tục hành chính', agency_id, unit_id FROM sample.unit WHERE one_stop) g;

CREATE TABLE sample.official (
	official_id integer PRIMARY KEY,
	unit_id integer NOT NULL REFERENCES sample.unit,
	full_name text NOT NULL,
	gender text NOT NULL CHECK (gender IN ('nam', 'nữ')),
	position text NOT NULL CHECK (position IN ('Giám đốc', 'Phó Giám đốc', 'Chủ tịch UBND', 'Phó Chủ tịch UBND',
	                                           'Trưởng phòng', 'Phó Trưởng phòng', 'Chuyên viên')),
	is_leader boolean NOT NULL,
	group_id integer NOT NULL REFERENCES sample.task_group,	-- CS15 quota group
	supervises integer REFERENCES sample.unit		-- an agency deputy's unit
);
COMMENT ON COLUMN sample.official.is_leader IS
	'heads and deputies (of an agency or a unit): scored with leader criteria d, đ, e (CS10)';
COMMENT ON COLUMN sample.official.supervises IS
	'for a deputy of an agency, the unit in their direct charge: they manage its people (CS10) and answer for it (CS14)';

-- Unit sizes: 8 to 20 people; the head is number 1, deputies 2 (and 3 in units
-- of 12+).  The leadership of an agency has 3: the head and two deputies.
CREATE TEMP TABLE gen_unit AS
SELECT unit_id, 8 + floor(random() * 13)::int AS size
FROM (SELECT unit_id FROM sample.unit WHERE parent_id IS NOT NULL ORDER BY unit_id) u
UNION ALL
SELECT unit_id, 3 FROM sample.unit WHERE parent_id IS NULL;

CREATE TEMP TABLE gen_person AS
SELECT s.*, random() AS r_gender, random() AS r_family, random() AS r_middle, random() AS r_given
FROM (SELECT row_number() OVER (ORDER BY g.unit_id, k)::int AS official_id, g.unit_id, k, g.size
      FROM gen_unit g, generate_series(1, g.size) k
      ORDER BY g.unit_id, k) s;

INSERT INTO sample.official
SELECT p.official_id, p.unit_id,
       fam[1 + floor(p.r_family ^ 1.6 * array_length(fam, 1))::int] || ' ' ||
       CASE WHEN p.r_gender < 0.55
            THEN mid_m[1 + floor(p.r_middle * array_length(mid_m, 1))::int] || ' ' ||
                 giv_m[1 + floor(p.r_given * array_length(giv_m, 1))::int]
            ELSE mid_f[1 + floor(p.r_middle * array_length(mid_f, 1))::int] || ' ' ||
                 giv_f[1 + floor(p.r_given * array_length(giv_f, 1))::int] END,
       CASE WHEN p.r_gender < 0.55 THEN 'nam' ELSE 'nữ' END,
       r.position, r.is_leader, g.group_id
FROM gen_person p JOIN sample.unit u USING (unit_id) JOIN sample.agency a USING (agency_id)
CROSS JOIN LATERAL (
	SELECT u.parent_id IS NULL AS board,		-- the agency's leadership
	       a.name LIKE 'Sở %' AS department,	-- else a People's Committee
	       u.parent_id IS NULL OR p.k = 1 OR p.k = 2 OR (p.k = 3 AND p.size >= 12) AS is_leader) l
CROSS JOIN LATERAL (
	SELECT l.is_leader,
	       CASE WHEN l.board AND l.department THEN CASE WHEN p.k = 1 THEN 'Giám đốc' ELSE 'Phó Giám đốc' END
	            WHEN l.board THEN CASE WHEN p.k = 1 THEN 'Chủ tịch UBND' ELSE 'Phó Chủ tịch UBND' END
	            WHEN p.k = 1 THEN 'Trưởng phòng'
	            WHEN l.is_leader THEN 'Phó Trưởng phòng'
	            ELSE 'Chuyên viên' END AS position,
	       -- in a one-stop unit two staff in three handle dossiers
	       CASE WHEN l.board THEN 'Lãnh đạo sở, UBND cấp xã'
	            WHEN l.is_leader THEN 'Lãnh đạo phòng'
	            WHEN u.one_stop AND p.k % 3 <> 1 THEN 'Giải quyết thủ tục hành chính'
	            ELSE 'Tham mưu, tổng hợp' END AS group_name) r
JOIN sample.task_group g		-- province-wide, agency-wide or unit group
  ON g.name = r.group_name
 AND g.agency_id IS NOT DISTINCT FROM CASE WHEN NOT l.board THEN u.agency_id END
 AND g.unit_id IS NOT DISTINCT FROM CASE WHEN NOT l.is_leader THEN u.unit_id END,
     -- family names, most common first (the index is skewed towards the start)
     (SELECT '{Nguyễn,Trần,Lê,Phạm,Hoàng,Huỳnh,Phan,Vũ,Võ,Đặng,Bùi,Đỗ,Hồ,Ngô,Dương,Lý,Đinh,Trịnh,Mai,Lương}'::text[] AS fam,
             '{Văn,Đức,Hữu,Minh,Quốc,Thanh,Công,Xuân,Hoàng,Ngọc}'::text[] AS mid_m,
             '{Thị,Thị,Ngọc,Thu,Thanh,Minh,Hồng,Kim,Phương,Thùy}'::text[] AS mid_f,
             '{An,Bình,Cường,Dũng,Duy,Đạt,Hải,Hiếu,Hòa,Hùng,Huy,Khang,Khánh,Kiên,Long,Lâm,Minh,Nam,Nghĩa,Phong,Phúc,Quân,Quang,Sơn,Tài,Thắng,Thành,Toàn,Trung,Tuấn,Việt,Vinh}'::text[] AS giv_m,
             '{Anh,Chi,Dung,Giang,Hà,Hạnh,Hằng,Hiền,Hoa,Hương,Huyền,Lan,Liên,Linh,Loan,Mai,My,Nga,Ngân,Nhung,Oanh,Phương,Quỳnh,Tâm,Thảo,Thủy,Trang,Uyên,Vân,Yến}'::text[] AS giv_f) n
ORDER BY p.official_id;

-- An agency's deputies each supervise one of its units: the first deputy the
-- agency's first unit, the second its second.
UPDATE sample.official o
SET supervises = (SELECT s.unit_id FROM sample.unit s
                  WHERE s.parent_id = o.unit_id
                  ORDER BY s.unit_id
                  OFFSET (SELECT count(*) FROM sample.official p
                          WHERE p.unit_id = o.unit_id AND p.official_id < o.official_id
                            AND p.position IN ('Phó Giám đốc', 'Phó Chủ tịch UBND'))
                  LIMIT 1)
WHERE o.position IN ('Phó Giám đốc', 'Phó Chủ tịch UBND');

------------------------------------------------------------------------------
-- Generator-only parameters: how reliable each person is.  A latent
-- "slackness" u (mean 0.5) sets the chance that a task is left unfinished,
-- done late or fails a quality review; a few people are much weaker.  The
-- evaluation never sees these: it works from the task lines only.
------------------------------------------------------------------------------

CREATE TEMP TABLE gen_profile AS
SELECT official_id,
       CASE WHEN r_weak < 0.03 THEN 1.0 + 0.25 * r_weak2 ELSE u END AS u
FROM (SELECT official_id, (random() + random()) / 2 AS u, random() AS r_weak, random() AS r_weak2
      FROM (SELECT official_id FROM sample.official ORDER BY official_id) o) s;

------------------------------------------------------------------------------
-- Leave: months with nothing assigned are not scored (N0.4, case E9)
------------------------------------------------------------------------------

CREATE TABLE sample.leave (
	official_id integer NOT NULL REFERENCES sample.official,
	month date NOT NULL,
	reason text NOT NULL,
	PRIMARY KEY (official_id, month)
);

-- Three typical non-leaders (reliability nearest the median, so the leave is
-- what the report shows about them): a woman on maternity leave from June to
-- September, someone on sick leave in March, someone at a training course in
-- October and November.
CREATE TEMP TABLE gen_typical AS
SELECT o.official_id, o.gender, row_number() OVER (ORDER BY abs(p.u - 0.45), o.official_id) AS rank
FROM sample.official o JOIN gen_profile p USING (official_id)
WHERE NOT o.is_leader;

INSERT INTO sample.leave
SELECT official_id, m::date, 'nghỉ thai sản'
FROM (SELECT official_id FROM gen_typical WHERE gender = 'nữ' ORDER BY rank LIMIT 1) o,
     generate_series('2026-06-01'::date, '2026-09-01', '1 month') m
UNION ALL
SELECT official_id, date '2026-03-01', 'nghỉ ốm dài ngày'
FROM (SELECT official_id FROM gen_typical WHERE gender = 'nam' ORDER BY rank LIMIT 1) o
UNION ALL
SELECT official_id, m::date, 'đi học tập trung'
FROM (SELECT official_id FROM gen_typical WHERE gender = 'nam' ORDER BY rank OFFSET 1 LIMIT 1) o,
     generate_series('2026-10-01'::date, '2026-11-01', '1 month') m;

------------------------------------------------------------------------------
-- Task lines (single-unit: one assigned product or job each, CS4)
------------------------------------------------------------------------------

CREATE TABLE sample.task_line (
	line_id integer PRIMARY KEY,
	official_id integer NOT NULL REFERENCES sample.official,
	title text NOT NULL,
	coef numeric NOT NULL,			-- conversion coefficient to standard products
	due_on date NOT NULL,
	done_on date,				-- NULL: not finished
	passed boolean NOT NULL,		-- content accepted (false when not finished)
	quality_errors integer NOT NULL,	-- failed quality reviews (major content errors)
	CHECK (passed <= (done_on IS NOT NULL))
);
COMMENT ON TABLE sample.task_line IS
	'one assigned job per row; it belongs to the month of its due date (CS2)';

-- One row per person and month worked, with that month's rates.
CREATE TEMP TABLE gen_month AS
SELECT official_id, month,
       10 + floor(random() * 21)::int AS n_lines,
       -- month-to-month variation of the person's rates
       u * (0.6 + 0.8 * random()) AS u
FROM (SELECT o.official_id, m::date AS month, p.u
      FROM sample.official o
      JOIN gen_profile p USING (official_id)
      CROSS JOIN generate_series('2026-01-01'::date, '2026-12-01', '1 month') m
      WHERE NOT EXISTS (SELECT 1 FROM sample.leave l
                        WHERE l.official_id = o.official_id AND l.month = m::date)
      ORDER BY o.official_id, m) s;

CREATE TEMP TABLE gen_line AS
SELECT s.*,
       random() AS r_coef, random() AS r_title, random() AS r_due,
       random() AS r_unfinished, random() AS r_late, random() AS r_days,
       random() AS r_err, random() AS r_nerr, random() AS r_pass
FROM (SELECT row_number() OVER (ORDER BY g.official_id, g.month, k)::int AS line_id,
             g.official_id, g.month, g.u
      FROM gen_month g, generate_series(1, g.n_lines) k
      ORDER BY g.official_id, g.month, k) s;

INSERT INTO sample.task_line
SELECT line_id, official_id,
       titles[1 + floor(r_title * array_length(titles, 1))::int],
       coef, due_on, done_on,
       done_on IS NOT NULL AND r_pass >= 0.01 + 0.10 * u * u + CASE WHEN quality_errors >= 3 THEN 0.4 ELSE 0 END,
       quality_errors
FROM (
	SELECT l.line_id, l.official_id, l.u, l.r_title, l.r_pass, c.coef, c.titles, d.due_on,
	       CASE WHEN l.r_unfinished < 0.05 + 0.40 * l.u * l.u THEN NULL
	            WHEN l.r_late < 0.08 + 0.50 * l.u * l.u
	            THEN d.due_on + 1 + floor(l.r_days * l.r_days * 20)::int	-- 1 to 20 days late
	            ELSE d.due_on - floor(l.r_days * 4)::int END AS done_on,
	       CASE WHEN l.r_unfinished < 0.05 + 0.40 * l.u * l.u THEN 0
	            WHEN l.r_err >= 0.10 + 0.60 * l.u * l.u THEN 0
	            WHEN l.r_nerr < 0.60 THEN 1
	            WHEN l.r_nerr < 0.85 THEN 2
	            WHEN l.r_nerr < 0.97 THEN 3
	            ELSE 4 + floor((l.r_nerr - 0.97) * 100)::int END AS quality_errors	-- 4 to 6
	FROM gen_line l
	CROSS JOIN LATERAL (SELECT l.month + floor(l.r_due * 28)::int AS due_on) d
	CROSS JOIN LATERAL (
		SELECT CASE WHEN l.r_coef < 0.70 THEN 1 WHEN l.r_coef < 0.90 THEN 2
		            WHEN l.r_coef < 0.98 THEN 4 ELSE 8 END AS coef) c0
	CROSS JOIN LATERAL (
		SELECT c0.coef, CASE c0.coef
			WHEN 1 THEN '{"Trả lời văn bản đến","Tổng hợp báo cáo tuần","Góp ý dự thảo văn bản","Chuẩn bị nội dung họp giao ban","Cập nhật cơ sở dữ liệu chuyên ngành"}'::text[]
			WHEN 2 THEN '{"Báo cáo chuyên đề tháng","Thẩm định hồ sơ trình lãnh đạo","Kiểm tra, rà soát văn bản","Tham mưu văn bản chỉ đạo điều hành"}'::text[]
			WHEN 4 THEN '{"Dự thảo quyết định của UBND tỉnh","Xây dựng kế hoạch triển khai","Chủ trì đoàn kiểm tra"}'::text[]
			ELSE '{"Dự thảo nghị quyết HĐND tỉnh","Xây dựng đề án cấp tỉnh"}'::text[] END AS titles) c
) s
ORDER BY line_id;

------------------------------------------------------------------------------
-- Product lines (multi-unit: dossiers and periodic products counted in
-- quantities, with conversion coefficients and over-completion)
------------------------------------------------------------------------------

CREATE TABLE sample.product_line (
	line_id integer PRIMARY KEY,
	official_id integer NOT NULL REFERENCES sample.official,
	month date NOT NULL,
	product text NOT NULL,
	coef numeric NOT NULL,
	assigned_qty numeric NOT NULL,
	completed_qty numeric NOT NULL,		-- may exceed assigned_qty (over-completion)
	passed_qty numeric NOT NULL,
	quality_errors integer NOT NULL,
	due_on date NOT NULL,
	done_on date NOT NULL,
	CHECK (passed_qty <= completed_qty)
);

CREATE TEMP TABLE gen_product AS
SELECT s.*,
       random() AS r_qty, random() AS r_done, random() AS r_fail, random() AS r_err, random() AS r_late
FROM (SELECT row_number() OVER (ORDER BY g.official_id, g.month, k)::int AS line_id,
             g.official_id, g.month, g.u, k
      FROM gen_month g JOIN sample.official o USING (official_id)
      JOIN sample.task_group tg USING (group_id),
           generate_series(1, 2) k
      WHERE tg.name = 'Giải quyết thủ tục hành chính'
      ORDER BY g.official_id, g.month, k) s;

INSERT INTO sample.product_line
SELECT line_id, official_id, month, product, coef, assigned, completed,
       completed - failed, CASE WHEN failed > 0 THEN failed + floor(r_err * 2)::int ELSE 0 END,
       due_on, due_on + CASE WHEN r_late < 0.05 + 0.3 * u * u THEN 1 + floor(r_late * 20)::int ELSE 0 END
FROM (
	SELECT p.*, q.product, q.coef, q.assigned,
	       -- 80% to 125% of the assigned quantity: over-completion is common
	       round(q.assigned * (0.80 + 0.45 * p.r_done * (1.1 - 0.4 * least(p.u, 1)))) AS completed,
	       (date_trunc('month', p.month) + interval '1 month - 1 day')::date AS due_on
	FROM gen_product p
	CROSS JOIN LATERAL (
		SELECT CASE WHEN p.k = 1 THEN 'Hồ sơ thủ tục hành chính mức độ đơn giản'
		            ELSE 'Hồ sơ thủ tục hành chính phải thẩm tra, xác minh' END AS product,
		       CASE WHEN p.k = 1 THEN 1 ELSE 2 END::numeric AS coef,
		       CASE WHEN p.k = 1 THEN 8 + floor(p.r_qty * 17) ELSE 2 + floor(p.r_qty * 7) END AS assigned) q
) s
CROSS JOIN LATERAL (
	SELECT CASE WHEN s.r_fail < 0.10 + 0.4 * s.u * s.u THEN 1 + floor(s.r_err * 2)::int ELSE 0 END AS failed) f
ORDER BY line_id;

------------------------------------------------------------------------------
-- General criteria: the 10 marks of the monthly form (CS3): 5, 5, then 8 x 2.5
------------------------------------------------------------------------------

CREATE TABLE sample.general_marks (
	official_id integer NOT NULL REFERENCES sample.official,
	month date NOT NULL,
	marks numeric[] NOT NULL,
	PRIMARY KEY (official_id, month)
);

INSERT INTO sample.general_marks
SELECT official_id, month,
       array_agg(trim_scale(greatest(0, mx - CASE WHEN r < 0.80 - 0.3 * least(u, 1) THEN 0
                                       WHEN r < 0.96 THEN 0.5 ELSE 1 END)) ORDER BY i)
FROM (
	SELECT s0.*, random() AS r
	FROM (SELECT g.official_id, g.month, g.u, i, mx
	      FROM gen_month g,
	           unnest('{5,5,2.5,2.5,2.5,2.5,2.5,2.5,2.5,2.5}'::numeric[]) WITH ORDINALITY AS m(mx, i)
	      ORDER BY g.official_id, g.month, i) s0
) s
GROUP BY official_id, month
ORDER BY official_id, month;

------------------------------------------------------------------------------
-- A two-person team: in the Phòng Xây dựng chính quyền of Sở Nội vụ the two
-- most reliable specialists work as a pair all year.  Every job is given to
-- both (a task line of each) and the head of the unit gives them the same
-- marks, so their scores, task points and general points are equal: if the
-- quota (CS15) cuts between them, a person has to decide (kpi.quota_tie).
------------------------------------------------------------------------------

CREATE TEMP TABLE gen_team AS
SELECT (array_agg(official_id ORDER BY u, official_id))[1] AS first_id,
       (array_agg(official_id ORDER BY u, official_id))[2] AS second_id
FROM sample.official o JOIN gen_profile p USING (official_id)
WHERE o.unit_id = 14 AND NOT o.is_leader;

DELETE FROM sample.task_line WHERE official_id = (SELECT second_id FROM gen_team);
INSERT INTO sample.task_line
SELECT (SELECT max(line_id) FROM sample.task_line) + row_number() OVER (ORDER BY l.line_id),
       t.second_id, l.title, l.coef, l.due_on, l.done_on, l.passed, l.quality_errors
FROM sample.task_line l JOIN gen_team t ON l.official_id = t.first_id
ORDER BY l.line_id;
UPDATE sample.general_marks g
SET marks = f.marks
FROM gen_team t JOIN sample.general_marks f ON f.official_id = t.first_id
WHERE g.official_id = t.second_id AND g.month = f.month;

------------------------------------------------------------------------------
-- Leaders' criteria đ (organising implementation) and e (uniting the staff),
-- CS10; d is computed from the unit's scores by the evaluation
------------------------------------------------------------------------------

CREATE TABLE sample.leader_criteria (
	official_id integer NOT NULL REFERENCES sample.official,
	month date NOT NULL,
	dd numeric NOT NULL CHECK (dd IN (50, 100)),
	e numeric NOT NULL CHECK (e IN (50, 100)),
	note text,
	PRIMARY KEY (official_id, month)
);

INSERT INTO sample.leader_criteria
SELECT official_id, month,
       CASE WHEN r_dd < 0.04 THEN 50 ELSE 100 END,
       CASE WHEN r_e < 0.02 THEN 50 ELSE 100 END,
       concat_ws('; ', CASE WHEN r_dd < 0.04 THEN 'kế hoạch của phòng chậm triển khai' END,
                       CASE WHEN r_e < 0.02 THEN 'có đơn phản ánh mất đoàn kết nội bộ' END)
FROM (SELECT s0.*, random() AS r_dd, random() AS r_e
      FROM (SELECT g.official_id, g.month
            FROM gen_month g JOIN sample.official o USING (official_id)
            WHERE o.is_leader
            ORDER BY g.official_id, g.month) s0) s
ORDER BY official_id, month;

------------------------------------------------------------------------------
-- Disqualifiers (CS14): disciplinary decisions and a corruption case
------------------------------------------------------------------------------

CREATE TABLE sample.discipline (
	official_id integer NOT NULL REFERENCES sample.official,
	decided_on date NOT NULL,
	form kpi.discipline_form NOT NULL,	-- khien_trach (reprimand) is the lightest
	duty_related boolean NOT NULL,
	reason text NOT NULL
);

-- Picked by fixed rules: the most reliable non-leader of Sở Tài chính (a high
-- score that the reprimand overrides), the 60th and the 150th civil servant.
INSERT INTO sample.discipline
SELECT official_id, date '2026-05-14', 'khien_trach'::kpi.discipline_form, true,
       'để quá hạn nhiều hồ sơ, gây phiền hà cho người dân'
FROM (SELECT o.official_id FROM sample.official o JOIN sample.unit u USING (unit_id)
      JOIN gen_profile p USING (official_id)
      WHERE u.agency_id = 2 AND NOT o.is_leader ORDER BY p.u, o.official_id LIMIT 1) x
UNION ALL
SELECT official_id, date '2026-08-20', 'khien_trach'::kpi.discipline_form, true,
       'tự ý nghỉ việc nhiều ngày không có lý do'
FROM (SELECT official_id FROM sample.official WHERE NOT is_leader
      ORDER BY official_id OFFSET 59 LIMIT 1) x
UNION ALL
SELECT official_id, date '2026-10-03', 'khien_trach'::kpi.discipline_form, true,
       'làm lộ thông tin hồ sơ công vụ'
FROM (SELECT official_id FROM sample.official WHERE NOT is_leader
      ORDER BY official_id OFFSET 149 LIMIT 1) x;

-- The month of the decision costs marks on discipline (mark 2 of the form).
UPDATE sample.general_marks g
SET marks[2] = 2
FROM sample.discipline d
WHERE d.official_id = g.official_id AND g.month = date_trunc('month', d.decided_on);

CREATE TABLE sample.unit_incident (
	unit_id integer NOT NULL REFERENCES sample.unit,
	decided_on date NOT NULL,
	kind text NOT NULL CHECK (kind IN ('tham nhũng', 'tham ô', 'lãng phí')),	-- corruption, embezzlement, waste
	description text NOT NULL
);
COMMENT ON TABLE sample.unit_incident IS
	'units handled for corruption, embezzlement or waste: their head is rated not complete (CS14)';

INSERT INTO sample.unit_incident VALUES
	(7, '2026-09-25', 'tham nhũng',
	 'nhận hối lộ khi thẩm định giá tài sản công');

------------------------------------------------------------------------------
-- Earlier years' tiers, for the screening flags (CS16)
------------------------------------------------------------------------------

CREATE TABLE sample.tier_history (
	official_id integer NOT NULL REFERENCES sample.official,
	year integer NOT NULL CHECK (year < 2026),
	tier kpi.tier NOT NULL,
	PRIMARY KEY (official_id, year)
);
COMMENT ON TABLE sample.tier_history IS
	'annual tiers of earlier years as decided (after the quota and disqualifiers); no row for a year the person was not rated';

-- From a generator-only score per year drawn around the person's reliability,
-- tiered with kpi.tier_of, then the quota of that year within today's groups
-- (kpi.quota_tier).  The weakest were not complete in 2025, and so was the
-- specialist reprimanded in August 2026 for unexcused absences (a repeat
-- case).  Every 37th civil servant joined the civil service in 2025 (recruited
-- or received from outside it): no 2024 row.  This block and the ones below
-- re-seed random(), so each draws the same numbers whatever comes before.
SELECT setseed(0.2024) AS seeded \gset
INSERT INTO sample.tier_history
SELECT official_id, year,
       kpi.quota_tier(tier, score, NULL, NULL) OVER (PARTITION BY group_id, year ORDER BY official_id)
FROM (
	SELECT h.official_id, h.group_id, h.year, h.score,
	       CASE WHEN h.year = 2025 AND (h.u >= 1 OR h.repeat_case) THEN 'khong_hoan_thanh'::kpi.tier
	            ELSE kpi.tier_of(h.score) END AS tier
	FROM (SELECT s0.*, round((100 - 34 * s0.u * (0.6 + 0.8 * random()))::numeric, 2) AS score
	      FROM (SELECT o.official_id, o.group_id, p.u, y AS year,
	                   o.official_id IN (SELECT official_id FROM sample.discipline
	                                     WHERE decided_on = '2026-08-20') AS repeat_case
	            FROM sample.official o JOIN gen_profile p USING (official_id)
	            CROSS JOIN generate_series(2024, 2025) y
	            WHERE NOT (y = 2024 AND o.official_id % 37 = 0)
	            ORDER BY o.official_id, y) s0) h
) s
ORDER BY official_id, year;

------------------------------------------------------------------------------
-- Agencies (AG1-AG5): general marks, the agency's own work plan, dossiers
------------------------------------------------------------------------------

CREATE TABLE sample.agency_marks (
	agency_id integer NOT NULL REFERENCES sample.agency,
	year integer NOT NULL,
	marks numeric[] NOT NULL CHECK (kpi.agency_general_points(marks) IS NOT NULL),
	note text,
	PRIMARY KEY (agency_id, year)
);
COMMENT ON TABLE sample.agency_marks IS
	'an agency''s general-criteria marks (AG2): Party and State compliance, administrative discipline, responsibility of the head, working environment; 7.5 each';
INSERT INTO sample.agency_marks VALUES
	(1, 2026, '{7.5,7,7,7}', NULL),
	(2, 2026, '{7,6,4.5,6}', 'trừ điểm trách nhiệm người đứng đầu (vụ tham nhũng ở một phòng)'),
	(3, 2026, '{7.5,7,6.5,7}', NULL),
	(4, 2026, '{7,7,7,6.5}', NULL),
	(5, 2026, '{7.5,7.5,7,7.5}', NULL);

CREATE TABLE sample.agency_task_line (
	line_id integer PRIMARY KEY,
	agency_id integer NOT NULL REFERENCES sample.agency,
	source text NOT NULL CHECK (source IN ('kế hoạch', 'phát sinh')),	-- the yearly work plan, or arising
	title text NOT NULL,
	coef numeric NOT NULL,
	due_on date NOT NULL,
	done_on date,				-- NULL: not finished
	passed boolean NOT NULL,
	quality_errors integer NOT NULL,
	CHECK (passed <= (done_on IS NOT NULL))
);
COMMENT ON TABLE sample.agency_task_line IS
	'the agency''s own tasks for the year (AG3): 3 items of the work plan a month (coefficient 2) and arising tasks (coefficient 1)';

-- The same draws as a civil servant's lines, with a fixed slackness per agency
-- (0.40, 0.95, 0.50, 0.55, 0.20 in agency order; a typical person's is 0.5):
-- Sở Tài chính, with its corruption case, fell well behind its plan, and
-- UBND xã Tân Lập did very well.
SELECT setseed(0.335) AS seeded \gset
CREATE TEMP TABLE gen_agency_line AS
SELECT s.*, random() AS r_title, random() AS r_unfinished, random() AS r_late, random() AS r_days,
       random() AS r_err, random() AS r_nerr, random() AS r_pass
FROM (SELECT row_number() OVER (ORDER BY a.agency_id, x.due_on, x.source, x.k)::int AS line_id,
             a.agency_id, x.source, x.coef, x.due_on,
             (ARRAY[0.40, 0.95, 0.50, 0.55, 0.20])[a.agency_id] AS u
      FROM sample.agency a
      CROSS JOIN LATERAL (
	      SELECT 'kế hoạch' AS source, 2 AS coef, k,
	             m::date + (k * 9 + a.agency_id) % 28 AS due_on
	      FROM generate_series('2026-01-01'::date, '2026-12-01', '1 month') m, generate_series(1, 3) k
	      UNION ALL
	      SELECT 'phát sinh', 1, k, date '2026-01-05' + (k * 37 + a.agency_id * 11) % 350
	      FROM generate_series(1, 6 + 2 * a.agency_id) k) x
      ORDER BY 1) s;

INSERT INTO sample.agency_task_line
SELECT line_id, agency_id, source,
       (CASE source WHEN 'kế hoạch' THEN plan_titles ELSE arising_titles END)[1 + floor(r_title * 6)::int],
       coef, due_on, done_on,
       done_on IS NOT NULL AND r_pass >= 0.01 + 0.10 * u * u + CASE WHEN quality_errors >= 3 THEN 0.4 ELSE 0 END,
       quality_errors
FROM (
	SELECT l.*,
	       CASE WHEN l.r_unfinished < 0.05 + 0.40 * l.u * l.u THEN NULL
	            WHEN l.r_late < 0.08 + 0.50 * l.u * l.u
	            THEN l.due_on + 1 + floor(l.r_days * l.r_days * 20)::int
	            ELSE l.due_on - floor(l.r_days * 4)::int END AS done_on,
	       CASE WHEN l.r_unfinished < 0.05 + 0.40 * l.u * l.u THEN 0
	            WHEN l.r_err >= 0.10 + 0.60 * l.u * l.u THEN 0
	            WHEN l.r_nerr < 0.60 THEN 1
	            WHEN l.r_nerr < 0.85 THEN 2
	            ELSE 3 END AS quality_errors
	FROM gen_agency_line l
) s,
(SELECT '{"Triển khai kế hoạch cải cách hành chính","Báo cáo chuyên đề trình UBND tỉnh","Kiểm tra, thanh tra chuyên ngành","Sơ kết, tổng kết chương trình công tác","Thực hiện nhiệm vụ chuyển đổi số","Tham mưu văn bản quy phạm pháp luật"}'::text[] AS plan_titles,
        '{"Xử lý kiến nghị của cử tri","Báo cáo đột xuất theo yêu cầu","Giải quyết đơn thư phản ánh","Phục vụ đoàn công tác của Trung ương","Tham gia ý kiến dự thảo văn bản","Xử lý sự cố, tình huống phát sinh"}'::text[] AS arising_titles) t
ORDER BY line_id;

CREATE TABLE sample.agency_dossier (
	agency_id integer NOT NULL REFERENCES sample.agency,
	year integer NOT NULL,
	dossiers bigint NOT NULL,
	on_time bigint NOT NULL,
	online bigint NOT NULL,
	PRIMARY KEY (agency_id, year),
	CHECK (on_time BETWEEN 0 AND dossiers AND online BETWEEN 0 AND dossiers)
);
COMMENT ON TABLE sample.agency_dossier IS
	'administrative-procedure dossiers the agency settled in the year (public-service portal): all, on time, handled online';
INSERT INTO sample.agency_dossier VALUES
	(1, 2026, 38412, 37905, 31120),
	(2, 2026, 16870, 15722, 11054),
	(3, 2026,  6215,  6140,  4871),
	(4, 2026, 21364, 21012, 15203),
	(5, 2026,  5128,  5097,  3942);

------------------------------------------------------------------------------
-- Published indices (IX1-IX4) of the province and nine peer provinces, 2026
-- (made up): PAR INDEX and SIPAS in %, DTI in points of 1000, and the ten PCI
-- sub-indices (0 to 10) from which the composite is computed
------------------------------------------------------------------------------

CREATE TABLE sample.province_index (
	year integer NOT NULL,
	province text NOT NULL,
	code text NOT NULL CHECK (code IN ('par', 'sipas', 'dti')),
	value numeric NOT NULL CHECK (kpi.index_check(code, value) = value),
	PRIMARY KEY (year, province, code)
);
CREATE TABLE sample.pci_subindex (
	year integer NOT NULL,
	province text NOT NULL,
	subindices numeric[] NOT NULL CHECK (cardinality(subindices) = 10),
	PRIMARY KEY (year, province)
);
COMMENT ON TABLE sample.pci_subindex IS
	'the ten PCI sub-indices in VCCI order (entry costs, land access, transparency, time costs, informal charges, policy bias, proactivity, business support, labour training, legal institutions)';

INSERT INTO sample.province_index
SELECT 2026, province, code, value
FROM (VALUES
	('An Bình',      91.36, 86.42, 784.5),
	('Bắc Sơn',      89.72, 82.35, 702.8),
	('Đông Hải',     92.14, 84.10, 812.6),
	('Nam Phong',    86.05, 80.77, 596.3),
	('Thạch Lâm',    88.41, 83.62, 655.0),
	('Hòa Vinh',     90.08, 84.10, 731.9),
	('Lạc Hồng',     84.67, 78.93, 548.7),
	('Trường Giang', 87.29, 81.48, 688.4),
	('Kim Sơn',      85.53, 79.86, 612.1),
	('Ngọc Lâm',     90.87, 85.24, 756.0)) v(province, par, sipas, dti)
CROSS JOIN LATERAL (VALUES ('par', par), ('sipas', sipas), ('dti', dti)) x(code, value)
ORDER BY province, code;

INSERT INTO sample.pci_subindex VALUES
	(2026, 'An Bình',      '{7.45,6.80,7.10,6.55,7.35,6.90,7.25,6.85,7.05,6.60}'),
	(2026, 'Bắc Sơn',      '{6.90,6.45,6.80,6.10,6.95,6.55,6.70,6.60,6.75,6.20}'),
	(2026, 'Đông Hải',     '{7.60,7.05,7.35,6.80,7.50,7.10,7.40,7.15,7.30,6.90}'),
	(2026, 'Nam Phong',    '{6.20,5.85,6.35,5.70,6.05,6.10,6.25,6.00,6.30,5.80}'),
	(2026, 'Thạch Lâm',    '{6.75,6.30,6.60,6.05,6.70,6.40,6.55,6.45,6.50,6.15}'),
	(2026, 'Hòa Vinh',     '{7.05,6.70,6.95,6.40,7.00,6.75,6.90,6.80,6.85,6.50}'),
	(2026, 'Lạc Hồng',     '{5.95,5.60,6.10,5.40,5.85,5.75,6.00,5.70,5.90,5.50}'),
	(2026, 'Trường Giang', '{6.60,6.20,6.50,5.95,6.55,6.30,6.45,6.35,6.40,6.05}'),
	(2026, 'Kim Sơn',      '{6.35,5.95,6.20,5.80,6.25,6.05,6.30,6.10,6.15,5.85}'),
	(2026, 'Ngọc Lâm',     '{7.25,6.85,7.15,6.60,7.20,6.95,7.05,6.95,7.00,6.70}');

------------------------------------------------------------------------------
-- Law-making (LM1-LM4): legislative tasks and detailed-regulation documents of
-- four ministries, by role, with due and issue dates as known on 2027-01-20
------------------------------------------------------------------------------

CREATE TABLE sample.ministry (
	ministry_id integer PRIMARY KEY,
	name text NOT NULL,
	short_name text NOT NULL
);
INSERT INTO sample.ministry VALUES
	(1, 'Bộ Tư pháp', 'BTP'),
	(2, 'Bộ Tài chính', 'BTC'),
	(3, 'Bộ Nội vụ', 'BNV'),
	(4, 'Bộ Xây dựng', 'BXD');

CREATE TABLE sample.lm_role (
	role text PRIMARY KEY,
	name text NOT NULL,
	short_name text NOT NULL,
	ord integer NOT NULL
);
INSERT INTO sample.lm_role VALUES
	('drafting', 'Chủ trì soạn thảo', 'Soạn thảo', 1),
	('appraisal', 'Thẩm định', 'Thẩm định', 2),
	('joint_appraisal', 'Tham gia thẩm định', 'Tham gia TĐ', 3),
	('poll', 'Trả lời phiếu lấy ý kiến thành viên Chính phủ', 'Trả lời phiếu', 4),
	('finalising', 'Tiếp thu, hoàn thiện dự thảo sau góp ý', 'Hoàn thiện', 5);

CREATE TABLE sample.lm_document (
	doc_id integer PRIMARY KEY,
	code text NOT NULL UNIQUE,
	ministry_id integer NOT NULL REFERENCES sample.ministry,
	role text NOT NULL REFERENCES sample.lm_role,
	title text NOT NULL,
	due_on date,				-- NULL: a report of initiatives, dated by issued_on
	issued_on date,				-- NULL: not issued by 2027-01-20
	times_returned integer NOT NULL,	-- returned for quality
	obstacles_detected integer NOT NULL,
	obstacles_resolved integer NOT NULL,
	initiatives integer NOT NULL,
	CHECK (obstacles_resolved BETWEEN 0 AND obstacles_detected),
	CHECK (issued_on <= '2027-01-20')
);
COMMENT ON TABLE sample.lm_document IS
	'one row per document and role of a ministry: drafting, appraisal, answering a poll of the Government members...; issued_on is when that role''s output was issued';

-- Per ministry and role: how many documents and how reliable.  Drafting tasks
-- are due from July 2025 to March 2027; the other roles (short deadlines) in
-- 2026 and January 2027.
SELECT setseed(0.0426) AS seeded \gset
CREATE TEMP TABLE gen_lm AS
SELECT s.*, random() AS r_due, random() AS r_never, random() AS r_late, random() AS r_days,
       random() AS r_ret, random() AS r_nret, random() AS r_obs, random() AS r_res,
       random() AS r_init, random() AS r_title, random() AS r_kind
FROM (SELECT row_number() OVER (ORDER BY p.ministry_id, r.ord, k)::int AS doc_id,
             p.ministry_id, p.role, r.ord, k, p.u
      FROM (VALUES (1, 'drafting', 24, 0.35), (1, 'appraisal', 36, 0.25),
                   (2, 'drafting', 30, 0.75), (2, 'poll', 24, 0.45),
                   (3, 'drafting', 24, 0.50), (3, 'joint_appraisal', 20, 0.30),
                   (4, 'drafting', 28, 0.85), (4, 'finalising', 16, 0.60)) p(ministry_id, role, n, u)
      JOIN sample.lm_role r USING (role)
      CROSS JOIN LATERAL generate_series(1, p.n) k
      ORDER BY 1) s;

INSERT INTO sample.lm_document
SELECT doc_id, m.short_name || '-' || lpad(row_number() OVER (PARTITION BY g.ministry_id ORDER BY doc_id)::text, 2, '0'),
       g.ministry_id, g.role,
       upper(left(l.title, 1)) || substr(l.title, 2),
       g.due_on,
       CASE WHEN g.issued_on <= '2027-01-20' THEN g.issued_on END,
       CASE WHEN g.r_ret < 0.15 + 0.5 * g.u * g.u THEN 1 + floor(g.r_nret * 3)::int ELSE 0 END,
       d.detected,
       d.detected - floor(d.detected * least(1, g.u * g.r_res * 1.6))::int,
       CASE WHEN g.r_init < 0.10 THEN 1 ELSE 0 END
FROM (
	SELECT g0.*, due.due_on,
	       CASE WHEN g0.r_never < 0.02 + 0.12 * g0.u * g0.u THEN NULL
	            WHEN g0.r_late < 0.10 + 0.55 * g0.u * g0.u
	            THEN due.due_on + 1 + floor(g0.r_days * g0.r_days * 100)::int
	            ELSE due.due_on - floor(g0.r_days * 20)::int END AS issued_on
	FROM gen_lm g0
	CROSS JOIN LATERAL (
		SELECT CASE WHEN g0.role = 'drafting' THEN date '2025-07-01' + floor(g0.r_due * 639)::int
		            ELSE date '2026-01-05' + floor(g0.r_due * 385)::int END AS due_on) due
) g
JOIN sample.ministry m USING (ministry_id)
CROSS JOIN LATERAL (
	SELECT CASE WHEN g.r_kind < 0.15 THEN 'luật'
	            WHEN g.r_kind < 0.70 THEN 'nghị định quy định chi tiết'
	            ELSE 'thông tư hướng dẫn' END AS kind,
	       floor(g.r_obs * g.r_obs * 4)::int AS detected) d
CROSS JOIN LATERAL (
	-- the law a document belongs to: one of the ministry's own when drafting or
	-- finalising, of another ministry's otherwise
	SELECT CASE CASE WHEN g.role IN ('drafting', 'finalising') THEN g.ministry_id ELSE 1 + (g.ministry_id + g.k % 3) % 4 END
	       WHEN 1 THEN '{"Luật Ban hành văn bản quy phạm pháp luật","Luật Hộ tịch","Luật Thi hành án dân sự","Luật Công chứng","Luật Trợ giúp pháp lý"}'::text[]
	       WHEN 2 THEN '{"Luật Ngân sách nhà nước","Luật Quản lý thuế","Luật Thuế giá trị gia tăng","Luật Chứng khoán","Luật Doanh nghiệp"}'
	       WHEN 3 THEN '{"Luật Cán bộ, công chức","Luật Tổ chức chính quyền địa phương","Luật Thi đua, khen thưởng","Luật Việc làm","Luật Viên chức"}'
	       ELSE '{"Luật Xây dựng","Luật Nhà ở","Luật Kinh doanh bất động sản","Luật Quy hoạch đô thị và nông thôn","Luật Đường bộ"}' END AS laws) l0
CROSS JOIN LATERAL (
	SELECT CASE g.role WHEN 'drafting' THEN '' WHEN 'appraisal' THEN 'Thẩm định '
	                   WHEN 'joint_appraisal' THEN 'Tham gia thẩm định ' WHEN 'poll' THEN 'Ý kiến về '
	                   ELSE 'Hoàn thiện ' END
	       || CASE WHEN d.kind = 'luật' THEN 'dự án ' || law || ' (sửa đổi)'
	               ELSE 'dự thảo ' || d.kind || ' ' || law END AS title
	FROM (SELECT l0.laws[1 + floor(g.r_title * 5)::int] AS law) x) l
ORDER BY doc_id;

-- Initiatives reported on their own (no due date): dated by the report.
INSERT INTO sample.lm_document VALUES
	(1001, 'BNV-S1', 3, 'drafting', 'Đề xuất phân cấp thẩm quyền quản lý công chức cho cấp xã', NULL, '2026-11-12', 0, 0, 0, 2),
	(1002, 'BTP-S1', 1, 'appraisal', 'Đề xuất bãi bỏ thủ tục cấp bản sao trích lục hộ tịch giấy', NULL, '2026-08-20', 0, 0, 0, 1);

CREATE TABLE sample.lm_impact (
	ministry_id integer NOT NULL REFERENCES sample.ministry,
	role text NOT NULL REFERENCES sample.lm_role,
	period text NOT NULL CHECK (period IN ('quarter', 'half')),
	period_start date NOT NULL,
	mark numeric NOT NULL CHECK (mark BETWEEN 0 AND 10),
	PRIMARY KEY (ministry_id, role, period, period_start)
);
COMMENT ON TABLE sample.lm_impact IS
	'the "results and impact" mark (0 to 10) of the law-making score (LM4), given by the evaluation council';
INSERT INTO sample.lm_impact
SELECT ministry_id, role, period, period_start, mark
FROM (VALUES (1, 'drafting', 8.5, 8), (1, 'appraisal', 9, 9),
             (2, 'drafting', 6, 6.5), (2, 'poll', 8, 8),
             (3, 'drafting', 7.5, 7.5), (3, 'joint_appraisal', 8.5, 8.5),
             (4, 'drafting', 5.5, 6), (4, 'finalising', 7, 7)) v(ministry_id, role, q4, half)
CROSS JOIN LATERAL (VALUES ('quarter', date '2026-10-01', q4), ('half', date '2026-07-01', half)) p(period, period_start, mark)
ORDER BY 1, 2, 3;

------------------------------------------------------------------------------
-- Every month's marks pass kpi.general_points (each mark within its maximum)
------------------------------------------------------------------------------

DO $$
DECLARE
	bad integer;
BEGIN
	SELECT count(*) INTO bad
	FROM sample.general_marks
	WHERE kpi.general_points(marks) IS NULL OR kpi.general_points(marks) NOT BETWEEN 0 AND 30;
	IF bad > 0 THEN
		RAISE EXCEPTION 'sample: % rows of general marks out of range', bad;
	END IF;
END $$;

DROP TABLE gen_unit, gen_person, gen_profile, gen_typical, gen_month, gen_line, gen_product, gen_team,
	gen_agency_line, gen_lm;
ANALYZE sample.official, sample.task_line, sample.product_line, sample.general_marks,
	sample.leader_criteria;
RESET client_min_messages;
