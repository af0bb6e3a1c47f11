package rest_test

import (
	"os"
	"strconv"
	"testing"

	"github.com/gorgon-commerce/gorgon/rest/resttest"
	"github.com/gorgon-commerce/gorgon/store/benchdata"
)

// benchOrders is the orders benchmark's shop: benchdata.DefaultOrders (50,000 orders, 150,000
// line items, payments, fulfilments) unless GORGON_BENCH_ORDERS names another count.
func benchOrders() benchdata.Orders {
	o := benchdata.DefaultOrders
	if n, err := strconv.Atoi(os.Getenv("GORGON_BENCH_ORDERS")); err == nil && n > 0 {
		o.Orders = n
	}
	return o
}

// Orders benchmarks: Medusa's default relations and totals on every order of a page.
// Run: go test ./rest/ -run '^$' -bench Orders -benchtime 200x
func BenchmarkOrders(b *testing.B) {
	o := benchOrders()
	e := resttest.NewBenchOrders(b, benchdata.Default, benchdata.DefaultCommerce, o)
	b.Run("List50", func(b *testing.B) { e.Bench(b, "GET", "/admin/orders?limit=50", nil, 200) })
	b.Run("ListOffset", func(b *testing.B) {
		e.Bench(b, "GET", "/admin/orders?limit=50&offset="+strconv.Itoa(o.Orders/2), nil, 200)
	})
	b.Run("Get", func(b *testing.B) { e.Bench(b, "GET", "/admin/orders/"+benchdata.OrderID(o.Orders/2), nil, 200) })
	b.Run("SearchEmail", func(b *testing.B) { e.Bench(b, "GET", "/admin/orders?limit=50&q=customer123", nil, 200) })
	b.Run("SearchDisplayID", func(b *testing.B) { e.Bench(b, "GET", "/admin/orders?q="+strconv.Itoa(o.Orders/3), nil, 200) })
	b.Run("FilterStatus", func(b *testing.B) {
		e.Bench(b, "GET", "/admin/orders?limit=50&fulfillment_status[]=fulfilled&payment_status[]=captured", nil, 200)
	})
	b.Run("Dashboard", func(b *testing.B) {
		e.Bench(b, "GET", "/admin/orders?offset=0&limit=15&fields=id,status,display_id,created_at,email,fulfillment_status,payment_status,total,currency_code&expand=shipping_address,customer", nil, 200)
	})
}
