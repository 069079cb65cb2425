# Scheduling kpi.evaluate with pg_cron (Debian package postgresql-15-cron,
# installed by test/lib.sh ensure_deps), on a node of its own started with
# shared_preload_libraries = 'pg_cron' (jobs run in background workers,
# database kpi_cron).
#
#   - the package is installed (one failed check with the reason when not);
#   - schedules the README recipe: close last month on the 1st at 02:00 and
#     the year on 10 December at 03:00 (before the 15 December deadline), and
#     checks cron.job holds them; runs the month job's command once (rolled
#     back) to show it is valid;
#   - proves the mechanism: a job evaluating March 2026 of the test data on a
#     '2 seconds' schedule (pg_cron >= 1.5; older versions: every minute,
#     waiting up to 75 s) succeeds in cron.job_run_details and writes the
#     run; its next firing is refused (already evaluated); then unscheduled.
use strict;
use warnings;
use PostgreSQL::Test::Cluster;
use PostgreSQL::Test::Utils;
use Test::More;
use Time::HiRes qw(time usleep);
use KpiTest;

my $pkg = 'postgresql-15-cron';
my $version = `dpkg-query -W -f='\${Status} \${Version}' $pkg 2>/dev/null`;
my $sharedir = `pg_config --sharedir`;    # the private tree's (PATH)
chomp $sharedir;
if ($version !~ /install ok installed (\S+)/ || !-f "$sharedir/extension/pg_cron.control")
{
	fail("the Debian package $pkg is installed");
	diag("dpkg: '$version'; pg_cron.control in $sharedir/extension: "
		  . (-f "$sharedir/extension/pg_cron.control" ? 'yes' : 'no (install it before the tree is copied)'));
	done_testing();
	exit 0;
}
pass("the Debian package $pkg is installed ($1)");

my $db = 'kpi_cron';
my $node = kpi_node('cron', "shared_preload_libraries = 'pg_cron'", "cron.database_name = '$db'",
	'cron.use_background_workers = on', 'max_worker_processes = 16');
sub qv { return $node->safe_psql($db, $_[0]); }
$node->safe_psql('postgres', "CREATE DATABASE $db");
qv('CREATE EXTENSION pg_cron; CREATE EXTENSION kpi_eval_reference CASCADE');
qv(org_sql() . march_sql());
qv("SET client_min_messages = warning; CALL kpi.evaluate('2026-01-01', 'month'); CALL kpi.evaluate('2026-02-01', 'month')");
my $cron_version = qv("SELECT extversion FROM pg_extension WHERE extname = 'pg_cron'");
note "pg_cron extension version $cron_version";
my $me = qv('SELECT current_user');

# the recipe (README, "Scheduling with pg_cron")
qv(q{SELECT cron.schedule('kpi-close-month', '0 2 1 * *',
    $$CALL kpi.evaluate(date_trunc('month', now() - interval '1 month')::date, 'month')$$);
SELECT cron.schedule('kpi-close-year', '0 3 10 12 *',
    $$CALL kpi.evaluate(date_trunc('year', now())::date, 'year')$$);});
is(qv(q{SELECT string_agg(format('%s|%s|%s|%s|%s', jobname, schedule, command, database, active), E'\n' ORDER BY jobname) FROM cron.job}),
	"kpi-close-month|0 2 1 * *|CALL kpi.evaluate(date_trunc('month', now() - interval '1 month')::date, 'month')|$db|t\n"
	  . "kpi-close-year|0 3 10 12 *|CALL kpi.evaluate(date_trunc('year', now())::date, 'year')|$db|t",
	"cron.job holds the month job (02:00 on the 1st) and the year job (03:00 on 10 December), active, in $db");
is(qv("SELECT username FROM cron.job WHERE jobname = 'kpi-close-month'"), $me,
	'the jobs run as the role that scheduled them (the owner of the kpi tables)');
my $month_cmd = qv("SELECT command FROM cron.job WHERE jobname = 'kpi-close-month'");
my ($out, $err) = ('', '');
my $rc = $node->psql($db, "SET client_min_messages = warning; BEGIN; $month_cmd; ROLLBACK;",
	stdout => \$out, stderr => \$err, on_error_stop => 1);
ok($rc == 0, "the month job's command runs (last month, no data: an empty run; rolled back)") or diag($err);
is(qv("SELECT kpi.evaluation_period_end(date_trunc('year', now())::date, 'year') = make_date(extract(year FROM now())::int, 12, 31)"),
	't', "the year job's period is the current calendar year");

# the mechanism: a job that evaluates March 2026 of the test data
my ($seconds, $wait) = (1, 20);
$rc = $node->psql($db, q{SELECT cron.schedule('kpi-test-march', '2 seconds', $$CALL kpi.evaluate('2026-03-01', 'month')$$)},
	stdout => \$out, stderr => \$err, on_error_stop => 1);
if ($rc == 0)
{
	pass("pg_cron $cron_version accepts the '2 seconds' schedule");
}
else
{
	($seconds, $wait) = (0, 75);
	note "pg_cron $cron_version has no seconds schedules (pg_cron >= 1.5): scheduling every minute instead";
	qv(q{SELECT cron.schedule('kpi-test-march', '* * * * *', $$CALL kpi.evaluate('2026-03-01', 'month')$$)});
}
my $job = qv("SELECT jobid FROM cron.job WHERE jobname = 'kpi-test-march'");
my $t0 = time;
my $ok = 0;
while (time - $t0 <= $wait)
{
	$ok = qv("SELECT count(*) FROM cron.job_run_details WHERE jobid = $job AND status = 'succeeded'");
	last if $ok >= 1;
	usleep(500_000);
}
cmp_ok($ok, '>=', 1, sprintf('the job ran and succeeded within %d s (cron.job_run_details, after %.0f s)', $wait, time - $t0));
is(qv("SELECT count(*) || ',' || min(created_by) FROM kpi.evaluation_run WHERE period_start = '2026-03-01' AND period_kind = 'month'")
	  . '/' . qv("SELECT count(*) FROM kpi.current_official_result WHERE period_start = '2026-03-01'"),
	"1,$me/2", "it wrote March's run with the results of the 2 officials with March data");
if ($seconds)
{
	$t0 = time;
	my $failed = 0;
	while (time - $t0 <= 10)
	{
		$failed = qv("SELECT count(*) FROM cron.job_run_details WHERE jobid = $job AND status = 'failed' AND return_message LIKE '%is already evaluated%'");
		last if $failed >= 1;
		usleep(500_000);
	}
	cmp_ok($failed, '>=', 1, 'its next firing is refused: the period is already evaluated (failed in cron.job_run_details)');
}
qv("SELECT cron.unschedule('kpi-test-march')");
is(qv("SELECT count(*) FROM cron.job WHERE jobname = 'kpi-test-march'") . '/'
	  . qv("SELECT count(*) FROM kpi.evaluation_run WHERE period_start = '2026-03-01'"),
	'0/1', 'unscheduled; March still has exactly one run');

done_testing();
