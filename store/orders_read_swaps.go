package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"github.com/uptrace/bun"

	"github.com/gorgon-commerce/gorgon/store/model"
	"github.com/gorgon-commerce/gorgon/store/totals"
)

// SwapView is a swap as GET /admin/swaps/:id answers it: the swap with defaultAdminSwapRelations
// (and its entities' eager relations), and its cart as Medusa's cart service retrieves it for
// the route's cart fields (subtotal, tax_total, shipping_total, discount_total,
// gift_card_total, total): every column, the relations those totals read, and the totals.
type SwapView struct {
	*model.Swap
	Cart       *model.Cart
	CartTotals totals.CartTotals
}

// swapViewRelations are defaultAdminSwapRelations but the cart, with the eager relations.
var swapViewRelations = []string{"Order", "AdditionalItems", "AdditionalItems.Adjustments",
	"AdditionalItems.Variant", "AdditionalItems.Variant.Product", "ReturnOrder", "ReturnOrder.Items",
	"Fulfillments", "Fulfillments.Items", "Payment", "ShippingAddress", "ShippingMethods",
	"ShippingMethods.ShippingOption"}

// swapCartRelations are the cart relations of the swap route (items, items.adjustments) with
// those the cart's totals read (cart.ts transformQueryForTotals_) and the eager ones.
var swapCartRelations = []string{"Items", "Items.Adjustments", "Items.TaxLines", "Items.Variant",
	"Items.Variant.Product", "GiftCards", "Discounts", "Discounts.Rule", "ShippingMethods",
	"ShippingMethods.ShippingOption", "ShippingAddress", "Region", "Region.TaxRates",
	"Region.PaymentProviders", "Region.FulfillmentProviders"}

// RetrieveSwap is GET /admin/swaps/:id: "Swap was not found" for an unknown id.
func (s *Store) RetrieveSwap(ctx context.Context, id string) (*SwapView, error) {
	sw := new(model.Swap)
	q := s.DB.NewSelect().Model(sw).Where("swap.id = ?", id)
	q = addOrderedRelations(s.DB, q, (*model.Swap)(nil), swapViewRelations)
	if err := q.Scan(ctx); errors.Is(err, sql.ErrNoRows) {
		return nil, NotFoundf("Swap was not found")
	} else if err != nil {
		return nil, fmt.Errorf("get swap %s: %w", id, err)
	}
	FillRelations(s.DB, sw, []string{"additional_items.adjustments", "return_order.items", "fulfillments.items",
		"shipping_methods", "fulfillments", "additional_items"})
	v := &SwapView{Swap: sw}
	if sw.CartID == nil {
		return v, nil
	}
	c := new(model.Cart)
	cq := s.DB.NewSelect().Model(c).Where("cart.id = ?", *sw.CartID)
	cq = addOrderedRelations(s.DB, cq, (*model.Cart)(nil), swapCartRelations)
	if err := cq.Scan(ctx); errors.Is(err, sql.ErrNoRows) {
		return nil, NotFoundf("Cart with %s was not found", *sw.CartID)
	} else if err != nil {
		return nil, fmt.Errorf("get swap %s cart: %w", id, err)
	}
	FillRelations(s.DB, c, []string{"items.adjustments", "items.tax_lines", "gift_cards", "discounts",
		"shipping_methods", "region.tax_rates", "region.payment_providers", "region.fulfillment_providers"})
	rates, err := s.cartRates(ctx, s.DB, c)
	if err != nil {
		return nil, err
	}
	t, err := totals.Cart(c, rates, false)
	if err != nil {
		return nil, totalsError(err)
	}
	v.Cart, v.CartTotals = c, t
	return v, nil
}

// totalsError turns a totals error into the store's.
func totalsError(err error) error {
	var te *totals.Error
	if errors.As(err, &te) {
		return &Error{Type: ErrorType(te.Type), Message: te.Message}
	}
	return err
}

// cartRates reads the tax rates Medusa's tax provider would look up for the cart's lines: those
// linked to the items' products and product types (in the cart's region) and to its shipping
// methods' options.
func (s *Store) cartRates(ctx context.Context, db bun.IDB, c *model.Cart) (*totals.Rates, error) {
	rs := &totals.Rates{Product: map[string][]*model.TaxRate{}, ProductType: map[string][]*model.TaxRate{},
		ShippingOption: map[string][]*model.TaxRate{}}
	var products, types, options []string
	for _, it := range c.Items {
		if it.Variant != nil && it.Variant.Product != nil {
			products = append(products, it.Variant.Product.ID)
			if it.Variant.Product.TypeID != nil {
				types = append(types, *it.Variant.Product.TypeID)
			}
		}
	}
	for _, m := range c.ShippingMethods {
		options = append(options, m.ShippingOptionID)
	}
	type linked struct {
		model.TaxRate `bun:",extend"`
		Key           string `bun:"gorgon_key"`
	}
	read := func(join, keyCol string, keys []string, regional bool, into map[string][]*model.TaxRate) error {
		if len(keys) == 0 {
			return nil
		}
		var rows []linked
		q := db.NewSelect().Model(&rows).ColumnExpr("tax_rate.*").ColumnExpr("l."+keyCol+" AS gorgon_key").
			Join("JOIN "+join+" AS l ON l.rate_id = tax_rate.id").Where("l."+keyCol+" IN (?)", bun.In(keys)).
			OrderExpr("l.ctid")
		if regional {
			q = q.Where("tax_rate.region_id = ?", c.RegionID)
		}
		if err := q.Scan(ctx); err != nil {
			return fmt.Errorf("cart tax rates: %w", err)
		}
		for i := range rows {
			into[rows[i].Key] = append(into[rows[i].Key], &rows[i].TaxRate)
		}
		return nil
	}
	if err := read("product_tax_rate", "product_id", products, true, rs.Product); err != nil {
		return nil, err
	}
	if err := read("product_type_tax_rate", "product_type_id", types, true, rs.ProductType); err != nil {
		return nil, err
	}
	if err := read("shipping_tax_rate", "shipping_option_id", options, false, rs.ShippingOption); err != nil {
		return nil, err
	}
	return rs, nil
}
