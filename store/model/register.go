package model

import "github.com/uptrace/bun"

// joinModels are the models of the join tables behind many-to-many relations. bun resolves an
// m2m relation by looking its join table up by name, so these must be registered before any
// model with an m2m field is first used.
func joinModels() []any {
	return []any{
		(*CartDiscount)(nil),
		(*CartGiftCard)(nil),
		(*ClaimItemTag)(nil),
		(*CustomerGroupCustomer)(nil),
		(*DiscountConditionCustomerGroup)(nil),
		(*DiscountConditionProduct)(nil),
		(*DiscountConditionProductCollection)(nil),
		(*DiscountConditionProductTag)(nil),
		(*DiscountConditionProductType)(nil),
		(*DiscountRegion)(nil),
		(*DiscountRuleProduct)(nil),
		(*OrderDiscount)(nil),
		(*OrderGiftCard)(nil),
		(*PriceListCustomerGroup)(nil),
		(*ProductImage)(nil),
		(*ProductProductTag)(nil),
		(*ProductSalesChannel)(nil),
		(*ProductTaxRate)(nil),
		(*ProductTypeTaxRate)(nil),
		(*RegionFulfillmentProvider)(nil),
		(*RegionPaymentProvider)(nil),
		(*ShippingTaxRate)(nil),
		(*StoreCurrency)(nil),
	}
}

// All returns a nil pointer of every model, one per table of Medusa 1.3.8's schema.
func All() []any {
	return append(joinModels(),
		(*Address)(nil),
		(*BatchJob)(nil),
		(*Cart)(nil),
		(*ClaimImage)(nil),
		(*ClaimItem)(nil),
		(*ClaimOrder)(nil),
		(*ClaimTag)(nil),
		(*Country)(nil),
		(*Currency)(nil),
		(*CustomShippingOption)(nil),
		(*Customer)(nil),
		(*CustomerGroup)(nil),
		(*Discount)(nil),
		(*DiscountCondition)(nil),
		(*DiscountRule)(nil),
		(*DraftOrder)(nil),
		(*Fulfillment)(nil),
		(*FulfillmentItem)(nil),
		(*FulfillmentProvider)(nil),
		(*GiftCard)(nil),
		(*GiftCardTransaction)(nil),
		(*IdempotencyKey)(nil),
		(*Image)(nil),
		(*Invite)(nil),
		(*LineItem)(nil),
		(*LineItemAdjustment)(nil),
		(*LineItemTaxLine)(nil),
		(*Migration)(nil),
		(*MoneyAmount)(nil),
		(*Note)(nil),
		(*Notification)(nil),
		(*NotificationProvider)(nil),
		(*Oauth)(nil),
		(*Order)(nil),
		(*Payment)(nil),
		(*PaymentProvider)(nil),
		(*PaymentSession)(nil),
		(*PriceList)(nil),
		(*Product)(nil),
		(*ProductCollection)(nil),
		(*ProductOption)(nil),
		(*ProductOptionValue)(nil),
		(*ProductTag)(nil),
		(*ProductType)(nil),
		(*ProductVariant)(nil),
		(*Refund)(nil),
		(*Region)(nil),
		(*Return)(nil),
		(*ReturnItem)(nil),
		(*ReturnReason)(nil),
		(*SalesChannel)(nil),
		(*ShippingMethod)(nil),
		(*ShippingMethodTaxLine)(nil),
		(*ShippingOption)(nil),
		(*ShippingOptionRequirement)(nil),
		(*ShippingProfile)(nil),
		(*StagedJob)(nil),
		(*Store)(nil),
		(*Swap)(nil),
		(*TaxProvider)(nil),
		(*TaxRate)(nil),
		(*TrackingLink)(nil),
		(*TypeormMetadata)(nil),
		(*User)(nil),
	)
}

// RegisterModels must be called once on every *bun.DB before the models are used: it registers
// the m2m join-table models first (see joinModels), then every other model, so that a bad tag
// panics at start-up rather than on first use.
func RegisterModels(db *bun.DB) {
	for _, m := range joinModels() {
		db.RegisterModel(m)
	}
	for _, m := range All() {
		db.RegisterModel(m)
	}
}
