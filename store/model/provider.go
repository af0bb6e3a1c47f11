package model

import "github.com/uptrace/bun"

// PaymentProvider is a payment plugin known to the server (id = the plugin's identifier).
type PaymentProvider struct {
	bun.BaseModel `bun:"table:payment_provider,alias:payment_provider"`

	ID          string `bun:"id,pk" json:"id"`
	IsInstalled bool   `bun:"is_installed,notnull" json:"is_installed"`
}

// FulfillmentProvider is a fulfillment plugin known to the server.
type FulfillmentProvider struct {
	bun.BaseModel `bun:"table:fulfillment_provider,alias:fulfillment_provider"`

	ID          string `bun:"id,pk" json:"id"`
	IsInstalled bool   `bun:"is_installed,notnull" json:"is_installed"`
}

// TaxProvider is a tax calculation plugin known to the server.
type TaxProvider struct {
	bun.BaseModel `bun:"table:tax_provider,alias:tax_provider"`

	ID          string `bun:"id,pk" json:"id"`
	IsInstalled bool   `bun:"is_installed,notnull" json:"is_installed"`
}

// NotificationProvider is a notification plugin known to the server.
type NotificationProvider struct {
	bun.BaseModel `bun:"table:notification_provider,alias:notification_provider"`

	ID          string `bun:"id,pk" json:"id"`
	IsInstalled bool   `bun:"is_installed,notnull" json:"is_installed"`
}
