# kpi_eval/Makefile (PGXS).  Builds in the source tree or out of it (VPATH),
# as pg_buildext expects: make -f /path/to/Makefile srcdir=/path/to VPATH=/path/to
#
# Two extensions from one build: kpi_eval, the scoring library, and
# kpi_eval_reference, the reference schema that requires it.  Their install and
# update scripts are generated from the per-concept SQL sources by
# src/sqlgen.sh; the install scripts of released versions (sql/*--X.Y.Z.sql)
# are frozen and their checksums are in sql/released.sha256.

EXTENSION = kpi_eval kpi_eval_reference
EXTVERSION = 0.2.0
# every released version (ascending); each gets an update script to EXTVERSION
RELEASED = 0.1.0

MODULE_big = kpi_eval
OBJS = \
	src/kpi_eval.o \
	src/fixed.o \
	src/rules.o \
	src/rule_keys.o \
	src/tally.o \
	src/tally_io.o \
	src/tally_agg.o \
	src/tally_combine.o \
	src/score.o \
	src/tier.o \
	src/period_agg.o \
	src/quota.o \
	src/organisation.o \
	src/rating.o \
	src/agency.o \
	src/indices.o \
	src/lawmaking.o \
	src/lawmaking_io.o \
	src/lawmaking_score.o \
	src/deduction.o \
	src/drop_guard.o \
	src/result_refs.o \
	src/annual_tier.o \
	src/apportion.o \
	src/bonus.o \
	src/line_check.o \
	src/ledger_pack.o \
	src/ledger_unpack.o \
	src/seal_text.o \
	src/ledger.o \
	src/ledger_rows.o \
	src/ledger_year.o

PGFILEDESC = "kpi_eval - exact KPI scores and tiers for Decree 335/2025/ND-CP"

# SQL sources, one per concept, in install order
LIB_SQL = kpi_eval rules tally tally_agg score tier period_agg quota organisation rating \
	deduction agency indices lawmaking lawmaking_score apportion bonus line_check
REF_SQL = rule_sets organisation assignment forms_period assessment ledger_pack runs result_refs seal scoring ledger lawmaking_roles agency_scoring data_quality integrity \
	loader loader_cycle evaluate explain views rls partitions report drop_guard pay pay_runs
LIB_SOURCES = $(addprefix src/,$(addsuffix .sql,$(LIB_SQL)))
REF_SOURCES = $(addprefix src/reference/,$(addsuffix .sql,$(REF_SQL)))

SCRIPTS_INSTALL = kpi_eval--$(EXTVERSION).sql kpi_eval_reference--$(EXTVERSION).sql
SCRIPTS_UPDATE = $(foreach v,$(RELEASED),kpi_eval--$(v)--$(EXTVERSION).sql kpi_eval_reference--$(v)--$(EXTVERSION).sql)
DATA_built = $(SCRIPTS_INSTALL) $(SCRIPTS_UPDATE)
DATA = $(foreach v,$(RELEASED),sql/kpi_eval--$(v).sql sql/kpi_eval_reference--$(v).sql)
EXTRA_CLEAN = $(DATA_built)

# pg_regress inputs are sql/<name>.sql (everything that is not an extension
# script); the reference suites create kpi_eval_reference themselves.
# (the directory of this Makefile: PGXS sets srcdir only after the include)
top := $(dir $(firstword $(MAKEFILE_LIST)))
REGRESS = $(sort $(filter-out kpi_eval--% kpi_eval_reference--%,$(basename $(notdir $(wildcard $(top)sql/*.sql)))))
REGRESS_OPTS = --load-extension=kpi_eval

# Isolation specs (specs/<name>.spec + expected/<name>.out): concurrent
# sessions whose lock waits pg_isolation_regress shows deterministically.
ISOLATION = $(sort $(basename $(notdir $(wildcard $(top)specs/*.spec))))
ISOLATION_OPTS = --load-extension=kpi_eval

# Perl TAP tests (test/t/*.pl) on PostgreSQL::Test::Cluster, each starting
# the clusters it needs; helpers in test/perl (run from $(srcdir)).  As in
# pgvector, they run by make prove_installcheck, not by make installcheck
# (TAP_TESTS is not set): installcheck stays runnable as root against an
# installed server (pg_buildext, autopkgtest), while initdb refuses root.
PROVE_TESTS = $(or $(TAP),$(sort $(patsubst $(top)%,%,$(wildcard $(top)test/t/*.pl))))

PG_CONFIG ?= /usr/lib/postgresql/15/bin/pg_config
PG_CFLAGS += -Wall -Wextra -Werror
# Server headers as system headers: -Wextra then applies to our code only
# (PostgreSQL's own inline functions trip -Wunused-parameter).
PG_CPPFLAGS += -isystem $(shell $(PG_CONFIG) --includedir-server) -I$(srcdir)/src

PGXS := $(shell $(PG_CONFIG) --pgxs)
include $(PGXS)

# (after the include, which resets it)
PROVE_FLAGS += -I test/perl

SQLGEN = sh $(srcdir)/src/sqlgen.sh

# Out-of-tree (VPATH) builds, as pg_buildext does them in build-<version>/:
# the objects and bitcode of src/ need that directory in the build tree, and
# pg_regress feeds each test to psql on standard input, so the tests'
# \i sql/include/*.sql resolves in the build directory: link those files
# there, as PGXS links data/*.data.  (Absolute targets, so that VPATH does not
# find them in the source tree.  PGXS sets VPATH = ./ for an in-tree build
# too, hence the test on the directories themselves.)
ifneq ($(abspath $(srcdir)),$(CURDIR))
$(OBJS) $(OBJS:.o=.bc): | $(CURDIR)/src
$(CURDIR)/src:
	$(MKDIR_P) $@
regress_includes := $(patsubst $(srcdir)/%,$(CURDIR)/%,$(wildcard $(srcdir)/sql/include/*.sql \
	$(srcdir)/test/loader/*.csv $(srcdir)/test/loader/bad/*.csv \
	$(srcdir)/test/loader/cycle/*.csv $(srcdir)/test/loader/cycle/bad/*.csv))
all installcheck: $(regress_includes)
EXTRA_CLEAN += $(regress_includes)
$(regress_includes): $(CURDIR)/%: $(srcdir)/%
	$(MKDIR_P) $(dir $@)
	ln -sf $(abspath $<) $@
endif

kpi_eval--$(EXTVERSION).sql: $(LIB_SOURCES) src/sqlgen.sh
	$(SQLGEN) install kpi_eval $(EXTVERSION) $(filter %.sql,$^) >$@.tmp && mv $@.tmp $@

kpi_eval_reference--$(EXTVERSION).sql: $(REF_SOURCES) src/sqlgen.sh
	$(SQLGEN) install kpi_eval_reference $(EXTVERSION) $(filter %.sql,$^) >$@.tmp && mv $@.tmp $@

kpi_eval--%--$(EXTVERSION).sql: sql/updates/kpi_eval--%--$(EXTVERSION).sql $(LIB_SOURCES) src/sqlgen.sh
	$(SQLGEN) update kpi_eval $* $(EXTVERSION) $(filter %.sql,$^) >$@.tmp && mv $@.tmp $@

kpi_eval_reference--%--$(EXTVERSION).sql: sql/updates/kpi_eval_reference--%--$(EXTVERSION).sql $(REF_SOURCES) src/sqlgen.sh
	$(SQLGEN) update kpi_eval_reference $* $(EXTVERSION) $(filter %.sql,$^) >$@.tmp && mv $@.tmp $@

all: $(DATA_built)

# One suite at a time (make installcheck runs pg_regress, then the isolation
# specs).  Against the server of PGHOST/PGPORT, except the TAP tests, which
# start their own clusters from $(bindir) (pass bindir=... to use a private
# tree).  make prove_installcheck TAP=test/t/x.pl
installcheck-regress: submake
	$(pg_regress_installcheck) $(REGRESS_OPTS) $(REGRESS)
installcheck-isolation: submake
	$(pg_isolation_regress_installcheck) $(ISOLATION_OPTS) $(ISOLATION)
prove_installcheck installcheck-tap:
	$(prove_installcheck)
.PHONY: installcheck-regress installcheck-isolation prove_installcheck installcheck-tap

# Released install scripts never change (checked by test/released.sh too).
check-released:
	cd $(srcdir) && sha256sum --quiet -c sql/released.sha256
.PHONY: check-released

# Every object depends on the shared header (PGXS does not track headers).
$(OBJS): src/kpi_eval.h src/fixed.h src/tally.h src/rules.h src/score.h
src/apportion.o: src/apportion.h
src/ledger_pack.o src/ledger_unpack.o src/seal_text.o: src/ledger_pack.h
src/rules.o src/rule_keys.o: src/rule_keys.h
src/lawmaking.o src/lawmaking_io.o src/lawmaking_score.o: src/lawmaking.h
src/ledger.o src/ledger_rows.o src/ledger_year.o: src/ledger.h

# Release VERSION: freeze the install scripts of the current sources as
# sql/*--VERSION.sql and record their checksums (then add VERSION to RELEASED
# and move EXTVERSION on).  make freeze VERSION=x.y.z
freeze:
	test -n "$(VERSION)" && test ! -e sql/kpi_eval--$(VERSION).sql
	$(SQLGEN) install kpi_eval $(VERSION) $(LIB_SOURCES) >sql/kpi_eval--$(VERSION).sql
	$(SQLGEN) install kpi_eval_reference $(VERSION) $(REF_SOURCES) >sql/kpi_eval_reference--$(VERSION).sql
	sha256sum sql/kpi_eval--$(VERSION).sql sql/kpi_eval_reference--$(VERSION).sql >>sql/released.sha256
.PHONY: freeze
