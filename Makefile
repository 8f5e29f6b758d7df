# LaborCase developer commands. Needs only python3 (and make) on the machine.
#   make run    set up, migrate, seed demo data, serve http + websocket on 127.0.0.1:8000
#               (make run HOST=0.0.0.0 PORT=8080: reachable from a phone on the same network)
#   make test   run the test suite in parallel (extra pytest arguments: make test
#               PYTEST_ARGS="-k deadline"; workers: make test WORKERS=1)
#   make test-quick  the unit tests only, without browser, fault and fuzz tests
#   make bench  benchmarks with ratios against baselines measured in the same run (bench/,
#               docs/performance.md); needs PostgreSQL's server binaries (it starts its own,
#               as docker-compose.yml runs production's) and the local Redis; make bench-full for all

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
MANAGE := $(BIN)/python manage.py
PYTEST_ARGS ?=
HOST ?= 127.0.0.1
PORT ?= 8000
# pytest-xdist workers: one per core
WORKERS ?= auto
# The address to open: this machine's LAN address when the server listens on every interface.
OPEN_HOST = $(if $(filter 0.0.0.0 ::,$(HOST)),$(shell $(BIN)/python config/lan.py),$(HOST))

.DEFAULT_GOAL := help

.PHONY: help venv run test test-quick lint lint-ruff lint-migrations lint-types fmt clean distclean bench bench-full

help:
	@echo "make run        migrate, seed demo users (password demo12345), serve http://127.0.0.1:8000/"
	@echo "                (HOST=0.0.0.0 PORT=8080 to open it from a phone on the same network)"
	@echo "make test       run pytest in parallel (PYTEST_ARGS=... for extra arguments, WORKERS=1)"
	@echo "make test-quick the unit tests only (no browser, fault or fuzz tests)"
	@echo "make bench      quick benchmarks (< 5 min; its own PostgreSQL, the local Redis); make bench-full for the full run"
	@echo "make lint       ruff check + ruff format --check + makemigrations --check + mypy"
	@echo "                (one of them: make lint-ruff, lint-migrations, lint-types)"
	@echo "make fmt        ruff format + ruff check --fix"
	@echo "make clean      remove caches and build output; make distclean also removes .venv and db.sqlite3"

# The interpreter: created once; removed again if venv creation fails half-way.
$(BIN)/python:
	$(PYTHON) -m venv $(VENV) || { rm -rf $(VENV); exit 1; }

# Install (or re-install) only when a requirements file is newer than the stamp.
$(STAMP): requirements.txt requirements-dev.txt | $(BIN)/python
	$(BIN)/python -m pip install -q -r requirements-dev.txt
	@touch $@

venv: $(STAMP)

run: $(STAMP)
	$(MANAGE) migrate --noinput
	$(MANAGE) seed_demo --password demo12345 --url http://$(OPEN_HOST):$(PORT)
	$(MANAGE) seed_demo_subsidies
	@if command -v msgfmt >/dev/null 2>&1 && \
	   [ -n "$$(find . -path ./$(VENV) -prune -o -type d -name locale -print 2>/dev/null | head -n 1)" ]; then \
	   $(MANAGE) compilemessages --ignore=$(VENV) -v 0; \
	fi
	@echo "==> open http://$(OPEN_HOST):$(PORT)/ (Ctrl-C stops the server)"
	LABORCASE_PUBLIC_URL=$${LABORCASE_PUBLIC_URL:-http://$(OPEN_HOST):$(PORT)} \
	    $(MANAGE) runserver $(HOST):$(PORT)

test: $(STAMP)
	$(BIN)/python -m pytest -n $(WORKERS) $(PYTEST_ARGS)

# Minutes less: no browser (e2e), fault-injection (faults) or fuzz tests.
test-quick: $(STAMP)
	$(BIN)/python -m pytest -n $(WORKERS) --ignore=tests/e2e --ignore=tests/faults \
	    --ignore=tests/fuzz -m "not fuzz" $(PYTEST_ARGS)

# Bench data goes to its own databases (laborcase_bench_*) on the bench's own PostgreSQL
# (bench/cluster.py; BENCH_PG=postgres://... for another server), never the dev or test one.
bench: $(STAMP)
	@command -v wrk >/dev/null 2>&1 || { apt-get install -y -qq wrk || sudo apt-get install -y -qq wrk; }
	$(BIN)/python -m bench.run

bench-full:
	BENCH_FULL=1 $(MAKE) bench

# The same checks as .ci/run and .pre-commit-config.yaml.
lint: lint-ruff lint-migrations lint-types

lint-ruff: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

# Every model change has its migration.
lint-migrations: $(STAMP)
	$(MANAGE) makemigrations --check --dry-run

# mypy with django-stubs on the services and selectors ([tool.mypy] in pyproject.toml).
lint-types: $(STAMP)
	$(BIN)/mypy

fmt: $(STAMP)
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

clean:
	find . -path ./$(VENV) -prune -o -type d -name __pycache__ -exec rm -rf {} +
	rm -rf .pytest_cache .ruff_cache staticfiles test-artifacts

distclean: clean
	rm -rf $(VENV) db.sqlite3
