package totals

import (
	"github.com/gorgon-commerce/gorgon/store/model"
)

// CartTotals are the totals Medusa 1.3.8's cart service adds to a cart (decorateTotals_), as a
// draft order's cart shows them. TaxTotal is null when the region computes no taxes
// automatically and taxes are not forced.
type CartTotals struct {
	Subtotal         int64   `json:"subtotal"`
	TaxTotal         *int64  `json:"tax_total"`
	ShippingTotal    int64   `json:"shipping_total"`
	DiscountTotal    int64   `json:"discount_total"`
	GiftCardTotal    int64   `json:"gift_card_total"`
	GiftCardTaxTotal float64 `json:"gift_card_tax_total"`
	Total            int64   `json:"total"`
}

// Rates are the tax rates Medusa's tax provider service looks up for a cart's lines
// (repositories/tax-rate.ts listByProduct and listByShippingOption), keyed by what they are
// linked to. Each map holds the tax_rate rows linked through product_tax_rate,
// product_type_tax_rate and shipping_tax_rate; product and product type rates of other regions
// are ignored here as in Medusa's query, shipping option rates are not filtered by region
// (neither are they in Medusa).
type Rates struct {
	Product        map[string][]*model.TaxRate
	ProductType    map[string][]*model.TaxRate
	ShippingOption map[string][]*model.TaxRate
}

// rateLine is a rate the tax provider turns into a tax line.
type rateLine struct {
	rate float64
	name string
	code *string
}

var defaultCode = "default"

// regionDefault is the rate Medusa falls back to when nothing is linked: the region's tax_rate,
// named and coded "default".
func regionDefault(r *model.Region) []rateLine {
	return []rateLine{{rate: r.TaxRate, name: "default", code: &defaultCode}}
}

// fromRows is the system tax provider's view of rate rows: a null rate is 0.
func fromRows(rows []*model.TaxRate) []rateLine {
	out := make([]rateLine, 0, len(rows))
	for _, r := range rows {
		rate := 0.0
		if r.Rate != nil {
			rate = *r.Rate
		}
		out = append(out, rateLine{rate: rate, name: r.Name, code: r.Code})
	}
	return out
}

// productRates is getRegionRatesForProduct: the region's rates linked to the product, then
// those linked to its type that are not already there (lodash unionBy id), else the region's
// default rate.
func (rs *Rates) productRates(productID string, typeID *string, region *model.Region) []rateLine {
	var rows []*model.TaxRate
	seen := map[string]bool{}
	add := func(list []*model.TaxRate) {
		for _, r := range list {
			if r.RegionID != region.ID || seen[r.ID] {
				continue
			}
			seen[r.ID] = true
			rows = append(rows, r)
		}
	}
	if rs != nil {
		add(rs.Product[productID])
		if typeID != nil {
			add(rs.ProductType[*typeID])
		}
	}
	if len(rows) == 0 {
		return regionDefault(region)
	}
	return fromRows(rows)
}

// shippingRates is getRegionRatesForShipping.
func (rs *Rates) shippingRates(optionID string, region *model.Region) []rateLine {
	var rows []*model.TaxRate
	if rs != nil {
		rows = rs.ShippingOption[optionID]
	}
	if len(rows) == 0 {
		return regionDefault(region)
	}
	return fromRows(rows)
}

// checkProvider refuses regions whose taxes a provider plugin computes: Medusa resolves
// tp_<tax_provider_id> from its container (its built-in system provider is only the fallback for
// a null id, never registered under an id) and fails with this error when no plugin provides
// it. Gorgon has no tax provider plugins.
func checkProvider(r *model.Region) error {
	if r == nil {
		return &Error{Type: "unexpected_state", Message: "Tax calculation needs the cart's region"}
	}
	if r.TaxProviderID != nil {
		return &Error{Type: "not_found", Message: "Could not find a tax provider with id: " + *r.TaxProviderID}
	}
	return nil
}

// itemRates is what the tax provider is asked for an item: nothing for return lines, the
// product's rates for an item of a variant, none for a custom item.
func itemRates(rs *Rates, it *model.LineItem, region *model.Region) []rateLine {
	if it.IsReturn {
		return nil
	}
	if it.Variant != nil && it.Variant.ProductID != "" {
		var typeID *string
		if it.Variant.Product != nil {
			typeID = it.Variant.Product.TypeID
		}
		return rs.productRates(it.Variant.ProductID, typeID, region)
	}
	return nil
}

// providerLines is TaxProviderService.getTaxLines with the system provider, for the cart's
// items and all of its shipping methods.
func (s *subject) providerLines(rs *Rates, lines taxLines) error {
	if err := checkProvider(s.region); err != nil {
		return err
	}
	for _, it := range s.items {
		rates := itemRates(rs, it, s.region)
		for _, r := range rates {
			lines.items[it.ID] = append(lines.items[it.ID], r.rate)
		}
	}
	for _, m := range s.shipping {
		for _, r := range rs.shippingRates(m.ShippingOptionID, s.region) {
			lines.shipping[m.ID] = append(lines.shipping[m.ID], r.rate)
		}
	}
	return nil
}

// Cart computes a cart's totals. c must carry Items (with Variant and Variant.Product for the
// tax rates of product types, Adjustments, and TaxLines on the return lines of a swap's cart),
// Discounts with Rule, GiftCards, ShippingMethods and Region; rates are the tax rates linked to
// the items' products and types and to the shipping methods' options. forceTaxes computes the
// tax total even when the region has no automatic taxes (Medusa's force_taxes).
func Cart(c *model.Cart, rates *Rates, forceTaxes bool) (CartTotals, error) {
	s := cartSubject(c)
	tax, err := s.taxTotal(rates, forceTaxes)
	if err != nil {
		return CartTotals{}, err
	}
	gc := s.giftCardTotal()
	t := CartTotals{
		Subtotal:         s.subtotal(false),
		TaxTotal:         tax,
		ShippingTotal:    s.shippingTotal(),
		DiscountTotal:    s.discountTotal(),
		GiftCardTotal:    gc.total,
		GiftCardTaxTotal: gc.taxTotal,
	}
	t.Total = t.Subtotal + t.ShippingTotal - t.DiscountTotal - t.GiftCardTotal
	if tax != nil {
		t.Total += *tax
	}
	return t, nil
}

// GiftCardableAmount is getGiftCardableAmount: how much of a cart gift cards may pay when it
// becomes an order (order.ts createFromCart spends the cards in turn up to it). Where gift cards
// are taxable it is the subtotal less discounts, else the whole total without gift cards.
func GiftCardableAmount(c *model.Cart, rates *Rates) (int64, error) {
	s := cartSubject(c)
	if s.region != nil && s.region.GiftCardsTaxable {
		return s.subtotal(false) - s.discountTotal(), nil
	}
	return s.total(rates, false, true)
}

// CartTaxLines are the tax lines Medusa computes for a cart and stores when it becomes an order
// (TaxProviderService.createTaxLines): one per item and rate (none for return lines and custom
// items) and one per shipping method and rate. Ids and timestamps are the caller's to set.
// Medusa computes them when a cart completes and when a draft order is paid, whatever the
// region's automatic_taxes, and stores them by upsert on (item_id, code), resp.
// (shipping_method_id, code), overwriting rate, name and updated_at.
func CartTaxLines(c *model.Cart, rates *Rates) ([]*model.LineItemTaxLine, []*model.ShippingMethodTaxLine, error) {
	if err := checkProvider(c.Region); err != nil {
		return nil, nil, err
	}
	var items []*model.LineItemTaxLine
	for _, it := range c.Items {
		rs := itemRates(rates, it, c.Region)
		for _, r := range rs {
			items = append(items, &model.LineItemTaxLine{ItemID: it.ID, Rate: r.rate, Name: r.name, Code: r.code})
		}
	}
	var shipping []*model.ShippingMethodTaxLine
	for _, m := range c.ShippingMethods {
		for _, r := range rates.shippingRates(m.ShippingOptionID, c.Region) {
			shipping = append(shipping, &model.ShippingMethodTaxLine{ShippingMethodID: m.ID, Rate: r.rate, Name: r.name, Code: r.code})
		}
	}
	return items, shipping, nil
}

// GiftCardUse is what placing an order from a cart does with one of its gift cards
// (order.ts createFromCart): the card's new balance (disabled at 0) and the
// gift_card_transaction recorded on the order.
type GiftCardUse struct {
	GiftCardID string
	Amount     int64 // the transaction's amount: what the card pays
	NewBalance int64
	IsTaxable  bool
	TaxRate    *float64 // the region's rate when gift cards are taxable, else null
}

// GiftCardUsage spends the cart's gift cards in their order up to GiftCardableAmount, as Medusa
// does when the cart becomes an order. c and rates as for Cart.
func GiftCardUsage(c *model.Cart, rates *Rates) ([]GiftCardUse, error) {
	left, err := GiftCardableAmount(c, rates)
	if err != nil {
		return nil, err
	}
	taxable := c.Region != nil && c.Region.GiftCardsTaxable
	var uses []GiftCardUse
	for _, g := range c.GiftCards {
		balance := int64(g.Balance)
		newBalance := max(0, balance-left)
		u := GiftCardUse{GiftCardID: g.ID, Amount: balance - newBalance, NewBalance: newBalance, IsTaxable: taxable}
		if taxable {
			r := c.Region.TaxRate
			u.TaxRate = &r
		}
		uses = append(uses, u)
		left -= u.Amount
	}
	return uses, nil
}
