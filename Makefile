# Banjian: `make run` serves the demo, `make test` runs the suite (SQLite, then PostgreSQL).
SHELL := /bin/bash
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
FLASK := $(BIN)/flask --app app
STAMP := $(VENV)/.installed
NPM_STAMP := node_modules/.installed
PG_URL ?= postgresql+psycopg://postgres@127.0.0.1:5432/test
SYSTEM_PACKAGES := fonts-noto-cjk poppler-utils chromium texlive-lang-chinese
# Installed without their recommends: texlive-lang-chinese is here for its FandolFang font (仿宋, the letters'
# body font, app/letters/fonts.py); its recommends would bring ~80 more packages (Ruby, Ghostscript, fonts).
LEAN_PACKAGES := texlive-lang-chinese

.PHONY: setup system-packages run test test-sqlite test-postgres bench clean

# System packages: CJK fonts for letters (Noto; FandolFang from texlive-lang-chinese), pdftotext for tests,
# Chromium for UI tests.
system-packages:
	@missing=""; lean=""; for p in $(SYSTEM_PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || \
	  case " $(LEAN_PACKAGES) " in *" $$p "*) lean="$$lean $$p";; *) missing="$$missing $$p";; esac; done; \
	if [ -n "$$missing$$lean" ]; then \
	  echo "installing:$$missing$$lean"; \
	  SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  $$SUDO apt-get update -qq || exit 1; \
	  if [ -n "$$missing" ]; then DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq $$missing >/dev/null || exit 1; fi; \
	  if [ -n "$$lean" ]; then DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq --no-install-recommends $$lean >/dev/null || exit 1; fi; \
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
