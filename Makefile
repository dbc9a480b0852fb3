# The two commands of the README: `make run` builds the warehouse, `make test` runs every test.
PYTHON ?= python3.11
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

export DO_NOT_TRACK := 1
export GX_ANALYTICS_ENABLED := False
export DAGSTER_HOME ?= $(CURDIR)/.dagster

.PHONY: run test ui bench bench-gdelt clean venv

venv: $(STAMP)

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade "pip>=24"
	$(BIN)/python -m pip install --quiet -e ".[test]"
	touch $(STAMP)

run: $(STAMP)
	$(BIN)/kzeu build

test: $(STAMP)
	$(BIN)/python -m pytest

ui: $(STAMP)
	$(BIN)/kzeu ui

bench: $(STAMP)
	$(BIN)/python benchmarks/bench_trade_ingest.py

bench-gdelt: $(STAMP)
	$(BIN)/python benchmarks/bench_gdelt_ingest.py

clean:
	rm -rf warehouse/*.duckdb warehouse/.build .dagster dbt_project/target dbt_project/logs
