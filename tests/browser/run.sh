#!/usr/bin/env bash
# Browser test of `strata docs`: builds the docs site of the example project (examples/blog,
# SQLite, schema files + migrations for the changelog) and of Pagila (PostgreSQL, loaded into a
# scratch database with psql, documented from the live database with row estimates), opens each
# in headless Chromium (Debian's /usr/bin/chromium driven by playwright-core, see docs.mjs),
# checks the overview, a table page and the changelog, and takes screenshots.
#
#   tests/browser/run.sh
#
# Environment:
#   STRATA_TEST_POSTGRES_URL  server for the Pagila run (postgres://postgres@127.0.0.1:5432/test);
#                             unset: Pagila is skipped, or fails with CI=true
#   PAGILA_SQL                Pagila's schema (default ../shared/data/pagila/pagila-schema.sql)
#   SHOTS                     where the screenshots go (default: a temporary folder, printed)
#   STRATA_UPDATE_SCREENSHOT=1  also copy Pagila's overview to docs/screenshot-docs.png (the
#                             README's picture); off by default so a test run never edits the tree
#   CHROMIUM                  the browser (default /usr/bin/chromium)
set -euo pipefail
cd "$(dirname "$0")/../.."
ROOT=$PWD

log() { echo "tests/browser: $*" >&2; }
die() {
  log "error: $*"
  exit 1
}

CHROMIUM=${CHROMIUM:-/usr/bin/chromium}
export CHROMIUM
[ -x "$CHROMIUM" ] || die "$CHROMIUM not found; install Debian's chromium (apt-get install -y chromium)"
command -v node >/dev/null || die "node not found"

if [ ! -d tests/browser/node_modules/playwright-core ]; then
  log "installing playwright-core (no browser download: Debian's chromium is used)"
  (cd tests/browser && PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm ci --no-audit --no-fund --loglevel=error)
fi

cargo build -q -p strata-cli --locked
STRATA=$ROOT/target/debug/strata

WORK=$(mktemp -d "${TMPDIR:-/tmp}/strata-browser.XXXXXX")
SHOTS=${SHOTS:-$WORK/screenshots}
mkdir -p "$SHOTS"
PG_DB=""
cleanup() {
  if [ -n "$PG_DB" ]; then
    psql -X -q "$PG_ADMIN" -c "DROP DATABASE IF EXISTS $PG_DB" >/dev/null 2>&1 || true
  fi
  # Keep the screenshots when they are in the work folder.
  find "$WORK" -mindepth 1 -maxdepth 1 ! -name screenshots -exec rm -rf {} +
}
trap cleanup EXIT

# --- examples/blog (SQLite) ------------------------------------------------------------------
log "examples/blog: strata docs"
"$STRATA" -C examples/blog docs --out "$WORK/blog"
node tests/browser/docs.mjs "$WORK/blog" posts "$SHOTS" blog email

# --- Pagila (PostgreSQL) ---------------------------------------------------------------------
PAGILA_SQL=${PAGILA_SQL:-$ROOT/../shared/data/pagila/pagila-schema.sql}
PG_URL=${STRATA_TEST_POSTGRES_URL:-}
if [ -z "$PG_URL" ] || [ ! -f "$PAGILA_SQL" ] || ! command -v psql >/dev/null; then
  if [ -n "${CI:-}" ]; then
    die "Pagila needs STRATA_TEST_POSTGRES_URL, psql and $PAGILA_SQL (CI=true)"
  fi
  log "notice: Pagila skipped (needs STRATA_TEST_POSTGRES_URL, psql and $PAGILA_SQL)"
else
  base=${PG_URL%%\?*}
  query=${PG_URL#"$base"}
  PG_ADMIN=$PG_URL
  PG_DB="strata_browser_pagila_$$"
  SCRATCH="${base%/*}/$PG_DB$query"
  log "Pagila: loading $PAGILA_SQL into $PG_DB"
  psql -X -q "$PG_ADMIN" -c "CREATE DATABASE $PG_DB" >/dev/null
  psql -X -q -v ON_ERROR_STOP=1 "$SCRATCH" -f "$PAGILA_SQL" >/dev/null
  # A few rows and fresh statistics, so the row estimates have something to show.
  psql -X -q -v ON_ERROR_STOP=1 "$SCRATCH" >/dev/null <<'SQL'
INSERT INTO language (name) SELECT l FROM unnest(ARRAY['English', 'Italian', 'Japanese', 'Mandarin', 'French', 'German']) l;
INSERT INTO category (name) SELECT 'Category ' || g FROM generate_series(1, 16) g;
INSERT INTO actor (first_name, last_name) SELECT 'First' || g, 'Last' || g FROM generate_series(1, 200) g;
INSERT INTO country (country) SELECT 'Country ' || g FROM generate_series(1, 109) g;
INSERT INTO city (city, country_id) SELECT 'City ' || g, 1 + g % 109 FROM generate_series(1, 600) g;
ANALYZE;
SQL
  mkdir -p "$WORK/pagila-project"
  log "Pagila: strata --url ... docs"
  "$STRATA" -C "$WORK/pagila-project" --url "$SCRATCH" docs --title pagila --out "$WORK/pagila"
  grep -q 'Rows (est.)' "$WORK/pagila/index.html" || die "Pagila: the overview has no row estimates"
  node tests/browser/docs.mjs "$WORK/pagila" film "$SHOTS" pagila rental
  if [ "${STRATA_UPDATE_SCREENSHOT:-}" = 1 ]; then
    cp "$SHOTS/pagila-index.png" docs/screenshot-docs.png
    log "updated docs/screenshot-docs.png"
  fi
fi

log "screenshots: $SHOTS"
ls -1 "$SHOTS" >&2
