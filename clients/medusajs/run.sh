#!/usr/bin/env bash
# Runs the @medusajs/medusa-js 1.2.6 scenario (test/*.test.js) against a fresh Gorgon:
# npm ci (when node_modules is missing or stale), go build, a new uniquely named database,
# gorgon migrate + user + seed, gorgon serve on a free port, node --test, then stops the
# server and drops the database whatever happened. Exits non-zero when anything fails.
#
# Needs: Go, node >= 20 with npm, psql, PostgreSQL on 127.0.0.1:5432 with trust auth for user
# postgres (GORGON_TEST_PG overrides the server URL, as for `go test`). GORGON_PORT picks the
# port instead of a free one; KEEP_DB=1 keeps the database for a look afterwards.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
scenario=medusajs
seed_file="$here/seed.json"
# shellcheck source=../fresh-gorgon.sh
source "$here/../fresh-gorgon.sh"

echo "==> node --test (medusa-js 1.2.6 against Gorgon)"
cd "$here"
status=0
MEDUSA_URL="http://127.0.0.1:$port" MEDUSA_TARGET=gorgon \
	node --test --test-concurrency=1 --test-reporter=spec test/ || status=$?
# Steps that fail on Gorgon for a known cause run as TODO (reported, not failing the run).
node -e 'const k = require("./test/known-failures.js").KNOWN_FAILURES; const n = Object.keys(k).length;
console.log(`==> KNOWN_FAILURES (${n} step${n === 1 ? "" : "s"} run as TODO on Gorgon; see test/known-failures.js)`);
for (const [step, cause] of Object.entries(k)) console.log(`  - ${step}\n      ${cause}`)'
exit "$status"
