"use strict"
// Products with options, variants, prices, images, tags, type, collection; lists with qs arrays
// (collection_id[0]=…, tags[0]=…, status[0]=…), q, fields and expand; options and variants
// CRUD; variants list; product tags and types; collections CRUD with product batches.
const assert = require("node:assert/strict")
const L = require("./lib.js")
const { admin, ok, fails, like, m, steps, RUN, kebab, collectionRow, image, tag, productType, option, optionValue, price, variantRow, variant, productRow, product, loadFlags } = L
const step = steps(__filename)

const s = {}
const byTitle = (list) => [...list].sort((a, b) => (a.title < b.title ? -1 : 1))

step("collections: create two (handle derived from the title, or given)", async () => {
  const c = await admin()
  s.flags = await loadFlags(c)
  const summer = await ok(c.admin.collections.create({ title: `${RUN} Summer`, metadata: { season: "summer" } }))
  like(summer, { collection: collectionRow({ title: `${RUN} Summer`, handle: kebab(`${RUN} Summer`), metadata: { season: "summer" } }) })
  const winter = await ok(c.admin.collections.create({ title: `${RUN} Winter`, handle: `${RUN}-winter` }))
  like(winter, { collection: collectionRow({ title: `${RUN} Winter`, handle: `${RUN}-winter` }) })
  s.summer = summer.collection
  s.winter = winter.collection
  like(await fails(c.admin.collections.create({ title: "Again", handle: `${RUN}-winter` })), {
    status: 422,
    body: { type: "duplicate_error", code: "invalid_request_error", message: `Product_collection with handle ${RUN}-winter already exists.` },
  })
})

step("products: create with options, variants, prices, images, tags, type, collection", async () => {
  const c = await admin()
  const body = await ok(
    c.admin.products.create({
      title: `${RUN} Shirt`,
      subtitle: "Soft",
      description: "A shirt",
      is_giftcard: false,
      discountable: true,
      images: ["https://img.example/a.png", "https://img.example/b.png"],
      thumbnail: "https://img.example/a.png",
      collection_id: s.summer.id,
      tags: [{ value: `${RUN}-cotton` }, { value: `${RUN}-summer` }],
      type: { value: `${RUN}-apparel` },
      ...(s.flags.salesChannels ? { sales_channels: [] } : {}),
      options: [{ title: "Size" }, { title: "Color" }],
      variants: [
        {
          title: "S / Red",
          sku: `${RUN}-S-R`,
          inventory_quantity: 10,
          prices: [
            { currency_code: "usd", amount: 1000 },
            { currency_code: "eur", amount: 900 },
          ],
          options: [{ value: "S" }, { value: "Red" }],
        },
        { title: "M / Red", sku: `${RUN}-M-R`, prices: [{ currency_code: "usd", amount: 1100 }], options: [{ value: "M" }, { value: "Red" }] },
      ],
      weight: 200,
      material: "cotton",
      origin_country: "dk",
      metadata: { fabric: "jersey" },
    })
  )
  const p = sortOptionValues(body.product)
  s.shirt = p
  const id = p.id
  const [size, color] = p.options
  const [v1, v2] = p.variants
  like({ product: p }, {
    product: product({
      title: `${RUN} Shirt`,
      subtitle: "Soft",
      description: "A shirt",
      handle: kebab(`${RUN} Shirt`),
      thumbnail: "https://img.example/a.png",
      weight: 200,
      material: "cotton",
      origin_country: "dk",
      metadata: { fabric: "jersey" },
      collection_id: s.summer.id,
      collection: s.summer,
      type_id: m.id("ptyp"),
      type: productType(`${RUN}-apparel`),
      images: [image("https://img.example/a.png"), image("https://img.example/b.png")],
      tags: [tag(`${RUN}-cotton`), tag(`${RUN}-summer`)],
      options: [option("Size", id), option("Color", id)],
      variants: [
        variant({
          title: "S / Red",
          product_id: id,
          sku: `${RUN}-S-R`,
          inventory_quantity: 10,
          options: [optionValue("S", size?.id, v1?.id), optionValue("Red", color?.id, v1?.id)],
          prices: [price({ currency_code: "eur", amount: 900, variant_id: v1?.id, price_list: null }), price({ currency_code: "usd", amount: 1000, variant_id: v1?.id, price_list: null })],
        }),
        variant({
          title: "M / Red",
          product_id: id,
          sku: `${RUN}-M-R`,
          options: [optionValue("M", size?.id, v2?.id), optionValue("Red", color?.id, v2?.id)],
          prices: [price({ currency_code: "usd", amount: 1100, variant_id: v2?.id, price_list: null })],
        }),
      ],
    }),
  })
  like(p.type_id, p.type.id)
})

step("products: retrieve answers what create answered", async () => {
  const c = await admin()
  like(sortOptionValues((await ok(c.admin.products.retrieve(s.shirt.id))).product), s.shirt)
})

step("products: a second product; a gift card product (not discountable); missing title and price XOR refused", async () => {
  const c = await admin()
  const sc = s.flags.salesChannels ? { sales_channels: [] } : {}
  const mug = await ok(c.admin.products.create({ title: `${RUN} Mug`, is_giftcard: false, collection_id: s.winter.id, tags: [{ value: `${RUN}-cotton` }], ...sc }))
  s.mug = mug.product
  like(mug, { product: product({ title: `${RUN} Mug`, handle: kebab(`${RUN} Mug`), collection_id: s.winter.id, collection: s.winter, tags: [{ ...s.shirt.tags[0] }] }) })

  const gift = await ok(
    c.admin.products.create({
      title: `${RUN} Gift`,
      is_giftcard: true,
      options: [{ title: "Denomination" }],
      variants: [{ title: "50", prices: [{ currency_code: "usd", amount: 5000 }], options: [{ value: "50" }] }],
      ...sc,
    })
  )
  s.gift = gift.product
  like({ is_giftcard: gift.product.is_giftcard, discountable: gift.product.discountable, status: gift.product.status }, { is_giftcard: true, discountable: false, status: "draft" })

  like(await fails(c.admin.products.create({ is_giftcard: false })), { status: 400, body: { type: "invalid_data", message: "title must be a string" } })
  like(await fails(c.admin.products.create({ title: `${RUN} Bad`, variants: [{ title: "x", prices: [{ amount: 1 }] }] })), {
    status: 400,
    body: { type: "invalid_data", message: 'Failed XOR relation between "region_id" and "currency_code"., Failed XOR relation between "currency_code" and "region_id".' },
  })
})

step("products: list with q (every relation, count/offset/limit)", async () => {
  const c = await admin()
  const body = await ok(c.admin.products.list({ q: RUN }))
  like({ ...body, products: [] }, { products: [], count: 3, offset: 0, limit: 50 })
  // With q, Medusa's order is PostgreSQL's (no ORDER BY); compare by title.
  const shirt = body.products.find((p) => p.id === s.shirt.id)
  like(byTitle(body.products).map((p) => p.title), [`${RUN} Gift`, `${RUN} Mug`, `${RUN} Shirt`])
  // A variant's option values come in PostgreSQL's order too; compared in the options' order.
  like(sortOptionValues(shirt), sortOptionValues(s.shirt))
})

step("products: list with collection_id[] and expand=variants (fields are ignored next to q)", async () => {
  const c = await admin()
  const body = await ok(c.admin.products.list({ collection_id: [s.summer.id, s.winter.id], q: RUN, expand: "variants" }))
  like({ ...body, products: [] }, { products: [], count: 2, offset: 0, limit: 50 })
  const { collection, images, options, tags, type, variants, sales_channels, ...shirtRow } = s.shirt
  like(byTitle(body.products), [
    { ...productRow({ ...s.mug, collection: undefined, tags: undefined, images: undefined, options: undefined, type: undefined, variants: undefined, sales_channels: undefined }), variants: [] },
    { ...shirtRow, variants: s.shirt.variants.map(({ options, prices, calculated_price, calculated_price_incl_tax, calculated_tax, original_price, original_price_incl_tax, original_tax, tax_rates, ...row }) => row) },
  ].map(stripUndefined))
})

step("products: list with tags[] and expand", async () => {
  const c = await admin()
  const tagged = await ok(c.admin.products.list({ tags: [s.shirt.tags[0].id], expand: "tags,collection" }))
  like({ ...tagged, products: [] }, { products: [], count: 2, offset: 0, limit: 50 })
  like(
    byTitle(tagged.products).map((p) => ({ id: p.id, tags: p.tags.map((t) => t.value), collection: p.collection?.id })),
    [
      { id: s.mug.id, tags: [`${RUN}-cotton`], collection: s.winter.id },
      { id: s.shirt.id, tags: [`${RUN}-cotton`, `${RUN}-summer`], collection: s.summer.id },
    ]
  )
})

step("products: list with status[] and is_giftcard", async () => {
  const c = await admin()
  const drafts = await ok(c.admin.products.list({ collection_id: [s.summer.id], status: ["draft"], is_giftcard: false }))
  like({ count: drafts.count, ids: drafts.products.map((p) => p.id) }, { count: 1, ids: [s.shirt.id] })
  like(await ok(c.admin.products.list({ q: RUN, status: ["published"] })), { products: [], count: 0, offset: 0, limit: 50 })
  const gifts = await ok(c.admin.products.list({ q: RUN, is_giftcard: true }))
  like({ count: gifts.count, ids: gifts.products.map((p) => p.id) }, { count: 1, ids: [s.gift.id] })
})

step("products: list by id with fields and expand; order is refused", async () => {
  const c = await admin()
  const slim = await ok(c.admin.products.list({ id: s.shirt.id, fields: "id,title,status", expand: "tags" }))
  like(slim, { products: [{ id: s.shirt.id, title: `${RUN} Shirt`, status: "draft", created_at: s.shirt.created_at, tags: s.shirt.tags }], count: 1, offset: 0, limit: 50 })
  like(await fails(c.admin.products.list({ q: RUN, order: "title" })), { status: 400, body: { type: "invalid_data", message: "property order should not exist" } })
})

const tagRow = (t) => ({ id: t.id, value: t.value, created_at: t.created_at, updated_at: t.updated_at })

step("product types and tags: lists with q", async () => {
  const c = await admin()
  const typeRow = { id: s.shirt.type.id, value: `${RUN}-apparel`, created_at: s.shirt.type.created_at, updated_at: s.shirt.type.updated_at }
  like(await ok(c.admin.productTypes.list({ q: RUN })), { product_types: [typeRow], count: 1, offset: 0, limit: 10 })
  like(await ok(c.admin.productTags.list({ q: RUN })), { product_tags: s.shirt.tags.map(tagRow), count: 2, offset: 0, limit: 10 })
})

step("product tags: list with value[]", async () => {
  const c = await admin()
  like(await ok(c.admin.productTags.list({ value: [`${RUN}-cotton`] })), { product_tags: [tagRow(s.shirt.tags[0])], count: 1, offset: 0, limit: 10 })
})

step("products: types in use and tag usage", async () => {
  const c = await admin()
  const { types } = await ok(c.admin.products.listTypes())
  like(
    types.filter((t) => t.value.startsWith(RUN)),
    [s.shirt.type]
  )
  const { tags } = await ok(c.admin.products.listTags())
  // The 10 most used tags (deleted products count too), usage counts as strings (COUNT through
  // node-postgres), most used first. On a shared database this run's tags may rank below the 10.
  for (const t of tags) like(t, { id: m.id("ptag"), value: m.string, usage_count: m.matches(/^\d+$/) })
  assert.ok(tags.length <= 10, `at most 10 tags (${tags.length})`)
  const counts = tags.map((t) => Number(t.usage_count))
  assert.deepEqual(counts, [...counts].sort((a, b) => b - a), "most used first")
  const mine = [
    { id: s.shirt.tags[0].id, value: `${RUN}-cotton`, usage_count: "2" },
    { id: s.shirt.tags[1].id, value: `${RUN}-summer`, usage_count: "1" },
  ]
  for (const t of mine) {
    const got = tags.find((x) => x.id === t.id)
    if (got) like(got, t)
    else assert.ok(tags.length === 10 && counts[9] >= Number(t.usage_count), `${t.value} (${t.usage_count} uses) is missing from ${JSON.stringify(tags)}`)
  }
})

step("products: update title, status, tags, images, collection and a variant's prices", async () => {
  const c = await admin()
  const v1 = s.shirt.variants[0]
  const body = await ok(
    c.admin.products.update(s.shirt.id, {
      title: `${RUN} Shirt 2`,
      status: "published",
      tags: [{ value: `${RUN}-linen` }],
      images: ["https://img.example/c.png"],
      collection_id: null,
      variants: [{ id: v1.id, title: "Small", prices: [{ currency_code: "usd", amount: 1200 }] }],
    })
  )
  const p = body.product
  like(
    {
      title: p.title,
      handle: p.handle,
      status: p.status,
      collection_id: p.collection_id,
      collection: p.collection,
      tags: p.tags,
      images: p.images,
      thumbnail: p.thumbnail,
      variants: p.variants.map((v) => ({ id: v.id, title: v.title, prices: v.prices.map((x) => [x.currency_code, x.amount]) })),
    },
    {
      title: `${RUN} Shirt 2`,
      handle: s.shirt.handle,
      status: "published",
      collection_id: null,
      collection: null,
      tags: [tag(`${RUN}-linen`)],
      images: [image("https://img.example/c.png")],
      // Replacing the images leaves the thumbnail as it was.
      thumbnail: "https://img.example/a.png",
      variants: [{ id: v1.id, title: "Small", prices: [["usd", 1200]] }],
    }
  )
  like(Object.keys(p).sort(), Object.keys(s.shirt).sort())
  s.shirt = p
})

step("products: options add, update (variants get a default value for a new option); a taken title is refused", async () => {
  const c = await admin()
  like(await fails(c.admin.products.addOption(s.shirt.id, { title: "Color" })), {
    status: 422,
    body: { type: "duplicate_error", code: "invalid_request_error", message: "An option with the title: Color already exists" },
  })
  const added = await ok(c.admin.products.addOption(s.shirt.id, { title: "Fit" }))
  like(added.product.options.map((o) => o.title), ["Size", "Color", "Fit"])
  s.fit = added.product.options[2]
  like(s.fit, option("Fit", s.shirt.id))
  like(sortOptionValues(added.product).variants.map((v) => v.options.map((o) => o.value)), [["S", "Red", "Default Value"]])
  const updated = await ok(c.admin.products.updateOption(s.shirt.id, s.fit.id, { title: "Cut" }))
  like(updated.product.options.map((o) => o.title), ["Size", "Color", "Cut"])
  s.shirt = updated.product
})

step("products: variants create, update, list (q), delete", async () => {
  const c = await admin()
  const [size, color, fit] = s.shirt.options
  const created = await ok(
    c.admin.products.createVariant(s.shirt.id, {
      title: "M / Blue",
      sku: `${RUN}-M-B`,
      inventory_quantity: 3,
      prices: [
        { currency_code: "eur", amount: 1500 },
        { currency_code: "usd", amount: 1700 },
      ],
      options: [
        { option_id: size.id, value: "M" },
        { option_id: color.id, value: "Blue" },
        { option_id: fit.id, value: "Slim" },
      ],
    })
  )
  const v = created.product.variants.find((x) => x.sku === `${RUN}-M-B`)
  like(created.product.variants.map((x) => x.title), ["Small", "M / Blue"])
  like(
    sortOptionValues({ options: s.shirt.options, variants: [v] }).variants[0],
    // The variant as createVariant's product answer carries it: no pricing fields, prices
    // without their price list.
    variantRow({
      title: "M / Blue",
      product_id: s.shirt.id,
      sku: `${RUN}-M-B`,
      inventory_quantity: 3,
      options: [optionValue("M", size.id, v.id), optionValue("Blue", color.id, v.id), optionValue("Slim", fit.id, v.id)],
      prices: [price({ currency_code: "eur", amount: 1500, variant_id: v.id }), price({ currency_code: "usd", amount: 1700, variant_id: v.id })],
    })
  )
  const updated = await ok(
    c.admin.products.updateVariant(s.shirt.id, v.id, { title: "M / Navy", inventory_quantity: 5, prices: [{ currency_code: "eur", amount: 1400 }], options: [{ option_id: color.id, value: "Navy" }] })
  )
  const u = updated.product.variants.find((x) => x.id === v.id)
  like(
    { title: u.title, inventory_quantity: u.inventory_quantity, prices: u.prices.map((x) => [x.currency_code, x.amount]), options: u.options.map((o) => o.value).sort() },
    { title: "M / Navy", inventory_quantity: 5, prices: [["eur", 1400]], options: ["M", "Navy", "Slim"] }
  )

  const list = await ok(c.admin.variants.list({ q: `${RUN}-M` }))
  const { collection, images, options, tags, type, variants, sales_channels, ...row } = updated.product
  const { calculated_price, calculated_price_incl_tax, calculated_tax, original_price, original_price_incl_tax, original_tax, tax_rates, ...vrow } = u
  const listed = list.variants.map((x) => ({ ...x, options: [...x.options].sort((a, b) => (a.value < b.value ? -1 : 1)) }))
  like({ ...list, variants: listed }, {
    variants: [{ ...vrow, options: [...vrow.options].sort((a, b) => (a.value < b.value ? -1 : 1)), prices: u.prices.map(({ price_list, ...p }) => p), product: row }],
    count: 1,
    offset: 0,
    limit: 20,
  })
  like(await fails(c.admin.variants.list({ id: v.id })), { status: 400, body: { type: "invalid_data", message: "property id should not exist" } })

  const deleted = await ok(c.admin.products.deleteVariant(s.shirt.id, v.id))
  like({ ...deleted, product: undefined }, { variant_id: v.id, object: "product-variant", deleted: true, product: undefined })
  like(deleted.product.variants.map((x) => x.title), ["Small"])
})

step("products: a variant priced per region (currency taken from the region) and with quantity tiers", async () => {
  const c = await admin()
  const r = await ok(c.admin.regions.create({ name: `${RUN} Prices`, currency_code: "eur", tax_rate: 0, payment_providers: [], fulfillment_providers: [], countries: [] }))
  s.priceRegion = r.region
  const [size, color, fit] = s.shirt.options
  const body = await ok(
    c.admin.products.createVariant(s.shirt.id, {
      title: "XL",
      sku: `${RUN}-XL`,
      prices: [
        { region_id: s.priceRegion.id, amount: 2100 },
        { currency_code: "usd", amount: 2000, min_quantity: 1, max_quantity: 9 },
        { currency_code: "usd", amount: 1800, min_quantity: 10 },
      ],
      options: [
        { option_id: size.id, value: "XL" },
        { option_id: color.id, value: "Red" },
        { option_id: fit.id, value: "Loose" },
      ],
    })
  )
  const v = body.product.variants.find((x) => x.sku === `${RUN}-XL`)
  try {
    // One price per currency outside price lists: the second usd price overwrites the first's
    // amount, which keeps its quantities.
    like([...v.prices].sort((a, b) => a.amount - b.amount), [
      price({ currency_code: "usd", amount: 1800, min_quantity: 1, max_quantity: 9, variant_id: v.id }),
      price({ currency_code: "eur", amount: 2100, region_id: s.priceRegion.id, variant_id: v.id }),
    ])
    like(await fails(c.admin.products.createVariant(s.shirt.id, { title: "Bad", prices: [{ region_id: s.priceRegion.id, amount: 1 }], options: [] })), {
      status: 400,
      body: { type: "invalid_data", message: "Product options length does not match variant options length. Product has 3 and variant has 0." },
    })
  } finally {
    await ok(c.admin.products.deleteVariant(s.shirt.id, v.id))
    await ok(c.admin.regions.delete(s.priceRegion.id))
  }
})

step("products: delete options (with one variant left, and on a product without variants), set metadata", async () => {
  const c = await admin()
  const dropped = await ok(c.admin.products.deleteOption(s.shirt.id, s.fit.id))
  like({ ...dropped, product: undefined }, { option_id: s.fit.id, object: "option", deleted: true, product: undefined })
  like(dropped.product.options.map((o) => o.title), ["Size", "Color"])
  // The answer still lists the variant's value for the deleted option.
  like(dropped.product.variants.map((v) => v.options.map((o) => o.value).sort()), [["Default Value", "Red", "S"]])
  const withOption = await ok(c.admin.products.addOption(s.mug.id, { title: "Size" }))
  const sizeID = withOption.product.options[0].id
  const deleted = await ok(c.admin.products.deleteOption(s.mug.id, sizeID))
  like({ ...deleted, product: undefined }, { option_id: sizeID, object: "option", deleted: true, product: undefined })
  like(deleted.product.options, [])
  const meta = await ok(c.admin.products.setMetadata(s.shirt.id, { key: "origin", value: "dk" }))
  like(meta.product.metadata, { fabric: "jersey", origin: "dk" })
  s.shirt = meta.product
})

step("collections: retrieve and list with products, update, add/remove products", async () => {
  const c = await admin()
  const added = await ok(c.admin.collections.addProducts(s.summer.id, { product_ids: [s.shirt.id, s.mug.id] }))
  const row = (p) => {
    const { collection, images, options, tags, type, variants, sales_channels, ...r } = p
    return { ...r, collection_id: s.summer.id, updated_at: m.date }
  }
  // A collection's products come in PostgreSQL's order (no ORDER BY); compared by title.
  like({ ...added.collection, products: byTitle(added.collection.products) }, { ...s.summer, updated_at: m.date, products: byTitle([row(s.mug), row(s.shirt)]) })
  const got = await ok(c.admin.collections.retrieve(s.summer.id))
  like({ ...got.collection, products: byTitle(got.collection.products) }, { ...added.collection, products: byTitle(added.collection.products) })

  const { deleted_at, metadata, ...listed } = got.collection
  const list = await ok(c.admin.collections.list({ q: RUN }))
  like({ ...list, collections: [] }, { collections: [], count: 2, offset: 0, limit: 10 })
  const summer = list.collections.find((x) => x.id === s.summer.id)
  like({ ...summer, products: byTitle(summer.products) }, { ...listed, products: byTitle(got.collection.products) })
  like((await ok(c.admin.collections.list({ title: `${RUN} Summer`, limit: 5 }))).collections.map((x) => x.id), [s.summer.id])
  // The mug moved from winter to summer.
  like(await ok(c.admin.collections.list({ handle: s.winter.handle })), { collections: [{ ...s.winter, products: [], deleted_at: undefined, metadata: undefined }].map(stripUndefined), count: 1, offset: 0, limit: 10 })

  const updated = await ok(c.admin.collections.update(s.summer.id, { title: `${RUN} Autumn`, metadata: { season: "autumn" } }))
  like(updated, { collection: { ...s.summer, title: `${RUN} Autumn`, updated_at: m.date, metadata: { season: "autumn" } } })
  like(await ok(c.admin.collections.removeProducts(s.summer.id, { product_ids: [s.mug.id] })), { id: s.summer.id, object: "product-collection", removed_products: [s.mug.id] })
  like((await ok(c.admin.products.retrieve(s.mug.id))).product.collection_id, null)
})

step("collections and products: delete, 404 after", async () => {
  const c = await admin()
  for (const col of [s.summer, s.winter]) {
    like(await ok(c.admin.collections.delete(col.id)), { id: col.id, object: "product-collection", deleted: true })
  }
  like(await fails(c.admin.collections.retrieve(s.summer.id)), { status: 404, body: { type: "not_found", message: `Product collection with id: ${s.summer.id} was not found` } })
  for (const p of [s.shirt, s.mug, s.gift]) {
    like(await ok(c.admin.products.delete(p.id)), { id: p.id, object: "product", deleted: true })
  }
  like(await fails(c.admin.products.retrieve(s.shirt.id)), { status: 404, body: { type: "not_found", message: `Product with id: ${s.shirt.id} was not found` } })
  like(await ok(c.admin.products.list({ q: RUN })), { products: [], count: 0, offset: 0, limit: 50 })
})

// Medusa loads a variant's option values and prices without ORDER BY, so their order is
// PostgreSQL's and varies between runs; comparisons put them in the options' order and by
// currency.
function sortOptionValues(p) {
  const rank = new Map(p.options.map((o, i) => [o.id, i]))
  return {
    ...p,
    variants: p.variants.map((v) => ({
      ...v,
      options: [...v.options].sort((a, b) => rank.get(a.option_id) - rank.get(b.option_id)),
      prices: v.prices && [...v.prices].sort((a, b) => (a.currency_code < b.currency_code ? -1 : 1)),
    })),
  }
}

function stripUndefined(o) {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined))
}
