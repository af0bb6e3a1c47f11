package model

import "github.com/uptrace/bun"

// Region is a market: one currency, its tax settings, the countries it covers and the payment
// and fulfillment providers available in it.
type Region struct {
	bun.BaseModel `bun:"table:region,alias:region"`

	ID               string         `bun:"id,pk" json:"id"`
	Name             string         `bun:"name,notnull" json:"name"`
	CurrencyCode     string         `bun:"currency_code,notnull" json:"currency_code"`
	TaxRate          float64        `bun:"tax_rate,notnull" json:"tax_rate"`
	TaxCode          *string        `bun:"tax_code" json:"tax_code"`
	GiftCardsTaxable bool           `bun:"gift_cards_taxable,notnull" json:"gift_cards_taxable"`
	AutomaticTaxes   bool           `bun:"automatic_taxes,notnull" json:"automatic_taxes"`
	TaxProviderID    *string        `bun:"tax_provider_id" json:"tax_provider_id"`
	CreatedAt        Time           `bun:"created_at,nullzero,notnull,default:now()" json:"created_at"`
	UpdatedAt        Time           `bun:"updated_at,nullzero,notnull,default:now()" json:"updated_at"`
	DeletedAt        *Time          `bun:"deleted_at,soft_delete,nullzero" json:"deleted_at"`
	Metadata         map[string]any `bun:"metadata,type:jsonb,nullzero" json:"metadata"`

	Currency             *Currency              `bun:"rel:belongs-to,join:currency_code=code" json:"currency,omitzero"`
	TaxRates             []*TaxRate             `bun:"rel:has-many,join:id=region_id" json:"tax_rates,omitzero"`
	Countries            []*Country             `bun:"rel:has-many,join:id=region_id" json:"countries,omitzero"`
	TaxProvider          *TaxProvider           `bun:"rel:belongs-to,join:tax_provider_id=id" json:"tax_provider,omitzero"`
	PaymentProviders     []*PaymentProvider     `bun:"m2m:region_payment_providers,join:Region=PaymentProvider" json:"payment_providers,omitzero"`
	FulfillmentProviders []*FulfillmentProvider `bun:"m2m:region_fulfillment_providers,join:Region=FulfillmentProvider" json:"fulfillment_providers,omitzero"`
}

// RegionPaymentProvider links a region to a payment provider it offers (join table).
type RegionPaymentProvider struct {
	bun.BaseModel `bun:"table:region_payment_providers,alias:region_payment_providers"`

	RegionID   string `bun:"region_id,pk" json:"region_id"`
	ProviderID string `bun:"provider_id,pk" json:"provider_id"`

	Region          *Region          `bun:"rel:belongs-to,join:region_id=id" json:"region,omitzero"`
	PaymentProvider *PaymentProvider `bun:"rel:belongs-to,join:provider_id=id" json:"payment_provider,omitzero"`
}

// RegionFulfillmentProvider links a region to a fulfillment provider it offers (join table).
type RegionFulfillmentProvider struct {
	bun.BaseModel `bun:"table:region_fulfillment_providers,alias:region_fulfillment_providers"`

	RegionID   string `bun:"region_id,pk" json:"region_id"`
	ProviderID string `bun:"provider_id,pk" json:"provider_id"`

	Region              *Region              `bun:"rel:belongs-to,join:region_id=id" json:"region,omitzero"`
	FulfillmentProvider *FulfillmentProvider `bun:"rel:belongs-to,join:provider_id=id" json:"fulfillment_provider,omitzero"`
}

// Country is an ISO 3166 country (seeded), assigned to at most one region.
type Country struct {
	bun.BaseModel `bun:"table:country,alias:country"`

	ID          int     `bun:"id,pk,autoincrement" json:"id"`
	ISO2        string  `bun:"iso_2,notnull" json:"iso_2"`
	ISO3        string  `bun:"iso_3,notnull" json:"iso_3"`
	NumCode     int     `bun:"num_code,notnull" json:"num_code"`
	Name        string  `bun:"name,notnull" json:"name"`
	DisplayName string  `bun:"display_name,notnull" json:"display_name"`
	RegionID    *string `bun:"region_id" json:"region_id"`

	Region *Region `bun:"rel:belongs-to,join:region_id=id" json:"region,omitzero"`
}

// Currency is an ISO 4217 currency (seeded), keyed by its lower-case code.
type Currency struct {
	bun.BaseModel `bun:"table:currency,alias:currency"`

	Code         string `bun:"code,pk" json:"code"`
	Symbol       string `bun:"symbol,notnull" json:"symbol"`
	SymbolNative string `bun:"symbol_native,notnull" json:"symbol_native"`
	Name         string `bun:"name,notnull" json:"name"`
}
