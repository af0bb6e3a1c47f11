package rest_test

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"

	"github.com/gorgon-commerce/gorgon/rest/resttest"
	"github.com/gorgon-commerce/gorgon/store"
)

// discFixture is what the discount tests point at: a usd region with the manual providers, an
// eur region without providers, two products, a product type, tag and collection, a customer
// group.
type discFixture struct {
	usd, eur                   string
	tee, cap                   string
	typ, tag, col, group, vips string
}

func newDiscFixture(t *testing.T, e *resttest.Env) discFixture {
	t.Helper()
	var f discFixture
	f.usd = createNordics(t, e)
	f.eur = store.NewID("reg")
	catExec(t, e, `INSERT INTO region (id, name, currency_code, tax_rate) VALUES (?, 'EU', 'eur', 20)`, f.eur)
	f.tee, f.cap = catProduct(t, e, "Tee"), catProduct(t, e, "Cap")
	f.typ, f.tag, f.col, f.group = store.NewID("ptyp"), store.NewID("ptag"), store.NewID("pcol"), store.NewID("cgrp")
	catExec(t, e, `INSERT INTO product_type (id, value) VALUES (?, 'Shirts')`, f.typ)
	catExec(t, e, `INSERT INTO product_tag (id, value) VALUES (?, 'summer')`, f.tag)
	catExec(t, e, `INSERT INTO product_collection (id, title, handle) VALUES (?, 'Summer', 'summer')`, f.col)
	catExec(t, e, `INSERT INTO customer_group (id, name) VALUES (?, 'VIP')`, f.group)
	return f
}

// js marshals a test value.
func discJS(v any) string {
	b, err := json.Marshal(v)
	if err != nil {
		panic(err)
	}
	return string(b)
}

func discWith(m map[string]any, over map[string]any) map[string]any {
	for k, v := range over {
		m[k] = v
	}
	return m
}

// newestFirst lists a rule's conditions (given in creation order) as Medusa does when it loads
// the discount's regions too (its default relations): newest first.
func newestFirst(conds ...any) []any {
	out := make([]any, len(conds))
	for i, c := range conds {
		out[len(conds)-1-i] = c
	}
	return out
}

// inCreationOrder lists a rule's conditions as Medusa does when the request does not load the
// discount's regions too: in the order they were made.
func inCreationOrder(conds ...any) []any { return conds }

func discWithout(m map[string]any, keys ...string) map[string]any {
	for _, k := range keys {
		delete(m, k)
	}
	return m
}

// region is a region as a discount's regions relation shows it: eager providers, no countries.
func (f discFixture) region(id string) map[string]any {
	m := map[string]any{"id": id, "name": "Nordics", "currency_code": "usd", "tax_rate": 25, "tax_code": "VAT",
		"gift_cards_taxable": true, "automatic_taxes": true, "tax_provider_id": nil, "created_at": "$time", "updated_at": "$time",
		"deleted_at": nil, "metadata": nil, "payment_providers": manualProviders, "fulfillment_providers": manualProviders}
	if id == f.eur {
		discWith(m, map[string]any{"name": "EU", "currency_code": "eur", "tax_rate": 20, "tax_code": nil,
			"payment_providers": []any{}, "fulfillment_providers": []any{}})
	}
	return m
}

func discRule(over map[string]any) map[string]any {
	return discWith(map[string]any{"id": "$id:dru", "description": nil, "type": "percentage", "value": 10, "allocation": "total",
		"created_at": "$time", "updated_at": "$time", "deleted_at": nil, "metadata": nil, "conditions": []any{}}, over)
}

func discCondition(id, typ, op, rule string) map[string]any {
	return map[string]any{"id": id, "type": typ, "operator": op, "discount_rule_id": rule,
		"created_at": "$time", "updated_at": "$time", "deleted_at": nil, "metadata": nil}
}

// discColumns is a discount's row as Medusa answers it.
func discColumns(over map[string]any) map[string]any {
	return discWith(map[string]any{"id": "$id:disc", "code": "SUMMER10", "is_dynamic": false, "rule_id": "$id:dru", "is_disabled": false,
		"parent_discount_id": nil, "starts_at": "$time", "ends_at": nil, "valid_duration": nil, "usage_limit": nil, "usage_count": 0,
		"created_at": "$time", "updated_at": "$time", "deleted_at": nil, "metadata": nil}, over)
}

// disc is a discount with Medusa's default relations.
func disc(over map[string]any) map[string]any {
	return discWith(discColumns(map[string]any{"rule": discRule(nil), "parent_discount": nil, "regions": []any{}}), over)
}

func discountJSON(over map[string]any) string { return discJS(map[string]any{"discount": disc(over)}) }

func discErr(typ, msg string) string {
	if typ == "duplicate_error" {
		return discJS(map[string]any{"type": typ, "code": "invalid_request_error", "message": msg})
	}
	return discJS(map[string]any{"type": typ, "message": msg})
}

func discBad(msg string) string { return discErr("invalid_data", msg) }

// createDiscount creates a discount and returns its id and its rule's id.
func createDiscount(t *testing.T, e *resttest.Env, body map[string]any) (string, string) {
	t.Helper()
	res := e.Do("POST", "/admin/discounts", body)
	if res.Status != 200 {
		t.Fatalf("create discount: %d %s", res.Status, res.Body)
	}
	d := res.JSON(t)["discount"].(map[string]any)
	return d["id"].(string), d["rule_id"].(string)
}

func pct10(code string, over map[string]any) map[string]any {
	return discWith(map[string]any{"code": code, "rule": map[string]any{"type": "percentage", "value": 10, "allocation": "total"}}, over)
}

// discountRows counts the rows of the discount tables, to show that refused writes changed nothing.
func discountRows(t *testing.T, e *resttest.Env) string {
	t.Helper()
	var parts []string
	for _, table := range []string{"discount", "discount_rule", "discount_condition", "discount_regions", "discount_condition_product",
		"discount_condition_customer_group"} {
		parts = append(parts, fmt.Sprintf("%s=%d", table, countRows(t, e, "SELECT count(*) FROM "+table)))
	}
	return strings.Join(parts, " ")
}

func TestDiscountsCreateAndGet(t *testing.T) {
	t.Parallel()
	e := resttest.New(t)
	f := newDiscFixture(t, e)
	res := e.Do("POST", "/admin/discounts", map[string]any{"code": "summer10", "is_dynamic": true, "valid_duration": "P2DT3H",
		"usage_limit": 5, "starts_at": "2026-01-01T00:00:00Z", "ends_at": "2027-01-01T10:00:00.123Z", "metadata": map[string]any{"a": 1},
		"regions": []string{f.usd, f.eur}, "rule": map[string]any{"type": "percentage", "value": 15, "allocation": "item", "description": "hi",
			"conditions": []any{map[string]any{"operator": "in", "products": []string{f.tee, f.cap}},
				map[string]any{"operator": "not_in", "customer_groups": []string{f.group}}}}})
	created := disc(map[string]any{"is_dynamic": true, "valid_duration": "P2DT3H", "usage_limit": 5, "starts_at": "2026-01-01T00:00:00.000Z",
		"ends_at": "2027-01-01T10:00:00.123Z", "metadata": map[string]any{"a": 1}, "regions": []any{f.region(f.usd), f.region(f.eur)},
		"rule": discRule(map[string]any{"value": 15, "allocation": "item", "description": "hi", "conditions": newestFirst(
			discCondition("$id:discon", "products", "in", "$id:dru"), discCondition("$id:discon", "customer_groups", "not_in", "$id:dru"))})})
	res.Expect(t, 200, discJS(map[string]any{"discount": created}))
	res.MatchesSpec(t, "POST", "/admin/discounts")
	d := res.JSON(t)["discount"].(map[string]any)
	id, rule := d["id"].(string), d["rule_id"].(string)
	conds := d["rule"].(map[string]any)["conditions"].([]any)
	c1, c2 := conds[1].(map[string]any)["id"].(string), conds[0].(map[string]any)["id"].(string)
	created = disc(map[string]any{"id": id, "rule_id": rule, "code": "SUMMER10", "is_dynamic": true, "valid_duration": "P2DT3H", "usage_limit": 5,
		"starts_at": "2026-01-01T00:00:00.000Z", "ends_at": "2027-01-01T10:00:00.123Z", "metadata": map[string]any{"a": 1},
		"regions": []any{f.region(f.usd), f.region(f.eur)},
		"rule": discRule(map[string]any{"id": rule, "value": 15, "allocation": "item", "description": "hi", "conditions": newestFirst(
			discCondition(c1, "products", "in", rule), discCondition(c2, "customer_groups", "not_in", rule))})})
	want := discJS(map[string]any{"discount": created})

	res = e.Do("GET", "/admin/discounts/"+id, nil)
	res.Expect(t, 200, want)
	res.MatchesSpec(t, "GET", "/admin/discounts/"+id)
	// By code: exactly as stored (Medusa does not upper-case it here).
	res = e.Do("GET", "/admin/discounts/code/SUMMER10", nil)
	res.Expect(t, 200, want)
	res.MatchesSpec(t, "GET", "/admin/discounts/code/SUMMER10")
	e.Do("GET", "/admin/discounts/code/summer10", nil).Expect(t, 404, discErr("not_found", "Discount with code summer10 was not found"))
	e.Do("GET", "/admin/discounts/disc_missing", nil).Expect(t, 404, discErr("not_found", "Discount with disc_missing was not found"))

	// fields narrows the columns (id stays) and keeps the default relations; expand replaces them.
	e.Do("GET", "/admin/discounts/"+id+"?fields=code,usage_limit", nil).Expect(t, 200, discJS(map[string]any{"discount": map[string]any{
		"id": id, "code": "SUMMER10", "usage_limit": 5, "rule": created["rule"], "parent_discount": nil, "regions": created["regions"]}}))
	e.Do("GET", "/admin/discounts/code/SUMMER10?fields=code&expand=parent_discount", nil).Expect(t, 200,
		discJS(map[string]any{"discount": map[string]any{"id": id, "code": "SUMMER10", "parent_discount": nil}}))
	tee := json.RawMessage(catProductJSON(f.tee, "Tee", ""))
	capP := json.RawMessage(catProductJSON(f.cap, "Cap", ""))
	e.Do("GET", "/admin/discounts/"+id+"?expand=rule,rule.conditions,rule.conditions.products", nil).Expect(t, 200, discJS(map[string]any{
		"discount": discColumns(map[string]any{"id": id, "rule_id": rule, "is_dynamic": true, "valid_duration": "P2DT3H", "usage_limit": 5,
			"starts_at": "2026-01-01T00:00:00.000Z", "ends_at": "2027-01-01T10:00:00.123Z", "metadata": map[string]any{"a": 1},
			"rule": discRule(map[string]any{"id": rule, "value": 15, "allocation": "item", "description": "hi", "conditions": inCreationOrder(
				discWith(discCondition(c1, "products", "in", rule), map[string]any{"products": []any{tee, capP}}),
				discWith(discCondition(c2, "customer_groups", "not_in", rule), map[string]any{"products": []any{}}))})})}))

	for _, tc := range []struct{ query, want string }{
		{"expand=nope", "Relation nope not found"},
		{"fields=nope", "Field nope is not valid"},
		{"expand=rule&expand=regions", "expand must be a string"},
		{"foo=1&fields[]=code", "property foo should not exist, fields must be a string"},
	} {
		// Medusa answers the first two with a 500.
		e.Do("GET", "/admin/discounts/"+id+"?"+tc.query, nil).Expect(t, 400, discBad(tc.want))
		e.Do("GET", "/admin/discounts/code/SUMMER10?"+tc.query, nil).Expect(t, 400, discBad(tc.want))
	}

	// A fixed discount in one region; starts now; the minimal body.
	res = e.Do("POST", "/admin/discounts?fields=code", map[string]any{"code": "fix5", "regions": []string{f.eur},
		"rule": map[string]any{"type": "fixed", "value": 500, "allocation": "total"}})
	res.Expect(t, 200, discJS(map[string]any{"discount": map[string]any{"id": "$id:disc", "code": "FIX5",
		"rule": discRule(map[string]any{"type": "fixed", "value": 500}), "parent_discount": nil, "regions": []any{f.region(f.eur)}}}))
	// free shipping, disabled, no regions (Medusa does not require them).
	res = e.Do("POST", "/admin/discounts?expand=rule", map[string]any{"code": "Ship", "is_disabled": true, "usage_limit": 1, "ends_at": nil,
		"rule": map[string]any{"type": "free_shipping", "value": 0, "allocation": "total", "description": nil, "conditions": []any{}}})
	res.Expect(t, 200, discJS(map[string]any{"discount": discColumns(map[string]any{"code": "SHIP", "is_disabled": true, "usage_limit": 1,
		"rule": discWithout(discRule(map[string]any{"type": "free_shipping", "value": 0}), "conditions")})}))
}

func TestDiscountsCreateBadInput(t *testing.T) {
	t.Parallel()
	e := resttest.New(t)
	f := newDiscFixture(t, e)
	createDiscount(t, e, pct10("taken", nil))
	before := discountRows(t, e)
	rule := func(over map[string]any) map[string]any {
		return discWith(map[string]any{"type": "percentage", "value": 10, "allocation": "total"}, over)
	}
	for _, tc := range []struct {
		body   any
		status int
		want   string
	}{
		{map[string]any{}, 400, discBad("code should not be empty, code must be a string, rule should not be empty")},
		{`{"foo":1,"code":5,"rule":{"bar":2,"type":"x","value":"a","allocation":"y"},"is_dynamic":"x","is_disabled":3,"starts_at":"nope",
			"ends_at":"nope","valid_duration":"P1X","usage_limit":-1,"regions":"x","metadata":[1]}`, 400, discBad(`property foo should not exist, ` +
			`code must be a string, property bar should not exist, Invalid rule type, must be one of "fixed", "percentage" or "free_shipping", ` +
			`value must be a number conforming to the specified constraints, Invalid allocation type, must be one of "total" or "item", ` +
			`is_dynamic must be a boolean value, is_disabled must be a boolean value, starts_at must be a Date instance, ` +
			`"ends_at" must be greater than "starts_at", ends_at must be a Date instance, "valid_duration" must be a valid ISO 8601 duration, ` +
			`usage_limit must be a positive number, regions must be an array, metadata must be an object`)},
		{map[string]any{"code": "", "rule": "x"}, 400, discBad("code should not be empty, nested property rule must be either object or array")},
		{map[string]any{"code": "a", "rule": nil}, 400, discBad("rule should not be empty, nested property rule must be either object or array")},
		{map[string]any{"code": "a", "rule": ""}, 400, discBad("rule should not be empty, nested property rule must be either object or array")},
		{map[string]any{"code": "a", "rule": []any{1}}, 400, discBad("nested property rule must be either object or array")},
		{map[string]any{"code": "a", "rule": map[string]any{}}, 400, discBad(`Invalid rule type, must be one of "fixed", "percentage" or ` +
			`"free_shipping", value must be a number conforming to the specified constraints, Invalid allocation type, must be one of "total" or "item"`)},
		{map[string]any{"code": "a", "rule": []any{map[string]any{"type": "fixed"}}}, 400,
			discBad(`value must be a number conforming to the specified constraints, Invalid allocation type, must be one of "total" or "item"`)},
		// Medusa validates the objects of an array and then fails on it with a 500.
		{map[string]any{"code": "a", "rule": []any{}}, 400, discBad("nested property rule must be either object or array")},
		{map[string]any{"code": "a", "rule": []any{rule(nil)}}, 400, discBad("nested property rule must be either object or array")},
		{map[string]any{"code": "a", "rule": rule(map[string]any{"description": 5, "conditions": "x"})}, 400,
			discBad("description must be a string, conditions must be an array, each value in nested property conditions must be either object or array")},
		{map[string]any{"code": "a", "rule": rule(map[string]any{"conditions": []any{map[string]any{"foo": 1}}})}, 400,
			discBad("property foo should not exist, operator must be a string")},
		{map[string]any{"code": "a", "rule": rule(map[string]any{"conditions": []any{map[string]any{"operator": 5, "products": "x", "product_types": []any{1}}}})},
			400, discBad("operator must be a string, products must be an array, Only one of products, product_types is allowed, " +
				"each value in product_types must be a string, Only one of product_types, products is allowed")},
		{map[string]any{"code": "a", "rule": rule(map[string]any{"conditions": []any{1, map[string]any{}}})}, 400,
			discBad("each value in nested property conditions must be either object or array, operator must be a string")},
		{map[string]any{"code": "a", "rule": rule(map[string]any{"conditions": map[string]any{"operator": 1}})}, 400,
			discBad("conditions must be an array, operator must be a string")},
		{map[string]any{"code": "a", "rule": map[string]any{"type": "fixed", "value": nil, "allocation": nil, "description": nil}}, 400,
			discBad(`value must be a number conforming to the specified constraints, Invalid allocation type, must be one of "total" or "item"`)},
		{map[string]any{"code": nil, "rule": rule(nil), "ends_at": "2020-01-01"}, 400, discBad("code should not be empty, code must be a string")},
		{pct10("a", map[string]any{"usage_limit": "x"}), 400,
			discBad("usage_limit must be a positive number, usage_limit must be a number conforming to the specified constraints")},
		{pct10("a", map[string]any{"ends_at": "nope"}), 400, discBad("ends_at must be a Date instance")},
		{pct10("a", map[string]any{"valid_duration": 5, "regions": []any{1, "a"}}), 400,
			discBad(`"valid_duration" must be a valid ISO 8601 duration, each value in regions must be a string`)},
		{pct10("a", map[string]any{"valid_duration": "PT"}), 400, discBad(`"valid_duration" must be a valid ISO 8601 duration`)},
		{pct10("a", map[string]any{"starts_at": "2030-01-01", "ends_at": "2029-01-01"}), 400, discBad(`"ends_at" must be greater than "starts_at"`)},
		// Medusa stores these nulls and fails on the NOT NULL columns (a 500).
		{pct10("a", map[string]any{"starts_at": nil}), 400, discBad("starts_at must be a Date instance")},
		{pct10("a", map[string]any{"is_dynamic": nil, "is_disabled": nil}), 400,
			discBad("is_dynamic must be a boolean value, is_disabled must be a boolean value")},
		// The rule's checks, then the regions, in Medusa's order.
		{pct10("a", map[string]any{"rule": rule(map[string]any{"value": 101}), "regions": []string{"reg_missing"}}), 400,
			discBad("Discount value above 100 is not allowed when type is percentage")},
		// Medusa stores a negative percentage.
		{pct10("a", map[string]any{"rule": rule(map[string]any{"value": -5})}), 400,
			discBad("Discount value below 0 is not allowed when type is percentage")},
		// Medusa passes a fraction to the integer column (a 500).
		{pct10("a", map[string]any{"rule": rule(map[string]any{"value": 10.5})}), 400,
			discBad("value must be a number conforming to the specified constraints")},
		{pct10("a", map[string]any{"usage_limit": 1.5}), 400, discBad("usage_limit must be a number conforming to the specified constraints")},
		{pct10("a", map[string]any{"rule": rule(map[string]any{"type": "fixed"}), "regions": []string{f.usd, f.eur}}), 400,
			discBad("Fixed discounts can have one region")},
		{pct10("a", map[string]any{"regions": []string{f.usd, "reg_missing"}}), 404, discErr("not_found", "Region with reg_missing was not found")},
		{pct10("Taken", nil), 422, discErr("duplicate_error", "Discount with code TAKEN already exists.")},
		{pct10("a", map[string]any{"rule": rule(map[string]any{"conditions": []any{map[string]any{"operator": "in"}}})}), 400,
			discBad("Missing one of products, collections, tags, types or customer groups in data")},
		{pct10("a", map[string]any{"rule": rule(map[string]any{"conditions": []any{map[string]any{"operator": "in", "products": []string{}}}})}), 400,
			discBad("Missing one of products, collections, tags, types or customer groups in data")},
		// Medusa lets the database refuse these (a 500).
		{pct10("a", map[string]any{"rule": rule(map[string]any{"conditions": []any{map[string]any{"operator": "foo", "products": []string{f.tee}}}})}),
			400, discBad("operator must be a valid enum value")},
		{pct10("a", map[string]any{"regions": []string{f.usd}, "rule": rule(map[string]any{"conditions": []any{
			map[string]any{"operator": "not_in", "customer_groups": []string{f.group}},
			map[string]any{"operator": "in", "products": []string{f.tee, "prod_missing", "prod_other"}}}})}),
			404, discErr("not_found", "Product with id: prod_missing was not found")},
		{pct10("a", map[string]any{"rule": rule(map[string]any{"conditions": []any{map[string]any{"operator": "in", "products": []string{f.tee}},
			map[string]any{"operator": "in", "products": []string{f.cap}}}})}), 422,
			discErr("duplicate_error", "Discount Condition with operator 'in' and type 'products' already exist on a Discount Rule")},
		{`[1]`, 400, discBad("request body must be a JSON object")},
	} {
		e.Do("POST", "/admin/discounts", tc.body).Expect(t, tc.status, tc.want)
	}
	for _, tc := range []struct{ query, want string }{
		{"expand=nope", "Relation nope not found"},
		{"fields=nope", "Field nope is not valid"},
		{"foo=1", "property foo should not exist"},
	} {
		e.Do("POST", "/admin/discounts?"+tc.query, pct10("a", nil)).Expect(t, 400, discBad(tc.want))
	}
	// Body errors come before query errors.
	e.Do("POST", "/admin/discounts?foo=1", map[string]any{"code": 1, "rule": rule(nil)}).Expect(t, 400, discBad("code must be a string"))
	if after := discountRows(t, e); after != before {
		t.Fatalf("rows changed: %s -> %s", before, after)
	}
	res := e.Do("GET", "/admin/discounts", nil)
	if n := res.JSON(t)["count"]; n != float64(1) {
		t.Fatalf("count %v", n)
	}
}

func TestDiscountsUpdate(t *testing.T) {
	t.Parallel()
	e := resttest.New(t)
	f := newDiscFixture(t, e)
	createDiscount(t, e, pct10("other", nil))
	id, rule := createDiscount(t, e, pct10("summer10", map[string]any{"regions": []string{f.usd}, "metadata": map[string]any{"a": 1, "b": 2},
		"rule": map[string]any{"type": "percentage", "value": 10, "allocation": "total",
			"conditions": []any{map[string]any{"operator": "in", "products": []string{f.tee}}}}}))
	got := e.Do("GET", "/admin/discounts/"+id, nil).JSON(t)["discount"].(map[string]any)
	c1 := got["rule"].(map[string]any)["conditions"].([]any)[0].(map[string]any)["id"].(string)
	base := func(over map[string]any) string {
		return discJS(map[string]any{"discount": disc(discWith(map[string]any{"id": id, "rule_id": rule, "metadata": map[string]any{"a": 1, "b": 2},
			"regions": []any{f.region(f.usd)}, "rule": discRule(map[string]any{"id": rule,
				"conditions": []any{discCondition(c1, "products", "in", rule)}})}, over))})
	}

	// An empty update changes nothing, updated_at included.
	res := e.Do("POST", "/admin/discounts/"+id, map[string]any{})
	res.Expect(t, 200, base(nil))
	stamp := res.JSON(t)["discount"].(map[string]any)["updated_at"]

	res = e.Do("POST", "/admin/discounts/"+id, map[string]any{"code": "winter5", "is_disabled": true, "starts_at": "2026-01-01T00:00:00Z",
		"ends_at": "2031-01-01", "valid_duration": "P1M", "usage_limit": 3, "metadata": map[string]any{"a": nil, "c": 3},
		"regions": []string{f.eur, f.usd},
		"rule": map[string]any{"id": rule, "value": 5, "description": "winter", "allocation": "item",
			"conditions": []any{map[string]any{"id": c1, "operator": "not_in", "products": []string{f.cap, f.tee}},
				map[string]any{"operator": "in", "product_tags": []string{f.tag}}}}})
	updatedRule := func(conds ...any) map[string]any {
		return discRule(map[string]any{"id": rule, "value": 5, "description": "winter", "allocation": "item", "conditions": newestFirst(conds...)})
	}
	updated := map[string]any{"code": "WINTER5", "is_disabled": true, "starts_at": "2026-01-01T00:00:00.000Z", "ends_at": "2031-01-01T00:00:00.000Z",
		"valid_duration": "P1M", "usage_limit": 3, "metadata": map[string]any{"a": nil, "b": 2, "c": 3},
		"regions": []any{f.region(f.usd), f.region(f.eur)},
		"rule":    updatedRule(discCondition(c1, "products", "not_in", rule), discCondition("$id:discon", "product_tags", "in", rule))}
	res.Expect(t, 200, base(updated))
	res.MatchesSpec(t, "POST", "/admin/discounts/"+id)
	if res.JSON(t)["discount"].(map[string]any)["updated_at"] == stamp {
		t.Fatal("updated_at did not move")
	}
	c2 := res.JSON(t)["discount"].(map[string]any)["rule"].(map[string]any)["conditions"].([]any)[0].(map[string]any)["id"].(string)
	updated["rule"] = updatedRule(discCondition(c1, "products", "not_in", rule), discCondition(c2, "product_tags", "in", rule))
	// The condition's products were replaced: the links it had stay first.
	e.Do("GET", "/admin/discounts/"+id+"/conditions/"+c1+"?expand=products&fields=type", nil).Expect(t, 200, discJS(map[string]any{
		"discount_condition": map[string]any{"id": c1, "type": "products", "products": []any{
			json.RawMessage(catProductJSON(f.tee, "Tee", "")), json.RawMessage(catProductJSON(f.cap, "Cap", ""))}}}))

	// Nulls clear the nullable columns; regions [] removes them all.
	res = e.Do("POST", "/admin/discounts/"+id+"?fields=code,ends_at,valid_duration,usage_limit&expand=regions", map[string]any{
		"ends_at": nil, "valid_duration": nil, "usage_limit": nil, "regions": []string{}, "metadata": nil, "rule": nil})
	res.Expect(t, 200, discJS(map[string]any{"discount": map[string]any{"id": id, "code": "WINTER5", "ends_at": nil, "valid_duration": nil,
		"usage_limit": nil, "regions": []any{}}}))
	updated = discWith(updated, map[string]any{"ends_at": nil, "valid_duration": nil, "usage_limit": nil, "regions": []any{}})
	after := base(updated)
	e.Do("GET", "/admin/discounts/"+id, nil).Expect(t, 200, after)

	// Refused updates change nothing.
	before := discountRows(t, e)
	for _, tc := range []struct {
		body   any
		status int
		want   string
	}{
		{`{"foo":1,"code":1,"rule":{"id":5,"x":1,"description":2,"value":"a","allocation":"z","conditions":[{"id":3,"operator":4,"products":[5]}]},
			"is_disabled":"y","starts_at":"x","ends_at":"y","valid_duration":"P","usage_limit":0,"regions":[1],"metadata":"m"}`, 400,
			discBad(`property foo should not exist, code must be a string, property x should not exist, id must be a string, ` +
				`description must be a string, value must be a number conforming to the specified constraints, Invalid allocation type, ` +
				`must be one of "total" or "item", id must be a string, operator must be a string, each value in products must be a string, ` +
				`is_disabled must be a boolean value, starts_at must be a Date instance, "ends_at" must be greater than "starts_at", ` +
				`ends_at must be a Date instance, "valid_duration" must be a valid ISO 8601 duration, usage_limit must be a positive number, ` +
				`each value in regions must be a string, metadata must be an object`)},
		{map[string]any{"rule": map[string]any{"value": 150}}, 400, discBad("id should not be empty, id must be a string")},
		{map[string]any{"rule": map[string]any{"id": rule, "type": "fixed"}}, 400, discBad("property type should not exist")},
		{map[string]any{"is_dynamic": true}, 400, discBad("property is_dynamic should not exist")},
		{map[string]any{"rule": map[string]any{"id": rule, "value": 101}, "code": "x"}, 400,
			discBad("Discount value above 100 is not allowed when type is percentage")},
		{map[string]any{"ends_at": "2000-01-01", "code": "x"}, 400, discBad(`"ends_at" must be greater than "starts_at"`)},
		// Medusa compares a new end with the stored start only.
		{map[string]any{"starts_at": "2040-01-01", "ends_at": "2039-01-01"}, 400, discBad(`"ends_at" must be greater than "starts_at"`)},
		{map[string]any{"regions": []string{f.usd, "reg_missing"}, "code": "x"}, 404, discErr("not_found", "Region with reg_missing was not found")},
		// Medusa answers a taken code with a 500 here.
		{map[string]any{"code": "other"}, 422, discErr("duplicate_error", "Discount with code OTHER already exists.")},
		// Medusa saves the rule under the id given, creating one or taking another discount's.
		{map[string]any{"rule": map[string]any{"id": "dru_other", "value": 5}}, 400,
			discBad("Discount rule with id dru_other does not belong to Discount with id " + id)},
		// Medusa stores these nulls and fails on the NOT NULL columns (a 500).
		{map[string]any{"code": nil, "is_disabled": nil, "starts_at": nil}, 400,
			discBad("code must be a string, is_disabled must be a boolean value, starts_at must be a Date instance")},
		{map[string]any{"rule": map[string]any{"id": rule, "value": nil}}, 400, discBad("value must be a number conforming to the specified constraints")},
		{map[string]any{"rule": map[string]any{"id": rule, "conditions": []any{map[string]any{"products": []string{f.cap}}}}}, 400,
			discBad("operator must be a string")},
		{map[string]any{"rule": map[string]any{"id": rule, "conditions": []any{map[string]any{"operator": "not_in", "product_tags": []string{f.tag, "ptag_missing"}}}}},
			404, discErr("not_found", "Product tag with id: ptag_missing was not found")},
		{map[string]any{"rule": map[string]any{"id": rule, "conditions": []any{map[string]any{"id": "discon_missing", "products": []string{f.cap}}}}},
			404, discErr("not_found", "DiscountCondition with id discon_missing was not found")},
		{map[string]any{"rule": map[string]any{"id": rule, "conditions": []any{map[string]any{"id": c1, "product_tags": []string{f.tag}}}}},
			400, discBad("Condition with id " + c1 + " is of type products, not product_tags")},
	} {
		e.Do("POST", "/admin/discounts/"+id, tc.body).Expect(t, tc.status, tc.want)
	}
	e.Do("POST", "/admin/discounts/"+id+"?expand=nope", map[string]any{"code": "x"}).Expect(t, 400, discBad("Relation nope not found"))
	e.Do("POST", "/admin/discounts/disc_missing", map[string]any{"code": "x"}).
		Expect(t, 404, discErr("not_found", "Discount with disc_missing was not found"))
	if now := discountRows(t, e); now != before {
		t.Fatalf("rows changed: %s -> %s", before, now)
	}
	e.Do("GET", "/admin/discounts/"+id, nil).Expect(t, 200, after)

	// A fixed discount keeps to one region.
	fix, _ := createDiscount(t, e, map[string]any{"code": "fix", "regions": []string{f.usd},
		"rule": map[string]any{"type": "fixed", "value": 500, "allocation": "total"}})
	e.Do("POST", "/admin/discounts/"+fix, map[string]any{"regions": []string{f.usd, f.eur}}).Expect(t, 400, discBad("Fixed discounts can have one region"))
	res = e.Do("POST", "/admin/discounts/"+fix+"?fields=code", map[string]any{"regions": []string{f.eur}, "rule": map[string]any{"id": "$"}})
	res.Expect(t, 400, discBad("Discount rule with id $ does not belong to Discount with id "+fix))
	res = e.Do("POST", "/admin/discounts/"+fix+"?expand=regions&fields=code", map[string]any{"regions": []string{f.eur}})
	res.Expect(t, 200, discJS(map[string]any{"discount": map[string]any{"id": fix, "code": "FIX", "regions": []any{f.region(f.eur)}}}))
}

func TestDiscountsDelete(t *testing.T) {
	t.Parallel()
	e := resttest.New(t)
	id, _ := createDiscount(t, e, pct10("gone", nil))
	res := e.Do("DELETE", "/admin/discounts/"+id, nil)
	res.Expect(t, 200, `{"id":"`+id+`","object":"discount","deleted":true}`)
	res.MatchesSpec(t, "DELETE", "/admin/discounts/"+id)
	// Idempotent, as in Medusa; the row stays, soft-deleted, and its code is free again.
	e.Do("DELETE", "/admin/discounts/"+id, nil).Expect(t, 200, `{"id":"`+id+`","object":"discount","deleted":true}`)
	e.Do("DELETE", "/admin/discounts/disc_missing", nil).Expect(t, 200, `{"id":"disc_missing","object":"discount","deleted":true}`)
	e.Do("GET", "/admin/discounts/"+id, nil).Expect(t, 404, discErr("not_found", "Discount with "+id+" was not found"))
	e.Do("GET", "/admin/discounts/code/GONE", nil).Expect(t, 404, discErr("not_found", "Discount with code GONE was not found"))
	e.Do("POST", "/admin/discounts/"+id, map[string]any{"code": "x"}).Expect(t, 404, discErr("not_found", "Discount with "+id+" was not found"))
	if n := countRows(t, e, `SELECT count(*) FROM discount WHERE id = ? AND deleted_at IS NOT NULL`, id); n != 1 {
		t.Fatalf("soft-deleted rows: %d", n)
	}
	again, rule := createDiscount(t, e, pct10("gone", nil))
	e.Do("GET", "/admin/discounts", nil).Expect(t, 200, discJS(map[string]any{"discounts": []any{
		disc(map[string]any{"id": again, "code": "GONE", "rule_id": rule, "rule": discRule(map[string]any{"id": rule})})},
		"count": 1, "offset": 0, "limit": 20}))
}

func TestDiscountsDynamicCodes(t *testing.T) {
	t.Parallel()
	e := resttest.New(t)
	f := newDiscFixture(t, e)
	id, rule := createDiscount(t, e, pct10("dyn", map[string]any{"is_dynamic": true, "valid_duration": "P2DT3H", "usage_limit": 5,
		"regions": []string{f.usd}, "metadata": map[string]any{"a": 1}}))
	plain, _ := createDiscount(t, e, pct10("plain", nil))
	parentCols := discColumns(map[string]any{"id": id, "code": "DYN", "rule_id": rule, "is_dynamic": true, "valid_duration": "P2DT3H",
		"usage_limit": 5, "metadata": map[string]any{"a": 1}})
	parent := discJS(map[string]any{"discount": discWith(discColumns(map[string]any{"id": id, "code": "DYN", "rule_id": rule, "is_dynamic": true,
		"valid_duration": "P2DT3H", "usage_limit": 5, "metadata": map[string]any{"a": 1}}),
		map[string]any{"rule": discRule(map[string]any{"id": rule}), "parent_discount": nil, "regions": []any{f.region(f.usd)}})})

	// The code shares the parent's rule and usage limit (the body's usage_limit is ignored, as in
	// Medusa), has no regions of its own and ends valid_duration from now.
	res := e.Do("POST", "/admin/discounts/"+id+"/dynamic-codes", map[string]any{"code": "abc1", "usage_limit": 2, "metadata": map[string]any{"x": 1}})
	res.Expect(t, 200, discountJSON(map[string]any{"code": "ABC1", "is_dynamic": true, "rule_id": rule, "parent_discount_id": id,
		"usage_limit": 5, "ends_at": "$time", "metadata": map[string]any{"x": 1}, "rule": discRule(map[string]any{"id": rule}),
		"parent_discount": parentCols}))
	res.MatchesSpec(t, "POST", "/admin/discounts/"+id+"/dynamic-codes")
	code := res.JSON(t)["discount"].(map[string]any)
	var hours float64
	if err := e.DB.QueryRow(`SELECT extract(epoch FROM ends_at - starts_at) / 3600 FROM discount WHERE id = ?`, code["id"]).Scan(&hours); err != nil ||
		hours < 50.99 || hours > 51.01 {
		t.Fatalf("valid for %v hours (%v)", hours, err)
	}
	// It is a discount of its own: found by its code, listed, deleted by its code (exactly).
	e.Do("GET", "/admin/discounts/code/ABC1?fields=code,parent_discount_id&expand=rule", nil).Expect(t, 200, discJS(map[string]any{
		"discount": map[string]any{"id": code["id"], "code": "ABC1", "parent_discount_id": id, "rule": discWithout(discRule(map[string]any{"id": rule}), "conditions")}}))
	e.Do("GET", "/admin/discounts?is_dynamic=true&expand=parent_discount", nil).Expect(t, 200, discJS(map[string]any{"discounts": []any{
		discColumns(map[string]any{"id": code["id"], "code": "ABC1", "is_dynamic": true, "rule_id": rule, "parent_discount_id": id,
			"usage_limit": 5, "ends_at": "$time", "metadata": map[string]any{"x": 1}, "parent_discount": parentCols}),
		discWith(discColumns(map[string]any{"id": id, "code": "DYN", "rule_id": rule, "is_dynamic": true, "valid_duration": "P2DT3H",
			"usage_limit": 5, "metadata": map[string]any{"a": 1}}), map[string]any{"parent_discount": nil})}, "count": 2, "offset": 0, "limit": 20}))

	before := discountRows(t, e)
	for _, tc := range []struct {
		id     string
		body   any
		status int
		want   string
	}{
		{id, map[string]any{}, 400, discBad("code should not be empty, code must be a string")},
		{id, map[string]any{"code": "", "usage_limit": "x", "metadata": 1, "foo": 2}, 400, discBad("property foo should not exist, " +
			"code should not be empty, usage_limit must be a number conforming to the specified constraints, metadata must be an object")},
		{plain, map[string]any{"code": "x"}, 400, discErr("not_allowed", "Discount must be set to dynamic")},
		{"disc_missing", map[string]any{"code": "x"}, 404, discErr("not_found", "Discount with disc_missing was not found")},
		// Medusa answers a taken code with a 500.
		{id, map[string]any{"code": "Abc1"}, 422, discErr("duplicate_error", "Discount with code ABC1 already exists.")},
		{id, map[string]any{"code": "plain"}, 422, discErr("duplicate_error", "Discount with code PLAIN already exists.")},
	} {
		e.Do("POST", "/admin/discounts/"+tc.id+"/dynamic-codes", tc.body).Expect(t, tc.status, tc.want)
	}
	if now := discountRows(t, e); now != before {
		t.Fatalf("rows changed: %s -> %s", before, now)
	}

	// Deleting answers the parent; the code must match exactly; a missing one is no change.
	e.Do("DELETE", "/admin/discounts/"+id+"/dynamic-codes/abc1", nil).Expect(t, 200, parent)
	e.Do("GET", "/admin/discounts/code/ABC1?fields=code", nil).Expect(t, 200, discJS(map[string]any{"discount": map[string]any{"id": code["id"],
		"code": "ABC1", "rule": discRule(map[string]any{"id": rule}), "parent_discount": parentCols, "regions": []any{}}}))
	res = e.Do("DELETE", "/admin/discounts/"+id+"/dynamic-codes/ABC1", nil)
	res.Expect(t, 200, parent)
	res.MatchesSpec(t, "DELETE", "/admin/discounts/"+id+"/dynamic-codes/ABC1")
	e.Do("GET", "/admin/discounts/code/ABC1", nil).Expect(t, 404, discErr("not_found", "Discount with code ABC1 was not found"))
	e.Do("DELETE", "/admin/discounts/"+id+"/dynamic-codes/ABC1", nil).Expect(t, 200, parent)
	e.Do("DELETE", "/admin/discounts/disc_missing/dynamic-codes/ABC1", nil).Expect(t, 404, discErr("not_found", "Discount with disc_missing was not found"))
	// The code is free again; without valid_duration a code does not end.
	res = e.Do("POST", "/admin/discounts/"+id+"/dynamic-codes", map[string]any{"code": "abc1"})
	res.Expect(t, 200, discountJSON(map[string]any{"code": "ABC1", "is_dynamic": true, "rule_id": rule, "parent_discount_id": id,
		"usage_limit": 5, "ends_at": "$time", "rule": discRule(map[string]any{"id": rule}), "parent_discount": parentCols}))
	e.Do("POST", "/admin/discounts/"+id, map[string]any{"valid_duration": nil})
	e.Do("POST", "/admin/discounts/"+id+"/dynamic-codes", map[string]any{"code": "abc2"}).Expect(t, 200, discountJSON(map[string]any{
		"code": "ABC2", "is_dynamic": true, "rule_id": rule, "parent_discount_id": id, "usage_limit": 5, "rule": discRule(map[string]any{"id": rule}),
		"parent_discount": discWith(parentCols, map[string]any{"valid_duration": nil})}))
}

func TestDiscountsRegions(t *testing.T) {
	t.Parallel()
	e := resttest.New(t)
	f := newDiscFixture(t, e)
	id, rule := createDiscount(t, e, pct10("pct", map[string]any{"regions": []string{f.usd}}))
	fix, fixRule := createDiscount(t, e, map[string]any{"code": "fix", "rule": map[string]any{"type": "fixed", "value": 100, "allocation": "item"}})
	pct := func(regions ...any) string {
		return discountJSON(map[string]any{"id": id, "code": "PCT", "rule_id": rule, "rule": discRule(map[string]any{"id": rule}), "regions": regions})
	}
	fixed := func(regions ...any) string {
		if regions == nil {
			regions = []any{}
		}
		return discountJSON(map[string]any{"id": fix, "code": "FIX", "rule_id": fixRule,
			"rule": discRule(map[string]any{"id": fixRule, "type": "fixed", "value": 100, "allocation": "item"}), "regions": regions})
	}

	res := e.Do("POST", "/admin/discounts/"+id+"/regions/"+f.eur, nil)
	res.Expect(t, 200, pct(f.region(f.usd), f.region(f.eur)))
	res.MatchesSpec(t, "POST", "/admin/discounts/"+id+"/regions/"+f.eur)
	// Adding one it has is no change; the body and query are not read, as in Medusa.
	e.Do("POST", "/admin/discounts/"+id+"/regions/"+f.eur+"?x=1", map[string]any{"x": 1}).Expect(t, 200, pct(f.region(f.usd), f.region(f.eur)))
	e.Do("POST", "/admin/discounts/"+id+"/regions/reg_missing", nil).Expect(t, 404, discErr("not_found", "Region with reg_missing was not found"))
	e.Do("POST", "/admin/discounts/disc_missing/regions/"+f.eur, nil).Expect(t, 404, discErr("not_found", "Discount with disc_missing was not found"))

	res = e.Do("DELETE", "/admin/discounts/"+id+"/regions/"+f.usd, nil)
	res.Expect(t, 200, pct(f.region(f.eur)))
	res.MatchesSpec(t, "DELETE", "/admin/discounts/"+id+"/regions/"+f.usd)
	e.Do("DELETE", "/admin/discounts/"+id+"/regions/reg_missing", nil).Expect(t, 200, pct(f.region(f.eur)))
	e.Do("DELETE", "/admin/discounts/disc_missing/regions/"+f.eur, nil).Expect(t, 404, discErr("not_found", "Discount with disc_missing was not found"))

	// A fixed discount keeps to one region.
	e.Do("POST", "/admin/discounts/"+fix+"/regions/"+f.eur, nil).Expect(t, 200, fixed(f.region(f.eur)))
	before := discountRows(t, e)
	e.Do("POST", "/admin/discounts/"+fix+"/regions/"+f.usd, nil).Expect(t, 400, discBad("Fixed discounts can have one region"))
	e.Do("POST", "/admin/discounts/"+fix+"/regions/reg_missing", nil).Expect(t, 400, discBad("Fixed discounts can have one region"))
	if now := discountRows(t, e); now != before {
		t.Fatalf("rows changed: %s -> %s", before, now)
	}
	e.Do("POST", "/admin/discounts/"+fix+"/regions/"+f.eur, nil).Expect(t, 200, fixed(f.region(f.eur)))
	e.Do("DELETE", "/admin/discounts/"+fix+"/regions/"+f.eur, nil).Expect(t, 200, fixed())
	e.Do("POST", "/admin/discounts/"+fix+"/regions/"+f.usd, nil).Expect(t, 200, fixed(f.region(f.usd)))
	// A deleted region is gone from the discount and cannot be added.
	e.Do("DELETE", "/admin/regions/"+f.usd, nil)
	e.Do("GET", "/admin/discounts/"+fix, nil).Expect(t, 200, fixed())
	e.Do("POST", "/admin/discounts/"+id+"/regions/"+f.usd, nil).Expect(t, 404, discErr("not_found", "Region with "+f.usd+" was not found"))
}

func TestDiscountConditions(t *testing.T) {
	t.Parallel()
	e := resttest.New(t)
	f := newDiscFixture(t, e)
	id, rule := createDiscount(t, e, pct10("cond", nil))
	other, _ := createDiscount(t, e, pct10("other", map[string]any{"rule": map[string]any{"type": "percentage", "value": 10,
		"allocation": "total", "conditions": []any{map[string]any{"operator": "in", "products": []string{f.tee}}}}}))
	otherCond := e.Do("GET", "/admin/discounts/"+other, nil).JSON(t)["discount"].(map[string]any)["rule"].(map[string]any)["conditions"].([]any)[0].(map[string]any)["id"].(string)
	withConds := func(conds ...any) string {
		if conds == nil {
			conds = []any{}
		}
		return discountJSON(map[string]any{"id": id, "code": "COND", "rule_id": rule, "rule": discRule(map[string]any{"id": rule, "conditions": conds})})
	}

	// One condition of each type; each answers the discount.
	var ids []string
	var conds []any
	for _, c := range []struct {
		typ, op string
		ids     []string
	}{
		{"products", "in", []string{f.cap, f.tee, f.cap}},
		{"product_types", "not_in", []string{f.typ}},
		{"product_collections", "in", []string{f.col}},
		{"product_tags", "not_in", []string{f.tag}},
		{"customer_groups", "in", []string{f.group}},
	} {
		res := e.Do("POST", "/admin/discounts/"+id+"/conditions", map[string]any{"operator": c.op, c.typ: c.ids})
		res.Expect(t, 200, withConds(newestFirst(append(conds, discCondition("$id:discon", c.typ, c.op, rule))...)...))
		res.MatchesSpec(t, "POST", "/admin/discounts/"+id+"/conditions")
		got := res.JSON(t)["discount"].(map[string]any)["rule"].(map[string]any)["conditions"].([]any)
		cid := got[0].(map[string]any)["id"].(string)
		ids = append(ids, cid)
		conds = append(conds, discCondition(cid, c.typ, c.op, rule))
	}
	all := withConds(newestFirst(conds...)...)
	ruleRow := discWithout(discRule(map[string]any{"id": rule}), "conditions")

	// A condition: its default columns and its rule, or what expand and fields ask.
	res := e.Do("GET", "/admin/discounts/"+id+"/conditions/"+ids[0], nil)
	res.Expect(t, 200, discJS(map[string]any{"discount_condition": discWith(discWithout(discCondition(ids[0], "products", "in", rule), "deleted_at", "metadata"),
		map[string]any{"discount_rule": ruleRow})}))
	res.MatchesSpec(t, "GET", "/admin/discounts/"+id+"/conditions/"+ids[0])
	e.Do("GET", "/admin/discounts/"+id+"/conditions/"+ids[0]+"?expand=products&fields=type,metadata", nil).Expect(t, 200, discJS(map[string]any{
		"discount_condition": map[string]any{"id": ids[0], "type": "products", "metadata": nil, "products": []any{
			json.RawMessage(catProductJSON(f.cap, "Cap", "")), json.RawMessage(catProductJSON(f.tee, "Tee", ""))}}}))
	e.Do("GET", "/admin/discounts/"+id+"/conditions/"+ids[4]+"?expand=customer_groups,discount_rule&fields=operator", nil).Expect(t, 200,
		discJS(map[string]any{"discount_condition": map[string]any{"id": ids[4], "operator": "in", "discount_rule": ruleRow,
			"customer_groups": []any{json.RawMessage(groupJSON(f.group))}}}))
	e.Do("GET", "/admin/discounts/"+id+"/conditions/"+otherCond, nil).
		Expect(t, 404, discErr("not_found", "Condition with id "+otherCond+" does not belong to Discount with id "+id))
	e.Do("GET", "/admin/discounts/"+id+"/conditions/discon_missing", nil).
		Expect(t, 404, discErr("not_found", "Condition with id discon_missing does not belong to Discount with id "+id))
	e.Do("GET", "/admin/discounts/disc_missing/conditions/"+ids[0], nil).Expect(t, 404, discErr("not_found", "Discount with disc_missing was not found"))
	for _, tc := range []struct{ query, want string }{
		{"foo=1", "property foo should not exist"},
		{"expand=nope", "Relation nope not found"},
		{"fields=nope", "Field nope is not valid"},
	} {
		e.Do("GET", "/admin/discounts/"+id+"/conditions/"+ids[0]+"?"+tc.query, nil).Expect(t, 400, discBad(tc.want))
	}

	// Refused writes change nothing: a bad id rejects the whole batch.
	before := discountRows(t, e)
	for _, tc := range []struct {
		method, path string
		body         any
		status       int
		want         string
	}{
		{"POST", "conditions", map[string]any{}, 400, discBad("operator must be a string")},
		{"POST", "conditions", map[string]any{"operator": "in"}, 400, discBad("Missing one of products, collections, tags, types or customer groups in data")},
		{"POST", "conditions", map[string]any{"x": 1, "operator": "in", "customer_groups": "a", "product_tags": []any{1}, "products": nil}, 400,
			discBad("property x should not exist, each value in product_tags must be a string, Only one of product_tags, customer_groups is allowed, " +
				"customer_groups must be an array, Only one of customer_groups, product_tags is allowed")},
		{"POST", "conditions", map[string]any{"operator": "in", "products": []string{f.tee}}, 422,
			discErr("duplicate_error", "Discount Condition with operator 'in' and type 'products' already exist on a Discount Rule")},
		// Medusa lets the database refuse these (a 500).
		{"POST", "conditions", map[string]any{"operator": "all", "products": []string{f.tee}}, 400, discBad("operator must be a valid enum value")},
		{"POST", "conditions", map[string]any{"operator": "not_in", "products": []string{f.tee, "prod_missing"}}, 404,
			discErr("not_found", "Product with id: prod_missing was not found")},
		{"POST", "conditions", map[string]any{"operator": "not_in", "product_types": []string{"ptyp_missing"}}, 422,
			discErr("duplicate_error", "Discount Condition with operator 'not_in' and type 'product_types' already exist on a Discount Rule")},
		{"POST", "conditions", map[string]any{"operator": "in", "product_types": nil, "product_collections": []string{}, "customer_groups": []string{}}, 400,
			discBad("Only one of product_collections, customer_groups is allowed, Only one of customer_groups, product_collections is allowed")},
		{"POST", "conditions?expand=nope", map[string]any{"operator": "not_in", "products": []string{f.tee}}, 400, discBad("Relation nope not found")},
		{"POST", "conditions/" + ids[0], map[string]any{"operator": "not_in", "products": []string{f.tee}}, 400,
			discBad("property operator should not exist")},
		{"POST", "conditions/" + ids[0], map[string]any{}, 400, discBad("Missing one of products, collections, tags, types or customer groups in data")},
		{"POST", "conditions/" + ids[0], map[string]any{"products": []string{f.tee, "prod_missing"}}, 404,
			discErr("not_found", "Product with id: prod_missing was not found")},
		{"POST", "conditions/" + ids[1], map[string]any{"product_types": []string{"ptyp_missing"}}, 404,
			discErr("not_found", "Product with id: ptyp_missing was not found")},
		{"POST", "conditions/" + ids[2], map[string]any{"product_collections": []string{"pcol_missing"}}, 404,
			discErr("not_found", "Product collection with id: pcol_missing was not found")},
		{"POST", "conditions/" + ids[4], map[string]any{"customer_groups": []string{f.group, "cgrp_missing"}}, 404,
			discErr("not_found", "CustomerGroup with id cgrp_missing was not found")},
		// Medusa adds resources of another type to the condition.
		{"POST", "conditions/" + ids[0], map[string]any{"product_types": []string{f.typ}}, 400,
			discBad("Condition with id " + ids[0] + " is of type products, not product_types")},
		// Medusa updates another discount's condition through this discount.
		{"POST", "conditions/" + otherCond, map[string]any{"products": []string{f.cap}}, 404,
			discErr("not_found", "Condition with id "+otherCond+" does not belong to Discount with id "+id)},
		{"POST", "conditions/discon_missing", map[string]any{"products": []string{f.cap}}, 404,
			discErr("not_found", "DiscountCondition with id discon_missing was not found")},
		{"DELETE", "conditions/" + otherCond, nil, 404, discErr("not_found", "Condition with id "+otherCond+" does not belong to Discount with id "+id)},
		{"DELETE", "conditions/" + ids[0] + "?foo=1", nil, 400, discBad("property foo should not exist")},
	} {
		e.Do(tc.method, "/admin/discounts/"+id+"/"+tc.path, tc.body).Expect(t, tc.status, tc.want)
	}
	e.Do("POST", "/admin/discounts/disc_missing/conditions", map[string]any{"operator": "in", "products": []string{f.tee}}).
		Expect(t, 404, discErr("not_found", "Discount with disc_missing was not found"))
	// A missing condition is reported before a missing discount, as in Medusa.
	e.Do("POST", "/admin/discounts/disc_missing/conditions/discon_missing", map[string]any{"products": []string{f.tee}}).
		Expect(t, 404, discErr("not_found", "DiscountCondition with id discon_missing was not found"))
	e.Do("POST", "/admin/discounts/disc_missing/conditions/"+ids[0], map[string]any{"products": []string{f.tee}}).
		Expect(t, 404, discErr("not_found", "Discount with disc_missing was not found"))
	e.Do("DELETE", "/admin/discounts/disc_missing/conditions/"+ids[0], nil).Expect(t, 404, discErr("not_found", "Discount with disc_missing was not found"))
	if now := discountRows(t, e); now != before {
		t.Fatalf("rows changed: %s -> %s", before, now)
	}
	e.Do("GET", "/admin/discounts/"+id, nil).Expect(t, 200, all)
	e.Do("GET", "/admin/discounts/"+id+"/conditions/"+ids[0]+"?expand=products&fields=type", nil).Expect(t, 200, discJS(map[string]any{
		"discount_condition": map[string]any{"id": ids[0], "type": "products", "products": []any{
			json.RawMessage(catProductJSON(f.cap, "Cap", "")), json.RawMessage(catProductJSON(f.tee, "Tee", ""))}}}))

	// Updating replaces the resources.
	res = e.Do("POST", "/admin/discounts/"+id+"/conditions/"+ids[0]+"?fields=code&expand=rule.conditions.products", map[string]any{"products": []string{f.tee}})
	res.Expect(t, 200, discJS(map[string]any{"discount": map[string]any{"id": id, "code": "COND", "rule": discWith(discRule(map[string]any{"id": rule}),
		map[string]any{"conditions": inCreationOrder(discWith(conds[0].(map[string]any), map[string]any{"products": []any{json.RawMessage(catProductJSON(f.tee, "Tee", ""))}}),
			discWith(conds[1].(map[string]any), map[string]any{"products": []any{}}), discWith(conds[2].(map[string]any), map[string]any{"products": []any{}}),
			discWith(conds[3].(map[string]any), map[string]any{"products": []any{}}), discWith(conds[4].(map[string]any), map[string]any{"products": []any{}}))})}}))
	for _, c := range conds {
		delete(c.(map[string]any), "products")
	}
	res = e.Do("POST", "/admin/discounts/"+id+"/conditions/"+ids[0], map[string]any{"products": []string{f.cap}})
	res.Expect(t, 200, all)
	res.MatchesSpec(t, "POST", "/admin/discounts/"+id+"/conditions/"+ids[0])
	if n := countRows(t, e, `SELECT count(*) FROM discount_condition_product WHERE condition_id = ? AND product_id = ?`, ids[0], f.cap); n != 1 {
		t.Fatalf("links: %d", n)
	}

	// Deleting removes the row and its links; a missing condition is no error (without the discount).
	res = e.Do("DELETE", "/admin/discounts/"+id+"/conditions/"+ids[0], nil)
	res.Expect(t, 200, `{"id":"`+ids[0]+`","object":"discount-condition","deleted":true,"discount":`+
		discJS(disc(map[string]any{"id": id, "code": "COND", "rule_id": rule, "rule": discRule(map[string]any{"id": rule, "conditions": newestFirst(conds[1:]...)})}))+`}`)
	res.MatchesSpec(t, "DELETE", "/admin/discounts/"+id+"/conditions/"+ids[0])
	if n := countRows(t, e, `SELECT count(*) FROM discount_condition_product WHERE condition_id = ?`, ids[0]) +
		countRows(t, e, `SELECT count(*) FROM discount_condition WHERE id = ?`, ids[0]); n != 0 {
		t.Fatalf("rows left: %d", n)
	}
	e.Do("DELETE", "/admin/discounts/"+id+"/conditions/"+ids[0], nil).Expect(t, 200, `{"id":"`+ids[0]+`","object":"discount-condition","deleted":true}`)
	e.Do("DELETE", "/admin/discounts/"+id+"/conditions/"+ids[4]+"?fields=code&expand=rule", nil).Expect(t, 200, `{"id":"`+ids[4]+
		`","object":"discount-condition","deleted":true,"discount":`+discJS(map[string]any{"id": id, "code": "COND", "rule": discWithout(discRule(map[string]any{"id": rule}), "conditions")})+`}`)
	// The type and operator are free again.
	e.Do("POST", "/admin/discounts/"+id+"/conditions?fields=code", map[string]any{"operator": "in", "products": []string{f.tee}}).Expect(t, 200,
		discJS(map[string]any{"discount": map[string]any{"id": id, "code": "COND", "parent_discount": nil, "regions": []any{},
			"rule": discRule(map[string]any{"id": rule, "conditions": newestFirst(append(append([]any{}, conds[1:4]...), discCondition("$id:discon", "products", "in", rule))...)})}}))
}

func TestDiscountsList(t *testing.T) {
	t.Parallel()
	e := resttest.New(t)
	f := newDiscFixture(t, e)
	// Oldest first here; listed newest first.
	type made struct {
		id, rule string
		item     map[string]any
	}
	var all []made
	for _, d := range []struct {
		code, typ, alloc string
		dynamic, off     bool
	}{
		{"SPRING", "percentage", "total", true, false},
		{"SUMMER", "fixed", "item", false, true},
		{"AUTUMN", "free_shipping", "total", false, false},
		{"WINTER", "percentage", "item", false, false},
	} {
		id, rule := createDiscount(t, e, map[string]any{"code": d.code, "is_dynamic": d.dynamic, "is_disabled": d.off, "regions": []string{f.usd},
			"rule": map[string]any{"type": d.typ, "value": 10, "allocation": d.alloc, "conditions": []any{
				map[string]any{"operator": "in", "products": []string{f.tee, f.cap}}, map[string]any{"operator": "not_in", "customer_groups": []string{f.group}}}}})
		got := e.Do("GET", "/admin/discounts/"+id, nil).JSON(t)["discount"].(map[string]any)["rule"].(map[string]any)["conditions"].([]any)
		all = append([]made{{id, rule, disc(map[string]any{"id": id, "code": d.code, "rule_id": rule, "is_dynamic": d.dynamic, "is_disabled": d.off,
			"regions": []any{f.region(f.usd)}, "rule": discRule(map[string]any{"id": rule, "type": d.typ, "allocation": d.alloc, "conditions": []any{
				discCondition(got[0].(map[string]any)["id"].(string), "customer_groups", "not_in", rule),
				discCondition(got[1].(map[string]any)["id"].(string), "products", "in", rule)}})})}}, all...)
	}
	// A deleted discount is never listed.
	gone, _ := createDiscount(t, e, pct10("summer-gone", nil))
	e.Do("DELETE", "/admin/discounts/"+gone, nil)
	list := func(count, offset, limit int, ms ...made) string {
		items := []any{}
		for _, m := range ms {
			items = append(items, m.item)
		}
		return discJS(map[string]any{"discounts": items, "count": count, "offset": offset, "limit": limit})
	}
	winter, autumn, summer, spring := all[0], all[1], all[2], all[3]

	res := e.Do("GET", "/admin/discounts?limit=50", nil)
	res.Expect(t, 200, list(4, 0, 50, all...))
	res.MatchesSpec(t, "GET", "/admin/discounts")
	many := e.Queries
	t.Logf("GET /admin/discounts?limit=50: %d SQL statements", many)
	e.Do("GET", "/admin/discounts?limit=1", nil).Expect(t, 200, list(4, 0, 1, winter))
	if e.Queries != many {
		t.Fatalf("limit=1 took %d statements, limit=50 took %d", e.Queries, many)
	}
	e.Do("GET", "/admin/discounts?limit=2&offset=1", nil).Expect(t, 200, list(4, 1, 2, autumn, summer))
	// limit=0 is TypeORM's take: 0, every row (checked on Medusa 1.3.8).
	e.Do("GET", "/admin/discounts?limit=0", nil).Expect(t, 200, list(4, 0, 0, all...))
	e.Do("GET", "/admin/discounts", nil).Expect(t, 200, list(4, 0, 20, all...))
	for _, tc := range []struct {
		query string
		want  []made
	}{
		{"q=umm", []made{summer}},
		{"q=", all},
		{"q=%25", all}, // pattern characters are not escaped, as in Medusa
		{"is_dynamic=true", []made{spring}},
		{"is_dynamic=false", []made{winter, autumn, summer}},
		{"is_dynamic=yes", []made{winter, autumn, summer}}, // anything but "true" is false, as in Medusa
		{"is_disabled=true&is_dynamic=false", []made{summer}},
		{"rule[type]=percentage", []made{winter, spring}},
		{"rule[allocation]=item", []made{winter, summer}},
		{"rule[type]=percentage&rule[allocation]=total&q=s", []made{spring}},
	} {
		e.Do("GET", "/admin/discounts?"+tc.query, nil).Expect(t, 200, list(len(tc.want), 0, 20, tc.want...))
	}
	e.Do("GET", "/admin/discounts?q=WIN&expand=rule", nil).Expect(t, 200, discJS(map[string]any{"discounts": []any{
		discWith(discColumns(map[string]any{"id": winter.id, "code": "WINTER", "rule_id": winter.rule}),
			map[string]any{"rule": discWithout(discRule(map[string]any{"id": winter.rule, "allocation": "item"}), "conditions")})},
		"count": 1, "offset": 0, "limit": 20}))
	e.Do("GET", "/admin/discounts?q=WIN&expand=regions,parent_discount", nil).Expect(t, 200, discJS(map[string]any{"discounts": []any{
		discWith(discColumns(map[string]any{"id": winter.id, "code": "WINTER", "rule_id": winter.rule}),
			map[string]any{"regions": []any{f.region(f.usd)}, "parent_discount": nil})}, "count": 1, "offset": 0, "limit": 20}))

	for _, tc := range []struct{ query, want string }{
		{"foo=1&rule[type]=bad&rule[zzz]=1&rule[allocation]=x&q[]=a&limit=x&offset=y&expand[]=rule&is_dynamic=maybe",
			"property foo should not exist, property zzz should not exist, type must be a valid enum value, allocation must be a valid enum value, " +
				"q must be a string, limit must be an integer number, offset must be an integer number, expand must be a string"},
		{"rule=x", "nested property rule must be either object or array"},
		{"rule[type][]=fixed", "type must be a valid enum value"},
		{"fields=id&order=code", "property fields should not exist, property order should not exist"},
		{"q=a&q=b", "q must be a string"},
		// Medusa answers these with a 500.
		{"expand=nope", "Relation nope not found"},
		{"limit=-1", "limit and offset must not be negative"},
	} {
		e.Do("GET", "/admin/discounts?"+tc.query, nil).Expect(t, 400, discBad(tc.want))
	}
}

func TestDiscountsUnauthenticated(t *testing.T) {
	t.Parallel()
	e := resttest.New(t)
	f := newDiscFixture(t, e)
	id, _ := createDiscount(t, e, pct10("auth", map[string]any{"is_dynamic": true, "rule": map[string]any{"type": "percentage", "value": 10,
		"allocation": "total", "conditions": []any{map[string]any{"operator": "in", "products": []string{f.tee}}}}}))
	c := e.Do("GET", "/admin/discounts/"+id, nil).JSON(t)["discount"].(map[string]any)["rule"].(map[string]any)["conditions"].([]any)[0].(map[string]any)["id"].(string)
	before := discountRows(t, e)
	for _, r := range []struct{ method, path string }{
		{"GET", "/admin/discounts"}, {"POST", "/admin/discounts"}, {"GET", "/admin/discounts/" + id}, {"GET", "/admin/discounts/code/AUTH"},
		{"POST", "/admin/discounts/" + id}, {"DELETE", "/admin/discounts/" + id},
		{"POST", "/admin/discounts/" + id + "/dynamic-codes"}, {"DELETE", "/admin/discounts/" + id + "/dynamic-codes/X"},
		{"POST", "/admin/discounts/" + id + "/regions/" + f.usd}, {"DELETE", "/admin/discounts/" + id + "/regions/" + f.usd},
		{"POST", "/admin/discounts/" + id + "/conditions"}, {"GET", "/admin/discounts/" + id + "/conditions/" + c},
		{"POST", "/admin/discounts/" + id + "/conditions/" + c}, {"DELETE", "/admin/discounts/" + id + "/conditions/" + c},
	} {
		e.DoAnon(r.method, r.path, pct10("x", map[string]any{"operator": "in", "products": []string{f.cap}})).ExpectText(t, 401, "Unauthorized")
	}
	if now := discountRows(t, e); now != before {
		t.Fatalf("rows changed: %s -> %s", before, now)
	}
	e.Do("GET", "/admin/discounts/code/AUTH?fields=code", nil).Expect(t, 200, discJS(map[string]any{"discount": map[string]any{"id": id, "code": "AUTH",
		"rule": "$any", "parent_discount": nil, "regions": []any{}}}))
}

// A rule's conditions and a condition's resources come in the order they were made, except when
// the discount's regions are loaded too (the default relations, or an expand naming them): then
// Medusa's join returns both backwards, newest first.
func TestDiscountConditionOrder(t *testing.T) {
	t.Parallel()
	e := resttest.New(t)
	a, b, c := catProduct(t, e, "Alpha"), catProduct(t, e, "Beta"), catProduct(t, e, "Gamma")
	tags := catValues(t, e, "product_tag", "ptag", "wool")
	res := e.Do("POST", "/admin/discounts", map[string]any{"code": "ORDER", "regions": []string{},
		"rule": map[string]any{"type": "percentage", "value": 10, "allocation": "total", "conditions": []any{
			map[string]any{"operator": "in", "products": []string{b, c, a}},
			map[string]any{"operator": "not_in", "product_tags": tags}}}})
	d := res.JSON(t)["discount"].(map[string]any)
	id := d["id"].(string)
	rule := d["rule"].(map[string]any)["id"].(string)
	conds := d["rule"].(map[string]any)["conditions"].([]any)
	// The answer has the default relations: newest first.
	tagsID, productsID := conds[0].(map[string]any)["id"].(string), conds[1].(map[string]any)["id"].(string)
	products := func(ids ...string) []any {
		out := []any{}
		for _, p := range ids {
			out = append(out, json.RawMessage(catProductJSON(p, map[string]string{a: "Alpha", b: "Beta", c: "Gamma"}[p], "")))
		}
		return out
	}
	withProducts := discWith(discCondition(productsID, "products", "in", rule), map[string]any{"products": products(b, c, a)})
	withTag := discWith(discCondition(tagsID, "product_tags", "not_in", rule), map[string]any{"products": []any{}})
	body := func(regions bool, conds ...any) string {
		out := map[string]any{"id": id, "code": "ORDER", "rule": discRule(map[string]any{"id": rule, "conditions": conds})}
		if regions {
			out["regions"] = []any{}
		}
		return discJS(map[string]any{"discount": out})
	}
	e.Do("GET", "/admin/discounts/"+id+"?fields=code&expand=rule,rule.conditions,rule.conditions.products", nil).
		Expect(t, 200, body(false, withProducts, withTag))
	reversed := discWith(discCondition(productsID, "products", "in", rule), map[string]any{"products": products(a, c, b)})
	e.Do("GET", "/admin/discounts/"+id+"?fields=code&expand=rule,rule.conditions,rule.conditions.products,regions", nil).
		Expect(t, 200, body(true, withTag, reversed))
	// The condition's own route: the order they were linked.
	e.Do("GET", "/admin/discounts/"+id+"/conditions/"+productsID+"?fields=type&expand=products", nil).Expect(t, 200,
		discJS(map[string]any{"discount_condition": map[string]any{"id": productsID, "type": "products", "products": products(b, c, a)}}))
}
