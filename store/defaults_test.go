package store_test

import (
	"context"
	"strings"
	"testing"

	"github.com/gorgon-commerce/gorgon/store"
	"github.com/gorgon-commerce/gorgon/store/dbtest"
	"github.com/gorgon-commerce/gorgon/store/provider"
)

// defaultRows describes the rows Medusa's defaults loader leaves, ids and times left out.
func defaultRows(t *testing.T, s *store.Store) string {
	t.Helper()
	var out []string
	for _, q := range []string{
		`SELECT 'store|' || name || '|' || default_currency_code || '|' || coalesce(swap_link_template, '-') || '|' || (default_sales_channel_id IS NOT NULL) FROM store`,
		`SELECT 'store_currency|' || currency_code FROM store_currencies ORDER BY 1`,
		`SELECT 'profile|' || type || '|' || name FROM shipping_profile ORDER BY 1`,
		`SELECT 'sales_channel|' || name || '|' || coalesce(description, '-') || '|' || is_disabled FROM sales_channel ORDER BY 1`,
		`SELECT 'payment_provider|' || id || '|' || is_installed FROM payment_provider ORDER BY 1`,
		`SELECT 'fulfillment_provider|' || id || '|' || is_installed FROM fulfillment_provider ORDER BY 1`,
		`SELECT 'notification_provider|' || id || '|' || is_installed FROM notification_provider ORDER BY 1`,
		`SELECT 'tax_provider|' || id || '|' || is_installed FROM tax_provider ORDER BY 1`,
	} {
		rows, err := s.DB.QueryContext(context.Background(), q)
		if err != nil {
			t.Fatal(err)
		}
		for rows.Next() {
			var line string
			if err := rows.Scan(&line); err != nil {
				t.Fatal(err)
			}
			out = append(out, line)
		}
		rows.Close()
	}
	return strings.Join(out, "\n")
}

// The rows a first start leaves are Medusa 1.3.8's (read off a real Medusa started on an empty
// database with medusa-payment-manual, medusa-fulfillment-manual and MEDUSA_FF_SALES_CHANNELS);
// a second start with another configuration uninstalls, never deletes.
func TestDefaultsMatchMedusa(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db := dbtest.NewSchema(t, dbtest.FlagOn)
	s := newStore(t, db, store.Config{FeatureSalesChannels: true})
	if err := s.EnsureDefaults(ctx); err != nil {
		t.Fatal(err)
	}
	want := `store|Medusa Store|usd|-|true
store_currency|usd
profile|default|Default Shipping Profile
profile|gift_card|Gift Card Profile
sales_channel|Default Sales Channel|Created by Medusa|false
payment_provider|manual|true
fulfillment_provider|manual|true`
	if got := defaultRows(t, s); got != want {
		t.Fatalf("first start:\n%s\nwant:\n%s", got, want)
	}
	if err := s.EnsureDefaults(ctx); err != nil {
		t.Fatal(err)
	}
	if got := defaultRows(t, s); got != want {
		t.Fatalf("second start changed rows:\n%s", got)
	}

	cfg, err := provider.ParseConfig(func(k string) string {
		return map[string]string{"PAYMENT_PROVIDERS": "test-pay", "FULFILLMENT_PROVIDERS": "manual,test-ful", "NOTIFICATION_PROVIDERS": "test-not"}[k]
	})
	if err != nil {
		t.Fatal(err)
	}
	s2 := newStore(t, db, store.Config{FeatureSalesChannels: true})
	s2.UseProviders(provider.New(cfg, nil))
	if err := s2.EnsureDefaults(ctx); err != nil {
		t.Fatal(err)
	}
	want2 := `store|Medusa Store|usd|-|true
store_currency|usd
profile|default|Default Shipping Profile
profile|gift_card|Gift Card Profile
sales_channel|Default Sales Channel|Created by Medusa|false
payment_provider|manual|false
payment_provider|test-pay|true
fulfillment_provider|manual|true
fulfillment_provider|test-ful|true
notification_provider|test-not|true`
	if got := defaultRows(t, s2); got != want2 {
		t.Fatalf("reconfigured start:\n%s\nwant:\n%s", got, want2)
	}
}

func TestProviderConfigErrorsNameTheVariable(t *testing.T) {
	t.Parallel()
	_, err := provider.ParseConfig(func(k string) string {
		if k == "FULFILLMENT_PROVIDERS" {
			return "manual,x=nonsense"
		}
		return ""
	})
	if err == nil || !strings.Contains(err.Error(), "FULFILLMENT_PROVIDERS") {
		t.Fatalf("err = %v", err)
	}
}
