package server

import (
	"context"
	"math"
	"sync"
	"time"

	"github.com/99designs/gqlgen/graphql"
	"github.com/99designs/gqlgen/graphql/handler/extension"
	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vektah/gqlparser/v2/gqlerror"
)

// Query cost as Shopify's Admin API reports it: every answer carries
//
//	"extensions": {"cost": {"requestedQueryCost", "actualQueryCost",
//	  "throttleStatus": {"maximumAvailable", "currentlyAvailable", "restoreRate"}}}
//
// Each caller (CostKey: a user) has a bucket of MaxAvailable points that refills at RestoreRate
// points per second. An operation is admitted when the bucket holds its requested cost (gqlgen's
// complexity: a connection costs its page size times a node, aliases count each time) and then
// pays what it really cost: one point per field in the answer. One that does not fit is refused
// before it runs, with code THROTTLED. The operations of a batch pay one after the other from the
// same bucket, so neither aliases nor batches multiply a caller's share. Buckets live in each
// instance's memory: N instances behind a balancer admit up to N times the rate.
type costLimit struct {
	max, rate float64
	key       func(context.Context) string

	mu      sync.Mutex
	buckets map[string]*bucket
}

type bucket struct {
	available float64
	at        time.Time
}

// costStats is what an operation's cost extension reports, kept on its operation context.
type costStats struct {
	requested int
	admitted  bool
	bucketKey string
}

const costStatsKey = "gorgon.cost"

var _ interface {
	graphql.HandlerExtension
	graphql.OperationContextMutator
	graphql.ResponseInterceptor
} = (*costLimit)(nil)

func newCostLimit(max, rate float64, key func(context.Context) string) *costLimit {
	return &costLimit{max: max, rate: rate, key: key, buckets: map[string]*bucket{}}
}

func (*costLimit) ExtensionName() string { return "QueryCost" }

func (*costLimit) Validate(graphql.ExecutableSchema) error { return nil }

// refill brings a bucket up to now; the caller holds mu.
func (c *costLimit) refill(k string, now time.Time) *bucket {
	b, ok := c.buckets[k]
	if !ok {
		b = &bucket{available: c.max, at: now}
		c.buckets[k] = b
		if len(c.buckets) > 10000 {
			c.forgetFull(now)
		}
		return b
	}
	b.available = math.Min(c.max, b.available+now.Sub(b.at).Seconds()*c.rate)
	b.at = now
	return b
}

// forgetFull drops the buckets that have refilled completely: they hold nothing worth keeping.
func (c *costLimit) forgetFull(now time.Time) {
	for k, b := range c.buckets {
		if b.available+now.Sub(b.at).Seconds()*c.rate >= c.max {
			delete(c.buckets, k)
		}
	}
}

func (c *costLimit) MutateOperationContext(ctx context.Context, opCtx *graphql.OperationContext) *gqlerror.Error {
	requested := 0
	if s := extension.GetComplexityStats(ctx); s != nil {
		requested = s.Complexity
	}
	st := &costStats{requested: requested, bucketKey: c.key(ctx)}
	opCtx.Stats.SetExtension(costStatsKey, st)
	c.mu.Lock()
	defer c.mu.Unlock()
	b := c.refill(st.bucketKey, time.Now())
	if float64(requested) > b.available {
		return &gqlerror.Error{
			Message:    "Throttled: this operation's cost exceeds the points available; retry when the bucket has refilled",
			Extensions: map[string]any{"code": "THROTTLED"},
		}
	}
	b.available -= float64(requested)
	st.admitted = true
	return nil
}

func (c *costLimit) InterceptResponse(ctx context.Context, next graphql.ResponseHandler) *graphql.Response {
	resp := next(ctx)
	if resp == nil || !graphql.HasOperationContext(ctx) {
		return resp
	}
	if op := graphql.GetOperationContext(ctx).Operation; op != nil && op.Operation == ast.Subscription {
		// A subscription pays its requested cost once, when it starts; its events are free
		// and carry no extensions.cost.
		return resp
	}
	st, _ := graphql.GetOperationContext(ctx).Stats.GetExtension(costStatsKey).(*costStats)
	if st == nil {
		return resp
	}
	actual := 0
	if st.admitted {
		actual = countFields(resp.Data)
	}
	c.mu.Lock()
	b := c.refill(st.bucketKey, time.Now())
	if st.admitted && actual < st.requested {
		// Pay what the answer cost, not what it might have.
		b.available = math.Min(c.max, b.available+float64(st.requested-actual))
	}
	available := b.available
	c.mu.Unlock()
	if resp.Extensions == nil {
		resp.Extensions = map[string]any{}
	}
	resp.Extensions["cost"] = costExtension{
		RequestedQueryCost: st.requested,
		ActualQueryCost:    actual,
		ThrottleStatus:     throttleStatus{MaximumAvailable: c.max, CurrentlyAvailable: math.Floor(available), RestoreRate: c.rate},
	}
	return resp
}

// costExtension is extensions.cost, its keys in Shopify's order.
type costExtension struct {
	RequestedQueryCost int            `json:"requestedQueryCost"`
	ActualQueryCost    int            `json:"actualQueryCost"`
	ThrottleStatus     throttleStatus `json:"throttleStatus"`
}

type throttleStatus struct {
	MaximumAvailable   float64 `json:"maximumAvailable"`
	CurrentlyAvailable float64 `json:"currentlyAvailable"`
	RestoreRate        float64 `json:"restoreRate"`
}

// countFields counts the fields of a JSON answer (the keys of all its objects) without decoding
// it: a byte scan that skips strings.
func countFields(data []byte) int {
	n, inString, escaped := 0, false, false
	for _, ch := range data {
		switch {
		case inString:
			switch {
			case escaped:
				escaped = false
			case ch == '\\':
				escaped = true
			case ch == '"':
				inString = false
			}
		case ch == '"':
			inString = true
		case ch == ':':
			n++
		}
	}
	return n
}
