"use strict"
// Discounts: create (static and dynamic), retrieve, by code, list (q, is_dynamic, rule[type]),
// update, regions, conditions (create/get/update/delete with qs expand), dynamic codes, delete.
const assert = require("node:assert/strict")
const { admin, ok, fails, like, m, steps, RUN, base, region, loadFlags } = require("./lib.js")
const step = steps(__filename)

const s = {}
const CODE = `${RUN}_SUMMER`.toUpperCase()
const nested = (r) => {
  const { countries, ...rest } = r
  return rest
}
const rule = (fields) => ({ ...base("dru"), type: "percentage", value: m.number, allocation: "total", description: m.string, metadata: null, conditions: [], ...fields })
const discount = (fields) => ({
  ...base("disc"),
  code: m.string,
  is_dynamic: false,
  is_disabled: false,
  rule_id: m.id("dru"),
  parent_discount_id: null,
  parent_discount: null,
  starts_at: m.date,
  ends_at: null,
  valid_duration: null,
  usage_limit: null,
  usage_count: 0,
  metadata: null,
  regions: [],
  rule: rule({}),
  ...fields,
})

step("discounts: two regions and a product to discount", async () => {
  const c = await admin()
  const flags = await loadFlags(c)
  const mk = (name, currency) => c.admin.regions.create({ name, currency_code: currency, tax_rate: 0, payment_providers: ["manual"], fulfillment_providers: ["manual"], countries: [] })
  s.r1 = (await ok(mk(`${RUN} Disc`, "usd"))).region
  s.r2 = (await ok(mk(`${RUN} Disc2`, "eur"))).region
  s.product = (await ok(c.admin.products.create({ title: `${RUN} Pen`, is_giftcard: false, ...(flags.salesChannels ? { sales_channels: [] } : {}) }))).product
})

step("discounts: create a percentage discount and a dynamic one; retrieve; retrieve by code (case-sensitive)", async () => {
  const c = await admin()
  const body = await ok(
    c.admin.discounts.create({
      code: CODE,
      rule: { type: "percentage", value: 10, allocation: "total", description: "10% off" },
      regions: [s.r1.id],
      starts_at: "2030-01-01T00:00:00.000Z",
      usage_limit: 100,
      metadata: { campaign: "summer" },
    })
  )
  s.disc = body.discount
  like(body, {
    discount: discount({
      code: CODE,
      starts_at: "2030-01-01T00:00:00.000Z",
      usage_limit: 100,
      metadata: { campaign: "summer" },
      regions: [nested(s.r1)],
      rule: rule({ value: 10, description: "10% off" }),
    }),
  })
  like(s.disc.rule_id, s.disc.rule.id)
  const dyn = await ok(
    c.admin.discounts.create({ code: `${CODE}_DYN`, is_dynamic: true, valid_duration: "P1M", rule: { type: "fixed", value: 500, allocation: "item", description: "5 off" }, regions: [s.r1.id] })
  )
  s.dyn = dyn.discount
  like(dyn, {
    discount: discount({ code: `${CODE}_DYN`, is_dynamic: true, valid_duration: "P1M", regions: [nested(s.r1)], rule: rule({ type: "fixed", value: 500, allocation: "item", description: "5 off" }) }),
  })
  like(await ok(c.admin.discounts.retrieve(s.disc.id)), body)
  like(await ok(c.admin.discounts.retrieveByCode(CODE)), body)
  like(await fails(c.admin.discounts.retrieveByCode(CODE.toLowerCase())), {
    status: 404,
    body: { type: "not_found", message: `Discount with code ${CODE.toLowerCase()} was not found` },
  })
  like(await fails(c.admin.discounts.create({ code: `${CODE}_BAD`, rule: { type: "weird", value: 1, allocation: "total" }, regions: [] })), {
    status: 400,
    body: { type: "invalid_data", message: 'Invalid rule type, must be one of "fixed", "percentage" or "free_shipping"' },
  })
})

step("discounts: list with q (newest first), is_dynamic, rule[type]", async () => {
  const c = await admin()
  like(await ok(c.admin.discounts.list({ q: RUN })), { discounts: [s.dyn, s.disc], count: 2, offset: 0, limit: 20 })
  like(await ok(c.admin.discounts.list({ q: RUN, is_dynamic: true, limit: 5 })), { discounts: [s.dyn], count: 1, offset: 0, limit: 5 })
  like(await ok(c.admin.discounts.list({ q: RUN, rule: { type: "fixed" } })), { discounts: [s.dyn], count: 1, offset: 0, limit: 20 })
})

step("discounts: update code, usage limit, rule, disabled; add and remove regions", async () => {
  const c = await admin()
  const body = await ok(
    c.admin.discounts.update(s.disc.id, { code: `${CODE}2`, usage_limit: 50, rule: { id: s.disc.rule.id, value: 15, allocation: "total", description: "15% off" }, is_disabled: true })
  )
  like(body, {
    discount: { ...s.disc, code: `${CODE}2`, usage_limit: 50, is_disabled: true, updated_at: m.date, rule: { ...s.disc.rule, value: 15, description: "15% off", updated_at: m.date } },
  })
  s.disc = body.discount
  const added = await ok(c.admin.discounts.addRegion(s.disc.id, s.r2.id))
  like(added, { discount: { ...s.disc, regions: [nested(s.r1), nested(s.r2)] } })
  const removed = await ok(c.admin.discounts.removeRegion(s.disc.id, s.r1.id))
  like(removed, { discount: { ...s.disc, regions: [nested(s.r2)] } })
  s.disc = removed.discount
})

step("discounts: conditions create, get (with expand), update refusal, delete", async () => {
  const c = await admin()
  const created = await ok(c.admin.discounts.createCondition(s.disc.id, { operator: "in", products: [s.product.id] }))
  const cond = created.discount.rule.conditions[0]
  const condRow = { ...base("discon"), type: "products", operator: "in", discount_rule_id: s.disc.rule.id, metadata: null }
  like(created, { discount: { ...s.disc, rule: { ...s.disc.rule, conditions: [condRow] } } })
  const { conditions, ...ruleRow } = s.disc.rule
  const { deleted_at, metadata, ...condShown } = cond
  like(await ok(c.admin.discounts.getCondition(s.disc.id, cond.id)), { discount_condition: { ...condShown, discount_rule: ruleRow } })
  const { collection, images, options, tags, type, variants, sales_channels, ...productRow } = s.product
  like(await ok(c.admin.discounts.getCondition(s.disc.id, cond.id, { expand: "products" })), { discount_condition: { ...condShown, products: [productRow] } })
  const missing = "Missing one of products, collections, tags, types or customer groups in data"
  like(await fails(c.admin.discounts.updateCondition(s.disc.id, cond.id, { products: [] })), { status: 400, body: { type: "invalid_data", message: missing } })
  like(await fails(c.admin.discounts.createCondition(s.disc.id, { operator: "not_in", product_types: [] }, { expand: "rule,rule.conditions", fields: "id,code" })), {
    status: 400,
    body: { type: "invalid_data", message: missing },
  })
  like(await ok(c.admin.discounts.deleteCondition(s.disc.id, cond.id)), { id: cond.id, object: "discount-condition", deleted: true, discount: s.disc })
})

step("discounts: dynamic codes (refused on a static discount), created with the parent's rule, deleted", async () => {
  const c = await admin()
  like(await fails(c.admin.discounts.createDynamicCode(s.disc.id, { code: `${CODE}_X1` })), { status: 400, body: { type: "not_allowed", message: "Discount must be set to dynamic" } })
  const body = await ok(c.admin.discounts.createDynamicCode(s.dyn.id, { code: `${CODE}_D1`, usage_limit: 1 }))
  const { regions, rule: dynRule, parent_discount, ...parentRow } = s.dyn
  like(body, {
    discount: discount({
      code: `${CODE}_D1`,
      is_dynamic: true,
      rule_id: s.dyn.rule_id,
      rule: s.dyn.rule,
      parent_discount_id: s.dyn.id,
      parent_discount: parentRow,
      ends_at: m.date,
    }),
  })
  // A dynamic code lasts the parent's valid_duration (P1M) from its creation.
  const d = body.discount
  const expected = new Date(d.starts_at)
  expected.setUTCMonth(expected.getUTCMonth() + 1)
  assert.ok(Math.abs(new Date(d.ends_at) - expected) < 60e3, `ends a month after it starts (${d.starts_at} → ${d.ends_at})`)
  like(await ok(c.admin.discounts.deleteDynamicCode(s.dyn.id, `${CODE}_D1`)), { discount: s.dyn })
})

step("discounts: delete, 404 after", async () => {
  const c = await admin()
  for (const d of [s.disc, s.dyn]) like(await ok(c.admin.discounts.delete(d.id)), { id: d.id, object: "discount", deleted: true })
  like(await fails(c.admin.discounts.retrieve(s.disc.id)), { status: 404, body: { type: "not_found", message: `Discount with ${s.disc.id} was not found` } })
  await ok(c.admin.products.delete(s.product.id))
  for (const r of [s.r1, s.r2]) await ok(c.admin.regions.delete(r.id))
})
