#!/usr/bin/env bash
# The browser tests drive Debian's Chromium (never a downloaded browser) and need a Chinese font,
# or every character renders as an empty box in screenshots.
set -euo pipefail
have_font() { fc-list 2>/dev/null | grep -qi "wenquanyi\|wqy"; }
if [ -x /usr/bin/chromium ] && have_font; then exit 0; fi
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
  echo "[setup] installing Debian chromium and fonts-wqy-microhei for the browser tests"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-wqy-microhei >/dev/null
  exit 0
fi
echo "[setup] warning: /usr/bin/chromium or a Chinese font is missing and cannot be installed" \
     "without root; browser tests will be skipped (apt-get install chromium fonts-wqy-microhei)." >&2
