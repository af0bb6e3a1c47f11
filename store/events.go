package store

import (
	"context"
	"encoding/json"
	"fmt"

	"github.com/uptrace/bun"
	"github.com/uptrace/bun/dialect/pgdialect"
)

// eventChannel is the PostgreSQL notification channel that wakes the event dispatchers.
const eventChannel = "gorgon_event"

// emit records one of Medusa's events (e.g. "user.created") in the gorgon.event outbox, inside
// the caller's transaction, so an event exists exactly when the change it announces was committed.
// The same statement notifies eventChannel, which PostgreSQL delivers at commit (and never for a
// rolled-back change), waking every instance's dispatcher (RunEventDispatcher) at once. The
// payload is the event's id, which the dispatcher hands to the live subscribers
// (subscriptions.go).
func emit(ctx context.Context, db bun.IDB, name string, data any) error {
	b, err := json.Marshal(data)
	if err != nil {
		return fmt.Errorf("emit %s: %w", name, err)
	}
	if _, err := db.NewRaw(`WITH e AS (INSERT INTO gorgon.event (name, data) VALUES (?, ?) RETURNING id)
		SELECT pg_notify(?, id::text) FROM e`, name, string(b), eventChannel).Exec(ctx); err != nil {
		return fmt.Errorf("emit %s: %w", name, err)
	}
	return nil
}

// event is one of Medusa's events, for emitAll.
type event struct {
	name string
	data any
}

// emitAll records several events in one statement (emit's rules), in order. The notification
// payloads list the ids, comma-separated, at most 300 a notification (PostgreSQL bounds a
// payload to 8000 bytes).
func emitAll(ctx context.Context, db bun.IDB, events []event) error {
	q, err := emitAllQuery(db, events)
	if err != nil || q == nil {
		return err
	}
	if _, err := q.Exec(ctx); err != nil {
		return fmt.Errorf("emit %s…: %w", events[0].name, err)
	}
	return nil
}

// emitAllQuery is emitAll's statement, for a script (nil when there is no event).
func emitAllQuery(db bun.IDB, events []event) (*bun.RawQuery, error) {
	if len(events) == 0 {
		return nil, nil
	}
	names, datas := make([]string, len(events)), make([]string, len(events))
	for i, e := range events {
		b, err := json.Marshal(e.data)
		if err != nil {
			return nil, fmt.Errorf("emit %s: %w", e.name, err)
		}
		names[i], datas[i] = e.name, string(b)
	}
	return db.NewRaw(`WITH e AS (INSERT INTO gorgon.event (name, data)
		SELECT n, d::jsonb FROM unnest(?::varchar[], ?::text[]) WITH ORDINALITY AS t(n, d, i) ORDER BY i RETURNING id)
		SELECT pg_notify(?, string_agg(id::text, ',' ORDER BY id)) FROM e GROUP BY id / 300`, pgdialect.Array(names), pgdialect.Array(datas), eventChannel), nil
}
