# Sharding kpi_eval data by province with postgres_fdw.
#
# Starts 3 shard nodes and a coordinator, installs kpi_eval on each, and on
# the coordinator builds tables partitioned by province whose partitions are
# postgres_fdw foreign tables on the shards, servers created with OPTIONS
# (extensions 'kpi_eval').  Checks:
#  (a) GROUP BY the partition key with enable_partitionwise_aggregate=on ships
#      the whole aggregate: every Foreign Scan's Remote SQL holds kpi.tally_agg
#      (and kpi.rollup / kpi.period_score / kpi.annual_score / kpi.unit_result);
#      without the extensions option, or with partitionwise off, it does not;
#  (b) results equal the single-node serial run over the same rows;
#  (c) grouping across provinces aggregates partially on the coordinator and
#      is still exact;
#  (d) the single-unit kpi.tally_agg and kpi.rollup over foreign tables, with
#      stored tallies shipped to the shards by binary COPY (tally_send/recv);
#  plus the same with async foreign scans (async_capable 'true').
#
# Env: KPI_FDW_OFFICIALS (2000), KPI_FDW_LINES (60000), KPI_SEED (0.2718)
use strict;
use warnings;
use PostgreSQL::Test::Cluster;
use PostgreSQL::Test::Utils;
use Test::More;
use KpiTest;

my $officials = $ENV{KPI_FDW_OFFICIALS} // 2000;
my $lines     = $ENV{KPI_FDW_LINES}     // 60000;
my $seed      = $ENV{KPI_SEED}          // 0.2718;
# province lists per shard (7 provinces over 3 shards)
my @shard_provinces = ('1, 4, 7', '2, 5', '3, 6');

my $t0 = time;
my @shards = start_shards(3);
my $coord = kpi_node('coordinator');
my $db = 'kpi_fdw';
note 'shards on ports ' . join(' ', map { $_->port } @shards) . ' (started in ' . (time - $t0) . ' s)';

sub qv { return $coord->safe_psql($db, $_[0]); }

$coord->safe_psql('postgres', "CREATE DATABASE $db");
qv("CREATE EXTENSION kpi_eval;\n" . gen_sql('t_flat', $officials, $lines, 7, $seed)
	  . tally_table_sql('t_flat', 'tt_flat') . 'VACUUM ANALYZE t_flat; VACUUM ANALYZE tt_flat;');
create_servers($coord, $db, \@shards);
# task lines by text COPY; stored tallies by binary COPY (tally_send -> tally_recv)
distribute($coord, $db, \@shards, 't_flat',  't_dist',  'text',   @shard_provinces);
distribute($coord, $db, \@shards, 'tt_flat', 'tt_dist', 'binary', @shard_provinces);
note "$lines lines, $officials officials, seed $seed; set up in " . (time - $t0) . ' s';

# --- the shards hold exactly the coordinator's rows -------------------------
is(qv("SELECT (SELECT count(*) FROM (TABLE t_flat EXCEPT ALL TABLE t_dist) a)
	+ (SELECT count(*) FROM (TABLE t_dist EXCEPT ALL TABLE t_flat) b)
	+ (SELECT count(*) FROM t_flat) - (SELECT count(*) FROM t_dist)"),
	'0', 'the 3 shards hold exactly the single-node task lines');
is(qv("SELECT count(*) FROM (SELECT province, official, period, t::text FROM tt_flat
	EXCEPT ALL SELECT province, official, period, t::text FROM tt_dist) a"),
	'0', 'tallies shipped by binary COPY read back equal on the shards');
is(scalar(grep { $_->safe_psql($SHARD_DB, 'SELECT count(*) > 0 FROM t_flat') eq 't' } @shards),
	3, 'every shard holds task lines');

# --- what Citus and postgres_fdw need from the catalog -----------------------
# (the README's "Distributed use" section quotes these queries)
my $AGGS = "FROM pg_aggregate a JOIN pg_proc p ON p.oid = a.aggfnoid JOIN pg_type t ON t.oid = a.aggtranstype
      WHERE p.pronamespace = 'kpi'::regnamespace";
my $n = qv("SELECT count(*) $AGGS");
cmp_ok($n, '>=', 5, "catalog: schema kpi has aggregates ($n)");
is(qv("SELECT count(*) FILTER (WHERE a.aggcombinefn = 0) $AGGS"), '0',
	'catalog: every kpi aggregate has a COMBINEFUNC');
is(qv("SELECT count(*) FILTER (WHERE t.typtype = 'p' OR a.aggtranstype = 'internal'::regtype) $AGGS"), '0',
	'catalog: no kpi aggregate has an internal or pseudo-type state');
is(qv("SELECT count(*) FILTER (WHERE t.typsend = 0 OR t.typreceive = 0 OR t.typinput = 0 OR t.typoutput = 0) $AGGS"), '0',
	'catalog: every kpi aggregate state type has text and binary I/O');
is(qv("SELECT coalesce(string_agg(f::regprocedure::text, ', '), 'none')
	FROM (SELECT unnest(ARRAY[a.aggfnoid, a.aggtransfn, a.aggcombinefn, a.aggfinalfn, a.aggmtransfn,
	                          a.aggminvtransfn, a.aggmfinalfn, t.typinput, t.typoutput, t.typreceive, t.typsend]::oid[]) f
	        $AGGS) s JOIN pg_proc q ON q.oid = s.f
	WHERE s.f <> 0 AND (q.provolatile <> 'i' OR q.proparallel <> 's')
	  AND q.pronamespace <> 'pg_catalog'::regnamespace"), 'none',
	'catalog: every kpi aggregate, support and state I/O function is IMMUTABLE PARALLEL SAFE');
is(qv("SELECT count(*) $AGGS AND NOT EXISTS (SELECT 1 FROM pg_depend d JOIN pg_extension e ON e.oid = d.refobjid
	WHERE d.classid = 'pg_proc'::regclass AND d.objid = p.oid AND d.deptype = 'e' AND e.extname = 'kpi_eval')"), '0',
	"catalog: every kpi aggregate belongs to extension kpi_eval (shippable with extensions 'kpi_eval')");
my ($bad, $all) = split m{/}, qv("SELECT count(*) FILTER (WHERE t::text::kpi.tally::text IS DISTINCT FROM t::text) || '/' || count(*) FROM tt_flat");
is($bad, '0', "kpi.tally text form round-trips exactly ($all stored tallies)");

my $PW  = "SET enable_partitionwise_aggregate = on; $SERIAL";
my $OFF = "SET enable_partitionwise_aggregate = off; $SERIAL";
my $AGG = 'kpi.tally_agg(coef, assigned_qty, completed_qty, passed_qty, quality_errors, late_events)';

# pushdown_check(LABEL, OPTIONS, SQL, REMOTE-REGEX, EXPECT)
#   EXPECT = pushed: 3 Foreign Scans whose Remote SQL matches REMOTE-REGEX and no
#                    local Aggregate node
#            local:  no Remote SQL matches REMOTE-REGEX, local aggregate nodes
#            partial: Partial Aggregate over each of the 3 Foreign Scans + Finalize
sub pushdown_check
{
	my ($label, $opts, $sql, $re, $expect) = @_;
	my $f    = qv("$opts EXPLAIN (VERBOSE, COSTS OFF) $sql");
	my $nfs  = plan_count(qr/Foreign Scan/, $f);
	my $nrem = plan_count(qr/Remote SQL: .*$re/, $f);
	my $nagg = plan_count(qr/(^|->  )(Partial |Finalize )?(Hash|Group|Mixed)?Aggregate/, $f);
	my $npart = plan_count(qr/Partial (Hash|Group|Mixed)?Aggregate/, $f);
	my $nfin = plan_count(qr/Finalize/, $f);
	my $ok =
	    $expect eq 'pushed' ? ($nfs == 3 && $nrem == 3 && $nagg == 0)
	  : $expect eq 'local'  ? ($nfs >= 3 && $nrem == 0 && $nagg >= 1)
	  :                       ($nfs == 3 && $nrem == 0 && $npart == 3 && $nfin == 1);
	ok($ok, $label)
	  or diag("expected $expect; foreign scans $nfs, remote SQL matching $nrem, aggregates $nagg, partial $npart, finalize $nfin\n$f");
}

# --- (a) pushdown ------------------------------------------------------------
pushdown_check('(a) GROUP BY province, official: whole kpi.tally_agg runs on the 3 shards', $PW,
	"SELECT province, official, $AGG FROM t_dist GROUP BY province, official", qr/kpi\.tally_agg\(/, 'pushed');
pushdown_check('(a) period score and tier per official and month: kpi.period_score(general, kpi.tally_agg(...)) shipped', $PW,
	"SELECT province, official, period, kpi.period_score(general, $AGG) FROM t_dist GROUP BY province, official, period, general",
	qr/kpi\.period_score\(general, kpi\.tally_agg\(/, 'pushed');
pushdown_check('(a) single-unit kpi.tally_agg per official shipped', $PW,
	'SELECT province, official, kpi.tally_agg(coef, done, passed, quality_errors, late_events) FROM t_dist GROUP BY province, official',
	qr/kpi\.tally_agg\(coef, done, passed/, 'pushed');
pushdown_check('(a) kpi.tally_agg with a rules argument shipped', $PW,
	q{SELECT province, official, kpi.tally_agg(coef, assigned_qty, completed_qty, passed_qty, quality_errors, late_events, '{"quality_deduction": 0.5}') FROM t_dist GROUP BY province, official},
	qr/kpi\.tally_agg\(.*jsonb\)/, 'pushed');
pushdown_check('(a) kpi.rollup of stored tallies per unit shipped', $PW,
	'SELECT province, unit, kpi.rollup(t) FROM tt_dist GROUP BY province, unit', qr/kpi\.rollup\(t\)/, 'pushed');
pushdown_check('(a) kpi.annual_score per official shipped', $PW,
	'SELECT province, official, kpi.annual_score(kpi.period_score(general, t)) FROM tt_dist GROUP BY province, official',
	qr/kpi\.annual_score\(kpi\.period_score\(/, 'pushed');
pushdown_check('(a) kpi.unit_result per unit and month shipped', $PW,
	'SELECT province, unit, period, kpi.unit_result(kpi.period_score(general, t)) FROM tt_dist GROUP BY province, unit, period',
	qr/kpi\.unit_result\(/, 'pushed');
pushdown_check('(a) control: partitionwise off -> aggregate runs locally over fetched rows', $OFF,
	"SELECT province, official, $AGG FROM t_dist GROUP BY province, official", qr/kpi\.tally_agg\(/, 'local');
qv('ALTER SERVER shard1 OPTIONS (DROP extensions)');
my $n1 = plan_count(qr/Remote SQL: .*kpi\.tally_agg\(/,
	qv("$PW EXPLAIN (VERBOSE, COSTS OFF) SELECT province, official, $AGG FROM t_dist GROUP BY province, official"));
is($n1, 2, "(a) control: without extensions 'kpi_eval' shard1 gets no aggregate, the others still do (Remote SQL with kpi.tally_agg: $n1)");
qv("ALTER SERVER shard1 OPTIONS (ADD extensions 'kpi_eval')");

# --- (c) grouping across provinces: partial aggregation on the coordinator --
pushdown_check('(c) GROUP BY task_group: Partial Aggregate over each Foreign Scan + Finalize, nothing shipped', $PW,
	"SELECT task_group, $AGG FROM t_dist GROUP BY task_group", qr/kpi\./, 'partial');
pushdown_check('(c)(d) kpi.rollup of stored tallies per task group: partial on the coordinator', $PW,
	'SELECT task_group, kpi.rollup(t) FROM tt_dist GROUP BY task_group', qr/kpi\./, 'partial');

# --- (b)(c)(d) results equal the single node ---------------------------------
my %ref;
sub compare_all
{
	my ($vlabel, $opts) = @_;
	for my $q (queries(), tally_queries())
	{
		my ($label, $sql) = @$q;
		my ($ref_t, $got_t) = $label =~ /^stored/ ? ('tt_flat', 'tt_dist') : ('t_flat', 't_dist');
		(my $r = $sql) =~ s/%T/$ref_t/g;
		(my $g = $sql) =~ s/%T/$got_t/g;
		$ref{$label} //= qv("$OFF $r");
		same_rows("$label: $vlabel = single node", $ref{$label}, qv("$opts $g"));
	}
}
note 'plans checked at ' . (time - $t0) . ' s';
compare_all('3 shards, partitionwise', $PW);
compare_all('3 shards, partitionwise off', $OFF);

# --- async foreign scans: the 3 shards work at the same time ----------------
qv("ALTER SERVER shard$_ OPTIONS (ADD async_capable 'true')") for 1 .. 3;
my $f = qv("$PW EXPLAIN (VERBOSE, COSTS OFF) SELECT province, official, $AGG FROM t_dist GROUP BY province, official");
my ($na, $nrem) = (plan_count(qr/Async Foreign Scan/, $f), plan_count(qr/Remote SQL: .*kpi\.tally_agg\(/, $f));
is("$na$nrem", '33', "async_capable: 3 Async Foreign Scans, each shipping kpi.tally_agg (async $na, shipped $nrem)");
compare_all('3 shards, partitionwise, async', $PW);

note 'total ' . (time - $t0) . ' s';
done_testing();
