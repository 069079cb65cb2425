/*
 * result_refs.c
 *		kpi.result_refs_check() and kpi.result_refs_guard(): the results'
 *		references to kpi.evaluation_run, kpi.official and kpi.unit, kept by
 *		triggers instead of foreign keys.
 *
 * A foreign key checks every inserted row by a query of its own, three a
 * result, which was a fifth of a month's run (issue 15).  The year partitions
 * of kpi.official_result have none; instead:
 *
 * - result_refs_check, the AFTER INSERT statement trigger of the results and
 *   of each partition, reads the statement's new rows (its transition table)
 *   once, collects the distinct keys of each column, and locks the rows they
 *   name FOR KEY SHARE, one query a table, as a foreign key's check locks
 *   each.  A key no row was locked for is missing: under READ COMMITTED a row
 *   deleted meanwhile is skipped by the lock, under REPEATABLE READ the lock
 *   fails (40001), as a foreign key's check does.
 * - result_refs_guard, the AFTER DELETE OR UPDATE row trigger of kpi.official
 *   and kpi.unit, refuses removing a row a result names.  It looks with the
 *   latest snapshot, as ri_triggers.c does for NO ACTION: a DELETE that waited
 *   for the lock of a run's check sees that run's results once it committed,
 *   which the transaction's own snapshot would not under REPEATABLE READ.
 *
 * Both read and lock as the owner of the results, whom row-level security
 * does not restrict (a foreign key checks as the table's owner too): the
 * inserting or deleting role may not see every row.
 */
#include "postgres.h"

#include "access/htup_details.h"
#include "catalog/namespace.h"
#include "catalog/pg_class.h"
#include "catalog/pg_type.h"
#include "commands/trigger.h"
#include "executor/executor.h"
#include "executor/spi.h"
#include "lib/stringinfo.h"
#include "miscadmin.h"
#include "utils/array.h"
#include "utils/builtins.h"
#include "utils/lsyscache.h"
#include "utils/rel.h"
#include "utils/snapmgr.h"
#include "utils/syscache.h"
#include "utils/tuplestore.h"

PG_FUNCTION_INFO_V1(result_refs_check);
PG_FUNCTION_INFO_V1(result_refs_guard);

/* the references of a result: column, table */
static const char *const ref_column[] = {"run_id", "official_id", "unit_id"};
static const char *const ref_table[] = {"evaluation_run", "official", "unit"};
#define NREFS 3

/* at most this many missing keys are named in the error */
#define MISSING_SHOWN 10

/* the owner of kpi.official_result, as whom the results are read */
static Oid
results_owner(void)
{
	Oid			relid = get_relname_relid("official_result", get_namespace_oid("kpi", false));
	HeapTuple	tuple;
	Oid			owner;

	if (!OidIsValid(relid))
		ereport(ERROR,
				(errcode(ERRCODE_UNDEFINED_TABLE),
				 errmsg("table kpi.official_result does not exist"),
				 errdetail("The result_refs triggers keep the references of the results of kpi_eval_reference.")));
	tuple = SearchSysCache1(RELOID, ObjectIdGetDatum(relid));
	if (!HeapTupleIsValid(tuple))
		elog(ERROR, "cache lookup failed for relation %u", relid);
	owner = ((Form_pg_class) GETSTRUCT(tuple))->relowner;
	ReleaseSysCache(tuple);
	return owner;
}

/* runs the following queries as the owner of the results (see above) */
static void
as_owner(Oid *save_userid, int *save_sec_context)
{
	GetUserIdAndSecContext(save_userid, save_sec_context);
	SetUserIdAndSecContext(results_owner(),
						   *save_sec_context | SECURITY_LOCAL_USERID_CHANGE | SECURITY_NOFORCE_RLS);
}

static SPIPlanPtr
prepare(const char *query, Oid argtype)
{
	SPIPlanPtr	plan = SPI_prepare(query, 1, &argtype);

	if (plan == NULL)
		elog(ERROR, "SPI_prepare failed: %s", SPI_result_code_string(SPI_result));
	return plan;
}

/* the attribute number of a bigint key column, which the triggers rely on */
static int
key_attnum(Relation rel, const char *column)
{
	TupleDesc	tupdesc = RelationGetDescr(rel);
	int			attnum = SPI_fnumber(tupdesc, column);

	if (attnum <= 0 || TupleDescAttr(tupdesc, attnum - 1)->atttypid != INT8OID)
		ereport(ERROR,
				(errcode(ERRCODE_E_R_I_E_TRIGGER_PROTOCOL_VIOLATED),
				 errmsg("table \"%s\" has no bigint column \"%s\"", RelationGetRelationName(rel), column)));
	return attnum;
}

/* whether a result, committed or this transaction's, has column = key */
static bool
results_refer(const char *column, int64 key)
{
	Datum		value = Int64GetDatum(key);
	Oid			save_userid;
	int			save_sec_context;
	SPIPlanPtr	plan;
	bool		found;

	if (SPI_connect() != SPI_OK_CONNECT)
		elog(ERROR, "SPI_connect failed");
	as_owner(&save_userid, &save_sec_context);
	plan = prepare(psprintf("SELECT 1 FROM kpi.official_result r WHERE r.%s OPERATOR(pg_catalog.=) $1 LIMIT 1",
							quote_identifier(column)),
				   INT8OID);
	if (SPI_execute_snapshot(plan, &value, NULL, GetLatestSnapshot(), InvalidSnapshot,
							 false, false, 1) != SPI_OK_SELECT)
		elog(ERROR, "SPI_execute_snapshot failed");
	found = SPI_processed > 0;
	SetUserIdAndSecContext(save_userid, save_sec_context);
	SPI_finish();
	return found;
}

/* a growing set of keys, sorted and made distinct once complete */
typedef struct KeySet
{
	int64	   *keys;
	int			n;
	int			size;
} KeySet;

static void
keyset_add(KeySet *set, int64 key)
{
	/* a statement's rows mostly repeat the previous key (one run, one unit) */
	if (set->n > 0 && set->keys[set->n - 1] == key)
		return;
	if (set->n == set->size)
	{
		set->size = set->size ? set->size * 2 : 256;
		set->keys = set->keys ? repalloc_huge(set->keys, sizeof(int64) * set->size)
			: palloc(sizeof(int64) * set->size);
	}
	set->keys[set->n++] = key;
}

static int
int64_cmp(const void *a, const void *b)
{
	int64		x = *(const int64 *) a;
	int64		y = *(const int64 *) b;

	return (x > y) - (x < y);
}

static void
keyset_close(KeySet *set)
{
	int			n = 0;

	if (set->n == 0)
		return;
	qsort(set->keys, set->n, sizeof(int64), int64_cmp);
	for (int i = 1; i < set->n; i++)
		if (set->keys[i] != set->keys[n])
			set->keys[++n] = set->keys[i];
	set->n = n + 1;
}

/* the distinct keys of each reference of the statement's new rows */
static void
collect_keys(TriggerData *trigdata, KeySet *sets)
{
	TupleDesc	tupdesc = RelationGetDescr(trigdata->tg_relation);
	Tuplestorestate *rows = trigdata->tg_newtable;
	TupleTableSlot *slot = MakeSingleTupleTableSlot(tupdesc, &TTSOpsMinimalTuple);
	int			attnum[NREFS];
	int			ptr;

	for (int r = 0; r < NREFS; r++)
		attnum[r] = key_attnum(trigdata->tg_relation, ref_column[r]);
	/* a read pointer of our own, as a scan of the transition table takes */
	ptr = tuplestore_alloc_read_pointer(rows, EXEC_FLAG_REWIND);
	tuplestore_select_read_pointer(rows, ptr);
	tuplestore_rescan(rows);
	while (tuplestore_gettupleslot(rows, true, false, slot))
	{
		for (int r = 0; r < NREFS; r++)
		{
			bool		isnull;
			Datum		key = slot_getattr(slot, attnum[r], &isnull);

			/* the columns are NOT NULL; a NULL names nothing, as with a foreign key */
			if (!isnull)
				keyset_add(&sets[r], DatumGetInt64(key));
		}
	}
	ExecDropSingleTupleTableSlot(slot);
	for (int r = 0; r < NREFS; r++)
		keyset_close(&sets[r]);
}

/*
 * Locks the rows of kpi.<table> whose <column> is in the set, FOR KEY SHARE,
 * and removes their keys from it: what is left is missing.
 */
static void
lock_referenced(int r, KeySet *set)
{
	Datum	   *elems;
	ArrayType  *keys;
	Datum		arg;
	SPIPlanPtr	plan;
	int64	   *locked;
	int			nlocked;
	int			n = 0;
	int			j = 0;

	if (set->n == 0)
		return;
	elems = palloc(sizeof(Datum) * set->n);
	for (int i = 0; i < set->n; i++)
		elems[i] = Int64GetDatum(set->keys[i]);
	keys = construct_array(elems, set->n, INT8OID, sizeof(int64), FLOAT8PASSBYVAL, TYPALIGN_DOUBLE);
	arg = PointerGetDatum(keys);
	plan = prepare(psprintf("SELECT x.%s FROM kpi.%s x WHERE x.%s OPERATOR(pg_catalog.=) ANY ($1) FOR KEY SHARE OF x",
							ref_column[r], ref_table[r], ref_column[r]),
				   INT8ARRAYOID);
	if (SPI_execute_plan(plan, &arg, NULL, false, 0) != SPI_OK_SELECT)
		elog(ERROR, "SPI_execute_plan failed");
	nlocked = (int) SPI_processed;
	if (nlocked == set->n)
	{
		set->n = 0;
		return;
	}
	locked = palloc(sizeof(int64) * Max(nlocked, 1));
	for (int i = 0; i < nlocked; i++)
	{
		bool		isnull;

		locked[i] = DatumGetInt64(SPI_getbinval(SPI_tuptable->vals[i], SPI_tuptable->tupdesc, 1, &isnull));
	}
	qsort(locked, nlocked, sizeof(int64), int64_cmp);
	/* the set less the keys locked, both sorted */
	for (int i = 0; i < set->n; i++)
	{
		while (j < nlocked && locked[j] < set->keys[i])
			j++;
		if (j >= nlocked || locked[j] != set->keys[i])
			set->keys[n++] = set->keys[i];
	}
	set->n = n;
}

/*
 * kpi.result_refs_check(): AFTER INSERT FOR EACH STATEMENT trigger, with the
 * new rows as its transition table, of kpi.official_result and each of its
 * partitions.
 */
Datum
result_refs_check(PG_FUNCTION_ARGS)
{
	TriggerData *trigdata = (TriggerData *) fcinfo->context;
	KeySet		sets[NREFS] = {{0}};
	Oid			save_userid;
	int			save_sec_context;
	int			missing = 0;
	StringInfoData detail;

	if (!CALLED_AS_TRIGGER(fcinfo))
		ereport(ERROR,
				(errcode(ERRCODE_E_R_I_E_TRIGGER_PROTOCOL_VIOLATED),
				 errmsg("kpi.result_refs_check was not called by a trigger")));
	if (!TRIGGER_FIRED_AFTER(trigdata->tg_event) || !TRIGGER_FIRED_FOR_STATEMENT(trigdata->tg_event) ||
		!TRIGGER_FIRED_BY_INSERT(trigdata->tg_event) || trigdata->tg_newtable == NULL)
		ereport(ERROR,
				(errcode(ERRCODE_E_R_I_E_TRIGGER_PROTOCOL_VIOLATED),
				 errmsg("kpi.result_refs_check must be an AFTER INSERT statement trigger"),
				 errdetail("It reads the new rows as a transition table (REFERENCING NEW TABLE AS new_rows).")));

	collect_keys(trigdata, sets);
	if (SPI_connect() != SPI_OK_CONNECT)
		elog(ERROR, "SPI_connect failed");
	as_owner(&save_userid, &save_sec_context);
	for (int r = 0; r < NREFS; r++)
	{
		lock_referenced(r, &sets[r]);
		missing += sets[r].n;
	}
	SetUserIdAndSecContext(save_userid, save_sec_context);
	SPI_finish();
	if (missing == 0)
		return PointerGetDatum(NULL);

	initStringInfo(&detail);
	for (int r = 0, shown = 0; r < NREFS; r++)
		for (int i = 0; i < sets[r].n && shown < MISSING_SHOWN; i++, shown++)
			appendStringInfo(&detail, "%sKey (%s)=(" INT64_FORMAT ") is not present in table \"%s\".",
							 shown ? " " : "", ref_column[r], sets[r].keys[i], ref_table[r]);
	if (missing > MISSING_SHOWN)
		appendStringInfo(&detail, " And %d more keys.", missing - MISSING_SHOWN);
	ereport(ERROR,
			(errcode(ERRCODE_FOREIGN_KEY_VIOLATION),
			 errmsg("insert on table \"%s\" violates foreign key trigger \"%s\"",
					RelationGetRelationName(trigdata->tg_relation), trigdata->tg_trigger->tgname),
			 errdetail_internal("%s", detail.data),
			 errhint("A result names an existing run, official and unit; kpi.evaluate writes the results.")));
	return PointerGetDatum(NULL);
}

/*
 * kpi.result_refs_guard(column): AFTER DELETE OR UPDATE row trigger of
 * kpi.official (official_id) and kpi.unit (unit_id).
 */
Datum
result_refs_guard(PG_FUNCTION_ARGS)
{
	TriggerData *trigdata = (TriggerData *) fcinfo->context;
	TupleDesc	tupdesc;
	const char *column;
	int			attnum;
	Datum		key;
	bool		isnull;
	bool		deleting;

	if (!CALLED_AS_TRIGGER(fcinfo))
		ereport(ERROR,
				(errcode(ERRCODE_E_R_I_E_TRIGGER_PROTOCOL_VIOLATED),
				 errmsg("kpi.result_refs_guard was not called by a trigger")));
	deleting = TRIGGER_FIRED_BY_DELETE(trigdata->tg_event);
	if (!TRIGGER_FIRED_AFTER(trigdata->tg_event) || !TRIGGER_FIRED_FOR_ROW(trigdata->tg_event) ||
		!(deleting || TRIGGER_FIRED_BY_UPDATE(trigdata->tg_event)) ||
		trigdata->tg_trigger->tgnargs != 1)
		ereport(ERROR,
				(errcode(ERRCODE_E_R_I_E_TRIGGER_PROTOCOL_VIOLATED),
				 errmsg("kpi.result_refs_guard must be an AFTER DELETE OR UPDATE row trigger"),
				 errdetail("Its one argument names the key column the results refer to.")));
	tupdesc = RelationGetDescr(trigdata->tg_relation);
	column = trigdata->tg_trigger->tgargs[0];
	attnum = key_attnum(trigdata->tg_relation, column);

	key = heap_getattr(trigdata->tg_trigtuple, attnum, tupdesc, &isnull);
	if (isnull)
		return PointerGetDatum(NULL);
	if (!deleting)
	{
		bool		newnull;
		Datum		newkey = heap_getattr(trigdata->tg_newtuple, attnum, tupdesc, &newnull);

		if (!newnull && DatumGetInt64(newkey) == DatumGetInt64(key))
			return PointerGetDatum(NULL);
	}
	if (results_refer(column, DatumGetInt64(key)))
		ereport(ERROR,
				(errcode(ERRCODE_FOREIGN_KEY_VIOLATION),
				 errmsg("%s on table \"%s\" violates foreign key trigger \"%s\" on table \"official_result\"",
						deleting ? "delete" : "update", RelationGetRelationName(trigdata->tg_relation),
						trigdata->tg_trigger->tgname),
				 errdetail("Key (%s)=(" INT64_FORMAT ") is still referenced from table \"official_result\".",
						   column, DatumGetInt64(key)),
				 errhint("Results are append-only: an official or unit that was evaluated stays.")));
	return PointerGetDatum(NULL);
}
