#!/usr/bin/env node
// CSV round trips between the real Medusa 1.3.8 (medusa-jobs.js: its batch jobs running) and
// Gorgon, through their batch-jobs APIs only. run.sh starts both and calls this.
//
//   node roundtrip.js OUT_DIR
//   env: MEDUSA_URL, GORGON_URL (admin API token ref_token on both)
//
// 1. Medusa exports its catalog (product-export), the file is saved as OUT_DIR/medusa-products.csv
//    and Medusa's own answer about those products, normalized (normalize below), as
//    medusa-products.json.
// 2. Gorgon imports that file (dry run: the pre-processing summary, then confirm) and its
//    products, normalized the same way, are compared with Medusa's.
// 3. Gorgon exports its catalog (gorgon-products.csv): products of its own, made through its
//    admin API, and the ones it just imported.
// 4. Medusa imports Gorgon's file as it is, then with the five column names its import spells
//    differently renamed, then only the lines of products it does not have (it never updates)
//    without the id columns; what Medusa did each time is recorded, and what it created is
//    compared with Gorgon's.
// Everything found is written to OUT_DIR/results.json and printed.
"use strict"
const fs = require("fs")
const path = require("path")

const out = process.argv[2]
if (!out) {
  console.error("usage: roundtrip.js OUT_DIR")
  process.exit(2)
}
fs.mkdirSync(out, { recursive: true })
const MEDUSA = process.env.MEDUSA_URL || "http://127.0.0.1:9120"
const GORGON = process.env.GORGON_URL || "http://127.0.0.1:9421"
const TOKEN = "ref_token"
const results = {}
const note = (k, v) => {
  results[k] = v
  console.log(`${k}: ${typeof v === "string" ? v : JSON.stringify(v, null, 1)}`)
}

async function api(base, method, p, body) {
  const res = await fetch(base + p, {
    method,
    headers: { Authorization: `Bearer ${TOKEN}`, ...(body instanceof FormData ? {} : { "Content-Type": "application/json" }) },
    body: body === undefined ? undefined : body instanceof FormData ? body : JSON.stringify(body),
  })
  const text = await res.text()
  if (!res.ok) throw new Error(`${method} ${base}${p} -> ${res.status} ${text.slice(0, 400)}`)
  return text ? JSON.parse(text) : {}
}

// job runs a batch job to its end (confirming a dry run after its pre-processing) and returns it.
async function job(base, type, context, { dryRun = false } = {}) {
  let { batch_job: j } = await api(base, "POST", "/admin/batch-jobs", { type, context, dry_run: dryRun })
  let pre // the result after pre-processing (its summary), for a dry run
  for (let i = 0; i < 3000; i++) {
    ;({ batch_job: j } = await api(base, "GET", `/admin/batch-jobs/${j.id}`))
    if (j.status === "pre_processed" && dryRun) {
      pre = structuredClone(j.result)
      ;({ batch_job: j } = await api(base, "POST", `/admin/batch-jobs/${j.id}/confirm`))
      dryRun = false
    }
    if (["completed", "failed", "canceled"].includes(j.status)) return { ...j, pre }
    await new Promise((r) => setTimeout(r, 200))
  }
  throw new Error(`job ${j.id} on ${base} still ${j.status} after 10 min`)
}

async function download(base, key) {
  const { download_url: url } = await api(base, "POST", "/admin/uploads/download-url", { file_key: key })
  const res = await fetch(url)
  if (!res.ok) throw new Error(`GET ${url} -> ${res.status}`)
  return Buffer.from(await res.arrayBuffer())
}

async function upload(base, name, content) {
  const form = new FormData()
  form.append("files", new Blob([content], { type: "text/csv" }), name)
  const { uploads } = await api(base, "POST", "/admin/uploads", form)
  return uploads[0].key
}

async function products(base) {
  const all = []
  for (let offset = 0; ; offset += 100) {
    const page = await api(base, "GET", `/admin/products?limit=100&offset=${offset}`)
    all.push(...page.products)
    if (all.length >= page.count) return all
  }
}

// normalize keeps what a product file carries, in an order that does not depend on either
// server's list orders: prices as "cur amount" or "region <name> amount", a variant's option
// values by option title, lists sorted.
function normalize(list, regionName) {
  const pick = (o, ks) => Object.fromEntries(ks.map((k) => [k, o[k] ?? null]))
  return list
    .map((p) => {
      const optTitle = Object.fromEntries(p.options.map((o) => [o.id, o.title]))
      return {
        ...pick(p, ["handle", "title", "subtitle", "description", "status", "thumbnail", "weight", "length", "width", "height", "hs_code", "origin_country", "mid_code", "material", "discountable", "external_id"]),
        collection: p.collection ? { title: p.collection.title, handle: p.collection.handle } : null,
        type: p.type ? p.type.value : null,
        tags: p.tags.map((t) => t.value).sort(),
        images: p.images.map((i) => i.url).sort(),
        options: p.options.map((o) => o.title).sort(),
        ...(p.sales_channels ? { sales_channels: p.sales_channels.map((c) => c.name).sort() } : {}),
        variants: p.variants
          .map((v) => ({
            ...pick(v, ["title", "sku", "barcode", "inventory_quantity", "allow_backorder", "manage_inventory", "weight", "length", "width", "height", "hs_code", "origin_country", "mid_code", "material"]),
            options: Object.fromEntries(v.options.map((o) => [optTitle[o.option_id], o.value]).sort()),
            prices: v.prices
              .filter((x) => !x.price_list_id)
              .map((x) => (x.region_id ? `region ${regionName[x.region_id]} ${x.amount}` : `${x.currency_code} ${x.amount}`))
              .sort(),
          }))
          .sort(byKey((v) => `${v.sku ?? ""}|${v.title}`)),
      }
    })
    .sort(byKey((p) => p.handle))
}
// byKey compares by code points (as Go's sort of strings does: the Go test normalizes too)
const byKey = (f) => (a, b) => (f(a) < f(b) ? -1 : f(a) > f(b) ? 1 : 0)

async function regionNames(base) {
  const { regions } = await api(base, "GET", "/admin/regions?limit=100")
  return Object.fromEntries(regions.map((r) => [r.id, r.name]))
}

// diff lists the paths where a and b differ.
function diff(a, b, at = "", outList = []) {
  if (JSON.stringify(a) === JSON.stringify(b)) return outList
  if (a && b && typeof a === "object" && typeof b === "object" && Array.isArray(a) === Array.isArray(b)) {
    const keys = Array.isArray(a) ? [...Array(Math.max(a.length, b.length)).keys()] : [...new Set([...Object.keys(a), ...Object.keys(b)])]
    for (const k of keys) diff(a[k], b[k], `${at}/${Array.isArray(a) ? (a[k]?.handle ?? a[k]?.sku ?? k) : k}`, outList)
    return outList
  }
  outList.push(`${at}: ${JSON.stringify(a)} vs ${JSON.stringify(b)}`)
  return outList
}

// Medusa stores no reason when a job fails (result.errors stays empty); medusa-jobs.js logs it.
const failure = (j) => {
  if (j.status !== "failed" || !process.env.MEDUSA_LOG) return {}
  // the message's lines up to the stack trace
  const m = fs.readFileSync(process.env.MEDUSA_LOG, "utf8").match(new RegExp(`batch job ${j.id} failed: ((?:.|\\n)*?)\\n    at `))
  return m ? { logged_error: m[1].replace(/\s*\n\s*/g, " ") } : {}
}
const jobSummary = (j) => ({
  status: j.status,
  ...failure(j),
  ...(j.pre ? { pre_processing: j.pre.stat_descriptors?.map((d) => d.message) } : {}),
  result: j.result && { count: j.result.count, advancement_count: j.result.advancement_count, errors: j.result.errors },
})

// A line of a ";"-separated file, values quoted CSV-style where they hold ";", '"' or a line
// break (as Gorgon writes them), split into its values and joined back the same way.
function splitLine(l) {
  const out = []
  let cur = "",
    quoted = false
  for (let i = 0; i < l.length; i++) {
    const ch = l[i]
    if (quoted) {
      if (ch === '"' && l[i + 1] === '"') (cur += '"'), i++
      else if (ch === '"') quoted = false
      else cur += ch
    } else if (ch === '"' && cur === "") quoted = true
    else if (ch === ";") out.push(cur), (cur = "")
    else cur += ch
  }
  out.push(cur)
  return out
}
const joinLine = (vs) => vs.map((v) => (/[;"\r\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v)).join(";")

// Medusa's import spelling of the five columns its export (and Gorgon's) writes otherwise.
function medusaSpelling(csv) {
  const [head, ...rest] = csv.split("\r\n")
  const cols = splitLine(head).map(
    (c) =>
      ({ "Product ID": "Product id", "Variant ID": "Variant id", "Product MID Code": "Product Mid Code", "Variant MID Code": "Variant Mid Code" })[c] ??
      c.replace(/^Sales channel (\d+) (Name|Description)$/, "Sales Channel $1 $2")
  )
  // Medusa's import knows no "Sales Channel N Description" column: drop it
  const keep = cols.map((c) => !/^Sales Channel \d+ Description$/.test(c))
  const cut = (vs) => vs.filter((_, i) => keep[i])
  return [joinLine(cut(cols)), ...rest.map((l) => (l ? joinLine(cut(splitLine(l))) : l))].join("\r\n")
}

async function main() {
  // ---- 0. Medusa's shop gets a product with everything a file can carry ---------------------
  // (the reference seed has no region prices, images of several per product, barcodes, …;
  // run.sh also gives two seeded products an external_id, which the admin API cannot set)
  const mRegionsBefore = await regionNames(MEDUSA)
  const mEU = Object.entries(mRegionsBefore).find(([, n]) => n === "EU")[0]
  const { sales_channels: mChannels } = await api(MEDUSA, "GET", "/admin/sales-channels")
  if (!(await api(MEDUSA, "GET", "/admin/products?handle=medusa-jacket")).products.length) {
    await api(MEDUSA, "POST", "/admin/products", {
      title: "Medusa Jacket",
      handle: "medusa-jacket",
      subtitle: "Made in Medusa",
      description: "A jacket, priced per currency and per region.",
      status: "published",
      weight: 900,
      length: 70,
      width: 50,
      height: 5,
      material: "cotton",
      hs_code: "620193",
      origin_country: "DK",
      mid_code: "MID-J",
      images: ["https://medusa-ref.invalid/img/jacket-1.png", "https://medusa-ref.invalid/img/jacket-2.png"],
      thumbnail: "https://medusa-ref.invalid/img/jacket-1.png",
      tags: [{ value: "outerwear" }],
      type: { value: "Outerwear" },
      collection_id: (await api(MEDUSA, "POST", "/admin/collections", { title: "Jackets", handle: "jackets" })).collection.id,
      sales_channels: [{ id: mChannels[0].id }],
      options: [{ title: "Size" }, { title: "Color" }],
      variants: [
        { title: "M / Sand", sku: "MJ-M-SAND", barcode: "5700000000017", inventory_quantity: 8, allow_backorder: true, weight: 850, hs_code: "620193", origin_country: "DK", mid_code: "MID-JV", material: "cotton", prices: [{ currency_code: "eur", amount: 14900 }, { currency_code: "usd", amount: 15900 }, { region_id: mEU, amount: 13900 }], options: [{ value: "M" }, { value: "Sand" }] },
        { title: "L / Sand", sku: "MJ-L-SAND", inventory_quantity: 0, manage_inventory: false, prices: [{ currency_code: "usd", amount: 15900 }, { region_id: mEU, amount: 13900 }], options: [{ value: "L" }, { value: "Sand" }] },
      ],
    })
  }

  // ---- 1. Medusa exports ------------------------------------------------------------------
  const mExport = await job(MEDUSA, "product-export", {})
  note("medusa product-export", jobSummary(mExport))
  if (mExport.status !== "completed") throw new Error("Medusa's export failed")
  const medusaCSV = await download(MEDUSA, mExport.result.file_key)
  fs.writeFileSync(path.join(out, "medusa-products.csv"), medusaCSV)
  const mRegions = await regionNames(MEDUSA)
  const medusaProducts = normalize(await products(MEDUSA), mRegions)
  fs.writeFileSync(path.join(out, "medusa-products.json"), JSON.stringify(medusaProducts, null, 1) + "\n")

  // ---- 2. Gorgon imports Medusa's file ----------------------------------------------------
  const gKey = await upload(GORGON, "medusa-products.csv", medusaCSV)
  const gImport = await job(GORGON, "product-import", { fileKey: gKey }, { dryRun: true })
  note("gorgon product-import of medusa's file", jobSummary(gImport))
  const gRegions = await regionNames(GORGON)
  const gorgonProducts = normalize(await products(GORGON), gRegions)
  const d1 = diff(medusaProducts, gorgonProducts)
  note("medusa's products vs gorgon's after the import", d1.length ? d1 : "identical")

  // ---- 3. Gorgon's own products, and its export ---------------------------------------------
  const eu = Object.entries(gRegions).find(([, n]) => n === "EU")[0]
  const { sales_channels: channels } = await api(GORGON, "GET", "/admin/sales-channels").catch(() => ({ sales_channels: [] }))
  const own = [
    {
      title: "Gorgon Parka",
      handle: "gorgon-parka",
      subtitle: "Made in Gorgon",
      description: "A parka; priced per currency and per region (a \"delimiter\" in a value: Gorgon quotes it).",
      status: "published",
      weight: 1200,
      material: "nylon",
      hs_code: "620193",
      origin_country: "NO",
      images: ["https://gorgon.invalid/parka-1.png", "https://gorgon.invalid/parka-2.png"],
      thumbnail: "https://gorgon.invalid/parka-1.png",
      tags: [{ value: "outerwear" }, { value: "winter" }],
      type: { value: "Outerwear" },
      collection_id: (await api(GORGON, "POST", "/admin/collections", { title: "Gorgon Winter", handle: "gorgon-winter" })).collection.id,
      ...(channels.length ? { sales_channels: [{ id: channels[0].id }] } : {}),
      options: [{ title: "Size" }, { title: "Color" }],
      variants: [
        { title: "M / Navy", sku: "GP-M-NAVY", barcode: "7000000000011", inventory_quantity: 12, allow_backorder: true, weight: 1100, mid_code: "MID-1", prices: [{ currency_code: "eur", amount: 19900 }, { currency_code: "usd", amount: 21900 }, { region_id: eu, amount: 18900 }], options: [{ value: "M" }, { value: "Navy" }] },
        { title: "L / Navy", sku: "GP-L-NAVY", inventory_quantity: 0, manage_inventory: false, prices: [{ currency_code: "eur", amount: 19900 }], options: [{ value: "L" }, { value: "Navy" }] },
      ],
    },
    {
      title: "Gorgon Mug",
      handle: "gorgon-mug",
      status: "draft",
      discountable: false,
      // with the flag on, Medusa's import fails on a product without a sales channel (it
      // iterates the product's channels unchecked): see README, "Batch jobs"
      ...(channels.length ? { sales_channels: [{ id: channels[0].id }] } : {}),
      options: [{ title: "Default" }],
      variants: [{ title: "Default", sku: "GMUG", inventory_quantity: 40, prices: [{ currency_code: "usd", amount: 1200 }], options: [{ value: "Default" }] }],
    },
  ]
  for (const p of own) await api(GORGON, "POST", "/admin/products", p)
  const gExport = await job(GORGON, "product-export", {})
  note("gorgon product-export", jobSummary(gExport))
  const gorgonCSV = (await download(GORGON, gExport.result.file_key)).toString("utf8")
  fs.writeFileSync(path.join(out, "gorgon-products.csv"), gorgonCSV)
  const gorgonAll = normalize(await products(GORGON), gRegions)

  // ---- 4. Medusa imports Gorgon's file ------------------------------------------------------
  const asIs = await job(MEDUSA, "product-import", { fileKey: await upload(MEDUSA, "gorgon-products.csv", gorgonCSV) }, { dryRun: true }).catch((e) => ({ status: "refused", result: { errors: [String(e.message)] } }))
  note("medusa product-import of gorgon's file as it is", jobSummary(asIs))
  const renamed = medusaSpelling(gorgonCSV)
  fs.writeFileSync(path.join(out, "gorgon-products.medusa-spelling.csv"), renamed)
  const whole = await job(MEDUSA, "product-import", { fileKey: await upload(MEDUSA, "gorgon-renamed.csv", renamed) }, { dryRun: true }).catch((e) => ({ status: "refused", result: { errors: [String(e.message)] } }))
  note("medusa product-import of gorgon's file, medusa's column spelling", jobSummary(whole))
  // only the lines of Gorgon's own products (Medusa has the others and never updates: it would
  // create them again), without the Product id and Variant id columns (Medusa takes a line with
  // a Variant id for an update of that variant, which it does not have, and fails)
  const [head, ...lines] = renamed.split("\r\n")
  const drop = splitLine(head).map((c) => c === "Product id" || c === "Variant id")
  const noIDs = (l) => joinLine(splitLine(l).filter((_, i) => !drop[i]))
  const ownOnly = [noIDs(head), ...lines.filter((l) => /;gorgon-(parka|mug);/.test(l)).map(noIDs), ""].join("\r\n")
  fs.writeFileSync(path.join(out, "gorgon-own-products.medusa-spelling.csv"), ownOnly)
  const ownJob = await job(MEDUSA, "product-import", { fileKey: await upload(MEDUSA, "gorgon-own.csv", ownOnly) }, { dryRun: true }).catch((e) => ({ status: "refused", result: { errors: [String(e.message)] } }))
  note("medusa product-import of gorgon's own products (new handles), medusa's column spelling, no id columns", jobSummary(ownJob))
  const medusaAfter = normalize(await products(MEDUSA), await regionNames(MEDUSA)).filter((p) => p.handle.startsWith("gorgon-"))
  const gorgonOwn = gorgonAll.filter((p) => p.handle.startsWith("gorgon-"))
  const d2 = diff(gorgonOwn, medusaAfter)
  note("gorgon's own products vs what medusa made of them", d2.length ? d2 : "identical")
  fs.writeFileSync(path.join(out, "results.json"), JSON.stringify(results, null, 1) + "\n")
}

main().catch((e) => {
  console.error(e)
  fs.writeFileSync(path.join(out, "results.json"), JSON.stringify({ ...results, error: String(e.stack || e) }, null, 1) + "\n")
  process.exit(1)
})
