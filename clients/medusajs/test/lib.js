// Shared set-up of the medusa-js scenario: the official client pointed at MEDUSA_URL (Gorgon or
// the real Medusa 1.3.8), a cookie session as the admin dashboard has one, body matchers, and the
// steps known to fail on Gorgon.
"use strict"

const { test } = require("node:test")
const assert = require("node:assert/strict")
const path = require("node:path")
const Medusa = require("@medusajs/medusa-js").default
const { KNOWN_FAILURES } = require("./known-failures.js")

const BASE_URL = process.env.MEDUSA_URL || "http://127.0.0.1:9000"
const EMAIL = process.env.MEDUSA_ADMIN_EMAIL || "admin@medusa-test.com"
const PASSWORD = process.env.MEDUSA_ADMIN_PASSWORD || "supersecret"
const API_TOKEN = process.env.MEDUSA_API_TOKEN || "ref_token"
// "gorgon" (set by run.sh) applies KNOWN_FAILURES; against Medusa every step must pass.
const TARGET = process.env.MEDUSA_TARGET || "medusa"

// Every row the scenario creates carries this tag, so lists filtered by it are exact even on a
// shared database (the reference Medusa's).
const RUN = `mjs${Date.now().toString(36)}${Math.floor(Math.random() * 1e6).toString(36)}`

// A browser keeps the connect.sid cookie that POST /admin/auth sets; axios in node does not, so
// this client gets a one-cookie jar through axios interceptors. Everything else is the stock
// client: the same paths, query strings (qs) and bodies the dashboard sends.
function sessionClient() {
  const medusa = new Medusa({ baseUrl: BASE_URL, maxRetries: 0 })
  const jar = {}
  const ax = medusa.client.axiosClient
  const keep = (res) => {
    for (const c of res?.headers?.["set-cookie"] || []) {
      const [pair] = c.split(";")
      const i = pair.indexOf("=")
      jar[pair.slice(0, i)] = pair.slice(i + 1)
    }
  }
  ax.interceptors.request.use((cfg) => {
    const cookie = Object.entries(jar).map(([k, v]) => `${k}=${v}`).join("; ")
    if (cookie) cfg.headers.Cookie = cookie
    return cfg
  })
  ax.interceptors.response.use(
    (res) => (keep(res), res),
    (err) => {
      keep(err.response)
      return Promise.reject(err)
    }
  )
  medusa.jar = jar
  return medusa
}

let adminPromise
// admin() logs in once per test file with email and password and returns the session client.
function admin() {
  if (!adminPromise) {
    adminPromise = (async () => {
      const medusa = sessionClient()
      await medusa.admin.auth.createSession({ email: EMAIL, password: PASSWORD })
      return medusa
    })()
  }
  return adminPromise
}

// The same client class authenticated by the API token (apiKey sets the Bearer header).
function tokenClient() {
  return new Medusa({ baseUrl: BASE_URL, maxRetries: 0, apiKey: API_TOKEN })
}

// ok() awaits a client call and returns its body without medusa-js's `response` field.
async function ok(promise, status = 200) {
  return (await okWith(promise, status)).body
}

// okWith() is ok() that also returns axios's response (raw data, headers).
async function okWith(promise, status = 200) {
  let res
  try {
    res = await promise
  } catch (err) {
    throw new Error(`expected success, got ${describeError(err)}`)
  }
  const { response, ...body } = res
  assert.equal(response.status, status, `status of ${response.config.method.toUpperCase()} ${response.config.url}`)
  return { body, response }
}

// fails() awaits a client call that must fail and returns {status, body}.
async function fails(promise) {
  try {
    const res = await promise
    const { response, ...body } = res
    throw new Error(`expected an error, got ${response.status} ${JSON.stringify(body).slice(0, 500)}`)
  } catch (err) {
    if (!err.response) throw err
    return { status: err.response.status, body: err.response.data }
  }
}

function describeError(err) {
  if (err.response) {
    const c = err.response.config
    return `${err.response.status} on ${c.method.toUpperCase()} ${c.url}: ${JSON.stringify(err.response.data).slice(0, 500)}`
  }
  return String(err)
}

// The page Express's final handler answers for a route it does not have.
function expressNotFound(method, path) {
  return `<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n<title>Error</title>\n</head>\n<body>\n<pre>Cannot ${method} ${path}</pre>\n</body>\n</html>\n`
}

// ---- matchers ----------------------------------------------------------------------------------

class Matcher {
  constructor(name, fn) {
    this.name = name
    this.fn = fn
  }
}
const m = {
  id: (prefix) => new Matcher(`id ${prefix}_…`, (v) => typeof v === "string" && v.startsWith(prefix + "_") && v.length > prefix.length + 10),
  // Dates as JavaScript's Date#toJSON writes them.
  date: new Matcher("ISO date", (v) => typeof v === "string" && /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/.test(v)),
  string: new Matcher("string", (v) => typeof v === "string" && v.length > 0),
  any: new Matcher("anything", () => true),
  number: new Matcher("number", (v) => typeof v === "number"),
  eq: (x) => new Matcher(`equal to ${JSON.stringify(x)}`, (v) => v === x),
  oneOf: (...xs) => new Matcher(`one of ${JSON.stringify(xs)}`, (v) => xs.includes(v)),
  matches: (re) => new Matcher(`matching ${re}`, (v) => typeof v === "string" && re.test(v)),
}

// An expected object marked partial() only checks the keys it lists; every other expected
// object must have exactly the actual object's keys.
const PARTIAL = Symbol("partial")
function partial(obj) {
  return Object.assign(Object.create(null), obj, { [PARTIAL]: true })
}

function diff(actual, expected, at, out) {
  if (expected instanceof Matcher) {
    if (!expected.fn(actual)) out.push(`${at}: expected ${expected.name}, got ${JSON.stringify(actual)}`)
    return
  }
  if (Array.isArray(expected)) {
    if (!Array.isArray(actual)) {
      out.push(`${at}: expected an array, got ${JSON.stringify(actual)?.slice(0, 200)}`)
      return
    }
    if (actual.length !== expected.length) {
      out.push(`${at}: expected ${expected.length} items, got ${actual.length}: ${JSON.stringify(actual).slice(0, 400)}`)
      return
    }
    expected.forEach((e, i) => diff(actual[i], e, `${at}[${i}]`, out))
    return
  }
  if (expected !== null && typeof expected === "object") {
    if (actual === null || typeof actual !== "object" || Array.isArray(actual)) {
      out.push(`${at}: expected an object, got ${JSON.stringify(actual)?.slice(0, 200)}`)
      return
    }
    if (!expected[PARTIAL]) {
      const missing = Object.keys(expected).filter((k) => !(k in actual))
      const extra = Object.keys(actual).filter((k) => !(k in expected))
      if (missing.length) out.push(`${at}: missing keys ${missing.join(", ")}`)
      if (extra.length) out.push(`${at}: unexpected keys ${extra.join(", ")}`)
    }
    for (const k of Object.keys(expected)) {
      if (k in actual || expected[PARTIAL]) diff(actual[k], expected[k], `${at}.${k}`, out)
    }
    return
  }
  if (actual !== expected) out.push(`${at}: expected ${JSON.stringify(expected)}, got ${JSON.stringify(actual)}`)
}

// like() asserts actual against expected: exact values, arrays in order, exact key sets.
function like(actual, expected, what = "body") {
  const out = []
  diff(actual, expected, what, out)
  if (out.length) assert.fail(`${out.length} difference(s):\n  ${out.slice(0, 25).join("\n  ")}`)
}

// ---- Medusa's entities as the admin API answers them -------------------------------------------

const COUNTRIES = {
  ki: { id: 116, iso_2: "ki", iso_3: "kir", num_code: 296, name: "KIRIBATI", display_name: "Kiribati" },
  nr: { id: 155, iso_2: "nr", iso_3: "nru", num_code: 520, name: "NAURU", display_name: "Nauru" },
  ws: { id: 192, iso_2: "ws", iso_3: "wsm", num_code: 882, name: "SAMOA", display_name: "Samoa" },
  tv: { id: 231, iso_2: "tv", iso_3: "tuv", num_code: 798, name: "TUVALU", display_name: "Tuvalu" },
}
const country = (iso2, regionID) => ({ ...COUNTRIES[iso2], region_id: regionID })

const region = (fields) => ({
  id: m.id("reg"),
  created_at: m.date,
  updated_at: m.date,
  deleted_at: null,
  name: m.string,
  currency_code: m.string,
  tax_rate: m.number,
  tax_code: null,
  gift_cards_taxable: true,
  automatic_taxes: true,
  tax_provider_id: null,
  metadata: null,
  countries: [],
  payment_providers: [{ id: "manual", is_installed: true }],
  fulfillment_providers: [{ id: "manual", is_installed: true }],
  ...fields,
})

const base = (prefix) => ({ id: m.id(prefix), created_at: m.date, updated_at: m.date, deleted_at: null })

// The handle Medusa derives from a title (lodash kebabCase, for ASCII titles): words of letters
// and runs of digits, lower case, joined by "-".
const kebab = (title) => title.toLowerCase().match(/[a-z]+|[0-9]+/g).join("-")

const collectionRow = (fields) => ({ ...base("pcol"), title: m.string, handle: m.string, metadata: null, ...fields })
const image = (url) => ({ ...base("img"), url, metadata: null })
const tag = (value) => ({ ...base("ptag"), value, metadata: null })
const productType = (value) => ({ ...base("ptyp"), value, metadata: null })
const option = (title, productID) => ({ ...base("opt"), title, product_id: productID, metadata: null })
const optionValue = (value, optionID, variantID) => ({ ...base("optval"), value, option_id: optionID, variant_id: variantID, metadata: null })
const price = (fields) => ({
  ...base("ma"),
  currency_code: m.string,
  amount: m.number,
  min_quantity: null,
  max_quantity: null,
  price_list_id: null,
  variant_id: m.string,
  region_id: null,
  ...fields,
})
const variantRow = (fields) => ({
  ...base("variant"),
  title: m.string,
  product_id: m.string,
  sku: null,
  barcode: null,
  ean: null,
  upc: null,
  inventory_quantity: 0,
  allow_backorder: false,
  manage_inventory: true,
  hs_code: null,
  origin_country: null,
  mid_code: null,
  material: null,
  weight: null,
  length: null,
  height: null,
  width: null,
  metadata: null,
  ...fields,
})
// A variant inside a product answer: with the pricing fields Medusa's admin product answers add.
const variant = (fields) =>
  variantRow({
    calculated_price: null,
    calculated_price_incl_tax: null,
    calculated_tax: null,
    original_price: null,
    original_price_incl_tax: null,
    original_tax: null,
    tax_rates: null,
    ...fields,
  })
const productRow = (fields) => ({
  ...base("prod"),
  title: m.string,
  subtitle: null,
  description: null,
  handle: m.string,
  is_giftcard: false,
  status: "draft",
  thumbnail: null,
  profile_id: m.id("sp"),
  weight: null,
  length: null,
  height: null,
  width: null,
  hs_code: null,
  origin_country: null,
  mid_code: null,
  material: null,
  collection_id: null,
  type_id: null,
  discountable: true,
  external_id: null,
  metadata: null,
  ...fields,
})
// A product as the admin product endpoints answer it: every relation Medusa loads for them.
const product = (fields) =>
  productRow({ collection: null, images: [], options: [], tags: [], type: null, variants: [], ...(SALES_CHANNELS() ? { sales_channels: [] } : {}), ...fields })

let salesChannelsFlag
// SALES_CHANNELS() is the sales channels feature flag as the store reports it (set by
// loadFlags(), which the product-related files call first).
const SALES_CHANNELS = () => salesChannelsFlag
async function loadFlags(c) {
  const { store } = await ok(c.admin.store.retrieve())
  salesChannelsFlag = store.feature_flags?.find((f) => f.key === "sales_channels")?.value === true
  return { salesChannels: salesChannelsFlag, store }
}

// cleanupRegions deletes regions left by an earlier, interrupted run of this scenario (names
// starting with "mjs") that hold one of the given countries, so the countries are free again.
async function cleanupRegions(c, countries) {
  const { regions } = await ok(c.admin.regions.list({ limit: 1000 }))
  for (const r of regions) {
    if (r.name.startsWith("mjs") && r.countries.some((x) => countries.includes(x.iso_2))) {
      await ok(c.admin.regions.delete(r.id))
    }
  }
}

// ---- steps -------------------------------------------------------------------------------------

// step() is node:test's test() with the file's name as prefix; on Gorgon a step listed in
// KNOWN_FAILURES runs as a TODO (reported, not failing the run) with its cause.
function steps(filename) {
  const file = path.basename(filename, ".test.js")
  return function step(name, fn) {
    const key = `${file}: ${name}`
    const cause = TARGET === "gorgon" ? KNOWN_FAILURES[key] : undefined
    return test(name, cause ? { todo: `known Gorgon failure: ${cause}` } : {}, fn)
  }
}

module.exports = { base, kebab, collectionRow, image, tag, productType, option, optionValue, price, variantRow, variant, productRow, product, SALES_CHANNELS, loadFlags, COUNTRIES, country, region, cleanupRegions, expressNotFound, admin, tokenClient, sessionClient, ok, okWith, fails, like, partial, m, steps, RUN, BASE_URL, EMAIL, API_TOKEN, TARGET }
