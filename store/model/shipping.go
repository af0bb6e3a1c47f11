package model

import "github.com/uptrace/bun"

// ShippingOption is a way to ship (or return) in a region for a shipping profile, served by a
// fulfillment provider, at a flat (Amount, minor units) or calculated price.
type ShippingOption struct {
	bun.BaseModel `bun:"table:shipping_option,alias:shipping_option"`

	ID         string         `bun:"id,pk" json:"id"`
	Name       string         `bun:"name,notnull" json:"name"`
	RegionID   string         `bun:"region_id,notnull" json:"region_id"`
	ProfileID  string         `bun:"profile_id,notnull" json:"profile_id"`
	ProviderID string         `bun:"provider_id,notnull" json:"provider_id"`
	PriceType  string         `bun:"price_type,notnull" json:"price_type"`
	Amount     *int           `bun:"amount" json:"amount"`
	IsReturn   bool           `bun:"is_return,notnull" json:"is_return"`
	AdminOnly  bool           `bun:"admin_only,notnull" json:"admin_only"`
	Data       map[string]any `bun:"data,type:jsonb,notnull" json:"data"`
	CreatedAt  Time           `bun:"created_at,nullzero,notnull,default:now()" json:"created_at"`
	UpdatedAt  Time           `bun:"updated_at,nullzero,notnull,default:now()" json:"updated_at"`
	DeletedAt  *Time          `bun:"deleted_at,soft_delete,nullzero" json:"deleted_at"`
	Metadata   map[string]any `bun:"metadata,type:jsonb,nullzero" json:"metadata"`

	Region       *Region                      `bun:"rel:belongs-to,join:region_id=id" json:"region,omitzero"`
	Profile      *ShippingProfile             `bun:"rel:belongs-to,join:profile_id=id" json:"profile,omitzero"`
	Provider     *FulfillmentProvider         `bun:"rel:belongs-to,join:provider_id=id" json:"provider,omitzero"`
	Requirements []*ShippingOptionRequirement `bun:"rel:has-many,join:id=shipping_option_id" json:"requirements,omitzero"`
}

// ShippingOptionRequirement is a min/max cart subtotal (minor units) for a shipping option.
type ShippingOptionRequirement struct {
	bun.BaseModel `bun:"table:shipping_option_requirement,alias:shipping_option_requirement"`

	ID               string `bun:"id,pk" json:"id"`
	ShippingOptionID string `bun:"shipping_option_id,notnull" json:"shipping_option_id"`
	Type             string `bun:"type,notnull" json:"type"`
	Amount           int    `bun:"amount,notnull" json:"amount"`
	DeletedAt        *Time  `bun:"deleted_at,soft_delete,nullzero" json:"deleted_at"`

	ShippingOption *ShippingOption `bun:"rel:belongs-to,join:shipping_option_id=id" json:"shipping_option,omitzero"`
}

// ShippingProfile groups products that ship the same way (default, gift card, custom).
type ShippingProfile struct {
	bun.BaseModel `bun:"table:shipping_profile,alias:shipping_profile"`

	ID        string         `bun:"id,pk" json:"id"`
	Name      string         `bun:"name,notnull" json:"name"`
	Type      string         `bun:"type,notnull" json:"type"`
	CreatedAt Time           `bun:"created_at,nullzero,notnull,default:now()" json:"created_at"`
	UpdatedAt Time           `bun:"updated_at,nullzero,notnull,default:now()" json:"updated_at"`
	DeletedAt *Time          `bun:"deleted_at,soft_delete,nullzero" json:"deleted_at"`
	Metadata  map[string]any `bun:"metadata,type:jsonb,nullzero" json:"metadata"`

	Products        []*Product        `bun:"rel:has-many,join:id=profile_id" json:"products,omitzero"`
	ShippingOptions []*ShippingOption `bun:"rel:has-many,join:id=profile_id" json:"shipping_options,omitzero"`
}

// ShippingMethod is a shipping option chosen for a cart, order, swap, claim or return, at a price
// (minor units).
type ShippingMethod struct {
	bun.BaseModel `bun:"table:shipping_method,alias:shipping_method"`

	ID               string         `bun:"id,pk" json:"id"`
	ShippingOptionID string         `bun:"shipping_option_id,notnull" json:"shipping_option_id"`
	OrderID          *string        `bun:"order_id" json:"order_id"`
	ClaimOrderID     *string        `bun:"claim_order_id" json:"claim_order_id"`
	CartID           *string        `bun:"cart_id" json:"cart_id"`
	SwapID           *string        `bun:"swap_id" json:"swap_id"`
	ReturnID         *string        `bun:"return_id" json:"return_id"`
	Price            int            `bun:"price,notnull" json:"price"`
	Data             map[string]any `bun:"data,type:jsonb,notnull" json:"data"`

	Order          *Order                   `bun:"rel:belongs-to,join:order_id=id" json:"order,omitzero"`
	ClaimOrder     *ClaimOrder              `bun:"rel:belongs-to,join:claim_order_id=id" json:"claim_order,omitzero"`
	Cart           *Cart                    `bun:"rel:belongs-to,join:cart_id=id" json:"cart,omitzero"`
	Swap           *Swap                    `bun:"rel:belongs-to,join:swap_id=id" json:"swap,omitzero"`
	ReturnOrder    *Return                  `bun:"rel:belongs-to,join:return_id=id" json:"return_order,omitzero"`
	ShippingOption *ShippingOption          `bun:"rel:belongs-to,join:shipping_option_id=id" json:"shipping_option,omitzero"`
	TaxLines       []*ShippingMethodTaxLine `bun:"rel:has-many,join:id=shipping_method_id" json:"tax_lines,omitzero"`
}
