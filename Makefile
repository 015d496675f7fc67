# 信用修复与异议处理平台 — build, demo and test entry points.
# Quick start: `make demo` (serves http://127.0.0.1:8000) and `make test`.
# Every target is idempotent; the heavy steps (apt, pip) run only when something changed.

SHELL := /bin/bash
.DEFAULT_GOAL := help
MAKEFLAGS += --no-print-directory
# The steps build on each other (apt before venv, migrate before demo data): never run them in parallel.
.NOTPARALLEL:

PYTHON := .venv/bin/python
MANAGE := $(PYTHON) manage.py
# Extra pytest arguments, e.g. make test PYTEST_ARGS='-k publicity -x'
PYTEST_ARGS ?=
# The embedded default: no database or broker from the caller's environment.
EMBEDDED_ENV := env -u DATABASE_URL -u TEST_DATABASE_NAME -u CELERY_BROKER_URL -u CELERY_RESULT_BACKEND

.PHONY: help demo setup-demo serve system-deps system-deps-test venv compilemessages migrate \
        signing-cert demo-data test test-postgres services openapi messages bench clean backup restore

help: ## List the targets
	@grep -hE '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-18s %s\n", $$1, $$2}'

demo: setup-demo ## Prepare everything, then serve the demo on http://127.0.0.1:8000
	@$(MAKE) serve

setup-demo: system-deps venv compilemessages migrate signing-cert demo-data ## Prepare the demo without serving it
	@echo "==> demo ready: make serve, then open http://127.0.0.1:8000/"

serve: ## Serve the prepared demo on http://127.0.0.1:8000 (Ctrl-C stops)
	@test -x $(PYTHON) || { echo "error: no .venv yet: run make setup-demo first" >&2; exit 1; }
	@echo "==> serving http://127.0.0.1:8000/ (demo users and password: README.md)"
	$(MANAGE) runserver 127.0.0.1:8000

system-deps: ## Install the Debian packages WeasyPrint, PDFs and translations need
	@bash scripts/system-deps.sh

system-deps-test: ## system-deps plus Debian's chromium for the browser tests
	@bash scripts/system-deps.sh chromium

venv: ## Create .venv (Python 3.11+) and install the project; pip runs only when pyproject.toml changed
	@bash scripts/venv.sh

compilemessages: venv ## Compile the translations (.po -> .mo)
	@if [ -n "$$(find . -path ./.venv -prune -o -name '*.po' -print -quit)" ]; then \
		echo "==> compiling translations"; $(MANAGE) compilemessages --ignore=.venv -v 0; \
	else echo "==> no translations (.po files) to compile yet"; fi

migrate: venv ## Migrate the database (var/creditrepair.sqlite3 by default)
	@mkdir -p var
	@echo "==> migrating the database"
	@$(MANAGE) migrate --noinput -v 0

signing-cert: venv ## Create the document-signing certificate (idempotent)
	@echo "==> signing certificate"
	@$(MANAGE) make_signing_cert

demo-data: venv ## Load the demo data and users (idempotent)
	@echo "==> demo data"
	@$(MANAGE) load_demo

test: system-deps-test venv compilemessages ## The whole suite on SQLite with eager Celery (not celery_worker tests)
	@echo "==> pytest on the embedded default (SQLite, eager Celery)"
	@$(EMBEDDED_ENV) bash scripts/run-pytest.sh -m "not celery_worker" --junitxml=test-output/junit-sqlite.xml $(PYTEST_ARGS)

test-postgres: system-deps-test venv compilemessages services ## The whole suite on PostgreSQL with a real Celery worker on Redis
	@echo "==> pytest on PostgreSQL with a Celery worker on Redis"
	@bash scripts/test-postgres.sh $(PYTEST_ARGS)

services: ## Make sure PostgreSQL and Redis answer on 127.0.0.1 (start them if not)
	@bash scripts/ensure-services.sh postgres redis

# Benchmark sizes (issue 7; docs/performance.md), e.g. make bench BENCH_ARGS='--due 500000 --lifecycle 200'
BENCH_ARGS ?=

bench: venv services ## Benchmarks at national scale on PostgreSQL (database creditrepair_bench, ~20 min; not part of test)
	@command -v wrk >/dev/null || { echo "==> installing wrk (Debian)"; apt-get install -y wrk >/dev/null 2>&1 || echo "   (no wrk: a Python load generator is used)"; }
	@echo "==> benchmarks (results: var/bench/results.json, docs/performance.md)"
	@env -u DATABASE_URL DJANGO_SETTINGS_MODULE=bench.settings PYTHONPATH=. $(PYTHON) -m bench.run $(BENCH_ARGS)

openapi: venv ## Regenerate docs/openapi.yaml from the code
	@mkdir -p docs
	$(MANAGE) spectacular --file docs/openapi.yaml --validate

messages: venv ## Update the message catalogues (zh_Hans, en) from the code
	$(MANAGE) makemessages -l zh_Hans -l en --ignore=.venv --ignore=var --ignore=test-output

backup: venv ## Back up the database and MEDIA_ROOT into backups/<timestamp>/ (pg_dump or a SQLite copy)
	@bash scripts/backup.sh

restore: venv ## Restore a backup: make restore BACKUP=backups/<timestamp> (overwrites the database; asks first)
	@test -n "$(BACKUP)" || { echo "usage: make restore BACKUP=backups/<timestamp>" >&2; exit 1; }
	@bash scripts/restore.sh "$(BACKUP)" $(if $(YES),--yes,)

clean: ## Remove var/ (SQLite database, media) and test-output/; keeps .venv
	rm -rf var test-output
