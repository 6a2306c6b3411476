# The commands: `make run` (set up and start everything for development), `make test`, and
# `make serve` (the production stack: gunicorn, workers, beat; see the README's "Production").
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp
# The web server's port, the one the banner prints. `make run BACKPROP_PORT=8001` (or an
# exported BACKPROP_PORT) moves it; PORT is not read, as honcho sets PORT for every process.
BACKPROP_PORT ?= 8000
# `make dev PROCESSES=web` (or `make serve PROCESSES=web`) starts only the named processes (default: all).
PROCESSES ?=

.PHONY: run dev serve test install lint bench bench-scale clean

$(STAMP): pyproject.toml requirements.lock package.json package-lock.json assets/editor.js
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "Backprop needs Python 3.11 or newer")'
	@echo "Installing Python and npm packages into $(VENV) and node_modules (a few minutes the first time)"
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	@$(BIN)/pip install -qq --disable-pip-version-check --upgrade pip
	@$(BIN)/pip install -qq --disable-pip-version-check -c requirements.lock -e '.[dev]'
	@if command -v npm >/dev/null; then npm ci --no-audit --no-fund --silent --loglevel=error; \
	  else echo "npm not found: charts will not render and coding answers get a plain textarea (install Node.js)"; fi
	@touch $(STAMP)

install: $(STAMP)

run: install
	@$(BIN)/python manage.py migrate --noinput --verbosity 0
	@$(BIN)/python manage.py load_bank
	@BACKPROP_PORT=$(BACKPROP_PORT) $(BIN)/python manage.py seed_demo --with-attempts
	@$(MAKE) --no-print-directory dev

# What `make run` ends with: the banner as the last lines before the servers' own logs,
# then runserver, the Celery workers (text grading, code) and beat in the foreground (no install, no migrate).
dev:
	@echo
	@echo "Backprop: open http://127.0.0.1:$(BACKPROP_PORT)/  (Ctrl-C stops web, workers and beat)"
	@echo "Demo logins, password backprop-demo: candidate@demo.backprop.dev, manager@demo.backprop.dev,"
	@echo "  reviewer@demo.backprop.dev, admin@demo.backprop.dev (staff: /admin/)"
	@echo
	@BACKPROP_PORT=$(BACKPROP_PORT) DEBUG=$${DEBUG:-true} exec $(BIN)/honcho start -f Procfile $(PROCESSES)

# Production: gunicorn (static files from whitenoise), the grading and code workers and beat,
# DEBUG off, JSON logs, on PostgreSQL and Redis (refused without them). Collects static files
# into var/static and applies migrations first. Bound to 127.0.0.1:BACKPROP_PORT unless
# BACKPROP_BIND says otherwise (e.g. 0.0.0.0:8000 behind a proxy on another host).
serve:
	@case "$$DATABASE_URL" in postgres://*|postgresql://*) ;; \
	  *) echo "make serve needs PostgreSQL: set DATABASE_URL=postgres://user:password@host:5432/backprop" >&2; exit 2;; esac
	@case "$$REDIS_URL" in redis://*|rediss://*) ;; \
	  *) echo "make serve needs Redis: set REDIS_URL=redis://host:6379/0 (broker and shared cache)" >&2; exit 2;; esac
	@DEBUG=false $(BIN)/python manage.py collectstatic --noinput --verbosity 0
	@DEBUG=false $(BIN)/python manage.py migrate --noinput --verbosity 0
	@echo "Backprop (production): serving on $${BACKPROP_BIND:-127.0.0.1:$(BACKPROP_PORT)}"
	@DEBUG=false LOG_FORMAT=$${LOG_FORMAT:-json} BACKPROP_PORT=$(BACKPROP_PORT) \
	  exec $(BIN)/honcho start -f Procfile.production $(PROCESSES)

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
	SECRET_KEY=$${SECRET_KEY:-bench-only-not-a-secret} DATABASE_URL=$${DATABASE_URL:-postgres://postgres@127.0.0.1:5432/backprop_bench} \
	REDIS_URL=$${REDIS_URL:-redis://127.0.0.1:6379/2} \
	$(BIN)/python -m bench.run

# Pages at size: seeds (or reuses) a busy installation, 1M graded answers by default, in its
# own database, then p50/p99 of the pages people open often and throughput under gunicorn -w 2
# against a bare view. Smaller: `make bench-scale SCALE_ARGS="--answers 100000 --candidates 2000"`.
bench-scale: install
	SECRET_KEY=$${SECRET_KEY:-bench-only-not-a-secret} DATABASE_URL=$${SCALE_DATABASE_URL:-postgres://postgres@127.0.0.1:5432/backprop_scale} \
	REDIS_URL=$${REDIS_URL:-redis://127.0.0.1:6379/2} \
	$(BIN)/python -m bench.scale $(SCALE_ARGS)
