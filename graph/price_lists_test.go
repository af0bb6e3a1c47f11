package graph_test

import (
	"testing"

	"github.com/gorgon-commerce/gorgon/rest/resttest"
)

const catGroup = "cgrp_01GQLVIP0000000000000000000"

const catPriceListFields = `id name description type status startsAt endsAt createdAt updatedAt deletedAt
	prices { id currencyCode amount minQuantity maxQuantity priceListId variantId regionId priceList { id name } variant { id title } }
	customerGroups { id name createdAt updatedAt metadata }`

func catPL(id, name, desc, typ, status string, starts, ends any, prices []any, groups ...catJ) catJ {
	if groups == nil {
		groups = []catJ{}
	}
	return catJ{"id": id, "name": name, "description": desc, "type": typ, "status": status, "startsAt": starts, "endsAt": ends,
		"createdAt": "$time", "updatedAt": "$time", "deletedAt": nil, "prices": prices, "customerGroups": groups}
}

// catPLPrice is a price of price list pl (named plName) for variant v (titled vTitle).
func catPLPrice(id, currency string, amount int, minQ, maxQ any, pl, plName, v, vTitle string, region any) catJ {
	return catJ{"id": id, "currencyCode": currency, "amount": amount, "minQuantity": minQ, "maxQuantity": maxQ, "priceListId": pl,
		"variantId": v, "regionId": region, "priceList": catJ{"id": pl, "name": plName}, "variant": catJ{"id": v, "title": vTitle}}
}

var catVIP = catJ{"id": catGroup, "name": "VIP", "createdAt": "$time", "updatedAt": "$time", "metadata": nil}

func TestPriceListsGraphQL(t *testing.T) {
	t.Parallel()
	e := resttest.New(t)
	catFixtures(t, e)
	catExec(t, e, `INSERT INTO customer_group (id, name) VALUES ('`+catGroup+`', 'VIP')`)
	tee, teeV := catSeed(t, e, catJ{"title": "Tee", "options": []catJ{{"title": "Size"}}, "variants": []catJ{
		{"title": "S", "prices": []catJ{{"currencyCode": "usd", "amount": 2000}}, "options": []catJ{{"value": "S"}}},
		{"title": "M", "prices": []catJ{{"currencyCode": "usd", "amount": 2000}}, "options": []catJ{{"value": "M"}}}}})
	capP, capV := catSeed(t, e, catJ{"title": "Cap", "variants": []catJ{{"title": "One", "prices": []catJ{{"currencyCode": "usd", "amount": 1500}}}}})
	payload := func(name string, pl any, ue ...catJ) string {
		if ue == nil {
			ue = []catJ{}
		}
		return catData(catJ{name: catJ{"priceList": pl, "userErrors": ue}})
	}

	create := `mutation($in: CreatePriceListInput!) { createPriceList(input: $in) { priceList { ` + catPriceListFields + ` } userErrors { field message code } } }`
	res := gql(e, create, catJ{"in": catJ{"name": "VIP sale", "description": "For VIPs", "type": "SALE", "status": "ACTIVE",
		"startsAt": "2022-01-01T00:00:00Z", "customerGroupIds": []string{catGroup},
		"prices": []catJ{{"currencyCode": "usd", "amount": 1000, "variantId": teeV[0]},
			{"regionId": catRegion, "amount": 900, "variantId": teeV[0], "minQuantity": 2, "maxQuantity": 5}}}})
	id := catStr(t, res, "createPriceList.priceList.id")
	ma0, ma1 := catStr(t, res, "createPriceList.priceList.prices.0.id"), catStr(t, res, "createPriceList.priceList.prices.1.id")
	p0 := catPLPrice(ma0, "usd", 1000, nil, nil, id, "VIP sale", teeV[0], "S", nil)
	p1 := catPLPrice(ma1, "eur", 900, 2, 5, id, "VIP sale", teeV[0], "S", catRegion)
	vip := catPL(id, "VIP sale", "For VIPs", "SALE", "ACTIVE", "2022-01-01T00:00:00.000Z", nil, []any{p0, p1}, catVIP)
	res.Expect(t, 200, payload("createPriceList", vip))
	res = gql(e, create, catJ{"in": catJ{"name": "Clearance", "description": "Old stock", "type": "OVERRIDE", "prices": []any{}}})
	other := catStr(t, res, "createPriceList.priceList.id")
	clearance := catPL(other, "Clearance", "Old stock", "OVERRIDE", "DRAFT", nil, nil, []any{})
	res.Expect(t, 200, payload("createPriceList", clearance))

	// Bad input: a userError, nothing created.
	for _, c := range []struct {
		prices []catJ
		groups []string
		ue     catJ
	}{
		{[]catJ{{"amount": 1, "variantId": teeV[0]}}, nil, catUE([]string{"prices"}, `Failed XOR relation between "region_id" and "currency_code".`, "INVALID_DATA")},
		{[]catJ{{"currencyCode": "usd", "amount": 1, "variantId": "variant_nope"}}, nil,
			catUE(nil, "Product_variant with variant_id variant_nope does not exist.", "NOT_FOUND")},
		{[]catJ{{"regionId": "reg_nope", "amount": 1, "variantId": teeV[0]}}, nil, catUE(nil, "Region with reg_nope was not found", "NOT_FOUND")},
		{[]catJ{}, []string{"cgrp_nope"}, catUE(nil, "CustomerGroup with id cgrp_nope was not found", "NOT_FOUND")},
	} {
		gql(e, create, catJ{"in": catJ{"name": "x", "description": "x", "type": "SALE", "prices": c.prices, "customerGroupIds": c.groups}}).
			Expect(t, 200, payload("createPriceList", nil, c.ue))
	}
	if n := catCount(t, e, `SELECT count(*) FROM price_list`); n != 2 {
		t.Fatalf("%d price lists", n)
	}

	// By id, as a node, the customer group as a node; the list and its filters.
	gql(e, `query($id: ID!, $g: ID!) { priceList(id: $id) { `+catPriceListFields+` } node(id: $id) { id ... on PriceList { name } }
		g: node(id: $g) { id ... on CustomerGroup { name } } }`, catJ{"id": id, "g": catGroup}).
		Expect(t, 200, catData(catJ{"priceList": vip, "node": catJ{"id": id, "name": "VIP sale"}, "g": catJ{"id": catGroup, "name": "VIP"}}))
	gql(e, `{ priceList(id: "pl_missing") { id } node(id: "pl_missing") { id } }`, nil).Expect(t, 200, `{"data":{"priceList":null,"node":null}}`)
	list := `query($f: PriceListFilter, $first: Int = 3) { priceLists(filter: $f, first: $first) { totalCount nodes { ` + catPriceListFields + ` } } }`
	gql(e, list, nil).Expect(t, 200, catData(catJ{"priceLists": catJ{"totalCount": 2, "nodes": []any{clearance, vip}}}))
	for _, f := range []catJ{{"q": "vip"}, {"status": []string{"ACTIVE"}}, {"type": []string{"SALE"}}, {"id": id}, {"name": "VIP sale"},
		{"description": "For VIPs"}, {"customerGroupIds": []string{catGroup}}, {"createdAt": catJ{"gt": "2000-01-01T00:00:00Z"}, "type": []string{"SALE", "OVERRIDE"}, "q": "sale"}} {
		gql(e, list, catJ{"f": f}).Expect(t, 200, catData(catJ{"priceLists": catJ{"totalCount": 1, "nodes": []any{vip}}}))
	}
	gql(e, `query($f: PriceListFilter) { priceLists(filter: $f, first: 0) { totalCount nodes { id } } }`, catJ{"f": catJ{"status": []string{"DRAFT"}}}).Expect(t, 200, catData(catJ{"priceLists": catJ{"totalCount": 1, "nodes": []any{}}}))
	gql(e, `query($id: ID!) { priceList(id: $id) { prices(first: 1) { id } } }`, catJ{"id": id}).Expect(t, 200,
		catData(catJ{"priceList": catJ{"prices": []any{catJ{"id": ma0}}}}))

	// Update: fields, a price by id (it moves last: PostgreSQL rewrites the row), a new price,
	// groups replaced; null clears a date.
	update := `mutation($id: ID!, $in: UpdatePriceListInput!) { updatePriceList(id: $id, input: $in) { priceList { ` + catPriceListFields + ` } userErrors { field message code } } }`
	res = gql(e, update, catJ{"id": id, "in": catJ{"name": "VIP", "endsAt": "2030-01-01T00:00:00Z", "startsAt": nil, "status": "DRAFT", "type": "OVERRIDE",
		"customerGroupIds": []string{},
		"prices":           []catJ{{"id": ma0, "amount": 1111, "variantId": teeV[0], "minQuantity": 3}, {"currencyCode": "usd", "amount": 500, "variantId": capV[0]}}}})
	ma2 := catStr(t, res, "updatePriceList.priceList.prices.1.id")
	p1 = catPLPrice(ma1, "eur", 900, 2, 5, id, "VIP", teeV[0], "S", catRegion)
	p2 := catPLPrice(ma2, "usd", 500, nil, nil, id, "VIP", capV[0], "One", nil)
	p0 = catPLPrice(ma0, "usd", 1111, 3, nil, id, "VIP", teeV[0], "S", nil)
	vip = catPL(id, "VIP", "For VIPs", "OVERRIDE", "DRAFT", nil, "2030-01-01T00:00:00.000Z", []any{p1, p2, p0})
	res.Expect(t, 200, payload("updatePriceList", vip))
	for _, c := range []struct {
		id string
		in catJ
		ue catJ
	}{
		{id, catJ{"name": "x", "prices": []catJ{{"id": "ma_other", "amount": 1, "variantId": teeV[0]}}}, catUE(nil, "Money amount with id: ma_other was not found", "NOT_FOUND")},
		{id, catJ{"name": "x", "customerGroupIds": []string{"cgrp_nope"}}, catUE(nil, "CustomerGroup with id cgrp_nope was not found", "NOT_FOUND")},
		{"pl_nope", catJ{"name": "x"}, catUE(nil, "Price list with id: pl_nope was not found", "NOT_FOUND")},
	} {
		gql(e, update, catJ{"id": c.id, "in": c.in}).Expect(t, 200, payload("updatePriceList", nil, c.ue))
	}

	// Batch add (with and without override) and delete.
	addPrices := `mutation($id: ID!, $p: [PriceListPriceInput!]!, $o: Boolean) { addPriceListPrices(id: $id, prices: $p, override: $o) { priceList { prices { id amount variantId } } userErrors { field message code } } }`
	res = gql(e, addPrices, catJ{"id": other, "p": []catJ{{"currencyCode": "usd", "amount": 100, "variantId": teeV[1]}, {"currencyCode": "usd", "amount": 200, "variantId": capV[0]}}})
	o0, o1 := catStr(t, res, "addPriceListPrices.priceList.prices.0.id"), catStr(t, res, "addPriceListPrices.priceList.prices.1.id")
	res.Expect(t, 200, payload("addPriceListPrices", catJ{"prices": []any{catJ{"id": o0, "amount": 100, "variantId": teeV[1]}, catJ{"id": o1, "amount": 200, "variantId": capV[0]}}}))
	res = gql(e, addPrices, catJ{"id": other, "o": true, "p": []catJ{{"currencyCode": "usd", "amount": 300, "variantId": teeV[0]}}})
	o2 := catStr(t, res, "addPriceListPrices.priceList.prices.0.id")
	res.Expect(t, 200, payload("addPriceListPrices", catJ{"prices": []any{catJ{"id": o2, "amount": 300, "variantId": teeV[0]}}}))
	gql(e, addPrices, catJ{"id": other, "p": []catJ{{"currencyCode": "usd", "amount": 1, "variantId": "variant_nope"}}}).Expect(t, 200,
		payload("addPriceListPrices", nil, catUE(nil, "Product_variant with variant_id variant_nope does not exist.", "NOT_FOUND")))
	gql(e, addPrices, catJ{"id": "pl_nope", "p": []catJ{{"currencyCode": "usd", "amount": 1, "variantId": teeV[0]}}}).Expect(t, 200,
		payload("addPriceListPrices", nil, catUE(nil, "Price list with id: pl_nope was not found", "NOT_FOUND")))
	gql(e, addPrices, catJ{"id": other, "p": []catJ{{"currencyCode": "usd", "regionId": catRegion, "amount": 1, "variantId": teeV[0]}}}).Expect(t, 200,
		payload("addPriceListPrices", nil, catUE([]string{"prices"}, `Failed XOR relation between "region_id" and "currency_code".`, "INVALID_DATA")))

	delPrices := `mutation($id: ID!, $p: [ID!]!) { deletePriceListPrices(id: $id, priceIds: $p) { deletedIds userErrors { field message code } } }`
	deleted := func(name string, ids any, ue ...catJ) string {
		if ue == nil {
			ue = []catJ{}
		}
		return catData(catJ{name: catJ{"deletedIds": ids, "userErrors": ue}})
	}
	gql(e, delPrices, catJ{"id": id, "p": []string{ma2}}).Expect(t, 200, deleted("deletePriceListPrices", []string{ma2}))
	gql(e, delPrices, catJ{"id": id, "p": []string{}}).Expect(t, 200,
		deleted("deletePriceListPrices", nil, catUE([]string{"priceIds"}, "price_ids should not be empty", "INVALID_DATA")))
	gql(e, delPrices, catJ{"id": "pl_nope", "p": []string{ma0}}).Expect(t, 200,
		deleted("deletePriceListPrices", nil, catUE(nil, "Price list with id: pl_nope was not found", "NOT_FOUND")))

	// The products of a price list, with the list's prices next to the others (oldest first).
	products := `query($id: ID!, $f: ProductFilter) { priceListProducts(priceListId: $id, filter: $f) { totalCount nodes { id
		variants { id prices(priceListId: $id) { amount priceListId priceList { name } } } } } }`
	gql(e, products, catJ{"id": id}).Expect(t, 200, catData(catJ{"priceListProducts": catJ{"totalCount": 1, "nodes": []any{
		catJ{"id": tee, "variants": []any{
			catJ{"id": teeV[0], "prices": []any{catJ{"amount": 2000, "priceListId": nil, "priceList": nil},
				catJ{"amount": 1111, "priceListId": id, "priceList": catJ{"name": "VIP"}}, catJ{"amount": 900, "priceListId": id, "priceList": catJ{"name": "VIP"}}}},
			catJ{"id": teeV[1], "prices": []any{catJ{"amount": 2000, "priceListId": nil, "priceList": nil}}}}}}}}))
	gql(e, products, catJ{"id": id, "f": catJ{"q": "cap", "priceListIds": []string{other}}}).Expect(t, 200, catData(catJ{"priceListProducts": catJ{"totalCount": 0, "nodes": []any{}}}))
	// Without priceListId, a variant's prices are those outside any list.
	gql(e, `query($id: ID!) { product(id: $id) { variants { prices { amount } } } }`, catJ{"id": tee}).Expect(t, 200,
		catData(catJ{"product": catJ{"variants": []any{catJ{"prices": []any{catJ{"amount": 2000}}}, catJ{"prices": []any{catJ{"amount": 2000}}}}}}))

	// Delete a product's and a variant's prices of a list.
	gql(e, `mutation($id: ID!, $p: ID!) { deletePriceListProductPrices(id: $id, productId: $p) { deletedIds userErrors { field message code } } }`,
		catJ{"id": id, "p": tee}).Expect(t, 200, deleted("deletePriceListProductPrices", []string{ma1, ma0}))
	gql(e, `mutation($id: ID!, $v: ID!) { deletePriceListVariantPrices(id: $id, variantId: $v) { deletedIds userErrors { field message code } } }`,
		catJ{"id": other, "v": teeV[0]}).Expect(t, 200, deleted("deletePriceListVariantPrices", []string{o2}))
	gql(e, `mutation($id: ID!, $v: ID!) { deletePriceListVariantPrices(id: $id, variantId: $v) { deletedIds userErrors { field message code } } }`,
		catJ{"id": other, "v": teeV[0]}).Expect(t, 200, deleted("deletePriceListVariantPrices", []string{}))
	gql(e, products, catJ{"id": id}).Expect(t, 200, catData(catJ{"priceListProducts": catJ{"totalCount": 0, "nodes": []any{}}}))
	_ = capP

	// Delete the list; again succeeds (idempotent).
	del := `mutation($id: ID!) { deletePriceList(id: $id) { deletedId userErrors { field message code } } }`
	gql(e, del, catJ{"id": id}).Expect(t, 200, catData(catJ{"deletePriceList": catJ{"deletedId": id, "userErrors": []any{}}}))
	gql(e, del, catJ{"id": id}).Expect(t, 200, catData(catJ{"deletePriceList": catJ{"deletedId": id, "userErrors": []any{}}}))
	gql(e, `query($id: ID!) { priceList(id: $id) { id } priceLists { totalCount } }`, catJ{"id": id}).Expect(t, 200,
		catData(catJ{"priceList": nil, "priceLists": catJ{"totalCount": 1}}))
}
