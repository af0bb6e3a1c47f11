package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"

	"github.com/uptrace/bun"
	"github.com/uptrace/bun/dialect/pgdialect"

	"github.com/gorgon-commerce/gorgon/store/model"
	"github.com/gorgon-commerce/gorgon/store/provider"
)

// NotificationRelations are the relations Medusa's admin notification routes load by default.
var NotificationRelations = []string{"resends"}

// NotificationFilter is Medusa's AdminGetNotificationsParams filters; each list matches any of
// its values.
type NotificationFilter struct {
	EventName    []string
	ResourceType []string
	ResourceID   []string
	To           []string
	// IncludeResends lists resends too; otherwise only first sends (parent_id IS NULL).
	IncludeResends bool
}

// ListNotifications lists notifications, newest first, with p.Expand (default: resends).
func (s *Store) ListNotifications(ctx context.Context, f NotificationFilter, p Page) ([]*model.Notification, error) {
	out := []*model.Notification{}
	q := s.DB.NewSelect().Model(&out)
	for _, c := range []struct {
		col  string
		vals []string
	}{{"event_name", f.EventName}, {"resource_type", f.ResourceType}, {"resource_id", f.ResourceID}, {"to", f.To}} {
		if len(c.vals) > 0 {
			q = q.Where("notification.? = ANY(?)", bun.Ident(c.col), pgdialect.Array(c.vals))
		}
	}
	if !f.IncludeResends {
		q = q.Where("notification.parent_id IS NULL")
	}
	if _, err := s.listPage(ctx, q, &out, "notification", p, NotificationRelations); err != nil {
		return nil, err
	}
	return out, nil
}

func notificationNotFound(id string) *Error {
	return NotFoundf("Notification with id: %s was not found.", id)
}

// GetNotification returns a notification with relations (Medusa names; default: resends).
func (s *Store) GetNotification(ctx context.Context, id string, relations ...string) (*model.Notification, error) {
	if len(relations) == 0 {
		relations = NotificationRelations
	}
	n := new(model.Notification)
	q, err := withRelations(s.DB, s.DB.NewSelect().Model(n).Where("notification.id = ?", id), n, relations)
	if err != nil {
		return nil, err
	}
	if err := q.Scan(ctx); err != nil {
		if errors.Is(err, sql.ErrNoRows) {
			return nil, notificationNotFound(id)
		}
		return nil, fmt.Errorf("get notification %s: %w", id, err)
	}
	FillRelations(s.DB, n, relations)
	return n, nil
}

// NotificationInput is a notification a provider sent, to record.
type NotificationInput struct {
	EventName    string
	ResourceType string
	ResourceID   string
	CustomerID   *string
	To           string
	Data         map[string]any
	ProviderID   string
	// ParentID is the notification this one resends, if any.
	ParentID *string
}

// RecordNotification stores a sent notification, so that it can be listed and resent.
func (s *Store) RecordNotification(ctx context.Context, in NotificationInput) (*model.Notification, error) {
	return recordNotification(ctx, s.DB, in)
}

func recordNotification(ctx context.Context, db bun.IDB, in NotificationInput) (*model.Notification, error) {
	data := in.Data
	if data == nil {
		data = map[string]any{}
	}
	n := &model.Notification{
		ID:           NewID("noti"),
		EventName:    &in.EventName,
		ResourceType: in.ResourceType,
		ResourceID:   in.ResourceID,
		CustomerID:   in.CustomerID,
		To:           in.To,
		Data:         data,
		ParentID:     in.ParentID,
		ProviderID:   &in.ProviderID,
	}
	if in.EventName == "" {
		n.EventName = nil
	}
	if _, err := db.NewInsert().Model(n).Returning("*").Exec(ctx); err != nil {
		return nil, dbError(err, "insert notification")
	}
	return n, nil
}

// SendNotification hands an event to a notification provider and records what it sent, as
// Medusa's notificationService.send: the resource is the event's prefix ("order" for
// "order.placed") and data's id, the customer data's customer_id. It returns nil when the
// provider sent nothing.
func (s *Store) SendNotification(ctx context.Context, event string, data map[string]any, providerID string) (*model.Notification, error) {
	return s.sendNotificationTx(ctx, s.DB, event, data, providerID)
}

// sendNotificationTx is SendNotification recording the row with db (a transaction of the caller).
func (s *Store) sendNotificationTx(ctx context.Context, db bun.IDB, event string, data map[string]any, providerID string) (*model.Notification, error) {
	p, err := s.registry().Notification(providerID)
	if err != nil {
		return nil, providerError(err)
	}
	sent, err := p.SendNotification(ctx, event, data)
	if err != nil {
		return nil, fmt.Errorf("notification provider %s: %s: %w", providerID, event, err)
	}
	if sent == nil {
		return nil, nil
	}
	resourceType, _, _ := strings.Cut(event, ".")
	resourceID, _ := data["id"].(string)
	var customerID *string
	if c, ok := data["customer_id"].(string); ok && c != "" {
		customerID = &c
	}
	return recordNotification(ctx, db, NotificationInput{EventName: event, ResourceType: resourceType, ResourceID: resourceID,
		CustomerID: customerID, To: sent.To, Data: sent.Data, ProviderID: providerID})
}

// ResendNotification sends a notification again through its provider, to `to` when given, and
// records the resend as a new notification whose parent is the original. It returns the
// original with its resends.
//
// Medusa 1.3.8 means to do the same but saves the copy under the original's id, overwriting the
// original instead; and it answers 500 when the provider is not served, where this is its
// intended not_found error.
func (s *Store) ResendNotification(ctx context.Context, id string, to *string) (*model.Notification, error) {
	n, err := s.GetNotification(ctx, id)
	if err != nil {
		return nil, err
	}
	pid := "null" // Medusa's wording for a notification without provider
	if n.ProviderID != nil {
		pid = *n.ProviderID
	}
	p, err := s.registry().Notification(pid)
	if err != nil {
		return nil, providerError(err)
	}
	sent, err := p.ResendNotification(ctx, n, provider.ResendConfig{To: to})
	if err != nil {
		return nil, fmt.Errorf("notification provider %s: resend %s: %w", pid, id, err)
	}
	if sent != nil {
		in := NotificationInput{ResourceType: n.ResourceType, ResourceID: n.ResourceID, CustomerID: n.CustomerID,
			To: sent.To, Data: sent.Data, ProviderID: pid, ParentID: &n.ID}
		if n.EventName != nil {
			in.EventName = *n.EventName
		}
		if _, err := s.RecordNotification(ctx, in); err != nil {
			return nil, err
		}
	}
	return s.GetNotification(ctx, id)
}

// ListNotificationsPage is ListNotifications without relations and with the total, for GraphQL
// connections: their nested fields load resends and providers in batches. Same order: newest
// first.
func (s *Store) ListNotificationsPage(ctx context.Context, f NotificationFilter, p Page) ([]*model.Notification, int, error) {
	out := []*model.Notification{}
	q := s.DB.NewSelect().Model(&out)
	for _, c := range []struct {
		col  string
		vals []string
	}{{"event_name", f.EventName}, {"resource_type", f.ResourceType}, {"resource_id", f.ResourceID}, {"to", f.To}} {
		if len(c.vals) > 0 {
			q = q.Where("notification.? = ANY(?)", bun.Ident(c.col), pgdialect.Array(c.vals))
		}
	}
	if !f.IncludeResends {
		q = q.Where("notification.parent_id IS NULL")
	}
	q, err := s.applyWhere(q, "notification", p.Where)
	if err != nil {
		return nil, 0, err
	}
	if p.Limit == 0 { // bun's Limit(0) means no limit; a page of none only needs the total
		n, err := q.Count(ctx)
		if err != nil {
			return nil, 0, fmt.Errorf("count notifications: %w", err)
		}
		return out, int(n), nil
	}
	n, err := q.OrderExpr("notification.created_at DESC, notification.id DESC").Offset(int64(p.Offset)).Limit(int64(p.Limit)).ScanAndCount(ctx)
	if err != nil {
		return nil, 0, fmt.Errorf("list notifications: %w", err)
	}
	return out, int(n), nil
}

// NotificationsByIDs returns the notifications with the given ids, without relations, in one
// statement (for dataloaders); missing ids are absent.
func (s *Store) NotificationsByIDs(ctx context.Context, ids []string) (map[string]*model.Notification, error) {
	var ns []*model.Notification
	if err := s.DB.NewSelect().Model(&ns).Where("notification.id IN (?)", bun.In(ids)).Scan(ctx); err != nil {
		return nil, fmt.Errorf("notifications by ids: %w", err)
	}
	out := make(map[string]*model.Notification, len(ns))
	for _, n := range ns {
		out[n.ID] = n
	}
	return out, nil
}

// NotificationResendsByParentIDs returns each notification's resends, oldest first, in one
// statement (for dataloaders). Every id gets an entry, empty when it has none.
func (s *Store) NotificationResendsByParentIDs(ctx context.Context, ids []string) (map[string][]*model.Notification, error) {
	var ns []*model.Notification
	if err := s.DB.NewSelect().Model(&ns).Where("notification.parent_id IN (?)", bun.In(ids)).
		OrderExpr("notification.created_at ASC, notification.id ASC").Scan(ctx); err != nil {
		return nil, fmt.Errorf("notification resends: %w", err)
	}
	out := make(map[string][]*model.Notification, len(ids))
	for _, id := range ids {
		out[id] = []*model.Notification{}
	}
	for _, n := range ns {
		out[*n.ParentID] = append(out[*n.ParentID], n)
	}
	return out, nil
}
