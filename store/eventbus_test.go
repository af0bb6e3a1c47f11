package store_test

import (
	"context"
	"testing"

	"github.com/gorgon-commerce/gorgon/store"
	"github.com/gorgon-commerce/gorgon/store/dbtest"
	"github.com/gorgon-commerce/gorgon/store/provider"
)

// Events reach the configured notification providers once, and each notification is recorded
// as Medusa records it.
func TestEventsReachNotificationProviders(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	s := newStore(t, dbtest.New(t), store.Config{JWTSecret: "x"})
	cfg, err := provider.ParseConfig(func(k string) string {
		return map[string]string{"NOTIFICATION_PROVIDERS": "test-not"}[k]
	})
	if err != nil {
		t.Fatal(err)
	}
	s.UseProviders(provider.New(cfg, nil))
	if err := s.EnsureDefaults(ctx); err != nil {
		t.Fatal(err)
	}
	inv, err := s.CreateInvite(ctx, "new@test.com", "member")
	if err != nil {
		t.Fatal(err)
	}
	n, err := s.DispatchEvents(ctx, 100)
	if err != nil || n != 1 {
		t.Fatalf("dispatched %d, %v", n, err)
	}
	if n, err := s.DispatchEvents(ctx, 100); err != nil || n != 0 {
		t.Fatalf("second dispatch handled %d, %v", n, err)
	}
	var event, resourceType, resourceID, providerID string
	err = s.DB.QueryRowContext(ctx, `SELECT event_name, resource_type, resource_id, provider_id FROM notification`).
		Scan(&event, &resourceType, &resourceID, &providerID)
	if err != nil {
		t.Fatal(err)
	}
	if event != "invite.created" || resourceType != "invite" || resourceID != inv.ID || providerID != "test-not" {
		t.Fatalf("notification %s %s %s %s", event, resourceType, resourceID, providerID)
	}
}
