package graph_test

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/gorgon-commerce/gorgon/rest/resttest"
	"github.com/gorgon-commerce/gorgon/store"
)

const soFields = `id name regionId profileId providerId priceType amount isReturn adminOnly data createdAt updatedAt metadata
	region { id name } profile { id name type } provider { id isInstalled } requirements { id shippingOptionId type amount }`

const spFields = `id name type createdAt updatedAt metadata products(first: 10) { id title } shippingOptions { id name }`

// shipProfileID is the id of the live shipping profile of a type.
func shipProfileID(t *testing.T, e *resttest.Env, typ string) string {
	t.Helper()
	var id string
	if err := e.DB.NewRaw(`SELECT id FROM shipping_profile WHERE type = ? AND deleted_at IS NULL`, typ).Scan(context.Background(), &id); err != nil {
		t.Fatal(err)
	}
	return id
}

// shipRegion creates a region with the manual providers (or none).
func shipRegion(t *testing.T, e *resttest.Env, name string, providers ...string) string {
	t.Helper()
	r, err := e.Store.CreateRegion(context.Background(), store.CreateRegionInput{Name: name, CurrencyCode: "usd", TaxRate: 25,
		PaymentProviders: providers, FulfillmentProviders: providers})
	if err != nil {
		t.Fatal(err)
	}
	return r.ID
}

// shipPayload is a shipping option or profile mutation's answer: the object (under key), or null
// with one userError.
func shipPayload(mutation, key string, v any, ue txrJ) string {
	if ue != nil {
		return txrJSON(txrJ{"data": txrJ{mutation: txrJ{key: nil, "userErrors": []any{ue}}}})
	}
	return txrJSON(txrJ{"data": txrJ{mutation: txrJ{key: v, "userErrors": []any{}}}})
}

// shipReq is a requirement as soFields shows it.
func shipReq(id, option, typ string, amount int) txrJ {
	return txrJ{"id": id, "shippingOptionId": option, "type": typ, "amount": amount}
}

// shipNodes is a connection's nodes with its total.
func shipNodes(query string, total int, nodes ...txrJ) string {
	list := make([]any, len(nodes))
	for i, n := range nodes {
		list[i] = n
	}
	return txrJSON(txrJ{"data": txrJ{query: txrJ{"totalCount": total, "nodes": list}}})
}

func TestShippingOptionsGraphQL(t *testing.T) {
	t.Parallel()
	e := resttest.New(t)
	region := shipRegion(t, e, "Nordics", "manual")
	bare := shipRegion(t, e, "Bare")
	def := shipProfileID(t, e, "default")
	gift := shipProfileID(t, e, "gift_card")
	regionJ := txrJ{"id": region, "name": "Nordics"}
	defJ := txrJ{"id": def, "name": "Default Shipping Profile", "type": "DEFAULT"}
	giftJ := txrJ{"id": gift, "name": "Gift Card Profile", "type": "GIFT_CARD"}
	manualJ := txrJ{"id": "manual", "isInstalled": true}
	create := `mutation($in: CreateShippingOptionInput!) { createShippingOption(input: $in) { shippingOption { ` + soFields + ` } userErrors { field message code } } }`
	express := func(over map[string]any) map[string]any {
		m := map[string]any{"name": "Express", "regionId": region, "providerId": "manual", "data": map[string]any{"id": "manual-fulfillment"},
			"priceType": "FLAT_RATE", "amount": 100}
		for k, v := range over {
			m[k] = v
		}
		return m
	}

	// An option with everything, then one with the defaults.
	res := gql(e, create, map[string]any{"in": express(map[string]any{"profileId": gift, "isReturn": true, "adminOnly": true,
		"metadata":     map[string]any{"a": 1},
		"requirements": []map[string]any{{"type": "MIN_SUBTOTAL", "amount": 100}, {"type": "MAX_SUBTOTAL", "amount": 5000}}})})
	full := txrJ{"id": "$id:so", "name": "Express", "regionId": region, "profileId": gift, "providerId": "manual", "priceType": "FLAT_RATE",
		"amount": 100, "isReturn": true, "adminOnly": true, "data": txrJ{"id": "manual-fulfillment"}, "createdAt": "$time", "updatedAt": "$time",
		"metadata": txrJ{"a": 1}, "region": regionJ, "profile": giftJ, "provider": manualJ,
		"requirements": []any{shipReq("$id:sor", "$id:so", "MIN_SUBTOTAL", 100), shipReq("$id:sor", "$id:so", "MAX_SUBTOTAL", 5000)}}
	res.Expect(t, 200, shipPayload("createShippingOption", "shippingOption", full, nil))
	id := nraString(t, res, "createShippingOption", "shippingOption", "id")
	reqs := res.JSON(t)["data"].(map[string]any)["createShippingOption"].(map[string]any)["shippingOption"].(map[string]any)["requirements"].([]any)
	minID, maxID := reqs[0].(map[string]any)["id"].(string), reqs[1].(map[string]any)["id"].(string)
	full["id"], full["requirements"] = id, []any{shipReq(minID, id, "MIN_SUBTOTAL", 100), shipReq(maxID, id, "MAX_SUBTOTAL", 5000)}

	res = gql(e, create, map[string]any{"in": map[string]any{"name": "Standard", "regionId": region, "providerId": "manual", "data": map[string]any{},
		"priceType": "FLAT_RATE", "amount": 0}})
	std := txrJ{"id": "$id:so", "name": "Standard", "regionId": region, "profileId": def, "providerId": "manual", "priceType": "FLAT_RATE",
		"amount": 0, "isReturn": false, "adminOnly": false, "data": txrJ{}, "createdAt": "$time", "updatedAt": "$time", "metadata": nil,
		"region": regionJ, "profile": defJ, "provider": manualJ, "requirements": []any{}}
	res.Expect(t, 200, shipPayload("createShippingOption", "shippingOption", std, nil))
	stdID := nraString(t, res, "createShippingOption", "shippingOption", "id")
	std["id"] = stdID

	// Bad input: a userError each, and no option created.
	for _, c := range []struct {
		over map[string]any
		ue   txrJ
	}{
		{map[string]any{"regionId": "reg_missing"}, txrUE("NOT_FOUND", "Region with reg_missing was not found")},
		{map[string]any{"regionId": bare}, txrUE("INVALID_DATA", "The fulfillment provider is not available in the provided region")},
		{map[string]any{"amount": nil}, txrUE("INVALID_DATA", "Shipping options of price type flat_rate must have an amount")},
		{map[string]any{"amount": -1}, txrUE("INVALID_DATA", "amount must not be less than 0")},
		{map[string]any{"priceType": "CALCULATED"}, txrUE("INVALID_DATA", "The fulfillment provider cannot calculate prices for this option")},
		{map[string]any{"requirements": []map[string]any{{"type": "MIN_SUBTOTAL", "amount": 1}, {"type": "MIN_SUBTOTAL", "amount": 2}}},
			txrUE("INVALID_DATA", "Only one requirement of each type is allowed")},
		{map[string]any{"requirements": []map[string]any{{"type": "MAX_SUBTOTAL", "amount": 10}, {"type": "MIN_SUBTOTAL", "amount": 20}}},
			txrUE("INVALID_DATA", "Max. subtotal must be greater than Min. subtotal")},
		{map[string]any{"requirements": []map[string]any{{"id": minID, "type": "MIN_SUBTOTAL", "amount": 1}}}, txrUE("INVALID_DATA", "ID does not exist")},
		{map[string]any{"profileId": "sp_missing"}, txrUE("NOT_FOUND", "Profile with id: sp_missing was not found")},
	} {
		gql(e, create, map[string]any{"in": express(c.over)}).Expect(t, 200, shipPayload("createShippingOption", "shippingOption", nil, c.ue))
	}
	if n := txrCount(t, e, `SELECT count(*) FROM shipping_option`); n != 2 {
		t.Fatalf("%d shipping options after refused creates, want 2", n)
	}
	if n := txrCount(t, e, `SELECT count(*) FROM shipping_option_requirement`); n != 2 {
		t.Fatalf("%d requirements after refused creates, want 2", n)
	}

	// The list, oldest first, with the filters of GET /admin/shipping-options.
	list := func(args string, total int, want ...txrJ) {
		t.Helper()
		gql(e, `{ shippingOptions`+args+` { totalCount nodes { `+soFields+` } } }`, nil).Expect(t, 200, shipNodes("shippingOptions", total, want...))
	}
	list("", 2, full, std)
	list(`(regionId: "`+region+`")`, 2, full, std)
	list(`(regionId: "`+bare+`")`, 0)
	list(`(isReturn: true)`, 1, full)
	list(`(isReturn: false, adminOnly: false)`, 1, std)
	list(`(adminOnly: true, isReturn: false)`, 0)
	list(`(first: 1, after: null)`, 2, full)
	res = gql(e, `{ shippingOptions(first: 1) { pageInfo { hasNextPage endCursor } } }`, nil)
	gql(e, `query($after: String) { shippingOptions(first: 1, after: $after) { totalCount pageInfo { hasNextPage hasPreviousPage } edges { cursor node { id } } } }`,
		map[string]any{"after": nraString(t, res, "shippingOptions", "pageInfo", "endCursor")}).Expect(t, 200,
		txrJSON(txrJ{"data": txrJ{"shippingOptions": txrJ{"totalCount": 2, "pageInfo": txrJ{"hasNextPage": false, "hasPreviousPage": true},
			"edges": []any{txrJ{"cursor": "$string", "node": txrJ{"id": stdID}}}}}}))

	// By id and as a node.
	get := func(id string) *resttest.Response {
		return gql(e, `query($id: ID!) { shippingOption(id: $id) { `+soFields+` } }`, map[string]any{"id": id})
	}
	get(id).Expect(t, 200, txrJSON(txrJ{"data": txrJ{"shippingOption": full}}))
	gql(e, `query($id: ID!) { node(id: $id) { id ... on ShippingOption { name priceType requirements { type } } } }`, map[string]any{"id": id}).
		Expect(t, 200, txrJSON(txrJ{"data": txrJ{"node": txrJ{"id": id, "name": "Express", "priceType": "FLAT_RATE",
			"requirements": []any{txrJ{"type": "MIN_SUBTOTAL"}, txrJ{"type": "MAX_SUBTOTAL"}}}}}))
	gql(e, `{ shippingOption(id: "so_missing") { id } node(id: "so_missing") { id } }`, nil).Expect(t, 200, `{"data":{"shippingOption":null,"node":null}}`)

	// Update: requirements changed by id, added without one, removed when not listed; metadata
	// merged.
	update := `mutation($id: ID!, $in: UpdateShippingOptionInput!) { updateShippingOption(id: $id, input: $in) { shippingOption { ` + soFields + ` } userErrors { field message code } } }`
	res = gql(e, update, map[string]any{"id": id, "in": map[string]any{"name": "Express 2", "amount": 150, "adminOnly": false,
		"metadata":     map[string]any{"b": 2},
		"requirements": []map[string]any{{"id": maxID, "type": "MAX_SUBTOTAL", "amount": 6000}, {"type": "MIN_SUBTOTAL", "amount": 10}}}})
	full = txrMerge(full, txrJ{"name": "Express 2", "amount": 150, "adminOnly": false, "metadata": txrJ{"a": 1, "b": 2},
		"requirements": []any{shipReq(maxID, id, "MAX_SUBTOTAL", 6000), shipReq("$id:sor", id, "MIN_SUBTOTAL", 10)}})
	res.Expect(t, 200, shipPayload("updateShippingOption", "shippingOption", full, nil))
	newMin := res.JSON(t)["data"].(map[string]any)["updateShippingOption"].(map[string]any)["shippingOption"].(map[string]any)["requirements"].([]any)[1].(map[string]any)["id"].(string)
	full["requirements"] = []any{shipReq(maxID, id, "MAX_SUBTOTAL", 6000), shipReq(newMin, id, "MIN_SUBTOTAL", 10)}
	// Absent fields stay.
	gql(e, update, map[string]any{"id": id, "in": map[string]any{}}).Expect(t, 200, shipPayload("updateShippingOption", "shippingOption", full, nil))
	for _, c := range []struct {
		id string
		in map[string]any
		ue txrJ
	}{
		{"so_missing", map[string]any{"name": "X"}, txrUE("NOT_FOUND", "Shipping Option with so_missing was not found")},
		{id, map[string]any{"name": "X", "amount": nil}, txrUE("INVALID_DATA", "Shipping options of price type flat_rate must have an amount")},
		{id, map[string]any{"name": "X", "amount": -5}, txrUE("INVALID_DATA", "amount must not be less than 0")},
		{id, map[string]any{"name": "X", "requirements": []map[string]any{{"id": minID, "type": "MIN_SUBTOTAL", "amount": 1}}},
			txrUE("INVALID_DATA", "ID does not exist")},
		{id, map[string]any{"name": "X", "requirements": []map[string]any{{"type": "MAX_SUBTOTAL", "amount": 1}, {"type": "MAX_SUBTOTAL", "amount": 2}}},
			txrUE("INVALID_DATA", "Only one requirement of each type is allowed")},
	} {
		gql(e, update, map[string]any{"id": c.id, "in": c.in}).Expect(t, 200, shipPayload("updateShippingOption", "shippingOption", nil, c.ue))
	}
	get(id).Expect(t, 200, txrJSON(txrJ{"data": txrJ{"shippingOption": full}}))

	// Delete (soft); deleting a missing or deleted option succeeds, as in Medusa, and changes
	// nothing.
	del := `mutation($id: ID!) { deleteShippingOption(id: $id) { deletedId userErrors { field message code } } }`
	gql(e, del, map[string]any{"id": "so_missing"}).Expect(t, 200, `{"data":{"deleteShippingOption":{"deletedId":"so_missing","userErrors":[]}}}`)
	list("", 2, full, std)
	gql(e, del, map[string]any{"id": id}).Expect(t, 200, `{"data":{"deleteShippingOption":{"deletedId":"`+id+`","userErrors":[]}}}`)
	gql(e, del, map[string]any{"id": id}).Expect(t, 200, `{"data":{"deleteShippingOption":{"deletedId":"`+id+`","userErrors":[]}}}`)
	list("", 1, std)
	gql(e, `query($id: ID!) { shippingOption(id: $id) { id } node(id: $id) { id } }`, map[string]any{"id": id}).Expect(t, 200,
		`{"data":{"shippingOption":null,"node":null}}`)
	if n := txrCount(t, e, `SELECT count(*) FROM shipping_option WHERE id = ? AND deleted_at IS NOT NULL`, id); n != 1 {
		t.Fatalf("option not soft-deleted")
	}
}

func TestShippingProfilesGraphQL(t *testing.T) {
	t.Parallel()
	e := resttest.New(t)
	ctx := context.Background()
	region := shipRegion(t, e, "Nordics", "manual")
	def := shipProfileID(t, e, "default")
	gift := shipProfileID(t, e, "gift_card")
	var products []txrJ
	for _, title := range []string{"Shirt", "Pants"} {
		p, err := e.Store.CreateProduct(ctx, store.CreateProductInput{Title: title})
		if err != nil {
			t.Fatal(err)
		}
		products = append(products, txrJ{"id": p.ID, "title": title})
	}
	amount := 500
	o, err := e.Store.CreateShippingOption(ctx, store.CreateShippingOptionInput{Name: "Standard", RegionID: region, ProviderID: "manual",
		PriceType: store.PriceTypeFlatRate, Amount: &amount})
	if err != nil {
		t.Fatal(err)
	}
	optionJ := txrJ{"id": o.ID, "name": "Standard"}
	defJ := txrJ{"id": def, "name": "Default Shipping Profile", "type": "DEFAULT", "createdAt": "$time", "updatedAt": "$time", "metadata": nil,
		"products": []any{products[0], products[1]}, "shippingOptions": []any{optionJ}}
	giftJ := txrJ{"id": gift, "name": "Gift Card Profile", "type": "GIFT_CARD", "createdAt": "$time", "updatedAt": "$time", "metadata": nil,
		"products": []any{}, "shippingOptions": []any{}}
	list := func(total int, want ...txrJ) {
		t.Helper()
		gql(e, `{ shippingProfiles { totalCount nodes { `+spFields+` } } }`, nil).Expect(t, 200, shipNodes("shippingProfiles", total, want...))
	}
	list(2, defJ, giftJ)

	// Create: a custom profile. A missing name is refused by GraphQL and creates nothing.
	create := `mutation($in: CreateShippingProfileInput!) { createShippingProfile(input: $in) { shippingProfile { ` + spFields + ` } userErrors { field message code } } }`
	res := gql(e, create, map[string]any{"in": map[string]any{"name": "Bulky", "metadata": map[string]any{"a": 1}}})
	bulky := txrJ{"id": "$id:sp", "name": "Bulky", "type": "CUSTOM", "createdAt": "$time", "updatedAt": "$time", "metadata": txrJ{"a": 1},
		"products": []any{}, "shippingOptions": []any{}}
	res.Expect(t, 200, shipPayload("createShippingProfile", "shippingProfile", bulky, nil))
	id := nraString(t, res, "createShippingProfile", "shippingProfile", "id")
	bulky["id"] = id
	gql(e, create, map[string]any{"in": map[string]any{"metadata": map[string]any{}}}).Expect(t, 422,
		`{"errors":[{"message":"must be defined","path":["variable","in","name"],"extensions":{"code":"GRAPHQL_VALIDATION_FAILED"}}],"data":null}`)
	list(3, defJ, giftJ, bulky)

	// By id and as a node.
	get := func(id string) *resttest.Response {
		return gql(e, `query($id: ID!) { shippingProfile(id: $id) { `+spFields+` } }`, map[string]any{"id": id})
	}
	get(def).Expect(t, 200, txrJSON(txrJ{"data": txrJ{"shippingProfile": defJ}}))
	gql(e, `query($id: ID!) { node(id: $id) { id ... on ShippingProfile { name type shippingOptions { id } } } }`, map[string]any{"id": def}).
		Expect(t, 200, txrJSON(txrJ{"data": txrJ{"node": txrJ{"id": def, "name": "Default Shipping Profile", "type": "DEFAULT",
			"shippingOptions": []any{txrJ{"id": o.ID}}}}}))
	gql(e, `{ shippingProfile(id: "sp_missing") { id } node(id: "sp_missing") { id } }`, nil).Expect(t, 200, `{"data":{"shippingProfile":null,"node":null}}`)

	// Update: products and options move into the profile; a bad id moves nothing.
	update := `mutation($id: ID!, $in: UpdateShippingProfileInput!) { updateShippingProfile(id: $id, input: $in) { shippingProfile { ` + spFields + ` } userErrors { field message code } } }`
	bulky = txrMerge(bulky, txrJ{"name": "Bulky goods", "metadata": txrJ{"a": 1, "b": 2}, "products": []any{products[1]}, "shippingOptions": []any{optionJ}})
	gql(e, update, map[string]any{"id": id, "in": map[string]any{"name": "Bulky goods", "metadata": map[string]any{"b": 2},
		"products": []string{products[1]["id"].(string)}, "shippingOptions": []string{o.ID}}}).
		Expect(t, 200, shipPayload("updateShippingProfile", "shippingProfile", bulky, nil))
	defJ = txrMerge(defJ, txrJ{"products": []any{products[0]}, "shippingOptions": []any{}})
	for _, c := range []struct {
		id string
		in map[string]any
		ue txrJ
	}{
		{"sp_missing", map[string]any{"name": "X"}, txrUE("NOT_FOUND", "Profile with id: sp_missing was not found")},
		{def, map[string]any{"name": "X", "products": []string{products[1]["id"].(string), "prod_missing"}},
			txrUE("NOT_FOUND", "Product with id: prod_missing was not found")},
		{def, map[string]any{"name": "X", "shippingOptions": []string{"so_missing"}}, txrUE("NOT_FOUND", "Shipping Option with so_missing was not found")},
	} {
		gql(e, update, map[string]any{"id": c.id, "in": c.in}).Expect(t, 200, shipPayload("updateShippingProfile", "shippingProfile", nil, c.ue))
	}
	list(3, defJ, giftJ, bulky)

	// Delete: the default and gift card profiles cannot go; a missing one is no error.
	del := `mutation($id: ID!) { deleteShippingProfile(id: $id) { deletedId userErrors { field message code } } }`
	for _, c := range []struct {
		id string
		ue txrJ
	}{
		{def, txrUE("NOT_ALLOWED", "The default shipping profile cannot be deleted")},
		{gift, txrUE("NOT_ALLOWED", "The gift card shipping profile cannot be deleted")},
	} {
		gql(e, del, map[string]any{"id": c.id}).Expect(t, 200, txrJSON(txrJ{"data": txrJ{"deleteShippingProfile": txrJ{"deletedId": nil,
			"userErrors": []any{c.ue}}}}))
	}
	gql(e, del, map[string]any{"id": "sp_missing"}).Expect(t, 200, `{"data":{"deleteShippingProfile":{"deletedId":"sp_missing","userErrors":[]}}}`)
	list(3, defJ, giftJ, bulky)
	gql(e, del, map[string]any{"id": id}).Expect(t, 200, `{"data":{"deleteShippingProfile":{"deletedId":"`+id+`","userErrors":[]}}}`)
	list(2, defJ, giftJ)
	gql(e, `query($id: ID!) { shippingProfile(id: $id) { id } node(id: $id) { id } }`, map[string]any{"id": id}).Expect(t, 200,
		`{"data":{"shippingProfile":null,"node":null}}`)
}

// A page of shipping options with region, profile, provider and requirements, and a page of
// profiles with products and options, cost the same statements whatever their size.
func TestShippingBatched(t *testing.T) {
	t.Parallel()
	e := resttest.New(t)
	ctx := context.Background()
	region := shipRegion(t, e, "Nordics", "manual")
	add := func(from, to int) {
		for i := from; i < to; i++ {
			p, err := e.Store.CreateShippingProfile(ctx, store.CreateShippingProfileInput{Name: fmt.Sprintf("Profile %d", i)})
			if err != nil {
				t.Fatal(err)
			}
			var products []string
			for j := 0; j < 2; j++ {
				prod, err := e.Store.CreateProduct(ctx, store.CreateProductInput{Title: fmt.Sprintf("P%d-%d", i, j)})
				if err != nil {
					t.Fatal(err)
				}
				products = append(products, prod.ID)
			}
			amount := 100 * i
			o, err := e.Store.CreateShippingOption(ctx, store.CreateShippingOptionInput{Name: fmt.Sprintf("Option %d", i), RegionID: region,
				ProviderID: "manual", ProfileID: &p.ID, PriceType: store.PriceTypeFlatRate, Amount: &amount,
				Requirements: []store.ShippingRequirementInput{{Type: store.RequirementMin, Amount: 1}, {Type: store.RequirementMax, Amount: 100000}}})
			if err != nil {
				t.Fatal(err)
			}
			if _, err := e.Store.UpdateShippingProfile(ctx, p.ID, store.UpdateShippingProfileInput{Products: products}); err != nil {
				t.Fatal(err)
			}
			if _, err := e.Store.CreateTaxRate(ctx, store.CreateTaxRateInput{Code: strPtr("C"), Name: "R", RegionID: region,
				ShippingOptions: []string{o.ID}}, store.Find{}); err != nil {
				t.Fatal(err)
			}
		}
	}
	queries := map[string]string{
		"shippingOptions": `{ shippingOptions(first: 50) { totalCount nodes { id priceType region { id name countries { iso2 } fulfillmentProviders { id } }
			profile { id name type products(first: 3) { id } } provider { id isInstalled } requirements { id type amount } } } }`,
		"shippingProfiles": `{ shippingProfiles(first: 50) { totalCount nodes { id type products(first: 5) { id title type { id } profile { id } }
			shippingOptions { id region { id } requirements { id } profile { id } } } } }`,
	}
	counts := func() map[string]int64 {
		out := map[string]int64{}
		for name, q := range queries {
			res := gql(e, q, nil)
			if strings.Contains(string(res.Body), `"errors"`) {
				t.Fatalf("%s: %s", name, res.Body)
			}
			out[name] = e.Queries
		}
		return out
	}
	add(0, 2)
	q2 := counts()
	add(2, 20)
	q20 := counts()
	for name := range queries {
		if q20[name] != q2[name] {
			t.Fatalf("%s: a page of 20 costs %d statements, of 2 %d", name, q20[name], q2[name])
		}
		t.Logf("%s: %d statements", name, q2[name])
	}
	gql(e, `{ shippingOptions { totalCount } shippingProfiles { totalCount } }`, nil).Expect(t, 200,
		`{"data":{"shippingOptions":{"totalCount":20},"shippingProfiles":{"totalCount":22}}}`)
}
