// Package sqlhooks keeps the query hooks of each *bun.DB where the store can run them for
// statements it sends around bun (bun runs its hooks only for statements it sends itself).
package sqlhooks

import (
	"sync"

	"github.com/uptrace/bun"
)

var hooks sync.Map // *bun.DB → []bun.QueryHook

var mu sync.Mutex // serialises Add

// Add adds h to db's query hooks, bun's and those Of reports. Use it instead of db.AddQueryHook.
func Add(db *bun.DB, h bun.QueryHook) {
	db.AddQueryHook(h)
	mu.Lock()
	defer mu.Unlock()
	old, _ := hooks.Load(db)
	hs, _ := old.([]bun.QueryHook)
	hooks.Store(db, append(hs[:len(hs):len(hs)], h))
}

// Of returns db's hooks added through Add, in order.
func Of(db *bun.DB) []bun.QueryHook {
	hs, _ := hooks.Load(db)
	h, _ := hs.([]bun.QueryHook)
	return h
}
