package model

import "github.com/uptrace/bun"

// Fulfillment is a shipment of items of an order, swap or claim through a fulfillment provider.
type Fulfillment struct {
	bun.BaseModel `bun:"table:fulfillment,alias:fulfillment"`

	ID              string         `bun:"id,pk" json:"id"`
	ClaimOrderID    *string        `bun:"claim_order_id" json:"claim_order_id"`
	SwapID          *string        `bun:"swap_id" json:"swap_id"`
	OrderID         *string        `bun:"order_id" json:"order_id"`
	NoNotification  *bool          `bun:"no_notification" json:"no_notification"`
	ProviderID      *string        `bun:"provider_id" json:"provider_id"`
	TrackingNumbers []string       `bun:"tracking_numbers,type:jsonb,notnull,default:'[]'" json:"tracking_numbers"`
	Data            map[string]any `bun:"data,type:jsonb,notnull" json:"data"`
	ShippedAt       *Time          `bun:"shipped_at" json:"shipped_at"`
	CanceledAt      *Time          `bun:"canceled_at" json:"canceled_at"`
	IdempotencyKey  *string        `bun:"idempotency_key" json:"idempotency_key"`
	CreatedAt       Time           `bun:"created_at,nullzero,notnull,default:now()" json:"created_at"`
	UpdatedAt       Time           `bun:"updated_at,nullzero,notnull,default:now()" json:"updated_at"`
	Metadata        map[string]any `bun:"metadata,type:jsonb,nullzero" json:"metadata"`

	ClaimOrder    *ClaimOrder          `bun:"rel:belongs-to,join:claim_order_id=id" json:"claim_order,omitzero"`
	Swap          *Swap                `bun:"rel:belongs-to,join:swap_id=id" json:"swap,omitzero"`
	Order         *Order               `bun:"rel:belongs-to,join:order_id=id" json:"order,omitzero"`
	Provider      *FulfillmentProvider `bun:"rel:belongs-to,join:provider_id=id" json:"provider,omitzero"`
	Items         []*FulfillmentItem   `bun:"rel:has-many,join:id=fulfillment_id" json:"items,omitzero"`
	TrackingLinks []*TrackingLink      `bun:"rel:has-many,join:id=fulfillment_id" json:"tracking_links,omitzero"`
}

// FulfillmentItem is the quantity of a line item included in a fulfillment.
type FulfillmentItem struct {
	bun.BaseModel `bun:"table:fulfillment_item,alias:fulfillment_item"`

	FulfillmentID string `bun:"fulfillment_id,pk" json:"fulfillment_id"`
	ItemID        string `bun:"item_id,pk" json:"item_id"`
	Quantity      int    `bun:"quantity,notnull" json:"quantity"`

	Fulfillment *Fulfillment `bun:"rel:belongs-to,join:fulfillment_id=id" json:"fulfillment,omitzero"`
	Item        *LineItem    `bun:"rel:belongs-to,join:item_id=id" json:"item,omitzero"`
}

// TrackingLink is a carrier tracking number (and URL) of a fulfillment.
type TrackingLink struct {
	bun.BaseModel `bun:"table:tracking_link,alias:tracking_link"`

	ID             string         `bun:"id,pk" json:"id"`
	URL            *string        `bun:"url" json:"url"`
	TrackingNumber string         `bun:"tracking_number,notnull" json:"tracking_number"`
	FulfillmentID  string         `bun:"fulfillment_id,notnull" json:"fulfillment_id"`
	IdempotencyKey *string        `bun:"idempotency_key" json:"idempotency_key"`
	CreatedAt      Time           `bun:"created_at,nullzero,notnull,default:now()" json:"created_at"`
	UpdatedAt      Time           `bun:"updated_at,nullzero,notnull,default:now()" json:"updated_at"`
	DeletedAt      *Time          `bun:"deleted_at,soft_delete,nullzero" json:"deleted_at"`
	Metadata       map[string]any `bun:"metadata,type:jsonb,nullzero" json:"metadata"`

	Fulfillment *Fulfillment `bun:"rel:belongs-to,join:fulfillment_id=id" json:"fulfillment,omitzero"`
}
