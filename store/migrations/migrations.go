// Package migrations builds and upgrades the database Gorgon runs on.
//
// Medusa's own tables are created exactly as Medusa 1.3.8 leaves them (medusa_schema.sql, taken
// from a pg_dump of a Medusa-migrated database), and only on an empty database: on a database that
// Medusa already migrated, Gorgon recognises TypeORM's "migrations" table and changes none of
// Medusa's tables. Gorgon's own tables (sessions, jobs, its migration bookkeeping) live in the
// separate PostgreSQL schema "gorgon".
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
)

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

// medusaBaseline creates Medusa 1.3.8's schema and reference rows on an empty database, and does
// nothing on one that Medusa migrated.
func medusaBaseline(ctx context.Context, db *bun.DB) error {
	migrated, err := MedusaMigrated(ctx, db)
	if err != nil {
		return err
	}
	if migrated {
		slog.Info("database was migrated by Medusa: its tables are used as they are")
		return nil
	}
	return db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		if _, err := tx.ExecContext(ctx, medusaSchema); err != nil {
			return fmt.Errorf("create medusa schema: %w", err)
		}
		if _, err := tx.ExecContext(ctx, medusaSeed); err != nil {
			return fmt.Errorf("insert countries and currencies: %w", err)
		}
		// Record Medusa's migrations as TypeORM does, so that a Medusa 1.3.8 server pointed at
		// this database finds it up to date and a later Gorgon start recognises it.
		sc := bufio.NewScanner(strings.NewReader(medusaMigrations))
		for sc.Scan() {
			ts, name, ok := strings.Cut(strings.TrimSpace(sc.Text()), "|")
			if !ok {
				continue
			}
			if _, err := tx.ExecContext(ctx, `INSERT INTO public.migrations ("timestamp", name) VALUES (?, ?)`, ts, name); err != nil {
				return fmt.Errorf("record medusa migration %s: %w", name, err)
			}
		}
		return sc.Err()
	})
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

// Up applies every pending migration. Concurrent starts are serialised by an advisory lock, so
// several instances booting at once on one database migrate it exactly once.
func Up(ctx context.Context, db *bun.DB) error {
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
	return nil
}

// Fingerprint identifies the migrated state (test template databases are keyed by it).
func Fingerprint() string {
	h := sha256.New()
	for _, m := range Migrations.Sorted() {
		h.Write([]byte(m.Name + m.Comment + "\n"))
	}
	h.Write([]byte(medusaSchema + medusaSeed + medusaMigrations + gorgonSchema))
	return hex.EncodeToString(h.Sum(nil))[:16]
}
