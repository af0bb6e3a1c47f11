package server

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"sync"

	"github.com/99designs/gqlgen/graphql"
	"github.com/99designs/gqlgen/graphql/handler/lru"
	"github.com/vektah/gqlparser/v2/gqlerror"
)

// Documents is a registry of GraphQL documents by the SHA-256 of their text, filled ahead of
// time from clients' build output (`gorgon graphql register`).
type Documents interface {
	PersistedDocument(ctx context.Context, hash string) (body string, ok bool, err error)
}

// apqCache is the cache behind Apollo's automatic persisted queries: documents clients sent
// recently (in memory, per instance), then the registry, so a registered hash works on every
// instance and after a restart. In persisted-only mode clients cannot add to it.
type apqCache struct {
	recent   *lru.LRU[string]
	registry Documents
	readOnly bool
}

func (c *apqCache) Get(ctx context.Context, hash string) (string, bool) {
	if q, ok := c.recent.Get(ctx, hash); ok {
		return q, true
	}
	if c.registry == nil {
		return "", false
	}
	q, ok, err := c.registry.PersistedDocument(ctx, hash)
	if err != nil || !ok {
		return "", false
	}
	c.recent.Add(ctx, hash, q)
	return q, true
}

func (c *apqCache) Add(ctx context.Context, hash, query string) {
	if !c.readOnly {
		c.recent.Add(ctx, hash, query)
	}
}

// persistedOnly executes only registered documents (an allow-list, as Apollo's safelisting):
// whether a client sends the hash, the text, or both, the text must be in the registry.
type persistedOnly struct {
	registry Documents
	known    sync.Map // hash -> struct{}: registered documents are never removed while serving
}

var _ interface {
	graphql.HandlerExtension
	graphql.OperationParameterMutator
} = (*persistedOnly)(nil)

func (*persistedOnly) ExtensionName() string { return "PersistedOnly" }

func (*persistedOnly) Validate(graphql.ExecutableSchema) error { return nil }

func (p *persistedOnly) MutateOperationParameters(ctx context.Context, raw *graphql.RawParams) *gqlerror.Error {
	if raw.Query == "" {
		// Not found by the persisted-query extension either: it has answered already.
		return nil
	}
	sum := sha256.Sum256([]byte(raw.Query))
	hash := hex.EncodeToString(sum[:])
	if _, ok := p.known.Load(hash); ok {
		return nil
	}
	_, ok, err := p.registry.PersistedDocument(ctx, hash)
	if err != nil {
		return &gqlerror.Error{Message: "the persisted document registry cannot be read", Extensions: map[string]any{"code": "INTERNAL_SERVER_ERROR"}}
	}
	if !ok {
		return &gqlerror.Error{
			Message:    "This server executes only registered documents; this one is not registered",
			Extensions: map[string]any{"code": "PERSISTED_QUERY_NOT_IN_LIST"},
		}
	}
	p.known.Store(hash, struct{}{})
	return nil
}
