# Forebyggingshåndboka. Quick start: `make html`, then `make test` (see README.md).
SHELL := /bin/bash
PYTHON ?= python3
KOMMUNE ?= sor-aurdal
# new and import read these from the environment, so a name with quotes or $ reaches them unparsed.
export KOMMUNE NAVN SPRAAK FIL
VENV := .venv
PY := $(VENV)/bin/python
RUN := PYTHONPATH=extensions $(PY)

# KOMMUNE is a slug, checked before anything runs: it becomes a path (_data/<slug>, _build/<slug>)
# and a command-line argument. The raw value (never expanded as make syntax) must consist of
# a-z, 0-9 and '-' and name a folder with a plan.yaml in _data/.
override KOMMUNE := $(value KOMMUNE)
SLUGS := $(sort $(patsubst _data/%/plan.yaml,%,$(wildcard _data/*/plan.yaml)))
SLUG_CHARS := a b c d e f g h i j k l m n o p q r s t u v w x y z 0 1 2 3 4 5 6 7 8 9 -
strip_chars = $(if $(2),$(call strip_chars,$(subst $(firstword $(2)),,$(1)),$(wordlist 2,$(words $(2)),$(2))),$(1))
SLUG_BAD :=
ifneq "$(KOMMUNE)" "$(strip $(KOMMUNE))"
SLUG_BAD := yes
endif
ifneq "$(words $(KOMMUNE))" "1"
SLUG_BAD := yes
endif
ifneq "$(call strip_chars,$(KOMMUNE),$(SLUG_CHARS))$(filter -%,$(KOMMUNE))" ""
SLUG_BAD := yes
endif
ifeq ($(SLUG_BAD),yes)
$(error KOMMUNE '$(KOMMUNE)' is not a municipality slug (lowercase letters a-z, digits and '-', starting with a letter or digit); valid slugs: $(SLUGS))
else ifeq ($(filter $(KOMMUNE),$(SLUGS))$(filter new,$(MAKECMDGOALS)),)
# (make new creates the folder: there the slug must be new, which the command itself checks)
$(error KOMMUNE '$(KOMMUNE)': no such municipality in _data/; valid slugs: $(SLUGS))
endif

.PHONY: new import all html check report site serve system-deps system-deps-browser test test-fast lint schemas lock clean help bench weight translations workshop

help:
	@echo "make html    build _build/\$$KOMMUNE/html (KOMMUNE=$(KOMMUNE))"
	@echo "make all     build every municipality in _data/ into _build/<slug>/html, and _build/index.html"
	@echo "make new     start a plan: make new KOMMUNE=<slug> NAVN=\"<Kommunenavn>\" [SPRAAK=nn]"
	@echo "make import  read an edited workbook into _data/\$$KOMMUNE: make import KOMMUNE=<slug> FIL=<file.xlsx>"
	@echo "make check   validate _data/ and print what was found, with the traceability gaps (STRICT=1: fail on any)"
	@echo "make report  build, then print the traceability report to _build/\$$KOMMUNE/report/ (PDF)"
	@echo "make site    current + every tagged plan version into _build/\$$KOMMUNE/site (BASE=/ url path)"
	@echo "make serve   live preview on http://127.0.0.1:8000"
	@echo "make workshop  the exercises and the reflection aid for \$$KOMMUNE in the browser, offline (Voilà on 127.0.0.1)"
	@echo "make test    install test needs (Chromium, graphviz, pango, fonts), lint, and run all tests"
	@echo "make test-fast  lint, and run the tests that need no handbook build"
	@echo "make lint    ruff check and ruff format --check"
	@echo "make schemas regenerate schemas/ from the data model"
	@echo "make translations  update the pages' nynorsk catalogues, list what is untranslated or stale"
	@echo "make bench   build times, memory, page weight (BENCH=--quick: N = 100, 500 only)"
	@echo "make weight  build \$$KOMMUNE and print what a first visit downloads, against the budgets"
	@echo "make clean   remove _build/"

# The lock pins the dependencies; the project itself (forebygging and widgets) is installed editable on top.
$(VENV)/.docs: requirements/docs.lock pyproject.toml
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --disable-pip-version-check -r requirements/docs.lock
	$(PY) -m pip install -q --disable-pip-version-check --no-deps -e .
	@touch $@

$(VENV)/.test: requirements/test.lock $(VENV)/.docs
	$(PY) -m pip install -q --disable-pip-version-check -r requirements/test.lock
	@touch $@

# Voilà for make workshop (requirements/test.lock holds the same pins, so the tests can start it too).
$(VENV)/.workshop: requirements/workshop.lock $(VENV)/.docs
	$(PY) -m pip install -q --disable-pip-version-check -r requirements/workshop.lock
	@touch $@

# System packages first: a missing one stops the build before anything is created.
html: system-deps $(VENV)/.docs
	$(RUN) -m forebygging build --kommune '$(KOMMUNE)'

# Every plan, one build process per core (builds share no files).
all: system-deps $(VENV)/.docs
	$(RUN) -m forebygging all

# A new plan: make new KOMMUNE=<slug> NAVN="<Kommunenavn>" [SPRAAK=nn]. The values reach the
# command through the environment, never through the shell's parsing of the command line.
new: $(VENV)/.docs
	@test -n "$$NAVN" || { echo 'make new: give NAVN="<Kommunenavn>"' >&2; exit 2; }
	$(RUN) -m forebygging new --kommune="$$KOMMUNE" --navn="$$NAVN" --spraak="$${SPRAAK:-nb}"

# Read a workbook (exported, then edited) back into _data/<slug>/: make import KOMMUNE=<slug> FIL=<file.xlsx>
import: $(VENV)/.docs
	@test -n "$$FIL" || { echo 'make import: give FIL=<workbook.xlsx>' >&2; exit 2; }
	$(RUN) -m forebygging import --kommune="$$KOMMUNE" --file="$$FIL"

check: $(VENV)/.docs
	$(RUN) -m forebygging check --kommune '$(KOMMUNE)' $(if $(filter 1 yes true,$(STRICT)),--strict)

report: system-deps $(VENV)/.docs
	$(RUN) -m forebygging report --kommune '$(KOMMUNE)'

# The current version and every tagged one (git tags plan/<slug>/<version>), with a switcher.
site: system-deps $(VENV)/.docs
	$(RUN) -m forebygging site --kommune '$(KOMMUNE)' $(if $(BASE),--base '$(subst ','\'',$(BASE))')

serve: system-deps $(VENV)/.docs
	$(RUN) -m forebygging serve --kommune '$(KOMMUNE)'

# The notebooks for trainers, served by Voilà on 127.0.0.1 with a token, opened on the exercises for
# $KOMMUNE in the plan's language; nothing is fetched from outside the machine (cli/workshop.py).
workshop: $(VENV)/.workshop
	$(RUN) -m forebygging workshop --kommune '$(KOMMUNE)'

# graphviz, pango and fonts (and with -browser Chromium), installed when missing; see the script.
system-deps:
	@$(SHELL) scripts/system-deps.sh

system-deps-browser:
	@$(SHELL) scripts/system-deps.sh --browser

# One pytest-xdist worker per core (TEST_WORKERS=0: one process). Each test file runs whole in one
# worker (its module fixtures are made once), and the workers build each handbook once between them
# (tests/conftest.py).
TEST_WORKERS ?= auto
PARALLEL := -n $(TEST_WORKERS) --dist loadfile

test: system-deps-browser lint
	$(VENV)/bin/pytest $(PARALLEL)

# What needs no handbook build (tests that build one are marked slow automatically, tests/conftest.py).
test-fast: lint
	$(VENV)/bin/pytest $(PARALLEL) -m "not slow"

LINTED := extensions widgets tests conf.py benchmarks
lint: $(VENV)/.test
	$(VENV)/bin/ruff check $(LINTED)
	$(VENV)/bin/ruff format --check $(LINTED)

# Build times, memory, incremental and -j 2 builds, page weight; prints one table.
bench: system-deps-browser $(VENV)/.test
	$(RUN) benchmarks/bench.py $(BENCH)

# Page weight only: the files Chromium requests on a first visit, gzipped, per page.
weight: html $(VENV)/.test
	$(RUN) benchmarks/bench.py --weight _build/$(KOMMUNE)/html --files

schemas: $(VENV)/.docs
	$(RUN) -m forebygging schemas

# The nynorsk catalogues of the handbook pages (handbook/_locale/nn/LC_MESSAGES/<page>.po), updated
# from the bokmål pages; prints the messages that still need a translator.
translations: $(VENV)/.docs
	$(RUN) -m forebygging.cli.page_catalogues

# Re-pin the whole dependency tree from pyproject.toml in a throw-away environment.
lock:
	rm -rf _build/lock-venv && $(PYTHON) -m venv _build/lock-venv
	_build/lock-venv/bin/pip install -q -e . && \
		{ echo "# Generated by 'make lock' from pyproject.toml: the whole tree, pinned."; \
		  _build/lock-venv/bin/pip freeze --exclude-editable; } > requirements/docs.lock
	_build/lock-venv/bin/pip install -q -e '.[workshop]' && \
		{ echo "# Generated by 'make lock': docs.lock plus what make workshop needs (Voilà), pinned."; \
		  _build/lock-venv/bin/pip freeze --exclude-editable; } > requirements/workshop.lock
	_build/lock-venv/bin/pip install -q -e '.[test,workshop]' && \
		{ echo "# Generated by 'make lock': docs.lock plus what the tests and make workshop need, pinned."; \
		  _build/lock-venv/bin/pip freeze --exclude-editable; } > requirements/test.lock
	rm -rf _build/lock-venv

clean:
	rm -rf _build
