package graph_test

import (
	"context"
	"strings"
	"testing"

	"github.com/gorgon-commerce/gorgon/rest/resttest"
	"github.com/gorgon-commerce/gorgon/store"
)

// whereList runs connection conn with where (declaring $from and $to when it uses
// them) and asserts the whole answer: the count and the titles, newest first.
func whereList(t *testing.T, e *resttest.Env, conn, field, where string, vars map[string]any, want ...string) {
	t.Helper()
	var decl []string
	for _, v := range []struct{ name, typ string }{{"$from", "DateTime"}, {"$to", "DateTime"}, {"$w", whereTypes[conn]}} {
		if strings.Contains(where, v.name) {
			decl = append(decl, v.name+": "+v.typ)
		}
	}
	q := "query"
	if decl != nil {
		q += "(" + strings.Join(decl, ", ") + ")"
	}
	nodes := []any{}
	for _, w := range want {
		nodes = append(nodes, catJ{field: w})
	}
	gql(e, q+` { `+conn+`(where: `+where+`) { totalCount nodes { `+field+` } } }`, vars).Expect(t, 200,
		catData(catJ{conn: catJ{"totalCount": len(want), "nodes": nodes}}))
}

var whereTypes = map[string]string{"products": "ProductWhere", "variants": "ProductVariantWhere", "customers": "CustomerWhere",
	"orders": "OrderWhere", "discounts": "DiscountWhere", "customerGroups": "CustomerGroupWhere"}

func setCreatedAt(t *testing.T, e *resttest.Env, table, id, at string) {
	t.Helper()
	if _, err := e.DB.Exec(`UPDATE "`+table+`" SET created_at = ? WHERE id = ?`, at, id); err != nil {
		t.Fatal(err)
	}
}

// Typed filters on products and variants: comparisons of every kind, and/or/not, relation
// filters (some, none, every on variants; the collection), an enum list, a date range; values
// are data, never SQL; a page costs the same statements whatever first is.
func TestWhereProducts(t *testing.T) {
	t.Parallel()
	resttest.NeedSalesChannels(t) // catFixtures reads the default sales channel
	e := resttest.New(t)
	catFixtures(t, e)
	a, _ := catSeed(t, e, catJ{"title": "Alpha Shirt", "status": "PUBLISHED", "collectionId": catCollection, "weight": 200,
		"variants": []catJ{{"title": "Small", "sku": "ALPHA-S", "inventoryQuantity": 3, "prices": []catJ{}}, {"title": "Medium", "sku": "ALPHA-M", "inventoryQuantity": 10, "prices": []catJ{}}}})
	b, _ := catSeed(t, e, catJ{"title": "Beta Pants", "description": "denim", "variants": []catJ{{"title": "Large", "inventoryQuantity": 20, "prices": []catJ{}}}})
	c, _ := catSeed(t, e, catJ{"title": "Gamma 100% Hat", "status": "PROPOSED", "collectionId": catCollection})
	setCreatedAt(t, e, "product", a, "2024-01-01T00:00:00Z")
	setCreatedAt(t, e, "product", b, "2024-02-01T00:00:00Z")
	setCreatedAt(t, e, "product", c, "2024-03-01T00:00:00Z")

	list := func(where string, vars map[string]any, want ...string) {
		t.Helper()
		whereList(t, e, "products", "title", where, vars, want...)
	}
	list(`{}`, nil, "Gamma 100% Hat", "Beta Pants", "Alpha Shirt")
	// Enums, one value or a list.
	list(`{status: {in: [PUBLISHED, PROPOSED]}}`, nil, "Gamma 100% Hat", "Alpha Shirt")
	list(`{status: {eq: DRAFT}}`, nil, "Beta Pants")
	list(`{status: {notIn: [DRAFT]}}`, nil, "Gamma 100% Hat", "Alpha Shirt")
	// Strings: case-insensitive contains and startsWith, exact eq, null tests.
	list(`{title: {startsWith: "al"}}`, nil, "Alpha Shirt")
	list(`{title: {contains: "A"}}`, nil, "Gamma 100% Hat", "Beta Pants", "Alpha Shirt")
	list(`{title: {eq: "alpha shirt"}}`, nil)
	list(`{description: {isNull: false}}`, nil, "Beta Pants")
	// ne keeps rows whose value is null.
	list(`{description: {ne: "denim"}}`, nil, "Gamma 100% Hat", "Alpha Shirt")
	list(`{weight: {gte: 100}}`, nil, "Alpha Shirt")
	list(`{weight: {isNull: true}, isGiftcard: {eq: false}}`, nil, "Gamma 100% Hat", "Beta Pants")
	// A date range, literal and through variables.
	list(`{createdAt: {gte: "2024-01-15T00:00:00.000Z", lt: "2024-03-01T00:00:00.000Z"}}`, nil, "Beta Pants")
	list(`{createdAt: {gt: $from, lte: $to}}`, map[string]any{"from": "2024-01-01T00:00:00.000Z", "to": "2024-03-01T00:00:00.000Z"},
		"Gamma 100% Hat", "Beta Pants")
	// and, or, not.
	list(`{or: [{title: {startsWith: "alpha"}}, {title: {contains: "pants"}}], not: {status: {eq: DRAFT}}}`, nil, "Alpha Shirt")
	list(`{and: [{title: {contains: "a"}}, {title: {contains: "t"}}], or: [{status: {eq: PROPOSED}}, {weight: {eq: 200}}]}`, nil,
		"Gamma 100% Hat", "Alpha Shirt")
	list(`{not: {or: [{status: {eq: PUBLISHED}}, {description: {eq: "denim"}}]}}`, nil, "Gamma 100% Hat")
	list(`{or: []}`, nil)
	// Relations: some, none, every on the variants; the collection.
	list(`{variants: {some: {inventoryQuantity: {lt: 5}}}}`, nil, "Alpha Shirt")
	list(`{variants: {some: {}}}`, nil, "Beta Pants", "Alpha Shirt")
	list(`{variants: {none: {inventoryQuantity: {lt: 5}}}}`, nil, "Gamma 100% Hat", "Beta Pants")
	list(`{variants: {every: {inventoryQuantity: {gte: 5}}}}`, nil, "Gamma 100% Hat", "Beta Pants")
	list(`{variants: {some: {sku: {startsWith: "alpha-"}, title: {eq: "Medium"}}}}`, nil, "Alpha Shirt")
	list(`{collection: {title: {eq: "Basics"}}}`, nil, "Gamma 100% Hat", "Alpha Shirt")
	list(`{collection: {handle: {eq: "other"}}}`, nil)
	list(`{not: {collection: {title: {eq: "Basics"}}}}`, nil, "Beta Pants")
	// Through a variable, with the legacy filter combined.
	list(`$w`, map[string]any{"w": map[string]any{"variants": map[string]any{"some": map[string]any{"title": map[string]any{"in": []string{"Large", "Small"}}}}}},
		"Beta Pants", "Alpha Shirt")
	gql(e, `{ products(filter: {status: [PUBLISHED, DRAFT]}, where: {variants: {none: {inventoryQuantity: {lt: 5}}}}) { totalCount nodes { title } } }`, nil).
		Expect(t, 200, catData(catJ{"products": catJ{"totalCount": 1, "nodes": []catJ{{"title": "Beta Pants"}}}}))

	// The README's example, as it is written there.
	gql(e, `{ products(first: 20, where: {
    status: {in: [PUBLISHED, PROPOSED]}
    variants: {some: {inventoryQuantity: {lt: 5}}}
    or: [{collection: {title: {eq: "Summer"}}}, {createdAt: {gte: "2024-01-01T00:00:00Z"}}]
  }) { totalCount nodes { title } } }`, nil).Expect(t, 200, catData(catJ{"products": catJ{"totalCount": 1, "nodes": []catJ{{"title": "Alpha Shirt"}}}}))

	// Values are data: pattern characters match themselves, quotes and SQL are text.
	list(`{title: {contains: "%"}}`, nil, "Gamma 100% Hat")
	list(`{title: {contains: "_"}}`, nil)
	list(`{title: {eq: "x' OR '1'='1"}}`, nil)
	list(`{title: {contains: "'); DROP TABLE product; --"}}`, nil)
	list(`$w`, map[string]any{"w": map[string]any{"title": map[string]any{"in": []string{"Beta Pants", "') OR true --"}}}}, "Beta Pants")
	list(`{}`, nil, "Gamma 100% Hat", "Beta Pants", "Alpha Shirt")

	// Variants: the product relation, numbers, the connection's other arguments.
	whereList(t, e, "variants", "title", `{product: {status: {eq: PUBLISHED}}, inventoryQuantity: {gt: 5}}`, nil, "Medium")
	whereList(t, e, "variants", "title", `{or: [{sku: {isNull: true}}, {inventoryQuantity: {in: [3]}}]}`, nil, "Small", "Large")

	// Statements per page are the same whatever first is, relation filters included.
	count := func(first int) int64 {
		t.Helper()
		res := gql(e, `query($first: Int) { products(first: $first, where: {or: [{variants: {some: {inventoryQuantity: {lt: 100}}}}, {collection: {title: {eq: "Basics"}}}], status: {in: [PUBLISHED, PROPOSED, DRAFT]}}) { totalCount nodes { id title } } }`,
			map[string]any{"first": first})
		if got := len(res.JSON(t)["data"].(map[string]any)["products"].(map[string]any)["nodes"].([]any)); got != min(first, 3) {
			t.Fatalf("first %d: %d nodes: %s", first, got, res.Body)
		}
		return e.Queries
	}
	if q1, q3 := count(1), count(3); q1 != q3 {
		t.Errorf("statements: %d for first 1, %d for first 3", q1, q3)
	}
	plain := func() int64 {
		if res := gql(e, `{ products(first: 3) { totalCount nodes { id title } } }`, nil); res.Status != 200 {
			t.Fatalf("%d %s", res.Status, res.Body)
		}
		return e.Queries
	}()
	if q := count(3); q != plain {
		t.Errorf("a filtered page costs %d statements, an unfiltered one %d", q, plain)
	}
	t.Logf("a products page with relation filters: %d statements, as without a filter", plain)
}

// A bad filter is refused by GraphQL's validation, before any resolver: an unknown comparison,
// an unknown field, a value of the wrong type, an enum value that is not, in the document or in
// variables.
func TestWhereValidation(t *testing.T) {
	t.Parallel()
	e := resttest.New(t)
	refused := func(query string, vars map[string]any, msg string) {
		t.Helper()
		res := gql(e, query, vars)
		if res.Status != 422 && res.Status != 200 {
			t.Fatalf("%s: status %d %s", query, res.Status, res.Body)
		}
		errs, _ := res.JSON(t)["errors"].([]any)
		if len(errs) == 0 || !strings.Contains(errs[0].(map[string]any)["message"].(string), msg) || res.JSON(t)["data"] != nil {
			t.Fatalf("%s: %s, want an error with %q and no data", query, res.Body, msg)
		}
		if ext, _ := errs[0].(map[string]any)["extensions"].(map[string]any); ext["code"] != "GRAPHQL_VALIDATION_FAILED" {
			t.Fatalf("%s: %s, want code GRAPHQL_VALIDATION_FAILED", query, res.Body)
		}
	}
	refused(`{ products(where: {title: {lt: "a"}}) { totalCount } }`, nil, `Field "lt" is not defined by type "StringComparison".`)
	refused(`{ products(where: {price: {eq: 1}}) { totalCount } }`, nil, `Field "price" is not defined by type "ProductWhere".`)
	refused(`{ products(where: {weight: {eq: "heavy"}}) { totalCount } }`, nil, `Int cannot represent non-integer value: "heavy"`)
	refused(`{ products(where: {status: {eq: SOLD}}) { totalCount } }`, nil, `Value "SOLD" does not exist in "ProductStatus" enum.`)
	refused(`{ products(where: {variants: {any: {}}}) { totalCount } }`, nil, `Field "any" is not defined by type "ProductVariantListWhere".`)
	// DateTime is a custom scalar: its literal is checked when the argument is read (as for
	// every DateTime argument), still before the store.
	gql(e, `{ orders(where: {createdAt: {gt: 5}}) { totalCount } }`, nil).Expect(t, 200,
		`{"data":null,"errors":[{"message":"DateTime must be an RFC 3339 string","path":["orders","where","createdAt","gt"]}]}`)
	refused(`query($w: ProductWhere) { products(where: $w) { totalCount } }`,
		map[string]any{"w": map[string]any{"title": map[string]any{"like": "%"}}}, `unknown field`)
	refused(`query($w: ProductWhere) { products(where: $w) { totalCount } }`,
		map[string]any{"w": map[string]any{"status": map[string]any{"in": []string{"SOLD"}}}}, `SOLD`)
}

// Orders (the shop the real Medusa wrote): enums, numbers, relation filters on items, discounts
// and the customer, combined with the legacy filter and orderBy; statements constant in first.
func TestWhereOrders(t *testing.T) {
	t.Parallel()
	e := ordersEnv(t)
	list := func(where string, want ...int) {
		t.Helper()
		nodes := []any{}
		for _, id := range want {
			nodes = append(nodes, catJ{"displayId": id})
		}
		gql(e, `{ orders(first: 100, where: `+where+`) { totalCount nodes { displayId } } }`, nil).Expect(t, 200,
			catData(catJ{"orders": catJ{"totalCount": len(want), "nodes": nodes}}))
	}
	list(`{displayId: {lt: 20}, discounts: {some: {code: {startsWith: "tfix"}}}}`, 14, 4, 3)
	list(`{discounts: {some: {code: {in: ["TFREE654703"]}}}}`, 11, 5)
	list(`{displayId: {lte: 14}, discounts: {none: {}}}`, 13, 12, 10, 9, 7, 6, 1)
	list(`{displayId: {gte: 60}, status: {in: [CANCELED, ARCHIVED]}}`, 64, 63)
	list(`{displayId: {gte: 60}, fulfillmentStatus: {eq: FULFILLED}, paymentStatus: {eq: CAPTURED}}`, 69, 68)
	list(`{displayId: {lt: 15}, items: {some: {title: {contains: "totals c"}, quantity: {gte: 2}}}}`, 3)
	list(`{displayId: {lt: 15}, items: {every: {quantity: {eq: 1}}}}`, 10, 5)
	list(`{customer: {email: {startsWith: "totals-percentage"}}}`, 11, 2)
	list(`{or: [{status: {eq: COMPLETED}}, {and: [{displayId: {in: [1, 2, 3]}}, {not: {fulfillmentStatus: {eq: FULFILLED}}}]}]}`, 6, 2)
	list(`{email: {eq: "x' OR '1'='1"}}`)
	// With the legacy filter and an order.
	gql(e, `{ orders(first: 3, where: {displayId: {lt: 15}}, filter: {fulfillmentStatus: [FULFILLED]}, orderBy: [{field: DISPLAY_ID}]) { totalCount nodes { displayId } } }`, nil).
		Expect(t, 200, catData(catJ{"orders": catJ{"totalCount": 4, "nodes": []catJ{{"displayId": 1}, {"displayId": 3}, {"displayId": 4}}}}))

	count := func(first int) int64 {
		t.Helper()
		res := gql(e, `query($first: Int) { orders(first: $first, where: {items: {some: {quantity: {gte: 1}}}, customer: {email: {contains: "@"}}, createdAt: {gt: "2000-01-01T00:00:00.000Z"}}) { totalCount nodes { displayId email } } }`,
			map[string]any{"first": first})
		if got := len(res.JSON(t)["data"].(map[string]any)["orders"].(map[string]any)["nodes"].([]any)); got != first {
			t.Fatalf("first %d: %d nodes: %s", first, got, res.Body)
		}
		return e.Queries
	}
	q1, q50 := count(1), count(50)
	if q1 != q50 {
		t.Errorf("orders: %d statements for first 1, %d for first 50", q1, q50)
	}
	t.Logf("an orders page filtered on items, customer and date: %d statements for first 1 and first 50", q50)
}

// Customers, customer groups and a group's customers (a nested connection, batched over the
// groups), discounts with their rule and regions.
func TestWhereCustomersAndDiscounts(t *testing.T) {
	t.Parallel()
	e := resttest.New(t)
	ctx := context.Background()
	w := discSetup(t, e) // regions, and a customer group VIP
	vip := w.group
	cusGroup(t, e, "Wholesale")
	for i, c := range []struct{ email, first string }{{"ann@example.com", "Ann"}, {"bob@example.com", "Bob"}, {"cy@other.org", ""}} {
		in := store.CreateCustomerInput{Email: c.email, FirstName: c.first, LastName: "L", Password: "pw"}
		cu, err := e.Store.CreateCustomer(ctx, in)
		if err != nil {
			t.Fatal(err)
		}
		if i < 2 {
			if _, err := e.Store.UpdateCustomer(ctx, cu.ID, store.UpdateCustomerInput{Groups: []string{vip}}, nil); err != nil {
				t.Fatal(err)
			}
		}
	}
	whereList(t, e, "customers", "email", `{groups: {some: {name: {eq: "VIP"}}}}`, nil, "ann@example.com", "bob@example.com")
	whereList(t, e, "customers", "email", `{groups: {none: {}}}`, nil, "cy@other.org")
	whereList(t, e, "customers", "email", `{or: [{email: {contains: "other"}}, {firstName: {eq: "Bob"}}]}`, nil, "bob@example.com", "cy@other.org")
	whereList(t, e, "customerGroups", "name", `{customers: {some: {email: {startsWith: "ann"}}}}`, nil, "VIP")
	whereList(t, e, "customerGroups", "name", `{customers: {none: {}}}`, nil, "Wholesale")
	gql(e, `{ customerGroups(first: 10) { nodes { name customers(where: {email: {startsWith: "b"}}) { totalCount nodes { email } } } } }`, nil).
		Expect(t, 200, catData(catJ{"customerGroups": catJ{"nodes": []catJ{
			{"name": "Wholesale", "customers": catJ{"totalCount": 0, "nodes": []catJ{}}},
			{"name": "VIP", "customers": catJ{"totalCount": 1, "nodes": []catJ{{"email": "bob@example.com"}}}}}}}))
	gql(e, `query($id: ID!) { node(id: $id) { ... on CustomerGroup { first: customers(first: 1) { nodes { email } pageInfo { hasNextPage hasPreviousPage } }
			last: customers(last: 1) { nodes { email } pageInfo { hasNextPage hasPreviousPage } } } } }`, map[string]any{"id": vip}).
		Expect(t, 200, catData(catJ{"node": catJ{
			"first": catJ{"nodes": []catJ{{"email": "ann@example.com"}}, "pageInfo": catJ{"hasNextPage": true, "hasPreviousPage": false}},
			"last":  catJ{"nodes": []catJ{{"email": "bob@example.com"}}, "pageInfo": catJ{"hasNextPage": false, "hasPreviousPage": true}}}}))

	for _, in := range []map[string]any{
		{"code": "ALPHA", "startsAt": "2030-01-01T00:00:00.000Z", "endsAt": "2030-06-01T00:00:00.000Z", "regions": []string{w.region},
			"rule": map[string]any{"type": "PERCENTAGE", "value": 10, "allocation": "TOTAL"}},
		{"code": "BRAVO", "isDynamic": true, "startsAt": "2031-01-01T00:00:00.000Z", "regions": []string{w.other},
			"rule": map[string]any{"type": "FIXED", "value": 500, "allocation": "ITEM"}},
		{"code": "CHARLIE", "startsAt": "2029-01-01T00:00:00.000Z", "endsAt": "2029-12-31T00:00:00.000Z", "regions": []string{w.region, w.other},
			"rule": map[string]any{"type": "FREE_SHIPPING", "value": 0, "allocation": "TOTAL"}},
	} {
		res := discMut(e, "createDiscount", "input: $in", "$in: CreateDiscountInput!", map[string]any{"in": in})
		if res.JSON(t)["data"].(map[string]any)["createDiscount"].(map[string]any)["discount"] == nil {
			t.Fatalf("create: %s", res.Body)
		}
	}
	whereList(t, e, "discounts", "code", `{rule: {type: {in: [PERCENTAGE, FIXED]}}}`, nil, "BRAVO", "ALPHA")
	whereList(t, e, "discounts", "code", `{rule: {value: {gt: 0}, allocation: {eq: TOTAL}}}`, nil, "ALPHA")
	whereList(t, e, "discounts", "code", `{regions: {some: {name: {eq: "US"}}}, endsAt: {isNull: false}}`, nil, "CHARLIE")
	whereList(t, e, "discounts", "code", `{regions: {every: {name: {eq: "Nordics"}}}}`, nil, "ALPHA")
	whereList(t, e, "discounts", "code", `{startsAt: {gte: $from, lt: $to}}`, map[string]any{"from": "2029-06-01T00:00:00.000Z", "to": "2031-01-01T00:00:00.000Z"}, "ALPHA")
	whereList(t, e, "discounts", "code", `{not: {isDynamic: {eq: true}}, usageCount: {eq: 0}}`, nil, "CHARLIE", "ALPHA")
}

// Every root connection takes where: on the shop Medusa wrote, a filter every row passes keeps
// the whole list, one no row passes keeps none, each in the page statement (and its count).
func TestWhereOnEveryConnection(t *testing.T) {
	t.Parallel()
	e := ordersEnv(t)
	conns := []string{"apps", "products", "variants", "customers", "customerGroups", "orders", "discounts", "collections", "giftCards",
		"draftOrders", "regions", "priceLists", "taxRates", "users", "invites", "batchJobs", "notes", "notifications", "returnReasons",
		"shippingOptions", "shippingProfiles", "productTags", "productTypes", "returns", "swaps"}
	if e.Store.Config.FeatureSalesChannels {
		conns = append(conns, "salesChannels")
	}
	nonEmpty := 0
	for _, c := range conns {
		all := gql(e, `{ `+c+`(first: 1000) { totalCount } }`, nil)
		if all.Status != 200 {
			t.Fatalf("%s: %s", c, all.Body)
		}
		n := int(all.JSON(t)["data"].(map[string]any)[c].(map[string]any)["totalCount"].(float64))
		if n > 0 {
			nonEmpty++
		}
		gql(e, `{ `+c+`(first: 1000, where: {or: [{id: {isNull: false}}, {id: {eq: "x"}}], not: {id: {in: []}}}) { totalCount } }`, nil).
			Expect(t, 200, catData(catJ{c: catJ{"totalCount": n}}))
		gql(e, `{ `+c+`(first: 1000, where: {id: {startsWith: "nope_"}}) { totalCount nodes { id } } }`, nil).
			Expect(t, 200, catData(catJ{c: catJ{"totalCount": 0, "nodes": []any{}}}))
	}
	if nonEmpty < 15 {
		t.Errorf("only %d of %d lists hold rows: the test shop is not the one expected", nonEmpty, len(conns))
	}
	// Enum, relation and date filters of the lists added last.
	whereList(t, e, "users", "email", `{role: {in: [ADMIN]}, email: {contains: "@"}}`, nil, "admin@test.com")
	res := gql(e, `{ returns(first: 1000, where: {order: {displayId: {in: [2]}}}) { totalCount nodes { orderId } } swaps(first: 1000, where: {order: {displayId: {eq: 2}}, fulfillmentStatus: {in: [NOT_FULFILLED, FULFILLED, SHIPPED, PARTIALLY_SHIPPED, CANCELED, REQUIRES_ACTION]}}) { totalCount } }`, nil)
	data := res.JSON(t)["data"].(map[string]any)
	if data["returns"].(map[string]any)["totalCount"].(float64) < 1 || data["swaps"].(map[string]any)["totalCount"].(float64) != 1 {
		t.Errorf("order 2's returns and swap: %s", res.Body)
	}
	gql(e, `{ swaps(where: {fulfillmentStatus: {eq: PARTIALLY_RETURNED}}) { totalCount } }`, nil).Expect(t, 200,
		`{"data":null,"errors":[{"message":"where.fulfillmentStatus.eq: PARTIALLY_RETURNED is not a value of the field","locations":[{"line":1,"column":3}],"path":["swaps"],"extensions":{"code":"INVALID_DATA"}}]}`)
}
