package rest_test

import (
	"context"
	"encoding/json"
	"testing"

	"github.com/gorgon-commerce/gorgon/rest/resttest"
)

// regionRelJSON is the tests' Nordics region as a relation of another resource: with its
// providers (eager in Medusa's entity) but without countries.
func regionRelJSON(id string, over map[string]any) json.RawMessage {
	var m map[string]any
	if err := json.Unmarshal([]byte(regionObj(id, over)), &m); err != nil {
		panic(err)
	}
	delete(m, "countries")
	b, _ := json.Marshal(m)
	return b
}

// profileID returns the id of the live shipping profile of a type.
func profileID(t *testing.T, e *resttest.Env, typ string) string {
	t.Helper()
	var id string
	if err := e.DB.NewRaw(`SELECT id FROM shipping_profile WHERE type = ? AND deleted_at IS NULL`, typ).Scan(context.Background(), &id); err != nil {
		t.Fatal(err)
	}
	return id
}

// profileJSON is a shipping profile row.
func profileJSON(id, name, typ string) json.RawMessage {
	b, _ := json.Marshal(map[string]any{"id": id, "created_at": "$time", "updated_at": "$time", "deleted_at": nil,
		"name": name, "type": typ, "metadata": nil})
	return b
}

// soObj is a shipping option row with fields overridden (flat rate 1000, manual, default data).
func soObj(id, name, region, profile string, over map[string]any) map[string]any {
	m := map[string]any{"id": id, "created_at": "$time", "updated_at": "$time", "deleted_at": nil, "name": name,
		"region_id": region, "profile_id": profile, "provider_id": "manual", "price_type": "flat_rate", "amount": 1000,
		"is_return": false, "admin_only": false, "data": map[string]any{}, "metadata": nil}
	for k, v := range over {
		m[k] = v
	}
	return m
}

func soJSON(m map[string]any) string {
	b, err := json.Marshal(m)
	if err != nil {
		panic(err)
	}
	return string(b)
}

// reqJSON is a requirement of an option.
func reqJSON(id, option, typ string, amount int) map[string]any {
	return map[string]any{"id": id, "shipping_option_id": option, "type": typ, "amount": amount, "deleted_at": nil}
}

func countRowsSO(t *testing.T, e *resttest.Env, sql string, args ...any) int {
	t.Helper()
	var n int
	if err := e.DB.NewRaw(sql, args...).Scan(context.Background(), &n); err != nil {
		t.Fatal(err)
	}
	return n
}

func TestShippingOptionsCRUD(t *testing.T) {
	t.Parallel()
	e := resttest.New(t)
	region := createNordics(t, e)
	def := profileID(t, e, "default")
	res := e.Do("POST", "/admin/shipping-options", map[string]any{"name": "Express", "region_id": region, "provider_id": "manual",
		"data": map[string]any{"id": "manual-fulfillment"}, "price_type": "flat_rate", "amount": 100, "is_return": true, "admin_only": true,
		"metadata":     map[string]any{"a": 1},
		"requirements": []map[string]any{{"type": "min_subtotal", "amount": 100}, {"type": "max_subtotal", "amount": 5000}}})
	over := map[string]any{"amount": 100, "is_return": true, "admin_only": true, "data": map[string]any{"id": "manual-fulfillment"},
		"metadata": map[string]any{"a": 1}, "region": regionRelJSON(region, nil), "profile": profileJSON(def, "Default Shipping Profile", "default")}
	over["requirements"] = []any{reqJSON("$id:sor", "$id:so", "min_subtotal", 100), reqJSON("$id:sor", "$id:so", "max_subtotal", 5000)}
	res.Expect(t, 200, `{"shipping_option":`+soJSON(soObj("$id:so", "Express", region, def, over))+`}`)
	res.MatchesSpec(t, "POST", "/admin/shipping-options")
	so := res.JSON(t)["shipping_option"].(map[string]any)
	id := so["id"].(string)
	reqs := so["requirements"].([]any)
	minID, maxID := reqs[0].(map[string]any)["id"].(string), reqs[1].(map[string]any)["id"].(string)

	// The option alone, as Medusa's GET answers it.
	row := soObj(id, "Express", region, def, map[string]any{"amount": 100, "is_return": true, "admin_only": true,
		"data": map[string]any{"id": "manual-fulfillment"}, "metadata": map[string]any{"a": 1}})
	res = e.Do("GET", "/admin/shipping-options/"+id, nil)
	res.Expect(t, 200, `{"shipping_option":`+soJSON(row)+`}`)
	res.MatchesSpec(t, "GET", "/admin/shipping-options/"+id)

	// Requirements are updated by id, added without one, and removed when not listed.
	res = e.Do("POST", "/admin/shipping-options/"+id, map[string]any{"name": "Express 2", "amount": 150, "admin_only": false,
		"metadata":     map[string]any{"b": 2},
		"requirements": []map[string]any{{"id": maxID, "type": "max_subtotal", "amount": 6000}, {"type": "min_subtotal", "amount": 10}}})
	over["name"], over["amount"], over["admin_only"], over["metadata"] = "Express 2", 150, false, map[string]any{"a": 1, "b": 2}
	over["id"], over["requirements"] = id, []any{reqJSON(maxID, id, "max_subtotal", 6000), reqJSON("$id:sor", id, "min_subtotal", 10)}
	updated := `{"shipping_option":` + soJSON(soObj(id, "Express 2", region, def, over)) + `}`
	res.Expect(t, 200, updated)
	res.MatchesSpec(t, "POST", "/admin/shipping-options/"+id)
	if n := countRowsSO(t, e, `SELECT count(*) FROM shipping_option_requirement WHERE id = ? AND deleted_at IS NOT NULL`, minID); n != 1 {
		t.Fatalf("old min requirement not soft-deleted")
	}
	// The same requirements again change nothing.
	newMin := res.JSON(t)["shipping_option"].(map[string]any)["requirements"].([]any)[1].(map[string]any)["id"].(string)
	before := res.JSON(t)["shipping_option"].(map[string]any)["updated_at"]
	res = e.Do("POST", "/admin/shipping-options/"+id, map[string]any{"requirements": []map[string]any{
		{"id": maxID, "type": "max_subtotal", "amount": 6000}, {"id": newMin, "type": "min_subtotal", "amount": 10}}})
	res.Expect(t, 200, updated)
	if after := res.JSON(t)["shipping_option"].(map[string]any)["updated_at"]; after != before {
		t.Fatalf("updated_at moved: %v -> %v", before, after)
	}
	over["requirements"] = []any{}
	e.Do("POST", "/admin/shipping-options/"+id, map[string]any{"requirements": []any{}}).
		Expect(t, 200, `{"shipping_option":`+soJSON(soObj(id, "Express 2", region, def, over))+`}`)

	// Soft delete, idempotent.
	res = e.Do("DELETE", "/admin/shipping-options/"+id, nil)
	res.Expect(t, 200, `{"id":"`+id+`","object":"shipping-option","deleted":true}`)
	res.MatchesSpec(t, "DELETE", "/admin/shipping-options/"+id)
	e.Do("DELETE", "/admin/shipping-options/"+id, nil).Expect(t, 200, `{"id":"`+id+`","object":"shipping-option","deleted":true}`)
	e.Do("GET", "/admin/shipping-options/"+id, nil).Expect(t, 404, `{"type":"not_found","message":"Shipping Option with `+id+` was not found"}`)
	e.Do("POST", "/admin/shipping-options/"+id, map[string]any{"requirements": []any{}}).
		Expect(t, 404, `{"type":"not_found","message":"Shipping Option with `+id+` was not found"}`)
	e.Do("GET", "/admin/shipping-options", nil).Expect(t, 200, `{"shipping_options":[],"count":0}`)
	if n := countRowsSO(t, e, `SELECT count(*) FROM shipping_option WHERE id = ? AND deleted_at IS NOT NULL`, id); n != 1 {
		t.Fatalf("option row not kept as deleted")
	}

	// Another profile, and a flat rate of 0; the gift card profile may be chosen.
	gc := profileID(t, e, "gift_card")
	res = e.Do("POST", "/admin/shipping-options", map[string]any{"name": "Gift", "region_id": region, "provider_id": "manual",
		"data": map[string]any{}, "price_type": "flat_rate", "amount": 0, "profile_id": gc, "admin_only": "false", "is_return": 0})
	// admin_only and is_return are only transformed to booleans by Medusa: "false" is true.
	res.Expect(t, 200, `{"shipping_option":`+soJSON(soObj("$id:so", "Gift", region, gc, map[string]any{"amount": 0, "admin_only": true,
		"region": regionRelJSON(region, nil), "profile": profileJSON(gc, "Gift Card Profile", "gift_card"), "requirements": []any{}}))+`}`)
}

func TestShippingOptionsList(t *testing.T) {
	t.Parallel()
	e := resttest.New(t)
	eu, us := createNordics(t, e), createNordics(t, e)
	e.Do("POST", "/admin/regions/"+us, map[string]any{"automatic_taxes": false})
	def := profileID(t, e, "default")
	create := func(body map[string]any) string {
		t.Helper()
		res := e.Do("POST", "/admin/shipping-options", body)
		if res.Status != 200 {
			t.Fatalf("create: %d %s", res.Status, res.Body)
		}
		return res.JSON(t)["shipping_option"].(map[string]any)["id"].(string)
	}
	std := create(map[string]any{"name": "Standard", "region_id": eu, "provider_id": "manual", "data": map[string]any{}, "price_type": "flat_rate", "amount": 1000})
	taxed := create(map[string]any{"name": "Taxed", "region_id": eu, "provider_id": "manual", "data": map[string]any{}, "price_type": "flat_rate", "amount": 1000,
		"requirements": []map[string]any{{"type": "min_subtotal", "amount": 5}}})
	ret := create(map[string]any{"name": "Return", "region_id": us, "provider_id": "manual", "data": map[string]any{}, "price_type": "flat_rate",
		"amount": 999, "is_return": true, "admin_only": true})
	for _, r := range []map[string]any{{"code": "R", "name": "Reduced", "rate": 12.5}, {"code": "N", "name": "None", "rate": nil}, {"code": "T", "name": "Tiny", "rate": 0.1}} {
		r["region_id"], r["shipping_options"] = eu, []string{taxed}
		txrCreate(t, e, r)
	}
	euRegion, usRegion := regionRelJSON(eu, nil), regionRelJSON(us, map[string]any{"automatic_taxes": false})
	profile := profileJSON(def, "Default Shipping Profile", "default")
	item := func(id, name, region string, regionJSON json.RawMessage, over map[string]any, priceInclTax int, rates any) string {
		over["region"], over["profile"], over["price_incl_tax"], over["tax_rates"] = regionJSON, profile, priceInclTax, rates
		if over["requirements"] == nil {
			over["requirements"] = []any{}
		}
		return soJSON(soObj(id, name, region, def, over))
	}
	// The region's rate named "default" unless the option has rates; none without automatic
	// taxes. 1000 at 12.5 % + 0 + 0.1 % is 1126.
	stdJSON := item(std, "Standard", eu, euRegion, map[string]any{}, 1250, []any{map[string]any{"rate": 25, "name": "default", "code": "default"}})
	taxedJSON := item(taxed, "Taxed", eu, euRegion, map[string]any{"requirements": []any{reqJSON("$id:sor", taxed, "min_subtotal", 5)}}, 1126,
		[]any{map[string]any{"rate": 12.5, "name": "Reduced", "code": "R"}, map[string]any{"rate": nil, "name": "None", "code": "N"},
			map[string]any{"rate": 0.1, "name": "Tiny", "code": "T"}})
	retJSON := item(ret, "Return", us, usRegion, map[string]any{"amount": 999, "is_return": true, "admin_only": true}, 999, []any{})

	res := e.Do("GET", "/admin/shipping-options", nil)
	res.Expect(t, 200, `{"shipping_options":[`+stdJSON+`,`+taxedJSON+`,`+retJSON+`],"count":3}`)
	res.MatchesSpec(t, "GET", "/admin/shipping-options")
	all := e.Queries
	e.Do("GET", "/admin/shipping-options?region_id="+eu+"&is_return=false", nil).
		Expect(t, 200, `{"shipping_options":[`+stdJSON+`,`+taxedJSON+`],"count":2}`)
	if e.Queries != all || all == 0 {
		t.Fatalf("2 options took %d statements, 3 took %d", e.Queries, all)
	}
	e.Do("GET", "/admin/shipping-options?region_id="+us, nil).Expect(t, 200, `{"shipping_options":[`+retJSON+`],"count":1}`)
	for _, tc := range []struct{ query, want string }{
		{"is_return=true", `[` + retJSON + `],"count":1`},
		{"is_return=false&admin_only=false", `[` + stdJSON + `,` + taxedJSON + `],"count":2`},
		{"region_id=" + eu + "&admin_only=true", `[],"count":0`},
		// Medusa's optionalBooleanMapper: "null" matches nothing, other values filter nothing.
		{"is_return=null", `[],"count":0`},
		{"is_return=x&admin_only=1", `[` + stdJSON + `,` + taxedJSON + `,` + retJSON + `],"count":3`},
		{"is_return[]=true", `[` + stdJSON + `,` + taxedJSON + `,` + retJSON + `],"count":3`},
	} {
		e.Do("GET", "/admin/shipping-options?"+tc.query, nil).Expect(t, 200, `{"shipping_options":`+tc.want+`}`)
	}
	for _, tc := range []struct{ query, want string }{
		{"region_id[]=a", "region_id must be a string"},
		{"foo=1&limit=1", "property foo should not exist, property limit should not exist"},
	} {
		e.Do("GET", "/admin/shipping-options?"+tc.query, nil).Expect(t, 400, `{"type":"invalid_data","message":"`+tc.want+`"}`)
	}
}

func TestShippingOptionsBadInput(t *testing.T) {
	t.Parallel()
	e := resttest.New(t)
	region := createNordics(t, e)
	ok := func(over map[string]any) map[string]any {
		m := map[string]any{"name": "x", "region_id": region, "provider_id": "manual", "data": map[string]any{}, "price_type": "flat_rate", "amount": 1}
		for k, v := range over {
			m[k] = v
		}
		return m
	}
	for _, tc := range []struct {
		body   any
		status int
		want   string
	}{
		{map[string]any{}, 400, `{"type":"invalid_data","message":"name must be a string, region_id must be a string, provider_id must be a string, data must be an object, price_type must be a string"}`},
		{`{"name":1,"region_id":2,"provider_id":3,"profile_id":4,"data":"x","price_type":5,"amount":"x","requirements":"x","metadata":"m","foo":1}`, 400,
			`{"type":"invalid_data","message":"property foo should not exist, name must be a string, region_id must be a string, provider_id must be a string, profile_id must be a string, data must be an object, price_type must be a string, amount must be a number conforming to the specified constraints, requirements must be an array, each value in nested property requirements must be either object or array, metadata must be an object"}`},
		{ok(map[string]any{"name": 1, "requirements": []any{map[string]any{"type": "min_subtotal", "amount": 1, "bar": 1}}, "metadata": 3}), 400,
			`{"type":"invalid_data","message":"name must be a string, property bar should not exist, metadata must be an object"}`},
		{ok(map[string]any{"requirements": []any{map[string]any{"type": "min_subtotal", "amount": 1}, 5}}), 400,
			`{"type":"invalid_data","message":"each value in nested property requirements must be either object or array"}`},
		{ok(map[string]any{"requirements": []any{map[string]any{}}}), 400,
			`{"type":"invalid_data","message":"type must be a string, amount must be a number conforming to the specified constraints"}`},
		{ok(map[string]any{"data": []any{}}), 400, `{"type":"invalid_data","message":"data must be an object"}`},
		{ok(map[string]any{"data": nil}), 400, `{"type":"invalid_data","message":"data must be an object"}`},
		{ok(map[string]any{"region_id": "reg_missing"}), 404, `{"type":"not_found","message":"Region with reg_missing was not found"}`},
		{ok(map[string]any{"provider_id": "nope"}), 400, `{"type":"invalid_data","message":"The fulfillment provider is not available in the provided region"}`},
		{ok(map[string]any{"price_type": "free"}), 400, `{"type":"invalid_data","message":"The price must be of type flat_rate or calculated"}`},
		{ok(map[string]any{"price_type": "calculated"}), 400, `{"type":"invalid_data","message":"The fulfillment provider cannot calculate prices for this option"}`},
		{ok(map[string]any{"requirements": []any{map[string]any{"type": "", "amount": 1}}}), 400, `{"type":"invalid_data","message":"A Shipping Requirement must have a type field"}`},
		{ok(map[string]any{"requirements": []any{map[string]any{"type": "foo", "amount": 1}}}), 400,
			`{"type":"invalid_data","message":"Requirement type must be one of min_subtotal, max_subtotal"}`},
		{ok(map[string]any{"requirements": []any{map[string]any{"type": "min_subtotal", "amount": 1}, map[string]any{"type": "min_subtotal", "amount": 2}}}), 400,
			`{"type":"invalid_data","message":"Only one requirement of each type is allowed"}`},
		{ok(map[string]any{"requirements": []any{map[string]any{"type": "min_subtotal", "amount": 100}, map[string]any{"type": "max_subtotal", "amount": 50}}}), 400,
			`{"type":"invalid_data","message":"Max. subtotal must be greater than Min. subtotal"}`},
		{ok(map[string]any{"requirements": []any{map[string]any{"type": "max_subtotal", "amount": 100}, map[string]any{"type": "min_subtotal", "amount": 500}}}), 400,
			`{"type":"invalid_data","message":"Max. subtotal must be greater than Min. subtotal"}`},
		// Medusa stores a flat rate without an amount; the rule (and checkout) needs one.
		{ok(map[string]any{"amount": nil}), 400, `{"type":"invalid_data","message":"Shipping options of price type flat_rate must have an amount"}`},
		// Medusa answers these with a 500.
		{ok(map[string]any{"amount": -5}), 400, `{"type":"invalid_data","message":"amount must not be less than 0"}`},
		{ok(map[string]any{"amount": 1.5}), 400, `{"type":"invalid_data","message":"amount must be a number conforming to the specified constraints"}`},
		{ok(map[string]any{"profile_id": "sp_missing"}), 404, `{"type":"not_found","message":"Profile with id: sp_missing was not found"}`},
		{ok(map[string]any{"admin_only": nil}), 400, `{"type":"invalid_data","message":"admin_only must be a boolean value"}`},
	} {
		e.Do("POST", "/admin/shipping-options", tc.body).Expect(t, tc.status, tc.want)
	}

	// A provider the region offers but this instance does not serve: Medusa's not_found error.
	if _, err := e.DB.Exec(`INSERT INTO fulfillment_provider (id, is_installed) VALUES ('webshipper', false)`); err != nil {
		t.Fatal(err)
	}
	e.Do("POST", "/admin/regions/"+region+"/fulfillment-providers", map[string]any{"provider_id": "webshipper"})
	e.Do("POST", "/admin/shipping-options", ok(map[string]any{"provider_id": "webshipper"})).
		Expect(t, 404, `{"type":"not_found","message":"Could not find a fulfillment provider with id: webshipper"}`)
	e.Do("POST", "/admin/shipping-options", ok(map[string]any{"provider_id": "webshipper", "price_type": "calculated"})).
		Expect(t, 404, `{"type":"not_found","message":"Could not find a fulfillment provider with id: webshipper"}`)
	// Nothing was created.
	if n := countRowsSO(t, e, `SELECT (SELECT count(*) FROM shipping_option) + (SELECT count(*) FROM shipping_option_requirement)`); n != 0 {
		t.Fatalf("%d rows created", n)
	}

	res := e.Do("POST", "/admin/shipping-options", ok(map[string]any{"name": "Kept", "amount": 10,
		"requirements": []any{map[string]any{"type": "min_subtotal", "amount": 100}}}))
	id := res.JSON(t)["shipping_option"].(map[string]any)["id"].(string)
	kept := res.JSON(t)["shipping_option"].(map[string]any)["requirements"].([]any)[0].(map[string]any)["id"].(string)
	other := e.Do("POST", "/admin/shipping-options", ok(map[string]any{"requirements": []any{map[string]any{"type": "max_subtotal", "amount": 100}}})).
		JSON(t)["shipping_option"].(map[string]any)
	otherReq := other["requirements"].([]any)[0].(map[string]any)["id"].(string)
	for _, tc := range []struct {
		body   any
		status int
		want   string
	}{
		{map[string]any{}, 400, `{"type":"invalid_data","message":"requirements must be an array"}`},
		{map[string]any{"price_type": "calculated", "requirements": []any{}}, 400, `{"type":"invalid_data","message":"property price_type should not exist"}`},
		{map[string]any{"requirements": "x"}, 400, `{"type":"invalid_data","message":"requirements must be an array, each value in nested property requirements must be either object or array"}`},
		{`{"foo":1,"name":1,"amount":"x","requirements":[{"id":1,"type":2,"amount":"x","bar":1}],"admin_only":"x","metadata":"m"}`, 400,
			`{"type":"invalid_data","message":"property foo should not exist, name must be a string, amount must be a number conforming to the specified constraints, property bar should not exist, id must be a string, type must be a string, amount must be a number conforming to the specified constraints, admin_only must be a boolean value, metadata must be an object"}`},
		{map[string]any{"name": "changed", "requirements": []any{map[string]any{"id": "sor_missing", "type": "min_subtotal", "amount": 1}}}, 400,
			`{"type":"invalid_data","message":"ID does not exist"}`},
		// Another option's requirement is not this option's (Medusa would move it here).
		{map[string]any{"requirements": []any{map[string]any{"id": otherReq, "type": "max_subtotal", "amount": 1}}}, 400,
			`{"type":"invalid_data","message":"ID does not exist"}`},
		{map[string]any{"name": "changed", "requirements": []any{map[string]any{"id": kept, "type": "min_subtotal", "amount": 500},
			map[string]any{"type": "max_subtotal", "amount": 100}}}, 400, `{"type":"invalid_data","message":"Max. subtotal must be greater than Min. subtotal"}`},
		{map[string]any{"amount": nil, "requirements": []any{}}, 400, `{"type":"invalid_data","message":"Shipping options of price type flat_rate must have an amount"}`},
		// Medusa stores these nulls and fails (a 500).
		{map[string]any{"name": nil, "admin_only": nil, "requirements": []any{}}, 400, `{"type":"invalid_data","message":"name must be a string, admin_only must be a boolean value"}`},
	} {
		e.Do("POST", "/admin/shipping-options/"+id, tc.body).Expect(t, tc.status, tc.want)
	}
	// Nothing changed.
	e.Do("GET", "/admin/shipping-options?region_id="+region+"&admin_only=false", nil)
	var name string
	var amount, live int
	if err := e.DB.QueryRow(`SELECT name, amount, (SELECT count(*) FROM shipping_option_requirement WHERE shipping_option_id = so.id AND deleted_at IS NULL AND amount = 100)
		FROM shipping_option so WHERE id = ?`, id).Scan(&name, &amount, &live); err != nil || name != "Kept" || amount != 10 || live != 1 {
		t.Fatalf("option changed: %q %d %d %v", name, amount, live, err)
	}
	if n := countRowsSO(t, e, `SELECT count(*) FROM shipping_option_requirement WHERE id = ? AND shipping_option_id = ? AND amount = 100 AND deleted_at IS NULL`,
		otherReq, other["id"]); n != 1 {
		t.Fatalf("other option's requirement changed")
	}
}

func TestShippingOptionsUnauthenticated(t *testing.T) {
	t.Parallel()
	e := resttest.New(t)
	region := createNordics(t, e)
	id := txrOption(t, e, region, "Standard")
	for _, r := range []struct{ method, path string }{
		{"GET", "/admin/shipping-options"}, {"POST", "/admin/shipping-options"}, {"GET", "/admin/shipping-options/" + id},
		{"POST", "/admin/shipping-options/" + id}, {"DELETE", "/admin/shipping-options/" + id},
	} {
		e.DoAnon(r.method, r.path, map[string]any{"requirements": []any{}}).ExpectText(t, 401, "Unauthorized")
	}
	e.Do("GET", "/admin/shipping-options/"+id, nil).Expect(t, 200, `{"shipping_option":`+optionRowJSON(id, "Standard", region)+`}`)
}
