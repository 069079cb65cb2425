/*
 * drop_guard.h
 *		The guard that keeps DROP EXTENSION, DROP SCHEMA and DROP OWNED from
 *		deleting the records of the reference schema (kpi_eval_reference).
 */
#ifndef KPI_DROP_GUARD_H
#define KPI_DROP_GUARD_H

/* kpi_eval.allow_drop_with_data: the session's explicit override */
extern bool kpi_allow_drop_with_data;

extern void kpi_drop_guard_define_guc(void);

#endif							/* KPI_DROP_GUARD_H */
