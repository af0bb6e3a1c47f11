package graph_test

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"

	"github.com/gorgon-commerce/gorgon/rest/resttest"
)

// catJ is a JSON object in an expectation.
type catJ = map[string]any

func catJSON(v any) string {
	b, err := json.Marshal(v)
	if err != nil {
		panic(err)
	}
	return string(b)
}

func catMerge(base, over catJ) catJ {
	for k, v := range over {
		base[k] = v
	}
	return base
}

// catData wraps an expectation of a response's data.
func catData(v any) string { return catJSON(catJ{"data": v}) }

// catStr reads the string at a dotted path ("createProduct.product.variants.0.id") of a
// response's data.
func catStr(t *testing.T, res *resttest.Response, path string) string {
	t.Helper()
	var v any = res.JSON(t)["data"]
	for _, p := range strings.Split(path, ".") {
		switch x := v.(type) {
		case map[string]any:
			v = x[p]
		case []any:
			var i int
			fmt.Sscan(p, &i)
			if i >= len(x) {
				t.Fatalf("no %s in %s", path, res.Body)
			}
			v = x[i]
		}
	}
	s, ok := v.(string)
	if !ok {
		t.Fatalf("no string at %s in %s", path, res.Body)
	}
	return s
}

// catExec runs SQL fixtures.
func catExec(t *testing.T, e *resttest.Env, queries ...string) {
	t.Helper()
	for _, q := range queries {
		if _, err := e.DB.Exec(q); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
}

// catError asserts a GraphQL error (no data) with the message.
func catError(t *testing.T, res *resttest.Response, msg string) {
	t.Helper()
	res.Expect(t, 200, `{"errors":"$any","data":null}`)
	errs := res.JSON(t)["errors"].([]any)
	if len(errs) != 1 || errs[0].(map[string]any)["message"] != msg {
		t.Fatalf("errors %s, want %q", res.Body, msg)
	}
}

func catCount(t *testing.T, e *resttest.Env, query string, args ...any) int {
	t.Helper()
	var n int
	if err := e.DB.QueryRow(query, args...).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

const (
	catRegion     = "reg_01GQLEU0000000000000000000"
	catCollection = "pcol_01GQLBASICS00000000000000"
)

// catFixtures adds a region (EU, eur) and a collection and returns the default sales channel.
func catFixtures(t *testing.T, e *resttest.Env) (channel string) {
	t.Helper()
	catExec(t, e, `INSERT INTO region (id, name, currency_code, tax_rate) VALUES ('`+catRegion+`', 'EU', 'eur', 0)`,
		`INSERT INTO product_collection (id, title, handle) VALUES ('`+catCollection+`', 'Basics', 'basics')`)
	if err := e.DB.QueryRow(`SELECT default_sales_channel_id FROM store`).Scan(&channel); err != nil {
		t.Fatal(err)
	}
	return channel
}

const catVariantFields = `id title productId sku barcode ean upc inventoryQuantity allowBackorder manageInventory hsCode
	originCountry midCode material weight length height width createdAt updatedAt deletedAt metadata
	prices { id currencyCode amount minQuantity maxQuantity priceListId variantId regionId createdAt updatedAt }
	options { id value optionId variantId createdAt updatedAt metadata }`

const catProductFields = `id title subtitle description handle isGiftcard status thumbnail weight length height width hsCode
	originCountry midCode material discountable externalId profileId collectionId typeId createdAt updatedAt deletedAt metadata
	variants { ` + catVariantFields + ` }
	options { id title productId createdAt updatedAt metadata values { id value optionId variantId } }
	images { id url createdAt updatedAt metadata }
	tags { id value createdAt updatedAt metadata }
	type { id value createdAt updatedAt metadata }
	collection { id title handle }
	salesChannels { id name description isDisabled }
	profile { id name type }`

var catDefaultProfile = catJ{"id": "$id:sp", "name": "Default Shipping Profile", "type": "DEFAULT"}

func catProduct(over catJ) catJ {
	return catMerge(catJ{"id": "$id:prod", "title": "$string", "subtitle": nil, "description": nil, "handle": "$string",
		"isGiftcard": false, "status": "DRAFT", "thumbnail": nil, "weight": nil, "length": nil, "height": nil, "width": nil,
		"hsCode": nil, "originCountry": nil, "midCode": nil, "material": nil, "discountable": true, "externalId": nil,
		"profileId": "$id:sp", "collectionId": nil, "typeId": nil, "createdAt": "$time", "updatedAt": "$time", "deletedAt": nil,
		"metadata": nil, "variants": []any{}, "options": []any{}, "images": []any{}, "tags": []any{}, "type": nil,
		"collection": nil, "salesChannels": []any{}, "profile": catDefaultProfile}, over)
}

func catVariant(over catJ) catJ {
	return catMerge(catJ{"id": "$id:variant", "title": "$string", "productId": "$id:prod", "sku": nil, "barcode": nil, "ean": nil,
		"upc": nil, "inventoryQuantity": 0, "allowBackorder": false, "manageInventory": true, "hsCode": nil, "originCountry": nil,
		"midCode": nil, "material": nil, "weight": nil, "length": nil, "height": nil, "width": nil, "createdAt": "$time",
		"updatedAt": "$time", "deletedAt": nil, "metadata": nil, "prices": []any{}, "options": []any{}}, over)
}

func catPrice(currency string, amount int, over catJ) catJ {
	return catMerge(catJ{"id": "$id:ma", "currencyCode": currency, "amount": amount, "minQuantity": nil, "maxQuantity": nil,
		"priceListId": nil, "variantId": "$id:variant", "regionId": nil, "createdAt": "$time", "updatedAt": "$time"}, over)
}

func catOptVal(value, option, variant string) catJ {
	return catJ{"id": "$id:optval", "value": value, "optionId": option, "variantId": variant, "createdAt": "$time",
		"updatedAt": "$time", "metadata": nil}
}

func catOption(id, title, product string, values ...catJ) catJ {
	if values == nil {
		values = []catJ{}
	}
	return catJ{"id": id, "title": title, "productId": product, "createdAt": "$time", "updatedAt": "$time", "metadata": nil, "values": values}
}

func catShortVal(value, option, variant string) catJ {
	return catJ{"id": "$id:optval", "value": value, "optionId": option, "variantId": variant}
}

func catImage(url string) catJ {
	return catJ{"id": "$id:img", "url": url, "createdAt": "$time", "updatedAt": "$time", "metadata": nil}
}

func catValue(prefix, value string) catJ {
	return catJ{"id": "$id:" + prefix, "value": value, "createdAt": "$time", "updatedAt": "$time", "metadata": nil}
}

var catBasics = catJ{"id": catCollection, "title": "Basics", "handle": "basics"}

func catChannel(id string) catJ {
	return catJ{"id": id, "name": "Default Sales Channel", "description": "Created by Medusa", "isDisabled": false}
}

const catCreateProduct = `mutation($in: CreateProductInput!) { createProduct(input: $in) { product { ` + catProductFields + ` } userErrors { field message code } } }`

// catFullInput is a createProduct input with every part.
func catFullInput(channel string) catJ {
	return catJ{
		"title": "Classic T-Shirt", "subtitle": "sub", "description": "desc",
		"images":       []string{"https://img.test/a.png", "https://img.test/b.png"},
		"tags":         []catJ{{"value": "cotton"}, {"value": "summer"}},
		"type":         catJ{"value": "Shirt"},
		"collectionId": catCollection,
		"options":      []catJ{{"title": "Size"}, {"title": "Color"}},
		"variants": []catJ{
			{"title": "S / Red", "sku": "TS-S-R", "inventoryQuantity": 3, "allowBackorder": true,
				"prices":  []catJ{{"amount": 1000, "currencyCode": "USD"}, {"amount": 900, "regionId": catRegion, "minQuantity": 2}},
				"options": []catJ{{"value": "S"}, {"value": "Red"}}},
			{"title": "M / Red", "prices": []catJ{{"amount": 1100, "currencyCode": "eur", "minQuantity": 1, "maxQuantity": 5}},
				"options": []catJ{{"value": "M"}, {"value": "Red"}}, "metadata": catJ{"a": 1}},
		},
		"weight": 100, "metadata": catJ{"k": "v"}, "salesChannelIds": []string{channel},
	}
}

// catFullProduct is the product catFullInput creates.
func catFullProduct(id, o1, o2, v1, v2, channel string) catJ {
	return catProduct(catJ{
		"id": id, "title": "Classic T-Shirt", "subtitle": "sub", "description": "desc", "handle": "classic-t-shirt",
		"thumbnail": "https://img.test/a.png", "weight": 100, "collectionId": catCollection, "typeId": "$id:ptyp",
		"metadata": catJ{"k": "v"},
		"variants": []any{
			catVariant(catJ{"id": v1, "title": "S / Red", "productId": id, "sku": "TS-S-R", "inventoryQuantity": 3, "allowBackorder": true,
				"prices":  []any{catPrice("usd", 1000, catJ{"variantId": v1}), catPrice("eur", 900, catJ{"variantId": v1, "regionId": catRegion})},
				"options": []any{catOptVal("S", o1, v1), catOptVal("Red", o2, v1)}}),
			catVariant(catJ{"id": v2, "title": "M / Red", "productId": id, "metadata": catJ{"a": 1},
				"prices":  []any{catPrice("eur", 1100, catJ{"variantId": v2, "minQuantity": 1, "maxQuantity": 5})},
				"options": []any{catOptVal("M", o1, v2), catOptVal("Red", o2, v2)}}),
		},
		"options": []any{catOption(o1, "Size", id, catShortVal("S", o1, v1), catShortVal("M", o1, v2)),
			catOption(o2, "Color", id, catShortVal("Red", o2, v1), catShortVal("Red", o2, v2))},
		"images":        []any{catImage("https://img.test/a.png"), catImage("https://img.test/b.png")},
		"tags":          []any{catValue("ptag", "cotton"), catValue("ptag", "summer")},
		"type":          catValue("ptyp", "Shirt"),
		"collection":    catBasics,
		"salesChannels": []any{catChannel(channel)},
	})
}

func catUE(field any, msg, code string) catJ {
	return catJ{"field": field, "message": msg, "code": code}
}

func TestProductsGraphQL(t *testing.T) {
	t.Parallel()
	e := resttest.New(t)
	channel := catFixtures(t, e)

	res := gql(e, catCreateProduct, catJ{"in": catFullInput(channel)})
	id, o1, o2 := catStr(t, res, "createProduct.product.id"), catStr(t, res, "createProduct.product.options.0.id"), catStr(t, res, "createProduct.product.options.1.id")
	v1, v2 := catStr(t, res, "createProduct.product.variants.0.id"), catStr(t, res, "createProduct.product.variants.1.id")
	full := catFullProduct(id, o1, o2, v1, v2, channel)
	res.Expect(t, 200, catData(catJ{"createProduct": catJ{"product": full, "userErrors": []any{}}}))

	// Read back by id and as a node: the same product, field by field.
	gql(e, `query($id: ID!) { product(id: $id) { `+catProductFields+` } node(id: $id) { id ... on Product { `+catProductFields+` } } }`,
		catJ{"id": id}).Expect(t, 200, catData(catJ{"product": full, "node": full}))
	gql(e, `{ product(id: "prod_missing") { id } node(id: "prod_missing") { id } }`, nil).Expect(t, 200,
		`{"data":{"product":null,"node":null}}`)

	// Bad input: a userError each, nothing created.
	bad := func(over catJ) catJ { return catMerge(catFullInput(channel), over) }
	for _, c := range []struct {
		in catJ
		ue catJ
	}{
		{bad(catJ{"variants": []catJ{{"title": "X", "prices": []catJ{{"amount": 1, "currencyCode": "usd", "regionId": catRegion}}}}}),
			catUE([]string{"variants"}, `Failed XOR relation between "region_id" and "currency_code".`, "INVALID_DATA")},
		{bad(catJ{"salesChannelIds": []string{"sc_missing"}}),
			catUE([]string{"salesChannelIds"}, "Sales Channels sc_missing do not exist", "INVALID_DATA")},
		{bad(catJ{"handle": "classic-t-shirt"}), catUE(nil, "Product with handle classic-t-shirt already exists.", "DUPLICATE_ERROR")},
		{bad(catJ{"title": "Other"}), catUE(nil, "Product_variant with sku TS-S-R already exists.", "DUPLICATE_ERROR")},
		{bad(catJ{"handle": "other", "collectionId": "pcol_missing"}),
			catUE(nil, "Product_collection with collection_id pcol_missing does not exist.", "NOT_FOUND")},
		{bad(catJ{"handle": "other", "variants": []catJ{{"title": "X", "prices": []catJ{}, "options": []catJ{{"value": "S"}}}}}),
			catUE(nil, "Product options length does not match variant options length. Product has 2 and variant has 1.", "INVALID_DATA")},
	} {
		gql(e, catCreateProduct, catJ{"in": c.in}).Expect(t, 200, catData(catJ{"createProduct": catJ{"product": nil, "userErrors": []any{c.ue}}}))
	}
	if n := catCount(t, e, `SELECT count(*) FROM product`); n != 1 {
		t.Fatalf("%d products", n)
	}
	gql(e, catCreateProduct, catJ{"in": catJ{"title": "x", "status": "GONE"}}).Expect(t, 422, `{"errors":[{"message":"GONE is not a valid ProductStatus",
		"path":["variable","in","status"],"extensions":{"code":"GRAPHQL_VALIDATION_FAILED"}}],"data":null}`)

	// Update: scalars, nulls clear, tags and sales channels replaced, type removed, metadata merged,
	// variants: v1 kept (its prices replaced: the region price goes), v2 deleted, one created.
	update := `mutation($id: ID!, $in: UpdateProductInput!) { updateProduct(id: $id, input: $in) { product { ` + catProductFields + ` } userErrors { field message code } } }`
	res = gql(e, update, catJ{"id": id, "in": catJ{"title": "Classic Tee", "subtitle": nil, "status": "PUBLISHED", "type": nil,
		"tags": []catJ{{"value": "cotton"}, {"value": "winter"}}, "salesChannelIds": []string{}, "metadata": catJ{"n": 1},
		"images": []string{"https://img.test/b.png"}, "material": "cotton",
		"variants": []catJ{
			{"id": v1, "title": "S / Red!", "sku": nil, "prices": []catJ{{"currencyCode": "usd", "amount": 1200}}},
			{"title": "L / Red", "prices": []catJ{{"currencyCode": "usd", "amount": 1300}}, "options": []catJ{{"optionId": o1, "value": "L"}, {"optionId": o2, "value": "Red"}}},
		}}})
	v3 := catStr(t, res, "updateProduct.product.variants.1.id")
	updated := catMerge(catFullProduct(id, o1, o2, v1, v2, channel), catJ{
		"title": "Classic Tee", "subtitle": nil, "status": "PUBLISHED", "typeId": nil, "type": nil, "material": "cotton",
		"metadata": catJ{"k": "v", "n": 1}, "salesChannels": []any{},
		"images": []any{catImage("https://img.test/b.png")},
		"tags":   []any{catValue("ptag", "cotton"), catValue("ptag", "winter")},
		"variants": []any{
			catVariant(catJ{"id": v1, "title": "S / Red!", "productId": id, "inventoryQuantity": 3, "allowBackorder": true,
				"prices": []any{catPrice("usd", 1200, catJ{"variantId": v1})}, "options": []any{catOptVal("S", o1, v1), catOptVal("Red", o2, v1)}}),
			catVariant(catJ{"id": v3, "title": "L / Red", "productId": id, "prices": []any{catPrice("usd", 1300, catJ{"variantId": v3})},
				"options": []any{catOptVal("L", o1, v3), catOptVal("Red", o2, v3)}}),
		},
		"options": []any{catOption(o1, "Size", id, catShortVal("S", o1, v1), catShortVal("L", o1, v3)),
			catOption(o2, "Color", id, catShortVal("Red", o2, v1), catShortVal("Red", o2, v3))},
	})
	res.Expect(t, 200, catData(catJ{"updateProduct": catJ{"product": updated, "userErrors": []any{}}}))
	// The deleted variant is gone from reads.
	gql(e, `query($id: ID!) { variant(id: $id) { id } node(id: $id) { id } }`, catJ{"id": v2}).Expect(t, 200, `{"data":{"variant":null,"node":null}}`)

	// Bad updates change nothing.
	for _, c := range []struct {
		id string
		in catJ
		ue catJ
	}{
		{"prod_missing", catJ{"title": "x"}, catUE(nil, "Product with id: prod_missing was not found", "NOT_FOUND")},
		{id, catJ{"title": "x", "variants": []catJ{{"id": "variant_missing"}}},
			catUE(nil, "Variant with id: variant_missing is not associated with this product", "NOT_FOUND")},
		{id, catJ{"title": "x", "variants": []catJ{{"id": v1, "prices": []catJ{{"amount": 1}}}}},
			catUE([]string{"variants"}, `Failed XOR relation between "region_id" and "currency_code".`, "INVALID_DATA")},
		{id, catJ{"title": "x", "salesChannelIds": []string{"sc_missing"}},
			catUE([]string{"salesChannelIds"}, "Sales Channels sc_missing do not exist", "INVALID_DATA")},
	} {
		gql(e, update, catJ{"id": c.id, "in": c.in}).Expect(t, 200, catData(catJ{"updateProduct": catJ{"product": nil, "userErrors": []any{c.ue}}}))
	}
	gql(e, `query($id: ID!) { product(id: $id) { `+catProductFields+` } }`, catJ{"id": id}).Expect(t, 200, catData(catJ{"product": updated}))

	// Delete: the product and its variants are gone; deleting again succeeds (idempotent).
	del := `mutation($id: ID!) { deleteProduct(id: $id) { deletedId userErrors { field message code } } }`
	gql(e, del, catJ{"id": id}).Expect(t, 200, catData(catJ{"deleteProduct": catJ{"deletedId": id, "userErrors": []any{}}}))
	gql(e, del, catJ{"id": id}).Expect(t, 200, catData(catJ{"deleteProduct": catJ{"deletedId": id, "userErrors": []any{}}}))
	gql(e, `query($id: ID!, $v: ID!) { product(id: $id) { id } variant(id: $v) { id } products { totalCount } }`, catJ{"id": id, "v": v1}).
		Expect(t, 200, `{"data":{"product":null,"variant":null,"products":{"totalCount":0}}}`)
	// The deletedAt filter lists it, without its (deleted) variants.
	gql(e, `{ products(filter: {deletedAt: {gt: "2000-01-01T00:00:00Z"}}) { totalCount nodes { id deletedAt variants { id } } } }`, nil).
		Expect(t, 200, catData(catJ{"products": catJ{"totalCount": 1, "nodes": []any{catJ{"id": id, "deletedAt": "$time", "variants": []any{}}}}}))
}

func TestProductOptionsAndVariantsGraphQL(t *testing.T) {
	t.Parallel()
	e := resttest.New(t)
	res := gql(e, catCreateProduct, catJ{"in": catJ{"title": "Hoodie", "options": []catJ{{"title": "Size"}},
		"variants": []catJ{{"title": "S", "prices": []catJ{{"currencyCode": "usd", "amount": 100}}, "options": []catJ{{"value": "S"}}}}}})
	id, o1, v1 := catStr(t, res, "createProduct.product.id"), catStr(t, res, "createProduct.product.options.0.id"), catStr(t, res, "createProduct.product.variants.0.id")

	const short = `id options { id title values { value variantId } } variants { id title sku inventoryQuantity prices { currencyCode amount regionId } options { value optionId } }`
	payload := func(name string, product any, ue ...catJ) string {
		if ue == nil {
			ue = []catJ{}
		}
		return catData(catJ{name: catJ{"product": product, "userErrors": ue}})
	}

	// Options: add (every variant gets "Default Value"), rename, refuse a duplicate title.
	addOption := `mutation($id: ID!, $title: String!) { createProductOption(productId: $id, input: {title: $title}) { product { ` + short + ` } userErrors { field message code } } }`
	res = gql(e, addOption, catJ{"id": id, "title": "Color"})
	o2 := catStr(t, res, "createProductOption.product.options.1.id")
	v1Prices := []any{catJ{"currencyCode": "usd", "amount": 100, "regionId": nil}}
	withOptions := func(title2 string, variants ...any) catJ {
		return catJ{"id": id, "options": []any{
			catJ{"id": o1, "title": "Size", "values": valuesOf(variants, o1)},
			catJ{"id": o2, "title": title2, "values": valuesOf(variants, o2)}}, "variants": variants}
	}
	variant1 := catJ{"id": v1, "title": "S", "sku": nil, "inventoryQuantity": 0, "prices": v1Prices,
		"options": []any{catJ{"value": "S", "optionId": o1}, catJ{"value": "Default Value", "optionId": o2}}}
	res.Expect(t, 200, payload("createProductOption", withOptions("Color", variant1)))
	gql(e, addOption, catJ{"id": id, "title": "Color"}).Expect(t, 200,
		payload("createProductOption", nil, catUE(nil, "An option with the title: Color already exists", "DUPLICATE_ERROR")))
	gql(e, addOption, catJ{"id": "prod_missing", "title": "X"}).Expect(t, 200,
		payload("createProductOption", nil, catUE(nil, "Product with id: prod_missing was not found", "NOT_FOUND")))
	updOption := `mutation($id: ID!, $o: ID!, $title: String!) { updateProductOption(productId: $id, optionId: $o, input: {title: $title}) { product { ` + short + ` } userErrors { field message code } } }`
	gql(e, updOption, catJ{"id": id, "o": o2, "title": "Colour"}).Expect(t, 200, payload("updateProductOption", withOptions("Colour", variant1)))
	gql(e, updOption, catJ{"id": id, "o": o2, "title": "size"}).Expect(t, 200,
		payload("updateProductOption", nil, catUE(nil, "An option with title size already exists", "NOT_FOUND")))

	// Variants: add one (a duplicate of an existing one's values is refused), update, delete.
	addVariant := `mutation($id: ID!, $in: CreateProductVariantInput!) { createProductVariant(productId: $id, input: $in) { product { ` + short + ` } userErrors { field message code } } }`
	in := catJ{"title": "M", "sku": "H-M", "inventoryQuantity": 5, "prices": []catJ{{"regionId": nil, "currencyCode": "eur", "amount": 200}},
		"options": []catJ{{"optionId": o1, "value": "M"}, {"optionId": o2, "value": "Default Value"}}}
	res = gql(e, addVariant, catJ{"id": id, "in": in})
	v2 := catStr(t, res, "createProductVariant.product.variants.1.id")
	variant2 := catJ{"id": v2, "title": "M", "sku": "H-M", "inventoryQuantity": 5, "prices": []any{catJ{"currencyCode": "eur", "amount": 200, "regionId": nil}},
		"options": []any{catJ{"value": "M", "optionId": o1}, catJ{"value": "Default Value", "optionId": o2}}}
	res.Expect(t, 200, payload("createProductVariant", withOptions("Colour", variant1, variant2)))
	gql(e, addVariant, catJ{"id": id, "in": catMerge(in, catJ{"sku": "H-M2"})}).Expect(t, 200,
		payload("createProductVariant", nil, catUE(nil, "Variant with title M with provided options already exists", "DUPLICATE_ERROR")))
	gql(e, addVariant, catJ{"id": id, "in": catMerge(in, catJ{"sku": "H-M2", "options": []catJ{{"optionId": o1, "value": "L"}}})}).Expect(t, 200,
		payload("createProductVariant", nil, catUE(nil, "Product options length does not match variant options length. Product has 2 and variant has 1.", "INVALID_DATA")))
	gql(e, addVariant, catJ{"id": id, "in": catMerge(in, catJ{"prices": []catJ{{"amount": 1}}})}).Expect(t, 200,
		payload("createProductVariant", nil, catUE([]string{"prices"}, `Failed XOR relation between "region_id" and "currency_code".`, "INVALID_DATA")))

	updVariant := `mutation($id: ID!, $v: ID!, $in: UpdateProductVariantInput!) { updateProductVariant(productId: $id, variantId: $v, input: $in) { product { ` + short + ` } userErrors { field message code } } }`
	variant2 = catMerge(variant2, catJ{"sku": nil, "inventoryQuantity": 7, "prices": []any{catJ{"currencyCode": "eur", "amount": 250, "regionId": nil}},
		"options": []any{catJ{"value": "M", "optionId": o1}, catJ{"value": "Grey", "optionId": o2}}})
	gql(e, updVariant, catJ{"id": id, "v": v2, "in": catJ{"sku": nil, "inventoryQuantity": 7, "prices": []catJ{{"currencyCode": "eur", "amount": 250}},
		"options": []catJ{{"optionId": o2, "value": "Grey"}}}}).Expect(t, 200, payload("updateProductVariant", withOptions("Colour", variant1, variant2)))
	gql(e, updVariant, catJ{"id": id, "v": "variant_missing", "in": catJ{"title": "x"}}).Expect(t, 200,
		payload("updateProductVariant", nil, catUE(nil, "Variant with id: variant_missing was not found", "NOT_FOUND")))
	gql(e, updVariant, catJ{"id": id, "v": v2, "in": catJ{"title": "x", "options": []catJ{{"optionId": "opt_missing", "value": "x"}}}}).Expect(t, 200,
		payload("updateProductVariant", nil, catUE(nil, "Product option value not found", "NOT_FOUND")))

	// An option the variants differ by cannot be deleted; one they share can.
	delOption := `mutation($id: ID!, $o: ID!) { deleteProductOption(productId: $id, optionId: $o) { deletedId product { ` + short + ` } userErrors { field message code } } }`
	gql(e, delOption, catJ{"id": id, "o": o1}).Expect(t, 200, catData(catJ{"deleteProductOption": catJ{"deletedId": nil, "product": nil, "userErrors": []any{
		catUE(nil, "To delete an option, first delete all variants, such that when an option is deleted, no duplicate variants will exist.", "INVALID_DATA")}}}))
	delVariant := `mutation($id: ID!, $v: ID!) { deleteProductVariant(productId: $id, variantId: $v) { deletedId product { ` + short + ` } userErrors { field message code } } }`
	res = gql(e, delVariant, catJ{"id": id, "v": v2})
	res.Expect(t, 200, catData(catJ{"deleteProductVariant": catJ{"deletedId": v2, "product": withOptions("Colour", variant1), "userErrors": []any{}}}))
	gql(e, delVariant, catJ{"id": "prod_missing", "v": v1}).Expect(t, 200, catData(catJ{"deleteProductVariant": catJ{"deletedId": nil, "product": nil,
		"userErrors": []any{catUE(nil, "Product with id: prod_missing was not found", "NOT_FOUND")}}}))
	// Deleting the option keeps the variant's value for it, as Medusa does.
	gql(e, delOption, catJ{"id": id, "o": o2}).Expect(t, 200, catData(catJ{"deleteProductOption": catJ{"deletedId": o2, "userErrors": []any{},
		"product": catJ{"id": id, "options": []any{catJ{"id": o1, "title": "Size", "values": []any{catJ{"value": "S", "variantId": v1}}}},
			"variants": []any{variant1}}}}))
	gql(e, `query($o: ID!) { node(id: $o) { id } }`, catJ{"o": o2}).Expect(t, 200, `{"data":{"node":null}}`)
}

// valuesOf lists the values of option o over variants (as short option values).
func valuesOf(variants []any, o string) []any {
	out := []any{}
	for _, v := range variants {
		vm := v.(catJ)
		for _, ov := range vm["options"].([]any) {
			if ov.(catJ)["optionId"] == o {
				out = append(out, catJ{"value": ov.(catJ)["value"], "variantId": vm["id"]})
			}
		}
	}
	return out
}

// catSeed creates products through the API: title, status, tags, type, collection, gift card.
func catSeed(t *testing.T, e *resttest.Env, in catJ) (id string, variants []string) {
	t.Helper()
	res := gql(e, `mutation($in: CreateProductInput!) { createProduct(input: $in) { product { id variants { id } } userErrors { message } } }`, catJ{"in": in})
	id = catStr(t, res, "createProduct.product.id")
	for i := range res.JSON(t)["data"].(map[string]any)["createProduct"].(map[string]any)["product"].(map[string]any)["variants"].([]any) {
		variants = append(variants, catStr(t, res, fmt.Sprintf("createProduct.product.variants.%d.id", i)))
	}
	return id, variants
}

func TestProductListsGraphQL(t *testing.T) {
	t.Parallel()
	e := resttest.New(t)
	channel := catFixtures(t, e)
	a, av := catSeed(t, e, catJ{"title": "Alpha Shirt", "status": "PUBLISHED", "tags": []catJ{{"value": "red"}}, "type": catJ{"value": "Shirt"},
		"collectionId": catCollection, "salesChannelIds": []string{channel},
		"variants": []catJ{{"title": "Small", "sku": "ALPHA-S", "prices": []catJ{{"currencyCode": "usd", "amount": 10}}}}})
	b, _ := catSeed(t, e, catJ{"title": "Beta Mug", "description": "ceramic", "tags": []catJ{{"value": "red"}, {"value": "blue"}}, "type": catJ{"value": "Mug"}})
	c, _ := catSeed(t, e, catJ{"title": "Gift Card", "isGiftcard": true, "handle": "gift"})
	var redTag, blueTag, shirtType, mugType string
	for _, q := range []struct {
		dst *string
		sql string
	}{{&redTag, `SELECT id FROM product_tag WHERE value = 'red'`}, {&blueTag, `SELECT id FROM product_tag WHERE value = 'blue'`},
		{&shirtType, `SELECT id FROM product_type WHERE value = 'Shirt'`}, {&mugType, `SELECT id FROM product_type WHERE value = 'Mug'`}} {
		if err := e.DB.QueryRow(q.sql).Scan(q.dst); err != nil {
			t.Fatal(err)
		}
	}

	list := `query($f: ProductFilter, $o: ProductOrder, $first: Int, $after: String) { products(filter: $f, orderBy: $o, first: $first, after: $after) {
		totalCount pageInfo { hasNextPage hasPreviousPage startCursor endCursor } edges { cursor node { id } } nodes { id title } } }`
	ids := func(ids ...string) []any {
		out := []any{}
		for _, id := range ids {
			out = append(out, catJ{"id": id})
		}
		return out
	}
	expectIDs := func(f catJ, o catJ, want ...string) {
		t.Helper()
		res := gql(e, `query($f: ProductFilter, $o: ProductOrder) { products(filter: $f, orderBy: $o) { totalCount nodes { id } } }`, catJ{"f": f, "o": o})
		res.Expect(t, 200, catData(catJ{"products": catJ{"totalCount": len(want), "nodes": ids(want...)}}))
	}
	// Newest first by default; every REST filter.
	expectIDs(nil, nil, c, b, a)
	expectIDs(catJ{"q": "shirt"}, nil, a)
	expectIDs(catJ{"q": "alpha-s"}, nil, a) // a variant's sku
	expectIDs(catJ{"q": "CERAMIC"}, nil, b)
	expectIDs(catJ{"q": "basics"}, nil, a) // the collection's title
	expectIDs(catJ{"ids": []string{a, c}}, nil, c, a)
	expectIDs(catJ{"ids": []string{}}, nil)
	expectIDs(catJ{"status": []string{"PUBLISHED"}}, nil, a)
	expectIDs(catJ{"status": []string{"DRAFT", "PROPOSED"}}, nil, c, b)
	expectIDs(catJ{"collectionIds": []string{catCollection}}, nil, a)
	expectIDs(catJ{"tags": []string{redTag}}, nil, b, a)
	expectIDs(catJ{"tags": []string{blueTag}}, nil, b)
	expectIDs(catJ{"typeIds": []string{shirtType, mugType}}, nil, b, a)
	expectIDs(catJ{"typeIds": []string{mugType}}, nil, b)
	expectIDs(catJ{"salesChannelIds": []string{channel}}, nil, a)
	expectIDs(catJ{"title": "Beta Mug"}, nil, b)
	expectIDs(catJ{"description": "ceramic"}, nil, b)
	expectIDs(catJ{"handle": "gift"}, nil, c)
	expectIDs(catJ{"isGiftcard": true}, nil, c)
	expectIDs(catJ{"isGiftcard": false, "tags": []string{redTag}, "typeIds": []string{shirtType}}, nil, a)
	expectIDs(catJ{"createdAt": catJ{"gt": "2000-01-01T00:00:00Z"}, "updatedAt": catJ{"lt": "2999-01-01T00:00:00Z"}}, nil, c, b, a)
	expectIDs(catJ{"createdAt": catJ{"lte": "2000-01-01T00:00:00Z"}}, nil)
	expectIDs(catJ{"priceListIds": []string{"pl_none"}}, nil)
	expectIDs(nil, catJ{"field": "TITLE"}, a, b, c)
	expectIDs(nil, catJ{"field": "TITLE", "direction": "DESC"}, c, b, a)
	expectIDs(nil, catJ{"field": "CREATED_AT", "direction": "ASC"}, a, b, c)

	// Paging with cursors.
	res := gql(e, list, catJ{"first": 2})
	res.Expect(t, 200, catData(catJ{"products": catJ{"totalCount": 3,
		"pageInfo": catJ{"hasNextPage": true, "hasPreviousPage": false, "startCursor": "$string", "endCursor": "$string"},
		"edges":    []any{catJ{"cursor": "$string", "node": catJ{"id": c}}, catJ{"cursor": "$string", "node": catJ{"id": b}}},
		"nodes":    []any{catJ{"id": c, "title": "Gift Card"}, catJ{"id": b, "title": "Beta Mug"}}}}))
	gql(e, list, catJ{"first": 2, "after": catStr(t, res, "products.pageInfo.endCursor")}).Expect(t, 200, catData(catJ{"products": catJ{"totalCount": 3,
		"pageInfo": catJ{"hasNextPage": false, "hasPreviousPage": true, "startCursor": "$string", "endCursor": "$string"},
		"edges":    []any{catJ{"cursor": "$string", "node": catJ{"id": a}}}, "nodes": []any{catJ{"id": a, "title": "Alpha Shirt"}}}}))
	gql(e, list, catJ{"first": 0}).Expect(t, 200, catData(catJ{"products": catJ{"totalCount": 3,
		"pageInfo": catJ{"hasNextPage": true, "hasPreviousPage": false, "startCursor": nil, "endCursor": nil}, "edges": []any{}, "nodes": []any{}}}))
	catError(t, gql(e, list, catJ{"first": -1}), "first must be between 0 and 1000")

	// Variants: all (oldest first, q over title, sku and product title), or one product's.
	variants := `query($q: String, $p: ID, $first: Int) { variants(q: $q, productId: $p, first: $first) { totalCount nodes { id title sku product { id title } prices { amount } options { value } } } }`
	alphaSmall := catJ{"id": av[0], "title": "Small", "sku": "ALPHA-S", "product": catJ{"id": a, "title": "Alpha Shirt"},
		"prices": []any{catJ{"amount": 10}}, "options": []any{}}
	for _, vars := range []catJ{{}, {"q": "alpha"}, {"q": "small"}, {"q": "ALPHA-S"}, {"p": a}} {
		gql(e, variants, vars).Expect(t, 200, catData(catJ{"variants": catJ{"totalCount": 1, "nodes": []any{alphaSmall}}}))
	}
	gql(e, variants, catJ{"q": "nothing"}).Expect(t, 200, catData(catJ{"variants": catJ{"totalCount": 0, "nodes": []any{}}}))
	gql(e, variants, catJ{"first": 0}).Expect(t, 200, catData(catJ{"variants": catJ{"totalCount": 1, "nodes": []any{}}}))
	catError(t, gql(e, variants, catJ{"q": "x", "p": a}), "q and productId do not combine")
	gql(e, `query($id: ID!) { variant(id: $id) { id title } node(id: $id) { id ... on ProductVariant { sku } } }`, catJ{"id": av[0]}).
		Expect(t, 200, catData(catJ{"variant": catJ{"id": av[0], "title": "Small"}, "node": catJ{"id": av[0], "sku": "ALPHA-S"}}))

	// Tags and types: in stored order, filtered; the tag usage; nodes.
	tag := func(id, v string) catJ { return catJ{"id": id, "value": v} }
	gql(e, `{ productTags { totalCount nodes { id value } } productTypes { totalCount nodes { id value } } }`, nil).Expect(t, 200, catData(catJ{
		"productTags":  catJ{"totalCount": 2, "nodes": []any{tag(redTag, "red"), tag(blueTag, "blue")}},
		"productTypes": catJ{"totalCount": 2, "nodes": []any{tag(shirtType, "Shirt"), tag(mugType, "Mug")}}}))
	gql(e, `query($r: ID!) { a: productTags(filter: {q: "BL"}) { totalCount nodes { value } } b: productTags(filter: {ids: [$r]}) { nodes { value } }
		c: productTypes(filter: {values: ["Mug"], createdAt: {gt: "2000-01-01T00:00:00Z"}}) { nodes { value } } d: productTags(first: 1, after: null) { totalCount pageInfo { hasNextPage } nodes { value } } }`,
		catJ{"r": redTag}).Expect(t, 200, catData(catJ{"a": catJ{"totalCount": 1, "nodes": []any{catJ{"value": "blue"}}}, "b": catJ{"nodes": []any{catJ{"value": "red"}}},
		"c": catJ{"nodes": []any{catJ{"value": "Mug"}}}, "d": catJ{"totalCount": 2, "pageInfo": catJ{"hasNextPage": true}, "nodes": []any{catJ{"value": "red"}}}}))
	gql(e, `{ productTagUsage { id value usageCount } }`, nil).Expect(t, 200, catData(catJ{"productTagUsage": []any{
		catJ{"id": redTag, "value": "red", "usageCount": 2}, catJ{"id": blueTag, "value": "blue", "usageCount": 1}}}))
	gql(e, `query($t: ID!, $y: ID!) { t: node(id: $t) { id ... on ProductTag { value } } y: node(id: $y) { id ... on ProductType { value } } }`,
		catJ{"t": blueTag, "y": mugType}).Expect(t, 200, catData(catJ{"t": catJ{"id": blueTag, "value": "blue"}, "y": catJ{"id": mugType, "value": "Mug"}}))

	// Nodes of the other catalog types, and the shipping profile.
	res = gql(e, `query($id: ID!) { product(id: $id) { images { id } options { id } profile { id } variants { id prices { id } options { id } } } }`, catJ{"id": a})
	profile := catStr(t, res, "product.profile.id")
	price := catStr(t, res, "product.variants.0.prices.0.id")
	gql(e, `query($p: ID!, $ma: ID!) { p: node(id: $p) { id ... on ShippingProfile { name type } } ma: node(id: $ma) { id ... on MoneyAmount { amount variant { id } } } }`,
		catJ{"p": profile, "ma": price}).Expect(t, 200, catData(catJ{"p": catJ{"id": profile, "name": "Default Shipping Profile", "type": "DEFAULT"},
		"ma": catJ{"id": price, "amount": 10, "variant": catJ{"id": av[0]}}}))
	gql(e, `query($id: ID!) { product(id: $id) { profile { name type } } }`, catJ{"id": c}).Expect(t, 200,
		catData(catJ{"product": catJ{"profile": catJ{"name": "Gift Card Profile", "type": "GIFT_CARD"}}}))
}

// The option, option value and image nodes, and an option value's option.
func TestProductPartNodesGraphQL(t *testing.T) {
	t.Parallel()
	e := resttest.New(t)
	res := gql(e, catCreateProduct, catJ{"in": catJ{"title": "Cap", "images": []string{"https://img.test/cap.png"}, "options": []catJ{{"title": "Size"}},
		"variants": []catJ{{"title": "One", "prices": []catJ{}, "options": []catJ{{"value": "OS"}}}}}})
	o, img := catStr(t, res, "createProduct.product.options.0.id"), catStr(t, res, "createProduct.product.images.0.id")
	ov := catStr(t, res, "createProduct.product.variants.0.options.0.id")
	gql(e, `query($o: ID!, $ov: ID!, $img: ID!) { o: node(id: $o) { id ... on ProductOption { title } }
		ov: node(id: $ov) { id ... on ProductOptionValue { value option { id title } } } img: node(id: $img) { id ... on Image { url } } }`,
		catJ{"o": o, "ov": ov, "img": img}).Expect(t, 200, catData(catJ{"o": catJ{"id": o, "title": "Size"},
		"ov": catJ{"id": ov, "value": "OS", "option": catJ{"id": o, "title": "Size"}}, "img": catJ{"id": img, "url": "https://img.test/cap.png"}}))
}

// The operations of a batched request share the request's loaders: a mutation empties their
// caches, so a later read sees what it changed.
func TestCatalogReadAfterWriteInBatch(t *testing.T) {
	t.Parallel()
	e := resttest.New(t)
	p, vs := catSeed(t, e, catJ{"title": "Mug", "variants": []catJ{{"title": "Small", "prices": []catJ{{"currencyCode": "usd", "amount": 5}}}}})
	read := map[string]any{"query": `query($v: ID!) { variant(id: $v) { title product { title } prices { amount } } }`, "variables": catJ{"v": vs[0]}}
	e.Do("POST", "/graphql", []map[string]any{
		read,
		{"query": `mutation($p: ID!, $v: ID!) { updateProductVariant(productId: $p, variantId: $v, input: {title: "Large", prices: [{currencyCode: "usd", amount: 7}]}) { userErrors { message } }
			updateProduct(id: $p, input: {title: "Cup"}) { userErrors { message } } }`, "variables": catJ{"p": p, "v": vs[0]}},
		read,
	}).Expect(t, 200, catJSON([]any{
		catJ{"data": catJ{"variant": catJ{"title": "Small", "product": catJ{"title": "Mug"}, "prices": []any{catJ{"amount": 5}}}}},
		catJ{"data": catJ{"updateProductVariant": catJ{"userErrors": []any{}}, "updateProduct": catJ{"userErrors": []any{}}}},
		catJ{"data": catJ{"variant": catJ{"title": "Large", "product": catJ{"title": "Cup"}, "prices": []any{catJ{"amount": 7}}}}},
	}))
}
