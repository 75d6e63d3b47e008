#!/usr/bin/env bash
# Query the pipeline's Parquet output with DuckDB, an independent reader. Installs DuckDB's Node.js
# package (from the npm registry) into .work/tools on first use. Needs node and npm.
#   deploy/tools/duckdb-query.sh "SELECT top1_label, count(*) FROM read_parquet('.work/output/<job>/predictions-*.parquet') GROUP BY 1"
set -euo pipefail
HERE="$(cd "$(dirname "$0")" && pwd)"
TOOLS="$HERE/../../.work/tools/duckdb"
if [ ! -d "$TOOLS/node_modules/@duckdb/node-api" ]; then
  mkdir -p "$TOOLS"
  (cd "$TOOLS" && npm install --silent --no-audit --no-fund @duckdb/node-api@1.5.6-r.1 >/dev/null)
fi
cp "$HERE/duckdb-query.mjs" "$TOOLS/query.mjs"
exec node "$TOOLS/query.mjs" "$@"
