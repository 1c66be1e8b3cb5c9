# The two commands of the README: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 5000
export PORT
# Two workers: the suite's databases and servers are per test, so they run side by side.
PYTEST_ARGS ?= -n 2

BENCH_ROWS ?= 1000000
IMPORT_ROWS ?= 100000,$(BENCH_ROWS)

# Every install is pinned by constraints.txt, so CI and every desk get the
# releases the suite was run against (refresh with `make constraints`).
PIP_INSTALL := $(BIN)/python -m pip install --quiet -c constraints.txt

.PHONY: run test test-fast lint bench audit install dev constraints clean

# A stamp per install flavour: re-install only when pyproject.toml or the pins change.
$(VENV)/.installed: pyproject.toml constraints.txt
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "claimtrack needs Python 3.11 or newer")'
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(PIP_INSTALL) -e .
	touch $@

# The test tools, and the PostgreSQL driver: the suite runs on both engines.
$(VENV)/.installed-dev: $(VENV)/.installed
	$(PIP_INSTALL) -e '.[dev,postgresql]'
	touch $@

install: $(VENV)/.installed
dev: $(VENV)/.installed-dev

run: $(VENV)/.installed
	$(BIN)/claimtrack db upgrade
	$(BIN)/claimtrack load-fixtures
	$(BIN)/claimtrack serve --port $(PORT)

test: $(VENV)/.installed-dev
	$(BIN)/python -m pytest $(PYTEST_ARGS)

# Style, types and the one-way package graph; .ci/run runs it before the suite.
lint: $(VENV)/.installed-dev
	$(BIN)/ruff check src tests benchmarks migrations
	$(BIN)/mypy
	$(BIN)/lint-imports

# The quick loop while working: everything but browser, fuzz, subprocess, packaging and fault-injection tests.
test-fast: $(VENV)/.installed-dev
	$(BIN)/python -m pytest $(PYTEST_ARGS) -m "not slow"

$(VENV)/.installed-bench: $(VENV)/.installed
	$(PIP_INSTALL) -e '.[bench,postgresql]'
	touch $@

# Each benchmark prints a Markdown table with its peer measured in the same run
# and writes it under benchmarks/ (RESULTS.md, IMPORT_RESULTS.md, SEARCH_RESULTS.md); the load
# benchmark appends its tables to RESULTS.md.
bench: $(VENV)/.installed-bench
	$(BIN)/python -m benchmarks.run
	$(BIN)/python -m benchmarks.importing --rows $(IMPORT_ROWS)
	$(BIN)/python -m benchmarks.search --rows $(BENCH_ROWS) --engine sqlite
	$(BIN)/python -m benchmarks.search --rows $(BENCH_ROWS) --engine postgresql
	# The public site under load (wrk on loopback, 60 s a target), on the search benchmark's databases.
	command -v wrk >/dev/null || apt-get install -y --no-install-recommends wrk
	$(BIN)/python -m benchmarks.load --rows $(BENCH_ROWS) --engine sqlite --reuse --threads 4,16
	$(BIN)/python -m benchmarks.load --rows $(BENCH_ROWS) --engine postgresql --reuse

$(VENV)/.installed-audit: $(VENV)/.installed
	$(PIP_INSTALL) -e '.[audit]'
	touch $@

# Looks every release pinned in constraints.txt up in the vulnerability database (online: the one
# target that is). --strict fails when a release could not be looked up, rather than calling it clean.
audit: $(VENV)/.installed-audit
	$(BIN)/pip-audit --strict --no-deps --disable-pip --progress-spinner off -r constraints.txt

# Re-resolve every dependency (all extras) in a throw-away environment and pin
# the result; commit constraints.txt with the change that needed it.
constraints:
	rm -rf build/constraints-venv
	$(PYTHON) -m venv build/constraints-venv
	build/constraints-venv/bin/python -m pip install --quiet --upgrade pip
	build/constraints-venv/bin/python -m pip install --quiet '.[dev,bench,postgresql,audit]'
	{ echo "# Pinned by 'make constraints' from pyproject.toml; every make target installs with these."; \
	  build/constraints-venv/bin/python -m pip freeze --all --exclude claimtrack --exclude pip; } > constraints.txt
	rm -rf build/constraints-venv

clean:
	rm -rf $(VENV) build dist test-artifacts
