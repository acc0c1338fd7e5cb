#!/usr/bin/env bash
# Debian packages the integration tests need. Idempotent: installs only what is missing.
set -euo pipefail
need=()
# (each optional part appends its packages here, e.g. need+=(chromium))
if [ ${#need[@]} -gt 0 ]; then
  SUDO=""; [ "$(id -u)" -eq 0 ] || SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${need[@]}"
fi
