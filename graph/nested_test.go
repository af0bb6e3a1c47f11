package graph_test

import (
	"encoding/base64"
	"fmt"
	"testing"

	"github.com/gorgon-commerce/gorgon/rest/resttest"
)

func cursorAt(n int) string {
	return base64.RawURLEncoding.EncodeToString([]byte(fmt.Sprintf("o:%d", n)))
}

// nestedPage is the expected products connection of titles numbered from start in a list of total.
func nestedPage(start, total int, titles ...string) catJ {
	edges := []catJ{}
	for i, t := range titles {
		edges = append(edges, catJ{"cursor": cursorAt(start + i), "node": catJ{"title": t}})
	}
	pi := catJ{"hasPreviousPage": start > 0, "hasNextPage": start+len(titles) < total, "startCursor": nil, "endCursor": nil}
	if len(titles) > 0 {
		pi["startCursor"], pi["endCursor"] = cursorAt(start), cursorAt(start+len(titles)-1)
	}
	return catJ{"totalCount": total, "pageInfo": pi, "edges": edges}
}

const nestedSel = `{ totalCount pageInfo { hasPreviousPage hasNextPage startCursor endCursor } edges { cursor node { title } } }`

// Nested connections page with first/after and last/before (Relay's rules: first applies, then
// last), take a where filter, are read for all their parents at once (statements constant in the
// number of parents and in first), and come on collections, shipping profiles, tax rates, price
// lists and customer groups.
func TestNestedConnections(t *testing.T) {
	t.Parallel()
	resttest.NeedSalesChannels(t) // catFixtures reads the default sales channel
	e := resttest.New(t)
	catFixtures(t, e)
	other := "pcol_01GQLOTHER000000000000000"
	catExec(t, e, `INSERT INTO product_collection (id, title, handle) VALUES ('`+other+`', 'Other', 'other')`)
	var ids []string
	for i := 1; i <= 5; i++ {
		id, _ := catSeed(t, e, catJ{"title": fmt.Sprintf("P%d", i), "collectionId": catCollection})
		setCreatedAt(t, e, "product", id, fmt.Sprintf("2024-01-0%dT00:00:00Z", i))
		ids = append(ids, id)
	}
	for i := 1; i <= 2; i++ {
		id, _ := catSeed(t, e, catJ{"title": fmt.Sprintf("Q%d", i), "collectionId": other})
		setCreatedAt(t, e, "product", id, fmt.Sprintf("2024-02-0%dT00:00:00Z", i))
	}
	basics := func(args string, want catJ) {
		t.Helper()
		gql(e, `query($id: ID!) { collection(id: $id) { productsConnection`+args+` `+nestedSel+` } }`, map[string]any{"id": catCollection}).
			Expect(t, 200, catData(catJ{"collection": catJ{"productsConnection": want}}))
	}
	basics(``, nestedPage(0, 5, "P1", "P2", "P3", "P4", "P5"))
	basics(`(first: 2)`, nestedPage(0, 5, "P1", "P2"))
	basics(`(first: 2, after: "`+cursorAt(1)+`")`, nestedPage(2, 5, "P3", "P4"))
	basics(`(first: 2, after: "`+cursorAt(3)+`")`, nestedPage(4, 5, "P5"))
	basics(`(first: 2, after: "`+cursorAt(4)+`")`, nestedPage(5, 5))
	basics(`(last: 2)`, nestedPage(3, 5, "P4", "P5"))
	basics(`(last: 2, before: "`+cursorAt(3)+`")`, nestedPage(1, 5, "P2", "P3"))
	basics(`(last: 9, before: "`+cursorAt(2)+`")`, nestedPage(0, 5, "P1", "P2"))
	basics(`(after: "`+cursorAt(0)+`", before: "`+cursorAt(4)+`")`, nestedPage(1, 5, "P2", "P3", "P4"))
	basics(`(first: 2, after: "`+cursorAt(0)+`", before: "`+cursorAt(4)+`")`, nestedPage(1, 5, "P2", "P3"))
	basics(`(first: 3, last: 1)`, nestedPage(2, 5, "P3"))
	basics(`(first: 0)`, nestedPage(0, 5))
	basics(`(where: {title: {in: ["P2", "P4", "P5"]}}, last: 1)`, nestedPage(2, 3, "P5"))
	basics(`(where: {title: {in: ["P2", "P4", "P5"]}}, first: 1, after: "`+cursorAt(0)+`")`, nestedPage(1, 3, "P4"))
	basics(`(where: {not: {title: {startsWith: "p"}}})`, nestedPage(0, 0))
	gql(e, `query($id: ID!) { collection(id: $id) { productsConnection(after: "nope") { totalCount } } }`, map[string]any{"id": catCollection}).
		Expect(t, 200, `{"data":{"collection":null},"errors":[{"message":"invalid cursor","locations":[{"line":1,"column":41}],"path":["collection","productsConnection"],"extensions":{"code":"INVALID_DATA"}}]}`)
	gql(e, `query($id: ID!) { collection(id: $id) { productsConnection(last: 1001) { totalCount } } }`, map[string]any{"id": catCollection}).
		Expect(t, 200, `{"data":{"collection":null},"errors":[{"message":"first and last must be between 0 and 1000","locations":[{"line":1,"column":41}],"path":["collection","productsConnection"],"extensions":{"code":"INVALID_DATA"}}]}`)

	// Every collection of a page gets its own window, in one read.
	gql(e, `{ collections(first: 10) { nodes { title productsConnection(last: 1) `+nestedSel+` } } }`, nil).Expect(t, 200,
		catData(catJ{"collections": catJ{"nodes": []catJ{
			{"title": "Other", "productsConnection": nestedPage(1, 2, "Q2")},
			{"title": "Basics", "productsConnection": nestedPage(4, 5, "P5")}}}}))
	count := func(first int) int64 {
		t.Helper()
		res := gql(e, `query($first: Int) { collections(first: 10) { nodes { title productsConnection(first: $first, where: {title: {contains: ""}}) { totalCount nodes { title } } } } }`,
			map[string]any{"first": first})
		if res.Status != 200 || len(res.JSON(t)["data"].(map[string]any)["collections"].(map[string]any)["nodes"].([]any)) != 2 {
			t.Fatalf("%s", res.Body)
		}
		return e.Queries
	}
	q1, q5 := count(1), count(5)
	for i := 0; i < 3; i++ {
		catExec(t, e, fmt.Sprintf(`INSERT INTO product_collection (id, title, handle) VALUES ('pcol_01GQLMORE%017d', 'More %d', 'more-%d')`, i, i, i))
	}
	res := gql(e, `{ collections(first: 10) { nodes { title productsConnection(first: 5, where: {title: {contains: ""}}) { totalCount nodes { title } } } } }`, nil)
	if res.Status != 200 {
		t.Fatalf("%s", res.Body)
	}
	if q1 != q5 || e.Queries != q5 {
		t.Errorf("statements: %d (2 collections, first 1), %d (first 5), %d (5 collections)", q1, q5, e.Queries)
	}
	t.Logf("a page of collections with a window of their products: %d statements", q5)

	// Shipping profiles, tax rates, price lists.
	var profile string
	if err := e.DB.QueryRow(`SELECT profile_id FROM product WHERE id = ?`, ids[0]).Scan(&profile); err != nil {
		t.Fatal(err)
	}
	var byID []string // the profile's list is by id
	rows, err := e.DB.Query(`SELECT title FROM product WHERE collection_id = ? ORDER BY id`, catCollection)
	if err != nil {
		t.Fatal(err)
	}
	for rows.Next() {
		var title string
		if err := rows.Scan(&title); err != nil {
			t.Fatal(err)
		}
		byID = append(byID, title)
	}
	gql(e, `query($id: ID!) { shippingProfile(id: $id) { productsConnection(last: 2, where: {collection: {title: {eq: "Basics"}}}) `+nestedSel+` } }`,
		map[string]any{"id": profile}).Expect(t, 200, catData(catJ{"shippingProfile": catJ{"productsConnection": nestedPage(3, 5, byID[3:]...)}}))
	res = gql(e, `mutation($in: CreateTaxRateInput!) { createTaxRate(input: $in) { taxRate { productsConnection(first: 2, after: "`+cursorAt(0)+`") `+nestedSel+` } userErrors { message } } }`,
		map[string]any{"in": map[string]any{"code": "TX", "name": "Tax", "regionId": catRegion, "rate": 5, "products": []string{ids[4], ids[0], ids[2]}}})
	res.Expect(t, 200, catData(catJ{"createTaxRate": catJ{"taxRate": catJ{"productsConnection": nestedPage(1, 3, "P1", "P3")}, "userErrors": []any{}}}))
	vres := gql(e, `mutation($in: CreateProductInput!) { createProduct(input: $in) { product { variants { id } } userErrors { message } } }`,
		catJ{"in": catJ{"title": "Priced", "variants": []catJ{{"title": "V", "prices": []catJ{}}}}})
	variant := catStr(t, vres, "createProduct.product.variants.0.id")
	gql(e, `mutation($in: CreatePriceListInput!) { createPriceList(input: $in) { priceList {
			pricesConnection(last: 2, where: {amount: {gte: 200}}) { totalCount pageInfo { hasPreviousPage hasNextPage } nodes { amount currencyCode } } } userErrors { message } } }`,
		map[string]any{"in": map[string]any{"name": "Sale", "description": "d", "type": "SALE", "prices": []map[string]any{
			{"variantId": variant, "amount": 100, "currencyCode": "usd"}, {"variantId": variant, "amount": 200, "currencyCode": "eur"},
			{"variantId": variant, "amount": 300, "currencyCode": "dkk"}, {"variantId": variant, "amount": 400, "currencyCode": "sek"}}}}).
		Expect(t, 200, catData(catJ{"createPriceList": catJ{"priceList": catJ{"pricesConnection": catJ{"totalCount": 3,
			"pageInfo": catJ{"hasPreviousPage": true, "hasNextPage": false},
			"nodes":    []catJ{{"amount": 300, "currencyCode": "dkk"}, {"amount": 400, "currencyCode": "sek"}}}}, "userErrors": []any{}}}))
}
