/*
 * ledger_year.c
 *		The year's share rows of a ledger (rules.md CS12): the aggregate
 *		kpi.ledger_periods, each scored period's share of 100 - the annual
 *		score, (100 - score) / periods, the mean of kpi.annual_score taken
 *		apart.  kpi.score_period adds the disqualifier (CS14) and quota (CS15)
 *		rows, which cost no points, and closes the ledger (kpi.ledger_close).
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

PG_FUNCTION_INFO_V1(ledger_periods_trans);

/*
 * kpi.ledger_periods transition: (state, run_id, period_start, period_kind,
 * score, periods).  A period not scored has no row.
 */
Datum
ledger_periods_trans(PG_FUNCTION_ARGS)
{
	KpiLedger	l;
	ExpandedArrayHeader *eah;
	JsonbParseState *st = NULL;
	char		buf[MAXDATELEN + 1];

	if (!AggCheckCallContext(fcinfo, NULL))
		elog(ERROR, "ledger aggregate support function called in non-aggregate context");
	if (PG_ARGISNULL(4) || PG_ARGISNULL(5))
	{
		if (PG_ARGISNULL(0))
			PG_RETURN_NULL();
		PG_RETURN_DATUM(PG_GETARG_DATUM(0));
	}
	kpi_ledger_init(&l, kpi_ledger_desc(fcinfo));
	pushJsonbValue(&st, WJB_BEGIN_OBJECT, NULL);
	if (PG_ARGISNULL(2))
		kpi_detail_numeric(&st, "period_start", (Datum) 0, true);
	else
		kpi_detail_text(&st, "period_start", JsonEncodeDateTime(buf, PG_GETARG_DATUM(2), DATEOID, NULL));
	if (PG_ARGISNULL(3))
		kpi_detail_numeric(&st, "period_kind", (Datum) 0, true);
	else
		kpi_detail_text(&st, "period_kind", text_to_cstring(PG_GETARG_TEXT_PP(3)));
	kpi_detail_numeric(&st, "score", PG_GETARG_DATUM(4), false);
	kpi_detail_numeric(&st, "periods", NumericGetDatum(int64_to_numeric(PG_GETARG_INT64(5))), false);
	kpi_ledger_add(&l, "CS12", "official_result", !PG_ARGISNULL(1), PG_ARGISNULL(1) ? 0 : PG_GETARG_INT64(1),
				   PeriodShare(PG_GETARG_DATUM(4), PG_GETARG_INT64(5)), false, kpi_detail_end(&st));
	eah = kpi_ledger_state(fcinfo, 0, l.desc->tdtypeid);
	kpi_ledger_state_append(eah, &l);
	PG_RETURN_DATUM(EOHPGetRWDatum(&eah->hdr));
}

/* The order of kpi.ledger_periods: by period (detail period_start), then run (source_id). */
static void
PeriodKey(const Datum *values, const bool *nulls, int64 key[2])
{
	JsonbValue *v = nulls[4] ? NULL :
		getKeyJsonValueFromContainer(&DatumGetJsonbP(values[4])->root, "period_start", 12, NULL);

	key[0] = v == NULL || v->type != jbvString ? PG_INT64_MAX :
		DatumGetDateADT(DirectFunctionCall1(date_in, CStringGetDatum(pnstrdup(v->val.string.val,
																			  v->val.string.len))));
	key[1] = nulls[2] ? PG_INT64_MAX : DatumGetInt64(values[2]);
}

PG_FUNCTION_INFO_V1(ledger_periods_final);

/* kpi.ledger_periods final function: the rows in period order. */
Datum
ledger_periods_final(PG_FUNCTION_ARGS)
{
	return kpi_ledger_final_sorted(fcinfo, PeriodKey);
}
