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

.PHONY: run test test-fast bench install dev clean

# A stamp per install flavour: re-install only when pyproject.toml changes.
$(VENV)/.installed: pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "claimtrack needs Python 3.11 or newer")'
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e .
	touch $@

$(VENV)/.installed-dev: $(VENV)/.installed
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $@

install: $(VENV)/.installed
dev: $(VENV)/.installed-dev

run: $(VENV)/.installed
	$(BIN)/claimtrack db upgrade
	$(BIN)/claimtrack load-fixtures
	$(BIN)/claimtrack serve --port $(PORT)

test: $(VENV)/.installed-dev
	$(BIN)/python -m pytest $(PYTEST_ARGS)

# The quick loop while working: everything but browser, fuzz, subprocess, packaging and fault-injection tests.
test-fast: $(VENV)/.installed-dev
	$(BIN)/python -m pytest $(PYTEST_ARGS) -m "not slow"

$(VENV)/.installed-bench: $(VENV)/.installed
	$(BIN)/python -m pip install --quiet -e '.[bench]'
	touch $@

# Each benchmark prints a Markdown table with its peer measured in the same run
# and writes it under benchmarks/ (RESULTS.md, IMPORT_RESULTS.md, SEARCH_RESULTS.md).
bench: $(VENV)/.installed-bench
	$(BIN)/python -m benchmarks.run
	$(BIN)/python -m benchmarks.importing --rows $(IMPORT_ROWS)
	$(BIN)/python -m benchmarks.search --rows $(BENCH_ROWS) --engine sqlite
	$(BIN)/python -m benchmarks.search --rows $(BENCH_ROWS) --engine postgresql

clean:
	rm -rf $(VENV) build dist test-artifacts
