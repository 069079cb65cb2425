#!/usr/bin/env bash
# The README's examples print what psql prints: the SQL blocks of the
# sections named below run in order in a fresh database (one per section),
# and each ```text block must equal the output of the SQL block before it
# (blank lines, trailing blanks and psql's "psql:file:line:" prefixes aside).
#
# Usage: bash test/cluster/readme_examples.sh OUTPREFIX
set -u
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
. "$here/lib_cluster.bash"
kc_setup "${1:-}"
echo "# readme_examples.sh: the README's examples against psql"

# a section may name sections to run before it in the same database: "A < B"
SECTIONS=("### Evaluate" "### Getting started with the library"
	"### Two-step aggregates < ### Getting started with the library"
	"### Exactness and rounding < ### Getting started with the library"
	"### NULL semantics < ### Getting started with the library"
	"### Rules < ### Getting started with the library"
	"### The two progress readings < ### Getting started with the library"
	"### Leaders < ### Getting started with the library"
	"### Year-end rating < ### Getting started with the library"
	"### The explanation ledger < ### Evaluate"
	"### What-if < ### Evaluate"
	"### Rule sets by date < ### Evaluate")
kc_harness_db kpi_readme_$$
n=0
for spec in "${SECTIONS[@]}"; do
	n=$((n + 1))
	dir=$WORK/s$n
	mkdir -p "$dir"
	section=${spec%% < *}
	before=""; [ "$spec" != "$section" ] && before=${spec#* < }
	# the section's blocks, numbered: NN.sql and NN.text (a text block takes the
	# number of the SQL block before it)
	/usr/bin/python3 - "$root/README.md" "$section" "$dir" "$before" <<'PY' || kc_bail "extracting $section"
import re, sys
text = open(sys.argv[1], encoding="utf-8").read()
def blocks(title):
    start = text.index("\n" + title + "\n")
    level = title.split(" ")[0]
    m = re.compile(r"\n#{2,%d} " % len(level)).search(text, start + 1)
    return re.findall(r"```(sql|text)\n(.*?)```", text[start:m.start() if m else len(text)], re.S)
k = 0
# the sections run before: their SQL only, numbered below 50
if sys.argv[4]:
    for kind, body in blocks(sys.argv[4]):
        if kind == "sql":
            k += 1
            open("%s/%02d.sql" % (sys.argv[3], k), "w").write(body)
k = 50
for kind, body in blocks(sys.argv[2]):
    if kind == "sql":
        k += 1
        open("%s/%02d.sql" % (sys.argv[3], k), "w").write(body)
    elif k > 50:
        import textwrap
        open("%s/%02d.text" % (sys.argv[3], k), "w").write(textwrap.dedent(body))
PY
	createdb "$DB" || kc_bail "createdb"
	db -c "CREATE EXTENSION kpi_eval_reference CASCADE" >/dev/null 2>&1 || kc_bail "CREATE EXTENSION"
	# one session for the whole section, a marker line between the blocks
	for f in "$dir"/*.sql; do echo "\\echo @@@ $(basename "$f" .sql)"; cat "$f"; echo; done >"$WORK/s$n.psql"
	psql -X -q -d "$DB" -f "$WORK/s$n.psql" >"$dir/out.txt" 2>&1
	awk -v d="$dir" '/^@@@ / { f = d "/" $2 ".out"; next } f { print > f }' "$dir/out.txt"
	checked=0
	for t in "$dir"/*.text; do
		[ -f "$t" ] || continue
		b=$(basename "$t" .text)
		# blank lines aside (psql's notices and results interleave differently)
		norm() { sed -e 's/^psql:[^ ]*:[0-9]*: //' -e 's/[[:space:]]*$//' -e '/^$/d' "$1"; }
		if diff <(norm "$t") <(norm "$dir/$b.out") >"$dir/$b.diff"; then
			checked=$((checked + 1))
		elif pinned=$(/usr/bin/python3 - "$t" "$root"/expected/*.out <<'PY'
import sys
# an example from a regression test's database (sql/evaluate.sql): every row
# of the README's table must be a row of a pinned output, its cells in order
# (the pinned query may show more columns)
def rows(path):
    return [[c.strip() for c in l.split("|")] for l in open(path, encoding="utf-8")
            if "|" in l and not set(l.strip()) <= set("-+|")]
def sub(small, big):
    it = iter(big)
    return all(c in it for c in small)
want = rows(sys.argv[1])[1:]
for e in sys.argv[2:]:
    have = rows(e)
    if want and all(any(sub(w, h) for h in have) for w in want):
        print(e.rsplit("/", 1)[1]); break
PY
) && [ -n "$pinned" ]; then
			kc_diag "$section: block $b shows rows pinned in expected/$pinned"
			checked=$((checked + 1))
		else
			kc_not_ok "$section: the output of SQL block $b is the README's" "$(head -20 "$dir/$b.diff")"
		fi
	done
	kc_cond "$section: $checked outputs as the README shows them" "$checked" -gt 0
	psql -X -q -d postgres -c "DROP DATABASE $DB WITH (FORCE)"
done
kc_finish
