#!/usr/bin/env python3
"""Places orders on the Medusa 1.3.8 reference server through its store API for the order
actions comparison (order_actions.txt): a product of its own with managed inventory (100 in
stock) and one without, orders of 2 + 1 items in the EU region with the standard shipping
option and the manual payment provider. Prints the created ids as JSON (the request file takes
them as {order1}… via medusa-diff captures of GET /admin/orders?q=…).

With "swaps" (and at least 12 orders), orders 8 and 9 are captured and fulfilled and get a swap
completed through the store API, orders 10 and 11 a replacement claim.

Usage: place_action_orders.py [base_url] [count] [swaps]   (default http://127.0.0.1:9100, 6 orders)
"""
import json, sys, time, urllib.request, urllib.error

BASE = sys.argv[1] if len(sys.argv) > 1 else "http://127.0.0.1:9100"
COUNT = int(sys.argv[2]) if len(sys.argv) > 2 else 6
SWAPS = len(sys.argv) > 3 and sys.argv[3] == "swaps"
SFX = str(int(time.time()))[-6:]


def call(method, path, body=None, admin=True):
    req = urllib.request.Request(BASE + path, method=method)
    if admin:
        req.add_header("Authorization", "Bearer ref_token")
    data = None
    if body is not None:
        data = json.dumps(body).encode()
        req.add_header("Content-Type", "application/json")
    try:
        with urllib.request.urlopen(req, data, timeout=60) as r:
            return json.loads(r.read() or b"{}")
    except urllib.error.HTTPError as e:
        raise SystemExit(f"{method} {path}: {e.code} {e.read().decode()[:500]}")


regions = {r["name"]: r for r in call("GET", "/admin/regions")["regions"]}
EU = regions["EU"]
options = call("GET", "/admin/shipping-options")["shipping_options"]
channel = call("GET", "/admin/store")["store"].get("default_sales_channel_id")
eu_standard = [o for o in options if o["region_id"] == EU["id"] and not o["is_return"]][0]


def product(name, managed):
    body = {"title": f"Acts {name} {SFX}", "status": "published", "options": [{"title": "Size"}],
            "variants": [{"title": "One", "manage_inventory": managed, "inventory_quantity": 100,
                          "prices": [{"currency_code": "eur", "amount": 1000}, {"currency_code": "usd", "amount": 1000}],
                          "options": [{"value": "One"}]}]}
    if channel:
        body["sales_channels"] = [{"id": channel}]
    return call("POST", "/admin/products", body)["product"]


M, U = product("managed", True), product("unmanaged", False)
vm, vu = M["variants"][0]["id"], U["variants"][0]["id"]


def place(i):
    cid = call("POST", "/store/carts", {"region_id": EU["id"]}, admin=False)["cart"]["id"]
    call("POST", f"/store/carts/{cid}/line-items", {"variant_id": vm, "quantity": 2}, admin=False)
    call("POST", f"/store/carts/{cid}/line-items", {"variant_id": vu, "quantity": 1}, admin=False)
    call("POST", f"/store/carts/{cid}", {"email": f"acts-{i}-{SFX}@example.com", "shipping_address": {
        "first_name": "A", "last_name": f"Acts{i}", "address_1": "1 Road", "city": "C",
        "country_code": EU["countries"][0]["iso_2"], "postal_code": "1000"}}, admin=False)
    call("POST", f"/store/carts/{cid}/shipping-methods", {"option_id": eu_standard["id"]}, admin=False)
    call("POST", f"/store/carts/{cid}/payment-sessions", None, admin=False)
    call("POST", f"/store/carts/{cid}/payment-session", {"provider_id": "manual"}, admin=False)
    res = call("POST", f"/store/carts/{cid}/complete", None, admin=False)
    if res.get("type") != "order":
        raise SystemExit(f"cart did not complete: {json.dumps(res)[:500]}")
    return res["data"]["id"]


def swap(oid):
    """Captures and fulfils the order, then swaps its unmanaged item for another one through a
    swap cart completed on the store API (shipping method, manual payment of the difference)."""
    o = call("GET", f"/admin/orders/{oid}")["order"]
    call("POST", f"/admin/orders/{oid}/capture")
    call("POST", f"/admin/orders/{oid}/fulfillment", {"items": [{"item_id": i["id"], "quantity": i["quantity"]} for i in o["items"]]})
    u = [i for i in o["items"] if i["variant_id"] == vu][0]
    sw = call("POST", f"/admin/orders/{oid}/swaps", {"return_items": [{"item_id": u["id"], "quantity": 1}],
                                                   "additional_items": [{"variant_id": vu, "quantity": 1}]})["order"]["swaps"][-1]
    cid = sw["cart_id"]
    call("POST", f"/store/carts/{cid}/shipping-methods", {"option_id": eu_standard["id"]}, admin=False)
    call("POST", f"/store/carts/{cid}/payment-sessions", None, admin=False)
    call("POST", f"/store/carts/{cid}/payment-session", {"provider_id": "manual"}, admin=False)
    res = call("POST", f"/store/carts/{cid}/complete", None, admin=False)
    if res.get("type") != "swap":
        raise SystemExit(f"swap cart did not complete: {json.dumps(res)[:500]}")
    return sw["id"]


def claim(oid):
    """Captures and fulfils the order, then claims a replacement of its unmanaged item, shipped
    by the region's standard option."""
    o = call("GET", f"/admin/orders/{oid}")["order"]
    call("POST", f"/admin/orders/{oid}/capture")
    call("POST", f"/admin/orders/{oid}/fulfillment", {"items": [{"item_id": i["id"], "quantity": i["quantity"]} for i in o["items"]]})
    u = [i for i in o["items"] if i["variant_id"] == vu][0]
    return call("POST", f"/admin/orders/{oid}/claims", {
        "type": "replace", "claim_items": [{"item_id": u["id"], "quantity": 1, "reason": "missing_item"}],
        "additional_items": [{"variant_id": vu, "quantity": 1}],
        "shipping_methods": [{"option_id": eu_standard["id"], "price": 0}]})["order"]["claims"][-1]["id"]


orders = [place(i) for i in range(COUNT)]
# With "swaps", orders 8 and 9 get a completed swap each, 10 and 11 a claim.
swaps = [swap(oid) for oid in orders[8:10]] if SWAPS else []
claims = [claim(oid) for oid in orders[10:12]] if SWAPS else []
print(json.dumps({"suffix": SFX, "variant_managed": vm, "variant_unmanaged": vu, "orders": orders, "swaps": swaps, "claims": claims}))
