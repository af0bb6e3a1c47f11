package graph

import "github.com/gorgon-commerce/gorgon/graph/generated"

// Resolver fields that never wait for a sibling: they answer from memory (enums, counts) or load
// through the catalog's sibling-group loaders (graph/loaders/catalog.go), where the first asker
// loads for the whole group. A list whose selection holds only such fields and plain ones is
// marshalled item after item, without gqlgen's goroutine per item (graph/generated/marshal_slice.go).
// A field that reads through a time-window dataloader (loaders.go, the ByID loaders) must not be
// listed: marshalled one item at a time, each item would wait out the window for a batch of one.
func init() {
	generated.Immediate(
		"Product.status", "Product.variants", "Product.options", "Product.images", "Product.tags", "Product.type",
		"Product.collection", "Product.salesChannels", "Product.profile",
		"ProductVariant.product", "ProductVariant.prices", "ProductVariant.options", "ProductVariant.price",
		"VariantPrice.calculatedPriceType",
		"ProductOption.values", "ProductOptionValue.option",
		"MoneyAmount.priceList", "MoneyAmount.variant",
		"ProductCollection.products",
		"PriceList.type", "PriceList.status", "PriceList.prices", "PriceList.customerGroups",
		"ProductTagUsage.usageCount",
	)
}
