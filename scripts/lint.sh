#!/usr/bin/env bash
# `make lint`: ansible-lint (production profile, offline, config in .ansible-lint) over the
# collection metadata, the roles, the playbooks and the molecule scenarios that exist.
set -euo pipefail
# shellcheck source=scripts/common.sh
. "$(dirname "$0")/common.sh"
cd "$ROOT"

# With offline: true ansible-lint does not make the collection resolvable itself: point
# ANSIBLE_COLLECTIONS_PATH at a directory holding ansible_collections/ecs_ops/compute.
ANSIBLE_COLLECTIONS_PATH=$(collection_link)
export ANSIBLE_COLLECTIONS_PATH
export ANSIBLE_PYTHON_INTERPRETER=$VENV_BIN/python
export PATH=$VENV_BIN:$PATH

targets=()
for path in galaxy.yml meta/runtime.yml roles playbooks extensions/molecule; do
  [ -e "$path" ] && targets+=("$path")
done
echo "ansible-lint $(NO_COLOR=1 "$VENV_BIN/ansible-lint" --version 2>/dev/null | head -1 | awk '{print $2}') on: ${targets[*]}"
timed "lint: ansible-lint (production)" "$VENV_BIN/ansible-lint" --nocolor "${targets[@]}"
