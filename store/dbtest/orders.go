package dbtest

import (
	"context"
	"fmt"
	"testing"

	"github.com/uptrace/bun"
)

// PlacedOrder names the rows of an order PlaceOrder wrote.
type PlacedOrder struct {
	ID, CartID, CustomerID, AddressID, RegionID, PaymentID, ShippingMethodID, ShippingOptionID string
	ProfileID, ProductID                                                                       string
	// ManagedItem is the line item of 2 units of ManagedVariant (inventory managed, 4 left in
	// stock after the order); UnmanagedItem 1 unit of UnmanagedVariant.
	ManagedItem, UnmanagedItem, ManagedVariant, UnmanagedVariant string
}

// PlaceOrder writes an order n (ids ending in n, so several orders can share a database) the
// way Medusa 1.3.8 leaves one after a store cart completes (copied column by column from an
// order placed through the reference server's store API): region "EU" (eur, 20%, countries de and
// fr) with the manual providers, a product with a managed and an unmanaged variant at 10.00,
// 2 + 1 units in the order with 20% tax lines, the region's 8.00 shipping option (manual
// provider) as its shipping method with a 20% tax line, an authorized manual payment of 45.60,
// status pending, fulfillment not_fulfilled, payment awaiting, the item quantity columns null.
// The region, profile, option and product are written once per database (by the first order).
func PlaceOrder(t testing.TB, db bun.IDB, n int) PlacedOrder {
	t.Helper()
	id := func(prefix string, k int) string { return fmt.Sprintf("%s_01GACTS%019d", prefix, k) }
	o := PlacedOrder{
		ID: id("order", n), CartID: id("cart", n), CustomerID: id("cus", n), AddressID: id("addr", n),
		RegionID: id("reg", 0), PaymentID: id("pay", n), ShippingMethodID: id("sm", n), ShippingOptionID: id("so", 0),
		ProfileID: id("sp", 0), ProductID: id("prod", 0),
		ManagedItem: id("item", 2*n), UnmanagedItem: id("item", 2*n+1),
		ManagedVariant: id("variant", 1), UnmanagedVariant: id("variant", 2),
	}
	stmts := []string{
		`INSERT INTO fulfillment_provider (id, is_installed) VALUES ('manual', true) ON CONFLICT DO NOTHING`,
		`INSERT INTO payment_provider (id, is_installed) VALUES ('manual', true) ON CONFLICT DO NOTHING`,
		fmt.Sprintf(`INSERT INTO region (id, name, currency_code, tax_rate, tax_code, gift_cards_taxable, automatic_taxes, created_at, updated_at)
			VALUES ('%[1]s', 'EU', 'eur', 20, 'EU-VAT', true, true, '2026-12-07 14:43:24.4+00', '2026-12-07 14:43:24.4+00') ON CONFLICT DO NOTHING`, o.RegionID),
		fmt.Sprintf(`UPDATE country SET region_id = '%s' WHERE iso_2 IN ('de', 'fr')`, o.RegionID),
		fmt.Sprintf(`INSERT INTO region_payment_providers VALUES ('%s', 'manual') ON CONFLICT DO NOTHING`, o.RegionID),
		fmt.Sprintf(`INSERT INTO region_fulfillment_providers VALUES ('%s', 'manual') ON CONFLICT DO NOTHING`, o.RegionID),
		fmt.Sprintf(`INSERT INTO shipping_profile (id, name, type) VALUES ('%s', 'Acts profile', 'custom') ON CONFLICT DO NOTHING`, o.ProfileID),
		fmt.Sprintf(`INSERT INTO shipping_option (id, name, region_id, profile_id, provider_id, price_type, amount, is_return, admin_only, data,
			created_at, updated_at) VALUES ('%s', 'EU Standard', '%s', '%s', 'manual', 'flat_rate', 800, false, false,
			'{"id": "manual-fulfillment"}', '2026-12-07 14:43:24.482+00', '2026-12-07 14:43:24.482+00') ON CONFLICT DO NOTHING`,
			o.ShippingOptionID, o.RegionID, o.ProfileID),
		fmt.Sprintf(`INSERT INTO product (id, title, handle, is_giftcard, status, profile_id, discountable, created_at, updated_at)
			VALUES ('%s', 'Acts', 'acts', false, 'published', '%s', true, '2026-12-07 14:45:40+00', '2026-12-07 14:45:40+00') ON CONFLICT DO NOTHING`,
			o.ProductID, o.ProfileID),
		fmt.Sprintf(`INSERT INTO product_variant (id, title, product_id, inventory_quantity, allow_backorder, manage_inventory, variant_rank,
			created_at, updated_at) VALUES ('%s', 'Managed', '%[3]s', 4, false, true, 0, '2026-12-07 14:45:40+00', '2026-12-07 14:45:40+00'),
			('%[2]s', 'Unmanaged', '%[3]s', 10, false, false, 1, '2026-12-07 14:45:40+00', '2026-12-07 14:45:40+00') ON CONFLICT DO NOTHING`,
			o.ManagedVariant, o.UnmanagedVariant, o.ProductID),
		fmt.Sprintf(`INSERT INTO customer (id, email, has_account, created_at, updated_at)
			VALUES ('%s', 'acts-%d@example.com', false, '2026-12-07 14:45:46.085+00', '2026-12-07 14:45:46.085+00')`, o.CustomerID, n),
		fmt.Sprintf(`INSERT INTO address (id, first_name, last_name, address_1, city, country_code, postal_code, created_at, updated_at)
			VALUES ('%s', 'A', 'Acts%d', '1 Road', 'C', 'de', '1000', '2026-12-07 14:45:46.085+00', '2026-12-07 14:45:46.085+00')`, o.AddressID, n),
		fmt.Sprintf(`INSERT INTO cart (id, email, shipping_address_id, region_id, customer_id, type, completed_at, created_at, updated_at,
			context, payment_authorized_at) VALUES ('%s', 'acts-%d@example.com', '%s', '%s', '%s', 'default', '2026-12-07 14:45:52.125+00',
			'2026-12-07 14:45:40.1+00', '2026-12-07 14:45:52.125+00', '{}', '2026-12-07 14:45:51.432+00')`,
			o.CartID, n, o.AddressID, o.RegionID, o.CustomerID),
		fmt.Sprintf(`INSERT INTO "order" (id, status, fulfillment_status, payment_status, cart_id, customer_id, email, shipping_address_id,
			region_id, currency_code, created_at, updated_at, metadata) VALUES ('%s', 'pending', 'not_fulfilled', 'awaiting', '%s', '%s',
			'acts-%d@example.com', '%s', '%s', 'eur', '2026-12-07 14:45:52.125194+00', '2026-12-07 14:45:52.125194+00', '{}')`,
			o.ID, o.CartID, o.CustomerID, n, o.AddressID, o.RegionID),
		fmt.Sprintf(`INSERT INTO line_item (id, cart_id, order_id, title, description, is_giftcard, should_merge, allow_discounts,
			has_shipping, unit_price, variant_id, quantity, created_at, updated_at, metadata, is_return) VALUES
			('%[1]s', '%[3]s', '%[4]s', 'Acts managed', 'One', false, true, true, true, 1000, '%[5]s', 2, '2026-12-07 14:45:42.983508+00',
			'2026-12-07 14:45:52.125194+00', '{}', false),
			('%[2]s', '%[3]s', '%[4]s', 'Acts unmanaged', 'One', false, true, true, true, 1000, '%[6]s', 1, '2026-12-07 14:45:44.179405+00',
			'2026-12-07 14:45:52.125194+00', '{}', false)`, o.ManagedItem, o.UnmanagedItem, o.CartID, o.ID, o.ManagedVariant, o.UnmanagedVariant),
		fmt.Sprintf(`INSERT INTO line_item_tax_line (id, rate, name, code, created_at, updated_at, item_id) VALUES
			('%s', 20, 'default', 'default', '2026-12-07 14:45:51.148534+00', '2026-12-07 14:45:51.148534+00', '%s'),
			('%s', 20, 'default', 'default', '2026-12-07 14:45:51.148534+00', '2026-12-07 14:45:51.148534+00', '%s')`,
			id("litl", 2*n), o.ManagedItem, id("litl", 2*n+1), o.UnmanagedItem),
		fmt.Sprintf(`INSERT INTO shipping_method (id, shipping_option_id, order_id, cart_id, price, data) VALUES
			('%s', '%s', '%s', '%s', 800, '{"id": "manual-fulfillment"}')`, o.ShippingMethodID, o.ShippingOptionID, o.ID, o.CartID),
		fmt.Sprintf(`INSERT INTO shipping_method_tax_line (id, rate, name, code, created_at, updated_at, shipping_method_id) VALUES
			('%s', 20, 'default', 'default', '2026-12-07 14:45:51.148534+00', '2026-12-07 14:45:51.148534+00', '%s')`,
			id("smtl", n), o.ShippingMethodID),
		fmt.Sprintf(`INSERT INTO payment (id, cart_id, order_id, amount, currency_code, amount_refunded, provider_id, data, created_at, updated_at)
			VALUES ('%s', '%s', '%s', 4560, 'eur', 0, 'manual', '{"status": "authorized"}', '2026-12-07 14:45:51.432119+00',
			'2026-12-07 14:45:52.125194+00')`, o.PaymentID, o.CartID, o.ID),
		fmt.Sprintf(`UPDATE cart SET payment_id = '%s' WHERE id = '%s'`, o.PaymentID, o.CartID),
	}
	ctx := context.Background()
	for _, s := range stmts {
		if _, err := db.ExecContext(ctx, s); err != nil {
			t.Fatalf("dbtest.PlaceOrder: %v\n%s", err, s)
		}
	}
	return o
}

// PlacedSwap names the rows of a swap PlaceSwap wrote.
type PlacedSwap struct {
	ID, CartID, ItemID, ReturnLineID, ShippingMethodID, PaymentID, ReturnID string
}

// PlaceSwap writes a swap on order o the way Medusa 1.3.8 leaves one whose cart was completed
// through the store API (copied column by column from the reference server): the order's
// unmanaged unit returned (a requested return refunding 12.00) for a new unit of the same
// variant, shipped by the region's option (8.00, 20% tax), the difference of 9.60 authorized
// with the manual provider; fulfillment not_fulfilled, payment awaiting, confirmed. The order
// should be captured and fulfilled first, as Medusa requires.
func PlaceSwap(t testing.TB, db bun.IDB, o PlacedOrder, n int) PlacedSwap {
	t.Helper()
	id := func(prefix string, k int) string { return fmt.Sprintf("%s_01GACTS%019d", prefix, k) }
	s := PlacedSwap{ID: id("swap", n), CartID: id("cart", 100+n), ItemID: id("item", 100+2*n), ReturnLineID: id("item", 101+2*n),
		ShippingMethodID: id("sm", 100+n), PaymentID: id("pay", 100+n), ReturnID: id("ret", 100+n)}
	stmts := []string{
		fmt.Sprintf(`INSERT INTO cart (id, email, shipping_address_id, region_id, customer_id, type, completed_at, created_at, updated_at,
			metadata, context, payment_authorized_at) SELECT '%s', email, shipping_address_id, region_id, customer_id, 'swap',
			'2026-12-07 15:25:10.332+00', '2026-12-07 15:25:04.084696+00', '2026-12-07 15:25:09.915626+00',
			'{"swap_id": "%s", "parent_order_id": "%s"}', '{}', '2026-12-07 15:25:09.883+00' FROM "order" WHERE id = '%[3]s'`, s.CartID, s.ID, o.ID),
		fmt.Sprintf(`INSERT INTO swap (id, fulfillment_status, payment_status, order_id, difference_due, shipping_address_id, cart_id,
			confirmed_at, created_at, updated_at, idempotency_key, allow_backorder) SELECT '%s', 'not_fulfilled', 'awaiting', '%s', 960,
			shipping_address_id, '%s', '2026-12-07 15:25:10.267+00', '2026-12-07 15:25:04.084696+00', '2026-12-07 15:25:09.915626+00',
			'39fd08b4-c667-4b75-b9a3-61f22988be1b', true FROM "order" WHERE id = '%[2]s'`, s.ID, o.ID, s.CartID),
		fmt.Sprintf(`INSERT INTO line_item (id, cart_id, swap_id, title, description, is_giftcard, should_merge, allow_discounts,
			has_shipping, unit_price, variant_id, quantity, created_at, updated_at, metadata, is_return) VALUES
			('%s', '%s', '%s', 'Acts unmanaged', 'One', false, true, true, true, 1000, '%s', 1, '2026-12-07 15:25:04.084696+00',
			'2026-12-07 15:25:09.915626+00', '{}', false),
			('%s', '%[2]s', NULL, 'Acts unmanaged', 'One', false, true, true, true, -1000, '%[4]s', 1, '2026-12-07 15:25:04.3+00',
			'2026-12-07 15:25:04.3+00', '{}', true)`, s.ItemID, s.CartID, s.ID, o.UnmanagedVariant, s.ReturnLineID),
		fmt.Sprintf(`INSERT INTO line_item_tax_line (id, rate, name, code, created_at, updated_at, item_id) VALUES
			('%s', 20, 'default', 'default', '2026-12-07 15:25:08+00', '2026-12-07 15:25:08+00', '%s'),
			('%s', 20, 'default', 'default', '2026-12-07 15:25:08+00', '2026-12-07 15:25:08+00', '%s')`,
			id("litl", 100+2*n), s.ItemID, id("litl", 101+2*n), s.ReturnLineID),
		fmt.Sprintf(`INSERT INTO shipping_method (id, shipping_option_id, cart_id, swap_id, price, data) VALUES
			('%s', '%s', '%s', '%s', 800, '{"id": "manual-fulfillment"}')`, s.ShippingMethodID, o.ShippingOptionID, s.CartID, s.ID),
		fmt.Sprintf(`INSERT INTO shipping_method_tax_line (id, rate, name, code, created_at, updated_at, shipping_method_id) VALUES
			('%s', 20, 'default', 'default', '2026-12-07 15:25:08+00', '2026-12-07 15:25:08+00', '%s')`, id("smtl", 100+n), s.ShippingMethodID),
		fmt.Sprintf(`INSERT INTO payment (id, swap_id, cart_id, order_id, amount, currency_code, amount_refunded, provider_id, data, created_at,
			updated_at) VALUES ('%s', '%s', '%s', '%s', 960, 'eur', 0, 'manual', '{"status": "authorized"}', '2026-12-07 15:25:09.659306+00',
			'2026-12-07 15:25:09.915626+00')`, s.PaymentID, s.ID, s.CartID, o.ID),
		fmt.Sprintf(`UPDATE cart SET payment_id = '%s' WHERE id = '%s'`, s.PaymentID, s.CartID),
		fmt.Sprintf(`INSERT INTO "return" (id, status, swap_id, refund_amount, created_at, updated_at) VALUES
			('%s', 'requested', '%s', 1200, '2026-12-07 15:25:04.084696+00', '2026-12-07 15:25:04.084696+00')`, s.ReturnID, s.ID),
		fmt.Sprintf(`INSERT INTO return_item (return_id, item_id, quantity, is_requested, requested_quantity, metadata) VALUES
			('%s', '%s', 1, true, 1, '{}')`, s.ReturnID, o.UnmanagedItem),
	}
	ctx := context.Background()
	for _, q := range stmts {
		if _, err := db.ExecContext(ctx, q); err != nil {
			t.Fatalf("dbtest.PlaceSwap: %v\n%s", err, q)
		}
	}
	return s
}

// PlacedClaim names the rows of a claim PlaceClaim wrote.
type PlacedClaim struct {
	ID, ClaimItemID, ItemID, ShippingMethodID string
}

// PlaceClaim writes a replacement claim on order o the way POST /admin/orders/:id/claims of
// Medusa 1.3.8 leaves one (copied column by column from the reference server): the order's
// unmanaged unit claimed as missing, a new unit of it as the additional item (a 20% tax line),
// the region's option at 0.00 as its shipping method; fulfillment not_fulfilled, payment na.
func PlaceClaim(t testing.TB, db bun.IDB, o PlacedOrder, n int) PlacedClaim {
	t.Helper()
	id := func(prefix string, k int) string { return fmt.Sprintf("%s_01GACTS%019d", prefix, k) }
	c := PlacedClaim{ID: id("claim", n), ClaimItemID: id("citm", n), ItemID: id("item", 200+n), ShippingMethodID: id("sm", 200+n)}
	const at = "'2026-12-07 15:35:40.30442+00'"
	stmts := []string{
		fmt.Sprintf(`INSERT INTO claim_order (id, payment_status, fulfillment_status, type, order_id, shipping_address_id, created_at, updated_at,
			idempotency_key) SELECT '%s', 'na', 'not_fulfilled', 'replace', '%s', shipping_address_id, %s, %[3]s,
			'69bd26eb-81c7-4746-8281-58f8e6bf853a' FROM "order" WHERE id = '%[2]s'`, c.ID, o.ID, at),
		fmt.Sprintf(`INSERT INTO claim_item (id, claim_order_id, item_id, variant_id, reason, quantity, created_at, updated_at)
			VALUES ('%s', '%s', '%s', '%s', 'missing_item', 1, %s, %[5]s)`, c.ClaimItemID, c.ID, o.UnmanagedItem, o.UnmanagedVariant, at),
		fmt.Sprintf(`INSERT INTO line_item (id, claim_order_id, title, description, is_giftcard, should_merge, allow_discounts, unit_price,
			variant_id, quantity, created_at, updated_at, metadata, is_return) VALUES ('%s', '%s', 'Acts unmanaged', 'One', false, true, true,
			1000, '%s', 1, %s, %[4]s, '{}', false)`, c.ItemID, c.ID, o.UnmanagedVariant, at),
		fmt.Sprintf(`INSERT INTO line_item_tax_line (id, rate, name, code, created_at, updated_at, item_id) VALUES
			('%s', 20, 'default', 'default', %s, %[2]s, '%s')`, id("litl", 200+n), at, c.ItemID),
		fmt.Sprintf(`INSERT INTO shipping_method (id, shipping_option_id, claim_order_id, price, data) VALUES
			('%s', '%s', '%s', 0, '{"id": "manual-fulfillment"}')`, c.ShippingMethodID, o.ShippingOptionID, c.ID),
	}
	ctx := context.Background()
	for _, q := range stmts {
		if _, err := db.ExecContext(ctx, q); err != nil {
			t.Fatalf("dbtest.PlaceClaim: %v\n%s", err, q)
		}
	}
	return c
}
