package store

import (
	"reflect"
	"strings"

	"github.com/uptrace/bun"
)

// The order of every nested list Gorgon answers, in one place.
//
// Medusa 1.3.8 loads almost every to-many relation without an ORDER BY, so PostgreSQL returns
// the rows as they are stored: in the order they were inserted, except that an UPDATE writes a
// row's new version elsewhere (usually at the end), and a removed and re-added link comes
// last. Clients see and rely on that order ("update the first condition"). Gorgon reproduces it
// exactly with ORDER BY ctid, the row's physical position, of the table Medusa's join reads the
// rows from: the join table of a many-to-many relation, the child table of a one-to-many one.
// Checked against the real Medusa 1.3.8 (rest/testdata/medusa-diff/*.txt): store currencies,
// region countries, tax rate links, discount condition resources, product options, images, tags
// and sales channels, price list prices and customer groups, customer group members.
//
// Where Medusa does order (product variants by variant_rank) Gorgon keeps its order, with stable
// tie-breaks; where Medusa's join order is not reproducible (it depends on the query plan), the
// entry says what Gorgon gives instead.
var relationOrders = map[string]string{
	// Medusa's ORDER BY variant_rank; ties (rank 0 for variants created together) by creation.
	"product.Variants": "product_variant.variant_rank ASC NULLS LAST, product_variant.created_at ASC, product_variant.id ASC",
	// A product option moves to the end when it is renamed, as Medusa shows.
	"product.Options":       "product_option.ctid",
	"product.Images":        "product_images.ctid",
	"product.Tags":          "product_tags.ctid",
	"product.SalesChannels": "product_sales_channel.ctid",
	// Option values and variant prices come from Medusa's variants query, which sorts by
	// variant_rank: what it returns is their creation order (an updated price does not move).
	"product_option.Values":       "product_option_value.created_at, product_option_value.id",
	"product_variant.Options":     "product_option_value.created_at, product_option_value.id",
	"product_variant.Prices":      "money_amount.created_at, money_amount.id",
	"product_collection.Products": "product.created_at ASC, product.id ASC", // Medusa's changes between requests

	"store.Currencies": "store_currencies.ctid",

	"region.Countries":            "country.ctid",
	"region.PaymentProviders":     "region_payment_providers.ctid",
	"region.FulfillmentProviders": "region_fulfillment_providers.ctid",

	"tax_rate.Products":        "product_tax_rate.ctid",
	"tax_rate.ProductTypes":    "product_type_tax_rate.ctid",
	"tax_rate.ShippingOptions": "shipping_tax_rate.ctid",

	"discount.Regions": "region.id ASC",
	// A rule's conditions and a condition's resources in the order they were made, but see
	// discountJoinReversed.
	"discount_rule.Conditions":              "discount_condition.ctid",
	"discount_condition.Products":           "discount_condition_product.ctid",
	"discount_condition.ProductTypes":       "discount_condition_product_type.ctid",
	"discount_condition.ProductTags":        "discount_condition_product_tag.ctid",
	"discount_condition.ProductCollections": "discount_condition_product_collection.ctid",
	"discount_condition.CustomerGroups":     "discount_condition_customer_group.ctid",

	"price_list.Prices":         "money_amount.ctid",
	"price_list.CustomerGroups": "price_list_customer_groups.ctid",

	"customer.Groups":            "customer_group_customers.ctid",
	"customer_group.Customers":   "customer_group_customers.ctid",
	"customer_group.PriceLists":  "price_list_customer_groups.ctid",
	"customer.ShippingAddresses": "address.created_at ASC, address.id ASC",
	"customer.Orders":            `"order".created_at ASC, "order".id ASC`,

	"shipping_option.Requirements":     "shipping_option_requirement.ctid",
	"shipping_profile.Products":        "product.id ASC",
	"shipping_profile.ShippingOptions": "shipping_option.id ASC",

	"return_reason.ReturnReasonChildren": "return_reason.ctid", // a child whose row is rewritten comes last

	// Orders. Medusa's order repository loads each relation group without an ORDER BY, and
	// PostgreSQL reads a small shop's order children through their index on the order (swap,
	// claim, item) id: in the order of the index entries, which keep the place of a row's
	// first version when the row is later updated (a fulfilment shipped, an item returned).
	// That is their creation order, which Gorgon uses (checked on the reference server:
	// rest/testdata/orders; a row whose indexed column changed after creation can come later
	// in Medusa's answer). Join tables are never updated: storage order.
	"order.Discounts":             "order_discounts.ctid",
	"order.GiftCards":             "order_gift_cards.ctid",
	"order.Items":                 "line_item.created_at, line_item.id",
	"order.ShippingMethods":       "shipping_method.ctid",
	"order.Payments":              "payment.created_at, payment.id",
	"order.Fulfillments":          "fulfillment.created_at, fulfillment.id",
	"order.Returns":               "return.created_at, return.id",
	"order.Claims":                "claim_order.created_at, claim_order.id",
	"order.Refunds":               "refund.created_at, refund.id",
	"order.Swaps":                 "swap.created_at, swap.id",
	"order.GiftCardTransactions":  "gift_card_transaction.created_at, gift_card_transaction.id",
	"line_item.TaxLines":          "line_item_tax_line.ctid",
	"line_item.Adjustments":       "line_item_adjustment.ctid",
	"shipping_method.TaxLines":    "shipping_method_tax_line.ctid",
	"fulfillment.Items":           "fulfillment_item.ctid",
	"fulfillment.TrackingLinks":   "tracking_link.created_at, tracking_link.id",
	"return.Items":                "return_item.ctid",
	"swap.AdditionalItems":        "line_item.created_at, line_item.id",
	"swap.Fulfillments":           "fulfillment.created_at, fulfillment.id",
	"swap.ShippingMethods":        "shipping_method.ctid",
	"claim_order.AdditionalItems": "line_item.created_at, line_item.id",
	"claim_order.ClaimItems":      "claim_item.created_at, claim_item.id",
	"claim_order.Fulfillments":    "fulfillment.created_at, fulfillment.id",
	"claim_order.ShippingMethods": "shipping_method.ctid",
	"claim_item.Images":           "claim_image.ctid",
	// A swap's cart (GET /admin/swaps/:id).
	"cart.Items":           "line_item.created_at, line_item.id",
	"cart.ShippingMethods": "shipping_method.ctid",
	"cart.Discounts":       "cart_discounts.ctid",
	"cart.GiftCards":       "cart_gift_cards.ctid",
	// The region's tax rates come backwards in a swap's cart (Medusa's join reads them last
	// made first; checked on the reference server).
	"region.TaxRates": "tax_rate.ctid DESC",
}

// draftCartTaxRatesOrder is the order of the region's tax rates in a draft order's cart
// (GET /admin/draft-orders/:id): there Medusa's join reads them in storage order, unlike a
// swap's cart (checked on the reference server).
const draftCartTaxRatesOrder = "tax_rate.ctid"

// Orders of the top-level lists Medusa reads without an ORDER BY (REST only: GraphQL pages keep
// a stable order, oldest first, since offset paging over rows that move would skip or repeat
// some).
const (
	// Medusa reads the invites with a sequential scan: storage order, so an invite resent or
	// re-sent to the same address (both rewrite its row) comes last.
	inviteListOrder = "invite.ctid"
	// Medusa's users query (WHERE deleted_at IS NULL) is answered, on the small and never
	// analysed user table of a shop, by the unique partial index on email: users come by email.
	userListOrder = `"user".email ASC`
)

// discountJoinReversed lists the relations whose rows Medusa returns backwards when it loads a
// discount together with its regions (the default relations of the discount routes, and any
// expand naming regions): PostgreSQL then builds a hash table of the conditions with their
// resources and reads each rule's rows back from it last-inserted first. Without the regions
// (and in GET /admin/discounts/:id/conditions/:id) they come in storage order. Checked on the
// real Medusa 1.3.8 (rest/testdata/medusa-diff/discounts.txt).
var discountJoinReversed = map[string]bool{
	"discount_rule.Conditions":              true,
	"discount_condition.Products":           true,
	"discount_condition.ProductTypes":       true,
	"discount_condition.ProductTags":        true,
	"discount_condition.ProductCollections": true,
	"discount_condition.CustomerGroups":     true,
}

// relationOrderOf is the ORDER BY of relation rel (a bun relation name) of the table owner (its SQL
// name); "" leaves the order to PostgreSQL (to-one relations).
func relationOrderOf(owner, rel string) string {
	return relationOrders[owner+"."+rel]
}

// relationPathOrder is the order of the last relation of a bun relation path ("Rule.Conditions")
// from the model m.
func relationPathOrder(db bun.IDB, m any, path string) string {
	owner, rel := relationPathEnd(db, m, path)
	return relationOrderOf(owner, rel)
}

// relationPathEnd is the owner table and name of the last relation of path from m ("" when
// path is not one).
func relationPathEnd(db bun.IDB, m any, path string) (owner, rel string) {
	t := db.Dialect().Tables().Get(reflect.TypeOf(m))
	names := strings.Split(path, ".")
	for i, n := range names {
		if t == nil {
			return "", ""
		}
		r, ok := t.Relations[n]
		if !ok {
			return "", ""
		}
		if i == len(names)-1 {
			return t.Name, n
		}
		t = r.JoinTable
	}
	return "", ""
}

// orderedRelation is bun's Relation option that orders the rows of the last relation of path
// (from the model m) as relationOrders says.
func orderedRelation(db bun.IDB, m any, path string) func(*bun.SelectQuery) *bun.SelectQuery {
	order := relationPathOrder(db, m, path)
	return func(q *bun.SelectQuery) *bun.SelectQuery {
		if order != "" {
			q = q.OrderExpr(order)
		}
		return q
	}
}

// addDiscountRelations is addOrderedRelations for relation paths from a discount (the model m):
// with regions among them, the relations of discountJoinReversed come backwards, as in Medusa.
func addDiscountRelations(db bun.IDB, q *bun.SelectQuery, m any, names []string) *bun.SelectQuery {
	withRegions := false
	for _, n := range names {
		withRegions = withRegions || n == "Regions"
	}
	for _, n := range names {
		owner, rel := relationPathEnd(db, m, n)
		order := relationOrderOf(owner, rel)
		if withRegions && discountJoinReversed[owner+"."+rel] {
			order += " DESC"
		}
		q = q.Relation(n, func(q *bun.SelectQuery) *bun.SelectQuery {
			if order != "" {
				q = q.OrderExpr(order)
			}
			return q
		})
	}
	return q
}

// addOrderedRelations adds the bun relation paths names (from the model m) to q, each in its
// order.
func addOrderedRelations(db bun.IDB, q *bun.SelectQuery, m any, names []string) *bun.SelectQuery {
	for _, n := range names {
		q = q.Relation(n, orderedRelation(db, m, n))
	}
	return q
}
