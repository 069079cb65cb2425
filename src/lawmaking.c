/*
 * lawmaking.c
 *		The law-making KPI pilot (rules.md LM1-LM3): the kpi.lawmaking
 *		summary type, its aggregate and accessors, and period bounds; the
 *		scores (LM4-LM7) are in lawmaking_score.c.
 *
 * A kpi.lawmaking summarises documents (legislative tasks and
 * detailed-regulation documents) for one period [period_start, period_end]:
 * counts of documents due, issued on time, issued late, outstanding
 * (backlog), issued, passed first time, and sums of obstacles and
 * initiatives.  The aggregate is meant to be given every document of a
 * ministry, whatever its dates: the backlog includes documents due before
 * the period.  Each measure then picks the documents its dates place in
 * the period, so that every count except the backlog is additive over
 * consecutive periods (kpi.lm_append).
 *
 * Like kpi.tally, the type is an aggregate state that users store and ship,
 * so every input path checks every field.
 */
#include "postgres.h"

#include "lawmaking.h"

#include "access/htup_details.h"
#include "funcapi.h"
#include "lib/stringinfo.h"
#include "libpq/pqformat.h"
#include "utils/builtins.h"
#include "utils/date.h"
#include "utils/datetime.h"
#include "utils/fmgrprotos.h"

/* The names of the counts, in the order of the text and binary forms. */
const char *const kpi_lm_count_names[LM_NCOUNTS] = {
	"due_in_period", "on_time", "late_issued", "backlog", "issued_in_period",
	"first_pass", "obstacles_detected", "obstacles_resolved", "initiatives"
};

/* A new summary of the period [start, end], every count 0. */
KpiLawmaking *
kpi_lm_new_state(DateADT start, DateADT end)
{
	KpiLawmaking *s = palloc0(LM_SIZE);

	SET_VARSIZE(s, LM_SIZE);
	s->version = LM_VERSION;
	s->period_start = start;
	s->period_end = end;
	return s;
}

/* ISO text of a period bound (always YYYY-MM-DD, whatever the DateStyle). */
char *
kpi_lm_date_text(DateADT d)
{
	int			y;
	int			m;
	int			day;

	j2date(d + POSTGRES_EPOCH_JDATE, &y, &m, &day);
	return psprintf("%04d-%02d-%02d", y, m, day);
}

static bool
BoundOk(DateADT d)
{
	return !DATE_NOT_FINITE(d) && d >= MIN_BOUND && d <= MAX_BOUND;
}


void
kpi_lm_bad_state(int sqlstate, const char *detail)
{
	ereport(ERROR,
			(errcode(sqlstate),
			 errmsg(sqlstate == ERRCODE_INVALID_BINARY_REPRESENTATION ?
					"invalid external binary kpi.lawmaking value" :
					"invalid kpi.lawmaking value"),
			 errdetail("%s", detail)));
}

/*
 * Refuse a summary that no set of documents could produce, naming the field.
 * The invariants follow from the transition function's definitions (every
 * one is a linear inequality, so the sum of two valid summaries of the same
 * period, as combine makes it, is valid again):
 *   on_time <= due_in_period: on time is counted only for documents due;
 *   due_in_period <= on_time + late_issued + backlog: a document due in the
 *     period was issued by its due date, or after it and by the period end
 *     (then late, in the period), or not by the period end (backlog);
 *   late_issued <= issued_in_period, first_pass <= issued_in_period;
 *   obstacles_resolved <= obstacles_detected (checked per row too).
 */
void
kpi_lm_check_state(const KpiLawmaking *s, int sqlstate)
{
	const int64 *c = s->counts;

	if (VARSIZE(s) != LM_SIZE || s->version != LM_VERSION)
		kpi_lm_bad_state(sqlstate, "The summary has an unknown version or size.");
	if (s->flags != 0 || s->reserved != 0)
		kpi_lm_bad_state(sqlstate, "The summary has reserved bits set.");
	if (!BoundOk(s->period_start))
		kpi_lm_bad_state(sqlstate, "Field \"period_start\" is not a date from 0001-01-01 to 9999-12-31.");
	if (!BoundOk(s->period_end))
		kpi_lm_bad_state(sqlstate, "Field \"period_end\" is not a date from 0001-01-01 to 9999-12-31.");
	if (s->period_end < s->period_start)
		kpi_lm_bad_state(sqlstate, "Field \"period_end\" is before field \"period_start\": the period ends before it starts.");
	for (int i = 0; i < LM_NCOUNTS; i++)
		if (c[i] < 0)
			kpi_lm_bad_state(sqlstate, psprintf("Field \"%s\" is negative (" INT64_FORMAT ").", kpi_lm_count_names[i], c[i]));
	if (c[LM_ON_TIME] > c[LM_DUE])
		kpi_lm_bad_state(sqlstate, psprintf("Field \"on_time\" (" INT64_FORMAT ") exceeds field \"due_in_period\" (" INT64_FORMAT "): only documents due in the period are on time.",
									c[LM_ON_TIME], c[LM_DUE]));
	if ((int128) c[LM_DUE] > (int128) c[LM_ON_TIME] + c[LM_LATE] + c[LM_BACKLOG])
		kpi_lm_bad_state(sqlstate, psprintf("Field \"due_in_period\" (" INT64_FORMAT ") exceeds on_time + late_issued + backlog (" INT64_FORMAT " + " INT64_FORMAT " + " INT64_FORMAT "): every document due in the period is on time, issued late in the period or outstanding at its end.",
									c[LM_DUE], c[LM_ON_TIME], c[LM_LATE], c[LM_BACKLOG]));
	if (c[LM_LATE] > c[LM_ISSUED])
		kpi_lm_bad_state(sqlstate, psprintf("Field \"late_issued\" (" INT64_FORMAT ") exceeds field \"issued_in_period\" (" INT64_FORMAT "): a late document counts as issued in the period.",
									c[LM_LATE], c[LM_ISSUED]));
	if (c[LM_FIRST_PASS] > c[LM_ISSUED])
		kpi_lm_bad_state(sqlstate, psprintf("Field \"first_pass\" (" INT64_FORMAT ") exceeds field \"issued_in_period\" (" INT64_FORMAT "): only documents issued in the period pass first time.",
									c[LM_FIRST_PASS], c[LM_ISSUED]));
	if (c[LM_RESOLVED] > c[LM_DETECTED])
		kpi_lm_bad_state(sqlstate, psprintf("Field \"obstacles_resolved\" (" INT64_FORMAT ") exceeds field \"obstacles_detected\" (" INT64_FORMAT ").",
									c[LM_RESOLVED], c[LM_DETECTED]));
}

static void
AddCount(int64 *into, int64 v)
{
	if (__builtin_add_overflow(*into, v, into))
		ereport(ERROR,
				(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
				 errmsg("kpi.lawmaking count is out of range"),
				 errdetail("A count exceeds the bigint range.")));
}

static void
CheckSamePeriod(const KpiLawmaking *a, const KpiLawmaking *b)
{
	if (a->period_start != b->period_start || a->period_end != b->period_end)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("cannot merge kpi.lawmaking summaries of different periods"),
				 errdetail("One covers %s to %s, the other %s to %s.",
						   kpi_lm_date_text(a->period_start), kpi_lm_date_text(a->period_end),
						   kpi_lm_date_text(b->period_start), kpi_lm_date_text(b->period_end)),
				 errhint("Use kpi.lm_append to join consecutive periods.")));
}

/* The state to modify: in place inside an aggregate, else a copy. */
static KpiLawmaking *
MutableState(FunctionCallInfo fcinfo, int argno)
{
	KpiLawmaking *s = PG_GETARG_LM(argno);

	if (AggCheckCallContext(fcinfo, NULL))
		return s;
	return (KpiLawmaking *) pg_detoast_datum_copy((struct varlena *) s);
}

/* An optional count argument: NULL counts as 0 (nothing recorded). */
static int64
CountArg(FunctionCallInfo fcinfo, int argno, const char *what)
{
	int32		v;

	if (PG_ARGISNULL(argno))
		return 0;
	v = PG_GETARG_INT32(argno);
	if (v < 0)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("law-making document %s must not be negative", what),
				 errdetail("The value given is %d.", v)));
	return v;
}

/* Period bound arguments, checked. */
static void
PeriodArgs(FunctionCallInfo fcinfo, int argno, DateADT *start, DateADT *end)
{
	if (PG_ARGISNULL(argno) || PG_ARGISNULL(argno + 1))
		ereport(ERROR,
				(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
				 errmsg("law-making period bounds must not be null"),
				 errdetail("Every row gives the first and last day of the period evaluated.")));
	*start = PG_GETARG_DATEADT(argno);
	*end = PG_GETARG_DATEADT(argno + 1);
	if (!BoundOk(*start) || !BoundOk(*end))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("law-making period bounds must be dates from 0001-01-01 to 9999-12-31"),
				 errdetail("The bounds given are %s and %s.",
						   DatumGetCString(DirectFunctionCall1(date_out, DateADTGetDatum(*start))),
						   DatumGetCString(DirectFunctionCall1(date_out, DateADTGetDatum(*end))))));
	if (*end < *start)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("law-making period ends before it starts"),
				 errdetail("The period given is %s to %s.", kpi_lm_date_text(*start), kpi_lm_date_text(*end))));
}

static bool
InPeriod(DateADT d, DateADT start, DateADT end)
{
	return d >= start && d <= end;
}

PG_FUNCTION_INFO_V1(lawmaking_agg_trans);

/*
 * kpi.lawmaking_agg transition: (due, issued, times_returned,
 * obstacles_detected, obstacles_resolved, initiatives, period_start,
 * period_end).  A row with a due date is a document; a row without one is
 * a report of obstacles or initiatives dated by "issued" and counts in no
 * document measure; a row with neither date is skipped.  A NULL issued date
 * means never issued; NULL counts are 0.
 */
Datum
lawmaking_agg_trans(PG_FUNCTION_ARGS)
{
	DateADT		start;
	DateADT		end;
	int64		returned = CountArg(fcinfo, 3, "times_returned");
	int64		detected = CountArg(fcinfo, 4, "obstacles_detected");
	int64		resolved = CountArg(fcinfo, 5, "obstacles_resolved");
	int64		initiatives = CountArg(fcinfo, 6, "initiatives");
	bool		has_due = !PG_ARGISNULL(1);
	bool		has_issued = !PG_ARGISNULL(2);
	DateADT		due = has_due ? PG_GETARG_DATEADT(1) : 0;
	DateADT		issued = has_issued ? PG_GETARG_DATEADT(2) : 0;
	DateADT		ref;
	KpiLawmaking *s;
	int64	   *c;

	PeriodArgs(fcinfo, 7, &start, &end);
	if (resolved > detected)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("law-making obstacles resolved exceed obstacles detected"),
				 errdetail("The row gives " INT64_FORMAT " resolved and " INT64_FORMAT " detected.",
						   resolved, detected)));
	if (!has_due && !has_issued)
	{
		if (PG_ARGISNULL(0))
			PG_RETURN_NULL();
		PG_RETURN_DATUM(PG_GETARG_DATUM(0));
	}
	if (PG_ARGISNULL(0))
		s = kpi_lm_new_state(start, end);
	else
	{
		s = MutableState(fcinfo, 0);
		if (s->period_start != start || s->period_end != end)
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("law-making period bounds differ between rows"),
					 errdetail("One row gives %s to %s, another %s to %s.",
							   kpi_lm_date_text(s->period_start), kpi_lm_date_text(s->period_end),
							   kpi_lm_date_text(start), kpi_lm_date_text(end)),
					 errhint("Group by the period, or use kpi.period_bounds with one start date.")));
	}
	c = s->counts;

	if (has_due)
	{
		bool		issued_in = has_issued && InPeriod(issued, start, end);

		if (InPeriod(due, start, end))
		{
			AddCount(&c[LM_DUE], 1);
			if (has_issued && issued <= due)
				AddCount(&c[LM_ON_TIME], 1);
		}
		if (issued_in && issued > due)
			AddCount(&c[LM_LATE], 1);
		if (due <= end && (!has_issued || issued > end))
			AddCount(&c[LM_BACKLOG], 1);
		if (issued_in)
		{
			AddCount(&c[LM_ISSUED], 1);
			if (returned == 0)
				AddCount(&c[LM_FIRST_PASS], 1);
		}
	}
	/* obstacles and initiatives belong to the period of the due date (or report date) */
	ref = has_due ? due : issued;
	if (InPeriod(ref, start, end))
	{
		AddCount(&c[LM_DETECTED], detected);
		AddCount(&c[LM_RESOLVED], resolved);
		AddCount(&c[LM_INITIATIVES], initiatives);
	}
	PG_RETURN_POINTER(s);
}

PG_FUNCTION_INFO_V1(lawmaking_combine);

/*
 * Combine function of kpi.lawmaking_agg, and transition function of
 * kpi.rollup(kpi.lawmaking): merges summaries of the same period over
 * different documents (units into a ministry), exactly.
 */
Datum
lawmaking_combine(PG_FUNCTION_ARGS)
{
	KpiLawmaking *into = MutableState(fcinfo, 0);
	KpiLawmaking *from = PG_GETARG_LM(1);

	kpi_lm_check_state(into, ERRCODE_INVALID_PARAMETER_VALUE);
	kpi_lm_check_state(from, ERRCODE_INVALID_PARAMETER_VALUE);
	CheckSamePeriod(into, from);
	for (int i = 0; i < LM_NCOUNTS; i++)
		AddCount(&into->counts[i], from->counts[i]);
	PG_RETURN_POINTER(into);
}

PG_FUNCTION_INFO_V1(lm_append);

/*
 * kpi.lm_append(a, b): the summary of two consecutive periods (in either
 * order) over the same documents, e.g. two quarters into a half-year.  Every
 * count adds up, except the backlog, which is the later period's.
 */
Datum
lm_append(PG_FUNCTION_ARGS)
{
	KpiLawmaking *a = PG_GETARG_LM(0);
	KpiLawmaking *b = PG_GETARG_LM(1);
	KpiLawmaking *r;

	kpi_lm_check_state(a, ERRCODE_INVALID_PARAMETER_VALUE);
	kpi_lm_check_state(b, ERRCODE_INVALID_PARAMETER_VALUE);
	if (b->period_end + 1 == a->period_start)
	{
		KpiLawmaking *t = a;

		a = b;
		b = t;
	}
	if (a->period_end + 1 != b->period_start)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("kpi.lm_append needs consecutive periods"),
				 errdetail("One covers %s to %s, the other %s to %s.",
						   kpi_lm_date_text(a->period_start), kpi_lm_date_text(a->period_end),
						   kpi_lm_date_text(b->period_start), kpi_lm_date_text(b->period_end)),
				 errhint("The second period must start the day after the first ends.")));
	/*
	 * Over the same documents, each one outstanding at the end of the first
	 * period is, at the end of the second, still outstanding or issued late
	 * in it.
	 */
	if ((int128) a->counts[LM_BACKLOG] > (int128) b->counts[LM_BACKLOG] + b->counts[LM_LATE])
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("kpi.lm_append needs summaries of the same documents"),
				 errdetail("The backlog of %s to %s (" INT64_FORMAT ") exceeds the backlog plus late_issued of %s to %s (" INT64_FORMAT " + " INT64_FORMAT "): a document outstanding at the end of the first period is outstanding or issued late in the second.",
						   kpi_lm_date_text(a->period_start), kpi_lm_date_text(a->period_end), a->counts[LM_BACKLOG],
						   kpi_lm_date_text(b->period_start), kpi_lm_date_text(b->period_end),
						   b->counts[LM_BACKLOG], b->counts[LM_LATE])));
	r = kpi_lm_new_state(a->period_start, b->period_end);
	for (int i = 0; i < LM_NCOUNTS; i++)
	{
		r->counts[i] = a->counts[i];
		if (i == LM_BACKLOG)
			r->counts[i] = b->counts[i];
		else
			AddCount(&r->counts[i], b->counts[i]);
	}
	kpi_lm_check_state(r, ERRCODE_INVALID_PARAMETER_VALUE);
	PG_RETURN_POINTER(r);
}

PG_FUNCTION_INFO_V1(lm_components);

/* kpi.lm_components(s): every field of a summary */
Datum
lm_components(PG_FUNCTION_ARGS)
{
	KpiLawmaking *s = PG_GETARG_LM(0);
	TupleDesc	tupdesc;
	Datum		values[LM_NCOUNTS + 2];
	bool		nulls[LM_NCOUNTS + 2] = {0};

	if (get_call_result_type(fcinfo, NULL, &tupdesc) != TYPEFUNC_COMPOSITE)
		elog(ERROR, "return type must be a row type");
	tupdesc = BlessTupleDesc(tupdesc);
	values[0] = DateADTGetDatum(s->period_start);
	values[1] = DateADTGetDatum(s->period_end);
	for (int i = 0; i < LM_NCOUNTS; i++)
		values[i + 2] = Int64GetDatum(s->counts[i]);
	PG_RETURN_DATUM(HeapTupleGetDatum(heap_form_tuple(tupdesc, values, nulls)));
}

/* 100 x part / whole, or NULL when whole is 0 */
static Datum
Rate(FunctionCallInfo fcinfo, int part, int whole)
{
	KpiLawmaking *s = PG_GETARG_LM(0);

	if (s->counts[whole] == 0)
		PG_RETURN_NULL();
	PG_RETURN_NUMERIC(kpi_num_trim(kpi_num_div(kpi_num_mul(kpi_num_int(100),
														   kpi_num_int(s->counts[part])),
											   kpi_num_int(s->counts[whole]))));
}

PG_FUNCTION_INFO_V1(lm_on_time_rate);

/* kpi.lm_on_time_rate(s): percent of the documents due that were issued on time */
Datum
lm_on_time_rate(PG_FUNCTION_ARGS)
{
	return Rate(fcinfo, LM_ON_TIME, LM_DUE);
}

PG_FUNCTION_INFO_V1(lm_first_pass_rate);

/* kpi.lm_first_pass_rate(s): percent of the documents issued never returned */
Datum
lm_first_pass_rate(PG_FUNCTION_ARGS)
{
	return Rate(fcinfo, LM_FIRST_PASS, LM_ISSUED);
}

PG_FUNCTION_INFO_V1(lm_obstacle_rate);

/* kpi.lm_obstacle_rate(s): percent of the obstacles detected that were resolved */
Datum
lm_obstacle_rate(PG_FUNCTION_ARGS)
{
	return Rate(fcinfo, LM_RESOLVED, LM_DETECTED);
}

PG_FUNCTION_INFO_V1(lm_backlog);

/* kpi.lm_backlog(s): documents due by the period end and not issued by then */
Datum
lm_backlog(PG_FUNCTION_ARGS)
{
	PG_RETURN_INT64(PG_GETARG_LM(0)->counts[LM_BACKLOG]);
}

PG_FUNCTION_INFO_V1(lm_late_issued);

/* kpi.lm_late_issued(s): documents issued in the period after their due date */
Datum
lm_late_issued(PG_FUNCTION_ARGS)
{
	PG_RETURN_INT64(PG_GETARG_LM(0)->counts[LM_LATE]);
}

PG_FUNCTION_INFO_V1(lm_initiatives);

/* kpi.lm_initiatives(s): institutional initiatives of the period */
Datum
lm_initiatives(PG_FUNCTION_ARGS)
{
	PG_RETURN_INT64(PG_GETARG_LM(0)->counts[LM_INITIATIVES]);
}

PG_FUNCTION_INFO_V1(period_bounds);

/*
 * kpi.period_bounds(kind, start): the first and last day of the month,
 * quarter, half-year or year starting on start (LM1).  Any start day from 1
 * to 28 is allowed, so a period may cross a year end.
 */
Datum
period_bounds(PG_FUNCTION_ARGS)
{
	char	   *kind = text_to_cstring(PG_GETARG_TEXT_PP(0));
	DateADT		start = PG_GETARG_DATEADT(1);
	static const char *const kinds[] = {"month", "quarter", "half", "year"};
	static const int months[] = {1, 3, 6, 12};
	TupleDesc	tupdesc;
	Datum		values[2];
	bool		nulls[2] = {0};
	int			k;
	int			y;
	int			m;
	int			d;
	DateADT		end;

	for (k = 0; k < (int) lengthof(kinds); k++)
		if (strcmp(kind, kinds[k]) == 0)
			break;
	if (k == (int) lengthof(kinds))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("unknown period kind \"%s\"", kind),
				 errdetail("The kinds are \"month\", \"quarter\", \"half\" and \"year\".")));
	if (!BoundOk(start))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("period start must be a date from 0001-01-01 to 9999-12-31"),
				 errdetail("The value given is %s.",
						   DatumGetCString(DirectFunctionCall1(date_out, DateADTGetDatum(start))))));
	j2date(start + POSTGRES_EPOCH_JDATE, &y, &m, &d);
	if (d > 28)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("period start must be on day 1 to 28 of a month"),
				 errdetail("The value given is %s; a period starting on day %d has no same day in every month.",
						   kpi_lm_date_text(start), d),
				 errhint("Periods usually start on the first day of a month.")));
	m += months[k];
	y += (m - 1) / 12;
	m = (m - 1) % 12 + 1;
	end = date2j(y, m, d) - POSTGRES_EPOCH_JDATE - 1;
	if (!BoundOk(end))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("period end is after 9999-12-31"),
				 errdetail("The period starting on %s ends after the last supported date.", kpi_lm_date_text(start))));
	if (get_call_result_type(fcinfo, NULL, &tupdesc) != TYPEFUNC_COMPOSITE)
		elog(ERROR, "return type must be a row type");
	tupdesc = BlessTupleDesc(tupdesc);
	values[0] = DateADTGetDatum(start);
	values[1] = DateADTGetDatum(end);
	PG_RETURN_DATUM(HeapTupleGetDatum(heap_form_tuple(tupdesc, values, nulls)));
}
