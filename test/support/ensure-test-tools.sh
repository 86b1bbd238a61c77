#!/usr/bin/env bash
# Runs before `npm test`: the tests check generated PDFs with poppler's pdftotext and pdfinfo.
# On a Debian machine where we are root, install them; elsewhere say exactly what is missing.
set -euo pipefail
if command -v pdftotext >/dev/null && command -v pdfinfo >/dev/null; then exit 0; fi
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
  echo 'Installing poppler-utils (pdftotext, pdfinfo) for the PDF checks...'
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends poppler-utils >/dev/null
  exit 0
fi
echo 'The tests need pdftotext and pdfinfo: install poppler-utils (apt-get install poppler-utils, brew install poppler).' >&2
exit 1
