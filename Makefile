# The two commands: `make run` (set up and start everything) and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp

.PHONY: run test install lint bench clean

$(STAMP): pyproject.toml package.json package-lock.json
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "Backprop needs Python 3.11 or newer")'
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	@if command -v npm >/dev/null; then npm ci --no-audit --no-fund --silent; \
	  else echo "npm not found: charts will not render (install Node.js for the front-end libraries)"; fi
	touch $(STAMP)

install: $(STAMP)

run: install
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py load_bank
	$(BIN)/python manage.py seed_demo
	@echo "Open http://127.0.0.1:$${PORT:-8000}/ (Ctrl-C stops web, worker and beat)"
	DEBUG=$${DEBUG:-true} $(BIN)/honcho start -f Procfile

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy accounts interviews hiring config

test: lint
	$(BIN)/pytest

clean:
	rm -rf var/broker var/celerybeat-schedule* var/test.sqlite3

# Budgets from DESIGN.md, measured against PostgreSQL and Redis (local defaults below).
bench: install
	DATABASE_URL=$${DATABASE_URL:-postgres://postgres@127.0.0.1:5432/backprop_bench} \
	REDIS_URL=$${REDIS_URL:-redis://127.0.0.1:6379/2} \
	$(BIN)/python -m bench.run
