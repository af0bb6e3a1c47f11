package migrations

import (
	"context"
	"fmt"

	"github.com/uptrace/bun"
)

// Indexes added to migrations.Indexes after 20260101000003_gorgon_indexes (the count indexes
// gorgon_product_live and gorgon_customer_live, gorgon_product_option_product_id): a shop migrated
// before gets them here. A shop whose indexes were removed (`gorgon migrate --drop-indexes`)
// keeps none until `gorgon migrate --create-indexes`.
func init() { Migrations.MustRegister(createIndexesUnlessDropped, noDown) }

func createIndexesUnlessDropped(ctx context.Context, db *bun.DB) error {
	var present bool
	if err := db.QueryRowContext(ctx, `SELECT EXISTS (SELECT 1 FROM pg_catalog.pg_indexes
		WHERE schemaname = 'public' AND indexname LIKE 'gorgon\_%')`).Scan(&present); err != nil {
		return fmt.Errorf("look for gorgon indexes: %w", err)
	}
	if !present {
		return nil
	}
	return CreateIndexes(ctx, db)
}
