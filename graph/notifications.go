package graph

import (
	"context"

	"github.com/gorgon-commerce/gorgon/graph/generated"
	"github.com/gorgon-commerce/gorgon/graph/gqlmodel"
	"github.com/gorgon-commerce/gorgon/graph/loaders"
	"github.com/gorgon-commerce/gorgon/graph/node"
	"github.com/gorgon-commerce/gorgon/store"
	"github.com/gorgon-commerce/gorgon/store/model"
)

func init() {
	nodeFetchers["noti"] = func(ctx context.Context, r *Resolver, id string) (node.Node, error) {
		return r.Store.GetNotification(ctx, id)
	}
	complexityHooks = append(complexityHooks, func(c *generated.ComplexityRoot) {
		c.Query.Notifications = func(child int, first *int, _ *string, _ map[string]any, _, _, _, _ []string, _ *bool) int {
			return connCost(child, first)
		}
	})
}

func (r *Resolver) notificationConnection(ctx context.Context, first *int, after *string, where map[string]any, eventName, resourceType, resourceID, to []string,
	includeResends *bool) (*gqlmodel.NotificationConnection, error) {
	p, err := page(first, after)
	if err != nil {
		return nil, err
	}
	if p.Where, err = plainWhere(where); err != nil {
		return nil, err
	}
	f := store.NotificationFilter{EventName: eventName, ResourceType: resourceType, ResourceID: resourceID, To: to,
		IncludeResends: includeResends != nil && *includeResends}
	list, total, err := r.Store.ListNotificationsPage(ctx, f, p)
	if err != nil {
		return nil, queryError(err)
	}
	conn := &gqlmodel.NotificationConnection{Nodes: list, Edges: make([]*gqlmodel.NotificationEdge, len(list)), TotalCount: total,
		PageInfo: pageInfo(p, len(list), total)}
	l := loaders.For(ctx)
	for i, n := range list {
		conn.Edges[i] = &gqlmodel.NotificationEdge{Cursor: encodeCursor(p.Offset + i), Node: n}
		// A resend's original is often on the same page: no need to read it again.
		l.NotificationByID.Prime(n.ID, n)
	}
	return conn, nil
}

func (r *Resolver) resendNotification(ctx context.Context, id string, to *string) (*gqlmodel.NotificationPayload, error) {
	n, err := r.Store.ResendNotification(ctx, id, to)
	ue, err := payloadErrors(err)
	return &gqlmodel.NotificationPayload{Notification: n, UserErrors: ue}, err
}

// notificationResends are the resends a single read already loaded (an empty slice when it
// found none; nil means not loaded), else one batched load per level.
func notificationResends(ctx context.Context, n *model.Notification) ([]*model.Notification, error) {
	if n.Resends != nil {
		return n.Resends, nil
	}
	return loaders.For(ctx).NotificationResendsByParentID.Load(ctx, n.ID)
}

// notificationParent is null for a first send.
func notificationParent(ctx context.Context, n *model.Notification) (*model.Notification, error) {
	if n.ParentNotification != nil || n.ParentID == nil {
		return n.ParentNotification, nil
	}
	return loaders.Optional(loaders.For(ctx).NotificationByID.Load(ctx, *n.ParentID))
}

// notificationProvider is null when the notification has no provider.
func notificationProvider(ctx context.Context, n *model.Notification) (*model.NotificationProvider, error) {
	if n.Provider != nil || n.ProviderID == nil {
		return n.Provider, nil
	}
	return loaders.Optional(loaders.For(ctx).NotificationProviderByID.Load(ctx, *n.ProviderID))
}
