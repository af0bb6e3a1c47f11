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
