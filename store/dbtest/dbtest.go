// Package dbtest gives each test its own PostgreSQL database, cloned from a template that Gorgon's
// migrations built once (pgtestdb): real PostgreSQL, independent tests, fast to create.
//
// The server is GORGON_TEST_PG (default postgres://postgres@127.0.0.1:5432, trust auth).
//
// Medusa 1.3.8 databases come in two shapes, with or without the tables and columns of its
// sales_channels feature flag; there is a template for each. New uses the one GORGON_TEST_SCHEMA
// names (flagon, the default, or flagoff), so a whole suite runs on either:
//
//	GORGON_TEST_SCHEMA=flagoff go test ./rest/
package dbtest

import (
	"context"
	"database/sql"
	"fmt"
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
	"github.com/gorgon-commerce/gorgon/store/sqlhooks"
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
		// The statement mode Gorgon runs with (store.OpenDB): one round trip per statement,
		// results in text format.
		Options: "sslmode=disable&default_query_exec_mode=exec",
		// Tests run as the server's superuser so that they exercise the same privileges as
		// `gorgon migrate` does on a fresh machine.
		TestRole:                  &pgtestdb.Role{Username: u.User.Username(), Password: pw},
		ForceTerminateConnections: true,
	}
}

// Schema names a shape of Medusa 1.3.8's database.
type Schema string

const (
	// FlagOn is the schema Medusa's migrations leave with MEDUSA_FF_SALES_CHANNELS on: sales
	// channel tables, store.default_sales_channel_id, cart and order sales_channel_id.
	FlagOn Schema = "flagon"
	// FlagOff is the schema without them, as most shops' databases are.
	FlagOff Schema = "flagoff"
)

// SchemaEnv is the environment variable that picks the schema of New's databases.
const SchemaEnv = "GORGON_TEST_SCHEMA"

// Options are the migration options that build s.
func (s Schema) Options() migrations.Options {
	return migrations.Options{SalesChannels: s == FlagOn}
}

// SalesChannels reports whether s has the sales channel tables (so a store on it runs with the
// sales_channels flag on).
func (s Schema) SalesChannels() bool { return s == FlagOn }

// SchemaFromEnv is the schema GORGON_TEST_SCHEMA names, FlagOn when it is unset.
func SchemaFromEnv() (Schema, error) {
	switch v := Schema(os.Getenv(SchemaEnv)); v {
	case "":
		return FlagOn, nil
	case FlagOn, FlagOff:
		return v, nil
	default:
		return "", fmt.Errorf("dbtest: %s=%q: want %q or %q", SchemaEnv, v, FlagOn, FlagOff)
	}
}

// DefaultSchema is SchemaFromEnv for a test, which fails on a bad value.
func DefaultSchema(t testing.TB) Schema {
	t.Helper()
	s, err := SchemaFromEnv()
	if err != nil {
		t.Fatal(err)
	}
	return s
}

type migrator struct{ schema Schema }

func (m migrator) Hash() (string, error) {
	return "gorgon-" + migrations.Fingerprint(m.schema.Options()), nil
}

func (m migrator) Migrate(ctx context.Context, db *sql.DB, _ pgtestdb.Config) error {
	return migrations.Up(ctx, bun.NewDB(db, pgdialect.New()), m.schema.Options())
}

// Migrator builds the template of schema s: Gorgon's migrations on an empty database.
func Migrator(s Schema) pgtestdb.Migrator { return migrator{s} }

// New returns a fresh migrated database for t of DefaultSchema, dropped when t passes. Queries
// issued with a context from querycount.With are counted.
func New(t testing.TB) *bun.DB {
	t.Helper()
	return NewSchema(t, DefaultSchema(t))
}

// NewSchema is New with schema s whatever GORGON_TEST_SCHEMA says (tests about one shape).
func NewSchema(t testing.TB, s Schema) *bun.DB {
	t.Helper()
	sqldb := pgtestdb.New(t, Config(t), migrator{s})
	db := bun.NewDB(sqldb, pgdialect.New())
	sqlhooks.Add(db, querycount.Hook{})
	model.RegisterModels(db)
	return db
}

// Empty returns a fresh database with nothing in it (for migration tests).
func Empty(t testing.TB) *sql.DB {
	t.Helper()
	return pgtestdb.New(t, Config(t), pgtestdb.NoopMigrator{})
}
