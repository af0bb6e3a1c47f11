"use strict"
// Shipping profiles (list, retrieve, update), shipping options (CRUD with requirements, list
// by region and is_return), tax rates (CRUD, fields/expand as qs arrays, products, product
// types and shipping options batches, rate[gt] filters).
const { admin, ok, fails, like, m, steps, RUN, base, region, loadFlags } = require("./lib.js")
const step = steps(__filename)

const s = {}
const profileRow = (fields) => ({ ...base("sp"), name: m.string, type: m.string, metadata: null, ...fields })
const optionRow = (fields) => ({
  ...base("so"),
  name: m.string,
  region_id: s.region.id,
  profile_id: s.profile.id,
  provider_id: "manual",
  price_type: "flat_rate",
  amount: m.number,
  is_return: false,
  admin_only: false,
  data: { id: "manual-fulfillment" },
  metadata: null,
  ...fields,
})
const requirement = (type, amount, optionID) => ({ id: m.id("sor"), shipping_option_id: optionID, type, amount, deleted_at: null })
const taxRate = (fields) => ({ id: m.id("txr"), created_at: m.date, updated_at: m.date, code: m.string, name: m.string, rate: m.number, region_id: s.region.id, ...fields })

step("shipping: a region to ship to, a product with a type", async () => {
  const c = await admin()
  const flags = await loadFlags(c)
  s.region = (await ok(c.admin.regions.create({ name: `${RUN} Ship`, currency_code: "usd", tax_rate: 0, payment_providers: ["manual"], fulfillment_providers: ["manual"], countries: [] }))).region
  s.product = (await ok(c.admin.products.create({ title: `${RUN} Box`, is_giftcard: false, type: { value: `${RUN}-boxes` }, ...(flags.salesChannels ? { sales_channels: [] } : {}) }))).product
  const { region: r } = { region: s.region }
  const { countries, ...nested } = r
  s.nestedRegion = nested
})

step("shipping profiles: list has the default and gift card profiles; retrieve carries products and options", async () => {
  const c = await admin()
  const list = await ok(c.admin.shippingProfiles.list())
  like(Object.keys(list), ["shipping_profiles"])
  const def = list.shipping_profiles.find((p) => p.type === "default")
  like(def, profileRow({ type: "default", name: "Default Shipping Profile" }))
  like(list.shipping_profiles.find((p) => p.type === "gift_card"), profileRow({ type: "gift_card", name: "Gift Card Profile" }))
  s.profile = def
  const got = await ok(c.admin.shippingProfiles.retrieve(def.id))
  like({ ...got.shipping_profile, products: [], shipping_options: [] }, { ...def, products: [], shipping_options: [] })
  const { collection, images, options, tags, type, variants, sales_channels, ...productRow } = s.product
  like(got.shipping_profile.products.find((p) => p.id === s.product.id), productRow)
})

step("shipping profiles: update the name (and put it back)", async () => {
  const c = await admin()
  try {
    const body = await ok(c.admin.shippingProfiles.update(s.profile.id, { name: `${RUN} Default` }))
    like(body, { shipping_profile: { ...s.profile, name: `${RUN} Default`, updated_at: m.date } })
  } finally {
    s.profile = (await ok(c.admin.shippingProfiles.update(s.profile.id, { name: s.profile.name }))).shipping_profile
  }
})

step("shipping options: create with a requirement, a return option; retrieve", async () => {
  const c = await admin()
  const body = await ok(
    c.admin.shippingOptions.create({
      name: `${RUN} Express`,
      region_id: s.region.id,
      provider_id: "manual",
      data: { id: "manual-fulfillment" },
      price_type: "flat_rate",
      amount: 1200,
      requirements: [{ type: "min_subtotal", amount: 5000 }],
      is_return: false,
      admin_only: false,
      metadata: { speed: "fast" },
    })
  )
  s.express = body.shipping_option
  const ret = await ok(
    c.admin.shippingOptions.create({ name: `${RUN} Return`, region_id: s.region.id, provider_id: "manual", data: { id: "manual-fulfillment-return" }, price_type: "flat_rate", amount: 500, is_return: true })
  )
  s.ret = ret.shipping_option
  const row = optionRow({ name: `${RUN} Express`, amount: 1200, metadata: { speed: "fast" } })
  like(body, { shipping_option: { ...row, profile: s.profile, region: s.nestedRegion, requirements: [requirement("min_subtotal", 5000, s.express.id)] } })
  like(ret, {
    shipping_option: { ...optionRow({ name: `${RUN} Return`, amount: 500, is_return: true, data: { id: "manual-fulfillment-return" } }), profile: s.profile, region: s.nestedRegion, requirements: [] },
  })
  const { profile, region: r, requirements, ...plain } = s.express
  like(await ok(c.admin.shippingOptions.retrieve(s.express.id)), { shipping_option: plain })
  like(await fails(c.admin.shippingOptions.create({ name: "x", region_id: s.region.id, provider_id: "manual", data: {}, price_type: "bogus" })), {
    status: 400,
    body: { type: "invalid_data", message: "The price must be of type flat_rate or calculated" },
  })
})

step("shipping options: list by region_id and is_return (count only, with tax rates and price_incl_tax)", async () => {
  const c = await admin()
  const listed = (o, amount) => ({ ...o, price_incl_tax: amount, tax_rates: [{ rate: 0, name: "default", code: "default" }] })
  const all = await ok(c.admin.shippingOptions.list({ region_id: s.region.id }))
  like({ ...all, shipping_options: [...all.shipping_options].sort((a, b) => a.amount - b.amount) }, { shipping_options: [listed(s.ret, 500), listed(s.express, 1200)], count: 2 })
  like(await ok(c.admin.shippingOptions.list({ region_id: s.region.id, is_return: true })), { shipping_options: [listed(s.ret, 500)], count: 1 })
})

step("shipping options: update name, amount and requirements (one kept by id, one added)", async () => {
  const c = await admin()
  const body = await ok(
    c.admin.shippingOptions.update(s.express.id, {
      name: `${RUN} Express 2`,
      amount: 1300,
      requirements: [
        { id: s.express.requirements[0].id, type: "min_subtotal", amount: 6000 },
        { type: "max_subtotal", amount: 90000 },
      ],
    })
  )
  like(body, {
    shipping_option: {
      ...s.express,
      name: `${RUN} Express 2`,
      amount: 1300,
      updated_at: m.date,
      requirements: [{ ...s.express.requirements[0], amount: 6000 }, requirement("max_subtotal", 90000, s.express.id)],
    },
  })
  s.express = body.shipping_option
})

step("tax rates: create (plain, and with products/product types/shipping options and fields[]/expand[])", async () => {
  const c = await admin()
  const std = await ok(c.admin.taxRates.create({ code: `${RUN}-STD`, name: `${RUN} Standard`, region_id: s.region.id, rate: 12.5, products: [s.product.id] }))
  s.std = std.tax_rate
  like(std, { tax_rate: taxRate({ code: `${RUN}-STD`, name: `${RUN} Standard`, rate: 12.5 }) })
  const { profile, region: r, requirements, ...soRow } = s.express
  const low = await ok(
    c.admin.taxRates.create(
      { code: `${RUN}-LOW`, name: `${RUN} Low`, region_id: s.region.id, rate: 5, product_types: [s.product.type_id], shipping_options: [s.express.id] },
      { expand: ["products", "product_types", "shipping_options"], fields: ["id", "name", "rate"] }
    )
  )
  s.low = low.tax_rate
  like(low, { tax_rate: { id: m.id("txr"), name: `${RUN} Low`, rate: 5, products: [], product_types: [s.product.type], shipping_options: [soRow] } })
  like(await ok(c.admin.taxRates.retrieve(s.std.id)), std)
  const { collection, images, options, tags, type, variants, sales_channels, ...productRow } = s.product
  like(await ok(c.admin.taxRates.retrieve(s.std.id, { expand: ["products"], fields: ["id", "code"] })), { tax_rate: { id: s.std.id, code: `${RUN}-STD`, products: [productRow] } })
})

step("tax rates: list by region_id, region_id[] with rate[gt]; q is refused", async () => {
  const c = await admin()
  const low = { ...taxRate({ code: `${RUN}-LOW`, name: `${RUN} Low`, rate: 5 }), id: s.low.id }
  const all = await ok(c.admin.taxRates.list({ region_id: s.region.id }))
  like({ ...all, tax_rates: [...all.tax_rates].sort((a, b) => a.rate - b.rate) }, { tax_rates: [low, s.std], count: 2, offset: 0, limit: 50 })
  like(await ok(c.admin.taxRates.list({ region_id: [s.region.id], rate: { gt: 10 } })), { tax_rates: [s.std], count: 1, offset: 0, limit: 50 })
  like(await fails(c.admin.taxRates.list({ q: RUN })), { status: 400, body: { type: "invalid_data", message: "property q should not exist" } })
})

step("tax rates: update; products, product types and shipping options batches", async () => {
  const c = await admin()
  const updated = await ok(c.admin.taxRates.update(s.std.id, { name: `${RUN} Std 2`, rate: 13 }))
  like(updated, { tax_rate: { ...s.std, name: `${RUN} Std 2`, rate: 13, updated_at: m.date } })
  const std = updated.tax_rate
  like(await ok(c.admin.taxRates.addProducts(s.std.id, { products: [s.product.id] })), { tax_rate: std })
  like(await ok(c.admin.taxRates.addProductTypes(s.std.id, { product_types: [s.product.type_id] }, { expand: ["product_types"] })), { tax_rate: { ...std, product_types: [s.product.type] } })
  const { profile, region: r, requirements, ...soRow } = s.express
  like(await ok(c.admin.taxRates.addShippingOptions(s.std.id, { shipping_options: [s.express.id] }, { expand: ["shipping_options"], fields: ["id"] })), {
    tax_rate: { id: s.std.id, shipping_options: [soRow] },
  })
  like(await ok(c.admin.taxRates.removeProducts(s.std.id, { products: [s.product.id] }, { expand: ["products"] })), { tax_rate: { ...std, products: [] } })
  like(await ok(c.admin.taxRates.removeProductTypes(s.std.id, { product_types: [s.product.type_id] })), { tax_rate: std })
  like(await ok(c.admin.taxRates.removeShippingOptions(s.std.id, { shipping_options: [s.express.id] }, { expand: ["shipping_options"] })), { tax_rate: { ...std, shipping_options: [] } })
})

step("tax rates and shipping options: delete, 404 after", async () => {
  const c = await admin()
  for (const t of [s.std, s.low]) like(await ok(c.admin.taxRates.delete(t.id)), { id: t.id, object: "tax-rate", deleted: true })
  like(await fails(c.admin.taxRates.retrieve(s.std.id)), { status: 404, body: { type: "not_found", message: `TaxRate with ${s.std.id} was not found` } })
  for (const o of [s.express, s.ret]) like(await ok(c.admin.shippingOptions.delete(o.id)), { id: o.id, object: "shipping-option", deleted: true })
  like(await fails(c.admin.shippingOptions.retrieve(s.express.id)), { status: 404, body: { type: "not_found", message: `Shipping Option with ${s.express.id} was not found` } })
  await ok(c.admin.products.delete(s.product.id))
  await ok(c.admin.regions.delete(s.region.id))
})
