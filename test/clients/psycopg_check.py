#!/usr/bin/python3
"""test/clients/psycopg_check.py: the reporting views and stored tallies through
psycopg2 (Debian python3-psycopg2; run with /usr/bin/python3, not a pyenv
python without the module).

    /usr/bin/python3 test/clients/psycopg_check.py "DSN"

Prints one line per check, "ok - ..." or "not ok - ...", for
test/cluster/clients.sh to count.
"""
import datetime
import decimal
import io
import sys

import psycopg2

failed = 0


def check(ok, what):
    global failed
    print(("ok - " if ok else "not ok - ") + what)
    if not ok:
        failed += 1


conn = psycopg2.connect(sys.argv[1])
conn.autocommit = True
cur = conn.cursor()

# the built-in types psycopg2 maps to Python values (no custom type reaches it)
cur.execute("SELECT oid FROM pg_type WHERE typnamespace = 'pg_catalog'::regnamespace")
builtin = {r[0] for r in cur.fetchall()}
cur.execute("SELECT c.relname FROM pg_class c WHERE c.relnamespace = 'kpi_report'::regnamespace "
            "AND c.relkind = 'v' ORDER BY 1")
views = [r[0] for r in cur.fetchall()]
check(len(views) >= 11, "%d views in kpi_report" % len(views))
python_types = (int, str, bool, decimal.Decimal, datetime.date, type(None))
for v in views:
    cur.execute("SELECT * FROM kpi_report.%s" % v)
    rows = cur.fetchall()
    problems = [d.name for d in cur.description if d.type_code not in builtin]
    for row in rows:
        for d, value in zip(cur.description, row):
            if not isinstance(value, python_types):
                problems.append("%s is %s" % (d.name, type(value).__name__))
            if isinstance(value, decimal.Decimal) and d.scale is not None and value.as_tuple().exponent != -d.scale:
                problems.append("%s has %d decimals, declared %d" % (d.name, -value.as_tuple().exponent, d.scale))
    check(not problems, "kpi_report.%s: %d rows of built-in types%s"
          % (v, len(rows), (": " + ", ".join(sorted(set(problems)))) if problems else ""))

# scores are exact Decimals, their sum too; dates are dates
cur.execute("SELECT score, score::text FROM kpi_report.official_result WHERE score IS NOT NULL")
rows = cur.fetchall()
check(rows and all(isinstance(s, decimal.Decimal) and s == decimal.Decimal(t) for s, t in rows),
      "%d scores as exact Decimal" % len(rows))
cur.execute("SELECT sum(score)::text FROM kpi_report.official_result")
total = cur.fetchone()[0]
check(sum(s for s, _ in rows) == decimal.Decimal(total), "the sum of the scores in Python is the server's: " + total)
cur.execute("SELECT period_start, period_end FROM kpi_report.period WHERE period_key = '2026-Q1'")
check(cur.fetchone() == (datetime.date(2026, 1, 1), datetime.date(2026, 3, 31)), "2026-Q1 runs from 2026-01-01 to 2026-03-31")

# binary COPY round trip of the stored kpi.tally values: out of
# kpi.official_result, into a table of the same shape, out again
cur.execute("SELECT count(*) FROM kpi.official_result WHERE tally IS NOT NULL")
stored = cur.fetchone()[0]
out = io.BytesIO()
cur.copy_expert("COPY (SELECT run_id, official_id, tally FROM kpi.official_result ORDER BY run_id, official_id) "
                "TO STDOUT (FORMAT binary)", out)
first = out.getvalue()
check(first.startswith(b"PGCOPY\n\xff\r\n\x00"), "binary COPY out of kpi.official_result: %d bytes" % len(first))
cur.execute("CREATE TEMP TABLE tally_copy (run_id bigint, official_id bigint, tally kpi.tally)")
cur.copy_expert("COPY tally_copy FROM STDIN (FORMAT binary)", io.BytesIO(first))
cur.execute("SELECT count(*), count(*) FILTER (WHERE c.tally::text IS DISTINCT FROM r.tally::text) "
            "FROM tally_copy c JOIN kpi.official_result r USING (run_id, official_id)")
n, differ = cur.fetchone()
cur.execute("SELECT count(*) FROM tally_copy WHERE tally IS NOT NULL")
copied = cur.fetchone()[0]
check(stored > 0 and copied == stored and differ == 0,
      "binary COPY in: %d of %d tallies back, %d differ from the stored ones" % (copied, stored, differ))
again = io.BytesIO()
cur.copy_expert("COPY (SELECT run_id, official_id, tally FROM tally_copy ORDER BY run_id, official_id) "
                "TO STDOUT (FORMAT binary)", again)
check(again.getvalue() == first, "binary COPY out again: the same bytes")
# a damaged binary tally is refused, nothing copied
bad = bytearray(first)
cur.execute("SELECT count(*) FROM tally_copy")
before = cur.fetchone()[0]
# the first tuple: 19-byte header, int16 field count, then run_id and
# official_id (int32 length + 8 bytes each), then the tally's int32 length
pos = 19 + 2 + 12 + 12
length = int.from_bytes(bad[pos:pos + 4], "big", signed=True)
if length > 0:
    bad[pos + 4] ^= 0xFF  # the tally's first byte (its format version)
try:
    cur.copy_expert("COPY tally_copy FROM STDIN (FORMAT binary)", io.BytesIO(bytes(bad)))
    code = "00000"
except psycopg2.Error as e:
    code = e.pgcode
cur.execute("SELECT count(*) FROM tally_copy")
check(length > 0 and code not in (None, "00000") and cur.fetchone()[0] == before,
      "a damaged binary tally is refused (SQLSTATE %s), nothing copied" % code)

print("# %d failed" % failed)
