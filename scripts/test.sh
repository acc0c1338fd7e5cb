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
.venv/bin/python -m pip install -q -e '.[dev,bolt,extract,docs]'
# The manual (mkdocs.yml, docs/): strict, so a broken link, anchor, include or a page left out
# of the nav fails CI. Built aside; nothing is written into the repository.
site=$(mktemp -d)
NO_MKDOCS_2_WARNING=1 .venv/bin/python -m mkdocs build --strict --quiet --site-dir "$site"
rm -rf "$site"
exec .venv/bin/python -m pytest "$@"
