package model

import "github.com/uptrace/bun"

// ClaimOrder is a claim on an order (refund or replacement) for faulty or missing items.
type ClaimOrder struct {
	bun.BaseModel `bun:"table:claim_order,alias:claim_order"`

	ID                string         `bun:"id,pk" json:"id"`
	PaymentStatus     string         `bun:"payment_status,nullzero,notnull,default:'na'" json:"payment_status"`
	FulfillmentStatus string         `bun:"fulfillment_status,nullzero,notnull,default:'not_fulfilled'" json:"fulfillment_status"`
	Type              string         `bun:"type,notnull" json:"type"`
	OrderID           string         `bun:"order_id,notnull" json:"order_id"`
	ShippingAddressID *string        `bun:"shipping_address_id" json:"shipping_address_id"`
	RefundAmount      *int           `bun:"refund_amount" json:"refund_amount"`
	CanceledAt        *Time          `bun:"canceled_at" json:"canceled_at"`
	NoNotification    *bool          `bun:"no_notification" json:"no_notification"`
	IdempotencyKey    *string        `bun:"idempotency_key" json:"idempotency_key"`
	CreatedAt         Time           `bun:"created_at,nullzero,notnull,default:now()" json:"created_at"`
	UpdatedAt         Time           `bun:"updated_at,nullzero,notnull,default:now()" json:"updated_at"`
	DeletedAt         *Time          `bun:"deleted_at,soft_delete,nullzero" json:"deleted_at"`
	Metadata          map[string]any `bun:"metadata,type:jsonb,nullzero" json:"metadata"`

	ClaimItems      []*ClaimItem      `bun:"rel:has-many,join:id=claim_order_id" json:"claim_items,omitzero"`
	AdditionalItems []*LineItem       `bun:"rel:has-many,join:id=claim_order_id" json:"additional_items,omitzero"`
	Order           *Order            `bun:"rel:belongs-to,join:order_id=id" json:"order,omitzero"`
	ReturnOrder     *Return           `bun:"rel:has-one,join:id=claim_order_id" json:"return_order,omitzero"`
	ShippingAddress *Address          `bun:"rel:belongs-to,join:shipping_address_id=id" json:"shipping_address,omitzero"`
	ShippingMethods []*ShippingMethod `bun:"rel:has-many,join:id=claim_order_id" json:"shipping_methods,omitzero"`
	Fulfillments    []*Fulfillment    `bun:"rel:has-many,join:id=claim_order_id" json:"fulfillments,omitzero"`
}

// ClaimItem is a claimed line item: quantity, reason, note, images and tags.
type ClaimItem struct {
	bun.BaseModel `bun:"table:claim_item,alias:claim_item"`

	ID           string         `bun:"id,pk" json:"id"`
	ClaimOrderID string         `bun:"claim_order_id,notnull" json:"claim_order_id"`
	ItemID       string         `bun:"item_id,notnull" json:"item_id"`
	VariantID    string         `bun:"variant_id,notnull" json:"variant_id"`
	Reason       string         `bun:"reason,notnull" json:"reason"`
	Note         *string        `bun:"note" json:"note"`
	Quantity     int            `bun:"quantity,notnull" json:"quantity"`
	CreatedAt    Time           `bun:"created_at,nullzero,notnull,default:now()" json:"created_at"`
	UpdatedAt    Time           `bun:"updated_at,nullzero,notnull,default:now()" json:"updated_at"`
	DeletedAt    *Time          `bun:"deleted_at,soft_delete,nullzero" json:"deleted_at"`
	Metadata     map[string]any `bun:"metadata,type:jsonb,nullzero" json:"metadata"`

	Images     []*ClaimImage   `bun:"rel:has-many,join:id=claim_item_id" json:"images,omitzero"`
	ClaimOrder *ClaimOrder     `bun:"rel:belongs-to,join:claim_order_id=id" json:"claim_order,omitzero"`
	Item       *LineItem       `bun:"rel:belongs-to,join:item_id=id" json:"item,omitzero"`
	Variant    *ProductVariant `bun:"rel:belongs-to,join:variant_id=id" json:"variant,omitzero"`
	Tags       []*ClaimTag     `bun:"m2m:claim_item_tags,join:ClaimItem=ClaimTag" json:"tags,omitzero"`
}

// ClaimItemTag links a claim item to a claim tag (join table claim_item_tags).
type ClaimItemTag struct {
	bun.BaseModel `bun:"table:claim_item_tags,alias:claim_item_tags"`

	ItemID string `bun:"item_id,pk" json:"item_id"`
	TagID  string `bun:"tag_id,pk" json:"tag_id"`

	ClaimItem *ClaimItem `bun:"rel:belongs-to,join:item_id=id" json:"claim_item,omitzero"`
	ClaimTag  *ClaimTag  `bun:"rel:belongs-to,join:tag_id=id" json:"claim_tag,omitzero"`
}

// ClaimImage is a photo attached to a claim item.
type ClaimImage struct {
	bun.BaseModel `bun:"table:claim_image,alias:claim_image"`

	ID          string         `bun:"id,pk" json:"id"`
	ClaimItemID string         `bun:"claim_item_id,notnull" json:"claim_item_id"`
	URL         string         `bun:"url,notnull" json:"url"`
	CreatedAt   Time           `bun:"created_at,nullzero,notnull,default:now()" json:"created_at"`
	UpdatedAt   Time           `bun:"updated_at,nullzero,notnull,default:now()" json:"updated_at"`
	DeletedAt   *Time          `bun:"deleted_at,soft_delete,nullzero" json:"deleted_at"`
	Metadata    map[string]any `bun:"metadata,type:jsonb,nullzero" json:"metadata"`

	ClaimItem *ClaimItem `bun:"rel:belongs-to,join:claim_item_id=id" json:"claim_item,omitzero"`
}

// ClaimTag is a free-form tag on claim items.
type ClaimTag struct {
	bun.BaseModel `bun:"table:claim_tag,alias:claim_tag"`

	ID        string         `bun:"id,pk" json:"id"`
	Value     string         `bun:"value,notnull" json:"value"`
	CreatedAt Time           `bun:"created_at,nullzero,notnull,default:now()" json:"created_at"`
	UpdatedAt Time           `bun:"updated_at,nullzero,notnull,default:now()" json:"updated_at"`
	DeletedAt *Time          `bun:"deleted_at,soft_delete,nullzero" json:"deleted_at"`
	Metadata  map[string]any `bun:"metadata,type:jsonb,nullzero" json:"metadata"`
}
