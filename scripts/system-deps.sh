#!/usr/bin/env bash
# Debian packages the integration tests need. Idempotent: installs only what is missing.
set -euo pipefail
need=()
# (each optional part appends its packages here, e.g. need+=(chromium))
# views (tests/test_views_browser.py): headless Chromium, and a CJK font so Chinese labels render
command -v chromium >/dev/null 2>&1 || need+=(chromium)
dpkg -s fonts-wqy-zenhei >/dev/null 2>&1 || need+=(fonts-wqy-zenhei)
# server matrix (tests/test_remote_sparql.py): Virtuoso 7 (Debian 12 ships 7.2.5); the tests start virtuoso-t themselves.
# A service the package itself may start (ports 1111/8890) does not matter: the tests use their own free ports.
command -v virtuoso-t >/dev/null 2>&1 || need+=(virtuoso-opensource-7)
if [ ${#need[@]} -gt 0 ]; then
  SUDO=""; [ "$(id -u)" -eq 0 ] || SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${need[@]}"
fi
