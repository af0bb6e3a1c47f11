package rest_test

import (
	"context"
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/gorgon-commerce/gorgon/rest/resttest"
	"github.com/gorgon-commerce/gorgon/store/dbtest"
)

// BenchmarkDBLatency300ms answers typical requests with 300 ms added to every database round
// trip (a fault proxy between the server and PostgreSQL that delays each answer by 300 ms, as a
// network would): what a shop whose database is far away sees. The time per request is about
// 300 ms times the sequential round trips it needs; the listener runs, so authentication is
// remembered as in production. Each reports its p99 (of few requests: their slowest) and the
// statements it counted (round trips: a script is one, two statements sent at once are two).
//
//	go test -run '^$' -bench DBLatency300ms -benchtime 5x ./rest/
func BenchmarkDBLatency300ms(b *testing.B) {
	e := resttest.New(b)
	orders := make([]dbtest.PlacedOrder, 41) // orders to capture and fulfil, one per request
	for k := 1; k < len(orders); k++ {
		orders[k] = dbtest.PlaceOrder(b, e.DB, k)
	}
	pe, proxy := e.Proxied(b)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { pe.Store.RunEventDispatcher(ctx, time.Minute); close(done) }()
	b.Cleanup(func() { cancel(); <-done })
	for deadline := time.Now().Add(10 * time.Second); !pe.Store.AuthCacheOn() && time.Now().Before(deadline); {
		time.Sleep(10 * time.Millisecond)
	}
	res := pe.Do("POST", "/admin/products", ptJ{"title": "Far", "options": []ptJ{{"title": "Size"}},
		"variants": []ptJ{{"title": "S", "options": []ptJ{{"value": "S"}}, "prices": []ptJ{{"currency_code": "usd", "amount": 100}}}}})
	if res.Status != 200 {
		b.Fatalf("seed product: %d %s", res.Status, res.Body)
	}
	product := res.JSON(b)["product"].(map[string]any)["id"].(string)
	pe.Do("GET", "/admin/products", nil) // authentication remembered from here on
	proxy.SetDelay(300 * time.Millisecond)
	n, captured, fulfilled := 0, 0, 20
	order := func(k int) string { return orders[k].ID }
	for _, c := range []struct {
		name, method string
		path         func() string
		body         func() any
		status       int
		anon         bool
	}{
		{"POST login", "POST", func() string { return "/admin/auth" }, func() any {
			return ptJ{"email": "admin@test.com", "password": "secret-password"}
		}, 200, true},
		{"GET products list", "GET", func() string { return "/admin/products?limit=50" }, nil, 200, false},
		{"GET product", "GET", func() string { return "/admin/products/" + product }, nil, 200, false},
		{"GET regions list", "GET", func() string { return "/admin/regions" }, nil, 200, false},
		{"GET customers list", "GET", func() string { return "/admin/customers" }, nil, 200, false},
		{"POST collection", "POST", func() string { return "/admin/collections" }, func() any { n++; return ptJ{"title": fmt.Sprintf("C%d", n)} }, 200, false},
		{"POST customer", "POST", func() string { return "/admin/customers" }, func() any {
			n++
			return ptJ{"email": fmt.Sprintf("far%d@example.com", n), "first_name": "F", "last_name": "L", "password": "far-password"}
		}, 201, false},
		{"POST product update", "POST", func() string { return "/admin/products/" + product }, func() any { n++; return ptJ{"title": fmt.Sprintf("Far %d", n)} }, 200, false},
		{"POST product create", "POST", func() string { return "/admin/products" }, func() any {
			n++
			return ptJ{"title": fmt.Sprintf("P%d", n), "options": []ptJ{{"title": "Size"}},
				"variants": []ptJ{{"title": "S", "options": []ptJ{{"value": "S"}}, "prices": []ptJ{{"currency_code": "usd", "amount": 100}}}}}
		}, 200, false},
		{"GET order", "GET", func() string { return "/admin/orders/" + order(1) }, nil, 200, false},
		{"POST order capture", "POST", func() string { captured++; return "/admin/orders/" + order(captured) + "/capture" }, nil, 200, false},
		{"POST order fulfillment", "POST", func() string { fulfilled++; return "/admin/orders/" + order(fulfilled) + "/fulfillment" }, func() any {
			return ptJ{"items": []ptJ{{"item_id": orders[fulfilled].ManagedItem, "quantity": 1}}}
		}, 200, false},
	} {
		b.Run(c.name, func(b *testing.B) {
			var took []time.Duration
			for b.Loop() {
				b.StopTimer()
				var body any
				if c.body != nil {
					body = c.body()
				}
				path := c.path()
				b.StartTimer()
				t0 := time.Now()
				do := pe.Do
				if c.anon {
					do = pe.DoAnon
				}
				if r := do(c.method, path, body); r.Status != c.status {
					b.Fatalf("%d %s", r.Status, r.Body)
				}
				took = append(took, time.Since(t0))
			}
			slices.Sort(took)
			b.ReportMetric(float64(took[len(took)*99/100].Milliseconds()), "p99-ms")
			b.ReportMetric(float64(pe.Queries), "statements/op")
		})
	}
}
