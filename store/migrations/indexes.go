package migrations

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"log/slog"
	"strings"

	"github.com/uptrace/bun"
)

// Gorgon's indexes on Medusa's tables. Medusa 1.3.8 has no index for the orders and filters its
// own admin lists use (products newest first, customers oldest first, `q` as ILIKE '%…%'), so
// every page is a sequential scan and a sort of the whole table. Gorgon adds its own, all named
// gorgon_…: Medusa and its migrations never look at indexes they did not create, so the database
// stays a Medusa 1.3.8 database (TestSchemaMatchesMedusaReference ignores exactly these). They are
// built CONCURRENTLY, i.e. without blocking writes on a live shop, which PostgreSQL allows only
// outside a transaction. DropIndexes removes them all.

// IndexPrefix starts the name of every index Gorgon adds to Medusa's tables.
const IndexPrefix = "gorgon_"

// Index is one of Gorgon's indexes on a Medusa table.
type Index struct {
	Name  string
	Table string
	// Using is the index's method and column list, e.g. "btree (created_at, id)"; %s stands for
	// pg_trgm's operator class (schema-qualified) in trigram indexes.
	Using string
	// Where is the predicate of a partial index; empty for a full one.
	Where string
	// Trigram indexes need the pg_trgm extension; without it they are skipped.
	Trigram bool
	// Why names the queries it serves (README "Indexes").
	Why string
}

// listOrder is the index of a list ordered by created_at with the id tiebreak Gorgon adds (read
// backwards for created_at DESC), restricted to the rows a list shows. It also lets the list's
// count(*) run as an index-only scan of a small index instead of a scan of the table.
func listOrder(table, where, why string) Index {
	return Index{Name: IndexPrefix + table + "_created_at", Table: table, Using: "btree (created_at, id)", Where: where, Why: why}
}

// trigram is a pg_trgm GIN index, which serves ILIKE '%…%' (the `q` searches) for patterns of
// three characters or more.
// liveRows is an index of one constant key over the rows a list shows, for the list's unfiltered
// count(*): btree deduplication stores its entries as a few pages of row pointers (19 pages for
// 20,000 customers, where the created_at index has 255), so the count is an index-only scan of a
// tiny index, about half the time of a scan of the table or of the list order's index.
func liveRows(table, why string) Index {
	return Index{Name: IndexPrefix + table + "_live", Table: table, Using: "btree ((deleted_at IS NULL))", Where: notDeleted, Why: why}
}

func trigram(table, column, why string) Index {
	return Index{Name: IndexPrefix + table + "_" + column + "_trgm", Table: table, Using: "gin (" + column + " %s)", Trigram: true, Why: why}
}

const notDeleted = "deleted_at IS NULL"

// Indexes are all of Gorgon's indexes, in the order they are built.
var Indexes = []Index{
	listOrder("product", notDeleted, "GET /admin/products (created_at DESC, id DESC) and its count"),
	listOrder("product_variant", notDeleted, "GET /admin/variants (created_at, id) and its count"),
	listOrder("customer", notDeleted, "GET /admin/customers (created_at, id) and its count"),
	listOrder("customer_group", notDeleted, "GET /admin/customer-groups"),
	listOrder("price_list", notDeleted, "GET /admin/price-lists"),
	listOrder("discount", notDeleted, "GET /admin/discounts"),
	listOrder("gift_card", notDeleted, "GET /admin/gift-cards"),
	listOrder("region", notDeleted, "GET /admin/regions"),
	listOrder("product_collection", notDeleted, "GET /admin/collections"),
	listOrder("tax_rate", "", "GET /admin/tax-rates"),
	listOrder("notification", "parent_id IS NULL", "GET /admin/notifications"),
	listOrder("order", "", "the order lists (created_at DESC)"),
	liveRows("product", "the count of GET /admin/products without filters"),
	liveRows("customer", "the count of GET /admin/customers without filters"),
	{Name: IndexPrefix + "product_option_product_id", Table: "product_option", Using: "btree (product_id)", Where: notDeleted,
		Why: "the options of a page of products (every product read: GET /admin/products, /admin/products/:id, …)"},
	{Name: IndexPrefix + "money_amount_price_list_id", Table: "money_amount", Using: "btree (price_list_id)", Where: notDeleted,
		Why: "a price list's prices; GET /admin/price-lists/:id/products, the price_list_id filter of GET /admin/products"},
	trigram("product", "title", "q of GET /admin/products and /admin/variants"),
	trigram("product", "description", "q of GET /admin/products"),
	trigram("product_variant", "title", "q of GET /admin/products and /admin/variants"),
	trigram("product_variant", "sku", "q of GET /admin/products and /admin/variants"),
	trigram("product_collection", "title", "q of GET /admin/products and /admin/collections"),
	trigram("customer", "email", "q of GET /admin/customers"),
	trigram("customer", "first_name", "q of GET /admin/customers"),
	trigram("customer", "last_name", "q of GET /admin/customers"),
	trigram("discount", "code", "q of GET /admin/discounts"),
	trigram("gift_card", "code", "q of GET /admin/gift-cards"),
	trigram("order", "email", "q of GET /admin/orders"),
	trigram("address", "first_name", "q of GET /admin/orders (the shipping address's first name)"),
}

// definition is the CREATE INDEX statement of ix, with trgmOps the operator class of pg_trgm.
func (ix Index) definition(trgmOps string) string {
	using := ix.Using
	if ix.Trigram {
		using = fmt.Sprintf(using, trgmOps)
	}
	q := fmt.Sprintf(`CREATE INDEX CONCURRENTLY IF NOT EXISTS %s ON public.%q USING %s`, ix.Name, ix.Table, using)
	if ix.Where != "" {
		q += " WHERE " + ix.Where
	}
	return q
}

// indexesFingerprint is the text of every definition, so that test templates are rebuilt when
// the list changes.
func indexesFingerprint() string {
	var b strings.Builder
	for _, ix := range Indexes {
		b.WriteString(ix.definition("gin_trgm_ops") + "\n")
	}
	return b.String()
}

// trigramOps makes pg_trgm available (in the schema gorgon, so that Medusa's schema public gets
// no functions or types of it) and returns its GIN operator class, schema-qualified. A shop that
// already has pg_trgm keeps it where it is. It returns "" when the extension cannot be created
// (not installed on the server, or no right to create it): the searches then scan, as Medusa's do.
func trigramOps(ctx context.Context, db *bun.DB) string {
	schema, err := trgmSchema(ctx, db)
	if err == nil && schema == "" {
		if _, err = db.ExecContext(ctx, `CREATE EXTENSION IF NOT EXISTS pg_trgm SCHEMA gorgon`); err == nil {
			schema, err = trgmSchema(ctx, db)
		}
	}
	if err != nil || schema == "" {
		slog.Warn("pg_trgm is not available: q searches scan their tables (no trigram indexes)", "err", err)
		return ""
	}
	return fmt.Sprintf("%q.gin_trgm_ops", schema)
}

func trgmSchema(ctx context.Context, db *bun.DB) (string, error) {
	var schema string
	err := db.QueryRowContext(ctx, `SELECT n.nspname FROM pg_catalog.pg_extension x
		JOIN pg_catalog.pg_namespace n ON n.oid = x.extnamespace WHERE x.extname = 'pg_trgm'`).Scan(&schema)
	if errors.Is(err, sql.ErrNoRows) {
		return "", nil
	}
	if err != nil {
		return "", fmt.Errorf("look for pg_trgm: %w", err)
	}
	return schema, nil
}

// CreateIndexes builds Gorgon's indexes that the database lacks, concurrently. An index left
// invalid by an interrupted concurrent build is dropped and built again. Indexes on tables the
// database does not have are skipped.
func CreateIndexes(ctx context.Context, db *bun.DB) error {
	ops := trigramOps(ctx, db)
	var created []string
	for _, ix := range Indexes {
		if ix.Trigram && ops == "" {
			continue
		}
		var tableExists bool
		var valid sql.NullBool
		err := db.QueryRowContext(ctx, `SELECT to_regclass(?) IS NOT NULL,
			(SELECT i.indisvalid FROM pg_catalog.pg_index i WHERE i.indexrelid = to_regclass(?))`,
			fmt.Sprintf("public.%q", ix.Table), "public."+ix.Name).Scan(&tableExists, &valid)
		if err != nil {
			return fmt.Errorf("index %s: %w", ix.Name, err)
		}
		if !tableExists || (valid.Valid && valid.Bool) {
			continue
		}
		if valid.Valid { // left invalid by a build that did not finish
			if _, err := db.ExecContext(ctx, `DROP INDEX CONCURRENTLY IF EXISTS public.`+ix.Name); err != nil {
				return fmt.Errorf("drop invalid index %s: %w", ix.Name, err)
			}
		}
		if _, err := db.ExecContext(ctx, ix.definition(ops)); err != nil {
			return fmt.Errorf("create index %s: %w", ix.Name, err)
		}
		created = append(created, ix.Name)
	}
	if len(created) > 0 {
		slog.Info("created indexes", "indexes", strings.Join(created, ", "))
	}
	return nil
}

// DropIndexes removes every gorgon_… index from the schema public (Gorgon's, including any an
// earlier version created), concurrently, leaving Medusa's schema exactly as Medusa built it.
// pg_trgm stays installed in the schema gorgon.
func DropIndexes(ctx context.Context, db *bun.DB) error {
	var names []string
	if err := db.NewRaw(`SELECT indexname FROM pg_catalog.pg_indexes WHERE schemaname = 'public' AND indexname LIKE ?`,
		strings.ReplaceAll(IndexPrefix, "_", `\_`)+"%").Scan(ctx, &names); err != nil {
		return fmt.Errorf("list gorgon indexes: %w", err)
	}
	for _, n := range names {
		if _, err := db.ExecContext(ctx, fmt.Sprintf(`DROP INDEX CONCURRENTLY IF EXISTS public.%q`, n)); err != nil {
			return fmt.Errorf("drop index %s: %w", n, err)
		}
	}
	slog.Info("dropped indexes", "indexes", strings.Join(names, ", "))
	return nil
}
