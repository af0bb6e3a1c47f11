package store_test

import (
	"context"
	"fmt"
	"sync"
	"testing"

	"github.com/gorgon-commerce/gorgon/store"
	"github.com/gorgon-commerce/gorgon/store/dbtest"
	"github.com/gorgon-commerce/gorgon/store/password"
)

func init() { password.Params = password.Parameters{LogN: 4, R: 8, P: 1} }

// Concurrent updates of one row serialise (SELECT … FOR UPDATE): no metadata key is lost.
func TestConcurrentUpdatesLoseNothing(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	s := newStore(t, dbtest.New(t), store.Config{JWTSecret: "x"})
	u, err := s.CreateUser(ctx, store.CreateUserInput{Email: "c@test.com", Password: "pw"})
	if err != nil {
		t.Fatal(err)
	}
	const n = 16
	var wg sync.WaitGroup
	errs := make(chan error, n)
	for i := 0; i < n; i++ {
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			_, err := s.UpdateUser(ctx, u.ID, store.UpdateUserInput{Metadata: map[string]any{fmt.Sprintf("k%d", i): i}})
			errs <- err
		}(i)
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Fatal(err)
		}
	}
	got, err := s.GetUser(ctx, u.ID)
	if err != nil {
		t.Fatal(err)
	}
	if len(got.Metadata) != n {
		t.Fatalf("metadata has %d keys, want %d: %v", len(got.Metadata), n, got.Metadata)
	}
}

// Two instances starting at once on one database create the default rows once.
func TestEnsureDefaultsConcurrentAndIdempotent(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db := dbtest.NewSchema(t, dbtest.FlagOn)
	var wg sync.WaitGroup
	for i := 0; i < 4; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			s, err := store.New(ctx, db, store.Config{FeatureSalesChannels: true})
			if err == nil {
				err = s.EnsureDefaults(ctx)
			}
			if err != nil {
				t.Error(err)
			}
		}()
	}
	wg.Wait()
	var stores, profiles, channels, currencies int
	err := db.QueryRowContext(ctx, `SELECT (SELECT count(*) FROM store), (SELECT count(*) FROM shipping_profile),
		(SELECT count(*) FROM sales_channel), (SELECT count(*) FROM store_currencies WHERE currency_code = 'usd')`).
		Scan(&stores, &profiles, &channels, &currencies)
	if err != nil {
		t.Fatal(err)
	}
	if stores != 1 || profiles != 2 || channels != 1 || currencies != 1 {
		t.Fatalf("stores=%d profiles=%d channels=%d usd=%d", stores, profiles, channels, currencies)
	}
}
