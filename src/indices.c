/*
 * indices.c
 *		Published indices (rules.md IX1-IX5): range checks by index code,
 *		normalisation to a fraction 0..1 by scale, min-max or rank among
 *		peers, and the PCI composite of its weighted sub-indices.
 *
 * Index values are exact numerics with any number of decimals; a fraction
 * by scale is a multiplication by a power of ten, so it is exact too.
 */
#include "postgres.h"

#include "kpi_eval.h"

#include "catalog/pg_type.h"
#include "utils/array.h"
#include "utils/builtins.h"
#include "utils/datum.h"
#include "utils/fmgrprotos.h"
#include "utils/memutils.h"
#include "windowapi.h"

/* Index codes, their maximum and the factor turning a value into 0..1. */
#define NCODES 5

static const char *const code_names[NCODES] = {"par", "sipas", "pci", "dti", "dti_ratio"};
static const char *const code_max[NCODES] = {"100", "100", "100", "1000", "1"};
static const char *const code_factor[NCODES] = {"0.01", "0.01", "0.01", "0.001", "1"};

#define CODE_PCI 2

#define KNOWN_CODES "\"par\", \"sipas\", \"pci\" (0 to 100), \"dti\" (0 to 1000 points) and \"dti_ratio\" (0 to 1)"

static Numeric
NumericConst(const char *s)
{
	return DatumGetNumeric(DirectFunctionCall3(numeric_in, CStringGetDatum(s),
											   ObjectIdGetDatum(InvalidOid),
											   Int32GetDatum(-1)));
}

static int
Cmp(Numeric a, Numeric b)
{
	return DatumGetInt32(DirectFunctionCall2(numeric_cmp, NumericGetDatum(a),
											 NumericGetDatum(b)));
}

/* Exact value without trailing fraction zeros (0.9000 -> 0.9). */
Numeric
kpi_num_trim(Numeric n)
{
	return DatumGetNumeric(DirectFunctionCall1(numeric_trim_scale, NumericGetDatum(n)));
}

static bool
IsFinite(Numeric n)
{
	return !numeric_is_nan(n) && !numeric_is_inf(n);
}

static char *
Shown(Numeric n)
{
	return DatumGetCString(DirectFunctionCall1(numeric_out, NumericGetDatum(n)));
}

/* The index code named by a string of length len, or -1. */
int
kpi_index_code(const char *code, int len)
{
	for (int i = 0; i < NCODES; i++)
		if ((int) strlen(code_names[i]) == len && strncmp(code, code_names[i], len) == 0)
			return i;
	return -1;
}

/* The index code of a text argument; unknown codes are an error. */
static int
CodeArg(Datum code)
{
	text	   *t = DatumGetTextPP(code);
	int			c = kpi_index_code(VARDATA_ANY(t), VARSIZE_ANY_EXHDR(t));

	if (c < 0)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("unknown index code \"%s\"", text_to_cstring(t)),
				 errdetail("The codes are " KNOWN_CODES ".")));
	return c;
}

/* An index value checked against its code's scale (IX1-IX4). */
static Numeric
kpi_index_value(int code, Datum value)
{
	Numeric		v = DatumGetNumeric(value);

	if (!IsFinite(v))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("index \"%s\" value must be a finite number", code_names[code]),
				 errdetail("The value given is %s.", Shown(v))));
	if (Cmp(v, kpi_num_int(0)) < 0 || Cmp(v, NumericConst(code_max[code])) > 0)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("index \"%s\" value must be between 0 and %s", code_names[code],
						code_max[code]),
				 errdetail("The value given is %s.", Shown(v))));
	return v;
}

/* value / scale, exactly; 1 - that when lower is better (IX5 "scale"). */
static Numeric
kpi_index_scale_fraction(int code, Numeric value, bool higher_is_better)
{
	Numeric		f = kpi_num_mul(value, NumericConst(code_factor[code]));

	if (!higher_is_better)
		f = DatumGetNumeric(DirectFunctionCall2(numeric_sub, NumericGetDatum(kpi_num_int(1)),
												NumericGetDatum(f)));
	return kpi_num_trim(f);
}

PG_FUNCTION_INFO_V1(index_check);

/*
 * kpi.index_check(code, value): the value, when it is within its index's
 * scale (IX1-IX4); an error otherwise.  Made for CHECK constraints.
 */
Datum
index_check(PG_FUNCTION_ARGS)
{
	PG_RETURN_NUMERIC(kpi_index_value(CodeArg(PG_GETARG_DATUM(0)), PG_GETARG_DATUM(1)));
}

PG_FUNCTION_INFO_V1(index_fraction);

/* kpi.index_fraction(code, value, higher_is_better): IX5 by scale */
Datum
index_fraction(PG_FUNCTION_ARGS)
{
	int			code = CodeArg(PG_GETARG_DATUM(0));

	PG_RETURN_NUMERIC(kpi_index_scale_fraction(code, kpi_index_value(code, PG_GETARG_DATUM(1)),
											   PG_GETARG_BOOL(2)));
}

/* A one-dimensional numeric array without nulls. */
static Datum *
NumericArray(ArrayType *a, const char *what, int *n)
{
	Datum	   *elems;
	bool	   *nulls;

	if (ARR_NDIM(a) > 1)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("PCI %s must be a one-dimensional array", what),
				 errdetail("The array given has %d dimensions.", ARR_NDIM(a))));
	deconstruct_array(a, NUMERICOID, -1, false, TYPALIGN_INT, &elems, &nulls, n);
	for (int i = 0; i < *n; i++)
		if (nulls[i])
			ereport(ERROR,
					(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
					 errmsg("PCI %s must not contain nulls", what),
					 errdetail("Element %d is null.", i + 1)));
	return elems;
}

/*
 * The exact PCI composite sum w_k x 10 x s_k (IX3): sub-indices in 0..10,
 * weights in 0..1 adding up to exactly 1, as many weights as sub-indices.
 */
static Numeric
PciComposite(ArrayType *sa, ArrayType *wa)
{
	int			ns;
	int			nw;
	Datum	   *s = NumericArray(sa, "sub-indices", &ns);
	Datum	   *w = NumericArray(wa, "weights", &nw);
	Numeric		ten = kpi_num_int(10);
	Numeric		wsum = kpi_num_int(0);
	Numeric		total = kpi_num_int(0);

	if (nw == 0)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("PCI weights must not be empty"),
				 errdetail("The composite needs at least one weighted sub-index.")));
	if (ns != nw)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("PCI has %d weights but %d sub-indices were given", nw, ns),
				 errdetail("Each sub-index needs a weight; the default weights are the 10 of VCCI's PCI.")));
	for (int i = 0; i < nw; i++)
	{
		Numeric		wi = DatumGetNumeric(w[i]);
		Numeric		si = DatumGetNumeric(s[i]);

		if (!IsFinite(wi) || Cmp(wi, kpi_num_int(0)) < 0 || Cmp(wi, kpi_num_int(1)) > 0)
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("PCI weight %d must be between 0 and 1", i + 1),
					 errdetail("The value given is %s.", Shown(wi))));
		if (!IsFinite(si) || Cmp(si, kpi_num_int(0)) < 0 || Cmp(si, ten) > 0)
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("PCI sub-index %d must be between 0 and 10", i + 1),
					 errdetail("The value given is %s.", Shown(si))));
		wsum = kpi_num_add(wsum, wi);
		total = kpi_num_add(total, kpi_num_mul(kpi_num_mul(wi, ten), si));
	}
	if (Cmp(wsum, kpi_num_int(1)) != 0)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("PCI weights must add up to 1"),
				 errdetail("They add up to %s.", Shown(wsum))));
	return kpi_num_trim(total);
}

PG_FUNCTION_INFO_V1(pci_composite);

/* kpi.pci_composite(subindices, weights): the exact PCI composite (IX3) */
Datum
pci_composite(PG_FUNCTION_ARGS)
{
	PG_RETURN_NUMERIC(PciComposite(PG_GETARG_ARRAYTYPE_P(0), PG_GETARG_ARRAYTYPE_P(1)));
}

PG_FUNCTION_INFO_V1(pci_check);

/*
 * kpi.pci_check(composite, subindices, weights, tolerance): does a published
 * composite agree with its sub-indices?  True when it differs by at most
 * tolerance from the exact composite rounded half away from zero to 2
 * decimals, as VCCI publishes it.
 */
Datum
pci_check(PG_FUNCTION_ARGS)
{
	Numeric		composite = kpi_index_value(CODE_PCI, PG_GETARG_DATUM(0));
	Numeric		exact = PciComposite(PG_GETARG_ARRAYTYPE_P(1), PG_GETARG_ARRAYTYPE_P(2));
	Numeric		tolerance = PG_GETARG_NUMERIC(3);
	Numeric		diff;

	if (!IsFinite(tolerance) || Cmp(tolerance, kpi_num_int(0)) < 0)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("PCI tolerance must be a non-negative finite number"),
				 errdetail("The value given is %s.", Shown(tolerance))));
	diff = DatumGetNumeric(DirectFunctionCall2(numeric_sub, NumericGetDatum(composite),
											   NumericGetDatum(kpi_round_ratio(exact, kpi_num_int(1), 2))));
	diff = DatumGetNumeric(DirectFunctionCall1(numeric_abs, NumericGetDatum(diff)));
	PG_RETURN_BOOL(Cmp(diff, tolerance) <= 0);
}

/*
 * The peers of a window partition for kpi.index_norm: the non-NULL values,
 * sorted ascending, computed on the first row that needs them.
 */
typedef struct NormPeers
{
	bool		computed;
	int64		n;
	Datum	   *sorted;
} NormPeers;

static int
CmpDatum(const void *a, const void *b)
{
	return DatumGetInt32(DirectFunctionCall2(numeric_cmp, *(const Datum *) a,
											 *(const Datum *) b));
}

/* Index of the first sorted value >= v (strict false) or > v (strict true). */
static int64
Bound(const NormPeers *p, Datum v, bool strict)
{
	int64		lo = 0;
	int64		hi = p->n;

	while (lo < hi)
	{
		int64		mid = lo + (hi - lo) / 2;
		int			c = CmpDatum(&p->sorted[mid], &v);

		if (c < 0 || (strict && c == 0))
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

static NormPeers *
Peers(WindowObject winobj)
{
	NormPeers  *p = WinGetPartitionLocalMemory(winobj, sizeof(NormPeers));
	MemoryContext old;
	int64		nrows;
	int			code = -1;

	if (p->computed)
		return p;
	old = MemoryContextSwitchTo(GetMemoryChunkContext(p));
	nrows = WinGetPartitionRowCount(winobj);
	p->sorted = MemoryContextAllocHuge(CurrentMemoryContext, Max(nrows, 1) * sizeof(Datum));
	for (int64 i = 0; i < nrows; i++)
	{
		bool		codenull;
		bool		valnull;
		Datum		c = WinGetFuncArgInPartition(winobj, 0, i, WINDOW_SEEK_HEAD, false, &codenull, NULL);
		Datum		v = WinGetFuncArgInPartition(winobj, 1, i, WINDOW_SEEK_HEAD, false, &valnull, NULL);
		int			ci;

		/* a row without a code or a value is not a peer */
		if (codenull || valnull)
			continue;
		ci = CodeArg(c);
		if (code >= 0 && ci != code)
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("kpi.index_norm peers mix the index codes \"%s\" and \"%s\"",
							code_names[code], code_names[ci]),
					 errdetail("Min-max and rank normalisation compare values of one index."),
					 errhint("Partition the window by the index code and year: OVER (PARTITION BY code, year).")));
		code = ci;
		kpi_index_value(ci, v);
		p->sorted[p->n++] = datumCopy(v, false, -1);
	}
	qsort(p->sorted, p->n, sizeof(Datum), CmpDatum);
	MemoryContextSwitchTo(old);
	p->computed = true;
	return p;
}

PG_FUNCTION_INFO_V1(index_norm);

/*
 * kpi.index_norm(code, value, method, higher_is_better, rules) OVER (...):
 * the value as a fraction 0..1 (IX5) by scale, by min-max among the
 * partition's values, or by rank among them ((n - rank) / (n - 1), rank 1
 * best, ties sharing the best rank).  NULL values give NULL and are not
 * peers; a NULL method means the rules' index_method.
 */
Datum
index_norm(PG_FUNCTION_ARGS)
{
	WindowObject winobj = PG_WINDOW_OBJECT();
	bool		isnull[5];
	Datum		arg[5];
	const KpiRules *r;
	int			code;
	int			method;
	bool		higher;
	Numeric		v;
	NormPeers  *p;

	/* window functions read their arguments through the window API */
	for (int i = 0; i < 5; i++)
		arg[i] = WinGetFuncArgCurrent(winobj, i, &isnull[i]);
	if (isnull[0] || isnull[1] || isnull[3] || isnull[4])
		PG_RETURN_NULL();
	r = kpi_rules_value(fcinfo, arg[4]);
	code = CodeArg(arg[0]);
	v = kpi_index_value(code, arg[1]);
	higher = DatumGetBool(arg[3]);
	method = r->index_method;
	if (!isnull[2])
	{
		char	   *m = TextDatumGetCString(arg[2]);

		for (method = 0; method < KPI_INDEX_NMETHODS; method++)
			if (strcmp(m, kpi_index_methods[method]) == 0)
				break;
		if (method == KPI_INDEX_NMETHODS)
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("unknown index normalisation method \"%s\"", m),
					 errdetail("The methods are \"scale\", \"minmax\" and \"rank\".")));
	}

	if (method == KPI_INDEX_SCALE)
		PG_RETURN_NUMERIC(kpi_index_scale_fraction(code, v, higher));

	p = Peers(winobj);
	if (method == KPI_INDEX_MINMAX)
	{
		Numeric		min = DatumGetNumeric(p->sorted[0]);
		Numeric		max = DatumGetNumeric(p->sorted[p->n - 1]);
		Numeric		range;

		if (Cmp(min, max) == 0)
			PG_RETURN_NUMERIC(kpi_num_int(1));
		range = DatumGetNumeric(DirectFunctionCall2(numeric_sub, NumericGetDatum(max),
													NumericGetDatum(min)));
		PG_RETURN_NUMERIC(kpi_num_trim(kpi_num_div(DatumGetNumeric(DirectFunctionCall2(numeric_sub,
																			   NumericGetDatum(higher ? v : max),
																			   NumericGetDatum(higher ? min : v))),
										   range)));
	}
	else
	{
		/* rank 1 + (number of strictly better values), as SQL rank() */
		int64		better = higher ? p->n - Bound(p, NumericGetDatum(v), true) :
			Bound(p, NumericGetDatum(v), false);

		if (p->n == 1)
			PG_RETURN_NUMERIC(kpi_num_int(1));
		PG_RETURN_NUMERIC(kpi_num_trim(kpi_num_div(kpi_num_int(p->n - 1 - better),
										   kpi_num_int(p->n - 1))));
	}
}
