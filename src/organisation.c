/*
 * organisation.c
 *		One period of an organisation scored in one pass, criterion d
 *		included (rules.md CS10, CS11): the window function
 *		kpi.score_organisation and the leader subtrees of kpi.unit_scopes.
 *
 * Used as  kpi.score_organisation(unit_id, is_leader, scope, general, t, dd, e
 *                                 [, rules]) OVER (PARTITION BY period)
 * the whole partition is one period of one organisation and is decided on
 * its first row, as the quota is (quota.c).  A leader manages the non-leaders
 * of the units of their scope, and the leaders whose unit is in it and whose
 * scope is a proper subset of it, or the same units when the leader sits
 * outside them and the other inside (an agency's deputy over a unit's
 * head); leaders of the same units are peers.  A leader's d is
 * leader_reduced when someone they manage ends the period below
 * threshold_complete, else leader_full (kpi_below_complete and
 * kpi_criterion_d, shared with kpi.unit_result).  Managing only ever goes
 * from a larger scope to a smaller one (or from outside to inside at equal
 * size), so leaders taken in that order find the final scores of everyone
 * they manage already computed.
 */
#include "postgres.h"

#include "kpi_eval.h"

#include "catalog/pg_type.h"
#include "funcapi.h"
#include "lib/qunique.h"
#include "utils/array.h"
#include "utils/builtins.h"
#include "utils/datum.h"
#include "utils/memutils.h"
#include "windowapi.h"

/* One official of the partition. */
typedef struct Member
{
	bool		leader;
	bool		has_unit;
	int64		unit;
	int64	   *scope;			/* leaders: sorted, distinct, without NULLs */
	int			nscope;
	bool		outside;		/* a leader whose unit is not in their scope */
	bool		bad;			/* scored below threshold_complete */
	const KpiTally *t;			/* NULL: no tally */
	bool		has_general;
	int64		general;
	int64		lc[3];			/* d, dd, e */
	Datum		lcd[3];			/* dd and e as given (0: not given) */
} Member;

typedef struct OrgDecision
{
	bool		decided;
	Datum	   *result;			/* per row; NULL rules: none */
} OrgDecision;

static int
CmpInt64(const void *a, const void *b)
{
	int64		x = *(const int64 *) a;
	int64		y = *(const int64 *) b;

	return x < y ? -1 : (x > y ? 1 : 0);
}

static bool
HasUnit(const int64 *units, int n, int64 u)
{
	return bsearch(&u, units, n, sizeof(int64), CmpInt64) != NULL;
}

/* The members of a bigint[] without NULLs, sorted and distinct. */
static int64 *
SortedSet(Datum array, int *n)
{
	ArrayType  *a = DatumGetArrayTypeP(array);
	Datum	   *elems;
	bool	   *nulls;
	int			nelems;
	int64	   *set;
	int			k = 0;

	deconstruct_array(a, INT8OID, 8, FLOAT8PASSBYVAL, TYPALIGN_DOUBLE, &elems, &nulls, &nelems);
	set = palloc((nelems + 1) * sizeof(int64));
	for (int i = 0; i < nelems; i++)
		if (!nulls[i])
			set[k++] = DatumGetInt64(elems[i]);
	if (k > 1)
	{
		qsort(set, k, sizeof(int64), CmpInt64);
		k = (int) qunique(set, k, sizeof(int64), CmpInt64);
	}
	*n = k;
	return set;
}

/* Leaders in managing order: smaller scopes first, inside before outside. */
static Member *sort_members;

static int
CmpManagingOrder(const void *pa, const void *pb)
{
	const Member *a = &sort_members[*(const int64 *) pa];
	const Member *b = &sort_members[*(const int64 *) pb];

	if (a->nscope != b->nscope)
		return a->nscope < b->nscope ? -1 : 1;
	if (a->outside != b->outside)
		return a->outside ? 1 : -1;
	return CmpInt64(pa, pb);
}

/* Leaders by unit, for the leaders whose unit is in a scope. */
static int
CmpByUnit(const void *pa, const void *pb)
{
	const Member *a = &sort_members[*(const int64 *) pa];
	const Member *b = &sort_members[*(const int64 *) pb];

	if (a->unit != b->unit)
		return a->unit < b->unit ? -1 : 1;
	return CmpInt64(pa, pb);
}

/* Does leader l manage leader m (m's unit being in l's scope)? */
static bool
Manages(const Member *l, const Member *m)
{
	if (!(m->nscope < l->nscope || (m->nscope == l->nscope && l->outside && !m->outside)))
		return false;
	for (int i = 0; i < m->nscope; i++)
		if (!HasUnit(l->scope, l->nscope, m->scope[i]))
			return false;
	return true;
}

/* Read row i of the partition into m, validating what will be used. */
static void
ReadMember(WindowObject winobj, int64 i, const KpiRules *r, Member *m)
{
	static const char *const names[3] = {"d", "dd", "e"};
	bool		isnull;
	Datum		d;

	memset(m, 0, sizeof(*m));
	d = WinGetFuncArgInPartition(winobj, 0, i, WINDOW_SEEK_HEAD, false, &isnull, NULL);
	m->has_unit = !isnull;
	m->unit = isnull ? 0 : DatumGetInt64(d);
	d = WinGetFuncArgInPartition(winobj, 1, i, WINDOW_SEEK_HEAD, false, &isnull, NULL);
	m->leader = !isnull && DatumGetBool(d);
	d = WinGetFuncArgInPartition(winobj, 4, i, WINDOW_SEEK_HEAD, false, &isnull, NULL);
	if (!isnull)
	{
		KpiTally   *t = palloc(sizeof(KpiTally));

		memmove(t, kpi_tally_read(d, t), sizeof(KpiTally));
		m->t = t;
	}
	/* G and the leader criteria count only with work to score, as in kpi.period_score */
	d = WinGetFuncArgInPartition(winobj, 3, i, WINDOW_SEEK_HEAD, false, &isnull, NULL);
	m->has_general = !isnull;
	if (!isnull && m->t)
		m->general = kpi_general_fixed(d, r);
	if (!m->leader)
		return;
	d = WinGetFuncArgInPartition(winobj, 2, i, WINDOW_SEEK_HEAD, false, &isnull, NULL);
	m->scope = isnull ? palloc(sizeof(int64)) : SortedSet(d, &m->nscope);
	m->outside = !m->has_unit || !HasUnit(m->scope, m->nscope, m->unit);
	m->lc[0] = r->leader_full;
	for (int k = 1; k < 3; k++)
	{
		m->lc[k] = r->leader_full;
		d = WinGetFuncArgInPartition(winobj, 4 + k, i, WINDOW_SEEK_HEAD, false, &isnull, NULL);
		if (isnull)
			continue;
		m->lcd[k] = datumCopy(d, false, -1);
		if (m->t)
			m->lc[k] = kpi_leader_fixed(d, names[k], r);
	}
}

/*
 * Score member m (its d decided): its row, copied into the partition's
 * memory; the arithmetic's garbage goes with rowcxt.
 */
static Datum
Score(FunctionCallInfo fcinfo, TupleDesc desc, const KpiRules *r, Member *m,
	  MemoryContext rowcxt, MemoryContext keep)
{
	MemoryContext old = MemoryContextSwitchTo(rowcxt);
	KpiScoreDetail sd;
	Datum		row;

	kpi_score_detail(m->t, m->has_general ? &m->general : NULL, m->leader ? m->lc : NULL, r, &sd);
	m->bad = sd.score != NULL && kpi_below_complete(sd.score_fixed, r->threshold_complete);
	row = kpi_score_detail_datum(fcinfo, desc, &sd, m->lcd);
	MemoryContextSwitchTo(keep);
	row = datumCopy(row, false, -1);
	MemoryContextSwitchTo(old);
	MemoryContextReset(rowcxt);
	return row;
}

static OrgDecision *
Decide(FunctionCallInfo fcinfo)
{
	WindowObject winobj = PG_WINDOW_OBJECT();
	OrgDecision *od = WinGetPartitionLocalMemory(winobj, sizeof(OrgDecision));
	MemoryContext old;
	MemoryContext work;
	MemoryContext rowcxt;
	MemoryContext keep;
	const KpiRules *r;
	TupleDesc	desc;
	int64		nrows;
	Member	   *mem;
	int64	   *leaders;
	int64	   *by_unit;
	int64		nleaders = 0;
	int64		nby = 0;
	int64	   *bad_units;
	int			nbad = 0;

	if (od->decided)
		return od;
	nrows = WinGetPartitionRowCount(winobj);
	r = kpi_window_rules(fcinfo, winobj, 7, nrows, "organisation");
	od->decided = true;
	if (r == NULL)
		return od;				/* NULL rules: NULL rows, as for a strict function */
	desc = kpi_score_detail_desc(fcinfo);

	/* the rows live as long as the partition; the work arrays only until decided */
	keep = GetMemoryChunkContext(od);
	old = MemoryContextSwitchTo(keep);
	od->result = palloc0(nrows * sizeof(Datum));
	work = AllocSetContextCreate(keep, "kpi.score_organisation", ALLOCSET_DEFAULT_SIZES);
	rowcxt = AllocSetContextCreate(work, "kpi.score_organisation row", ALLOCSET_SMALL_SIZES);
	MemoryContextSwitchTo(work);
	mem = palloc(nrows * sizeof(Member));
	leaders = palloc((nrows + 1) * sizeof(int64));
	by_unit = palloc((nrows + 1) * sizeof(int64));
	bad_units = palloc((nrows + 1) * sizeof(int64));

	/* non-leaders first: their scores decide the d of the leaders over them */
	for (int64 i = 0; i < nrows; i++)
	{
		Member	   *m = &mem[i];

		ReadMember(winobj, i, r, m);
		if (m->leader)
		{
			leaders[nleaders++] = i;
			if (m->has_unit)
				by_unit[nby++] = i;
			continue;
		}
		od->result[i] = Score(fcinfo, desc, r, m, rowcxt, keep);
		if (m->bad && m->has_unit)
			bad_units[nbad++] = m->unit;
	}
	if (nbad > 1)
	{
		qsort(bad_units, nbad, sizeof(int64), CmpInt64);
		nbad = (int) qunique(bad_units, nbad, sizeof(int64), CmpInt64);
	}

	sort_members = mem;
	qsort(leaders, nleaders, sizeof(int64), CmpManagingOrder);
	qsort(by_unit, nby, sizeof(int64), CmpByUnit);
	sort_members = NULL;

	for (int64 j = 0; j < nleaders; j++)
	{
		Member	   *l = &mem[leaders[j]];
		bool		reduced = false;

		for (int u = 0; u < l->nscope && !reduced; u++)
		{
			int64		lo = 0;
			int64		hi = nby;

			/* someone they manage below threshold_complete: a non-leader of the unit */
			if (HasUnit(bad_units, nbad, l->scope[u]))
			{
				reduced = true;
				break;
			}
			/* or a leader of the unit they manage, already decided */
			while (lo < hi)
			{
				int64		mid = lo + (hi - lo) / 2;
				const Member *m = &mem[by_unit[mid]];

				if (m->unit < l->scope[u])
					lo = mid + 1;
				else
					hi = mid;
			}
			for (; lo < nby && mem[by_unit[lo]].unit == l->scope[u]; lo++)
			{
				const Member *m = &mem[by_unit[lo]];

				if (m != l && m->bad && Manages(l, m))
				{
					reduced = true;
					break;
				}
			}
		}
		l->lc[0] = kpi_criterion_d(reduced ? 1 : 0, r->leader_full, r->leader_reduced);
		od->result[leaders[j]] = Score(fcinfo, desc, r, l, rowcxt, keep);
	}
	MemoryContextSwitchTo(old);
	MemoryContextDelete(work);
	return od;
}

PG_FUNCTION_INFO_V1(score_organisation);

/* kpi.score_organisation(...) OVER (...): the row's kpi.score_detail */
Datum
score_organisation(PG_FUNCTION_ARGS)
{
	OrgDecision *od = Decide(fcinfo);

	if (od->result == NULL)
		PG_RETURN_NULL();
	PG_RETURN_DATUM(od->result[WinGetCurrentPosition(PG_WINDOW_OBJECT())]);
}

/* A (parent, unit) edge of the unit tree. */
typedef struct Edge
{
	int64		parent;
	int64		unit;
} Edge;

static int
CmpEdge(const void *pa, const void *pb)
{
	const Edge *a = pa;
	const Edge *b = pb;

	if (a->parent != b->parent)
		return a->parent < b->parent ? -1 : 1;
	return CmpInt64(&a->unit, &b->unit);
}

/* The elements of a one-dimensional bigint[], NULLs flagged. */
static int
Int8Elems(ArrayType *a, Datum **elems, bool **nulls)
{
	int			n;

	deconstruct_array(a, INT8OID, 8, FLOAT8PASSBYVAL, TYPALIGN_DOUBLE, elems, nulls, &n);
	return n;
}

PG_FUNCTION_INFO_V1(unit_scopes);

/*
 * kpi.unit_scopes(roots, unit_ids, parent_ids [, whole_subtree]): for each
 * distinct root, the units whose civil servants a leader of that unit
 * manages (CS10): the root and every unit below it (only the root when
 * whole_subtree is false), sorted.  A unit reached twice is taken once, so
 * a cycle in the parents ends.  The one implementation of a leader's
 * subtree: kpi.unit_scope and the reference schema call it.
 */
Datum
unit_scopes(PG_FUNCTION_ARGS)
{
	ReturnSetInfo *rsinfo = (ReturnSetInfo *) fcinfo->resultinfo;
	bool		whole = PG_NARGS() < 4 || PG_GETARG_BOOL(3);
	Datum	   *roots;
	bool	   *root_nulls;
	Datum	   *uelems;
	bool	   *unulls;
	Datum	   *pelems;
	bool	   *pnulls;
	int			nroots;
	int			nunits;
	int			npar;
	int64	   *ids;
	int			nids;
	int		   *stamp;
	Edge	   *edges;
	int			nedges = 0;
	int64	   *rootset;
	int			k = 0;
	int64	   *scope;

	nroots = Int8Elems(PG_GETARG_ARRAYTYPE_P(0), &roots, &root_nulls);
	nunits = Int8Elems(PG_GETARG_ARRAYTYPE_P(1), &uelems, &unulls);
	npar = Int8Elems(PG_GETARG_ARRAYTYPE_P(2), &pelems, &pnulls);
	if (nunits != npar)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("unit_ids and parent_ids must have the same length"),
				 errdetail("There are %d unit ids and %d parent ids.", nunits, npar)));
	ids = palloc((nunits + 1) * sizeof(int64));
	edges = palloc((nunits + 1) * sizeof(Edge));
	for (int i = 0; i < nunits; i++)
	{
		if (unulls[i])
			ereport(ERROR,
					(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
					 errmsg("unit_ids must not contain nulls"),
					 errdetail("Every unit needs an id; a root unit has a NULL parent id.")));
		ids[i] = DatumGetInt64(uelems[i]);
		if (!pnulls[i])
		{
			edges[nedges].parent = DatumGetInt64(pelems[i]);
			edges[nedges++].unit = ids[i];
		}
	}
	nids = nunits;
	if (nids > 1)
	{
		qsort(ids, nids, sizeof(int64), CmpInt64);
		nids = (int) qunique(ids, nids, sizeof(int64), CmpInt64);
	}
	qsort(edges, nedges, sizeof(Edge), CmpEdge);
	stamp = palloc0((nids + 1) * sizeof(int));
	/* a scope holds the root and at most every unit */
	scope = palloc((nids + 2) * sizeof(int64));

	rootset = palloc((nroots + 1) * sizeof(int64));
	for (int i = 0; i < nroots; i++)
		if (!root_nulls[i])
			rootset[k++] = DatumGetInt64(roots[i]);
	if (k > 1)
	{
		qsort(rootset, k, sizeof(int64), CmpInt64);
		k = (int) qunique(rootset, k, sizeof(int64), CmpInt64);
	}

	InitMaterializedSRF(fcinfo, 0);
	for (int j = 0; j < k; j++)
	{
		int			n = 0;
		int64	   *found = bsearch(&rootset[j], ids, nids, sizeof(int64), CmpInt64);
		Datum		values[2];
		bool		nulls[2] = {false, false};
		Datum	   *elems;

		/* breadth first from the root; stamp j + 1 marks the units reached */
		scope[n++] = rootset[j];
		if (found)
			stamp[found - ids] = j + 1;
		for (int q = 0; whole && q < n; q++)
		{
			int			lo = 0;
			int			hi = nedges;

			while (lo < hi)
			{
				int			mid = lo + (hi - lo) / 2;

				if (edges[mid].parent < scope[q])
					lo = mid + 1;
				else
					hi = mid;
			}
			for (; lo < nedges && edges[lo].parent == scope[q]; lo++)
			{
				int64	   *c = bsearch(&edges[lo].unit, ids, nids, sizeof(int64), CmpInt64);

				if (stamp[c - ids] == j + 1)
					continue;
				stamp[c - ids] = j + 1;
				scope[n++] = edges[lo].unit;
			}
		}
		qsort(scope, n, sizeof(int64), CmpInt64);
		elems = palloc(n * sizeof(Datum));
		for (int i = 0; i < n; i++)
			elems[i] = Int64GetDatum(scope[i]);
		values[0] = Int64GetDatum(rootset[j]);
		values[1] = PointerGetDatum(construct_array(elems, n, INT8OID, 8, FLOAT8PASSBYVAL, TYPALIGN_DOUBLE));
		tuplestore_putvalues(rsinfo->setResult, rsinfo->setDesc, values, nulls);
		pfree(elems);
	}
	return (Datum) 0;
}
