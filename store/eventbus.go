package store

import (
	"context"
	"crypto/rand"
	"database/sql/driver"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/stdlib"
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

// RunEventDispatcher delivers the outbox's events until ctx ends. It listens on eventChannel on a
// connection of its own (dialled to Config.ListenURL when set, else taken from the pool for as
// long as it runs), and dispatches as soon as a
// committed transaction has emitted an event, on this instance or another; it also dispatches
// every fallback interval, for events whose notification was missed (emitted while the listener
// was reconnecting, or written by an older Gorgon). An idle instance thus asks the database
// nothing between fallbacks, where it used to poll every second. If listening fails (the
// connection is lost, or the driver is not pgx), it polls every fallback interval and tries
// again.
//
// The listener also feeds the live subscribers (SubscribeEvents): they end when ctx ends.
func (s *Store) RunEventDispatcher(ctx context.Context, fallback time.Duration) {
	hubDone := make(chan struct{})
	go func() { s.runEventHub(ctx); close(hubDone) }()
	defer func() { <-hubDone }()
	if s.DB.Stats().MaxOpenConnections == 1 && s.Config.ListenURL == "" {
		// The listener would hold the pool's only connection and starve everything else,
		// dispatching included: poll every second instead.
		slog.Warn("a pool of one connection: events are dispatched by polling every second")
		s.pollEvents(ctx, time.Second)
		return
	}
	for ctx.Err() == nil {
		err := s.listenAndDispatch(ctx, fallback)
		if ctx.Err() != nil {
			return
		}
		slog.Warn("event listener stopped; dispatching by polling until it reconnects", "err", err, "every", fallback)
		s.dispatchPending(ctx)
		select {
		case <-ctx.Done():
			return
		case <-time.After(fallback):
		}
	}
}

// listenAndDispatch runs the dispatcher on a dedicated listening connection until ctx ends or the
// connection fails.
func (s *Store) listenAndDispatch(ctx context.Context, fallback time.Duration) error {
	if s.Config.ListenURL != "" {
		pc, err := pgx.Connect(ctx, s.Config.ListenURL)
		if err != nil {
			return fmt.Errorf("event listener: connect to DATABASE_LISTEN_URL: %w", err)
		}
		defer pc.Close(context.WithoutCancel(ctx))
		return s.listenOn(ctx, pc, fallback)
	}
	conn, err := s.DB.Conn(ctx)
	if err != nil {
		return fmt.Errorf("event listener: %w", err)
	}
	defer conn.Close()
	return conn.Raw(func(driverConn any) error {
		sc, ok := driverConn.(*stdlib.Conn)
		if !ok {
			return fmt.Errorf("event listener: driver connection is %T, not pgx", driverConn)
		}
		pc := sc.Conn()
		// Nothing may stay on this connection: database/sql gets it back when the dispatcher stops.
		defer pc.Exec(context.WithoutCancel(ctx), "UNLISTEN *") //nolint:errcheck
		return s.listenOn(ctx, pc, fallback)
	})
}

// listenOn listens on pc and dispatches until ctx ends or the connection fails.
func (s *Store) listenOn(ctx context.Context, pc *pgx.Conn, fallback time.Duration) error {
	if _, err := pc.Exec(ctx, "LISTEN "+eventChannel+"; LISTEN "+authChannel); err != nil {
		return errors.Join(fmt.Errorf("event listener: %w", err), driver.ErrBadConn)
	}
	// Authentication lookups are remembered only while changes to them are heard
	// (authcache.go), and only once this connection has heard one: behind a pooler in
	// transaction mode (pgbouncer) a LISTEN succeeds but its notifications go nowhere.
	heard, err := s.probeListener(ctx, pc)
	if err != nil {
		return errors.Join(fmt.Errorf("event listener: %w", err), driver.ErrBadConn)
	}
	if heard {
		s.auth.enable(true)
		defer s.auth.enable(false)
		s.hub.setLive(true)
		defer s.hub.setLive(false)
	} else {
		// The same pooler keeps no named statement between transactions.
		x := extrasOf(s.DB)
		if x.prepared.Load() {
			x.switchOff("notifications do not come back", nil)
		}
		slog.Warn("notifications do not reach the listening connection (a pooler in transaction mode? " +
			"DATABASE_LISTEN_URL can name a direct connection): events are dispatched by polling and " +
			"authentication lookups are not cached")
	}
	dispatch := true
	for {
		// Listening first, then dispatching: an event committed in between is both
		// dispatched now and notified (a spare pass that finds nothing), never lost.
		if dispatch {
			s.dispatchPending(ctx)
		}
		wctx, cancel := context.WithTimeout(ctx, fallback)
		n, err := pc.WaitForNotification(wctx)
		cancel()
		// A change to users, tokens or sessions: forget what was remembered; no event came.
		dispatch = n == nil || n.Channel != authChannel
		if !dispatch {
			s.auth.flush()
		}
		// Every emitting statement notifies (its event ids go to the live subscribers): the
		// notifications already received are taken at once, for one dispatch pass.
		for n != nil && err == nil {
			if n.Channel == eventChannel {
				s.hub.notified(n.Payload)
				dispatch = true
			} else if n.Channel == authChannel {
				s.auth.flush()
			}
			dctx, dcancel := context.WithTimeout(ctx, time.Millisecond)
			n, err = pc.WaitForNotification(dctx)
			dcancel()
			if errors.Is(err, context.DeadlineExceeded) && ctx.Err() == nil {
				n, err = nil, nil
			}
		}
		switch {
		case ctx.Err() != nil:
			return nil
		case err == nil, errors.Is(err, context.DeadlineExceeded):
			// notified, or the fallback interval passed: dispatch again
		default:
			// The connection is broken: database/sql must not reuse it.
			return errors.Join(fmt.Errorf("event listener: %w", err), driver.ErrBadConn)
		}
	}
}

// listenerProbeWait is how long a new listener waits for its own probe notification.
var listenerProbeWait = 5 * time.Second

// probeListener sends a notification on authChannel from another connection and reports whether
// pc, which LISTENs there, receives it.
func (s *Store) probeListener(ctx context.Context, pc *pgx.Conn) (bool, error) {
	b := make([]byte, 12)
	_, _ = rand.Read(b)
	probe := "probe:" + hex.EncodeToString(b)
	if _, err := s.DB.ExecContext(ctx, "SELECT pg_notify(?, ?)", authChannel, probe); err != nil {
		return false, err
	}
	wctx, cancel := context.WithTimeout(ctx, listenerProbeWait)
	defer cancel()
	for {
		n, err := pc.WaitForNotification(wctx)
		switch {
		case err == nil && n.Payload == probe:
			return true, nil
		case err == nil:
			continue // another instance's notification; the dispatch after the probe covers events
		case ctx.Err() != nil:
			return false, ctx.Err()
		case errors.Is(err, context.DeadlineExceeded):
			return false, nil
		default:
			return false, err
		}
	}
}

// pollEvents dispatches every interval until ctx ends.
func (s *Store) pollEvents(ctx context.Context, interval time.Duration) {
	t := time.NewTicker(interval)
	defer t.Stop()
	for {
		s.dispatchPending(ctx)
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}

// dispatchPending dispatches until the outbox has no pending event left (or an error).
func (s *Store) dispatchPending(ctx context.Context) {
	for {
		n, err := s.DispatchEvents(ctx, 100)
		if err != nil && ctx.Err() == nil {
			slog.Error("dispatch events", "err", err)
		}
		if n < 100 || err != nil {
			return
		}
	}
}
