package totals

import (
	"slices"

	"github.com/gorgon-commerce/gorgon/store/model"
)

// OrderTotals are the totals Medusa 1.3.8's order service adds to an order (decorateTotals),
// under its JSON names, in the order its admin routes add them.
type OrderTotals struct {
	ShippingTotal int64 `json:"shipping_total"`
	DiscountTotal int64 `json:"discount_total"`
	TaxTotal      int64 `json:"tax_total"`
	RefundedTotal int64 `json:"refunded_total"`
	GiftCardTotal int64 `json:"gift_card_total"`
	// GiftCardTaxTotal is the tax included in the gift card amount (taxable gift cards). Medusa
	// does not round it: 333 at 12.5% is 41.625.
	GiftCardTaxTotal float64 `json:"gift_card_tax_total"`
	Subtotal         int64   `json:"subtotal"`
	Total            int64   `json:"total"`
	PaidTotal        int64   `json:"paid_total"`
	RefundableAmount int64   `json:"refundable_amount"`
	// Refundable is each item's `refundable` by line item id: the order's items and its swaps'
	// and claims' additional items, for their quantity not yet returned.
	Refundable map[string]int64 `json:"-"`
}

// Order computes an order's totals. o must carry what Medusa joins when totals are asked for
// (order.ts transformQueryForTotals): Items, Swaps and Claims with AdditionalItems, each item
// with TaxLines and Adjustments; Discounts with Rule; GiftCards; GiftCardTransactions; Refunds;
// ShippingMethods with TaxLines; Region; and Payments for paid_total (Medusa's default admin
// relations include them). A relation that is absent counts as empty.
func Order(o *model.Order) OrderTotals {
	s := orderSubject(o)
	gc := s.giftCardTotal()
	// An order's tax total never fails and is never null: it reads stored lines or the
	// legacy rate, and asks no tax provider.
	tax, _ := s.taxTotal(nil, false)
	t := OrderTotals{
		ShippingTotal:    s.shippingTotal(),
		DiscountTotal:    s.discountTotal(),
		TaxTotal:         *tax,
		RefundedTotal:    sumRefunds(o.Refunds),
		GiftCardTotal:    gc.total,
		GiftCardTaxTotal: gc.taxTotal,
		Subtotal:         s.subtotal(false),
		PaidTotal:        sumPayments(o.Payments),
		Refundable:       map[string]int64{},
	}
	t.Total = t.Subtotal + t.TaxTotal + t.ShippingTotal - t.DiscountTotal - t.GiftCardTotal
	t.RefundableAmount = t.PaidTotal - t.RefundedTotal
	alloc := s.allocationMap(false)
	for _, it := range slices.Concat(s.items, s.merged) {
		t.Refundable[it.ID] = s.lineItemRefund(alloc, it, unreturned(it))
	}
	return t
}

// unreturned is quantity − (returned_quantity || 0), the quantity decorateTotals prices for
// items.refundable.
func unreturned(it *model.LineItem) int64 {
	q := int64(it.Quantity)
	if it.ReturnedQuantity != nil {
		q -= int64(*it.ReturnedQuantity)
	}
	return q
}

// RefundLine is an item of the order (or of one of its swaps or claims) to refund, and how
// many of it.
type RefundLine struct {
	Item     *model.LineItem
	Quantity int
}

// RefundTotal is getRefundTotal: what returning these items refunds, before return shipping
// (what a return or claim refunds when the admin names no amount). An item that is not the
// order's, nor one of its swaps' or claims' additional items, is Medusa's invalid_data error.
func RefundTotal(o *model.Order, lines []RefundLine) (int64, error) {
	s := orderSubject(o)
	ids := map[string]bool{}
	for _, it := range slices.Concat(s.items, s.merged) {
		ids[it.ID] = true
	}
	alloc := s.allocationMap(false)
	var sum int64
	for _, l := range lines {
		if l.Item == nil || !ids[l.Item.ID] {
			return 0, &Error{Type: "invalid_data", Message: "Line item does not exist on order"}
		}
		sum += s.lineItemRefund(alloc, l.Item, int64(l.Quantity))
	}
	return sum, nil
}

// ReturnShippingTotal is what a return's shipping method costs the customer, taken off the
// refund Medusa computes for a return (return.ts create): the price plus
// Math.round(price × rate/100) for each of the method's tax lines (rates in percent).
func ReturnShippingTotal(price int, rates []float64) int64 {
	t := float64(price)
	for _, r := range rates {
		t += jsRound(float64(price) * (r / 100))
	}
	return toMoney(t)
}
