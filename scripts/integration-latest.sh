#!/usr/bin/env bash
# `make integration-latest`: the integration tests of both ways of running (inside the controller and as
# a module process) on the newest ansible-core (tests/sanity/requirements-core-latest.txt, the pin the
# newest-core sanity leg uses) on the same Python 3.12 interpreter, against the emulator.
#   venv: .cache/venv-core-latest-integration (rebuilt when a pin changes), with the test tools pinned
#         in requirements-dev.txt (ansible-core excepted) and the emulator from this tree.
#   record: .cache/matrix/integration-latest.json (core, Python, tests, result) for the support matrix.
# The tests run are INTEGRATION_LATEST_TESTS below; extra arguments go to pytest.
set -euo pipefail
# shellcheck source=scripts/common.sh
. "$(dirname "$0")/common.sh"
cd "$ROOT"
lock integration-latest

LATEST_REQ=tests/sanity/requirements-core-latest.txt
VENV=$CACHE/venv-core-latest-integration
RECORD=$CACHE/matrix/integration-latest.json
# Both ways of running side by side with the same results and the same messages for bad input
# (test_in_controller), secrets masked both ways (test_security), every module's EXAMPLES run inside the
# controller (test_module_examples), and the AWX path through ansible-runner (test_awx_runner). The rest of
# the suite exercises the modules' behaviour, which does not depend on the core; it runs on the pinned core.
# One list, so that the README's support matrix names exactly what runs here.
INTEGRATION_LATEST_TESTS=(
  tests/integration/test_in_controller.py
  tests/integration/test_security.py
  tests/integration/test_module_examples.py
  tests/integration/test_awx_runner.py
)

if ! py312=$(find_python_newest); then
  echo "ERROR: no Python 3.12 found (pyenv's 3.12, python3.12 on PATH, or PYTHON312=/path): the newest" >&2
  echo "       ansible-core needs it; install one (.ci/run does) and rerun" >&2
  exit 1
fi

# The test tools pinned in requirements-dev.txt, as constraints, without its ansible-core pin.
stamp_inputs() { cat "$LATEST_REQ" requirements-dev.txt tests/emulator/pyproject.toml; echo "$py312"; }

build_venv() {
  if [ -x "$VENV/bin/python" ] && stamp_inputs | cmp -s - "$VENV/requirements.stamp"; then
    echo "venv up to date: $VENV"
    return 0
  fi
  rm -rf "$VENV"
  "$py312" -m venv "$VENV"
  grep -viE '^[[:space:]]*ansible-core[[:space:]]*[=<>~!]' requirements-dev.txt > "$VENV/constraints.txt"
  "$VENV/bin/python" -m pip install -q --disable-pip-version-check -r "$LATEST_REQ" -c "$VENV/constraints.txt" \
    requests PyYAML Flask Werkzeug pytest pytest-xdist hypothesis ansible-runner
  "$VENV/bin/python" -m pip install -q --disable-pip-version-check --no-deps -e tests/emulator
  stamp_inputs > "$VENV/requirements.stamp"
}

# The versions really in use, checked against the pins: the record is what ran, never what was meant.
check_versions() {
  local want
  want=$(sed -nE 's/^[[:space:]]*ansible-core==([0-9.]+).*/\1/p' "$LATEST_REQ")
  "$VENV/bin/python" - "$want" <<'PY'
import sys
import ansible
want = sys.argv[1]
if ansible.__version__ != want or sys.version_info[:2] != (3, 12):
    sys.exit('ERROR: venv runs ansible-core %s on Python %d.%d, expected %s on 3.12'
             % (ansible.__version__, sys.version_info[0], sys.version_info[1], want))
print('ansible-core %s on Python %s' % (ansible.__version__, sys.version.split()[0]))
PY
}

run_tests() {
  local rc=0 junit=$CACHE/matrix/integration-latest.xml
  mkdir -p "$CACHE/matrix"
  rm -f "$RECORD" "$junit"
  PATH=$VENV/bin:$PATH ANSIBLE_PYTHON_INTERPRETER=$VENV/bin/python \
    "$VENV/bin/python" -m pytest -q -p no:cacheprovider -n 2 --dist load --junitxml "$junit" \
    "${INTEGRATION_LATEST_TESTS[@]}" "$@" || rc=$?
  "$VENV/bin/python" - "$RECORD" "$junit" "$rc" "${INTEGRATION_LATEST_TESTS[@]}" <<'PY'
import json, sys, xml.etree.ElementTree as ET
import ansible
record, junit, rc, tests = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4:]
suite = ET.parse(junit).getroot()
suite = suite if suite.tag == 'testsuite' else suite.find('testsuite')
counts = {k: int(suite.get(k, 0)) for k in ('tests', 'failures', 'errors', 'skipped')}
json.dump({'stage': 'integration-latest', 'ansible_core': ansible.__version__,
           'python': '%d.%d' % sys.version_info[:2], 'tests': tests, 'counts': counts, 'exit': rc},
          open(record, 'w'), indent=1)
print('recorded %s: %r, exit %d' % (record, counts, rc))
PY
  return "$rc"
}

timed "integration-latest: venv (py3.12)" build_venv
timed "integration-latest: versions" check_versions
timed "integration-latest: pytest" run_tests "$@"
