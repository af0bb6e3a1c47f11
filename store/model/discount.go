package model

import "github.com/uptrace/bun"

// Discount is a discount code: its rule, the regions it is valid in, its validity window and
// usage limits. Dynamic discounts are templates whose children (ParentDiscountID) are issued.
type Discount struct {
	bun.BaseModel `bun:"table:discount,alias:discount"`

	ID               string         `bun:"id,pk" json:"id"`
	Code             string         `bun:"code,notnull" json:"code"`
	IsDynamic        bool           `bun:"is_dynamic,notnull" json:"is_dynamic"`
	RuleID           *string        `bun:"rule_id" json:"rule_id"`
	IsDisabled       bool           `bun:"is_disabled,notnull" json:"is_disabled"`
	ParentDiscountID *string        `bun:"parent_discount_id" json:"parent_discount_id"`
	StartsAt         Time           `bun:"starts_at,nullzero,notnull,default:current_timestamp" json:"starts_at"`
	EndsAt           *Time          `bun:"ends_at" json:"ends_at"`
	ValidDuration    *string        `bun:"valid_duration" json:"valid_duration"`
	UsageLimit       *int           `bun:"usage_limit" json:"usage_limit"`
	UsageCount       int            `bun:"usage_count,notnull" json:"usage_count"`
	CreatedAt        Time           `bun:"created_at,nullzero,notnull,default:now()" json:"created_at"`
	UpdatedAt        Time           `bun:"updated_at,nullzero,notnull,default:now()" json:"updated_at"`
	DeletedAt        *Time          `bun:"deleted_at,soft_delete,nullzero" json:"deleted_at"`
	Metadata         map[string]any `bun:"metadata,type:jsonb,nullzero" json:"metadata"`

	Rule           *DiscountRule `bun:"rel:belongs-to,join:rule_id=id" json:"rule,omitzero"`
	ParentDiscount *Discount     `bun:"rel:belongs-to,join:parent_discount_id=id" json:"parent_discount,omitzero"`
	Regions        []*Region     `bun:"m2m:discount_regions,join:Discount=Region" json:"regions,omitzero"`
}

// DiscountRegion links a discount to a region it is valid in (join table discount_regions).
type DiscountRegion struct {
	bun.BaseModel `bun:"table:discount_regions,alias:discount_regions"`

	DiscountID string `bun:"discount_id,pk" json:"discount_id"`
	RegionID   string `bun:"region_id,pk" json:"region_id"`

	Discount *Discount `bun:"rel:belongs-to,join:discount_id=id" json:"discount,omitzero"`
	Region   *Region   `bun:"rel:belongs-to,join:region_id=id" json:"region,omitzero"`
}

// DiscountRule is what a discount does: fixed, percentage or free shipping, its value (minor units
// for fixed, percent otherwise), its allocation and its conditions.
type DiscountRule struct {
	bun.BaseModel `bun:"table:discount_rule,alias:discount_rule"`

	ID          string         `bun:"id,pk" json:"id"`
	Description *string        `bun:"description" json:"description"`
	Type        string         `bun:"type,notnull" json:"type"`
	Value       int            `bun:"value,notnull" json:"value"`
	Allocation  *string        `bun:"allocation" json:"allocation"`
	CreatedAt   Time           `bun:"created_at,nullzero,notnull,default:now()" json:"created_at"`
	UpdatedAt   Time           `bun:"updated_at,nullzero,notnull,default:now()" json:"updated_at"`
	DeletedAt   *Time          `bun:"deleted_at,soft_delete,nullzero" json:"deleted_at"`
	Metadata    map[string]any `bun:"metadata,type:jsonb,nullzero" json:"metadata"`

	Conditions []*DiscountCondition `bun:"rel:has-many,join:id=discount_rule_id" json:"conditions,omitzero"`
}

// DiscountRuleProduct is the pre-conditions "valid_for" link of a discount rule to a product
// (join table discount_rule_products). Medusa 1.3.8 keeps the table but no longer maps it.
type DiscountRuleProduct struct {
	bun.BaseModel `bun:"table:discount_rule_products,alias:discount_rule_products"`

	DiscountRuleID string `bun:"discount_rule_id,pk" json:"discount_rule_id"`
	ProductID      string `bun:"product_id,pk" json:"product_id"`

	DiscountRule *DiscountRule `bun:"rel:belongs-to,join:discount_rule_id=id" json:"discount_rule,omitzero"`
	Product      *Product      `bun:"rel:belongs-to,join:product_id=id" json:"product,omitzero"`
}

// DiscountCondition restricts a discount rule to (or excludes it from) a set of products, product
// types, tags, collections or customer groups. At most one per type and operator per rule.
type DiscountCondition struct {
	bun.BaseModel `bun:"table:discount_condition,alias:discount_condition"`

	ID             string         `bun:"id,pk" json:"id"`
	Type           string         `bun:"type,notnull" json:"type"`
	Operator       string         `bun:"operator,notnull" json:"operator"`
	DiscountRuleID string         `bun:"discount_rule_id,notnull" json:"discount_rule_id"`
	CreatedAt      Time           `bun:"created_at,nullzero,notnull,default:now()" json:"created_at"`
	UpdatedAt      Time           `bun:"updated_at,nullzero,notnull,default:now()" json:"updated_at"`
	DeletedAt      *Time          `bun:"deleted_at,soft_delete,nullzero" json:"deleted_at"`
	Metadata       map[string]any `bun:"metadata,type:jsonb,nullzero" json:"metadata"`

	DiscountRule       *DiscountRule        `bun:"rel:belongs-to,join:discount_rule_id=id" json:"discount_rule,omitzero"`
	Products           []*Product           `bun:"m2m:discount_condition_product,join:DiscountCondition=Product" json:"products,omitzero"`
	ProductTypes       []*ProductType       `bun:"m2m:discount_condition_product_type,join:DiscountCondition=ProductType" json:"product_types,omitzero"`
	ProductTags        []*ProductTag        `bun:"m2m:discount_condition_product_tag,join:DiscountCondition=ProductTag" json:"product_tags,omitzero"`
	ProductCollections []*ProductCollection `bun:"m2m:discount_condition_product_collection,join:DiscountCondition=ProductCollection" json:"product_collections,omitzero"`
	CustomerGroups     []*CustomerGroup     `bun:"m2m:discount_condition_customer_group,join:DiscountCondition=CustomerGroup" json:"customer_groups,omitzero"`
}

// DiscountConditionProduct links a discount condition to a product.
type DiscountConditionProduct struct {
	bun.BaseModel `bun:"table:discount_condition_product,alias:discount_condition_product"`

	ProductID   string         `bun:"product_id,pk" json:"product_id"`
	ConditionID string         `bun:"condition_id,pk" json:"condition_id"`
	CreatedAt   Time           `bun:"created_at,nullzero,notnull,default:now()" json:"created_at"`
	UpdatedAt   Time           `bun:"updated_at,nullzero,notnull,default:now()" json:"updated_at"`
	Metadata    map[string]any `bun:"metadata,type:jsonb,nullzero" json:"metadata"`

	Product           *Product           `bun:"rel:belongs-to,join:product_id=id" json:"product,omitzero"`
	DiscountCondition *DiscountCondition `bun:"rel:belongs-to,join:condition_id=id" json:"discount_condition,omitzero"`
}

// DiscountConditionProductType links a discount condition to a product type.
type DiscountConditionProductType struct {
	bun.BaseModel `bun:"table:discount_condition_product_type,alias:discount_condition_product_type"`

	ProductTypeID string         `bun:"product_type_id,pk" json:"product_type_id"`
	ConditionID   string         `bun:"condition_id,pk" json:"condition_id"`
	CreatedAt     Time           `bun:"created_at,nullzero,notnull,default:now()" json:"created_at"`
	UpdatedAt     Time           `bun:"updated_at,nullzero,notnull,default:now()" json:"updated_at"`
	Metadata      map[string]any `bun:"metadata,type:jsonb,nullzero" json:"metadata"`

	ProductType       *ProductType       `bun:"rel:belongs-to,join:product_type_id=id" json:"product_type,omitzero"`
	DiscountCondition *DiscountCondition `bun:"rel:belongs-to,join:condition_id=id" json:"discount_condition,omitzero"`
}

// DiscountConditionProductTag links a discount condition to a product tag.
type DiscountConditionProductTag struct {
	bun.BaseModel `bun:"table:discount_condition_product_tag,alias:discount_condition_product_tag"`

	ProductTagID string         `bun:"product_tag_id,pk" json:"product_tag_id"`
	ConditionID  string         `bun:"condition_id,pk" json:"condition_id"`
	CreatedAt    Time           `bun:"created_at,nullzero,notnull,default:now()" json:"created_at"`
	UpdatedAt    Time           `bun:"updated_at,nullzero,notnull,default:now()" json:"updated_at"`
	Metadata     map[string]any `bun:"metadata,type:jsonb,nullzero" json:"metadata"`

	ProductTag        *ProductTag        `bun:"rel:belongs-to,join:product_tag_id=id" json:"product_tag,omitzero"`
	DiscountCondition *DiscountCondition `bun:"rel:belongs-to,join:condition_id=id" json:"discount_condition,omitzero"`
}

// DiscountConditionProductCollection links a discount condition to a product collection.
type DiscountConditionProductCollection struct {
	bun.BaseModel `bun:"table:discount_condition_product_collection,alias:discount_condition_product_collection"`

	ProductCollectionID string         `bun:"product_collection_id,pk" json:"product_collection_id"`
	ConditionID         string         `bun:"condition_id,pk" json:"condition_id"`
	CreatedAt           Time           `bun:"created_at,nullzero,notnull,default:now()" json:"created_at"`
	UpdatedAt           Time           `bun:"updated_at,nullzero,notnull,default:now()" json:"updated_at"`
	Metadata            map[string]any `bun:"metadata,type:jsonb,nullzero" json:"metadata"`

	ProductCollection *ProductCollection `bun:"rel:belongs-to,join:product_collection_id=id" json:"product_collection,omitzero"`
	DiscountCondition *DiscountCondition `bun:"rel:belongs-to,join:condition_id=id" json:"discount_condition,omitzero"`
}

// DiscountConditionCustomerGroup links a discount condition to a customer group.
type DiscountConditionCustomerGroup struct {
	bun.BaseModel `bun:"table:discount_condition_customer_group,alias:discount_condition_customer_group"`

	CustomerGroupID string         `bun:"customer_group_id,pk" json:"customer_group_id"`
	ConditionID     string         `bun:"condition_id,pk" json:"condition_id"`
	CreatedAt       Time           `bun:"created_at,nullzero,notnull,default:now()" json:"created_at"`
	UpdatedAt       Time           `bun:"updated_at,nullzero,notnull,default:now()" json:"updated_at"`
	Metadata        map[string]any `bun:"metadata,type:jsonb,nullzero" json:"metadata"`

	CustomerGroup     *CustomerGroup     `bun:"rel:belongs-to,join:customer_group_id=id" json:"customer_group,omitzero"`
	DiscountCondition *DiscountCondition `bun:"rel:belongs-to,join:condition_id=id" json:"discount_condition,omitzero"`
}
