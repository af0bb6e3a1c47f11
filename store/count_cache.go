package store

import (
	"sync"
	"sync/atomic"

	"github.com/uptrace/bun"
)

// Counts by database state.
//
// Medusa's list envelope carries the exact number of matching rows, so every page counts them:
// an index-only scan of every match (50,000 orders: ~4 ms, a third of PostgreSQL's time for an
// order page; 20,000 customers: most of a customer page's). But the count can only change when
// some transaction commits, and PostgreSQL says whether one has: a statement's snapshot
// (pg_current_snapshot(): the lowest running transaction, one past the latest completed one,
// those running in between) is the same text exactly when no transaction has completed since
// another statement took it, and two statements with the same snapshot see the same rows.
//
// So a page's count column is `CASE WHEN pg_current_snapshot()::text = <the snapshot of the
// last count of this query> THEN -1 ELSE (<count>) END`, with the statement's own snapshot
// beside it: PostgreSQL runs the count subquery only when its value is used (an InitPlan runs
// lazily), so a page read while nothing was written anywhere in the cluster since the last count
// costs no count, and its count is the one remembered. Any commit (of any client: Medusa's
// storefront, a script, another instance) changes the snapshot, and the next page counts again.
// It stays one statement and exact; what it saves depends on how often the cluster commits.
//
// The snapshot's transaction ids are 64-bit (with epoch), so they never wrap around. A failover
// to a standby that lost transactions could, in principle, reach an old snapshot's text with
// other rows: the remembered counts are dropped whenever the database becomes unreachable
// (connectionTrouble), which a failover always is.

// countCache remembers, per count statement, the snapshot it last ran in and what it counted.
type countCache struct {
	mu      sync.Mutex
	entries map[string]countEntry
}

type countEntry struct {
	snapshot string
	n        int64
	trouble  uint64 // connectionTrouble when counted
}

// maxCountEntries bounds the remembered counts (one per distinct filter); past it they are
// forgotten all at once, which only costs counting again.
const maxCountEntries = 4096

// connectionTrouble is incremented whenever the database is found unreachable.
var connectionTrouble atomic.Uint64

func (c *countCache) get(key string) countEntry {
	c.mu.Lock()
	defer c.mu.Unlock()
	e := c.entries[key]
	if e.trouble != connectionTrouble.Load() {
		return countEntry{}
	}
	return e
}

func (c *countCache) put(key string, e countEntry) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.entries == nil || len(c.entries) >= maxCountEntries {
		c.entries = map[string]countEntry{}
	}
	c.entries[key] = e
}

// countProbe is one page's use of the cache.
type countProbe struct {
	c    *countCache
	key  string
	sent countEntry // the entry the page's statement compared its snapshot with
}

// withCount adds the count columns to q, a page query of a model with gorgon_full_count and
// gorgon_snapshot scan-only fields: the count of countQ, or -1 where it is the remembered one.
func withCount(db *bun.DB, q, countQ *bun.SelectQuery) (*bun.SelectQuery, *countProbe) {
	p := &countProbe{c: &extrasOf(db).counts, key: countQ.String()}
	p.sent = p.c.get(p.key)
	p.sent.trouble = connectionTrouble.Load()
	q = q.ColumnExpr("(SELECT CASE WHEN pg_current_snapshot()::text = ? THEN -1 ELSE (?) END) AS gorgon_full_count", p.sent.snapshot, countQ).
		ColumnExpr("(SELECT pg_current_snapshot()::text) AS gorgon_snapshot")
	return q, p
}

// n is the count a page's row carries (full, its gorgon_full_count, read in snapshot, its
// gorgon_snapshot), which it remembers when it was counted.
func (p *countProbe) n(full int64, snapshot string) int64 {
	if full < 0 && snapshot == p.sent.snapshot {
		return p.sent.n
	}
	if snapshot != "" {
		p.c.put(p.key, countEntry{snapshot: snapshot, n: full, trouble: p.sent.trouble})
	}
	return full
}
