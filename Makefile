# Sinergi: `make run` serves the demo, `make test` runs the whole suite. See README.md.
SHELL := /bin/bash
PORT ?= 8000
VENV ?= .venv
PY := $(VENV)/bin/python
PYTHON ?= $(shell command -v python3.12 || command -v python3)
export DJANGO_SETTINGS_MODULE ?= config.settings.local

.PHONY: run test install install-dev migrate demo lint format typecheck catalogues bench worker schedule clean

$(VENV)/.installed: pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 12) else "Sinergi needs Python 3.12 or newer (pyenv: `pyenv install 3.12`).")'
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -e .
	@touch $@

$(VENV)/.installed-dev: $(VENV)/.installed
	$(PY) -m pip install -q -e '.[dev]'
	@touch $@

install: $(VENV)/.installed
	@scripts/system-deps.sh run
	@$(PY) manage.py compile_catalogues >/dev/null

install-dev: $(VENV)/.installed-dev
	@scripts/system-deps.sh test
	@$(PY) manage.py compile_catalogues >/dev/null

migrate: install
	$(PY) manage.py migrate --no-input -v0

demo: migrate
	$(PY) manage.py load_demo

run: demo
	@echo ""
	@echo "Sinergi is serving on http://127.0.0.1:$(PORT)/ (stop with Ctrl+C)"
	$(PY) manage.py runserver 127.0.0.1:$(PORT) --noreload

# The suite runs on every core (pytest-xdist); `make test PYTEST_WORKERS=0` runs it in one process.
PYTEST_WORKERS ?= auto
test: install-dev
	DJANGO_SETTINGS_MODULE=config.settings.test $(VENV)/bin/pytest -n $(PYTEST_WORKERS) $(PYTEST_ARGS)

lint: install-dev
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	DJANGO_SETTINGS_MODULE=config.settings.test $(VENV)/bin/mypy sinergi config
	DJANGO_SETTINGS_MODULE=config.settings.test $(VENV)/bin/lint-imports
	DJANGO_SETTINGS_MODULE=config.settings.test $(PY) manage.py makemigrations --check --dry-run
	DJANGO_SETTINGS_MODULE=config.settings.test $(PY) manage.py check_catalogues

format: install-dev
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

worker: install
	$(PY) manage.py db_worker

schedule: install
	$(PY) manage.py run_schedule

bench: install-dev
	@scripts/system-deps.sh bench
	DJANGO_SETTINGS_MODULE=config.settings.bench $(PY) -m bench.run

clean:
	rm -rf $(VENV) var staticfiles
