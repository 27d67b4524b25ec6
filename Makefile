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
	@# Which languages are ready for families' and staff pages, measured once here.
	@$(BIN)/python -c 'from pathlib import Path; from portal.domain.languages import write_readiness; r = write_readiness(Path("translations")); print("Offered to families:", *r.families); print("Offered on staff pages:", *r.staff)'

.PHONY: extract
extract: $(STAMP) ## Extract strings to translations/messages.pot and update every catalogue
	$(BIN)/pybabel extract -F babel.cfg --no-location --sort-output --omit-header \
		-k N_ -k _l -k lazy_gettext -k lazy_ngettext:1,2 -o translations/messages.pot .
	$(BIN)/pybabel extract -F babel-public.cfg --add-location=file --sort-output --omit-header \
		-k N_ -k _l -k lazy_gettext -k lazy_ngettext:1,2 -o translations/public.pot .
	for lang in $(LANGUAGES); do \
		test -f translations/$$lang/LC_MESSAGES/messages.po || \
			$(BIN)/pybabel init -i translations/messages.pot -d translations -l $$lang; \
		$(BIN)/pybabel update -i translations/messages.pot -d translations -l $$lang --no-fuzzy-matching --ignore-obsolete; \
	done

.PHONY: translation-pack
translation-pack: $(STAMP) ## A spreadsheet of one language's messages for a translator (LANG=ps)
	@test -n "$(LANG)" || (echo "Say which language: make translation-pack LANG=ps" && exit 2)
	LANG=C.UTF-8 $(BIN)/flask --app portal translation-pack --language $(LANG)

.PHONY: read-translation-pack
read-translation-pack: $(STAMP) ## Read a filled-in pack back (LANG=ps FILE=translation-pack-ps.csv)
	@test -n "$(LANG)" -a -n "$(FILE)" || (echo "make read-translation-pack LANG=ps FILE=..." && exit 2)
	LANG=C.UTF-8 $(BIN)/flask --app portal read-translation-pack --language $(LANG) $(FILE)
	LANG=C.UTF-8 $(MAKE) translations

instance/portal.sqlite3: | $(STAMP)
	mkdir -p instance
	@# Silent: these need PORTAL_ENV=development, which this Makefile sets, so printed
	@# they would not work as printed in another shell. `make run` prints the sign-in guide.
	@echo "Creating the demo database, instance/portal.sqlite3, with fictional people."
	@$(BIN)/flask --app portal db upgrade
	@$(BIN)/flask --app portal seed-demo > /dev/null

.PHONY: db
db: instance/portal.sqlite3 ## Create the demo SQLite database (migrations, then fictional data)

# Stop `make run` first: the server would keep the deleted file open.
.PHONY: reset-demo
reset-demo: $(STAMP) ## Delete the demo database and create it again (development only)
	@if [ "$$PORTAL_ENV" != development ]; then \
		echo "make reset-demo deletes the demo database, so it runs only with PORTAL_ENV=development." >&2; \
		exit 1; \
	fi
	@if [ -n "$$DATABASE_URL" ]; then \
		echo "make reset-demo only resets the demo database in instance/. DATABASE_URL is set, so nothing was deleted." >&2; \
		exit 1; \
	fi
	@rm -f instance/portal.sqlite3 instance/portal.sqlite3-* instance/queue.sqlite3 instance/queue.sqlite3-*
	@echo "Deleted the demo database and its queue of messages."
	@$(MAKE) --no-print-directory db
	@echo "The demo database is new. Run make run to serve it and see how to sign in."

.PHONY: demo-code
demo-code: $(STAMP) ## Print the demo staff accounts' current authenticator code
	@$(BIN)/flask --app portal demo-code

.PHONY: run
run: $(STAMP) translations db ## Serve the demo portal on http://127.0.0.1:5000, with its worker
	@$(BIN)/flask --app portal db upgrade
	@$(BIN)/flask --app portal seed-demo
	@echo
	@# The worker sends queued emails and texts; it stops when the server stops.
	@$(BIN)/flask --app portal worker & worker=$$!; \
	trap 'kill $$worker 2>/dev/null; wait $$worker 2>/dev/null' EXIT; \
	$(BIN)/flask --app portal run --host 127.0.0.1 --port 5000

.PHONY: worker
worker: $(STAMP) db ## Run only the worker that sends queued emails, texts and safety alerts
	@$(BIN)/flask --app portal worker

.PHONY: lint
lint: $(STAMP) ## ruff, mypy, and the architecture's import contracts
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy
	$(BIN)/lint-imports --no-cache

# The suite runs in parallel, a worker a core (TEST_WORKERS=0 runs it in one process),
# each test file on one worker (pyproject.toml), each worker on its own database.
TEST_WORKERS ?= auto
.PHONY: test
test: $(STAMP) translations lint ## Lint, type-check and run the whole test suite
	PORTAL_ENV=test $(BIN)/pytest -q -n $(TEST_WORKERS)

# `make bench` measures on SQLite, and on PostgreSQL too when DATABASE_URL names it (in a
# scratch database it makes beside that one). BENCH_ARGS passes flags: see bench/README.md.
.PHONY: bench
bench: $(STAMP) translations ## Page cost as ratios to bare Flask, page weight, the phone's view (see bench/README.md)
	PORTAL_ENV=test $(BIN)/python bench/run.py $(BENCH_ARGS)

# `make load-test N=1000 DATABASE_URL=postgresql://postgres@127.0.0.1/portal`: N children
# sign in and send their consultations at once, against PostgreSQL (REDIS_URL optional).
N ?= 200
.PHONY: load-test
load-test: $(STAMP) translations ## N children sign in and send at once, on PostgreSQL (N=200 DATABASE_URL=postgresql://...)
	@if [ -z "$$DATABASE_URL" ]; then \
		echo "make load-test runs on PostgreSQL: set DATABASE_URL=postgresql://user@host/db (a scratch database is made beside it)." >&2; \
		exit 1; \
	fi
	PORTAL_ENV=test $(BIN)/python bench/load_test.py --children $(N) $(LOAD_ARGS)

.PHONY: clean
clean: ## Remove the virtualenv, the demo database and compiled catalogues
	rm -rf $(VENV) instance translations/*/LC_MESSAGES/*.mo
