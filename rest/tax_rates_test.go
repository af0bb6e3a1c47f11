package rest_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/gorgon-commerce/gorgon/rest/resttest"
)

// txrJSON is a tax rate with Medusa's default columns (no metadata); rate and code are JSON.
func txrJSON(id, name, code, rate, region string) string {
	return fmt.Sprintf(`{"id":%q,"rate":%s,"code":%s,"name":%q,"region_id":%q,"created_at":"$time","updated_at":"$time"}`,
		id, rate, code, name, region)
}

// txrWith adds properties (a JSON object's members) to a tax rate object.
func txrWith(obj, extra string) string {
	return strings.TrimSuffix(obj, "}") + "," + extra + "}"
}

// txrCreate creates a tax rate and returns its id.
func txrCreate(t *testing.T, e *resttest.Env, body map[string]any) string {
	t.Helper()
	res := e.Do("POST", "/admin/tax-rates", body)
	if res.Status != 200 {
		t.Fatalf("create tax rate: %d %s", res.Status, res.Body)
	}
	return res.JSON(t)["tax_rate"].(map[string]any)["id"].(string)
}

// txrOption creates a flat rate shipping option in a region and returns its id.
func txrOption(t *testing.T, e *resttest.Env, region, name string) string {
	t.Helper()
	res := e.Do("POST", "/admin/shipping-options", map[string]any{"name": name, "region_id": region, "provider_id": "manual",
		"data": map[string]any{}, "price_type": "flat_rate", "amount": 1000})
	if res.Status != 200 {
		t.Fatalf("create shipping option: %d %s", res.Status, res.Body)
	}
	return res.JSON(t)["shipping_option"].(map[string]any)["id"].(string)
}

// typeJSON is a product type row as a relation carries it.
func typeJSON(id, value string) string {
	return fmt.Sprintf(`{"id":%q,"value":%q,"created_at":"$time","updated_at":"$time","deleted_at":null,"metadata":null}`, id, value)
}

// optionRowJSON is a shipping option row without relations (the tests' options: flat rate 1000).
func optionRowJSON(id, name, region string) string {
	return fmt.Sprintf(`{"id":%q,"created_at":"$time","updated_at":"$time","deleted_at":null,"name":%q,"region_id":%q,
		"profile_id":"$id:sp","provider_id":"manual","price_type":"flat_rate","amount":1000,"is_return":false,"admin_only":false,
		"data":{},"metadata":null}`, id, name, region)
}

func TestTaxRatesCreateGetUpdateDelete(t *testing.T) {
	t.Parallel()
	e := resttest.New(t)
	region := createNordics(t, e)

	// A real rate comes back as the decimal it was given; a rate may be null or absent.
	res := e.Do("POST", "/admin/tax-rates", map[string]any{"code": "RED", "name": "Reduced", "region_id": region, "rate": 0.1})
	res.Expect(t, 200, `{"tax_rate":`+txrJSON("$id:txr", "Reduced", `"RED"`, "0.1", region)+`}`)
	res.MatchesSpec(t, "POST", "/admin/tax-rates")
	id := res.JSON(t)["tax_rate"].(map[string]any)["id"].(string)
	e.Do("POST", "/admin/tax-rates", map[string]any{"code": "N", "name": "Null", "region_id": region, "rate": nil}).
		Expect(t, 200, `{"tax_rate":`+txrJSON("$id:txr", "Null", `"N"`, "null", region)+`}`)
	// Medusa's IsType([Number, null]) takes a numeric string as its number.
	e.Do("POST", "/admin/tax-rates", map[string]any{"code": "S", "name": "String", "region_id": region, "rate": "5"}).
		Expect(t, 200, `{"tax_rate":`+txrJSON("$id:txr", "String", `"S"`, "5", region)+`}`)

	created := `{"tax_rate":` + txrJSON(id, "Reduced", `"RED"`, "0.1", region) + `}`
	res = e.Do("GET", "/admin/tax-rates/"+id, nil)
	res.Expect(t, 200, created)
	res.MatchesSpec(t, "GET", "/admin/tax-rates/"+id)
	// fields: the columns asked for and id; the computed counts; relation names are left out
	// unless expanded.
	e.Do("GET", "/admin/tax-rates/"+id+"?fields[]=metadata&fields[]=region&fields[]=product_count&fields[]=shipping_option_count&fields[]=product_type_count", nil).
		Expect(t, 200, `{"tax_rate":{"id":"`+id+`","metadata":null,"product_count":0,"shipping_option_count":0,"product_type_count":0}}`)
	e.Do("GET", "/admin/tax-rates/"+id+"?fields[0]=name&expand[0]=products&expand[1]=product_types", nil).
		Expect(t, 200, `{"tax_rate":{"id":"`+id+`","name":"Reduced","products":[],"product_types":[]}}`)
	// The region comes with its providers (eager in Medusa's entity), not its countries.
	e.Do("GET", "/admin/tax-rates/"+id+"?expand[]=region", nil).
		Expect(t, 200, `{"tax_rate":`+txrWith(txrJSON(id, "Reduced", `"RED"`, "0.1", region), `"region":`+string(regionRelJSON(region, nil)))+`}`)

	// An empty update changes nothing, not even updated_at.
	before := e.Do("GET", "/admin/tax-rates/"+id, nil).JSON(t)["tax_rate"].(map[string]any)["updated_at"]
	e.Do("POST", "/admin/tax-rates/"+id, map[string]any{}).Expect(t, 200, created)
	if after := e.Do("GET", "/admin/tax-rates/"+id, nil).JSON(t)["tax_rate"].(map[string]any)["updated_at"]; after != before {
		t.Fatalf("updated_at moved: %v -> %v", before, after)
	}
	// null clears code and rate.
	res = e.Do("POST", "/admin/tax-rates/"+id, map[string]any{"rate": nil, "code": nil, "name": "Zero"})
	res.Expect(t, 200, `{"tax_rate":`+txrJSON(id, "Zero", "null", "null", region)+`}`)
	res.MatchesSpec(t, "POST", "/admin/tax-rates/"+id)
	other := createNordics(t, e)
	e.Do("POST", "/admin/tax-rates/"+id+"?fields[]=region_id&fields[]=rate", map[string]any{"rate": 12.5, "region_id": other}).
		Expect(t, 200, `{"tax_rate":{"id":"`+id+`","rate":12.5,"region_id":"`+other+`"}}`)

	res = e.Do("DELETE", "/admin/tax-rates/"+id, nil)
	res.Expect(t, 200, `{"id":"`+id+`","object":"tax-rate","deleted":true}`)
	res.MatchesSpec(t, "DELETE", "/admin/tax-rates/"+id)
	e.Do("GET", "/admin/tax-rates/"+id, nil).Expect(t, 404, `{"type":"not_found","message":"TaxRate with `+id+` was not found"}`)
	// Deleting is idempotent, as in Medusa.
	e.Do("DELETE", "/admin/tax-rates/"+id, nil).Expect(t, 200, `{"id":"`+id+`","object":"tax-rate","deleted":true}`)
}

func TestTaxRatesBadInput(t *testing.T) {
	t.Parallel()
	e := resttest.New(t)
	region := createNordics(t, e)
	id := txrCreate(t, e, map[string]any{"code": "A", "name": "A", "region_id": region, "rate": 5})
	rate := `{"tax_rate":` + txrJSON(id, "A", `"A"`, "5", region) + `}`
	for _, tc := range []struct {
		body   any
		status int
		want   string
	}{
		{map[string]any{}, 400, `code must be a string, name must be a string, region_id must be a string`},
		{`{"foo":1,"code":5,"name":null,"region_id":3,"rate":5,"products":{},"shipping_options":{},"product_types":{}}`, 400,
			`property foo should not exist, code must be a string, name must be a string, region_id must be a string, products must be an array, shipping_options must be an array, product_types must be an array`},
		// Medusa answers these with a 500.
		{map[string]any{"code": "A", "name": "A", "region_id": region, "rate": "x"}, 400, `rate must be a number conforming to the specified constraints`},
		{map[string]any{"code": "A", "name": "A", "region_id": region, "rate": true}, 400, `rate must be a number conforming to the specified constraints`},
		{map[string]any{"code": "A", "name": "A", "region_id": region, "products": nil}, 400, `products must be an array`},
		{`not json`, 400, `request body is not valid JSON: invalid character 'o' in literal null (expecting 'u') at position 1`},
	} {
		e.Do("POST", "/admin/tax-rates", tc.body).Expect(t, tc.status, `{"type":"invalid_data","message":"`+tc.want+`"}`)
	}
	// Medusa lets the foreign key fail (a 500).
	e.Do("POST", "/admin/tax-rates", map[string]any{"code": "A", "name": "A", "region_id": "reg_missing"}).
		Expect(t, 404, `{"type":"not_found","message":"Region with reg_missing was not found"}`)
	// A bad id in a list rejects the whole creation. (Medusa names the rate it rolled back:
	// "TaxRate with txr_… was not found".)
	prod := catProduct(t, e, "Shirt")
	e.Do("POST", "/admin/tax-rates", map[string]any{"code": "B", "name": "B", "region_id": region, "products": []string{prod, "prod_missing"}}).
		Expect(t, 404, `{"type":"not_found","message":"Product with id: prod_missing was not found"}`)
	e.Do("POST", "/admin/tax-rates", map[string]any{"code": "B", "name": "B", "region_id": region, "product_types": []string{"ptyp_missing"}}).
		Expect(t, 404, `{"type":"not_found","message":"Product with id: ptyp_missing was not found"}`)
	e.Do("POST", "/admin/tax-rates", map[string]any{"code": "B", "name": "B", "region_id": region, "shipping_options": []string{"so_missing"}}).
		Expect(t, 404, `{"type":"not_found","message":"Shipping Option with so_missing was not found"}`)
	e.Do("POST", "/admin/tax-rates?expand=products", map[string]any{"code": "B", "name": "B", "region_id": region}).
		Expect(t, 400, `{"type":"invalid_data","message":"expand must be an array"}`)
	e.Do("POST", "/admin/tax-rates?expand[]=nope", map[string]any{"code": "B", "name": "B", "region_id": region}).
		Expect(t, 400, `{"type":"invalid_data","message":"Relation nope not found"}`)

	for _, tc := range []struct {
		body   any
		status int
		want   string
	}{
		{`{"foo":1,"name":1,"code":2,"region_id":3,"products":"x"}`, 400,
			`{"type":"invalid_data","message":"property foo should not exist, code must be a string, name must be a string, region_id must be a string, products must be an array"}`},
		// Medusa stores these nulls and fails (a 500).
		{map[string]any{"name": nil, "region_id": nil}, 400, `{"type":"invalid_data","message":"name must be a string, region_id must be a string"}`},
		{map[string]any{"region_id": "reg_missing", "name": "changed"}, 404, `{"type":"not_found","message":"Region with reg_missing was not found"}`},
		{map[string]any{"rate": 7, "products": []string{prod, "prod_missing"}}, 404, `{"type":"not_found","message":"Product with id: prod_missing was not found"}`},
	} {
		e.Do("POST", "/admin/tax-rates/"+id, tc.body).Expect(t, tc.status, tc.want)
	}
	e.Do("POST", "/admin/tax-rates/txr_missing", map[string]any{"name": "x"}).
		Expect(t, 404, `{"type":"not_found","message":"TaxRate with txr_missing was not found"}`)
	for _, q := range []struct{ query, want string }{
		{"foo=1", "property foo should not exist"},
		{"expand=products&fields=id", "expand must be an array, fields must be an array"},
		// Medusa answers these with a 500.
		{"expand[]=products,product_types", "Relation products,product_types not found"},
		{"fields[]=nope", "Field nope is not valid"},
	} {
		e.Do("GET", "/admin/tax-rates/"+id+"?"+q.query, nil).Expect(t, 400, `{"type":"invalid_data","message":"`+q.want+`"}`)
	}

	// Nothing changed: one rate, as created, without links.
	e.Do("GET", "/admin/tax-rates/"+id+"?fields[]=rate&fields[]=product_count", nil).
		Expect(t, 200, `{"tax_rate":{"id":"`+id+`","rate":5,"product_count":0}}`)
	e.Do("GET", "/admin/tax-rates", nil).Expect(t, 200, `{"tax_rates":[`+txrJSON(id, "A", `"A"`, "5", region)+`],"count":1,"offset":0,"limit":50}`)
	e.Do("GET", "/admin/tax-rates/"+id, nil).Expect(t, 200, rate)
}

func TestTaxRatesList(t *testing.T) {
	t.Parallel()
	e := resttest.New(t)
	eu, us := createNordics(t, e), createNordics(t, e)
	a := txrCreate(t, e, map[string]any{"code": "A", "name": "Alpha", "region_id": eu, "rate": 5})
	b := txrCreate(t, e, map[string]any{"code": "B", "name": "Beta", "region_id": eu, "rate": 12.5})
	c := txrCreate(t, e, map[string]any{"code": "C", "name": "Gamma", "region_id": us, "rate": nil})
	d := txrCreate(t, e, map[string]any{"code": "D", "name": "Delta", "region_id": us, "rate": 0.1})
	rows := map[string]string{
		a: txrJSON(a, "Alpha", `"A"`, "5", eu), b: txrJSON(b, "Beta", `"B"`, "12.5", eu),
		c: txrJSON(c, "Gamma", `"C"`, "null", us), d: txrJSON(d, "Delta", `"D"`, "0.1", us),
	}
	list := func(count, offset, limit int, ids ...string) string {
		items := make([]string, len(ids))
		for i, id := range ids {
			items[i] = rows[id]
		}
		return fmt.Sprintf(`{"tax_rates":[%s],"count":%d,"offset":%d,"limit":%d}`, strings.Join(items, ","), count, offset, limit)
	}
	// Newest first.
	res := e.Do("GET", "/admin/tax-rates", nil)
	res.Expect(t, 200, list(4, 0, 50, d, c, b, a))
	res.MatchesSpec(t, "GET", "/admin/tax-rates")
	for _, tc := range []struct {
		query string
		want  string
	}{
		{"region_id=" + eu, list(2, 0, 50, b, a)},
		{"region_id[]=" + eu + "&region_id[]=" + us, list(4, 0, 50, d, c, b, a)},
		{"region_id=" + eu + "," + us, list(0, 0, 50)},
		{"code=C", list(1, 0, 50, c)},
		{"name=Beta", list(1, 0, 50, b)},
		{"code=&name=", list(4, 0, 50, d, c, b, a)},
		{"rate=12.5", list(1, 0, 50, b)},
		{"rate=0.1", list(1, 0, 50, d)},
		{"rate[]=5", list(1, 0, 50, a)},
		{"rate[gt]=0.1", list(2, 0, 50, b, a)},
		{"rate[gte]=0.1&rate[lt]=12.5", list(2, 0, 50, d, a)},
		{"rate[lte]=5&region_id=" + us, list(1, 0, 50, d)},
		// Medusa 1.3.8 ignores limit and offset (it always answers from 0 with 50); Gorgon pages.
		{"limit=2&offset=1", list(4, 1, 2, c, b)},
		{"offset=4", list(4, 4, 50)},
		// limit=0 is TypeORM's take: 0, every row (checked on Medusa 1.3.8).
		{"limit=0", list(4, 0, 0, d, c, b, a)},
	} {
		e.Do("GET", "/admin/tax-rates?"+tc.query, nil).Expect(t, 200, tc.want)
	}

	// Relations and counts, in a constant number of statements whatever the page size.
	prod := catProduct(t, e, "Shirt")
	typ := catValues(t, e, "product_type", "ptyp", "Apparel")[0]
	opt := txrOption(t, e, eu, "Standard")
	for _, id := range []string{a, b} {
		e.Do("POST", "/admin/tax-rates/"+id, map[string]any{"products": []string{prod}, "product_types": []string{typ}, "shipping_options": []string{opt}})
	}
	q := "?expand[]=products&expand[]=product_types&expand[]=shipping_options&fields[]=name&fields[]=product_count&fields[]=shipping_option_count"
	links := `"products":[` + catProductJSON(prod, "Shirt", "") + `],"product_types":[` + typeJSON(typ, "Apparel") +
		`],"shipping_options":[` + optionRowJSON(opt, "Standard", eu) + `],"product_count":1,"shipping_option_count":1`
	none := `"products":[],"product_types":[],"shipping_options":[],"product_count":0,"shipping_option_count":0`
	item := func(id, name, rels string) string {
		return fmt.Sprintf(`{"id":%q,"created_at":"$time","name":%q,%s}`, id, name, rels)
	}
	e.Do("GET", "/admin/tax-rates"+q+"&limit=50", nil).Expect(t, 200, `{"tax_rates":[`+item(d, "Delta", none)+`,`+item(c, "Gamma", none)+`,`+
		item(b, "Beta", links)+`,`+item(a, "Alpha", links)+`],"count":4,"offset":0,"limit":50}`)
	many := e.Queries
	e.Do("GET", "/admin/tax-rates"+q+"&limit=1&offset=2", nil).Expect(t, 200, `{"tax_rates":[`+item(b, "Beta", links)+`],"count":4,"offset":2,"limit":1}`)
	if e.Queries != many || many == 0 {
		t.Fatalf("limit=1 took %d statements, limit=50 took %d", e.Queries, many)
	}

	for _, tc := range []struct{ query, want string }{
		{"q=x&order=name", "property q should not exist, property order should not exist"},
		{"code[]=A&foo=1", "property foo should not exist, code must be a string"},
		{"name[]=x&limit=x&expand=a", "name must be a string, limit must be a number conforming to the specified constraints, expand must be an array"},
		{"limit=x&offset=y", "offset must be a number conforming to the specified constraints, limit must be a number conforming to the specified constraints"},
		{"created_at[gt]=2020-01-01", "property created_at should not exist"},
		// Medusa's IsType reports its failure alone, as a JSON document.
		{"foo=1&rate=x", `{\"message\":\"rate must be one of: NumericalComparisonOperator,Number\",\"details\":{\"Number\":[\"Number validation failed: x is not a number\"]}}`},
		{"rate[gt]=x", `{\"message\":\"rate must be one of: NumericalComparisonOperator,Number\",\"details\":{\"Number\":[\"Number validation failed: [object Object] is not a number\"],\"NumericalComparisonOperator\":[\"gt must be a number conforming to the specified constraints\"]}}`},
		{"rate[foo]=1", `{\"message\":\"rate must be one of: NumericalComparisonOperator,Number\",\"details\":{\"Number\":[\"Number validation failed: [object Object] is not a number\"],\"NumericalComparisonOperator\":[\"property foo should not exist\"]}}`},
		{"rate=5&rate=6", `{\"message\":\"rate must be one of: NumericalComparisonOperator,Number\",\"details\":{\"Number\":[\"Number validation failed: 5\",\"6 is not a number\"],\"NumericalComparisonOperator\":[\"property 0 should not exist\",\" property 1 should not exist\"]}}`},
		{"region_id[a]=1", `{\"message\":\"region_id must be one of: String,String\",\"details\":{\"String\":[\"String validation failed: [object Object] is not a string\"],\"undefined\":[\"Cannot read properties of undefined (reading 'constructor')\"]}}`},
		// Medusa answers these with a 500.
		{"limit=-1", "limit and offset must not be negative"},
		{"expand[]=nope", "Relation nope not found"},
	} {
		e.Do("GET", "/admin/tax-rates?"+tc.query, nil).Expect(t, 400, `{"type":"invalid_data","message":"`+tc.want+`"}`)
	}
}

func TestTaxRatesBatch(t *testing.T) {
	t.Parallel()
	e := resttest.New(t)
	eu, us := createNordics(t, e), createNordics(t, e)
	id := txrCreate(t, e, map[string]any{"code": "A", "name": "A", "region_id": eu, "rate": 5})
	p1, p2 := catProduct(t, e, "Shirt"), catProduct(t, e, "Hat")
	types := catValues(t, e, "product_type", "ptyp", "Apparel", "Home")
	euOpt, usOpt := txrOption(t, e, eu, "EU"), txrOption(t, e, us, "US")
	base := txrJSON(id, "A", `"A"`, "5", eu)
	products := func(ids ...string) string {
		parts := make([]string, len(ids))
		for i, p := range ids {
			parts[i] = catProductJSON(p, map[string]string{p1: "Shirt", p2: "Hat"}[p], "")
		}
		return `{"tax_rate":` + txrWith(base, `"products":[`+strings.Join(parts, ",")+`]`) + `}`
	}

	// Products: added in a batch, idempotently, listed in the order they were linked.
	res := e.Do("POST", "/admin/tax-rates/"+id+"/products/batch", map[string]any{"products": []string{p2}})
	res.Expect(t, 200, `{"tax_rate":`+base+`}`)
	res.MatchesSpec(t, "POST", "/admin/tax-rates/"+id+"/products/batch")
	e.Do("POST", "/admin/tax-rates/"+id+"/products/batch?expand[]=products", map[string]any{"products": []string{p1, p2, p1}}).
		Expect(t, 200, products(p2, p1))
	// A bad id rejects the whole batch and links nothing.
	e.Do("POST", "/admin/tax-rates/"+id+"/products/batch", map[string]any{"products": []string{"prod_missing"}}).
		Expect(t, 404, `{"type":"not_found","message":"Product with id: prod_missing was not found"}`)
	e.Do("DELETE", "/admin/tax-rates/"+id+"/products/batch?expand[]=products", map[string]any{"products": []string{p2, "prod_other"}}).
		Expect(t, 200, products(p1))
	e.Do("POST", "/admin/tax-rates/"+id+"/products/batch?expand[]=products", map[string]any{"products": []string{p2, "prod_missing"}}).
		Expect(t, 404, `{"type":"not_found","message":"Product with id: prod_missing was not found"}`)
	e.Do("GET", "/admin/tax-rates/"+id+"?expand[]=products", nil).Expect(t, 200, products(p1))
	// Removing is idempotent too.
	res = e.Do("DELETE", "/admin/tax-rates/"+id+"/products/batch?expand[]=products", map[string]any{"products": []string{p2}})
	res.Expect(t, 200, products(p1))
	res.MatchesSpec(t, "DELETE", "/admin/tax-rates/"+id+"/products/batch")

	// Product types.
	typesOf := func(idx ...int) string {
		parts := make([]string, len(idx))
		for i, n := range idx {
			parts[i] = typeJSON(types[n], []string{"Apparel", "Home"}[n])
		}
		return `{"tax_rate":` + txrWith(base, `"product_types":[`+strings.Join(parts, ",")+`]`) + `}`
	}
	res = e.Do("POST", "/admin/tax-rates/"+id+"/product-types/batch?expand[]=product_types", map[string]any{"product_types": types})
	res.Expect(t, 200, typesOf(0, 1))
	res.MatchesSpec(t, "POST", "/admin/tax-rates/"+id+"/product-types/batch")
	e.Do("POST", "/admin/tax-rates/"+id+"/product-types/batch", map[string]any{"product_types": []string{types[0], "ptyp_missing"}}).
		Expect(t, 404, `{"type":"not_found","message":"Product with id: ptyp_missing was not found"}`)
	res = e.Do("DELETE", "/admin/tax-rates/"+id+"/product-types/batch?expand[]=product_types", map[string]any{"product_types": []string{types[0]}})
	res.Expect(t, 200, typesOf(1))
	res.MatchesSpec(t, "DELETE", "/admin/tax-rates/"+id+"/product-types/batch")

	// Shipping options must be in the rate's region.
	withOptions := func(opts ...string) string {
		parts := make([]string, len(opts))
		for i, o := range opts {
			parts[i] = optionRowJSON(o, "EU", eu)
		}
		return `{"tax_rate":` + txrWith(base, `"shipping_options":[`+strings.Join(parts, ",")+`]`) + `}`
	}
	res = e.Do("POST", "/admin/tax-rates/"+id+"/shipping-options/batch?expand[]=shipping_options", map[string]any{"shipping_options": []string{euOpt}})
	res.Expect(t, 200, withOptions(euOpt))
	res.MatchesSpec(t, "POST", "/admin/tax-rates/"+id+"/shipping-options/batch")
	e.Do("POST", "/admin/tax-rates/"+id+"/shipping-options/batch", map[string]any{"shipping_options": []string{euOpt, usOpt}}).
		Expect(t, 400, `{"type":"not_allowed","message":"Shipping Option and Tax Rate must belong to the same Region to be associated. Shipping Option with id: `+
			usOpt+` belongs to Region with id: `+us+` and Tax Rate with id: `+id+` belongs to Region with id: `+eu+`"}`)
	e.Do("POST", "/admin/tax-rates/"+id+"/shipping-options/batch", map[string]any{"shipping_options": []string{"so_missing"}}).
		Expect(t, 404, `{"type":"not_found","message":"Shipping Option with so_missing was not found"}`)
	e.Do("GET", "/admin/tax-rates/"+id+"?expand[]=shipping_options", nil).Expect(t, 200, withOptions(euOpt))
	// A deleted option is no longer shown nor counted.
	e.Do("DELETE", "/admin/shipping-options/"+euOpt, nil)
	e.Do("GET", "/admin/tax-rates/"+id+"?expand[]=shipping_options&fields[]=shipping_option_count", nil).
		Expect(t, 200, `{"tax_rate":{"id":"`+id+`","shipping_options":[],"shipping_option_count":0}}`)
	res = e.Do("DELETE", "/admin/tax-rates/"+id+"/shipping-options/batch", map[string]any{"shipping_options": []string{euOpt}})
	res.Expect(t, 200, `{"tax_rate":`+base+`}`)
	res.MatchesSpec(t, "DELETE", "/admin/tax-rates/"+id+"/shipping-options/batch")

	// An update replaces the lists it is given, all or nothing.
	e.Do("POST", "/admin/tax-rates/"+id+"?expand[]=products", map[string]any{"products": []string{p2}}).Expect(t, 200, products(p2))
	e.Do("POST", "/admin/tax-rates/"+id+"?expand[]=products", map[string]any{"name": "B", "products": []string{p1}, "product_types": []string{"ptyp_missing"}}).
		Expect(t, 404, `{"type":"not_found","message":"Product with id: ptyp_missing was not found"}`)
	e.Do("GET", "/admin/tax-rates/"+id+"?expand[]=products", nil).Expect(t, 200, products(p2))
	e.Do("POST", "/admin/tax-rates/"+id+"?expand[]=products&expand[]=product_types", map[string]any{"products": []string{}, "product_types": []string{}}).
		Expect(t, 200, `{"tax_rate":`+txrWith(base, `"products":[],"product_types":[]`)+`}`)

	// A missing rate is reported first (Medusa reports the rate or a missing product, whichever
	// of its concurrent look-ups fails first).
	for _, tc := range []struct{ method, path, key, id, want string }{
		{"POST", "products", "products", "prod_missing", "TaxRate with txr_missing was not found"},
		{"POST", "products", "products", p1, "TaxRate with txr_missing was not found"},
		{"POST", "product-types", "product_types", "ptyp_missing", "TaxRate with txr_missing was not found"},
		{"POST", "shipping-options", "shipping_options", "so_missing", "TaxRate with txr_missing was not found"},
		{"DELETE", "products", "products", p1, "TaxRate with txr_missing was not found"},
	} {
		e.Do(tc.method, "/admin/tax-rates/txr_missing/"+tc.path+"/batch", map[string]any{tc.key: []string{tc.id}}).
			Expect(t, 404, `{"type":"not_found","message":"`+tc.want+`"}`)
	}
	for _, tc := range []struct {
		path string
		body any
		want string
	}{
		{"products", map[string]any{}, "products must be an array"},
		{"products", `{"products":[1],"foo":2}`, "property foo should not exist"},
		{"product-types", map[string]any{"product_types": "x"}, "product_types must be an array"},
		{"shipping-options", map[string]any{"shipping_options": nil}, "shipping_options must be an array"},
	} {
		e.Do("DELETE", "/admin/tax-rates/"+id+"/"+tc.path+"/batch", tc.body).Expect(t, 400, `{"type":"invalid_data","message":"`+tc.want+`"}`)
		e.Do("POST", "/admin/tax-rates/"+id+"/"+tc.path+"/batch", tc.body).Expect(t, 400, `{"type":"invalid_data","message":"`+tc.want+`"}`)
	}
	// Ids are taken as Medusa takes them: a number names no product.
	e.Do("POST", "/admin/tax-rates/"+id+"/products/batch", `{"products":[1]}`).
		Expect(t, 404, `{"type":"not_found","message":"Product with id: 1 was not found"}`)
}

func TestTaxRatesUnauthenticated(t *testing.T) {
	t.Parallel()
	e := resttest.New(t)
	region := createNordics(t, e)
	id := txrCreate(t, e, map[string]any{"code": "A", "name": "A", "region_id": region})
	for _, r := range []struct{ method, path string }{
		{"GET", "/admin/tax-rates"}, {"POST", "/admin/tax-rates"}, {"GET", "/admin/tax-rates/" + id},
		{"POST", "/admin/tax-rates/" + id}, {"DELETE", "/admin/tax-rates/" + id},
		{"POST", "/admin/tax-rates/" + id + "/products/batch"}, {"DELETE", "/admin/tax-rates/" + id + "/products/batch"},
		{"POST", "/admin/tax-rates/" + id + "/product-types/batch"}, {"DELETE", "/admin/tax-rates/" + id + "/product-types/batch"},
		{"POST", "/admin/tax-rates/" + id + "/shipping-options/batch"}, {"DELETE", "/admin/tax-rates/" + id + "/shipping-options/batch"},
	} {
		e.DoAnon(r.method, r.path, map[string]any{"name": "x", "products": []string{}}).ExpectText(t, 401, "Unauthorized")
	}
	e.Do("GET", "/admin/tax-rates/"+id, nil).Expect(t, 200, `{"tax_rate":`+txrJSON(id, "A", `"A"`, "null", region)+`}`)
}

// A rate lists its products and product types in the order they were linked (Medusa inserts the
// join rows in the order asked for and reads them without an ORDER BY), not by id or title; a
// replacement keeps the links it had where they were.
func TestTaxRatesLinkOrder(t *testing.T) {
	t.Parallel()
	e := resttest.New(t)
	region := createNordics(t, e)
	titles := []string{"Apple", "Banana", "Cherry", "Date"}
	ps := make([]string, len(titles))
	for i, title := range titles {
		ps[i] = catProduct(t, e, title)
	}
	types := catValues(t, e, "product_type", "ptyp", "Apparel", "Home", "Garden")
	id := txrCreate(t, e, map[string]any{"code": "O", "name": "O", "region_id": region, "rate": 5})
	base := txrJSON(id, "O", `"O"`, "5", region)
	with := func(products []int, typeIdx ...int) string {
		parts := make([]string, len(products))
		for i, n := range products {
			parts[i] = catProductJSON(ps[n], titles[n], "")
		}
		tparts := make([]string, len(typeIdx))
		for i, n := range typeIdx {
			tparts[i] = typeJSON(types[n], []string{"Apparel", "Home", "Garden"}[n])
		}
		return `{"tax_rate":` + txrWith(base, `"products":[`+strings.Join(parts, ",")+`],"product_types":[`+strings.Join(tparts, ",")+`]`) + `}`
	}
	const expand = "?expand[]=products&expand[]=product_types"

	e.Do("POST", "/admin/tax-rates/"+id+"/products/batch"+expand, map[string]any{"products": []string{ps[2], ps[0], ps[3]}}).
		Expect(t, 200, with([]int{2, 0, 3}))
	e.Do("POST", "/admin/tax-rates/"+id+"/product-types/batch"+expand, map[string]any{"product_types": []string{types[2], types[0], types[1]}}).
		Expect(t, 200, with([]int{2, 0, 3}, 2, 0, 1))
	// A batch adds after the links the rate has, skipping those it has.
	e.Do("POST", "/admin/tax-rates/"+id+"/products/batch"+expand, map[string]any{"products": []string{ps[1], ps[0]}}).
		Expect(t, 200, with([]int{2, 0, 3, 1}, 2, 0, 1))
	// Unlinked and linked again, a product comes last.
	e.Do("DELETE", "/admin/tax-rates/"+id+"/products/batch"+expand, map[string]any{"products": []string{ps[2]}}).
		Expect(t, 200, with([]int{0, 3, 1}, 2, 0, 1))
	e.Do("POST", "/admin/tax-rates/"+id+"/products/batch"+expand, map[string]any{"products": []string{ps[2]}}).
		Expect(t, 200, with([]int{0, 3, 1, 2}, 2, 0, 1))
	// Replaced: the kept ones stay where they were, the new ones follow in the order asked.
	e.Do("POST", "/admin/tax-rates/"+id+expand, map[string]any{"products": []string{ps[2], ps[0]}, "product_types": []string{types[1], types[2]}}).
		Expect(t, 200, with([]int{0, 2}, 2, 1))
	e.Do("GET", "/admin/tax-rates/"+id+expand, nil).Expect(t, 200, with([]int{0, 2}, 2, 1))

	// Created with its links: in the order asked.
	res := e.Do("POST", "/admin/tax-rates"+expand, map[string]any{"code": "P", "name": "P", "region_id": region, "rate": 5,
		"products": []string{ps[3], ps[1], ps[2]}, "product_types": []string{types[1], types[0]}})
	other := res.JSON(t)["tax_rate"].(map[string]any)["id"].(string)
	base = txrJSON(other, "P", `"P"`, "5", region)
	res.Expect(t, 200, with([]int{3, 1, 2}, 1, 0))
}
