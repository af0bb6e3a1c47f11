package store

import (
	"context"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/gorgon-commerce/gorgon/store/dbtest"
)

// A connection that hears its probe enables the authentication cache; one whose notifications go
// nowhere (as behind pgbouncer in transaction mode, imitated here by not listening) does not.
func TestProbeListener(t *testing.T) {
	// Not parallel: the parallel tests, which start listeners, run after it.
	defer func(d time.Duration) { listenerProbeWait = d }(listenerProbeWait)
	listenerProbeWait = 500 * time.Millisecond
	db := dbtest.New(t)
	s := &Store{DB: db}
	ctx := context.Background()
	var name string
	if err := db.QueryRow("SELECT current_database()").Scan(&name); err != nil {
		t.Fatal(err)
	}
	cfg, err := pgx.ParseConfig(dbtest.ServerURL() + "/" + name + "?sslmode=disable")
	if err != nil {
		t.Fatal(err)
	}
	for _, listen := range []bool{true, false} {
		pc, err := pgx.ConnectConfig(ctx, cfg)
		if err != nil {
			t.Fatal(err)
		}
		if listen {
			if _, err := pc.Exec(ctx, "LISTEN "+authChannel); err != nil {
				t.Fatal(err)
			}
		}
		start := time.Now()
		heard, err := s.probeListener(ctx, pc)
		pc.Close(ctx)
		if err != nil || heard != listen {
			t.Fatalf("listening %v: heard %v, err %v", listen, heard, err)
		}
		if !listen && time.Since(start) < listenerProbeWait {
			t.Fatalf("gave up after %v", time.Since(start))
		}
	}
}
