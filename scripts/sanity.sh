#!/usr/bin/env bash
# `make sanity`: ansible-test sanity on a copy of the work tree laid out as
# ansible_collections/ecs_ops/compute, with no ignore files and nothing skipped:
#   leg 1: ansible-core from .venv (2.19) on Python 3.11, in .cache/ansible-test/...
#   leg 2: the newest ansible-core (tests/sanity/requirements-core-latest.txt) on Python 3.12,
#          from the cached venv .cache/venv-core-latest, in .cache/ansible-test-latest/...
#          (skipped with a NOTICE when there is no Python 3.12; PYTHON312=/path overrides the lookup)
# The legs run in parallel (each in its own copy; ansible-test is mostly single-threaded), and
# their output is printed one leg after the other; SANITY_SERIAL=1 runs them one by one, live.
# Usage: scripts/sanity.sh [extra ansible-test sanity args, e.g. --test pep8]
set -euo pipefail
# shellcheck source=scripts/common.sh
. "$(dirname "$0")/common.sh"
cd "$ROOT"
lock sanity
# ansible-test sets its own collection path from the copy; never the source from the Makefile's.
unset ANSIBLE_COLLECTIONS_PATH

LAYOUT=ansible_collections/ecs_ops/compute
LATEST_VENV=$CACHE/venv-core-latest
LATEST_REQ=tests/sanity/requirements-core-latest.txt
LOGS=$CACHE/sanity-logs

# Zero ignores: an ignore file may exist only if it has no entries.
check_no_ignores() {
  local f bad=0
  for f in tests/sanity/ignore-*.txt; do
    [ -e "$f" ] || continue
    if grep -qvE '^[[:space:]]*(#.*)?$' "$f"; then
      echo "ERROR: $f has entries; this collection passes sanity with no ignores" >&2
      bad=1
    fi
  done
  return "$bad"
}

# copy_tree DEST: fresh copy of what git sees (tracked + untracked-not-ignored, minus deleted)
# plus .git. ansible-test lists files with `git ls-files --cached --others --exclude-standard`,
# so files others have written but not committed yet are tested too; nothing needs `git add`.
copy_tree() {
  local dest=$1
  rm -rf "$dest"
  mkdir -p "$dest"
  git ls-files -z -co --exclude-standard \
    | while IFS= read -r -d '' f; do if [ -e "$f" ] || [ -L "$f" ]; then printf '%s\0' "$f"; fi; done \
    | tar --null --no-recursion -T - -cf - | tar -xf - -C "$dest"
  tar -cf - .git | tar -xf - -C "$dest"
}

# Put the offline get-pip stand-in where the given ansible-test looks for its bootstrap script.
install_get_pip() {
  local python=$1 version
  version=$("$python" - <<'PY'
import os, re, ansible_test
src = open(os.path.join(os.path.dirname(ansible_test.__file__), '_internal', 'python_requirements.py')).read()
print(re.search(r"default_packages = dict\(\s*pip='([0-9.]+)'", src).group(1).replace('.', '_'))
PY
)
  mkdir -p "$HOME/.ansible/test/cache"
  cp scripts/get_pip_standin.py "$HOME/.ansible/test/cache/get_pip_${version}.py"
}

# run_sanity COPY BIN_DIR PYTHON_VERSION [args]: ansible-test from BIN_DIR, that dir first on PATH
# so `pythonX.Y` resolves to the venv's real interpreter (ansible-test strips PYENV_VERSION).
run_sanity() {
  local copy=$1 bin=$2 pyver=$3
  shift 3
  install_get_pip "$bin/python"
  (cd "$copy" && PATH="$bin:$PATH" "$bin/ansible-test" sanity --local --python "$pyver" --color no "$@")
}

latest_venv() {
  local py312=$1
  if [ ! -x "$LATEST_VENV/bin/python" ] || ! cmp -s "$LATEST_REQ" "$LATEST_VENV/requirements.stamp"; then
    rm -rf "$LATEST_VENV"
    "$py312" -m venv "$LATEST_VENV"
    "$LATEST_VENV/bin/python" -m pip install -q --disable-pip-version-check -r "$LATEST_REQ"
    cp "$LATEST_REQ" "$LATEST_VENV/requirements.stamp"
  fi
}

core_version() { "$1/python" -c 'import ansible; print(ansible.__version__)'; }

leg_219() {
  local copy=$CACHE/ansible-test/$LAYOUT
  timed "sanity: copy work tree" copy_tree "$copy"
  timed "sanity: core $(core_version "$VENV_BIN") / py3.11" run_sanity "$copy" "$VENV_BIN" 3.11 "$@"
}

leg_latest() {
  local copy=$CACHE/ansible-test-latest/$LAYOUT
  timed "sanity: copy work tree" copy_tree "$copy"
  timed "sanity: venv core-latest (py3.12)" latest_venv "$py312"
  timed "sanity: core $(core_version "$LATEST_VENV/bin") / py3.12" run_sanity "$copy" "$LATEST_VENV/bin" 3.12 "$@"
}

failed=()
timed "sanity: no ignore entries" check_no_ignores || failed+=("ignore files")
legs=(leg_219)
if py312=$(find_python312); then
  legs+=(leg_latest)
else
  echo "NOTICE: python3.12 not found, skipping the ansible-core latest sanity leg"
fi

# Both legs always run, so one CI run reports everything; the exit code says if any failed.
if [ "${SANITY_SERIAL:-0}" = 1 ] || [ "${#legs[@]}" -eq 1 ]; then
  for leg in "${legs[@]}"; do
    "$leg" "$@" || failed+=("$leg")
  done
else
  rm -rf "$LOGS"
  mkdir -p "$LOGS"
  pids=()
  for leg in "${legs[@]}"; do
    "$leg" "$@" > "$LOGS/$leg.log" 2>&1 &
    pids+=($!)
  done
  for i in "${!legs[@]}"; do
    rc=0
    wait "${pids[$i]}" || rc=$?
    printf '\n===== sanity %s (log: %s)\n' "${legs[$i]}" "$LOGS/${legs[$i]}.log"
    cat "$LOGS/${legs[$i]}.log"
    [ "$rc" -eq 0 ] || failed+=("${legs[$i]}")
  done
fi

if [ "${#failed[@]}" -gt 0 ]; then
  printf 'sanity FAILED: %s\n' "${failed[@]}" >&2
  exit 1
fi
echo "sanity: all legs passed"
