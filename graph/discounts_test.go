package graph_test

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/gorgon-commerce/gorgon/rest/resttest"
	"github.com/gorgon-commerce/gorgon/store"
)

const discFields = `id code isDynamic isDisabled startsAt endsAt validDuration usageLimit usageCount parentDiscountId metadata
	rule { id type value allocation description conditions { ` + disconFields + ` } } regions { id name } parentDiscount { id code }`

const disconFields = `id type operator products { id title } productTypes { id value } productCollections { id title }
	productTags { id value } customerGroups { id name }`

// discWorld is what the discount tests point at: two regions, two products (the first typed,
// tagged and in a collection) and a customer group.
type discWorld struct {
	region, other         string
	regionJ, otherJ       txrJ
	p1, p2, typ, tag, col string
	p1J, p2J, typJ        txrJ
	tagJ, colJ            txrJ
	group                 string
	groupJ                txrJ
}

func discSetup(t *testing.T, e *resttest.Env) *discWorld {
	t.Helper()
	ctx := context.Background()
	w := &discWorld{}
	for _, r := range []struct {
		name string
		id   *string
	}{{"Nordics", &w.region}, {"US", &w.other}} {
		reg, err := e.Store.CreateRegion(ctx, store.CreateRegionInput{Name: r.name, CurrencyCode: "usd", TaxRate: 25,
			PaymentProviders: []string{"manual"}, FulfillmentProviders: []string{"manual"}})
		if err != nil {
			t.Fatal(err)
		}
		*r.id = reg.ID
	}
	w.regionJ, w.otherJ = txrJ{"id": w.region, "name": "Nordics"}, txrJ{"id": w.other, "name": "US"}
	col, err := e.Store.CreateCollection(ctx, store.CreateCollectionInput{Title: "Summer"})
	if err != nil {
		t.Fatal(err)
	}
	w.col, w.colJ = col.ID, txrJ{"id": col.ID, "title": "Summer"}
	p1, err := e.Store.CreateProduct(ctx, store.CreateProductInput{Title: "Shirt", Type: &store.ProductTypeInput{Value: "Shirts"},
		Tags: []store.ProductTagInput{{Value: "cotton"}}, CollectionID: &w.col})
	if err != nil {
		t.Fatal(err)
	}
	w.p1, w.p1J, w.typ = p1.ID, txrJ{"id": p1.ID, "title": "Shirt"}, *p1.TypeID
	w.typJ = txrJ{"id": w.typ, "value": "Shirts"}
	w.tag = p1.Tags[0].ID
	w.tagJ = txrJ{"id": w.tag, "value": "cotton"}
	p2, err := e.Store.CreateProduct(ctx, store.CreateProductInput{Title: "Pants"})
	if err != nil {
		t.Fatal(err)
	}
	w.p2, w.p2J = p2.ID, txrJ{"id": p2.ID, "title": "Pants"}
	w.group = fmt.Sprintf("cgrp_%s", strings.TrimPrefix(p2.ID, "prod_"))
	if _, err := e.DB.NewRaw(`INSERT INTO customer_group (id, name) VALUES (?, 'VIP')`, w.group).Exec(ctx); err != nil {
		t.Fatal(err)
	}
	w.groupJ = txrJ{"id": w.group, "name": "VIP"}
	return w
}

// discCond is an expected condition: only the list of its type is non-empty.
func discCond(id, typ, op string, lists txrJ) txrJ {
	c := txrJ{"id": id, "type": typ, "operator": op, "products": []any{}, "productTypes": []any{}, "productCollections": []any{},
		"productTags": []any{}, "customerGroups": []any{}}
	return txrMerge(c, lists)
}

func discPayload(mutation string, d any, ue txrJ) string {
	if ue != nil {
		return txrJSON(txrJ{"data": txrJ{mutation: txrJ{"discount": nil, "userErrors": []any{ue}}}})
	}
	return txrJSON(txrJ{"data": txrJ{mutation: txrJ{"discount": d, "userErrors": []any{}}}})
}

func discUEF(code, msg string, field ...string) txrJ {
	return txrJ{"field": field, "message": msg, "code": code}
}

func discGet(e *resttest.Env, id string) *resttest.Response {
	return gql(e, `query($id: ID!) { discount(id: $id) { `+discFields+` } }`, map[string]any{"id": id})
}

// discMut runs a mutation answering a DiscountPayload.
func discMut(e *resttest.Env, name, args, params string, vars map[string]any) *resttest.Response {
	return gql(e, `mutation(`+params+`) { `+name+`(`+args+`) { discount { `+discFields+` } userErrors { field message code } } }`, vars)
}

func TestDiscountsGraphQL(t *testing.T) {
	t.Parallel()
	e := resttest.New(t)
	w := discSetup(t, e)
	ruleCond := func(d txrJ) txrJ { return d["rule"].(txrJ) }

	// A dynamic percentage discount valid in two regions, restricted to a product.
	create := func(in map[string]any) *resttest.Response {
		return discMut(e, "createDiscount", "input: $in", "$in: CreateDiscountInput!", map[string]any{"in": in})
	}
	res := create(map[string]any{"code": "summer10", "isDynamic": true, "startsAt": "2030-01-01T00:00:00.000Z",
		"endsAt": "2030-12-31T00:00:00.000Z", "validDuration": "P1D", "usageLimit": 5, "regions": []string{w.region, w.other},
		"metadata": map[string]any{"k": "v"},
		"rule": map[string]any{"type": "PERCENTAGE", "value": 10, "allocation": "TOTAL", "description": "Ten off",
			"conditions": []any{map[string]any{"operator": "IN", "products": []string{w.p1}}}}})
	full := txrJ{"id": "$id:disc", "code": "SUMMER10", "isDynamic": true, "isDisabled": false, "startsAt": "2030-01-01T00:00:00.000Z",
		"endsAt": "2030-12-31T00:00:00.000Z", "validDuration": "P1D", "usageLimit": 5, "usageCount": 0, "parentDiscountId": nil,
		"metadata": txrJ{"k": "v"}, "rule": txrJ{"id": "$id:dru", "type": "PERCENTAGE", "value": 10, "allocation": "TOTAL",
			"description": "Ten off", "conditions": []any{discCond("$id:discon", "PRODUCTS", "IN", txrJ{"products": []any{w.p1J}})}},
		"regions": []any{w.regionJ, w.otherJ}, "parentDiscount": nil}
	if w.other < w.region { // regions by id
		full["regions"] = []any{w.otherJ, w.regionJ}
	}
	res.Expect(t, 200, discPayload("createDiscount", full, nil))
	body := res.JSON(t)["data"].(map[string]any)["createDiscount"].(map[string]any)["discount"].(map[string]any)
	id := body["id"].(string)
	rule := body["rule"].(map[string]any)
	ruleID := rule["id"].(string)
	condID := rule["conditions"].([]any)[0].(map[string]any)["id"].(string)
	full["id"] = id
	full["rule"] = txrMerge(ruleCond(full), txrJ{"id": ruleID, "conditions": []any{discCond(condID, "PRODUCTS", "IN", txrJ{"products": []any{w.p1J}})}})

	// A fixed, disabled discount with no regions or conditions.
	res = create(map[string]any{"code": "FLAT5", "isDisabled": true, "rule": map[string]any{"type": "FIXED", "value": 500, "allocation": "ITEM"}})
	flat := txrJ{"id": "$id:disc", "code": "FLAT5", "isDynamic": false, "isDisabled": true, "startsAt": "$time", "endsAt": nil,
		"validDuration": nil, "usageLimit": nil, "usageCount": 0, "parentDiscountId": nil, "metadata": nil,
		"rule":    txrJ{"id": "$id:dru", "type": "FIXED", "value": 500, "allocation": "ITEM", "description": nil, "conditions": []any{}},
		"regions": []any{}, "parentDiscount": nil}
	res.Expect(t, 200, discPayload("createDiscount", flat, nil))
	flatBody := res.JSON(t)["data"].(map[string]any)["createDiscount"].(map[string]any)["discount"].(map[string]any)
	flatID := flatBody["id"].(string)
	flat["id"], flat["startsAt"] = flatID, flatBody["startsAt"]
	flat["rule"] = txrMerge(ruleCond(flat), txrJ{"id": flatBody["rule"].(map[string]any)["id"]})

	// Bad input: a userError each, and nothing created.
	rule10 := map[string]any{"type": "PERCENTAGE", "value": 10, "allocation": "TOTAL"}
	for _, c := range []struct {
		in map[string]any
		ue txrJ
	}{
		{map[string]any{"code": "X", "rule": map[string]any{"type": "PERCENTAGE", "value": 200, "allocation": "TOTAL"}},
			txrUE("INVALID_DATA", "Discount value above 100 is not allowed when type is percentage")},
		{map[string]any{"code": "X", "regions": []string{w.region, w.other}, "rule": map[string]any{"type": "FIXED", "value": 1, "allocation": "TOTAL"}},
			txrUE("INVALID_DATA", "Fixed discounts can have one region")},
		{map[string]any{"code": "X", "regions": []string{"reg_missing"}, "rule": rule10}, txrUE("NOT_FOUND", "Region with reg_missing was not found")},
		{map[string]any{"code": "X", "validDuration": "1 day", "rule": rule10},
			discUEF("INVALID_DATA", `"valid_duration" must be a valid ISO 8601 duration`, "validDuration")},
		{map[string]any{"code": "X", "rule": map[string]any{"type": "PERCENTAGE", "value": 10, "allocation": "TOTAL",
			"conditions": []any{map[string]any{"operator": "IN", "products": []string{"prod_missing"}}}}},
			txrUE("NOT_FOUND", "Product with id: prod_missing was not found")},
		{map[string]any{"code": "summer10", "rule": rule10}, txrUE("DUPLICATE_ERROR", "Discount with code SUMMER10 already exists.")},
	} {
		create(c.in).Expect(t, 200, discPayload("createDiscount", nil, c.ue))
	}
	if n := txrCount(t, e, `SELECT count(*) FROM discount`); n != 2 {
		t.Fatalf("%d discounts after refused creates, want 2", n)
	}
	if n := txrCount(t, e, `SELECT (SELECT count(*) FROM discount_rule) + (SELECT count(*) FROM discount_condition) + (SELECT count(*) FROM discount_regions)`); n != 5 {
		t.Fatalf("%d rules, conditions and region links after refused creates, want 5", n)
	}

	// Reads.
	discGet(e, id).Expect(t, 200, txrJSON(txrJ{"data": txrJ{"discount": full}}))
	discGet(e, "disc_missing").Expect(t, 200, `{"data":{"discount":null}}`)
	gql(e, `{ discountByCode(code: "FLAT5") { `+discFields+` } }`, nil).Expect(t, 200, txrJSON(txrJ{"data": txrJ{"discountByCode": flat}}))
	gql(e, `{ discountByCode(code: "flat5") { id } }`, nil).Expect(t, 200, `{"data":{"discountByCode":null}}`)
	list := func(args string, want ...txrJ) {
		t.Helper()
		nodes := make([]any, len(want))
		for i, w := range want {
			nodes[i] = w
		}
		gql(e, `{ discounts`+args+` { totalCount nodes { `+discFields+` } } }`, nil).Expect(t, 200,
			txrJSON(txrJ{"data": txrJ{"discounts": txrJ{"totalCount": len(want), "nodes": nodes}}}))
	}
	list("", flat, full)
	list(`(q: "mer")`, full)
	list(`(isDynamic: true)`, full)
	list(`(isDisabled: true)`, flat)
	list(`(isDisabled: false, isDynamic: false)`)
	gql(e, `{ discounts(first: 1) { totalCount pageInfo { hasNextPage hasPreviousPage endCursor } edges { cursor node { id } } } }`, nil).
		Expect(t, 200, txrJSON(txrJ{"data": txrJ{"discounts": txrJ{"totalCount": 2, "pageInfo": txrJ{"hasNextPage": true,
			"hasPreviousPage": false, "endCursor": "$string"}, "edges": []any{txrJ{"cursor": "$string", "node": txrJ{"id": flatID}}}}}}))
	cond := discCond(condID, "PRODUCTS", "IN", txrJ{"products": []any{w.p1J}})
	gql(e, `query($d: ID!, $c: ID!) { discountCondition(discountId: $d, id: $c) { `+disconFields+` } }`, map[string]any{"d": id, "c": condID}).
		Expect(t, 200, txrJSON(txrJ{"data": txrJ{"discountCondition": cond}}))
	gql(e, `query($d: ID!, $c: ID!) { discountCondition(discountId: $d, id: $c) { id } }`, map[string]any{"d": flatID, "c": condID}).
		Expect(t, 200, `{"data":{"discountCondition":null}}`)
	gql(e, `query($a: ID!, $b: ID!) { a: node(id: $a) { ... on Discount { id code } } b: node(id: $b) { ... on DiscountCondition { id type } }
		c: node(id: "disc_missing") { id } }`, map[string]any{"a": id, "b": condID}).
		Expect(t, 200, txrJSON(txrJ{"data": txrJ{"a": txrJ{"id": id, "code": "SUMMER10"}, "b": txrJ{"id": condID, "type": "PRODUCTS"}, "c": nil}}))

	// Conditions: one per type and operator.
	res = discMut(e, "createDiscountCondition", "discountId: $d, input: $in", "$d: ID!, $in: DiscountConditionInput!",
		map[string]any{"d": id, "in": map[string]any{"operator": "NOT_IN", "customerGroups": []string{w.group}}})
	groupCond := discCond("$id:discon", "CUSTOMER_GROUPS", "NOT_IN", txrJ{"customerGroups": []any{w.groupJ}})
	full["rule"] = txrMerge(ruleCond(full), txrJ{"conditions": []any{groupCond, cond}})
	res.Expect(t, 200, discPayload("createDiscountCondition", full, nil))
	groupCondID := res.JSON(t)["data"].(map[string]any)["createDiscountCondition"].(map[string]any)["discount"].(map[string]any)["rule"].(map[string]any)["conditions"].([]any)[0].(map[string]any)["id"].(string)
	groupCond["id"] = groupCondID
	for _, c := range []struct {
		in map[string]any
		ue txrJ
	}{
		{map[string]any{"operator": "IN"}, txrUE("INVALID_DATA", "Missing one of products, collections, tags, types or customer groups in data")},
		{map[string]any{"operator": "IN", "products": []string{w.p2}},
			txrUE("DUPLICATE_ERROR", "Discount Condition with operator 'in' and type 'products' already exist on a Discount Rule")},
		{map[string]any{"products": []string{w.p2}}, txrUE("INVALID_DATA", "operator must be a string")},
	} {
		discMut(e, "createDiscountCondition", "discountId: $d, input: $in", "$d: ID!, $in: DiscountConditionInput!",
			map[string]any{"d": id, "in": c.in}).Expect(t, 200, discPayload("createDiscountCondition", nil, c.ue))
	}
	discMut(e, "createDiscountCondition", "discountId: $d, input: $in", "$d: ID!, $in: DiscountConditionInput!",
		map[string]any{"d": "disc_missing", "in": map[string]any{"operator": "IN", "productTags": []string{w.tag}}}).
		Expect(t, 200, discPayload("createDiscountCondition", nil, txrUE("NOT_FOUND", "Discount with disc_missing was not found")))
	res = discMut(e, "updateDiscountCondition", "discountId: $d, id: $c, input: $in", "$d: ID!, $c: ID!, $in: DiscountConditionInput!",
		map[string]any{"d": id, "c": condID, "in": map[string]any{"operator": "NOT_IN", "products": []string{w.p2, w.p1}}})
	// The link it kept stays first (links are in the order they were made). The new operator
	// rewrites the condition's row, which PostgreSQL stores anew: with the discount's regions
	// loaded, Medusa lists the conditions last-stored first, so it now comes first.
	cond = discCond(condID, "PRODUCTS", "NOT_IN", txrJ{"products": []any{w.p1J, w.p2J}})
	full["rule"] = txrMerge(ruleCond(full), txrJ{"conditions": []any{cond, groupCond}})
	res.Expect(t, 200, discPayload("updateDiscountCondition", full, nil))
	discMut(e, "updateDiscountCondition", "discountId: $d, id: $c, input: $in", "$d: ID!, $c: ID!, $in: DiscountConditionInput!",
		map[string]any{"d": id, "c": condID, "in": map[string]any{"productTypes": []string{w.typ}}}).
		Expect(t, 200, discPayload("updateDiscountCondition", nil, txrUE("INVALID_DATA", "Condition with id "+condID+" is of type products, not product_types")))
	discMut(e, "updateDiscountCondition", "discountId: $d, id: $c, input: $in", "$d: ID!, $c: ID!, $in: DiscountConditionInput!",
		map[string]any{"d": flatID, "c": condID, "in": map[string]any{"products": []string{w.p1}}}).
		Expect(t, 200, discPayload("updateDiscountCondition", nil, txrUE("NOT_FOUND", "Condition with id "+condID+" does not belong to Discount with id "+flatID)))
	discGet(e, id).Expect(t, 200, txrJSON(txrJ{"data": txrJ{"discount": full}}))
	res = discMut(e, "deleteDiscountCondition", "discountId: $d, id: $c", "$d: ID!, $c: ID!", map[string]any{"d": id, "c": groupCondID})
	full["rule"] = txrMerge(ruleCond(full), txrJ{"conditions": []any{cond}})
	res.Expect(t, 200, discPayload("deleteDiscountCondition", full, nil))
	discMut(e, "deleteDiscountCondition", "discountId: $d, id: $c", "$d: ID!, $c: ID!", map[string]any{"d": id, "c": groupCondID}).
		Expect(t, 200, discPayload("deleteDiscountCondition", full, nil))
	discMut(e, "deleteDiscountCondition", "discountId: $d, id: $c", "$d: ID!, $c: ID!", map[string]any{"d": flatID, "c": condID}).
		Expect(t, 200, discPayload("deleteDiscountCondition", nil, txrUE("NOT_FOUND", "Condition with id "+condID+" does not belong to Discount with id "+flatID)))

	// Update: the discount, its rule (with a new condition) and its regions.
	update := func(id string, in map[string]any) *resttest.Response {
		return discMut(e, "updateDiscount", "id: $id, input: $in", "$id: ID!, $in: UpdateDiscountInput!", map[string]any{"id": id, "in": in})
	}
	res = update(id, map[string]any{"code": "summer20", "endsAt": nil, "usageLimit": nil, "regions": []string{w.region},
		"metadata": map[string]any{"x": 1}, "rule": map[string]any{"value": 20, "description": nil, "allocation": "ITEM",
			"conditions": []any{map[string]any{"operator": "IN", "productCollections": []string{w.col}}}}})
	colCond := discCond("$id:discon", "PRODUCT_COLLECTIONS", "IN", txrJ{"productCollections": []any{w.colJ}})
	full = txrMerge(full, txrJ{"code": "SUMMER20", "endsAt": nil, "usageLimit": nil, "regions": []any{w.regionJ},
		"metadata": txrJ{"k": "v", "x": 1}, "rule": txrMerge(ruleCond(full), txrJ{"value": 20, "description": nil, "allocation": "ITEM",
			"conditions": []any{colCond, cond}})})
	res.Expect(t, 200, discPayload("updateDiscount", full, nil))
	colCond["id"] = res.JSON(t)["data"].(map[string]any)["updateDiscount"].(map[string]any)["discount"].(map[string]any)["rule"].(map[string]any)["conditions"].([]any)[0].(map[string]any)["id"]
	for _, c := range []struct {
		id string
		in map[string]any
		ue txrJ
	}{
		{id, map[string]any{"code": "changed", "usageLimit": 0}, discUEF("INVALID_DATA", "usage_limit must be a positive number", "usageLimit")},
		{id, map[string]any{"code": "changed", "rule": map[string]any{"value": 101}}, txrUE("INVALID_DATA", "Discount value above 100 is not allowed when type is percentage")},
		{id, map[string]any{"code": "changed", "startsAt": "2031-01-01T00:00:00.000Z", "endsAt": "2030-06-01T00:00:00.000Z"},
			txrUE("INVALID_DATA", `"ends_at" must be greater than "starts_at"`)},
		{flatID, map[string]any{"regions": []string{w.region, w.other}}, txrUE("INVALID_DATA", "Fixed discounts can have one region")},
		{id, map[string]any{"code": "changed", "regions": []string{"reg_missing"}}, txrUE("NOT_FOUND", "Region with reg_missing was not found")},
		{"disc_missing", map[string]any{"code": "changed", "rule": map[string]any{"value": 1}}, txrUE("NOT_FOUND", "Discount with disc_missing was not found")},
		{"disc_missing", map[string]any{"code": "changed"}, txrUE("NOT_FOUND", "Discount with disc_missing was not found")},
	} {
		update(c.id, c.in).Expect(t, 200, discPayload("updateDiscount", nil, c.ue))
	}
	discGet(e, id).Expect(t, 200, txrJSON(txrJ{"data": txrJ{"discount": full}}))
	discGet(e, flatID).Expect(t, 200, txrJSON(txrJ{"data": txrJ{"discount": flat}}))

	// Regions.
	region := func(name, id, reg string) *resttest.Response {
		return discMut(e, name, "id: $id, regionId: $r", "$id: ID!, $r: ID!", map[string]any{"id": id, "r": reg})
	}
	region("addDiscountRegion", flatID, w.other).Expect(t, 200, discPayload("addDiscountRegion", txrMerge(flat, txrJ{"regions": []any{w.otherJ}}), nil))
	region("addDiscountRegion", flatID, w.region).Expect(t, 200, discPayload("addDiscountRegion", nil, txrUE("INVALID_DATA", "Fixed discounts can have one region")))
	region("addDiscountRegion", id, "reg_missing").Expect(t, 200, discPayload("addDiscountRegion", nil, txrUE("NOT_FOUND", "Region with reg_missing was not found")))
	region("removeDiscountRegion", flatID, w.other).Expect(t, 200, discPayload("removeDiscountRegion", flat, nil))
	region("removeDiscountRegion", "disc_missing", w.other).Expect(t, 200, discPayload("removeDiscountRegion", nil, txrUE("NOT_FOUND", "Discount with disc_missing was not found")))

	// Dynamic codes: a child sharing its parent's rule.
	res = discMut(e, "createDynamicCode", "id: $id, input: $in", "$id: ID!, $in: CreateDynamicCodeInput!",
		map[string]any{"id": id, "in": map[string]any{"code": "vip-1", "metadata": map[string]any{"n": 1}}})
	child := txrMerge(full, txrJ{"id": "$id:disc", "code": "VIP-1", "startsAt": "$time", "endsAt": "$time", "validDuration": nil, "usageLimit": nil,
		"parentDiscountId": id, "metadata": txrJ{"n": 1}, "regions": []any{}, "parentDiscount": txrJ{"id": id, "code": "SUMMER20"}})
	res.Expect(t, 200, discPayload("createDynamicCode", child, nil))
	childID := res.JSON(t)["data"].(map[string]any)["createDynamicCode"].(map[string]any)["discount"].(map[string]any)["id"].(string)
	for _, c := range []struct {
		id, code string
		ue       txrJ
	}{
		{flatID, "x", txrUE("NOT_ALLOWED", "Discount must be set to dynamic")},
		{"disc_missing", "x", txrUE("NOT_FOUND", "Discount with disc_missing was not found")},
		{id, "vip-1", txrUE("DUPLICATE_ERROR", "Discount with code VIP-1 already exists.")},
	} {
		discMut(e, "createDynamicCode", "id: $id, input: $in", "$id: ID!, $in: CreateDynamicCodeInput!",
			map[string]any{"id": c.id, "in": map[string]any{"code": c.code}}).Expect(t, 200, discPayload("createDynamicCode", nil, c.ue))
	}
	if n := txrCount(t, e, `SELECT count(*) FROM discount`); n != 3 {
		t.Fatalf("%d discounts, want 3", n)
	}
	list(`(isDynamic: true, q: "VIP")`, txrMerge(child, txrJ{"id": childID}))
	discMut(e, "deleteDynamicCode", "id: $id, code: $c", "$id: ID!, $c: String!", map[string]any{"id": "disc_missing", "c": "VIP-1"}).
		Expect(t, 200, discPayload("deleteDynamicCode", nil, txrUE("NOT_FOUND", "Discount with disc_missing was not found")))
	discMut(e, "deleteDynamicCode", "id: $id, code: $c", "$id: ID!, $c: String!", map[string]any{"id": id, "c": "VIP-1"}).
		Expect(t, 200, discPayload("deleteDynamicCode", full, nil))
	discGet(e, childID).Expect(t, 200, `{"data":{"discount":null}}`)

	// Delete.
	del := `mutation($id: ID!) { deleteDiscount(id: $id) { deletedId userErrors { field message code } } }`
	gql(e, del, map[string]any{"id": flatID}).Expect(t, 200, `{"data":{"deleteDiscount":{"deletedId":"`+flatID+`","userErrors":[]}}}`)
	gql(e, del, map[string]any{"id": flatID}).Expect(t, 200, `{"data":{"deleteDiscount":{"deletedId":"`+flatID+`","userErrors":[]}}}`)
	discGet(e, flatID).Expect(t, 200, `{"data":{"discount":null}}`)
	list("", full)
}

// A page of discounts with their rule, conditions (and their lists), regions and parents costs the
// same statements whatever its size.
func TestDiscountsBatched(t *testing.T) {
	t.Parallel()
	e := resttest.New(t)
	w := discSetup(t, e)
	ctx := context.Background()
	parent, err := e.Store.CreateDiscount(ctx, store.CreateDiscountInput{Code: "PARENT", IsDynamic: true,
		Rule: store.DiscountRuleInput{Type: "percentage", Value: 5, Allocation: "total"}}, store.Find{})
	if err != nil {
		t.Fatal(err)
	}
	add := func(from, to int) {
		for i := from; i < to; i++ {
			if i%2 == 1 {
				if _, err := e.Store.CreateDynamicCode(ctx, parent.ID, store.DynamicCodeInput{Code: fmt.Sprintf("CHILD%d", i)}); err != nil {
					t.Fatal(err)
				}
				continue
			}
			if _, err := e.Store.CreateDiscount(ctx, store.CreateDiscountInput{Code: fmt.Sprintf("D%d", i), Regions: []string{w.region, w.other},
				Rule: store.DiscountRuleInput{Type: "percentage", Value: 10, Allocation: "total", Conditions: []store.DiscountConditionInput{
					{Operator: strPtr("in"), Products: []string{w.p1, w.p2}}, {Operator: strPtr("not_in"), CustomerGroups: []string{w.group}},
					{Operator: strPtr("in"), ProductTypes: []string{w.typ}}, {Operator: strPtr("in"), ProductTags: []string{w.tag}},
					{Operator: strPtr("in"), ProductCollections: []string{w.col}}}}}, store.Find{}); err != nil {
				t.Fatal(err)
			}
		}
	}
	query := func(n int) int64 {
		res := gql(e, `{ discounts(first: 50) { totalCount nodes { id code regions { id name countries { iso2 } }
			rule { type value allocation conditions { id type operator products { id title type { value } } productTypes { id value }
			productCollections { id title } productTags { id value } customerGroups { id name } } }
			parentDiscount { id code rule { conditions { id } } regions { id } } } } }`, nil)
		if strings.Contains(string(res.Body), `"errors"`) {
			t.Fatal(string(res.Body))
		}
		nodes := res.JSON(t)["data"].(map[string]any)["discounts"].(map[string]any)["nodes"].([]any)
		if len(nodes) != n+1 {
			t.Fatalf("%d discounts, want %d: %s", len(nodes), n+1, res.Body)
		}
		for _, node := range nodes {
			d := node.(map[string]any)
			if strings.HasPrefix(d["code"].(string), "D") {
				conds := d["rule"].(map[string]any)["conditions"].([]any)
				if len(conds) != 5 || len(d["regions"].([]any)) != 2 {
					t.Fatalf("conditions or regions missing: %s", res.Body)
				}
			}
		}
		return e.Queries
	}
	add(0, 2)
	q2 := query(2)
	add(2, 20)
	if q20 := query(20); q20 != q2 {
		t.Fatalf("20 discounts cost %d statements, 2 discounts %d", q20, q2)
	}
	t.Logf("a page of discounts with rule, conditions and their lists, regions and parents: %d statements", q2)
}
