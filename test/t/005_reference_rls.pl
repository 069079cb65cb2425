# Row-level security of the reference schema, on a node of its own.
#
#   unit 1 (root) ── unit 2        role A reports on unit 1, B on unit 2,
#   unit 3 (root)                  C on unit 3; a login role member of A;
#                                  a reader with no unit
#
# The owner evaluates two months and the year; then each role, through SET
# ROLE, sees exactly its subtree's rows in the results, the ledger, the input
# tables and the views (A sees its child unit 2's rows too); a leaky
# function in a query on a view sees no other row; kpi.explain of someone
# else's official finds nothing; INSERT, UPDATE, DELETE and TRUNCATE of
# results are refused (42501); kpi.evaluate by an RLS-bound role is refused
# (42501) rather than scoring part of the organisation.
use strict;
use warnings;
use PostgreSQL::Test::Cluster;
use PostgreSQL::Test::Utils;
use Test::More;
use KpiTest;

my $node = kpi_node('rls');
my $db   = 'kpi_rls';
my ($READER, $RA, $RB, $RC, $ANH, $NOBODY) = map { "kpi_rls_$_" } qw(reader a b c anh nobody);
sub dbq { return $node->safe_psql($db, $_[0]); }
# as(ROLE, SQL): the output of SQL run after SET ROLE (and its errors)
sub as
{
	my ($role, $sql) = @_;
	my ($out, $err) = ('', '');
	$node->psql($db, "SET ROLE $role;\n$sql", stdout => \$out, stderr => \$err, on_error_stop => 1);
	return $err eq '' ? $out : "$out$err";
}
# state(ROLE, SQL): the SQLSTATE SQL ends with after SET ROLE ('00000': no error)
sub state { return sql_state($node, $db, "SET ROLE $_[0];\n$_[1]"); }

$node->safe_psql('postgres', "CREATE DATABASE $db");
dbq('CREATE EXTENSION kpi_eval_reference CASCADE');
dbq(org_sql());
my $su = dbq('SELECT current_user');

# the documented pattern: a group role with SELECT, one role per unit in it
dbq(<<"SQL");
CREATE ROLE $READER NOLOGIN;
GRANT USAGE ON SCHEMA kpi TO $READER;
GRANT SELECT ON ALL TABLES IN SCHEMA kpi TO $READER;
CREATE ROLE $RA NOLOGIN IN ROLE $READER;
CREATE ROLE $RB NOLOGIN IN ROLE $READER;
CREATE ROLE $RC NOLOGIN IN ROLE $READER;
CREATE ROLE $ANH LOGIN IN ROLE $RA;
CREATE ROLE $NOBODY NOLOGIN IN ROLE $READER;
UPDATE kpi.unit SET reporting_role = CASE unit_id WHEN 1 THEN '$RA' WHEN 2 THEN '$RB' ELSE '$RC' END;
-- B may also enter marks (the policies restrict it to its subtree)
GRANT INSERT ON kpi.general_mark TO $RB;
-- a unit whose reporting role does not exist (dropped): no error, no rows
INSERT INTO kpi.unit (unit_id, parent_id, name, reporting_role) VALUES (4, 3, 'Phòng không còn', 'kpi_no_such_role');
SQL

# the owner evaluates, as before
my $err = '';
my $rc = $node->psql($db, "SET client_min_messages = warning; CALL kpi.evaluate('2026-01-01', 'month');
	CALL kpi.evaluate('2026-02-01', 'month'); CALL kpi.evaluate('2026-01-01', 'year');",
	stderr => \$err, on_error_stop => 1);
ok($rc == 0, 'the owner evaluates two months and the year with row-level security enabled')
  or BAIL_OUT("the owner's kpi.evaluate failed: $err");
is(dbq('SELECT count(*) FROM kpi.official_result') . ' ' . dbq('SELECT count(*) FROM kpi.agency_result'), '21 1',
	"the owner's runs scored every official (7 x 3 results) and the agency");
is(dbq("SELECT string_agg(c.relname, ',' ORDER BY c.relname) FROM pg_class c WHERE c.relnamespace = 'kpi'::regnamespace AND c.relrowsecurity"),
	'adhoc_bonus,agency_input,agency_ledger,agency_result,assessment,assignment,disciplinary_record,evaluation_run,general_mark,index_value,input_problem,lawmaking_document,lawmaking_impact,leader_criteria,leave,official,official_result,official_result_2026,pay_unit_fund,payout,payout_ledger,payroll,quota_approval,rule_set,run_correction,run_seal,run_supersession,task_line,unit,unit_forms_period',
	'row-level security is enabled on the 24 tables with unit data, the year partition of 2026 and on the 5 of runs and rule sets (read-only under it); the ledger is a security_invoker view over the results');
# a year partition read directly is under the policies of its parent (the
# grant above came before kpi.evaluate made them: none on them yet)
dbq("GRANT SELECT ON kpi.official_result_2026 TO $RB");
is(as($RB, 'SELECT count(*) FROM kpi.official_result_2026') . ' ' . as($RB, 'SELECT count(*) FROM kpi.ledger WHERE unit_id <> 2'),
	as($RB, 'SELECT count(*) FROM kpi.official_result') . ' 0',
	"unit 2's role reads in kpi.official_result_2026 what it reads in kpi.official_result, and no other unit's ledger rows");
is(dbq("SELECT count(*) FROM pg_class c WHERE c.relnamespace = 'kpi'::regnamespace AND c.relkind = 'v' AND NOT (c.relname IN ('visible_unit', 'visible_quota_group') OR 'security_invoker=true' = ANY (c.reloptions))"),
	'0', 'every reporting view is security_invoker');

# what each role sees: units of official_result, ledger, current results, tier
# distribution, official, task_line, general_mark, unit; agency results
sub seen
{
	return as($_[0], q{SELECT concat_ws(' | ',
	  (SELECT string_agg(DISTINCT unit_id::text, ',') FROM kpi.official_result),
	  (SELECT string_agg(DISTINCT official_id::text, ',') FROM kpi.official_result),
	  (SELECT string_agg(DISTINCT unit_id::text, ',') FROM kpi.ledger),
	  (SELECT string_agg(DISTINCT unit_id::text, ',') FROM kpi.current_official_result),
	  (SELECT string_agg(DISTINCT unit_id::text, ',') FROM kpi.tier_distribution),
	  (SELECT string_agg(DISTINCT o.unit_id::text, ',') FROM kpi.task_line t JOIN kpi.official o USING (official_id)),
	  (SELECT string_agg(DISTINCT official_id::text, ',') FROM kpi.general_mark),
	  (SELECT string_agg(unit_id::text, ',' ORDER BY unit_id) FROM kpi.unit),
	  'agency:' || coalesce((SELECT string_agg(unit_id::text, ',') FROM kpi.current_agency_result), '-')
	             || '/' || (SELECT count(*) FROM kpi.agency_ledger),
	  'backlog:' || coalesce((SELECT string_agg(unit_id::text, ',') FROM kpi.lawmaking_backlog_at('2026-06-01')), '-'))});
}
my $n_al = dbq('SELECT count(*) FROM kpi.agency_ledger');
is(seen($su), "1,2,3 | 1,2,3,4,5,6,7 | 1,2,3 | 1,2,3 | 1,2,3 | 1,2,3 | 1,2,3,4,5,6,7 | 1,2,3,4 | agency:1/$n_al | backlog:1,3",
	'the superuser sees every row');
is(seen($RA), "1,2 | 1,2,3,4,5 | 1,2 | 1,2 | 1,2 | 1,2 | 1,2,3,4,5 | 1,2 | agency:1/$n_al | backlog:1",
	"unit 1's role sees units 1 and 2 (its child) in results, ledger, views and inputs, not unit 3");
is(seen($RB), '2 | 3,4,5 | 2 | 2 | 2 | 2 | 3,4,5 | 2 | agency:-/0 | backlog:-',
	"unit 2's role sees only unit 2 (not its parent, not unit 3)");
is(seen($RC), '3 | 6,7 | 3 | 3 | 3 | 3 | 6,7 | 3,4 | agency:-/0 | backlog:3',
	"unit 3's role sees only unit 3 and its child unit 4 (whose own role was dropped)");
is(seen($ANH), seen($RA), "a member of unit 1's role sees what unit 1's role sees");
is(seen($NOBODY), 'agency:-/0 | backlog:-',
	'a reader with no unit sees no row (the unit with a dropped reporting role is no error)');
is(as($RB, 'SELECT count(*) FROM kpi.official_result') . ' '
	  . as($RB, 'SELECT count(*) FROM kpi.ledger WHERE unit_id <> 2') . ' '
	  . as($RB, 'SELECT count(*) FROM kpi.quota_decisions WHERE unit_id <> 2'),
	'9 0 0', "unit 2's role: its 3 officials x 3 runs, no ledger or quota row of another unit");
is(as($RA, "SELECT string_agg(DISTINCT unit_id::text, ',') FROM kpi.current_unit_result") . '/'
	  . as($RB, "SELECT string_agg(DISTINCT unit_id::text, ',') FROM kpi.current_unit_result") . '/'
	  . as($RC, "SELECT sum(officials) FROM kpi.current_unit_result WHERE period_kind = 'year'"),
	'1,2/2/2', "kpi.current_unit_result: units 1 and 2 for unit 1's role, 2 for unit 2's, unit 3's 2 officials for unit 3's");
is(as($RA, 'SELECT count(*) FROM kpi.ledger') . ' ' . as($RC, 'SELECT count(*) FROM kpi.ledger'),
	dbq("SELECT count(*) FILTER (WHERE unit_id IN (1, 2)) || ' ' || count(*) FILTER (WHERE unit_id = 3) FROM kpi.ledger"),
	'the ledger rows a role sees are all those of its subtree');

# a leaky function in the WHERE clause of a query on a view sees no other row
my ($out, $leak) = ('', '');
$node->psql($db, "SET ROLE $RB;
	CREATE FUNCTION pg_temp.leak(o bigint, s numeric) RETURNS boolean LANGUAGE plpgsql COST 0.0000001 AS
	\$\$ BEGIN RAISE NOTICE 'leak: % %', o, s; RETURN true; END \$\$;
	SELECT count(*) FROM kpi.current_official_result WHERE pg_temp.leak(official_id, score);
	SELECT count(*) FROM kpi.tier_distribution t WHERE pg_temp.leak(t.unit_id, t.officials);",
	stdout => \$out, stderr => \$leak);
my %ids = map { $_ => 1 } $leak =~ /leak: (\d+)/g;
is(join(',', sort { $a <=> $b } keys %ids), '2,3,4,5',
	"a leaky function on the views sees only unit 2's rows (officials 3-5, unit 2)");

# kpi.explain and kpi.what_if run with the caller's rights
is(state($RB, "SELECT * FROM kpi.explain(6, '2026-01-01', 'en', 'month')"), 'P0002',
	"kpi.explain of another unit's official: no current result (P0002)");
cmp_ok(as($RB, "SELECT count(*) FROM kpi.explain(3, '2026-01-01', 'en', 'month')"), '>', 0,
	'kpi.explain of an official of its own unit works');
is(as($RC, q{SELECT string_agg(official_id::text, ',' ORDER BY official_id) FROM kpi.what_if('2026-01-01', 'month', '{"progress_reading": "strict"}')}),
	'6,7', "kpi.what_if by unit 3's role covers unit 3's officials only");

# changes are refused
cmp_ok($n_al, '>', 0, "the agency has a ledger to hide ($n_al rows)");
for my $tc (qw(official_result:score agency_result:score agency_ledger:points_lost evaluation_run:created_at))
{
	my ($t, $c) = split /:/, $tc;
	is(state($RA, "UPDATE kpi.$t SET $c = $c") . '/' . state($RA, "DELETE FROM kpi.$t") . '/' . state($RA, "TRUNCATE kpi.$t"),
		'42501/42501/42501', "unit 1's role cannot UPDATE, DELETE or TRUNCATE kpi.$t (42501)");
}
is(state($RA, 'UPDATE kpi.ledger SET points_lost = 0') . '/' . state($RA, 'DELETE FROM kpi.ledger'),
	'42501/42501', "unit 1's role cannot UPDATE or DELETE through the view kpi.ledger (42501)");
is(state($RA, 'INSERT INTO kpi.official_result SELECT * FROM kpi.official_result LIMIT 1'), '42501',
	"unit 1's role cannot INSERT results (42501)");
is(state($RB, 'UPDATE kpi.official_result SET score = 100'), '42501', "unit 2's role cannot UPDATE results (42501)");
dbq("GRANT UPDATE, DELETE ON kpi.official_result TO $RB");
is(state($RB, 'UPDATE kpi.official_result SET score = 100 WHERE unit_id = 2') . '/' . state($RB, 'DELETE FROM kpi.official_result'),
	'00000/00000', 'granted UPDATE and DELETE anyway: the policies allow only SELECT, so they match no row');
is(dbq('SELECT count(*) FROM kpi.official_result WHERE score = 100') . ' ' . dbq('SELECT count(*) FROM kpi.official_result'),
	'0 21', 'and nothing changed');
dbq("REVOKE UPDATE, DELETE ON kpi.official_result FROM $RB");

# input tables: a role allowed to enter marks can do so only in its subtree
is(state($RB, q{INSERT INTO kpi.general_mark VALUES (3, '2026-03-01', '{5,5,2.5,2.5,2.5,2.5,2.5,2.5,2.5,2.5}')}) . '/'
	  . state($RB, q{INSERT INTO kpi.general_mark VALUES (6, '2026-03-01', '{5,5,2.5,2.5,2.5,2.5,2.5,2.5,2.5,2.5}')}),
	'00000/42501', "unit 2's role may enter marks of its own official, not of unit 3's (42501, row-level security)");

# which forms a unit reads (CY2) is the owner's: a unit's role reads the rows
# of its subtree and writes none, even with the privileges granted
dbq(q{INSERT INTO kpi.unit_forms_period VALUES (2, '[2026-07-01,)', 'quarter', 'CV 1'), (3, '[2026-07-01,)', 'quarter', 'CV 2')});
dbq("GRANT INSERT, UPDATE, DELETE ON kpi.unit_forms_period TO $RB");
is(as($RB, q{SELECT string_agg(unit_id::text, ',' ORDER BY unit_id) FROM kpi.unit_forms_period}) . '/'
	  . state($RB, q{INSERT INTO kpi.unit_forms_period VALUES (2, '[2026-01-01,2026-07-01)', 'quarter')}) . '/'
	  . state($RB, q{UPDATE kpi.unit_forms_period SET forms_period = 'period'}) . '/'
	  . dbq(q{SELECT string_agg(forms_period, ',') FROM kpi.unit_forms_period}),
	'2/42501/00000/quarter,quarter',
	"kpi.unit_forms_period: unit 2's role sees its own row, cannot add one (42501), and its UPDATE matches no row");
dbq("REVOKE INSERT, UPDATE, DELETE ON kpi.unit_forms_period FROM $RB; DELETE FROM kpi.unit_forms_period");

# kpi.evaluate under row-level security would score part of the organisation
dbq("GRANT INSERT ON ALL TABLES IN SCHEMA kpi TO $RA");
is(state($RA, "CALL kpi.evaluate('2026-03-01', 'month')"), '42501',
	'kpi.evaluate by a role under row-level security is refused (42501), even with INSERT granted');
is(dbq('SELECT count(*) FROM kpi.evaluation_run'), '3', 'and wrote no run');
dbq("ALTER ROLE $RA BYPASSRLS; GRANT USAGE ON ALL SEQUENCES IN SCHEMA kpi TO $RA");
dbq(march_sql());
is(state($RA, "CALL kpi.evaluate('2026-03-01', 'month')") . '/'
	  . dbq("SELECT count(*) || ',' || max(created_by) FROM kpi.official_result r JOIN kpi.evaluation_run e USING (run_id) WHERE e.period_start = '2026-03-01'"),
	"00000/3,$RA", 'a role with BYPASSRLS (and INSERT) evaluates every official (3 with March data)');

done_testing();
