# The two commands: `make run` (site on SQLite with demo data) and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
FLASK := $(BIN)/flask --app wsgi
HOST ?= 127.0.0.1
PORT ?= 8000
WORKERS ?= 2
export APP_ENV ?= development

.PHONY: install run test lint format services translations catalogs clean bench bench-data scaleout-check

$(BIN)/activate: requirements.txt requirements-dev.txt
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -r requirements-dev.txt
	touch $(BIN)/activate

install: $(BIN)/activate translations

# Compile the translation catalogs (.po → .mo); the .mo files are build output.
translations: $(BIN)/activate
	@$(BIN)/pybabel -q compile -d quiz/translations -f

run: install
	@mkdir -p instance
	$(FLASK) db upgrade
	$(FLASK) seed-demo
	@echo "Site: http://$(HOST):$(PORT)"
	@# The job worker (imports, exports: docs/jobs.md) runs beside gunicorn and ends with it.
	$(FLASK) jobs work & worker=$$!; trap 'kill $$worker 2>/dev/null; wait $$worker' EXIT INT TERM; \
	$(BIN)/gunicorn --workers $(WORKERS) --bind $(HOST):$(PORT) --access-logfile - wsgi:app

test: install
	$(BIN)/pytest -q -rs $(PYTEST_ARGS)

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: install
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

services:
	bash scripts/services.sh

# Re-extract messages after changing user-facing text, then translate en/.
catalogs: $(BIN)/activate
	$(BIN)/pybabel -q extract -F babel.cfg -k _l -k N_ --no-location --sort-output -o quiz/translations/messages.pot .
	$(BIN)/pybabel -q update -i quiz/translations/messages.pot -d quiz/translations --no-fuzzy-matching

# Load benchmark against gunicorn, SQLite then PostgreSQL (docs/benchmarks.md); options, e.g.
# BENCH_ARGS="--db sqlite --app-dir ../other-checkout --app-dir . --sync-start 3000".
bench: install
	$(BIN)/python -m bench.load $(BENCH_ARGS)

# National-size data (10,000 units, 1,000,000 accounts and attempts) in PostgreSQL quiz_bench_data;
# BENCH_DATA_ARGS="--people 20000" for a small one.
bench-data: install
	$(BIN)/python -m bench.data $(BENCH_DATA_ARGS)

# Two gunicorn app servers behind nginx (deploy/), one PostgreSQL, one Redis: load on both,
# shared sessions and rate limits, one attempt under a race, gzip, backup and restore
# (docs/deploy.md). Needs `make services`; installs nginx with apt if it is missing.
scaleout-check: install
	$(BIN)/python scripts/scaleout_check.py $(SCALEOUT_ARGS)

clean:
	rm -rf $(VENV) instance .ruff_cache
