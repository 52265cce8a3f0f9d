# Two commands on a fresh machine: `make run` and `make test`. Everything else is installed from here.
SHELL := /bin/bash
.DEFAULT_GOAL := run

PYTHON ?= python3
VENV := $(CURDIR)/.venv
BIN := $(VENV)/bin
TOOLS := $(CURDIR)/.tools
BUN_VERSION := 1.4.4
PORT ?= 3000

export PATH := $(TOOLS)/bin:$(BIN):$(PATH)
export REFLEX_USE_SYSTEM_BUN := 1
export REFLEX_TELEMETRY_ENABLED := false

.PHONY: run test bench deps test-deps lint clean-web

$(BIN)/.installed: pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -e .
	touch $@

$(BIN)/.test-installed: $(BIN)/.installed
	$(BIN)/pip install -q -e '.[test]'
	touch $@

$(TOOLS)/bin/bun:
	npm install -g --silent --prefix $(TOOLS) --allow-scripts=bun bun@$(BUN_VERSION)

$(TOOLS)/node_modules/axe-core/axe.min.js:
	npm install --silent --no-save --prefix $(TOOLS) axe-core@4.14.1

deps: $(BIN)/.installed $(TOOLS)/bin/bun

## make run: install, migrate the embedded database, load demo data when empty (--demo), build and serve on :$(PORT)
run: deps
	$(BIN)/portal setup --demo
	$(BIN)/reflex run --env prod --single-port --frontend-port $(PORT) --backend-port $(PORT)

test-deps: deps $(BIN)/.test-installed $(TOOLS)/node_modules/axe-core/axe.min.js
	@command -v chromium >/dev/null || { apt-get update -qq && apt-get install -y -qq chromium >/dev/null; }

## make test: the whole suite (unit, services on SQLite and PostgreSQL if configured, e2e in Chromium)
test: test-deps
	$(BIN)/ruff check portal tests alembic bench
	$(BIN)/pytest -q -p no:cacheprovider tests

bench: test-deps
	@for f in bench/[!_]*.py; do [ -e "$$f" ] || continue; echo "== $$f"; $(BIN)/python "$$f" || exit 1; done

lint: test-deps
	$(BIN)/ruff check portal tests

clean-web:
	rm -rf .web
