package dbtest

import (
	"context"
	"testing"

	"github.com/uptrace/bun"
)

// DraftShop writes a small shop for draft order tests: region EU (eur, 20% tax, de and fr),
// region US (usd, no tax, us), the manual providers, a shipping profile with EU Standard (8.00),
// EU Big (15.00, for subtotals from 100.00) and US Standard (10.00), a product "Tee" with a
// managed variant (5 in stock, 10.00 / $12.00) and an unmanaged one (10.00), a 10% discount DW10
// and a free shipping discount DWFREE of region EU.
func DraftShop(t testing.TB, db bun.IDB) {
	t.Helper()
	stmts := []string{
		`INSERT INTO fulfillment_provider (id, is_installed) VALUES ('manual', true) ON CONFLICT DO NOTHING`,
		`INSERT INTO payment_provider (id, is_installed) VALUES ('manual', true) ON CONFLICT DO NOTHING`,
		`INSERT INTO region (id, name, currency_code, tax_rate, created_at, updated_at) VALUES
			('` + DraftEU + `', 'EU', 'eur', 20, '2026-12-07 10:00:00+00', '2026-12-07 10:00:00+00'),
			('` + DraftUS + `', 'US', 'usd', 0, '2026-12-07 10:00:00+00', '2026-12-07 10:00:00+00')`,
		`UPDATE country SET region_id = '` + DraftEU + `' WHERE iso_2 IN ('de', 'fr')`,
		`UPDATE country SET region_id = '` + DraftUS + `' WHERE iso_2 = 'us'`,
		`INSERT INTO region_payment_providers VALUES ('` + DraftEU + `', 'manual'), ('` + DraftUS + `', 'manual')`,
		`INSERT INTO region_fulfillment_providers VALUES ('` + DraftEU + `', 'manual'), ('` + DraftUS + `', 'manual')`,
		`INSERT INTO shipping_profile (id, name, type) VALUES ('sp_01DW000000000000000000000', 'DW profile', 'default')`,
		`INSERT INTO shipping_option (id, name, region_id, profile_id, provider_id, price_type, amount, is_return, admin_only, data,
			created_at, updated_at) VALUES
			('` + DraftOption + `', 'EU Standard', '` + DraftEU + `', 'sp_01DW000000000000000000000', 'manual', 'flat_rate', 800, false, false,
				'{"id": "manual-fulfillment"}', '2026-12-07 10:00:00+00', '2026-12-07 10:00:00+00'),
			('` + DraftBig + `', 'EU Big', '` + DraftEU + `', 'sp_01DW000000000000000000000', 'manual', 'flat_rate', 1500, false, false,
				'{"id": "manual-fulfillment"}', '2026-12-07 10:00:00+00', '2026-12-07 10:00:00+00'),
			('` + DraftUSOption + `', 'US Standard', '` + DraftUS + `', 'sp_01DW000000000000000000000', 'manual', 'flat_rate', 1000, false, false,
				'{"id": "manual-fulfillment"}', '2026-12-07 10:00:00+00', '2026-12-07 10:00:00+00')`,
		`INSERT INTO shipping_option_requirement (id, shipping_option_id, type, amount) VALUES
			('sor_01DW00000000000000000000', '` + DraftBig + `', 'min_subtotal', 10000)`,
		`INSERT INTO product (id, title, handle, is_giftcard, status, profile_id, discountable, created_at, updated_at)
			VALUES ('prod_01DW0000000000000000000000', 'Tee', 'dw-tee', false, 'published', 'sp_01DW000000000000000000000', true,
			'2026-12-07 10:00:00+00', '2026-12-07 10:00:00+00')`,
		`INSERT INTO product_variant (id, title, product_id, inventory_quantity, allow_backorder, manage_inventory, variant_rank,
			created_at, updated_at) VALUES
			('` + DraftManaged + `', 'Managed', 'prod_01DW0000000000000000000000', 5, false, true, 0, '2026-12-07 10:00:00+00', '2026-12-07 10:00:00+00'),
			('` + DraftFree + `', 'Unmanaged', 'prod_01DW0000000000000000000000', 0, false, false, 1, '2026-12-07 10:00:00+00', '2026-12-07 10:00:00+00')`,
		`INSERT INTO money_amount (id, currency_code, amount, variant_id) VALUES
			('ma_01DW000000000000000000001', 'eur', 1000, '` + DraftManaged + `'),
			('ma_01DW000000000000000000002', 'usd', 1200, '` + DraftManaged + `'),
			('ma_01DW000000000000000000003', 'eur', 1000, '` + DraftFree + `')`,
		`INSERT INTO discount_rule (id, type, value, allocation) VALUES ('dru_01DW000000000000000000000', 'percentage', 10, 'total')`,
		`INSERT INTO discount (id, code, is_dynamic, rule_id, is_disabled, starts_at, usage_count)
			VALUES ('disc_01DW00000000000000000000', 'DW10', false, 'dru_01DW000000000000000000000', false, '2026-01-01 00:00:00+00', 0)`,
		`INSERT INTO discount_rule (id, type, value, allocation) VALUES ('dru_01DW000000000000000000001', 'free_shipping', 0, 'total')`,
		`INSERT INTO discount (id, code, is_dynamic, rule_id, is_disabled, starts_at, usage_count)
			VALUES ('disc_01DW00000000000000000001', 'DWFREE', false, 'dru_01DW000000000000000000001', false, '2026-01-01 00:00:00+00', 0)`,
		`INSERT INTO discount_regions VALUES ('disc_01DW00000000000000000000', '` + DraftEU + `'), ('disc_01DW00000000000000000001', '` + DraftEU + `')`,
	}
	for _, s := range stmts {
		if _, err := db.ExecContext(context.Background(), s); err != nil {
			t.Fatalf("dbtest.DraftShop: %v\n%s", err, s)
		}
	}
}

// The ids of DraftShop's rows.
const (
	DraftEU       = "reg_01DWEU0000000000000000000"
	DraftUS       = "reg_01DWUS0000000000000000000"
	DraftOption   = "so_01DWSTD000000000000000000"
	DraftBig      = "so_01DWBIG000000000000000000"
	DraftUSOption = "so_01DWUS0000000000000000000"
	DraftManaged  = "variant_01DWM00000000000000000000"
	DraftFree     = "variant_01DWU00000000000000000000"
)
