package model

import "github.com/uptrace/bun"

// Swap is an exchange on an order: items returned, additional items sent, and the difference
// (minor units) to pay or refund.
type Swap struct {
	bun.BaseModel `bun:"table:swap,alias:swap"`

	ID                string         `bun:"id,pk" json:"id"`
	FulfillmentStatus string         `bun:"fulfillment_status,notnull" json:"fulfillment_status"`
	PaymentStatus     string         `bun:"payment_status,notnull" json:"payment_status"`
	OrderID           string         `bun:"order_id,notnull" json:"order_id"`
	DifferenceDue     *int           `bun:"difference_due" json:"difference_due"`
	ShippingAddressID *string        `bun:"shipping_address_id" json:"shipping_address_id"`
	CartID            *string        `bun:"cart_id" json:"cart_id"`
	ConfirmedAt       *Time          `bun:"confirmed_at" json:"confirmed_at"`
	CanceledAt        *Time          `bun:"canceled_at" json:"canceled_at"`
	NoNotification    *bool          `bun:"no_notification" json:"no_notification"`
	AllowBackorder    bool           `bun:"allow_backorder,notnull" json:"allow_backorder"`
	IdempotencyKey    *string        `bun:"idempotency_key" json:"idempotency_key"`
	CreatedAt         Time           `bun:"created_at,nullzero,notnull,default:now()" json:"created_at"`
	UpdatedAt         Time           `bun:"updated_at,nullzero,notnull,default:now()" json:"updated_at"`
	DeletedAt         *Time          `bun:"deleted_at,soft_delete,nullzero" json:"deleted_at"`
	Metadata          map[string]any `bun:"metadata,type:jsonb,nullzero" json:"metadata"`

	Order           *Order            `bun:"rel:belongs-to,join:order_id=id" json:"order,omitzero"`
	AdditionalItems []*LineItem       `bun:"rel:has-many,join:id=swap_id" json:"additional_items,omitzero"`
	ReturnOrder     *Return           `bun:"rel:has-one,join:id=swap_id" json:"return_order,omitzero"`
	Fulfillments    []*Fulfillment    `bun:"rel:has-many,join:id=swap_id" json:"fulfillments,omitzero"`
	Payment         *Payment          `bun:"rel:has-one,join:id=swap_id" json:"payment,omitzero"`
	ShippingAddress *Address          `bun:"rel:belongs-to,join:shipping_address_id=id" json:"shipping_address,omitzero"`
	ShippingMethods []*ShippingMethod `bun:"rel:has-many,join:id=swap_id" json:"shipping_methods,omitzero"`
	Cart            *Cart             `bun:"rel:belongs-to,join:cart_id=id" json:"cart,omitzero"`
}
