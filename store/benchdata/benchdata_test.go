package benchdata_test

import (
	"context"
	"testing"

	"github.com/gorgon-commerce/gorgon/store"
	"github.com/gorgon-commerce/gorgon/store/benchdata"
	"github.com/gorgon-commerce/gorgon/store/dbtest"
)

func TestBuildSmallCatalog(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db := dbtest.NewSchema(t, dbtest.FlagOn)
	s, err := store.New(ctx, db, store.Config{FeatureSalesChannels: true})
	if err != nil {
		t.Fatal(err)
	}
	if err := s.EnsureDefaults(ctx); err != nil {
		t.Fatal(err)
	}
	c := benchdata.Catalog{Products: 30, VariantsPer: 3, Currencies: []string{"usd", "eur"}, Tags: 5, Types: 2, Collections: 3, PriceLists: 1}
	if err := benchdata.Build(ctx, db, c); err != nil {
		t.Fatal(err)
	}
	var products, variants, prices, plPrices int
	err = db.QueryRowContext(ctx, `SELECT (SELECT count(*) FROM product), (SELECT count(*) FROM product_variant),
		(SELECT count(*) FROM money_amount WHERE price_list_id IS NULL), (SELECT count(*) FROM money_amount WHERE price_list_id IS NOT NULL)`).
		Scan(&products, &variants, &prices, &plPrices)
	if err != nil {
		t.Fatal(err)
	}
	if products != 30 || variants != 90 || prices != 180 || plPrices != 9 {
		t.Fatalf("products=%d variants=%d prices=%d price-list prices=%d", products, variants, prices, plPrices)
	}
	var id string
	if err := db.QueryRowContext(ctx, `SELECT id FROM product WHERE id = ?`, benchdata.ProductID(7)).Scan(&id); err != nil {
		t.Fatalf("product 7: %v", err)
	}
	if len(id) != len("prod_")+26 {
		t.Fatalf("id %q is not Medusa-shaped", id)
	}
}

func TestBuildSmallCommerce(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db := dbtest.NewSchema(t, dbtest.FlagOn)
	s, err := store.New(ctx, db, store.Config{FeatureSalesChannels: true})
	if err != nil {
		t.Fatal(err)
	}
	if err := s.EnsureDefaults(ctx); err != nil {
		t.Fatal(err)
	}
	c := benchdata.Catalog{Products: 30, VariantsPer: 1, Currencies: []string{"usd"}, Tags: 2, Types: 2, Collections: 2}
	if err := benchdata.Build(ctx, db, c); err != nil {
		t.Fatal(err)
	}
	cm := benchdata.Commerce{Regions: 2, Customers: 40, Groups: 3, Discounts: 10, ProductsPerCond: 4, TaxRates: 5, ProductsPerRate: 3}
	if err := benchdata.BuildCommerce(ctx, db, cm, c.Products); err != nil {
		t.Fatal(err)
	}
	var customers, members, discounts, condProducts, rates, rateProducts int
	err = db.QueryRowContext(ctx, `SELECT (SELECT count(*) FROM customer), (SELECT count(*) FROM customer_group_customers),
		(SELECT count(*) FROM discount), (SELECT count(*) FROM discount_condition_product), (SELECT count(*) FROM tax_rate),
		(SELECT count(*) FROM product_tax_rate)`).Scan(&customers, &members, &discounts, &condProducts, &rates, &rateProducts)
	if err != nil {
		t.Fatal(err)
	}
	if customers != 40 || members != 40 || discounts != 10 || condProducts != 40 || rates != 5 || rateProducts != 15 {
		t.Fatalf("customers=%d members=%d discounts=%d condProducts=%d rates=%d rateProducts=%d", customers, members, discounts, condProducts, rates, rateProducts)
	}
}
