# Banjian: `make run` serves the demo, `make test` runs the suite (SQLite, then PostgreSQL).
SHELL := /bin/bash
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
FLASK := $(BIN)/flask --app app
STAMP := $(VENV)/.installed
NPM_STAMP := node_modules/.installed
PG_URL ?= postgresql+psycopg://postgres@127.0.0.1:5432/test
SYSTEM_PACKAGES := fonts-noto-cjk poppler-utils chromium

.PHONY: setup system-packages run test test-sqlite test-postgres bench clean

# System packages: CJK fonts for letters, pdftotext for tests, Chromium for UI tests.
system-packages:
	@missing=""; for p in $(SYSTEM_PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then \
	  echo "installing:$$missing"; \
	  SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq $$missing >/dev/null; \
	fi

$(STAMP): requirements.txt
	test -d $(VENV) || $(PY) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -r requirements.txt
	touch $(STAMP)

# bpmn-js for the modeler and case diagrams, from the npm registry (pinned in package-lock.json);
# reinstalled only when the lock file changes.  Debian's nodejs/npm if there is no npm yet.
$(NPM_STAMP): package-lock.json
	@command -v npm >/dev/null 2>&1 || { \
	  SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq nodejs npm >/dev/null; }
	npm ci --no-audit --no-fund --loglevel=error
	touch $(NPM_STAMP)

setup: system-packages $(STAMP) $(NPM_STAMP)

run: setup
	$(FLASK) init-db
	$(FLASK) seed-demo --demo
	$(BIN)/gunicorn -w 2 -b 127.0.0.1:5000 'app:create_app()'  # gunicorn: no version banner, unlike flask run

test: setup
	$(BIN)/python -m tests.run_all

test-sqlite: setup
	$(BIN)/pytest -q tests

test-postgres: setup
	TEST_DATABASE_URL=$(PG_URL) $(BIN)/pytest -q tests

bench: setup
	$(BIN)/python -m tests.bench.run

clean:
	rm -rf $(VENV) instance node_modules
