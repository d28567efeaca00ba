# The two commands: `make run` (a working platform on http://127.0.0.1:8000/) and `make test` (the whole suite
# on PostgreSQL and Redis). Everything else is a helper of these.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
LOCK := requirements/dev.lock
PORT ?= 8000
# Where the embedded default keeps its SQLite file, broker queue and uploads (config/settings/base.py reads it too).
export VAR_DIR ?= $(CURDIR)/var
export TEST_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/perseverance
export TEST_REDIS_URL ?= redis://127.0.0.1:6379/1

.PHONY: run test test-fast venv system-deps services migrate demo lint format bench lock clean

$(BIN)/.installed: $(LOCK)
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet --require-hashes -r $(LOCK)
	touch $@

venv: $(BIN)/.installed

migrate: venv
	mkdir -p $(VAR_DIR)/celery/queue $(VAR_DIR)/celery/processed $(VAR_DIR)/celery/control $(VAR_DIR)/media
	$(BIN)/python manage.py migrate --noinput

demo: migrate
	$(BIN)/python manage.py load_demo

run: demo
	@echo "Plateforme sur http://127.0.0.1:$(PORT)/ — Ctrl-C arrête le serveur web, le worker et beat."
	@if [ -n "$$DATABASE_URL" ]; then echo "Base : DATABASE_URL."; else echo "Base : SQLite sous $(VAR_DIR)."; fi
	@if [ -n "$$REDIS_URL" ]; then echo "Broker Celery : REDIS_URL."; else echo "Broker Celery : fichiers sous $(VAR_DIR)/celery (kombu filesystem)."; fi
	PORT=$(PORT) exec $(BIN)/honcho start -f Procfile

# Start PostgreSQL and Redis when they are installed but stopped; fail with a message naming the missing one.
services:
	@pg_isready -q -h 127.0.0.1 -p 5432 || { \
	  command -v pg_ctlcluster >/dev/null || { echo "PostgreSQL n'est pas installé (127.0.0.1:5432 attendu)."; exit 1; }; \
	  pg_ctlcluster --skip-systemctl-redirect $$(ls /etc/postgresql) main start; sleep 2; \
	  pg_isready -q -h 127.0.0.1 -p 5432 || { echo "PostgreSQL ne démarre pas."; exit 1; }; }
	@redis-cli -h 127.0.0.1 -p 6379 ping >/dev/null 2>&1 || { \
	  command -v redis-server >/dev/null || { echo "Redis n'est pas installé (127.0.0.1:6379 attendu)."; exit 1; }; \
	  redis-server --daemonize yes --bind 127.0.0.1 --port 6379 --save "" --appendonly no; sleep 1; \
	  redis-cli -h 127.0.0.1 -p 6379 ping >/dev/null || { echo "Redis ne démarre pas."; exit 1; }; }

# A fresh machine gets its system packages (Chromium, Poppler, fonts, PostgreSQL, Redis) here, not by hand.
system-deps:
	@bash scripts/system-deps

test: venv system-deps services
	DJANGO_SETTINGS_MODULE=config.settings.test $(BIN)/python manage.py makemigrations --check --dry-run >/dev/null
	$(BIN)/pytest $(PYTEST_ARGS)

# The inner loop: the suite without the tests that drive Chromium or start a real Celery worker (docs/testing.md).
test-fast: venv system-deps services
	$(BIN)/pytest -m "not browser and not worker and not smoke" $(PYTEST_ARGS)

lint: venv
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	@# Which app may import which: the contracts of [tool.importlinter] in pyproject.toml.
	$(BIN)/lint-imports
	@# No module imports a module that imports it back (type-only imports included).
	$(BIN)/python scripts/import_cycles.py
	@# Templates: djlint rules, advisory (the formatter disagrees with hand-wrapped attributes).
	$(BIN)/djlint --lint templates */templates || true

format: venv
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

bench: venv services
	$(BIN)/python -m bench

lock: venv
	$(BIN)/uv pip compile pyproject.toml --python-version 3.11 --generate-hashes -o requirements/base.lock -q
	$(BIN)/uv pip compile pyproject.toml --extra dev --python-version 3.11 --generate-hashes -o requirements/dev.lock -q

clean:
	rm -rf $(VENV) $(VAR_DIR)
