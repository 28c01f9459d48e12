# Two commands: `make run` (try it locally) and `make test` (the whole suite).
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
MANAGE := $(BIN)/python manage.py
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run test lint install bench

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

# Reinstall whenever pyproject.toml changes.
$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet --upgrade pip
	@# Whoosh 2.7.4 gave way to the fork whoosh-reloaded, which installs the same files: remove
	@# both from an older .venv before installing, or removing the old one would break the new.
	@if $(BIN)/python -m pip show --quiet Whoosh 2>/dev/null; then \
		$(BIN)/python -m pip uninstall --quiet -y Whoosh whoosh-reloaded; fi
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $@

install: $(VENV)/.installed

run: export DJANGO_DEBUG ?= 1
run: install
	$(MANAGE) migrate --noinput
	$(MANAGE) setup_roles
	$(MANAGE) load_demo
	$(MANAGE) rebuild_index --noinput
	$(MANAGE) ensure_admin --url http://$(HOST):$(PORT)/admin/
	$(MANAGE) runserver $(HOST):$(PORT)

# pytest exits 5 when it collected nothing: that is a failure here, never a silent pass.
test: install
	@$(BIN)/pytest $(PYTEST_ARGS); status=$$?; \
	if [ $$status -eq 5 ]; then echo "make test: no tests were collected" >&2; exit 1; fi; \
	exit $$status

# Benchmarks: the import of one issue, search at 10,000 and 50,000 articles (about 5 and 20
# minutes; figures in bench/results-*.md and the README), then the public pages under load:
# gunicorn and wrk on PostgreSQL (DATABASE_URL, default the database bulletin_pagebench on
# loopback), 10,000 articles, 15-25 minutes the first time (PAGES_ARGS="--articles 50000" for
# the whole archive, "--quick" for 3 s a point); results in bench/results/. Fails when a target
# is missed.
PAGES_ARGS ?=
bench: install
	$(BIN)/python bench/import_issue.py
	$(BIN)/python bench/issue_pdf.py
	$(BIN)/python bench/distribution_export.py
	$(BIN)/python bench/search.py --articles 10000
	$(BIN)/python bench/search.py --articles 50000
	$(BIN)/python bench/search.py --articles 10000 --prose
	$(BIN)/python bench/search.py --articles 50000 --prose
	$(BIN)/python bench/pages.py $(PAGES_ARGS)

# ruff, then the layer contract in pyproject.toml (nothing imports a higher layer).
lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports --no-logo --no-cache
