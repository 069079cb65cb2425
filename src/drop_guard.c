/*
 * drop_guard.c
 *		kpi.reference_drop_guard(), the ddl_command_start event trigger of
 *		kpi_eval_reference.
 *
 * The reference schema's tables are members of the extension, so a DROP
 * EXTENSION (or DROP EXTENSION kpi_eval CASCADE, DROP SCHEMA kpi CASCADE,
 * DROP OWNED BY its owner) would delete a province's records without a word.
 * The guard looks at the statement before it runs: in C the event trigger sees
 * the parse tree, so it knows which extension or schema is named, which a
 * PL/pgSQL event trigger cannot.  When the statement would drop the reference
 * schema and any of its tables holds rows, it refuses, saying how many rows
 * would be lost and how to back them up, unless the session has set
 * kpi_eval.allow_drop_with_data.
 *
 * The year partitions of the results (kpi.official_result_2026, with the
 * packed ledgers, made by kpi.ensure_year_partitions) are not members of the
 * extension, so a plain DROP TABLE would delete a year: the guard also refuses
 * DROP TABLE of a table that is attached as a partition of a reference table
 * and holds rows, under the same setting.  DETACH PARTITION is allowed: the
 * rows stay in the detached table, and dropping that is the last, deliberate
 * step of archiving a year (doc/operations-data.md).
 */
#include "postgres.h"

#include "access/htup_details.h"
#include "catalog/dependency.h"
#include "catalog/namespace.h"
#include "catalog/partition.h"
#include "catalog/pg_class.h"
#include "catalog/pg_extension.h"
#include "commands/event_trigger.h"
#include "commands/extension.h"
#include "executor/spi.h"
#include "lib/stringinfo.h"
#include "miscadmin.h"
#include "nodes/parsenodes.h"
#include "utils/acl.h"
#include "utils/builtins.h"
#include "utils/guc.h"
#include "utils/lsyscache.h"
#include "utils/syscache.h"

#include "drop_guard.h"

#define REFERENCE_EXTENSION "kpi_eval_reference"
#define LIBRARY_EXTENSION "kpi_eval"

bool		kpi_allow_drop_with_data = false;

void
kpi_drop_guard_define_guc(void)
{
	DefineCustomBoolVariable("kpi_eval.allow_drop_with_data",
							 "Lets DROP EXTENSION kpi_eval_reference (or a DROP that cascades to it) delete the rows of its tables.",
							 "Off by default: the drop is refused while any reference table holds rows.",
							 &kpi_allow_drop_with_data,
							 false,
							 PGC_USERSET,
							 0,
							 NULL, NULL, NULL);
}

/* Does a list of String nodes name the given identifier? */
static bool
names_include(List *names, const char *name)
{
	ListCell   *lc;

	foreach(lc, names)
	{
		Node	   *n = lfirst(lc);

		if (IsA(n, String) && strcmp(strVal(n), name) == 0)
			return true;
	}
	return false;
}

/* The owner and the schema of an extension (InvalidOid when it is gone). */
static void
extension_owner_schema(Oid extoid, Oid *owner, Oid *schema)
{
	HeapTuple	tup;

	*owner = *schema = InvalidOid;
	tup = SearchSysCache1(EXTENSIONOID, ObjectIdGetDatum(extoid));
	if (HeapTupleIsValid(tup))
	{
		*owner = ((Form_pg_extension) GETSTRUCT(tup))->extowner;
		*schema = ((Form_pg_extension) GETSTRUCT(tup))->extnamespace;
		ReleaseSysCache(tup);
	}
}

/* Would this statement drop the reference extension (given its oid)? */
static bool
drops_reference(Node *parsetree, Oid refoid)
{
	Oid			owner;
	Oid			schema;

	extension_owner_schema(refoid, &owner, &schema);
	if (IsA(parsetree, DropStmt))
	{
		DropStmt   *stmt = (DropStmt *) parsetree;

		if (stmt->removeType == OBJECT_EXTENSION)
			return names_include(stmt->objects, REFERENCE_EXTENSION) ||
				(stmt->behavior == DROP_CASCADE &&
				 names_include(stmt->objects, LIBRARY_EXTENSION));
		if (stmt->removeType == OBJECT_SCHEMA)
		{
			char	   *name = get_namespace_name(schema);

			return name != NULL && names_include(stmt->objects, name);
		}
		return false;
	}
	if (IsA(parsetree, DropOwnedStmt))
	{
		DropOwnedStmt *stmt = (DropOwnedStmt *) parsetree;
		ListCell   *lc;

		foreach(lc, stmt->roles)
		{
			RoleSpec   *role = lfirst(lc);

			if (get_rolespec_oid(role, true) == owner)
				return true;
		}
	}
	return false;
}

/*
 * Counts the records that the drop would delete: the rows of every table the
 * extension registered with pg_extension_config_dump, under the same filter
 * (so the seeded Decree 335 rule set does not count, as pg_dump does not dump
 * it).  Returns the total and lists the non-empty tables in *detail.  The
 * count runs with a safe search_path and row_security off: a policy that
 * would hide rows from the caller raises an error instead.
 */
static int64
count_reference_rows(Oid refoid, StringInfo detail, int *ntables)
{
	StringInfoData sql;
	int64		total = 0;
	uint64		ntab;
	uint64		i;
	char	  **names;
	char	  **conds;
	int			save_nestlevel;

	initStringInfo(&sql);
	appendStringInfo(&sql,
					 "SELECT pg_catalog.format('%%I.%%I', n.nspname, c.relname), cfg.cond"
					 " FROM pg_catalog.pg_extension e"
					 " CROSS JOIN LATERAL ROWS FROM (pg_catalog.unnest(e.extconfig), pg_catalog.unnest(e.extcondition)) AS cfg(relid, cond)"
					 " JOIN pg_catalog.pg_class c ON c.oid = cfg.relid"
					 " JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace"
					 " WHERE e.oid = %u AND c.relkind IN ('r', 'p')"
					 " ORDER BY 1", refoid);

	save_nestlevel = NewGUCNestLevel();
	(void) set_config_option("search_path", "pg_catalog, pg_temp",
							 PGC_USERSET, PGC_S_SESSION, GUC_ACTION_SAVE,
							 true, 0, false);
	(void) set_config_option("row_security", "off",
							 PGC_USERSET, PGC_S_SESSION, GUC_ACTION_SAVE,
							 true, 0, false);

	SPI_connect();
	if (SPI_execute(sql.data, true, 0) != SPI_OK_SELECT)
		elog(ERROR, "could not list the tables of extension %s", REFERENCE_EXTENSION);
	ntab = SPI_processed;
	names = palloc(sizeof(char *) * (ntab + 1));
	conds = palloc(sizeof(char *) * (ntab + 1));
	for (i = 0; i < ntab; i++)
	{
		names[i] = SPI_getvalue(SPI_tuptable->vals[i], SPI_tuptable->tupdesc, 1);
		conds[i] = SPI_getvalue(SPI_tuptable->vals[i], SPI_tuptable->tupdesc, 2);
	}

	*ntables = 0;
	for (i = 0; i < ntab; i++)
	{
		bool		isnull;
		int64		n;

		resetStringInfo(&sql);
		appendStringInfo(&sql, "SELECT pg_catalog.count(*) FROM %s %s",
						 names[i], conds[i] ? conds[i] : "");
		if (SPI_execute(sql.data, true, 0) != SPI_OK_SELECT)
			elog(ERROR, "could not count the rows of %s", names[i]);
		n = DatumGetInt64(SPI_getbinval(SPI_tuptable->vals[0],
										SPI_tuptable->tupdesc, 1, &isnull));
		if (n > 0)
		{
			appendStringInfo(detail, "%s%s " INT64_FORMAT,
							 *ntables > 0 ? ", " : "", names[i], n);
			(*ntables)++;
			total += n;
		}
	}
	SPI_finish();
	AtEOXact_GUC(true, save_nestlevel);
	return total;
}

/*
 * The partitions of reference tables, holding rows, that a DROP TABLE names:
 * their total rows, each listed in *detail.  Rows are counted with a safe
 * search_path and row_security off, as count_reference_rows does.
 */
static int64
count_partition_rows(DropStmt *stmt, Oid refoid, StringInfo detail, int *ntables)
{
	ListCell   *lc;
	int64		total = 0;
	bool		connected = false;
	int			save_nestlevel = 0;

	*ntables = 0;
	foreach(lc, stmt->objects)
	{
		RangeVar   *rv = makeRangeVarFromNameList((List *) lfirst(lc));
		Oid			relid = RangeVarGetRelid(rv, NoLock, true);
		Oid			parent;
		StringInfoData sql;
		bool		isnull;
		int64		n;
		char	   *name;

		if (!OidIsValid(relid) || !get_rel_relispartition(relid))
			continue;
		parent = get_partition_parent(relid, true);
		if (getExtensionOfObject(RelationRelationId, parent) != refoid)
			continue;
		if (!connected)
		{
			save_nestlevel = NewGUCNestLevel();
			(void) set_config_option("search_path", "pg_catalog, pg_temp",
									 PGC_USERSET, PGC_S_SESSION, GUC_ACTION_SAVE,
									 true, 0, false);
			(void) set_config_option("row_security", "off",
									 PGC_USERSET, PGC_S_SESSION, GUC_ACTION_SAVE,
									 true, 0, false);
			SPI_connect();
			connected = true;
		}
		name = quote_qualified_identifier(get_namespace_name(get_rel_namespace(relid)), get_rel_name(relid));
		initStringInfo(&sql);
		appendStringInfo(&sql, "SELECT pg_catalog.count(*) FROM %s", name);
		if (SPI_execute(sql.data, true, 0) != SPI_OK_SELECT)
			elog(ERROR, "could not count the rows of %s", name);
		n = DatumGetInt64(SPI_getbinval(SPI_tuptable->vals[0],
										SPI_tuptable->tupdesc, 1, &isnull));
		if (n > 0)
		{
			appendStringInfo(detail, "%s%s " INT64_FORMAT,
							 *ntables > 0 ? ", " : "", name, n);
			(*ntables)++;
			total += n;
		}
	}
	if (connected)
	{
		SPI_finish();
		AtEOXact_GUC(true, save_nestlevel);
	}
	return total;
}

PG_FUNCTION_INFO_V1(reference_drop_guard);
Datum
reference_drop_guard(PG_FUNCTION_ARGS)
{
	EventTriggerData *trigdata;
	Oid			refoid;
	int64		rows;
	int			ntables = 0;
	StringInfoData detail;

	if (!CALLED_AS_EVENT_TRIGGER(fcinfo))
		ereport(ERROR,
				(errcode(ERRCODE_E_R_I_E_EVENT_TRIGGER_PROTOCOL_VIOLATED),
				 errmsg("kpi.reference_drop_guard() must be called as an event trigger")));
	trigdata = (EventTriggerData *) fcinfo->context;

	refoid = get_extension_oid(REFERENCE_EXTENSION, true);
	if (!OidIsValid(refoid))
		PG_RETURN_VOID();

	if (IsA(trigdata->parsetree, DropStmt) &&
		((DropStmt *) trigdata->parsetree)->removeType == OBJECT_TABLE)
	{
		initStringInfo(&detail);
		rows = count_partition_rows((DropStmt *) trigdata->parsetree, refoid, &detail, &ntables);
		if (rows == 0)
			PG_RETURN_VOID();
		if (kpi_allow_drop_with_data)
		{
			ereport(WARNING,
					(errmsg("dropping %d year partitions of the reference tables deletes " INT64_FORMAT " rows",
							ntables, rows),
					 errdetail("kpi_eval.allow_drop_with_data is on in this session. The rows per table: %s.",
							   detail.data)));
			PG_RETURN_VOID();
		}
		ereport(ERROR,
				(errcode(ERRCODE_DEPENDENT_OBJECTS_STILL_EXIST),
				 errmsg("cannot drop a year partition of the reference tables that holds rows"),
				 errdetail("DROP TABLE would delete the rows of %d year partition(s): %s.", ntables, detail.data),
				 errhint("To archive a year, detach its partition (ALTER TABLE kpi.official_result DETACH PARTITION ...), export it, then drop the detached table (doc/operations-data.md).")));
	}

	if (!drops_reference(trigdata->parsetree, refoid))
		PG_RETURN_VOID();

	initStringInfo(&detail);
	rows = count_reference_rows(refoid, &detail, &ntables);
	if (rows == 0)
		PG_RETURN_VOID();

	if (kpi_allow_drop_with_data)
	{
		ereport(WARNING,
				(errmsg("dropping extension \"%s\" deletes " INT64_FORMAT " rows in %d tables",
						REFERENCE_EXTENSION, rows, ntables),
				 errdetail("kpi_eval.allow_drop_with_data is on in this session. The rows per table: %s.",
						   detail.data)));
		PG_RETURN_VOID();
	}

	ereport(ERROR,
			(errcode(ERRCODE_DEPENDENT_OBJECTS_STILL_EXIST),
			 errmsg("cannot drop extension \"%s\": its tables hold " INT64_FORMAT " rows",
					REFERENCE_EXTENSION, rows),
			 errdetail("%s would delete the rows of %d tables: %s.",
					   GetCommandTagName(trigdata->tag), ntables, detail.data),
			 errhint("Back the records up first (pg_dump --schema=kpi --format=custom), then SET kpi_eval.allow_drop_with_data = on in the same session to drop them.")));
	PG_RETURN_VOID();
}
