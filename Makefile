# ecs_ops.compute: every way to run things goes through make.
# Newcomers: `make demo` (the demo against the built-in emulator), `make test` (everything CI runs).

PYTHON ?= python3
VENV := $(CURDIR)/.venv
BIN := $(VENV)/bin
STAGE := scripts/stage
# The collection is made importable as ecs_ops.compute through a symlink
# farm outside the source tree's content (ansible-test gets a real copy instead).
COLLECTIONS := $(CURDIR)/.cache/collections
export ANSIBLE_COLLECTIONS_PATH := $(COLLECTIONS)
export ANSIBLE_PYTHON_INTERPRETER := $(BIN)/python
export PATH := $(BIN):$(PATH)
PYTEST := $(BIN)/python -m pytest

.PHONY: help venv collection demo test units emulator-tests integration sanity lint molecule package nova bench bench-smoke changelog-lint reliability-report clean docs docs-tests

help:
	@echo "make demo        run the demo playbook against the built-in emulator"
	@echo "make test        run everything CI runs"
	@echo "make venv        create .venv with the pinned tools and the emulator"
	@echo "make units | emulator-tests | integration | sanity | lint | molecule | package | nova | bench"
	@echo "make docs        build the documentation site into .cache/docs/html (then: make docs-tests)"

venv: $(VENV)/.stamp

$(VENV)/.stamp: requirements-dev.txt requirements.txt tests/emulator/pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q -r requirements-dev.txt
	$(BIN)/python -m pip install -q -e tests/emulator
	touch $@

collection: venv
	@mkdir -p $(COLLECTIONS)/ansible_collections/ecs_ops
	@ln -sfn $(CURDIR) $(COLLECTIONS)/ansible_collections/ecs_ops/compute

demo: collection
	@$(BIN)/python scripts/demo.py

units: collection
	$(PYTEST) tests/unit -q

emulator-tests: venv
	$(PYTEST) tests/emulator/tests -q

integration: collection
	$(PYTEST) tests/integration -q -n 3 --dist load

sanity: venv
	scripts/sanity.sh

lint: collection
	scripts/lint.sh

molecule: collection
	scripts/molecule.sh

package: collection
	scripts/package.sh

nova: collection
	scripts/nova.sh

bench: collection
	$(BIN)/python tests/bench/run.py

bench-smoke: collection
	$(BIN)/python tests/bench/run.py --smoke

# docs/reliability.md is generated from a run of the fault suite, so it never drifts from the code
reliability-report: collection
	ECS_RELIABILITY_REPORT=$(CURDIR)/docs/reliability.md $(PYTEST) tests/integration/test_faults.py -q

test: collection
	@$(STAGE) emulator-tests $(MAKE) --no-print-directory emulator-tests
	@$(STAGE) units $(MAKE) --no-print-directory units
	@$(STAGE) integration $(MAKE) --no-print-directory integration
	@$(STAGE) sanity $(MAKE) --no-print-directory sanity
	@$(STAGE) lint $(MAKE) --no-print-directory lint
	@$(STAGE) molecule $(MAKE) --no-print-directory molecule
	@$(STAGE) package $(MAKE) --no-print-directory package
	@$(STAGE) nova $(MAKE) --no-print-directory nova
	@$(STAGE) bench-smoke $(MAKE) --no-print-directory bench-smoke
	@echo "make test: all stages passed"

# The documentation site (antsibull-docs + Sphinx, warnings as errors, offline) and its internal link check.
docs: collection
	$(BIN)/python scripts/docs.py

# The built site in headless Chromium (Debian's chromium), its links, and ansible-doc of the installed tarball.
docs-tests: collection
	$(PYTEST) tests/docs -q -p no:cacheprovider

changelog-lint: venv
	$(BIN)/antsibull-changelog lint

clean:
	rm -rf .cache tests/output build dist *.tar.gz bench-results.json .ansible collections
