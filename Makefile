# govtrack: `make run` serves the app, `make test` runs everything the tests need and the suite.
# Python packages come from the lock files in requirements/ (exact versions, checked by hash);
# `make lock` writes them again from pyproject.toml.
SHELL := /bin/bash
VENV := .venv
BIN := $(VENV)/bin
FLASK := $(BIN)/flask --app app
PYTHON ?= python3
GOVUK_ASSETS := static/govtrack.min.css static/govuk-frontend.min.js
PLOTLY := static/plotly-basic.min.js static/plotly.css
ASSET_MANIFEST := static/build/manifest.json
export PYTHONDONTWRITEBYTECODE := 1

.PHONY: run dev setup lock test lint format bench bench-http assets chromium postgres clean

$(BIN)/activate:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

# Exactly the locked versions, each checked against its hash; then govtrack itself, whose
# dependencies must all be in the lock (pip check: a dependency added to pyproject.toml without
# `make lock` stops here).
LOCK_HINT := echo "A dependency in pyproject.toml is not in the lock files: run 'make lock'." >&2; exit 1

$(VENV)/.installed: requirements/app.txt pyproject.toml | $(BIN)/activate
	$(BIN)/pip install --quiet --require-hashes -r requirements/app.txt
	$(BIN)/pip install --quiet --no-deps -e .
	$(BIN)/pip check >/dev/null || { $(BIN)/pip check; $(LOCK_HINT); }
	touch $@

$(VENV)/.installed-dev: requirements/dev.txt pyproject.toml | $(BIN)/activate
	$(BIN)/pip install --quiet --require-hashes -r requirements/dev.txt
	$(BIN)/pip install --quiet --no-deps -e .
	$(BIN)/pip check >/dev/null || { $(BIN)/pip check; $(LOCK_HINT); }
	touch $(VENV)/.installed $@

# The lock files, from pyproject.toml's dependencies and its dev extra, for every platform
# (the container's Linux too), keeping each locked version that still fits; pass
# LOCK_ARGS=--upgrade (or --upgrade-package holidays) to move to newer releases.
UV_COMPILE = $(BIN)/uv pip compile pyproject.toml --quiet --universal --python-version 3.11 \
	--generate-hashes --custom-compile-command "make lock" $(LOCK_ARGS)
lock: | $(BIN)/activate
	$(BIN)/pip install --quiet 'uv>=0.9,<0.14'
	@mkdir -p requirements
	$(UV_COMPILE) -o requirements/app.txt
	$(UV_COMPILE) --extra dev -c requirements/app.txt -o requirements/dev.txt

node_modules/.package-lock.json: package.json
	npm install --no-audit --no-fund --loglevel=error
	touch $@

static/govtrack.min.css: assets-src/govtrack.scss node_modules/.package-lock.json
	npx --no-install sass --no-source-map --style=compressed --quiet-deps --load-path=node_modules $< $@

static/govuk-frontend.min.js: node_modules/.package-lock.json
	cp node_modules/govuk-frontend/dist/govuk/govuk-frontend.min.js $@

# plotly.js's basic bundle (scatter, bar, pie: the trace types the charts use), the version the
# Python wheel draws figures for, served from static/ (never inlined, no CDN); and its own
# stylesheet, which it would otherwise inject inline (scripts/plotly_css.js).
PLOTLY_BUNDLE := node_modules/plotly.js-basic-dist-min/plotly-basic.min.js
static/plotly-basic.min.js: node_modules/.package-lock.json
	cp $(PLOTLY_BUNDLE) $@

static/plotly.css: node_modules/.package-lock.json scripts/plotly_css.js
	node scripts/plotly_css.js $(PLOTLY_BUNDLE) $@

# Every static file under a fingerprinted name with its gzip and brotli copies (static/build/).
$(ASSET_MANIFEST): $(GOVUK_ASSETS) $(PLOTLY) static/app.js static/charts.js static/favicon.svg scripts/build_assets.py $(VENV)/.installed
	$(BIN)/python scripts/build_assets.py

assets: $(GOVUK_ASSETS) $(PLOTLY) $(ASSET_MANIFEST)

setup: $(VENV)/.installed assets
	@mkdir -p instance
	$(FLASK) db upgrade
	$(FLASK) seed --if-empty
	@echo
	@echo "govtrack is at http://127.0.0.1:5000 - sign in at http://127.0.0.1:5000/sign-in"
	@echo "Demo accounts: admin@, clerk@, member@, officer@, scrutiny@example.org"
	@echo "(passwords are printed once, when the seed data is first loaded; reset one with"
	@echo " '$(FLASK) user set-password --email clerk@example.org')"
	@echo

# gunicorn, a production server, with gunicorn.conf.py (one process with threads unless
# RATELIMIT_STORAGE_URI names a shared store such as Redis).
run: setup
	$(BIN)/gunicorn

# Flask's development server with the reloader and debugger, for working on the code.
dev: setup
	$(FLASK) run --debug --host 127.0.0.1 --port 5000

# Debian's Chromium for the browser tests (Playwright cannot download its own browser here).
chromium:
	@command -v chromium >/dev/null || { apt-get update -qq && apt-get install -y -qq chromium; }

# PostgreSQL is required in CI; locally it is started if installed but stopped.
postgres:
	@pg_isready -q -h 127.0.0.1 -p 5432 || { command -v pg_ctlcluster >/dev/null && \
	  pg_ctlcluster --skip-systemctl-redirect $$(ls /etc/postgresql) main start && sleep 2; } || true

lint: $(VENV)/.installed-dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports

format: $(VENV)/.installed-dev
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

test: $(VENV)/.installed-dev assets chromium postgres lint
	$(BIN)/pytest $(PYTEST_ARGS)

# Then Lighthouse's mobile performance score of the public pages served by gunicorn
# (scripts/lighthouse.py; LIGHTHOUSE=0 leaves it out).
LIGHTHOUSE ?= 1
bench: $(VENV)/.installed-dev assets postgres chromium
	$(BIN)/python scripts/bench.py $(BENCH_ARGS)

# Requests per second over HTTP: the development server against gunicorn, same data, one run.
bench-http: $(VENV)/.installed-dev assets
	$(BIN)/python scripts/http_bench.py $(BENCH_HTTP_ARGS)
	@if [ "$(LIGHTHOUSE)" != 0 ]; then $(BIN)/python scripts/lighthouse.py; fi

clean:
	rm -rf $(VENV) node_modules static/govtrack.min.css static/govuk-frontend.min.js $(PLOTLY) static/build
