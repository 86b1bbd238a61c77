#!/usr/bin/env bash
# Runs before `npm test`. The tests check generated PDFs with poppler's pdftotext and pdfinfo, and
# drive the web page in Debian's Chromium (through playwright-core, which downloads no browser).
# On a Debian machine where we are root, install what is missing; elsewhere say exactly what.
set -euo pipefail

chromium_path="${CHROMIUM_PATH:-/usr/bin/chromium}"
packages=()
if ! command -v pdftotext >/dev/null || ! command -v pdfinfo >/dev/null; then packages+=(poppler-utils); fi
if [ ! -x "$chromium_path" ]; then packages+=(chromium fonts-liberation); fi
if [ ${#packages[@]} -eq 0 ]; then exit 0; fi

if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
  echo "Installing ${packages[*]} for the tests..."
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${packages[@]}" >/dev/null
  exit 0
fi
echo "The tests need: ${packages[*]}." >&2
echo '  poppler-utils: pdftotext and pdfinfo (apt-get install poppler-utils, brew install poppler)' >&2
echo '  chromium: a Chromium browser at /usr/bin/chromium (apt-get install chromium), or set CHROMIUM_PATH to one' >&2
exit 1
