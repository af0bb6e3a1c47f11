package main

import (
	"context"
	"strings"
	"testing"

	"github.com/peterldowns/pgtestdb"

	"github.com/gorgon-commerce/gorgon/store/dbtest"
)

// DATABASE_FEWER_STATEMENTS takes auto, on or off; anything else stops the server before it
// serves, saying what it wants.
func TestOpenDatabaseFewerStatements(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	url := pgtestdb.Custom(t, dbtest.Config(t), pgtestdb.NoopMigrator{}).URL()
	for _, v := range []string{"", "auto", "on", "off"} {
		db, _, stop, err := openDatabase(ctx, &config{DatabaseURL: url, FewerStatements: v})
		if err != nil {
			t.Fatalf("%q: %v", v, err)
		}
		if err := db.PingContext(ctx); err != nil {
			t.Fatalf("%q: %v", v, err)
		}
		stop()
	}
	_, _, _, err := openDatabase(ctx, &config{DatabaseURL: url, FewerStatements: "yes"})
	if err == nil || !strings.Contains(err.Error(), `DATABASE_FEWER_STATEMENTS "yes": want auto, on or off`) {
		t.Fatalf("bad value: %v", err)
	}
}
