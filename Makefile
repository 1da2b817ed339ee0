# CityHall: `make run` starts the platform with a demo city; `make test` runs every test.
# Both set everything up on a machine that has only Python 3.11+.

PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
MANAGE := $(PY) manage.py
HOST ?= 127.0.0.1
PORT ?= 8000
PG_TEST_URL ?= postgres://postgres@127.0.0.1:5432/test
export PYTHONDONTWRITEBYTECODE := 1

.DEFAULT_GOAL := help
.PHONY: help run test test-sqlite test-postgres test-cluster check audit fmt migrations messages demo-data setup browser servers cluster cluster-stop cluster-status clean

help: ## List the commands
	@grep -E '^[a-z-]+:.*##' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-14s %s\n", $$1, $$2}'

$(VENV)/.installed: requirements.lock
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet --require-hashes --no-deps -r requirements.lock
	touch $@

.env:
	cp .env.example .env

setup: $(VENV)/.installed .env ## Create the virtualenv, install locked dependencies, compile translations
	@command -v msgfmt >/dev/null || (apt-get update -qq && apt-get install -y -qq gettext >/dev/null)
	$(MANAGE) compilemessages --ignore=.venv -v 0

browser: ## Install Debian's Chromium for the browser tests when it is missing
	@test -x /usr/bin/chromium || (apt-get update -qq && apt-get install -y -qq chromium >/dev/null)

servers: ## Install Debian's PgBouncer, HAProxy and Redis for the local cluster when missing
	@command -v pgbouncer >/dev/null && command -v haproxy >/dev/null && command -v redis-server >/dev/null \
	|| (apt-get update -qq && apt-get install -y -qq pgbouncer haproxy redis-server >/dev/null)

run: setup ## Migrate, load the demo city and serve the portal, back office and worker on :8000
	$(MANAGE) migrate --no-input -v 0
	$(MANAGE) load_demo_city
	$(MANAGE) collectstatic --no-input -v 0
	$(PY) -m cityhall.demo.run --host $(HOST) --port $(PORT)

test: setup browser servers ## Run the whole suite on SQLite, then on PostgreSQL, then the local cluster
	$(MAKE) --no-print-directory check
	$(MAKE) --no-print-directory test-sqlite
	$(MAKE) --no-print-directory test-postgres
	$(MAKE) --no-print-directory test-cluster

test-sqlite: setup
	$(VENV)/bin/pytest -n 2 --dist loadgroup -q -m "not tier"

test-postgres: setup
	@$(PY) -m cityhall.core.servers postgres; status=$$?; \
	if [ $$status -eq 2 ]; then exit 0; elif [ $$status -ne 0 ]; then exit $$status; fi; \
	DATABASE_URL=$(PG_TEST_URL) $(VENV)/bin/pytest -n 2 -q -m "not browser and not tier"

test-cluster: setup servers ## Start the whole local cluster on its own ports and test it
	$(VENV)/bin/pytest -n 0 -q -m tier

cluster: setup servers ## Start the local production tier (CLUSTER_DIR, default /tmp/cityhall-cluster)
	$(PY) -m cluster start $(CLUSTER_ARGS)

cluster-stop: ## Stop the local tier started by `make cluster`
	$(PY) -m cluster stop

cluster-status: ## Show what runs in the local tier, with ports and logs
	$(PY) -m cluster status

check: setup ## Lint, format check, types, migrations and security audits
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/mypy .
	CITYHALL_ENV=test $(MANAGE) makemigrations --check --dry-run -v 0
	$(MAKE) --no-print-directory audit

audit: setup ## Scan the code with bandit and the locked dependencies with pip-audit
	$(VENV)/bin/bandit -c pyproject.toml -r cityhall config scripts -q 2>/dev/null
	$(PY) scripts/audit_dependencies.py

fmt: setup ## Format the code
	$(VENV)/bin/ruff format .
	$(VENV)/bin/ruff check --fix .

migrations: setup ## Create migrations for model changes
	$(MANAGE) makemigrations

messages: setup ## Refresh the English and French message catalogues
	$(MANAGE) makemessages -l en -l fr --ignore=.venv --ignore=bench --no-obsolete

demo-data: setup ## Rebuild the demo city from scratch
	$(MANAGE) migrate --no-input -v 0
	$(MANAGE) load_demo_city --reset

clean: ## Remove the virtualenv and local data
	rm -rf $(VENV) db.sqlite3* staticfiles
