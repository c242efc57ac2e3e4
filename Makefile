# Two commands on a fresh machine: `make run` and `make test` (see README.md).
SHELL := /bin/bash
.SHELLFLAGS := -euo pipefail -c
.DEFAULT_GOAL := help

PORT ?= 8000
# uv on PATH if there is one, else a project-local copy that the first run installs.
UV := $(or $(shell command -v uv 2>/dev/null),$(CURDIR)/.local/uv/bin/uv)
# Python 3.13 comes from pyenv through .python-version; uv must never fetch one of its own.
export UV_PYTHON_DOWNLOADS := never
# pyenv's shims, when pyenv is installed but not on PATH (a bare `env -i` shell, cron, CI).
PYENV_SHIMS := $(wildcard $(or $(PYENV_ROOT),$(HOME)/.pyenv)/shims)
ifneq ($(PYENV_SHIMS),)
export PATH := $(PYENV_SHIMS):$(PATH)
endif
MANAGE := $(UV) run --frozen --no-sync python manage.py

.PHONY: help run serve test bootstrap deps db-start db-stop admin lint format chromium axe demo

help:
	@echo "make run       install what is missing, start the local database, load the demo catalog, serve :$(PORT)"
	@echo "make test      the same bootstrap, then lint and the whole test suite (unit, integration, browser)"
	@echo "make serve     as make run, but served as in production: gunicorn, DEBUG off, hashed static files"
	@echo "make admin     create a staff account for the Django admin"
	@echo "make db-stop   stop the project-local PostgreSQL"

$(CURDIR)/.local/uv/bin/uv:
	@echo "uv not found: installing it into .local/uv"
	python3 -m pip install --quiet --disable-pip-version-check --target $(CURDIR)/.local/uv uv

deps: $(UV)
	$(UV) sync --locked

# With DATABASE_URL set, that server is used and none is started.
db-start: deps
	@if [ -z "$${DATABASE_URL:-}" ]; then $(UV) run --frozen --no-sync python -m config.localdb start; \
	else echo "Using the database at DATABASE_URL"; fi

db-stop: deps
	$(UV) run --frozen --no-sync python -m config.localdb stop

bootstrap: db-start
	$(MANAGE) migrate --noinput
	$(MANAGE) collectstatic --noinput --verbosity 0

demo: bootstrap
	$(MANAGE) load_demo_catalog
	$(MANAGE) load_demo_manga
	$(MANAGE) load_demo_people
	$(MANAGE) seed_demo
	$(MANAGE) rank_anime
	$(MANAGE) seed_demo_lists
	$(MANAGE) recommend_anime

run: demo
	DEBUG=$${DEBUG:-true} $(MANAGE) runserver 127.0.0.1:$(PORT)

# Production's settings on plain HTTP: only the front web server's TLS is missing, so no
# redirect to https:// and cookies without the Secure flag (docs/deploy.md adds both back).
serve: demo
	@echo "Serving http://127.0.0.1:$(PORT) with gunicorn (Ctrl-C stops it)"
	DEBUG=false SECURE_SSL_REDIRECT=false SECURE_COOKIES=false SECURE_HSTS_SECONDS=0 PORT=$(PORT) \
		$(UV) run --frozen --no-sync gunicorn -c config/gunicorn.conf.py

admin: bootstrap
	$(MANAGE) createsuperuser

chromium:
	@scripts/ensure-chromium.sh

# axe-core, the accessibility checker the browser tests inject, pinned in package-lock.json.
axe:
	@scripts/ensure-axe.sh

lint: deps
	$(UV) run --frozen --no-sync ruff check .
	$(UV) run --frozen --no-sync ruff format --check .

format: deps
	$(UV) run --frozen --no-sync ruff format .
	$(UV) run --frozen --no-sync ruff check --fix .

test: bootstrap chromium axe lint
	$(MANAGE) makemigrations --check --dry-run
	$(UV) run --frozen --no-sync pytest
