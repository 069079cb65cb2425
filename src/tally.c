/*
 * tally.c
 *		The kpi.tally type: its two layouts (tally.h), the check that a tally
 *		could have come from task lines, exact merge.
 *
 * A tally is an aggregate state that users store and ship (materialized
 * views, Citus, postgres_fdw), so every path a value enters by is checked
 * against every invariant that task lines imply: text and binary input, the
 * combine and rollup functions, the final function, every function reading a
 * tally, and so every version 1 value a 0.1.0 installation stored.  Text
 * and binary I/O are in tally_io.c.
 */
#include "postgres.h"

#include "kpi_eval.h"

StaticAssertDecl(sizeof(KpiTallyCompact) == 64, "a compact kpi.tally is one cache line");
StaticAssertDecl(sizeof(KpiTally) == 120, "the wide kpi.tally is the 0.1.0 layout");

/* The largest scaled input (below KPI_SCALED_LIMIT) and product of two. */
#define MAX_INPUT	((int128) (KPI_SCALED_LIMIT - 1))
#define MAX_PRODUCT	(MAX_INPUT * MAX_INPUT)

/* where the padding of the wide layout starts */
#define PAD_OFFSET	(offsetof(KpiTally, reserved) + sizeof(uint16))

KpiTally *
kpi_tally_new(uint16 quality_deduction, uint16 progress_deduction)
{
	KpiTally   *t = palloc0(KPI_TALLY_WIDE_SIZE);

	SET_VARSIZE(t, KPI_TALLY_WIDE_SIZE);
	t->version = KPI_TALLY_WIDE_VERSION;
	t->quality_deduction = quality_deduction;
	t->progress_deduction = progress_deduction;
	return t;
}

KpiTallyCompact *
kpi_tally_new_compact(uint16 quality_deduction, uint16 progress_deduction)
{
	KpiTallyCompact *t = palloc0(KPI_TALLY_COMPACT_SIZE);

	SET_VARSIZE(t, KPI_TALLY_COMPACT_SIZE);
	t->version = KPI_TALLY_VERSION;
	t->quality_deduction = quality_deduction;
	t->progress_deduction = progress_deduction;
	return t;
}

static void BadTally(int sqlstate, const char *detail) pg_attribute_noreturn();

static void
BadTally(int sqlstate, const char *detail)
{
	ereport(ERROR,
			(errcode(sqlstate),
			 errmsg(sqlstate == ERRCODE_INVALID_BINARY_REPRESENTATION ?
					"invalid external binary kpi.tally value" :
					"invalid kpi.tally value"),
			 errdetail("%s", detail)));
}

/* The wide form of a compact tally. */
void
kpi_tally_widen(const KpiTallyCompact *c, KpiTally *w)
{
	memset(w, 0, KPI_TALLY_WIDE_SIZE);
	SET_VARSIZE(w, KPI_TALLY_WIDE_SIZE);
	w->version = KPI_TALLY_WIDE_VERSION;
	w->flags = c->flags;
	w->quality_deduction = c->quality_deduction;
	w->progress_deduction = c->progress_deduction;
	w->reserved = c->reserved;
	w->lines = c->lines;
	w->quality_errors = c->quality_errors;
	w->late_events = c->late_events;
	w->assigned = c->assigned;
	w->quantity = c->quantity;
	w->quality = c->quality;
	w->progress = c->progress;
	w->progress_strict = c->progress_strict;
}

/*
 * The wide form of a stored or received tally of either version, without the
 * check (the caller checks).  sqlstate is the code to report: 22P02 for text
 * and stored values, 22P03 for binary input.
 */
void
kpi_tally_unpack(const struct varlena *v, KpiTally *out, int sqlstate)
{
	uint8		version = ((const KpiTally *) v)->version;

	if (version == KPI_TALLY_VERSION && VARSIZE(v) == KPI_TALLY_COMPACT_SIZE)
		kpi_tally_widen((const KpiTallyCompact *) v, out);
	else if (version == KPI_TALLY_WIDE_VERSION && VARSIZE(v) == KPI_TALLY_WIDE_SIZE)
	{
		memcpy(out, v, KPI_TALLY_WIDE_SIZE);
		/* the padding after "reserved", never read: zero, for equal bytes */
		memset((char *) out + PAD_OFFSET, 0, offsetof(KpiTally, lines) - PAD_OFFSET);
	}
	else
		BadTally(sqlstate, "The tally has an unknown version or size.");
}

/*
 * Whether a compact tally passes every test of kpi_tally_check, cheaply: its
 * counts are below 2^31 and its sums below 2^63, so no product below
 * overflows int128, and the per-line bounds on counts and on assigned and
 * quantity cannot bind (one line allows more than a compact sum holds).
 * Used where values are read per row (kpi.rollup); a false answer goes
 * through kpi_tally_check for the error.
 */
bool
kpi_tally_compact_valid(const KpiTallyCompact *c)
{
	int128		deficit = (int128) c->quantity - c->progress;
	int128		strict_deficit = (int128) c->quantity - c->progress_strict;

	if (c->flags != 0 || c->reserved != 0 ||
		c->quality_deduction > KPI_ONE || c->progress_deduction > KPI_ONE)
		return false;
	if ((c->lines | c->quality_errors | c->late_events) < 0 ||
		(c->assigned | c->quantity | c->quality | c->progress | c->progress_strict) < 0)
		return false;
	if (c->quality > c->quantity || deficit < 0 || strict_deficit < deficit)
		return false;
	if (c->lines == 0 && (c->quality_errors | c->late_events | c->assigned | c->quantity) != 0)
		return false;
	if (deficit > (int128) c->late_events * c->progress_deduction * MAX_INPUT ||
		strict_deficit > (int128) c->late_events * KPI_ONE * MAX_INPUT)
		return false;
	return strict_deficit * c->progress_deduction <= deficit * KPI_ONE;
}

/*
 * A tally argument in the wide form, checked: a wide value is used in place,
 * a compact one is widened into buf.
 */
const KpiTally *
kpi_tally_read(Datum d, KpiTally *buf)
{
	struct varlena *v = PG_DETOAST_DATUM(d);

	kpi_tally_unpack(v, buf, ERRCODE_DATA_CORRUPTED);
	if (((KpiTallyCompact *) v)->version != KPI_TALLY_VERSION ||
		!kpi_tally_compact_valid((KpiTallyCompact *) v))
		kpi_tally_check(buf, ERRCODE_DATA_CORRUPTED);
	return buf;
}

/* a * x <= b * y for non-negative a, b and small x, y, exactly (no overflow) */
static bool
ProductLE(int128 a, uint32 x, int128 b, uint32 y)
{
	uint128		ua = (uint128) a;
	uint128		ub = (uint128) b;
	/* a * x = hi * 2^64 + lo, hi below 2^96 */
	uint128		alo = (ua & PG_UINT64_MAX) * x;
	uint128		ahi = (ua >> 64) * x + (alo >> 64);
	uint128		blo = (ub & PG_UINT64_MAX) * y;
	uint128		bhi = (ub >> 64) * y + (blo >> 64);

	if (ahi != bhi)
		return ahi < bhi;
	return (uint64) alo <= (uint64) blo;
}

/* a <= n * bound, where n * bound may exceed int128 (then true) */
static bool
WithinLinesBound(int128 a, int128 n, int128 bound)
{
	int128		limit;

	if (__builtin_mul_overflow(n, bound, &limit))
		return true;
	return a <= limit;
}

/*
 * Refuse a tally that no set of task lines could produce.  Each line has
 * coef, assigned, completed below KPI_SCALED_LIMIT units, passed <=
 * completed, and counts of at most PG_INT32_MAX; its credits are
 *   quality  = coef * max(0, passed - qd * errors)      <= coef * completed
 *   progress = coef * (completed - min(completed, pd * late))
 *   strict   = coef * (completed - min(completed, late))
 * so that, summed over the lines (Q quantity, P progress, S strict):
 *   0 <= quality <= Q, 0 <= S <= P <= Q;
 *   Q - P <= pd * late_events * max coef, and Q - S <= late_events * max coef
 *     (so P = S = Q without late events, and P = Q at a zero rate);
 *   pd * (Q - S) <= 1 * (Q - P), since min(c, k x) <= k min(c, x) for k >= 1
 *     (so S = P at a rate of 1);
 *   every sum and count is at most lines times its per-line maximum.
 * sqlstate is the code to report (22P02 text, 22P03 binary, XX001 stored).
 */
void
kpi_tally_check(const KpiTally *t, int sqlstate)
{
	int128		deficit;
	int128		strict_deficit;

	if (t->flags != 0 || t->reserved != 0)
		BadTally(sqlstate, "The tally has reserved bits set.");
	if (t->quality_deduction > KPI_ONE || t->progress_deduction > KPI_ONE)
		BadTally(sqlstate, "A deduction rate is above 1.");
	if (t->lines < 0 || t->quality_errors < 0 || t->late_events < 0 ||
		t->assigned < 0 || t->quantity < 0 || t->quality < 0 ||
		t->progress < 0 || t->progress_strict < 0)
		BadTally(sqlstate, "A count or sum is negative.");
	if (t->quality > t->quantity || t->progress > t->quantity)
		BadTally(sqlstate, "Quality and progress credit cannot exceed quantity credit.");
	if (t->progress_strict > t->progress)
		BadTally(sqlstate, "Strict progress credit cannot exceed progress credit.");
	if (t->lines == 0 &&
		(t->quality_errors != 0 || t->late_events != 0 || t->assigned != 0 ||
		 t->quantity != 0))
		BadTally(sqlstate, "A tally of no lines must have all sums zero.");
	if (!WithinLinesBound(t->quality_errors, t->lines, PG_INT32_MAX) ||
		!WithinLinesBound(t->late_events, t->lines, PG_INT32_MAX))
		BadTally(sqlstate, "An event count exceeds the lines times the largest count of one line.");
	if (!WithinLinesBound(t->assigned, t->lines, MAX_PRODUCT) ||
		!WithinLinesBound(t->quantity, t->lines, MAX_PRODUCT))
		BadTally(sqlstate, "A sum exceeds the lines times the largest product of one line.");

	deficit = t->quantity - t->progress;
	strict_deficit = t->quantity - t->progress_strict;
	if (t->late_events == 0 && strict_deficit != 0)
		BadTally(sqlstate, "Without late events progress credit must equal quantity credit.");
	if (t->progress_deduction == 0 && deficit != 0)
		BadTally(sqlstate, "At a progress deduction of 0 progress credit must equal quantity credit.");
	if (!WithinLinesBound(deficit, (int128) t->late_events * t->progress_deduction, MAX_INPUT) ||
		!WithinLinesBound(strict_deficit, (int128) t->late_events * KPI_ONE, MAX_INPUT))
		BadTally(sqlstate, "The progress credit lost exceeds what the late events can deduct.");
	if (!ProductLE(strict_deficit, t->progress_deduction, deficit, (uint32) KPI_ONE))
		BadTally(sqlstate, "The strict progress credit lost exceeds 1 / progress deduction times the progress credit lost.");
}

/* Whether a wide tally's values fit the compact layout. */
bool
kpi_tally_fits_compact(const KpiTally *t)
{
	return t->lines <= PG_INT32_MAX && t->quality_errors <= PG_INT32_MAX &&
		t->late_events <= PG_INT32_MAX && t->assigned <= PG_INT64_MAX &&
		t->quantity <= PG_INT64_MAX && t->quality <= PG_INT64_MAX &&
		t->progress <= PG_INT64_MAX && t->progress_strict <= PG_INT64_MAX;
}

/*
 * The canonical value of a (checked) wide tally: compact when it fits, so
 * equal tallies are equal bytes whatever plan or input produced them.
 */
struct varlena *
kpi_tally_pack(const KpiTally *t)
{
	KpiTallyCompact *c;
	KpiTally   *w;

	if (!kpi_tally_fits_compact(t))
	{
		w = palloc(KPI_TALLY_WIDE_SIZE);
		memcpy(w, t, KPI_TALLY_WIDE_SIZE);
		SET_VARSIZE(w, KPI_TALLY_WIDE_SIZE);
		w->version = KPI_TALLY_WIDE_VERSION;
		memset((char *) w + PAD_OFFSET, 0, offsetof(KpiTally, lines) - PAD_OFFSET);
		return (struct varlena *) w;
	}
	c = kpi_tally_new_compact(t->quality_deduction, t->progress_deduction);
	c->lines = (int32) t->lines;
	c->quality_errors = (int32) t->quality_errors;
	c->late_events = (int32) t->late_events;
	c->assigned = (int64) t->assigned;
	c->quantity = (int64) t->quantity;
	c->quality = (int64) t->quality;
	c->progress = (int64) t->progress;
	c->progress_strict = (int64) t->progress_strict;
	return (struct varlena *) c;
}

/* Error unless two tallies were summed with the same deduction rates. */
static void
CheckSameRates(const KpiTally *a, const KpiTally *b)
{
	if (a->quality_deduction != b->quality_deduction ||
		a->progress_deduction != b->progress_deduction)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("cannot merge kpi.tally values summed with different deduction rates"),
				 errdetail("One tally used quality and progress deductions %s and %s, the other %s and %s.",
						   kpi_fixed_cstring(a->quality_deduction),
						   kpi_fixed_cstring(a->progress_deduction),
						   kpi_fixed_cstring(b->quality_deduction),
						   kpi_fixed_cstring(b->progress_deduction))));
}

/* into += from, exactly; an empty side takes the other's rates. */
void
kpi_tally_merge(KpiTally *into, const KpiTally *from)
{
	if (from->lines == 0)
		return;
	if (into->lines == 0)
	{
		into->quality_deduction = from->quality_deduction;
		into->progress_deduction = from->progress_deduction;
	}
	else
		CheckSameRates(into, from);
	if (__builtin_add_overflow(into->lines, from->lines, &into->lines) ||
		__builtin_add_overflow(into->quality_errors, from->quality_errors, &into->quality_errors) ||
		__builtin_add_overflow(into->late_events, from->late_events, &into->late_events))
		ereport(ERROR,
				(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
				 errmsg("kpi.tally count is out of range")));
	into->assigned = kpi_add128(into->assigned, from->assigned, "assigned weight");
	into->quantity = kpi_add128(into->quantity, from->quantity, "quantity credit");
	into->quality = kpi_add128(into->quality, from->quality, "quality credit");
	into->progress = kpi_add128(into->progress, from->progress, "progress credit");
	into->progress_strict = kpi_add128(into->progress_strict, from->progress_strict, "progress credit");
}

/*
 * from -= part, for the moving-aggregate inverse.  Exact, since every sum is
 * an integer.  Returns false when part is not contained in from (then the
 * window machinery recomputes the frame).
 */
bool
kpi_tally_unmerge(KpiTally *from, const KpiTally *part)
{
	if (part->lines == 0)
		return true;
	if (part->lines > from->lines || part->quality_errors > from->quality_errors ||
		part->late_events > from->late_events || part->assigned > from->assigned ||
		part->quantity > from->quantity || part->quality > from->quality ||
		part->progress > from->progress || part->progress_strict > from->progress_strict)
		return false;
	CheckSameRates(from, part);
	from->lines -= part->lines;
	from->quality_errors -= part->quality_errors;
	from->late_events -= part->late_events;
	from->assigned -= part->assigned;
	from->quantity -= part->quantity;
	from->quality -= part->quality;
	from->progress -= part->progress;
	from->progress_strict -= part->progress_strict;
	return true;
}
