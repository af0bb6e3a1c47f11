package migrations

import (
	"context"
	"fmt"
	"strconv"

	"github.com/riverqueue/river/riverdriver/riverdatabasesql"
	"github.com/riverqueue/river/rivermigrate"
	"github.com/uptrace/bun"
)

// RiverSchema is the PostgreSQL schema of River's tables (the durable job queue behind batch
// jobs): Gorgon's own schema, so Medusa's "public" keeps exactly Medusa's shape.
const RiverSchema = "gorgon"

// riverUp brings River's tables in the gorgon schema to the version of the River module Gorgon
// is built with. River keeps its own version table (gorgon.river_migration), so this is a no-op
// once they are current; Up runs it under its advisory lock.
func riverUp(ctx context.Context, db *bun.DB) error {
	m, err := rivermigrate.New(riverdatabasesql.New(db.DB), &rivermigrate.Config{Schema: RiverSchema})
	if err != nil {
		return fmt.Errorf("migrate river: %w", err)
	}
	if _, err := m.Migrate(ctx, rivermigrate.DirectionUp, nil); err != nil {
		return fmt.Errorf("migrate river: %w", err)
	}
	return nil
}

// riverFingerprint names River's latest migration, so test templates are rebuilt when River's
// schema changes.
func riverFingerprint() string {
	m, err := rivermigrate.New(riverdatabasesql.New(nil), &rivermigrate.Config{Schema: RiverSchema})
	if err != nil {
		panic(err)
	}
	all := m.AllVersions()
	return "river:" + strconv.Itoa(all[len(all)-1].Version)
}
