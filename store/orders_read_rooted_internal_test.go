package store

import (
	"encoding/json"
	"testing"

	"github.com/gorgon-commerce/gorgon/store/dbtest"
)

// TestOrderRootedGenericPlan: the one-statement order read answers what the level by level read
// does, and runs with PostgreSQL's generic plan from its first execution (left to itself,
// PostgreSQL planned it anew for every order: 20 ms of 21).
func TestOrderRootedGenericPlan(t *testing.T) {
	t.Parallel()
	ctx := t.Context()
	db := dbtest.New(t)
	s, err := New(ctx, db, Config{})
	if err != nil {
		t.Fatal(err)
	}
	db.SetMaxOpenConns(1) // one session: the prepared statements counted are its
	a, b := dbtest.PlaceOrder(t, db, 1), dbtest.PlaceOrder(t, db, 2)
	read := func(id string) string {
		v, err := s.RetrieveOrder(ctx, id, Find{})
		if err != nil {
			t.Fatal(err)
		}
		j, err := json.Marshal(v)
		if err != nil {
			t.Fatal(err)
		}
		return string(j)
	}
	SetFewerStatements(s.DB, false)
	want := read(a.ID)
	SetFewerStatements(s.DB, true)
	for i, id := range []string{a.ID, b.ID, a.ID} {
		if got := read(id); id == a.ID && got != want {
			t.Fatalf("read %d in one statement:\n%s\nlevel by level:\n%s", i+1, got, want)
		}
	}
	var generic, custom int64
	if err := db.QueryRowContext(ctx, `SELECT generic_plans, custom_plans FROM pg_prepared_statements
		WHERE statement LIKE '%lvl_r1%'`).Scan(&generic, &custom); err != nil {
		t.Fatal(err)
	}
	if generic != 3 || custom != 0 {
		t.Errorf("one-statement read: %d generic plans, %d custom; want 3 and 0", generic, custom)
	}
}
