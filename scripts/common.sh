# shellcheck shell=bash
# Helpers shared by scripts/sanity.sh, scripts/lint.sh and scripts/package.sh (sourced, not run).

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

# The interpreter that really is Python 3.12 (pyenv shims exit 127 here), or nothing.
find_python312() {
  local candidate
  for candidate in "${PYTHON312:-}" \
      "$(PYENV_VERSION=3.12.1 pyenv which python3.12 2>/dev/null || true)" \
      "$HOME"/.pyenv/versions/3.12*/bin/python3.12 \
      "$(command -v python3.12 2>/dev/null || true)"; do
    if [ -z "$candidate" ] || [ ! -x "$candidate" ]; then continue; fi
    if "$candidate" -c 'import sys; assert sys.version_info[:2] == (3, 12)' >/dev/null 2>&1; then
      "$candidate" -c 'import os, sys; print(os.path.realpath(sys.executable))'
      return 0
    fi
  done
  return 1
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
