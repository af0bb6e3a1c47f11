package model

import "github.com/uptrace/bun"

// Customer is a shop customer, with or without an account. PasswordHash is never serialised
// (Medusa declares it select: false).
type Customer struct {
	bun.BaseModel `bun:"table:customer,alias:customer"`

	ID               string         `bun:"id,pk" json:"id"`
	Email            string         `bun:"email,notnull" json:"email"`
	FirstName        *string        `bun:"first_name" json:"first_name"`
	LastName         *string        `bun:"last_name" json:"last_name"`
	BillingAddressID *string        `bun:"billing_address_id" json:"billing_address_id"`
	PasswordHash     *string        `bun:"password_hash" json:"-"`
	Phone            *string        `bun:"phone" json:"phone"`
	HasAccount       bool           `bun:"has_account,notnull" json:"has_account"`
	CreatedAt        Time           `bun:"created_at,nullzero,notnull,default:now()" json:"created_at"`
	UpdatedAt        Time           `bun:"updated_at,nullzero,notnull,default:now()" json:"updated_at"`
	DeletedAt        *Time          `bun:"deleted_at,soft_delete,nullzero" json:"deleted_at"`
	Metadata         map[string]any `bun:"metadata,type:jsonb,nullzero" json:"metadata"`
	// FullCount is the number of customers a list matched (a subquery beside the page), so that
	// a page and its count cost one statement; not a column.
	FullCount int64 `bun:"gorgon_full_count,scanonly" json:"-"`
	// Snapshot is the PostgreSQL snapshot that FullCount was read in (store/count_cache.go).
	Snapshot string `bun:"gorgon_snapshot,scanonly" json:"-"`

	BillingAddress    *Address         `bun:"rel:belongs-to,join:billing_address_id=id" json:"billing_address,omitzero"`
	ShippingAddresses []*Address       `bun:"rel:has-many,join:id=customer_id" json:"shipping_addresses,omitzero"`
	Orders            []*Order         `bun:"rel:has-many,join:id=customer_id" json:"orders,omitzero"`
	Groups            []*CustomerGroup `bun:"m2m:customer_group_customers,join:Customer=CustomerGroup" json:"groups,omitzero"`
}

// CustomerGroup is a named group of customers, targeted by price lists and discount conditions.
type CustomerGroup struct {
	bun.BaseModel `bun:"table:customer_group,alias:customer_group"`

	ID        string         `bun:"id,pk" json:"id"`
	Name      string         `bun:"name,notnull" json:"name"`
	CreatedAt Time           `bun:"created_at,nullzero,notnull,default:now()" json:"created_at"`
	UpdatedAt Time           `bun:"updated_at,nullzero,notnull,default:now()" json:"updated_at"`
	DeletedAt *Time          `bun:"deleted_at,soft_delete,nullzero" json:"deleted_at"`
	Metadata  map[string]any `bun:"metadata,type:jsonb,nullzero" json:"metadata"`

	Customers  []*Customer  `bun:"m2m:customer_group_customers,join:CustomerGroup=Customer" json:"customers,omitzero"`
	PriceLists []*PriceList `bun:"m2m:price_list_customer_groups,join:CustomerGroup=PriceList" json:"price_lists,omitzero"`
}

// CustomerGroupCustomer links a customer to a customer group (join table).
type CustomerGroupCustomer struct {
	bun.BaseModel `bun:"table:customer_group_customers,alias:customer_group_customers"`

	CustomerGroupID string `bun:"customer_group_id,pk" json:"customer_group_id"`
	CustomerID      string `bun:"customer_id,pk" json:"customer_id"`

	CustomerGroup *CustomerGroup `bun:"rel:belongs-to,join:customer_group_id=id" json:"customer_group,omitzero"`
	Customer      *Customer      `bun:"rel:belongs-to,join:customer_id=id" json:"customer,omitzero"`
}

// Address is a postal address: a customer's saved address, or a cart's/order's billing or
// shipping address.
type Address struct {
	bun.BaseModel `bun:"table:address,alias:address"`

	ID          string         `bun:"id,pk" json:"id"`
	CustomerID  *string        `bun:"customer_id" json:"customer_id"`
	Company     *string        `bun:"company" json:"company"`
	FirstName   *string        `bun:"first_name" json:"first_name"`
	LastName    *string        `bun:"last_name" json:"last_name"`
	Address1    *string        `bun:"address_1" json:"address_1"`
	Address2    *string        `bun:"address_2" json:"address_2"`
	City        *string        `bun:"city" json:"city"`
	CountryCode *string        `bun:"country_code" json:"country_code"`
	Province    *string        `bun:"province" json:"province"`
	PostalCode  *string        `bun:"postal_code" json:"postal_code"`
	Phone       *string        `bun:"phone" json:"phone"`
	CreatedAt   Time           `bun:"created_at,nullzero,notnull,default:now()" json:"created_at"`
	UpdatedAt   Time           `bun:"updated_at,nullzero,notnull,default:now()" json:"updated_at"`
	DeletedAt   *Time          `bun:"deleted_at,soft_delete,nullzero" json:"deleted_at"`
	Metadata    map[string]any `bun:"metadata,type:jsonb,nullzero" json:"metadata"`

	Customer *Customer `bun:"rel:belongs-to,join:customer_id=id" json:"customer,omitzero"`
	Country  *Country  `bun:"rel:belongs-to,join:country_code=iso_2" json:"country,omitzero"`
}
