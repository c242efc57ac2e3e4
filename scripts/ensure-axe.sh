#!/usr/bin/env bash
# The accessibility tests inject axe-core, pinned in package.json and package-lock.json: install it
# into node_modules/ with `npm ci` when it is missing or another version, or say what to do.
set -euo pipefail
cd "$(dirname "$0")/.."
AXE=node_modules/axe-core
wanted=$(sed -n 's/^ *"axe-core": "\(.*\)"/\1/p' package.json)
if [ -f "$AXE/axe.min.js" ] && grep -q "\"version\": \"$wanted\"" "$AXE/package.json"; then
  exit 0
fi
if ! command -v npm >/dev/null; then
  if [ "$(id -u)" -eq 0 ] && command -v apt-get >/dev/null; then
    echo "npm not found: installing Debian's npm package for the accessibility tests"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends npm >/dev/null
  else
    cat >&2 <<MSG
************************************************************************
The accessibility tests need axe-core from the npm registry, installed
with npm, and npm is missing. Install Node.js and npm as root:
    sudo apt-get install npm
then run make test again. The tests will not run without it.
************************************************************************
MSG
    exit 1
  fi
fi
echo "Installing axe-core $wanted into node_modules/ for the accessibility tests (npm ci)"
npm ci --ignore-scripts --no-audit --no-fund --loglevel=error
