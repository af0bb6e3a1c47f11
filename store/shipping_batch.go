package store

import (
	"context"
	"fmt"

	"github.com/uptrace/bun"

	"github.com/gorgon-commerce/gorgon/store/model"
)

// Batch reads of tax rates, shipping options and shipping profiles for GraphQL's dataloaders:
// each answers for many parents in one statement, in the order the single reads of
// tax_rates.go, shipping_options.go and shipping_profiles.go give their relations, so a page of N
// objects with nested lists costs the same statements whatever N.

// ListShippingOptionsPage is ListShippingOptions paged, without relations or pricing (GraphQL
// loads them per field, batched), with the total: the same filter and order, oldest first.
func (s *Store) ListShippingOptionsPage(ctx context.Context, f ShippingOptionFilter, p Page) ([]*model.ShippingOption, int, error) {
	if p.Limit < 0 || p.Offset < 0 {
		return nil, 0, Invalidf("limit and offset must not be negative")
	}
	opts := []*model.ShippingOption{}
	q := s.DB.NewSelect().Model(&opts)
	if f.RegionID != nil {
		q = q.Where("shipping_option.region_id = ?", *f.RegionID)
	}
	q = f.IsReturn.apply(q, "shipping_option.is_return")
	q = f.AdminOnly.apply(q, "shipping_option.admin_only")
	q, err := s.applyWhere(q, "shippingOption", p.Where)
	if err != nil {
		return nil, 0, err
	}
	q = q.OrderExpr("shipping_option.created_at ASC, shipping_option.id ASC")
	return scanPage(ctx, q, &opts, p, "list shipping options")
}

// ListShippingProfilesPage lists the live profiles, oldest first (ListShippingProfiles' order),
// paged without Medusa's cap of 10, with the total.
func (s *Store) ListShippingProfilesPage(ctx context.Context, p Page) ([]*model.ShippingProfile, int, error) {
	if p.Limit < 0 || p.Offset < 0 {
		return nil, 0, Invalidf("limit and offset must not be negative")
	}
	profiles := []*model.ShippingProfile{}
	q, err := s.applyWhere(s.DB.NewSelect().Model(&profiles), "shippingProfile", p.Where)
	if err != nil {
		return nil, 0, err
	}
	q = q.OrderExpr("shipping_profile.created_at ASC, shipping_profile.id ASC")
	return scanPage(ctx, q, &profiles, p, "list shipping profiles")
}

// taxRateLinked reads, for each rate, the live rows linked to it through l (the first limit of
// them; 0: all), in the order the links were made as GetTaxRate gives them, in one statement.
// rel is the join model's relation to the linked row; get returns a link's rate and row.
func taxRateLinked[L, T any](ctx context.Context, db bun.IDB, l taxRateLink, rel string, rateIDs []string, limit int,
	get func(*L) (string, *T)) (map[string][]*T, error) {
	var links []*L
	q := db.NewSelect().Model(&links).Relation(rel).
		Where("?.rate_id IN (?)", bun.Ident(l.join), bun.In(nonEmpty(rateIDs))).
		// The relation's alias is its table's name; a left-joined deleted row is left out.
		Where("?.id IS NOT NULL AND ?.deleted_at IS NULL", bun.Ident(l.table), bun.Ident(l.table)).
		OrderExpr("?.ctid", bun.Ident(l.join))
	if limit > 0 {
		q = q.Where(fmt.Sprintf(`(?.rate_id, ?.%[1]s) IN (SELECT w.rate_id, w.%[1]s FROM (
			SELECT x.rate_id, x.%[1]s, row_number() OVER (PARTITION BY x.rate_id ORDER BY x.ctid) AS rn
			FROM %[2]s AS x JOIN %[3]s AS t ON t.id = x.%[1]s AND t.deleted_at IS NULL WHERE x.rate_id IN (?)) AS w WHERE w.rn <= ?)`,
			l.col, l.join, l.table), bun.Ident(l.join), bun.Ident(l.join), bun.In(nonEmpty(rateIDs)), limit)
	}
	if err := q.Scan(ctx); err != nil {
		return nil, fmt.Errorf("tax rate %s: %w", l.table, err)
	}
	out := make(map[string][]*T, len(rateIDs))
	for _, id := range rateIDs {
		out[id] = []*T{}
	}
	for _, lk := range links {
		if rate, row := get(lk); row != nil {
			out[rate] = append(out[rate], row)
		}
	}
	return out, nil
}

// TaxRateProductsFirst returns the first limit live products of each rate, in the order they
// were linked.
func (s *Store) TaxRateProductsFirst(ctx context.Context, rateIDs []string, limit int) (map[string][]*model.Product, error) {
	return taxRateLinked(ctx, s.DB, taxRateProducts, "Product", rateIDs, limit,
		func(l *model.ProductTaxRate) (string, *model.Product) { return l.RateID, l.Product })
}

// TaxRateProductTypesByRateIDs returns each rate's live product types, in the order they were
// linked.
func (s *Store) TaxRateProductTypesByRateIDs(ctx context.Context, rateIDs []string) (map[string][]*model.ProductType, error) {
	return taxRateLinked(ctx, s.DB, taxRateProductTypes, "ProductType", rateIDs, 0,
		func(l *model.ProductTypeTaxRate) (string, *model.ProductType) { return l.RateID, l.ProductType })
}

// TaxRateShippingOptionsByRateIDs returns each rate's live shipping options, in the order they
// were linked.
func (s *Store) TaxRateShippingOptionsByRateIDs(ctx context.Context, rateIDs []string) (map[string][]*model.ShippingOption, error) {
	return taxRateLinked(ctx, s.DB, taxRateShippingOptions, "ShippingOption", rateIDs, 0,
		func(l *model.ShippingTaxRate) (string, *model.ShippingOption) { return l.RateID, l.ShippingOption })
}

// TaxRateCountsByIDs counts, per rate, the live rows linked through rel ("products",
// "product_types" or "shipping_options"), in one statement; every id gets a count.
func (s *Store) TaxRateCountsByIDs(ctx context.Context, rel string, rateIDs []string) (map[string]int, error) {
	if _, ok := map[string]bool{"products": true, "product_types": true, "shipping_options": true}[rel]; !ok {
		return nil, fmt.Errorf("tax rate counts: unknown relation %q", rel)
	}
	counts, err := taxRateRelationCounts(ctx, s.DB, rel, nonEmpty(rateIDs))
	if err != nil {
		return nil, err
	}
	out := make(map[string]int, len(rateIDs))
	for _, id := range rateIDs {
		out[id] = counts[id]
	}
	return out, nil
}

// RequirementsByShippingOptionIDs returns each option's live requirements in the order
// GetShippingOption gives them (stored order).
func (s *Store) RequirementsByShippingOptionIDs(ctx context.Context, optionIDs []string) (map[string][]*model.ShippingOptionRequirement, error) {
	var rows []*model.ShippingOptionRequirement
	if err := s.DB.NewSelect().Model(&rows).Where("shipping_option_requirement.shipping_option_id IN (?)", bun.In(nonEmpty(optionIDs))).
		OrderExpr(relationOrderOf("shipping_option", "Requirements")).Scan(ctx); err != nil {
		return nil, fmt.Errorf("shipping option requirements: %w", err)
	}
	return groupBy(optionIDs, rows, func(r *model.ShippingOptionRequirement) string { return r.ShippingOptionID }), nil
}

// FulfillmentProvidersByIDs returns the fulfillment provider rows with the given ids.
func (s *Store) FulfillmentProvidersByIDs(ctx context.Context, ids []string) (map[string]*model.FulfillmentProvider, error) {
	var rows []*model.FulfillmentProvider
	if err := s.DB.NewSelect().Model(&rows).Where("id IN (?)", bun.In(nonEmpty(ids))).Scan(ctx); err != nil {
		return nil, fmt.Errorf("fulfillment providers by ids: %w", err)
	}
	out := make(map[string]*model.FulfillmentProvider, len(rows))
	for _, p := range rows {
		out[p.ID] = p
	}
	return out, nil
}

// ShippingOptionsByProfileIDs returns each profile's live shipping options by id, as
// GetShippingProfile orders them.
func (s *Store) ShippingOptionsByProfileIDs(ctx context.Context, profileIDs []string) (map[string][]*model.ShippingOption, error) {
	var rows []*model.ShippingOption
	if err := s.DB.NewSelect().Model(&rows).Where("shipping_option.profile_id IN (?)", bun.In(nonEmpty(profileIDs))).
		OrderExpr("shipping_option.id ASC").Scan(ctx); err != nil {
		return nil, fmt.Errorf("profile shipping options: %w", err)
	}
	return groupBy(profileIDs, rows, func(o *model.ShippingOption) string { return o.ProfileID }), nil
}

// ProfileProductsFirst returns the first limit live products of each profile by id, as
// GetShippingProfile orders them, in one statement.
func (s *Store) ProfileProductsFirst(ctx context.Context, profileIDs []string, limit int) (map[string][]*model.Product, error) {
	var rows []*model.Product
	err := s.DB.NewSelect().Model(&rows).
		Where(`product.id IN (SELECT t.id FROM (SELECT p.id, row_number() OVER (PARTITION BY p.profile_id ORDER BY p.id) AS rn
			FROM product p WHERE p.profile_id IN (?) AND p.deleted_at IS NULL) t WHERE t.rn <= ?)`, bun.In(nonEmpty(profileIDs)), limit).
		OrderExpr("product.id ASC").Scan(ctx)
	if err != nil {
		return nil, fmt.Errorf("profile products: %w", err)
	}
	return groupBy(profileIDs, rows, func(p *model.Product) string { return p.ProfileID }), nil
}
