package store

import (
	"context"
	"testing"
	"time"

	"github.com/gorgon-commerce/gorgon/store/dbtest"
)

// TestFewerStatementsByRoundTrip: by default the store measures the round trip when a read asks
// (in the background: the read that asks goes on with the level statements) and takes fewer
// statements only when it is slow; SetFewerStatements overrides the measure both ways.
func TestFewerStatementsByRoundTrip(t *testing.T) {
	t.Parallel()
	db := dbtest.NewSchema(t, dbtest.FlagOn)
	s, err := New(context.Background(), db, Config{FeatureSalesChannels: true})
	if err != nil {
		t.Fatal(err)
	}
	x := extrasOf(s.DB)
	if s.fewerStatements() {
		t.Fatal("fewer statements before any round trip was measured")
	}
	for deadline := time.Now().Add(5 * time.Second); x.rtt.Load() == 0; time.Sleep(5 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatal("round trip never measured")
		}
	}
	if rtt := time.Duration(x.rtt.Load()); rtt >= slowRoundTrip || s.fewerStatements() {
		t.Fatalf("local database: round trip %v, fewer statements %v", rtt, s.fewerStatements())
	}
	x.rtt.Store(int64(20 * time.Millisecond)) // as measured behind a far network
	if !s.fewerStatements() {
		t.Fatal("slow round trip: level statements still")
	}
	SetFewerStatements(s.DB, false)
	if s.fewerStatements() {
		t.Fatal("off: fewer statements")
	}
	x.rtt.Store(0)
	SetFewerStatements(s.DB, true)
	if !s.fewerStatements() {
		t.Fatal("on: level statements")
	}
}
