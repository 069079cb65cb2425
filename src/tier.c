/*
 * tier.c
 *		Rating tiers (rules.md CS13-CS14): kpi.tier_of and kpi.tier_label.
 *
 * The kpi.tier enum is ordered worst to best, so tiers compare and sort as
 * people expect.  Its value OIDs are looked up once per call site.
 */
#include "postgres.h"

#include "kpi_eval.h"

#include "catalog/pg_enum.h"
#include "mb/pg_wchar.h"
#include "utils/builtins.h"
#include "utils/syscache.h"

/* Labels of kpi.tier, worst to best, as created by the install script. */
const char *const kpi_tier_names[4] = {"khong_hoan_thanh", "hoan_thanh", "tot", "xuat_sac"};

static const char *const tier_vi[4] = {
	"Không hoàn thành nhiệm vụ",
	"Hoàn thành nhiệm vụ",
	"Hoàn thành tốt nhiệm vụ",
	"Hoàn thành xuất sắc nhiệm vụ"
};

static const char *const tier_en[4] = {
	"Did not complete duties",
	"Completed duties",
	"Completed duties well",
	"Completed duties excellently"
};

/* The OIDs of the kpi.tier values, for enum type typoid. */
const Oid *
kpi_tier_oids(FunctionCallInfo fcinfo, Oid typoid)
{
	KpiFnExtra *cache = kpi_fn_extra(fcinfo);

	if (cache->tier_type != typoid)
	{
		for (int i = 0; i < 4; i++)
		{
			Oid			oid = GetSysCacheOid2(ENUMTYPOIDNAME, Anum_pg_enum_oid,
											  ObjectIdGetDatum(typoid),
											  CStringGetDatum(kpi_tier_names[i]));

			if (!OidIsValid(oid))
				elog(ERROR, "kpi.tier has no value \"%s\"", kpi_tier_names[i]);
			cache->tier_oids[i] = oid;
		}
		cache->tier_type = typoid;
	}
	return cache->tier_oids;
}

/* Index (0 worst .. 3 best) of a kpi.tier value. */
int
kpi_tier_index(FunctionCallInfo fcinfo, Oid typoid, Oid value)
{
	const Oid  *oids = kpi_tier_oids(fcinfo, typoid);

	for (int i = 0; i < 4; i++)
		if (oids[i] == value)
			return i;
	elog(ERROR, "unknown kpi.tier value %u", value);
	return -1;					/* keep compiler quiet */
}

/* Tier index (0 worst .. 3 best) of a fixed-point score already rounded (CS13). */
int
kpi_tier_rank(int64 score, const KpiRules *r)
{
	if (score >= r->threshold_excellent)
		return 3;
	if (score >= r->threshold_good)
		return 2;
	if (score >= r->threshold_complete)
		return 1;
	return 0;
}

PG_FUNCTION_INFO_V1(tier_of);

/*
 * kpi.tier_of(score, disqualified, rules): the tier of a score rounded per
 * N0.3, lower bounds inclusive (CS13); not complete when disqualified
 * (CS14).
 */
Datum
tier_of(PG_FUNCTION_ARGS)
{
	const KpiRules *r = kpi_rules_arg(fcinfo, 2);
	int64		score = kpi_score_arg(PG_GETARG_DATUM(0), "score", r);
	bool		disqualified = PG_GETARG_BOOL(1);
	const Oid  *oids = kpi_tier_oids(fcinfo, get_fn_expr_rettype(fcinfo->flinfo));

	PG_RETURN_OID(oids[disqualified ? 0 : kpi_tier_rank(score, r)]);
}

PG_FUNCTION_INFO_V1(tier_label);

/* kpi.tier_label(tier, lang): the official Vietnamese name, or English */
Datum
tier_label(PG_FUNCTION_ARGS)
{
	Oid			tier = PG_GETARG_OID(0);
	text	   *lang = PG_GETARG_TEXT_PP(1);
	char	   *l = text_to_cstring(lang);
	const char *const *labels;
	const char *label;
	int			i;

	if (strcmp(l, "vi") == 0)
		labels = tier_vi;
	else if (strcmp(l, "en") == 0)
		labels = tier_en;
	else
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("unknown tier label language \"%s\"", l),
				 errdetail("Labels are available in \"vi\" (Vietnamese) and \"en\" (English).")));
	i = kpi_tier_index(fcinfo, get_fn_expr_argtype(fcinfo->flinfo, 0), tier);
	/* the labels are UTF-8; convert for databases in other encodings */
	label = pg_any_to_server(labels[i], strlen(labels[i]), PG_UTF8);
	PG_RETURN_TEXT_P(cstring_to_text(label));
}

PG_FUNCTION_INFO_V1(deputy_tier);

/*
 * kpi.deputy_tier(deputy, head, late_key_tasks, rules): under the rule
 * value deputy_cap (CY5, off by default), a deputy's tier is capped at their
 * head's when the unit had late key tasks.  Not strict: with no head's tier
 * there is nothing to cap at, and an unknown late_key_tasks gives NULL only
 * when it would decide the tier, as in SQL's three-valued logic.
 */
Datum
deputy_tier(PG_FUNCTION_ARGS)
{
	const KpiRules *r;
	Oid			typoid = get_fn_expr_argtype(fcinfo->flinfo, 0);
	Oid			deputy;
	Oid			head;

	if (PG_ARGISNULL(0))
		PG_RETURN_NULL();
	if (PG_NARGS() > 3 && PG_ARGISNULL(3))
		PG_RETURN_NULL();
	r = kpi_rules_arg(fcinfo, 3);
	deputy = PG_GETARG_OID(0);
	if (!r->deputy_cap || PG_ARGISNULL(1))
		PG_RETURN_OID(deputy);
	head = PG_GETARG_OID(1);
	if (kpi_tier_index(fcinfo, typoid, deputy) <= kpi_tier_index(fcinfo, typoid, head))
		PG_RETURN_OID(deputy);
	if (PG_ARGISNULL(2))
		PG_RETURN_NULL();
	PG_RETURN_OID(PG_GETARG_BOOL(2) ? head : deputy);
}
