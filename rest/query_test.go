package rest_test

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/gorgon-commerce/gorgon/rest/resttest"
)

// The query string forms real clients send (medusa-js and the admin dashboard send arrays as
// `key[0]=a&key[1]=b`), read as Express's qs and Medusa's validators read them; the expected
// answers were checked against Medusa 1.3.8 (rest/testdata/query-forms.txt).

func TestQueryFormsProducts(t *testing.T) {
	t.Parallel()
	e := resttest.New(t)
	for _, q := range []string{
		`INSERT INTO product_collection (id, title, handle) VALUES ('pcol_01QSBASICS00000000000000', 'Basics', 'basics')`,
		`INSERT INTO product_collection (id, title, handle) VALUES ('pcol_01QSSUMMER00000000000000', 'Summer', 'summer')`,
	} {
		if _, err := e.DB.Exec(q); err != nil {
			t.Fatal(err)
		}
	}
	basics, summer := "pcol_01QSBASICS00000000000000", "pcol_01QSSUMMER00000000000000"
	tee := ptCreate(t, e, ptJ{"title": "Tee", "collection_id": basics, "tags": []ptJ{{"value": "cotton"}}})
	hat := ptCreate(t, e, ptJ{"title": "Hat", "collection_id": summer, "tags": []ptJ{{"value": "summer"}}})
	mug := ptCreate(t, e, ptJ{"title": "Mug 250 ml"})
	teeID, hatID, mugID, cotton := ptStr(tee, "id"), ptStr(hat, "id"), ptStr(mug, "id"), ptStr(tee, "tags.0.id")
	col := func(id, title, handle string) ptJ {
		return ptJ{"id": id, "title": title, "handle": handle, "created_at": "$time", "updated_at": "$time", "deleted_at": nil, "metadata": nil}
	}
	teeJ := ptProductRels(ptJ{"id": teeID, "title": "Tee", "handle": "tee", "collection_id": basics,
		"collection": col(basics, "Basics", "basics"), "tags": []any{ptValue("ptag", "cotton")}})
	hatJ := ptProductRels(ptJ{"id": hatID, "title": "Hat", "handle": "hat", "collection_id": summer,
		"collection": col(summer, "Summer", "summer"), "tags": []any{ptValue("ptag", "summer")}})
	mugJ := ptProductRels(ptJ{"id": mugID, "title": "Mug 250 ml", "handle": "mug-250-ml"})
	page := func(limit int, products ...any) string {
		if products == nil {
			products = []any{}
		}
		return ptJSON(ptJ{"products": products, "count": len(products), "offset": 0, "limit": limit})
	}

	// Indexed arrays, in index order whatever order they come in.
	e.Do("GET", "/admin/products?collection_id[0]="+basics+"&collection_id[1]="+summer, nil).Expect(t, 200, page(50, hatJ, teeJ))
	e.Do("GET", "/admin/products?collection_id[1]="+summer+"&collection_id[0]="+basics, nil).Expect(t, 200, page(50, hatJ, teeJ))
	e.Do("GET", "/admin/products?collection_id[]="+basics+","+summer, nil).Expect(t, 200, page(50, hatJ, teeJ))
	e.Do("GET", "/admin/products?collection_id[0]=", nil).Expect(t, 200, page(50))
	e.Do("GET", "/admin/products?tags[0]="+cotton, nil).Expect(t, 200, page(50, teeJ))
	e.Do("GET", "/admin/products?id[0]="+teeID+"&id[1]="+mugID, nil).Expect(t, 200, page(50, mugJ, teeJ))
	e.Do("GET", "/admin/products?id[]="+teeID+"&id="+hatID, nil).Expect(t, 200, page(50, hatJ, teeJ))
	// qs's array limit: an index up to 20 makes an array, above 20 an object.
	e.Do("GET", "/admin/products?tags[20]="+cotton, nil).Expect(t, 200, page(50, teeJ))
	// `%` is kept literally (and is a LIKE wildcard, as in Medusa); '+' is a space.
	e.Do("GET", "/admin/products?q=25%", nil).Expect(t, 200, page(50, mugJ))
	e.Do("GET", "/admin/products?q=mug+25", nil).Expect(t, 200, page(50, mugJ))
	// Empty values: limit= is Number("") = 0 (no limit), expand= and fields= are no choice.
	e.Do("GET", "/admin/products?limit=&offset=&expand=&fields=", nil).Expect(t, 200, page(0, mugJ, hatJ, teeJ))
	e.Do("GET", "/admin/products?limit=2e0&offset=0x1", nil).Expect(t, 200, ptJSON(ptJ{"products": []any{hatJ, teeJ}, "count": 3, "offset": 1, "limit": 2}))

	for _, c := range [][2]string{
		{"collection_id=" + basics, "collection_id must be an array"},
		{"collection_id[0]=" + basics + "&collection_id[foo]=x", "collection_id must be an array"},
		{"tags[21]=" + cotton, "tags must be an array"},
		{"q[0]=x&title[]=y", "q must be a string, title must be a string"},
		{"limit[0]=2", "limit must be a number conforming to the specified constraints"},
		{"limit=Infinity", "limit must be a number conforming to the specified constraints"},
		{"created_at[0]=x", "nested property created_at must be either object or array"},
		{"is_giftcard[]=true", "is_giftcard must be a boolean value"},
		// Unknown parameters first, in the order of the query object's keys: integer-like first.
		{"b=1&5=2&a[x]=1&limit=x", "property 5 should not exist, property b should not exist, property a should not exist, limit must be a number conforming to the specified constraints"},
		// IsType throws: its error comes alone.
		{"id[gt]=a&zz=1", `{"message":"id must be one of: String,String","details":{"String":["String validation failed: [object Object] is not a string"],"undefined":["Cannot read properties of undefined (reading 'constructor')"]}}`},
	} {
		e.Do("GET", "/admin/products?"+c[0], nil).Expect(t, 400, ptJSON(ptJ{"type": "invalid_data", "message": c[1]}))
	}
}

func TestQueryFormsCustomers(t *testing.T) {
	t.Parallel()
	e := resttest.New(t)
	ada := createCustomer(t, e, "ada@example.com", "Ada", "Lovelace")
	bob := createCustomer(t, e, "bob25@example.com", "Bob", "Builder")
	grace := createCustomer(t, e, "grace@navy.mil", "Grace", "Hopper")
	vip, gold := createGroup(t, e, "VIP"), createGroup(t, e, "Gold")
	e.Do("POST", "/admin/customers/"+ada, map[string]any{"groups": []map[string]string{{"id": vip}}})
	e.Do("POST", "/admin/customers/"+grace, map[string]any{"groups": []map[string]string{{"id": gold}}})
	obj := func(id, email, first, last string, groups ...string) string {
		over := map[string]any{"first_name": first, "last_name": last}
		if groups != nil {
			over["groups"] = json.RawMessage("[" + strings.Join(groups, ",") + "]")
		}
		return customerObj(id, email, over)
	}
	vipJ, goldJ := groupObj(vip, "VIP", nil), groupObj(gold, "Gold", nil)
	list := func(count int, customers ...string) string {
		return `{"customers":[` + strings.Join(customers, ",") + `],"count":` + jsonInt(count) + `,"offset":0,"limit":50}`
	}
	all := list(3, obj(ada, "ada@example.com", "Ada", "Lovelace"), obj(bob, "bob25@example.com", "Bob", "Builder"),
		obj(grace, "grace@navy.mil", "Grace", "Hopper"))

	// The dashboard's "edit customers of a group" table asks `groups=`: everyone, as in Medusa.
	e.Do("GET", "/admin/customers?groups=", nil).Expect(t, 200, all)
	e.Do("GET", "/admin/customers?groups=&q=&expand=", nil).Expect(t, 200, all)
	e.Do("GET", "/admin/customers?groups[0]="+vip, nil).Expect(t, 200, list(1, obj(ada, "ada@example.com", "Ada", "Lovelace", vipJ)))
	e.Do("GET", "/admin/customers?groups[1]="+vip+"&groups[0]="+gold, nil).Expect(t, 200,
		list(2, obj(ada, "ada@example.com", "Ada", "Lovelace", vipJ), obj(grace, "grace@navy.mil", "Grace", "Hopper", goldJ)))
	// The customer list normalizes its query: one bracketed value is split at commas.
	e.Do("GET", "/admin/customers?groups[]="+gold+","+vip, nil).Expect(t, 200,
		list(2, obj(ada, "ada@example.com", "Ada", "Lovelace", vipJ), obj(grace, "grace@navy.mil", "Grace", "Hopper", goldJ)))
	e.Do("GET", "/admin/customers?groups[0]=", nil).Expect(t, 200, list(0))
	e.Do("GET", "/admin/customers?q=25%", nil).Expect(t, 200, list(1, obj(bob, "bob25@example.com", "Bob", "Builder")))
	e.Do("GET", "/admin/customers?limit=1&offset=%201", nil).Expect(t, 200,
		`{"customers":[`+obj(bob, "bob25@example.com", "Bob", "Builder")+`],"count":3,"offset":1,"limit":1}`)
	// The group's customers: Medusa replaces any groups parameter with the group.
	e.Do("GET", "/admin/customer-groups/"+gold+"/customers?groups[0]="+vip, nil).Expect(t, 200,
		list(1, obj(grace, "grace@navy.mil", "Grace", "Hopper", goldJ)))

	for _, c := range [][2]string{
		{"groups[a]=x", "each value in groups must be a string"},
		{"q[0]=x", "q must be a string"},
		{"expand[0]=groups", "expand must be a string"},
		{"id[0]=x&limit[]=1", "property id should not exist, limit must be a number conforming to the specified constraints"},
	} {
		e.Do("GET", "/admin/customers?"+c[0], nil).Expect(t, 400, `{"type":"invalid_data","message":`+jsonString(c[1])+`}`)
	}
}

// TestQueryFormsValidators covers how each list's validator takes strings, arrays, objects and
// empty values, as Medusa answered them.
func TestQueryFormsValidators(t *testing.T) {
	t.Parallel()
	e := resttest.New(t)
	for _, c := range []struct{ path, message string }{
		{"/admin/price-lists?id[0]=pl_1&id[1]=pl_2", "id must be a string"},
		{"/admin/price-lists?status=active&type[0]=bad", "each value in type must be a valid enum value"},
		{"/admin/price-lists?customer_groups[a]=x", "each value in customer_groups must be a string"},
		{"/admin/regions?created_at=x", "nested property created_at must be either object or array"},
		{"/admin/regions?created_at[0]=x&created_at[1]=y", "nested property created_at must be either object or array, nested property created_at must be either object or array"},
		{"/admin/regions?created_at[gt]=2020-01-01&created_at[foo]=1&created_at[lt]=abc", "property foo should not exist, lt must be a Date instance"},
		{"/admin/regions?limit[]=2", "limit must be an integer number"},
		{"/admin/regions?limit=1.5", "limit must be an integer number"},
		{"/admin/discounts?rule[0]=x", "nested property rule must be either object or array"},
		{"/admin/discounts?rule[type]=bad&rule[zz]=1&rule[yy]=2", "property zz should not exist, property yy should not exist, type must be a valid enum value"},
		{"/admin/notifications?event_name[0]=x", "event_name must be a string"},
		{"/admin/gift-cards?q[]=x", "q must be a string"},
		{"/admin/collections?title[]=x", "title must be a string"},
		{"/admin/customers/cus_x?expand[0]=orders", "expand must be a string"},
		{"/admin/shipping-options?region_id[0]=x", "region_id must be a string"},
		{"/admin/notes?resource_id[0]=x", "resource_id must be a string"},
		{"/admin/tax-rates?region_id[gt]=a&limit=x&zz=1", `{"message":"region_id must be one of: String,String","details":{"String":["String validation failed: [object Object] is not a string"],"undefined":["Cannot read properties of undefined (reading 'constructor')"]}}`},
		{"/admin/tax-rates?rate=5&rate=6", `{"message":"rate must be one of: NumericalComparisonOperator,Number","details":{"Number":["Number validation failed: 5","6 is not a number"],"NumericalComparisonOperator":["property 0 should not exist"," property 1 should not exist"]}}`},
		{"/admin/tax-rates?rate[foo]=1&rate[gt]=x", `{"message":"rate must be one of: NumericalComparisonOperator,Number","details":{"Number":["Number validation failed: [object Object] is not a number"],"NumericalComparisonOperator":["property foo should not exist"," gt must be a number conforming to the specified constraints"]}}`},
		{"/admin/product-tags?created_at[0]=x&created_at[1]=y", `{"message":"created_at must be one of: DateComparisonOperator","details":{"DateComparisonOperator":["property 0 should not exist"," property 1 should not exist"]}}`},
		{"/admin/product-tags?id[foo]=a&id[gt][x]=1", `{"message":"id must be one of: String,String,StringComparisonOperator","details":{"String":["String validation failed: [object Object] is not a string"],"undefined":["Cannot read properties of undefined (reading 'constructor')"],"StringComparisonOperator":["property foo should not exist"," gt must be a string"]}}`},
		{"/admin/product-tags?order=", "Order field must be a valid product tag field"},
		{"/admin/product-types?order=", "Order field must be a valid product type field"},
	} {
		e.Do("GET", c.path, nil).Expect(t, 400, `{"type":"invalid_data","message":`+jsonString(c.message)+`}`)
	}

	// Empty values Medusa drops (pickBy identity) or reads as 0.
	if _, err := e.DB.Exec(`INSERT INTO product_collection (id, title, handle) VALUES ('pcol_01QSBASICS00000000000000', 'Basics', 'basics')`); err != nil {
		t.Fatal(err)
	}
	basics := `{"id":"pcol_01QSBASICS00000000000000","title":"Basics","handle":"basics","created_at":"$time","updated_at":"$time","products":[]}`
	e.Do("GET", "/admin/collections?title=&handle=&q=", nil).Expect(t, 200, `{"collections":[`+basics+`],"count":1,"offset":0,"limit":10}`)
	e.Do("GET", "/admin/collections?limit=&created_at[gt]=", nil).Expect(t, 200, `{"collections":[`+basics+`],"count":1,"offset":0,"limit":0}`)
	e.Do("GET", "/admin/tax-rates?region_id=&name=&code=&rate=", nil).Expect(t, 200, `{"tax_rates":[],"count":0,"offset":0,"limit":50}`)
	tagRes := e.Do("POST", "/admin/products", map[string]any{"title": "Tee", "tags": []map[string]string{{"value": "cotton"}}})
	if tagRes.Status != 200 {
		t.Fatalf("create product: %d %s", tagRes.Status, tagRes.Body)
	}
	cotton := `{"id":"$id:ptag","value":"cotton","created_at":"$time","updated_at":"$time"}`
	e.Do("GET", "/admin/product-tags?id=&value=&q=", nil).Expect(t, 200, `{"product_tags":[`+cotton+`],"count":1,"offset":0,"limit":10}`)
	e.Do("GET", "/admin/product-tags?value[0]=cotton&value[1]=x", nil).Expect(t, 200, `{"product_tags":[`+cotton+`],"count":1,"offset":0,"limit":10}`)
	e.Do("GET", "/admin/product-tags?id[]=", nil).Expect(t, 200, `{"product_tags":[],"count":0,"offset":0,"limit":10}`)
}

func jsonString(s string) string {
	b, _ := json.Marshal(s)
	return string(b)
}

func jsonInt(n int) string {
	b, _ := json.Marshal(n)
	return string(b)
}
