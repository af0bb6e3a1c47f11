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

// PriceContext is Medusa's PriceSelectionContext: a region or a currency (exactly one), the
// customer (whose groups unlock price lists) or directly one customer group, and the quantity
// (nil: Medusa's undefined quantity, which admits only prices without a lower bound).
type PriceContext struct {
	RegionID        *string
	CurrencyCode    *string
	CustomerID      string
	CustomerGroupID *string
	Quantity        *int
}

// VariantPrice is what Medusa 1.3.8's pricing service computes for a variant: the price
// selection strategy's prices (calculateVariantPrice) and, in a region with automatic taxes, their
// taxes. Medusa 1.3.8 has no tax-inclusive price flags (includes_tax came later).
type VariantPrice struct {
	VariantID    string
	CurrencyCode string
	// OriginalPrice: the amount outside price lists and quantity bounds, of the region (which
	// takes precedence) or of the currency.
	OriginalPrice *int
	// CalculatedPrice: the lowest of Prices whose quantity bounds admit the quantity.
	CalculatedPrice *int
	// CalculatedPriceType: the winning price's list type (sale, override) or default.
	CalculatedPriceType   *string
	CalculatedPriceListID *string
	// Prices: every price the selection considered, in stored order, with its price list.
	Prices []*model.MoneyAmount
	// The taxes, only for a region with automatic taxes (else nil, as Medusa's nulls): the
	// product's rates in the region (its own, then its type's), else the region's default rate.
	OriginalTax, CalculatedTax                   *int
	OriginalPriceInclTax, CalculatedPriceInclTax *int
	TaxRates                                     []PriceTaxRate
}

// PriceTaxRate is a tax rate a price is taxed at (Medusa's TaxServiceRate).
type PriceTaxRate struct {
	Rate *float64
	Name string
	Code *string
}

// SelectVariantPrices runs Medusa's price selection for each variant with two statements
// whatever their number (the region, then every variant's candidate prices), and one more for
// the tax rates in a region with automatic taxes. A variant id without a live variant gets a
// result without prices.
func (s *Store) SelectVariantPrices(ctx context.Context, variantIDs []string, pc PriceContext) (map[string]*VariantPrice, error) {
	if (pc.RegionID == nil) == (pc.CurrencyCode == nil) {
		return nil, Invalidf("Exactly one of regionId and currencyCode is required")
	}
	region := &model.Region{}
	if pc.RegionID != nil {
		err := s.DB.NewSelect().Model(region).Column("id", "currency_code", "automatic_taxes", "tax_rate").Where("?TableAlias.id = ?", *pc.RegionID).Scan(ctx)
		if errors.Is(err, sql.ErrNoRows) {
			return nil, NotFoundf("Region with id: %s was not found", *pc.RegionID)
		}
		if err != nil {
			return nil, fmt.Errorf("price selection: %w", err)
		}
	} else {
		region.CurrencyCode = *pc.CurrencyCode
	}
	prices, err := candidatePrices(ctx, s.DB, variantIDs, region, pc)
	if err != nil {
		return nil, err
	}
	byVariant := map[string][]*model.MoneyAmount{}
	for _, ma := range prices {
		byVariant[*ma.VariantID] = append(byVariant[*ma.VariantID], ma)
	}
	var rates map[string][]PriceTaxRate
	if region.ID != "" && region.AutomaticTaxes {
		if rates, err = variantTaxRates(ctx, s.DB, variantIDs, region); err != nil {
			return nil, err
		}
	}
	out := make(map[string]*VariantPrice, len(variantIDs))
	for _, id := range variantIDs {
		vp := selectPrice(id, region, pc.Quantity, byVariant[id])
		if rates != nil {
			taxPrice(vp, rates[id])
		}
		out[id] = vp
	}
	return out, nil
}

// variantTaxRates is Medusa's getRegionRatesForProduct for each variant's product: the region's
// rates linked to the product, then those linked to its type, else the region's default rate.
func variantTaxRates(ctx context.Context, db bun.IDB, variantIDs []string, region *model.Region) (map[string][]PriceTaxRate, error) {
	var rows []struct {
		VariantID string   `bun:"variant_id"`
		ID        string   `bun:"id"`
		Rate      *float64 `bun:"rate"`
		Code      *string  `bun:"code"`
		Name      string   `bun:"name"`
	}
	if err := db.NewRaw(`SELECT x.variant_id, x.id, x.rate, x.code, x.name FROM (
			SELECT v.id AS variant_id, tr.id, tr.rate::text::float8 AS rate, tr.code, tr.name, 0 AS k, ptr.ctid AS c FROM tax_rate tr
			JOIN product_tax_rate ptr ON ptr.rate_id = tr.id JOIN product_variant v ON v.product_id = ptr.product_id
			WHERE v.id IN (?0) AND tr.region_id = ?1
			UNION ALL
			SELECT v.id, tr.id, tr.rate::text::float8, tr.code, tr.name, 1, pttr.ctid FROM tax_rate tr
			JOIN product_type_tax_rate pttr ON pttr.rate_id = tr.id JOIN product p ON p.type_id = pttr.product_type_id
			JOIN product_variant v ON v.product_id = p.id WHERE v.id IN (?0) AND tr.region_id = ?1) x
		ORDER BY x.variant_id, x.k, x.c`, bun.In(variantIDs), region.ID).Scan(ctx, &rows); err != nil {
		return nil, fmt.Errorf("price selection: tax rates: %w", err)
	}
	out := make(map[string][]PriceTaxRate, len(variantIDs))
	seen := map[[2]string]bool{}
	for _, r := range rows {
		if seen[[2]string{r.VariantID, r.ID}] {
			continue
		}
		seen[[2]string{r.VariantID, r.ID}] = true
		out[r.VariantID] = append(out[r.VariantID], PriceTaxRate{Rate: r.Rate, Name: r.Name, Code: r.Code})
	}
	def := "default"
	for _, id := range variantIDs {
		if len(out[id]) == 0 {
			out[id] = []PriceTaxRate{{Rate: new(region.TaxRate), Name: "default", Code: &def}}
		}
	}
	return out, nil
}

// taxPrice is the pricing service's calculateTaxes: each price's tax and the price with it.
func taxPrice(vp *VariantPrice, rates []PriceTaxRate) {
	pct := make([]float64, len(rates))
	for i, r := range rates {
		pct[i] = deref(r.Rate)
	}
	vp.TaxRates = rates
	if vp.CalculatedPrice != nil {
		tax := totals.PriceTax(*vp.CalculatedPrice, pct)
		vp.CalculatedTax, vp.CalculatedPriceInclTax = &tax, new(*vp.CalculatedPrice+tax)
	}
	if vp.OriginalPrice != nil {
		tax := totals.PriceTax(*vp.OriginalPrice, pct)
		vp.OriginalTax, vp.OriginalPriceInclTax = &tax, new(*vp.OriginalPrice+tax)
	}
}

// candidatePrices is Medusa's findManyForVariantInRegion for many variants: live prices of the
// region or its currency, outside price lists or in live active ones whose time window holds now,
// and which have no live customer group or one of the context's (the customer's groups, or the
// one group). Stored order, as Medusa reads them without an ORDER BY.
func candidatePrices(ctx context.Context, db bun.IDB, variantIDs []string, region *model.Region, pc PriceContext) ([]*model.MoneyAmount, error) {
	prices := []*model.MoneyAmount{}
	if len(variantIDs) == 0 {
		return prices, nil
	}
	groups := `NOT EXISTS (SELECT 1 FROM price_list_customer_groups g JOIN customer_group cg ON cg.id = g.customer_group_id
		AND cg.deleted_at IS NULL WHERE g.price_list_id = price_list.id)`
	var groupArg any
	switch {
	case pc.CustomerGroupID != nil:
		groups += ` OR EXISTS (SELECT 1 FROM price_list_customer_groups g JOIN customer_group cg ON cg.id = g.customer_group_id
			AND cg.deleted_at IS NULL WHERE g.price_list_id = price_list.id AND cg.id = ?)`
		groupArg = *pc.CustomerGroupID
	case pc.CustomerID != "":
		groups += ` OR EXISTS (SELECT 1 FROM price_list_customer_groups g JOIN customer_group cg ON cg.id = g.customer_group_id
			AND cg.deleted_at IS NULL JOIN customer_group_customers cgc ON cgc.customer_group_id = cg.id
			WHERE g.price_list_id = price_list.id AND cgc.customer_id = ?)`
		groupArg = pc.CustomerID
	}
	q := db.NewSelect().Model(&prices).
		Relation("PriceList", func(q *bun.SelectQuery) *bun.SelectQuery { return q.WhereDeleted().WhereAllWithDeleted() }).
		Where("money_amount.variant_id IN (?)", bun.In(variantIDs))
	if region.ID != "" {
		q = q.Where("(money_amount.region_id = ? OR money_amount.currency_code = ?)", region.ID, region.CurrencyCode)
	} else {
		q = q.Where("money_amount.currency_code = ?", region.CurrencyCode)
	}
	live := `money_amount.price_list_id IS NULL OR (price_list.id IS NOT NULL AND price_list.deleted_at IS NULL
		AND price_list.status = 'active' AND (price_list.ends_at IS NULL OR price_list.ends_at > now())
		AND (price_list.starts_at IS NULL OR price_list.starts_at < now()) AND (` + groups + `))`
	if groupArg != nil {
		q = q.Where(live, groupArg)
	} else {
		q = q.Where(live)
	}
	if err := q.OrderExpr("money_amount.ctid").Scan(ctx); err != nil {
		return nil, fmt.Errorf("price selection: %w", err)
	}
	for _, ma := range prices {
		if ma.PriceList != nil && ma.PriceList.ID == "" {
			ma.PriceList = nil
		}
	}
	return prices, nil
}

// selectPrice is calculateVariantPrice over a variant's candidate prices.
func selectPrice(variantID string, region *model.Region, quantity *int, prices []*model.MoneyAmount) *VariantPrice {
	vp := &VariantPrice{VariantID: variantID, CurrencyCode: region.CurrencyCode, Prices: prices}
	if vp.Prices == nil {
		vp.Prices = []*model.MoneyAmount{}
	}
	for _, ma := range prices {
		plain := ma.PriceListID == nil && ma.MinQuantity == nil && ma.MaxQuantity == nil
		inRegion := region.ID != "" && ma.RegionID != nil && *ma.RegionID == region.ID
		if plain && inRegion {
			vp.OriginalPrice = new(ma.Amount)
		}
		// A region's price takes precedence over its currency's.
		if plain && ma.CurrencyCode == region.CurrencyCode && vp.OriginalPrice == nil {
			vp.OriginalPrice = new(ma.Amount)
		}
		if validQuantity(ma, quantity) && (vp.CalculatedPrice == nil || ma.Amount < *vp.CalculatedPrice) &&
			(ma.CurrencyCode == region.CurrencyCode || inRegion) {
			vp.CalculatedPrice = new(ma.Amount)
			typ := "default"
			if ma.PriceList != nil {
				typ = ma.PriceList.Type
			}
			vp.CalculatedPriceType, vp.CalculatedPriceListID = &typ, ma.PriceListID
		}
	}
	return vp
}

// validQuantity is Medusa's isValidQuantity: a zero bound is no bound; without a quantity, only
// prices without a lower bound count.
func validQuantity(ma *model.MoneyAmount, quantity *int) bool {
	lower, upper := deref(ma.MinQuantity), deref(ma.MaxQuantity)
	if quantity == nil {
		return lower == 0
	}
	return (lower == 0 || lower <= *quantity) && (upper == 0 || upper >= *quantity)
}
