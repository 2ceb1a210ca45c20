# A thin shell over `python -m generator …`: no logic lives here that the package cannot run.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed

.PHONY: venv runtime site test update serve bench lint linkcheck clean publish-dry-run

$(STAMP): pyproject.toml requirements.lock requirements/pip.lock requirements/dev.lock
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	@$(PY) -m pip install --quiet --require-hashes -r requirements/pip.lock
	@$(PY) -m pip install --quiet --require-hashes --no-deps -r requirements/dev.lock
	@$(PY) -m pip install --quiet --no-deps --no-build-isolation -e .
	@touch $(STAMP)

## The nightly update's environment: runtime dependencies only, each file checked by its hash
## (no test extras, and no build of the project: it runs as `python -m generator` from here).
runtime:
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	@$(PY) -m pip install --quiet --require-hashes -r requirements/pip.lock
	@$(PY) -m pip install --quiet --require-hashes --no-deps -r requirements/runtime.lock

## Create .venv and install the pinned dependencies (CI calls this before anything else).
venv: $(STAMP)

## Build the whole site offline from the store (imports the snapshot on first run).
site: $(STAMP)
	@$(PY) -m generator site

## The whole test suite, including headless Chromium (README: which browser), on every
## core (pytest-xdist: one worker per core; the built site is shared, see tests/conftest.py).
test: $(STAMP)
	@$(PY) -m pytest -n auto

## Refresh the store from the live feeds (the only command that uses the network).
update: $(STAMP)
	@$(PY) -m generator update

## Live preview of the built site on http://127.0.0.1:8000/
serve: $(STAMP)
	@$(PY) -m generator serve

## Build time by stage, page weights, Lighthouse.
bench: $(STAMP)
	@$(PY) -m generator bench

## ruff on the Python, ESLint on the site's JavaScript (npm; installed into .bench/ on first use).
lint: $(STAMP)
	@$(VENV)/bin/ruff check generator tests
	@$(PY) -m generator lint-js

## Every internal link and #anchor of the built site resolves (external URLs listed, not fetched).
linkcheck: $(STAMP)
	@$(PY) -m generator linkcheck

## The nightly publish sequence, offline, without upload/deploy: leaves a deployable site/.
publish-dry-run: $(STAMP)
	@$(PY) -m generator publish-dry-run

clean:
	rm -rf site build data/cache
