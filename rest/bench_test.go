package rest_test

import (
	"fmt"
	"testing"

	"github.com/gorgon-commerce/gorgon/rest/resttest"
	"github.com/gorgon-commerce/gorgon/store/benchdata"
)

// Catalog benchmarks on 10,000 products, 50,000 variants and 150,000 prices (benchdata.Default).
// Run: go test ./rest/ -run '^$' -bench Catalog -benchtime 200x
// Each reports p50/p99 latency, requests per second and SQL statements per request.
func BenchmarkCatalog(b *testing.B) {
	e := resttest.NewBench(b, benchdata.Default)
	b.Run("ProductsList50", func(b *testing.B) { e.Bench(b, "GET", "/admin/products?limit=50", nil, 200) })
	b.Run("ProductsList10", func(b *testing.B) { e.Bench(b, "GET", "/admin/products?limit=10", nil, 200) })
	b.Run("ProductsSearch", func(b *testing.B) { e.Bench(b, "GET", "/admin/products?q=organic&limit=50", nil, 200) })
	b.Run("ProductGet", func(b *testing.B) { e.Bench(b, "GET", "/admin/products/"+benchdata.ProductID(4242), nil, 200) })
	b.Run("VariantsList", func(b *testing.B) { e.Bench(b, "GET", "/admin/variants?limit=50", nil, 200) })
	b.Run("PriceListProducts", func(b *testing.B) {
		e.Bench(b, "GET", "/admin/price-lists/"+benchdata.PriceListID(1)+"/products?limit=50", nil, 200)
	})
	n := 0
	b.Run("ProductCreate", func(b *testing.B) {
		b.StopTimer()
		bodies := make([]map[string]any, b.N)
		for i := range bodies {
			n++
			bodies[i] = map[string]any{
				"title":   fmt.Sprintf("Bench product %d", n),
				"options": []map[string]any{{"title": "Size"}},
				"variants": []map[string]any{
					{"title": "S", "inventory_quantity": 10, "prices": []map[string]any{{"currency_code": "usd", "amount": 1000}}, "options": []map[string]any{{"value": "S"}}},
					{"title": "M", "inventory_quantity": 10, "prices": []map[string]any{{"currency_code": "usd", "amount": 1100}}, "options": []map[string]any{{"value": "M"}}},
				},
			}
		}
		b.StartTimer()
		i := 0
		e.BenchFunc(b, func() *resttest.Response { r := e.Do("POST", "/admin/products", bodies[i]); i++; return r }, 200)
	})
}
