#!/usr/bin/env node
// Walks Medusa's 1.3 admin dashboard against a backend as a shop admin does: logs in through the
// login form, then opens and uses every page of the areas Gorgon serves. Run by run.sh.
//   DASHBOARD_URL=http://localhost:7000 BACKEND_URL=http://localhost:9202 WALK_OUT=out node walk.js
"use strict"
const { Walk } = require("./lib")

const env = process.env
const salesChannels = /^(1|true|yes|on)$/i.test(env.SALES_CHANNELS || "")

// A per-run tag keeps the names the walk creates unique, so it can walk a shared database too.
const tag = (Date.now() % 46656).toString(36).padStart(3, "0")

// NA's countries as the dashboard lists them: in the order the database keeps them (Medusa's
// order), which the walk does not depend on.
const NA_COUNTRIES = /^(United States, Canada|Canada, United States)$/
const NA_COUNTRIES_IN_PARENS = /^\((United States, Canada|Canada, United States)\)$/

async function settings(w) {
  const page = w.page
  await w.step("settings", async () => {
    await w.goto("/a/settings")
    await w.see("Manage the markets you will operate within")
    await w.see("Personal Information")
  })

  await w.step("settings store details edit", async () => {
    if (!/\/a\/settings\/?$/.test(page.url())) await w.goto("/a/settings")
    await page.getByText("Store Details").click()
    await page.waitForURL(/\/a\/settings\/details/)
    // the form is reset from the store once it has loaded
    await page.waitForFunction(() => document.querySelector('input[name="name"]')?.value === "Medusa Ref Store")
    await page.locator('input[name="name"]').fill(`Gorgon Walk Store ${tag}`)
    await page.locator('input[name="swap_link_template"]').fill("https://shop.example/swap={swap_id}")
    await page.getByRole("button", { name: "Save" }).click()
    await w.toast(/Successfully updated store/)
    // the sidebar shows the store's new name once the store is fetched again
    await w.see(`Gorgon Walk Store ${tag}`)
  })

  await w.step("settings store details reload", async () => {
    await page.reload()
    await page.waitForFunction((v) => document.querySelector('input[name="name"]')?.value === v, `Gorgon Walk Store ${tag}`)
    await page.waitForFunction(() => document.querySelector('input[name="swap_link_template"]')?.value === "https://shop.example/swap={swap_id}")
  })

  await w.step("settings currencies", async () => {
    await w.goto("/a/settings/currencies")
    await w.see("Manage the currencies that you will operate in")
    await w.see("USD")
    await w.see("EUR")
  })

  await w.step("settings regions list", async () => {
    await w.goto("/a/settings/regions")
    await page.waitForURL(/\/a\/settings\/regions\/./)
    await w.see("Manage the markets that you will operate within.")
    await w.see(NA_COUNTRIES_IN_PARENS)
    await w.see("EU Standard")
  })

  await w.step("settings region open", async () => {
    await page.getByText(NA_COUNTRIES_IN_PARENS).click()
    await w.see("US Dollar")
    await w.see(NA_COUNTRIES)
    await w.see("NA Standard")
  })

  await w.step("settings region edit", async () => {
    await w.menu(w.section("NA"), "Edit Region Details")
    const modal = w.modal()
    await modal.getByText("Edit Region Details").waitFor()
    await page.waitForFunction(() => document.querySelector('[role="dialog"] input[name="details.name"]')?.value === "NA")
    await modal.locator('input[name="details.name"]').fill("North America")
    await modal.getByRole("button", { name: "Save and close" }).click()
    await w.toast(/Region was successfully updated/)
    await w.section("North America").waitFor()
  })

  await w.step("settings region create", async () => {
    if (!/\/a\/settings\/regions/.test(page.url())) await w.goto("/a/settings/regions")
    await w.section("Regions").getByRole("button").first().click()
    await w.see("Add the region details.")
    await page.locator('input[name="details.name"]').fill(`Nordics ${tag}`)
    await w.pick(page.getByText("Choose currency..."), "Euro")
    await page.locator('input[name="details.tax_rate"]').fill("0.25")
    await w.pick(page.getByText("Choose countries..."), "Norway", page.getByText("Add the region details."))
    await page.locator("span.inter-large-semibold", { hasText: /^Providers/ }).click()
    await w.pick(page.getByText("Choose payment providers..."), "manual", page.getByText("Add the region details."))
    await w.pick(page.getByText("Choose fulfillment providers..."), "manual", page.getByText("Add the region details."))
    await page.getByRole("button", { name: "Create region" }).click()
    await w.toast(/Region created/)
    await w.section(`Nordics ${tag}`).waitFor()
    await w.see("Norway")
  })

  await w.step("settings team", async () => {
    await w.goto("/a/settings/team")
    await w.see("Manage users of your Medusa Store")
    await w.see("staff@medusa-test.com")
    await w.see("new.member@medusa-test.com")
    await w.see("2 members")
  })

  await w.step("settings team invite", async () => {
    await page.getByRole("button", { name: "Invite Users" }).click()
    const modal = w.modal()
    await modal.getByPlaceholder("lebron@james.com").fill(`walker-${tag}@medusa-test.com`)
    await modal.getByRole("button", { name: "Invite" }).click()
    await w.toast(/Invitation sent to/)
    await w.see(`walker-${tag}@medusa-test.com`)
  })

  await w.step("settings team invite remove", async () => {
    const row = page.getByRole("row").filter({ hasText: `walker-${tag}@medusa-test.com` })
    await w.menu(row, "Remove Invitation")
    await w.modal().getByRole("button", { name: "Yes, remove" }).click()
    await w.toast(/Invitiation has been removed/)
    await page.getByRole("row").filter({ hasText: `walker-${tag}@medusa-test.com` }).waitFor({ state: "detached" })
  })

  await w.step("settings return reasons", async () => {
    await w.goto("/a/settings/return-reasons")
    await w.see("Manage reasons for returned items")
    await w.see("Wrong size")
    await w.see("Did not fit")
  })

  await w.step("settings return reason create", async () => {
    await page.getByRole("button", { name: "Add reason" }).click()
    const modal = w.modal()
    await modal.locator('input[name="value"]').fill(`damaged_${tag}`)
    await modal.locator('input[name="label"]').fill(`Damaged ${tag}`)
    await modal.locator('textarea[name="description"]').fill("Arrived broken")
    await modal.getByRole("button", { name: "Create" }).click()
    // No toast: the modal closes as the request leaves, and react-query drops the callbacks of
    // a mutate() whose component is gone.
    await w.see(`Damaged ${tag}`)
  })

  await w.step("settings return reason edit", async () => {
    await page.locator(`button[role="radio"][value="damaged_${tag}"]`).click()
    const details = w.section("Details")
    await details.getByText(`damaged_${tag}`).waitFor()
    await details.locator('input[name="label"]').fill(`Damaged in transit ${tag}`)
    await page.getByRole("button", { name: "Save" }).click()
    await w.toast(/./)
    await w.see(`Damaged in transit ${tag}`)
  })

  // "Delete reason" cannot delete in this dashboard (its toggle's open and close are swapped, so
  // the prompt never opens, on Medusa as well); "Duplicate reason" creates a copy instead.
  await w.step("settings return reason duplicate", async () => {
    await w.menu(w.section("Details"), "Duplicate reason")
    const modal = w.modal()
    // prefilled from the reason as the list last had it
    await page.waitForFunction(() => document.querySelector('[role="dialog"] input[name="value"]')?.value)
    await modal.locator('input[name="value"]').fill(`damaged_copy_${tag}`)
    await modal.locator('input[name="label"]').fill(`Damaged copy ${tag}`)
    await modal.getByRole("button", { name: "Create" }).click()
    await w.see(`Damaged copy ${tag}`)
    await w.see(`Damaged in transit ${tag}`)
  })

  await w.step("settings personal information", async () => {
    await w.goto("/a/settings/personal-information")
    await w.see("Manage your Medusa profile")
    await page.locator('input[name="first_name"]').fill("Ada")
    await page.locator('input[name="last_name"]').fill(`Admin ${tag}`)
    await page.getByRole("button", { name: "Save" }).click()
    await w.toast(/Successfully updated user/)
    await page.reload()
    await page.waitForFunction((v) => document.querySelector('input[name="last_name"]')?.value === v, `Admin ${tag}`)
  })
}

async function products(w) {
  const page = w.page
  if (!salesChannels) {
    // This dashboard cannot list or create products on a backend without sales channels: the
    // product table always expands sales_channels (medusajs/admin#691) and a new product is sent
    // with sales_channels: [] (medusajs/admin#692); Medusa 1.3.8 answers 500 and 400 to them.
    // The walk opens and edits a product by its address instead.
    w.skipping = /^products (list|next page|search|filter)|^product create|^product created/
    w.skipWhy = "this dashboard lists and creates products only with sales channels on"
  }

  await w.step("products list", async () => {
    await w.goto("/a/products")
    await w.see("Sunglasses")
    await w.see("Summer 2022")
    await w.see("Default Sales Channel")
    // 20 seeded products, newest first, 15 to a page; the gift card product is not listed
    await w.see("1 - 15 of 19 Products")
  })

  await w.step("products next page", async () => {
    await w.nextPage()
    await w.see("16 - 19 of 19 Products")
    await w.see("Classic T-Shirt")
  })

  await w.step("products search", async () => {
    await w.goto("/a/products")
    await w.see("Sunglasses")
    await page.getByPlaceholder(/Search/).first().fill("sweat")
    await page.waitForURL(/q=sweat/)
    await w.see("Crewneck Sweatshirt")
    await w.see("Sweatpants")
    await page.getByText("Classic T-Shirt").waitFor({ state: "detached" })
    await page.waitForFunction(() => document.querySelectorAll("tbody tr").length === 2)
  })

  await w.step("products filter by collection", async () => {
    await w.goto("/a/products")
    await w.see("Sunglasses")
    await page.getByRole("button", { name: /Filters/ }).click()
    await page.getByRole("button", { name: "Collection", exact: true }).click()
    await page.getByText("Summer 2022", { exact: true }).last().click()
    await page.getByRole("button", { name: "Apply" }).click()
    await page.waitForURL(/collection_id/)
    await w.see("Summer Shorts")
    await w.see("Sunglasses")
    await page.waitForFunction(() => document.querySelectorAll("tbody tr").length === 5)
  })

  await w.step("products filter by tag", async () => {
    await w.goto("/a/products")
    await w.see("Sunglasses")
    await page.getByRole("button", { name: /Filters/ }).click()
    await page.getByText("Tags", { exact: true }).last().click()
    await page.getByPlaceholder("Spring, summer...").fill("cotton")
    await page.keyboard.press("Enter")
    await page.getByRole("button", { name: "Apply" }).click()
    await page.waitForURL(/tags/)
    await w.see("Classic T-Shirt")
    await page.getByText("Coffee Mug").waitFor({ state: "detached" })
  })

  await w.step("product open", async () => {
    if (salesChannels) {
      await w.goto("/a/products")
      await page.getByPlaceholder(/Search/).first().fill("t-shirt")
      await page.getByText("Classic T-Shirt").first().click()
    } else {
      await w.goto(`/a/products/${await productID("classic-tee")}`)
    }
    await page.waitForURL(/\/a\/products\/prod_/)
    await w.see("A plain cotton t-shirt.")
    await w.see("TEE-BLA-S")
    await w.see("S / Black")
  })

  await w.step("product edit general information", async () => {
    await w.menu(w.section("Classic T-Shirt"), "Edit General Information")
    const modal = w.modal()
    await page.waitForFunction(() => document.querySelector('[role="dialog"] input[name="general.title"]')?.value === "Classic T-Shirt")
    await modal.locator('input[name="general.subtitle"]').fill(`Organic cotton ${tag}`)
    await modal.locator('input[name="general.material"]').fill("100% cotton")
    await modal.locator('textarea[name="general.description"]').fill(`A plain organic cotton t-shirt (${tag}).`)
    await modal.getByRole("button", { name: "Save" }).click()
    await w.toast(/./)
    await w.see(`A plain organic cotton t-shirt (${tag}).`)
    await w.see(`Organic cotton ${tag}`)
  })

  await w.step("product create", async () => {
    await w.goto("/a/products")
    await w.see("Sunglasses")
    await page.getByRole("button", { name: "New Product" }).click()
    await page.locator('input[name="general.title"]').fill(`Walk Hat ${tag}`)
    await page.locator('input[name="general.subtitle"]').fill("Keeps the sun off")
    await page.locator('textarea[name="general.description"]').fill("A wide-brimmed straw hat.")
    await page.locator("span", { hasText: /^Variants/ }).first().click()
    await page.getByRole("button", { name: "Add an option" }).click()
    await page.getByPlaceholder("Color...").fill("Size")
    await page.getByPlaceholder("Blue, Red, Black...").click()
    await page.keyboard.type("One size,") // the comma makes the tag
    await page.getByRole("button", { name: "Add a variant" }).click()
    await page.getByPlaceholder("Green / XL...").fill("One size")
    await w.pick(page.getByText("Choose an option"), "One size")
    await page.locator("span.inter-large-semibold", { hasText: /^Pricing/ }).click()
    const usd = page.locator("div.flex", { hasText: "US Dollar" }).filter({ has: page.locator('input[placeholder="-"]') }).last()
    await usd.locator('input[placeholder="-"]').first().fill("24.50")
    await page.locator("span.inter-large-semibold", { hasText: /^Stock/ }).click()
    await page.getByPlaceholder("SUN-G, JK1234...").fill(`HAT-${tag}`)
    // "Quantity in stock" stays empty: this dashboard sends it as a string ("12"), which Medusa
    // 1.3.8 refuses with 400 "inventory_quantity must be a number …" (and so does Gorgon).
    await page.getByRole("button", { name: "Save and close" }).click()
    await w.see(`HAT-${tag}`).catch(() => w.see("One size"))
    await page.getByRole("button", { name: "Publish product" }).click()
    await page.waitForURL(/\/a\/products\/prod_/)
    await w.see(`Walk Hat ${tag}`)
    await w.see("A wide-brimmed straw hat.")
    await w.see(`HAT-${tag}`)
  })

  await w.step("product created variant prices", async () => {
    await w.menu(page.getByRole("row").filter({ hasText: `HAT-${tag}` }), "Edit Variant")
    await w.see("Edit Variant")
    await page.locator("span.inter-large-semibold", { hasText: /^Pricing/ }).click()
    await page.waitForFunction(() => [...document.querySelectorAll('[role="dialog"] input[placeholder="-"]')].some((i) => i.value === "24.50"))
    await page.getByRole("button", { name: "Cancel" }).click()
  })
}

// A product's id by its handle, from the backend (to open its page by address).
async function productID(handle) {
  const res = await fetch(`${env.BACKEND_URL || "http://localhost:9202"}/admin/products?handle=${handle}`, {
    headers: { Authorization: `Bearer ${env.API_TOKEN || "ref_token"}` },
  })
  const { products } = await res.json()
  if (!products || !products.length) throw new Error(`no product with handle ${handle}`)
  return products[0].id
}

async function collections(w) {
  w.skipping = null
  const page = w.page

  await w.step("collections list", async () => {
    await w.goto("/a/products?view=collections")
    await w.see("Summer 2022")
    await w.see("/basics")
  })

  await w.step("collection create", async () => {
    await page.getByRole("button", { name: "New Collection" }).click()
    await w.modal().locator('input[name="title"]').fill(`Autumn ${tag}`)
    await w.modal().locator('input[name="handle"]').fill(`autumn-${tag}`)
    await page.getByRole("button", { name: "Publish collection" }).click()
    await w.toast(/Successfully created collection/)
    // the list shows it (the dashboard's navigate() to the new collection does not take while
    // the list view's ?view=collections is being cleared, so the walk opens it itself)
    await w.see(`/autumn-${tag}`)
    await page.getByText(`Autumn ${tag}`).click()
    await page.waitForURL(/\/a\/collections\/pcol_/)
    await w.see(`/autumn-${tag}`)
  })

  await w.step("collection add products", async () => {
    await w.menu(w.section("Products"), "Edit Products")
    const modal = w.modal()
    await modal.getByText("Wool Scarf").waitFor()
    for (const title of ["Wool Scarf", "Rain Jacket"]) {
      await modal.getByRole("row").filter({ hasText: title }).locator("div.w-5.h-5").first().click()
    }
    await modal.getByRole("button", { name: "Save" }).click()
    await w.toast(/Updated products in collection/)
    await w.see("Wool Scarf")
    await w.see("Rain Jacket")
  })

  await w.step("collection open", async () => {
    await w.goto("/a/products?view=collections")
    await page.getByText("Summer 2022").first().click()
    await page.waitForURL(/\/a\/collections\/pcol_/)
    await w.see("/summer-2022")
    await w.see("Summer Shorts")
    await w.see("Sunglasses")
  })
}

async function customers(w) {
  const page = w.page

  await w.step("customers list", async () => {
    await w.goto("/a/customers")
    await w.see("jane@medusa-ref.test")
    await w.see("grace@dashboard.test")
    await w.see("Jane Doe")
  })

  await w.step("customers search", async () => {
    await page.getByPlaceholder(/Search/).first().fill("dashboard.test")
    await page.waitForURL(/q=dashboard.test/)
    await w.see("ada@dashboard.test")
    await page.getByText("jane@medusa-ref.test").waitFor({ state: "detached" })
  })

  await w.step("customer open", async () => {
    await page.getByText("ada@dashboard.test").first().click()
    await page.waitForURL(/\/a\/customers\/cus_/)
    await w.see("Ada Lovelace")
    await w.see("+15555550101")
    await w.see("Raw customer")
    // her order (seed-extra.js places it), from GET /admin/orders?customer_id=…
    await w.see("Orders (1)")
    const order = page.locator("tbody tr").filter({ hasText: "#2" })
    await order.getByText("55.00 USD").waitFor()
    await order.getByText("not_fulfilled").waitFor()
  })

  await w.step("customer edit", async () => {
    await w.menu(page.locator("div.rounded-rounded").filter({ has: page.getByRole("heading", { name: "Ada Lovelace" }) }).last(), "Edit")
    const modal = w.modal()
    await page.waitForFunction(() => document.querySelector('[role="dialog"] input[name="first_name"]')?.value === "Ada")
    await modal.locator('input[name="last_name"]').fill(`King ${tag}`)
    await modal.locator('input[name="phone"]').fill("+15555550199")
    await modal.getByRole("button", { name: "Save" }).click()
    await w.toast(/Successfully updated customer/)
    await w.see(`Ada King ${tag}`)
    await w.see("+15555550199")
  })

  await w.step("customer groups list", async () => {
    await w.goto("/a/customers/groups")
    await w.see("VIP")
    await w.see("Wholesale")
  })

  await w.step("customer group create", async () => {
    await page.getByRole("button", { name: "New group" }).click()
    await w.modal().getByPlaceholder("Customer group name").fill(`Newsletter ${tag}`)
    await w.modal().getByRole("button", { name: "Publish Group" }).click()
    await w.see(`Newsletter ${tag}`)
  })

  await w.step("customer group add customers", async () => {
    await page.getByText(`Newsletter ${tag}`).click()
    await page.waitForURL(/\/a\/customers\/groups\/cgrp_/)
    await w.menu(w.section("Customers"), "Edit customers")
    const modal = w.modal()
    for (const email of ["jane@medusa-ref.test", "grace@dashboard.test"]) {
      await modal.getByRole("row").filter({ hasText: email }).locator("div.w-5.h-5").first().click()
    }
    await modal.getByRole("button", { name: "Save" }).click()
    await w.see("grace@dashboard.test")
    await w.see("jane@medusa-ref.test")
  })

  await w.step("customer group open", async () => {
    await w.goto("/a/customers/groups")
    await page.getByText("VIP", { exact: true }).click()
    await page.waitForURL(/\/a\/customers\/groups\/cgrp_/)
    await w.see("jane@medusa-ref.test")
  })
}

async function priceLists(w) {
  const page = w.page

  await w.step("price lists list", async () => {
    await w.goto("/a/pricing")
    await w.see("Winter Sale")
    await w.see("Ten percent off the tees")
  })

  await w.step("price list create with prices", async () => {
    await page.getByRole("button", { name: /Add price list/ }).click()
    await page.waitForURL(/\/a\/pricing\/new/)
    await page.locator('button[role="radio"][value="sale"]').click()
    await page.locator("span", { hasText: /^General/ }).first().click()
    await page.getByPlaceholder("B2B, Black Friday...").fill(`Spring Deals ${tag}`)
    await page.getByPlaceholder("For our business partners...").fill("Cheaper mugs")
    await page.locator("span", { hasText: /^Prices/ }).first().click()
    await page.getByRole("button", { name: "Add Products Manually" }).click()
    const modal = w.modal()
    await modal.getByText("Coffee Mug").waitFor()
    await modal.getByRole("row").filter({ hasText: "Coffee Mug" }).locator("div.w-5.h-5").first().click()
    await modal.getByRole("button", { name: "Save" }).click()
    await w.see("Coffee Mug")
    // the product's variants fold out under it, each with an "Edit prices" action
    const tree = page.locator("div.flex.items-center.justify-between").filter({ has: page.getByText("Coffee Mug", { exact: true }) }).last()
    await tree.getByRole("button").last().click()
    await w.see("(SKU: MUG-11)")
    await w.menu(page.locator("div.col-tree").filter({ hasText: "MUG-11" }), "Edit prices")
    const prices = w.modal()
    const usd = prices.locator("div.flex").filter({ hasText: "US Dollar" }).filter({ has: page.locator("input") }).last()
    await usd.locator("input").first().fill("9.99")
    await prices.getByRole("button", { name: "Save and close" }).click()
    await page.getByRole("button", { name: "Publish price list" }).click()
    await page.waitForURL(/\/a\/pricing\/pl_/)
    await w.see(`Spring Deals ${tag}`)
    await w.see("Cheaper mugs")
    await w.see("Coffee Mug")
  })

  await w.step("price list open", async () => {
    await w.goto("/a/pricing")
    await page.getByText("Winter Sale").click()
    await page.waitForURL(/\/a\/pricing\/pl_/)
    await w.see("Ten percent off the tees")
    await w.see("Classic T-Shirt")
  })

  await w.step("price list edit", async () => {
    await w.menu(w.section("Winter Sale"), "Edit price list details")
    await page.waitForFunction(() => document.querySelector('input[name="name"]')?.value === "Winter Sale")
    await page.locator('input[name="description"]').fill(`Cheaper tees until spring ${tag}`)
    await page.getByRole("button", { name: "Save changes" }).first().click()
    await w.see(`Cheaper tees until spring ${tag}`)
  })
}

async function discounts(w) {
  const page = w.page

  await w.step("discounts list", async () => {
    await w.goto("/a/discounts")
    await w.see("WELCOME10")
    await w.see("10% off the first order")
  })

  await w.step("discount create with condition", async () => {
    await page.getByRole("button", { name: "Add Discount" }).click()
    await page.locator('button[role="radio"][value="percentage"]').click()
    await page.locator("span", { hasText: /^General/ }).first().click()
    await w.pick(page.locator(".react-select__placeholder", { hasText: "Search..." }), "EU", page.getByRole("heading", { name: "Create new discount" }))
    await page.getByPlaceholder("SUMMERSALE10").fill(`SPRING${tag.toUpperCase()}`)
    await page.getByPlaceholder("10", { exact: true }).fill("15")
    await page.getByPlaceholder("Summer Sale 2022").fill("15% off bags")
    await page.locator("span", { hasText: /^Conditions/ }).first().click()
    await page.getByRole("button", { name: /Add Condition/i }).click()
    const modal = w.modal()
    await modal.getByText("Only for specific products").click()
    await modal.getByRole("row").filter({ hasText: "Canvas Tote Bag" }).locator("div.w-5.h-5").first().click()
    await modal.getByRole("button", { name: "Save and close" }).click()
    await w.see("Canvas Tote Bag")
    await page.getByRole("button", { name: "Publish discount" }).click()
    // back on the list, which shows the new discount
    await page.waitForURL(/\/a\/discounts$/)
    await w.see(`SPRING${tag.toUpperCase()}`)
  })

  await w.step("discount open", async () => {
    await page.getByText(`SPRING${tag.toUpperCase()}`).click()
    await page.waitForURL(/\/a\/discounts\/disc_/)
    await w.see("15% off bags")
    await w.see("Discount is applicable to specific products")
    await w.see("Valid Regions")
  })

  await w.step("discount edit", async () => {
    await w.menu(w.section(`SPRING${tag.toUpperCase()}`), "Edit general information")
    const modal = w.modal()
    await page.waitForFunction(() => document.querySelector('[role="dialog"] input[name="code"]')?.value)
    await modal.getByPlaceholder("Summer Sale 2022").fill(`15% off bags and totes ${tag}`)
    await modal.getByRole("button", { name: "Save" }).click()
    await w.toast(/./)
    await w.see(`15% off bags and totes ${tag}`)
  })
}

async function giftCards(w) {
  const page = w.page

  await w.step("gift cards list", async () => {
    await w.goto("/a/gift-cards")
    await w.see("Gift Card") // the gift card product's banner
    await w.see("History")
    await page.locator("tbody tr").first().waitFor()
  })

  await w.step("gift card create", async () => {
    await page.getByRole("button", { name: "Custom Gift Card" }).click()
    const modal = w.modal()
    await modal.locator('input[name="amount"]').fill("25")
    await modal.getByPlaceholder("lebron@james.com").fill("jane@medusa-ref.test")
    await modal.getByPlaceholder("Something nice to someone special").fill(`Happy birthday ${tag}`)
    await modal.getByRole("button", { name: "Create & Send" }).click()
    await w.toast(/Created Custom Gift Card/)
    await page.waitForFunction(() => document.querySelectorAll("tbody tr").length === 2)
  })

  await w.step("gift card open", async () => {
    await page.locator("tbody tr").first().click()
    await page.waitForURL(/\/a\/gift-cards\/gift_/)
    await w.see("Gift Card id: gift_")
    await w.see("Raw gift card")
  })
}

async function taxes(w) {
  const page = w.page

  await w.step("settings taxes", async () => {
    await w.goto("/a/settings/taxes")
    await page.waitForURL(/\/a\/settings\/taxes/)
    await w.see("Select the region you wish to manage taxes for")
    await w.see(NA_COUNTRIES)
  })

  await w.step("settings taxes region", async () => {
    await page.getByText(NA_COUNTRIES).click()
    await w.see("Default")
    await page.getByText("Tax Calculation Settings").first().waitFor()
  })
}

async function salesChannelPages(w) {
  const page = w.page

  await w.step("sales channels list", async () => {
    await w.goto("/a/sales-channels")
    await w.see("Control which products are available in which channels")
    await w.see("Default Sales Channel")
    await w.see("Wholesale shop")
  })

  await w.step("sales channel open", async () => {
    await page.getByText("Wholesale shop").first().click()
    await page.waitForURL(/\/a\/sales-channels\/sc_/)
    await w.see("Coffee Mug")
    await w.see("Crewneck Sweatshirt")
  })

  await w.step("sales channel create", async () => {
    await page.locator("h2", { hasText: "Sales channels" }).locator("xpath=..").locator("svg").last().click()
    await page.getByPlaceholder("Website, app, Amazon, physical store POS, facebook product feed...").fill(`Market stall ${tag}`)
    await page.getByPlaceholder("Available products at our website, app...").fill("Saturdays only")
    await page.getByRole("button", { name: "Publish channel" }).click()
    await w.see(`Market stall ${tag}`)
  })
}

// The orders seed-extra.js placed: Jane's (#1, EU: 2 × Classic T-Shirt M / White at €18.00 and a
// Coffee Mug at €11.00, EU Standard €8.00, 20% tax: €66.00), Ada's (#2, NA: a Crewneck Sweatshirt
// at $45.00, NA Standard $10.00, no tax: $55.00) and Grace's (#3, EU: 3 × Canvas Tote Bag at
// €14.00, EU Express €15.00: €68.40). The walk takes Jane's through its whole life.
async function orders(w) {
  const page = w.page
  const rows = () => page.locator("tbody tr")
  // A card's total line (DisplayTotal: title, then amount and currency).
  const total = async (scope, title, amount) => {
    await scope.locator("div.flex.justify-between").filter({ has: page.getByText(title, { exact: true }) })
      .filter({ hasText: amount }).first().waitFor()
  }

  await w.step("orders list", async () => {
    await w.goto("/a/orders")
    await w.see("Jane Doe")
    await w.see("Grace Hopper")
    await w.see(/^Ada /) // her last name is the customers walk's
    await page.waitForFunction(() => document.querySelectorAll("tbody tr").length === 3)
    await w.see("1 - 3 of 3 Orders")
    const jane = rows().filter({ hasText: "Jane Doe" })
    await jane.getByText("#1", { exact: true }).waitFor()
    await jane.getByText("€66.00").waitFor()
    await jane.getByText("not_fulfilled").waitFor()
    await jane.getByText("Awaiting").waitFor()
    await rows().filter({ hasText: /Ada / }).getByText("$55.00").waitFor()
    await rows().filter({ hasText: "Grace Hopper" }).getByText("€68.40").waitFor()
  })

  await w.step("orders filter by region", async () => {
    await page.getByRole("button", { name: /Filters/ }).click()
    await page.getByText("Regions", { exact: true }).last().click()
    // the NA region, renamed by the settings walk
    await page.getByText(/^(NA|North America)$/).last().click()
    await page.getByRole("button", { name: "Apply" }).click()
    await page.waitForURL(/region_id/)
    await page.getByText("Jane Doe").waitFor({ state: "detached" })
    await rows().filter({ hasText: /Ada / }).getByText("$55.00").waitFor()
    await page.waitForFunction(() => document.querySelectorAll("tbody tr").length === 1)
  })

  await w.step("orders search", async () => {
    await w.goto("/a/orders")
    await w.see("Jane Doe")
    // q matches the email, the display id and the shipping address's first name (Medusa's order search)
    await page.getByPlaceholder(/Search/).first().fill("grace")
    await page.waitForURL(/q=grace/)
    await page.getByText("Jane Doe").waitFor({ state: "detached" })
    await rows().filter({ hasText: "Grace Hopper" }).getByText("€68.40").waitFor()
    await page.waitForFunction(() => document.querySelectorAll("tbody tr").length === 1)
  })

  await w.step("order open", async () => {
    await w.goto("/a/orders")
    await rows().filter({ hasText: "Jane Doe" }).click()
    await page.waitForURL(/\/a\/orders\/order_/)
    await w.see("#1")
    const summary = w.section("Summary")
    await summary.getByText("Classic T-Shirt").first().waitFor()
    await summary.getByText("M / White").waitFor()
    await summary.getByText("Coffee Mug").waitFor()
    await total(summary, "Subtotal", "€47.00")
    await total(summary, "Shipping", "€8.00")
    await total(summary, "Tax", "€11.00")
    await total(summary, "Total", "€66.00")
    const payment = w.section("Payment")
    await payment.getByText("Awaiting").waitFor()
    // Medusa counts an authorized payment as paid already (paid_total)
    await total(payment, "Total Paid", "€66.00")
    const fulfillment = w.section("Fulfillment")
    await fulfillment.getByText("EU Standard").waitFor()
    const customer = w.section("Customer")
    await customer.getByText("Jane Doe").waitFor()
    await customer.getByText("Berlin, Germany").waitFor()
    await customer.getByText("1 Main Street").waitFor()
    await w.section("Timeline").getByText("Order Placed").waitFor()
  })

  await w.step("order capture payment", async () => {
    await w.section("Payment").getByRole("button", { name: "Capture payment" }).click()
    await w.toast(/Successfully captured payment/)
    const payment = w.section("Payment")
    await payment.getByText("Paid", { exact: true }).waitFor()
    await payment.getByRole("button", { name: "Refund" }).waitFor()
    await total(payment, "Total Paid", "€66.00")
  })

  await w.step("order create fulfillment", async () => {
    await w.section("Fulfillment").getByRole("button", { name: "Create Fulfillment" }).click()
    const modal = w.modal()
    await modal.getByText("Create Fulfillment").waitFor()
    for (const title of ["Classic T-Shirt", "Coffee Mug"]) {
      await modal.getByRole("row").filter({ hasText: title }).locator("div.w-5.h-5").first().click()
    }
    await modal.getByRole("button", { name: "Complete" }).click()
    await w.toast(/Successfully fulfilled order/)
    const fulfillment = w.section("Fulfillment")
    await fulfillment.getByText("Fulfillment #1 Fulfilled by Manual").waitFor()
    await fulfillment.getByText("Not shipped").waitFor()
    await fulfillment.getByText("Fulfilled", { exact: true }).waitFor()
    await w.section("Timeline").getByText("Items Fulfilled").waitFor()
  })

  await w.step("order mark shipped", async () => {
    const fulfillment = w.section("Fulfillment")
    await w.menu(fulfillment.locator("div.flex.w-full.justify-between").filter({ hasText: "Fulfillment #1" }).last(), "Mark Shipped")
    const modal = w.modal()
    await modal.getByPlaceholder("Tracking number...").fill(`TRACK-${tag}`)
    await modal.getByRole("button", { name: "Complete" }).click()
    await w.toast(/Successfully marked order as shipped/)
    await fulfillment.getByText(`TRACK-${tag}`).waitFor()
    await fulfillment.getByText("Shipped", { exact: true }).waitFor()
    await w.section("Timeline").getByText("Items Shipped").waitFor()
  })

  await w.step("order refund", async () => {
    await w.section("Payment").getByRole("button", { name: "Refund" }).click()
    const modal = w.modal()
    await modal.getByText("Create a refund").waitFor()
    await modal.getByPlaceholder("0.00").first().fill("5.00")
    await modal.getByPlaceholder("Discount for loyal customer").fill(`Late delivery ${tag}`)
    await modal.getByRole("button", { name: "Complete" }).click()
    await w.toast(/Successfully refunded order/)
    const payment = w.section("Payment")
    await payment.getByText("-€5.00").waitFor()
    await total(payment, "Total Paid", "€61.00")
    await w.section("Timeline").getByText(`Late delivery ${tag}`).waitFor()
  })

  await w.step("order request return", async () => {
    await w.menu(w.section("Timeline"), "Request Return")
    const modal = w.modal()
    await modal.getByText("Items to return").waitFor()
    await modal.getByRole("row").filter({ hasText: "Coffee Mug" }).locator("div.w-5.h-5").first().click()
    await w.pick(modal.getByText("Add a shipping method"), "EU Return")
    // the mug's €13.20 (with tax) less the return shipping's €7.20
    await modal.getByText("Total Refund").locator("xpath=..").getByText(/6\.00/).waitFor()
    await modal.getByRole("button", { name: "Submit" }).click()
    await w.toast(/Successfully returned order/)
    await w.section("Timeline").getByText("Return Requested").waitFor()
  })

  await w.step("order receive return", async () => {
    const timeline = w.section("Timeline")
    await timeline.getByRole("button", { name: "Receive Return" }).click()
    const modal = w.modal()
    await modal.getByText("Items to receive").waitFor()
    await modal.getByText("Coffee Mug").waitFor()
    await modal.getByRole("button", { name: "Complete" }).click()
    await w.toast(/Successfully returned order/)
    await timeline.getByText("Return Received").waitFor()
    await total(w.section("Payment"), "Total Paid", "€55.00")
  })

  await w.step("order create claim", async () => {
    await w.menu(w.section("Timeline"), "Register Claim")
    const modal = w.modal()
    await modal.getByText("Items to claim").waitFor()
    await modal.getByRole("row").filter({ hasText: "Classic T-Shirt" }).locator("div.w-5.h-5").first().click()
    // a claimed item needs a reason (Medusa 1.3.8 refuses one without: 400 "Claim Item reason
    // must be one of …")
    await modal.getByRole("button", { name: "Select Reason" }).click()
    await modal.getByText("Reason for Return").waitFor()
    await w.pick(modal.getByText("Search...", { exact: true }), "Production Failure")
    await modal.getByRole("button", { name: "Add" }).click()
    await modal.getByText("Items to claim").waitFor()
    await modal.getByText("Refund", { exact: true }).click()
    await modal.getByRole("button", { name: "Complete" }).click()
    await w.toast(/Successfully created claim/)
    await w.section("Timeline").getByText("Claim Created").waitFor()
    // both tees (€18.00 each with 20% tax) refunded: €55.00 - €43.20
    await total(w.section("Payment"), "Total Paid", "€11.80")
  })

  await w.step("order add note", async () => {
    await page.getByPlaceholder("Write a note...").fill(`Customer called ${tag}`)
    await page.keyboard.press("Enter")
    await w.toast(/Added note/)
    await w.section("Timeline").getByText(`Customer called ${tag}`).waitFor()
  })

  await w.step("order edit email", async () => {
    await w.menu(w.section("Customer"), "Edit Email Address")
    const modal = w.modal()
    await modal.getByText("Email Address").waitFor()
    await modal.getByPlaceholder("Email").fill(`jane.doe+${tag}@medusa-ref.test`)
    await modal.getByRole("button", { name: "Save" }).click()
    await w.toast(/Successfully updated the email address/)
    await w.section("Customer").getByText(`jane.doe+${tag}@medusa-ref.test`).waitFor()
  })

  await w.step("order edit shipping address", async () => {
    await w.menu(w.section("Customer"), "Edit Shipping Address")
    const modal = w.modal()
    await page.waitForFunction(() => document.querySelector('[role="dialog"] input[placeholder="City"]')?.value === "Berlin")
    await modal.getByPlaceholder("Address 1").fill(`2 Harbour Road ${tag}`)
    await modal.getByPlaceholder("City").fill("Hamburg")
    await modal.getByPlaceholder("Postal code").fill("20095")
    await modal.getByRole("button", { name: "Save" }).click()
    await w.toast(/Successfully updated address/)
    const customer = w.section("Customer")
    await customer.getByText("Hamburg, Germany").waitFor()
    await customer.getByText(`2 Harbour Road ${tag}`).waitFor()
  })

  // Grace's order: a claim that sends a replacement (a mug for a tote bag), fulfilled and
  // shipped from the order page.
  await w.step("order create replace claim", async () => {
    await w.goto("/a/orders")
    await rows().filter({ hasText: "Grace Hopper" }).click()
    await page.waitForURL(/\/a\/orders\/order_/)
    await w.see("#3")
    // Medusa claims fulfilled items only ("Cannot claim more of an item than has been fulfilled.")
    await w.section("Fulfillment").getByRole("button", { name: "Create Fulfillment" }).click()
    const fulfil = w.modal()
    await fulfil.getByRole("row").filter({ hasText: "Canvas Tote Bag" }).locator("div.w-5.h-5").first().click()
    await fulfil.getByRole("button", { name: "Complete" }).click()
    await w.toast(/Successfully fulfilled order/)
    await w.section("Fulfillment").getByText("Fulfillment #1 Fulfilled by Manual").waitFor()
    await w.menu(w.section("Timeline"), "Register Claim")
    const modal = w.modal()
    await modal.getByText("Items to claim").waitFor()
    await modal.getByRole("row").filter({ hasText: "Canvas Tote Bag" }).locator("div.w-5.h-5").first().click()
    await modal.getByRole("button", { name: "Select Reason" }).click()
    await modal.getByText("Reason for Return").waitFor()
    await w.pick(modal.getByText("Search...", { exact: true }), "Wrong Item")
    await modal.getByRole("button", { name: "Add" }).click()
    await modal.getByText("Items to claim").waitFor()
    await modal.getByText("Replace", { exact: true }).click()
    await modal.getByRole("button", { name: "Add Product" }).click()
    // the variants picker (GET /admin/variants?q=…)
    await modal.getByPlaceholder("Search Products..").fill("11 oz")
    const mug = modal.getByRole("row").filter({ hasText: "Coffee Mug" }).first()
    await mug.waitFor()
    await mug.locator("div.w-5.h-5").first().click()
    await modal.getByRole("button", { name: "Add" }).click()
    await modal.getByText("Items to send").waitFor()
    await modal.getByText("Coffee Mug").waitFor()
    await w.pick(modal.getByText("Add a shipping method").last(), "EU Standard")
    await modal.getByRole("button", { name: "Complete" }).click()
    await w.toast(/Successfully created claim/)
    await w.section("Timeline").getByText("Claim Created").waitFor()
  })

  await w.step("order fulfill claim", async () => {
    const claim = page.locator("div.flex.items-center.justify-between").filter({ has: page.getByText("Claim Created", { exact: true }) }).last()
    await w.menu(claim, "Fulfill Claim")
    const modal = w.modal()
    await modal.getByText("Create Fulfillment").waitFor()
    await modal.getByRole("row").filter({ hasText: "Coffee Mug" }).locator("div.w-5.h-5").first().click()
    await modal.getByRole("button", { name: "Complete" }).click()
    await w.toast(/Successfully fulfilled claim/)
    await w.section("Fulfillment").getByText("Claim fulfillment #1 Fulfilled by Manual").waitFor()
    await w.section("Timeline").getByText("Claim Items Fulfilled").waitFor()
  })

  await w.step("order ship claim", async () => {
    const fulfillment = w.section("Fulfillment")
    await w.menu(fulfillment.locator("div.flex.w-full.justify-between").filter({ hasText: "Claim fulfillment #1" }).last(), "Mark Shipped")
    const modal = w.modal()
    await modal.getByPlaceholder("Tracking number...").fill(`CLAIM-${tag}`)
    await modal.getByRole("button", { name: "Complete" }).click()
    await w.toast(/Successfully marked claim as shipped/)
    await fulfillment.getByText(`CLAIM-${tag}`).waitFor()
    await w.section("Timeline").getByText("Claim Items Shipped").waitFor()
  })

  await w.step("order cancel", async () => {
    await w.goto("/a/orders")
    await rows().filter({ hasText: /Ada / }).click()
    await page.waitForURL(/\/a\/orders\/order_/)
    await w.see("#2")
    await w.menu(page.locator("div.rounded-rounded").filter({ has: page.getByText("#2", { exact: true }) }).last(), "Cancel Order")
    await page.getByRole("button", { name: "Yes, confirm" }).click()
    await w.toast(/Successfully canceled order/)
    await w.see("Canceled")
  })

  await w.step("orders list after", async () => {
    await w.goto("/a/orders")
    const jane = rows().filter({ hasText: "Jane Doe" })
    await jane.getByText("partially_returned").waitFor()
    await rows().filter({ hasText: /Ada / }).getByText("canceled", { exact: true }).waitFor()
    await jane.getByText("€66.00").waitFor()
    await page.waitForFunction(() => document.querySelectorAll("tbody tr").length === 3)
  })
}

// A draft order made in the "Create Draft Order" modal (region, a custom item and a variant, a
// shipping method, the customer's email and address, billing the same), then marked paid: the
// order it becomes. After the orders walk, whose steps count three orders.
async function draftOrders(w) {
  w.skipping = null
  const page = w.page
  const email = `walk-draft-${tag}@medusa-test.com`
  const total = async (scope, title, amount) => {
    await scope.locator("div.flex.justify-between").filter({ has: page.getByText(title, { exact: true }) })
      .filter({ hasText: amount }).first().waitFor()
  }

  await w.step("draft order create", async () => {
    await w.goto("/a/draft-orders")
    await w.see("0 - 0 of 0 Draft Orders")
    await page.getByRole("button", { name: "Create draft order" }).click()
    const modal = () => w.modal()
    const next = async (then) => {
      await modal().getByRole("button", { name: "Next" }).click()
      await modal().getByText(then).first().waitFor()
    }
    await modal().getByText("Choose region").waitFor()
    await w.pick(modal().getByText("Search..."), "EU")
    await next("Items for the order")
    await modal().getByRole("button", { name: "Add Custom" }).click()
    await modal().getByText("Add Custom Item").waitFor()
    await modal().locator('input[name="title"]').fill(`Gift wrap ${tag}`)
    await modal().getByPlaceholder("0.00").fill("3.50")
    await modal().locator('input[name="quantity"]').fill("1")
    await modal().getByRole("button", { name: "Add", exact: true }).click()
    await modal().getByText("Items for the order").waitFor()
    // the variants picker (GET /admin/variants?q=…)
    await modal().getByRole("button", { name: "Add Existing" }).click()
    await modal().getByText("Add Products").waitFor()
    await modal().getByPlaceholder(/Search/).fill("11 oz")
    const mug = modal().getByRole("row").filter({ hasText: "Coffee Mug" }).first()
    await mug.waitFor()
    await mug.locator("div.w-5.h-5").first().click()
    await modal().getByRole("button", { name: "Add", exact: true }).click()
    await modal().getByRole("row").filter({ hasText: "Coffee Mug" }).getByText("11.00").waitFor()
    await modal().getByRole("row").filter({ hasText: `Gift wrap ${tag}` }).getByText("3.50").waitFor()
    await next("Choose a shipping method")
    await w.pick(modal().getByText("Search..."), "EU Standard")
    await next("Customer and shipping details")
    await modal().locator('input[name="email"]').fill(email)
    await modal().locator('input[name="shipping_address.first_name"]').fill("Walter")
    await modal().locator('input[name="shipping_address.last_name"]').fill(`Draft ${tag}`)
    await modal().locator('input[name="shipping_address.address_1"]').fill("Hafenstraße 5")
    await modal().locator('input[name="shipping_address.postal_code"]').fill("20457")
    await modal().locator('input[name="shipping_address.city"]').fill("Hamburg")
    await w.pick(modal().getByText("Select...").last(), "Germany")
    await next("Use same as shipping")
    // billing as shipping: the box is ticked by default
    await modal().locator('input[name="same_as_shipping"]').evaluate((el) => el.checked || el.parentElement.click())
    await next("Shipping details")
    await modal().getByText(email).waitFor()
    await modal().getByRole("button", { name: "Submit" }).click()
    await w.toast(/Order created/)
    await page.waitForURL(/\/a\/draft-orders\/dorder_/)
    const summary = w.section("Summary")
    await summary.getByText("Coffee Mug").waitFor()
    await summary.getByText(`Gift wrap ${tag}`).waitFor()
    // 3.50 + 11.00, shipping 8.00; 20% tax on the mug and the shipping (a custom item is not taxed)
    await total(summary, "Subtotal", "€14.50")
    await total(summary, "Shipping", "€8.00")
    await total(summary, "Tax", "€3.80")
    await total(summary, "Total", "€26.30")
    await w.see("Open")
    await w.section("Customer").getByText(email).waitFor()
  })

  await w.step("draft order mark paid", async () => {
    await page.getByRole("button", { name: "Mark as paid" }).click()
    await w.toast(/Successfully mark as paid/)
    await w.see("Completed")
    await page.getByRole("button", { name: "Go to Order" }).first().click()
    await page.waitForURL(/\/a\/orders\/order_/)
    const summary = w.section("Summary")
    await summary.getByText("Coffee Mug").waitFor()
    await total(summary, "Total", "€26.30")
    await w.section("Customer").getByText(email).waitFor()
  })

  await w.step("draft orders list", async () => {
    await w.goto("/a/draft-orders")
    await w.see("1 - 1 of 1 Draft Orders")
    const row = page.locator("tbody tr").filter({ hasText: email })
    await row.getByText("Completed").waitFor()
  })
}

// Batch jobs from the pages that start them: "Export Products" and "Export Orders" (a toast, then
// the activity drawer behind the top bar's bell, which polls GET /admin/batch-jobs, shows the
// job done; its Download button fetches the file through a download URL), and a product import.
// This dashboard has no import button (its products page offers export only), so the import's
// job is created with the admin's session from the page, as a later dashboard's import modal
// does (POST /admin/uploads, POST /admin/batch-jobs), and the walk checks what the dashboard
// shows of it: the job in the drawer and the product in the catalog.
async function batchJobs(w) {
  w.skipping = null
  const page = w.page
  // The drawer is rendered twice, one on top of the other (both under the top bar): the last one
  // is the one on top.
  const drawer = () => page.locator("div.fixed.flex.flex-col").filter({ has: page.getByText("Activity", { exact: true }) }).last()
  // The bell is the top bar's second small button (after help). A click before the top bar's
  // handlers are attached does nothing: one more click then.
  const openDrawer = async () => {
    for (let attempt = 1; ; attempt++) {
      if (await drawer().isVisible().catch(() => false)) return
      await page.locator("button.w-8.h-8").nth(1).click()
      try {
        await drawer().getByText("Activity", { exact: true }).waitFor({ timeout: 5000 })
        return
      } catch (err) {
        if (attempt === 2) throw err
      }
    }
  }
  // The drawer's card (ActivityCard: a div.mx-8.border-b per job) whose description is text and
  // whose file name matches file.
  const card = (text, file) =>
    drawer().locator("div.mx-8.border-b").filter({ has: page.getByText(text, { exact: true }) }).filter({ hasText: file })
  const download = async (c) => {
    // A click's mousedown outside the other (covered) drawer closes both before the click lands
    // (their outside-click handler), so the button gets its click event alone.
    const [dl] = await Promise.all([page.waitForEvent("download"), c.getByRole("button", { name: "Download" }).dispatchEvent("click")])
    const text = require("fs").readFileSync(await dl.path(), "utf8")
    if (!text.endsWith("\r\n")) throw new Error(`${dl.suggestedFilename()}: no \\r\\n at its end`)
    return { name: dl.suggestedFilename(), lines: text.slice(0, -2).split("\r\n").map((l) => l.split(";")) }
  }
  const backend = async (p) => {
    const res = await fetch(`${env.BACKEND_URL || "http://localhost:9202"}${p}`, { headers: { Authorization: `Bearer ${env.API_TOKEN || "ref_token"}` } })
    return res.json()
  }

  // The file of the newest job of a type, once the job is completed (asked of the backend as
  // the drawer's polling asks, every 500 ms; the walk's user is the token's).
  const newestFile = async (type) => {
    for (let i = 0; i < 120; i++) {
      const { batch_jobs: jobs } = await backend(`/admin/batch-jobs?type[]=${type}&order=-created_at&limit=1`)
      const j = jobs && jobs[0]
      if (j && j.status === "completed") return j.result.file_key
      if (j && ["failed", "canceled"].includes(j.status)) throw new Error(`${type} ${j.status}: ${JSON.stringify(j.result)}`)
      await new Promise((r) => setTimeout(r, 500))
    }
    throw new Error(`no completed ${type} within 60 s`)
  }

  await w.step("products export", async () => {
    await w.goto("/a/products")
    await page.getByRole("button", { name: "Export Products" }).click()
    const modal = w.modal()
    await modal.getByText("Initialize an export of your data").waitFor()
    await modal.getByRole("button", { name: "Export", exact: true }).click()
    await w.toast(/Successfully initiated export/)
    const key = await newestFile("product-export")
    await openDrawer()
    const done = card("Export of products is done.", key)
    await done.waitFor()
    await done.getByText(/^\d+(\.\d+)? Kb$/).waitFor()
    const file = await download(done)
    if (file.name !== key) throw new Error(`downloaded ${file.name}, the job's file is ${key}`)
    const [header, ...rows] = file.lines
    if (header.slice(0, 3).join(";") !== "Product ID;Product Handle;Product Title") throw new Error(`header ${header.slice(0, 3)}`)
    // one line per variant of every product, gift cards included
    const { count } = await backend("/admin/variants?limit=1")
    if (rows.length !== count) throw new Error(`${rows.length} lines, the shop has ${count} variants`)
    const title = header.indexOf("Product Title")
    if (!rows.some((r) => r[title] === "Sunglasses")) throw new Error("no Sunglasses line")
    // the drawer again, for the step's screenshot (the download closed it)
    await openDrawer()
    await done.waitFor()
  })

  await w.step("orders export", async () => {
    await w.goto("/a/orders")
    await w.see("Jane Doe")
    await page.getByRole("button", { name: "Export Orders" }).click()
    const modal = w.modal()
    await modal.getByText("Initialize an export of your data").waitFor()
    await modal.getByRole("button", { name: "Export", exact: true }).click()
    await w.toast(/Successfully initiated export/)
    const key = await newestFile("order-export")
    await openDrawer()
    const done = card("Export of orders is done.", key)
    await done.waitFor()
    const file = await download(done)
    const [header, ...rows] = file.lines
    if (header.slice(0, 3).join(";") !== "Order_ID;Display_ID;Order status") throw new Error(`header ${header.slice(0, 3)}`)
    // Jane's, Ada's and Grace's orders and the draft order's
    if (rows.length !== 4) throw new Error(`${rows.length} orders in the file`)
    const mail = header.indexOf("Customer Email")
    if (!rows.some((r) => r[mail] === `walk-draft-${tag}@medusa-test.com`)) throw new Error("no line for the draft order's order")
    await openDrawer()
    await done.waitFor()
  })

  await w.step("products import", async () => {
    const csv = [
      "Product Handle;Product Title;Product Status;Variant Title;Variant SKU;Variant Inventory Quantity;Price EUR;Option 1 Name;Option 1 Value" + (salesChannels ? ";Sales Channel 1 Name" : ""),
      `walk-import-${tag};Imported Lamp ${tag};published;Brass;LAMP-${tag}-B;4;4900;Finish;Brass` + (salesChannels ? ";Default Sales Channel" : ""),
      `walk-import-${tag};Imported Lamp ${tag};published;Steel;LAMP-${tag}-S;6;3900;Finish;Steel` + (salesChannels ? ";Default Sales Channel" : ""),
    ].join("\r\n") + "\r\n"
    const job = await page.evaluate(async ({ csv, backend }) => {
      const form = new FormData()
      form.append("files", new Blob([csv], { type: "text/csv" }), "walk-import.csv")
      const up = await (await fetch(`${backend}/admin/uploads`, { method: "POST", body: form, credentials: "include" })).json()
      const res = await fetch(`${backend}/admin/batch-jobs`, {
        method: "POST",
        credentials: "include",
        headers: { "Content-Type": "application/json" },
        body: JSON.stringify({ type: "product-import", context: { fileKey: up.uploads[0].key }, dry_run: false }),
      })
      return (await res.json()).batch_job
    }, { csv, backend: w.backendURL })
    if (!job || job.type !== "product-import") throw new Error(`no import job: ${JSON.stringify(job)}`)
    await w.goto("/a/products")
    await page.getByRole("button", { name: "Export Products" }).waitFor()
    await openDrawer()
    // the dashboard words every job as an export; an import's card names "<type>.csv" (its
    // result has no file_key)
    await card("Export of products is done.", "product-import.csv").first().waitFor({ timeout: 30000 })
    await page.keyboard.press("Escape")
    await w.goto(`/a/products/${await productID(`walk-import-${tag}`)}`)
    await w.see(`Imported Lamp ${tag}`)
    await w.see(`LAMP-${tag}-B`)
    await w.see(`LAMP-${tag}-S`)
  })
}

async function main() {
  const w = new Walk({
    dashboardURL: env.DASHBOARD_URL || "http://localhost:7000",
    backendURL: env.BACKEND_URL || "http://localhost:9202",
    out: env.WALK_OUT || "out",
    chromiumPath: env.CHROMIUM || "/usr/bin/chromium",
    only: env.WALK_ONLY,
    salesChannels,
  })
  await w.start()
  const only = w.only
  w.only = null // logging in is every walk's first step

  await w.step("login", async (page) => {
    await w.goto("/login")
    await w.see("Log in to your account below")
    await page.getByPlaceholder("Email...").fill(env.ADMIN_EMAIL || "admin@medusa-test.com")
    await page.getByPlaceholder("Password...").fill(env.ADMIN_PASSWORD || "supersecret")
    await page.getByRole("button", { name: "Continue" }).click()
    await page.waitForURL(/\/a\/orders/)
  })
  w.only = only

  await settings(w)
  await products(w)
  await collections(w)
  await customers(w)
  await priceLists(w)
  await discounts(w)
  await giftCards(w)
  await taxes(w)
  if (salesChannels) await salesChannelPages(w)
  await orders(w)
  await draftOrders(w)
  await batchJobs(w)

  process.exitCode = await w.finish()
}

main().catch((err) => {
  console.error(err)
  process.exit(1)
})
