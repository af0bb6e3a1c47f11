#!/usr/bin/env node
// The second half of the walk's shop, made through the running backend's admin API after
// `gorgon seed` (which reads only Medusa's seed keys): collections with their products,
// customers, customer groups, and one row for every other list the dashboard shows (a price
// list, a discount, a gift card, a return reason, an invite, a second admin user, a sales
// channel), so that every page the walk opens has data to render, not an empty state.
//   BACKEND_URL=http://127.0.0.1:9202 API_TOKEN=ref_token node seed-extra.js seed.json
"use strict"
const fs = require("fs")
const { placeOrder } = require("../place-order.js")

const base = process.env.BACKEND_URL || "http://127.0.0.1:9202"
const token = process.env.API_TOKEN || "ref_token"
const seedFile = process.argv[2]
if (!seedFile) {
  console.error("usage: seed-extra.js SEED_JSON")
  process.exit(2)
}
const seed = JSON.parse(fs.readFileSync(seedFile, "utf8"))

async function api(method, path, body) {
  const res = await fetch(base + path, {
    method,
    headers: { Authorization: `Bearer ${token}`, "Content-Type": "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
  })
  const text = await res.text()
  if (!res.ok) throw new Error(`${method} ${path} -> ${res.status} ${text.slice(0, 300)}`)
  // Some routes answer plain text ("OK" for POST /admin/invites), as Medusa's do.
  return /json/.test(res.headers.get("content-type") || "") ? JSON.parse(text) : text
}

async function main() {
  const { products } = await api("GET", "/admin/products?limit=100&expand=variants,variants.prices")
  const byHandle = Object.fromEntries(products.map((p) => [p.handle, p]))
  const need = (h) => {
    if (!byHandle[h]) throw new Error(`seed: no product with handle ${h}`)
    return byHandle[h]
  }

  for (const c of seed.collections || []) {
    const { collection } = await api("POST", "/admin/collections", { title: c.title, handle: c.handle })
    await api("POST", `/admin/collections/${collection.id}/products/batch`, {
      product_ids: c.products.map((h) => need(h).id),
    })
  }

  const customers = [
    ...(seed.customers || []),
    { email: "ada@dashboard.test", first_name: "Ada", last_name: "Lovelace", password: "supersecret", phone: "+15555550101" },
    { email: "grace@dashboard.test", first_name: "Grace", last_name: "Hopper", password: "supersecret" },
  ]
  const customerId = {}
  for (const c of customers) {
    customerId[c.email] = (await api("POST", "/admin/customers", c)).customer.id
  }
  for (const g of [...(seed.customer_groups || []), { name: "Wholesale", customers: ["ada@dashboard.test"] }]) {
    const { customer_group: grp } = await api("POST", "/admin/customer-groups", { name: g.name })
    await api("POST", `/admin/customer-groups/${grp.id}/customers/batch`, {
      customer_ids: g.customers.map((e) => ({ id: customerId[e] })),
    })
  }

  const { regions } = await api("GET", "/admin/regions")
  const eu = regions.find((r) => r.currency_code === "eur")
  const tee = need("classic-tee")
  await api("POST", "/admin/price-lists", {
    name: "Winter Sale",
    description: "Ten percent off the tees",
    type: "sale",
    status: "active",
    prices: tee.variants.slice(0, 2).map((v) => ({ variant_id: v.id, currency_code: "usd", amount: 1750 })),
  })
  await api("POST", "/admin/discounts", {
    code: "WELCOME10",
    rule: { type: "percentage", value: 10, allocation: "total", description: "10% off the first order" },
    regions: [eu.id],
  })
  await api("POST", "/admin/gift-cards", { region_id: eu.id, value: 5000 })
  await api("POST", "/admin/return-reasons", { value: "wrong_size", label: "Wrong size", description: "Did not fit" })
  await api("POST", "/admin/users", { email: "staff@medusa-test.com", password: "supersecret", first_name: "Sam", last_name: "Staff" })
  await api("POST", "/admin/invites", { user: "new.member@medusa-test.com", role: "member" })

  const { store } = await api("GET", "/admin/store")
  if (store.default_sales_channel_id) {
    await api("POST", `/admin/sales-channels/${store.default_sales_channel_id}/products/batch`, {
      product_ids: products.map((p) => ({ id: p.id })),
    })
    const { sales_channel: sc } = await api("POST", "/admin/sales-channels", {
      name: "Wholesale shop",
      description: "Orders from resellers",
    })
    await api("POST", `/admin/sales-channels/${sc.id}/products/batch`, {
      product_ids: ["classic-tee", "sweatshirt", "mug"].map((h) => ({ id: need(h).id })),
    })
  }
  // Orders, placed as a storefront's completed carts leave them (Gorgon serves no store API:
  // placeOrder writes Medusa's rows with psql on DATABASE_URL). Jane's is the one the walk
  // captures, fulfils, ships, refunds, returns and claims; Ada's is the NA one the region filter
  // finds; Grace's stays untouched.
  const na = regions.find((r) => r.currency_code === "usd")
  const { shipping_options: options } = await api("GET", "/admin/shipping-options")
  const opt = (name) => options.find((o) => o.name === name).id
  const variant = (handle, title) => need(handle).variants.find((v) => v.title === title).id
  const address = (first, last, city, country) => ({ first_name: first, last_name: last, address_1: "1 Main Street", city, country_code: country, postal_code: "10115", phone: "+4930123456" })
  const orders = [
    { email: "jane@medusa-ref.test", regionID: eu.id, shippingOptionID: opt("EU Standard"), address: address("Jane", "Doe", "Berlin", "de"),
      items: [{ variantID: variant("classic-tee", "M / White"), quantity: 2 }, { variantID: need("mug").variants[0].id, quantity: 1 }] },
    { email: "ada@dashboard.test", regionID: na.id, shippingOptionID: opt("NA Standard"), address: address("Ada", "Lovelace", "New York", "us"),
      items: [{ variantID: need("sweatshirt").variants[0].id, quantity: 1 }] },
    { email: "grace@dashboard.test", regionID: eu.id, shippingOptionID: opt("EU Express"), address: address("Grace", "Hopper", "Paris", "fr"),
      items: [{ variantID: need("tote-bag").variants[0].id, quantity: 3 }] },
  ]
  for (const o of orders) {
    await placeOrder({ ...o, baseURL: base, token, databaseURL: process.env.DATABASE_URL })
  }

  console.log(`seeded: ${orders.length} orders, ${customers.length} customers, 2 groups, ${(seed.collections || []).length} collections, a price list, a discount, a gift card, a return reason, a user, an invite${store.default_sales_channel_id ? ", sales channels" : ""}`)
}

main().catch((e) => {
  console.error(e.message || e)
  process.exit(1)
})
