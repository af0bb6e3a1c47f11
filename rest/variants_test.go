package rest_test

import (
	"fmt"
	"sort"
	"strings"
	"testing"

	"github.com/gorgon-commerce/gorgon/rest/resttest"
)

// ptTee creates a product with options Size and Color and one variant S / Red priced in usd.
func ptTee(t *testing.T, e *resttest.Env, handle ...string) (id, size, color, v1 string) {
	t.Helper()
	h := "tee"
	if len(handle) > 0 {
		h = handle[0]
	}
	p := ptCreate(t, e, ptJ{"title": "Tee", "handle": h, "options": []ptJ{{"title": "Size"}, {"title": "Color"}}, "variants": []ptJ{
		{"title": "S / Red", "sku": "S-R" + strings.TrimPrefix(h, "tee"), "prices": []ptJ{{"currency_code": "usd", "amount": 1000}}, "options": []ptJ{{"value": "S"}, {"value": "Red"}}}}})
	return ptStr(p, "id"), ptStr(p, "options.0.id"), ptStr(p, "options.1.id"), ptStr(p, "variants.0.id")
}

// ptPrices lists a variant's live prices as "currency:amount[:region]", sorted.
func ptPrices(t *testing.T, e *resttest.Env, variant string) string {
	t.Helper()
	rows, err := e.DB.Query(`SELECT currency_code, amount, coalesce(region_id, ''), coalesce(price_list_id, '') FROM money_amount
		WHERE variant_id = ? AND deleted_at IS NULL`, variant)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var c, r, pl string
		var a int
		if err := rows.Scan(&c, &a, &r, &pl); err != nil {
			t.Fatal(err)
		}
		s := fmt.Sprintf("%s:%d", c, a)
		if r != "" {
			s += ":" + r
		}
		if pl != "" {
			s += ":" + pl
		}
		out = append(out, s)
	}
	sort.Strings(out)
	return strings.Join(out, ",")
}

func TestVariantCreate(t *testing.T) {
	t.Parallel()
	e := resttest.New(t)
	region, _, _ := ptFixtures(t, e)
	id, size, color, v1 := ptTee(t, e)
	res := e.Do("POST", "/admin/products/"+id+"/variants", ptJ{"title": "M / Red", "sku": "M-R", "inventory_quantity": 5,
		"manage_inventory": false, "metadata": ptJ{"m": true},
		"prices":  []ptJ{{"currency_code": "eur", "amount": 900}, {"region_id": region, "amount": 800, "max_quantity": 3}},
		"options": []ptJ{{"option_id": color, "value": "Red"}, {"option_id": size, "value": "M"}}})
	v2 := ptStr(res.JSON(t), "product.variants.1.id")
	// Medusa answers without prices decoration here.
	res.Expect(t, 200, ptJSON(ptJ{"product": ptProductRels(ptJ{"id": id, "title": "Tee", "handle": "tee",
		"options": []any{ptOption("Size", ptJ{"id": size, "product_id": id}), ptOption("Color", ptJ{"id": color, "product_id": id})},
		"variants": []any{
			ptVariant(ptJ{"id": v1, "title": "S / Red", "product_id": id, "sku": "S-R", "prices": []any{ptPrice("usd", 1000, ptJ{"variant_id": v1})},
				"options": []any{ptOptionValue("S", ptJ{"option_id": size, "variant_id": v1}), ptOptionValue("Red", ptJ{"option_id": color, "variant_id": v1})}}),
			ptVariant(ptJ{"id": v2, "title": "M / Red", "product_id": id, "sku": "M-R", "inventory_quantity": 5, "manage_inventory": false,
				"metadata": ptJ{"m": true},
				"prices":   []any{ptPrice("eur", 900, ptJ{"variant_id": v2}), ptPrice("eur", 800, ptJ{"variant_id": v2, "region_id": region})},
				"options":  []any{ptOptionValue("Red", ptJ{"option_id": color, "variant_id": v2}), ptOptionValue("M", ptJ{"option_id": size, "variant_id": v2})}}),
		}})}))
	if n := ptCount(t, e, `SELECT variant_rank FROM product_variant WHERE id = ?`, v2); n != 1 {
		t.Fatalf("rank %d", n)
	}

	for _, c := range []struct {
		body   any
		status int
		want   string
	}{
		{ptJ{"options": []ptJ{{"value": 1}}}, 400, `{"type":"invalid_data","message":"title must be a string, prices must be an array, value must be a string, option_id must be a string"}`},
		{ptJ{"title": "x", "prices": []ptJ{}, "options": []ptJ{{"option_id": size, "value": "L"}}}, 400,
			`{"type":"invalid_data","message":"Product options length does not match variant options length. Product has 2 and variant has 1."}`},
		{ptJ{"title": "x", "prices": []ptJ{}, "options": []ptJ{{"option_id": size, "value": "L"}, {"option_id": size, "value": "Red"}}}, 400,
			`{"type":"invalid_data","message":"Variant options do not contain value for Color"}`},
		{ptJ{"title": "x", "prices": []ptJ{}, "options": []ptJ{{"option_id": size, "value": "M"}, {"option_id": color, "value": "Red"}}}, 422,
			`{"type":"duplicate_error","code":"invalid_request_error","message":"Variant with title M / Red with provided options already exists"}`},
		{ptJ{"title": "x", "sku": "S-R", "prices": []ptJ{}, "options": []ptJ{{"option_id": size, "value": "L"}, {"option_id": color, "value": "Red"}}}, 422,
			`{"type":"duplicate_error","code":"invalid_request_error","message":"Product_variant with sku S-R already exists."}`},
		{ptJ{"title": "x", "prices": []ptJ{{"region_id": "reg_nope", "amount": 1}}, "options": []ptJ{{"option_id": size, "value": "L"}, {"option_id": color, "value": "Red"}}}, 404,
			`{"type":"not_found","message":"Region with reg_nope was not found"}`},
	} {
		e.Do("POST", "/admin/products/"+id+"/variants", c.body).Expect(t, c.status, c.want)
	}
	// Medusa crashes (500) on a missing product.
	e.Do("POST", "/admin/products/prod_nope/variants", ptJ{"title": "x", "prices": []ptJ{}}).
		Expect(t, 404, `{"type":"not_found","message":"Product with id: prod_nope was not found"}`)
	if n := ptCount(t, e, `SELECT count(*) FROM product_variant`); n != 2 {
		t.Fatalf("%d variants", n)
	}
	// A product without options takes one variant only (its values match any other's).
	p := ptCreate(t, e, ptJ{"title": "Plain", "variants": []ptJ{{"title": "A", "prices": []ptJ{}}}})
	e.Do("POST", "/admin/products/"+p["id"].(string)+"/variants", ptJ{"title": "B", "prices": []ptJ{}}).
		Expect(t, 422, `{"type":"duplicate_error","code":"invalid_request_error","message":"Variant with title A with provided options already exists"}`)
}

func TestVariantUpdate(t *testing.T) {
	t.Parallel()
	e := resttest.New(t)
	id, size, color, v1 := ptTee(t, e)
	res := e.Do("POST", "/admin/products/"+id+"/variants/"+v1+"?region_id=reg_x", ptJ{"title": "S / Red 2", "sku": nil, "barcode": "B1",
		"weight": 10, "allow_backorder": true, "inventory_quantity": 7, "metadata": ptJ{"x": 1},
		"prices":  []ptJ{{"currency_code": "usd", "amount": 1234}},
		"options": []ptJ{{"option_id": size, "value": "SS"}}})
	res.Expect(t, 200, ptJSON(ptJ{"product": ptProductRels(ptJ{"id": id, "title": "Tee", "handle": "tee",
		"options": []any{ptOption("Size", ptJ{"id": size, "product_id": id}), ptOption("Color", ptJ{"id": color, "product_id": id})},
		"variants": []any{ptPricedVariant(ptJ{"id": v1, "title": "S / Red 2", "product_id": id, "barcode": "B1", "weight": 10,
			"allow_backorder": true, "inventory_quantity": 7, "metadata": ptJ{"x": 1},
			"prices":  []any{ptPricedPrice("usd", 1234, ptJ{"variant_id": v1})},
			"options": []any{ptOptionValue("SS", ptJ{"option_id": size, "variant_id": v1}), ptOptionValue("Red", ptJ{"option_id": color, "variant_id": v1})}})}})}))

	for _, c := range []struct {
		path   string
		body   any
		status int
		want   string
	}{
		{v1, ptJ{"title": 1}, 400, `{"type":"invalid_data","message":"title must be a string, prices must be an array"}`},
		{v1 + "?foo=1", ptJ{"prices": []ptJ{}}, 400, `{"type":"invalid_data","message":"property foo should not exist"}`},
		{"variant_nope", ptJ{"prices": []ptJ{}}, 404, `{"type":"not_found","message":"Variant with id: variant_nope was not found"}`},
		{v1, ptJ{"prices": []ptJ{}, "options": []ptJ{{"option_id": "opt_nope", "value": "x"}}}, 404, `{"type":"not_found","message":"Product option value not found"}`},
		{v1, ptJ{"prices": []ptJ{{"id": "ma_nope", "amount": 1}}}, 404, `{"type":"not_found","message":"Money amount with id: ma_nope was not found"}`},
	} {
		e.Do("POST", "/admin/products/"+id+"/variants/"+c.path, c.body).Expect(t, c.status, c.want)
	}
	// The variant must belong to the product (Medusa would move it to the product of the URL).
	other := ptCreate(t, e, ptJ{"title": "Other"})["id"].(string)
	e.Do("POST", "/admin/products/"+other+"/variants/"+v1, ptJ{"prices": []ptJ{}}).
		Expect(t, 404, `{"type":"not_found","message":"Variant with id: `+v1+` was not found"}`)
	if got := ptPrices(t, e, v1); got != "usd:1234" {
		t.Fatalf("prices changed: %s", got)
	}
}

// Medusa's updateVariantPrices deletes the prices outside price lists whose currency is not in
// the request's currencies or whose region is not in its regions, as an SQL NOT IN with the
// NULLs of the request: mixing region and currency prices keeps every existing one.
func TestVariantUpdatePrices(t *testing.T) {
	t.Parallel()
	e := resttest.New(t)
	region, _, _ := ptFixtures(t, e)
	id, _, _, v1 := ptTee(t, e)
	if _, err := e.DB.Exec(`INSERT INTO price_list (id, name, description) VALUES ('pl_1', 'Sale', 'd');
		INSERT INTO money_amount (id, currency_code, amount, variant_id, price_list_id) VALUES ('ma_pl', 'usd', 1, ?, 'pl_1')`, v1); err != nil {
		t.Fatal(err)
	}
	update := func(prices ...ptJ) {
		t.Helper()
		if prices == nil {
			prices = []ptJ{}
		}
		res := e.Do("POST", "/admin/products/"+id+"/variants/"+v1, ptJ{"prices": prices})
		if res.Status != 200 {
			t.Fatalf("%d %s", res.Status, res.Body)
		}
	}
	check := func(want string) {
		t.Helper()
		if got := ptPrices(t, e, v1); got != want {
			t.Fatalf("prices %s, want %s", got, want)
		}
	}
	update(ptJ{"currency_code": "usd", "amount": 1}, ptJ{"currency_code": "EUR", "amount": 2}, ptJ{"region_id": region, "amount": 3})
	check("eur:2,eur:3:" + region + ",usd:1,usd:1:pl_1")
	// Only currency prices: other currencies go, the EU region price (eur) stays.
	update(ptJ{"currency_code": "eur", "amount": 4})
	check("eur:3:" + region + ",eur:4,usd:1:pl_1")
	// Only region prices: other regions go, currency prices stay.
	update(ptJ{"region_id": region, "amount": 5})
	check("eur:4,eur:5:" + region + ",usd:1:pl_1")
	// A price by id gets the amount.
	var maID string
	if err := e.DB.QueryRow(`SELECT id FROM money_amount WHERE variant_id = ? AND region_id IS NULL AND price_list_id IS NULL`, v1).Scan(&maID); err != nil {
		t.Fatal(err)
	}
	update(ptJ{"id": maID, "amount": 6})
	check("eur:5:" + region + ",eur:6,usd:1:pl_1")
	// No prices: all go but the price list's.
	update()
	check("usd:1:pl_1")
	// The answer lists the prices outside price lists only.
	res := e.Do("POST", "/admin/products/"+id+"/variants/"+v1, ptJ{"prices": []ptJ{{"currency_code": "usd", "amount": 9, "min_quantity": 2}}})
	if got := ptJSON(ptPath(res.JSON(t), "product.variants.0.prices")); !strings.Contains(got, `"amount":9`) || strings.Contains(got, "pl_1") {
		t.Fatalf("prices: %s", got)
	}
	// The product GET too, while the variants list with its raw relation has both.
	res = e.Do("GET", "/admin/products/"+id+"/variants?expand=prices", nil)
	if got := ptJSON(ptPath(res.JSON(t), "variants.0.prices")); !strings.Contains(got, "pl_1") {
		t.Fatalf("prices: %s", got)
	}
}

func TestVariantDelete(t *testing.T) {
	t.Parallel()
	e := resttest.New(t)
	id, size, color, v1 := ptTee(t, e)
	e.Do("DELETE", "/admin/products/"+id+"/variants/"+v1, nil).Expect(t, 200, ptJSON(ptJ{"variant_id": v1, "object": "product-variant",
		"deleted": true, "product": ptProductRels(ptJ{"id": id, "title": "Tee", "handle": "tee",
			"options": []any{ptOption("Size", ptJ{"id": size, "product_id": id}), ptOption("Color", ptJ{"id": color, "product_id": id})}})}))
	for _, table := range []string{"product_variant WHERE id = ?", "money_amount WHERE variant_id = ?", "product_option_value WHERE variant_id = ?"} {
		if n := ptCount(t, e, `SELECT count(*) FROM `+table+` AND deleted_at IS NULL`, v1); n != 0 {
			t.Fatalf("%s: %d live rows", table, n)
		}
	}
	// Again, or a variant of another product: nothing happens.
	e.Do("DELETE", "/admin/products/"+id+"/variants/"+v1, nil).Expect(t, 200, ptJSON(ptJ{"variant_id": v1, "object": "product-variant",
		"deleted": true, "product": "$any"}))
	_, _, _, ov := ptTee(t, e, "tee-2")
	e.Do("DELETE", "/admin/products/"+id+"/variants/"+ov, nil)
	if n := ptCount(t, e, `SELECT count(*) FROM product_variant WHERE id = ? AND deleted_at IS NULL`, ov); n != 1 {
		t.Fatal("another product's variant was deleted")
	}
	e.Do("DELETE", "/admin/products/prod_nope/variants/"+v1, nil).
		Expect(t, 404, `{"type":"not_found","message":"Product with id: prod_nope was not found"}`)
	// Its sku is free again.
	e.Do("POST", "/admin/products/"+id+"/variants", ptJ{"title": "Again", "sku": "S-R", "prices": []ptJ{},
		"options": []ptJ{{"option_id": size, "value": "S"}, {"option_id": color, "value": "Red"}}}).Expect(t, 200, `{"product":"$any"}`)
}

func TestProductVariantsList(t *testing.T) {
	t.Parallel()
	e := resttest.New(t)
	id, size, color, v1 := ptTee(t, e)
	res := e.Do("POST", "/admin/products/"+id+"/variants", ptJ{"title": "M / Red", "prices": []ptJ{},
		"options": []ptJ{{"option_id": size, "value": "M"}, {"option_id": color, "value": "Red"}}})
	v2 := ptStr(res.JSON(t), "product.variants.1.id")
	product := ptProduct(ptJ{"id": id, "title": "Tee", "handle": "tee"})
	// Without expand: id and product_id (plus fields) with the product, as Medusa's eager relation.
	e.Do("GET", "/admin/products/"+id+"/variants", nil).Expect(t, 200, ptJSON(ptJ{"count": 2, "offset": 0, "limit": 100, "variants": []any{
		ptJ{"id": v1, "product_id": id, "product": product}, ptJ{"id": v2, "product_id": id, "product": product}}}))
	e.Do("GET", "/admin/products/"+id+"/variants?fields=title,sku&limit=1&offset=1", nil).Expect(t, 200, ptJSON(ptJ{"count": 2,
		"offset": 1, "limit": 1, "variants": []any{ptJ{"id": v2, "product_id": id, "title": "M / Red", "sku": nil, "product": product}}}))
	// With expand: whole variants with those relations, fields ignored.
	e.Do("GET", "/admin/products/"+id+"/variants?expand=options&fields=title", nil).Expect(t, 200, ptJSON(ptJ{"count": 2, "offset": 0,
		"limit": 100, "variants": []any{
			ptVariant(ptJ{"id": v1, "title": "S / Red", "product_id": id, "sku": "S-R", "options": []any{
				ptOptionValue("S", ptJ{"option_id": size, "variant_id": v1}), ptOptionValue("Red", ptJ{"option_id": color, "variant_id": v1})}}),
			ptVariant(ptJ{"id": v2, "title": "M / Red", "product_id": id, "options": []any{
				ptOptionValue("M", ptJ{"option_id": size, "variant_id": v2}), ptOptionValue("Red", ptJ{"option_id": color, "variant_id": v2})}}),
		}}))
	e.Do("GET", "/admin/products/prod_nope/variants", nil).Expect(t, 200, `{"count":0,"variants":[],"offset":0,"limit":100}`)
	e.Do("GET", "/admin/products/"+id+"/variants?limit=x&foo=1&order=x", nil).Expect(t, 400,
		`{"type":"invalid_data","message":"property foo should not exist, property order should not exist, limit must be a number conforming to the specified constraints"}`)
}

func TestAdminVariantsList(t *testing.T) {
	t.Parallel()
	e := resttest.New(t)
	id, size, color, v1 := ptTee(t, e)
	product := ptProduct(ptJ{"id": id, "title": "Tee", "handle": "tee"})
	want := ptVariant(ptJ{"id": v1, "title": "S / Red", "product_id": id, "sku": "S-R", "product": product,
		"prices":  []any{ptPrice("usd", 1000, ptJ{"variant_id": v1})},
		"options": []any{ptOptionValue("S", ptJ{"option_id": size, "variant_id": v1}), ptOptionValue("Red", ptJ{"option_id": color, "variant_id": v1})}})
	res := e.Do("GET", "/admin/variants", nil)
	res.Expect(t, 200, ptJSON(ptJ{"variants": []any{want}, "count": 1, "offset": 0, "limit": 20}))
	res.MatchesSpec(t, "GET", "/admin/variants")
	for q, n := range map[string]int{"q=s-r": 1, "q=TEE": 1, "q=red": 1, "q=blue": 0, "q=": 1, "offset=1": 0} {
		res := e.Do("GET", "/admin/variants?"+q, nil)
		if res.Status != 200 || len(res.JSON(t)["variants"].([]any)) != n {
			t.Fatalf("%s: %d %s", q, res.Status, res.Body)
		}
	}
	e.Do("GET", "/admin/variants?expand=product&foo=1&limit=x&offset=1.5", nil).Expect(t, 400,
		`{"type":"invalid_data","message":"property expand should not exist, property foo should not exist, limit must be an integer number, offset must be an integer number"}`)

	// Constant statements whatever the page size.
	for i := 0; i < 25; i++ {
		ptCreate(t, e, ptJ{"title": fmt.Sprintf("P%d", i), "options": []ptJ{{"title": "Size"}}, "variants": []ptJ{
			{"title": "A", "prices": []ptJ{{"currency_code": "usd", "amount": 1}}, "options": []ptJ{{"value": "A"}}},
			{"title": "B", "prices": []ptJ{{"currency_code": "usd", "amount": 1}}, "options": []ptJ{{"value": "B"}}}}})
	}
	e.Do("GET", "/admin/variants?limit=1", nil)
	one := e.Queries
	res = e.Do("GET", "/admin/variants?limit=50", nil)
	if len(res.JSON(t)["variants"].([]any)) != 50 || e.Queries != one {
		t.Fatalf("statements: %d for 1, %d for 50", one, e.Queries)
	}
	e.Do("GET", "/admin/products/"+id+"/variants?limit=1&expand=prices,options", nil)
	one = e.Queries
	e.Do("GET", "/admin/products/"+id+"/variants?limit=50&expand=prices,options", nil)
	if e.Queries != one {
		t.Fatalf("product variants statements: %d for 1, %d for 50", one, e.Queries)
	}
}
