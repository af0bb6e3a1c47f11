package store

import (
	"context"
	"fmt"
	"testing"

	"github.com/gorgon-commerce/gorgon/store/dbtest"
)

// TestCountBySnapshot: a list's count is exact across commits of other sessions (inserts,
// soft deletes, a transaction in flight and then committed), and a page read in the snapshot of
// the remembered count takes that count without counting.
func TestCountBySnapshot(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db := dbtest.New(t)
	s, err := New(ctx, db, Config{FeatureSalesChannels: dbtest.DefaultSchema(t) == dbtest.FlagOn})
	if err != nil {
		t.Fatal(err)
	}
	insert := func(i int) {
		t.Helper()
		if _, err := db.ExecContext(ctx, `INSERT INTO customer (id, email) VALUES (?, ?)`,
			fmt.Sprintf("cus_count%02d", i), fmt.Sprintf("count%02d@example.com", i)); err != nil {
			t.Fatal(err)
		}
	}
	count := func() int {
		t.Helper()
		_, n, err := s.ListCustomers(ctx, CustomerFilter{}, Page{Limit: 2})
		if err != nil {
			t.Fatal(err)
		}
		return n
	}
	want := func(n int) {
		t.Helper()
		for range 2 { // counted, then (unless something committed meanwhile) remembered
			if got := count(); got != n {
				t.Fatalf("count %d, want %d", got, n)
			}
		}
	}
	for i := range 3 {
		insert(i)
	}
	want(3)
	insert(3)
	want(4)
	if _, err := db.ExecContext(ctx, `UPDATE customer SET deleted_at = now() WHERE id = 'cus_count00'`); err != nil {
		t.Fatal(err)
	}
	want(3)
	// A transaction in flight is in the snapshot's list of running ones: its rows are not
	// counted, and its commit changes the snapshot.
	tx, err := db.BeginTx(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO customer (id, email) VALUES ('cus_count_tx', 'tx@example.com')`); err != nil {
		t.Fatal(err)
	}
	want(3)
	if err := tx.Commit(); err != nil {
		t.Fatal(err)
	}
	want(4)

	// The remembered count is used when the snapshot is the same. Other tests commit in this
	// cluster all the time, so a page may see a newer snapshot and count: try until one does not.
	cache := &extrasOf(db).counts
	for attempt := 0; ; attempt++ {
		if attempt == 200 {
			t.Fatal("no page was read in the remembered snapshot in 200 attempts")
		}
		var snapshot string
		if err := db.QueryRowContext(ctx, `SELECT pg_current_snapshot()::text`).Scan(&snapshot); err != nil {
			t.Fatal(err)
		}
		cache.mu.Lock()
		if len(cache.entries) != 1 {
			cache.mu.Unlock()
			t.Fatalf("%d remembered counts, want 1", len(cache.entries))
		}
		for k, e := range cache.entries {
			cache.entries[k] = countEntry{snapshot: snapshot, n: 99, trouble: e.trouble}
		}
		cache.mu.Unlock()
		if count() == 99 {
			break
		}
	}
	// Trouble with the connection forgets every remembered count.
	for range 20 {
		var snapshot string
		if err := db.QueryRowContext(ctx, `SELECT pg_current_snapshot()::text`).Scan(&snapshot); err != nil {
			t.Fatal(err)
		}
		cache.mu.Lock()
		for k, e := range cache.entries {
			cache.entries[k] = countEntry{snapshot: snapshot, n: 99, trouble: e.trouble}
		}
		cache.mu.Unlock()
		connectionTrouble.Add(1)
		if got := count(); got != 4 {
			t.Fatalf("count %d after connection trouble, want 4", got)
		}
	}
}
