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
.PHONY: help run test test-sqlite test-postgres check audit fmt migrations messages demo-data setup browser clean

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

run: setup ## Migrate, load the demo city and serve the portal, back office and worker on :8000
	$(MANAGE) migrate --no-input -v 0
	$(MANAGE) load_demo_city
	$(MANAGE) collectstatic --no-input -v 0
	$(PY) -m cityhall.demo.run --host $(HOST) --port $(PORT)

test: setup browser ## Run the whole suite on SQLite, then on PostgreSQL
	$(MAKE) --no-print-directory check
	$(MAKE) --no-print-directory test-sqlite
	$(MAKE) --no-print-directory test-postgres

test-sqlite: setup
	$(VENV)/bin/pytest -n 2 --dist loadgroup -q

test-postgres: setup
	@$(PY) -m cityhall.core.servers postgres; status=$$?; \
	if [ $$status -eq 2 ]; then exit 0; elif [ $$status -ne 0 ]; then exit $$status; fi; \
	DATABASE_URL=$(PG_TEST_URL) $(VENV)/bin/pytest -n 2 -q -m "not browser"

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
