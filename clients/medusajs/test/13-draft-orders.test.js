"use strict"
// Draft orders through medusa-js's admin.draftOrders: create (a variant and a custom item, a
// shipping method, an address), retrieve with Medusa's totals, list by q, update, add, update and
// remove line items, mark paid (the order it becomes), delete; bad input and a 404.
const { admin, ok, fails, like, partial, m, steps, RUN, loadFlags, SALES_CHANNELS } = require("./lib.js")
const step = steps(__filename)

const s = {}
const email = `${RUN}-draft@example.com`

// The draft order's own columns, as every draft order answer carries them.
const draftOrder = (fields) => ({
  id: m.id("dorder"),
  created_at: m.date,
  updated_at: m.date,
  status: "open",
  display_id: m.number,
  cart_id: m.id("cart"),
  order_id: null,
  canceled_at: null,
  no_notification_order: null,
  metadata: null,
  order: null,
  cart: m.any,
  ...fields,
})
// The cart columns of the thin cart create and list answer with (no totals, no relations but items).
const cartColumns = (fields) => ({
  object: "cart",
  id: m.id("cart"),
  created_at: m.date,
  updated_at: m.date,
  deleted_at: null,
  email,
  billing_address_id: null,
  shipping_address_id: m.id("addr"),
  region_id: s.eu.id,
  customer_id: m.id("cus"),
  payment_id: null,
  type: "draft_order",
  completed_at: null,
  payment_authorized_at: null,
  idempotency_key: null,
  context: {},
  metadata: {},
  // the store's default sales channel, with the flag on
  ...(SALES_CHANNELS() ? { sales_channel_id: s.flags.store.default_sales_channel_id } : {}),
  ...fields,
})
// A cart item as the draft order answers show it (tax_lines only in the full cart).
const item = (fields) => ({
  id: m.id("item"),
  created_at: m.date,
  updated_at: m.date,
  cart_id: m.id("cart"),
  order_id: null,
  swap_id: null,
  claim_order_id: null,
  description: null,
  thumbnail: null,
  is_return: false,
  is_giftcard: false,
  should_merge: true,
  allow_discounts: true,
  // every item has shipping once the cart has a method for its profile
  has_shipping: true,
  fulfilled_quantity: null,
  returned_quantity: null,
  shipped_quantity: null,
  metadata: {},
  adjustments: [],
  variant_id: null,
  variant: null,
  ...fields,
})
// The full cart of retrieve, update and the line item routes, with Medusa's totals.
const fullCart = (fields) =>
  cartColumns({
    billing_address: null,
    shipping_address: partial({ first_name: "Ola", last_name: "Nordmann", country_code: "de", city: "Berlin" }),
    customer: partial({ email, has_account: false }),
    region: partial({ id: s.eu.id, name: "EU", currency_code: "eur", tax_rate: 20 }),
    discounts: [],
    gift_cards: [],
    payment: null,
    payment_sessions: [],
    shipping_methods: [partial({ shipping_option_id: s.standard.id, price: 800, shipping_option: partial({ id: s.standard.id, name: "EU Standard" }) })],
    discount_total: 0,
    gift_card_total: 0,
    gift_card_tax_total: 0,
    ...fields,
  })
// Items of the full cart are sorted by title here: the items relation has no ORDER BY in Medusa.
const byTitle = (body) => {
  body.draft_order.cart.items.sort((a, b) => a.title.localeCompare(b.title))
  return body
}

step("draft orders: set-up: a product with two variants in eur", async () => {
  const c = await admin()
  s.flags = await loadFlags(c)
  const { regions } = await ok(c.admin.regions.list({ limit: 100 }))
  s.eu = regions.find((r) => r.name === "EU" && r.currency_code === "eur")
  const { shipping_options: options } = await ok(c.admin.shippingOptions.list({ region_id: s.eu.id }))
  s.standard = options.find((o) => o.name === "EU Standard")
  const { product } = await ok(
    c.admin.products.create({
      title: `${RUN} Draft Tee`,
      is_giftcard: false,
      status: "published",
      options: [{ title: "Size" }],
      variants: [
        { title: "S", sku: `${RUN}-DT-S`, inventory_quantity: 10, prices: [{ currency_code: "eur", amount: 1000 }], options: [{ value: "S" }] },
        { title: "L", sku: `${RUN}-DT-L`, inventory_quantity: 10, prices: [{ currency_code: "eur", amount: 2500 }], options: [{ value: "L" }] },
      ],
    })
  )
  s.product = product
  s.small = product.variants.find((v) => v.title === "S")
  s.large = product.variants.find((v) => v.title === "L")
})

step("draft orders: create with a variant, a custom item, a shipping method and an address", async () => {
  const c = await admin()
  const body = await ok(
    c.admin.draftOrders.create({
      email,
      region_id: s.eu.id,
      items: [
        { variant_id: s.small.id, quantity: 2 },
        { title: "Gift wrap", unit_price: 350, quantity: 1 },
      ],
      shipping_methods: [{ option_id: s.standard.id }],
      shipping_address: { first_name: "Ola", last_name: "Nordmann", address_1: "Karl Johans gate 1", city: "Berlin", country_code: "de", postal_code: "10115" },
    })
  )
  s.draft = body.draft_order
  like(body, { draft_order: draftOrder({ cart: m.any }) })
  // create answers the cart with its items only
  const items = [...body.draft_order.cart.items].sort((a, b) => a.title.localeCompare(b.title))
  like({ ...body.draft_order.cart, items }, cartColumns({
    items: [
      item({ title: "Gift wrap", unit_price: 350, quantity: 1, allow_discounts: false, metadata: null }),
      item({ title: `${RUN} Draft Tee`, description: "S", unit_price: 1000, quantity: 2, variant_id: s.small.id, variant: partial({ id: s.small.id, sku: `${RUN}-DT-S` }) }),
    ],
  }))
  like(await fails(c.admin.draftOrders.create({ email, region_id: s.eu.id, shipping_methods: [] })), {
    status: 400,
    body: { type: "invalid_data", message: m.matches(/items/) },
  })
})

step("draft orders: retrieve with totals (20% tax on the variant and the shipping)", async () => {
  const c = await admin()
  const body = byTitle(await ok(c.admin.draftOrders.retrieve(s.draft.id)))
  // 2 × 10.00 + 3.50, shipping 8.00; the custom item is not taxed: 20% of 20.00 + 8.00
  like(body, {
    draft_order: draftOrder({
      id: s.draft.id,
      display_id: s.draft.display_id,
      cart: fullCart({
        items: [
          item({ title: "Gift wrap", unit_price: 350, quantity: 1, allow_discounts: false, metadata: null, tax_lines: [] }),
          item({
            title: `${RUN} Draft Tee`,
            description: "S",
            unit_price: 1000,
            quantity: 2,
            variant_id: s.small.id,
            variant: partial({ id: s.small.id, product: partial({ id: s.product.id }) }),
            // taxes are computed for the totals, not stored on a draft's items
            tax_lines: [],
          }),
        ],
        subtotal: 2350,
        shipping_total: 800,
        tax_total: 560,
        total: 3710,
      }),
    }),
  })
  s.wrapID = body.draft_order.cart.items[0].id
  s.teeID = body.draft_order.cart.items[1].id
})

step("draft orders: list filtered by q (the email), offset and limit", async () => {
  const c = await admin()
  const body = await ok(c.admin.draftOrders.list({ q: email, limit: 10, offset: 0 }))
  like(body, { draft_orders: [draftOrder({ id: s.draft.id, display_id: s.draft.display_id })], count: 1, offset: 0, limit: 10 })
  like(body.draft_orders[0].cart, cartColumns({ items: m.any }))
  like(body.draft_orders[0].cart.items.length, 2)
  like(await ok(c.admin.draftOrders.list({ q: `${RUN}-nobody` })), { draft_orders: [], count: 0, offset: 0, limit: 50 })
})

step("draft orders: update (no_notification_order, billing address); the retrieve shows it", async () => {
  const c = await admin()
  const body = await ok(c.admin.draftOrders.update(s.draft.id, { no_notification_order: true, billing_address: { first_name: "Bill", country_code: "fr" } }))
  like(body, { draft_order: partial({ id: s.draft.id, cart: partial({ billing_address: partial({ first_name: "Bill", country_code: "fr" }), billing_address_id: m.id("addr") }) }) })
  const got = await ok(c.admin.draftOrders.retrieve(s.draft.id))
  like(got.draft_order.no_notification_order, true)
  like(got.draft_order.cart.billing_address, partial({ first_name: "Bill", last_name: null, country_code: "fr" }))
  like(await fails(c.admin.draftOrders.update(s.draft.id, { region_id: 7 })), { status: 400, body: { type: "invalid_data", message: "region_id must be a string" } })
})

step("draft orders: add a line item, change a quantity, remove the custom item; totals follow", async () => {
  const c = await admin()
  const totals = (b) => {
    const { subtotal, shipping_total, tax_total, total } = b.draft_order.cart
    return { subtotal, shipping_total, tax_total, total, items: b.draft_order.cart.items.map((i) => `${i.title}/${i.description} ×${i.quantity}`).sort() }
  }
  const added = await ok(c.admin.draftOrders.addLineItem(s.draft.id, { variant_id: s.large.id, quantity: 1 }))
  // 2 × 10.00 + 25.00 + 3.50 + 8.00 shipping; tax 20% of 20.00 + 25.00 + 8.00
  like(totals(added), { subtotal: 4850, shipping_total: 800, tax_total: 1060, total: 6710, items: ["Gift wrap/null ×1", `${RUN} Draft Tee/L ×1`, `${RUN} Draft Tee/S ×2`] })
  const changed = await ok(c.admin.draftOrders.updateLineItem(s.draft.id, s.teeID, { quantity: 3 }))
  like(totals(changed), { subtotal: 5850, shipping_total: 800, tax_total: 1260, total: 7910, items: ["Gift wrap/null ×1", `${RUN} Draft Tee/L ×1`, `${RUN} Draft Tee/S ×3`] })
  const removed = await ok(c.admin.draftOrders.removeLineItem(s.draft.id, s.wrapID))
  like(totals(removed), { subtotal: 5500, shipping_total: 800, tax_total: 1260, total: 7560, items: [`${RUN} Draft Tee/L ×1`, `${RUN} Draft Tee/S ×3`] })
  like(await fails(c.admin.draftOrders.updateLineItem(s.draft.id, s.teeID, { quantity: "many" })), {
    status: 400,
    body: { type: "invalid_data", message: m.matches(/quantity must be/) },
  })
})

step("draft orders: mark paid: the order it becomes, paid by the system provider; the draft is completed", async () => {
  const c = await admin()
  const body = await ok(c.admin.draftOrders.markPaid(s.draft.id))
  like(body, {
    order: partial({
      object: "order",
      id: m.id("order"),
      status: "pending",
      payment_status: "awaiting",
      fulfillment_status: "not_fulfilled",
      email,
      region_id: s.eu.id,
      currency_code: "eur",
      draft_order_id: s.draft.id,
      cart_id: s.draft.cart_id,
      no_notification: true,
      subtotal: 5500,
      shipping_total: 800,
      tax_total: 1260,
      total: 7560,
      paid_total: 7560,
      refundable_amount: 7560,
      payments: [partial({ provider_id: "system", amount: 7560, currency_code: "eur", captured_at: null, amount_refunded: 0 })],
      items: m.any,
      shipping_methods: [partial({ shipping_option_id: s.standard.id, price: 800 })],
    }),
  })
  like(body.order.items.map((i) => `${i.description} ×${i.quantity} @${i.unit_price}`).sort(), ["L ×1 @2500", "S ×3 @1000"])
  s.orderID = body.order.id
  // the draft order's order relation: the order's columns
  const orderRow = {
    object: "order",
    id: s.orderID,
    created_at: m.date,
    updated_at: m.date,
    status: "pending",
    fulfillment_status: "not_fulfilled",
    payment_status: "awaiting",
    display_id: body.order.display_id,
    cart_id: s.draft.cart_id,
    customer_id: body.order.customer_id,
    email,
    billing_address_id: m.id("addr"),
    shipping_address_id: m.id("addr"),
    region_id: s.eu.id,
    currency_code: "eur",
    tax_rate: null,
    draft_order_id: s.draft.id,
    canceled_at: null,
    metadata: {},
    no_notification: true,
    idempotency_key: null,
    external_id: null,
    ...(SALES_CHANNELS() ? { sales_channel_id: null } : {}),
  }
  const got = await ok(c.admin.draftOrders.retrieve(s.draft.id))
  like(got.draft_order, draftOrder({ id: s.draft.id, display_id: s.draft.display_id, status: "completed", order_id: s.orderID, no_notification_order: true, cart: m.any, order: orderRow }))
  // the order is an ordinary order now
  like((await ok(c.admin.orders.retrieve(s.orderID))).order, partial({ id: s.orderID, draft_order_id: s.draft.id, total: 7560 }))
})

step("draft orders: delete one; it is 404 after", async () => {
  const c = await admin()
  const { draft_order: d } = await ok(
    c.admin.draftOrders.create({ email, region_id: s.eu.id, items: [{ title: "Custom", unit_price: 100, quantity: 1 }], shipping_methods: [{ option_id: s.standard.id, price: 0 }] })
  )
  like(await ok(c.admin.draftOrders.delete(d.id)), { id: d.id, object: "draft-order", deleted: true })
  like(await fails(c.admin.draftOrders.retrieve(d.id)), { status: 404, body: { type: "not_found", message: `Draft order with ${d.id} was not found` } })
  like(await ok(c.admin.draftOrders.list({ q: email })), partial({ count: 1 }))
})
