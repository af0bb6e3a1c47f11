#!/usr/bin/env bash
# Walks Medusa's own 1.3 admin dashboard (medusajs/admin 8c9c4bd8, built by
# ../shared/admin-dashboard) in headless Chromium against a fresh Gorgon: npm ci (when
# node_modules is missing or stale), chromium (apt-get when missing), the dashboard build for the
# backend URL (cached: ~4 min the first time, nothing after), go build, a new uniquely named
# database, gorgon migrate + user + seed, gorgon serve, the static dashboard server, walk.js,
# then stops both servers and drops the database whatever happened. Exits non-zero when anything
# fails: an unexpected 4xx/5xx, a browser console error, a page without its expected content.
#
# Needs: Go, node >= 20 with npm, psql, PostgreSQL on 127.0.0.1:5432 with trust auth for user
# postgres (GORGON_TEST_PG overrides the server URL), Debian's chromium (/usr/bin/chromium), and
# for the first build network access to the npm registry.
# Environment: MEDUSA_FF_SALES_CHANNELS (default true; false walks a flag-off database),
# GORGON_PORT (default 9202: the backend URL is baked into the dashboard build, so a fixed port
# reuses the cached build), DASHBOARD_PORT (7000), ADMIN_DASHBOARD_DIR (where build.sh is;
# default ../shared/admin-dashboard beside the repository or beside its worktree folder),
# WALK_OUT (screenshots and logs; default a fresh temporary folder, printed), KEEP_DB=1 keeps
# the database, WALK_ONLY=regexp walks only the steps whose names match (and the login), WALK_HOLD=1
# keeps both servers running on the seeded database instead of walking (to develop walk.js).
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
repo=$(cd "$here/../.." && pwd)
export PATH="/usr/local/go/bin:${PATH}"
started=$(date +%s)

pg=${GORGON_TEST_PG:-postgres://postgres@127.0.0.1:5432}
db="gorgon_dashboard_$(date +%s)_$$"
work=$(mktemp -d "${TMPDIR:-/tmp}/gorgon-dashboard.XXXXXX")
out=${WALK_OUT:-$work/out}
port=${GORGON_PORT:-9202}
dash_port=${DASHBOARD_PORT:-7000}
server_pid=""
dash_pid=""
db_created=0

cleanup() {
	local rc=$?
	for pid in "$dash_pid" "$server_pid"; do
		if [[ -n $pid ]] && kill -0 "$pid" 2>/dev/null; then
			kill "$pid" 2>/dev/null || true
			wait "$pid" 2>/dev/null || true
		fi
	done
	if [[ $db_created == 1 && ${KEEP_DB:-} != 1 ]]; then
		psql "$pg/postgres" -qAtX -v ON_ERROR_STOP=1 -c "DROP DATABASE IF EXISTS \"$db\" WITH (FORCE)" >/dev/null ||
			echo "warning: could not drop database $db" >&2
	fi
	if [[ $rc != 0 && -s $work/gorgon.log ]]; then
		echo "==> last lines of the Gorgon log ($work/gorgon.log)" >&2
		tail -n 40 "$work/gorgon.log" >&2
	fi
	echo "==> screenshots and logs in $out"
	echo "==> $(($(date +%s) - started)) s"
	exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# The dashboard's source and build script live outside the repository (see its README).
dash_dir=${ADMIN_DASHBOARD_DIR:-}
if [[ -z $dash_dir ]]; then
	for d in "$repo/../shared/admin-dashboard" "$repo/../../shared/admin-dashboard"; do
		if [[ -x $d/build.sh ]]; then
			dash_dir=$(cd "$d" && pwd)
			break
		fi
	done
fi
if [[ -z $dash_dir || ! -x $dash_dir/build.sh ]]; then
	echo "ERROR: no admin-dashboard/build.sh found; set ADMIN_DASHBOARD_DIR" >&2
	exit 1
fi

# npm ci only when node_modules does not match package-lock.json (hash kept beside it).
lock_hash=$(sha256sum "$here/package-lock.json" | cut -d' ' -f1)
if [[ ! -f $here/node_modules/.gorgon-lock-hash || $(cat "$here/node_modules/.gorgon-lock-hash") != "$lock_hash" ]]; then
	echo "==> npm ci"
	(cd "$here" && npm ci --no-audit --no-fund --loglevel=error)
	echo "$lock_hash" >"$here/node_modules/.gorgon-lock-hash"
fi

chromium=${CHROMIUM:-/usr/bin/chromium}
if [[ ! -x $chromium ]]; then
	echo "==> apt-get install -y chromium"
	apt-get update
	DEBIAN_FRONTEND=noninteractive apt-get install -y chromium
fi

# The browser reaches the backend as localhost (the dashboard's own default form); the build
# bakes this URL in, one cached build per URL.
backend="http://localhost:$port"
echo "==> dashboard build for $backend (cached after the first time)"
t0=$(date +%s)
site=$("$dash_dir/build.sh" "$backend" | tail -1)
echo "    $site ($(($(date +%s) - t0)) s)"

echo "==> go build ./cmd/gorgon"
(cd "$repo" && go build -o "$work/gorgon" ./cmd/gorgon)

echo "==> database $db"
psql "$pg/postgres" -qAtX -v ON_ERROR_STOP=1 -c "CREATE DATABASE \"$db\"" >/dev/null
db_created=1

export DATABASE_URL="$pg/$db?sslmode=disable"
export PORT=$port JWT_SECRET=dashboard-walk COOKIE_SECRET=dashboard-walk
export MEDUSA_FF_SALES_CHANNELS=${MEDUSA_FF_SALES_CHANNELS:-true}
export ADMIN_CORS="http://localhost:$dash_port"
export UPLOAD_DIR="$work/uploads"

"$work/gorgon" migrate
"$work/gorgon" user --email admin@medusa-test.com --password supersecret --api-token ref_token --id usr_dashboard_admin
"$work/gorgon" seed --file "$here/seed.json"

wait_for() { # url pid what
	for i in $(seq 1 100); do
		if node -e 'fetch(process.argv[1]).then(r=>process.exit(r.ok?0:1),()=>process.exit(1))' "$1"; then
			return 0
		fi
		if ! kill -0 "$2" 2>/dev/null; then
			echo "ERROR: $3 exited" >&2
			exit 1
		fi
		if [[ $i == 100 ]]; then
			echo "ERROR: $3 did not answer $1 within 20s" >&2
			exit 1
		fi
		sleep 0.2
	done
}

echo "==> gorgon serve on :$port (sales channels: $MEDUSA_FF_SALES_CHANNELS)"
"$work/gorgon" serve >"$work/gorgon.log" 2>&1 &
server_pid=$!
wait_for "http://127.0.0.1:$port/health" "$server_pid" "gorgon serve"

echo "==> dashboard on :$dash_port"
node "$dash_dir/serve-static.js" "$site" "$dash_port" 127.0.0.1 >"$work/dashboard.log" 2>&1 &
dash_pid=$!
wait_for "http://127.0.0.1:$dash_port/" "$dash_pid" "the dashboard server"

echo "==> seed through the admin API (collections, customers, groups, price list, discount, gift card, …)"
(cd "$here" && BACKEND_URL="http://127.0.0.1:$port" node seed-extra.js seed.json)

if [[ ${WALK_HOLD:-} == 1 ]]; then
	echo "==> WALK_HOLD=1: Gorgon on :$port, the dashboard on http://localhost:$dash_port; run walk.js by hand, Ctrl-C stops both"
	wait "$server_pid"
	exit 0
fi

echo "==> walk (screenshots in $out)"
mkdir -p "$out"
cd "$here"
DASHBOARD_URL="http://localhost:$dash_port" BACKEND_URL="$backend" WALK_OUT="$out" CHROMIUM="$chromium" \
	SALES_CHANNELS="$MEDUSA_FF_SALES_CHANNELS" node walk.js
