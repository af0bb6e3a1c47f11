// placeOrder: puts an order in a shop the way a storefront's completed cart leaves one in Medusa
// 1.3.8, for the real-client checks (clients/dashboard, clients/medusajs) that need orders to act
// on. No dependencies beyond node >= 20 (fetch) and, for Gorgon, `psql`.
//
// Gorgon serves the admin API only (no /store routes), so against Gorgon (databaseURL given) the
// rows Medusa's cart completion writes are inserted with psql in one transaction: the customer
// (found by email, or created without an account), the shipping address, a completed cart (with
// the store's default sales channel when the shop has one), the order (pending, not_fulfilled,
// awaiting; sales_channel_id null as Medusa 1.3.8 leaves it), its line items (product title,
// variant title, the variant's price in the region's currency), a tax line per item and on the
// shipping method at the region's rate ("default", as Medusa's system tax provider writes it),
// the shipping method, an authorized manual payment of the cart's total, and the managed
// variants' stock lowered. Prices come from the variant's plain price in the region's currency:
// pick variants that no price list or region price covers, or the amounts differ from Medusa's.
// Against Medusa (no databaseURL) the same order is placed through its store API.
"use strict"
const { execFileSync } = require("node:child_process")
const crypto = require("node:crypto")

// A Medusa-style id: prefix_ + 26 characters of Crockford base32 (a ULID: time, then random).
function ulid(prefix) {
  const alphabet = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
  let t = Date.now()
  let time = ""
  for (let i = 0; i < 10; i++) {
    time = alphabet[t % 32] + time
    t = Math.floor(t / 32)
  }
  let rand = ""
  for (const b of crypto.randomBytes(16)) rand += alphabet[b % 32]
  return `${prefix}_${time}${rand}`
}

const lit = (v) => (v === null || v === undefined ? "NULL" : typeof v === "number" ? String(v) : `'${String(v).replace(/'/g, "''")}'`)
const json = (v) => `${lit(JSON.stringify(v))}::jsonb`

function psql(url, sql) {
  return execFileSync("psql", [url, "-qAtX", "-v", "ON_ERROR_STOP=1"], { input: sql, encoding: "utf8" })
}

function client(baseURL, token) {
  return async function api(method, path, body) {
    const res = await fetch(baseURL.replace(/\/$/, "") + path, {
      method,
      headers: { ...(token ? { Authorization: `Bearer ${token}` } : {}), "Content-Type": "application/json" },
      body: body === undefined ? undefined : JSON.stringify(body),
    })
    const text = await res.text()
    if (!res.ok) throw new Error(`placeOrder: ${method} ${path} -> ${res.status} ${text.slice(0, 300)}`)
    return JSON.parse(text)
  }
}

// placeOrder({ baseURL, token, databaseURL, regionID, email, items: [{ variantID, quantity }],
//   shippingOptionID, address: { first_name, last_name, address_1, city, country_code,
//   postal_code, phone } }) → { id, display_id, total }
async function placeOrder(o) {
  return o.databaseURL ? placeBySQL(o) : placeByStoreAPI(o)
}

async function placeByStoreAPI(o) {
  const store = client(o.baseURL)
  let { cart } = await store("POST", "/store/carts", { region_id: o.regionID })
  for (const it of o.items) {
    ;({ cart } = await store("POST", `/store/carts/${cart.id}/line-items`, { variant_id: it.variantID, quantity: it.quantity }))
  }
  await store("POST", `/store/carts/${cart.id}`, { email: o.email, shipping_address: o.address })
  await store("POST", `/store/carts/${cart.id}/shipping-methods`, { option_id: o.shippingOptionID })
  await store("POST", `/store/carts/${cart.id}/payment-sessions`)
  await store("POST", `/store/carts/${cart.id}/payment-session`, { provider_id: "manual" })
  const done = await store("POST", `/store/carts/${cart.id}/complete`)
  if (done.type !== "order") throw new Error(`placeOrder: cart ${cart.id} did not complete: ${JSON.stringify(done).slice(0, 300)}`)
  return { id: done.data.id, display_id: done.data.display_id, total: done.data.total }
}

async function placeBySQL(o) {
  const api = client(o.baseURL, o.token)
  const { region } = await api("GET", `/admin/regions/${o.regionID}`)
  const { shipping_option: option } = await api("GET", `/admin/shipping-options/${o.shippingOptionID}`)
  const { store } = await api("GET", "/admin/store")
  const { customers } = await api("GET", `/admin/customers?q=${encodeURIComponent(o.email)}`)
  const customer = customers.find((c) => c.email === o.email)
  const rate = region.tax_rate
  const tax = (amount) => Math.round((amount * rate) / 100)

  // The variants as the cart would price them: their plain price in the region's currency.
  const variantIDs = o.items.map((it) => lit(it.variantID)).join(", ")
  const found = JSON.parse(psql(o.databaseURL, `SELECT coalesce(json_agg(json_build_object('id', v.id, 'title', v.title,
      'manage_inventory', v.manage_inventory, 'product_title', p.title, 'thumbnail', p.thumbnail, 'discountable', p.discountable,
      'price', (SELECT amount FROM money_amount ma WHERE ma.variant_id = v.id AND ma.currency_code = ${lit(region.currency_code)}
        AND ma.region_id IS NULL AND ma.price_list_id IS NULL AND ma.deleted_at IS NULL LIMIT 1))), '[]')
    FROM product_variant v JOIN product p ON p.id = v.product_id WHERE v.id IN (${variantIDs})`))
  const lines = o.items.map((it) => {
    const v = found.find((x) => x.id === it.variantID)
    if (!v) throw new Error(`placeOrder: no variant ${it.variantID}`)
    if (v.price === null) throw new Error(`placeOrder: variant ${v.id} has no ${region.currency_code} price`)
    return { id: ulid("item"), variant: v, quantity: it.quantity, unitPrice: v.price }
  })
  const subtotal = lines.reduce((s, l) => s + l.unitPrice * l.quantity, 0)
  const total = subtotal + option.amount + lines.reduce((s, l) => s + tax(l.unitPrice * l.quantity), 0) + tax(option.amount)

  const ids = { customer: customer ? customer.id : ulid("cus"), address: ulid("addr"), cart: ulid("cart"), order: ulid("order"), sm: ulid("sm"), pay: ulid("pay") }
  const a = o.address
  const sc = store.default_sales_channel_id
  const sql = [
    "BEGIN;",
    customer ? "" : `INSERT INTO customer (id, email, has_account) VALUES (${lit(ids.customer)}, ${lit(o.email)}, false);`,
    `INSERT INTO address (id, first_name, last_name, address_1, city, country_code, postal_code, phone) VALUES (${[ids.address, a.first_name, a.last_name, a.address_1, a.city, a.country_code, a.postal_code, a.phone].map(lit).join(", ")});`,
    `INSERT INTO cart (id, email, shipping_address_id, region_id, customer_id, type, context, completed_at, payment_authorized_at${sc ? ", sales_channel_id" : ""})
       VALUES (${lit(ids.cart)}, ${lit(o.email)}, ${lit(ids.address)}, ${lit(region.id)}, ${lit(ids.customer)}, 'default', '{}', now(), now()${sc ? ", " + lit(sc) : ""});`,
    `INSERT INTO "order" (id, status, fulfillment_status, payment_status, cart_id, customer_id, email, shipping_address_id, region_id, currency_code, metadata)
       VALUES (${lit(ids.order)}, 'pending', 'not_fulfilled', 'awaiting', ${lit(ids.cart)}, ${lit(ids.customer)}, ${lit(o.email)}, ${lit(ids.address)}, ${lit(region.id)}, ${lit(region.currency_code)}, '{}');`,
    ...lines.flatMap((l) => [
      `INSERT INTO line_item (id, cart_id, order_id, title, description, thumbnail, is_giftcard, should_merge, allow_discounts, has_shipping, unit_price, variant_id, quantity, metadata, is_return)
         VALUES (${lit(l.id)}, ${lit(ids.cart)}, ${lit(ids.order)}, ${lit(l.variant.product_title)}, ${lit(l.variant.title)}, ${lit(l.variant.thumbnail)}, false, true, ${l.variant.discountable}, true, ${l.unitPrice}, ${lit(l.variant.id)}, ${l.quantity}, '{}', false);`,
      `INSERT INTO line_item_tax_line (id, rate, name, code, item_id) VALUES (${lit(ulid("litl"))}, ${rate}, 'default', 'default', ${lit(l.id)});`,
      l.variant.manage_inventory ? `UPDATE product_variant SET inventory_quantity = inventory_quantity - ${l.quantity} WHERE id = ${lit(l.variant.id)};` : "",
    ]),
    `INSERT INTO shipping_method (id, shipping_option_id, order_id, cart_id, price, data) VALUES (${lit(ids.sm)}, ${lit(option.id)}, ${lit(ids.order)}, ${lit(ids.cart)}, ${option.amount}, ${json(option.data || {})});`,
    `INSERT INTO shipping_method_tax_line (id, rate, name, code, shipping_method_id) VALUES (${lit(ulid("smtl"))}, ${rate}, 'default', 'default', ${lit(ids.sm)});`,
    `INSERT INTO payment (id, cart_id, order_id, amount, currency_code, amount_refunded, provider_id, data) VALUES (${lit(ids.pay)}, ${lit(ids.cart)}, ${lit(ids.order)}, ${total}, ${lit(region.currency_code)}, 0, 'manual', '{"status": "authorized"}');`,
    `UPDATE cart SET payment_id = ${lit(ids.pay)} WHERE id = ${lit(ids.cart)};`,
    `SELECT display_id FROM "order" WHERE id = ${lit(ids.order)};`,
    "COMMIT;",
  ].filter(Boolean).join("\n")
  const out = psql(o.databaseURL, sql)
  return { id: ids.order, display_id: Number(out.trim().split("\n").filter(Boolean).pop()), total }
}

module.exports = { placeOrder }
