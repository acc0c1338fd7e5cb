#!/usr/bin/env bash
# Set up everything the test suite needs, then check and run all of it (README's second command;
# .ci/run calls it). Extra arguments go to every pytest run.
set -euo pipefail
cd "$(dirname "$0")/.."
PY=${PYTHON:-python3}
[ -x .venv/bin/python ] || "$PY" -m venv .venv
.venv/bin/python -m pip install -q --upgrade pip
# System packages the integration tests need (Debian); skipped when already present.
if [ -x scripts/system-deps.sh ]; then bash scripts/system-deps.sh; fi
.venv/bin/python -m pip install -q -e '.[dev,bolt,extract,docs,oxigraph]'
# Habits first: lint (ruff) and types (mypy over the core packages), both configured in pyproject.toml.
.venv/bin/python -m ruff check kg scripts tests
.venv/bin/python -m mypy
# The manual (mkdocs.yml, docs/): strict, so a broken link, anchor, include or a page left out
# of the nav fails CI. Built aside; nothing is written into the repository.
site=$(mktemp -d)
NO_MKDOCS_2_WARNING=1 .venv/bin/python -m mkdocs build --strict --quiet --site-dir "$site"
rm -rf "$site"
# The lanes (tests/conftest.py assigns them): the fast one first, then the slow one and the integration
# one (servers, browser, graph database) on two workers: their servers take free ports and their files
# live in each test's tmp_path. Exit status 5 (nothing selected, e.g. a file of another lane) is not a failure.
lane() {
    local rc=0
    .venv/bin/python -m pytest "$@" || rc=$?
    if [ "$rc" -ne 0 ] && [ "$rc" -ne 5 ]; then exit "$rc"; fi
}
lane "$@"
lane -m slow -n 2 "$@"
lane -m integration -n 2 "$@"
