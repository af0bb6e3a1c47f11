package graph_test

import (
	"context"
	"testing"

	"github.com/gorgon-commerce/gorgon/rest/resttest"
	"github.com/gorgon-commerce/gorgon/store"
)

// A products page costs a fixed number of statements whatever `first`: the token, the page (and
// its count only when totalCount is selected), then one statement per nested level. Without
// totalCount, pageInfo still says whether more products follow.
func TestCatalogPageStatements(t *testing.T) {
	t.Parallel()
	e := resttest.New(t)
	channel := catFixtures(t, e)
	pl, err := e.Store.CreatePriceList(context.Background(), store.CreatePriceListInput{Name: "Sale", Description: "d", Type: "sale"})
	if err != nil {
		t.Fatal(err)
	}
	catAddProducts(t, e, channel, pl.ID, 0, 6)
	const nested = `nodes { id variants { sku prices { amount currencyCode } } }`
	for _, c := range []struct {
		query      string
		statements int64
	}{
		{`query($n: Int) { products(first: $n, orderBy: {field: TITLE}) { ` + nested + ` } }`, 4},
		{`query($n: Int) { products(first: $n, orderBy: {field: TITLE}) { pageInfo { hasNextPage } ` + nested + ` } }`, 4},
		{`query($n: Int) { products(first: $n, orderBy: {field: TITLE}) { totalCount ` + nested + ` } }`, 5},
		{`query($n: Int) { products(first: $n, orderBy: {field: TITLE}) { ... on ProductConnection { totalCount } ` + nested + ` } }`, 5},
	} {
		for _, n := range []int{1, 6, 50} {
			if res := gql(e, c.query, catJ{"n": n}); res.Status != 200 || res.JSON(t)["errors"] != nil {
				t.Fatalf("%d: %s", res.Status, res.Body)
			}
			if e.Queries != c.statements {
				t.Errorf("first %d: %d statements, want %d: %s", n, e.Queries, c.statements, c.query)
			}
		}
	}
	page := func(first int, after string) *resttest.Response {
		t.Helper()
		return gql(e, `query($n: Int, $after: String) { products(first: $n, after: $after, orderBy: {field: TITLE}) {
			pageInfo { hasNextPage hasPreviousPage startCursor endCursor } nodes { title } } }`, catJ{"n": first, "after": after})
	}
	page(5, "").Expect(t, 200, catData(catJ{"products": catJ{
		"pageInfo": catJ{"hasNextPage": true, "hasPreviousPage": false, "startCursor": "bzow", "endCursor": "bzo0"},
		"nodes":    []any{catJ{"title": "Product 0"}, catJ{"title": "Product 1"}, catJ{"title": "Product 2"}, catJ{"title": "Product 3"}, catJ{"title": "Product 4"}}}}))
	page(5, "bzow").Expect(t, 200, catData(catJ{"products": catJ{
		"pageInfo": catJ{"hasNextPage": false, "hasPreviousPage": true, "startCursor": "bzox", "endCursor": "bzo1"},
		"nodes":    []any{catJ{"title": "Product 1"}, catJ{"title": "Product 2"}, catJ{"title": "Product 3"}, catJ{"title": "Product 4"}, catJ{"title": "Product 5"}}}}))
	page(5, "bzo1").Expect(t, 200, catData(catJ{"products": catJ{
		"pageInfo": catJ{"hasNextPage": false, "hasPreviousPage": true, "startCursor": nil, "endCursor": nil}, "nodes": []any{}}}))
}
