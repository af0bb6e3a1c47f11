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
	// RegionByID loads live regions without relations (a country's region).
	RegionByID *dataloadgen.Loader[string, *model.Region]
	// RegionCountriesByRegionID, RegionPaymentProvidersByRegionID and
	// RegionFulfillmentProvidersByRegionID load a region's lists, by id.
	RegionCountriesByRegionID            *dataloadgen.Loader[string, []*model.Country]
	RegionPaymentProvidersByRegionID     *dataloadgen.Loader[string, []*model.PaymentProvider]
	RegionFulfillmentProvidersByRegionID *dataloadgen.Loader[string, []*model.FulfillmentProvider]
	// RegionFulfillmentOptionsByRegionID asks a region's fulfillment providers for their options;
	// a region with a provider this instance does not serve gets the store's not_found error.
	RegionFulfillmentOptionsByRegionID *dataloadgen.Loader[string, []store.FulfillmentOptions]
	// CurrencyByCode loads currencies by lower-case code.
	CurrencyByCode *dataloadgen.Loader[string, *model.Currency]
	// TaxProviderByID loads tax provider rows.
	TaxProviderByID *dataloadgen.Loader[string, *model.TaxProvider]
	// NotificationByID loads notifications without relations (a resend's original).
	NotificationByID *dataloadgen.Loader[string, *model.Notification]
	// NotificationResendsByParentID loads a notification's resends, oldest first.
	NotificationResendsByParentID *dataloadgen.Loader[string, []*model.Notification]
	// NotificationProviderByID loads notification provider rows.
	NotificationProviderByID *dataloadgen.Loader[string, *model.NotificationProvider]
	// Catalog loads the nested fields of products, variants, collections and price lists.
	Catalog *Catalog
}

// batchWait is how long a loader collects keys before one query: resolvers of one list level run
// in the same tick, so a short wait suffices.
var batchWait = 2 * time.Millisecond

// SetBatchWait changes the collection window. Statement-count tests widen it so that a loaded
// machine (CI, -race) cannot split one list level into two batches.
func SetBatchWait(d time.Duration) { batchWait = d }

func newLoaders(s *store.Store) *Loaders {
	return &Loaders{
		UserByID:         dataloadgen.NewMappedLoader(s.UsersByIDs, dataloadgen.WithWait(batchWait)),
		ReturnReasonByID: dataloadgen.NewMappedLoader(s.ReturnReasonsByIDs, dataloadgen.WithWait(batchWait)),
		ReturnReasonChildrenByParentID: dataloadgen.NewMappedLoader(s.ReturnReasonChildrenByParentIDs,
			dataloadgen.WithWait(batchWait)),
		RegionByID:                dataloadgen.NewMappedLoader(s.RegionsByIDs, dataloadgen.WithWait(batchWait)),
		RegionCountriesByRegionID: dataloadgen.NewMappedLoader(s.RegionCountriesByRegionIDs, dataloadgen.WithWait(batchWait)),
		RegionPaymentProvidersByRegionID: dataloadgen.NewMappedLoader(s.RegionPaymentProvidersByRegionIDs,
			dataloadgen.WithWait(batchWait)),
		RegionFulfillmentProvidersByRegionID: dataloadgen.NewMappedLoader(s.RegionFulfillmentProvidersByRegionIDs,
			dataloadgen.WithWait(batchWait)),
		RegionFulfillmentOptionsByRegionID: dataloadgen.NewMappedLoader(regionFulfillmentOptions(s),
			dataloadgen.WithWait(batchWait)),
		CurrencyByCode:   dataloadgen.NewMappedLoader(s.CurrenciesByCodes, dataloadgen.WithWait(batchWait)),
		TaxProviderByID:  dataloadgen.NewMappedLoader(s.TaxProvidersByIDs, dataloadgen.WithWait(batchWait)),
		NotificationByID: dataloadgen.NewMappedLoader(s.NotificationsByIDs, dataloadgen.WithWait(batchWait)),
		NotificationResendsByParentID: dataloadgen.NewMappedLoader(s.NotificationResendsByParentIDs,
			dataloadgen.WithWait(batchWait)),
		NotificationProviderByID: dataloadgen.NewMappedLoader(s.NotificationProvidersByIDs, dataloadgen.WithWait(batchWait)),
		Catalog:                  newCatalog(s),
	}
}

// regionFulfillmentOptions adapts the store's batch to a mapped fetch: a region's own error (a
// provider not served) fails that region's load only.
func regionFulfillmentOptions(s *store.Store) func(context.Context, []string) (map[string][]store.FulfillmentOptions, error) {
	return func(ctx context.Context, ids []string) (map[string][]store.FulfillmentOptions, error) {
		opts, errs, err := s.RegionFulfillmentOptionsByIDs(ctx, ids)
		if err != nil || len(errs) == 0 {
			return opts, err
		}
		return opts, dataloadgen.MappedFetchError[string](errs)
	}
}

// With returns ctx with fresh Loaders: for each answer of an operation served over a WebSocket,
// whose connection outlives any one answer (a subscription's events must not be read from what
// an earlier event cached).
func With(ctx context.Context, s *store.Store) context.Context {
	return context.WithValue(ctx, ctxKey{}, newLoaders(s))
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
