package store_test

import (
	"context"
	"fmt"
	"sync"
	"testing"

	"github.com/peterldowns/pgtestdb"

	"github.com/gorgon-commerce/gorgon/store"
	"github.com/gorgon-commerce/gorgon/store/dbtest"
)

// OpenDB's pool serves more concurrent clients than it has connections without closing any
// (no churn), and leaves no prepared statement in PostgreSQL for bun's one-off statements.
func TestOpenDBPool(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	conf := pgtestdb.Custom(t, dbtest.Config(t), pgtestdb.NoopMigrator{})
	db, err := store.OpenDB(conf.URL(), 8)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()

	var wg sync.WaitGroup
	errs := make(chan error, 24)
	for c := 0; c < 24; c++ { // three clients per connection
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; i < 20; i++ {
				var n int
				if err := db.QueryRowContext(ctx, `SELECT ?::int + 1, pg_sleep(0.001)`, c*100+i).Scan(&n, new(any)); err != nil {
					errs <- err
					return
				}
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Fatal(err)
	}
	st := db.Stats()
	if st.MaxOpenConnections != 8 || st.OpenConnections > 8 || st.MaxIdleClosed != 0 || st.MaxIdleTimeClosed != 0 || st.MaxLifetimeClosed != 0 {
		t.Fatalf("pool stats %+v", st)
	}
	if st.Idle != st.OpenConnections {
		t.Fatalf("idle %d of %d open: connections were closed after use", st.Idle, st.OpenConnections)
	}

	conn, err := db.Conn(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	for i := 0; i < 20; i++ {
		if _, err := conn.ExecContext(ctx, fmt.Sprintf(`SELECT %d`, i)); err != nil {
			t.Fatal(err)
		}
	}
	var prepared int
	if err := conn.QueryRowContext(ctx, `SELECT count(*) FROM pg_prepared_statements`).Scan(&prepared); err != nil || prepared != 0 {
		t.Fatalf("%d prepared statements held by the session (%v)", prepared, err)
	}

	def, err := store.OpenDB(conf.URL(), 0)
	if err != nil {
		t.Fatal(err)
	}
	defer def.Close()
	if n := def.Stats().MaxOpenConnections; n != store.DefaultPoolSize {
		t.Fatalf("default pool size %d", n)
	}
}
