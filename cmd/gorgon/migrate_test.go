package main

import (
	"context"
	"database/sql"
	"testing"

	"github.com/peterldowns/pgtestdb"

	"github.com/gorgon-commerce/gorgon/store/dbtest"
	"github.com/gorgon-commerce/gorgon/store/migrations"
)

// `gorgon migrate` builds Gorgon's indexes, `--drop-indexes` removes them (and a plain migrate
// then leaves them dropped), `--create-indexes` builds them again.
func TestMigrateIndexCommands(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	conf := pgtestdb.Custom(t, dbtest.Config(t), pgtestdb.NoopMigrator{})
	url := conf.URL()
	db, err := sql.Open("pgx", url)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	count := func() int {
		t.Helper()
		var n int
		if err := db.QueryRowContext(ctx, `SELECT count(*) FROM pg_indexes WHERE schemaname = 'public' AND indexname LIKE 'gorgon\_%'`).Scan(&n); err != nil {
			t.Fatal(err)
		}
		return n
	}
	steps := []struct {
		args []string
		want int
	}{
		{nil, len(migrations.Indexes)},
		{[]string{"--drop-indexes"}, 0},
		{nil, 0},
		{[]string{"--create-indexes"}, len(migrations.Indexes)},
	}
	for _, s := range steps {
		if err := migrateCmd(ctx, append([]string{"--database-url", url}, s.args...)); err != nil {
			t.Fatalf("migrate %v: %v", s.args, err)
		}
		if n := count(); n != s.want {
			t.Fatalf("after migrate %v: %d gorgon indexes, want %d", s.args, n, s.want)
		}
	}
}
