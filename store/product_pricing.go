package store

import (
	"context"
	"fmt"

	"github.com/uptrace/bun"

	"github.com/gorgon-commerce/gorgon/store/model"
)

// PricedProduct is a product as Medusa's pricing service decorates it (setProductPrices): each
// loaded variant becomes a PricedVariant. Without a region, currency or customer in the pricing
// context, which the admin routes never pass, the prices are the variant's prices outside any
// price list and every calculated field is null.
type PricedProduct struct {
	*model.Product
	Variants []*PricedVariant `json:"variants,omitzero"`
}

// PricedVariant is Medusa's PricedVariant.
type PricedVariant struct {
	*model.ProductVariant
	Prices                 []*PricedMoneyAmount `json:"prices"`
	OriginalPrice          *int                 `json:"original_price"`
	CalculatedPrice        *int                 `json:"calculated_price"`
	OriginalPriceInclTax   *int                 `json:"original_price_incl_tax"`
	CalculatedPriceInclTax *int                 `json:"calculated_price_incl_tax"`
	OriginalTax            *int                 `json:"original_tax"`
	CalculatedTax          *int                 `json:"calculated_tax"`
	TaxRates               []any                `json:"tax_rates"`
}

// PricedMoneyAmount is a price as the price selection loads it: with its price list joined
// (always null here, as only prices outside price lists are selected).
type PricedMoneyAmount struct {
	*model.MoneyAmount
	PriceList *model.PriceList `json:"price_list"`
}

// PriceProducts decorates products like Medusa's setProductPrices without a pricing context.
// Variants whose prices were not loaded get them with one query for all.
func (s *Store) PriceProducts(ctx context.Context, products []*model.Product) ([]*PricedProduct, error) {
	var missing []string
	for _, p := range products {
		for _, v := range p.Variants {
			if v.Prices == nil {
				missing = append(missing, v.ID)
			}
		}
	}
	loaded := map[string][]*model.MoneyAmount{}
	if len(missing) > 0 {
		var prices []*model.MoneyAmount
		err := s.DB.NewSelect().Model(&prices).Where("money_amount.variant_id IN (?)", bun.In(missing)).
			Where("money_amount.price_list_id IS NULL").OrderExpr("money_amount.created_at, money_amount.id").Scan(ctx)
		if err != nil {
			return nil, fmt.Errorf("variant prices: %w", err)
		}
		for _, ma := range prices {
			loaded[*ma.VariantID] = append(loaded[*ma.VariantID], ma)
		}
	}
	out := make([]*PricedProduct, len(products))
	for i, p := range products {
		pp := &PricedProduct{Product: p}
		out[i] = pp
		if len(p.Variants) == 0 {
			// Medusa returns a product without variants as it is; the field shadows the
			// product's own, so it carries the loaded (empty) list over.
			if p.Variants != nil {
				pp.Variants = []*PricedVariant{}
			}
			continue
		}
		pp.Variants = make([]*PricedVariant, len(p.Variants))
		for j, v := range p.Variants {
			prices := v.Prices
			if prices == nil {
				prices = loaded[v.ID]
			}
			pv := &PricedVariant{ProductVariant: v, Prices: []*PricedMoneyAmount{}}
			for _, ma := range prices {
				if ma.PriceListID == nil {
					pv.Prices = append(pv.Prices, &PricedMoneyAmount{MoneyAmount: ma})
				}
			}
			pp.Variants[j] = pv
		}
	}
	return out, nil
}
