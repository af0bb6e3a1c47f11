package store

import (
	"context"
	"sync"
	"sync/atomic"
	"time"

	"github.com/uptrace/bun"

	"github.com/gorgon-commerce/gorgon/store/model"
)

// authChannel is the PostgreSQL notification channel that tells every instance to forget the
// users it remembered for API tokens and sessions: sent, inside the writing transaction, by
// every change to a user, a token or a session (logout, deletion, password reset).
const authChannel = "gorgon_auth"

// authCacheTTL bounds how long a remembered lookup is used even without a notification.
const authCacheTTL = time.Minute

// authCacheMax bounds the entries kept; beyond it the cache starts afresh.
const authCacheMax = 10_000

// authCache remembers which user an API token or a session id belongs to, so that a request
// does not start with a database round trip. It is on only while the instance listens on
// authChannel (RunEventDispatcher): a change on any instance then reaches every cache when it
// commits, and a cache that could miss one (no listener, or a listener reconnecting) is off and
// empty.
type authCache struct {
	on       atomic.Bool
	mu       sync.Mutex
	gen      uint64 // bumped by every flush
	tokens   map[string]authEntry
	sessions map[string]authEntry
}

type authEntry struct {
	user  model.User
	until time.Time
}

// begin returns the generation a lookup starts in: put refuses its result if a flush happened
// meanwhile (the database may have answered before the change committed).
func (c *authCache) begin() uint64 {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.gen
}

func (c *authCache) get(sessions bool, key string) (*model.User, bool) {
	if !c.on.Load() {
		return nil, false
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	m := c.tokens
	if sessions {
		m = c.sessions
	}
	e, ok := m[key]
	if !ok || time.Now().After(e.until) {
		return nil, false
	}
	u := e.user // a copy: handlers may not change the cached user
	return &u, true
}

func (c *authCache) put(sessions bool, key string, u *model.User, until time.Time, gen uint64) {
	if !c.on.Load() {
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if gen != c.gen {
		return
	}
	if c.tokens == nil || len(c.tokens)+len(c.sessions) >= authCacheMax {
		c.tokens, c.sessions = map[string]authEntry{}, map[string]authEntry{}
	}
	m := c.tokens
	if sessions {
		m = c.sessions
	}
	if limit := time.Now().Add(authCacheTTL); until.IsZero() || until.After(limit) {
		until = limit
	}
	m[key] = authEntry{user: *u, until: until}
}

// flush forgets everything.
func (c *authCache) flush() {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.gen++
	c.tokens, c.sessions = nil, nil
}

// enable switches the cache on (the listener is up) or off (it is not), empty either way.
func (c *authCache) enable(on bool) {
	c.on.Store(on)
	c.flush()
}

// notifyAuthChanged, inside a transaction that changes a user, a token or a session, makes
// every instance forget its remembered lookups when (and only if) it commits.
func notifyAuthChanged(ctx context.Context, db bun.IDB) error {
	_, err := db.NewRaw(`SELECT pg_notify(?, '')`, authChannel).Exec(ctx)
	return err
}

// AuthCacheOn reports whether API token and session lookups are being remembered.
func (s *Store) AuthCacheOn() bool { return s.auth.on.Load() }
