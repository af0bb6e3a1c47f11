// Package migrations builds and upgrades the database Gorgon runs on.
//
// Medusa's own tables are created exactly as Medusa 1.3.8 leaves them (medusa_schema.sql, taken
// from a pg_dump of a Medusa-migrated database), and only on an empty database: on a database that
// Medusa already migrated, Gorgon recognises TypeORM's "migrations" table and changes none of
// Medusa's tables, except that it runs Medusa's feature-flagged migrations whose flag is on and
// that the database lacks, as `medusa migrations run` would. Gorgon's own tables (sessions, jobs,
// its migration bookkeeping) live in the separate PostgreSQL schema "gorgon".
package migrations

import (
	"bufio"
	"context"
	"crypto/sha256"
	"database/sql"
	_ "embed"
	"encoding/hex"
	"fmt"
	"log/slog"
	"strings"

	"github.com/uptrace/bun"
	"github.com/uptrace/bun/migrate"
)

var (
	//go:embed medusa_schema.sql
	medusaSchema string
	//go:embed medusa_seed.sql
	medusaSeed string
	//go:embed medusa_migrations.txt
	medusaMigrations string
	//go:embed medusa_sales_channels.sql
	medusaSalesChannels string
)

// Options are the settings that decide which of Medusa's migrations apply: Medusa runs a
// migration that declares a feature flag only while that flag is on.
type Options struct {
	// SalesChannels mirrors MEDUSA_FF_SALES_CHANNELS (Medusa's sales_channels flag).
	SalesChannels bool
}

// flaggedMigration is one of Medusa's migrations that run only under a feature flag.
type flaggedMigration struct {
	name string // TypeORM's migration name, as in the migrations table
	sql  string
	on   func(Options) bool
}

// flaggedMigrations are Medusa 1.3.8's feature-flagged migrations (`export const featureFlag`);
// medusa_migrations.txt lists them in their place among the others.
var flaggedMigrations = []flaggedMigration{
	{name: "salesChannel1656949291839", sql: medusaSalesChannels, on: func(o Options) bool { return o.SalesChannels }},
}

// timestamp is the migration's TypeORM timestamp, from medusa_migrations.txt.
func (f flaggedMigration) timestamp() string {
	for _, r := range medusaMigrationRows() {
		if r[1] == f.name {
			return r[0]
		}
	}
	panic("migrations: " + f.name + " is not in medusa_migrations.txt")
}

func flagged(name string) *flaggedMigration {
	for i := range flaggedMigrations {
		if flaggedMigrations[i].name == name {
			return &flaggedMigrations[i]
		}
	}
	return nil
}

// medusaMigrationRows are medusa_migrations.txt's rows: TypeORM's timestamp and name.
func medusaMigrationRows() [][2]string {
	var rows [][2]string
	sc := bufio.NewScanner(strings.NewReader(medusaMigrations))
	for sc.Scan() {
		if ts, name, ok := strings.Cut(strings.TrimSpace(sc.Text()), "|"); ok {
			rows = append(rows, [2]string{ts, name})
		}
	}
	return rows
}

// optionsKey carries Options to the registered migrations, whose signature bun fixes.
type optionsKey struct{}

func optionsFrom(ctx context.Context) Options {
	o, _ := ctx.Value(optionsKey{}).(Options)
	return o
}

// Migrations is Gorgon's ordered migration list. Names are timestamps, as bun/migrate sorts them.
var Migrations = migrate.NewMigrations()

func noDown(context.Context, *bun.DB) error { return nil }

func execSQL(q string) migrate.MigrationFunc {
	return func(ctx context.Context, db *bun.DB) error {
		return db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
			_, err := tx.ExecContext(ctx, q)
			return err
		})
	}
}

// medusaBaseline creates Medusa 1.3.8's schema and reference rows on an empty database, with the
// flagged migrations whose flag is on, and does nothing on one that Medusa migrated.
func medusaBaseline(ctx context.Context, db *bun.DB) error {
	migrated, err := MedusaMigrated(ctx, db)
	if err != nil {
		return err
	}
	if migrated {
		slog.Info("database was migrated by Medusa: its tables are used as they are")
		return nil
	}
	opts := optionsFrom(ctx)
	return db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		if _, err := tx.ExecContext(ctx, medusaSchema); err != nil {
			return fmt.Errorf("create medusa schema: %w", err)
		}
		if _, err := tx.ExecContext(ctx, medusaSeed); err != nil {
			return fmt.Errorf("insert countries and currencies: %w", err)
		}
		// Record Medusa's migrations as TypeORM does (in timestamp order, the flagged ones only
		// when they ran), so that a Medusa 1.3.8 server pointed at this database finds it up to
		// date and a later Gorgon start recognises it.
		for _, r := range medusaMigrationRows() {
			if f := flagged(r[1]); f != nil {
				if !f.on(opts) {
					continue
				}
				if _, err := tx.ExecContext(ctx, f.sql); err != nil {
					return fmt.Errorf("medusa migration %s: %w", f.name, err)
				}
			}
			if _, err := tx.ExecContext(ctx, `INSERT INTO public.migrations ("timestamp", name) VALUES (?, ?)`, r[0], r[1]); err != nil {
				return fmt.Errorf("record medusa migration %s: %w", r[1], err)
			}
		}
		return nil
	})
}

// runFlaggedMigrations runs, on a Medusa-migrated database, each flagged migration whose flag is
// on and that the migrations table does not list, and records it, as `medusa migrations run`
// does once a flag is switched on (TypeORM runs every migration it has no row for, older ones
// included). A flag switched off later leaves the tables in place, as Medusa does.
func runFlaggedMigrations(ctx context.Context, db *bun.DB, opts Options) error {
	for _, f := range flaggedMigrations {
		if !f.on(opts) {
			continue
		}
		err := db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
			var n int
			if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM public.migrations WHERE name = ?`, f.name).Scan(&n); err != nil {
				return fmt.Errorf("read medusa migrations: %w", err)
			}
			if n > 0 {
				return nil
			}
			if _, err := tx.ExecContext(ctx, f.sql); err != nil {
				return fmt.Errorf("medusa migration %s: %w", f.name, err)
			}
			if _, err := tx.ExecContext(ctx, `INSERT INTO public.migrations ("timestamp", name) VALUES (?, ?)`, f.timestamp(), f.name); err != nil {
				return fmt.Errorf("record medusa migration %s: %w", f.name, err)
			}
			slog.Info("ran Medusa's feature-flagged migration", "migration", f.name)
			return nil
		})
		if err != nil {
			return err
		}
	}
	return nil
}

// MedusaMigrated reports whether TypeORM's migrations table exists and holds Medusa's initial
// migration, i.e. whether Medusa's tables are already there.
func MedusaMigrated(ctx context.Context, db bun.IDB) (bool, error) {
	var reg sql.NullString
	if err := db.QueryRowContext(ctx, `SELECT to_regclass('public.migrations')::text`).Scan(&reg); err != nil {
		return false, fmt.Errorf("look for medusa migrations table: %w", err)
	}
	if !reg.Valid {
		return false, nil
	}
	var n int
	if err := db.QueryRowContext(ctx, `SELECT count(*) FROM public.migrations WHERE name = 'initialSchema1611063162649'`).Scan(&n); err != nil {
		return false, fmt.Errorf("read medusa migrations: %w", err)
	}
	return n > 0, nil
}

// Up applies every pending migration, and Medusa's flagged migrations that opts switch on.
// Concurrent starts are serialised by an advisory lock, so several instances booting at once on
// one database migrate it exactly once.
func Up(ctx context.Context, db *bun.DB, opts Options) error {
	ctx = context.WithValue(ctx, optionsKey{}, opts)
	conn, err := db.Conn(ctx)
	if err != nil {
		return fmt.Errorf("migrate: %w", err)
	}
	defer conn.Close()
	const lockKey = 0x676f72676f6e // "gorgon"
	if _, err := conn.ExecContext(ctx, `SELECT pg_advisory_lock(?)`, lockKey); err != nil {
		return fmt.Errorf("migrate: take lock: %w", err)
	}
	defer conn.ExecContext(context.WithoutCancel(ctx), `SELECT pg_advisory_unlock(?)`, lockKey) //nolint:errcheck

	if _, err := db.ExecContext(ctx, `CREATE SCHEMA IF NOT EXISTS gorgon`); err != nil {
		return fmt.Errorf("migrate: create schema gorgon: %w", err)
	}
	m := migrate.NewMigrator(db, Migrations,
		migrate.WithTableName("gorgon.bun_migrations"),
		migrate.WithLocksTableName("gorgon.bun_migration_locks"),
		migrate.WithMarkAppliedOnSuccess(true))
	if err := m.Init(ctx); err != nil {
		return fmt.Errorf("migrate: init: %w", err)
	}
	group, err := m.Migrate(ctx)
	if err != nil {
		return fmt.Errorf("migrate: %w", err)
	}
	if !group.IsZero() {
		slog.Info("migrated database", "group", group.ID, "migrations", group.Migrations.String())
	}
	if err := runFlaggedMigrations(ctx, db, opts); err != nil {
		return err
	}
	return riverUp(ctx, db)
}

// Fingerprint identifies the state Up(opts) leaves (test template databases are keyed by it).
func Fingerprint(opts Options) string {
	h := sha256.New()
	fmt.Fprintf(h, "%+v\n", opts)
	for _, m := range Migrations.Sorted() {
		h.Write([]byte(m.Name + m.Comment + "\n"))
	}
	h.Write([]byte(medusaSchema + medusaSeed + medusaMigrations + medusaSalesChannels + gorgonSchema + indexesFingerprint() + riverFingerprint()))
	return hex.EncodeToString(h.Sum(nil))[:16]
}
