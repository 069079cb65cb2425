/*
 * ledger.h
 *		Building explanation ledgers (ledger.c, ledger_rows.c, ledger_year.c): the rows of
 *		kpi.ledger_entry[], their jsonb details, and the points of a row
 *		rounded as the SQL of 0.1.0 rounded them.
 */
#ifndef KPI_LEDGER_H
#define KPI_LEDGER_H

#include "kpi_eval.h"

#include "utils/array.h"
#include "utils/expandeddatum.h"
#include "utils/jsonb.h"

/* The columns of kpi.ledger_entry. */
#define KPI_LEDGER_NATTS 5

/* A ledger being built: its rows, growing. */
typedef struct KpiLedger
{
	TupleDesc	desc;
	Datum	   *rows;
	int			n;
	int			cap;
} KpiLedger;

/* ledger.c */
extern TupleDesc kpi_ledger_desc(FunctionCallInfo fcinfo);
extern void kpi_ledger_init(KpiLedger *l, TupleDesc desc);
extern void kpi_ledger_add(KpiLedger *l, const char *rule_id, const char *source_table, bool has_source,
						   int64 source_id, Datum points, bool points_null, Datum detail);
extern void kpi_ledger_append(KpiLedger *l, ArrayType *a);
extern ArrayType *kpi_ledger_close(KpiLedger *l, Datum score, bool score_null);
extern void kpi_detail_key(JsonbParseState **st, const char *key);
extern void kpi_detail_numeric(JsonbParseState **st, const char *key, Datum value, bool isnull);
extern void kpi_detail_bool(JsonbParseState **st, const char *key, bool value, bool isnull);
extern void kpi_detail_text(JsonbParseState **st, const char *key, const char *value);
extern Datum kpi_detail_end(JsonbParseState **st);
extern Datum kpi_numeric_round6(Numeric num, Numeric den);
extern bool kpi_fast_round6(int128 num, int128 den, Datum *result);
extern bool kpi_mul128(int128 a, int128 b, int128 *r);
extern Datum kpi_share_points(Datum points, bool p_ok, int64 p, int k, int128 assigned, int128 credit,
							  int128 period_assigned);
extern bool kpi_fixed_of(Datum num, int64 *v);
extern ExpandedArrayHeader *kpi_ledger_state(FunctionCallInfo fcinfo, int argno, Oid elemtype);
extern void kpi_ledger_state_append(ExpandedArrayHeader *eah, const KpiLedger *l);

/* A row's sort key in a ledger aggregate's final function, from its columns. */
typedef void (*KpiLedgerKey) (const Datum *values, const bool *nulls, int64 key[2]);
extern Datum kpi_ledger_final_sorted(FunctionCallInfo fcinfo, KpiLedgerKey key);

#define KPI_ARRAY_ARG(n) (PG_ARGISNULL(n) ? NULL : PG_GETARG_ARRAYTYPE_P(n))

#endif							/* KPI_LEDGER_H */
