package graph

import (
	"context"
	"log/slog"
	"strings"

	"github.com/vektah/gqlparser/v2/gqlerror"

	"github.com/gorgon-commerce/gorgon/graph/gqlmodel"
	"github.com/gorgon-commerce/gorgon/store"
	"github.com/gorgon-commerce/gorgon/store/model"
)

// Subscriptions follow the store's live events (store.SubscribeEvents): each resolver subscribes
// for the caller, then translates the events it is about until its context ends (the client
// stops, the connection closes, the server shuts down).

// subscribe opens a live event subscription for the caller.
func (r *Resolver) subscribe(ctx context.Context, prefixes ...string) (<-chan store.Event, error) {
	u := store.UserFrom(ctx)
	if u == nil {
		return nil, &gqlerror.Error{Message: "Unauthorized", Extensions: map[string]any{"code": "UNAUTHENTICATED"}}
	}
	events, err := r.Store.SubscribeEvents(ctx, u.ID, func(name string) bool {
		for _, p := range prefixes {
			if strings.HasPrefix(name, p) {
				return true
			}
		}
		return false
	})
	if err != nil {
		return nil, queryError(err)
	}
	return events, nil
}

// send delivers v unless ctx ends first.
func send[T any](ctx context.Context, out chan<- T, v T) bool {
	select {
	case out <- v:
		return true
	case <-ctx.Done():
		return false
	}
}

func batchJobDone(j *model.BatchJob) bool {
	switch j.Status {
	case model.BatchCompleted, model.BatchFailed, model.BatchCanceled:
		return true
	}
	return false
}

func (r *Resolver) batchJobProgress(ctx context.Context, id string) (<-chan *model.BatchJob, error) {
	// Subscribed before the first read, so that no change in between is missed.
	ctx, cancel := context.WithCancel(ctx)
	events, err := r.subscribe(ctx, "batch.")
	if err != nil {
		cancel()
		return nil, err
	}
	j, err := r.Store.GetBatchJob(ctx, id)
	if err != nil {
		cancel()
		return nil, queryError(err)
	}
	out := make(chan *model.BatchJob, 1)
	go func() {
		defer cancel()
		defer close(out)
		if !send(ctx, out, j) || batchJobDone(j) {
			return
		}
		for e := range events {
			if e.DataID("id") != id {
				continue
			}
			next, err := r.Store.GetBatchJob(ctx, id)
			if err != nil {
				if ctx.Err() == nil {
					slog.ErrorContext(ctx, "batchJobProgress: read job", "id", id, "err", err)
				}
				return
			}
			// Several events of one transaction (or read after a later change) find the same
			// state: it is sent once.
			if next.Status == j.Status && next.UpdatedAt.Equal(j.UpdatedAt.Time) {
				continue
			}
			j = next
			if !send(ctx, out, j) || batchJobDone(j) {
				return
			}
		}
	}()
	return out, nil
}

func (r *Resolver) orderEvents(ctx context.Context, orderID *string) (<-chan *gqlmodel.OrderEvent, error) {
	events, err := r.subscribe(ctx, "order.", "swap.", "claim.")
	if err != nil {
		return nil, err
	}
	out := make(chan *gqlmodel.OrderEvent, 1)
	go func() {
		defer close(out)
		for e := range events {
			oid, err := r.Store.EventOrderID(ctx, e)
			if err != nil {
				if ctx.Err() == nil {
					slog.ErrorContext(ctx, "orderEvents: order of event", "event", e.Name, "err", err)
				}
				continue
			}
			if oid == "" || (orderID != nil && *orderID != oid) {
				continue
			}
			if !send(ctx, out, &gqlmodel.OrderEvent{
				Name: e.Name, OrderID: oid, ResourceID: e.DataID("id"), Data: eventData(e),
				OccurredAt: model.Time{Time: e.OccurredAt.UTC()},
			}) {
				return
			}
		}
	}()
	return out, nil
}

func (r *Resolver) productChanges(ctx context.Context) (<-chan *gqlmodel.ProductChange, error) {
	events, err := r.subscribe(ctx, "product.created", "product.updated", "product.deleted")
	if err != nil {
		return nil, err
	}
	out := make(chan *gqlmodel.ProductChange, 1)
	go func() {
		defer close(out)
		for e := range events {
			if e.Name != "product.created" && e.Name != "product.updated" && e.Name != "product.deleted" {
				continue
			}
			if !send(ctx, out, &gqlmodel.ProductChange{
				Name: e.Name, ProductID: e.DataID("id"), Data: eventData(e),
				OccurredAt: model.Time{Time: e.OccurredAt.UTC()},
			}) {
				return
			}
		}
	}()
	return out, nil
}

func eventData(e store.Event) map[string]any {
	if e.Data == nil {
		return map[string]any{}
	}
	return e.Data
}
