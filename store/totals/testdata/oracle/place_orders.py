#!/usr/bin/env python3
"""Places orders on the Medusa 1.3.8 reference server (../shared/medusa-ref) through its store
API, acts on them through its admin API, and saves what Medusa answers beside this script, the
oracle of oracle_test.go:

  order_<name>.json  GET /admin/orders/:id (totals, items' refundable, and every row they read)
  cart_<name>.json   GET /store/carts/:id just before completion (cart and item totals), and a
                     swap's cart
  draft_<name>.json  GET /admin/draft-orders/:id (its cart's totals)
  rates.json         the tax rates with their product, type and shipping option links, and each
                     product's type, read from the reference database

Everything it creates is its own (names carry a run suffix). To have a legacy order (tax_rate
set, gift card transactions without rates) it updates two of its own rows in the reference
database, since the API no longer makes them. It also records, without saving, two requests
Medusa 1.3.8 fails with a 500 (a swap and a draft order with a fixed discount on the total).

Usage: place_orders.py [base_url]   (default http://127.0.0.1:9100, bearer ref_token; psql on
127.0.0.1 as postgres, database $MEDUSA_REF_DB or medusa_ref)
"""
import json, os, subprocess, sys, time, urllib.request, urllib.error

BASE = sys.argv[1] if len(sys.argv) > 1 else "http://127.0.0.1:9100"
SFX = str(int(time.time()))[-6:]
OUT = os.path.dirname(os.path.abspath(__file__))


class HTTPFailure(Exception):
    pass


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
        raise HTTPFailure(f"{method} {path}: {e.code} {e.read().decode()[:500]}")


regions = {r["name"]: r for r in call("GET", "/admin/regions")["regions"]}
EU, NA = regions["EU"], regions["NA"]
profile = [p for p in call("GET", "/admin/shipping-profiles")["shipping_profiles"] if p["type"] == "default"][0]
options = call("GET", "/admin/shipping-options")["shipping_options"]
channel = call("GET", "/admin/store")["store"].get("default_sales_channel_id")
eu_standard = [o for o in options if o["region_id"] == EU["id"] and o["name"].endswith("Standard")][0]
na_standard = [o for o in options if o["region_id"] == NA["id"] and o["name"].endswith("Standard")][0]


# A region of our own without automatic taxes and with untaxed gift cards (kept across runs: a
# country belongs to one region only).
PLAIN = next((r for r in regions.values() if r["name"] == "Totals plain"), None)
if PLAIN is None:
    PLAIN = call("POST", "/admin/regions", {"name": "Totals plain", "currency_code": "eur", "tax_rate": 25,
                                            "payment_providers": ["manual"], "fulfillment_providers": ["manual"],
                                            "countries": ["nz"]})["region"]
    PLAIN = call("POST", f"/admin/regions/{PLAIN['id']}", {"automatic_taxes": False, "gift_cards_taxable": False})["region"]
plain_ship = next((o for o in options if o["region_id"] == PLAIN["id"] and not o["is_return"]), None)
if plain_ship is None:
    plain_ship = call("POST", "/admin/shipping-options", {
        "name": "Totals plain ship", "region_id": PLAIN["id"], "provider_id": "manual", "data": {},
        "price_type": "flat_rate", "amount": 500, "profile_id": profile["id"],
    })["shipping_option"]


def product(name, eur, usd, type_value=None):
    body = {
        "title": f"Totals {name} {SFX}",
        "status": "published",
        "options": [{"title": "Size"}],
        "variants": [{
            "title": "One", "manage_inventory": False, "inventory_quantity": 100,
            "prices": [{"currency_code": "eur", "amount": eur}, {"currency_code": "usd", "amount": usd}],
            "options": [{"value": "One"}],
        }],
    }
    if channel:
        body["sales_channels"] = [{"id": channel}]
    if type_value:
        body["type"] = {"value": type_value}
    p = call("POST", "/admin/products", body)["product"]
    return p


A = product("A", 1999, 1999, f"totals-type-{SFX}")
B = product("B", 333, 335)
C = product("C", 1250, 1250, f"totals-type-{SFX}")
va, vb, vc = (p["variants"][0]["id"] for p in (A, B, C))

# Tax rates in EU: A has its own 12.5% and its type's 7%; C only the type's; B the region's 20%.
r_prod = call("POST", "/admin/tax-rates", {"region_id": EU["id"], "name": f"Totals reduced {SFX}", "code": "TRED", "rate": 12.5})["tax_rate"]
call("POST", f"/admin/tax-rates/{r_prod['id']}/products/batch", {"products": [A["id"]]})
r_type = call("POST", "/admin/tax-rates", {"region_id": EU["id"], "name": f"Totals type {SFX}", "code": "TTYPE", "rate": 7})["tax_rate"]
call("POST", f"/admin/tax-rates/{r_type['id']}/product-types/batch", {"product_types": [A["type"]["id"]]})
# A shipping option of our own at 7.95 with a 10% rate.
ship = call("POST", "/admin/shipping-options", {
    "name": f"Totals ship {SFX}", "region_id": EU["id"], "provider_id": "manual", "data": {},
    "price_type": "flat_rate", "amount": 795, "profile_id": profile["id"],
})["shipping_option"]
r_ship = call("POST", "/admin/tax-rates", {"region_id": EU["id"], "name": f"Totals ship {SFX}", "code": "TSHIP", "rate": 10})["tax_rate"]
call("POST", f"/admin/tax-rates/{r_ship['id']}/shipping-options/batch", {"shipping_options": [ship["id"]]})


def discount(code, rule, region=EU):
    return call("POST", "/admin/discounts", {"code": f"{code}{SFX}", "rule": rule, "regions": [region["id"]]})["discount"]


d_pct = discount("TPCT", {"description": "15%", "type": "percentage", "value": 15, "allocation": "total"})
d_fixt = discount("TFIXT", {"description": "10 off", "type": "fixed", "value": 1000, "allocation": "total"})
d_fixi = discount("TFIXI", {"description": "3 off A", "type": "fixed", "value": 300, "allocation": "item",
                            "conditions": [{"operator": "in", "products": [A["id"]]}]})
d_free = discount("TFREE", {"description": "free shipping", "type": "free_shipping", "value": 0, "allocation": "total"})
d_big = discount("TBIG", {"description": "1000 off", "type": "fixed", "value": 100000, "allocation": "total"})
d_pct_cond = discount("TPCTC", {"description": "33% off B", "type": "percentage", "value": 33, "allocation": "item",
                                "conditions": [{"operator": "not_in", "products": [A["id"], C["id"]]}]})


def gift_card(value, region=EU):
    return call("POST", "/admin/gift-cards", {"region_id": region["id"], "value": value})["gift_card"]


def save_cart(name, cart):
    """The cart as the store API answers it, with its totals and each item's totals."""
    with open(os.path.join(OUT, f"cart_{name}.json"), "w") as f:
        json.dump({"cart": cart}, f, indent=1, sort_keys=True)
        f.write("\n")
    print("cart", name, {k: cart.get(k) for k in ("subtotal", "discount_total", "shipping_total", "tax_total",
                                                 "gift_card_total", "total")})


def psql(sql):
    db = os.environ.get("MEDUSA_REF_DB", "medusa_ref")
    return subprocess.run(["psql", "-h", "127.0.0.1", "-U", "postgres", "-d", db, "-At", "-v", "ON_ERROR_STOP=1", "-c", sql],
                          check=True, capture_output=True, text=True).stdout


def save_rates():
    """Every tax rate with what it is linked to, and every product's type, read from the
    reference database: what a cart's tax lines are computed from (the admin API does not expand
    tax rate links in lists)."""
    sql = """select json_build_object(
      'tax_rates', (select coalesce(json_agg(json_build_object('id', r.id, 'rate', r.rate, 'name', r.name, 'code', r.code,
        'region_id', r.region_id,
        'product_ids', (select coalesce(json_agg(product_id order by product_id), '[]') from product_tax_rate where rate_id = r.id),
        'product_type_ids', (select coalesce(json_agg(product_type_id order by product_type_id), '[]') from product_type_tax_rate where rate_id = r.id),
        'shipping_option_ids', (select coalesce(json_agg(shipping_option_id order by shipping_option_id), '[]') from shipping_tax_rate where rate_id = r.id))
        order by r.id), '[]') from tax_rate r),
      'product_types', (select coalesce(json_object_agg(id, type_id), '{}') from product))"""
    out = psql(sql)
    with open(os.path.join(OUT, "rates.json"), "w") as f:
        json.dump(json.loads(out), f, indent=1, sort_keys=True)
        f.write("\n")


def place(name, region, lines, option, discounts=(), gift_cards=()):
    cart = call("POST", "/store/carts", {"region_id": region["id"]}, admin=False)["cart"]
    cid = cart["id"]
    for variant, qty in lines:
        call("POST", f"/store/carts/{cid}/line-items", {"variant_id": variant, "quantity": qty}, admin=False)
    country = region["countries"][0]["iso_2"]
    upd = {"email": f"totals-{name}-{SFX}@example.com",
           "shipping_address": {"first_name": "T", "last_name": name, "address_1": "1 Road", "city": "C",
                                "country_code": country, "postal_code": "1000"}}
    if discounts:
        upd["discounts"] = [{"code": d["code"]} for d in discounts]
    if gift_cards:
        upd["gift_cards"] = [{"code": g["code"]} for g in gift_cards]
    call("POST", f"/store/carts/{cid}", upd, admin=False)
    call("POST", f"/store/carts/{cid}/shipping-methods", {"option_id": option["id"]}, admin=False)
    call("POST", f"/store/carts/{cid}/payment-sessions", None, admin=False)
    call("POST", f"/store/carts/{cid}/payment-session", {"provider_id": "manual"}, admin=False)
    save_cart(name, call("GET", f"/store/carts/{cid}", admin=False)["cart"])
    res = call("POST", f"/store/carts/{cid}/complete", None, admin=False)
    if res.get("type") != "order":
        raise SystemExit(f"{name}: cart did not complete: {json.dumps(res)[:500]}")
    return res["data"]["id"]


def save(name, order_id):
    order = call("GET", f"/admin/orders/{order_id}")["order"]
    with open(os.path.join(OUT, f"order_{name}.json"), "w") as f:
        json.dump({"order": order}, f, indent=1, sort_keys=True)
        f.write("\n")
    print(name, order_id, {k: order.get(k) for k in ("subtotal", "discount_total", "shipping_total", "tax_total",
                                                     "gift_card_total", "total", "paid_total", "refunded_total")})
    return order


def fulfil_all(order):
    call("POST", f"/admin/orders/{order['id']}/fulfillment",
         {"items": [{"item_id": i["id"], "quantity": i["quantity"]} for i in order["items"]]})


orders = {}
orders["plain"] = place("plain", EU, [(va, 3), (vb, 1)], eu_standard)
orders["percentage"] = place("percentage", EU, [(va, 3), (vb, 2), (vc, 1)], ship, [d_pct])
orders["fixed_total_gift_card"] = place("fixed_total_gift_card", EU, [(va, 1), (vb, 3), (vc, 2)], eu_standard, [d_fixt], [gift_card(500)])
orders["fixed_item_condition"] = place("fixed_item_condition", EU, [(va, 2), (vb, 1)], ship, [d_fixi])
orders["free_shipping_two_gift_cards"] = place("free_shipping_two_gift_cards", EU, [(va, 1), (vc, 1)], eu_standard, [d_free], [gift_card(500), gift_card(700)])
orders["fixed_above_subtotal"] = place("fixed_above_subtotal", EU, [(vb, 2)], eu_standard, [d_big])
orders["gift_card_pays_all"] = place("gift_card_pays_all", EU, [(va, 1)], ship, [], [gift_card(100000)])
orders["percentage_not_in"] = place("percentage_not_in", EU, [(va, 1), (vb, 3), (vc, 1)], ship, [d_pct_cond, d_free])
orders["region_rate_zero"] = place("region_rate_zero", NA, [(va, 2), (vb, 1)], na_standard)

# No automatic taxes: the cart shows no tax (null) and the gift card pays up to the untaxed
# total; completing it still stores tax lines, so the order is taxed.
orders["manual_taxes_gift_card"] = place("manual_taxes_gift_card", PLAIN, [(va, 1), (vb, 2)], plain_ship, [], [gift_card(700, PLAIN)])

# Admin actions: capture and refund; fulfil, return with refund on receipt.
o = save("plain_placed", orders["plain"])
call("POST", f"/admin/orders/{o['id']}/capture")
call("POST", f"/admin/orders/{o['id']}/refund", {"amount": 1000, "reason": "discount", "note": "totals"})
save("plain_refunded", orders["plain"])

o = call("GET", f"/admin/orders/{orders['percentage']}")["order"]
call("POST", f"/admin/orders/{o['id']}/capture")
fulfil_all(o)
a_item = [i for i in o["items"] if i["variant_id"] == va][0]
b_item = [i for i in o["items"] if i["variant_id"] == vb][0]
r = call("POST", f"/admin/orders/{o['id']}/return", {"items": [{"item_id": a_item["id"], "quantity": 1}, {"item_id": b_item["id"], "quantity": 2}]})["order"]
ret = r["returns"][-1]
print("return refund_amount", ret["refund_amount"])
save("percentage_return_requested", o["id"])
call("POST", f"/admin/returns/{ret['id']}/receive", {"items": [{"item_id": a_item["id"], "quantity": 1}, {"item_id": b_item["id"], "quantity": 2}]})
save("percentage_returned", o["id"])

# A return with return shipping (our 7.95 option with a 10% rate is not a return option: use EU's).
o = call("GET", f"/admin/orders/{orders['fixed_item_condition']}")["order"]
call("POST", f"/admin/orders/{o['id']}/capture")
fulfil_all(o)
ret_opt = [x for x in options if x["region_id"] == EU["id"] and x["is_return"]][0]
a_item = [i for i in o["items"] if i["variant_id"] == va][0]
r = call("POST", f"/admin/orders/{o['id']}/return", {"items": [{"item_id": a_item["id"], "quantity": 1}],
                                                       "return_shipping": {"option_id": ret_opt["id"], "price": 600}})["order"]
print("return with shipping refund_amount", r["returns"][-1]["refund_amount"])
save("fixed_item_condition_return", o["id"])

# A swap on the fixed-total order: Medusa 1.3.8 computes the new item's adjustment as a share
# of a subtotal of 0 (NaN) and fails with a 500; recorded, not saved.
o = call("GET", f"/admin/orders/{orders['fixed_total_gift_card']}")["order"]
call("POST", f"/admin/orders/{o['id']}/capture")
fulfil_all(o)
b_item = [i for i in o["items"] if i["variant_id"] == vb][0]
try:
    call("POST", f"/admin/orders/{o['id']}/swaps", {"return_items": [{"item_id": b_item["id"], "quantity": 1}],
                                                      "additional_items": [{"variant_id": vc, "quantity": 1}]})
    print("swap on fixed total discount: succeeded")
except HTTPFailure as e:
    print("swap on fixed total discount:", e)

# A swap on the percentage order: the unreturned C for two B; the swap's new items get the
# order's discount, and share its allocation.
o = call("GET", f"/admin/orders/{orders['percentage']}")["order"]
c_item = [i for i in o["items"] if i["variant_id"] == vc][0]
ret_opt = [x for x in options if x["region_id"] == EU["id"] and x["is_return"]][0]
sw = call("POST", f"/admin/orders/{o['id']}/swaps", {"return_items": [{"item_id": c_item["id"], "quantity": 1}],
                                                       "additional_items": [{"variant_id": vb, "quantity": 2}],
                                                       "return_shipping": {"option_id": ret_opt["id"], "price": 600}})["order"]["swaps"][-1]
save("percentage_swap", o["id"])
# The swap's cart (the returned C as a negative line with its discount and tax line, the return
# shipping as a line, the new Bs) once the customer picks a shipping method.
call("POST", f"/store/carts/{sw['cart_id']}/shipping-methods", {"option_id": ship["id"]}, admin=False)
save_cart("swap_percentage", call("GET", f"/store/carts/{sw['cart_id']}", admin=False)["cart"])

# Claims: a refund claim on the fixed-item order (its B), a replace claim on the plain order.
o = call("GET", f"/admin/orders/{orders['fixed_item_condition']}")["order"]
b_item = [i for i in o["items"] if i["variant_id"] == vb][0]
cl = call("POST", f"/admin/orders/{o['id']}/claims", {"type": "refund", "claim_items": [
    {"item_id": b_item["id"], "quantity": 1, "reason": "production_failure"}]})["order"]["claims"][-1]
print("refund claim refund_amount", cl.get("refund_amount"))
save("fixed_item_condition_claim", o["id"])
o = call("GET", f"/admin/orders/{orders['plain']}")["order"]
fulfil_all(o)
a_item = [i for i in o["items"] if i["variant_id"] == va][0]
call("POST", f"/admin/orders/{o['id']}/claims", {"type": "replace", "claim_items": [
    {"item_id": a_item["id"], "quantity": 1, "reason": "production_failure"}], "additional_items": [{"variant_id": vc, "quantity": 1}]})
save("plain_claim", o["id"])

# Orders from before Medusa's tax lines keep a tax_rate, and gift card transactions from before
# rates were recorded have is_taxable null; the API cannot make such rows any more, so one of our
# own orders is turned into one in the reference database, then priced, returned and priced again.
legacy = place("legacy_tax_rate", EU, [(va, 1), (vb, 3)], eu_standard, [d_fixt], [gift_card(500), gift_card(333)])
psql("update \"order\" set tax_rate = 12.5 where id = '%s'" % legacy)
txs = call("GET", f"/admin/orders/{legacy}")["order"]["gift_card_transactions"]
psql("update gift_card_transaction set is_taxable = null, tax_rate = null where id = '%s'" % txs[0]["id"])
psql("update gift_card_transaction set is_taxable = true, tax_rate = 12.5 where id = '%s'" % txs[1]["id"])
o = save("legacy_tax_rate", legacy)
call("POST", f"/admin/orders/{legacy}/capture")
fulfil_all(o)
b_item = [i for i in o["items"] if i["variant_id"] == vb][0]
call("POST", f"/admin/orders/{legacy}/return", {"items": [{"item_id": b_item["id"], "quantity": 2}]})
save("legacy_tax_rate_return", legacy)

for name in ("manual_taxes_gift_card", "fixed_item_condition", "free_shipping_two_gift_cards", "fixed_above_subtotal", "gift_card_pays_all",
             "percentage_not_in", "region_rate_zero", "percentage", "fixed_total_gift_card"):
    if not os.path.exists(os.path.join(OUT, f"order_{name}.json")):
        save(name, orders[name])

# Draft orders: with a fixed discount on the total Medusa 1.3.8 fails as for swaps (the items'
# adjustments are computed on a cart without items: NaN), recorded; with a percentage its
# cart's totals as the admin API shows them are saved.
draft_body = {
    "email": f"totals-draft-{SFX}@example.com", "region_id": EU["id"],
    "items": [{"variant_id": va, "quantity": 2}, {"variant_id": vb, "quantity": 3}, {"variant_id": vc, "quantity": 1}],
    "shipping_methods": [{"option_id": ship["id"]}], "discounts": [{"code": d_fixt["code"]}],
}
try:
    call("POST", "/admin/draft-orders", draft_body)
    print("draft order with a fixed total discount: succeeded")
except HTTPFailure as e:
    print("draft order with a fixed total discount:", e)
draft_body["discounts"] = [{"code": d_pct["code"]}]
draft = call("POST", "/admin/draft-orders", draft_body)["draft_order"]
draft = call("GET", f"/admin/draft-orders/{draft['id']}")["draft_order"]
with open(os.path.join(OUT, "draft_percentage.json"), "w") as f:
    json.dump({"draft_order": draft}, f, indent=1, sort_keys=True)
    f.write("\n")
print("draft", {k: draft["cart"].get(k) for k in ("subtotal", "discount_total", "shipping_total", "tax_total", "gift_card_total", "total")})
save_rates()
