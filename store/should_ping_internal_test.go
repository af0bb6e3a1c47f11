package store

import (
	"context"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/stdlib"
	"github.com/peterldowns/pgtestdb"

	"github.com/gorgon-commerce/gorgon/store/dbtest"
)

// A pooled connection idle for a second to 30 seconds is used without a ping while it is sound,
// and pinged (so replaced) once the server has closed it; one idle longer is always pinged.
func TestShouldPing(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	conf := pgtestdb.Custom(t, dbtest.Config(t), pgtestdb.NoopMigrator{})
	conn, err := pgx.Connect(ctx, conf.URL())
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(ctx)
	ping := func(idle time.Duration) bool {
		return shouldPing(ctx, stdlib.ShouldPingParams{Conn: conn, IdleDuration: idle})
	}
	if ping(500*time.Millisecond) || ping(10*time.Second) {
		t.Fatal("a sound connection idle for up to 30 s is pinged")
	}
	if !ping(time.Minute) {
		t.Fatal("a connection idle for a minute is not pinged")
	}
	other, err := pgx.Connect(ctx, conf.URL())
	if err != nil {
		t.Fatal(err)
	}
	defer other.Close(ctx)
	if _, err := other.Exec(ctx, "SELECT pg_terminate_backend($1)", conn.PgConn().PID()); err != nil {
		t.Fatal(err)
	}
	for deadline := time.Now().Add(5 * time.Second); !ping(10 * time.Second); {
		if time.Now().After(deadline) {
			t.Fatal("a connection the server closed is not pinged")
		}
		time.Sleep(10 * time.Millisecond)
	}
}
