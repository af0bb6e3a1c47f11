// Package loaders holds the per-request dataloaders that batch the store reads behind nested
// GraphQL fields, so a page of N objects costs a constant number of SQL statements (no N+1).
package loaders

import (
	"context"
	"errors"
	"net/http"
	"time"

	"github.com/vikstrous/dataloadgen"

	"github.com/gorgon-commerce/gorgon/store"
	"github.com/gorgon-commerce/gorgon/store/model"
)

type ctxKey struct{}

// Loaders are created per request: caches never outlive it, so no stale data crosses requests.
type Loaders struct {
	UserByID *dataloadgen.Loader[string, *model.User]
	// ReturnReasonByID loads live return reasons (a reason's parent).
	ReturnReasonByID *dataloadgen.Loader[string, *model.ReturnReason]
	// ReturnReasonChildrenByParentID loads a reason's live children, oldest first.
	ReturnReasonChildrenByParentID *dataloadgen.Loader[string, []*model.ReturnReason]
}

// batchWait is how long a loader collects keys before one query: resolvers of one list level run
// in the same tick, so a short wait suffices.
const batchWait = 2 * time.Millisecond

func newLoaders(s *store.Store) *Loaders {
	return &Loaders{
		UserByID:         dataloadgen.NewMappedLoader(s.UsersByIDs, dataloadgen.WithWait(batchWait)),
		ReturnReasonByID: dataloadgen.NewMappedLoader(s.ReturnReasonsByIDs, dataloadgen.WithWait(batchWait)),
		ReturnReasonChildrenByParentID: dataloadgen.NewMappedLoader(s.ReturnReasonChildrenByParentIDs,
			dataloadgen.WithWait(batchWait)),
	}
}

// Middleware puts fresh Loaders into every request's context.
func Middleware(s *store.Store, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ctx := context.WithValue(r.Context(), ctxKey{}, newLoaders(s))
		next.ServeHTTP(w, r.WithContext(ctx))
	})
}

// For returns the request's loaders.
func For(ctx context.Context) *Loaders {
	return ctx.Value(ctxKey{}).(*Loaders)
}

// Optional is a Load result in which a missing key is null rather than an error (a deleted
// author, a deleted parent).
func Optional[V any](v V, err error) (V, error) {
	if errors.Is(err, dataloadgen.ErrNotFound) {
		var zero V
		return zero, nil
	}
	return v, err
}
