package store

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/uptrace/bun"

	"github.com/gorgon-commerce/gorgon/store/dbtest"
)

// TestFewerStatementsByRoundTrip: by default the store takes fewer statements only when its
// recent statements were all slow (the quickest at least slowRoundTrip: a far database), and
// SetFewerStatements overrides that both ways.
func TestFewerStatementsByRoundTrip(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db := dbtest.NewSchema(t, dbtest.FlagOn)
	s, err := New(ctx, db, Config{FeatureSalesChannels: true})
	if err != nil {
		t.Fatal(err)
	}
	x := extrasOf(s.DB)
	h := statementTimes{x}
	if s.fewerStatements() {
		t.Fatal("fewer statements before any statement")
	}
	record := func(d time.Duration) {
		h.AfterQuery(ctx, &bun.QueryEvent{StartTime: time.Now().Add(-d)})
	}
	for range roundTripSamples {
		record(300 * time.Millisecond) // behind a far network
	}
	if !s.fewerStatements() {
		t.Fatalf("slow round trips (quickest %v): level statements still", x.quickest())
	}
	record(200 * time.Microsecond) // one quick statement: the database is near after all
	if s.fewerStatements() {
		t.Fatalf("a quick statement among them (quickest %v): fewer statements", x.quickest())
	}
	for range roundTripSamples {
		record(300 * time.Millisecond)
	}
	if !s.fewerStatements() {
		t.Fatal("the quick statement never left the window")
	}
	SetFewerStatements(s.DB, false)
	if s.fewerStatements() {
		t.Fatal("off: fewer statements")
	}
	for range roundTripSamples {
		record(100 * time.Microsecond)
	}
	SetFewerStatements(s.DB, true)
	if !s.fewerStatements() {
		t.Fatal("on: level statements")
	}
	// On a real pool, the hook sees the statements: a local database is quick.
	var name string
	if err := db.QueryRowContext(ctx, "SELECT current_database()").Scan(&name); err != nil {
		t.Fatal(err)
	}
	real, err := OpenDB(strings.TrimSuffix(dbtest.ServerURL(), "/")+"/"+name+"?sslmode=disable", 2)
	if err != nil {
		t.Fatal(err)
	}
	defer real.Close()
	for range 4 {
		if _, err := real.ExecContext(ctx, "SELECT 1"); err != nil {
			t.Fatal(err)
		}
	}
	if q := extrasOf(real).quickest(); q <= 0 || q >= slowRoundTrip {
		t.Fatalf("local statements: quickest %v", q)
	}
}
