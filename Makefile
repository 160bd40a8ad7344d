# The two public commands: `make run` and `make test` (DESIGN.md, public contracts).
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
VENDOR := static/vendor/.installed
PYTEST_ARGS ?=

.PHONY: run test install assets lint migrate seed worker beat messages clean-db bench

$(STAMP): requirements.txt requirements-dev.txt
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "Python >= 3.11 is needed (found %s)" % sys.version.split()[0])'
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	@$(PY) -m pip install --quiet --disable-pip-version-check -r requirements-dev.txt
	@touch $@

$(VENDOR): package.json package-lock.json scripts/vendor.sh
	@bash scripts/vendor.sh
	@if [ -d static/vendor ]; then touch $@; fi

install: $(STAMP) $(VENDOR)

assets: $(VENDOR)

migrate: install
	@mkdir -p var
	@$(PY) manage.py migrate --noinput -v 0

seed: migrate
	@$(PY) manage.py seed_demo --if-empty

run: seed
	@$(PY) manage.py runserver 127.0.0.1:8000

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

test: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	DJANGO_SETTINGS_MODULE=qcdc_portal.settings_test $(PY) manage.py check --fail-level WARNING
	DJANGO_SETTINGS_MODULE=qcdc_portal.settings_test $(PY) manage.py makemigrations --check --dry-run
	$(VENV)/bin/pytest $(PYTEST_ARGS)


worker: install
	$(VENV)/bin/celery -A qcdc_portal worker -l info

beat: install
	$(VENV)/bin/celery -A qcdc_portal beat -l info

messages: install
	$(PY) manage.py makemessages -l en --ignore=.venv --ignore=node_modules --ignore=static
	$(PY) manage.py compilemessages -l en --ignore=.venv

# The benchmark (DESIGN.md public contracts): PostgreSQL at BENCH_DATABASE_URL (default
# postgres://postgres@127.0.0.1:5432/qcdc_bench, created if absent); writes bench/RESULTS.md.
# BENCH_SCALE=national for the big dataset; bench/README.md lists the other settings.
BENCH_SCALE ?= province

bench: install
	BENCH_SCALE=$(BENCH_SCALE) $(PY) bench/run.py
