# Shared by the Perl TAP tests of kpi_eval (test/t/*.pl), on PostgreSQL's own
# test framework (PostgreSQL::Test::Cluster, PostgreSQL::Test::Utils): nodes
# with the settings every test uses, the random task-line generator, the
# result queries every plan must agree on, result-set comparison, and
# postgres_fdw shards.  The framework picks the ports (reserved in
# PG_TEST_PORT_DIR), and stops and deletes every node when the test ends.
package KpiTest;

use strict;
use warnings;
use Exporter 'import';
use File::Basename qw(dirname);
use PostgreSQL::Test::Cluster;
use PostgreSQL::Test::Utils;
use Test::More;

our @EXPORT = qw(kpi_node sql_state same_rows plan_count gen_sql queries
  tally_queries tally_table_sql start_shards create_servers distribute
  with_opts org_sql march_sql $SERIAL $PARALLEL $SHARD_DB);

# Serial plans, and forced parallel plans (2 workers, parallel paths free).
our $SERIAL = 'SET max_parallel_workers_per_gather = 0;';
our $PARALLEL =
    'SET max_parallel_workers_per_gather = 2; SET parallel_setup_cost = 0; '
  . 'SET parallel_tuple_cost = 0; SET min_parallel_table_scan_size = 0; '
  . 'SET min_parallel_index_scan_size = 0;';
our $SHARD_DB = 'kpi_shard';

# kpi_node(NAME, CONF-LINES...): a started node, UTF-8, locale C, tuned for
# throwaway data (the framework adds fsync = off).
sub kpi_node
{
	my ($name, @conf) = @_;
	my $node = PostgreSQL::Test::Cluster->new($name);
	$node->init(extra => [ '-E', 'UTF8', '--locale=C' ]);
	$node->append_conf('postgresql.conf',
		join("\n",
			'synchronous_commit = off', 'full_page_writes = off',
			'max_wal_size = 4GB',       'shared_buffers = 128MB',
			'log_statement = none',     @conf)
		  . "\n");
	$node->start;
	return $node;
}

# with_opts(SETS, SQL): SQL run after the SET statements SETS
sub with_opts { return "$_[0] $_[1]"; }

# sql_state(NODE, DB, SQL): the SQLSTATE SQL ends with ('00000': no error)
sub sql_state
{
	my ($node, $db, $sql) = @_;
	my ($out, $err) = ('', '');
	$node->psql($db, "\\set VERBOSITY verbose\n$sql",
		stdout => \$out, stderr => \$err, on_error_stop => 1);
	return $err =~ /ERROR:\s+([0-9A-Z]{5}):/ ? $1 : '00000';
}

# same_rows(DESCRIPTION, REFERENCE, GOT): one check, both texts hold the
# same lines in any order, and the reference is not empty.
sub same_rows
{
	my ($desc, $ref, $got) = @_;
	my @r = sort split /\n/, $ref;
	my @g = sort split /\n/, $got;
	my (%cnt, $mism);
	$cnt{$_}++ for @r;
	$cnt{$_}-- for @g;
	$mism = 0;
	$mism += abs($_) for values %cnt;
	my $ok = @r > 0 && $mism == 0;
	ok($ok, "$desc (" . scalar(@r) . " rows, $mism mismatches)");
	unless ($ok)
	{
		my @sample = grep { $cnt{$_} != 0 } sort keys %cnt;
		splice(@sample, 4) if @sample > 4;
		diag("reference rows: " . scalar(@r) . ", rows: " . scalar(@g)
			  . ", mismatched lines: $mism\n"
			  . join("\n", map { ($cnt{$_} > 0 ? '< ' : '> ') . $_ } @sample));
	}
	return $ok;
}

# plan_count(REGEX, PLAN): number of plan lines matching REGEX
sub plan_count
{
	my ($re, $plan) = @_;
	return scalar grep { /$re/ } split /\n/, $plan;
}

# gen_sql(TABLE, OFFICIALS, LINES, PROVINCES, SEED): SQL creating TABLE
# (unpartitioned) with LINES random task lines of OFFICIALS civil servants
# spread over PROVINCES provinces, 12 monthly periods of 2025.  Deterministic
# for a given SEED (setseed; the generating query is serial).  An official's
# province, unit and task group never change; general marks (G) are one value
# per official and period.  About 1 official in 97 has only coef-0 lines
# (nothing assigned: NULL scores).
sub gen_sql
{
	my ($tbl, $nof, $nlines, $nprov, $seed) = @_;
	return <<"SQL";
SET max_parallel_workers_per_gather = 0;
SET client_min_messages = warning;
SELECT setseed($seed);
DROP TABLE IF EXISTS kc_officials;
CREATE TEMP TABLE kc_officials AS
SELECT o AS official,
       1 + floor(random() * $nprov)::int AS province,
       floor(random() * 40)::int AS unit_no,
       1 + floor(random() * 9)::int AS task_group,
       (o % 97 = 0) AS idle
  FROM generate_series(1, $nof) o;
CREATE TABLE $tbl (
    line_id        bigint NOT NULL,
    province       int NOT NULL,
    unit           int NOT NULL,
    official       int NOT NULL,
    task_group     int NOT NULL,
    period         date NOT NULL,
    general        numeric NOT NULL,
    coef           numeric NOT NULL,
    assigned_qty   numeric NOT NULL,
    completed_qty  numeric NOT NULL,
    passed_qty     numeric NOT NULL,
    quality_errors int NOT NULL,
    late_events    int NOT NULL,
    done           boolean NOT NULL,
    passed         boolean NOT NULL
);
INSERT INTO $tbl
SELECT l.line_id, o.province, o.province * 100 + o.unit_no, o.official, o.task_group,
       l.period,
       -- G in 0..30 by halves, one value per official and period
       ((o.official * 37 + extract(month FROM l.period)::int * 11) % 61) / 2.0,
       CASE WHEN o.idle THEN 0 ELSE l.coef END,
       l.assigned, l.completed, least(l.passed, l.completed),
       l.qerr, l.late, l.completed > 0, least(l.passed, l.completed) > 0
  FROM (SELECT line_id, official, period, coef, qerr, late, assigned,
               -- completed: 0 or 1 for a single-unit line, else 0..1.3 x assigned
               -- (over-completion); passed likewise, then capped at completed
               CASE WHEN unit_line THEN (r1 < 0.85)::int::numeric
                    ELSE round(assigned * (r1 * 1.3)::numeric, 2) END AS completed,
               CASE WHEN unit_line THEN (r2 < 0.8)::int::numeric
                    ELSE round(assigned * (r2 * 1.3)::numeric, 2) END AS passed
          FROM (SELECT g AS line_id,
                       1 + floor(random() * $nof)::int AS official,
                       make_date(2025, 1 + floor(random() * 12)::int, 1) AS period,
                       (ARRAY[1, 1, 1, 1, 0.5, 1.25, 2, 8, 16, 0, 0.3333])[1 + floor(random() * 11)::int] AS coef,
                       unit_line,
                       CASE WHEN unit_line THEN 1 ELSE round((1 + random() * 19)::numeric, 2) END AS assigned,
                       random() AS r1, random() AS r2,
                       (ARRAY[0, 0, 0, 0, 0, 0, 1, 1, 2, 5])[1 + floor(random() * 10)::int] AS qerr,
                       (ARRAY[0, 0, 0, 0, 0, 0, 0, 1, 2, 3])[1 + floor(random() * 10)::int] AS late
                  FROM (SELECT g, random() < 0.5 AS unit_line
                          FROM generate_series(1, $nlines) g) s0) s1) l
  JOIN kc_officials o ON o.official = l.official;
RESET max_parallel_workers_per_gather;
RESET client_min_messages;
SQL
}

my $AGG = 'kpi.tally_agg(coef, assigned_qty, completed_qty, passed_qty, quality_errors, late_events)';

# The result queries every plan must agree on: [label, SQL], %T standing
# for the table of task lines.  Each prints one text line per group.
sub queries
{
	return (
		[ 'tally per official and month',
		  "SELECT province, official, period, ${AGG}::text FROM %T GROUP BY province, official, period" ],
		[ 'tally per official (year)',
		  "SELECT province, official, ${AGG}::text FROM %T GROUP BY province, official" ],
		[ 'single-unit tally per official',
		  'SELECT province, official, kpi.tally_agg(coef, done, passed, quality_errors, late_events)::text FROM %T GROUP BY province, official' ],
		[ 'tally with rules per official',
		  q{SELECT province, official, kpi.tally_agg(coef, assigned_qty, completed_qty, passed_qty, quality_errors, late_events, '{"quality_deduction": 0.5, "progress_deduction": 0.1}'::jsonb)::text FROM %T GROUP BY province, official} ],
		[ 'tally per task group (across provinces)',
		  "SELECT task_group, ${AGG}::text FROM %T GROUP BY task_group" ],
		[ 'tally per month (across provinces)',
		  "SELECT period, ${AGG}::text FROM %T GROUP BY period" ],
		[ 'grand total tally',
		  "SELECT ${AGG}::text, kpi.tally_agg(coef, done, passed, quality_errors, late_events)::text FROM %T" ],
		[ 'period score, task pct and tier per official and month',
		  "SELECT province, official, period, kpi.period_score(general, t), kpi.task_pct(t), kpi.tier_of(kpi.period_score(general, t)) FROM (SELECT province, official, period, general, $AGG t FROM %T GROUP BY province, official, period, general) s" ],
		[ 'rollup of official tallies per unit',
		  "SELECT unit, kpi.rollup(t)::text, count(*) FROM (SELECT province, unit, official, $AGG t FROM %T GROUP BY province, unit, official) s GROUP BY unit" ],
		[ 'rollup of monthly tallies per task group',
		  "SELECT task_group, kpi.rollup(t)::text FROM (SELECT province, task_group, official, period, $AGG t FROM %T GROUP BY province, task_group, official, period) s GROUP BY task_group" ],
		[ 'annual score and tier per official',
		  "SELECT province, official, kpi.annual_score(s), kpi.tier_of(kpi.annual_score(s)) FROM (SELECT province, official, period, kpi.period_score(general, $AGG) s FROM %T GROUP BY province, official, period, general) q GROUP BY province, official" ],
		[ 'unit result (criterion d) per unit and month',
		  "SELECT unit, period, kpi.unit_result(s) FROM (SELECT province, unit, official, period, kpi.period_score(general, $AGG) s FROM %T GROUP BY province, unit, official, period, general) q GROUP BY unit, period" ],
	);
}

# SQL creating TALLIES (unpartitioned) from the task-line table LINES: one
# stored kpi.tally per official and month, as an evaluation run would keep.
sub tally_table_sql
{
	my ($lines, $tallies) = @_;
	return "CREATE TABLE $tallies AS SELECT province, unit, task_group, official, period, general, $AGG AS t "
	  . "FROM $lines GROUP BY province, unit, task_group, official, period, general;\n";
}

# Queries over stored tallies (%T as made by tally_table_sql): kpi.rollup,
# and kpi.annual_score / kpi.unit_result grouped both by and across the
# partition key, so that their combine functions run too.
sub tally_queries
{
	return (
		[ 'stored tallies: rollup per unit',
		  'SELECT unit, kpi.rollup(t)::text FROM %T GROUP BY province, unit' ],
		[ 'stored tallies: rollup per task group and month (across provinces)',
		  'SELECT task_group, period, kpi.rollup(t)::text, kpi.period_score(20, kpi.rollup(t)) FROM %T GROUP BY task_group, period' ],
		[ 'stored tallies: annual score per official',
		  'SELECT province, official, kpi.annual_score(kpi.period_score(general, t)) FROM %T GROUP BY province, official' ],
		[ 'stored tallies: annual score per task group (across provinces)',
		  'SELECT task_group, kpi.annual_score(kpi.period_score(general, t)) FROM %T GROUP BY task_group' ],
		[ 'stored tallies: unit result per unit and month',
		  'SELECT unit, period, kpi.unit_result(kpi.period_score(general, t)) FROM %T GROUP BY province, unit, period' ],
		[ 'stored tallies: unit result per task group and month (across provinces)',
		  'SELECT task_group, period, kpi.unit_result(kpi.period_score(general, t)) FROM %T GROUP BY task_group, period' ],
	);
}

# start_shards(N, CONF-LINES...): N nodes shard1..shardN, each with database
# $SHARD_DB and kpi_eval installed
sub start_shards
{
	my ($n, @conf) = @_;
	my @shards;
	for my $s (1 .. $n)
	{
		my $node = kpi_node("shard$s", @conf);
		$node->safe_psql('postgres', "CREATE DATABASE $SHARD_DB");
		$node->safe_psql($SHARD_DB, 'CREATE EXTENSION kpi_eval');
		push @shards, $node;
	}
	return @shards;
}

# create_servers(COORD, DB, SHARDS, EXTRA): in DB on COORD, postgres_fdw
# servers shard1..N over the shards' unix sockets, shipping kpi_eval, and
# user mappings.  EXTRA: more server options (", name 'value'").
sub create_servers
{
	my ($coord, $db, $shards, $extra) = @_;
	$extra //= '';
	$coord->safe_psql($db, 'CREATE EXTENSION IF NOT EXISTS postgres_fdw');
	my $i = 0;
	for my $s (@$shards)
	{
		$i++;
		my ($host, $port) = ($s->host, $s->port);
		$coord->safe_psql($db, <<"SQL");
CREATE SERVER shard$i FOREIGN DATA WRAPPER postgres_fdw
    OPTIONS (host '$host', port '$port', dbname '$SHARD_DB',
             extensions 'kpi_eval', fetch_size '10000'$extra);
CREATE USER MAPPING FOR CURRENT_USER SERVER shard$i OPTIONS (user '${\ scalar getpwuid($<)}');
SQL
	}
}

# distribute(COORD, DB, SHARDS, SRC, DIST, FORMAT, PROVINCE-LISTS...): ships
# the rows of coordinator table SRC to the shards (shard i gets the provinces
# of the i-th list, in a table SRC of the same columns), by COPY in FORMAT
# (text or binary) through a file, then makes DIST on the coordinator:
# partitioned by LIST (province), one postgres_fdw foreign partition per shard.
sub distribute
{
	my ($coord, $db, $shards, $src, $dist, $fmt, @lists) = @_;
	my $ddl = $coord->safe_psql($db,
		"SELECT 'CREATE TABLE $src (' || string_agg(format('%I %s', attname, format_type(atttypid, atttypmod)), ', ' ORDER BY attnum) || ')'
		   FROM pg_attribute WHERE attrelid = '$src'::regclass AND attnum > 0 AND NOT attisdropped");
	$coord->safe_psql($db, "CREATE TABLE $dist (LIKE $src) PARTITION BY LIST (province)");
	my $dir = PostgreSQL::Test::Utils::tempdir;
	for my $i (0 .. $#lists)
	{
		my ($shard, $provs, $n) = ($shards->[$i], $lists[$i], $i + 1);
		my $file = "$dir/$src.$n";
		$shard->safe_psql($SHARD_DB, $ddl);
		$coord->safe_psql($db,
			"COPY (SELECT * FROM $src WHERE province IN ($provs) ORDER BY random()) TO '$file' (FORMAT $fmt)");
		$shard->safe_psql($SHARD_DB, "COPY $src FROM '$file' (FORMAT $fmt)");
		$shard->safe_psql($SHARD_DB, "VACUUM ANALYZE $src");
		$coord->safe_psql($db,
			"CREATE FOREIGN TABLE ${dist}_$n PARTITION OF $dist FOR VALUES IN ($provs)
			 SERVER shard$n OPTIONS (table_name '$src')");
	}
	$coord->safe_psql($db, "ANALYZE $dist");
}


# A small organisation for the reference schema, after sql/evaluate.sql:
#
#   unit 1  Sở Tư pháp (a province agency, root)   officials 1 (leader), 2
#   unit 2  Phòng Hành chính tư pháp (child of 1)   officials 3, 4, 5
#   unit 3  Sở Nội vụ (root)                        officials 6, 7
#
# January and February 2026: task lines and general marks of everyone; the
# agency's yearly inputs and index values; March 2026 for officials 6 and 7
# (march_sql), for runs after a restore or from pg_cron.
sub org_sql
{
	# the file is the one source of the organisation (also read by clients.sh
	# and logical_replication.sh)
	my $file = dirname(__FILE__) . '/../sample/reference_org.sql';
	open(my $fh, '<:encoding(UTF-8)', $file) or die "cannot read $file: $!";
	local $/;
	my $sql = <$fh>;
	close $fh;
	return $sql;
}

sub march_sql
{
	return <<'SQL';
INSERT INTO kpi.task_line (official_id, title, due, done, completed_qty, passed_qty)
SELECT o, 'Tháng 3, nhiệm vụ ' || i, '2026-03-20', '2026-03-19', 1, 1
FROM generate_series(6, 7) o, generate_series(1, 4) i;
INSERT INTO kpi.general_mark
SELECT o, '2026-03-01', '{5,5,2.5,2.5,2.5,2.5,2.5,2.5,2.5,2.5}' FROM generate_series(6, 7) o;
SQL
}

1;
