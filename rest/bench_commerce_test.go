package rest_test

import (
	"testing"

	"github.com/gorgon-commerce/gorgon/rest/resttest"
	"github.com/gorgon-commerce/gorgon/store/benchdata"
)

// Commerce benchmarks: 2,000 discounts with product conditions and 500 tax rates over the
// 10,000-product catalog (plus 20,000 customers in 50 groups).
// Run: go test ./rest/ -run '^$' -bench Commerce -benchtime 200x
func BenchmarkCommerce(b *testing.B) {
	e := resttest.NewBenchCommerce(b, benchdata.Default, benchdata.DefaultCommerce)
	b.Run("CustomersSearch", func(b *testing.B) { e.Bench(b, "GET", "/admin/customers?limit=50&q=Smith", nil, 200) })
	b.Run("CustomersList50", func(b *testing.B) { e.Bench(b, "GET", "/admin/customers?limit=50", nil, 200) })
	b.Run("GroupCustomers", func(b *testing.B) {
		e.Bench(b, "GET", "/admin/customer-groups/"+benchdata.GroupID(7)+"/customers?limit=50", nil, 200)
	})
	b.Run("DiscountsList50", func(b *testing.B) { e.Bench(b, "GET", "/admin/discounts?limit=50", nil, 200) })
	b.Run("DiscountsSearch", func(b *testing.B) { e.Bench(b, "GET", "/admin/discounts?q=CODE19&limit=50", nil, 200) })
	b.Run("TaxRatesExpandProducts", func(b *testing.B) { e.Bench(b, "GET", "/admin/tax-rates?expand[]=products", nil, 200) })
}
