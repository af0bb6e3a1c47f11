// Package totals computes the money totals of orders and carts exactly as Medusa 1.3.8's
// TotalsService (services/totals.ts), its TaxCalculationStrategy (strategies/tax-calculation.ts)
// and the system tax provider do, as pure functions over rows already loaded: no SQL, so a page
// of orders costs the statements that load it and nothing per order or per item.
//
// The rules, as Medusa 1.3.8 has them (read at tag @medusajs/medusa@1.3.8):
//
//   - subtotal: Σ unit_price × quantity over the items (prices never include tax in 1.3.8: there
//     is no includes_tax anywhere in its models).
//   - discount_total: Medusa stores a discount's effect as line_item_adjustment rows when a
//     discount is applied to a cart (see Adjustment); totals only add them up. With no discount
//     other than free shipping it is 0; otherwise the sum of every adjustment of the items,
//     capped at the subtotal of the items that allow discounts (or floored at it when that
//     subtotal is negative, as in a swap cart full of return lines).
//   - free shipping: Medusa zeroes the shipping method's price when it applies the discount, so
//     shipping_total (Σ shipping method prices) already reflects it.
//   - gift_card_total: orders add up their gift_card_transactions; carts take the gift cards'
//     balances up to subtotal − discount_total. gift_card_tax_total is the tax share of that
//     amount in regions where gift cards are taxable, unrounded as in Medusa.
//   - tax_total: orders placed under 1.3's tax system (tax_rate null) sum their stored tax lines,
//     Math.round(taxable × rate/100) per item and tax line, taxable being the item's subtotal
//     less its discount allocation (rounded per unit), plus Math.round(price × rate/100) per
//     shipping method and line; older orders (tax_rate set) apply the order's rate to
//     subtotal − discount − gift cards + shipping. Carts compute fresh tax lines from the
//     region's rates (see Rates), and have no tax_total (null) unless the region has
//     automatic_taxes or taxes are forced. Where gift cards are taxable their tax is taken off.
//   - total: subtotal + tax_total + shipping_total − discount_total − gift_card_total.
//   - paid_total: Σ payment amounts; refunded_total: Σ refund amounts; refundable_amount: their
//     difference. items.refundable (and swaps'/claims' additional items): the unreturned quantity
//     at the item's price less its per-unit discount, plus its tax (see Order).
package totals

import (
	"slices"

	"github.com/gorgon-commerce/gorgon/store/model"
)

// Error is a failure Medusa reports with one of its error types; the store turns it into its
// own *store.Error (this package cannot import store, which uses it).
type Error struct {
	Type    string // Medusa's MedusaError type: invalid_data, not_found, unexpected_state
	Message string
}

func (e *Error) Error() string { return e.Type + ": " + e.Message }

// subject is what Medusa's totals functions read from a cart or an order.
type subject struct {
	isOrder bool
	// taxRate is the order's legacy tax_rate (orders of Medusa before 1.3 have one; newer
	// orders keep their tax lines instead).
	taxRate *float64
	items   []*model.LineItem
	// merged are the additional items of the order's swaps and claims, which share the
	// order's discount allocation (getLineDiscounts merges them in).
	merged       []*model.LineItem
	discounts    []*model.Discount
	giftCards    []*model.GiftCard
	transactions []*model.GiftCardTransaction
	shipping     []*model.ShippingMethod
	region       *model.Region
	cartType     string
}

func orderSubject(o *model.Order) *subject {
	s := &subject{
		isOrder:      true,
		taxRate:      o.TaxRate,
		items:        o.Items,
		discounts:    o.Discounts,
		giftCards:    o.GiftCards,
		transactions: o.GiftCardTransactions,
		shipping:     o.ShippingMethods,
		region:       o.Region,
	}
	for _, sw := range o.Swaps {
		s.merged = append(s.merged, sw.AdditionalItems...)
	}
	for _, c := range o.Claims {
		s.merged = append(s.merged, c.AdditionalItems...)
	}
	return s
}

func cartSubject(c *model.Cart) *subject {
	return &subject{
		items:     c.Items,
		discounts: c.Discounts,
		giftCards: c.GiftCards,
		shipping:  c.ShippingMethods,
		region:    c.Region,
		cartType:  c.Type,
	}
}

// subtotal is getSubtotal: Σ unit_price × quantity, optionally over the items that allow
// discounts only.
func (s *subject) subtotal(onlyDiscountable bool) int64 {
	var sum int64
	for _, it := range s.items {
		if onlyDiscountable && !it.AllowDiscounts {
			continue
		}
		sum += int64(it.UnitPrice) * int64(it.Quantity)
	}
	return sum
}

// shippingTotal is getShippingTotal: Σ shipping method prices.
func (s *subject) shippingTotal() int64 {
	var sum int64
	for _, m := range s.shipping {
		sum += int64(m.Price)
	}
	return sum
}

// mainDiscount is the one discount other than free shipping (Medusa allows at most one besides
// a free-shipping discount, and takes the first).
func (s *subject) mainDiscount() *model.Discount {
	for _, d := range s.discounts {
		if d.Rule == nil || d.Rule.Type != "free_shipping" {
			return d
		}
	}
	return nil
}

func (s *subject) hasFreeShipping() bool {
	for _, d := range s.discounts {
		if d.Rule != nil && d.Rule.Type == "free_shipping" {
			return true
		}
	}
	return false
}

// discountTotal is getDiscountTotal.
func (s *subject) discountTotal() int64 {
	if len(s.discounts) == 0 || s.mainDiscount() == nil {
		return 0
	}
	subtotal := s.subtotal(true)
	// getLineItemAdjustmentsTotal adds every adjustment of every item, whatever its discount.
	var adjusted int64
	for _, it := range s.items {
		for _, a := range it.Adjustments {
			adjusted += int64(a.Amount)
		}
	}
	if subtotal < 0 {
		return max(subtotal, adjusted)
	}
	return min(subtotal, adjusted)
}

// giftCards is getGiftCardTotal's {total, tax_total}.
type giftCards struct {
	total    int64
	taxTotal float64
}

// giftCardTotal is getGiftCardTotal. Orders read their transactions: each is taxed at the
// rate it recorded, or, for transactions from before Medusa recorded it (is_taxable null), at
// the region's rate when the region taxes gift cards.
func (s *subject) giftCardTotal() giftCards {
	if s.isOrder {
		var g giftCards
		for _, t := range s.transactions {
			mult := 0.0
			if t.TaxRate != nil {
				mult = *t.TaxRate / 100
			}
			if t.IsTaxable == nil && s.region != nil && s.region.GiftCardsTaxable {
				mult = s.region.TaxRate / 100
			}
			g.total += int64(t.Amount)
			g.taxTotal += float64(t.Amount) * mult
		}
		return g
	}
	if len(s.giftCards) == 0 {
		return giftCards{}
	}
	var balance int64
	for _, gc := range s.giftCards {
		balance += int64(gc.Balance)
	}
	amount := min(s.subtotal(false)-s.discountTotal(), balance)
	if s.region != nil && s.region.GiftCardsTaxable {
		return giftCards{total: amount, taxTotal: float64(amount) * s.region.TaxRate / 100}
	}
	return giftCards{total: amount}
}

// allocation is one item's entry of Medusa's LineAllocationsMap. Amounts stay JavaScript
// numbers: unit amounts are Math.round(amount / quantity), NaN for an item of quantity 0.
type allocation struct {
	hasDiscount                bool
	discountAmount, discountUA float64
	hasGiftCard                bool
	giftCardAmount, giftCardUA float64
}

// discountUnit is `allocations.discount?.unit_amount || 0`.
func (a *allocation) discountUnit() float64 {
	if a == nil || !a.hasDiscount {
		return 0
	}
	return orZero(a.discountUA)
}

type allocations map[string]*allocation

func (m allocations) get(id string) *allocation {
	a := m[id]
	if a == nil {
		a = &allocation{}
		m[id] = a
	}
	return a
}

// allocationMap is getAllocationMap: the main discount's adjustments per item (order items and
// the order's swap and claim additional items), and the gift card total spread over the items in
// proportion to their subtotals.
func (s *subject) allocationMap(excludeGiftCards bool) allocations {
	m := allocations{}
	if d := s.mainDiscount(); d != nil {
		for _, it := range slices.Concat(s.items, s.merged) {
			var amount int64
			if it.AllowDiscounts {
				for _, a := range it.Adjustments {
					if a.DiscountID != nil && *a.DiscountID == d.ID {
						amount += int64(a.Amount)
					}
				}
			}
			a := m.get(it.ID)
			a.hasDiscount = true
			a.discountAmount = float64(amount)
			a.discountUA = jsRound(float64(amount) / float64(it.Quantity))
		}
	}
	if !excludeGiftCards && len(s.giftCards) > 0 {
		subtotal := float64(s.subtotal(false))
		// A gift card total above the subtotal allocates 100% of each item.
		share := min(float64(s.giftCardTotal().total), subtotal) / subtotal
		for _, it := range s.items {
			amount := jsRound(float64(int64(it.UnitPrice)*int64(it.Quantity)) * share)
			a := m.get(it.ID)
			a.hasGiftCard = true
			a.giftCardAmount = amount
			a.giftCardUA = jsRound(amount / float64(it.Quantity))
		}
	}
	return m
}

// taxLines are the tax lines a calculation uses: rates in percent by line item id and by
// shipping method id.
type taxLines struct {
	items    map[string][]float64
	shipping map[string][]float64
}

func newTaxLines() taxLines {
	return taxLines{items: map[string][]float64{}, shipping: map[string][]float64{}}
}

// addStored adds the tax lines stored on the items and (when withShipping) shipping methods.
func (t taxLines) addStored(items []*model.LineItem, methods []*model.ShippingMethod) {
	for _, it := range items {
		for _, tl := range it.TaxLines {
			t.items[it.ID] = append(t.items[it.ID], tl.Rate)
		}
	}
	for _, m := range methods {
		for _, tl := range m.TaxLines {
			t.shipping[m.ID] = append(t.shipping[m.ID], tl.Rate)
		}
	}
}

// calculate is TaxCalculationStrategy.calculate: per item and tax line
// Math.round((subtotal − per-unit discount × quantity) × rate/100), per shipping method and tax
// line Math.round(price × rate/100), the sum rounded again.
func calculate(items []*model.LineItem, lines taxLines, methods []*model.ShippingMethod, alloc allocations) float64 {
	var itemsTax float64
	for _, it := range items {
		taxable := float64(int64(it.Quantity) * int64(it.UnitPrice))
		taxable -= alloc[it.ID].discountUnit() * float64(it.Quantity)
		for _, rate := range lines.items[it.ID] {
			itemsTax += jsRound(taxable * (rate / 100))
		}
	}
	var shippingTax float64
	for _, m := range methods {
		for _, rate := range lines.shipping[m.ID] {
			shippingTax += jsRound(float64(m.Price) * (rate / 100))
		}
	}
	return jsRound(itemsTax + shippingTax)
}

// taxTotal is getTaxTotal; nil is Medusa's null (a cart without automatic taxes).
func (s *subject) taxTotal(rates *Rates, force bool) (*int64, error) {
	if !s.isOrder && !force && (s.region == nil || !s.region.AutomaticTaxes) {
		return nil, nil
	}
	gc := s.giftCardTotal()
	lines := newTaxLines()
	if s.isOrder {
		if s.taxRate != nil {
			base := s.subtotal(false) - s.discountTotal() - gc.total + s.shippingTotal()
			v := toMoney(jsRound(float64(base) * (*s.taxRate / 100)))
			return &v, nil
		}
		lines.addStored(s.items, s.shipping)
	} else {
		if err := s.providerLines(rates, lines); err != nil {
			return nil, err
		}
		if s.cartType == "swap" {
			// A swap's cart carries the returned items as negative lines with the tax lines
			// copied from the order; those count as they are.
			var returned []*model.LineItem
			for _, it := range s.items {
				if it.IsReturn {
					returned = append(returned, it)
				}
			}
			lines.addStored(returned, nil)
		}
	}
	tax := calculate(s.items, lines, s.shipping, s.allocationMap(false))
	if s.region != nil && s.region.GiftCardsTaxable {
		tax = jsRound(tax - gc.taxTotal)
	}
	v := toMoney(tax)
	return &v, nil
}

// total is getTotal: subtotal + tax + shipping − discount − gift cards.
func (s *subject) total(rates *Rates, force, excludeGiftCards bool) (int64, error) {
	tax, err := s.taxTotal(rates, force)
	if err != nil {
		return 0, err
	}
	t := s.subtotal(false) + s.shippingTotal() - s.discountTotal()
	if tax != nil {
		t += *tax
	}
	if !excludeGiftCards {
		t -= s.giftCardTotal().total
	}
	return t, nil
}

// lineItemRefund is getLineItemRefund for an item and a quantity: the quantity at the unit
// price less the item's per-unit discount, plus tax: the legacy order rate on the whole, or
// Math.round(amount × rate/100) per tax line.
func (s *subject) lineItemRefund(alloc allocations, it *model.LineItem, quantity int64) int64 {
	discount := alloc[it.ID].discountUnit() * float64(quantity)
	lineSubtotal := float64(int64(it.UnitPrice)*quantity) - discount
	if s.taxRate != nil {
		return toMoney(jsRound(lineSubtotal * (1 + *s.taxRate/100)))
	}
	tax := 0.0
	for _, tl := range it.TaxLines {
		tax += jsRound(lineSubtotal * (tl.Rate / 100))
	}
	return toMoney(lineSubtotal + tax)
}

func sumPayments(ps []*model.Payment) int64 {
	var sum int64
	for _, p := range ps {
		sum += int64(p.Amount)
	}
	return sum
}

func sumRefunds(rs []*model.Refund) int64 {
	var sum int64
	for _, r := range rs {
		sum += int64(r.Amount)
	}
	return sum
}
