package store_test

import (
	"context"
	"log/slog"
	"reflect"
	"sync"
	"testing"

	"github.com/uptrace/bun"

	"github.com/gorgon-commerce/gorgon/store"
	"github.com/gorgon-commerce/gorgon/store/dbtest"
	"github.com/gorgon-commerce/gorgon/store/provider"
)

// The configured providers are the installed rows after start-up; rows of providers no longer
// configured stay, marked not installed (Medusa never deletes them).
func TestUseProvidersMarksInstalledRows(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db := dbtest.New(t)
	s := newStore(t, db, store.Config{})
	if err := s.EnsureDefaults(ctx); err != nil {
		t.Fatal(err)
	}
	cfg, err := provider.ParseConfig(func(k string) string {
		return map[string]string{provider.EnvPayment: "invoice,free=system", provider.EnvNotification: "log"}[k]
	})
	if err != nil {
		t.Fatal(err)
	}
	s.UseProviders(provider.New(cfg, slog.New(slog.DiscardHandler)))
	if err := s.EnsureDefaults(ctx); err != nil {
		t.Fatal(err)
	}
	rows := func(table string) []string {
		var out []string
		if err := db.NewRaw("SELECT id || '=' || is_installed::text FROM ? ORDER BY id", bun.Ident(table)).Scan(ctx, &out); err != nil {
			t.Fatal(err)
		}
		return out
	}
	for table, want := range map[string][]string{
		"payment_provider":      {"free=true", "invoice=true", "manual=false"},
		"fulfillment_provider":  {"manual=true"},
		"notification_provider": {"log=true"},
		"tax_provider":          nil,
	} {
		if got := rows(table); !reflect.DeepEqual(got, want) {
			t.Fatalf("%s: %v, want %v", table, got, want)
		}
	}

	n, err := s.SendNotification(ctx, "user.password_reset", map[string]any{"id": "usr_1", "email": "a@test.com"}, "log")
	if err != nil || n.ResourceType != "user" || n.ResourceID != "usr_1" || n.To != "a@test.com" || *n.ProviderID != "log" {
		t.Fatalf("sent %+v %v", n, err)
	}
	_, err = s.SendNotification(ctx, "user.password_reset", nil, "sendgrid")
	if e, ok := store.AsError(err); !ok || e.Type != store.NotFound || e.Message != "Could not find a notification provider with id: sendgrid." {
		t.Fatalf("unknown provider: %v", err)
	}
}

// Two regions claiming one country at once: the country rows are locked, so exactly one wins and
// the other gets Medusa's duplicate error.
func TestConcurrentRegionsClaimCountryOnce(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	s := newStore(t, dbtest.New(t), store.Config{})
	if err := s.EnsureDefaults(ctx); err != nil {
		t.Fatal(err)
	}
	const n = 8
	var wg sync.WaitGroup
	errs := make(chan error, n)
	for i := 0; i < n; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			_, err := s.CreateRegion(ctx, store.CreateRegionInput{Name: "R", CurrencyCode: "usd", Countries: []string{"dk"},
				PaymentProviders: []string{}, FulfillmentProviders: []string{}})
			errs <- err
		}()
	}
	wg.Wait()
	close(errs)
	var ok int
	for err := range errs {
		if err == nil {
			ok++
			continue
		}
		if e, isStore := store.AsError(err); !isStore || e.Type != store.DuplicateError {
			t.Fatalf("unexpected error: %v", err)
		}
	}
	if ok != 1 {
		t.Fatalf("%d regions got the country", ok)
	}
}
