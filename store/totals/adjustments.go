package totals

import (
	"math"

	"github.com/gorgon-commerce/gorgon/store/model"
)

// Adjustment is the line_item_adjustment Medusa 1.3.8 records for a cart's item when the cart
// has a discount (LineItemAdjustmentService.generateAdjustments with
// DiscountService.calculateDiscountForLineItem): for the cart's first discount that is not free
// shipping, if the item allows discounts, is not a return line and its product passes the
// discount's conditions. nil when Medusa records nothing (also for an amount of 0). The row's id
// is the caller's to set.
//
// c must carry Items and Discounts with Rule and Rule.Conditions, each condition with the
// products, types, collections, tags or customer groups it names; product is the item's
// product (nil for a custom item) with TypeID, CollectionID and Tags.
//
// A fixed discount on the total over a cart whose discountable subtotal is 0 makes Medusa
// divide by 0 and fail to store NaN, answering 500. It happens for every swap on an order with
// such a discount: swap.ts createCart generates the additional items' adjustments with the
// new cart before any item is loaded on it (seen on the reference server). That case is an
// unexpected_state error here; pass the cart as Medusa has it (no Items) to reproduce it.
func Adjustment(c *model.Cart, it *model.LineItem, product *model.Product) (*model.LineItemAdjustment, error) {
	if !it.AllowDiscounts || it.IsReturn || len(c.Discounts) == 0 {
		return nil, nil
	}
	s := cartSubject(c)
	d := s.mainDiscount()
	if d == nil || d.Rule == nil {
		return nil, nil
	}
	if product == nil || !ValidForProduct(d.Rule.Conditions, product) {
		return nil, nil
	}
	amount := s.lineDiscount(it, d.Rule)
	if math.IsNaN(amount) {
		return nil, &Error{Type: "unexpected_state", Message: "discount amount of line item " + it.ID + " is not a number"}
	}
	if amount == 0 {
		return nil, nil
	}
	id := d.ID
	return &model.LineItemAdjustment{ItemID: it.ID, Description: "discount", DiscountID: &id, Amount: int(amount)}, nil
}

// lineDiscount is calculateDiscountForLineItem: a percentage of the item's subtotal; a fixed
// amount per unit (allocation "item"); or, for a fixed amount on the total, the item's share of
// the subtotal of all discountable items — all of them, even those the discount's conditions
// exclude, as Medusa computes it. Never more than the item's subtotal.
func (s *subject) lineDiscount(it *model.LineItem, rule *model.DiscountRule) float64 {
	if !it.AllowDiscounts {
		return 0
	}
	full := float64(int64(it.UnitPrice) * int64(it.Quantity))
	value := float64(rule.Value)
	var adj float64
	switch {
	case rule.Type == "percentage":
		adj = jsRound(full / 100 * value)
	case rule.Type == "fixed" && rule.Allocation != nil && *rule.Allocation == "total":
		subtotal := float64(s.subtotal(true))
		nominator := math.Min(value, subtotal)
		share := float64(it.UnitPrice) / subtotal * float64(it.Quantity)
		adj = jsRound(nominator * share)
	default:
		adj = value * float64(it.Quantity)
	}
	if adj >= full {
		return full
	}
	return adj
}

// ValidForProduct is DiscountConditionRepository.isValidForProduct: every condition of the
// rule must hold for the product — an "in" condition must name it (its type, collection or one
// of its tags), a "not_in" condition must not. Medusa checks customer group conditions here by
// looking the product id up among customers, which never matches: an "in" customer group
// condition therefore makes every product invalid, and "not_in" lets every product pass.
func ValidForProduct(conds []*model.DiscountCondition, p *model.Product) bool {
	for _, c := range conds {
		matches := conditionMatches(c, p)
		if c.Operator == "in" && !matches {
			return false
		}
		if c.Operator == "not_in" && matches {
			return false
		}
	}
	return true
}

func conditionMatches(c *model.DiscountCondition, p *model.Product) bool {
	switch c.Type {
	case "products":
		for _, x := range c.Products {
			if x.ID == p.ID {
				return true
			}
		}
	case "product_types":
		for _, x := range c.ProductTypes {
			if p.TypeID != nil && x.ID == *p.TypeID {
				return true
			}
		}
	case "product_collections":
		for _, x := range c.ProductCollections {
			if p.CollectionID != nil && x.ID == *p.CollectionID {
				return true
			}
		}
	case "product_tags":
		for _, x := range c.ProductTags {
			for _, t := range p.Tags {
				if x.ID == t.ID {
					return true
				}
			}
		}
	}
	return false
}
