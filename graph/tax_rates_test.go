package graph_test

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"testing"

	"github.com/gorgon-commerce/gorgon/rest/resttest"
	"github.com/gorgon-commerce/gorgon/store"
)

const txrFields = `id rate code name regionId createdAt updatedAt metadata region { id name } products(first: 10) { id title }
	productTypes { id value } shippingOptions { id name } productCount productTypeCount shippingOptionCount`

// txrJ is an expected JSON object.
type txrJ = map[string]any

func txrJSON(v any) string {
	b, err := json.Marshal(v)
	if err != nil {
		panic(err)
	}
	return string(b)
}

// txrMerge copies base with over's fields.
func txrMerge(base, over txrJ) txrJ {
	out := txrJ{}
	for k, v := range base {
		out[k] = v
	}
	for k, v := range over {
		out[k] = v
	}
	return out
}

// txrUE is a userError without field.
func txrUE(code, msg string) txrJ { return txrJ{"field": nil, "message": msg, "code": code} }

// txrPayload is a tax rate mutation's answer: the rate, or null with one userError.
func txrPayload(mutation string, rate any, ue txrJ) string {
	if ue != nil {
		return txrJSON(txrJ{"data": txrJ{mutation: txrJ{"taxRate": nil, "userErrors": []any{ue}}}})
	}
	return txrJSON(txrJ{"data": txrJ{mutation: txrJ{"taxRate": rate, "userErrors": []any{}}}})
}

// txrWorld is what the tax rate tests link rates to: two regions, three products (two typed),
// two types, and a shipping option in each region.
type txrWorld struct {
	region, other            string
	products                 [3]string
	shirts, pants            string
	option, otherOption      string
	regionJ, otherJ          txrJ
	productJ                 [3]txrJ
	shirtsJ, pantsJ          txrJ
	optionJ, otherOptionJ    txrJ
	regionName, otherRegName string
}

func txrSetup(t *testing.T, e *resttest.Env) *txrWorld {
	t.Helper()
	ctx := context.Background()
	w := &txrWorld{regionName: "Nordics", otherRegName: "US"}
	for _, r := range []struct {
		name string
		id   *string
	}{{w.regionName, &w.region}, {w.otherRegName, &w.other}} {
		reg, err := e.Store.CreateRegion(ctx, store.CreateRegionInput{Name: r.name, CurrencyCode: "usd", TaxRate: 25,
			PaymentProviders: []string{"manual"}, FulfillmentProviders: []string{"manual"}})
		if err != nil {
			t.Fatal(err)
		}
		*r.id = reg.ID
	}
	w.regionJ, w.otherJ = txrJ{"id": w.region, "name": w.regionName}, txrJ{"id": w.other, "name": w.otherRegName}
	for i, typ := range []string{"Shirts", "Pants", ""} {
		in := store.CreateProductInput{Title: fmt.Sprintf("P%d", i+1)}
		if typ != "" {
			in.Type = &store.ProductTypeInput{Value: typ}
		}
		p, err := e.Store.CreateProduct(ctx, in)
		if err != nil {
			t.Fatal(err)
		}
		w.products[i], w.productJ[i] = p.ID, txrJ{"id": p.ID, "title": in.Title}
		switch typ {
		case "Shirts":
			w.shirts = *p.TypeID
		case "Pants":
			w.pants = *p.TypeID
		}
	}
	w.shirtsJ, w.pantsJ = txrJ{"id": w.shirts, "value": "Shirts"}, txrJ{"id": w.pants, "value": "Pants"}
	amount := 1000
	for _, o := range []struct {
		name, region string
		id           *string
	}{{"Standard", w.region, &w.option}, {"US Standard", w.other, &w.otherOption}} {
		so, err := e.Store.CreateShippingOption(ctx, store.CreateShippingOptionInput{Name: o.name, RegionID: o.region, ProviderID: "manual",
			Data: map[string]any{"id": "manual-fulfillment"}, PriceType: store.PriceTypeFlatRate, Amount: &amount})
		if err != nil {
			t.Fatal(err)
		}
		*o.id = so.ID
	}
	w.optionJ, w.otherOptionJ = txrJ{"id": w.option, "name": "Standard"}, txrJ{"id": w.otherOption, "name": "US Standard"}
	return w
}

// txrGet is a tax rate read with txrFields.
func txrGet(e *resttest.Env, id string) *resttest.Response {
	return gql(e, `query($id: ID!) { taxRate(id: $id) { `+txrFields+` } }`, map[string]any{"id": id})
}

func TestTaxRatesGraphQL(t *testing.T) {
	t.Parallel()
	e := resttest.New(t)
	w := txrSetup(t, e)
	create := `mutation($in: CreateTaxRateInput!) { createTaxRate(input: $in) { taxRate { ` + txrFields + ` } userErrors { field message code } } }`

	// A rate with every link.
	res := gql(e, create, map[string]any{"in": map[string]any{"code": "VAT", "name": "Reduced", "regionId": w.region, "rate": 12.5,
		"products": []string{w.products[0], w.products[1]}, "productTypes": []string{w.shirts}, "shippingOptions": []string{w.option}}})
	full := txrJ{"id": "$id:txr", "rate": 12.5, "code": "VAT", "name": "Reduced", "regionId": w.region, "createdAt": "$time", "updatedAt": "$time",
		"metadata": nil, "region": w.regionJ, "products": []any{w.productJ[0], w.productJ[1]}, "productTypes": []any{w.shirtsJ},
		"shippingOptions": []any{w.optionJ}, "productCount": 2, "productTypeCount": 1, "shippingOptionCount": 1}
	res.Expect(t, 200, txrPayload("createTaxRate", full, nil))
	id := nraString(t, res, "createTaxRate", "taxRate", "id")
	full["id"] = id
	// A code-only rate (no rate, no links) in the other region.
	res = gql(e, create, map[string]any{"in": map[string]any{"code": "EXEMPT", "name": "Exempt", "regionId": w.other}})
	bare := txrJ{"id": "$id:txr", "rate": nil, "code": "EXEMPT", "name": "Exempt", "regionId": w.other, "createdAt": "$time",
		"updatedAt": "$time", "metadata": nil, "region": w.otherJ, "products": []any{}, "productTypes": []any{}, "shippingOptions": []any{},
		"productCount": 0, "productTypeCount": 0, "shippingOptionCount": 0}
	res.Expect(t, 200, txrPayload("createTaxRate", bare, nil))
	bareID := nraString(t, res, "createTaxRate", "taxRate", "id")
	bare["id"] = bareID

	// Bad input: a userError each, and no rate (nor link) created.
	for _, c := range []struct {
		in map[string]any
		ue txrJ
	}{
		{map[string]any{"code": "X", "name": "X", "regionId": "reg_missing"}, txrUE("NOT_FOUND", "Region with reg_missing was not found")},
		{map[string]any{"code": "X", "name": "X", "regionId": w.region, "products": []string{w.products[0], "prod_missing"}},
			txrUE("NOT_FOUND", "Product with id: prod_missing was not found")},
		{map[string]any{"code": "X", "name": "X", "regionId": w.region, "productTypes": []string{"ptyp_missing"}},
			txrUE("NOT_FOUND", "Product with id: ptyp_missing was not found")},
		{map[string]any{"code": "X", "name": "X", "regionId": w.region, "shippingOptions": []string{w.otherOption}},
			txrUE("NOT_ALLOWED", "Shipping Option and Tax Rate must belong to the same Region to be associated. Shipping Option with id: "+
				w.otherOption+" belongs to Region with id: "+w.other+" and Tax Rate with id: $ID belongs to Region with id: "+w.region)},
	} {
		res := gql(e, create, map[string]any{"in": c.in})
		if msg := c.ue["message"].(string); strings.Contains(msg, "$ID") {
			// The new rate's id is in the message: check its shape, then the rest.
			got := res.JSON(t)["data"].(map[string]any)["createTaxRate"].(map[string]any)["userErrors"].([]any)[0].(map[string]any)["message"].(string)
			i := strings.Index(msg, "$ID")
			if len(got) < i+30 || !strings.HasPrefix(got[i:], "txr_") {
				t.Fatalf("message %q", got)
			}
			c.ue["message"] = msg[:i] + got[i:i+30] + msg[i+3:]
		}
		res.Expect(t, 200, txrPayload("createTaxRate", nil, c.ue))
	}
	if n := txrCount(t, e, `SELECT count(*) FROM tax_rate`); n != 2 {
		t.Fatalf("%d tax rates after refused creates, want 2", n)
	}
	if n := txrCount(t, e, `SELECT (SELECT count(*) FROM product_tax_rate) + (SELECT count(*) FROM product_type_tax_rate) + (SELECT count(*) FROM shipping_tax_rate)`); n != 4 {
		t.Fatalf("%d links after refused creates, want 4", n)
	}

	// The list: newest first, with filters mirroring GET /admin/tax-rates.
	list := func(args string, want ...txrJ) {
		t.Helper()
		nodes := make([]any, len(want))
		for i, w := range want {
			nodes[i] = w
		}
		gql(e, `{ taxRates`+args+` { totalCount nodes { `+txrFields+` } } }`, nil).Expect(t, 200,
			txrJSON(txrJ{"data": txrJ{"taxRates": txrJ{"totalCount": len(want), "nodes": nodes}}}))
	}
	list("", bare, full)
	list(`(regionId: "`+w.region+`")`, full)
	list(`(regionId: ["`+w.region+`", "`+w.other+`"])`, bare, full)
	list(`(code: "EXEMPT")`, bare)
	list(`(name: "Reduced")`, full)
	list(`(rate: {eq: 12.5})`, full)
	list(`(rate: {in: [1, 12.5]})`, full)
	list(`(rate: {in: [1, 12.5], eq: 1})`)
	list(`(rate: {gt: 12.5})`)
	list(`(rate: {gte: 12.5, lt: 13})`, full)
	list(`(code: "VAT", name: "Exempt")`)
	res = gql(e, `{ taxRates(first: 1) { totalCount pageInfo { hasNextPage hasPreviousPage endCursor } edges { cursor node { id } } } }`, nil)
	res.Expect(t, 200, txrJSON(txrJ{"data": txrJ{"taxRates": txrJ{"totalCount": 2, "pageInfo": txrJ{"hasNextPage": true, "hasPreviousPage": false,
		"endCursor": "$string"}, "edges": []any{txrJ{"cursor": "$string", "node": txrJ{"id": bareID}}}}}}))
	gql(e, `query($after: String) { taxRates(first: 1, after: $after) { pageInfo { hasNextPage hasPreviousPage } nodes { id } } }`,
		map[string]any{"after": nraString(t, res, "taxRates", "pageInfo", "endCursor")}).Expect(t, 200,
		txrJSON(txrJ{"data": txrJ{"taxRates": txrJ{"pageInfo": txrJ{"hasNextPage": false, "hasPreviousPage": true}, "nodes": []any{txrJ{"id": id}}}}}))

	// By id and as a node; products take a first.
	txrGet(e, id).Expect(t, 200, txrJSON(txrJ{"data": txrJ{"taxRate": full}}))
	gql(e, `query($id: ID!) { node(id: $id) { id ... on TaxRate { name rate products(first: 1) { id } } } }`, map[string]any{"id": id}).Expect(t, 200,
		txrJSON(txrJ{"data": txrJ{"node": txrJ{"id": id, "name": "Reduced", "rate": 12.5, "products": []any{txrJ{"id": w.products[0]}}}}}))
	gql(e, `{ taxRate(id: "txr_missing") { id } node(id: "txr_missing") { id } }`, nil).Expect(t, 200, `{"data":{"taxRate":null,"node":null}}`)

	// Update: null code and rate clear them, a null name keeps it, the lists replace the links.
	update := `mutation($id: ID!, $in: UpdateTaxRateInput!) { updateTaxRate(id: $id, input: $in) { taxRate { ` + txrFields + ` } userErrors { field message code } } }`
	full = txrMerge(full, txrJ{"code": nil, "rate": nil, "products": []any{w.productJ[2]}, "productTypes": []any{w.shirtsJ, w.pantsJ},
		"shippingOptions": []any{}, "productCount": 1, "productTypeCount": 2, "shippingOptionCount": 0})
	gql(e, update, map[string]any{"id": id, "in": map[string]any{"code": nil, "rate": nil, "name": nil,
		"products": []string{w.products[2]}, "productTypes": []string{w.shirts, w.pants}, "shippingOptions": []string{}}}).
		Expect(t, 200, txrPayload("updateTaxRate", full, nil))
	full = txrMerge(full, txrJ{"code": "VAT2", "rate": 0.1, "name": "Tenth"})
	gql(e, update, map[string]any{"id": id, "in": map[string]any{"code": "VAT2", "rate": 0.1, "name": "Tenth"}}).
		Expect(t, 200, txrPayload("updateTaxRate", full, nil))
	for _, c := range []struct {
		id string
		in map[string]any
		ue txrJ
	}{
		{"txr_missing", map[string]any{"name": "X"}, txrUE("NOT_FOUND", "TaxRate with txr_missing was not found")},
		{id, map[string]any{"name": "X", "regionId": "reg_missing"}, txrUE("NOT_FOUND", "Region with reg_missing was not found")},
		{id, map[string]any{"name": "X", "products": []string{"prod_missing"}}, txrUE("NOT_FOUND", "Product with id: prod_missing was not found")},
		{id, map[string]any{"name": "X", "shippingOptions": []string{w.otherOption}}, txrUE("NOT_ALLOWED",
			"Shipping Option and Tax Rate must belong to the same Region to be associated. Shipping Option with id: "+w.otherOption+
				" belongs to Region with id: "+w.other+" and Tax Rate with id: "+id+" belongs to Region with id: "+w.region)},
	} {
		gql(e, update, map[string]any{"id": c.id, "in": c.in}).Expect(t, 200, txrPayload("updateTaxRate", nil, c.ue))
	}
	txrGet(e, id).Expect(t, 200, txrJSON(txrJ{"data": txrJ{"taxRate": full}}))

	// Batches: idempotent adds, removals of links the rate lacks are no change, a bad id rejects
	// the whole batch.
	batch := func(mutation, arg string) string {
		return `mutation($id: ID!, $ids: [ID!]!) { ` + mutation + `(id: $id, ` + arg + `: $ids) { taxRate { ` + txrFields + ` } userErrors { field message code } } }`
	}
	for _, c := range []struct {
		mutation, arg, id string
		ids               []string
		over              txrJ
		ue                txrJ
	}{
		{"addTaxRateProducts", "productIds", id, []string{w.products[0], w.products[2]},
			txrJ{"products": []any{w.productJ[2], w.productJ[0]}, "productCount": 2}, nil},
		{"addTaxRateProducts", "productIds", id, []string{w.products[0]}, nil, nil},
		{"addTaxRateProducts", "productIds", id, []string{w.products[1], "prod_missing"}, nil,
			txrUE("NOT_FOUND", "Product with id: prod_missing was not found")},
		{"addTaxRateProducts", "productIds", "txr_missing", []string{w.products[1]}, nil, txrUE("NOT_FOUND", "TaxRate with txr_missing was not found")},
		{"removeTaxRateProducts", "productIds", id, []string{w.products[2], w.products[1]},
			txrJ{"products": []any{w.productJ[0]}, "productCount": 1}, nil},
		{"removeTaxRateProducts", "productIds", "txr_missing", []string{w.products[0]}, nil, txrUE("NOT_FOUND", "TaxRate with txr_missing was not found")},
		{"removeTaxRateProductTypes", "productTypeIds", id, []string{w.pants}, txrJ{"productTypes": []any{w.shirtsJ}, "productTypeCount": 1}, nil},
		{"removeTaxRateProductTypes", "productTypeIds", "txr_missing", []string{w.shirts}, nil,
			txrUE("NOT_FOUND", "TaxRate with txr_missing was not found")},
		{"addTaxRateProductTypes", "productTypeIds", id, []string{w.pants, w.shirts},
			txrJ{"productTypes": []any{w.shirtsJ, w.pantsJ}, "productTypeCount": 2}, nil},
		{"addTaxRateProductTypes", "productTypeIds", id, []string{"ptyp_missing"}, nil, txrUE("NOT_FOUND", "Product with id: ptyp_missing was not found")},
		{"addTaxRateShippingOptions", "shippingOptionIds", id, []string{w.option}, txrJ{"shippingOptions": []any{w.optionJ}, "shippingOptionCount": 1}, nil},
		{"addTaxRateShippingOptions", "shippingOptionIds", id, []string{w.otherOption}, nil, txrUE("NOT_ALLOWED",
			"Shipping Option and Tax Rate must belong to the same Region to be associated. Shipping Option with id: "+w.otherOption+
				" belongs to Region with id: "+w.other+" and Tax Rate with id: "+id+" belongs to Region with id: "+w.region)},
		{"addTaxRateShippingOptions", "shippingOptionIds", id, []string{"so_missing"}, nil, txrUE("NOT_FOUND", "Shipping Option with so_missing was not found")},
		{"removeTaxRateShippingOptions", "shippingOptionIds", id, []string{w.option, w.otherOption},
			txrJ{"shippingOptions": []any{}, "shippingOptionCount": 0}, nil},
		{"removeTaxRateShippingOptions", "shippingOptionIds", "txr_missing", []string{w.option}, nil,
			txrUE("NOT_FOUND", "TaxRate with txr_missing was not found")},
	} {
		if c.ue != nil {
			gql(e, batch(c.mutation, c.arg), map[string]any{"id": c.id, "ids": c.ids}).Expect(t, 200, txrPayload(c.mutation, nil, c.ue))
			txrGet(e, id).Expect(t, 200, txrJSON(txrJ{"data": txrJ{"taxRate": full}}))
			continue
		}
		full = txrMerge(full, c.over)
		gql(e, batch(c.mutation, c.arg), map[string]any{"id": c.id, "ids": c.ids}).Expect(t, 200, txrPayload(c.mutation, full, nil))
	}

	// Delete: the rate and its links go; deleting a missing rate succeeds, as in Medusa, and
	// changes nothing.
	del := `mutation($id: ID!) { deleteTaxRate(id: $id) { deletedId userErrors { field message code } } }`
	gql(e, del, map[string]any{"id": "txr_missing"}).Expect(t, 200, `{"data":{"deleteTaxRate":{"deletedId":"txr_missing","userErrors":[]}}}`)
	list("", bare, full)
	gql(e, del, map[string]any{"id": id}).Expect(t, 200, `{"data":{"deleteTaxRate":{"deletedId":"`+id+`","userErrors":[]}}}`)
	list("", bare)
	gql(e, `query($id: ID!) { taxRate(id: $id) { id } node(id: $id) { id } }`, map[string]any{"id": id}).Expect(t, 200, `{"data":{"taxRate":null,"node":null}}`)
	if n := txrCount(t, e, `SELECT count(*) FROM product_tax_rate WHERE rate_id = ?`, id); n != 0 {
		t.Fatalf("%d product links left", n)
	}
}

// Links to deleted rows are kept (as Medusa keeps them) but neither listed nor counted.
func TestTaxRateDeletedLinksGraphQL(t *testing.T) {
	t.Parallel()
	e := resttest.New(t)
	w := txrSetup(t, e)
	ctx := context.Background()
	r, err := e.Store.CreateTaxRate(ctx, store.CreateTaxRateInput{Code: strPtr("VAT"), Name: "VAT", RegionID: w.region,
		Products: w.products[:], ShippingOptions: []string{w.option}}, store.Find{})
	if err != nil {
		t.Fatal(err)
	}
	if err := e.Store.DeleteProduct(ctx, w.products[1]); err != nil {
		t.Fatal(err)
	}
	if err := e.Store.DeleteShippingOption(ctx, w.option); err != nil {
		t.Fatal(err)
	}
	txrGet(e, r.ID).Expect(t, 200, txrJSON(txrJ{"data": txrJ{"taxRate": txrJ{"id": r.ID, "rate": nil, "code": "VAT", "name": "VAT",
		"regionId": w.region, "createdAt": "$time", "updatedAt": "$time", "metadata": nil, "region": w.regionJ,
		"products": []any{w.productJ[0], w.productJ[2]}, "productTypes": []any{}, "shippingOptions": []any{},
		"productCount": 2, "productTypeCount": 0, "shippingOptionCount": 0}}}))
	if n := txrCount(t, e, `SELECT count(*) FROM product_tax_rate WHERE rate_id = ?`, r.ID); n != 3 {
		t.Fatalf("%d product links, want 3", n)
	}
}

func txrCount(t *testing.T, e *resttest.Env, sql string, args ...any) int {
	t.Helper()
	var n int
	if err := e.DB.NewRaw(sql, args...).Scan(context.Background(), &n); err != nil {
		t.Fatal(err)
	}
	return n
}

// A page of tax rates with their region, products (and their types), product types, shipping
// options (and their regions) and counts costs the same statements whatever its size.
func TestTaxRatesBatched(t *testing.T) {
	t.Parallel()
	e := resttest.New(t)
	w := txrSetup(t, e)
	ctx := context.Background()
	add := func(from, to int) {
		for i := from; i < to; i++ {
			if _, err := e.Store.CreateTaxRate(ctx, store.CreateTaxRateInput{Code: strPtr(fmt.Sprintf("C%d", i)), Name: fmt.Sprintf("R%d", i),
				RegionID: w.region, Products: []string{w.products[i%3], w.products[(i+1)%3]}, ProductTypes: []string{w.shirts},
				ShippingOptions: []string{w.option}}, store.Find{}); err != nil {
				t.Fatal(err)
			}
		}
	}
	query := func(n int) int64 {
		res := gql(e, `{ taxRates(first: 50) { totalCount nodes { id region { id name countries { iso2 } }
			products(first: 5) { id type { value } } productTypes { id value } shippingOptions { id region { id } profile { id } requirements { id } }
			productCount productTypeCount shippingOptionCount } } }`, nil)
		if res.JSON(t)["data"] == nil {
			t.Fatal(string(res.Body))
		}
		nodes := res.JSON(t)["data"].(map[string]any)["taxRates"].(map[string]any)["nodes"].([]any)
		if len(nodes) != n || strings.Contains(string(res.Body), `"errors"`) {
			t.Fatalf("%d rates, want %d: %s", len(nodes), n, res.Body)
		}
		for _, node := range nodes {
			if got := len(node.(map[string]any)["products"].([]any)); got != 2 {
				t.Fatalf("%d products: %s", got, res.Body)
			}
		}
		return e.Queries
	}
	add(0, 2)
	q2 := query(2)
	add(2, 20)
	if q20 := query(20); q20 != q2 {
		t.Fatalf("20 tax rates cost %d statements, 2 rates %d", q20, q2)
	}
	t.Logf("a page of tax rates with region, products, types, shipping options and counts: %d statements", q2)
}
