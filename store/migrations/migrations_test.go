package migrations_test

import (
	"context"
	"testing"

	"github.com/uptrace/bun"
	"github.com/uptrace/bun/dialect/pgdialect"

	"github.com/gorgon-commerce/gorgon/store/dbtest"
	"github.com/gorgon-commerce/gorgon/store/migrations"
)

func TestUpOnEmptyDatabaseThenAgain(t *testing.T) {
	t.Parallel()
	db := bun.NewDB(dbtest.Empty(t), pgdialect.New())
	ctx := context.Background()
	if err := migrations.Up(ctx, db); err != nil {
		t.Fatal(err)
	}
	var countries, currencies, medusaMigrations int
	db.QueryRow(`SELECT (SELECT count(*) FROM country), (SELECT count(*) FROM currency), (SELECT count(*) FROM migrations)`).Scan(&countries, &currencies, &medusaMigrations)
	if countries != 250 || currencies != 120 || medusaMigrations != 43 {
		t.Fatalf("countries=%d currencies=%d migrations=%d, want 250 120 43", countries, currencies, medusaMigrations)
	}
	ok, err := migrations.MedusaMigrated(ctx, db)
	if err != nil || !ok {
		t.Fatalf("MedusaMigrated = %v, %v", ok, err)
	}
	// A second run is a no-op.
	if err := migrations.Up(ctx, db); err != nil {
		t.Fatal(err)
	}
}
