package graph_test

import (
	"context"
	"fmt"
	"testing"

	"github.com/gorgon-commerce/gorgon/rest/resttest"
	"github.com/gorgon-commerce/gorgon/store"
)

// catProductsPage is a page of 50 products with every nested list of the catalog.
const catProductsPage = `{ products(first: 50) { totalCount nodes { id title status
	variants { id title sku prices { id amount currencyCode priceList { id } } options { id value option { id title } } product { id } }
	options { id title values { id value } }
	images { id url } tags { id value } type { id value } collection { id title products(first: 3) { id } }
	salesChannels { id name } profile { id name } } } }`

// catAddProducts creates products from..to with options, variants, prices, images, tags, a type,
// a collection, a sales channel, and a price in a price list.
func catAddProducts(t *testing.T, e *resttest.Env, channel, priceList string, from, to int) {
	t.Helper()
	ctx := context.Background()
	for i := from; i < to; i++ {
		coll := catCollection
		typ := &store.ProductTypeInput{Value: fmt.Sprintf("Type %d", i%3)}
		in := store.CreateProductInput{Title: fmt.Sprintf("Product %d", i), Discountable: true, CollectionID: &coll, Type: typ,
			Images:        []string{fmt.Sprintf("https://img.test/%d-a.png", i), fmt.Sprintf("https://img.test/%d-b.png", i)},
			Tags:          []store.ProductTagInput{{Value: "all"}, {Value: fmt.Sprintf("tag-%d", i)}},
			SalesChannels: []string{channel}, Options: []string{"Size", "Color"}}
		for j, size := range []string{"S", "M", "L"} {
			usd, eur := "usd", "eur"
			in.Variants = append(in.Variants, store.CreateVariantInput{Title: size, SKU: strPtr(fmt.Sprintf("P%d-%s", i, size)),
				Prices:  []store.PriceInput{{CurrencyCode: &usd, Amount: 1000 + j}, {CurrencyCode: &eur, Amount: 900 + j}},
				Options: []store.VariantOptionInput{{Value: size}, {Value: "Red"}}})
		}
		p, err := e.Store.CreateProduct(ctx, in)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := e.Store.AddPriceListPrices(ctx, priceList, []store.PriceListPriceInput{{CurrencyCode: strPtr("usd"), Amount: 500,
			VariantID: p.Variants[0].ID}}, false); err != nil {
			t.Fatal(err)
		}
	}
}

func strPtr(s string) *string { return &s }

// A page of products with all its nested data costs the same statements whatever its size: each
// nested level loads in one batch. So do collections with products and price lists with prices.
func TestCatalogBatched(t *testing.T) {
	t.Parallel()
	e := resttest.New(t)
	channel := catFixtures(t, e)
	pl, err := e.Store.CreatePriceList(context.Background(), store.CreatePriceListInput{Name: "Sale", Description: "d", Type: "sale"})
	if err != nil {
		t.Fatal(err)
	}
	queries := map[string]string{
		"products": catProductsPage,
		"priceListProducts": `query($pl: ID!) { priceListProducts(priceListId: $pl, first: 50) { totalCount nodes { id
			variants { id prices(priceListId: $pl) { id amount priceList { id name } } } tags { id } } } }`,
		"variants":    `{ variants(first: 200) { totalCount nodes { id product { id title tags { id } } prices { id } options { id option { id } } } } }`,
		"collections": `{ collections(first: 10) { totalCount nodes { id products(first: 25) { id variants { id prices { id } } type { id } } } } }`,
		"priceLists":  `{ priceLists(first: 10) { totalCount nodes { id customerGroups { id } prices(first: 50) { id variant { id product { id } } } } } }`,
	}
	run := func(name string, n int) int64 {
		t.Helper()
		res := gql(e, queries[name], catJ{"pl": pl.ID})
		if res.Status != 200 || res.JSON(t)["errors"] != nil {
			t.Fatalf("%s: %d %s", name, res.Status, res.Body)
		}
		return e.Queries
	}
	catAddProducts(t, e, channel, pl.ID, 0, 2)
	small := map[string]int64{}
	for name := range queries {
		small[name] = run(name, 2)
	}
	catAddProducts(t, e, channel, pl.ID, 2, 20)
	// More collections and price lists, so their pages grow too.
	for i := 0; i < 5; i++ {
		catExec(t, e, fmt.Sprintf(`INSERT INTO product_collection (id, title, handle) VALUES ('pcol_%026d', 'C%d', 'c-%d')`, i, i, i))
		if _, err := e.Store.CreatePriceList(context.Background(), store.CreatePriceListInput{Name: fmt.Sprintf("L%d", i), Description: "d", Type: "sale"}); err != nil {
			t.Fatal(err)
		}
	}
	for name := range queries {
		if large := run(name, 20); large != small[name] {
			t.Errorf("%s: 20 products cost %d statements, 2 products %d", name, large, small[name])
		}
		t.Logf("%s: %d statements", name, small[name])
	}
	// The page really holds the nested data.
	res := gql(e, `{ products(first: 1, orderBy: {field: TITLE}) { totalCount nodes { title variants { sku prices { amount } options { value } }
		options { values { value } } images { url } tags { value } type { value } collection { title } salesChannels { name } profile { name } } } }`, nil)
	res.Expect(t, 200, catData(catJ{"products": catJ{"totalCount": 20, "nodes": []any{catJ{"title": "Product 0",
		"variants": []any{
			catJ{"sku": "P0-S", "prices": []any{catJ{"amount": 1000}, catJ{"amount": 900}}, "options": []any{catJ{"value": "S"}, catJ{"value": "Red"}}},
			catJ{"sku": "P0-M", "prices": []any{catJ{"amount": 1001}, catJ{"amount": 901}}, "options": []any{catJ{"value": "M"}, catJ{"value": "Red"}}},
			catJ{"sku": "P0-L", "prices": []any{catJ{"amount": 1002}, catJ{"amount": 902}}, "options": []any{catJ{"value": "L"}, catJ{"value": "Red"}}}},
		"options": []any{catJ{"values": []any{catJ{"value": "S"}, catJ{"value": "M"}, catJ{"value": "L"}}},
			catJ{"values": []any{catJ{"value": "Red"}, catJ{"value": "Red"}, catJ{"value": "Red"}}}},
		"images":        []any{catJ{"url": "https://img.test/0-a.png"}, catJ{"url": "https://img.test/0-b.png"}},
		"tags":          []any{catJ{"value": "all"}, catJ{"value": "tag-0"}},
		"type":          catJ{"value": "Type 0"},
		"collection":    catJ{"title": "Basics"},
		"salesChannels": []any{catJ{"name": "Default Sales Channel"}},
		"profile":       catJ{"name": "Default Shipping Profile"}}}}}))
}

// Long nested lists scale the cost: a page of 50 collections asking 1000 products each is refused
// before it runs.
func TestCatalogCost(t *testing.T) {
	t.Parallel()
	e := resttest.New(t)
	res := gql(e, `{ collections(first: 50) { nodes { id products(first: 1000) { id title } } } }`, nil)
	res.Expect(t, 200, `{"errors":[{"message":"$string","extensions":{"code":"COMPLEXITY_LIMIT_EXCEEDED"}}],"data":null}`)
	res = gql(e, `{ priceLists(first: 50) { nodes { id prices { id amount } } } }`, nil)
	res.Expect(t, 200, `{"errors":[{"message":"$string","extensions":{"code":"COMPLEXITY_LIMIT_EXCEEDED"}}],"data":null}`)
	gql(e, catProductsPage, nil).Expect(t, 200, `{"data":{"products":{"totalCount":0,"nodes":[]}}}`)
}
