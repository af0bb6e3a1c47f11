package main

import (
	"context"
	"encoding/json"
	"os"
	"testing"

	"github.com/gorgon-commerce/gorgon/store"
	"github.com/gorgon-commerce/gorgon/store/dbtest"
	"github.com/gorgon-commerce/gorgon/store/password"
)

// The reference shop's seed file (Medusa's format) loads completely.
func TestSeedMedusaFile(t *testing.T) {
	t.Parallel()
	password.Params = password.Parameters{LogN: 4, R: 8, P: 1}
	raw, err := os.ReadFile("testdata/seed.json")
	if err != nil {
		t.Fatal(err)
	}
	var sf seedFile
	if err := json.Unmarshal(raw, &sf); err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	s, err := store.New(ctx, dbtest.NewSchema(t, dbtest.FlagOn), store.Config{FeatureSalesChannels: true})
	if err != nil {
		t.Fatal(err)
	}
	if err := s.EnsureDefaults(ctx); err != nil {
		t.Fatal(err)
	}
	if err := seed(ctx, s, &sf); err != nil {
		t.Fatal(err)
	}
	var products, variants, prices, options, regions, countries int
	var name string
	err = s.DB.QueryRowContext(ctx, `SELECT (SELECT count(*) FROM product), (SELECT count(*) FROM product_variant),
		(SELECT count(*) FROM money_amount), (SELECT count(*) FROM shipping_option), (SELECT count(*) FROM region),
		(SELECT count(*) FROM country WHERE region_id IS NOT NULL), (SELECT name FROM store)`).
		Scan(&products, &variants, &prices, &options, &regions, &countries, &name)
	if err != nil {
		t.Fatal(err)
	}
	if products != 20 || variants != 50 || prices != 100 || options != 7 || regions != 2 || countries != 11 || name != "Medusa Ref Store" {
		t.Fatalf("products=%d variants=%d prices=%d options=%d regions=%d countries=%d store=%q",
			products, variants, prices, options, regions, countries, name)
	}
}
