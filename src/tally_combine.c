/*
 * tally_combine.c
 *		The final, combine and uncombine functions of every tally aggregate
 *		(kpi.tally_agg, kpi.rollup), exact, associative and commutative, so a
 *		tally is the same in serial, parallel, partitionwise and sharded plans.
 */
#include "postgres.h"

#include "kpi_eval.h"

#include "nodes/execnodes.h"

PG_FUNCTION_INFO_V1(tally_final);

/*
 * kpi.tally_agg and kpi.rollup final function: a tally of no lines is NULL;
 * otherwise the canonical value (compact when it fits), so that the result
 * has the same bytes in every plan.  The state is checked: in kpi.rollup it
 * may be a stored value that no combine call saw (a single row).
 */
Datum
tally_final(PG_FUNCTION_ARGS)
{
	KpiTally	w;
	struct varlena *v = PG_DETOAST_DATUM(PG_GETARG_DATUM(0));

	kpi_tally_read(PointerGetDatum(v), &w);
	if (w.lines == 0)
		PG_RETURN_NULL();
	if (((KpiTallyCompact *) v)->version == KPI_TALLY_VERSION)
		PG_RETURN_POINTER(v);
	PG_RETURN_POINTER(kpi_tally_pack(&w));
}

/*
 * The result of a combine or uncombine: written over the state when it is
 * the aggregate's own and the layout allows, else a new value.
 */
static Datum
CombineResult(FunctionCallInfo fcinfo, const KpiTally *w)
{
	struct varlena *v = (struct varlena *) DatumGetPointer(PG_GETARG_DATUM(0));

	if (kpi_tally_in_aggregate(fcinfo) && !VARATT_IS_EXTENDED(v))
	{
		uint8		version = ((KpiTallyCompact *) v)->version;

		if (version == KPI_TALLY_VERSION && kpi_tally_fits_compact(w))
		{
			struct varlena *c = kpi_tally_pack(w);

			memcpy(v, c, KPI_TALLY_COMPACT_SIZE);
			pfree(c);
			PG_RETURN_POINTER(v);
		}
		if (version == KPI_TALLY_WIDE_VERSION)
		{
			memcpy(v, w, KPI_TALLY_WIDE_SIZE);
			PG_RETURN_POINTER(v);
		}
	}
	PG_RETURN_POINTER(kpi_tally_pack(w));
}

PG_FUNCTION_INFO_V1(tally_combine);

/*
 * Combine function of every tally aggregate, and the transition function of
 * kpi.rollup: exact, associative and commutative.  Both sides are checked:
 * in kpi.rollup both are stored values (the state starts as a copy of the
 * first row).
 */
static inline bool
IsCompact(const struct varlena *v)
{
	return !VARATT_IS_EXTENDED(v) && VARSIZE(v) == KPI_TALLY_COMPACT_SIZE &&
		((const KpiTallyCompact *) v)->version == KPI_TALLY_VERSION;
}

/*
 * into += from for two compact tallies, in place: false, with into
 * unchanged, when the rates differ or a sum leaves the compact range (the
 * general path then reports the error or promotes).
 */
static bool
MergeCompact(KpiTallyCompact *into, const KpiTallyCompact *from)
{
	int32		lines,
				errors,
				late;
	int64		sums[5];

	if (from->lines == 0)
		return true;
	if (into->lines != 0 && (into->quality_deduction != from->quality_deduction ||
							 into->progress_deduction != from->progress_deduction))
		return false;
	if (__builtin_add_overflow(into->lines, from->lines, &lines) |
		__builtin_add_overflow(into->quality_errors, from->quality_errors, &errors) |
		__builtin_add_overflow(into->late_events, from->late_events, &late) |
		__builtin_add_overflow(into->assigned, from->assigned, &sums[0]) |
		__builtin_add_overflow(into->quantity, from->quantity, &sums[1]) |
		__builtin_add_overflow(into->quality, from->quality, &sums[2]) |
		__builtin_add_overflow(into->progress, from->progress, &sums[3]) |
		__builtin_add_overflow(into->progress_strict, from->progress_strict, &sums[4]))
		return false;
	if (into->lines == 0)
	{
		into->quality_deduction = from->quality_deduction;
		into->progress_deduction = from->progress_deduction;
	}
	into->lines = lines;
	into->quality_errors = errors;
	into->late_events = late;
	into->assigned = sums[0];
	into->quantity = sums[1];
	into->quality = sums[2];
	into->progress = sums[3];
	into->progress_strict = sums[4];
	return true;
}

Datum
tally_combine(PG_FUNCTION_ARGS)
{
	struct varlena *a = (struct varlena *) DatumGetPointer(PG_GETARG_DATUM(0));
	struct varlena *b = PG_DETOAST_DATUM(PG_GETARG_DATUM(1));
	KpiTally	into;
	KpiTally	from;

	/* the common case: two compact values merged in place, no copies */
	if (kpi_tally_in_aggregate(fcinfo) && IsCompact(a) && IsCompact(b) &&
		kpi_tally_compact_valid((KpiTallyCompact *) a) &&
		kpi_tally_compact_valid((KpiTallyCompact *) b) &&
		MergeCompact((KpiTallyCompact *) a, (KpiTallyCompact *) b))
		PG_RETURN_POINTER(a);

	kpi_tally_read(PG_GETARG_DATUM(0), &into);
	kpi_tally_read(PG_GETARG_DATUM(1), &from);
	kpi_tally_merge(&into, &from);
	return CombineResult(fcinfo, &into);
}

PG_FUNCTION_INFO_V1(tally_uncombine);

/* moving-aggregate inverse of kpi.rollup */
Datum
tally_uncombine(PG_FUNCTION_ARGS)
{
	KpiTally	from;
	KpiTally	part;

	kpi_tally_read(PG_GETARG_DATUM(0), &from);
	kpi_tally_read(PG_GETARG_DATUM(1), &part);
	if (!kpi_tally_unmerge(&from, &part) || from.lines == 0)
		PG_RETURN_NULL();
	return CombineResult(fcinfo, &from);
}
