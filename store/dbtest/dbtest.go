// Package dbtest gives each test its own PostgreSQL database, cloned from a template that Gorgon's
// migrations built once (pgtestdb): real PostgreSQL, independent tests, fast to create.
//
// The server is GORGON_TEST_PG (default postgres://postgres@127.0.0.1:5432, trust auth).
package dbtest

import (
	"context"
	"database/sql"
	"net/url"
	"os"
	"testing"

	_ "github.com/jackc/pgx/v5/stdlib" // registers the "pgx" database/sql driver
	"github.com/peterldowns/pgtestdb"
	"github.com/uptrace/bun"
	"github.com/uptrace/bun/dialect/pgdialect"

	"github.com/gorgon-commerce/gorgon/store/migrations"
	"github.com/gorgon-commerce/gorgon/store/model"
	"github.com/gorgon-commerce/gorgon/store/querycount"
)

// ServerURL is the PostgreSQL server tests run against.
func ServerURL() string {
	if u := os.Getenv("GORGON_TEST_PG"); u != "" {
		return u
	}
	return "postgres://postgres@127.0.0.1:5432"
}

// Config is pgtestdb's configuration for ServerURL.
func Config(t testing.TB) pgtestdb.Config {
	u, err := url.Parse(ServerURL())
	if err != nil {
		t.Fatalf("dbtest: GORGON_TEST_PG: %v", err)
	}
	pw, _ := u.User.Password()
	port := u.Port()
	if port == "" {
		port = "5432"
	}
	return pgtestdb.Config{
		DriverName: "pgx",
		Host:       u.Hostname(),
		Port:       port,
		User:       u.User.Username(),
		Password:   pw,
		Database:   "postgres",
		Options:    "sslmode=disable",
		// Tests run as the server's superuser so that they exercise the same privileges as
		// `gorgon migrate` does on a fresh machine.
		TestRole:                  &pgtestdb.Role{Username: u.User.Username(), Password: pw},
		ForceTerminateConnections: true,
	}
}

type migrator struct{}

func (migrator) Hash() (string, error) { return "gorgon-" + migrations.Fingerprint(), nil }

func (migrator) Migrate(ctx context.Context, db *sql.DB, _ pgtestdb.Config) error {
	return migrations.Up(ctx, bun.NewDB(db, pgdialect.New()))
}

// Migrator builds the template: Gorgon's migrations on an empty database.
func Migrator() pgtestdb.Migrator { return migrator{} }

// New returns a fresh migrated database for t, dropped when t passes. Queries issued with a
// context from querycount.With are counted.
func New(t testing.TB) *bun.DB {
	t.Helper()
	sqldb := pgtestdb.New(t, Config(t), migrator{})
	db := bun.NewDB(sqldb, pgdialect.New())
	db.AddQueryHook(querycount.Hook{})
	model.RegisterModels(db)
	return db
}

// Empty returns a fresh database with nothing in it (for migration tests).
func Empty(t testing.TB) *sql.DB {
	t.Helper()
	return pgtestdb.New(t, Config(t), pgtestdb.NoopMigrator{})
}
