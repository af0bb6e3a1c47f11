package rest_test

import (
	"context"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/uptrace/bun"

	"github.com/gorgon-commerce/gorgon/rest/resttest"
	"github.com/gorgon-commerce/gorgon/store"
	"github.com/gorgon-commerce/gorgon/store/dbtest"
)

// Behind PgBouncer in transaction mode (no session state, no prepared statements kept between
// transactions) with another instance connected directly: logins, sessions, writes and reads
// work, the listener finds its notifications go nowhere and leaves authentication uncached, so a
// logout on the other instance takes effect at once.
func TestBehindPgBouncerTransactionMode(t *testing.T) {
	t.Parallel()
	e := resttest.New(t)
	pb := e.Through(t, dbtest.PgBouncer(t, e.DatabaseName(t)))
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { pb.Store.RunEventDispatcher(ctx, time.Minute); close(done) }()
	t.Cleanup(func() { cancel(); <-done })

	cookie := login(t, pb)
	withCookie := map[string]string{"Cookie": cookie}
	pb.DoWith("GET", "/admin/auth", nil, withCookie).Expect(t, 200, `{"user":`+adminUserJSON+`}`)
	res := pb.Do("POST", "/admin/regions", map[string]any{"name": "Pooled", "currency_code": "usd", "tax_rate": 0,
		"payment_providers": []string{"manual"}, "fulfillment_providers": []string{"manual"}, "countries": []string{"us"}})
	if res.Status != 200 {
		t.Fatalf("create region: %d %s", res.Status, res.Body)
	}
	id := res.JSON(t)["region"].(map[string]any)["id"].(string)
	// Many statements, so that they land on different server connections of the pooler.
	for i := 0; i < 20; i++ {
		if r := pb.Do("GET", "/admin/regions/"+id, nil); r.Status != 200 {
			t.Fatalf("get region #%d: %d %s", i, r.Status, r.Body)
		}
	}
	pb.Do("POST", "/admin/regions/"+id, map[string]any{"name": "Pooled 2"})
	if name := e.Do("GET", "/admin/regions/"+id, nil).JSON(t)["region"].(map[string]any)["name"]; name != "Pooled 2" {
		t.Fatalf("name seen directly: %v", name)
	}

	// The probe times out (5 s) and the cache stays off; meanwhile and after, logins work.
	time.Sleep(5500 * time.Millisecond)
	if pb.Store.AuthCacheOn() {
		t.Fatal("authentication cached behind a transaction-mode pooler")
	}
	pb.DoWith("GET", "/admin/auth", nil, withCookie).Expect(t, 200, `{"user":`+adminUserJSON+`}`)
	e.DoWith("DELETE", "/admin/auth", nil, withCookie)
	pb.DoWith("GET", "/admin/auth", nil, withCookie).ExpectText(t, 401, "Unauthorized")
}

// Behind the same pooler with DATABASE_LISTEN_URL naming a direct connection, the listener hears
// its notifications: authentication is cached, and a logout on another instance still takes
// effect at once (its notification reaches the cache through the direct connection).
func TestBehindPgBouncerWithDirectListenURL(t *testing.T) {
	t.Parallel()
	e := resttest.New(t)
	pb := e.Through(t, dbtest.PgBouncer(t, e.DatabaseName(t)))
	pb.Store.Config.ListenURL = dbtest.ServerURL() + "/" + e.DatabaseName(t) + "?sslmode=disable"
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { pb.Store.RunEventDispatcher(ctx, time.Minute); close(done) }()
	t.Cleanup(func() { cancel(); <-done })

	for deadline := time.Now().Add(10 * time.Second); !pb.Store.AuthCacheOn(); time.Sleep(50 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatal("authentication not cached with a direct listening connection")
		}
	}
	cookie := login(t, pb)
	withCookie := map[string]string{"Cookie": cookie}
	for i := 0; i < 3; i++ { // the first lookup fills the cache, the others are answered from it
		pb.DoWith("GET", "/admin/auth", nil, withCookie).Expect(t, 200, `{"user":`+adminUserJSON+`}`)
	}
	e.DoWith("DELETE", "/admin/auth", nil, withCookie)
	// The logout's notification travels to pb's listener: wait for it, within a bound.
	for deadline := time.Now().Add(5 * time.Second); ; time.Sleep(20 * time.Millisecond) {
		r := pb.DoWith("GET", "/admin/auth", nil, withCookie)
		if r.Status == 401 {
			r.ExpectText(t, 401, "Unauthorized")
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("logout on another instance not seen behind the pooler: %d %s", r.Status, r.Body)
		}
	}
}

// Behind a transaction-mode pooler with prepared reads on (a DATABASE_URL that names no exec
// mode), the pooler refuses named statements on whichever server connection it picks: the reads
// switch to the unnamed statement on the first refusal and every request still answers.
func TestBehindPgBouncerPreparedReadsFallBack(t *testing.T) {
	t.Parallel()
	e := resttest.New(t)
	for i := 0; i < 3; i++ {
		body := map[string]any{"title": fmt.Sprintf("Pooled %d", i), "options": []any{map[string]any{"title": "Size"}},
			"variants": []any{map[string]any{"title": "S", "options": []any{map[string]any{"value": "S"}},
				"prices": []any{map[string]any{"currency_code": "usd", "amount": 100 + i}}}}}
		if r := e.Do("POST", "/admin/products", body); r.Status != 200 {
			t.Fatalf("create product: %d %s", r.Status, r.Body)
		}
	}
	want := e.Do("GET", "/admin/products?limit=10", nil)
	pb := e.Through(t, dbtest.PgBouncer(t, e.DatabaseName(t)))
	if !store.PreparedReads(pb.DB) {
		t.Fatal("prepared reads off for a URL that names no exec mode")
	}
	var wg sync.WaitGroup
	errs := make(chan string, 64)
	for c := 0; c < 8; c++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; i < 8; i++ {
				if r := pb.Do("GET", "/admin/products?limit=10", nil); r.Status != 200 || string(r.Body) != string(want.Body) {
					errs <- fmt.Sprintf("%d %.300s", r.Status, r.Body)
				}
			}
		}()
	}
	wg.Wait()
	close(errs)
	for e := range errs {
		t.Error(e)
	}
	t.Logf("prepared reads still on after 64 pooled pages: %v", store.PreparedReads(pb.DB))
}

// Behind the pooler, the writes that begin their transaction with their lock (capture and
// fulfilment: `SELECT … FOR UPDATE; BEGIN` in one simple query, then the script with COMMIT,
// store.inLockedTx) keep one server connection from the lock to the COMMIT, as the pooler gives
// a client its server connection for a whole transaction: eight orders, each captured and
// fulfilled once while the others are, every one captured and fulfilled once, with one event
// each; the answers read through the pooler are those read directly.
func TestBehindPgBouncerLockedWrites(t *testing.T) {
	t.Parallel()
	e := resttest.New(t)
	orders := make([]dbtest.PlacedOrder, 8)
	ids := make([]string, len(orders))
	for k := range orders {
		orders[k] = dbtest.PlaceOrder(t, e.DB, k+1)
		ids[k] = orders[k].ID
	}
	pb := e.Through(t, dbtest.PgBouncer(t, e.DatabaseName(t)))
	store.SetFewerStatements(pb.Store.DB, true) // as far away: the order read takes its fewest statements where it can
	var wg sync.WaitGroup
	errs := make(chan string, 2*len(orders))
	for _, o := range orders {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if r := pb.Do("POST", "/admin/orders/"+o.ID+"/capture", nil); r.Status != 200 {
				errs <- fmt.Sprintf("capture %s: %d %.300s", o.ID, r.Status, r.Body)
			}
			body := map[string]any{"items": []any{map[string]any{"item_id": o.ManagedItem, "quantity": 1}}}
			if r := pb.Do("POST", "/admin/orders/"+o.ID+"/fulfillment", body); r.Status != 200 {
				errs <- fmt.Sprintf("fulfillment %s: %d %.300s", o.ID, r.Status, r.Body)
			}
		}()
	}
	wg.Wait()
	close(errs)
	for msg := range errs {
		t.Error(msg)
	}
	var captured, fulfilled, fulfilments, events int
	if err := e.DB.QueryRow(`SELECT
		(SELECT count(*) FROM "order" WHERE id IN (?) AND payment_status = 'captured'),
		(SELECT count(*) FROM "order" WHERE id IN (?) AND fulfillment_status = 'partially_fulfilled'),
		(SELECT count(*) FROM fulfillment WHERE order_id IN (?)),
		(SELECT count(*) FROM gorgon.event WHERE name = 'order.payment_captured')`,
		bun.In(ids), bun.In(ids), bun.In(ids)).Scan(&captured, &fulfilled, &fulfilments, &events); err != nil {
		t.Fatal(err)
	}
	if captured != len(orders) || fulfilled != len(orders) || fulfilments != len(orders) || events != len(orders) {
		t.Errorf("%d captured, %d partially fulfilled, %d fulfilments, %d capture events; want %d each",
			captured, fulfilled, fulfilments, events, len(orders))
	}
	for _, id := range ids[:2] {
		direct, pooled := e.Do("GET", "/admin/orders/"+id, nil), pb.Do("GET", "/admin/orders/"+id, nil)
		if pooled.Status != 200 || string(pooled.Body) != string(direct.Body) {
			t.Errorf("order %s through the pooler:\n%s\ndirectly:\n%s", id, pooled.Body, direct.Body)
		}
	}
}
