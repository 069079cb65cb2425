-- test/upgrade/describe.sql: one line per property of every object of the
-- kpi_eval extensions, for comparing an upgraded database with a fresh
-- install (test/cluster/upgrade.sh).  In the manner of Citus's
-- print_extension_changes, over pg_depend (deptype 'e'), and deeper: function
-- definitions, columns, constraints, indexes, triggers, policies, views,
-- types, comments, privileges and the pg_dump registrations.
\pset format unaligned
\pset tuples_only on
\pset footer off
WITH ext AS (
	SELECT oid, extname FROM pg_catalog.pg_extension WHERE extname IN ('kpi_eval', 'kpi_eval_reference')
), member AS (
	SELECT e.extname, d.classid, d.objid, d.objsubid
	FROM pg_catalog.pg_depend d JOIN ext e ON e.oid = d.refobjid
	WHERE d.refclassid = 'pg_catalog.pg_extension'::pg_catalog.regclass AND d.deptype = 'e'
), rel AS (
	SELECT m.extname, c.oid, c.oid::regclass::text AS name, c.relkind
	FROM member m JOIN pg_catalog.pg_class c ON c.oid = m.objid
	WHERE m.classid = 'pg_catalog.pg_class'::pg_catalog.regclass
), fn AS (
	SELECT m.extname, p.oid, p.oid::regprocedure::text AS name
	FROM member m JOIN pg_catalog.pg_proc p ON p.oid = m.objid
	WHERE m.classid = 'pg_catalog.pg_proc'::pg_catalog.regclass
), lines(line) AS (
	SELECT 'member|' || extname || '|' || pg_catalog.pg_describe_object(classid, objid, objsubid) FROM member
	UNION ALL
	SELECT 'version|' || extname || '|' || extversion || '|config ' ||
	       coalesce((SELECT string_agg(c::regclass::text || ' ' || coalesce(w, ''), ', ' ORDER BY c::regclass::text)
	                 FROM unnest(x.extconfig, x.extcondition) AS u(c, w)), '')
	FROM pg_catalog.pg_extension x WHERE extname IN (SELECT extname FROM ext)
	UNION ALL
	SELECT 'function|' || name || '|' || pg_catalog.md5(pg_catalog.pg_get_functiondef(oid)) ||
	       '|acl ' || coalesce((SELECT proacl::text FROM pg_catalog.pg_proc WHERE pg_proc.oid = fn.oid), '-') ||
	       '|comment ' || pg_catalog.md5(coalesce(pg_catalog.obj_description(oid, 'pg_proc'), ''))
	FROM fn WHERE (SELECT prokind FROM pg_catalog.pg_proc WHERE pg_proc.oid = fn.oid) <> 'a'
	UNION ALL
	SELECT 'aggregate|' || fn.name || '|' || a.aggtransfn::text || ' ' || a.aggfinalfn::text || ' ' ||
	       a.aggcombinefn::text || ' ' || a.aggserialfn::text || ' ' || a.aggdeserialfn::text || ' ' ||
	       a.aggmtransfn::text || ' ' || a.aggminvtransfn::text || ' ' || a.aggmfinalfn::text || ' ' ||
	       a.aggtranstype::regtype::text || ' ' || coalesce(a.agginitval, '-') || ' ' || a.aggkind::text ||
	       ' ' || p.proparallel::text || p.provolatile::text || p.proisstrict::text ||
	       '|comment ' || pg_catalog.md5(coalesce(pg_catalog.obj_description(fn.oid, 'pg_proc'), ''))
	FROM fn JOIN pg_catalog.pg_aggregate a ON a.aggfnoid = fn.oid JOIN pg_catalog.pg_proc p ON p.oid = fn.oid
	UNION ALL
	SELECT 'relation|' || name || '|' || relkind::text || '|' ||
	       coalesce((SELECT string_agg(a.attname || ' ' || pg_catalog.format_type(a.atttypid, a.atttypmod) ||
	                                   CASE WHEN a.attnotnull THEN ' not null' ELSE '' END ||
	                                   coalesce(' default ' || pg_catalog.pg_get_expr(ad.adbin, ad.adrelid), '') ||
	                                   CASE WHEN a.attidentity <> '' THEN ' identity ' || a.attidentity::text ELSE '' END ||
	                                   CASE WHEN a.attgenerated <> '' THEN ' generated' ELSE '' END,
	                                   ', ' ORDER BY a.attnum)
	                 FROM pg_catalog.pg_attribute a
	                 LEFT JOIN pg_catalog.pg_attrdef ad ON ad.adrelid = a.attrelid AND ad.adnum = a.attnum
	                 WHERE a.attrelid = rel.oid AND a.attnum > 0 AND NOT a.attisdropped), '') ||
	       '|opts ' || coalesce((SELECT reloptions::text FROM pg_catalog.pg_class WHERE pg_class.oid = rel.oid), '-') ||
	       '|rls ' || (SELECT relrowsecurity::text || relforcerowsecurity::text FROM pg_catalog.pg_class WHERE pg_class.oid = rel.oid) ||
	       '|acl ' || coalesce((SELECT relacl::text FROM pg_catalog.pg_class WHERE pg_class.oid = rel.oid), '-') ||
	       '|comment ' || pg_catalog.md5(coalesce(pg_catalog.obj_description(oid, 'pg_class'), ''))
	FROM rel
	UNION ALL
	SELECT 'column comment|' || rel.name || '.' || a.attname || '|' ||
	       pg_catalog.md5(coalesce(pg_catalog.col_description(rel.oid, a.attnum), ''))
	FROM rel JOIN pg_catalog.pg_attribute a ON a.attrelid = rel.oid AND a.attnum > 0 AND NOT a.attisdropped
	UNION ALL
	SELECT 'view|' || name || '|' || pg_catalog.md5(pg_catalog.pg_get_viewdef(oid)) FROM rel WHERE relkind IN ('v', 'm')
	UNION ALL
	SELECT 'constraint|' || rel.name || '|' || co.conname || '|' || pg_catalog.pg_get_constraintdef(co.oid) ||
	       CASE WHEN co.convalidated THEN '' ELSE ' (not validated)' END
	FROM rel JOIN pg_catalog.pg_constraint co ON co.conrelid = rel.oid
	UNION ALL
	SELECT 'index|' || rel.name || '|' || pg_catalog.pg_get_indexdef(i.indexrelid)
	FROM rel JOIN pg_catalog.pg_index i ON i.indrelid = rel.oid
	UNION ALL
	SELECT 'trigger|' || rel.name || '|' || pg_catalog.pg_get_triggerdef(t.oid) || ' ' || t.tgenabled::text
	FROM rel JOIN pg_catalog.pg_trigger t ON t.tgrelid = rel.oid AND NOT t.tgisinternal
	UNION ALL
	SELECT 'policy|' || rel.name || '|' || po.polname || ' ' || po.polcmd::text || ' ' || po.polpermissive::text || ' ' ||
	       po.polroles::regrole[]::text || ' using ' || coalesce(pg_catalog.pg_get_expr(po.polqual, po.polrelid), '-') ||
	       ' check ' || coalesce(pg_catalog.pg_get_expr(po.polwithcheck, po.polrelid), '-')
	FROM rel JOIN pg_catalog.pg_policy po ON po.polrelid = rel.oid
	UNION ALL
	SELECT 'type|' || t.oid::regtype::text || '|' || t.typtype::text || ' ' ||
	       coalesce((SELECT string_agg(e.enumlabel, ',' ORDER BY e.enumsortorder) FROM pg_catalog.pg_enum e WHERE e.enumtypid = t.oid), '') ||
	       coalesce((SELECT string_agg(a.attname || ' ' || pg_catalog.format_type(a.atttypid, a.atttypmod), ', ' ORDER BY a.attnum)
	                 FROM pg_catalog.pg_attribute a WHERE a.attrelid = t.typrelid AND a.attnum > 0 AND NOT a.attisdropped), '') ||
	       ' ' || t.typlen || t.typalign::text || t.typstorage::text ||
	       '|comment ' || pg_catalog.md5(coalesce(pg_catalog.obj_description(t.oid, 'pg_type'), ''))
	FROM member m JOIN pg_catalog.pg_type t ON t.oid = m.objid
	WHERE m.classid = 'pg_catalog.pg_type'::pg_catalog.regclass
	UNION ALL
	SELECT 'event trigger|' || evtname || '|' || evtevent || ' ' || coalesce(evttags::text, '') || ' ' ||
	       evtfoid::regproc::text || ' ' || evtenabled::text ||
	       '|comment ' || pg_catalog.md5(coalesce(pg_catalog.obj_description(oid, 'pg_event_trigger'), ''))
	FROM pg_catalog.pg_event_trigger
	UNION ALL
	SELECT 'schema|' || nspname || '|acl ' || coalesce(nspacl::text, '-') ||
	       '|comment ' || pg_catalog.md5(coalesce(pg_catalog.obj_description(oid, 'pg_namespace'), ''))
	FROM pg_catalog.pg_namespace WHERE nspname LIKE 'kpi%'
)
SELECT line FROM lines ORDER BY line COLLATE "C";
