package store

import (
	"context"
	"encoding/json"
	"fmt"

	"github.com/uptrace/bun"
)

// emit records one of Medusa's events (e.g. "user.created") in the gorgon.event outbox, inside
// the caller's transaction, so an event exists exactly when the change it announces was committed.
func emit(ctx context.Context, db bun.IDB, name string, data any) error {
	b, err := json.Marshal(data)
	if err != nil {
		return fmt.Errorf("emit %s: %w", name, err)
	}
	if _, err := db.NewRaw(`INSERT INTO gorgon.event (name, data) VALUES (?, ?)`, name, string(b)).Exec(ctx); err != nil {
		return fmt.Errorf("emit %s: %w", name, err)
	}
	return nil
}
