package model

import "github.com/uptrace/bun"

// Order is a placed order: its status triple, customer, addresses, region and currency, items,
// payments, fulfillments, returns, claims, swaps and refunds. DisplayID is the human order number
// (a sequence).
type Order struct {
	bun.BaseModel `bun:"table:order,alias:order"`

	ID                string         `bun:"id,pk" json:"id"`
	Status            string         `bun:"status,nullzero,notnull,default:'pending'" json:"status"`
	FulfillmentStatus string         `bun:"fulfillment_status,nullzero,notnull,default:'not_fulfilled'" json:"fulfillment_status"`
	PaymentStatus     string         `bun:"payment_status,nullzero,notnull,default:'not_paid'" json:"payment_status"`
	DisplayID         int            `bun:"display_id,notnull,autoincrement" json:"display_id"`
	CartID            *string        `bun:"cart_id" json:"cart_id"`
	CustomerID        string         `bun:"customer_id,notnull" json:"customer_id"`
	Email             string         `bun:"email,notnull" json:"email"`
	BillingAddressID  *string        `bun:"billing_address_id" json:"billing_address_id"`
	ShippingAddressID *string        `bun:"shipping_address_id" json:"shipping_address_id"`
	RegionID          string         `bun:"region_id,notnull" json:"region_id"`
	CurrencyCode      string         `bun:"currency_code,notnull" json:"currency_code"`
	TaxRate           *float64       `bun:"tax_rate" json:"tax_rate"`
	DraftOrderID      *string        `bun:"draft_order_id" json:"draft_order_id"`
	CanceledAt        *Time          `bun:"canceled_at" json:"canceled_at"`
	NoNotification    *bool          `bun:"no_notification" json:"no_notification"`
	IdempotencyKey    *string        `bun:"idempotency_key" json:"idempotency_key"`
	ExternalID        *string        `bun:"external_id" json:"external_id"`
	SalesChannelID    FlaggedID      `bun:"sales_channel_id" json:"sales_channel_id,omitzero"`
	CreatedAt         Time           `bun:"created_at,nullzero,notnull,default:now()" json:"created_at"`
	UpdatedAt         Time           `bun:"updated_at,nullzero,notnull,default:now()" json:"updated_at"`
	Metadata          map[string]any `bun:"metadata,type:jsonb,nullzero" json:"metadata"`
	// FullCount is the number of orders a list matched (a subquery beside the page), so that a
	// page and its count cost one statement; not a column.
	FullCount int64 `bun:"gorgon_full_count,scanonly" json:"-"`
	// Snapshot is the PostgreSQL snapshot that FullCount was read in (store/count_cache.go).
	Snapshot string `bun:"gorgon_snapshot,scanonly" json:"-"`

	Cart                 *Cart                  `bun:"rel:belongs-to,join:cart_id=id" json:"cart,omitzero"`
	Customer             *Customer              `bun:"rel:belongs-to,join:customer_id=id" json:"customer,omitzero"`
	BillingAddress       *Address               `bun:"rel:belongs-to,join:billing_address_id=id" json:"billing_address,omitzero"`
	ShippingAddress      *Address               `bun:"rel:belongs-to,join:shipping_address_id=id" json:"shipping_address,omitzero"`
	Region               *Region                `bun:"rel:belongs-to,join:region_id=id" json:"region,omitzero"`
	Currency             *Currency              `bun:"rel:belongs-to,join:currency_code=code" json:"currency,omitzero"`
	Discounts            []*Discount            `bun:"m2m:order_discounts,join:Order=Discount" json:"discounts,omitzero"`
	GiftCards            []*GiftCard            `bun:"m2m:order_gift_cards,join:Order=GiftCard" json:"gift_cards,omitzero"`
	ShippingMethods      []*ShippingMethod      `bun:"rel:has-many,join:id=order_id" json:"shipping_methods,omitzero"`
	Payments             []*Payment             `bun:"rel:has-many,join:id=order_id" json:"payments,omitzero"`
	Fulfillments         []*Fulfillment         `bun:"rel:has-many,join:id=order_id" json:"fulfillments,omitzero"`
	Returns              []*Return              `bun:"rel:has-many,join:id=order_id" json:"returns,omitzero"`
	Claims               []*ClaimOrder          `bun:"rel:has-many,join:id=order_id" json:"claims,omitzero"`
	Refunds              []*Refund              `bun:"rel:has-many,join:id=order_id" json:"refunds,omitzero"`
	Swaps                []*Swap                `bun:"rel:has-many,join:id=order_id" json:"swaps,omitzero"`
	DraftOrder           *DraftOrder            `bun:"rel:belongs-to,join:draft_order_id=id" json:"draft_order,omitzero"`
	Items                []*LineItem            `bun:"rel:has-many,join:id=order_id" json:"items,omitzero"`
	GiftCardTransactions []*GiftCardTransaction `bun:"rel:has-many,join:id=order_id" json:"gift_card_transactions,omitzero"`
	SalesChannel         *SalesChannel          `bun:"rel:belongs-to,join:sales_channel_id=id" json:"sales_channel,omitzero"`
}

// OrderDiscount links an order to a discount used on it (join table order_discounts).
type OrderDiscount struct {
	bun.BaseModel `bun:"table:order_discounts,alias:order_discounts"`

	OrderID    string `bun:"order_id,pk" json:"order_id"`
	DiscountID string `bun:"discount_id,pk" json:"discount_id"`

	Order    *Order    `bun:"rel:belongs-to,join:order_id=id" json:"order,omitzero"`
	Discount *Discount `bun:"rel:belongs-to,join:discount_id=id" json:"discount,omitzero"`
}

// OrderGiftCard links an order to a gift card used on it (join table order_gift_cards).
type OrderGiftCard struct {
	bun.BaseModel `bun:"table:order_gift_cards,alias:order_gift_cards"`

	OrderID    string `bun:"order_id,pk" json:"order_id"`
	GiftCardID string `bun:"gift_card_id,pk" json:"gift_card_id"`

	Order    *Order    `bun:"rel:belongs-to,join:order_id=id" json:"order,omitzero"`
	GiftCard *GiftCard `bun:"rel:belongs-to,join:gift_card_id=id" json:"gift_card,omitzero"`
}

// DraftOrder is an admin-built order in progress: a cart until completed into an order.
type DraftOrder struct {
	bun.BaseModel `bun:"table:draft_order,alias:draft_order"`

	ID                  string         `bun:"id,pk" json:"id"`
	Status              string         `bun:"status,nullzero,notnull,default:'open'" json:"status"`
	DisplayID           int            `bun:"display_id,notnull,autoincrement" json:"display_id"`
	CartID              *string        `bun:"cart_id" json:"cart_id"`
	OrderID             *string        `bun:"order_id" json:"order_id"`
	CanceledAt          *Time          `bun:"canceled_at" json:"canceled_at"`
	CompletedAt         *Time          `bun:"completed_at" json:"completed_at"`
	NoNotificationOrder *bool          `bun:"no_notification_order" json:"no_notification_order"`
	IdempotencyKey      *string        `bun:"idempotency_key" json:"idempotency_key"`
	CreatedAt           Time           `bun:"created_at,nullzero,notnull,default:now()" json:"created_at"`
	UpdatedAt           Time           `bun:"updated_at,nullzero,notnull,default:now()" json:"updated_at"`
	Metadata            map[string]any `bun:"metadata,type:jsonb,nullzero" json:"metadata"`

	Cart  *Cart  `bun:"rel:belongs-to,join:cart_id=id" json:"cart,omitzero"`
	Order *Order `bun:"rel:belongs-to,join:order_id=id" json:"order,omitzero"`
}

// Payment is a payment authorised with a provider for a cart, order or swap; amounts in minor
// units.
type Payment struct {
	bun.BaseModel `bun:"table:payment,alias:payment"`

	ID             string         `bun:"id,pk" json:"id"`
	SwapID         *string        `bun:"swap_id" json:"swap_id"`
	CartID         *string        `bun:"cart_id" json:"cart_id"`
	OrderID        *string        `bun:"order_id" json:"order_id"`
	Amount         int            `bun:"amount,notnull" json:"amount"`
	CurrencyCode   string         `bun:"currency_code,notnull" json:"currency_code"`
	AmountRefunded int            `bun:"amount_refunded,notnull" json:"amount_refunded"`
	ProviderID     string         `bun:"provider_id,notnull" json:"provider_id"`
	Data           map[string]any `bun:"data,type:jsonb,notnull" json:"data"`
	CapturedAt     *Time          `bun:"captured_at" json:"captured_at"`
	CanceledAt     *Time          `bun:"canceled_at" json:"canceled_at"`
	IdempotencyKey *string        `bun:"idempotency_key" json:"idempotency_key"`
	CreatedAt      Time           `bun:"created_at,nullzero,notnull,default:now()" json:"created_at"`
	UpdatedAt      Time           `bun:"updated_at,nullzero,notnull,default:now()" json:"updated_at"`
	Metadata       map[string]any `bun:"metadata,type:jsonb,nullzero" json:"metadata"`

	Swap     *Swap     `bun:"rel:belongs-to,join:swap_id=id" json:"swap,omitzero"`
	Cart     *Cart     `bun:"rel:belongs-to,join:cart_id=id" json:"cart,omitzero"`
	Order    *Order    `bun:"rel:belongs-to,join:order_id=id" json:"order,omitzero"`
	Currency *Currency `bun:"rel:belongs-to,join:currency_code=code" json:"currency,omitzero"`
}

// Refund is an amount (minor units) refunded on an order, with its reason.
type Refund struct {
	bun.BaseModel `bun:"table:refund,alias:refund"`

	ID             string         `bun:"id,pk" json:"id"`
	OrderID        string         `bun:"order_id,notnull" json:"order_id"`
	Amount         int            `bun:"amount,notnull" json:"amount"`
	Note           *string        `bun:"note" json:"note"`
	Reason         string         `bun:"reason,notnull" json:"reason"`
	IdempotencyKey *string        `bun:"idempotency_key" json:"idempotency_key"`
	CreatedAt      Time           `bun:"created_at,nullzero,notnull,default:now()" json:"created_at"`
	UpdatedAt      Time           `bun:"updated_at,nullzero,notnull,default:now()" json:"updated_at"`
	Metadata       map[string]any `bun:"metadata,type:jsonb,nullzero" json:"metadata"`

	Order *Order `bun:"rel:belongs-to,join:order_id=id" json:"order,omitzero"`
}
