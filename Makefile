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

.PHONY: run run-scaled test bench deps test-deps lint clean-web mutation

# Python packages are installed by uv (from PyPI, into .venv): the same versions pip resolves, in a quarter of the
# time (a fresh .venv with the test packages: 11 s against pip's 40 s here).
UV_VERSION := 0.13.9
UV_INSTALL := $(BIN)/uv pip install -q --python $(BIN)/python

$(BIN)/.installed: pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	test -x $(BIN)/uv || $(BIN)/pip install -q uv==$(UV_VERSION)
	$(UV_INSTALL) -e .
	touch $@

$(BIN)/.test-installed: $(BIN)/.installed
	$(UV_INSTALL) -e '.[test]'
	touch $@

$(BIN)/.mutation-installed: $(BIN)/.test-installed
	$(UV_INSTALL) -e '.[test,mutation]'
	touch $@

$(TOOLS)/bin/bun:
	npm install -g --silent --prefix $(TOOLS) --allow-scripts=bun bun@$(BUN_VERSION)

# npm packages under .tools/, installed together (an install with --no-save drops what it was not given):
# axe-core for the accessibility audits, panva's oidc-provider for the eID stand-in (tests/oidc/provider.mjs).
NODE_TOOLS := axe-core@4.14.1 oidc-provider@9.13.3
NODE_STAMP := $(TOOLS)/node_modules/.portal-$(subst @,-,$(subst $(eval) ,_,$(NODE_TOOLS)))

$(NODE_STAMP):
	npm install --silent --no-save --prefix $(TOOLS) $(NODE_TOOLS)
	touch $@

deps: $(BIN)/.installed $(TOOLS)/bin/bun

## make run: install, migrate the embedded database, load demo data when empty (--demo), build and serve on :$(PORT).
## Unless PORTAL_OIDC_ISSUER is set, it also starts the DEMO eID provider (tests/oidc/provider.mjs, panva's
## oidc-provider) on 127.0.0.1:$(EID_DEMO_PORT) for "Sign in with eID" as the demo employee; it stops with the app.
EID_DEMO_PORT ?= 3900
## Unless PORTAL_INSURER_URLS is set, `make run` also starts the TEST insurer (tools/test_insurer.py: a stand-in,
## not a real insurer) on 127.0.0.1:$(INSURER_DEMO_PORT), storing in var/test_insurer.db, and sends every
## insurer's outbox there.
INSURER_DEMO_PORT ?= 3901

# The demo stand-ins of `make run` and `make run-scaled`, each unless its setting is given (shell lines of a recipe).
define DEMO_STANDINS
if [ -z "$${PORTAL_OIDC_ISSUER:-}" ]; then \
	  config=$$($(BIN)/portal eid-demo-config --port $(EID_DEMO_PORT) --base-url "$${PORTAL_BASE_URL:-http://localhost:$(PORT)}") || exit 1; \
	  node tests/oidc/provider.mjs "$$config" 2>/dev/null & eid=$$!; trap 'kill $$eid $$insurer $$workers 2>/dev/null' EXIT; \
	  export PORTAL_OIDC_ISSUER=http://127.0.0.1:$(EID_DEMO_PORT) PORTAL_OIDC_CLIENT_ID=portal-demo \
	    PORTAL_OIDC_CLIENT_SECRET=demo-eid-not-secret; \
	  echo "DEMO eID provider (a stand-in, not a real eID) at $$PORTAL_OIDC_ISSUER: 'Sign in with eID' on /login"; \
	fi; \
	if [ -z "$${PORTAL_INSURER_URLS:-}" ]; then \
	  mkdir -p var; $(BIN)/python tools/test_insurer.py --port $(INSURER_DEMO_PORT) --db var/test_insurer.db \
	    >/dev/null 2>&1 & insurer=$$!; trap 'kill $$eid $$insurer $$workers 2>/dev/null' EXIT; \
	  export PORTAL_INSURER_URLS=http://127.0.0.1:$(INSURER_DEMO_PORT); \
	  echo "TEST insurer (a stand-in, not a real insurer) at $$PORTAL_INSURER_URLS: receives every coupling's messages"; \
	fi
endef

run: deps $(NODE_STAMP)
	$(BIN)/portal setup --demo
	@eid= insurer= workers=; $(DEMO_STANDINS); \
	$(BIN)/reflex run --env prod --single-port --frontend-port $(PORT) --backend-port $(PORT)

## make run-scaled: the scaled-out mode on this one machine (README "Scaling out"): the database `portal` on the
## local PostgreSQL (created when missing; PORTAL_SCALED_DATABASE_URL names another), migrated, demo data when
## empty; Reflex's state on Redis db 0 with $(SCALED_BACKEND_WORKERS) backend workers (GRANIAN_WORKERS), the job queue
## on Redis db 1 with $(SCALED_JOB_WORKERS) `portal worker` processes (started and stopped with the app), one file
## folder var/scaled/ for all of them; the demo stand-ins as in `make run`.
SCALED_DATABASE_URL := $(or $(PORTAL_SCALED_DATABASE_URL),postgresql://postgres@127.0.0.1:5432/portal)
SCALED_REDIS ?= redis://127.0.0.1:6379
SCALED_BACKEND_WORKERS ?= 2
SCALED_JOB_WORKERS ?= 2

run-scaled: deps $(NODE_STAMP)
	@export PORTAL_DATABASE_URL='$(SCALED_DATABASE_URL)' PORTAL_VAR_DIR='$(CURDIR)/var/scaled' \
	  REFLEX_REDIS_URL=$(SCALED_REDIS)/0 PORTAL_REDIS_URL=$(SCALED_REDIS)/1 GRANIAN_WORKERS=$(SCALED_BACKEND_WORKERS); \
	$(BIN)/python tools/ensure_database.py "$$PORTAL_DATABASE_URL" || exit 1; \
	$(BIN)/portal setup --demo || exit 1; \
	eid= insurer= workers=; $(DEMO_STANDINS); \
	for i in $$(seq $(SCALED_JOB_WORKERS)); do $(BIN)/portal worker --workers 2 & workers="$$workers $$!"; done; \
	trap 'kill $$eid $$insurer $$workers 2>/dev/null' EXIT; \
	echo "Scaled out: PostgreSQL $${PORTAL_DATABASE_URL%%\?*}, Reflex state on $$REFLEX_REDIS_URL with $(SCALED_BACKEND_WORKERS) backend workers, job queue on $$PORTAL_REDIS_URL with $(SCALED_JOB_WORKERS) job workers (processes$$workers), files in var/scaled/"; \
	$(BIN)/reflex run --env prod --single-port --frontend-port $(PORT) --backend-port $(PORT)

test-deps: deps $(BIN)/.test-installed $(NODE_STAMP)
	@command -v chromium >/dev/null || { apt-get update -qq && apt-get install -y -qq chromium >/dev/null; }
	@command -v ss >/dev/null || { apt-get update -qq && apt-get install -y -qq iproute2 >/dev/null; }

## make test: the whole suite: unit and service tests in parallel (pytest-xdist, TEST_WORKERS) on SQLite and, when
## a server answers at 127.0.0.1:5432 (or PORTAL_TEST_POSTGRES_URL is set), on PostgreSQL; beside them, in one more
## process, the e2e tests in Chromium against one prod build (they mostly wait on the browser and the server).
## The unit and service tests run at a lower CPU priority (TEST_NICE): the e2e tests are one long chain of waits
## on the browser and the server, each delayed when it has to share a core (measured on this 2-core machine, fresh
## clone: nice 15 627 and 639 s in all, nice 5 638 s, within the runs' spread; the unit and service tests end
## last either way, after 600–615 s).
## The job-queue test on Redis runs when Redis answers at 127.0.0.1:6379; with PostgreSQL too, the e2e process also
## runs tests/e2e/test_scaled.py against a second, scaled-out server (tests/serve_built.py: no second build).
## Beside the tests: the dependency audit (tools/audit_deps.py: pip-audit against PyPI; fails on a known
## vulnerability that has a fixed release); its report comes last.
TEST_WORKERS ?= auto
TEST_NICE ?= 15
PYTEST_ARGS ?=
PYTEST := $(BIN)/pytest -q -p no:cacheprovider $(PYTEST_ARGS)

test: test-deps
	@command -v pg_isready >/dev/null || { apt-get update -qq && apt-get install -y -qq postgresql-client >/dev/null; }
	$(BIN)/ruff check portal tests alembic bench tools
	$(BIN)/lint-imports
	@pg="$${PORTAL_TEST_POSTGRES_URL:-}"; \
	if [ -z "$$pg" ] && pg_isready -q -h 127.0.0.1 -p 5432; then pg=postgresql://postgres@127.0.0.1:5432/portal_test; fi; \
	if $(BIN)/python -c 'import socket; socket.create_connection(("127.0.0.1", 6379), 0.5).close()' 2>/dev/null; \
	then redis="Redis (the job queue on Redis$${pg:+; e2e scaled out: PostgreSQL, Reflex on Redis, job workers})"; \
	else redis="no Redis (nothing answers at 127.0.0.1:6379: its job-queue test and the scaled-out e2e tests are skipped)"; fi; \
	if [ -n "$$pg" ]; then postgres="PostgreSQL ($${pg%/*}, databases per worker, dropped after)"; \
	else postgres="no PostgreSQL (nothing answers at 127.0.0.1:5432)"; fi; \
	echo "make test covers: SQLite, $$postgres, $$redis, e2e in Chromium"; \
	export PORTAL_TEST_POSTGRES_URL="$$pg" PORTAL_TEST_RUN_ID="$$($(BIN)/python -c 'import secrets; print(secrets.token_hex(3))')"; \
	rc=0; e2e_log=$$(mktemp -t portal-e2e-XXXXXX.log); audit_log=$$(mktemp -t portal-audit-XXXXXX.log); \
	$(BIN)/python tools/audit_deps.py > "$$audit_log" 2>&1 & audit=$$!; \
	$(PYTEST) tests/e2e > "$$e2e_log" 2>&1 & e2e=$$!; \
	trap 'kill $$e2e $$audit 2>/dev/null; exit 130' INT TERM; \
	echo "e2e tests started beside the unit and service tests (process $$e2e); their report follows those"; \
	nice -n $(TEST_NICE) $(PYTEST) -n $(TEST_WORKERS) --dist loadfile tests/unit tests/services || rc=$$?; \
	wait $$e2e || rc=$$?; \
	echo "== e2e tests in Chromium"; cat "$$e2e_log"; rm -f "$$e2e_log"; \
	wait $$audit || rc=$$?; \
	echo "== dependency audit"; cat "$$audit_log"; rm -f "$$audit_log"; \
	exit $$rc

bench: test-deps
	@for f in bench/[!_]*.py; do [ -e "$$f" ] || continue; echo "== $$f"; $(BIN)/python "$$f" || exit 1; done

## make mutation: mutation testing (mutmut, [tool.mutmut] in pyproject.toml) of portal/domain against tests/unit
## only, then killed/total per domain module (tools/mutation_report.py). Not part of `make test` or CI. Starts
## afresh (mutants/ is rebuilt) unless MUTANTS names mutants to re-test against the kept results, e.g.
## MUTANTS='portal.domain.bulk.*'. MUTATION_CHILDREN=1 (the machine's two cores are shared), MUTATION_MIN=90
## fails when a module kills fewer. `mutmut results` / `mutmut show NAME` in .venv/bin tell what survived.
MUTATION_CHILDREN ?= 1
MUTANTS ?=
MUTATION_MIN ?=

mutation: $(BIN)/.mutation-installed
	@[ -n "$(MUTANTS)" ] || rm -rf mutants; mkdir -p mutants
	@start=$$(date +%s); \
	$(BIN)/mutmut run --max-children $(MUTATION_CHILDREN) $(MUTANTS) > mutants/run.log 2>&1 || { rc=$$?; tail -c 3000 mutants/run.log; exit $$rc; }; \
	echo "mutmut ran in $$(( $$(date +%s) - start )) s (its output: mutants/run.log)"
	$(BIN)/python tools/mutation_report.py $(if $(MUTATION_MIN),--min $(MUTATION_MIN))

lint: test-deps
	$(BIN)/ruff check portal tests alembic bench tools

clean-web:
	rm -rf .web
