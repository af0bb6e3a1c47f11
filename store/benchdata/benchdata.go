// Package benchdata fills a database with a large synthetic shop for benchmarks and load tests:
// products with variants, prices, options, tags, types, collections and sales channels, written
// with set-based SQL (generate_series) so 10,000 products take seconds, not minutes.
//
// Ids keep Medusa's form (prefix + 26 Crockford base32 characters) and are deterministic, so
// benchmark requests can name them: product i is ProductID(i).
package benchdata

import (
	"context"
	"fmt"

	"github.com/uptrace/bun"
)

// Catalog sizes a synthetic catalog.
type Catalog struct {
	Products    int // e.g. 10,000
	VariantsPer int // variants per product, e.g. 5
	Currencies  []string
	Tags        int
	Types       int
	Collections int
	PriceLists  int // price lists, each with one price for every 10th variant
}

// Default is the catalog of the performance issue: 10k products, 50k variants, 150k prices.
var Default = Catalog{Products: 10000, VariantsPer: 5, Currencies: []string{"usd", "eur", "gbp"},
	Tags: 50, Types: 10, Collections: 20, PriceLists: 2}

// ProductID is the id of product i (1-based).
func ProductID(i int) string { return fmt.Sprintf("prod_%026X", i) }

// PriceListID is the id of price list i (1-based).
func PriceListID(i int) string { return fmt.Sprintf("pl_%026X", i) }

// Build writes the catalog in one transaction on a migrated database that has Gorgon's start-up
// defaults (store, shipping profiles, and the default sales channel when the database has sales
// channels).
func Build(ctx context.Context, db *bun.DB, c Catalog) error {
	return db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		for _, cur := range c.Currencies {
			if _, err := tx.ExecContext(ctx, `INSERT INTO store_currencies (store_id, currency_code)
				SELECT id, ? FROM store ON CONFLICT DO NOTHING`, cur); err != nil {
				return fmt.Errorf("store currency: %w", err)
			}
		}
		// The sales channel links need the sales_channels migration (MEDUSA_FF_SALES_CHANNELS).
		var salesChannels bool
		if err := tx.QueryRowContext(ctx, `SELECT to_regclass('public.product_sales_channel') IS NOT NULL`).Scan(&salesChannels); err != nil {
			return fmt.Errorf("benchdata: look for sales channels: %w", err)
		}
		steps := []struct {
			what string
			sql  string
			args []any
		}{
			{"types", `INSERT INTO product_type (id, value) SELECT 'ptyp_' || lpad(upper(to_hex(i)), 26, '0'), 'Type ' || i
				FROM generate_series(1, ?) i`, []any{c.Types}},
			{"tags", `INSERT INTO product_tag (id, value) SELECT 'ptag_' || lpad(upper(to_hex(i)), 26, '0'), 'tag-' || i
				FROM generate_series(1, ?) i`, []any{c.Tags}},
			{"collections", `INSERT INTO product_collection (id, title, handle) SELECT 'pcol_' || lpad(upper(to_hex(i)), 26, '0'),
				'Collection ' || i, 'collection-' || i FROM generate_series(1, ?) i`, []any{c.Collections}},
			{"products", `INSERT INTO product (id, title, subtitle, description, handle, is_giftcard, status, thumbnail, profile_id,
					weight, type_id, collection_id, discountable, created_at, updated_at)
				SELECT 'prod_' || lpad(upper(to_hex(i)), 26, '0'), 'Product ' || i, NULL,
					'Description of product ' || i || (CASE WHEN i % 7 = 0 THEN ' in organic cotton' ELSE '' END),
					'product-' || i, false,
					(CASE WHEN i % 10 = 0 THEN 'draft' ELSE 'published' END)::product_status_enum,
					'http://localhost:9000/uploads/thumb-' || i || '.jpg',
					(SELECT id FROM shipping_profile WHERE type = 'default' AND deleted_at IS NULL LIMIT 1),
					400, 'ptyp_' || lpad(upper(to_hex(1 + i % ?)), 26, '0'), 'pcol_' || lpad(upper(to_hex(1 + i % ?)), 26, '0'), true,
					now() - make_interval(secs => i), now() - make_interval(secs => i)
				FROM generate_series(1, ?) i`, []any{c.Types, c.Collections, c.Products}},
			{"product tags", `INSERT INTO product_tags (product_id, product_tag_id)
				SELECT 'prod_' || lpad(upper(to_hex(i)), 26, '0'), 'ptag_' || lpad(upper(to_hex(1 + (i + k) % ?)), 26, '0')
				FROM generate_series(1, ?) i, generate_series(0, 1) k`, []any{c.Tags, c.Products}},
			{"sales channels", `INSERT INTO product_sales_channel (product_id, sales_channel_id)
				SELECT 'prod_' || lpad(upper(to_hex(i)), 26, '0'), s.default_sales_channel_id
				FROM generate_series(1, ?) i, store s WHERE s.default_sales_channel_id IS NOT NULL`, []any{c.Products}},
			{"images", `INSERT INTO image (id, url) SELECT 'img_' || lpad(upper(to_hex(i)), 26, '0'),
				'http://localhost:9000/uploads/img-' || i || '.jpg' FROM generate_series(1, ?) i`, []any{c.Products}},
			{"product images", `INSERT INTO product_images (product_id, image_id) SELECT 'prod_' || lpad(upper(to_hex(i)), 26, '0'),
				'img_' || lpad(upper(to_hex(i)), 26, '0') FROM generate_series(1, ?) i`, []any{c.Products}},
			{"options", `INSERT INTO product_option (id, title, product_id) SELECT 'opt_' || lpad(upper(to_hex(i)), 26, '0'), 'Size',
				'prod_' || lpad(upper(to_hex(i)), 26, '0') FROM generate_series(1, ?) i`, []any{c.Products}},
			{"variants", `INSERT INTO product_variant (id, title, product_id, sku, inventory_quantity, allow_backorder,
					manage_inventory, variant_rank, created_at, updated_at)
				SELECT 'variant_' || lpad(upper(to_hex((i - 1) * ? + v)), 26, '0'), 'Size ' || v,
					'prod_' || lpad(upper(to_hex(i)), 26, '0'), 'SKU-' || i || '-' || v, 100, false, true, v - 1,
					now() - make_interval(secs => i), now() - make_interval(secs => i)
				FROM generate_series(1, ?) i, generate_series(1, ?) v`, []any{c.VariantsPer, c.Products, c.VariantsPer}},
			{"option values", `INSERT INTO product_option_value (id, value, option_id, variant_id)
				SELECT 'optval_' || lpad(upper(to_hex((i - 1) * ? + v)), 26, '0'), 'Size ' || v,
					'opt_' || lpad(upper(to_hex(i)), 26, '0'), 'variant_' || lpad(upper(to_hex((i - 1) * ? + v)), 26, '0')
				FROM generate_series(1, ?) i, generate_series(1, ?) v`, []any{c.VariantsPer, c.VariantsPer, c.Products, c.VariantsPer}},
			{"prices", `INSERT INTO money_amount (id, currency_code, amount, variant_id)
				SELECT 'ma_' || lpad(upper(to_hex((n - 1) * ? + k)), 26, '0'), cur, 1000 + (n % 97) * 10 + k, 'variant_' || lpad(upper(to_hex(n)), 26, '0')
				FROM generate_series(1, ?) n, unnest(?::text[]) WITH ORDINALITY AS c(cur, k)`,
				[]any{len(c.Currencies), c.Products * c.VariantsPer, pgArray(c.Currencies)}},
			{"price lists", `INSERT INTO price_list (id, name, description, type, status)
				SELECT 'pl_' || lpad(upper(to_hex(i)), 26, '0'), 'Sale ' || i, 'Synthetic price list ' || i, 'sale', 'active'
				FROM generate_series(1, ?) i`, []any{c.PriceLists}},
			{"price list prices", `INSERT INTO money_amount (id, currency_code, amount, variant_id, price_list_id)
				SELECT 'ma_' || lpad(upper(to_hex(? + (p - 1) * ? + n)), 26, '0'), ?, 500 + n % 50,
					'variant_' || lpad(upper(to_hex(n)), 26, '0'), 'pl_' || lpad(upper(to_hex(p)), 26, '0')
				FROM generate_series(1, ?) p, generate_series(1, ?, 10) n`,
				[]any{c.Products * c.VariantsPer * len(c.Currencies), c.Products * c.VariantsPer, first(c.Currencies), c.PriceLists, c.Products * c.VariantsPer}},
		}
		for _, st := range steps {
			if st.what == "sales channels" && !salesChannels {
				continue
			}
			if _, err := tx.ExecContext(ctx, st.sql, st.args...); err != nil {
				return fmt.Errorf("benchdata %s: %w", st.what, err)
			}
		}
		_, err := tx.ExecContext(ctx, `ANALYZE`)
		return err
	})
}

func first(s []string) string {
	if len(s) == 0 {
		return "usd"
	}
	return s[0]
}

// pgArray renders a text[] literal.
func pgArray(s []string) string {
	out := "{"
	for i, v := range s {
		if i > 0 {
			out += ","
		}
		out += `"` + v + `"`
	}
	return out + "}"
}
