package store_test

import (
	"context"
	"sync"
	"testing"

	"github.com/gorgon-commerce/gorgon/store"
	"github.com/gorgon-commerce/gorgon/store/dbtest"
)

// swapReadyStore is an order captured and fulfilled, as a swap needs it.
func swapReadyStore(t *testing.T) (*store.Store, func(string, ...any) string, dbtest.PlacedOrder) {
	t.Helper()
	ctx := context.Background()
	s, db, o := orderActsStore(t)
	if err := s.CapturePayment(ctx, o.ID); err != nil {
		t.Fatal(err)
	}
	if err := s.CreateFulfillment(ctx, o.ID, store.CreateFulfillmentInput{Items: []store.FulfillmentItemInput{
		{ItemID: o.ManagedItem, Quantity: 2}, {ItemID: o.UnmanagedItem, Quantity: 1}}}); err != nil {
		t.Fatal(err)
	}
	return s, func(q string, args ...any) string { return textOf(t, db, q, args...) }, o
}

// runTwice runs fn in two goroutines at once and answers their errors.
func runTwice(fn func() error) [2]error {
	var errs [2]error
	var wg sync.WaitGroup
	for i := range errs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			errs[i] = fn()
		}()
	}
	wg.Wait()
	return errs
}

// Two requests with one idempotency key at once make one swap; two keys make two, one after
// the other (the order is locked), each with its own return and cart.
func TestSwapCreateConcurrent(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	s, text, o := swapReadyStore(t)
	in := store.CreateSwapInput{ReturnItems: []store.ReturnItemInput{{ItemID: o.UnmanagedItem, Quantity: 1}}, AllowBackorder: true}
	k, err := s.InitIdempotencyKey(ctx, "", "POST", "/"+o.ID+"/swaps", map[string]any{"id": o.ID})
	if err != nil {
		t.Fatal(err)
	}
	for _, err := range runTwice(func() error { return s.CreateSwap(ctx, o.ID, k.IdempotencyKey, in) }) {
		if err != nil {
			t.Fatal(err)
		}
	}
	if got := text(`SELECT count(*)::text FROM swap WHERE order_id = ?`, o.ID); got != "1" {
		t.Fatalf("one key made %s swaps", got)
	}
	in.ReturnItems[0].ItemID = o.ManagedItem
	errs := runTwice(func() error {
		k, err := s.InitIdempotencyKey(ctx, "", "POST", "/"+o.ID+"/swaps", map[string]any{"id": o.ID})
		if err != nil {
			return err
		}
		return s.CreateSwap(ctx, o.ID, k.IdempotencyKey, in)
	})
	for _, err := range errs {
		if err != nil {
			t.Fatal(err)
		}
	}
	if got := text(`SELECT concat_ws(' ', count(*), count(DISTINCT s.cart_id), (SELECT count(*) FROM "return" r WHERE r.swap_id IN
		(SELECT id FROM swap WHERE order_id = ?0)), (SELECT count(*) FROM line_item l JOIN swap x ON x.cart_id = l.cart_id WHERE x.order_id = ?0 AND l.is_return))
		FROM swap s WHERE s.order_id = ?0`, o.ID); got != "3 3 3 3" {
		t.Errorf("swaps, carts, returns, return lines: %s, want 3 of each", got)
	}
}

// Two settlements of one negative difference at once refund it once.
func TestSwapProcessDifferenceConcurrent(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	s, db, o := orderActsStore(t)
	if err := s.CapturePayment(ctx, o.ID); err != nil {
		t.Fatal(err)
	}
	sw := dbtest.PlaceSwap(t, db, o, 1)
	if _, err := db.ExecContext(ctx, `UPDATE swap SET difference_due = -700 WHERE id = ?`, sw.ID); err != nil {
		t.Fatal(err)
	}
	for _, err := range runTwice(func() error { return s.ProcessSwapDifference(ctx, o.ID, sw.ID) }) {
		if err != nil {
			t.Fatal(err)
		}
	}
	if got := textOf(t, db, `SELECT concat_ws(' ', s.payment_status, (SELECT string_agg(amount || '/' || reason, ',') FROM refund WHERE order_id = s.order_id),
		(SELECT count(*) FROM gorgon.event WHERE name = 'swap.refund_processed')) FROM swap s WHERE s.id = ?`, sw.ID); got != "difference_refunded 700/swap 1" {
		t.Errorf("after two settlements: %s", got)
	}
}
