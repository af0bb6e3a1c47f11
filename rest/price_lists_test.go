package rest_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/gorgon-commerce/gorgon/rest/resttest"
	"github.com/gorgon-commerce/gorgon/store"
)

// plFixture is a small catalog for price list tests: two products with variants and base prices,
// a region in eur and a customer group.
type plFixture struct {
	tee, cap         string // products
	teeS, teeM, capV string // variants
	region, group    string
}

func newPLFixture(t *testing.T, e *resttest.Env) plFixture {
	t.Helper()
	var f plFixture
	f.tee, f.cap = catProduct(t, e, "Tee"), catProduct(t, e, "Cap")
	f.teeS, f.teeM = catVariant(t, e, f.tee, "S", 0), catVariant(t, e, f.tee, "M", 1)
	f.capV = catVariant(t, e, f.cap, "One size", 0)
	for _, v := range []string{f.teeS, f.teeM, f.capV} {
		catPrice(t, e, v, "usd", 2000, "")
	}
	f.region, f.group = store.NewID("reg"), store.NewID("cgrp")
	catExec(t, e, `INSERT INTO region (id, name, currency_code, tax_rate) VALUES (?, 'EU', 'eur', 0)`, f.region)
	catExec(t, e, `INSERT INTO customer_group (id, name) VALUES (?, 'VIP')`, f.group)
	return f
}

// maJSON is a money_amount row; opt are extra members (e.g. a price_list).
func maJSON(id, currency string, amount int, minQ, maxQ, priceList, variant, region string, opt ...string) string {
	q := func(s string) string {
		if s == "" || s == "null" {
			return "null"
		}
		if strings.HasPrefix(s, "$") || !strings.ContainsAny(s[:1], "0123456789") {
			return `"` + s + `"`
		}
		return s
	}
	return fmt.Sprintf(`{"id":%s,"created_at":"$time","updated_at":"$time","deleted_at":null,"currency_code":%q,"amount":%d,
		"min_quantity":%s,"max_quantity":%s,"price_list_id":%s,"variant_id":%q,"region_id":%s%s}`,
		q(id), currency, amount, q(minQ), q(maxQ), q(priceList), variant, q(region), strings.Join(opt, ""))
}

func priceListJSON(id, name, description, typ, status, startsAt, endsAt, extra string) string {
	return fmt.Sprintf(`{"id":%q,"created_at":"$time","updated_at":"$time","deleted_at":null,"name":%q,"description":%q,
		"type":%q,"status":%q,"starts_at":%s,"ends_at":%s%s}`, id, name, description, typ, status, startsAt, endsAt, extra)
}

func groupJSON(id string) string {
	return `{"id":"` + id + `","created_at":"$time","updated_at":"$time","deleted_at":null,"name":"VIP","metadata":null}`
}

func priceIDs(t *testing.T, res *resttest.Response) []string {
	t.Helper()
	var ids []string
	for _, p := range res.JSON(t)["price_list"].(map[string]any)["prices"].([]any) {
		ids = append(ids, p.(map[string]any)["id"].(string))
	}
	return ids
}

func countRows(t *testing.T, e *resttest.Env, sql string, args ...any) int {
	t.Helper()
	var n int
	if err := e.DB.QueryRow(sql, args...).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

func TestPriceListsCRUD(t *testing.T) {
	t.Parallel()
	e := resttest.New(t)
	f := newPLFixture(t, e)
	res := e.Do("POST", "/admin/price-lists", map[string]any{
		"name": "VIP sale", "description": "For VIPs", "type": "sale", "status": "active", "starts_at": "2022-01-01T00:00:00Z",
		"prices": []map[string]any{
			{"currency_code": "usd", "amount": 1000, "variant_id": f.teeS},
			{"region_id": f.region, "amount": 900, "variant_id": f.teeS, "min_quantity": 2, "max_quantity": 5},
		},
		"customer_groups": []map[string]string{{"id": f.group}},
	})
	res.Expect(t, 200, `{"price_list":`+priceListJSON("$id:pl", "VIP sale", "For VIPs", "sale", "active", `"2022-01-01T00:00:00.000Z"`, "null",
		`,"prices":[`+maJSON("$id:ma", "usd", 1000, "", "", "$id:pl", f.teeS, "")+`,`+
			maJSON("$id:ma", "eur", 900, "2", "5", "$id:pl", f.teeS, f.region)+`],"customer_groups":[`+groupJSON(f.group)+`]`)+`}`)
	id := res.JSON(t)["price_list"].(map[string]any)["id"].(string)
	ma := priceIDs(t, res)
	full := func(name, desc, typ, status, starts, ends string, prices []string, groups string) string {
		return priceListJSON(id, name, desc, typ, status, starts, ends, `,"prices":[`+strings.Join(prices, ",")+`],"customer_groups":[`+groups+`]`)
	}
	p0 := maJSON(ma[0], "usd", 1000, "", "", id, f.teeS, "")
	p1 := maJSON(ma[1], "eur", 900, "2", "5", id, f.teeS, f.region)
	e.Do("GET", "/admin/price-lists/"+id+"?expand=ignored", nil).Expect(t, 200,
		`{"price_list":`+full("VIP sale", "For VIPs", "sale", "active", `"2022-01-01T00:00:00.000Z"`, "null", []string{p0, p1}, groupJSON(f.group))+`}`)

	// A second, draft list.
	res = e.Do("POST", "/admin/price-lists", map[string]any{"name": "Clearance", "description": "Old stock", "type": "override", "prices": []any{}})
	res.Expect(t, 200, `{"price_list":`+priceListJSON("$id:pl", "Clearance", "Old stock", "override", "draft", "null", "null", `,"prices":[],"customer_groups":[]`)+`}`)
	other := res.JSON(t)["price_list"].(map[string]any)["id"].(string)
	otherJSON := priceListJSON(other, "Clearance", "Old stock", "override", "draft", "null", "null", "")
	vipJSON := priceListJSON(id, "VIP sale", "For VIPs", "sale", "active", `"2022-01-01T00:00:00.000Z"`, "null", "")

	e.Do("GET", "/admin/price-lists", nil).Expect(t, 200, `{"price_lists":[`+otherJSON+`,`+vipJSON+`],"count":2,"offset":0,"limit":10}`)
	e.Do("GET", "/admin/price-lists?limit=1&offset=1&expand=prices", nil).Expect(t, 200,
		`{"price_lists":[`+priceListJSON(id, "VIP sale", "For VIPs", "sale", "active", `"2022-01-01T00:00:00.000Z"`, "null", `,"prices":[`+p0+`,`+p1+`]`)+`],"count":2,"offset":1,"limit":1}`)
	e.Do("GET", "/admin/price-lists?q=vip", nil).Expect(t, 200, `{"price_lists":[`+vipJSON+`],"count":1,"offset":0,"limit":10}`)
	e.Do("GET", "/admin/price-lists?status[]=draft&type=override", nil).Expect(t, 200, `{"price_lists":[`+otherJSON+`],"count":1,"offset":0,"limit":10}`)
	e.Do("GET", "/admin/price-lists?order=name&name=VIP%20sale&description=For%20VIPs&created_at[gt]=2000-01-01", nil).
		Expect(t, 200, `{"price_lists":[`+vipJSON+`],"count":1,"offset":0,"limit":10}`)
	// Filtering on customer groups shows the matching groups, as Medusa's join does.
	e.Do("GET", "/admin/price-lists?customer_groups[]="+f.group, nil).Expect(t, 200,
		`{"price_lists":[`+priceListJSON(id, "VIP sale", "For VIPs", "sale", "active", `"2022-01-01T00:00:00.000Z"`, "null", `,"customer_groups":[`+groupJSON(f.group)+`]`)+`],"count":1,"offset":0,"limit":10}`)

	// Update: fields, a price by id (it moves last, as PostgreSQL rewrites the row), a new price, no groups.
	e.Do("POST", "/admin/price-lists/"+id, map[string]any{
		"name": "VIP", "ends_at": "2030-01-01T00:00:00Z", "status": "draft", "type": "override",
		"prices": []map[string]any{
			{"id": ma[0], "amount": 1111, "variant_id": f.teeS, "min_quantity": 3},
			{"currency_code": "usd", "amount": 500, "variant_id": f.capV},
		},
		"customer_groups": []any{},
	}).Expect(t, 200, `{"price_list":`+full("VIP", "For VIPs", "override", "draft", `"2022-01-01T00:00:00.000Z"`, `"2030-01-01T00:00:00.000Z"`,
		[]string{p1, maJSON("$id:ma", "usd", 500, "", "", id, f.capV, ""), maJSON(ma[0], "usd", 1111, "3", "", id, f.teeS, "")}, "")+`}`)
	res = e.Do("POST", "/admin/price-lists/"+id, map[string]any{"starts_at": nil, "ends_at": nil, "customer_groups": []map[string]string{{"id": f.group}}})
	ma = priceIDs(t, res)
	res.Expect(t, 200, `{"price_list":`+full("VIP", "For VIPs", "override", "draft", "null", "null",
		[]string{p1, maJSON(ma[1], "usd", 500, "", "", id, f.capV, ""), maJSON(ma[2], "usd", 1111, "3", "", id, f.teeS, "")}, groupJSON(f.group))+`}`)

	// updated_at moves only when a field of the list changes.
	var before string
	_ = e.DB.QueryRow(`SELECT updated_at::text FROM price_list WHERE id = ?`, id).Scan(&before)
	e.Do("POST", "/admin/price-lists/"+id, map[string]any{"name": "VIP", "prices": []map[string]any{{"id": ma[1], "amount": 501, "variant_id": f.capV}}})
	if n := countRows(t, e, `SELECT count(*) FROM price_list WHERE id = ? AND updated_at::text = ?`, id, before); n != 1 {
		t.Fatal("updated_at moved without a change")
	}

	e.Do("DELETE", "/admin/price-lists/"+id, nil).Expect(t, 200, `{"id":"`+id+`","object":"price-list","deleted":true}`)
	e.Do("DELETE", "/admin/price-lists/"+id, nil).Expect(t, 200, `{"id":"`+id+`","object":"price-list","deleted":true}`)
	e.Do("GET", "/admin/price-lists/"+id, nil).Expect(t, 404, `{"type":"not_found","message":"Price list with id: `+id+` was not found"}`)
	if n := countRows(t, e, `SELECT count(*) FROM money_amount WHERE price_list_id = ?`, id); n != 0 {
		t.Fatalf("%d prices left", n)
	}

	// Lists cost the same number of statements whatever the page size.
	for i := 0; i < 4; i++ {
		e.Do("POST", "/admin/price-lists", map[string]any{"name": fmt.Sprint("L", i), "description": "d", "type": "sale",
			"prices": []map[string]any{{"currency_code": "usd", "amount": 1, "variant_id": f.capV}}, "customer_groups": []map[string]string{{"id": f.group}}})
	}
	e.Do("GET", "/admin/price-lists?limit=1&expand=prices,customer_groups", nil)
	one := e.Queries
	e.Do("GET", "/admin/price-lists?limit=50&expand=prices,customer_groups", nil)
	if e.Queries != one || one == 0 {
		t.Fatalf("statements: limit=1 %d, limit=50 %d", one, e.Queries)
	}
}

func TestPriceListsBadInput(t *testing.T) {
	t.Parallel()
	e := resttest.New(t)
	f := newPLFixture(t, e)
	bad := func(body map[string]any, status int, want string) {
		t.Helper()
		e.Do("POST", "/admin/price-lists", body).Expect(t, status, want)
	}
	bad(map[string]any{}, 400, `{"type":"invalid_data","message":"name must be a string, description must be a string, type must be a valid enum value, prices must be an array"}`)
	bad(map[string]any{"x": 1, "name": 1, "description": 2, "status": "x", "type": "y", "prices": "z", "customer_groups": "q"}, 400,
		`{"type":"invalid_data","message":"property x should not exist, name must be a string, description must be a string, status must be a valid enum value, type must be a valid enum value, prices must be an array, each value in nested property prices must be either object or array, customer_groups must be an array, each value in nested property customer_groups must be either object or array"}`)
	bad(map[string]any{"name": "a", "description": "b", "type": "sale", "prices": []any{map[string]any{}}}, 400,
		`{"type":"invalid_data","message":"Failed XOR relation between \"region_id\" and \"currency_code\"., Failed XOR relation between \"currency_code\" and \"region_id\"., amount must be an integer number, variant_id must be a string"}`)
	bad(map[string]any{"name": "a", "description": "b", "type": "sale", "prices": []any{map[string]any{"region_id": "r", "currency_code": "usd",
		"amount": 1.5, "variant_id": 3, "min_quantity": "x", "max_quantity": 2.2, "foo": 1}}}, 400,
		`{"type":"invalid_data","message":"property foo should not exist, Failed XOR relation between \"region_id\" and \"currency_code\"., Failed XOR relation between \"currency_code\" and \"region_id\"., amount must be an integer number, variant_id must be a string, min_quantity must be an integer number, max_quantity must be an integer number"}`)
	// Medusa answers 500 to an unparseable date.
	bad(map[string]any{"name": "a", "description": "b", "type": "sale", "prices": []any{}, "starts_at": "notadate"}, 400,
		`{"type":"invalid_data","message":"starts_at must be a Date instance"}`)
	// Unknown references refuse the whole request.
	price := func(k, v, variant string) map[string]any {
		return map[string]any{"name": "a", "description": "b", "type": "sale", "prices": []map[string]any{
			{"currency_code": "usd", "amount": 5, "variant_id": f.teeS}, {k: v, "amount": 5, "variant_id": variant}}}
	}
	bad(price("currency_code", "usd", "variant_nope"), 404, `{"type":"not_found","message":"Product_variant with variant_id variant_nope does not exist."}`)
	bad(price("currency_code", "xxx", f.teeS), 404, `{"type":"not_found","message":"Currency with currency_code xxx does not exist."}`)
	// Medusa answers 500 to any region_id on create; Gorgon takes the region's currency, as update does.
	bad(price("region_id", "reg_nope", f.teeS), 404, `{"type":"not_found","message":"Region with reg_nope was not found"}`)
	bad(map[string]any{"name": "a", "description": "b", "type": "sale", "prices": []any{}, "customer_groups": []map[string]string{{"id": f.group}, {"id": "cg_nope"}}}, 404,
		`{"type":"not_found","message":"CustomerGroup with id cg_nope was not found"}`)
	if n := countRows(t, e, `SELECT count(*) FROM price_list`); n != 0 {
		t.Fatalf("%d price lists created by refused requests", n)
	}

	res := e.Do("POST", "/admin/price-lists", map[string]any{"name": "a", "description": "b", "type": "sale",
		"prices": []map[string]any{{"currency_code": "usd", "amount": 5, "variant_id": f.teeS}}})
	id := res.JSON(t)["price_list"].(map[string]any)["id"].(string)
	kept := res.Body
	upd := func(body map[string]any, status int, want string) {
		t.Helper()
		e.Do("POST", "/admin/price-lists/"+id, body).Expect(t, status, want)
	}
	upd(map[string]any{"x": 1, "name": 2, "status": "bad", "prices": []any{map[string]any{"amount": "x"}}, "customer_groups": []any{map[string]any{"id": 5}}}, 400,
		`{"type":"invalid_data","message":"property x should not exist, name must be a string, status must be a valid enum value, Failed XOR relation between \"region_id\" and \"currency_code\"., Failed XOR relation between \"currency_code\" and \"region_id\"., variant_id must be a string, amount must be an integer number, id must be a string"}`)
	// Nulls Medusa passes on to NOT NULL columns (a 500).
	upd(map[string]any{"name": nil, "description": nil, "type": nil}, 400,
		`{"type":"invalid_data","message":"name must be a string, description must be a string, type must be a valid enum value"}`)
	upd(map[string]any{"name": "changed", "prices": []map[string]any{{"id": "ma_other", "amount": 1, "variant_id": f.teeS}}}, 404,
		`{"type":"not_found","message":"Money amount with id: ma_other was not found"}`)
	upd(map[string]any{"name": "changed", "prices": []map[string]any{{"region_id": "reg_nope", "amount": 1, "variant_id": f.teeS}}}, 404,
		`{"type":"not_found","message":"Region with reg_nope was not found"}`)
	upd(map[string]any{"name": "changed", "customer_groups": []map[string]string{{"id": "cg_nope"}}}, 404,
		`{"type":"not_found","message":"CustomerGroup with id cg_nope was not found"}`)
	e.Do("POST", "/admin/price-lists/pl_nope", map[string]any{"name": "x"}).Expect(t, 404, `{"type":"not_found","message":"Price list with id: pl_nope was not found"}`)
	e.Do("GET", "/admin/price-lists/"+id, nil).Expect(t, 200, string(kept))

	e.Do("GET", "/admin/price-lists?status=foo&type=bar&fields=x&limit=x", nil).Expect(t, 400,
		`{"type":"invalid_data","message":"property fields should not exist, limit must be a number conforming to the specified constraints, each value in status must be a valid enum value, each value in type must be a valid enum value"}`)
	for _, c := range []struct{ method, path string }{
		{"GET", "/admin/price-lists"}, {"POST", "/admin/price-lists"}, {"GET", "/admin/price-lists/" + id},
		{"POST", "/admin/price-lists/" + id}, {"DELETE", "/admin/price-lists/" + id}, {"GET", "/admin/price-lists/" + id + "/products"},
		{"POST", "/admin/price-lists/" + id + "/prices/batch"}, {"DELETE", "/admin/price-lists/" + id + "/prices/batch"},
		{"DELETE", "/admin/price-lists/" + id + "/products/" + f.tee + "/prices"}, {"DELETE", "/admin/price-lists/" + id + "/variants/" + f.teeS + "/prices"},
	} {
		e.DoAnon(c.method, c.path, map[string]any{}).ExpectText(t, 401, "Unauthorized")
	}
}

func TestPriceListPricesBatch(t *testing.T) {
	t.Parallel()
	e := resttest.New(t)
	f := newPLFixture(t, e)
	res := e.Do("POST", "/admin/price-lists", map[string]any{"name": "Sale", "description": "d", "type": "sale",
		"prices": []map[string]any{{"currency_code": "usd", "amount": 1000, "variant_id": f.teeS}}})
	id := res.JSON(t)["price_list"].(map[string]any)["id"].(string)
	first := priceIDs(t, res)[0]
	batch := "/admin/price-lists/" + id + "/prices/batch"
	withPrices := func(prices ...string) string {
		return `{"price_list":` + priceListJSON(id, "Sale", "d", "sale", "draft", "null", "null",
			`,"prices":[`+strings.Join(prices, ",")+`],"customer_groups":[]`) + `}`
	}
	p0 := maJSON(first, "usd", 1000, "", "", id, f.teeS, "")

	res = e.Do("POST", batch, map[string]any{"prices": []map[string]any{
		{"currency_code": "usd", "amount": 800, "variant_id": f.teeM},
		{"region_id": f.region, "amount": 700, "variant_id": f.capV, "min_quantity": 10},
	}})
	res.Expect(t, 200, withPrices(p0, maJSON("$id:ma", "usd", 800, "", "", id, f.teeM, ""), maJSON("$id:ma", "eur", 700, "10", "", id, f.capV, f.region)))
	ids := priceIDs(t, res)
	p1, p2 := maJSON(ids[1], "usd", 800, "", "", id, f.teeM, ""), maJSON(ids[2], "eur", 700, "10", "", id, f.capV, f.region)

	// One bad price refuses the whole batch, with Medusa's words (Medusa itself answers 500 here).
	e.Do("POST", batch, map[string]any{"prices": []map[string]any{
		{"currency_code": "usd", "amount": 1, "variant_id": f.teeM}, {"currency_code": "usd", "amount": 1, "variant_id": "variant_nope"},
	}}).Expect(t, 404, `{"type":"not_found","message":"Product_variant with variant_id variant_nope does not exist."}`)
	e.Do("POST", batch, map[string]any{"prices": []map[string]any{{"region_id": "reg_nope", "amount": 5, "variant_id": f.teeM}}, "override": true}).
		Expect(t, 404, `{"type":"not_found","message":"Region with reg_nope was not found"}`)
	e.Do("POST", batch, map[string]any{}).Expect(t, 400, `{"type":"invalid_data","message":"prices must be an array"}`)
	e.Do("POST", batch, map[string]any{"prices": []map[string]any{{"amount": 1}}, "override": "x", "y": 1}).Expect(t, 400,
		`{"type":"invalid_data","message":"property y should not exist, Failed XOR relation between \"region_id\" and \"currency_code\"., Failed XOR relation between \"currency_code\" and \"region_id\"., variant_id must be a string, override must be a boolean value"}`)
	e.Do("POST", "/admin/price-lists/pl_nope/prices/batch", map[string]any{"prices": []any{}}).
		Expect(t, 404, `{"type":"not_found","message":"Price list with id: pl_nope was not found"}`)
	e.Do("GET", "/admin/price-lists/"+id, nil).Expect(t, 200, withPrices(p0, p1, p2))

	// Delete batch: unknown ids are ignored, as in Medusa.
	e.Do("DELETE", batch, map[string]any{"price_ids": []string{ids[1], "ma_nope"}}).
		Expect(t, 200, `{"ids":["`+ids[1]+`","ma_nope"],"object":"money-amount","deleted":true}`)
	e.Do("DELETE", batch, map[string]any{}).Expect(t, 400, `{"type":"invalid_data","message":"each value in price_ids must be a string, price_ids should not be empty"}`)
	e.Do("DELETE", batch, map[string]any{"price_ids": []any{1}}).Expect(t, 400, `{"type":"invalid_data","message":"each value in price_ids must be a string"}`)
	e.Do("DELETE", "/admin/price-lists/pl_nope/prices/batch", map[string]any{"price_ids": []string{"x"}}).
		Expect(t, 404, `{"type":"not_found","message":"Price list with id: pl_nope was not found"}`)
	e.Do("GET", "/admin/price-lists/"+id, nil).Expect(t, 200, withPrices(p0, p2))

	// Override replaces every other price of the list.
	res = e.Do("POST", batch, map[string]any{"prices": []map[string]any{{"currency_code": "usd", "amount": 600, "variant_id": f.teeM}}, "override": true})
	res.Expect(t, 200, withPrices(maJSON("$id:ma", "usd", 600, "", "", id, f.teeM, "")))
	e.Do("POST", batch, map[string]any{"prices": []map[string]any{
		{"currency_code": "usd", "amount": 100, "variant_id": f.teeS}, {"currency_code": "eur", "amount": 90, "variant_id": f.teeS}, {"currency_code": "usd", "amount": 50, "variant_id": f.capV},
	}})
	res = e.Do("GET", "/admin/price-lists/"+id, nil)
	all := priceIDs(t, res) // teeM 600, teeS 100, teeS 90, cap 50

	// Prices of a product: its variants' (by rank), of this list only; of a variant.
	e.Do("DELETE", "/admin/price-lists/"+id+"/products/"+f.tee+"/prices", nil).
		Expect(t, 200, `{"ids":["`+all[1]+`","`+all[2]+`","`+all[0]+`"],"object":"money-amount","deleted":true}`)
	e.Do("DELETE", "/admin/price-lists/"+id+"/products/"+f.tee+"/prices", nil).Expect(t, 200, `{"ids":[],"object":"money-amount","deleted":true}`)
	e.Do("DELETE", "/admin/price-lists/pl_nope/products/"+f.cap+"/prices", nil).Expect(t, 200, `{"ids":[],"object":"money-amount","deleted":true}`)
	e.Do("DELETE", "/admin/price-lists/"+id+"/variants/"+f.capV+"/prices", nil).
		Expect(t, 200, `{"ids":["`+all[3]+`"],"object":"money-amount","deleted":true}`)
	e.Do("DELETE", "/admin/price-lists/"+id+"/variants/variant_nope/prices", nil).Expect(t, 200, `{"ids":[],"object":"money-amount","deleted":true}`)
	e.Do("GET", "/admin/price-lists/"+id, nil).Expect(t, 200, withPrices())
	if n := countRows(t, e, `SELECT count(*) FROM money_amount WHERE price_list_id IS NULL`); n != 3 {
		t.Fatalf("base prices: %d", n)
	}
}

func TestPriceListProducts(t *testing.T) {
	t.Parallel()
	e := resttest.New(t)
	f := newPLFixture(t, e)
	res := e.Do("POST", "/admin/price-lists", map[string]any{"name": "Sale", "description": "d", "type": "sale",
		"prices": []map[string]any{{"currency_code": "usd", "amount": 1000, "variant_id": f.teeM}, {"currency_code": "eur", "amount": 900, "variant_id": f.teeM}}})
	id := res.JSON(t)["price_list"].(map[string]any)["id"].(string)
	listPrices := priceIDs(t, res)
	// Another list's price never shows.
	res = e.Do("POST", "/admin/price-lists", map[string]any{"name": "Other", "description": "d", "type": "sale",
		"prices": []map[string]any{{"currency_code": "usd", "amount": 1, "variant_id": f.capV}}})

	var base []string
	rows, _ := e.DB.Query(`SELECT id FROM money_amount WHERE price_list_id IS NULL AND variant_id IN (?, ?) ORDER BY ctid`, f.teeS, f.teeM)
	for rows.Next() {
		var s string
		_ = rows.Scan(&s)
		base = append(base, s)
	}
	plObj := `,"price_list":` + priceListJSON(id, "Sale", "d", "sale", "draft", "null", "null", "")
	variant := func(vid, title string, rank int, prices ...string) string {
		return fmt.Sprintf(`{"id":%q,"created_at":"$time","updated_at":"$time","deleted_at":null,"title":%q,"product_id":%q,"sku":null,
			"barcode":null,"ean":null,"upc":null,"inventory_quantity":10,"allow_backorder":false,"manage_inventory":true,"hs_code":null,
			"origin_country":null,"mid_code":null,"material":null,"weight":null,"length":null,"height":null,"width":null,"metadata":null,
			"prices":[%s],"options":[]}`, vid, title, f.tee, strings.Join(prices, ","))
	}
	p := catProductJSON(f.tee, "Tee", "")
	tee := p[:len(p)-1] + `,"variants":[` +
		variant(f.teeS, "S", 0, maJSON(base[0], "usd", 2000, "", "", "", f.teeS, "", `,"price_list":null`)) + `,` +
		variant(f.teeM, "M", 1, maJSON(base[1], "usd", 2000, "", "", "", f.teeM, "", `,"price_list":null`),
			maJSON(listPrices[0], "usd", 1000, "", "", id, f.teeM, "", plObj), maJSON(listPrices[1], "eur", 900, "", "", id, f.teeM, "", plObj)) +
		`],"images":[],"options":[],"tags":[],"type":null,"collection":null}`
	path := "/admin/price-lists/" + id + "/products"
	e.Do("GET", path, nil).Expect(t, 200, `{"products":[`+tee+`],"count":1,"offset":0,"limit":50}`)
	e.Do("GET", path+"?q=te&status[]=published&limit=10", nil).Expect(t, 200, `{"products":[`+tee+`],"count":1,"offset":0,"limit":10}`)
	e.Do("GET", path+"?q=cap", nil).Expect(t, 200, `{"products":[],"count":0,"offset":0,"limit":50}`)
	e.Do("GET", path+"?fields=title&expand=variants", nil).Expect(t, 200,
		`{"products":[{"id":"`+f.tee+`","created_at":"$time","title":"Tee","variants":"$any"}],"count":1,"offset":0,"limit":50}`)
	e.Do("GET", "/admin/price-lists/pl_nope/products", nil).Expect(t, 200, `{"products":[],"count":0,"offset":0,"limit":50}`)
	e.Do("GET", path+"?order=-nope", nil).Expect(t, 400, `{"type":"invalid_data","message":"Order field nope is not valid"}`)
	e.DoAnon("GET", path, nil).ExpectText(t, 401, "Unauthorized")

	e.Do("GET", path+"?collection_id=a&tags=b&status=foo&price_list_id[]=x&expand[]=a&limit=x", nil).Expect(t, 400,
		`{"type":"invalid_data","message":"property price_list_id should not exist, each value in status must be a valid enum value, collection_id must be an array, tags must be an array, expand must be a string, limit must be a number conforming to the specified constraints"}`)

	// Statement count independent of the page size.
	for i := 0; i < 5; i++ {
		prod := catProduct(t, e, fmt.Sprint("P", i))
		v := catVariant(t, e, prod, "V", 0)
		catPrice(t, e, v, "usd", 10, id)
	}
	e.Do("GET", path+"?limit=1", nil)
	one := e.Queries
	e.Do("GET", path+"?limit=50", nil)
	if e.Queries != one || one == 0 {
		t.Fatalf("statements: limit=1 %d, limit=50 %d", one, e.Queries)
	}
}
