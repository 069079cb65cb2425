/*
 * tally_agg.c
 *		kpi.tally_agg and kpi.rollup: transition, inverse and combine
 *		functions (rules.md CS4-CS8).
 *
 * The state is a kpi.tally, a real SQL type, so parallel query,
 * partitionwise aggregation, postgres_fdw and Citus can all ship it.  The
 * state is changed in place only when called by the executor as an
 * aggregate; a direct call gets a modified copy.
 */
#include "postgres.h"

#include "kpi_eval.h"

#include "nodes/execnodes.h"

/* One task line, fixed point (KPI_DIGITS decimals). */
typedef struct TaskLine
{
	int64		coef;
	int64		assigned;
	int64		completed;
	int64		passed;
	int32		errors;
	int32		late;
} TaskLine;

static void CountError(const char *what, int32 v) pg_attribute_noreturn();

static void
CountError(const char *what, int32 v)
{
	ereport(ERROR,
			(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
			 errmsg("task line %s must not be negative", what),
			 errdetail("The value given is %d.", v)));
}

static inline int32
CountArg(FunctionCallInfo fcinfo, int argno, const char *what)
{
	int32		v = PG_GETARG_INT32(argno);

	if (unlikely(v < 0))
		CountError(what, v);
	return v;
}

/* Clamp at zero: a line never earns negative credit (CS8). */
static inline int64
NonNegative(int64 v)
{
	return v < 0 ? 0 : v;
}

/*
 * Add (sign = 1) or remove (sign = -1) one line's credits (CS5-CS7) to a
 * wide tally.  Products of two scaled inputs are below 10^32, so each fits
 * int128; the running sums are overflow-checked.
 */
static void
ApplyLineWide(KpiTally *t, const TaskLine *l, int sign)
{
	int64		quality_units = NonNegative(l->passed - (int64) t->quality_deduction * l->errors);
	int64		progress_units = NonNegative(l->completed - (int64) t->progress_deduction * l->late);
	int64		strict_units = NonNegative(l->completed - KPI_ONE * l->late);
	int128		coef = l->coef;

	if (__builtin_add_overflow(t->lines, sign, &t->lines) ||
		__builtin_add_overflow(t->quality_errors, sign * (int64) l->errors, &t->quality_errors) ||
		__builtin_add_overflow(t->late_events, sign * (int64) l->late, &t->late_events))
		ereport(ERROR,
				(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
				 errmsg("kpi.tally count is out of range")));
	t->assigned = kpi_add128(t->assigned, sign * coef * l->assigned, "assigned weight");
	t->quantity = kpi_add128(t->quantity, sign * coef * l->completed, "quantity credit");
	t->quality = kpi_add128(t->quality, sign * coef * quality_units, "quality credit");
	t->progress = kpi_add128(t->progress, sign * coef * progress_units, "progress credit");
	t->progress_strict = kpi_add128(t->progress_strict, sign * coef * strict_units, "progress credit");
}

/*
 * The same on a compact tally, in int64 arithmetic: false, with the tally
 * unchanged, when a product or a sum leaves the compact range (then the
 * caller promotes the tally to the wide layout and adds the line there).
 */
static inline bool
ApplyLineCompact(KpiTallyCompact *t, const TaskLine *l, int sign)
{
	int64		quality_units = NonNegative(l->passed - (int64) t->quality_deduction * l->errors);
	int64		progress_units = NonNegative(l->completed - (int64) t->progress_deduction * l->late);
	int64		strict_units = NonNegative(l->completed - KPI_ONE * l->late);
	int64		pa,
				pn,
				pq,
				pp,
				ps;
	int32		lines,
				errors,
				late;
	int64		a,
				n,
				q,
				p,
				s;
	bool		overflow;

	overflow = __builtin_mul_overflow(l->coef, l->assigned, &pa) |
		__builtin_mul_overflow(l->coef, l->completed, &pn) |
		__builtin_mul_overflow(l->coef, quality_units, &pq) |
		__builtin_mul_overflow(l->coef, progress_units, &pp) |
		__builtin_mul_overflow(l->coef, strict_units, &ps);
	if (sign > 0)
		overflow |= __builtin_add_overflow(t->lines, 1, &lines) |
			__builtin_add_overflow(t->quality_errors, l->errors, &errors) |
			__builtin_add_overflow(t->late_events, l->late, &late) |
			__builtin_add_overflow(t->assigned, pa, &a) |
			__builtin_add_overflow(t->quantity, pn, &n) |
			__builtin_add_overflow(t->quality, pq, &q) |
			__builtin_add_overflow(t->progress, pp, &p) |
			__builtin_add_overflow(t->progress_strict, ps, &s);
	else
		overflow |= __builtin_sub_overflow(t->lines, 1, &lines) |
			__builtin_sub_overflow(t->quality_errors, l->errors, &errors) |
			__builtin_sub_overflow(t->late_events, l->late, &late) |
			__builtin_sub_overflow(t->assigned, pa, &a) |
			__builtin_sub_overflow(t->quantity, pn, &n) |
			__builtin_sub_overflow(t->quality, pq, &q) |
			__builtin_sub_overflow(t->progress, pp, &p) |
			__builtin_sub_overflow(t->progress_strict, ps, &s);
	if (unlikely(overflow))
		return false;
	t->lines = lines;
	t->quality_errors = errors;
	t->late_events = late;
	t->assigned = a;
	t->quantity = n;
	t->quality = q;
	t->progress = p;
	t->progress_strict = s;
	return true;
}

/*
 * Read the line from the arguments.  unit_form is the single-unit form
 * (coef, done, passed, errors, late).  Returns false when any input is NULL:
 * like the built-in aggregates, a row with a NULL input is skipped.
 */
static pg_attribute_always_inline bool
ReadLine(FunctionCallInfo fcinfo, bool unit_form, TaskLine *l)
{
	int			nline = unit_form ? 5 : 6;
	bool		isnull;

	/* the optional rules argument counts too, as for a strict function */
	isnull = PG_ARGISNULL(1) | PG_ARGISNULL(2) | PG_ARGISNULL(3) | PG_ARGISNULL(4) |
		PG_ARGISNULL(5) | (!unit_form && PG_ARGISNULL(6));
	if (PG_NARGS() > nline + 1)
		isnull |= PG_ARGISNULL(nline + 1);
	if (isnull)
		return false;

	l->coef = kpi_fixed_arg_fast(PG_GETARG_DATUM(1), "coef", "task line");
	if (unit_form)
	{
		bool		done = PG_GETARG_BOOL(2);
		bool		passed = PG_GETARG_BOOL(3);

		if (passed && !done)
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("task line is passed but not done"),
					 errdetail("Only a completed product can pass its quality review.")));
		l->assigned = KPI_ONE;
		l->completed = done ? KPI_ONE : 0;
		l->passed = passed ? KPI_ONE : 0;
	}
	else
	{
		l->assigned = kpi_fixed_arg_fast(PG_GETARG_DATUM(2), "assigned_qty", "task line");
		l->completed = kpi_fixed_arg_fast(PG_GETARG_DATUM(3), "completed_qty", "task line");
		l->passed = kpi_fixed_arg_fast(PG_GETARG_DATUM(4), "passed_qty", "task line");
		if (l->passed > l->completed)
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("task line passed_qty exceeds completed_qty"),
					 errdetail("passed_qty is %s and completed_qty is %s; only completed units can pass.",
							   kpi_fixed_cstring(l->passed), kpi_fixed_cstring(l->completed))));
	}
	l->errors = CountArg(fcinfo, nline - 1, "quality_errors");
	l->late = CountArg(fcinfo, nline, "late_events");
	return true;
}

/*
 * Whether the executor calls us as an aggregate (AggCheckCallContext,
 * inline: it runs per line).  Then the state argument is the aggregate's own
 * value, changed in place.
 */

/*
 * The rules of this row (rules overloads only).  Every row's rules are read
 * and validated; the parse is cached, so a constant costs a comparison.
 */
static const KpiRules *
RowRules(FunctionCallInfo fcinfo, int rules_arg)
{
	return PG_NARGS() > rules_arg ? kpi_rules_arg(fcinfo, rules_arg) : NULL;
}

/* Error unless the rules agree with the rates of a non-empty state. */
static void
CheckRates(uint16 qd, uint16 pd, const KpiRules *r)
{
	if (qd != r->quality_deduction || pd != r->progress_deduction)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("kpi.tally_agg rules differ between rows"),
				 errdetail("The deduction rates must be the same for every line of one tally.")));
}

/*
 * The state to add a line to, as a varlena of either layout.  Inside an
 * aggregate it is the aggregate's own value (created by this function, so
 * already checked); called directly, the argument is a user's value: it is
 * checked and copied.
 */
static struct varlena *
MutableState(FunctionCallInfo fcinfo)
{
	KpiTally	w;

	if (kpi_tally_in_aggregate(fcinfo))
		return (struct varlena *) DatumGetPointer(PG_GETARG_DATUM(0));
	kpi_tally_read(PG_GETARG_DATUM(0), &w);
	return kpi_tally_pack(&w);
}

/*
 * The common case of adding a line to a compact state, with the fewest
 * tests: when coef and the quantities are below 2^31 units (214,748.3647),
 * no product reaches 2^62, and a sum of two non-negative int64 values leaves
 * the range exactly when it comes out negative.  Only the assigned and
 * quantity sums need that test: every other credit of a line is at most its
 * quantity credit, so in a state built from lines every other sum is at most
 * the quantity sum.  False, with the state unchanged, for everything else.
 */
static inline bool
AddLineFast(KpiTallyCompact *t, const TaskLine *l)
{
	int64		quality_units;
	int64		progress_units;
	int64		strict_units;
	uint64		a;
	uint64		n;
	int64		lines;
	int64		errors;
	int64		late;

	if (unlikely(((uint64) (l->coef | l->assigned | l->completed) >> 31) != 0))
		return false;
	a = (uint64) t->assigned + (uint64) (l->coef * l->assigned);
	n = (uint64) t->quantity + (uint64) (l->coef * l->completed);
	lines = (int64) t->lines + 1;
	errors = (int64) t->quality_errors + l->errors;
	late = (int64) t->late_events + l->late;
	if (unlikely((int64) (a | n) < 0 || ((uint64) (lines | errors | late) >> 31) != 0))
		return false;
	quality_units = NonNegative(l->passed - (int64) t->quality_deduction * l->errors);
	progress_units = NonNegative(l->completed - (int64) t->progress_deduction * l->late);
	strict_units = NonNegative(l->completed - KPI_ONE * l->late);
	t->assigned = (int64) a;
	t->quantity = (int64) n;
	t->quality += l->coef * quality_units;
	t->progress += l->coef * progress_units;
	t->progress_strict += l->coef * strict_units;
	t->lines = (int32) lines;
	t->quality_errors = (int32) errors;
	t->late_events = (int32) late;
	return true;
}

/*
 * A row with a NULL input is skipped; then an absent state becomes an empty
 * tally, because a moving aggregate's state must never be NULL.  The final
 * function reads an empty tally as NULL, so an aggregate over no lines is
 * NULL, like avg.
 */
static pg_noinline Datum
SkipLine(FunctionCallInfo fcinfo, int sign)
{
	const KpiRules *d = kpi_rules_default();

	if (!PG_ARGISNULL(0))
		PG_RETURN_DATUM(PG_GETARG_DATUM(0));
	if (sign < 0)
		PG_RETURN_NULL();		/* nothing to remove from: recompute */
	PG_RETURN_POINTER(kpi_tally_new_compact((uint16) d->quality_deduction,
											(uint16) d->progress_deduction));
}

/*
 * Every case but the common one: the first line, a rules argument, the
 * inverse, a direct call, large values.  The state starts compact; a line
 * whose credits leave the compact range promotes it to a new wide value (the
 * executor keeps the new pointer and frees the old one), where it stays
 * until the final function.
 */
static pg_noinline Datum
TransitionSlow(FunctionCallInfo fcinfo, const TaskLine *l, int rules_arg, int sign)
{
	const KpiRules *r = RowRules(fcinfo, rules_arg);
	struct varlena *v;
	KpiTally   *w;

	if (PG_ARGISNULL(0))
	{
		const KpiRules *d = r ? r : kpi_rules_default();

		if (sign < 0)
			PG_RETURN_NULL();	/* nothing to remove from: recompute */
		v = (struct varlena *) kpi_tally_new_compact((uint16) d->quality_deduction,
													 (uint16) d->progress_deduction);
	}
	else
		v = MutableState(fcinfo);

	if (((KpiTallyCompact *) v)->version == KPI_TALLY_VERSION)
	{
		KpiTallyCompact *c = (KpiTallyCompact *) v;

		if (c->lines == 0)
		{
			/* an empty state takes the rates of the rules */
			if (!r)
				r = kpi_rules_default();
			c->quality_deduction = (uint16) r->quality_deduction;
			c->progress_deduction = (uint16) r->progress_deduction;
		}
		else if (r)
			CheckRates(c->quality_deduction, c->progress_deduction, r);
		if (ApplyLineCompact(c, l, sign))
			PG_RETURN_POINTER(c);
		/* promote: the same values, exactly, in the wide layout */
		w = kpi_tally_new(0, 0);
		kpi_tally_widen(c, w);
	}
	else
	{
		w = (KpiTally *) v;
		if (w->lines == 0)
		{
			if (!r)
				r = kpi_rules_default();
			w->quality_deduction = (uint16) r->quality_deduction;
			w->progress_deduction = (uint16) r->progress_deduction;
		}
		else if (r)
			CheckRates(w->quality_deduction, w->progress_deduction, r);
	}
	ApplyLineWide(w, l, sign);
	PG_RETURN_POINTER(w);
}

/*
 * Every row the fast path below does not take: read the line (or skip it),
 * then TransitionSlow.  Not inlined, so that the fast path needs no stack
 * frame of its own and reaches this by a tail call.
 */
static pg_noinline Datum
TransitionGeneral(FunctionCallInfo fcinfo, bool unit_form, int sign)
{
	TaskLine	l;

	if (unlikely(!ReadLine(fcinfo, unit_form, &l)))
		return SkipLine(fcinfo, sign);
	return TransitionSlow(fcinfo, &l, unit_form ? 6 : 7, sign);
}

/*
 * A numeric of the common forms, read with a few loads: a short varlena
 * holding a positive short-format numeric of at most two base-10000 digits
 * worth whole units of 1/KPI_ONE (0, 1, 2, 4, 0.5, 3.25, 1.2345...), which
 * kpi_fixed_arg_fast would read the same.  False for anything else, which
 * the general path reads (the same value, or the error).
 */
static pg_attribute_always_inline bool
SmallNumeric(Datum num, int64 *v)
{
#ifdef WORDS_BIGENDIAN
	return false;
#else
	static const int64 units[4] = {1, INT64CONST(10000), INT64CONST(100000000),
	INT64CONST(1000000000000)};
	const uint8 *p = (const uint8 *) DatumGetPointer(num);
	uint32		e;
	int16		d[2];

	/* p[0]: a 1-byte varlena header (size << 1 | 1); p[1], p[2]: the numeric header */
	if ((p[2] & 0xE0) != 0x80)
		return false;			/* not the short format, or negative */
	e = (p[1] + 1) & 0x7F;		/* the 7-bit weight, plus one */
	if (likely(p[0] == (5 << 1 | 1)))
	{
		/* one digit d worth d 10000^(weight + 1) units */
		if (e > 3)
			return false;
		memcpy(d, p + 3, sizeof(int16));
		*v = d[0] * units[e];
		return true;
	}
	if (p[0] == (3 << 1 | 1))
	{
		/* zero, whose weight is 0 */
		*v = 0;
		return e == 1;
	}
	if (p[0] == (7 << 1 | 1) && e - 1 <= 2)
	{
		/* two digits worth (d0 10000 + d1) 10000^weight units */
		memcpy(d, p + 3, 2 * sizeof(int16));
		*v = ((int64) d[0] * 10000 + d[1]) * units[e - 1];
		return true;
	}
	return false;
#endif
}

/*
 * The common row, with the fewest instructions (the executor calls this
 * once per task line): inside an aggregate, no rules argument, no NULL, a
 * non-empty compact state, values of SmallNumeric's forms and within
 * AddLineFast's range.  False, with nothing changed, for everything else.
 */
static pg_attribute_always_inline bool
FastLine(FunctionCallInfo fcinfo, bool unit_form)
{
	int			nline = unit_form ? 5 : 6;
	KpiTallyCompact *c;
	TaskLine	l;

	if (PG_NARGS() != nline + 1 || !kpi_tally_in_aggregate(fcinfo))
		return false;
	if (PG_ARGISNULL(0) | PG_ARGISNULL(1) | PG_ARGISNULL(2) | PG_ARGISNULL(3) |
		PG_ARGISNULL(4) | PG_ARGISNULL(5) | (!unit_form && PG_ARGISNULL(6)))
		return false;
	c = (KpiTallyCompact *) DatumGetPointer(PG_GETARG_DATUM(0));
	if (unlikely(c->version != KPI_TALLY_VERSION || c->lines <= 0))
		return false;
	if (!SmallNumeric(PG_GETARG_DATUM(1), &l.coef))
		return false;
	if (unit_form)
	{
		bool		done = PG_GETARG_BOOL(2);
		bool		passed = PG_GETARG_BOOL(3);

		if (passed && !done)
			return false;
		l.assigned = KPI_ONE;
		l.completed = done ? KPI_ONE : 0;
		l.passed = passed ? KPI_ONE : 0;
	}
	else if (!SmallNumeric(PG_GETARG_DATUM(2), &l.assigned) ||
			 !SmallNumeric(PG_GETARG_DATUM(3), &l.completed) ||
			 !SmallNumeric(PG_GETARG_DATUM(4), &l.passed) ||
			 l.passed > l.completed)
		return false;
	l.errors = PG_GETARG_INT32(nline - 1);
	l.late = PG_GETARG_INT32(nline);
	if ((l.errors | l.late) < 0)
		return false;
	return AddLineFast(c, &l);
}

/*
 * Add (sign 1) or remove (sign -1) the row's line.  Inlined into each of the
 * four transition functions, so that the form and the sign are constants.
 */
static pg_attribute_always_inline Datum
Transition(FunctionCallInfo fcinfo, bool unit_form, int sign)
{
	if (sign > 0 && likely(FastLine(fcinfo, unit_form)))
		PG_RETURN_DATUM(PG_GETARG_DATUM(0));
	return TransitionGeneral(fcinfo, unit_form, sign);
}

PG_FUNCTION_INFO_V1(tally_agg_trans);

/* kpi.tally_agg transition: (coef, assigned, completed, passed, errors, late [, rules]) */
Datum
tally_agg_trans(PG_FUNCTION_ARGS)
{
	return Transition(fcinfo, false, 1);
}

PG_FUNCTION_INFO_V1(tally_agg_inv);

/* moving-aggregate inverse of tally_agg_trans */
Datum
tally_agg_inv(PG_FUNCTION_ARGS)
{
	return Transition(fcinfo, false, -1);
}

PG_FUNCTION_INFO_V1(tally_agg_unit_trans);

/* kpi.tally_agg transition, single-unit form: (coef, done, passed, errors, late [, rules]) */
Datum
tally_agg_unit_trans(PG_FUNCTION_ARGS)
{
	return Transition(fcinfo, true, 1);
}

PG_FUNCTION_INFO_V1(tally_agg_unit_inv);

/* moving-aggregate inverse of tally_agg_unit_trans */
Datum
tally_agg_unit_inv(PG_FUNCTION_ARGS)
{
	return Transition(fcinfo, true, -1);
}
