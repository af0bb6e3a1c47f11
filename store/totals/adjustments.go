package totals

import (
	"math"

	"github.com/gorgon-commerce/gorgon/store/model"
)

// Adjustment is the line_item_adjustment Medusa 1.3.8 records for a cart's item when the cart
// has a discount (LineItemAdjustmentService.generateAdjustments with
// DiscountService.calculateDiscountForLineItem): the cart's first discount that is not free
// shipping, if the item allows discounts, is not a return line and its product passes the
// discount's conditions. ok is false when Medusa records nothing (including an amount of 0);
// the row's description is "discount".
//
// c must carry Items and Discounts with Rule and Rule.Conditions, each condition with the
// products, types, collections, tags or customer groups it names; product is the item's
// product (nil for a custom item) with TypeID, CollectionID and Tags.
func Adjustment(c *model.Cart, it *model.LineItem, product *model.Product) (discountID string, amount int64, ok bool) {
	if !it.AllowDiscounts || it.IsReturn || len(c.Discounts) == 0 {
		return "", 0, false
	}
	s := cartSubject(c)
	d := s.mainDiscount()
	if d == nil || d.Rule == nil {
		return "", 0, false
	}
	if product == nil || !ValidForProduct(d.Rule.Conditions, product) {
		return "", 0, false
	}
	amount = s.lineDiscount(it, d.Rule)
	if amount == 0 {
		return "", 0, false
	}
	return d.ID, amount, true
}

// lineDiscount is calculateDiscountForLineItem: a percentage of the item's subtotal; a fixed
// amount per unit (allocation "item"); or, for a fixed amount on the total, the item's share of
// the subtotal of all discountable items — all of them, even those the discount's conditions
// exclude, as Medusa computes it. Never more than the item's subtotal.
func (s *subject) lineDiscount(it *model.LineItem, rule *model.DiscountRule) int64 {
	if !it.AllowDiscounts {
		return 0
	}
	full := int64(it.UnitPrice) * int64(it.Quantity)
	value := float64(rule.Value)
	var adj float64
	switch {
	case rule.Type == "percentage":
		adj = jsRound(float64(full) / 100 * value)
	case rule.Type == "fixed" && rule.Allocation != nil && *rule.Allocation == "total":
		subtotal := s.subtotal(true)
		nominator := math.Min(value, float64(subtotal))
		share := float64(it.UnitPrice) / float64(subtotal) * float64(it.Quantity)
		adj = jsRound(nominator * share)
	default:
		adj = value * float64(it.Quantity)
	}
	if adj >= float64(full) {
		return full
	}
	// A discountable subtotal of 0 makes Medusa's share NaN (0/0); it never stores that.
	return toMoney(adj)
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
