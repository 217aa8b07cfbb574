#!/usr/bin/env bash
# `make nova`: the collection against REAL upstream OpenStack Nova (tests/nova).
#
# 1. Builds (or reuses) a venv with the pinned Nova from PyPI at .cache/nova-venv
#    (tests/nova/requirements.txt; reused while the stamp matches the hash of the
#    requirements file and the interpreter version). First build ~35-60 s.
# 2. Runs `pytest tests/nova` with the project venv's pytest; the tests start
#    tests/nova/nova_server.py with the Nova venv's Python (ECS_NOVA_PYTHON).
#
# If the Nova venv cannot be built (no Python 3.10-3.13 to build it with, pip cannot install
# the pinned Nova), it fails with an ERROR saying what is missing, like anything else that
# fails. Only ALLOW_SKIP=nova (a developer's machine; CI never sets it) turns that into a SKIP.
#
# Usage: scripts/nova.sh [extra pytest args, e.g. -k resize -x]
# Env:   NOVA_BASE_PYTHON  interpreter the Nova venv is built from (default: python3.11, else python3;
#                          when set, only that one)
#        VENV_BIN          bin directory of the project venv (default: .venv/bin)
#        ECS_NOVA_STEP_DELAY  seconds per fake-driver step (default in tests/nova/conftest.py)
#        ECS_NOVA_RPC_WORKERS RPC workers per Nova service (default 8; tests/nova/nova_server.py says why)
#        NOVA_VENV_ONLY=1  build (or reuse) the Nova venv, print its python and stop (make bench uses it for
#                          its real-Nova scenario)
set -euo pipefail
# shellcheck source=scripts/common.sh
. "$(dirname "$0")/common.sh"
cd "$ROOT"

NOVA_VENV=$CACHE/nova-venv
REQ=tests/nova/requirements.txt
STAMP=$NOVA_VENV/.ecs-stamp
LOG=$CACHE/nova-venv-install.log
PROJECT_PY=$VENV_BIN/python

pick_base_python() {
  local candidate candidates=(python3.11 python3)
  [ -z "${NOVA_BASE_PYTHON:-}" ] || candidates=("$NOVA_BASE_PYTHON")  # an explicit choice is the only candidate
  for candidate in "${candidates[@]}"; do
    if "$candidate" -c 'import sys; assert (3, 10) <= sys.version_info[:2] < (3, 14)' >/dev/null 2>&1; then
      "$candidate" -c 'import os, sys; print(os.path.realpath(sys.executable))'
      return 0
    fi
  done
  return 1
}

# cannot_build WHAT: the Nova venv cannot be built. An error (exit 1), or a SKIP with ALLOW_SKIP=nova.
cannot_build() {
  if missing nova "the real-Nova suite cannot run: $*" \
      "a Python 3.10-3.13 with venv (NOVA_BASE_PYTHON=/path chooses one) and PyPI reachable for the pins in $REQ; then rerun make nova"; then
    exit 0
  fi
  exit 1
}

if [ ! -x "$PROJECT_PY" ]; then
  echo "ERROR: $PROJECT_PY not found; run 'make venv' first (or use 'make nova')" >&2
  exit 2
fi

BASE_PY=$(pick_base_python) || cannot_build "no Python 3.10-3.13 interpreter to build the Nova venv with${NOVA_BASE_PYTHON:+ (NOVA_BASE_PYTHON=$NOVA_BASE_PYTHON is none)}"
WANT=$( { sha256sum "$REQ" | cut -d' ' -f1; "$BASE_PY" -c 'import sys; print(sys.version)'; } | sha256sum | cut -d' ' -f1)

mkdir -p "$CACHE"
# One builder at a time (parallel `make` runs share the cache).
exec 9>"$CACHE/nova-venv.lock"
flock 9

if [ -f "$STAMP" ] && [ "$(cat "$STAMP")" = "$WANT" ] && [ -x "$NOVA_VENV/bin/python" ]; then
  echo "nova venv: reusing $NOVA_VENV"
else
  echo "nova venv: building $NOVA_VENV from $REQ with $BASE_PY (log: $LOG)"
  start=$(date +%s)
  rm -rf "$NOVA_VENV"
  if ! "$BASE_PY" -m venv "$NOVA_VENV" >"$LOG" 2>&1; then
    tail -n 20 "$LOG"
    rm -rf "$NOVA_VENV"
    cannot_build "could not create a venv with $BASE_PY (see $LOG)"
  fi
  if ! "$NOVA_VENV/bin/python" -m pip install --disable-pip-version-check --no-input -q \
      -r "$REQ" >>"$LOG" 2>&1; then
    grep -v "is ignored: it is neither a file nor a directory" "$LOG" | tail -n 20
    rm -rf "$NOVA_VENV"
    cannot_build "pip could not install the pinned Nova from $REQ (see $LOG)"
  fi
  echo "$WANT" >"$STAMP"
  echo "nova venv: built in $(( $(date +%s) - start )) s"
fi
flock -u 9

if [ "${NOVA_VENV_ONLY:-}" = 1 ]; then
  echo "$NOVA_VENV/bin/python"
  exit 0
fi

export ECS_NOVA_PYTHON=$NOVA_VENV/bin/python
export ANSIBLE_COLLECTIONS_PATH=${ANSIBLE_COLLECTIONS_PATH:-$CACHE/collections}
export ANSIBLE_PYTHON_INTERPRETER=${ANSIBLE_PYTHON_INTERPRETER:-$PROJECT_PY}
timed "pytest tests/nova" "$PROJECT_PY" -m pytest tests/nova -q -p no:cacheprovider "$@"
