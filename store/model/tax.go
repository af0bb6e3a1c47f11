package model

import "github.com/uptrace/bun"

// TaxRate is a region's tax rate override, applying to products, product types and shipping
// options.
type TaxRate struct {
	bun.BaseModel `bun:"table:tax_rate,alias:tax_rate"`

	ID        string         `bun:"id,pk" json:"id"`
	Rate      *float64       `bun:"rate" json:"rate"`
	Code      *string        `bun:"code" json:"code"`
	Name      string         `bun:"name,notnull" json:"name"`
	RegionID  string         `bun:"region_id,notnull" json:"region_id"`
	CreatedAt Time           `bun:"created_at,nullzero,notnull,default:now()" json:"created_at"`
	UpdatedAt Time           `bun:"updated_at,nullzero,notnull,default:now()" json:"updated_at"`
	Metadata  map[string]any `bun:"metadata,type:jsonb,nullzero" json:"metadata"`

	Region          *Region           `bun:"rel:belongs-to,join:region_id=id" json:"region,omitzero"`
	Products        []*Product        `bun:"m2m:product_tax_rate,join:TaxRate=Product" json:"products,omitzero"`
	ProductTypes    []*ProductType    `bun:"m2m:product_type_tax_rate,join:TaxRate=ProductType" json:"product_types,omitzero"`
	ShippingOptions []*ShippingOption `bun:"m2m:shipping_tax_rate,join:TaxRate=ShippingOption" json:"shipping_options,omitzero"`
}

// ProductTaxRate links a tax rate to a product it applies to.
type ProductTaxRate struct {
	bun.BaseModel `bun:"table:product_tax_rate,alias:product_tax_rate"`

	ProductID string         `bun:"product_id,pk" json:"product_id"`
	RateID    string         `bun:"rate_id,pk" json:"rate_id"`
	CreatedAt Time           `bun:"created_at,nullzero,notnull,default:now()" json:"created_at"`
	UpdatedAt Time           `bun:"updated_at,nullzero,notnull,default:now()" json:"updated_at"`
	Metadata  map[string]any `bun:"metadata,type:jsonb,nullzero" json:"metadata"`

	Product *Product `bun:"rel:belongs-to,join:product_id=id" json:"product,omitzero"`
	TaxRate *TaxRate `bun:"rel:belongs-to,join:rate_id=id" json:"tax_rate,omitzero"`
}

// ProductTypeTaxRate links a tax rate to a product type it applies to.
type ProductTypeTaxRate struct {
	bun.BaseModel `bun:"table:product_type_tax_rate,alias:product_type_tax_rate"`

	ProductTypeID string         `bun:"product_type_id,pk" json:"product_type_id"`
	RateID        string         `bun:"rate_id,pk" json:"rate_id"`
	CreatedAt     Time           `bun:"created_at,nullzero,notnull,default:now()" json:"created_at"`
	UpdatedAt     Time           `bun:"updated_at,nullzero,notnull,default:now()" json:"updated_at"`
	Metadata      map[string]any `bun:"metadata,type:jsonb,nullzero" json:"metadata"`

	ProductType *ProductType `bun:"rel:belongs-to,join:product_type_id=id" json:"product_type,omitzero"`
	TaxRate     *TaxRate     `bun:"rel:belongs-to,join:rate_id=id" json:"tax_rate,omitzero"`
}

// ShippingTaxRate links a tax rate to a shipping option it applies to.
type ShippingTaxRate struct {
	bun.BaseModel `bun:"table:shipping_tax_rate,alias:shipping_tax_rate"`

	ShippingOptionID string         `bun:"shipping_option_id,pk" json:"shipping_option_id"`
	RateID           string         `bun:"rate_id,pk" json:"rate_id"`
	CreatedAt        Time           `bun:"created_at,nullzero,notnull,default:now()" json:"created_at"`
	UpdatedAt        Time           `bun:"updated_at,nullzero,notnull,default:now()" json:"updated_at"`
	Metadata         map[string]any `bun:"metadata,type:jsonb,nullzero" json:"metadata"`

	ShippingOption *ShippingOption `bun:"rel:belongs-to,join:shipping_option_id=id" json:"shipping_option,omitzero"`
	TaxRate        *TaxRate        `bun:"rel:belongs-to,join:rate_id=id" json:"tax_rate,omitzero"`
}

// LineItemTaxLine is a tax (rate in percent) computed for a line item.
type LineItemTaxLine struct {
	bun.BaseModel `bun:"table:line_item_tax_line,alias:line_item_tax_line"`

	ID        string         `bun:"id,pk" json:"id"`
	Rate      float64        `bun:"rate,notnull" json:"rate"`
	Name      string         `bun:"name,notnull" json:"name"`
	Code      *string        `bun:"code" json:"code"`
	ItemID    string         `bun:"item_id,notnull" json:"item_id"`
	CreatedAt Time           `bun:"created_at,nullzero,notnull,default:now()" json:"created_at"`
	UpdatedAt Time           `bun:"updated_at,nullzero,notnull,default:now()" json:"updated_at"`
	Metadata  map[string]any `bun:"metadata,type:jsonb,nullzero" json:"metadata"`

	Item *LineItem `bun:"rel:belongs-to,join:item_id=id" json:"item,omitzero"`
}

// ShippingMethodTaxLine is a tax (rate in percent) computed for a shipping method.
type ShippingMethodTaxLine struct {
	bun.BaseModel `bun:"table:shipping_method_tax_line,alias:shipping_method_tax_line"`

	ID               string         `bun:"id,pk" json:"id"`
	Rate             float64        `bun:"rate,notnull" json:"rate"`
	Name             string         `bun:"name,notnull" json:"name"`
	Code             *string        `bun:"code" json:"code"`
	ShippingMethodID string         `bun:"shipping_method_id,notnull" json:"shipping_method_id"`
	CreatedAt        Time           `bun:"created_at,nullzero,notnull,default:now()" json:"created_at"`
	UpdatedAt        Time           `bun:"updated_at,nullzero,notnull,default:now()" json:"updated_at"`
	Metadata         map[string]any `bun:"metadata,type:jsonb,nullzero" json:"metadata"`

	ShippingMethod *ShippingMethod `bun:"rel:belongs-to,join:shipping_method_id=id" json:"shipping_method,omitzero"`
}
