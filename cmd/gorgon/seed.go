package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"os"

	"github.com/gorgon-commerce/gorgon/store"
	"github.com/gorgon-commerce/gorgon/store/benchdata"
)

// seedFile is Medusa's seed JSON format (`medusa seed -f`): store, users, regions,
// shipping_options and products, loaded in that order like `medusa seed` does. Other keys are
// ignored, as Medusa ignores them.
type seedFile struct {
	Store *struct {
		Name       *string  `json:"name"`
		Currencies []string `json:"currencies"`
	} `json:"store"`
	Users []struct {
		Email    string  `json:"email"`
		Password string  `json:"password"`
		APIToken *string `json:"api_token"`
		ID       string  `json:"id"`
	} `json:"users"`
	Regions         []json.RawMessage `json:"regions"`
	ShippingOptions []json.RawMessage `json:"shipping_options"`
	Products        []json.RawMessage `json:"products"`
}

func seedCmd(ctx context.Context, args []string) error {
	fs := flag.NewFlagSet("seed", flag.ContinueOnError)
	c := loadConfig(fs)
	file := fs.String("file", "", "seed file in Medusa's format")
	fs.StringVar(file, "f", "", "shorthand for --file")
	generate := fs.Int("generate-products", 0, "instead of a file: generate a synthetic catalog of this many products (5 variants and 3 prices each) for load tests")
	customers := fs.Int("generate-customers", 0, "with --generate-products: also generate this many customers in 50 groups, with 2,000 discounts and 500 tax rates over the catalog")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *generate > 0 {
		return generateCatalog(ctx, c, *generate, *customers)
	}
	if *customers > 0 {
		return fmt.Errorf("seed: --generate-customers needs --generate-products")
	}
	if *file == "" {
		return fmt.Errorf("seed: --file is required")
	}
	raw, err := os.ReadFile(*file)
	if err != nil {
		return fmt.Errorf("seed: %w", err)
	}
	var sf seedFile
	if err := json.Unmarshal(raw, &sf); err != nil {
		return fmt.Errorf("seed: %s: %w", *file, err)
	}
	s, closeStore, err := openStore(ctx, c)
	if err != nil {
		return err
	}
	defer closeStore()
	if err := s.EnsureDefaults(ctx); err != nil {
		return err
	}
	return seed(ctx, s, &sf)
}

func seed(ctx context.Context, s *store.Store, sf *seedFile) error {
	if sf.Store != nil {
		if err := s.SeedStore(ctx, sf.Store.Name, sf.Store.Currencies); err != nil {
			return fmt.Errorf("seed store: %w", err)
		}
	}
	for _, u := range sf.Users {
		if _, err := s.CreateUser(ctx, store.CreateUserInput{ID: u.ID, Email: u.Email, Password: u.Password, APIToken: u.APIToken}); err != nil {
			return fmt.Errorf("seed user %s: %w", u.Email, err)
		}
	}
	regionIDs, err := seedRegions(ctx, s, sf.Regions)
	if err != nil {
		return err
	}
	if err := seedShippingOptions(ctx, s, sf.ShippingOptions, regionIDs); err != nil {
		return err
	}
	return seedProducts(ctx, s, sf.Products, regionIDs)
}

func generateCatalog(ctx context.Context, c *config, products, customers int) error {
	s, closeStore, err := openStore(ctx, c)
	if err != nil {
		return err
	}
	defer closeStore()
	if err := s.EnsureDefaults(ctx); err != nil {
		return err
	}
	cat := benchdata.Default
	cat.Products = products
	if err := benchdata.Build(ctx, s.DB, cat); err != nil {
		return err
	}
	fmt.Printf("generated %d products, %d variants\n", products, products*cat.VariantsPer)
	if customers > 0 {
		com := benchdata.DefaultCommerce
		com.Customers = customers
		if err := benchdata.BuildCommerce(ctx, s.DB, com, products); err != nil {
			return err
		}
		fmt.Printf("generated %d customers, %d discounts, %d tax rates\n", customers, com.Discounts, com.TaxRates)
	}
	return nil
}
