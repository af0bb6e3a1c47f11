package model

import "github.com/uptrace/bun"

// PriceList is a set of override prices (sale or override), optionally limited to customer groups
// and a time window.
type PriceList struct {
	bun.BaseModel `bun:"table:price_list,alias:price_list"`

	ID          string `bun:"id,pk" json:"id"`
	Name        string `bun:"name,notnull" json:"name"`
	Description string `bun:"description,notnull" json:"description"`
	Type        string `bun:"type,nullzero,notnull,default:'sale'" json:"type"`
	Status      string `bun:"status,nullzero,notnull,default:'draft'" json:"status"`
	StartsAt    *Time  `bun:"starts_at" json:"starts_at"`
	EndsAt      *Time  `bun:"ends_at" json:"ends_at"`
	CreatedAt   Time   `bun:"created_at,nullzero,notnull,default:now()" json:"created_at"`
	UpdatedAt   Time   `bun:"updated_at,nullzero,notnull,default:now()" json:"updated_at"`
	DeletedAt   *Time  `bun:"deleted_at,soft_delete,nullzero" json:"deleted_at"`

	CustomerGroups []*CustomerGroup `bun:"m2m:price_list_customer_groups,join:PriceList=CustomerGroup" json:"customer_groups,omitzero"`
	Prices         []*MoneyAmount   `bun:"rel:has-many,join:id=price_list_id" json:"prices,omitzero"`
}

// PriceListCustomerGroup links a price list to a customer group it applies to (join table).
type PriceListCustomerGroup struct {
	bun.BaseModel `bun:"table:price_list_customer_groups,alias:price_list_customer_groups"`

	PriceListID     string `bun:"price_list_id,pk" json:"price_list_id"`
	CustomerGroupID string `bun:"customer_group_id,pk" json:"customer_group_id"`

	PriceList     *PriceList     `bun:"rel:belongs-to,join:price_list_id=id" json:"price_list,omitzero"`
	CustomerGroup *CustomerGroup `bun:"rel:belongs-to,join:customer_group_id=id" json:"customer_group,omitzero"`
}
