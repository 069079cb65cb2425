# pg_dump / pg_restore round trip of the reference schema, on a node of its
# own.
#
# A small organisation (KpiTest::org_sql) is evaluated (two months, the year,
# a superseded run), dumped with pg_dump -Fc and restored with pg_restore into
# a fresh database, where CREATE EXTENSION comes from the dump (with an
# assignment history, a leave and form levels of the 2026 cycle).  Then: every
# kpi table has the same rows (count and md5 of its rows in primary-key
# order), the sequences the same values, the seeded rule set is there once,
# the policies and grants are back (a reporting role sees the same rows), and
# the restored database keeps working: new rows get new ids (no duplicate
# key), March is evaluated as the next run, an evaluated period is still
# refused without supersede.
use strict;
use warnings;
use PostgreSQL::Test::Cluster;
use PostgreSQL::Test::Utils;
use Test::More;
use KpiTest;
use IPC::Run;

my $node = kpi_node('dump');
my ($src, $dst, $role) = ('kpi_dump_src', 'kpi_dump_dst', 'kpi_dump_reader');
my $work = PostgreSQL::Test::Utils::tempdir;
sub qv { return $node->safe_psql($_[0], $_[1]); }

$node->safe_psql('postgres', "CREATE DATABASE $src");
qv($src, 'CREATE EXTENSION kpi_eval_reference CASCADE');
qv($src, org_sql());
qv($src, <<"SQL");
SET client_min_messages = warning;
CALL kpi.evaluate('2026-01-01', 'month');
CALL kpi.evaluate('2026-02-01', 'month');
CALL kpi.evaluate('2026-02-01', 'month', supersede => true);
-- an approved quota rate and a named quota group (dumped like the inputs)
INSERT INTO kpi.quota_approval (year, unit_id, rate, decision) VALUES (2026, 2, 0.5, 'QĐ 7/QĐ-STP');
-- an agency on quarterly forms from the third quarter (CY2, dumped like the inputs)
INSERT INTO kpi.unit_forms_period (unit_id, effective, forms_period, decision) VALUES (2, '[2026-07-01,)', 'quarter', 'CV 9/STP');
UPDATE kpi.official SET quota_group = 'Lãnh đạo' WHERE is_leader;
CALL kpi.evaluate('2026-01-01', 'year');
-- a rule set of yours for 2027 (dumped), beside the seeded one (not dumped)
INSERT INTO kpi.rule_set (name, effective, rules) VALUES ('Quy định 2027', '[2027-01-01,)', '{"quota_rate": 0.25}');
-- a reporting role and its grant (dumped as the tables' ACLs)
CREATE ROLE $role NOLOGIN;
GRANT USAGE ON SCHEMA kpi TO $role;
GRANT SELECT ON ALL TABLES IN SCHEMA kpi TO $role;
UPDATE kpi.unit SET reporting_role = '$role' WHERE unit_id = 2;
-- the 2026 cycle (issue 13): a move, a leave, form levels pending a decision
INSERT INTO kpi.assignment (official_id, unit_id, task_group, valid) VALUES
	(7, 3, 'chuyen_vien', '[,2026-03-16)'), (7, 1, 'chuyen_vien', '[2026-03-16,)');
INSERT INTO kpi.leave (official_id, kind, valid) VALUES (4, 'sick', '[2026-04-02,2026-04-10)');
INSERT INTO kpi.assessment (official_id, period_start, level, marks, assessed_by)
VALUES (5, '2026-04-01', 'self', '{5,5,2.5,2.5,2.5,2.5,2.5,2.5,2.5,2.5}', 'em');
INSERT INTO kpi.assessment (official_id, period_start, level, marks, assessed_by)
VALUES (5, '2026-04-01', 'manager', '{5,5,2.5,2.5,2.5,2.5,2.5,2.5,2.5,2}', 'truong_phong');
SQL

# dump and restore into a fresh database
# (pg_dump warns of the circular foreign keys of kpi.unit and
# kpi.evaluation_run, whose data it dumps as extension configuration tables;
# the restore below shows they load without error)
my ($out, $err) = ('', '');
ok(IPC::Run::run([ 'pg_dump', '-Fc', '-f', "$work/kpi.dump", '-d', $node->connstr($src) ], '>', \$out, '2>', \$err),
	'pg_dump -Fc of the evaluated database') or BAIL_OUT("pg_dump failed: $err");
my ($toc) = run_command([ 'pg_restore', '-l', "$work/kpi.dump" ]);
my $ndata = grep { / EXTENSION - kpi_eval| TABLE DATA kpi / } split /\n/, $toc;
my $nddl  = grep { / TABLE kpi (?!official_result_2026 )/ } split /\n/, $toc;
my $npart = grep { / TABLE kpi official_result_2026 / } split /\n/, $toc;
ok($ndata >= 15 && $nddl == 0 && $npart == 1,
	"the dump's table of contents has the extension and the data of the kpi tables, not the tables' DDL but that of the year partition of 2026 (not a member of the extension; the ledgers are in its rows)")
  or diag("extension and table data entries: $ndata, table DDL entries: $nddl, year partitions: $npart");
$node->safe_psql('postgres', "CREATE DATABASE $dst TEMPLATE template0");
($out, $err) = run_command([ 'pg_restore', '--exit-on-error', '-d', $node->connstr($dst), "$work/kpi.dump" ]);
is($err, '', 'pg_restore into a fresh database: no error, no warning');

# the same rows in every table, in primary-key order
my $gen = q{SELECT c.relname, format('SELECT count(*) || '' '' || coalesce(md5(string_agg(t::text, E''\\n'' ORDER BY %s)), ''-'') FROM %s t',
        (SELECT string_agg(format('t.%I', a.attname), ', ' ORDER BY k.n)
           FROM pg_index i CROSS JOIN LATERAL unnest(i.indkey) WITH ORDINALITY k(attnum, n)
           JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = k.attnum
          WHERE i.indrelid = c.oid AND i.indisprimary),
        c.oid::regclass)
     FROM pg_class c WHERE c.relnamespace = 'kpi'::regnamespace AND c.relkind = 'r' ORDER BY 1};
my $ntables = 0;
for my $line (split /\n/, qv($src, $gen))
{
	my ($tbl, $sql) = split /\|/, $line, 2;
	$ntables++;
	my ($a, $b) = (qv($src, $sql), qv($dst, $sql));
	my ($rows) = split / /, $a;
	ok($a ne '' && $a eq $b, "kpi.$tbl: the same rows after the restore ($rows rows, md5 in key order)")
	  or diag("before: $a\nafter:  $b");
}
is($ntables, 42, 'the comparison covered the 42 kpi tables');
is(qv($dst, 'SELECT count(*) || md5(string_agg(l::text, E\'\\n\' ORDER BY run_id, official_id, line_no)) FROM kpi.ledger l'),
   qv($src, 'SELECT count(*) || md5(string_agg(l::text, E\'\\n\' ORDER BY run_id, official_id, line_no)) FROM kpi.ledger l'),
   'the view kpi.ledger reads the same rows from the restored packed ledgers');
ok(qv($src, 'SELECT count(*) FROM kpi.ledger') > 0 && qv($src, 'SELECT count(*) FROM kpi.agency_result') == 1,
	'the source had results to compare (official results, ledger rows, an agency result)');
my $seqs = "SELECT string_agg(sequencename || '=' || coalesce(last_value::text, 'NULL'), ',' ORDER BY sequencename) FROM pg_sequences WHERE schemaname = 'kpi'";
is(qv($dst, $seqs), qv($src, $seqs), 'the kpi sequences have the same values');
is(qv($dst, "SELECT count(*) FILTER (WHERE seeded) || ' ' || count(*) FROM kpi.rule_set"), '1 3',
	'the seeded Decree 335 rule set is there once, beside the 2 rule sets of yours');
my $members = "SELECT count(*) FROM pg_depend WHERE refclassid = 'pg_extension'::regclass AND deptype = 'e' AND refobjid = (SELECT oid FROM pg_extension WHERE extname = 'kpi_eval')";
is(qv($dst, $members), qv($src, $members), 'the restored extension has the same members');
my $pol = "SELECT count(*) || ' ' || string_agg(DISTINCT tablename, ',') FROM pg_policies WHERE schemaname = 'kpi'";
is(qv($dst, $pol), qv($src, $pol), 'the row-level security policies are there once');
my $seen = "SET ROLE $role; SELECT string_agg(DISTINCT unit_id::text, ',') || ' ' || count(*) FROM kpi.current_official_result";
is(qv($dst, $seen), qv($src, $seen), "the reporting role's grants came back: it sees the same rows (its subtree)");
is(qv($dst, $seen), '2 9', "(unit 2's 3 officials in the current runs of January, February and the year)");

# the restored database keeps working
my $rc = $node->psql($dst, march_sql() . <<'SQL', stderr => \$err, on_error_stop => 1);
INSERT INTO kpi.disciplinary_record (official_id, decided_on, kind, form, duty_related)
VALUES (6, '2026-03-05', 'discipline', 'khien_trach', false);
INSERT INTO kpi.lawmaking_document (unit_id, role, title, due) VALUES (3, 'appraisal', 'Thẩm định C', '2026-04-30');
INSERT INTO kpi.rule_set (name, effective, rules, is_draft) VALUES ('Dự thảo sau khôi phục', '[2026-01-01,)', '{}', true);
SQL
ok($rc == 0 && $err eq '',
	'new task lines, marks, records, documents and rule sets in the restored database (no duplicate key)')
  or diag($err);
is(qv($dst, "SELECT (SELECT min(task_id) FROM kpi.task_line WHERE due = '2026-03-20') > (SELECT max(task_id) FROM kpi.task_line WHERE due < '2026-03-01')
                   AND (SELECT max(rule_set_id) FROM kpi.rule_set) = 4"), 't',
	'the identities continue after the restored ones');
$rc = $node->psql($dst, "SET client_min_messages = warning; CALL kpi.evaluate('2026-03-01', 'month')",
	stderr => \$err, on_error_stop => 1);
ok($rc == 0, 'CALL kpi.evaluate of March in the restored database') or diag($err);
is(qv($dst, "SELECT max(run_id) || ' ' || count(*) FILTER (WHERE period_start = '2026-03-01') FROM kpi.evaluation_run"),
	(qv($src, 'SELECT max(run_id) FROM kpi.evaluation_run') + 1) . ' 1', "March's run takes the next run id");
is(qv($dst, "SELECT count(*) FROM kpi.current_official_result WHERE period_start = '2026-03-01' AND period_kind = 'month'"), '2',
	'March has the results of the 2 officials with March data');
is(sql_state($node, $dst, "CALL kpi.evaluate('2026-01-01', 'month')"), '55000',
	'a period evaluated before the dump is still refused without supersede (55000)');
is(sql_state($node, $dst, "CALL kpi.evaluate('2026-01-01', 'year', supersede => true)") . '/'
	  . qv($dst, 'SELECT count(*) FROM kpi.run_supersession'),
	'00000/2', 'the year is evaluated again with supersede (2 superseded runs)');
is(sql_state($node, $dst, 'UPDATE kpi.official_result SET score = 0') . '/'
	  . sql_state($node, $dst, 'DELETE FROM kpi.rule_set WHERE seeded'),
	'55000/55000', 'the restored results are still append-only and the seeded rule set read-only (55000)');

done_testing();
