package store_test

import (
	"context"
	"database/sql"
	"errors"
	"testing"
	"time"

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

// The dispatcher delivers an event as soon as its transaction commits (LISTEN/NOTIFY), long
// before its fallback poll (an hour here), and keeps doing so after a first delivery.
func TestEventDispatcherWakesOnNotify(t *testing.T) {
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
	dctx, stop := context.WithCancel(ctx)
	done := make(chan struct{})
	go func() { s.RunEventDispatcher(dctx, time.Hour); close(done) }()
	defer func() { stop(); <-done }()

	// Wait until the dispatcher listens (its connection's last statement is the LISTEN), so
	// that what delivers the events below can only be the notification.
	deadline := time.Now().Add(10 * time.Second)
	for {
		var n int
		if err := s.DB.QueryRowContext(ctx, `SELECT count(*) FROM pg_stat_activity
			WHERE datname = current_database() AND query LIKE 'LISTEN gorgon_event%' AND state = 'idle'`).Scan(&n); err != nil {
			t.Fatal(err)
		}
		if n == 1 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("the dispatcher does not listen")
		}
		time.Sleep(10 * time.Millisecond)
	}
	for i, email := range []string{"one@test.com", "two@test.com"} {
		start := time.Now()
		inv, err := s.CreateInvite(ctx, email, "member")
		if err != nil {
			t.Fatal(err)
		}
		for {
			var resourceID string
			err := s.DB.QueryRowContext(ctx, `SELECT resource_id FROM notification WHERE event_name = 'invite.created' AND resource_id = ?`, inv.ID).Scan(&resourceID)
			if err == nil {
				break
			}
			if !errors.Is(err, sql.ErrNoRows) {
				t.Fatal(err)
			}
			if time.Since(start) > 5*time.Second {
				t.Fatalf("event %d not delivered after %s", i+1, time.Since(start))
			}
			time.Sleep(10 * time.Millisecond)
		}
		t.Logf("event %d delivered in %s", i+1, time.Since(start))
	}
	var pending int
	if err := s.DB.QueryRowContext(ctx, `SELECT count(*) FROM gorgon.event WHERE processed_at IS NULL`).Scan(&pending); err != nil || pending != 0 {
		t.Fatalf("%d events pending (%v)", pending, err)
	}
}

// The fallback poll's timeouts leave the listening connection in place: the same session keeps
// listening across them (a timeout that broke it would show as a new backend).
func TestEventListenerSurvivesFallbackTimeouts(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	s := newStore(t, dbtest.New(t), store.Config{JWTSecret: "x"})
	dctx, stop := context.WithCancel(ctx)
	done := make(chan struct{})
	go func() { s.RunEventDispatcher(dctx, 20*time.Millisecond); close(done) }()
	defer func() { stop(); <-done }()
	listener := func() []int {
		rows, err := s.DB.QueryContext(ctx, `SELECT pid FROM pg_stat_activity
			WHERE datname = current_database() AND query LIKE 'LISTEN gorgon_event%'`)
		if err != nil {
			t.Fatal(err)
		}
		defer rows.Close()
		var pids []int
		for rows.Next() {
			var p int
			if err := rows.Scan(&p); err != nil {
				t.Fatal(err)
			}
			pids = append(pids, p)
		}
		return pids
	}
	var first []int
	for deadline := time.Now().Add(10 * time.Second); len(first) != 1; first = listener() {
		if time.Now().After(deadline) {
			t.Fatal("the dispatcher does not listen")
		}
		time.Sleep(10 * time.Millisecond)
	}
	time.Sleep(500 * time.Millisecond) // some 25 fallback timeouts
	if now := listener(); len(now) != 1 || now[0] != first[0] {
		t.Fatalf("listening backends %v, were %v", now, first)
	}
}

// With a pool of one connection the dispatcher cannot keep a listener: it polls every second, and
// the rest of the store still gets the connection.
func TestEventDispatcherPoolOfOne(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db := dbtest.New(t)
	db.SetMaxOpenConns(1)
	s := newStore(t, db, store.Config{JWTSecret: "x"})
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
	dctx, stop := context.WithCancel(ctx)
	done := make(chan struct{})
	go func() { s.RunEventDispatcher(dctx, time.Hour); close(done) }()
	defer func() { stop(); <-done }()
	inv, err := s.CreateInvite(ctx, "one@test.com", "member")
	if err != nil {
		t.Fatal(err)
	}
	for start := time.Now(); ; time.Sleep(20 * time.Millisecond) {
		var id string
		err := s.DB.QueryRowContext(ctx, `SELECT resource_id FROM notification WHERE resource_id = ?`, inv.ID).Scan(&id)
		if err == nil {
			break
		}
		if !errors.Is(err, sql.ErrNoRows) {
			t.Fatal(err)
		}
		if time.Since(start) > 5*time.Second {
			t.Fatal("event not delivered")
		}
	}
}
