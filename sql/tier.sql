--
-- Rating tiers (rules.md CS13-CS14, E8): kpi.tier_of, the kpi.tier order,
-- kpi.tier_label.
--
\set SHOW_CONTEXT never

-- err(q): run q and report how it failed ('ok' when it did not)
\i sql/include/err.sql

--
-- E8: lower bounds inclusive, on the score rounded half away from zero to
-- 2 decimals
--
SELECT score, kpi.tier_of(score) AS tier
FROM (VALUES (100), (90.00), (89.995), (89.9949999999), (89.99), (70.00), (69.995),
             (69.99), (50.00), (49.995), (49.994), (49.99), (0.005), (0.004), (0)) v(score);
-- scores may carry any number of decimals (they come from divisions)
SELECT kpi.tier_of(89.99499999999999999999) AS below, kpi.tier_of(89.995000000000000000001) AS above;

--
-- Scores out of range, not finite: errors
--
\x on
SELECT score, e.*
FROM (VALUES ('100.005'), ('100.01'), ('101'), ('1000'), ('1e12'), ('-0.005'), ('-0.01'), ('-1'),
             ('NaN'), ('Infinity'), ('-Infinity')) v(score),
     pg_temp.err(format('SELECT kpi.tier_of(%L::numeric)', score)) e;
\x off
SELECT kpi.tier_of(100.01);
SELECT kpi.tier_of(-1);
SELECT kpi.tier_of('NaN');
SELECT 1 AS server_still_answers;

--
-- Disqualifiers (CS14): not complete regardless of the score
--
SELECT kpi.tier_of(93, true) AS e7_reprimand, kpi.tier_of(100, true) AS perfect,
       kpi.tier_of(10, true) AS low, kpi.tier_of(93, false) AS not_disqualified;
-- the score is still validated
SELECT kpi.tier_of(120, true);
-- NULL in, NULL out
SELECT kpi.tier_of(NULL) IS NULL AS null_score, kpi.tier_of(90, NULL) IS NULL AS null_flag,
       kpi.tier_of(90, false, NULL) IS NULL AS null_rules;

--
-- Custom thresholds and rounding
--
SELECT score, kpi.tier_of(score, false, '{"threshold_excellent": 95, "threshold_good": 80, "threshold_complete": 60}') AS tier
FROM (VALUES (95), (94.995), (94.99), (80), (79.99), (60), (59.995), (59.99)) v(score);
-- only one threshold moved; the others keep their defaults
SELECT kpi.tier_of(85, false, '{"threshold_excellent": 85}') AS excellent_at_85,
       kpi.tier_of(84.99, false, '{"threshold_excellent": 85}') AS good_below;
-- a complete threshold of 0: nobody is rated not complete on the score
SELECT kpi.tier_of(0, false, '{"threshold_complete": 0}') AS zero_is_complete,
       kpi.tier_of(0, true, '{"threshold_complete": 0}') AS unless_disqualified;
-- the rounding scale decides which scores reach a threshold
SELECT kpi.tier_of(89.5, false, '{"rounding_scale": 0}') AS scale_0_89_5,
       kpi.tier_of(89.49, false, '{"rounding_scale": 0}') AS scale_0_89_49,
       kpi.tier_of(89.99995, false, '{"rounding_scale": 4}') AS scale_4_89_99995,
       kpi.tier_of(89.99994, false, '{"rounding_scale": 4}') AS scale_4_89_99994,
       kpi.tier_of(89.95, false, '{"rounding_scale": 1}') AS scale_1_89_95;
-- thresholds must decrease
SELECT kpi.tier_of(80, false, '{"threshold_good": 90}');
SELECT kpi.tier_of(80, false, '{"threshold_excellent": 60}');

--
-- kpi.tier: ordered worst to best, so it compares and sorts
--
SELECT unnest(enum_range(NULL::kpi.tier)) AS tiers_in_order;
SELECT 'tot'::kpi.tier > 'hoan_thanh' AS good_above_complete,
       'xuat_sac'::kpi.tier > 'tot' AS excellent_above_good,
       'khong_hoan_thanh'::kpi.tier < 'hoan_thanh' AS not_complete_lowest,
       min(t) AS worst, max(t) AS best
FROM (VALUES ('tot'::kpi.tier), ('xuat_sac'), ('khong_hoan_thanh'), ('hoan_thanh')) v(t);
SELECT score, kpi.tier_of(score) AS tier
FROM (VALUES (72), (95), (40), (55), (90), (69.99)) v(score)
ORDER BY kpi.tier_of(score) DESC, score DESC;
SELECT kpi.tier_of(score) AS tier, count(*)
FROM (VALUES (72), (95), (40), (55), (90), (69.99), (89.995)) v(score)
GROUP BY 1 ORDER BY 1;
SELECT 'excellent'::kpi.tier;

--
-- kpi.tier_label: official names in Vietnamese (default) and English
--
-- unaligned, so the column widths do not depend on how the client counts
-- the width of multibyte characters
\pset format unaligned
SELECT t AS tier, kpi.tier_label(t) AS vi_default, kpi.tier_label(t, 'vi') AS vi, kpi.tier_label(t, 'en') AS en
FROM unnest(enum_range(NULL::kpi.tier)) t;
\pset format aligned
SELECT kpi.tier_label(kpi.tier_of(kpi.period_score(28, kpi.tally_agg(1, i <= 18, i <= 18, 0, (i <= 2)::int))), 'en') AS e1_label
FROM generate_series(1, 20) i;
SELECT kpi.tier_label('tot', 'fr');
\x on
SELECT lang, e.*
FROM (VALUES ('fr'), ('VI'), ('en '), (''), ('english')) v(lang),
     pg_temp.err(format('SELECT kpi.tier_label(''tot'', %L)', lang)) e;
\x off
SELECT kpi.tier_label(NULL) IS NULL AS null_tier, kpi.tier_label('tot', NULL) IS NULL AS null_lang;

--
-- Scores are range-checked before rounding (N0.5): nothing outside 0..100 is
-- rounded into it
--
\x on
SELECT score, e.*
FROM (VALUES ('100.001'), ('100.004'), ('100.0049999'), ('100.00000000000000000001'),
             ('-0.004'), ('-0.001'), ('-0.00000000000000000001')) v(score),
     pg_temp.err(format('SELECT kpi.tier_of(%L::numeric)', score)) e;
\x off
-- disqualified or not, the score is validated first
SELECT kpi.tier_of(100.004, true);
SELECT kpi.tier_of(-0.004, true);
-- within the range, rounding still applies: 89.995 -> 90.00 excellent,
-- 69.995 -> 70.00 good, 49.995 -> 50.00 complete; 100, 100.000, 0, 0.000 and
-- -0.0 (zero) are accepted
SELECT score, kpi.tier_of(score) AS tier
FROM (VALUES (89.995), (69.995), (49.995), (100), (100.000), (99.999), (0), (0.000), (-0.0), (0.004)) v(score);

--
-- Uncapped rule sets ("cap": false): a score above 100 is accepted
--
-- 100.004 rounds to 100.00 and 150 stays 150: both excellent; negative scores
-- are still refused; a disqualifier still applies
SELECT kpi.tier_of(100.004, false, '{"cap": false}') AS just_above,
       kpi.tier_of(150, false, '{"cap": false}') AS score_150,
       kpi.tier_of(999999999999.99, false, '{"cap": false}') AS largest,
       kpi.tier_of(150, true, '{"cap": false}') AS disqualified_150;
SELECT kpi.tier_of(-0.004, false, '{"cap": false}');
-- a number that rounds to 10^12 or more is out of range: 22003
SELECT e.* FROM pg_temp.err($q$SELECT kpi.tier_of(999999999999.995, false, '{"cap": false}')$q$) e;
-- the capped default refuses the same scores
SELECT kpi.tier_of(150, false, '{"cap": true}');
-- an uncapped period total (over-completion: a = b = c = 200) reads as a tier
-- under the same rules: 30 + 0.7 x 200 = 170
SELECT kpi.period_score(30, t, '{"cap": false}') AS total,
       kpi.tier_of(kpi.period_score(30, t, '{"cap": false}'), false, '{"cap": false}') AS tier
FROM (SELECT kpi.tally_agg(1, 1, 2, 2, 0, 0) AS t) s;
