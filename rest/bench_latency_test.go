package rest_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/gorgon-commerce/gorgon/rest/resttest"
)

// BenchmarkDBLatency300ms answers typical requests with 300 ms added to every database round
// trip (a fault proxy between the server and PostgreSQL): what a shop whose database is far away
// sees. The time per request is about 300 ms times the sequential round trips it needs; the
// listener runs, so authentication is remembered as in production.
//
//	go test -run '^$' -bench DBLatency300ms -benchtime 5x ./rest/
func BenchmarkDBLatency300ms(b *testing.B) {
	e := resttest.New(b)
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
	n := 0
	for _, c := range []struct {
		name, method, path string
		body               func() any
	}{
		{"GET products list", "GET", "/admin/products?limit=50", nil},
		{"GET product", "GET", "/admin/products/" + product, nil},
		{"GET regions list", "GET", "/admin/regions", nil},
		{"POST collection", "POST", "/admin/collections", func() any { n++; return ptJ{"title": fmt.Sprintf("C%d", n)} }},
		{"POST product update", "POST", "/admin/products/" + product, func() any { n++; return ptJ{"title": fmt.Sprintf("Far %d", n)} }},
		{"POST product create", "POST", "/admin/products", func() any {
			n++
			return ptJ{"title": fmt.Sprintf("P%d", n), "options": []ptJ{{"title": "Size"}},
				"variants": []ptJ{{"title": "S", "options": []ptJ{{"value": "S"}}, "prices": []ptJ{{"currency_code": "usd", "amount": 100}}}}}
		}},
	} {
		b.Run(c.name, func(b *testing.B) {
			for b.Loop() {
				var body any
				if c.body != nil {
					body = c.body()
				}
				if r := pe.Do(c.method, c.path, body); r.Status != 200 {
					b.Fatalf("%d %s", r.Status, r.Body)
				}
			}
			b.ReportMetric(float64(pe.Queries), "statements/op")
		})
	}
}
