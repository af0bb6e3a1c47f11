"use strict"
// Steps of the scenario that fail on Gorgon today, with the cause. run.sh (MEDUSA_TARGET=gorgon)
// runs them as node:test TODOs: reported with their failure, not failing the run. Against Medusa
// (the default target) they run as ordinary steps. Remove an entry as soon as its step passes
// (node prints TODO steps that pass too). Keys: "<file without .test.js>: <step name>".
const QS_ARRAYS =
  "query arrays as qs writes them (name[0]=…) are refused as unknown properties; rest/query.go is being fixed on main (query parsing)"

const KNOWN_FAILURES = {
  "05-products: products: list with collection_id[] and expand=variants (fields are ignored next to q)": `collection_id[0]=: ${QS_ARRAYS}`,
  "05-products: products: list with tags[] and expand": `tags[0]=: ${QS_ARRAYS}`,
  "05-products: products: list with status[] and is_giftcard": `status[0]=, collection_id[0]=: ${QS_ARRAYS}`,
  "05-products: product tags: list with value[]": `GET /admin/product-tags value[0]=: ${QS_ARRAYS}`,
  "06-price-lists: price lists: list with status[] and type[]": `status[0]=, type[0]=: ${QS_ARRAYS}`,
  "07-sales-channels: sales channels: products listed by sales_channel_id[]": `sales_channel_id[0]=: ${QS_ARRAYS}`,
  "10-customers: customer groups: list with name[], expand and limit": `name[0]=: ${QS_ARRAYS}`,
  "10-customers: customers: list with groups[]": `groups[0]=: ${QS_ARRAYS}`,
  "02-store: store: Medusa lets deleteCurrency remove the default currency":
    "Gorgon refuses (400 'You are not allowed to remove default currency…', store.RemoveStoreCurrency, asserted in rest/store_test.go and graph/store_test.go); Medusa 1.3.8 removes it and keeps default_currency_code. A deliberate divergence? The lead decides",
  "10-customers: customers: the create answer carries the password hash, as Medusa's does":
    "Gorgon never serialises password_hash (store/model/customer.go); Medusa 1.3.8's POST /admin/customers answers it. Deliberate (security) or drop-in? The lead decides",
  "11-gift-cards-uploads: uploads: medusa-js's uploads.create sends multipart/form-data without a boundary from node, which Medusa's multer fails on":
    "Gorgon answers 400 invalid_data 'could not read the multipart body'; Medusa (multer) 500 unknown_error",
}

module.exports = { KNOWN_FAILURES }
