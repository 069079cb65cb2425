# The sample province two ways, which must agree to the last digit:
#
#   - the plain-SQL report (test/sample/report.sql), which calls the scoring
#     functions itself: month scores with d, đ, e, the annual score, the
#     disqualifiers, the tier and the quota per sample task group;
#   - the reference schema: test/sample/load_reference.sql, CALL kpi.evaluate
#     for the twelve months of 2026 and the year, read from the views.
#
# Checked: every official and month (score, G, d, T, tier), every year result
# (annual score, tier, tier after the quota, quota tie), and the agencies'
# scores; every ledger adds up to 100 - score.  (The demo no longer prints
# this comparison: cross-checks stay in the tests.)
use strict;
use warnings;
use PostgreSQL::Test::Cluster;
use PostgreSQL::Test::Utils;
use Test::More;
use KpiTest;

my $node = kpi_node('sample');
my $db = 'kpi_sample_check';
sub dbq { return $node->safe_psql($db, $_[0]); }
sub file { my ($f) = @_; open my $h, '<', $f or die "$f: $!"; local $/; return <$h>; }

$node->safe_psql('postgres', "CREATE DATABASE $db");
dbq('CREATE EXTENSION kpi_eval_reference CASCADE');
dbq(file('test/sample/province.sql'));
# the report's temporary tables are kept as tables for the comparison (one session)
dbq(file('test/sample/report.sql') . "\n"
	  . "CREATE TABLE sample.chk_month AS SELECT * FROM month_eval;\n"
	  . "CREATE TABLE sample.chk_year AS SELECT * FROM year_eval;\n"
	  . "CREATE TABLE sample.chk_agency AS SELECT * FROM agency_eval;\n");
dbq(file('test/sample/load_reference.sql'));
dbq("SET client_min_messages = warning;\n"
	  . join('', map { sprintf("CALL kpi.evaluate('2026-%02d-01', 'month');\n", $_) } 1 .. 12)
	  . "CALL kpi.evaluate('2026-01-01', 'year');");

my $nmonth = dbq("SELECT count(*) FROM kpi.current_official_result WHERE period_kind = 'month'");
is(dbq('SELECT count(*) FROM sample.chk_month WHERE t IS NOT NULL OR g IS NOT NULL'), $nmonth,
	'one month result per official and month with work or a form');
is(dbq("SELECT count(*) FROM sample.chk_month c
            JOIN kpi.current_official_result r
              ON r.official_id = c.official_id AND r.period_start = c.month AND r.period_kind = 'month'
            WHERE r.score IS DISTINCT FROM c.score OR r.general_points IS DISTINCT FROM c.g
               OR r.task_points IS DISTINCT FROM c.tp OR r.tier IS DISTINCT FROM kpi.tier_of(c.score)"), '0',
	"month scores, G, T and tiers agree ($nmonth results)");
is(dbq("SELECT count(*) FROM sample.chk_month c
            JOIN kpi.current_official_result r
              ON r.official_id = c.official_id AND r.period_start = c.month AND r.period_kind = 'month'
            WHERE c.is_leader AND (r.d IS DISTINCT FROM c.d OR r.dd IS DISTINCT FROM coalesce(c.dd, 100)
                                   OR r.e IS DISTINCT FROM coalesce(c.e, 100))"), '0',
	"leaders' d, đ and e agree (CS10)");
cmp_ok(dbq('SELECT count(*) FROM kpi.current_official_result WHERE d = 50'), '>', 0,
	'some leader has d = 50 in some month (the check is not vacuous)');
is(dbq("SELECT count(*) FROM sample.chk_year c
            FULL JOIN (SELECT * FROM kpi.current_official_result WHERE period_kind = 'year') r
              ON r.official_id = c.official_id
            WHERE r.official_id IS NULL OR c.official_id IS NULL
               OR r.score IS DISTINCT FROM c.annual OR r.disqualified IS DISTINCT FROM c.disqualified
               OR r.tier IS DISTINCT FROM c.tier OR r.quota_tier IS DISTINCT FROM c.tier_final
               OR r.quota_tie IS DISTINCT FROM c.quota_tie"), '0',
	'year results agree: annual score, disqualified, tier, tier after the quota, tie (CS12-CS15)');
cmp_ok(dbq("SELECT count(*) FILTER (WHERE quota_tier < tier) * count(*) FILTER (WHERE disqualified)
	      FROM kpi.current_official_result WHERE period_kind = 'year'"), '>', 0,
	'the quota demotes someone and a disqualifier applies (the check is not vacuous)');
is(dbq('SELECT count(*) FROM sample.chk_agency c
            FULL JOIN kpi.current_agency_result r ON r.unit_id = 20 + c.agency_id
            WHERE r.unit_id IS NULL OR c.agency_id IS NULL
               OR r.score IS DISTINCT FROM c.score OR r.tier IS DISTINCT FROM c.tier'), '0',
	'agency scores and tiers agree (AG1-AG4)');
is(dbq('SELECT count(*) FROM (
              SELECT r.run_id, r.official_id, r.score, sum(l.points_lost) AS lost
              FROM kpi.official_result r JOIN kpi.ledger l USING (run_id, official_id)
              GROUP BY 1, 2, 3
              UNION ALL
              SELECT a.run_id, a.unit_id, a.score, sum(l.points_lost)
              FROM kpi.agency_result a JOIN kpi.agency_ledger l USING (run_id, unit_id)
              GROUP BY 1, 2, 3) s
            WHERE lost <> 100 - score'), '0',
	'every official and agency ledger adds up to 100 - score');

done_testing();
