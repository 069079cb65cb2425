/*
 * kpi_eval.c
 *		Module entry point.
 *
 * kpi_eval computes Vietnam's public-sector KPI scores and rating tiers
 * (Decree 335/2025/ND-CP).  The SQL objects live in schema kpi; the C code is
 * split by concept: fixed.c (fixed-point core), rules.c (rule sets),
 * tally.c (the kpi.tally type), tally_agg.c (its aggregates), score.c
 * (scores), tier.c (tiers), period_agg.c (annual score and criterion d),
 * quota.c (the 20% quota), organisation.c (a period of an organisation in
 * one pass, criterion d, the leaders' subtrees), rating.c (disqualifiers, screening), agency.c
 * (agencies), indices.c (PAR INDEX, SIPAS, PCI, DTI), lawmaking.c (the
 * law-making KPI), deduction.c (generic deduction criteria), drop_guard.c
 * (the event trigger that keeps the reference schema's records from being
 * dropped by accident).
 */
#include "postgres.h"

#include "fmgr.h"
#include "utils/guc.h"

#include "drop_guard.h"

PG_MODULE_MAGIC;

void		_PG_init(void);

void
_PG_init(void)
{
	kpi_drop_guard_define_guc();
	MarkGUCPrefixReserved("kpi_eval");
}
