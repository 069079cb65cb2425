/*
 * quota.c
 *		The 20% quota on "excellent" (rules.md CS15): the window functions
 *		kpi.quota_decision (the whole decision as a record), kpi.quota_tier
 *		and kpi.quota_tie.
 *
 * Used as  kpi.quota_tier(tier, score, task_points, general_points [, rate])
 *          OVER (PARTITION BY unit, task_group ORDER BY key)
 * the whole partition is decided on its first row: candidates are the rows
 * rated xuat_sac with a score; the number kept is computed in integers; the
 * best are kept by score, then task-result points, then general points, then
 * the window's ORDER BY; members tied across the cut are flagged.
 */
#include "postgres.h"

#include "kpi_eval.h"

#include "funcapi.h"
#include "utils/builtins.h"
#include "utils/datum.h"
#include "utils/fmgrprotos.h"
#include "utils/memutils.h"
#include "windowapi.h"

#define TIER_GOOD		2
#define TIER_EXCELLENT	3

/* One candidate for excellent. */
typedef struct Candidate
{
	int64		pos;			/* row in the partition (caller's order) */
	Datum		key[3];			/* score, task points, general points */
	bool		null[3];		/* task or general points missing */
} Candidate;

/* The decision for a partition, made on its first row. */
typedef struct QuotaDecision
{
	bool		decided;
	int64		nrows;
	int8	   *tier;			/* final tier index per row; -1 for NULL */
	bool	   *tie;			/* tied across the cut */
	int64		candidates;		/* rated xuat_sac with a score */
	int64		good;			/* rated tot with a score */
	int64		kept;
	int64		rate;			/* the rate applied */
	bool		norules;		/* NULL rules: NULL results */
} QuotaDecision;

static int
CmpNumeric(Datum a, Datum b)
{
	return DatumGetInt32(DirectFunctionCall2(numeric_cmp, a, b));
}

/* Rank order: higher keys first, a missing key after any value, then position. */
static int
CmpCandidate(const void *pa, const void *pb)
{
	const Candidate *a = pa;
	const Candidate *b = pb;

	for (int k = 0; k < 3; k++)
	{
		int			c;

		if (a->null[k] || b->null[k])
		{
			if (a->null[k] != b->null[k])
				return a->null[k] ? 1 : -1;
			continue;
		}
		c = CmpNumeric(a->key[k], b->key[k]);
		if (c != 0)
			return -c;
	}
	return a->pos < b->pos ? -1 : (a->pos > b->pos ? 1 : 0);
}

/* Same score, task points and general points: a tie that only a person can break. */
static bool
SameKeys(const Candidate *a, const Candidate *b)
{
	for (int k = 0; k < 3; k++)
	{
		if (a->null[k] != b->null[k])
			return false;
		if (!a->null[k] && CmpNumeric(a->key[k], b->key[k]) != 0)
			return false;
	}
	return true;
}

/*
 * The most members that may stay excellent (CS15): with N candidates and M
 * rated good, the largest E <= N with E <= q (M + N - E), that is
 * floor(q (M + N) / (1 + q)); pooled reading floor(q (M + N)).  q is
 * rate / KPI_ONE, so integer arithmetic is exact.
 */
static int64
QuotaKept(int64 n, int64 m, int64 rate, bool pooled)
{
	int128		num = (int128) rate * (m + n);
	int128		e = pooled ? num / KPI_ONE : num / (KPI_ONE + rate);

	return e < n ? (int64) e : n;
}

static void
RateDiffers(const char *a, const char *b)
{
	ereport(ERROR,
			(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
			 errmsg("quota rate differs within one group"),
			 errdetail("The rates %s and %s were given for the same window partition.", a, b),
			 errhint("A rate applies to a whole unit and task group: give it on every row of the group, or on none.")));
}

/*
 * The per-group rate argument: NULL on every row (the rules' rate) or the
 * same value on every row.
 */
static int64
GroupRate(WindowObject winobj, int64 nrows, const KpiRules *r)
{
	int64		rate = -1;
	bool		anynull = false;

	for (int64 i = 0; i < nrows; i++)
	{
		bool		isnull;
		Datum		d = WinGetFuncArgInPartition(winobj, 4, i, WINDOW_SEEK_HEAD, false, &isnull, NULL);
		int64		v;

		if (isnull)
		{
			anynull = true;
			if (rate >= 0)
				RateDiffers(kpi_fixed_cstring(rate), "NULL");
			continue;
		}
		v = kpi_fixed_arg(d, "rate", "quota");
		if (v > KPI_ONE)
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("quota rate must be between 0 and 1"),
					 errdetail("The value given is %s.", kpi_fixed_cstring(v))));
		if (anynull)
			RateDiffers("NULL", kpi_fixed_cstring(v));
		if (rate >= 0 && v != rate)
			RateDiffers(kpi_fixed_cstring(rate), kpi_fixed_cstring(v));
		rate = v;
	}
	return rate >= 0 ? rate : r->quota_rate;
}

static QuotaDecision *
Decide(FunctionCallInfo fcinfo)
{
	WindowObject winobj = PG_WINDOW_OBJECT();
	QuotaDecision *qd = WinGetPartitionLocalMemory(winobj, sizeof(QuotaDecision));
	MemoryContext mcxt;
	MemoryContext old;
	const KpiRules *r;
	Oid			tiertype;
	Candidate  *cand;
	int64		ncand = 0;
	int64		ngood = 0;
	int64		kept;

	if (qd->decided)
		return qd;

	/* arrays live as long as the partition-local memory itself */
	mcxt = GetMemoryChunkContext(qd);
	old = MemoryContextSwitchTo(mcxt);
	tiertype = get_fn_expr_argtype(fcinfo->flinfo, 0);
	qd->nrows = WinGetPartitionRowCount(winobj);
	qd->tier = palloc(qd->nrows * sizeof(int8));
	qd->tie = palloc0(qd->nrows * sizeof(bool));
	cand = palloc(qd->nrows * sizeof(Candidate));

	/* window functions read their arguments through the window API */
	r = kpi_window_rules(fcinfo, winobj, 5, qd->nrows, "quota group");
	if (r == NULL)
	{
		/* as for a strict function: no rules, no result */
		memset(qd->tier, -1, qd->nrows * sizeof(int8));
		MemoryContextSwitchTo(old);
		qd->norules = true;
		qd->decided = true;
		return qd;
	}

	for (int64 i = 0; i < qd->nrows; i++)
	{
		bool		isnull;
		bool		scorenull;
		Datum		t = WinGetFuncArgInPartition(winobj, 0, i, WINDOW_SEEK_HEAD, false, &isnull, NULL);
		Datum		score = WinGetFuncArgInPartition(winobj, 1, i, WINDOW_SEEK_HEAD, false, &scorenull, NULL);
		Candidate  *c;

		/* a row without a tier or a score is ignored: not counted, not ranked */
		if (isnull || scorenull)
		{
			qd->tier[i] = -1;
			continue;
		}
		qd->tier[i] = (int8) kpi_tier_index(fcinfo, tiertype, DatumGetObjectId(t));
		if (qd->tier[i] == TIER_GOOD)
			ngood++;
		if (qd->tier[i] != TIER_EXCELLENT)
			continue;
		c = &cand[ncand++];
		c->pos = i;
		c->null[0] = false;
		c->key[0] = datumCopy(score, false, -1);
		for (int k = 1; k < 3; k++)
		{
			Datum		d = WinGetFuncArgInPartition(winobj, k + 1, i, WINDOW_SEEK_HEAD, false, &c->null[k], NULL);

			c->key[k] = c->null[k] ? (Datum) 0 : datumCopy(d, false, -1);
		}
	}

	qd->rate = GroupRate(winobj, qd->nrows, r);
	kept = QuotaKept(ncand, ngood, qd->rate, r->quota_pooled);
	qd->candidates = ncand;
	qd->good = ngood;
	qd->kept = kept;
	qsort(cand, ncand, sizeof(Candidate), CmpCandidate);
	for (int64 j = kept; j < ncand; j++)
		qd->tier[cand[j].pos] = TIER_GOOD;	/* demoted members become good */

	/* a tie straddles the cut when the last kept and the first demoted share keys */
	if (kept > 0 && kept < ncand && SameKeys(&cand[kept - 1], &cand[kept]))
		for (int64 j = 0; j < ncand; j++)
			if (SameKeys(&cand[j], &cand[kept]))
				qd->tie[cand[j].pos] = true;

	MemoryContextSwitchTo(old);
	qd->decided = true;
	return qd;
}

PG_FUNCTION_INFO_V1(quota_decision);

/*
 * kpi.quota_decision(...) OVER (...): the row's decision as a
 * kpi.quota_decision: the tier after the quota and the tie flag (NULL for a
 * row without a tier or a score), and the group's candidates, members rated
 * good, the number kept and the rate applied.
 */
Datum
quota_decision(PG_FUNCTION_ARGS)
{
	QuotaDecision *qd = Decide(fcinfo);
	int64		pos = WinGetCurrentPosition(PG_WINDOW_OBJECT());
	KpiFnExtra *cache = kpi_fn_extra(fcinfo);
	int			idx = qd->tier[pos];
	Datum		values[6];
	bool		nulls[6] = {idx < 0, idx < 0, false, false, false, false};

	if (qd->norules)
		PG_RETURN_NULL();
	if (cache->result_desc == NULL)
	{
		TupleDesc	desc;
		MemoryContext old;

		if (get_call_result_type(fcinfo, NULL, &desc) != TYPEFUNC_COMPOSITE || desc->natts != 6)
			elog(ERROR, "kpi.quota_decision must return the composite type kpi.quota_decision");
		old = MemoryContextSwitchTo(fcinfo->flinfo->fn_mcxt);
		cache->result_desc = BlessTupleDesc(CreateTupleDescCopy(desc));
		MemoryContextSwitchTo(old);
	}
	values[0] = idx < 0 ? (Datum) 0 :
		ObjectIdGetDatum(kpi_tier_oids(fcinfo, get_fn_expr_argtype(fcinfo->flinfo, 0))[idx]);
	values[1] = BoolGetDatum(idx >= 0 && qd->tie[pos]);
	values[2] = Int64GetDatum(qd->candidates);
	values[3] = Int64GetDatum(qd->good);
	values[4] = Int64GetDatum(qd->kept);
	values[5] = NumericGetDatum(kpi_fixed_to_numeric(qd->rate));
	PG_RETURN_DATUM(HeapTupleGetDatum(heap_form_tuple(cache->result_desc, values, nulls)));
}

PG_FUNCTION_INFO_V1(quota_tier);

/* kpi.quota_tier(...) OVER (...): the tier after the quota */
Datum
quota_tier(PG_FUNCTION_ARGS)
{
	QuotaDecision *qd = Decide(fcinfo);
	int64		pos = WinGetCurrentPosition(PG_WINDOW_OBJECT());
	int			idx = qd->tier[pos];

	if (idx < 0)
		PG_RETURN_NULL();
	PG_RETURN_OID(kpi_tier_oids(fcinfo, get_fn_expr_argtype(fcinfo->flinfo, 0))[idx]);
}

PG_FUNCTION_INFO_V1(quota_tie);

/* kpi.quota_tie(...) OVER (...): true for members tied across the cut */
Datum
quota_tie(PG_FUNCTION_ARGS)
{
	QuotaDecision *qd = Decide(fcinfo);
	int64		pos = WinGetCurrentPosition(PG_WINDOW_OBJECT());

	if (qd->tier[pos] < 0)
		PG_RETURN_NULL();
	PG_RETURN_BOOL(qd->tie[pos]);
}

PG_FUNCTION_INFO_V1(quota_kept);

/*
 * kpi.quota_kept(candidates, good, rate, rules): the number of excellent
 * ratings a group may keep; exposed so the count can be checked and shown.
 */
Datum
quota_kept(PG_FUNCTION_ARGS)
{
	int64		n;
	int64		m;
	const KpiRules *r;
	int64		rate;

	/* a NULL rate means the rules' rate; any other NULL gives NULL */
	if (PG_ARGISNULL(0) || PG_ARGISNULL(1) || PG_ARGISNULL(3))
		PG_RETURN_NULL();
	n = PG_GETARG_INT64(0);
	m = PG_GETARG_INT64(1);
	r = kpi_rules_arg(fcinfo, 3);
	rate = PG_ARGISNULL(2) ? r->quota_rate : kpi_fixed_arg(PG_GETARG_DATUM(2), "rate", "quota");

	if (n < 0 || m < 0)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("quota counts must not be negative"),
				 errdetail("The counts given are %lld candidates and %lld rated good.",
						   (long long) n, (long long) m)));
	if (n > PG_INT32_MAX || m > PG_INT32_MAX)
		ereport(ERROR,
				(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
				 errmsg("quota counts are out of range")));
	if (rate > KPI_ONE)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("quota rate must be between 0 and 1"),
				 errdetail("The value given is %s.", kpi_fixed_cstring(rate))));
	PG_RETURN_INT64(QuotaKept(n, m, rate, r->quota_pooled));
}
