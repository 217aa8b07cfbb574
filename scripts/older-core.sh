#!/usr/bin/env bash
# `make older-core`: what a user of an ansible-core older than meta/runtime.yml `requires_ansible` gets.
# The built tarball is installed with that core (tests/sanity/requirements-core-older.txt, Python 3.11,
# cached venv .cache/venv-core-older) and used; the check asserts:
#   - `ansible-galaxy collection install` installs it (ansible-galaxy does not check requires_ansible);
#   - every command that loads the collection (ansible-doc, ansible-playbook) warns
#     "Collection ecs_ops.compute does not support Ansible version <version>";
#   - with ANSIBLE_COLLECTIONS_ON_ANSIBLE_VERSION_MISMATCH=error the playbook fails with that message;
#   - the supported core (.venv) loading the same installed copy says nothing of the kind.
# Recorded in .cache/matrix/older-core.json for the support matrix (scripts/support_matrix.py).
set -euo pipefail
# shellcheck source=scripts/common.sh
. "$(dirname "$0")/common.sh"
cd "$ROOT"
lock older-core
unset ANSIBLE_COLLECTIONS_PATH
export ANSIBLE_NOCOLOR=1 ANSIBLE_LOCALHOST_WARNING=false ANSIBLE_INVENTORY_UNPARSED_WARNING=false

OLDER_REQ=tests/sanity/requirements-core-older.txt
VENV=$CACHE/venv-core-older
WORK=$CACHE/older-core
RECORD=$CACHE/matrix/older-core.json
WANT=$(sed -nE 's/^[[:space:]]*ansible-core==([0-9.]+).*/\1/p' "$OLDER_REQ")
REQUIRES=$("$VENV_BIN/python" -c 'import yaml; print(yaml.safe_load(open("meta/runtime.yml"))["requires_ansible"])')
MESSAGE="Collection ecs_ops.compute does not support Ansible version $WANT"
failed=()

# The Python of .venv (3.11), so that only ansible-core differs from the supported setup.
base_python() { "$VENV_BIN/python" -c 'import sys; print(getattr(sys, "_base_executable", sys.executable))'; }

build_venv() {
  local py
  py=$(base_python)
  if [ -x "$VENV/bin/python" ] && { cat "$OLDER_REQ"; echo "$py"; } | cmp -s - "$VENV/requirements.stamp"; then
    echo "venv up to date: $VENV"
    return 0
  fi
  rm -rf "$VENV"
  "$py" -m venv "$VENV"
  grep -viE '^[[:space:]]*ansible-core[[:space:]]*[=<>~!]' requirements-dev.txt > "$VENV/constraints.txt"
  "$VENV/bin/python" -m pip install -q --disable-pip-version-check -r "$OLDER_REQ" -c "$VENV/constraints.txt" requests
  { cat "$OLDER_REQ"; echo "$py"; } > "$VENV/requirements.stamp"
}

check_versions() {
  "$VENV/bin/python" - "$WANT" "$REQUIRES" <<'PY'
import sys
import ansible
from ansible.module_utils.compat.version import LooseVersion
want, requires = sys.argv[1], sys.argv[2]
if ansible.__version__ != want:
    sys.exit('ERROR: %s runs ansible-core %s, expected %s' % (sys.executable, ansible.__version__, want))
minimum = requires.replace('>=', '').strip()
if not requires.startswith('>=') or LooseVersion(want) >= LooseVersion(minimum):
    sys.exit('ERROR: ansible-core %s is not older than requires_ansible %r: pick an older release' % (want, requires))
print('ansible-core %s on Python %s; requires_ansible %s' % (ansible.__version__, sys.version.split()[0], requires))
PY
}

build_and_install() {
  rm -rf "$WORK"
  mkdir -p "$WORK"
  "$VENV_BIN/ansible-galaxy" collection build --force --output-path "$WORK" . >/dev/null
  (cd "$WORK" && "$VENV/bin/ansible-galaxy" collection install -p "$WORK/collections" "$WORK"/ecs_ops-compute-*.tar.gz) \
    > "$WORK/install.log" 2>&1 || { cat "$WORK/install.log"; echo "ERROR: ansible-galaxy $WANT could not install the tarball" >&2; return 1; }
  grep -q 'ecs_ops.compute:.* was installed successfully' "$WORK/install.log" || { cat "$WORK/install.log"; return 1; }
  if grep -q 'does not support' "$WORK/install.log"; then
    echo "ERROR: ansible-galaxy now checks requires_ansible at install time: update the README's support matrix" >&2
    return 1
  fi
  echo "ansible-galaxy $WANT installs the tarball without a word about requires_ansible"
}

# run_with BIN_DIR OUT [ENV=VALUE...] -- COMMAND...: a command of the core in BIN_DIR, the installed copy only.
run_with() {
  local bin=$1 out=$2 rc=0
  shift 2
  (cd "$WORK" && env PATH="$bin:$PATH" ANSIBLE_COLLECTIONS_PATH="$WORK/collections" \
    ANSIBLE_PYTHON_INTERPRETER="$bin/python" "$@") > "$out" 2>&1 || rc=$?
  return "$rc"
}

write_playbook() {
  cat > "$WORK/playbook.yml" <<'YAML'
- name: Use the collection
  hosts: localhost
  gather_facts: false
  tasks:
    - name: Look a server up (no cloud here; only loading the collection matters)
      ecs_ops.compute.ecs_server_info:
        cloud: no-such-cloud
      ignore_errors: true
YAML
}

warns_on_use() {
  local out=$WORK/ansible-doc.out rc=0
  run_with "$VENV/bin" "$out" ansible-doc ecs_ops.compute.ecs_resize || rc=$?
  if [ "$rc" -ne 0 ] || ! grep -q "\[WARNING\]: $MESSAGE" "$out" || ! grep -q 'ecs_ops.compute.ecs_resize' "$out"; then
    echo "ERROR: ansible-doc $WANT (exit $rc) did not show the module with the warning '$MESSAGE':" >&2
    head -20 "$out" >&2
    return 1
  fi
  echo "ansible-doc $WANT: shows the module and warns: $(grep -m1 'does not support' "$out")"
  write_playbook
  out=$WORK/playbook.out
  rc=0
  run_with "$VENV/bin" "$out" ansible-playbook -i localhost, -c local playbook.yml || rc=$?
  if [ "$rc" -ne 0 ] || ! grep -q "\[WARNING\]: $MESSAGE" "$out"; then
    echo "ERROR: ansible-playbook $WANT (exit $rc) did not warn '$MESSAGE':" >&2
    cat "$out" >&2
    return 1
  fi
  echo "ansible-playbook $WANT: runs, and warns: $(grep -m1 'does not support' "$out")"
}

error_when_asked() {
  local out=$WORK/playbook-error.out rc=0
  run_with "$VENV/bin" "$out" ANSIBLE_COLLECTIONS_ON_ANSIBLE_VERSION_MISMATCH=error \
    ansible-playbook -i localhost, -c local playbook.yml || rc=$?
  if [ "$rc" -eq 0 ] || ! grep -q "ERROR.*$MESSAGE" "$out"; then
    echo "ERROR: with ANSIBLE_COLLECTIONS_ON_ANSIBLE_VERSION_MISMATCH=error, ansible-playbook $WANT should stop with '$MESSAGE' (exit $rc):" >&2
    cat "$out" >&2
    return 1
  fi
  echo "ANSIBLE_COLLECTIONS_ON_ANSIBLE_VERSION_MISMATCH=error: exit $rc, $(grep -m1 "$MESSAGE" "$out" | cut -c1-160)"
}

silent_on_supported_core() {
  local out=$WORK/supported.out rc=0
  run_with "$VENV_BIN" "$out" ansible-playbook -i localhost, -c local playbook.yml || rc=$?
  if [ "$rc" -ne 0 ] || grep -q 'does not support Ansible version' "$out"; then
    echo "ERROR: the supported core ($("$VENV_BIN/python" -c 'import ansible; print(ansible.__version__)')) should run the same playbook without that warning (exit $rc):" >&2
    cat "$out" >&2
    return 1
  fi
  echo "ansible-core $("$VENV_BIN/python" -c 'import ansible; print(ansible.__version__)'): the same playbook, no such warning"
}

record() {
  mkdir -p "$(dirname "$RECORD")"
  "$VENV/bin/python" - "$RECORD" "$MESSAGE" "${#failed[@]}" <<'PY'
import json, sys
import ansible
record, message, failures = sys.argv[1], sys.argv[2], int(sys.argv[3])
json.dump({'stage': 'older-core', 'ansible_core': ansible.__version__, 'python': '%d.%d' % sys.version_info[:2],
           'installs': True, 'warning': message, 'error_setting': 'ANSIBLE_COLLECTIONS_ON_ANSIBLE_VERSION_MISMATCH=error',
           'exit': 1 if failures else 0}, open(record, 'w'), indent=1)
PY
}

rm -f "$RECORD"
timed "older-core: venv" build_venv
timed "older-core: versions" check_versions
timed "older-core: build + install" build_and_install
timed "older-core: warns on use" warns_on_use || failed+=("warning")
timed "older-core: error when asked" error_when_asked || failed+=("error setting")
timed "older-core: supported core silent" silent_on_supported_core || failed+=("supported core")
record
if [ "${#failed[@]}" -gt 0 ]; then
  printf 'older-core FAILED: %s\n' "${failed[@]}" >&2
  exit 1
fi
echo "older-core: ansible-core $WANT is refused as documented (record: $RECORD)"
