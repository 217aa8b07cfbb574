#!/usr/bin/env bash
# `make molecule`: the molecule scenarios of the resize role (extensions/molecule/), each
# against its own ECS emulator on localhost (started by the scenario's create step).
# ANSIBLE_COLLECTIONS_PATH may point elsewhere (a built copy of the collection); by
# default the work tree is made importable as ecs_ops.compute.
set -euo pipefail
# shellcheck source=scripts/common.sh
. "$(dirname "$0")/common.sh"
cd "$ROOT"

if [ -z "${ANSIBLE_COLLECTIONS_PATH:-}" ]; then
  ANSIBLE_COLLECTIONS_PATH=$(collection_link)
  export ANSIBLE_COLLECTIONS_PATH
fi
export ANSIBLE_PYTHON_INTERPRETER=${ANSIBLE_PYTHON_INTERPRETER:-$VENV_BIN/python}
export ANSIBLE_LOCALHOST_WARNING=false
export PATH=$VENV_BIN:$PATH

cd extensions
rc=0
for scenario in default health_check_fails; do
  timed "molecule: $scenario" "$VENV_BIN/molecule" test -s "$scenario" || rc=1
done
exit "$rc"
