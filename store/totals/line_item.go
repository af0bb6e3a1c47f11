package totals

import (
	"github.com/gorgon-commerce/gorgon/store/model"
)

// LineItemTotals is Medusa 1.3.8's breakdown of one item (TotalsService.getLineItemTotals),
// which its store cart routes merge into each item. The tax amounts are JavaScript numbers: for
// an order with a legacy tax_rate Medusa does not round them (1003 at 12.5% is 125.375), so
// they are float64 here; otherwise they are integral.
type LineItemTotals struct {
	UnitPrice        int64                    `json:"unit_price"`
	Quantity         int64                    `json:"quantity"`
	Subtotal         int64                    `json:"subtotal"`
	TaxTotal         float64                  `json:"tax_total"`
	Total            float64                  `json:"total"`
	OriginalTotal    float64                  `json:"original_total"`
	OriginalTaxTotal float64                  `json:"original_tax_total"`
	TaxLines         []*model.LineItemTaxLine `json:"tax_lines"`
	DiscountTotal    int64                    `json:"discount_total"`
	GiftCardTotal    int64                    `json:"gift_card_total"`
}

// OrderLineItemTotals is getLineItemTotals for an item of an order (or of its swaps and
// claims), taxes included: from the legacy tax_rate, or from the item's stored tax lines.
// o must carry what Order needs.
func OrderLineItemTotals(o *model.Order, it *model.LineItem) LineItemTotals {
	s := orderSubject(o)
	t := s.lineItemTotals(it, s.allocationMap(false))
	if s.taxRate != nil {
		rate := *s.taxRate / 100
		t.OriginalTaxTotal = float64(t.Subtotal) * rate
		t.TaxTotal = float64(t.Subtotal-t.DiscountTotal) * rate
		t.Total += t.TaxTotal
		t.OriginalTotal += t.OriginalTaxTotal
	}
	s.lineItemTax(&t, it)
	return t
}

// CartLineItemTotals is getLineItemTotals for an item of a cart. With includeTax (Medusa passes
// the region's automatic_taxes, or true when taxes are forced) the tax lines are the ones the
// region's rates give now (return lines keep their stored ones); without, the item's stored
// tax lines, if any, still count, as in Medusa. c and rates as for Cart.
func CartLineItemTotals(c *model.Cart, it *model.LineItem, rates *Rates, includeTax bool) (LineItemTotals, error) {
	s := cartSubject(c)
	t := s.lineItemTotals(it, s.allocationMap(false))
	if includeTax && !it.IsReturn {
		if err := checkProvider(s.region); err != nil {
			return LineItemTotals{}, err
		}
		t.TaxLines = nil
		for _, r := range itemRates(rates, it, s.region) {
			t.TaxLines = append(t.TaxLines, &model.LineItemTaxLine{ItemID: it.ID, Rate: r.rate, Name: r.name, Code: r.code})
		}
	}
	s.lineItemTax(&t, it)
	return t, nil
}

// lineItemTotals is the part of getLineItemTotals before taxes: the discount is the per-unit
// allocation times the quantity, the gift card share its allocated amount.
func (s *subject) lineItemTotals(it *model.LineItem, alloc allocations) LineItemTotals {
	subtotal := int64(it.UnitPrice) * int64(it.Quantity)
	a := alloc[it.ID]
	var gift float64
	if a != nil && a.hasGiftCard {
		gift = orZero(a.giftCardAmount)
	}
	discount := toMoney(a.discountUnit() * float64(it.Quantity))
	lines := it.TaxLines
	if lines == nil {
		lines = []*model.LineItemTaxLine{}
	}
	return LineItemTotals{
		UnitPrice:     int64(it.UnitPrice),
		Quantity:      int64(it.Quantity),
		Subtotal:      subtotal,
		TaxTotal:      0,
		Total:         float64(subtotal - discount),
		OriginalTotal: float64(subtotal),
		TaxLines:      lines,
		DiscountTotal: discount,
		GiftCardTotal: toMoney(gift),
	}
}

// lineItemTax adds the tax of the item's tax lines, when it has any: with its discount
// (tax_total) and without (original_tax_total), by the tax calculation strategy for the item
// alone (no shipping).
func (s *subject) lineItemTax(t *LineItemTotals, it *model.LineItem) {
	if len(t.TaxLines) == 0 {
		return
	}
	lines := newTaxLines()
	for _, tl := range t.TaxLines {
		lines.items[it.ID] = append(lines.items[it.ID], tl.Rate)
	}
	items := []*model.LineItem{it}
	t.TaxTotal = calculate(items, lines, nil, s.allocationMap(false))
	t.Total += t.TaxTotal
	t.OriginalTaxTotal = calculate(items, lines, nil, allocations{})
	t.OriginalTotal += t.OriginalTaxTotal
}
