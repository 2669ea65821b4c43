# The README's commands. `make help` lists them.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PORT ?= 8000

.DEFAULT_GOAL := help
.PHONY: help run test lint format messages clean

help: ## List the commands
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-10s %s\n", $$1, $$2}'

$(VENV)/bin/python:
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else 1)' \
		|| { echo "Python 3.11 or newer is needed (found: $$($(PYTHON) --version))."; exit 1; }
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip

# Installed again only when the pinned requirements change.
$(VENV)/.requirements: requirements.txt | $(VENV)/bin/python
	$(PY) -m pip install --quiet -r requirements.txt
	@touch $@

$(VENV)/.requirements-dev: requirements.txt requirements-dev.txt | $(VENV)/bin/python
	$(PY) -m pip install --quiet -r requirements-dev.txt
	@touch $@ $(VENV)/.requirements

run: $(VENV)/.requirements ## Build the SQLite demo database and serve http://127.0.0.1:8000
	$(PY) manage.py migrate --verbosity 0
	$(PY) manage.py load_demo_data
	$(PY) manage.py runserver 127.0.0.1:$(PORT)

test: $(VENV)/.requirements-dev ## Lint, then the whole suite: SQLite, a throwaway PostgreSQL, Chromium
	bash scripts/test-all

lint: $(VENV)/.requirements-dev ## ruff and makemigrations --check
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	DJANGO_SETTINGS_MODULE=napwps.settings.test $(PY) manage.py makemigrations --check --dry-run

format: $(VENV)/.requirements-dev ## Format the code with ruff
	$(VENV)/bin/ruff format .
	$(VENV)/bin/ruff check --fix .

messages: $(VENV)/.requirements-dev ## Update locale/*.po and compile them (needs gettext)
	$(PY) manage.py makemessages --locale vi --locale en --ignore '.venv/*' --no-obsolete
	$(PY) manage.py compilemessages --ignore '.venv/*'

clean: ## Remove the virtualenv and the demo database
	rm -rf $(VENV) db.sqlite3 staticfiles
