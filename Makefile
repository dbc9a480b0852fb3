# The two commands of the README: `make run` builds the warehouse, `make test` runs every test.
# docs/development.md: the dev loop (venv, lock, lint, fast tests) and the Python versions.

VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
LOCK   := requirements.lock
UV     := $(BIN)/uv
# uv installs the venv; its version is the one pinned in the lock (pyproject's `dev` extra).
UV_VERSION := $(shell sed -n 's/^uv==\([0-9][0-9.]*\).*/\1/p' $(LOCK))

export DO_NOT_TRACK := 1
export GX_ANALYTICS_ENABLED := False
export DAGSTER_HOME ?= $(CURDIR)/.dagster
# uv uses the interpreter it is given and never downloads one.
export UV_PYTHON_DOWNLOADS := never

# Python 3.11, 3.12 or 3.13. `PYTHON=` takes a name (python3.12) or a path; without it, the first of
# python3.11, python3.12, python3.13 that runs. A candidate counts only if it runs: a pyenv shim on PATH
# exists but refuses a version that is not selected, so each name falls back to
# $(pyenv root)/versions/3.1x*/bin/python3.1x. PY is the interpreter's real path (sys.executable).
PY_OK := import sys; assert (3, 11) <= sys.version_info[:2] <= (3, 13); print(sys.executable)
define find_python
root=$$(pyenv root 2>/dev/null || echo "$${PYENV_ROOT:-$$HOME/.pyenv}"); \
for want in $(1); do \
  case "$$want" in python3.1[0-9]) v=$${want#python} ;; *) v=none ;; esac; \
  for cand in "$$want" "$$root"/versions/$$v*/bin/$$want; do \
    "$$cand" -c '$(PY_OK)' 2>/dev/null && exit 0; \
  done; \
done; true
endef
ifeq ($(origin PYTHON),undefined)
PY := $(shell $(call find_python,python3.11 python3.12 python3.13))
else
PY := $(shell $(call find_python,$(PYTHON)))
# Another interpreter than the venv was made with: make it anew.
ifneq ($(PY),$(shell cat $(VENV)/.python 2>/dev/null))
.PHONY: $(STAMP)
endif
endif

.PHONY: run test test-fast lint lock ui bench bench-gdelt bench-report clean venv browser

venv: $(STAMP)

# The venv with uv in it: made with PY when it is missing or broken, or when PYTHON= names another
# interpreter than the one it was made with; uv comes from the package index through the venv's pip.
define ensure_venv_and_uv
	@test -n "$(PY)" || { echo "make: $(if $(PYTHON),PYTHON=$(PYTHON) is no Python 3.11-3.13 that runs,no Python 3.11-3.13 found)" \
	  "(tried $(or $(PYTHON),python3.11 python3.12 python3.13) on PATH, then under pyenv's versions)" >&2; exit 1; }
	@if ! $(BIN)/python -c '$(PY_OK)' >/dev/null 2>&1 \
	    || [ "$(origin PYTHON)" != undefined -a "$$(cat $(VENV)/.python 2>/dev/null)" != "$(PY)" ]; then \
	  echo "creating $(VENV) with $(PY)"; rm -rf $(VENV) && "$(PY)" -m venv $(VENV) && echo "$(PY)" > $(VENV)/.python; \
	fi
	@test -x $(UV) || { echo "installing uv==$(UV_VERSION) into $(VENV)"; \
	  $(BIN)/python -m pip install --quiet --disable-pip-version-check "uv==$(UV_VERSION)"; }
endef

# The lock's packages, exactly (uv pip sync removes what the lock does not list), then the project
# itself, editable, without dependencies; `uv pip check` fails when the lock no longer satisfies pyproject.
$(STAMP): pyproject.toml $(LOCK)
	$(ensure_venv_and_uv)
	$(UV) pip sync --quiet --python $(BIN)/python $(LOCK)
	$(UV) pip install --quiet --python $(BIN)/python --no-deps --editable .
	$(UV) pip check --quiet --python $(BIN)/python
	touch $(STAMP)

# After a change of pins in pyproject.toml: `make lock venv`. One universal resolution (Python 3.11-3.13,
# every platform, every extra) with the hashes of every file and no index addresses.
lock:
	$(ensure_venv_and_uv)
	$(UV) pip compile pyproject.toml --universal --python-version 3.11 --all-extras --generate-hashes \
	  --custom-compile-command "make lock" --quiet --output-file $(LOCK)

run: $(STAMP)
	$(BIN)/kzeu build

# Two workers; the tests of one shared build stay on one worker (conftest.py: xdist groups). The 25 slowest
# tests are listed at the end: where the test loop's time goes (issue 12's 8-minute target).
test: $(STAMP) browser
	$(BIN)/python -m pytest -n 2 --dist loadgroup --durations=25

# The browser tests (tests/browser) drive Debian's chromium through Playwright; installed through apt
# where missing (as root, or with sudo), never a browser download of Playwright's own.
browser:
	@command -v chromium >/dev/null || { echo "installing Debian's chromium"; \
	  $$( [ "$$(id -u)" = 0 ] || echo sudo ) sh -c 'apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium'; }

# Everything but the slow builds and the reliability suites, on two workers.
test-fast: $(STAMP)
	$(BIN)/python -m pytest -m "not slow and not reliability" -n 2

# ruff (lint, then format check); sqlfluff on the dbt SQL from dbt_project/, where its .sqlfluff is found
# (the dbt templater compiles the models against an in-memory DuckDB, never the build copy of the
# warehouse, which a running build may hold); then the dbt project evaluator where
# tools/dbt_project_evaluator.py exists.
lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(if $(wildcard dbt_project/.sqlfluff),\
	  cd dbt_project && KZEU_BUILD_WAREHOUSE=:memory: ../$(BIN)/sqlfluff lint models macros tests --processes 2,\
	  @echo "lint: no dbt_project/.sqlfluff yet, sqlfluff skipped")
	$(if $(wildcard tools/dbt_project_evaluator.py),$(BIN)/python tools/dbt_project_evaluator.py)

ui: $(STAMP)
	$(BIN)/kzeu ui

bench: $(STAMP)
	$(BIN)/python benchmarks/bench_trade_ingest.py

bench-gdelt: $(STAMP)
	$(BIN)/python benchmarks/bench_gdelt_ingest.py

# the report's generation time and size on the published warehouse (`make run` first)
bench-report: $(STAMP)
	$(BIN)/python benchmarks/bench_report.py

clean:
	rm -rf warehouse/*.duckdb warehouse/.build .dagster dbt_project/target dbt_project/logs
