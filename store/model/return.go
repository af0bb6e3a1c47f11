package model

import "github.com/uptrace/bun"

// Return is a return of items of an order, swap or claim, and the amount (minor units) to refund.
type Return struct {
	bun.BaseModel `bun:"table:return,alias:return"`

	ID             string         `bun:"id,pk" json:"id"`
	Status         string         `bun:"status,nullzero,notnull,default:'requested'" json:"status"`
	SwapID         *string        `bun:"swap_id" json:"swap_id"`
	ClaimOrderID   *string        `bun:"claim_order_id" json:"claim_order_id"`
	OrderID        *string        `bun:"order_id" json:"order_id"`
	ShippingData   map[string]any `bun:"shipping_data,type:jsonb,nullzero" json:"shipping_data"`
	RefundAmount   int            `bun:"refund_amount,notnull" json:"refund_amount"`
	ReceivedAt     *Time          `bun:"received_at" json:"received_at"`
	NoNotification *bool          `bun:"no_notification" json:"no_notification"`
	IdempotencyKey *string        `bun:"idempotency_key" json:"idempotency_key"`
	CreatedAt      Time           `bun:"created_at,nullzero,notnull,default:now()" json:"created_at"`
	UpdatedAt      Time           `bun:"updated_at,nullzero,notnull,default:now()" json:"updated_at"`
	Metadata       map[string]any `bun:"metadata,type:jsonb,nullzero" json:"metadata"`

	Items          []*ReturnItem   `bun:"rel:has-many,join:id=return_id" json:"items,omitzero"`
	Swap           *Swap           `bun:"rel:belongs-to,join:swap_id=id" json:"swap,omitzero"`
	ClaimOrder     *ClaimOrder     `bun:"rel:belongs-to,join:claim_order_id=id" json:"claim_order,omitzero"`
	Order          *Order          `bun:"rel:belongs-to,join:order_id=id" json:"order,omitzero"`
	ShippingMethod *ShippingMethod `bun:"rel:has-one,join:id=return_id" json:"shipping_method,omitzero"`
}

// ReturnItem is the quantity of a line item in a return, with its reason.
type ReturnItem struct {
	bun.BaseModel `bun:"table:return_item,alias:return_item"`

	ReturnID          string         `bun:"return_id,pk" json:"return_id"`
	ItemID            string         `bun:"item_id,pk" json:"item_id"`
	Quantity          int            `bun:"quantity,notnull" json:"quantity"`
	IsRequested       bool           `bun:"is_requested,notnull" json:"is_requested"`
	RequestedQuantity *int           `bun:"requested_quantity" json:"requested_quantity"`
	ReceivedQuantity  *int           `bun:"received_quantity" json:"received_quantity"`
	ReasonID          *string        `bun:"reason_id" json:"reason_id"`
	Note              *string        `bun:"note" json:"note"`
	Metadata          map[string]any `bun:"metadata,type:jsonb,nullzero" json:"metadata"`

	ReturnOrder *Return       `bun:"rel:belongs-to,join:return_id=id" json:"return_order,omitzero"`
	Item        *LineItem     `bun:"rel:belongs-to,join:item_id=id" json:"item,omitzero"`
	Reason      *ReturnReason `bun:"rel:belongs-to,join:reason_id=id" json:"reason,omitzero"`
}

// ReturnReason is a reason customers can give for returning an item; reasons nest one level.
type ReturnReason struct {
	bun.BaseModel `bun:"table:return_reason,alias:return_reason"`

	ID                   string         `bun:"id,pk" json:"id"`
	Value                string         `bun:"value,notnull" json:"value"`
	Label                string         `bun:"label,notnull" json:"label"`
	Description          *string        `bun:"description" json:"description"`
	ParentReturnReasonID *string        `bun:"parent_return_reason_id" json:"parent_return_reason_id"`
	CreatedAt            Time           `bun:"created_at,nullzero,notnull,default:now()" json:"created_at"`
	UpdatedAt            Time           `bun:"updated_at,nullzero,notnull,default:now()" json:"updated_at"`
	DeletedAt            *Time          `bun:"deleted_at,soft_delete,nullzero" json:"deleted_at"`
	Metadata             map[string]any `bun:"metadata,type:jsonb,nullzero" json:"metadata"`

	ParentReturnReason   *ReturnReason   `bun:"rel:belongs-to,join:parent_return_reason_id=id" json:"parent_return_reason,omitzero"`
	ReturnReasonChildren []*ReturnReason `bun:"rel:has-many,join:id=parent_return_reason_id" json:"return_reason_children,omitzero"`
}
