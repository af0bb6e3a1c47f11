"use strict"
// Price lists: create with prices and customer groups, list (q, status[], type[]), update,
// prices batch add (and override) and delete, products of a list, variant and product prices.
const { admin, ok, fails, like, m, steps, RUN, base, price, loadFlags } = require("./lib.js")
const step = steps(__filename)

const s = {}
const priceList = (fields) => ({
  ...base("pl"),
  name: m.string,
  description: m.string,
  type: "sale",
  status: "draft",
  starts_at: null,
  ends_at: null,
  prices: [],
  customer_groups: [],
  ...fields,
})
const plPrice = (fields) => price({ price_list_id: s.list?.id ?? m.id("pl"), ...fields })
const byAmount = (prices) => [...prices].sort((a, b) => a.amount - b.amount)

step("price lists: a product with two variants and a customer group to price for", async () => {
  const c = await admin()
  const flags = await loadFlags(c)
  const body = await ok(
    c.admin.products.create({
      title: `${RUN} Lamp`,
      is_giftcard: false,
      ...(flags.salesChannels ? { sales_channels: [] } : {}),
      options: [{ title: "Size" }],
      variants: [
        { title: "S", prices: [{ currency_code: "usd", amount: 1000 }], options: [{ value: "S" }] },
        { title: "L", prices: [{ currency_code: "usd", amount: 2000 }], options: [{ value: "L" }] },
      ],
    })
  )
  s.product = body.product
  ;[s.v1, s.v2] = body.product.variants
  s.group = (await ok(c.admin.customerGroups.create({ name: `${RUN} VIP` }))).customer_group
})

step("price lists: create with prices and a customer group; retrieve", async () => {
  const c = await admin()
  const body = await ok(
    c.admin.priceLists.create({
      name: `${RUN} Sale`,
      description: "Summer sale",
      type: "sale",
      status: "active",
      starts_at: "2030-01-01T00:00:00.000Z",
      customer_groups: [{ id: s.group.id }],
      prices: [
        { amount: 800, currency_code: "usd", variant_id: s.v1.id },
        { amount: 1500, currency_code: "usd", variant_id: s.v2.id, min_quantity: 2 },
      ],
    })
  )
  s.list = body.price_list
  like(
    { price_list: { ...body.price_list, prices: byAmount(body.price_list.prices) } },
    {
      price_list: priceList({
        name: `${RUN} Sale`,
        description: "Summer sale",
        status: "active",
        starts_at: "2030-01-01T00:00:00.000Z",
        customer_groups: [s.group],
        prices: [plPrice({ amount: 800, currency_code: "usd", variant_id: s.v1.id }), plPrice({ amount: 1500, currency_code: "usd", variant_id: s.v2.id, min_quantity: 2 })],
      }),
    }
  )
  const got = await ok(c.admin.priceLists.retrieve(s.list.id))
  like({ ...got.price_list, prices: byAmount(got.price_list.prices) }, { ...s.list, prices: byAmount(s.list.prices) })
})

step("price lists: list with q, limit/offset (rows without relations)", async () => {
  const c = await admin()
  const { prices, customer_groups, ...row } = s.list
  like(await ok(c.admin.priceLists.list({ q: RUN })), { price_lists: [row], count: 1, offset: 0, limit: 10 })
  like(await ok(c.admin.priceLists.list({ q: RUN, limit: 5, offset: 1 })), { price_lists: [], count: 1, offset: 1, limit: 5 })
})

step("price lists: list with status[] and type[]", async () => {
  const c = await admin()
  const { prices, customer_groups, ...row } = s.list
  like(await ok(c.admin.priceLists.list({ q: RUN, status: ["active"], type: ["sale"], limit: 5, offset: 0 })), { price_lists: [row], count: 1, offset: 0, limit: 5 })
  like(await ok(c.admin.priceLists.list({ q: RUN, status: ["draft"] })), { price_lists: [], count: 0, offset: 0, limit: 10 })
})

step("price lists: update name, status, ends_at, customer groups", async () => {
  const c = await admin()
  const body = await ok(c.admin.priceLists.update(s.list.id, { name: `${RUN} Sale 2`, status: "draft", ends_at: "2031-01-01T00:00:00.000Z", customer_groups: [] }))
  like(
    { price_list: { ...body.price_list, prices: byAmount(body.price_list.prices) } },
    { price_list: { ...s.list, prices: byAmount(s.list.prices), name: `${RUN} Sale 2`, status: "draft", ends_at: "2031-01-01T00:00:00.000Z", customer_groups: [], updated_at: m.date } }
  )
  s.list = body.price_list
})

step("price lists: prices batch add, then add with override (replaces every price of the list)", async () => {
  const c = await admin()
  const added = await ok(c.admin.priceLists.addPrices(s.list.id, { prices: [{ amount: 700, currency_code: "eur", variant_id: s.v1.id }] }))
  like(byAmount(added.price_list.prices), [
    plPrice({ amount: 700, currency_code: "eur", variant_id: s.v1.id }),
    plPrice({ amount: 800, currency_code: "usd", variant_id: s.v1.id }),
    plPrice({ amount: 1500, currency_code: "usd", variant_id: s.v2.id, min_quantity: 2 }),
  ])
  const replaced = await ok(c.admin.priceLists.addPrices(s.list.id, { prices: [{ amount: 750, currency_code: "usd", variant_id: s.v1.id }], override: true }))
  like(replaced.price_list.prices, [plPrice({ amount: 750, currency_code: "usd", variant_id: s.v1.id })])
  like((await ok(c.admin.priceLists.retrieve(s.list.id))).price_list.prices, replaced.price_list.prices)
  s.listPrice = replaced.price_list.prices[0]
})

step("price lists: products of the list, with each variant's prices and their price list", async () => {
  const c = await admin()
  const body = await ok(c.admin.priceLists.listProducts(s.list.id, { q: RUN }))
  like({ ...body, products: [] }, { products: [], count: 1, offset: 0, limit: 50 })
  const p = body.products[0]
  const { prices, customer_groups, ...listRow } = s.list
  like(p.id, s.product.id)
  like(
    p.variants.map((v) => ({ id: v.id, prices: [...v.prices].sort((a, b) => a.amount - b.amount).map((x) => ({ amount: x.amount, list: x.price_list && x.price_list.id })) })),
    [
      { id: s.v1.id, prices: [{ amount: 750, list: s.list.id }, { amount: 1000, list: null }] },
      { id: s.v2.id, prices: [{ amount: 2000, list: null }] },
    ]
  )
  like(p.variants[0].prices.find((x) => x.amount === 750).price_list, { ...listRow, updated_at: m.date })
})

step("price lists: delete prices by id, by variant, by product", async () => {
  const c = await admin()
  like(await ok(c.admin.priceLists.deletePrices(s.list.id, { price_ids: [s.listPrice.id] })), { ids: [s.listPrice.id], object: "money-amount", deleted: true })
  await ok(c.admin.priceLists.addPrices(s.list.id, { prices: [{ amount: 1900, currency_code: "usd", variant_id: s.v2.id }, { amount: 900, currency_code: "usd", variant_id: s.v1.id }] }))
  const withPrices = (await ok(c.admin.priceLists.retrieve(s.list.id))).price_list.prices
  const v2Price = withPrices.find((x) => x.variant_id === s.v2.id)
  const v1Price = withPrices.find((x) => x.variant_id === s.v1.id)
  like(await ok(c.admin.priceLists.deleteVariantPrices(s.list.id, s.v2.id)), { ids: [v2Price.id], object: "money-amount", deleted: true })
  like(await ok(c.admin.priceLists.deleteProductPrices(s.list.id, s.product.id)), { ids: [v1Price.id], object: "money-amount", deleted: true })
  like((await ok(c.admin.priceLists.retrieve(s.list.id))).price_list.prices, [])
})

step("price lists: validation, delete, 404 after", async () => {
  const c = await admin()
  like(await fails(c.admin.priceLists.create({ name: `${RUN} x`, type: "nope", prices: [] })), {
    status: 400,
    body: { type: "invalid_data", message: "description must be a string, type must be a valid enum value" },
  })
  like(await ok(c.admin.priceLists.delete(s.list.id)), { id: s.list.id, object: "price-list", deleted: true })
  like(await fails(c.admin.priceLists.retrieve(s.list.id)), { status: 404, body: { type: "not_found", message: `Price list with id: ${s.list.id} was not found` } })
  await ok(c.admin.products.delete(s.product.id))
  await ok(c.admin.customerGroups.delete(s.group.id))
})
