# Randomized: the same random task lines of thousands of civil servants,
# evaluated under four plans, must give identical tallies, period scores,
# tiers, annual scores, unit results and rollups (exact text):
#   serial        one unpartitioned table, no parallel workers (the reference)
#   parallel      the same table, 2 workers forced (Partial/Finalize Aggregate)
#   partitionwise a local table partitioned by province, partitionwise on
#   sharded       partitions on 3 postgres_fdw shards, partitionwise on
# Each run draws a new seed (printed; set KPI_SEED to replay one), and from it
# the data size, the number of provinces, how they are split into local
# partitions and over the shards, and the row order inside each table.
use strict;
use warnings;
use PostgreSQL::Test::Cluster;
use PostgreSQL::Test::Utils;
use Test::More;
use KpiTest;

my $seed = $ENV{KPI_SEED} // int(rand(1000000));
$seed =~ s/^0\.//;
srand($seed);    # the shape below is drawn from the seed too
my $officials = 2000 + int(rand(3001));
my $lines     = $officials * (15 + int(rand(16)));
my $nprov     = 4 + int(rand(6));
note "seed $seed (replay: KPI_SEED=$seed), $officials officials, $lines lines, $nprov provinces";

# provinces in a random order, dealt round-robin to the 3 shards, and cut into
# local partitions of 1 or 2 provinces (the last one the DEFAULT partition)
my @provs = map { $_->[1] } sort { $a->[0] <=> $b->[0] } map { [ rand(), $_ ] } 1 .. $nprov;
my @shard_lists = ([], [], []);
push @{ $shard_lists[ $_ % 3 ] }, $provs[$_] for 0 .. $#provs;
my @shards_provs = map { join(', ', @$_) } @shard_lists;
my @parts;
my $i = 0;
while ($i < $nprov - 1)
{
	if (int(rand(2)) == 0 || $i + 2 >= $nprov) { push @parts, $provs[$i]; $i += 1; }
	else { push @parts, "$provs[$i], $provs[$i + 1]"; $i += 2; }
}
note 'shards: ' . join(' ', map { "($_)" } @shards_provs) . '; local partitions: '
  . join(' ', map { "($_)" } @parts) . " + DEFAULT ($provs[-1])";

my $t0 = time;
my @shards = start_shards(3);
my $coord  = kpi_node('coordinator', 'max_worker_processes = 8', 'max_parallel_workers = 8');
my $db     = 'kpi_plans';
sub qv { return $coord->safe_psql($db, $_[0]); }
$coord->safe_psql('postgres', "CREATE DATABASE $db");
qv("CREATE EXTENSION kpi_eval;\n" . gen_sql('t_gen', $officials, $lines, $nprov, "0.$seed")
	  . "CREATE TABLE t_flat AS SELECT * FROM t_gen ORDER BY random();\n"
	  . "CREATE TABLE t_part (LIKE t_gen) PARTITION BY LIST (province);\n"
	  . join('', map { "CREATE TABLE t_part_$_ PARTITION OF t_part FOR VALUES IN ($parts[$_]);\n" } 0 .. $#parts)
	  . "CREATE TABLE t_part_default PARTITION OF t_part DEFAULT;\n"
	  . "INSERT INTO t_part SELECT * FROM t_gen ORDER BY random();\n"
	  . 'VACUUM ANALYZE t_flat; VACUUM ANALYZE t_part;');
create_servers($coord, $db, \@shards);
distribute($coord, $db, \@shards, 't_gen', 't_dist', 'text', @shards_provs);
note 'set up in ' . (time - $t0) . ' s';

my $S   = "SET enable_partitionwise_aggregate = off; $SERIAL";
my $P   = "SET enable_partitionwise_aggregate = off; $PARALLEL";
my $PW  = "SET enable_partitionwise_aggregate = on; $SERIAL";
my $AGG = 'kpi.tally_agg(coef, assigned_qty, completed_qty, passed_qty, quality_errors, late_events)';
my $Q   = "SELECT province, official, $AGG FROM %T GROUP BY province, official";
sub on { (my $s = $Q) =~ s/%T/$_[0]/g; return $s; }
my $nparts = @parts + 1;

# --- each plan is the plan it claims to be ------------------------------------
my $f = qv("$S EXPLAIN (COSTS OFF) " . on('t_flat'));
is(plan_count(qr/Aggregate/, $f) . plan_count(qr/Gather|Partial/, $f), '10',
	'serial plan: one aggregate, no Gather, no partial aggregation');
$f = qv("$P EXPLAIN (ANALYZE, COSTS OFF, TIMING OFF) " . on('t_flat'));
my ($launched) = $f =~ /Workers Launched: (\d+)/;
$launched //= 0;
ok(plan_count(qr/Partial (Hash|Group)?Aggregate/, $f) . plan_count(qr/Finalize/, $f) eq '11' && $launched >= 1,
	"parallel plan: Partial Aggregate in $launched launched workers + Finalize") or diag($f);
$f = qv("$PW EXPLAIN (COSTS OFF) " . on('t_part'));
is(plan_count(qr/(Hash|Group)Aggregate/, $f), $nparts, "partitionwise plan: one full aggregate per partition ($nparts)");
$f = qv("$PW EXPLAIN (VERBOSE, COSTS OFF) " . on('t_dist'));
is(plan_count(qr/Remote SQL: .*kpi\.tally_agg\(/, $f)
	  . plan_count(qr/(^|->  )(Partial |Finalize )?(Hash|Group|Mixed)?Aggregate/, $f),
	'30', 'sharded plan: kpi.tally_agg shipped in each of the 3 Foreign Scans');

# --- every plan gives the serial results --------------------------------------
for my $q (queries())
{
	my ($label, $sql) = @$q;
	(my $flat = $sql) =~ s/%T/t_flat/g;
	my $ref = qv("$S $flat");
	for my $v ([ 't_flat', $P, 'parallel' ], [ 't_part', $PW, 'partitionwise' ], [ 't_dist', $PW, 'sharded' ])
	{
		my ($tbl, $opts, $vlabel) = @$v;
		(my $s = $sql) =~ s/%T/$tbl/g;
		same_rows("$label: $vlabel = serial", $ref, qv("$opts $s"));
	}
}

note 'total ' . (time - $t0) . " s (seed $seed)";
done_testing();
