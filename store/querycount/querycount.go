// Package querycount counts the SQL statements a piece of work issues, so tests can assert that a
// list endpoint costs a bounded number of queries whatever the page size.
package querycount

import (
	"context"
	"sync/atomic"

	"github.com/uptrace/bun"
)

type ctxKey struct{}

// Counter counts statements issued with a context that carries it.
type Counter struct{ n atomic.Int64 }

// N returns the number of statements counted so far.
func (c *Counter) N() int64 { return c.n.Load() }

// With returns a context whose queries are counted by c.
func With(ctx context.Context, c *Counter) context.Context {
	return context.WithValue(ctx, ctxKey{}, c)
}

// Hook is a bun query hook that feeds the Counter found in the query's context.
type Hook struct {
	// All, when set, counts every statement regardless of context.
	All *Counter
}

// BeforeQuery implements bun.QueryHook.
func (h Hook) BeforeQuery(ctx context.Context, _ *bun.QueryEvent) context.Context { return ctx }

// AfterQuery implements bun.QueryHook.
func (h Hook) AfterQuery(ctx context.Context, _ *bun.QueryEvent) {
	if c, ok := ctx.Value(ctxKey{}).(*Counter); ok {
		c.n.Add(1)
	}
	if h.All != nil {
		h.All.n.Add(1)
	}
}

// From returns the counter ctx carries, if any (a middleware that counts a request's statements
// reuses a counter a test already put there rather than hiding it).
func From(ctx context.Context) (*Counter, bool) {
	c, ok := ctx.Value(ctxKey{}).(*Counter)
	return c, ok
}
