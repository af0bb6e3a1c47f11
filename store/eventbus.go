package store

import (
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"time"

	"github.com/uptrace/bun"

	"github.com/gorgon-commerce/gorgon/store/provider"
)

// DispatchEvents delivers up to max pending events of the gorgon.event outbox to the notification
// providers this instance serves, which (like Medusa's built-in subscriptions of a notification
// plugin) are subscribed to every event, and records each notification they send. Events are
// claimed with FOR UPDATE SKIP LOCKED, so several instances can dispatch at once without
// delivering an event twice. It returns how many events it handled.
func (s *Store) DispatchEvents(ctx context.Context, max int) (int, error) {
	providers := s.registry().Installed(provider.SlotNotification)
	handled := 0
	err := s.InTx(ctx, func(ctx context.Context, tx bun.Tx) error {
		rows, err := tx.QueryContext(ctx, `SELECT id, name, data FROM gorgon.event WHERE processed_at IS NULL
			ORDER BY id LIMIT ? FOR UPDATE SKIP LOCKED`, max)
		if err != nil {
			return fmt.Errorf("claim events: %w", err)
		}
		type event struct {
			id   int64
			name string
			data map[string]any
		}
		var events []event
		for rows.Next() {
			var e event
			var raw []byte
			if err := rows.Scan(&e.id, &e.name, &raw); err != nil {
				rows.Close()
				return fmt.Errorf("read event: %w", err)
			}
			_ = json.Unmarshal(raw, &e.data)
			events = append(events, e)
		}
		rows.Close()
		for _, e := range events {
			for _, id := range providers {
				if _, err := s.sendNotificationTx(ctx, tx, e.name, e.data, id); err != nil {
					// One provider's failure must not block the queue: log it and go on, as
					// Medusa's event bus logs a failing subscriber.
					slog.ErrorContext(ctx, "notification failed", "event", e.name, "provider", id, "err", err)
				}
			}
			if _, err := tx.ExecContext(ctx, `UPDATE gorgon.event SET processed_at = now() WHERE id = ?`, e.id); err != nil {
				return fmt.Errorf("mark event: %w", err)
			}
			handled++
		}
		return nil
	})
	return handled, err
}

// RunEventDispatcher dispatches events every interval until ctx ends.
func (s *Store) RunEventDispatcher(ctx context.Context, interval time.Duration) {
	t := time.NewTicker(interval)
	defer t.Stop()
	for {
		for {
			n, err := s.DispatchEvents(ctx, 100)
			if err != nil && ctx.Err() == nil {
				slog.Error("dispatch events", "err", err)
			}
			if n < 100 || err != nil {
				break
			}
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}
