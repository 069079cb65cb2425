# Partitionwise aggregation over kpi_eval aggregates, on a node of its own.
#
# Task lines partitioned by province (LIST, 4 partitions, one of them DEFAULT)
# and by month (RANGE, 12 partitions).  With enable_partitionwise_aggregate=on
# the plans must aggregate per partition -- fully when the GROUP BY holds the
# partition key, partially (Partial Aggregate per partition + Finalize) when it
# does not -- in serial and in forced-parallel variants, and every result
# (kpi.tally_agg both forms, kpi.rollup, kpi.period_score, kpi.task_pct,
# kpi.tier_of, kpi.annual_score, kpi.unit_result) must equal, as text, the
# serial result over the same rows in one unpartitioned table.  Stored
# per-official monthly tallies, partitioned by province, exercise kpi.rollup,
# kpi.annual_score and kpi.unit_result (and their combine functions) directly.
#
# Env: KPI_PW_OFFICIALS (2000), KPI_PW_LINES (120000), KPI_SEED (0.3141)
use strict;
use warnings;
use PostgreSQL::Test::Cluster;
use PostgreSQL::Test::Utils;
use Test::More;
use KpiTest;

my $officials = $ENV{KPI_PW_OFFICIALS} // 2000;
my $lines     = $ENV{KPI_PW_LINES}     // 120000;
my $seed      = $ENV{KPI_SEED}         // 0.3141;

my $node = kpi_node('partitionwise', 'max_worker_processes = 8', 'max_parallel_workers = 8');
my $db = 'kpi_partitionwise';
$node->safe_psql('postgres', "CREATE DATABASE $db");
$node->safe_psql($db, 'CREATE EXTENSION kpi_eval');

my $t0 = time;
$node->safe_psql($db, gen_sql('t_flat', $officials, $lines, 6, $seed) . <<'SQL'
CREATE TABLE t_prov (LIKE t_flat) PARTITION BY LIST (province);
CREATE TABLE t_prov_1 PARTITION OF t_prov FOR VALUES IN (1);
CREATE TABLE t_prov_2 PARTITION OF t_prov FOR VALUES IN (2);
CREATE TABLE t_prov_34 PARTITION OF t_prov FOR VALUES IN (3, 4);
CREATE TABLE t_prov_other PARTITION OF t_prov DEFAULT;
INSERT INTO t_prov SELECT * FROM t_flat;
CREATE TABLE t_month (LIKE t_flat) PARTITION BY RANGE (period);
SELECT format('CREATE TABLE t_month_%s PARTITION OF t_month FOR VALUES FROM (%L) TO (%L)',
              to_char(m, 'MM'), m::date, (m + interval '1 month')::date)
  FROM generate_series(date '2025-01-01', date '2025-12-01', interval '1 month') m
\gexec
INSERT INTO t_month SELECT * FROM t_flat;
SQL
	  . tally_table_sql('t_flat', 'tt_flat') . <<'SQL');
CREATE TABLE tt_prov (LIKE tt_flat) PARTITION BY LIST (province);
CREATE TABLE tt_prov_1 PARTITION OF tt_prov FOR VALUES IN (1);
CREATE TABLE tt_prov_2 PARTITION OF tt_prov FOR VALUES IN (2);
CREATE TABLE tt_prov_34 PARTITION OF tt_prov FOR VALUES IN (3, 4);
CREATE TABLE tt_prov_other PARTITION OF tt_prov DEFAULT;
INSERT INTO tt_prov SELECT * FROM tt_flat;
VACUUM ANALYZE;
SQL
note "$lines lines, $officials officials, seed $seed, loaded in " . (time - $t0) . " s";

sub qv { return $node->safe_psql($db, $_[0]); }

# Every partition holds rows, and the three tables hold the same rows.
is(qv("SELECT count(*) FILTER (WHERE n > 0) || '/' || count(*) FROM (
	SELECT tableoid, count(*) n FROM t_prov GROUP BY tableoid
	UNION ALL SELECT tableoid, count(*) FROM t_month GROUP BY tableoid) s"),
	'16/16', 'all 4 province and 12 month partitions hold rows');
is(qv("SELECT (SELECT count(*) FROM (TABLE t_flat EXCEPT ALL TABLE t_prov) a)
	+ (SELECT count(*) FROM (TABLE t_prov EXCEPT ALL TABLE t_flat) b)
	+ (SELECT count(*) FROM (TABLE t_flat EXCEPT ALL TABLE t_month) c)
	+ (SELECT count(*) FROM (TABLE t_month EXCEPT ALL TABLE t_flat) d)"),
	'0', 'partitioned tables hold exactly the rows of the flat table');

my $PW_OFF      = "SET enable_partitionwise_aggregate = off; $SERIAL";
my $PW_SERIAL   = "SET enable_partitionwise_aggregate = on; $SERIAL";
my $PW_PARALLEL = "SET enable_partitionwise_aggregate = on; $PARALLEL";
my $AGG = 'kpi.tally_agg(coef, assigned_qty, completed_qty, passed_qty, quality_errors, late_events)';

# explain_check(LABEL, OPTIONS, SQL, FULL, PARTIAL, FINAL, GATHER)
#   FULL    expected number of non-partial (Hash|Group)Aggregate nodes
#   PARTIAL expected number of Partial (Hash|Group)Aggregate nodes
#   FINAL   expected number of Finalize nodes
#   GATHER  1: a Gather (Merge) must be present, 0: none
sub explain_check
{
	my ($label, $opts, $sql, $full, $partial, $final, $gather) = @_;
	$gather //= 0;
	my $plan = qv("$opts EXPLAIN (COSTS OFF) $sql");
	my $nf   = plan_count(qr/(^|->  )(Hash|Group|Mixed)?Aggregate/, $plan);
	my $np   = plan_count(qr/Partial (Hash|Group|Mixed)?Aggregate/, $plan);
	my $nfin = plan_count(qr/Finalize/,                              $plan);
	my $ng   = plan_count(qr/Gather/,                                $plan);
	ok( $nf == $full && $np == $partial && $nfin == $final && ($gather ? $ng >= 1 : $ng == 0),
		$label)
	  or diag("full/partial/finalize/gather: $nf/$np/$nfin/$ng, expected $full/$partial/$final/$gather\n$plan");
}

# --- plans -------------------------------------------------------------------
explain_check('partitionwise off: one aggregate over the Append (control)', $PW_OFF,
	"SELECT province, official, $AGG FROM t_prov GROUP BY province, official", 1, 0, 0);
explain_check('by province: GROUP BY partition key -> full aggregate per partition (4)', $PW_SERIAL,
	"SELECT province, official, $AGG FROM t_prov GROUP BY province, official", 4, 0, 0);
explain_check('by province: GROUP BY task_group -> Partial Aggregate per partition (4) + Finalize', $PW_SERIAL,
	"SELECT task_group, $AGG FROM t_prov GROUP BY task_group", 0, 4, 1);
explain_check('stored tallies by province: kpi.rollup per unit -> full aggregate per partition (4)', $PW_SERIAL,
	'SELECT province, unit, kpi.rollup(t) FROM tt_prov GROUP BY province, unit', 4, 0, 0);
explain_check('stored tallies by province: kpi.rollup per task group -> Partial Aggregate per partition (4) + Finalize', $PW_SERIAL,
	'SELECT task_group, kpi.rollup(t) FROM tt_prov GROUP BY task_group', 0, 4, 1);
explain_check('stored tallies by province: kpi.annual_score per task group -> Partial per partition (4) + Finalize', $PW_SERIAL,
	'SELECT task_group, kpi.annual_score(kpi.period_score(general, t)) FROM tt_prov GROUP BY task_group', 0, 4, 1);
explain_check('stored tallies by province: kpi.unit_result per month -> Partial per partition (4) + Finalize', $PW_SERIAL,
	'SELECT period, kpi.unit_result(kpi.period_score(general, t)) FROM tt_prov GROUP BY period', 0, 4, 1);
explain_check('by month: GROUP BY partition key -> full aggregate per partition (12)', $PW_SERIAL,
	"SELECT period, official, $AGG FROM t_month GROUP BY period, official", 12, 0, 0);
explain_check('by month: GROUP BY official -> Partial Aggregate per partition (12) + Finalize', $PW_SERIAL,
	"SELECT official, $AGG FROM t_month GROUP BY official", 0, 12, 1);
explain_check('by month: single-unit kpi.tally_agg, no GROUP BY -> Partial per partition (12) + Finalize', $PW_SERIAL,
	'SELECT kpi.tally_agg(coef, done, passed, quality_errors, late_events) FROM t_month', 0, 12, 1);
explain_check('parallel, by province: full aggregate per partition under Gather/Parallel Append', $PW_PARALLEL,
	"SELECT province, official, $AGG FROM t_prov GROUP BY province, official", 4, 0, 0, 1);
explain_check('parallel, by province: Partial Aggregate per partition over Parallel Seq Scan + Finalize', $PW_PARALLEL,
	"SELECT task_group, $AGG FROM t_prov GROUP BY task_group", 0, 4, 1, 1);
explain_check('parallel, by month: GROUP BY partition key -> full aggregate per partition (12) under Gather', $PW_PARALLEL,
	"SELECT period, official, $AGG FROM t_month GROUP BY period, official", 12, 0, 0, 1);

# The forced-parallel plan really runs in workers (not just planned).
my $plan = qv("$PW_PARALLEL EXPLAIN (ANALYZE, COSTS OFF, TIMING OFF) SELECT task_group, $AGG FROM t_prov GROUP BY task_group");
my ($launched) = $plan =~ /Workers Launched: (\d+)/;
$launched //= 0;
cmp_ok($launched, '>=', 1, "parallel partitionwise plan launched workers (Workers Launched: $launched)");
cmp_ok(plan_count(qr/Parallel Seq Scan/, $plan), '>=', 4,
	'parallel partitionwise plan scans partitions with Parallel Seq Scan');

# --- results -----------------------------------------------------------------
# Reference: serial, partitionwise off, unpartitioned table.  Each query's
# result under each plan must match it line for line.
for my $q (queries())
{
	my ($label, $sql) = @$q;
	(my $flat = $sql) =~ s/%T/t_flat/g;
	my $ref = qv("$PW_OFF $flat");
	for my $v ([ 't_prov', $PW_SERIAL, 'by province, partitionwise' ],
		[ 't_month', $PW_SERIAL,   'by month, partitionwise' ],
		[ 't_prov',  $PW_PARALLEL, 'by province, partitionwise + parallel' ],
		[ 't_month', $PW_PARALLEL, 'by month, partitionwise + parallel' ])
	{
		my ($tbl, $opts, $vlabel) = @$v;
		(my $s = $sql) =~ s/%T/$tbl/g;
		same_rows("$label: $vlabel = unpartitioned serial", $ref, qv("$opts $s"));
	}
}
for my $q (tally_queries())
{
	my ($label, $sql) = @$q;
	(my $flat = $sql) =~ s/%T/tt_flat/g;
	(my $part = $sql) =~ s/%T/tt_prov/g;
	my $ref = qv("$PW_OFF $flat");
	same_rows("$label: by province, partitionwise = unpartitioned serial", $ref, qv("$PW_SERIAL $part"));
	same_rows("$label: by province, partitionwise + parallel = unpartitioned serial", $ref, qv("$PW_PARALLEL $part"));
}

note 'total ' . (time - $t0) . ' s';
$node->stop;
done_testing();
