#!/usr/bin/env bash
# Runs order_actions.txt: places 12 orders (two with a swap, two with a claim) on the reference Medusa (A, default :9100), copies its
# database to orderacts_cmp, starts Gorgon (the binary $GORGON, default a fresh build) on the
# copy on :9202, fills in the order and item ids, and compares with medusa-diff.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
A=${A:-http://127.0.0.1:9100}
B_PORT=${B_PORT:-9202}
DB=${DB:-orderacts_cmp}
shared=${SHARED:-$here/../../../../shared}
[ -d "$shared/tools" ] || shared=/work/shared
placed=$(python3 "$here/place_action_orders.py" "$A" 12 swaps)
"$shared/medusa-ref/clone-db.sh" "$DB"
bin=${GORGON:-}
if [ -z "$bin" ]; then bin=$(mktemp -d)/gorgon; (cd "$here/../../.." && go build -o "$bin" ./cmd/gorgon); fi
DATABASE_URL="postgres://postgres@127.0.0.1:5432/$DB?sslmode=disable" PORT=$B_PORT JWT_SECRET=supersecret \
  COOKIE_SECRET=supersecret MEDUSA_FF_SALES_CHANNELS=true "$bin" serve >"${LOG:-/dev/null}" 2>&1 &
pid=$!
trap 'kill $pid' EXIT
for _ in $(seq 50); do curl -sf "http://127.0.0.1:$B_PORT/health" >/dev/null && break; sleep 0.2; done
file=$(mktemp)
python3 - "$placed" "$A" "$here/order_actions.txt" >"$file" <<'PY'
import json, sys, urllib.request
placed = json.loads(sys.argv[1])
def get(path):
    req = urllib.request.Request(sys.argv[2] + path, headers={"Authorization": "Bearer ref_token"})
    return json.load(urllib.request.urlopen(req))
subs = {}
for i, oid in enumerate(placed["orders"]):
    subs[f"o{i}"] = oid
    for it in get(f"/admin/orders/{oid}")["order"]["items"]:
        subs[f"o{i}{'m' if it['variant_id'] == placed['variant_managed'] else 'u'}"] = it["id"]
opts = get("/admin/shipping-options")["shipping_options"]
subs["gift_option"] = [o for o in opts if o["name"] == "Gift Card Delivery"][0]["id"]
for i, sid in enumerate(placed.get("swaps", [])):
    subs[f"s{i}"] = sid
for i, cid in enumerate(placed.get("claims", [])):
    subs[f"c{i}"] = cid
subs["return_option"] = [o for o in opts if o["name"] == "EU Return"][0]["id"]
text = open(sys.argv[3]).read()
for k in sorted(subs, key=len, reverse=True):
    text = text.replace("{" + k + "}", subs[k])
print(text)
PY
cp "$file" "${KEEP:-/dev/null}"
"$shared/tools/medusa-diff" --a "$A" --b "http://127.0.0.1:$B_PORT" "$@" "$file"
