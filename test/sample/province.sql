-- test/sample/province.sql: a generated sample province for the kpi_eval demo.
--
-- Plain tables in schema "sample" (nothing here lives in schema kpi).  The data
-- is synthetic but shaped like a year of Decree 335/2025/ND-CP evaluations in a
-- province after the July 2025 reform (province and commune levels, no
-- districts): departments (Sở) and commune-level People's Committees, their
-- units (phòng), civil servants with a leader and deputies per unit, monthly
-- task lines for 2026, general-criteria marks, leaders' criteria đ and e,
-- disciplinary decisions and one corruption case.
--
-- Deterministic: setseed() fixes random(), and every random() call reads rows
-- from a subquery with ORDER BY on a unique key, so the draws go to the same
-- rows whatever plan the server picks: each run loads the same data.  Usage: psql -v ON_ERROR_STOP=1 -f test/sample/province.sql
-- (needs CREATE EXTENSION kpi_eval first: marks are checked with
-- kpi.general_points and late events come from kpi.late_events).

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
	year integer NOT NULL
);
INSERT INTO sample.province VALUES ('Tỉnh An Bình (dữ liệu mẫu)', 2026);

CREATE TABLE sample.agency (
	agency_id integer PRIMARY KEY,
	name text NOT NULL,
	short_name text NOT NULL
);
INSERT INTO sample.agency VALUES
	(1, 'Sở Tư pháp', 'STP'),
	(2, 'Sở Tài chính', 'STC'),
	(3, 'Sở Nội vụ', 'SNV'),
	(4, 'UBND phường Bình Minh', 'P.BM'),
	(5, 'UBND xã Tân Lập', 'X.TL');

CREATE TABLE sample.unit (
	unit_id integer PRIMARY KEY,
	agency_id integer NOT NULL REFERENCES sample.agency,
	name text NOT NULL,
	one_stop boolean NOT NULL DEFAULT false	-- handles administrative procedures (dossiers)
);
INSERT INTO sample.unit VALUES
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
	(20, 5, 'Phòng Văn hóa - Xã hội', false);

CREATE TABLE sample.official (
	official_id integer PRIMARY KEY,
	unit_id integer NOT NULL REFERENCES sample.unit,
	full_name text NOT NULL,
	gender text NOT NULL CHECK (gender IN ('nam', 'nữ')),
	position text NOT NULL CHECK (position IN ('Trưởng phòng', 'Phó Trưởng phòng', 'Chuyên viên')),
	is_leader boolean NOT NULL,
	task_group text NOT NULL	-- group of similar tasks (CS15 quota group within the unit)
);
COMMENT ON COLUMN sample.official.is_leader IS
	'unit heads and deputies: scored with leader criteria d, đ, e (CS10)';

-- Unit sizes: 8 to 20 people; the head is number 1, deputies 2 (and 3 in units of 12+).
CREATE TEMP TABLE gen_unit AS
SELECT unit_id, 8 + floor(random() * 13)::int AS size
FROM (SELECT unit_id FROM sample.unit ORDER BY unit_id) u;

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
       CASE WHEN p.k = 1 THEN 'Trưởng phòng'
            WHEN p.k = 2 OR (p.k = 3 AND p.size >= 12) THEN 'Phó Trưởng phòng'
            ELSE 'Chuyên viên' END,
       p.k = 1 OR p.k = 2 OR (p.k = 3 AND p.size >= 12),
       CASE WHEN p.k = 1 OR p.k = 2 OR (p.k = 3 AND p.size >= 12) THEN 'Lãnh đạo phòng'
            WHEN u.one_stop AND p.k % 3 = 0 THEN 'Giải quyết thủ tục hành chính'
            ELSE 'Tham mưu, tổng hợp' END
FROM gen_person p JOIN sample.unit u USING (unit_id),
     -- family names, most common first (the index is skewed towards the start)
     (SELECT '{Nguyễn,Trần,Lê,Phạm,Hoàng,Huỳnh,Phan,Vũ,Võ,Đặng,Bùi,Đỗ,Hồ,Ngô,Dương,Lý,Đinh,Trịnh,Mai,Lương}'::text[] AS fam,
             '{Văn,Đức,Hữu,Minh,Quốc,Thanh,Công,Xuân,Hoàng,Ngọc}'::text[] AS mid_m,
             '{Thị,Thị,Ngọc,Thu,Thanh,Minh,Hồng,Kim,Phương,Thùy}'::text[] AS mid_f,
             '{An,Bình,Cường,Dũng,Duy,Đạt,Hải,Hiếu,Hòa,Hùng,Huy,Khang,Khánh,Kiên,Long,Lâm,Minh,Nam,Nghĩa,Phong,Phúc,Quân,Quang,Sơn,Tài,Thắng,Thành,Toàn,Trung,Tuấn,Việt,Vinh}'::text[] AS giv_m,
             '{Anh,Chi,Dung,Giang,Hà,Hạnh,Hằng,Hiền,Hoa,Hương,Huyền,Lan,Liên,Linh,Loan,Mai,My,Nga,Ngân,Nhung,Oanh,Phương,Quỳnh,Tâm,Thảo,Thủy,Trang,Uyên,Vân,Yến}'::text[] AS giv_f) n
ORDER BY p.official_id;

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
      FROM gen_month g JOIN sample.official o USING (official_id),
           generate_series(1, 2) k
      WHERE o.task_group = 'Giải quyết thủ tục hành chính'
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

DROP TABLE gen_unit, gen_person, gen_profile, gen_typical, gen_month, gen_line, gen_product;
ANALYZE sample.official, sample.task_line, sample.product_line, sample.general_marks,
	sample.leader_criteria;
RESET client_min_messages;
