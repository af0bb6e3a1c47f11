package rest_test

import (
	"fmt"
	"net/http"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/gorgon-commerce/gorgon/rest/resttest"
	"github.com/gorgon-commerce/gorgon/store/dbtest"
)

// Three instances on one database behind a round-robin balancer: a session started on one is
// valid on the others, every write any of them acknowledged is there, and stopping one instance
// in the middle of the load (its pool closed under in-flight requests) loses no acknowledged write:
// its requests fail as unavailable (503), never half-done.
func TestThreeInstancesRoundRobin(t *testing.T) {
	t.Parallel()
	e := resttest.New(t)
	name := e.DatabaseName(t)
	var instances []*resttest.Env
	for range 2 {
		instances = append(instances, e.Through(t, fmt.Sprintf("%s/%s?sslmode=disable", dbtest.ServerURL(), name)))
	}
	// The third reaches the database through a proxy: cutting it is the instance dying, as far as
	// the database can tell (its connections drop mid-transaction).
	third, proxy := e.Proxied(t)
	instances = append(instances, third)
	var next atomic.Int64
	balancer := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		instances[next.Add(1)%3].Handler.ServeHTTP(w, r)
	})
	lb := *e
	lb.Handler = balancer

	cookie := login(t, &lb)
	for range 6 { // every instance in turn accepts the session
		lb.DoWith("GET", "/admin/auth", nil, map[string]string{"Cookie": cookie}).Expect(t, 200, `{"user":`+adminUserJSON+`}`)
	}

	var (
		mu       sync.Mutex
		acked    []string
		statuses = map[int]int{}
		wg       sync.WaitGroup
	)
	for w := range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range 15 {
				title := fmt.Sprintf("w%d-%d", w, i)
				res := lb.Do("POST", "/admin/collections", map[string]any{"title": title})
				mu.Lock()
				statuses[res.Status]++
				if res.Status == 200 {
					acked = append(acked, title)
				}
				mu.Unlock()
				if w == 0 && i == 5 {
					proxy.Cut() // instance 3 dies in the middle of the load
				}
			}
		}()
	}
	wg.Wait()
	// 503: the database was unreachable, nothing was written. 500: the connection dropped
	// after COMMIT was sent, the write may have been saved (a client must not be told to retry).
	if statuses[200] == 0 || statuses[200]+statuses[503]+statuses[500] != 120 {
		t.Fatalf("statuses %v: want only 200, 503 and 500", statuses)
	}
	var stored int
	if err := e.DB.QueryRow(`SELECT count(*) FROM product_collection`).Scan(&stored); err != nil {
		t.Fatal(err)
	}
	if stored < len(acked) || stored > len(acked)+statuses[500] {
		rows, _ := e.DB.Query(`SELECT title FROM product_collection`)
		ackedSet := map[string]bool{}
		for _, a := range acked {
			ackedSet[a] = true
		}
		for rows.Next() {
			var ti string
			_ = rows.Scan(&ti)
			if !ackedSet[ti] {
				t.Logf("stored, not acknowledged: %s", ti)
			}
		}
		rows.Close()
		t.Fatalf("%d collections stored, %d acknowledged, %d with an unknown outcome", stored, len(acked), statuses[500])
	}
	for _, title := range acked {
		var n int
		if err := e.DB.QueryRow(`SELECT count(*) FROM product_collection WHERE title = ?`, title).Scan(&n); err != nil || n != 1 {
			t.Fatalf("acknowledged %q stored %d times (%v)", title, n, err)
		}
	}
}
