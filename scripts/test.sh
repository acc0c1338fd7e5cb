#!/usr/bin/env bash
# Set up everything the test suite needs, then run it (README's second command; .ci/run calls it).
# Extra arguments go to pytest.
set -euo pipefail
cd "$(dirname "$0")/.."
PY=${PYTHON:-python3}
[ -x .venv/bin/python ] || "$PY" -m venv .venv
.venv/bin/python -m pip install -q --upgrade pip
# System packages the integration tests need (Debian); skipped when already present.
if [ -x scripts/system-deps.sh ]; then bash scripts/system-deps.sh; fi
.venv/bin/python -m pip install -q -e '.[dev,bolt,views,serve,extract]'
exec .venv/bin/python -m pytest "$@"
