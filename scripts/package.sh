#!/usr/bin/env bash
# `make package`: build the collection tarball and check it the way its users will see it:
# contents, install, ansible-doc of every module, inventory plugin and role, a playbook run from the installed
# copy against the emulator, galaxy-importer, the execution environment definition
# (ansible-builder create), the changelog fragments and antsibull-docs' collection docs lint.
set -euo pipefail
# shellcheck source=scripts/common.sh
. "$(dirname "$0")/common.sh"
cd "$ROOT"
lock package
export PATH=$VENV_BIN:$PATH
export ANSIBLE_PYTHON_INTERPRETER=$VENV_BIN/python
export ANSIBLE_NOCOLOR=1 ANSIBLE_LOCALHOST_WARNING=false ANSIBLE_INVENTORY_UNPARSED_WARNING=false

BUILD=$CACHE/build
SCRATCH=$CACHE/installed            # ANSIBLE_COLLECTIONS_PATH for everything run "from the tarball"
INSTALLED=$SCRATCH/ansible_collections/ecs_ops/compute
WORK=$CACHE/package-work
VERSION=$(python -c 'import yaml; print(yaml.safe_load(open("galaxy.yml"))["version"])')
TARBALL=$BUILD/ecs_ops-compute-$VERSION.tar.gz
failed=()

build() {
  rm -rf "$BUILD" "$WORK"
  mkdir -p "$BUILD" "$WORK"
  ansible-galaxy collection build --force --output-path "$BUILD" .
}

# Nothing that is not content may end up in the tarball (galaxy.yml build_ignore).
check_contents() {
  local bad
  tar -tzf "$TARBALL" > "$WORK/contents.txt"
  bad=$(grep -E '(^|/)(\.venv[^/]*|\.cache|\.ci|\.git[^/]*|\.ansible|\.pytest_cache|\.hypothesis|__pycache__|collections|scripts|build|dist|tests/output)(/|$)|\.pyc$|\.egg-info(/|$)|\.tar\.gz$|bench-results[^/]*\.json$|^(\./)?(Makefile|requirements-(dev|bench)\.txt|\.ansible-lint|\.yamllint)$' \
    "$WORK/contents.txt" || true)
  if [ -n "$bad" ]; then
    echo "ERROR: not content, but in the tarball (fix build_ignore in galaxy.yml):" >&2
    echo "$bad" >&2
    return 1
  fi
  echo "tarball: $(wc -l < "$WORK/contents.txt") entries, $(du -k "$TARBALL" | cut -f1) KiB"
}

install() {
  rm -rf "$SCRATCH"
  ansible-galaxy collection install --force -p "$SCRATCH" "$TARBALL" 2>&1 | grep -v 'is not part of the configured Ansible collections path' || true
  [ -f "$INSTALLED/MANIFEST.json" ] || { echo "ERROR: install did not produce $INSTALLED" >&2; return 1; }
}

# ansible-doc [-t TYPE] NAME from the installed copy only: exit 0, the plugin's name in the
# output, and nothing on stderr (ansible-doc reports a broken or missing plugin as a warning).
ansible_doc_ok() {
  local out err name=${*: -1}
  out=$(cd "$WORK" && ANSIBLE_COLLECTIONS_PATH=$SCRATCH ansible-doc "$@" 2>"$WORK/ansible-doc.err") || true
  err=$(cat "$WORK/ansible-doc.err")
  if [ -n "$err" ] || ! grep -q "$name" <<<"$out"; then
    echo "ERROR: ansible-doc $* from the installed tarball:" >&2
    printf '%s\n%s\n' "$err" "$(head -5 <<<"$out")" >&2
    return 1
  fi
  echo "ansible-doc $*: $(wc -l <<<"$out") lines"
}

# ansible-doc of every module, inventory plugin and role, from the installed copy only.
docs() {
  local rc=0 module plugin role name
  for module in "$INSTALLED"/plugins/modules/*.py; do
    [ -e "$module" ] || continue
    name=$(basename "$module" .py)
    [ "$name" = "__init__" ] && continue
    ansible_doc_ok "ecs_ops.compute.$name" || rc=1
  done
  for plugin in "$INSTALLED"/plugins/inventory/*.py; do
    [ -e "$plugin" ] || continue
    name=$(basename "$plugin" .py)
    [ "$name" = "__init__" ] && continue
    ansible_doc_ok -t inventory "ecs_ops.compute.$name" || rc=1
  done
  for role in "$INSTALLED"/roles/*/; do
    [ -d "$role" ] || continue
    name=$(basename "$role")
    ansible_doc_ok -t role "ecs_ops.compute.$name" || rc=1
  done
  return "$rc"
}

# One playbook run against the emulator, with the collection coming from the installed tarball.
smoke_playbook() {
  local ready=$WORK/emulator.json pid i rc=0
  if ! command -v ecs-emulator >/dev/null; then
    echo "ERROR: ecs-emulator not installed in .venv (make venv)" >&2
    return 1
  fi
  rm -f "$ready"
  ecs-emulator serve --port 0 --ready-file "$ready" > "$WORK/emulator.log" 2>&1 &
  pid=$!
  for i in $(seq 1 100); do
    [ -s "$ready" ] && break
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.1
  done
  if [ ! -s "$ready" ]; then
    echo "ERROR: the emulator did not start (after ${i} tries):" >&2
    cat "$WORK/emulator.log" >&2
    kill "$pid" 2>/dev/null || true
    return 1
  fi
  python scripts/package_smoke.py "$ready" "$WORK/smoke.yml"
  (cd "$WORK" && ANSIBLE_COLLECTIONS_PATH=$SCRATCH ansible-playbook -i localhost, -c local smoke.yml) || rc=$?
  kill "$pid" 2>/dev/null || true
  wait "$pid" 2>/dev/null || true
  return "$rc"
}

# galaxy-importer as Galaxy runs it, minus its docker-based ansible-test (make sanity covers that).
importer() {
  local log=$WORK/importer.log rc=0
  cat > "$WORK/galaxy-importer.cfg" <<CFG
[galaxy-importer]
RUN_ANSIBLE_TEST = False
RUN_ANSIBLE_DOC = True
RUN_ANSIBLE_LINT = True
OFFLINE_ANSIBLE_LINT = True
CHECK_REQUIRED_TAGS = True
CHECK_CHANGELOG = True
LOG_LEVEL_MAIN = INFO
CFG
  # unset: the importer must see only the tarball's content, not the source on the Makefile's path
  (cd "$WORK" && unset ANSIBLE_COLLECTIONS_PATH && GALAXY_IMPORTER_CONFIG=$WORK/galaxy-importer.cfg \
    GALAXY_IMPORTER_RUN_ANSIBLE_TEST=False python -m galaxy_importer.main "$TARBALL") > "$log" 2>&1 || rc=$?
  grep -E '^(WARNING|ERROR|CRITICAL)' "$log" || true
  if [ "$rc" -ne 0 ] || grep -qE '^(ERROR|CRITICAL)' "$log"; then
    echo "ERROR: galaxy-importer failed (exit $rc); full log: $log" >&2
    tail -30 "$log" >&2
    return 1
  fi
  echo "galaxy-importer: $(tail -1 "$log")"
}

# The EE definition, from the installed copy, laid out so that its paths resolve as they do for
# ansible-builder's introspection (relative to the collection root).
ee_create() {
  local def=$WORK/ee-definition
  rm -rf "$def" "$CACHE/ee-context"
  mkdir -p "$def"
  cp "$INSTALLED/meta/execution-environment.yml" "$def/execution-environment.yml"
  cp "$INSTALLED/requirements.txt" "$INSTALLED/bindep.txt" "$def/"
  ansible-builder create -f "$def/execution-environment.yml" -c "$CACHE/ee-context"
}

changelog_lint() {
  antsibull-changelog lint && antsibull-changelog lint-changelog-yaml changelogs/changelog.yaml
}

docs_lint() {
  local collections
  collections=$(collection_link)
  ANSIBLE_COLLECTIONS_PATH=$collections antsibull-docs lint-collection-docs --plugin-docs \
    "$collections/ansible_collections/ecs_ops/compute"
}

timed "package: build" build
timed "package: tarball contents" check_contents || failed+=("tarball contents")
timed "package: install --force" install
timed "package: ansible-doc (installed)" docs || failed+=("ansible-doc")
timed "package: playbook (installed) vs emulator" smoke_playbook || failed+=("smoke playbook")
timed "package: galaxy-importer" importer || failed+=("galaxy-importer")
timed "package: ansible-builder create" ee_create || failed+=("ansible-builder create")
timed "package: antsibull-changelog lint" changelog_lint || failed+=("antsibull-changelog lint")
timed "package: antsibull-docs lint" docs_lint || failed+=("antsibull-docs lint-collection-docs")

if [ "${#failed[@]}" -gt 0 ]; then
  printf 'package FAILED: %s\n' "${failed[@]}" >&2
  exit 1
fi
echo "package: all checks passed ($TARBALL)"
