#!/usr/bin/env bash
# `make sanity`: ansible-test sanity on a copy of the work tree laid out as
# ansible_collections/ecs_ops/compute, with no ignore files and nothing skipped:
#   leg 1: ansible-core from .venv (2.19) on Python 3.11, in .cache/ansible-test/...
#   leg 2: the newest ansible-core (tests/sanity/requirements-core-latest.txt) on a Python >= 3.12
#          (3.12 where there is one, else 3.13 or 3.14; PYTHON_NEWEST=/path chooses), from the cached
#          venv .cache/venv-core-latest, in .cache/ansible-test-latest/...
# Nothing is skipped: without a Python >= 3.12, or without shellcheck (which ansible-test would skip
# with a warning), this fails saying how to get it (scripts/install-prerequisites, which .ci/run runs),
# unless ALLOW_SKIP names sanity-newest or shellcheck (a developer's machine; see scripts/common.sh).
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

# The venv of the newest core, rebuilt when its requirements or its interpreter change.
latest_venv() {
  local python=$1 want
  want=$(cat "$LATEST_REQ"; echo "python: $python $("$python" -c 'import sys; print(sys.version)')")
  if [ ! -x "$LATEST_VENV/bin/python" ] || [ "$want" != "$(cat "$LATEST_VENV/requirements.stamp" 2>/dev/null)" ]; then
    rm -rf "$LATEST_VENV"
    "$python" -m venv "$LATEST_VENV"
    "$LATEST_VENV/bin/python" -m pip install -q --disable-pip-version-check -r "$LATEST_REQ"
    echo "$want" > "$LATEST_VENV/requirements.stamp"
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
  timed "sanity: venv core-latest (py$newest_ver)" latest_venv "$newest_py"
  timed "sanity: core $(core_version "$LATEST_VENV/bin") / py$newest_ver" run_sanity "$copy" "$LATEST_VENV/bin" "$newest_ver" "$@"
}

# ansible-test skips a sanity test whose program is missing with only a warning
# ('WARNING: Required program "shellcheck" not found.') and still passes: that is a failure here.
# Each leg's output is searched for it; the program's name is the ALLOW_SKIP name (shellcheck).
check_no_skipped_programs() {
  local log=$1 leg=$2 program rc=0
  while IFS= read -r program; do
    missing "$program" "ansible-test skipped its $program sanity test in $leg because the program $program is not installed" \
      "apt-get install $program (scripts/install-prerequisites installs it; .ci/run runs that)" || rc=1
  done < <(sed -n 's/.*WARNING: Required program "\([^"]*\)" not found.*/\1/p' "$log" | sort -u)
  return "$rc"
}

failed=()
timed "sanity: no ignore entries" check_no_ignores || failed+=("ignore files")
# Prerequisites first, so that a missing one fails in a second instead of after the legs.
if ! command -v shellcheck >/dev/null 2>&1; then
  missing shellcheck "shellcheck is not installed, so ansible-test would skip its shellcheck sanity test" \
    "apt-get install shellcheck (scripts/install-prerequisites installs it; .ci/run runs that)" || failed+=("shellcheck missing")
fi
legs=(leg_219)
if newest_py=$(find_python_newest); then
  newest_ver=$("$newest_py" -c 'import sys; print("%d.%d" % sys.version_info[:2])')
  legs+=(leg_latest)
elif [ -n "${PYTHON_NEWEST:-${PYTHON312:-}}" ]; then
  missing sanity-newest "PYTHON_NEWEST=${PYTHON_NEWEST:-${PYTHON312:-}} is not a Python 3.12-3.14 with venv, ensurepip and ssl; the newest ansible-core ($(grep -v '^#' "$LATEST_REQ")) needs one" \
    "point PYTHON_NEWEST at such an interpreter, or unset it to let the lookup find one" || failed+=("no Python >= 3.12")
else
  missing sanity-newest "no Python 3.12-3.14 found (looked in pyenv, PATH, /usr/bin, /usr/local/bin, $PYTHON_NEWEST_PREFIX); the newest ansible-core ($(grep -v '^#' "$LATEST_REQ")) needs one for the second sanity leg" \
    "run scripts/install-prerequisites as root (Debian's python3.13, or CPython 3.13 built from Debian's source package), or set PYTHON_NEWEST=/path/to/python3.12" || failed+=("no Python >= 3.12")
fi
if [ "${#failed[@]}" -gt 0 ]; then
  printf 'sanity FAILED: %s\n' "${failed[@]}" >&2
  exit 1
fi

# Both legs always run, so one CI run reports everything; the exit code says if any failed.
rm -rf "$LOGS"
mkdir -p "$LOGS"
if [ "${SANITY_SERIAL:-0}" = 1 ] || [ "${#legs[@]}" -eq 1 ]; then
  for leg in "${legs[@]}"; do
    "$leg" "$@" 2>&1 | tee "$LOGS/$leg.log" || failed+=("$leg")
    check_no_skipped_programs "$LOGS/$leg.log" "$leg" || failed+=("$leg: a sanity test was skipped")
  done
else
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
    check_no_skipped_programs "$LOGS/${legs[$i]}.log" "${legs[$i]}" || failed+=("${legs[$i]}: a sanity test was skipped")
  done
fi

if [ "${#failed[@]}" -gt 0 ]; then
  printf 'sanity FAILED: %s\n' "${failed[@]}" >&2
  exit 1
fi
echo "sanity: all legs passed"
