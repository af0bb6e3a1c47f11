package graph_test

import (
	"strings"
	"testing"

	"github.com/gorgon-commerce/gorgon/rest/resttest"
	"github.com/gorgon-commerce/gorgon/store/benchdata"
)

// Commerce benchmarks over GraphQL (20,000 customers in 50 groups, 2,000 discounts with product
// conditions, 500 tax rates), beside rest's BenchmarkCommerce.
// Run: go test ./graph/ -run '^$' -bench Commerce -benchtime 200x
func BenchmarkGraphQLCommerce(b *testing.B) {
	e := resttest.NewBenchCommerce(b, benchdata.Default, benchdata.DefaultCommerce)
	e.DB.DB.SetMaxOpenConns(20)
	e.DB.DB.SetMaxIdleConns(10)
	ops := []struct{ name, query string }{
		{"CustomersSearch", `{ customers(first: 50, q: "Smith") { totalCount nodes { id email firstName lastName hasAccount groups { id name } } } }`},
		{"GroupCustomers", `{ customers(first: 50, groupIds: ["` + benchdata.GroupID(7) + `"]) { totalCount nodes { id email groups { id name } } } }`},
		{"Discounts50", `{ discounts(first: 50) { totalCount nodes { id code isDynamic isDisabled startsAt endsAt usageLimit
			rule { id type value allocation conditions { id type operator products { id title } } } regions { id name } } } }`},
		{"TaxRatesWithProducts", `{ taxRates(first: 50) { totalCount nodes { id rate code name region { id name } products(first: 10) { id title } productTypes { id value } shippingOptions { id name } } } }`},
	}
	for _, op := range ops {
		body := map[string]any{"query": op.query}
		// A GraphQL error answers 200 too: check one response before timing.
		if r := e.Do("POST", "/graphql", body); r.Status != 200 || strings.Contains(string(r.Body), `"errors"`) {
			b.Fatalf("%s: %d %.300s", op.name, r.Status, r.Body)
		}
		b.Run(op.name, func(b *testing.B) { e.Bench(b, "POST", "/graphql", body, 200) })
	}
}
