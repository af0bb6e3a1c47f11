package migrations_test

import (
	"context"
	"database/sql"
	"slices"
	"strings"
	"testing"

	"github.com/uptrace/bun"
	"github.com/uptrace/bun/dialect/pgdialect"

	"github.com/gorgon-commerce/gorgon/store/dbtest"
	"github.com/gorgon-commerce/gorgon/store/migrations"
)

// gorgonIndexes lists the gorgon_… indexes of the schema public, with "(invalid)" after any that
// a concurrent build left invalid.
func gorgonIndexes(ctx context.Context, t *testing.T, db *sql.DB) []string {
	t.Helper()
	rows, err := db.QueryContext(ctx, `SELECT c.relname || CASE WHEN i.indisvalid THEN '' ELSE ' (invalid)' END
		FROM pg_catalog.pg_index i JOIN pg_catalog.pg_class c ON c.oid = i.indexrelid
		WHERE c.relnamespace = 'public'::regnamespace AND c.relname LIKE 'gorgon\_%' ORDER BY 1`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var names []string
	for rows.Next() {
		var n string
		if err := rows.Scan(&n); err != nil {
			t.Fatal(err)
		}
		names = append(names, n)
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	return names
}

// planUses requires the plan of query to use index, with sequential scans disfavoured so that the
// plan shows whether the index can serve the query at all (on a near-empty table a scan is always
// cheaper).
func planUses(ctx context.Context, t *testing.T, db *sql.DB, query, index string) {
	t.Helper()
	tx, err := db.BeginTx(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer tx.Rollback() //nolint:errcheck
	if _, err := tx.ExecContext(ctx, `SET LOCAL enable_seqscan = off`); err != nil {
		t.Fatal(err)
	}
	rows, err := tx.QueryContext(ctx, "EXPLAIN "+query)
	if err != nil {
		t.Fatalf("explain %s: %v", query, err)
	}
	defer rows.Close()
	var plan []string
	for rows.Next() {
		var l string
		if err := rows.Scan(&l); err != nil {
			t.Fatal(err)
		}
		plan = append(plan, l)
	}
	if !strings.Contains(strings.Join(plan, "\n"), index) {
		t.Errorf("%s does not use %s:\n%s", query, index, strings.Join(plan, "\n"))
	}
}

// TestGorgonIndexes: migrate builds every index of migrations.Indexes (valid, pg_trgm being
// available on the test server), the list queries can use them, --drop-indexes (DropIndexes)
// removes them all and a later migrate leaves them dropped, and CreateIndexes builds them again.
func TestGorgonIndexes(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	sqldb := dbtest.Empty(t)
	db := bun.NewDB(sqldb, pgdialect.New())
	if err := migrations.Up(ctx, db, migrations.Options{SalesChannels: true}); err != nil {
		t.Fatalf("migrations.Up: %v", err)
	}
	var want []string
	for _, ix := range migrations.Indexes {
		want = append(want, ix.Name)
	}
	slices.Sort(want)
	if got := gorgonIndexes(ctx, t, sqldb); !slices.Equal(got, want) {
		t.Fatalf("after migrate:\n got %v\nwant %v", got, want)
	}
	var trgmSchema string
	if err := sqldb.QueryRowContext(ctx, `SELECT extnamespace::regnamespace::text FROM pg_extension WHERE extname = 'pg_trgm'`).Scan(&trgmSchema); err != nil || trgmSchema != "gorgon" {
		t.Fatalf("pg_trgm in schema %q (%v), want gorgon", trgmSchema, err)
	}

	// The statements Gorgon's lists issue (store/find.go, store/products.go, store/customers.go).
	planUses(ctx, t, sqldb, `SELECT * FROM product WHERE product.deleted_at IS NULL ORDER BY product.created_at DESC, product.id DESC LIMIT 50 OFFSET 5000`, "gorgon_product_created_at")
	planUses(ctx, t, sqldb, `SELECT count(*) FROM product WHERE product.deleted_at IS NULL`, "gorgon_product_live")
	planUses(ctx, t, sqldb, `SELECT count(*) FROM customer WHERE customer.deleted_at IS NULL`, "gorgon_customer_live")
	planUses(ctx, t, sqldb, `SELECT * FROM product_option WHERE product_option.product_id IN ('prod_1', 'prod_2') AND product_option.deleted_at IS NULL`, "gorgon_product_option_product_id")
	planUses(ctx, t, sqldb, `SELECT * FROM customer WHERE customer.deleted_at IS NULL ORDER BY customer.created_at ASC, customer.id ASC LIMIT 50`, "gorgon_customer_created_at")
	planUses(ctx, t, sqldb, `SELECT * FROM product_variant WHERE product_variant.deleted_at IS NULL ORDER BY product_variant.created_at ASC, product_variant.id ASC LIMIT 50`, "gorgon_product_variant_created_at")
	planUses(ctx, t, sqldb, `SELECT * FROM "order" ORDER BY "order".created_at DESC, "order".id DESC LIMIT 50`, "gorgon_order_created_at")
	// A trigram index wins over a scan once the table holds rows to search.
	if _, err := sqldb.ExecContext(ctx, `INSERT INTO customer (id, email, first_name, last_name)
		SELECT 'cus_' || g, 'c' || g || '@example.com', 'First' || g, 'Last' || g FROM generate_series(1, 5000) g`); err != nil {
		t.Fatal(err)
	}
	// As autovacuum would: GIN's cost estimate reads the entry counts VACUUM writes.
	if _, err := sqldb.ExecContext(ctx, `VACUUM ANALYZE customer`); err != nil {
		t.Fatal(err)
	}
	planUses(ctx, t, sqldb, `SELECT count(*) FROM customer WHERE ((customer.email ILIKE '%smith%') OR (customer.first_name ILIKE '%smith%') OR (customer.last_name ILIKE '%smith%')) AND customer.deleted_at IS NULL`, "gorgon_customer_last_name_trgm")
	planUses(ctx, t, sqldb, `SELECT * FROM product WHERE EXISTS (SELECT 1 FROM product_variant pv JOIN money_amount ma ON ma.variant_id = pv.id AND ma.deleted_at IS NULL
		WHERE pv.product_id = product.id AND pv.deleted_at IS NULL AND ma.price_list_id IN ('pl_1'))`, "gorgon_money_amount_price_list_id")

	if err := migrations.DropIndexes(ctx, db); err != nil {
		t.Fatalf("DropIndexes: %v", err)
	}
	if got := gorgonIndexes(ctx, t, sqldb); len(got) != 0 {
		t.Fatalf("after DropIndexes: %v", got)
	}
	if err := migrations.Up(ctx, db, migrations.Options{SalesChannels: true}); err != nil {
		t.Fatalf("migrations.Up again: %v", err)
	}
	if got := gorgonIndexes(ctx, t, sqldb); len(got) != 0 {
		t.Fatalf("migrate after DropIndexes built them again: %v", got)
	}
	if err := migrations.CreateIndexes(ctx, db); err != nil {
		t.Fatalf("CreateIndexes: %v", err)
	}
	if got := gorgonIndexes(ctx, t, sqldb); !slices.Equal(got, want) {
		t.Fatalf("after CreateIndexes:\n got %v\nwant %v", got, want)
	}
}

// An index left invalid by an interrupted concurrent build is built again, not taken as done.
func TestCreateIndexesRebuildsInvalid(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	sqldb := dbtest.Empty(t)
	db := bun.NewDB(sqldb, pgdialect.New())
	if err := migrations.Up(ctx, db, migrations.Options{}); err != nil {
		t.Fatalf("migrations.Up: %v", err)
	}
	if _, err := sqldb.ExecContext(ctx, `UPDATE pg_catalog.pg_index SET indisvalid = false
		WHERE indexrelid = 'public.gorgon_customer_created_at'::regclass`); err != nil {
		t.Fatal(err)
	}
	if got := gorgonIndexes(ctx, t, sqldb); !slices.Contains(got, "gorgon_customer_created_at (invalid)") {
		t.Fatalf("setup: %v", got)
	}
	if err := migrations.CreateIndexes(ctx, db); err != nil {
		t.Fatalf("CreateIndexes: %v", err)
	}
	if got := gorgonIndexes(ctx, t, sqldb); !slices.Contains(got, "gorgon_customer_created_at") {
		t.Fatalf("after CreateIndexes: %v", got)
	}
}
