#!/usr/bin/env bash
# Regression check against the real Medusa 1.3.8: runs medusa-diff request files twice, once with
# an older Gorgon binary and once with a newer one, each time against a fresh Medusa and a fresh
# Gorgon on copies of the same seeded reference database, then lists the requests that answered
# like Medusa with the old binary and differ with the new one (regressions), and those fixed.
#
#   compare.sh OLD_BINARY NEW_BINARY FILE...
#
# Needs ../shared/medusa-ref installed (setup.sh). env: SEED_DB (a seeded reference database that
# nothing writes to, default medusa_ref; make one with
# MEDUSA_REF_DB=x MEDUSA_REF_PIDFILE=/tmp/x.pid PORT=9110 ../shared/medusa-ref/setup.sh),
# MEDUSA_FF_SALES_CHANNELS for Gorgon (true, as the reference server), MEDUSA_PORT (9110), GORGON_PORT (9111), PGURL, OUT (directory for the reports, default a temp dir),
# DB_PREFIX (the copies are DB_PREFIX_medusa_old, ..._gorgon_new; default cmp: give each
# concurrent user its own), SHARED (the shared folder, default ../shared next to the checkout, or
# two levels up from a worktree in /work/wt/NAME).
# Gorgon gets the reference server's secrets (medusa-ref/setup.sh), so invite tokens can compare.
# Exit status 1 when there is a regression.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
repo=$(cd "$here/../../.." && pwd)
if [[ -z ${SHARED:-} ]]; then
	for d in "$repo/../shared" "$repo/../../shared"; do [[ -d $d/medusa-ref ]] && { SHARED=$(cd "$d" && pwd); break; }; done
fi
shared=${SHARED:?compare.sh: no shared folder (set SHARED)}
old=$(readlink -f "${1:?usage: compare.sh OLD_BINARY NEW_BINARY FILE...}")
new=$(readlink -f "${2:?usage: compare.sh OLD_BINARY NEW_BINARY FILE...}")
shift 2
files=("$@")
[[ ${#files[@]} -gt 0 ]] || { echo "compare.sh: no request files" >&2; exit 2; }
pg=${PGURL:-postgres://postgres@127.0.0.1:5432}
seed=${SEED_DB:-medusa_ref}
mport=${MEDUSA_PORT:-9110}
gport=${GORGON_PORT:-9111}
dbp=${DB_PREFIX:-cmp}
out=${OUT:-$(mktemp -d "${TMPDIR:-/tmp}/medusa-compare.XXXXXX")}
mkdir -p "$out"
gpid=""

stop_all() {
	MEDUSA_REF_PIDFILE="$out/medusa.pid" "$shared/medusa-ref/stop.sh" >/dev/null 2>&1 || true
	if [[ -n $gpid ]]; then kill "$gpid" 2>/dev/null || true; wait "$gpid" 2>/dev/null || true; gpid=""; fi
}
trap stop_all EXIT

copy_db() { # copy_db NAME: a fresh copy of the seed database
	psql "$pg/postgres" -qAtX -v ON_ERROR_STOP=1 -c "DROP DATABASE IF EXISTS \"$1\" WITH (FORCE)" \
		-c "CREATE DATABASE \"$1\" TEMPLATE \"$seed\"" >/dev/null
}

for side in old new; do
	bin=$old
	[[ $side == new ]] && bin=$new
	copy_db "${dbp}_medusa_$side"
	copy_db "${dbp}_gorgon_$side"
	MEDUSA_REF_DB="${dbp}_medusa_$side" MEDUSA_REF_PIDFILE="$out/medusa.pid" MEDUSA_REF_LOG="$out/medusa-$side.log" \
		PORT=$mport "$shared/medusa-ref/start.sh" >/dev/null
	MEDUSA_FF_SALES_CHANNELS=${MEDUSA_FF_SALES_CHANNELS:-true} DATABASE_URL="$pg/${dbp}_gorgon_$side?sslmode=disable" PORT=$gport JWT_SECRET=supersecret COOKIE_SECRET=supersecret \
		"$bin" serve >"$out/gorgon-$side.log" 2>&1 &
	gpid=$!
	for _ in $(seq 1 100); do curl -s -o /dev/null "http://127.0.0.1:$gport/health" && break; sleep 0.2; done
	"$shared/tools/medusa-diff" --json --a "http://127.0.0.1:$mport" --b "http://127.0.0.1:$gport" "${files[@]}" \
		>"$out/$side.json" || true
	stop_all
	echo "$side: $(python3 -c 'import json,sys; r=json.load(open(sys.argv[1])); print(r["requests"]-r["differ"], "of", r["requests"], "answer like Medusa")' "$out/$side.json")"
done

python3 - "$out/old.json" "$out/new.json" <<'EOF'
import json, sys
old = json.load(open(sys.argv[1]))["report"]
new = json.load(open(sys.argv[2]))["report"]
regressions, fixed = [], []
for o, n in zip(old, new):
    same_o, same_n = not o.get("differences"), not n.get("differences")
    if same_o and not same_n:
        regressions.append(n)
    elif same_n and not same_o:
        fixed.append(n)
print(f"fixed: {len(fixed)}, regressions: {len(regressions)}")
for n in regressions:
    print(f"REGRESSION {n['where']} {n['request']} {n['status']}")
    for d in n["differences"][:5]:
        print("    " + d)
sys.exit(1 if regressions else 0)
EOF
