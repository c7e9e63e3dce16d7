# govtrack's image: gunicorn serving app:app as a non-root user, Python packages from the lock
# file (each checked by its hash), the GOV.UK Frontend assets built as `make assets` builds them.
# compose.yaml runs two of these behind Caddy, with PostgreSQL, Redis and the scheduler.

# The stylesheet and script (npm and sass are needed only to build them).
FROM node:20-bookworm-slim AS assets
WORKDIR /build
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund --loglevel=error
COPY assets-src ./assets-src
COPY scripts/plotly_css.js ./scripts/
RUN mkdir static \
 && npx --no-install sass --no-source-map --style=compressed --quiet-deps \
      --load-path=node_modules assets-src/govtrack.scss static/govtrack.min.css \
 && cp node_modules/govuk-frontend/dist/govuk/govuk-frontend.min.js static/ \
 && cp node_modules/plotly.js-basic-dist-min/plotly-basic.min.js static/ \
 && node scripts/plotly_css.js static/plotly-basic.min.js static/plotly.css

# Bookworm: its postgresql-client (15) matches compose.yaml's postgres:15 for `flask backup`
# (pg_dump must be of the server's version or newer).
FROM python:3.11-slim-bookworm
ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    PATH=/venv/bin:$PATH \
    FLASK_APP=app \
    GOVTRACK_BIND=0.0.0.0:8000 \
    GOVTRACK_INSTANCE=/data/instance \
    PAPERS_DIR=/data/papers \
    IMPORTS_DIR=/data/imports
WORKDIR /app

RUN apt-get update \
 && apt-get install -y --no-install-recommends postgresql-client \
 && rm -rf /var/lib/apt/lists/*

COPY requirements/app.txt requirements/app.txt
RUN python -m venv /venv && pip install --require-hashes -r requirements/app.txt

COPY pyproject.toml README.md alembic.ini app.py gunicorn.conf.py ./
COPY govtrack govtrack
COPY migrations migrations
COPY templates templates
COPY seed seed
COPY static static
COPY --from=assets /build/static/ static/
COPY scripts/build_assets.py scripts/build_assets.py
# govtrack itself, editable (it finds templates/, static/ and migrations/ beside its package);
# the static files fingerprinted and compressed as `make assets` does it.
RUN pip install --no-deps -e . \
 && python scripts/build_assets.py \
 && useradd --system --uid 10001 --home-dir /app --shell /usr/sbin/nologin govtrack \
 && mkdir -p /data/instance /data/papers /data/imports /backups \
 && chown -R govtrack /data /backups

USER govtrack
VOLUME ["/data"]
EXPOSE 8000
HEALTHCHECK --interval=10s --timeout=3s --start-period=30s \
  CMD ["python", "-c", "import urllib.request; urllib.request.urlopen('http://127.0.0.1:8000/healthz', timeout=2)"]
# Migrations run once however many instances start together (a PostgreSQL advisory lock).
CMD ["sh", "-c", "flask db upgrade && exec gunicorn"]
