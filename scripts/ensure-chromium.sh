#!/usr/bin/env bash
# Browser tests drive Debian's chromium (never a downloaded browser): install it or say what to do.
set -euo pipefail
CHROMIUM=${CHROMIUM:-/usr/bin/chromium}
if [ -x "$CHROMIUM" ]; then
  exit 0
fi
if [ "$(id -u)" -eq 0 ] && command -v apt-get >/dev/null; then
  echo "chromium not found: installing Debian's chromium package for the browser tests"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends chromium >/dev/null
  exit 0
fi
cat >&2 <<MSG
************************************************************************
The browser tests need Debian's chromium at $CHROMIUM, and it is missing.
Install it as root:   sudo apt-get install chromium
(or set CHROMIUM=/path/to/chromium). The tests will not run without it.
************************************************************************
MSG
exit 1
