package model

import "github.com/uptrace/bun"

// GiftCard is a gift card: its code, original value and remaining balance (minor units) in a
// region, and the order that bought it if any.
type GiftCard struct {
	bun.BaseModel `bun:"table:gift_card,alias:gift_card"`

	ID         string         `bun:"id,pk" json:"id"`
	Code       string         `bun:"code,notnull" json:"code"`
	Value      int            `bun:"value,notnull" json:"value"`
	Balance    int            `bun:"balance,notnull" json:"balance"`
	RegionID   string         `bun:"region_id,notnull" json:"region_id"`
	OrderID    *string        `bun:"order_id" json:"order_id"`
	IsDisabled bool           `bun:"is_disabled,notnull" json:"is_disabled"`
	EndsAt     *Time          `bun:"ends_at" json:"ends_at"`
	CreatedAt  Time           `bun:"created_at,nullzero,notnull,default:now()" json:"created_at"`
	UpdatedAt  Time           `bun:"updated_at,nullzero,notnull,default:now()" json:"updated_at"`
	DeletedAt  *Time          `bun:"deleted_at,soft_delete,nullzero" json:"deleted_at"`
	Metadata   map[string]any `bun:"metadata,type:jsonb,nullzero" json:"metadata"`

	Region *Region `bun:"rel:belongs-to,join:region_id=id" json:"region,omitzero"`
	Order  *Order  `bun:"rel:belongs-to,join:order_id=id" json:"order,omitzero"`
}

// GiftCardTransaction records an amount (minor units) of a gift card spent on an order.
type GiftCardTransaction struct {
	bun.BaseModel `bun:"table:gift_card_transaction,alias:gift_card_transaction"`

	ID         string   `bun:"id,pk" json:"id"`
	GiftCardID string   `bun:"gift_card_id,notnull" json:"gift_card_id"`
	OrderID    string   `bun:"order_id,notnull" json:"order_id"`
	Amount     int      `bun:"amount,notnull" json:"amount"`
	IsTaxable  *bool    `bun:"is_taxable" json:"is_taxable"`
	TaxRate    *float64 `bun:"tax_rate" json:"tax_rate"`
	CreatedAt  Time     `bun:"created_at,nullzero,notnull,default:now()" json:"created_at"`

	GiftCard *GiftCard `bun:"rel:belongs-to,join:gift_card_id=id" json:"gift_card,omitzero"`
	Order    *Order    `bun:"rel:belongs-to,join:order_id=id" json:"order,omitzero"`
}
