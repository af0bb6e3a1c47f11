#!/usr/bin/env bash
# Measures a product-import of NEW products: a synthetic catalog (gorgon seed --generate-products
# N: N products, 5 variants and 3 prices each) is exported by Gorgon's product-export, and that
# file is imported into an empty shop (migrated, no products), so every line creates. Prints the
# time from the job's creation to completed, lines (variants) per second, and the importing
# server's peak RSS (VmHWM) before and after.
#
#   bench/product-import.sh [N]          N defaults to 10000
#
# env: GORGON_TEST_PG (postgres://postgres@127.0.0.1:5432), PORT_EXPORT / PORT_IMPORT (9423/9424),
#      DB_PREFIX (bench_import), KEEP_DB=1 keeps both databases, MEDUSA_FF_SALES_CHANNELS (true)
set -euo pipefail
N=${1:-10000}
repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
pg=${GORGON_TEST_PG:-postgres://postgres@127.0.0.1:5432}
prefix=${DB_PREFIX:-bench_import}
src="${prefix}_src_$$" dst="${prefix}_dst_$$"
work=$(mktemp -d "${TMPDIR:-/tmp}/gorgon-import-bench.XXXXXX")
export MEDUSA_FF_SALES_CHANNELS=${MEDUSA_FF_SALES_CHANNELS:-true} JWT_SECRET=bench COOKIE_SECRET=bench
pid=""
cleanup() {
	[[ -n $pid ]] && kill "$pid" 2>/dev/null && wait "$pid" 2>/dev/null
	if [[ ${KEEP_DB:-} != 1 ]]; then
		for d in "$src" "$dst"; do psql "$pg/postgres" -qAtX -c "DROP DATABASE IF EXISTS \"$d\" WITH (FORCE)" >/dev/null || true; done
	fi
	rm -rf "$work"
}
trap cleanup EXIT
H='Authorization: Bearer bench_token'
api() { curl -sf -H "$H" -H 'Content-Type: application/json' "$@"; }
jq_() { python3 -c "import json,sys; d=json.load(sys.stdin); print($1)"; }
# wait_job PORT ID: polls the job until completed (fails on failed/canceled); prints nothing.
wait_job() {
	while :; do
		st=$(api "http://127.0.0.1:$1/admin/batch-jobs/$2" | jq_ 'd["batch_job"]["status"]')
		case $st in completed) return 0 ;; failed | canceled)
			api "http://127.0.0.1:$1/admin/batch-jobs/$2" >&2
			return 1
			;;
		esac
		sleep 1
	done
}
serve() { # serve DB PORT UPLOAD_DIR: starts gorgon serve, sets $pid, waits for /health
	DATABASE_URL="$pg/$1?sslmode=disable" PORT=$2 UPLOAD_DIR=$3 "$work/gorgon" serve >"$work/serve-$2.log" 2>&1 &
	pid=$!
	for _ in $(seq 1 300); do curl -sf "http://127.0.0.1:$2/health" >/dev/null && return 0; sleep 0.2; done
	echo "gorgon did not start" >&2
	return 1
}
stop() { kill "$pid"; wait "$pid" 2>/dev/null || true; pid=""; }

echo "==> go build"
(cd "$repo" && go build -o "$work/gorgon" ./cmd/gorgon)
for d in "$src" "$dst"; do
	psql "$pg/postgres" -qAtX -v ON_ERROR_STOP=1 -c "CREATE DATABASE \"$d\"" >/dev/null
	DATABASE_URL="$pg/$d?sslmode=disable" "$work/gorgon" migrate >/dev/null
	DATABASE_URL="$pg/$d?sslmode=disable" "$work/gorgon" user --email bench@example.com --password benchbench --api-token bench_token >/dev/null
done
echo "==> seed --generate-products $N into $src"
DATABASE_URL="$pg/$src?sslmode=disable" "$work/gorgon" seed --generate-products "$N"

echo "==> export"
serve "$src" "${PORT_EXPORT:-9423}" "$work/up-src"
id=$(api -X POST -d '{"type":"product-export","context":{}}' "http://127.0.0.1:${PORT_EXPORT:-9423}/admin/batch-jobs" | jq_ 'd["batch_job"]["id"]')
wait_job "${PORT_EXPORT:-9423}" "$id"
key=$(api "http://127.0.0.1:${PORT_EXPORT:-9423}/admin/batch-jobs/$id" | jq_ 'd["batch_job"]["result"]["file_key"]')
stop
csv="$work/up-src/$key"
lines=$(($(wc -l <"$csv") - 1))
echo "    $lines lines, $(du -h "$csv" | cut -f1)"

echo "==> import into the empty shop $dst"
# the generator's store currencies (usd, eur, gbp), as the source shop has them
psql "$pg/$dst" -qAtX -v ON_ERROR_STOP=1 -c "INSERT INTO store_currencies (store_id, currency_code)
	SELECT s.id, c FROM store s, unnest(ARRAY['usd','eur','gbp']) c ON CONFLICT DO NOTHING" >/dev/null
port=${PORT_IMPORT:-9424}
serve "$dst" "$port" "$work/up-dst"
rss() { awk '/VmHWM|VmRSS/ {printf "%s %d MB  ", $1, $2/1024}' "/proc/$pid/status"; }
echo "    before: $(rss)"
up=$(curl -sf -H "$H" -F "files=@$csv;filename=products.csv" "http://127.0.0.1:$port/admin/uploads" | jq_ 'd["uploads"][0]["key"]')
t0=$(date +%s.%N)
id=$(api -X POST -d "{\"type\":\"product-import\",\"context\":{\"fileKey\":\"$up\"}}" "http://127.0.0.1:$port/admin/batch-jobs" | jq_ 'd["batch_job"]["id"]')
wait_job "$port" "$id"
t1=$(date +%s.%N)
echo "    after:  $(rss)"
api "http://127.0.0.1:$port/admin/batch-jobs/$id" | jq_ 'd["batch_job"]["result"]["stat_descriptors"][0]["message"]'
counts=$(psql "$pg/$dst" -qAtX -c "SELECT (SELECT count(*) FROM product WHERE deleted_at IS NULL) || ' products, ' || (SELECT count(*) FROM product_variant WHERE deleted_at IS NULL) || ' variants, ' || (SELECT count(*) FROM money_amount WHERE deleted_at IS NULL) || ' prices'")
python3 -c "
t=$t1-$t0; n=$lines
print(f'    imported: $counts in {t:.0f} s from create to completed: {n/t:.0f} lines (variants) a second, {$N/t:.0f} products a second')"
