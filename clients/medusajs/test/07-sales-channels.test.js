"use strict"
// Sales channels (feature flag sales_channels; skipped when the server runs without it): CRUD,
// product batches, products listed by sales_channel_id[], products created in a channel.
const { test } = require("node:test")
const { admin, ok, fails, like, m, steps, RUN, base, loadFlags } = require("./lib.js")
const step = steps(__filename)

const s = {}
const channel = (fields) => ({ ...base("sc"), name: m.string, description: null, is_disabled: false, ...fields })

step("sales channels: the feature flag decides whether this file runs", async (t) => {
  const c = await admin()
  s.flags = await loadFlags(c)
  if (!s.flags.salesChannels) t.skip("sales_channels feature flag is off")
})

const sc = (name, fn) =>
  step(name, async (t) => {
    if (!s.flags?.salesChannels) return t.skip("sales_channels feature flag is off")
    return fn(t)
  })

sc("sales channels: create, retrieve, list (q, name, limit)", async () => {
  const c = await admin()
  const body = await ok(c.admin.salesChannels.create({ name: `${RUN} Web`, description: "Online", is_disabled: false }))
  s.channel = body.sales_channel
  like(body, { sales_channel: channel({ name: `${RUN} Web`, description: "Online" }) })
  like(await ok(c.admin.salesChannels.retrieve(s.channel.id)), body)
  like(await ok(c.admin.salesChannels.list({ q: RUN })), { sales_channels: [s.channel], count: 1, offset: 0, limit: 20 })
  like(await ok(c.admin.salesChannels.list({ name: `${RUN} Web`, limit: 2 })), { sales_channels: [s.channel], count: 1, offset: 0, limit: 2 })
  like(await fails(c.admin.salesChannels.create({ description: "x" })), { status: 400, body: { type: "invalid_data", message: "name must be a string" } })
})

sc("sales channels: update", async () => {
  const c = await admin()
  const body = await ok(c.admin.salesChannels.update(s.channel.id, { name: `${RUN} Web 2`, is_disabled: true }))
  like(body, { sales_channel: { ...s.channel, name: `${RUN} Web 2`, is_disabled: true, updated_at: m.date } })
  s.channel = body.sales_channel
})

sc("sales channels: add products", async () => {
  const c = await admin()
  s.chair = (await ok(c.admin.products.create({ title: `${RUN} Chair`, is_giftcard: false, sales_channels: [] }))).product
  like(await ok(c.admin.salesChannels.addProducts(s.channel.id, { product_ids: [{ id: s.chair.id }] })), { sales_channel: s.channel })
  like((await ok(c.admin.products.retrieve(s.chair.id))).product.sales_channels, [s.channel])
})

sc("sales channels: products listed by sales_channel_id[]", async () => {
  const c = await admin()
  like(await ok(c.admin.products.list({ sales_channel_id: [s.channel.id], fields: "id,title", expand: "sales_channels" })), {
    products: [{ id: s.chair.id, title: `${RUN} Chair`, created_at: s.chair.created_at, sales_channels: [s.channel] }],
    count: 1,
    offset: 0,
    limit: 50,
  })
})

sc("sales channels: remove products", async () => {
  const c = await admin()
  like(await ok(c.admin.salesChannels.removeProducts(s.channel.id, { product_ids: [{ id: s.chair.id }] })), { sales_channel: s.channel })
  like((await ok(c.admin.products.retrieve(s.chair.id))).product.sales_channels, [])
})

sc("sales channels: products created in a channel, and without sales_channels", async () => {
  const c = await admin()
  s.products = [s.chair]
  const stool = (await ok(c.admin.products.create({ title: `${RUN} Stool`, is_giftcard: false, sales_channels: [{ id: s.channel.id }] }))).product
  s.products.push(stool)
  like(stool.sales_channels, [s.channel])
  // Without sales_channels in the body, Medusa 1.3.8 puts the product in no channel (not the
  // default one).
  const bench = (await ok(c.admin.products.create({ title: `${RUN} Bench`, is_giftcard: false }))).product
  s.products.push(bench)
  like(bench.sales_channels, [])
  like((await ok(c.admin.products.retrieve(bench.id))).product.sales_channels, [])
})

sc("sales channels: the default channel cannot be deleted; delete, 404 after", async () => {
  const c = await admin()
  like(await fails(c.admin.salesChannels.delete(s.flags.store.default_sales_channel_id)), {
    status: 400,
    body: { type: "not_allowed", message: "You cannot delete the default sales channel" },
  })
  like(await ok(c.admin.salesChannels.delete(s.channel.id)), { id: s.channel.id, object: "sales-channel", deleted: true })
  like(await fails(c.admin.salesChannels.retrieve(s.channel.id)), {
    status: 404,
    body: { type: "not_found", message: `Sales channel with id,${s.channel.id}: 0 was not found` },
  })
  for (const p of s.products) await ok(c.admin.products.delete(p.id))
})
