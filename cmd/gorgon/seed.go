package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"os"

	"github.com/gorgon-commerce/gorgon/store"
	"github.com/gorgon-commerce/gorgon/store/migrations"
)

// seedFile is Medusa's seed JSON format (`medusa seed -f`). Keys Gorgon does not load yet are
// refused rather than silently skipped.
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
	if err := fs.Parse(args); err != nil {
		return err
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
	db, _, closeDB, err := openDatabase(ctx, c)
	if err != nil {
		return err
	}
	defer closeDB()
	if err := migrations.Up(ctx, db); err != nil {
		return err
	}
	s, err := newStore(db, c)
	if err != nil {
		return err
	}
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
	if _, err := seedRegions(ctx, s, sf.Regions); err != nil {
		return err
	}
	if len(sf.ShippingOptions) > 0 || len(sf.Products) > 0 {
		return fmt.Errorf("seed: shipping_options and products are not supported yet (store, users and regions were loaded)")
	}
	return nil
}
