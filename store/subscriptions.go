package store

import (
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/uptrace/bun/dialect/pgdialect"
)

// MaxSubscriptionsPerUser bounds the live event subscriptions (GraphQL subscriptions) one user
// may hold on one instance at once.
const MaxSubscriptionsPerUser = 20

// subscriberBuffer is how many events a subscriber may lag behind; one that falls further behind
// (a stalled client) is ended rather than slowing every other subscriber down.
const subscriberBuffer = 1024

// Event is one committed event of the gorgon.event outbox, as live subscribers see it.
type Event struct {
	ID         int64
	Name       string
	Data       map[string]any
	OccurredAt time.Time
}

// DataID returns the string field key of the event's data ("" if absent).
func (e Event) DataID(key string) string {
	s, _ := e.Data[key].(string)
	return s
}

// eventHub fans the outbox's events out to live subscribers. It is fed by the event dispatcher's
// listening connection (RunEventDispatcher): every emit notifies eventChannel with the ids of the
// events it wrote, PostgreSQL delivers the notification at commit, and the hub reads those rows
// once for all subscribers of this instance. No subscriber opens a LISTEN of its own.
//
// Delivery is live, not durable: events committed while the listener is down (reconnecting, a
// pool of one connection, a pooler in transaction mode) are dispatched to the notification
// providers later but never reach subscribers.
type eventHub struct {
	mu      sync.Mutex
	subs    map[*eventSub]struct{}
	perUser map[string]int
	queue   chan []int64
	running bool
	live    bool // the listener hears notifications
}

// EventsLive reports whether live subscribers currently receive events: the event dispatcher's
// listener runs and hears notifications.
func (s *Store) EventsLive() bool {
	s.hub.mu.Lock()
	defer s.hub.mu.Unlock()
	return s.hub.running && s.hub.live
}

func (h *eventHub) setLive(live bool) {
	h.mu.Lock()
	h.live = live
	h.mu.Unlock()
}

// Subscriptions returns how many live event subscriptions the user holds on this instance.
func (s *Store) Subscriptions(userID string) int {
	s.hub.mu.Lock()
	defer s.hub.mu.Unlock()
	return s.hub.perUser[userID]
}

type eventSub struct {
	user  string
	match func(name string) bool
	ch    chan Event
}

// SubscribeEvents delivers, until ctx ends, the events whose name match accepts, as they commit.
// The channel is closed when ctx ends, when the event dispatcher stops (shutdown), or when the
// subscriber falls more than a thousand events behind. A user holds at most
// MaxSubscriptionsPerUser subscriptions at once; beyond, it answers a not_allowed error.
func (s *Store) SubscribeEvents(ctx context.Context, userID string, match func(name string) bool) (<-chan Event, error) {
	h := &s.hub
	sub := &eventSub{user: userID, match: match, ch: make(chan Event, subscriberBuffer)}
	h.mu.Lock()
	if h.perUser[userID] >= MaxSubscriptionsPerUser {
		h.mu.Unlock()
		return nil, Errorf(NotAllowed, "Too many subscriptions: a user may hold at most %d at once", MaxSubscriptionsPerUser)
	}
	if h.subs == nil {
		h.subs, h.perUser = map[*eventSub]struct{}{}, map[string]int{}
	}
	h.subs[sub] = struct{}{}
	h.perUser[userID]++
	h.mu.Unlock()
	context.AfterFunc(ctx, func() { h.remove(sub) })
	return sub.ch, nil
}

// remove ends a subscription (once).
func (h *eventHub) remove(sub *eventSub) {
	h.mu.Lock()
	defer h.mu.Unlock()
	if _, ok := h.subs[sub]; !ok {
		return
	}
	delete(h.subs, sub)
	if h.perUser[sub.user]--; h.perUser[sub.user] <= 0 {
		delete(h.perUser, sub.user)
	}
	close(sub.ch)
}

// closeAll ends every subscription (the dispatcher stops).
func (h *eventHub) closeAll() {
	h.mu.Lock()
	subs := make([]*eventSub, 0, len(h.subs))
	for sub := range h.subs {
		subs = append(subs, sub)
	}
	h.mu.Unlock()
	for _, sub := range subs {
		h.remove(sub)
	}
}

// notified takes a notification payload (comma-separated event ids) from the listener. It never
// blocks the listener: with nobody subscribed it does nothing, and a full queue drops the ids.
func (h *eventHub) notified(payload string) {
	if payload == "" {
		return
	}
	h.mu.Lock()
	defer h.mu.Unlock()
	if len(h.subs) == 0 || !h.running {
		return
	}
	var ids []int64
	for _, p := range strings.Split(payload, ",") {
		if id, err := strconv.ParseInt(p, 10, 64); err == nil {
			ids = append(ids, id)
		}
	}
	select {
	case h.queue <- ids:
	default:
		slog.Warn("event subscribers are behind: events dropped", "events", len(ids))
	}
}

// run reads notified events and fans them out until ctx ends, then ends every subscription.
func (s *Store) runEventHub(ctx context.Context) {
	h := &s.hub
	h.mu.Lock()
	h.queue = make(chan []int64, 1024)
	h.running = true
	h.mu.Unlock()
	defer func() {
		h.mu.Lock()
		h.running = false
		h.mu.Unlock()
		h.closeAll()
	}()
	for {
		var ids []int64
		select {
		case <-ctx.Done():
			return
		case ids = <-h.queue:
		}
		// Whatever else is queued goes in the same read.
	more:
		for len(ids) < 1000 {
			select {
			case next := <-h.queue:
				ids = append(ids, next...)
			default:
				break more
			}
		}
		events, err := s.readEvents(ctx, ids)
		if err != nil {
			if ctx.Err() == nil {
				slog.Error("read events for subscribers", "err", err)
			}
			continue
		}
		h.fanOut(events)
	}
}

func (s *Store) readEvents(ctx context.Context, ids []int64) ([]Event, error) {
	rows, err := s.DB.QueryContext(ctx, `SELECT id, name, data, created_at FROM gorgon.event
		WHERE id = ANY(?) ORDER BY id`, pgdialect.Array(ids))
	if err != nil {
		return nil, fmt.Errorf("read events: %w", err)
	}
	defer rows.Close()
	var out []Event
	for rows.Next() {
		var e Event
		var raw []byte
		if err := rows.Scan(&e.ID, &e.Name, &raw, &e.OccurredAt); err != nil {
			return nil, fmt.Errorf("read events: %w", err)
		}
		_ = json.Unmarshal(raw, &e.Data)
		out = append(out, e)
	}
	return out, rows.Err()
}

func (h *eventHub) fanOut(events []Event) {
	h.mu.Lock()
	var stalled []*eventSub
	for sub := range h.subs {
		for _, e := range events {
			if !sub.match(e.Name) {
				continue
			}
			select {
			case sub.ch <- e:
			default:
				stalled = append(stalled, sub)
			}
			if len(stalled) > 0 && stalled[len(stalled)-1] == sub {
				break
			}
		}
	}
	h.mu.Unlock()
	for _, sub := range stalled {
		slog.Warn("event subscriber too slow: subscription ended", "user", sub.user)
		h.remove(sub)
	}
}

// EventOrderID returns the order an order.*, swap.* or claim.* event is about: the event's id for
// an order event, the order of the swap or claim otherwise ("" when it no longer exists).
func (s *Store) EventOrderID(ctx context.Context, e Event) (string, error) {
	id := e.DataID("id")
	var table string
	switch {
	case strings.HasPrefix(e.Name, "order."):
		return id, nil
	case strings.HasPrefix(e.Name, "swap."):
		table = "swap"
	case strings.HasPrefix(e.Name, "claim."):
		table = "claim_order"
	default:
		return "", nil
	}
	var orderID []string
	if err := s.DB.NewSelect().Table(table).Column("order_id").Where("id = ?", id).Scan(ctx, &orderID); err != nil {
		return "", dbError(err, "read "+table)
	}
	if len(orderID) == 0 {
		return "", nil
	}
	return orderID[0], nil
}
