package benchdata

import (
	"context"
	"fmt"

	"github.com/uptrace/bun"
)

// Orders sizes the orders of the orders issue, built on a Catalog (the items' variants) and a
// Commerce configuration (customers, regions, discounts).
type Orders struct {
	Orders   int // e.g. 50,000
	ItemsPer int // line items per order, e.g. 3
}

// DefaultOrders: 50,000 orders with 150,000 line items (each with a tax line), a shipping
// method with its tax line, a payment; every other order captured and fulfilled (a
// fulfilment of all its items), every tenth with a discount (adjustments) and a refund.
var DefaultOrders = Orders{Orders: 50000, ItemsPer: 3}

// OrderID is the id of order i (1-based); its display id is i.
func OrderID(i int) string { return fmt.Sprintf("order_%026X", i) }

// BuildOrders writes the orders in one transaction, over a catalog of catalogVariants variants
// and a commerce configuration cm already built.
func BuildOrders(ctx context.Context, db *bun.DB, o Orders, cm Commerce, catalogVariants int) error {
	hex := func(prefix, expr string) string {
		return fmt.Sprintf("'%s_' || lpad(upper(to_hex(%s)), 26, '0')", prefix, expr)
	}
	n, items := o.Orders, o.Orders*o.ItemsPer
	steps := []struct {
		what string
		sql  string
		args []any
	}{
		{"shipping options", `INSERT INTO shipping_option (id, name, region_id, profile_id, provider_id, price_type, amount, data)
			SELECT ` + hex("so", "i") + `, 'Standard ' || i, ` + hex("reg", "i") + `,
				(SELECT id FROM shipping_profile WHERE type = 'default' AND deleted_at IS NULL LIMIT 1), 'manual', 'flat_rate', 500, '{}'
			FROM generate_series(1, ?) i`, []any{cm.Regions}},
		{"addresses", `INSERT INTO address (id, customer_id, first_name, last_name, address_1, city, country_code, postal_code)
			SELECT ` + hex("addr", "i") + `, ` + hex("cus", "1 + i % ?") + `, 'First' || (1 + i % ?),
				(ARRAY['Smith','Jones','Brown','Garcia','Miller'])[1 + i % 5], i || ' Main Street', 'Springfield', NULL, '1000'
			FROM generate_series(1, ?) i`, []any{cm.Customers, cm.Customers, n}},
		{"orders", `INSERT INTO "order" (id, status, fulfillment_status, payment_status, display_id, customer_id, email,
				billing_address_id, shipping_address_id, region_id, currency_code, created_at, updated_at, metadata)
			SELECT ` + hex("order", "i") + `, 'pending', (CASE WHEN i % 2 = 0 THEN 'fulfilled' ELSE 'not_fulfilled' END)::order_fulfillment_status_enum,
				(CASE WHEN i % 10 = 0 THEN 'partially_refunded' WHEN i % 2 = 0 THEN 'captured' ELSE 'awaiting' END)::order_payment_status_enum,
				i, ` + hex("cus", "1 + i % ?") + `, 'customer' || (1 + i % ?) || '@example.com', ` + hex("addr", "i") + `, ` + hex("addr", "i") + `,
				` + hex("reg", "1 + i % ?") + `, 'usd', now() - make_interval(secs => ? - i), now() - make_interval(secs => ? - i), '{}'
			FROM generate_series(1, ?) i`, []any{cm.Customers, cm.Customers, cm.Regions, n, n, n}},
		{"display ids", `SELECT setval(pg_get_serial_sequence('"order"', 'display_id'), ?)`, []any{n}},
		{"line items", `INSERT INTO line_item (id, order_id, title, description, unit_price, variant_id, quantity, allow_discounts,
				has_shipping, should_merge, fulfilled_quantity, created_at, updated_at, metadata)
			SELECT ` + hex("item", "k") + `, ` + hex("order", "1 + (k - 1) / ?") + `, 'Product ' || k % 1000, 'Size M',
				1000 + (k % 97) * 10, ` + hex("variant", "1 + (k * 7) % ?") + `, 1 + k % 3, true, true, true,
				(CASE WHEN ((k - 1) / ?) % 2 = 1 THEN 1 + k % 3 END), now() - make_interval(secs => ? - (k - 1) / ?), now(), '{}'
			FROM generate_series(1, ?) k`, []any{o.ItemsPer, catalogVariants, o.ItemsPer, n, o.ItemsPer, items}},
		{"item tax lines", `INSERT INTO line_item_tax_line (id, item_id, rate, name, code)
			SELECT ` + hex("litl", "k") + `, ` + hex("item", "k") + `, 20, 'default', 'default' FROM generate_series(1, ?) k`, []any{items}},
		{"order discounts", `INSERT INTO order_discounts (order_id, discount_id)
			SELECT ` + hex("order", "i") + `, ` + hex("disc", "1 + (i / 10) % ?") + ` FROM generate_series(10, ?, 10) i`, []any{cm.Discounts, n}},
		{"adjustments", `INSERT INTO line_item_adjustment (id, item_id, description, discount_id, amount)
			SELECT ` + hex("lia", "k") + `, ` + hex("item", "k") + `, 'discount', ` + hex("disc", "1 + (((k - 1) / ?) + 1) / 10 % ?") + `, 100
			FROM generate_series(1, ?) k WHERE ((k - 1) / ? + 1) % 10 = 0`, []any{o.ItemsPer, cm.Discounts, items, o.ItemsPer}},
		{"shipping methods", `INSERT INTO shipping_method (id, shipping_option_id, order_id, price, data)
			SELECT ` + hex("sm", "i") + `, ` + hex("so", "1 + i % ?") + `, ` + hex("order", "i") + `, 500, '{}' FROM generate_series(1, ?) i`, []any{cm.Regions, n}},
		{"shipping tax lines", `INSERT INTO shipping_method_tax_line (id, shipping_method_id, rate, name, code)
			SELECT ` + hex("smtl", "i") + `, ` + hex("sm", "i") + `, 20, 'default', 'default' FROM generate_series(1, ?) i`, []any{n}},
		{"payments", `INSERT INTO payment (id, order_id, amount, currency_code, amount_refunded, provider_id, data, captured_at, created_at, updated_at)
			SELECT ` + hex("pay", "i") + `, ` + hex("order", "i") + `, 5000 + i % 1000, 'usd', CASE WHEN i % 10 = 0 THEN 500 ELSE 0 END,
				'manual', '{}', CASE WHEN i % 2 = 0 THEN now() END, now() - make_interval(secs => ? - i), now()
			FROM generate_series(1, ?) i`, []any{n, n}},
		{"refunds", `INSERT INTO refund (id, order_id, amount, reason)
			SELECT ` + hex("ref", "i") + `, ` + hex("order", "i") + `, 500, 'other' FROM generate_series(10, ?, 10) i`, []any{n}},
		{"fulfillments", `INSERT INTO fulfillment (id, order_id, provider_id, data, tracking_numbers, created_at, updated_at)
			SELECT ` + hex("ful", "i") + `, ` + hex("order", "i") + `, 'manual', '{}', '[]', now(), now() FROM generate_series(2, ?, 2) i`, []any{n}},
		{"fulfillment items", `INSERT INTO fulfillment_item (fulfillment_id, item_id, quantity)
			SELECT ` + hex("ful", "1 + (k - 1) / ?") + `, ` + hex("item", "k") + `, 1 + k % 3 FROM generate_series(1, ?) k
			WHERE ((k - 1) / ?) % 2 = 1`, []any{o.ItemsPer, items, o.ItemsPer}},
	}
	return db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		for _, st := range steps {
			if _, err := tx.ExecContext(ctx, st.sql, st.args...); err != nil {
				return fmt.Errorf("benchdata %s: %w", st.what, err)
			}
		}
		return nil
	})
}
