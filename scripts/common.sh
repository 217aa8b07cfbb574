# shellcheck shell=bash
# Helpers shared by the scripts in scripts/ and by .ci/run (sourced, not run).

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
VENV_BIN=${VENV_BIN:-$ROOT/.venv/bin}
export CACHE=$ROOT/.cache

# timed NAME COMMAND [ARGS...]: run a command, print one timing line, keep its exit code.
timed() {
  local name=$1 start end rc
  shift
  start=$(date +%s.%N)
  rc=0
  "$@" || rc=$?
  end=$(date +%s.%N)
  awk -v n="$name" -v a="$start" -v b="$end" -v rc="$rc" \
    'BEGIN { printf "--- timing: %-34s %6.1f s%s\n", n, b - a, (rc == 0 ? "" : "  (FAILED, exit " rc ")") }'
  return "$rc"
}

# ALLOW_SKIP: the one switch that lets a check whose prerequisite is missing be skipped, on a
# developer's machine only (CI never sets it; .ci/run refuses it). Comma-separated check names:
#   "nova" (the real-Nova suite, make nova, when the pinned Nova cannot be installed),
#   "sanity-newest" (the newest-core leg of make sanity when there is no Python >= 3.12),
#   "shellcheck" (when that program is missing; ansible-test would skip its sanity test).
ALLOW_SKIP_NAMES="nova sanity-newest shellcheck"
# Without it, a missing prerequisite is an error naming what is missing and how to get it.
check_allow_skip() {
  local name known
  local IFS=,
  for name in ${ALLOW_SKIP:-}; do
    [ -n "$name" ] || continue
    known=0
    case " $ALLOW_SKIP_NAMES " in *" $name "*) known=1 ;; esac
    if [ "$known" = 0 ]; then
      echo "ERROR: ALLOW_SKIP=$ALLOW_SKIP names '$name', which is no check that can be skipped; known: ${ALLOW_SKIP_NAMES// /, }" >&2
      return 2
    fi
  done
}
check_allow_skip || exit 2

# skip_allowed NAME: true when ALLOW_SKIP names the check NAME.
skip_allowed() {
  case ",${ALLOW_SKIP:-}," in *",$1,"*) return 0 ;; esac
  return 1
}

# missing NAME WHAT HOW: a prerequisite of the check NAME is missing (WHAT: what is missing; HOW: how to
# get it). With NAME in ALLOW_SKIP: says SKIP, notes it for `make test`'s last line, returns 0 (the caller
# skips the check). Otherwise: an ERROR naming what is missing and how to get it, returns 1.
missing() {
  local name=$1 what=$2 how=$3
  if skip_allowed "$name"; then
    echo "SKIP: $name not checked (allowed by ALLOW_SKIP=$ALLOW_SKIP): $what" >&2
    mkdir -p "$CACHE"
    echo "$name" >> "$CACHE/skipped-checks"
    return 0
  fi
  printf 'ERROR: %s.\n  To get it: %s\n  (On a developer machine, ALLOW_SKIP=%s skips this check instead; CI never skips it.)\n' \
    "$what" "$how" "$name" >&2
  return 1
}

# A Python the newest ansible-core supports (3.12-3.14; pyenv shims exit 127 here, so each candidate is
# run), printed as its real path, or nothing. 3.12 first (what the leg was measured with), then newer.
# PYTHON_NEWEST=/path (or the older PYTHON312=/path) overrides the lookup. scripts/install-prerequisites
# installs one where none is found (Debian's python3.13, or CPython built from Debian's source package
# into $PYTHON_NEWEST_PREFIX).
PYTHON_NEWEST_PREFIX=${PYTHON_NEWEST_PREFIX:-$HOME/.cache/ecs_ops/cpython-3.13}
find_python_newest() {
  local candidate minor
  local candidates=()
  if [ -n "${PYTHON_NEWEST:-}${PYTHON312:-}" ]; then
    candidates=("${PYTHON_NEWEST:-${PYTHON312:-}}")   # an explicit choice is the only candidate
  else
    for minor in 12 13 14; do
      candidates+=("${PYENV_ROOT:-$HOME/.pyenv}"/versions/3."$minor".*/bin/python3."$minor")
      candidates+=("$(command -v "python3.$minor" 2>/dev/null || true)" "/usr/bin/python3.$minor" "/usr/local/bin/python3.$minor")
    done
    candidates+=("$PYTHON_NEWEST_PREFIX/bin/python3.13")
  fi
  for candidate in "${candidates[@]}"; do
    if [ -z "$candidate" ] || [ ! -x "$candidate" ]; then continue; fi
    if "$candidate" -c 'import sys, venv, ensurepip, ssl; assert (3, 12) <= sys.version_info[:2] <= (3, 14)' >/dev/null 2>&1; then
      "$candidate" -c 'import os, sys; print(os.path.realpath(sys.executable))'
      return 0
    fi
  done
  return 1
}

# collection_link: make the work tree importable as ecs_ops.compute through the symlink farm
# .cache/collections/ansible_collections/ecs_ops/compute. The one place that makes it: lint.sh,
# molecule.sh and package.sh call it; the Makefile's `collection` target and demo.py run
# scripts/collection-link, which calls it. Prints the collections path.
collection_link() {
  local collections=$CACHE/collections
  mkdir -p "$collections/ansible_collections/ecs_ops"
  ln -sfn "$ROOT" "$collections/ansible_collections/ecs_ops/compute"
  echo "$collections"
}

# lock NAME: hold .cache/NAME.lock until the script exits, so that two runs on the same checkout
# (several people share these machines) wait for each other instead of clobbering .cache.
lock() {
  mkdir -p "$CACHE"
  exec 9>"$CACHE/$1.lock"
  if ! flock -n 9; then
    echo "waiting for another $1 run on this checkout to finish..."
    flock 9
  fi
}
