package graph_test

import (
	"os"
	"strconv"
	"strings"
	"testing"

	"github.com/gorgon-commerce/gorgon/rest/resttest"
	"github.com/gorgon-commerce/gorgon/store/benchdata"
)

// Orders over GraphQL: a page of 50 orders with items, totals, customer, addresses and payments.
// Run: go test ./graph/ -run '^$' -bench Orders -benchtime 200x (GORGON_BENCH_ORDERS sets the count)
func BenchmarkGraphQLOrders(b *testing.B) {
	o := benchdata.DefaultOrders
	if n, err := strconv.Atoi(os.Getenv("GORGON_BENCH_ORDERS")); err == nil && n > 0 {
		o.Orders = n
	}
	e := resttest.NewBenchOrders(b, benchdata.Default, benchdata.DefaultCommerce, o)
	query := `{ orders(first: 50) { totalCount nodes { id displayId status paymentStatus fulfillmentStatus email createdAt
		totals { subtotal discountTotal shippingTotal taxTotal total paidTotal refundedTotal refundableAmount }
		items { id title quantity unitPrice refundable } customer { id email firstName lastName }
		shippingAddress { firstName lastName address1 city } billingAddress { id } payments { id amount capturedAt } } } }`
	body := map[string]any{"query": query}
	if r := e.Do("POST", "/graphql", body); r.Status != 200 || strings.Contains(string(r.Body), `"errors"`) {
		b.Fatalf("%d %.300s", r.Status, r.Body)
	}
	b.Run("Page50", func(b *testing.B) { e.Bench(b, "POST", "/graphql", body, 200) })
}
