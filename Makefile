# govtrack: `make run` serves the app, `make test` runs everything the tests need and the suite.
SHELL := /bin/bash
VENV := .venv
BIN := $(VENV)/bin
FLASK := $(BIN)/flask --app app
PYTHON ?= python3
GOVUK_ASSETS := static/govtrack.min.css static/govuk-frontend.min.js
PLOTLY_JS := static/plotly.min.js
export PYTHONDONTWRITEBYTECODE := 1

.PHONY: run test lint format bench assets chromium postgres clean

$(BIN)/activate:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

$(VENV)/.installed: pyproject.toml | $(BIN)/activate
	$(BIN)/pip install --quiet -e .
	touch $@

$(VENV)/.installed-dev: pyproject.toml | $(BIN)/activate
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $(VENV)/.installed $@

node_modules/.package-lock.json: package.json
	npm install --no-audit --no-fund --loglevel=error
	touch $@

static/govtrack.min.css: assets-src/govtrack.scss node_modules/.package-lock.json
	npx --no-install sass --no-source-map --style=compressed --quiet-deps --load-path=node_modules $< $@

static/govuk-frontend.min.js: node_modules/.package-lock.json
	cp node_modules/govuk-frontend/dist/govuk/govuk-frontend.min.js $@

# plotly.js from the installed Python wheel, served once from static/ (never inlined, no CDN).
$(PLOTLY_JS): $(VENV)/.installed
	cp "$$($(BIN)/python -c 'import pathlib, plotly; print(pathlib.Path(plotly.__file__).parent / "package_data" / "plotly.min.js")')" $@

assets: $(GOVUK_ASSETS) $(PLOTLY_JS)

run: $(VENV)/.installed assets
	@mkdir -p instance
	$(FLASK) db upgrade
	$(FLASK) seed --if-empty
	@echo
	@echo "govtrack is at http://127.0.0.1:5000 - sign in at http://127.0.0.1:5000/sign-in"
	@echo "Demo accounts: admin@, clerk@, member@, officer@, scrutiny@example.org"
	@echo "(passwords are printed once, when the seed data is first loaded; reset one with"
	@echo " '$(FLASK) user set-password --email clerk@example.org')"
	@echo
	$(FLASK) run --host 127.0.0.1 --port 5000

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

bench: $(VENV)/.installed-dev assets postgres
	$(BIN)/python scripts/bench.py $(BENCH_ARGS)

clean:
	rm -rf $(VENV) node_modules static/govtrack.min.css static/govuk-frontend.min.js $(PLOTLY_JS)
