# The two commands of the quick start: `make run` and `make test`. Each creates .venv on first use.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run test bench clean

$(STAMP): pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	@$(BIN)/python -m pip install --quiet --disable-pip-version-check --upgrade pip
	@$(BIN)/python -m pip install --quiet --disable-pip-version-check -e '.[test,dev]'
	@$(BIN)/python -m compileall -q smtp_tui >/dev/null
	@touch $(STAMP)

run: $(STAMP)
	@$(BIN)/smtp-tui $(ARGS)

test: $(STAMP)
	$(BIN)/ruff check smtp_tui tests benchmarks
	$(BIN)/ruff format --check smtp_tui tests benchmarks
	$(BIN)/mypy
	$(BIN)/lint-imports
	$(BIN)/pytest

bench: $(STAMP)
	$(BIN)/python benchmarks/bench_cli.py
	$(BIN)/python benchmarks/bench_tui.py
	$(BIN)/python benchmarks/bench_explain_scaling.py
	$(BIN)/python benchmarks/bench_maillog.py

clean:
	rm -rf $(VENV) dist build .pytest_cache .mypy_cache .ruff_cache .import_linter_cache
