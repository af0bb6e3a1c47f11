package store_test

import (
	"context"
	"testing"

	"github.com/gorgon-commerce/gorgon/store/dbtest"
	"github.com/gorgon-commerce/gorgon/store/model"
)

// `real` columns read back as the decimal written (0.1, not 0.10000000149011612), as Medusa shows.
func TestRealColumnsReadExactly(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db := dbtest.New(t)
	if _, err := db.ExecContext(ctx, `INSERT INTO region (id, name, currency_code, tax_rate) VALUES ('reg_x', 'X', 'usd', 0.1)`); err != nil {
		t.Fatal(err)
	}
	var r model.Region
	if err := db.NewSelect().Model(&r).Where("id = 'reg_x'").Scan(ctx); err != nil {
		t.Fatal(err)
	}
	if r.TaxRate != 0.1 {
		t.Fatalf("tax_rate = %v", r.TaxRate)
	}
}
