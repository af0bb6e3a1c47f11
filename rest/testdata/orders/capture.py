#!/usr/bin/env python3
"""Captures what the real Medusa 1.3.8 answers about its orders, with the shop they are about:
clones the reference database (../shared/medusa-ref/clone-db.sh), writes the shop fixture
(store/ordertest/dump.sh) from the copy, asks the reference server each request of
requests.txt and saves the answer as medusa/<name>.json. The reference database is shared and
others act on its orders: the capture is retried until no order row changed while it ran.

Usage: capture.py [base_url]   (default http://127.0.0.1:9100, bearer ref_token)
"""
import json, os, subprocess, sys, urllib.request, urllib.error

BASE = sys.argv[1] if len(sys.argv) > 1 else "http://127.0.0.1:9100"
HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.abspath(os.path.join(HERE, "../../.."))
SHARED = os.path.abspath(os.path.join(ROOT, "../shared"))
if not os.path.isdir(SHARED):
    SHARED = "/work/shared"
DB = "ordersread_fixture"
PG = "postgres://postgres@127.0.0.1:5432"
SIG = """SELECT concat_ws('|', (SELECT count(*) || max(updated_at)::text FROM "order"),
  (SELECT count(*) || max(updated_at)::text FROM line_item), (SELECT count(*) || max(updated_at)::text FROM payment),
  (SELECT count(*) || max(updated_at)::text FROM fulfillment), (SELECT count(*) || max(updated_at)::text FROM "return"),
  (SELECT count(*) || max(updated_at)::text FROM swap), (SELECT count(*) || max(updated_at)::text FROM claim_order),
  (SELECT count(*) FROM refund), (SELECT count(*) || max(updated_at)::text FROM customer))"""


def sig():
    return subprocess.run(["psql", PG + "/medusa_ref", "-qAtXc", SIG], check=True, capture_output=True, text=True).stdout


def get(path):
    req = urllib.request.Request(BASE + path)
    req.add_header("Authorization", "Bearer ref_token")
    try:
        with urllib.request.urlopen(req, timeout=120) as r:
            return r.status, json.loads(r.read())
    except urllib.error.HTTPError as e:
        body = e.read()
        try:
            return e.code, json.loads(body)
        except ValueError:
            return e.code, body.decode()


for attempt in range(5):
    before = sig()
    subprocess.run([SHARED + "/medusa-ref/clone-db.sh", DB], check=True)
    subprocess.run([ROOT + "/store/ordertest/dump.sh", f"{PG}/{DB}"], check=True)
    answers = {}
    for line in open(os.path.join(HERE, "requests.txt")):
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        name, path = line.split(None, 1)
        answers[name] = dict(zip(("status", "body"), get(path)), path=path)
    if sig() == before:
        break
    print("the reference database changed during the capture; again", file=sys.stderr)
else:
    sys.exit("no quiet moment on the reference database")
os.makedirs(os.path.join(HERE, "medusa"), exist_ok=True)
for name, a in answers.items():
    with open(os.path.join(HERE, "medusa", name + ".json"), "w") as f:
        json.dump(a, f, indent=1, sort_keys=True)
        f.write("\n")
print(f"captured {len(answers)} answers")
