"use strict"
// Regions: CRUD, countries, payment and fulfillment providers, fulfillment options, list
// envelopes with date filters (qs brackets).
const assert = require("node:assert/strict")
const { admin, ok, fails, like, m, steps, RUN, region: regionShape, COUNTRIES, country, cleanupRegions } = require("./lib.js")
const step = steps(__filename)

const s = {}

// A region's countries come as PostgreSQL stores their rows (Medusa reads them without an ORDER
// BY, and Gorgon keeps that order): attaching a country rewrites its row wherever the table has
// room, which differs from one database to the next. The steps compare them sorted by code.
const byIso = (list) => [...list].sort((a, b) => (a.iso_2 < b.iso_2 ? -1 : 1))
const sortedCountries = (body) => ({ ...body, region: { ...body.region, countries: byIso(body.region.countries) } })

step("regions: leftovers of earlier runs (names starting with mjs) are removed first", async () => {
  const c = await admin()
  await cleanupRegions(c, ["ki", "tv", "nr", "ws"])
})

step("regions: create with countries and providers", async () => {
  const c = await admin()
  const body = await ok(
    c.admin.regions.create({
      name: `${RUN} Pacific`,
      currency_code: "eur",
      tax_rate: 25,
      tax_code: "PAC",
      payment_providers: ["manual"],
      fulfillment_providers: ["manual"],
      countries: ["ki", "TV"],
    })
  )
  s.region = body.region
  like(sortedCountries(body), {
    region: regionShape({
      name: `${RUN} Pacific`,
      currency_code: "eur",
      tax_rate: 25,
      tax_code: "PAC",
      countries: [country("ki", s.region.id), country("tv", s.region.id)],
    }),
  })
  like(await ok(c.admin.regions.retrieve(s.region.id)), { region: s.region })
})

step("regions: a second region; list with created_at[gte]/[lte], limit and offset", async () => {
  const c = await admin()
  s.second = (await ok(c.admin.regions.create({ name: `${RUN} Empty`, currency_code: "usd", tax_rate: 0, payment_providers: [], fulfillment_providers: [], countries: [] }))).region
  like(s.second, regionShape({ name: `${RUN} Empty`, currency_code: "usd", tax_rate: 0, countries: [], payment_providers: [], fulfillment_providers: [] }))
  // created_at has microseconds in the database and milliseconds in JSON: the window ends 1 ms
  // after the second region's.
  const window = { gte: s.region.created_at, lte: new Date(Date.parse(s.second.created_at) + 1).toISOString() }
  const all = await ok(c.admin.regions.list({ created_at: window }))
  like(all, { regions: [m.any, m.any], count: 2, offset: 0, limit: 50 })
  like(all.regions.map((r) => r.id).sort(), [s.region.id, s.second.id].sort())
  like(all.regions.find((r) => r.id === s.region.id), s.region)
  const page = await ok(c.admin.regions.list({ created_at: window, limit: 1, offset: 1 }))
  // Medusa 1.3.8 counts the regions of the page, not all that match.
  like(page, { regions: [m.any], count: 1, offset: 1, limit: 1 })
  like(page.regions[0].id, all.regions[1].id)
  like(await ok(c.admin.regions.list({ created_at: { gt: new Date(Date.now() + 86400e3).toISOString() } })), { regions: [], count: 0, offset: 0, limit: 50 })
})

step("regions: update name, tax rate, countries (replaced) and metadata", async () => {
  const c = await admin()
  const body = await ok(c.admin.regions.update(s.region.id, { name: `${RUN} Pacific 2`, tax_rate: 12.5, countries: ["ki", "tv", "nr"], metadata: { zone: "oceania" } }))
  like(sortedCountries(body), {
    region: regionShape({
      id: s.region.id,
      name: `${RUN} Pacific 2`,
      currency_code: "eur",
      tax_rate: 12.5,
      tax_code: "PAC",
      metadata: { zone: "oceania" },
      countries: [country("ki", s.region.id), country("nr", s.region.id), country("tv", s.region.id)],
    }),
  })
  s.region = body.region
})

step("regions: addCountry and deleteCountry; a country of another region is refused", async () => {
  const c = await admin()
  const added = await ok(c.admin.regions.addCountry(s.region.id, { country_code: "ws" }))
  like(byIso(added.region.countries), [country("ki", s.region.id), country("nr", s.region.id), country("tv", s.region.id), country("ws", s.region.id)])
  const removed = await ok(c.admin.regions.deleteCountry(s.region.id, "tv"))
  like(sortedCountries(removed), { region: { ...s.region, updated_at: m.date, countries: [country("ki", s.region.id), country("nr", s.region.id), country("ws", s.region.id)] } })
  like(await fails(c.admin.regions.addCountry(s.second.id, { country_code: "ws" })), {
    status: 422,
    body: { type: "duplicate_error", code: "invalid_request_error", message: `Samoa already exists in region ${s.region.id}` },
  })
})

step("regions: fulfillment and payment providers removed and added again", async () => {
  const c = await admin()
  like((await ok(c.admin.regions.deleteFulfillmentProvider(s.region.id, "manual"))).region.fulfillment_providers, [])
  like((await ok(c.admin.regions.addFulfillmentProvider(s.region.id, { provider_id: "manual" }))).region.fulfillment_providers, [{ id: "manual", is_installed: true }])
  like((await ok(c.admin.regions.deletePaymentProvider(s.region.id, "manual"))).region.payment_providers, [])
  const back = await ok(c.admin.regions.addPaymentProvider(s.region.id, { provider_id: "manual" }))
  like(back.region.payment_providers, [{ id: "manual", is_installed: true }])
  like(await fails(c.admin.regions.addFulfillmentProvider(s.region.id, { provider_id: "nope" })), {
    status: 404,
    body: { type: "not_found", message: "Fulfillment provider nope was not found" },
  })
  like(await fails(c.admin.regions.addPaymentProvider(s.region.id, { provider_id: "nope" })), {
    status: 404,
    body: { type: "not_found", message: "Payment provider nope was not found" },
  })
})

step("regions: fulfillment options of the region's providers", async () => {
  const c = await admin()
  like(await ok(c.admin.regions.retrieveFulfillmentOptions(s.region.id)), {
    fulfillment_options: [{ provider_id: "manual", options: [{ id: "manual-fulfillment" }, { id: "manual-fulfillment-return", is_return: true }] }],
  })
  like(await ok(c.admin.regions.retrieveFulfillmentOptions(s.second.id)), { fulfillment_options: [] })
})

step("regions: validation errors", async () => {
  const c = await admin()
  like(await fails(c.admin.regions.create({ name: "x", currency_code: "zzz", tax_rate: 0, payment_providers: [], fulfillment_providers: [], countries: [] })), {
    status: 400,
    body: { type: "invalid_data", message: "Invalid currency code" },
  })
  like(await fails(c.admin.regions.create({ name: `${RUN} x` })), {
    status: 400,
    body: {
      type: "invalid_data",
      message:
        "currency_code must be a string, tax_rate must be a number conforming to the specified constraints, each value in payment_providers must be a string, payment_providers must be an array, each value in fulfillment_providers must be a string, fulfillment_providers must be an array, each value in countries must be a string, countries must be an array",
    },
  })
  like(await fails(c.admin.regions.update(s.region.id, { countries: ["xx"] })), {
    status: 400,
    body: { type: "invalid_data", message: "Invalid country code" },
  })
})

step("regions: delete, then retrieve answers 404", async () => {
  const c = await admin()
  for (const r of [s.region, s.second]) {
    like(await ok(c.admin.regions.delete(r.id)), { id: r.id, object: "region", deleted: true })
    like(await fails(c.admin.regions.retrieve(r.id)), { status: 404, body: { type: "not_found", message: `Region with ${r.id} was not found` } })
  }
})
