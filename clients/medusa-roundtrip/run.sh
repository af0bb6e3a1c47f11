#!/usr/bin/env bash
# CSV round trips with the real Medusa 1.3.8, both directions (see roundtrip.js):
#   - a fresh reference database (../../../shared/medusa-ref/setup.sh --reset, under its lock),
#     two seeded products given an external_id;
#   - Medusa with its batch jobs running (medusa-jobs.js) on MEDUSA_PORT;
#   - a fresh Gorgon on GORGON_PORT: a new database, gorgon migrate, the admin user with token
#     ref_token, the reference shop's regions (../medusajs/seed.json);
#   - roundtrip.js: Medusa exports, Gorgon imports it; Gorgon exports, Medusa imports it.
# Both servers are stopped and Gorgon's database dropped at the end. The files and results.json
# are left in OUT (default: a temporary folder, printed). UPDATE_FIXTURE=1 copies Medusa's export
# and its products to rest/testdata/medusa-roundtrip/ (TestBatchProductImportMedusaFile reads them).
#
# env: MEDUSA_REF_DB (gorgon_roundtrip_medusa), MEDUSA_PORT (9120), GORGON_PORT (9421),
#      MEDUSA_REF_DIR (/work/ref/medusa-1.3.8), GORGON_TEST_PG (postgres://postgres@127.0.0.1:5432),
#      MEDUSA_FF_SALES_CHANNELS (true: both servers), OUT, SKIP_SETUP=1 (reuse the database as it is)
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
repo=$(cd "$here/../.." && pwd)
shared=${MEDUSA_REF_SHARED:-$(cd "$repo/../.." 2>/dev/null && pwd)/shared/medusa-ref}
[[ -d $shared ]] || shared=/work/shared/medusa-ref
pg=${GORGON_TEST_PG:-postgres://postgres@127.0.0.1:5432}
mdb=${MEDUSA_REF_DB:-gorgon_roundtrip_medusa}
mport=${MEDUSA_PORT:-9120}
gport=${GORGON_PORT:-9421}
gdb="gorgon_roundtrip_$(date +%s)_$$"
out=${OUT:-$(mktemp -d "${TMPDIR:-/tmp}/gorgon-roundtrip.XXXXXX")}
export MEDUSA_FF_SALES_CHANNELS=${MEDUSA_FF_SALES_CHANNELS:-true}
mkdir -p "$out"
mpid="" gpid=""
cleanup() {
	local rc=$?
	[[ -n $mpid ]] && kill "$mpid" 2>/dev/null && wait "$mpid" 2>/dev/null
	[[ -n $gpid ]] && kill "$gpid" 2>/dev/null && wait "$gpid" 2>/dev/null
	psql "$pg/postgres" -qAtX -c "DROP DATABASE IF EXISTS \"$gdb\" WITH (FORCE)" >/dev/null || true
	echo "==> files and results in $out"
	exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT TERM
wait_health() {
	for _ in $(seq 1 600); do curl -sf -o /dev/null "http://127.0.0.1:$1/health" && return 0; sleep 0.5; done
	echo "no answer on :$1" >&2
	return 1
}

if [[ ${SKIP_SETUP:-} != 1 ]]; then
	echo "==> reference database $mdb (setup.sh --reset)"
	MEDUSA_REF_DB=$mdb PORT=$mport flock /tmp/medusa-ref-setup.lock "$shared/setup.sh" --reset
fi
# The admin API cannot set a product's external_id; the file carries it.
psql "$pg/$mdb" -qAtX -v ON_ERROR_STOP=1 -c "UPDATE product SET external_id = 'erp-' || handle WHERE handle IN ('hoodie', 'classic-tee')" >/dev/null

echo "==> Medusa 1.3.8 with batch jobs on :$mport"
MEDUSA_REF_DATABASE_URL="$pg/$mdb" PORT=$mport FILES_DIR="$out/medusa-files" \
	node "$here/medusa-jobs.js" >"$out/medusa.log" 2>&1 &
mpid=$!
wait_health "$mport"

echo "==> Gorgon on :$gport (database $gdb)"
(cd "$repo" && go build -o "$out/gorgon" ./cmd/gorgon)
psql "$pg/postgres" -qAtX -v ON_ERROR_STOP=1 -c "CREATE DATABASE \"$gdb\"" >/dev/null
export DATABASE_URL="$pg/$gdb?sslmode=disable" JWT_SECRET=roundtrip COOKIE_SECRET=roundtrip
"$out/gorgon" migrate >/dev/null
"$out/gorgon" user --email admin@medusa-test.com --password supersecret --api-token ref_token >/dev/null
"$out/gorgon" seed --file "$here/../medusajs/seed.json" >/dev/null
PORT=$gport UPLOAD_DIR="$out/gorgon-files" "$out/gorgon" serve >"$out/gorgon.log" 2>&1 &
gpid=$!
wait_health "$gport"

echo "==> round trips"
MEDUSA_URL="http://127.0.0.1:$mport" GORGON_URL="http://127.0.0.1:$gport" MEDUSA_LOG="$out/medusa.log" node "$here/roundtrip.js" "$out"
if [[ ${UPDATE_FIXTURE:-} == 1 ]]; then
	mkdir -p "$repo/rest/testdata/medusa-roundtrip"
	cp "$out/medusa-products.csv" "$out/medusa-products.json" "$repo/rest/testdata/medusa-roundtrip/"
	echo "==> fixture updated: rest/testdata/medusa-roundtrip/"
fi
