# Statum developer entry points. `make demo` and `make test` are the README's quick start.
PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed

.PHONY: demo test lint typecheck install bench clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	# A strict editable install: mypy needs it to see the statum.* portions (STYLE.md 2.1).
	$(PY) -m pip install --quiet -e '.[dev,postgres]' --config-settings editable_mode=strict
	touch $(STAMP)

install: $(STAMP)
	@# New modules need a fresh strict editable install.
	$(PY) -m pip install --quiet --no-deps -e . --config-settings editable_mode=strict

demo: install
	$(VENV)/bin/statum validate examples/order.asl.json
	$(VENV)/bin/statum run examples/order.asl.json --handlers examples.handlers --input @examples/order-input.json
	$(VENV)/bin/statum test examples/cases --handlers examples.handlers

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/lint-imports

typecheck: install
	$(VENV)/bin/mypy -p statum.core -p statum.adapters -p statum.projections
	$(VENV)/bin/mypy tests benchmarks

test: lint typecheck
	HYPOTHESIS_PROFILE=ci $(PY) -m pytest -q

bench: install
	$(PY) -m benchmarks core

clean:
	rm -rf $(VENV) build *.egg-info .pytest_cache .mypy_cache .ruff_cache
