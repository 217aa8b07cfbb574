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

.PHONY: help venv collection demo test units mutation mutation-ci mutation-all emulator-tests integration sanity lint molecule package nova bench bench-smoke changelog-lint reliability-report clean docs docs-tests integration-latest older-core support-matrix support-matrix-write release

help:
	@echo "make demo        run the demo playbook against the built-in emulator"
	@echo "make test        run everything CI runs"
	@echo "make venv        create .venv with the pinned tools and the emulator"
	@echo "make units | emulator-tests | integration | sanity | lint | molecule | package | nova | bench"
	@echo "make mutation   mutation testing of the core (docs/testing.md); mutation-ci: what CI runs; mutation-all: all module_utils"
	@echo "make docs        build the documentation site into .cache/docs/html (then: make docs-tests)"
	@echo "make integration-latest | older-core | support-matrix   the support matrix (README) and what proves it"
	@echo "make release VERSION=x.y.z   cut a release (docs/releasing.md)"

venv: $(VENV)/.stamp

$(VENV)/.stamp: requirements-dev.txt requirements.txt tests/emulator/pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q -r requirements-dev.txt
	$(BIN)/python -m pip install -q -e tests/emulator
	touch $@

collection: venv
	@scripts/collection-link >/dev/null

demo: collection
	@$(BIN)/python scripts/demo.py

units: collection
	$(PYTEST) tests/unit -q

# Mutation testing (docs/testing.md, scripts/mutation.py): every mutant of the gated core files, then the report part
# of docs/testing.md. mutation-ci is the stage of `make test`: the gated files changed since the last release, at most
# MUTATION_BUDGET mutants (a sample by name hash when there are more), failing past 3 minutes. mutation-all: every
# file of plugins/module_utils, report in .cache/mutation/report.md (slow: about half an hour).
MUTATION_BUDGET ?= 400
mutation: collection
	$(BIN)/python scripts/mutation.py --write-report

mutation-ci: collection
	$(BIN)/python scripts/mutation.py --changed --budget $(MUTATION_BUDGET) --time-box 180

mutation-all: collection
	$(BIN)/python scripts/mutation.py --all --no-integration

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

# docs/reliability.md is generated from a run of the fault suites, so it never drifts from the code; the fleet
# suite runs here with 50 servers (its short variants, 20 servers, run in `make integration`)
reliability-report: collection
	ECS_RELIABILITY_REPORT=$(CURDIR)/docs/reliability.md ECS_FLEET_SERVERS=50 \
		$(PYTEST) tests/integration/test_faults.py tests/integration/test_fleet_faults.py -q

# No stage skips itself: a missing prerequisite fails its stage, unless ALLOW_SKIP names it (a developer's
# machine; scripts/common.sh). The last line names every check that was skipped that way.
test: collection
	@rm -f .cache/skipped-checks
	@$(STAGE) emulator-tests $(MAKE) --no-print-directory emulator-tests
	@$(STAGE) units $(MAKE) --no-print-directory units
	@$(STAGE) mutation $(MAKE) --no-print-directory mutation-ci
	@$(STAGE) integration $(MAKE) --no-print-directory integration
	@$(STAGE) integration-latest $(MAKE) --no-print-directory integration-latest
	@$(STAGE) sanity $(MAKE) --no-print-directory sanity
	@$(STAGE) lint $(MAKE) --no-print-directory lint
	@$(STAGE) molecule $(MAKE) --no-print-directory molecule
	@$(STAGE) package $(MAKE) --no-print-directory package
	@$(STAGE) older-core $(MAKE) --no-print-directory older-core
	@$(STAGE) support-matrix $(MAKE) --no-print-directory support-matrix
	@$(STAGE) docs $(MAKE) --no-print-directory docs docs-tests
	@$(STAGE) nova $(MAKE) --no-print-directory nova
	@$(STAGE) bench-smoke $(MAKE) --no-print-directory bench-smoke
	@if [ -s .cache/skipped-checks ]; then \
		echo "make test: all stages passed, but these checks were SKIPPED (ALLOW_SKIP=$$ALLOW_SKIP): $$(sort -u .cache/skipped-checks | paste -sd, -)"; \
	else \
		echo "make test: all stages passed"; \
	fi

# The integration tests of both ways of running on the newest ansible-core / Python 3.12 (cached venv).
integration-latest: collection
	scripts/integration-latest.sh

# The tarball under an ansible-core older than requires_ansible: installs, warns on every use.
older-core: venv
	scripts/older-core.sh

# README's support matrix matches what integration-latest and older-core recorded, and .venv.
support-matrix: venv
	$(BIN)/python scripts/support_matrix.py --check

support-matrix-write: venv
	$(BIN)/python scripts/support_matrix.py --write

# Cut a release: make release VERSION=1.0.0 (docs/releasing.md). Changes galaxy.yml, changelogs/, CHANGELOG.rst.
release: collection
	scripts/release.sh "$(VERSION)"

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
