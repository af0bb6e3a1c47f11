package graph_test

import (
	"bytes"
	"context"
	"fmt"
	"regexp"
	"testing"

	"github.com/gorgon-commerce/gorgon/rest/resttest"
	"github.com/gorgon-commerce/gorgon/store"
)

// A products page costs a fixed number of statements whatever `first`: the token, the page (and
// its count only when totalCount is selected), then one statement per nested level. Without
// totalCount, pageInfo still says whether more products follow.
func TestCatalogPageStatements(t *testing.T) {
	t.Parallel()
	resttest.NeedSalesChannels(t) // catFixtures links a sales channel
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

// Lists of objects whose selection holds only plain fields are written by the generated plain
// writers (graph/generated/resolver_fields.go), other lists by gqlgen's marshaller: both write the
// same bytes. The second query adds a resolver field at the end of each item, which sends the
// list back to gqlgen; taking it out again must give the first answer byte for byte.
func TestPlainListsAsGqlgen(t *testing.T) {
	t.Parallel()
	resttest.NeedSalesChannels(t) // catFixtures links a sales channel
	e := resttest.New(t)
	channel := catFixtures(t, e)
	pl, err := e.Store.CreatePriceList(context.Background(), store.CreatePriceListInput{Name: "Sale", Description: "d", Type: "sale"})
	if err != nil {
		t.Fatal(err)
	}
	catAddProducts(t, e, channel, pl.ID, 0, 3)
	catExec(t, e, `UPDATE product_variant SET metadata = '{"b": [1, 2.5, "<&>"], "a": null}', barcode = 'x"y\z' || id, weight = 1.5`,
		`UPDATE money_amount SET min_quantity = 2 WHERE currency_code = 'eur'`)
	const (
		price   = `__typename id currencyCode amount minQuantity maxQuantity priceListId variantId regionId createdAt updatedAt cost: amount`
		variant = `__typename id title productId sku barcode ean upc inventoryQuantity allowBackorder manageInventory hsCode originCountry
			midCode material weight length height width createdAt updatedAt deletedAt metadata name: title`
		query = `query($pl: ID!) { priceList(id: $pl) { id } products(first: 3, orderBy: {field: TITLE}) { nodes { id
			variants { %s %s } options { id values { id value optionId variantId createdAt metadata %s } } } } }`
	)
	var plain *resttest.Response
	for _, c := range [][2][3]string{
		{{variant, "", ""}, {variant, "product { id }", ""}},
		{{"id prices(priceListId: $pl) { " + price + " }", "", ""}, {"id prices(priceListId: $pl) { " + price + " variant { id } }", "", "option { id }"}},
	} {
		plain = gql(e, fmt.Sprintf(query, c[0][0], c[0][1], c[0][2]), catJ{"pl": pl.ID})
		mixed := gql(e, fmt.Sprintf(query, c[1][0], c[1][1], c[1][2]), catJ{"pl": pl.ID})
		if plain.Status != 200 || mixed.Status != 200 || bytes.Contains(plain.Body, []byte(`"errors"`)) {
			t.Fatalf("%d %s\n%d %s", plain.Status, plain.Body, mixed.Status, mixed.Body)
		}
		stripped := regexp.MustCompile(`,"(variant|product|option)":\{"id":"[a-z_0-9A-Z]+"\}`).ReplaceAll(mixed.Body, nil)
		if !bytes.Equal(plain.Body, stripped) {
			t.Errorf("plain writers:\n%s\ngqlgen:\n%s", plain.Body, stripped)
		}
	}
	plain = gql(e, fmt.Sprintf(query, variant+" prices(priceListId: $pl) { "+price+" }", "", ""), catJ{"pl": pl.ID})
	if !bytes.Contains(plain.Body, []byte(`"metadata":{"a":null,"b":[1,2.5,"\u003c\u0026\u003e"]}`)) || !bytes.Contains(plain.Body, []byte(`"minQuantity":2`)) {
		t.Errorf("the page lacks the values set: %s", plain.Body)
	}
}
