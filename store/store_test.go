package store_test

import (
	"context"
	"testing"

	"github.com/uptrace/bun"

	"github.com/gorgon-commerce/gorgon/store"
)

// newStore is store.New for tests.
func newStore(t testing.TB, db *bun.DB, cfg store.Config) *store.Store {
	t.Helper()
	s, err := store.New(context.Background(), db, cfg)
	if err != nil {
		t.Fatal(err)
	}
	return s
}
