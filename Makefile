# kpi_eval/Makefile (PGXS)

EXTENSION = kpi_eval
EXTVERSION = 0.1.0

MODULE_big = kpi_eval
OBJS = \
	src/kpi_eval.o \
	src/fixed.o \
	src/rules.o \
	src/tally.o \
	src/tally_agg.o \
	src/score.o \
	src/tier.o \
	src/period_agg.o \
	src/quota.o \
	src/rating.o \
	src/agency.o \
	src/indices.o \
	src/lawmaking.o \
	src/deduction.o

PGFILEDESC = "kpi_eval - exact KPI scores and tiers for Decree 335/2025/ND-CP"

# Install scripts and upgrade scripts; released install scripts are never edited.
DATA = $(wildcard sql/$(EXTENSION)--*.sql)

# pg_regress inputs are sql/<name>.sql (everything that is not an install script).
REGRESS = $(sort $(patsubst sql/%.sql,%,$(filter-out sql/$(EXTENSION)--%,$(wildcard sql/*.sql))))
REGRESS_OPTS = --load-extension=$(EXTENSION)

PG_CONFIG ?= /usr/lib/postgresql/15/bin/pg_config
PG_CFLAGS += -Wall -Wextra -Werror
# Server headers as system headers: -Wextra then applies to our code only
# (PostgreSQL's own inline functions trip -Wunused-parameter).
PG_CPPFLAGS += -isystem $(shell $(PG_CONFIG) --includedir-server)

PGXS := $(shell $(PG_CONFIG) --pgxs)
include $(PGXS)

# Every object depends on the shared header (PGXS does not track headers).
$(OBJS): src/kpi_eval.h
