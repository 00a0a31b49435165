# CPMP: two commands on a fresh machine.
#   make run    install, migrate, load the demonstration data, serve on http://127.0.0.1:$(PORT)
#   make test   the whole suite on SQLite, then on a throwaway PostgreSQL server, browser tests included

PORT ?= 8000
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
CPMP := $(BIN)/cpmp
CHROMIUM ?= /usr/bin/chromium
PYTEST_ARGS ?=

.PHONY: run serve install test test-sqlite test-postgres browser-deps lint typecheck check clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $@

install: $(VENV)/.installed

run: install
	$(CPMP) migrate --no-input
	$(CPMP) load_demonstration_data
	$(CPMP) collectstatic --no-input --verbosity 0
	@echo
	@echo "CPMP is at http://127.0.0.1:$(PORT)/"
	@$(CPMP) load_demonstration_data --list-accounts
	@echo "For the current 6-digit code: $(CPMP) load_demonstration_data --code"
	@echo
	$(BIN)/gunicorn cpmp.config.wsgi --env DJANGO_SETTINGS_MODULE=cpmp.config.settings.local \
		--bind 127.0.0.1:$(PORT) --workers 2 --access-logfile - --log-level info

browser-deps:
	@test -x $(CHROMIUM) || { echo "Installing Chromium for the browser tests"; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium; }

test: install browser-deps
	$(MAKE) test-sqlite
	$(MAKE) test-postgres

test-sqlite: install
	$(BIN)/pytest $(PYTEST_ARGS)

test-postgres: install
	@set -e; dir=$$(mktemp -d /tmp/cpmp-pg.XXXXXX); \
	trap 'scripts/test-postgres stop '"$$dir" EXIT; \
	url=$$(scripts/test-postgres start "$$dir" | sed -n 's/^DATABASE_URL=//p'); \
	echo "PostgreSQL test server started in $$dir"; \
	DATABASE_URL="$$url" $(BIN)/pytest $(PYTEST_ARGS)

lint: install
	$(BIN)/ruff check src tests benchmarks
	$(BIN)/ruff format --check src tests benchmarks

typecheck: install
	$(BIN)/mypy src

check: lint typecheck test

clean:
	rm -rf $(VENV) var
