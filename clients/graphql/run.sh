#!/usr/bin/env bash
# Runs the GraphQL client scenario (test/*.test.js: Apollo Client with persisted queries and
# batching, urql with its default GET, graphql-request, graphql-codegen with persisted
# documents, the playground's login in headless Chromium, subscriptions through graphql-ws and
# Apollo's GraphQLWsLink) against a fresh Gorgon: npm ci (when
# node_modules is missing or stale), go build, a new uniquely named database, gorgon migrate +
# user + seed, gorgon serve on a free port, node --test, then stops the server and drops the
# database whatever happened. Exits non-zero when anything fails. Screenshots go to
# GRAPHQL_OUT (default a temporary folder, printed). Needs Debian's chromium (/usr/bin/chromium)
# for the playground step, which is skipped (and says so) without it.
#
# Needs: Go, node >= 20 with npm, psql, PostgreSQL on 127.0.0.1:5432 with trust auth for user
# postgres (GORGON_TEST_PG overrides the server URL, as for `go test`). GORGON_PORT picks the
# port instead of a free one; KEEP_DB=1 keeps the database for a look afterwards.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
repo=$(cd "$here/../.." && pwd)
export PATH="/usr/local/go/bin:${PATH}"

pg=${GORGON_TEST_PG:-postgres://postgres@127.0.0.1:5432}
db="gorgon_graphql_$(date +%s)_$$"
work=$(mktemp -d "${TMPDIR:-/tmp}/gorgon-graphql.XXXXXX")
server_pid=""
db_created=0

cleanup() {
	local rc=$?
	if [[ -n $server_pid ]] && kill -0 "$server_pid" 2>/dev/null; then
		kill "$server_pid" 2>/dev/null || true
		wait "$server_pid" 2>/dev/null || true
	fi
	if [[ $db_created == 1 && ${KEEP_DB:-} != 1 ]]; then
		psql "$pg/postgres" -qAtX -v ON_ERROR_STOP=1 -c "DROP DATABASE IF EXISTS \"$db\" WITH (FORCE)" >/dev/null ||
			echo "warning: could not drop database $db" >&2
	fi
	if [[ $rc != 0 && -s $work/gorgon.log ]]; then
		echo "==> last lines of the Gorgon log ($work/gorgon.log)" >&2
		tail -n 40 "$work/gorgon.log" >&2
	else
		rm -rf "$work"
	fi
	exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# npm ci only when node_modules does not match package-lock.json (hash kept beside it).
lock_hash=$(sha256sum "$here/package-lock.json" | cut -d' ' -f1)
if [[ ! -f $here/node_modules/.gorgon-lock-hash || $(cat "$here/node_modules/.gorgon-lock-hash") != "$lock_hash" ]]; then
	echo "==> npm ci"
	(cd "$here" && npm ci --no-audit --no-fund --loglevel=error)
	echo "$lock_hash" >"$here/node_modules/.gorgon-lock-hash"
fi

echo "==> go build ./cmd/gorgon"
(cd "$repo" && go build -o "$work/gorgon" ./cmd/gorgon)

echo "==> database $db"
psql "$pg/postgres" -qAtX -v ON_ERROR_STOP=1 -c "CREATE DATABASE \"$db\"" >/dev/null
db_created=1

port=${GORGON_PORT:-$(node -e 'const s=require("net").createServer().listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})')}
export DATABASE_URL="$pg/$db?sslmode=disable"
export PORT=$port JWT_SECRET=graphql-scenario COOKIE_SECRET=graphql-scenario
# The reference Medusa runs with its one feature flag on; so does this server by default.
# MEDUSA_FF_SALES_CHANNELS=false runs the scenario on a flag-off database (sales-channel steps skip).
export MEDUSA_FF_SALES_CHANNELS=${MEDUSA_FF_SALES_CHANNELS:-true}
export UPLOAD_DIR="$work/uploads"

"$work/gorgon" migrate
"$work/gorgon" user --email admin@medusa-test.com --password supersecret --api-token ref_token --id usr_graphql_admin
"$work/gorgon" seed --file "$here/../medusajs/seed.json"

echo "==> gorgon serve on 127.0.0.1:$port"
"$work/gorgon" serve >"$work/gorgon.log" 2>&1 &
server_pid=$!
for i in $(seq 1 100); do
	if node -e 'fetch(process.argv[1]).then(r=>process.exit(r.ok?0:1),()=>process.exit(1))' "http://127.0.0.1:$port/health"; then
		break
	fi
	if ! kill -0 "$server_pid" 2>/dev/null; then
		echo "ERROR: gorgon serve exited" >&2
		exit 1
	fi
	if [[ $i == 100 ]]; then
		echo "ERROR: gorgon did not answer /health within 20s" >&2
		exit 1
	fi
	sleep 0.2
done

out=${GRAPHQL_OUT:-$(mktemp -d "${TMPDIR:-/tmp}/gorgon-graphql-out.XXXXXX")}
echo "==> node --test (GraphQL clients against Gorgon; screenshots in $out)"
cd "$here"
GORGON_URL="http://127.0.0.1:$port" GORGON_BIN="$work/gorgon" GRAPHQL_OUT="$out" \
	node --test --test-concurrency=1 --test-reporter=spec test/
