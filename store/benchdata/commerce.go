package benchdata

import (
	"context"
	"fmt"

	"github.com/uptrace/bun"
)

// Commerce sizes the commerce configuration of the customers/discounts/tax issue, built on top of
// a Catalog (conditions and tax rates point at its products).
type Commerce struct {
	Regions         int
	Customers       int
	Groups          int // every customer is in one group
	Discounts       int // each with a rule, one product condition and a region
	ProductsPerCond int // products per discount condition
	TaxRates        int // each linked to ProductsPerRate products
	ProductsPerRate int
}

// DefaultCommerce: 20,000 customers in 50 groups, 2,000 discounts with conditions over thousands
// of products, 500 tax rates.
var DefaultCommerce = Commerce{Regions: 5, Customers: 20000, Groups: 50, Discounts: 2000, ProductsPerCond: 20,
	TaxRates: 500, ProductsPerRate: 10}

// GroupID is the id of customer group i (1-based).
func GroupID(i int) string { return fmt.Sprintf("cgrp_%026X", i) }

// BuildCommerce writes the commerce configuration in one transaction; catalogProducts is the
// number of products of the catalog already built.
func BuildCommerce(ctx context.Context, db *bun.DB, c Commerce, catalogProducts int) error {
	hex := func(prefix, expr string) string {
		return fmt.Sprintf("'%s_' || lpad(upper(to_hex(%s)), 26, '0')", prefix, expr)
	}
	steps := []struct {
		what string
		sql  string
		args []any
	}{
		{"regions", `INSERT INTO region (id, name, currency_code, tax_rate) SELECT ` + hex("reg", "i") + `, 'Region ' || i, 'usd', 0
			FROM generate_series(1, ?) i`, []any{c.Regions}},
		{"groups", `INSERT INTO customer_group (id, name) SELECT ` + hex("cgrp", "i") + `, 'Group ' || i FROM generate_series(1, ?) i`, []any{c.Groups}},
		{"customers", `INSERT INTO customer (id, email, first_name, last_name, has_account, created_at, updated_at)
			SELECT ` + hex("cus", "i") + `, 'customer' || i || '@example.com', 'First' || i, (ARRAY['Smith','Jones','Brown','Garcia','Miller'])[1 + i % 5],
				i % 3 = 0, now() - make_interval(secs => i), now() - make_interval(secs => i)
			FROM generate_series(1, ?) i`, []any{c.Customers}},
		{"group members", `INSERT INTO customer_group_customers (customer_group_id, customer_id)
			SELECT ` + hex("cgrp", "1 + i % ?") + `, ` + hex("cus", "i") + ` FROM generate_series(1, ?) i`, []any{c.Groups, c.Customers}},
		{"discount rules", `INSERT INTO discount_rule (id, description, type, value, allocation)
			SELECT ` + hex("dru", "i") + `, 'Rule ' || i, (CASE WHEN i % 2 = 0 THEN 'percentage' ELSE 'fixed' END)::discount_rule_type_enum,
				1 + i % 50, 'total' FROM generate_series(1, ?) i`, []any{c.Discounts}},
		{"discounts", `INSERT INTO discount (id, code, is_dynamic, rule_id, is_disabled, created_at, updated_at)
			SELECT ` + hex("disc", "i") + `, 'CODE' || i, false, ` + hex("dru", "i") + `, false,
				now() - make_interval(secs => i), now() - make_interval(secs => i) FROM generate_series(1, ?) i`, []any{c.Discounts}},
		{"discount regions", `INSERT INTO discount_regions (discount_id, region_id)
			SELECT ` + hex("disc", "i") + `, ` + hex("reg", "1 + i % ?") + ` FROM generate_series(1, ?) i`, []any{c.Regions, c.Discounts}},
		{"discount conditions", `INSERT INTO discount_condition (id, type, operator, discount_rule_id)
			SELECT ` + hex("discon", "i") + `, 'products', 'in', ` + hex("dru", "i") + ` FROM generate_series(1, ?) i`, []any{c.Discounts}},
		{"condition products", `INSERT INTO discount_condition_product (product_id, condition_id)
			SELECT ` + hex("prod", "1 + (i * 7 + k) % ?") + `, ` + hex("discon", "i") + `
			FROM generate_series(1, ?) i, generate_series(1, ?) k`, []any{catalogProducts, c.Discounts, c.ProductsPerCond}},
		{"tax rates", `INSERT INTO tax_rate (id, rate, code, name, region_id)
			SELECT ` + hex("txr", "i") + `, 5 + i % 20, 'TAX' || i, 'Tax rate ' || i, ` + hex("reg", "1 + i % ?") + `
			FROM generate_series(1, ?) i`, []any{c.Regions, c.TaxRates}},
		{"tax rate products", `INSERT INTO product_tax_rate (product_id, rate_id)
			SELECT ` + hex("prod", "1 + (i * 13 + k) % ?") + `, ` + hex("txr", "i") + `
			FROM generate_series(1, ?) i, generate_series(1, ?) k`, []any{catalogProducts, c.TaxRates, c.ProductsPerRate}},
	}
	return db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		for _, st := range steps {
			if _, err := tx.ExecContext(ctx, st.sql, st.args...); err != nil {
				return fmt.Errorf("benchdata %s: %w", st.what, err)
			}
		}
		_, err := tx.ExecContext(ctx, `ANALYZE`)
		return err
	})
}
