package graph_test

import (
	"fmt"
	"testing"

	"github.com/gorgon-commerce/gorgon/rest/resttest"
	"github.com/gorgon-commerce/gorgon/store/benchdata"
)

// benchProducts is the GraphQL equivalent of GET /admin/products?limit=50 with its default
// relations: a page of 50 products with variants, prices, option values, options, images, tags,
// type, collection and sales channels.
const benchProducts = `query($q: String) { products(first: 50, filter: {q: $q}) { totalCount nodes {
	id title subtitle description handle isGiftcard status thumbnail discountable profileId collectionId typeId createdAt updatedAt metadata
	variants { id title sku barcode inventoryQuantity allowBackorder manageInventory createdAt updatedAt
		prices { id currencyCode amount minQuantity maxQuantity regionId } options { id value optionId } }
	options { id title values { id value variantId } }
	images { id url } tags { id value } type { id value } collection { id title handle } salesChannels { id name } } } }`

// Catalog benchmarks over GraphQL on 10,000 products, 50,000 variants and 150,000 prices
// (benchdata.Default), beside rest's BenchmarkCatalog.
// Run: go test ./graph/ -run '^$' -bench Catalog -benchtime 200x
// Each reports p50/p99 latency, requests per second and SQL statements per request.
func BenchmarkGraphQLCatalog(b *testing.B) {
	e := resttest.NewBench(b, benchdata.Default)
	// A GraphQL request runs a level's loads concurrently: give the pool store.OpenDB's production
	// sizes (database/sql keeps only 2 idle connections by default, and would reconnect).
	e.DB.DB.SetMaxOpenConns(20)
	e.DB.DB.SetMaxIdleConns(10)
	op := func(query string, vars map[string]any) map[string]any {
		return map[string]any{"query": query, "variables": vars}
	}
	b.Run("Products50", func(b *testing.B) { e.Bench(b, "POST", "/graphql", op(benchProducts, nil), 200) })
	// The page of bench/graphql (the side-by-side load test against PostGraphile): few fields
	// per level, variants and prices.
	b.Run("ProductsPage", func(b *testing.B) {
		e.Bench(b, "POST", "/graphql", op(`{ products(first: 50) { nodes { id title handle createdAt
			variants { id title sku inventoryQuantity prices { id currencyCode amount regionId } } } } }`, nil), 200)
	})
	b.Run("ProductsSearch", func(b *testing.B) {
		e.Bench(b, "POST", "/graphql", op(benchProducts, map[string]any{"q": "organic"}), 200)
	})
	b.Run("Product", func(b *testing.B) {
		e.Bench(b, "POST", "/graphql", op(`query($id: ID!) { product(id: $id) { id title variants { id sku prices { amount currencyCode } options { value } }
			options { title values { value } } tags { value } type { value } collection { title } } }`, map[string]any{"id": benchdata.ProductID(4242)}), 200)
	})
	b.Run("Variants50", func(b *testing.B) {
		e.Bench(b, "POST", "/graphql", op(`{ variants(first: 50) { totalCount nodes { id title sku product { id title } prices { amount currencyCode } options { value } } } }`, nil), 200)
	})
	b.Run("PriceListProducts50", func(b *testing.B) {
		e.Bench(b, "POST", "/graphql", op(`query($pl: ID!) { priceListProducts(priceListId: $pl, first: 50) { totalCount nodes { id title
			variants { id sku prices(priceListId: $pl) { amount currencyCode priceListId } options { value } } tags { value } type { value } collection { title } } } }`,
			map[string]any{"pl": benchdata.PriceListID(1)}), 200)
	})
	n := 0
	b.Run("ProductCreate", func(b *testing.B) {
		b.StopTimer()
		bodies := make([]map[string]any, b.N)
		for i := range bodies {
			n++
			bodies[i] = op(`mutation($in: CreateProductInput!) { createProduct(input: $in) { product { id variants { id } } userErrors { message } } }`,
				map[string]any{"in": map[string]any{
					"title":   fmt.Sprintf("GraphQL bench product %d", n),
					"options": []map[string]any{{"title": "Size"}},
					"variants": []map[string]any{
						{"title": "S", "inventoryQuantity": 10, "prices": []map[string]any{{"currencyCode": "usd", "amount": 1000}}, "options": []map[string]any{{"value": "S"}}},
						{"title": "M", "inventoryQuantity": 10, "prices": []map[string]any{{"currencyCode": "usd", "amount": 1100}}, "options": []map[string]any{{"value": "M"}}},
					},
				}})
		}
		b.StartTimer()
		i := 0
		e.BenchFunc(b, func() *resttest.Response { r := e.Do("POST", "/graphql", bodies[i]); i++; return r }, 200)
	})
}
