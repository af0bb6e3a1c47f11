package model

import "github.com/uptrace/bun"

// Notification is a message sent through a notification provider about a resource (e.g. an order
// confirmation email); resends point to the original through ParentID.
type Notification struct {
	bun.BaseModel `bun:"table:notification,alias:notification"`

	ID           string         `bun:"id,pk" json:"id"`
	EventName    *string        `bun:"event_name" json:"event_name"`
	ResourceType string         `bun:"resource_type,notnull" json:"resource_type"`
	ResourceID   string         `bun:"resource_id,notnull" json:"resource_id"`
	CustomerID   *string        `bun:"customer_id" json:"customer_id"`
	To           string         `bun:"to,notnull" json:"to"`
	Data         map[string]any `bun:"data,type:jsonb,notnull" json:"data"`
	ParentID     *string        `bun:"parent_id" json:"parent_id"`
	ProviderID   *string        `bun:"provider_id" json:"provider_id"`
	CreatedAt    Time           `bun:"created_at,nullzero,notnull,default:now()" json:"created_at"`
	UpdatedAt    Time           `bun:"updated_at,nullzero,notnull,default:now()" json:"updated_at"`

	Customer           *Customer             `bun:"rel:belongs-to,join:customer_id=id" json:"customer,omitzero"`
	ParentNotification *Notification         `bun:"rel:belongs-to,join:parent_id=id" json:"parent_notification,omitzero"`
	Resends            []*Notification       `bun:"rel:has-many,join:id=parent_id" json:"resends,omitzero"`
	Provider           *NotificationProvider `bun:"rel:belongs-to,join:provider_id=id" json:"provider,omitzero"`
}
