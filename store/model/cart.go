package model

import "github.com/uptrace/bun"

// Cart is a shopping cart (also the working state behind swaps, claims and draft orders): items,
// addresses, discounts, gift cards, payment sessions and shipping methods.
type Cart struct {
	bun.BaseModel `bun:"table:cart,alias:cart"`

	ID                  string         `bun:"id,pk" json:"id"`
	Email               *string        `bun:"email" json:"email"`
	BillingAddressID    *string        `bun:"billing_address_id" json:"billing_address_id"`
	ShippingAddressID   *string        `bun:"shipping_address_id" json:"shipping_address_id"`
	RegionID            string         `bun:"region_id,notnull" json:"region_id"`
	CustomerID          *string        `bun:"customer_id" json:"customer_id"`
	PaymentID           *string        `bun:"payment_id" json:"payment_id"`
	Type                string         `bun:"type,nullzero,notnull,default:'default'" json:"type"`
	CompletedAt         *Time          `bun:"completed_at" json:"completed_at"`
	PaymentAuthorizedAt *Time          `bun:"payment_authorized_at" json:"payment_authorized_at"`
	IdempotencyKey      *string        `bun:"idempotency_key" json:"idempotency_key"`
	Context             map[string]any `bun:"context,type:jsonb,nullzero" json:"context"`
	SalesChannelID      FlaggedID      `bun:"sales_channel_id" json:"sales_channel_id,omitzero"`
	CreatedAt           Time           `bun:"created_at,nullzero,notnull,default:now()" json:"created_at"`
	UpdatedAt           Time           `bun:"updated_at,nullzero,notnull,default:now()" json:"updated_at"`
	DeletedAt           *Time          `bun:"deleted_at,soft_delete,nullzero" json:"deleted_at"`
	Metadata            map[string]any `bun:"metadata,type:jsonb,nullzero" json:"metadata"`

	BillingAddress  *Address          `bun:"rel:belongs-to,join:billing_address_id=id" json:"billing_address,omitzero"`
	ShippingAddress *Address          `bun:"rel:belongs-to,join:shipping_address_id=id" json:"shipping_address,omitzero"`
	Items           []*LineItem       `bun:"rel:has-many,join:id=cart_id" json:"items,omitzero"`
	Region          *Region           `bun:"rel:belongs-to,join:region_id=id" json:"region,omitzero"`
	Discounts       []*Discount       `bun:"m2m:cart_discounts,join:Cart=Discount" json:"discounts,omitzero"`
	GiftCards       []*GiftCard       `bun:"m2m:cart_gift_cards,join:Cart=GiftCard" json:"gift_cards,omitzero"`
	Customer        *Customer         `bun:"rel:belongs-to,join:customer_id=id" json:"customer,omitzero"`
	PaymentSessions []*PaymentSession `bun:"rel:has-many,join:id=cart_id" json:"payment_sessions,omitzero"`
	Payment         *Payment          `bun:"rel:belongs-to,join:payment_id=id" json:"payment,omitzero"`
	ShippingMethods []*ShippingMethod `bun:"rel:has-many,join:id=cart_id" json:"shipping_methods,omitzero"`
	SalesChannel    *SalesChannel     `bun:"rel:belongs-to,join:sales_channel_id=id" json:"sales_channel,omitzero"`
}

// CartDiscount links a cart to a discount applied to it (join table cart_discounts).
type CartDiscount struct {
	bun.BaseModel `bun:"table:cart_discounts,alias:cart_discounts"`

	CartID     string `bun:"cart_id,pk" json:"cart_id"`
	DiscountID string `bun:"discount_id,pk" json:"discount_id"`

	Cart     *Cart     `bun:"rel:belongs-to,join:cart_id=id" json:"cart,omitzero"`
	Discount *Discount `bun:"rel:belongs-to,join:discount_id=id" json:"discount,omitzero"`
}

// CartGiftCard links a cart to a gift card applied to it (join table cart_gift_cards).
type CartGiftCard struct {
	bun.BaseModel `bun:"table:cart_gift_cards,alias:cart_gift_cards"`

	CartID     string `bun:"cart_id,pk" json:"cart_id"`
	GiftCardID string `bun:"gift_card_id,pk" json:"gift_card_id"`

	Cart     *Cart     `bun:"rel:belongs-to,join:cart_id=id" json:"cart,omitzero"`
	GiftCard *GiftCard `bun:"rel:belongs-to,join:gift_card_id=id" json:"gift_card,omitzero"`
}

// LineItem is a line of a cart, order, swap or claim: a variant (or custom item), quantity and
// unit price (minor units), with fulfilment/return progress counters.
type LineItem struct {
	bun.BaseModel `bun:"table:line_item,alias:line_item"`

	ID                string         `bun:"id,pk" json:"id"`
	CartID            *string        `bun:"cart_id" json:"cart_id"`
	OrderID           *string        `bun:"order_id" json:"order_id"`
	SwapID            *string        `bun:"swap_id" json:"swap_id"`
	ClaimOrderID      *string        `bun:"claim_order_id" json:"claim_order_id"`
	Title             string         `bun:"title,notnull" json:"title"`
	Description       *string        `bun:"description" json:"description"`
	Thumbnail         *string        `bun:"thumbnail" json:"thumbnail"`
	IsReturn          bool           `bun:"is_return,notnull" json:"is_return"`
	IsGiftcard        bool           `bun:"is_giftcard,notnull" json:"is_giftcard"`
	ShouldMerge       bool           `bun:"should_merge,notnull" json:"should_merge"`
	AllowDiscounts    bool           `bun:"allow_discounts,notnull" json:"allow_discounts"`
	HasShipping       *bool          `bun:"has_shipping" json:"has_shipping"`
	UnitPrice         int            `bun:"unit_price,notnull" json:"unit_price"`
	VariantID         *string        `bun:"variant_id" json:"variant_id"`
	Quantity          int            `bun:"quantity,notnull" json:"quantity"`
	FulfilledQuantity *int           `bun:"fulfilled_quantity" json:"fulfilled_quantity"`
	ReturnedQuantity  *int           `bun:"returned_quantity" json:"returned_quantity"`
	ShippedQuantity   *int           `bun:"shipped_quantity" json:"shipped_quantity"`
	CreatedAt         Time           `bun:"created_at,nullzero,notnull,default:now()" json:"created_at"`
	UpdatedAt         Time           `bun:"updated_at,nullzero,notnull,default:now()" json:"updated_at"`
	Metadata          map[string]any `bun:"metadata,type:jsonb,nullzero" json:"metadata"`
	// Refundable is what returning the item's unreturned quantity refunds: Medusa's order
	// service adds it to an order's items (decorateTotals, items.refundable); not a column.
	Refundable *int64 `bun:"-" json:"refundable,omitempty"`

	Cart        *Cart                 `bun:"rel:belongs-to,join:cart_id=id" json:"cart,omitzero"`
	Order       *Order                `bun:"rel:belongs-to,join:order_id=id" json:"order,omitzero"`
	Swap        *Swap                 `bun:"rel:belongs-to,join:swap_id=id" json:"swap,omitzero"`
	ClaimOrder  *ClaimOrder           `bun:"rel:belongs-to,join:claim_order_id=id" json:"claim_order,omitzero"`
	TaxLines    []*LineItemTaxLine    `bun:"rel:has-many,join:id=item_id" json:"tax_lines,omitzero"`
	Adjustments []*LineItemAdjustment `bun:"rel:has-many,join:id=item_id" json:"adjustments,omitzero"`
	Variant     *ProductVariant       `bun:"rel:belongs-to,join:variant_id=id" json:"variant,omitzero"`
}

// LineItemAdjustment is an amount (minor units) taken off a line item, usually by a discount.
type LineItemAdjustment struct {
	bun.BaseModel `bun:"table:line_item_adjustment,alias:line_item_adjustment"`

	ID          string         `bun:"id,pk" json:"id"`
	ItemID      string         `bun:"item_id,notnull" json:"item_id"`
	Description string         `bun:"description,notnull" json:"description"`
	DiscountID  *string        `bun:"discount_id" json:"discount_id"`
	Amount      int            `bun:"amount,notnull" json:"amount"`
	Metadata    map[string]any `bun:"metadata,type:jsonb,nullzero" json:"metadata"`

	Item     *LineItem `bun:"rel:belongs-to,join:item_id=id" json:"item,omitzero"`
	Discount *Discount `bun:"rel:belongs-to,join:discount_id=id" json:"discount,omitzero"`
}

// PaymentSession is a cart's session with one payment provider; at most one is selected.
type PaymentSession struct {
	bun.BaseModel `bun:"table:payment_session,alias:payment_session"`

	ID             string         `bun:"id,pk" json:"id"`
	CartID         string         `bun:"cart_id,notnull" json:"cart_id"`
	ProviderID     string         `bun:"provider_id,notnull" json:"provider_id"`
	IsSelected     *bool          `bun:"is_selected" json:"is_selected"`
	Status         string         `bun:"status,notnull" json:"status"`
	Data           map[string]any `bun:"data,type:jsonb,notnull" json:"data"`
	IdempotencyKey *string        `bun:"idempotency_key" json:"idempotency_key"`
	CreatedAt      Time           `bun:"created_at,nullzero,notnull,default:now()" json:"created_at"`
	UpdatedAt      Time           `bun:"updated_at,nullzero,notnull,default:now()" json:"updated_at"`

	Cart *Cart `bun:"rel:belongs-to,join:cart_id=id" json:"cart,omitzero"`
}

// CustomShippingOption is a price override (minor units) of a shipping option for one cart.
type CustomShippingOption struct {
	bun.BaseModel `bun:"table:custom_shipping_option,alias:custom_shipping_option"`

	ID               string         `bun:"id,pk" json:"id"`
	Price            int            `bun:"price,notnull" json:"price"`
	ShippingOptionID string         `bun:"shipping_option_id,notnull" json:"shipping_option_id"`
	CartID           *string        `bun:"cart_id" json:"cart_id"`
	CreatedAt        Time           `bun:"created_at,nullzero,notnull,default:now()" json:"created_at"`
	UpdatedAt        Time           `bun:"updated_at,nullzero,notnull,default:now()" json:"updated_at"`
	DeletedAt        *Time          `bun:"deleted_at,soft_delete,nullzero" json:"deleted_at"`
	Metadata         map[string]any `bun:"metadata,type:jsonb,nullzero" json:"metadata"`

	ShippingOption *ShippingOption `bun:"rel:belongs-to,join:shipping_option_id=id" json:"shipping_option,omitzero"`
	Cart           *Cart           `bun:"rel:belongs-to,join:cart_id=id" json:"cart,omitzero"`
}
