# Two commands on a fresh machine: `make run` and `make test`.
VENV ?= .venv
PYTHON ?= python3
PORT ?= 5000
BIN := $(VENV)/bin
export FLASK_APP := wsgi

.PHONY: install bytecode run test lint format migrate-check regen-migration bench clean

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -e '.[dev]'
	touch $@

install: $(VENV)/.installed

# The package is installed editable, so pip compiled none of its modules; where Python may
# not write bytecode on import (PYTHONDONTWRITEBYTECODE), every process would compile them
# all from source again (0.3–0.6 s more per `flask` command). Only changed files are redone.
bytecode: install
	$(BIN)/python -m compileall -q -j 0 complaints config.py wsgi.py

run: bytecode
	$(BIN)/flask i18n compile > /dev/null
	$(BIN)/flask db upgrade
	$(BIN)/flask seed demo
	@echo "Serving on http://127.0.0.1:$(PORT); the scheduler runs beside it (log: instance/scheduler.log)"
	@log="$${INSTANCE_PATH:-instance}/scheduler.log"; scripts/run_scheduler.sh $(BIN)/flask scheduler run > "$$log" 2>&1 & sched=$$!; \
	  trap 'kill $$sched 2>/dev/null; wait $$sched' EXIT INT TERM; \
	  $(BIN)/flask run --host 127.0.0.1 --port $(PORT)

lint: install
	$(BIN)/ruff check .
	$(BIN)/mypy

format: install
	$(BIN)/ruff format complaints tests config.py wsgi.py
	$(BIN)/ruff check --fix .

test: lint bytecode
	$(BIN)/pytest

# Regenerate the single initial revision from the models (only while nothing is deployed).
regen-migration: install
	$(BIN)/python scripts/regen_migration.py

# Benchmarks against django-helpdesk and a bare Flask app (never part of `make test`).
# Full: 100,000 / 1,000,000 complaints; BENCH_QUICK=1: 10,000 / 100,000. See bench/RESULTS.md.
bench: bytecode
	$(BIN)/python bench/driver.py $(if $(BENCH_QUICK),--quick) $(BENCH_ARGS)

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache .mypy_cache
