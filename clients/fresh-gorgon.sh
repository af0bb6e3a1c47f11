# Sourced by the client scenarios' run.sh (clients/*/run.sh): starts a fresh Gorgon for them.
# npm ci in $here (when node_modules is missing or stale), go build, a new uniquely named
# database, gorgon migrate + user (admin@medusa-test.com / supersecret, API token ref_token) +
# seed from $seed_file, gorgon serve on a free port (GORGON_PORT picks one), and a trap that stops
# the server and drops the database whatever happens (KEEP_DB=1 keeps it). Expects $here (the
# scenario's folder), $scenario (a short name) and $seed_file; sets $port and $work (the build
# and log folder). Needs Go, node >= 20 with npm, psql, PostgreSQL on 127.0.0.1:5432 with trust
# auth for user postgres (GORGON_TEST_PG overrides the server URL, as for `go test`).

repo=$(cd "$here/../.." && pwd)
export PATH="/usr/local/go/bin:${PATH}"

pg=${GORGON_TEST_PG:-postgres://postgres@127.0.0.1:5432}
db="gorgon_${scenario}_$(date +%s)_$$"
work=$(mktemp -d "${TMPDIR:-/tmp}/gorgon-${scenario}.XXXXXX")
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
export PORT=$port JWT_SECRET=${scenario}-scenario COOKIE_SECRET=${scenario}-scenario
# The reference Medusa runs with its one feature flag on; so does this server by default.
# MEDUSA_FF_SALES_CHANNELS=false runs the scenario on a flag-off database (sales-channel steps skip).
export MEDUSA_FF_SALES_CHANNELS=${MEDUSA_FF_SALES_CHANNELS:-true}
export UPLOAD_DIR="$work/uploads"

"$work/gorgon" migrate
"$work/gorgon" user --email admin@medusa-test.com --password supersecret --api-token ref_token --id "usr_${scenario}_admin"
"$work/gorgon" seed --file "$seed_file"

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

