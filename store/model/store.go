package model

import "github.com/uptrace/bun"

// Store is the single store record: name, currencies, link templates, default sales channel.
type Store struct {
	bun.BaseModel `bun:"table:store,alias:store"`

	ID                    string         `bun:"id,pk" json:"id"`
	Name                  string         `bun:"name,nullzero,notnull,default:'Medusa Store'" json:"name"`
	DefaultCurrencyCode   string         `bun:"default_currency_code,nullzero,notnull,default:'usd'" json:"default_currency_code"`
	SwapLinkTemplate      *string        `bun:"swap_link_template" json:"swap_link_template"`
	PaymentLinkTemplate   *string        `bun:"payment_link_template" json:"payment_link_template"`
	InviteLinkTemplate    *string        `bun:"invite_link_template" json:"invite_link_template"`
	DefaultSalesChannelID FlaggedID      `bun:"default_sales_channel_id" json:"default_sales_channel_id,omitzero"`
	CreatedAt             Time           `bun:"created_at,nullzero,notnull,default:now()" json:"created_at"`
	UpdatedAt             Time           `bun:"updated_at,nullzero,notnull,default:now()" json:"updated_at"`
	Metadata              map[string]any `bun:"metadata,type:jsonb,nullzero" json:"metadata"`

	DefaultCurrency     *Currency     `bun:"rel:belongs-to,join:default_currency_code=code" json:"default_currency,omitzero"`
	Currencies          []*Currency   `bun:"m2m:store_currencies,join:Store=Currency" json:"currencies,omitzero"`
	DefaultSalesChannel *SalesChannel `bun:"rel:belongs-to,join:default_sales_channel_id=id" json:"default_sales_channel,omitzero"`
}

// StoreCurrency links the store to a currency it accepts (join table).
type StoreCurrency struct {
	bun.BaseModel `bun:"table:store_currencies,alias:store_currencies"`

	StoreID      string `bun:"store_id,pk" json:"store_id"`
	CurrencyCode string `bun:"currency_code,pk" json:"currency_code"`

	Store    *Store    `bun:"rel:belongs-to,join:store_id=id" json:"store,omitzero"`
	Currency *Currency `bun:"rel:belongs-to,join:currency_code=code" json:"currency,omitzero"`
}

// SalesChannel is a channel products are sold through (Medusa's sales_channels feature).
type SalesChannel struct {
	bun.BaseModel `bun:"table:sales_channel,alias:sales_channel"`

	ID          string  `bun:"id,pk" json:"id"`
	Name        string  `bun:"name,notnull" json:"name"`
	Description *string `bun:"description" json:"description"`
	IsDisabled  bool    `bun:"is_disabled,notnull" json:"is_disabled"`
	CreatedAt   Time    `bun:"created_at,nullzero,notnull,default:now()" json:"created_at"`
	UpdatedAt   Time    `bun:"updated_at,nullzero,notnull,default:now()" json:"updated_at"`
	DeletedAt   *Time   `bun:"deleted_at,soft_delete,nullzero" json:"deleted_at"`
}

// ProductSalesChannel links a product to a sales channel it is sold in (join table).
type ProductSalesChannel struct {
	bun.BaseModel `bun:"table:product_sales_channel,alias:product_sales_channel"`

	ProductID      string `bun:"product_id,pk" json:"product_id"`
	SalesChannelID string `bun:"sales_channel_id,pk" json:"sales_channel_id"`

	Product      *Product      `bun:"rel:belongs-to,join:product_id=id" json:"product,omitzero"`
	SalesChannel *SalesChannel `bun:"rel:belongs-to,join:sales_channel_id=id" json:"sales_channel,omitzero"`
}
