package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"github.com/uptrace/bun"

	"github.com/gorgon-commerce/gorgon/store/model"
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

// VariantPrice is what Medusa 1.3.8's price selection strategy (calculateVariantPrice) computes
// for a variant. Medusa 1.3.8 has no tax-inclusive price flags (includes_tax came later).
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
}

// SelectVariantPrices runs Medusa's price selection for each variant with two statements
// whatever their number (the region, then every variant's candidate prices). A variant id
// without a live variant gets a result without prices.
func (s *Store) SelectVariantPrices(ctx context.Context, variantIDs []string, pc PriceContext) (map[string]*VariantPrice, error) {
	if (pc.RegionID == nil) == (pc.CurrencyCode == nil) {
		return nil, Invalidf("Exactly one of regionId and currencyCode is required")
	}
	region := &model.Region{}
	if pc.RegionID != nil {
		err := s.DB.NewSelect().Model(region).Column("id", "currency_code").Where("?TableAlias.id = ?", *pc.RegionID).Scan(ctx)
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
	out := make(map[string]*VariantPrice, len(variantIDs))
	for _, id := range variantIDs {
		out[id] = selectPrice(id, region, pc.Quantity, byVariant[id])
	}
	return out, nil
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
