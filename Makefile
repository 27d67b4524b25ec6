# The two commands that matter: `make run` and `make test`. `make help` lists the rest.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
export PORTAL_ENV ?= development
# The translated languages, from their one list in portal/domain/languages.py.
LANGUAGES = $(shell $(BIN)/python -c 'from portal.domain.languages import TRANSLATED; print(*TRANSLATED)')

.DEFAULT_GOAL := help

.PHONY: help
help: ## List the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  %-16s %s\n", $$1, $$2}'

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $(STAMP)

.PHONY: install
install: $(STAMP) ## Create .venv and install the portal with its development tools

.PHONY: translations
translations: $(STAMP) ## Compile the translation catalogues
	$(BIN)/pybabel compile --use-fuzzy -d translations -D messages --statistics 2>&1 | grep -v '^$$' || true
	@$(BIN)/pybabel compile -d translations -D messages > /dev/null

.PHONY: extract
extract: $(STAMP) ## Extract strings to translations/messages.pot and update every catalogue
	$(BIN)/pybabel extract -F babel.cfg --no-location --sort-output --omit-header \
		-k N_ -k _l -k lazy_gettext -k lazy_ngettext:1,2 -o translations/messages.pot .
	for lang in $(LANGUAGES); do \
		$(BIN)/pybabel update -i translations/messages.pot -d translations -l $$lang --no-fuzzy-matching --ignore-obsolete; \
	done

instance/portal.sqlite3: | $(STAMP)
	mkdir -p instance
	$(BIN)/flask --app portal db upgrade
	$(BIN)/flask --app portal seed-demo > /dev/null

.PHONY: db
db: instance/portal.sqlite3 ## Create the demo SQLite database (migrations, then fictional data)

.PHONY: run
run: $(STAMP) translations db ## Serve the demo portal on http://127.0.0.1:5000
	@$(BIN)/flask --app portal db upgrade
	@$(BIN)/flask --app portal seed-demo
	@echo
	$(BIN)/flask --app portal run --host 127.0.0.1 --port 5000

.PHONY: lint
lint: $(STAMP) ## ruff, mypy, and the architecture's import contracts
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy
	$(BIN)/lint-imports --no-cache

.PHONY: test
test: $(STAMP) translations lint ## Lint, type-check and run the whole test suite
	PORTAL_ENV=test $(BIN)/pytest -q

.PHONY: bench
bench: $(STAMP) translations ## Measure throughput and page weight (see bench/README.md)
	PORTAL_ENV=test $(BIN)/python bench/run.py

.PHONY: clean
clean: ## Remove the virtualenv, the demo database and compiled catalogues
	rm -rf $(VENV) instance translations/*/LC_MESSAGES/*.mo
