package rest_test

import (
	"context"
	"testing"

	"github.com/gorgon-commerce/gorgon/rest/resttest"
	"github.com/gorgon-commerce/gorgon/store/benchdata"
	"github.com/gorgon-commerce/gorgon/store/migrations"
)

// BenchmarkIndexes runs the lists on two clones of the commerce benchmark database, one as
// `gorgon migrate` leaves it and one after `gorgon migrate --drop-indexes` (Medusa's indexes
// only), alternating, so that the ratio comes from one run on a shared machine.
// Run: go test ./rest/ -run '^$' -bench Indexes -benchtime 50x
func BenchmarkIndexes(b *testing.B) {
	with := resttest.NewBenchCommerce(b, benchdata.Default, benchdata.DefaultCommerce)
	without := resttest.NewBenchCommerce(b, benchdata.Default, benchdata.DefaultCommerce)
	if err := migrations.DropIndexes(context.Background(), without.DB); err != nil {
		b.Fatal(err)
	}
	for _, r := range []struct{ name, path string }{
		{"ProductsList50", "/admin/products?limit=50"},
		{"ProductsOffset5000", "/admin/products?limit=50&offset=5000"},
		{"ProductsSearch", "/admin/products?q=organic&limit=50"},
		{"VariantsList", "/admin/variants?limit=50"},
		{"PriceListProducts", "/admin/price-lists/" + benchdata.PriceListID(1) + "/products?limit=50"},
		{"CustomersList50", "/admin/customers?limit=50"},
		{"CustomersSearch", "/admin/customers?limit=50&q=Smith"},
		{"DiscountsList50", "/admin/discounts?limit=50"},
		{"DiscountsSearch", "/admin/discounts?q=CODE19&limit=50"},
	} {
		b.Run(r.name+"/indexes", func(b *testing.B) { with.Bench(b, "GET", r.path, nil, 200) })
		b.Run(r.name+"/medusa", func(b *testing.B) { without.Bench(b, "GET", r.path, nil, 200) })
	}
}
