#!/usr/bin/env bash
# Install the pinned front-end packages (package-lock.json) and copy the files the
# templates use into static/vendor/ (git-ignored). Without npm the portal runs unstyled.
set -euo pipefail
cd "$(dirname "$0")/.."
if ! command -v npm >/dev/null 2>&1; then
  echo "npm not found: front-end assets skipped, the portal will run unstyled (install Node.js/npm and re-run)."
  exit 0
fi
npm ci --no-audit --no-fund --loglevel=error >/dev/null
rm -rf static/vendor
mkdir -p static/vendor/bootstrap/css static/vendor/bootstrap/js static/vendor/bootstrap-icons/font static/vendor/chart.js
cp node_modules/bootstrap/dist/css/bootstrap.min.css node_modules/bootstrap/dist/css/bootstrap.min.css.map static/vendor/bootstrap/css/
cp node_modules/bootstrap/dist/js/bootstrap.bundle.min.js node_modules/bootstrap/dist/js/bootstrap.bundle.min.js.map static/vendor/bootstrap/js/
cp -r node_modules/bootstrap-icons/font/bootstrap-icons.min.css node_modules/bootstrap-icons/font/fonts static/vendor/bootstrap-icons/font/
cp node_modules/chart.js/dist/chart.umd.min.js node_modules/chart.js/dist/chart.umd.min.js.map static/vendor/chart.js/
echo "front-end assets copied to static/vendor/"
