# GitInsight — one command to run it, one to test it. Needs only Python 3.11 (and npm for
# the test fixtures); everything else is installed into .venv.
PYTHON ?= python3.11
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
HOST ?= 127.0.0.1
PORT ?= 8000
DEMO_REPO ?= .

.PHONY: venv demo serve run worker test test-slow lint migrate fixtures browser redis clean-db

$(STAMP): requirements.txt requirements-dev.txt
	@command -v $(PYTHON) >/dev/null 2>&1 || { echo "GitInsight needs $(PYTHON) on PATH"; exit 2; }
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements-dev.txt
	touch $(STAMP)

venv: $(STAMP)

migrate: venv
	$(PY) manage.py migrate --noinput
	$(PY) manage.py createcachetable

fixtures:
	scripts/fetch_fixtures.sh

# Browser tests drive Debian's Chromium (Playwright downloads no browser of its own).
browser:
	@test -x /usr/bin/chromium || scripts/install_chromium.sh

# The Redis broker's tests (and bench_jobs) start Debian's redis-server on loopback.
redis:
	@command -v redis-server >/dev/null 2>&1 || test -x /usr/bin/redis-server || scripts/install_redis.sh

lint: venv
	$(VENV)/bin/ruff check .
	$(VENV)/bin/lint-imports

test: venv fixtures browser redis
	$(VENV)/bin/ruff check .
	$(VENV)/bin/lint-imports
	$(PY) -m pytest -m "not heavy"

# The long load and fault runs (worker killed mid-job, database restart, API load).
test-slow: venv fixtures redis
	$(PY) -m pytest -m heavy

# Set up everything, then serve the admin on http://$(HOST):$(PORT)/admin/ with the worker running.
demo: migrate
	$(PY) manage.py collectstatic --noinput --verbosity 0
	$(PY) manage.py demo_superuser
	$(PY) manage.py demo_prepare --repo "$(DEMO_REPO)"
	@echo "GitInsight is starting on http://$(HOST):$(PORT)/admin/ (Ctrl-C stops the server and the worker)"
	$(PY) scripts/serve.py $(HOST):$(PORT)

# The production stack on this machine: gunicorn (static files by WhiteNoise) and the job
# worker with its scheduler; SIGTERM or Ctrl-C stops both (and the embedded database).
serve: migrate
	$(PY) manage.py collectstatic --noinput --verbosity 0
	$(PY) scripts/serve.py $(HOST):$(PORT)

# Django's development server (autoreload), for working on the code.
run: migrate
	$(PY) manage.py runserver $(HOST):$(PORT)

worker: migrate
	$(PY) manage.py qcluster

clean-db:
	rm -rf .data/postgres
