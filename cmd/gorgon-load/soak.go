package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"slices"
	"sync"
	"sync/atomic"
	"time"
)

// soak runs a mixed load (7 reads for every 3 writes: the read paths in turn, then creating a
// collection, renaming the product, creating a customer) against t for d, and prints, every
// sample, the server's resident memory, the requests per second and the p99 of that window: the
// memory curve of a long run, which must stay flat.
func soak(client *http.Client, t target, token string, clients int, d, sample time.Duration, paths []string, productID string) {
	ctx, cancel := context.WithTimeout(context.Background(), d)
	defer cancel()
	var (
		mu     sync.Mutex
		window []time.Duration
		errs   atomic.Int64
		seq    atomic.Int64
		run    = time.Now().UnixNano()
	)
	do := func(method, path string, body any) {
		var rd io.Reader
		if body != nil {
			b, _ := json.Marshal(body)
			rd = bytes.NewReader(b)
		}
		req, _ := http.NewRequestWithContext(ctx, method, t.url+path, rd)
		req.Header.Set("Authorization", "Bearer "+token)
		if body != nil {
			req.Header.Set("Content-Type", "application/json")
		}
		t0 := time.Now()
		res, err := client.Do(req)
		if err != nil {
			if ctx.Err() == nil {
				errs.Add(1)
			}
			return
		}
		_, _ = io.Copy(io.Discard, res.Body)
		res.Body.Close()
		if res.StatusCode/100 != 2 { // customers are created with 201, as Medusa
			errs.Add(1)
			return
		}
		mu.Lock()
		window = append(window, time.Since(t0))
		mu.Unlock()
	}
	var wg sync.WaitGroup
	for range clients {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for ctx.Err() == nil {
				n := seq.Add(1)
				switch n % 10 {
				case 7:
					do("POST", "/admin/collections", map[string]any{"title": fmt.Sprintf("Soak %d-%d", run, n)})
				case 8:
					do("POST", "/admin/products/"+productID, map[string]any{"subtitle": fmt.Sprintf("soak %d", n)})
				case 9:
					do("POST", "/admin/customers", map[string]any{"email": fmt.Sprintf("soak-%d-%d@example.com", run, n), "first_name": "S", "last_name": "K", "password": "soak-password"})
				default:
					do("GET", paths[int(n)%len(paths)], nil)
				}
			}
		}()
	}
	fmt.Printf("| elapsed | RSS MB | req/s | p99 ms | errors |\n|---|---|---|---|---|\n")
	start, last := time.Now(), time.Now()
	tick := time.NewTicker(sample)
	defer tick.Stop()
	report := func() {
		mu.Lock()
		lat := window
		window = nil
		mu.Unlock()
		slices.Sort(lat)
		p99 := time.Duration(0)
		if len(lat) > 0 {
			p99 = lat[min(len(lat)-1, len(lat)*99/100)]
		}
		fmt.Printf("| %s | %.1f | %.1f | %.1f | %d |\n", time.Since(start).Round(time.Second), float64(rssKB(t.pid))/1024,
			float64(len(lat))/time.Since(last).Seconds(), ms(p99), errs.Load())
		last = time.Now()
	}
	for {
		select {
		case <-ctx.Done():
			wg.Wait()
			report()
			return
		case <-tick.C:
			report()
		}
	}
}
