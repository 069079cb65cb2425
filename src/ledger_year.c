/*
 * ledger_year.c
 *		The year's share rows of a ledger (rules.md CS12): kpi.period_shares,
 *		each scored period's share of 100 - the annual score, (100 - score) /
 *		periods, the mean of kpi.annual_score taken apart.  kpi.score_period
 *		adds the disqualifier (CS14) and quota (CS15) rows, which cost no
 *		points, and closes the ledger (kpi.ledger_close).  It takes an
 *		official's periods as three arrays, not as an aggregate over rows, so
 *		that the year carries a few hundred bytes an official through its
 *		joins and builds the rows once, at the end.
 */
#include "postgres.h"

#include "kpi_eval.h"
#include "ledger.h"

#include "access/htup_details.h"
#include "catalog/pg_type.h"
#include "utils/builtins.h"
#include "utils/date.h"
#include "utils/datetime.h"
#include "utils/json.h"

/* (100 - score) / periods rounded to 6 decimals (CS12), as the SQL wrote it. */
static Datum
PeriodShare(Datum score, int64 periods)
{
	int64		s;
	Datum		result;

	/* y = (100 - s) 10^6 with s in 1/KPI_ONE: (100 KPI_ONE - s) 100 / periods */
	if (kpi_fixed_of(score, &s) && s <= 100 * KPI_ONE &&
		kpi_fast_round6((int128) (100 * KPI_ONE - s) * 100, periods, &result))
		return result;
	return kpi_numeric_round6(numeric_sub_opt_error(int64_to_numeric(100), DatumGetNumeric(score), NULL),
							  int64_to_numeric(periods));
}

/* One period of an official's year: where it is in the arrays, its order. */
typedef struct Period
{
	int			i;
	int64		start;			/* PG_INT64_MAX: no date */
	int64		run;			/* PG_INT64_MAX: no run */
} Period;

static int
PeriodCmp(const void *a, const void *b)
{
	const Period *x = (const Period *) a;
	const Period *y = (const Period *) b;

	if (x->start != y->start)
		return x->start < y->start ? -1 : 1;
	if (x->run != y->run)
		return x->run < y->run ? -1 : 1;
	return x->i < y->i ? -1 : x->i > y->i;
}

/*
 * The elements of a one-dimensional array argument (none for an empty one),
 * of a built-in type whose length, by-value and alignment the caller gives.
 */
static int
PeriodArray(ArrayType *a, const char *name, Oid type, int16 len, bool byval, char align,
			Datum **values, bool **nulls)
{
	int			n;

	if (ARR_NDIM(a) > 1)
		ereport(ERROR,
				(errcode(ERRCODE_ARRAY_SUBSCRIPT_ERROR),
				 errmsg("%s must be a one-dimensional array", name),
				 errdetail("It has %d dimensions.", ARR_NDIM(a))));
	deconstruct_array(a, type, len, byval, align, values, nulls, &n);
	return n;
}

PG_FUNCTION_INFO_V1(period_shares);

/*
 * kpi.period_shares(run_ids, starts, period_kind, scores): the year's share
 * rows (CS12) of one official, the i-th period being the result of run
 * run_ids[i] for the period starting starts[i] with score scores[i].  A
 * period whose score is NULL was not scored and has no row; the others give
 * (100 - score) / periods each, periods the number scored, in period order
 * (then run).
 */
Datum
period_shares(PG_FUNCTION_ARGS)
{
	Datum	   *runs,
			   *starts,
			   *scores;
	bool	   *run_nulls,
			   *start_nulls,
			   *score_nulls;
	int			n = PeriodArray(PG_GETARG_ARRAYTYPE_P(0), "run_ids", INT8OID, sizeof(int64), FLOAT8PASSBYVAL,
								TYPALIGN_DOUBLE, &runs, &run_nulls);
	int			n_starts = PeriodArray(PG_GETARG_ARRAYTYPE_P(1), "starts", DATEOID, sizeof(DateADT), true,
									   TYPALIGN_INT, &starts, &start_nulls);
	int			n_scores = PeriodArray(PG_GETARG_ARRAYTYPE_P(3), "scores", NUMERICOID, -1, false,
									   TYPALIGN_INT, &scores, &score_nulls);
	char	   *kind = text_to_cstring(PG_GETARG_TEXT_PP(2));
	Period	   *order;
	int			scored = 0;
	Datum		periods;
	KpiLedger	l;
	char		buf[MAXDATELEN + 1];

	if (n_starts != n || n_scores != n)
		ereport(ERROR,
				(errcode(ERRCODE_ARRAY_SUBSCRIPT_ERROR),
				 errmsg("run_ids, starts and scores must have the same length"),
				 errdetail("They have %d, %d and %d elements.", n, n_starts, n_scores)));
	order = palloc(Max(n, 1) * sizeof(Period));
	for (int i = 0; i < n; i++)
	{
		if (score_nulls[i])
			continue;
		order[scored].i = i;
		order[scored].start = start_nulls[i] ? PG_INT64_MAX : DatumGetDateADT(starts[i]);
		order[scored].run = run_nulls[i] ? PG_INT64_MAX : DatumGetInt64(runs[i]);
		scored++;
	}
	qsort(order, scored, sizeof(Period), PeriodCmp);
	periods = NumericGetDatum(int64_to_numeric(scored));

	kpi_ledger_init(&l, kpi_ledger_desc(fcinfo));
	for (int k = 0; k < scored; k++)
	{
		int			i = order[k].i;
		JsonbParseState *st = NULL;

		pushJsonbValue(&st, WJB_BEGIN_OBJECT, NULL);
		if (start_nulls[i])
			kpi_detail_numeric(&st, "period_start", (Datum) 0, true);
		else
			kpi_detail_text(&st, "period_start", JsonEncodeDateTime(buf, starts[i], DATEOID, NULL));
		kpi_detail_text(&st, "period_kind", kind);
		kpi_detail_numeric(&st, "score", scores[i], false);
		kpi_detail_numeric(&st, "periods", periods, false);
		kpi_ledger_add(&l, "CS12", "official_result", !run_nulls[i], run_nulls[i] ? 0 : DatumGetInt64(runs[i]),
					   PeriodShare(scores[i], scored), false, kpi_detail_end(&st));
	}
	PG_RETURN_ARRAYTYPE_P(construct_array(l.rows, l.n, l.desc->tdtypeid, -1, false, TYPALIGN_DOUBLE));
}
