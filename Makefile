# The two commands a newcomer needs: `make demo` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PIP := $(BIN)/python -m pip
CONSTRAINTS := constraints.txt

.PHONY: demo test lint docs bench clean

$(BIN)/python:
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11))' \
	  || { echo "Sanctio needs Python 3.11 or newer (set PYTHON=python3.11)"; exit 1; }
	$(PYTHON) -m venv $(VENV)
	$(PIP) install -q --upgrade pip

$(VENV)/.installed: pyproject.toml $(CONSTRAINTS) | $(BIN)/python
	$(PIP) install -q -c $(CONSTRAINTS) -e .
	@touch $@

# followthemoney (the optional extra [ftm]) compiles PyICU against the system's ICU
# (Debian: libicu-dev, pkg-config). Without it the FtM validation tests skip locally;
# in CI they must run, and .ci/run installs the system packages.
$(VENV)/.installed-test: $(VENV)/.installed
	$(PIP) install -q -c $(CONSTRAINTS) -e '.[test]'
	$(PIP) install -q -c $(CONSTRAINTS) -e '.[ftm]' \
	  || echo "note: followthemoney not installed (needs libicu-dev); its tests will skip"
	@touch $@

## demo: set up, load the bundled EU Belarus list into a fresh SQLite registry and
## screen it, replay the 2020 listings through the designation workflow, and reconcile
## the bundled independent count with the official protocols
demo: $(VENV)/.installed
	$(BIN)/sanctio demo
	$(BIN)/sanctio demo belarus-2020
	$(BIN)/sanctio demo forensics

## test: lint, type-check and run the whole suite (PostgreSQL tests need SANCTIO_TEST_PG_URL)
test: $(VENV)/.installed-test lint
	$(BIN)/python -m pytest -n 2 --durations=10

lint: $(VENV)/.installed-test
	$(BIN)/ruff check src tests bench
	$(BIN)/ruff format --check src tests bench
	$(BIN)/mypy

## docs: regenerate the CLI reference from the commands' own --help
docs: $(VENV)/.installed
	$(BIN)/typer sanctio.cli.main utils docs --name sanctio --title "Command reference" --output docs/cli.md

## bench: the benchmarks under bench/ (results go to docs/benchmarks.md by hand)
bench: $(VENV)/.installed-test
	$(BIN)/python -m pip install -q -c $(CONSTRAINTS) -e '.[bench]'
	$(BIN)/python bench/import_speed.py
	$(BIN)/python bench/screening_speed.py
	$(BIN)/python bench/screening_scale.py
	$(BIN)/python bench/quality/evaluate.py

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache .hypothesis
