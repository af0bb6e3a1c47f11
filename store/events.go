package store

import (
	"context"
	"encoding/json"
	"fmt"

	"github.com/uptrace/bun"
)

// eventChannel is the PostgreSQL notification channel that wakes the event dispatchers.
const eventChannel = "gorgon_event"

// emit records one of Medusa's events (e.g. "user.created") in the gorgon.event outbox, inside
// the caller's transaction, so an event exists exactly when the change it announces was committed.
// The same statement notifies eventChannel, which PostgreSQL delivers at commit (and never for a
// rolled-back change), waking every instance's dispatcher (RunEventDispatcher) at once.
func emit(ctx context.Context, db bun.IDB, name string, data any) error {
	b, err := json.Marshal(data)
	if err != nil {
		return fmt.Errorf("emit %s: %w", name, err)
	}
	if _, err := db.NewRaw(`WITH e AS (INSERT INTO gorgon.event (name, data) VALUES (?, ?) RETURNING id)
		SELECT pg_notify(?, '') FROM e`, name, string(b), eventChannel).Exec(ctx); err != nil {
		return fmt.Errorf("emit %s: %w", name, err)
	}
	return nil
}
