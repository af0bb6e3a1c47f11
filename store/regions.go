package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"reflect"
	"strings"

	"github.com/uptrace/bun"
	"github.com/uptrace/bun/dialect/pgdialect"

	"github.com/gorgon-commerce/gorgon/store/model"
	"github.com/gorgon-commerce/gorgon/store/provider"
)

// RegionRelations are the relations Medusa's admin region routes always load.
var RegionRelations = []string{"countries", "payment_providers", "fulfillment_providers"}

// RegionFilter is Medusa's AdminGetRegionsParams filters.
type RegionFilter struct {
	CreatedAt *TimeRange
	UpdatedAt *TimeRange
	// DeletedAt is accepted as Medusa does; since deleted regions are never listed it only ever
	// narrows the list to nothing.
	DeletedAt *TimeRange
}

// ListRegions lists live regions with their countries and providers, oldest first (Medusa sends
// no order; PostgreSQL then returns insertion order in practice). The count is the total.
func (s *Store) ListRegions(ctx context.Context, f RegionFilter, p Page) ([]*model.Region, int, error) {
	regions := []*model.Region{}
	q := s.DB.NewSelect().Model(&regions)
	q = f.CreatedAt.apply(q, "region.created_at")
	q = f.UpdatedAt.apply(q, "region.updated_at")
	q = f.DeletedAt.apply(q, "region.deleted_at")
	if p.Order == "" {
		p.Order = "created_at"
	}
	if len(p.Expand) == 0 {
		if plan := s.regionLevels(); plan != nil {
			return s.listRegionsByLevel(ctx, q, regions, p, plan)
		}
	}
	n, err := s.listPage(ctx, q, &regions, "region", p, RegionRelations)
	if err != nil {
		return nil, 0, err
	}
	return regions, n, nil
}

// regionLevels is the plan that loads RegionRelations (countries and both provider lists) by
// level: one statement for the three, nil when loadLevels cannot load them.
func (s *Store) regionLevels() *levelPlan {
	names, err := Relations(s.DB, (*model.Region)(nil), RegionRelations)
	if err != nil {
		return nil
	}
	plan := planLevels(s.DB, (*model.Region)(nil), names)
	if plan == nil || len(plan.joined) > 0 || len(plan.levels) != 1 {
		return nil
	}
	return plan
}

// listRegionsByLevel is listPage for regions with their relations loaded by plan: the page and
// its count (beside each other), then the three relations in one statement (loadLevels) rather
// than one statement each, two round trips instead of four. Checks and answers as listPage.
func (s *Store) listRegionsByLevel(ctx context.Context, q *bun.SelectQuery, regions []*model.Region, p Page, plan *levelPlan) ([]*model.Region, int, error) {
	col := strings.TrimPrefix(p.Order, "-")
	if _, ok := s.DB.Table(reflect.TypeFor[model.Region]()).FieldMap[col]; !ok {
		return nil, 0, Invalidf("Order field %s is not valid", col)
	}
	q, err := order(q, "region", p.Order)
	if err != nil {
		return nil, 0, err
	}
	if p.Limit < 0 || p.Offset < 0 {
		return nil, 0, Invalidf("limit and offset must not be negative")
	}
	n, err := q.Model(&regions).Offset(int64(p.Offset)).Limit(int64(p.Limit)).ScanAndCount(ctx)
	if err != nil {
		return nil, 0, dbError(err, "list region")
	}
	if err := loadLevels(ctx, s.DB, plan, reflect.ValueOf(regions)); err != nil {
		return nil, 0, fmt.Errorf("list regions: %w", err)
	}
	FillRelations(s.DB, regions, RegionRelations)
	return regions, int(n), nil
}

func regionNotFound(id string) *Error { return NotFoundf("Region with %s was not found", id) }

// GetRegion returns a live region with its countries and providers.
func (s *Store) GetRegion(ctx context.Context, id string) (*model.Region, error) {
	r := new(model.Region)
	q, err := withRelations(s.DB, s.DB.NewSelect().Model(r).Where("region.id = ?", id), r, RegionRelations)
	if err != nil {
		return nil, err
	}
	if err := q.Scan(ctx); err != nil {
		if errors.Is(err, sql.ErrNoRows) {
			return nil, regionNotFound(id)
		}
		return nil, fmt.Errorf("get region %s: %w", id, err)
	}
	FillRelations(s.DB, r, RegionRelations)
	return r, nil
}

// lockRegion reads a live region FOR UPDATE, so concurrent changes to it serialise.
func lockRegion(ctx context.Context, tx bun.Tx, id string) (*model.Region, error) {
	r := new(model.Region)
	err := tx.NewSelect().Model(r).Where("region.id = ?", id).For("UPDATE").Scan(ctx)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, regionNotFound(id)
	}
	if err != nil {
		return nil, fmt.Errorf("lock region %s: %w", id, err)
	}
	return r, nil
}

// CreateRegionInput is Medusa's AdminPostRegionsReq.
type CreateRegionInput struct {
	Name                 string
	CurrencyCode         string
	TaxCode              *string
	TaxRate              float64
	PaymentProviders     []string
	FulfillmentProviders []string
	Countries            []string // ISO 3166-1 alpha-2, any case
	Metadata             map[string]any
}

// regionFields is what create and update validate alike (Medusa's validateFields).
type regionFields struct {
	taxRate              *float64
	countries            []string
	taxProviderID        *string
	paymentProviders     []string
	fulfillmentProviders []string
}

// validateRegionFields checks, in Medusa's order, the tax rate, the countries (they must exist
// and belong to no other region; they are locked until the transaction ends), the tax provider
// and the payment and fulfillment providers. It returns the countries' ids.
func validateRegionFields(ctx context.Context, tx bun.Tx, regionID string, f regionFields) ([]int, error) {
	if f.taxRate != nil && *f.taxRate != 0 && (*f.taxRate > 100 || *f.taxRate < 0) {
		return nil, Invalidf("The tax_rate must be between 0 and 1")
	}
	var countryIDs []int
	for _, code := range f.countries {
		c, err := validateCountry(ctx, tx, code, regionID)
		if err != nil {
			return nil, err
		}
		countryIDs = append(countryIDs, c.ID)
	}
	if f.taxProviderID != nil && *f.taxProviderID != "" {
		if ok, err := providerRowExists(ctx, tx, (*model.TaxProvider)(nil), *f.taxProviderID); err != nil || !ok {
			return nil, providerMissing(err, "Tax provider not found")
		}
	}
	for _, id := range f.paymentProviders {
		if ok, err := providerRowExists(ctx, tx, (*model.PaymentProvider)(nil), id); err != nil || !ok {
			return nil, providerMissing(err, "Payment provider not found")
		}
	}
	for _, id := range f.fulfillmentProviders {
		if ok, err := providerRowExists(ctx, tx, (*model.FulfillmentProvider)(nil), id); err != nil || !ok {
			return nil, providerMissing(err, "Fulfillment provider not found")
		}
	}
	return countryIDs, nil
}

// providerMissing is err when the lookup failed, else Medusa's invalid_data msg.
func providerMissing(err error, msg string) error {
	if err != nil {
		return err
	}
	return Invalidf("%s", msg)
}

// providerRowExists reports whether the provider table of m has a row with id.
func providerRowExists(ctx context.Context, db bun.IDB, m any, id string) (bool, error) {
	ok, err := db.NewSelect().Model(m).Where("id = ?", id).Exists(ctx)
	if err != nil {
		return false, fmt.Errorf("find provider %s: %w", id, err)
	}
	return ok, nil
}

// validateCountry finds a country by ISO 2 code (any case) and locks it; it must not belong to
// another region than regionID.
func validateCountry(ctx context.Context, tx bun.Tx, code, regionID string) (*model.Country, error) {
	c := new(model.Country)
	err := tx.NewSelect().Model(c).Where("country.iso_2 = ?", strings.ToLower(code)).For("UPDATE").Scan(ctx)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, Invalidf("Invalid country code")
	}
	if err != nil {
		return nil, fmt.Errorf("find country %s: %w", code, err)
	}
	if c.RegionID != nil && *c.RegionID != regionID {
		return nil, Errorf(DuplicateError, "%s already exists in region %s", c.DisplayName, *c.RegionID)
	}
	return c, nil
}

// validateRegionCurrency requires code to be one of the store's currencies.
func validateRegionCurrency(ctx context.Context, tx bun.Tx, code string) error {
	ok, err := tx.NewSelect().Model((*model.StoreCurrency)(nil)).
		Where("store_id = (SELECT id FROM store ORDER BY created_at LIMIT 1)").
		Where("currency_code = ?", strings.ToLower(code)).Exists(ctx)
	if err != nil {
		return fmt.Errorf("check store currency: %w", err)
	}
	if !ok {
		return Invalidf("Invalid currency code")
	}
	return nil
}

// CreateRegion creates a region with its countries and providers and emits region.created.
func (s *Store) CreateRegion(ctx context.Context, in CreateRegionInput) (*model.Region, error) {
	r := &model.Region{
		ID:               NewID("reg"),
		Name:             in.Name,
		CurrencyCode:     strings.ToLower(in.CurrencyCode),
		TaxRate:          in.TaxRate,
		TaxCode:          in.TaxCode,
		GiftCardsTaxable: true, // the columns' defaults; Medusa's create does not take them
		AutomaticTaxes:   true,
		Metadata:         in.Metadata,
	}
	err := s.InTx(ctx, func(ctx context.Context, tx bun.Tx) error {
		countryIDs, err := validateRegionFields(ctx, tx, "", regionFields{taxRate: &in.TaxRate, countries: in.Countries,
			paymentProviders: in.PaymentProviders, fulfillmentProviders: in.FulfillmentProviders})
		if err != nil {
			return err
		}
		if err := validateRegionCurrency(ctx, tx, in.CurrencyCode); err != nil {
			return err
		}
		if _, err := tx.NewInsert().Model(r).Exec(ctx); err != nil {
			return dbError(err, "insert region")
		}
		if err := setRegionCountries(ctx, tx, r.ID, countryIDs); err != nil {
			return err
		}
		if err := setRegionProviders(ctx, tx, r.ID, in.PaymentProviders, in.FulfillmentProviders); err != nil {
			return err
		}
		return emit(ctx, tx, "region.created", map[string]any{"id": r.ID})
	})
	if err != nil {
		return nil, err
	}
	return s.GetRegion(ctx, r.ID)
}

// setRegionCountries makes countryIDs exactly the region's countries: others are detached.
func setRegionCountries(ctx context.Context, tx bun.Tx, regionID string, countryIDs []int) error {
	ids := append([]int{}, countryIDs...)
	if _, err := tx.NewUpdate().Model((*model.Country)(nil)).Set("region_id = NULL").
		Where("region_id = ?", regionID).Where("id <> ALL(?)", pgdialect.Array(ids)).Exec(ctx); err != nil {
		return fmt.Errorf("detach countries: %w", err)
	}
	if len(ids) == 0 {
		return nil
	}
	// One row at a time in the order given, as TypeORM saves them: each updated row is stored
	// anew, and a region lists its countries in storage order (relationOrders).
	for _, id := range ids {
		if _, err := tx.NewUpdate().Model((*model.Country)(nil)).Set("region_id = ?", regionID).
			Where("id = ?", id).Where("region_id IS DISTINCT FROM ?", regionID).Exec(ctx); err != nil {
			return fmt.Errorf("attach countries: %w", err)
		}
	}
	return nil
}

// setRegionProviders replaces the region's payment and/or fulfillment providers (nil: leave).
func setRegionProviders(ctx context.Context, tx bun.Tx, regionID string, payment, fulfillment []string) error {
	for _, j := range []struct {
		table string
		ids   []string
	}{{"region_payment_providers", payment}, {"region_fulfillment_providers", fulfillment}} {
		if j.ids == nil {
			continue
		}
		ids := append([]string{}, j.ids...)
		if _, err := tx.NewDelete().TableExpr(j.table).Where("region_id = ?", regionID).
			Where("provider_id <> ALL(?)", pgdialect.Array(ids)).Exec(ctx); err != nil {
			return fmt.Errorf("remove %s: %w", j.table, err)
		}
		for _, id := range ids {
			if _, err := tx.NewRaw(fmt.Sprintf(`INSERT INTO %s (region_id, provider_id) VALUES (?, ?) ON CONFLICT DO NOTHING`, j.table),
				regionID, id).Exec(ctx); err != nil {
				return dbError(err, "add "+j.table)
			}
		}
	}
	return nil
}

// UpdateRegionInput is Medusa's AdminPostRegionsRegionReq. Nil fields are left as they are;
// TaxCode and TaxProviderID are nullable: a pointer to nil clears them. The lists, when non-nil,
// replace the region's countries or providers.
type UpdateRegionInput struct {
	Name                 *string
	CurrencyCode         *string
	TaxCode              **string
	TaxRate              *float64
	GiftCardsTaxable     *bool
	AutomaticTaxes       *bool
	TaxProviderID        **string
	PaymentProviders     []string
	FulfillmentProviders []string
	Countries            []string
	Metadata             map[string]any
}

// fields names the given fields, in Medusa's order, for the region.updated event.
func (in UpdateRegionInput) fields() []string {
	out := []string{}
	for _, f := range []struct {
		name string
		set  bool
	}{
		{"name", in.Name != nil}, {"currency_code", in.CurrencyCode != nil}, {"tax_code", in.TaxCode != nil},
		{"tax_rate", in.TaxRate != nil}, {"gift_cards_taxable", in.GiftCardsTaxable != nil},
		{"automatic_taxes", in.AutomaticTaxes != nil}, {"tax_provider_id", in.TaxProviderID != nil},
		{"payment_providers", in.PaymentProviders != nil}, {"fulfillment_providers", in.FulfillmentProviders != nil},
		{"countries", in.Countries != nil}, {"metadata", in.Metadata != nil},
	} {
		if f.set {
			out = append(out, f.name)
		}
	}
	return out
}

// UpdateRegion changes a region with Medusa's rules and emits region.updated.
func (s *Store) UpdateRegion(ctx context.Context, id string, in UpdateRegionInput) (*model.Region, error) {
	err := s.InTx(ctx, func(ctx context.Context, tx bun.Tx) error {
		r, err := lockRegion(ctx, tx, id)
		if err != nil {
			return err
		}
		var taxProvider *string
		if in.TaxProviderID != nil {
			taxProvider = *in.TaxProviderID
		}
		countryIDs, err := validateRegionFields(ctx, tx, r.ID, regionFields{taxRate: in.TaxRate, countries: in.Countries,
			taxProviderID: taxProvider, paymentProviders: in.PaymentProviders, fulfillmentProviders: in.FulfillmentProviders})
		if err != nil {
			return err
		}
		upd := tx.NewUpdate().Model((*model.Region)(nil)).Where("id = ?", r.ID)
		changed := false
		set := func(col string, old, v any) {
			if !reflect.DeepEqual(old, v) {
				upd = upd.Set("? = ?", bun.Ident(col), v)
				changed = true
			}
		}
		if in.CurrencyCode != nil && *in.CurrencyCode != "" {
			if err := validateRegionCurrency(ctx, tx, *in.CurrencyCode); err != nil {
				return err
			}
			set("currency_code", r.CurrencyCode, strings.ToLower(*in.CurrencyCode))
		}
		if in.Metadata != nil {
			set("metadata", r.Metadata, mergeMetadata(r.Metadata, in.Metadata))
		}
		if in.Name != nil {
			set("name", r.Name, *in.Name)
		}
		if in.TaxCode != nil {
			set("tax_code", r.TaxCode, *in.TaxCode)
		}
		if in.TaxRate != nil {
			set("tax_rate", r.TaxRate, *in.TaxRate)
		}
		if in.GiftCardsTaxable != nil {
			set("gift_cards_taxable", r.GiftCardsTaxable, *in.GiftCardsTaxable)
		}
		if in.AutomaticTaxes != nil {
			set("automatic_taxes", r.AutomaticTaxes, *in.AutomaticTaxes)
		}
		if in.TaxProviderID != nil {
			set("tax_provider_id", r.TaxProviderID, *in.TaxProviderID)
		}
		if changed {
			// Like TypeORM, touch updated_at only when a column changed.
			if _, err := upd.Set("updated_at = now()").Exec(ctx); err != nil {
				return dbError(err, "update region")
			}
		}
		if in.Countries != nil {
			if err := setRegionCountries(ctx, tx, r.ID, countryIDs); err != nil {
				return err
			}
		}
		if err := setRegionProviders(ctx, tx, r.ID, in.PaymentProviders, in.FulfillmentProviders); err != nil {
			return err
		}
		return emit(ctx, tx, "region.updated", map[string]any{"id": r.ID, "fields": in.fields()})
	})
	if err != nil {
		return nil, err
	}
	return s.GetRegion(ctx, id)
}

// DeleteRegion soft-deletes a region, frees its countries for other regions and emits
// region.deleted. Unlike users, a missing region is a 404, as in Medusa.
func (s *Store) DeleteRegion(ctx context.Context, id string) error {
	return s.InTx(ctx, func(ctx context.Context, tx bun.Tx) error {
		if _, err := lockRegion(ctx, tx, id); err != nil {
			return err
		}
		if _, err := tx.NewDelete().Model((*model.Region)(nil)).Where("id = ?", id).Exec(ctx); err != nil {
			return fmt.Errorf("delete region: %w", err)
		}
		if _, err := tx.NewUpdate().Model((*model.Country)(nil)).Set("region_id = NULL").Where("region_id = ?", id).Exec(ctx); err != nil {
			return fmt.Errorf("detach countries: %w", err)
		}
		return emit(ctx, tx, "region.deleted", map[string]any{"id": id})
	})
}

// AddRegionCountry adds a country (ISO 2 code, any case) to a region; one it has already is no
// change. As in Medusa, the country is checked before the region.
func (s *Store) AddRegionCountry(ctx context.Context, id, code string) (*model.Region, error) {
	err := s.InTx(ctx, func(ctx context.Context, tx bun.Tx) error {
		// Lock the region first (the order updates use, so the two cannot deadlock) but report
		// a bad country before a missing region, like Medusa.
		_, regionErr := lockRegion(ctx, tx, id)
		if regionErr != nil && !IsNotFound(regionErr) {
			return regionErr
		}
		c, err := validateCountry(ctx, tx, code, id)
		if err != nil {
			return err
		}
		if regionErr != nil {
			return regionErr
		}
		if c.RegionID != nil { // already in this region
			return nil
		}
		if _, err := tx.NewUpdate().Model((*model.Country)(nil)).Set("region_id = ?", id).Where("id = ?", c.ID).Exec(ctx); err != nil {
			return fmt.Errorf("add country: %w", err)
		}
		return emit(ctx, tx, "region.updated", map[string]any{"id": id, "fields": []string{"countries"}})
	})
	if err != nil {
		return nil, err
	}
	return s.GetRegion(ctx, id)
}

// RemoveRegionCountry takes a country (ISO 2 code, any case) out of a region; one the region
// does not have is no change.
func (s *Store) RemoveRegionCountry(ctx context.Context, id, code string) (*model.Region, error) {
	err := s.InTx(ctx, func(ctx context.Context, tx bun.Tx) error {
		if _, err := lockRegion(ctx, tx, id); err != nil {
			return err
		}
		res, err := tx.NewUpdate().Model((*model.Country)(nil)).Set("region_id = NULL").
			Where("region_id = ? AND iso_2 = ?", id, strings.ToLower(code)).Exec(ctx)
		if err != nil {
			return fmt.Errorf("remove country: %w", err)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return nil
		}
		return emit(ctx, tx, "region.updated", map[string]any{"id": id, "fields": []string{"countries"}})
	})
	if err != nil {
		return nil, err
	}
	return s.GetRegion(ctx, id)
}

// regionProviderSlot describes one of the region's provider lists.
type regionProviderSlot struct {
	join, field, what string
	model             any
}

var (
	regionPayment     = regionProviderSlot{"region_payment_providers", "payment_providers", "Payment", (*model.PaymentProvider)(nil)}
	regionFulfillment = regionProviderSlot{"region_fulfillment_providers", "fulfillment_providers", "Fulfillment", (*model.FulfillmentProvider)(nil)}
)

// addRegionProvider adds an existing provider to a region; one it has already is no change.
func (s *Store) addRegionProvider(ctx context.Context, id, providerID string, slot regionProviderSlot) (*model.Region, error) {
	err := s.InTx(ctx, func(ctx context.Context, tx bun.Tx) error {
		if _, err := lockRegion(ctx, tx, id); err != nil {
			return err
		}
		has, err := tx.NewSelect().TableExpr(slot.join).Where("region_id = ? AND provider_id = ?", id, providerID).Exists(ctx)
		if err != nil {
			return fmt.Errorf("find %s: %w", slot.join, err)
		}
		if has {
			return nil
		}
		ok, err := providerRowExists(ctx, tx, slot.model, providerID)
		if err != nil {
			return err
		}
		if !ok {
			return NotFoundf("%s provider %s was not found", slot.what, providerID)
		}
		if _, err := tx.NewRaw(fmt.Sprintf(`INSERT INTO %s (region_id, provider_id) VALUES (?, ?)`, slot.join), id, providerID).Exec(ctx); err != nil {
			return dbError(err, "add "+slot.join)
		}
		return emit(ctx, tx, "region.updated", map[string]any{"id": id, "fields": []string{slot.field}})
	})
	if err != nil {
		return nil, err
	}
	return s.GetRegion(ctx, id)
}

// removeRegionProvider takes a provider out of a region; one it does not have is no change.
func (s *Store) removeRegionProvider(ctx context.Context, id, providerID string, slot regionProviderSlot) (*model.Region, error) {
	err := s.InTx(ctx, func(ctx context.Context, tx bun.Tx) error {
		if _, err := lockRegion(ctx, tx, id); err != nil {
			return err
		}
		res, err := tx.NewDelete().TableExpr(slot.join).Where("region_id = ? AND provider_id = ?", id, providerID).Exec(ctx)
		if err != nil {
			return fmt.Errorf("remove %s: %w", slot.join, err)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return nil
		}
		return emit(ctx, tx, "region.updated", map[string]any{"id": id, "fields": []string{slot.field}})
	})
	if err != nil {
		return nil, err
	}
	return s.GetRegion(ctx, id)
}

// AddRegionPaymentProvider offers a payment provider in a region.
func (s *Store) AddRegionPaymentProvider(ctx context.Context, id, providerID string) (*model.Region, error) {
	return s.addRegionProvider(ctx, id, providerID, regionPayment)
}

// RemoveRegionPaymentProvider stops offering a payment provider in a region.
func (s *Store) RemoveRegionPaymentProvider(ctx context.Context, id, providerID string) (*model.Region, error) {
	return s.removeRegionProvider(ctx, id, providerID, regionPayment)
}

// AddRegionFulfillmentProvider offers a fulfillment provider in a region.
func (s *Store) AddRegionFulfillmentProvider(ctx context.Context, id, providerID string) (*model.Region, error) {
	return s.addRegionProvider(ctx, id, providerID, regionFulfillment)
}

// RemoveRegionFulfillmentProvider stops offering a fulfillment provider in a region.
func (s *Store) RemoveRegionFulfillmentProvider(ctx context.Context, id, providerID string) (*model.Region, error) {
	return s.removeRegionProvider(ctx, id, providerID, regionFulfillment)
}

// FulfillmentOptions are one provider's fulfillment options (Medusa's FulfillmentOption).
type FulfillmentOptions struct {
	ProviderID string          `json:"provider_id"`
	Options    []provider.Data `json:"options"`
}

// RegionFulfillmentOptions asks each of a region's fulfillment providers for its options. A
// provider this instance does not serve is Medusa's not_found error naming it.
func (s *Store) RegionFulfillmentOptions(ctx context.Context, id string) ([]FulfillmentOptions, error) {
	r := new(model.Region)
	err := s.DB.NewSelect().Model(r).Relation("FulfillmentProviders", orderedRelation(s.DB, r, "FulfillmentProviders")).
		Where("region.id = ?", id).Scan(ctx)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, regionNotFound(id)
	}
	if err != nil {
		return nil, fmt.Errorf("get region %s: %w", id, err)
	}
	out := []FulfillmentOptions{}
	for _, fp := range r.FulfillmentProviders {
		p, err := s.registry().Fulfillment(fp.ID)
		if err != nil {
			return nil, providerError(err)
		}
		opts, err := p.FulfillmentOptions(ctx)
		if err != nil {
			return nil, fmt.Errorf("fulfillment options of %s: %w", fp.ID, err)
		}
		if opts == nil {
			opts = []provider.Data{}
		}
		out = append(out, FulfillmentOptions{ProviderID: fp.ID, Options: opts})
	}
	return out, nil
}

// ListRegionsPage is ListRegions without relations and with the total, for GraphQL connections:
// their nested fields load countries and providers in batches. Same order: oldest first.
func (s *Store) ListRegionsPage(ctx context.Context, f RegionFilter, p Page) ([]*model.Region, int, error) {
	regions := []*model.Region{}
	q := s.DB.NewSelect().Model(&regions)
	q = f.CreatedAt.apply(q, "region.created_at")
	q = f.UpdatedAt.apply(q, "region.updated_at")
	q = f.DeletedAt.apply(q, "region.deleted_at")
	q, err := s.applyWhere(q, "region", p.Where)
	if err != nil {
		return nil, 0, err
	}
	if p.Limit == 0 { // bun's Limit(0) means no limit; a page of none only needs the total
		n, err := q.Count(ctx)
		if err != nil {
			return nil, 0, fmt.Errorf("count regions: %w", err)
		}
		return regions, int(n), nil
	}
	n, err := q.OrderExpr("region.created_at ASC, region.id ASC").Offset(int64(p.Offset)).Limit(int64(p.Limit)).ScanAndCount(ctx)
	if err != nil {
		return nil, 0, fmt.Errorf("list regions: %w", err)
	}
	return regions, int(n), nil
}

// RegionsByIDs returns the live regions with the given ids, without relations, in one statement
// (for dataloaders); missing or deleted ids are absent.
func (s *Store) RegionsByIDs(ctx context.Context, ids []string) (map[string]*model.Region, error) {
	var regions []*model.Region
	if err := s.DB.NewSelect().Model(&regions).Where("region.id IN (?)", bun.In(ids)).Scan(ctx); err != nil {
		return nil, fmt.Errorf("regions by ids: %w", err)
	}
	out := make(map[string]*model.Region, len(regions))
	for _, r := range regions {
		out[r.ID] = r
	}
	return out, nil
}

// RegionCountriesByRegionIDs returns each region's countries (in the order GetRegion gives them),
// in one statement (for dataloaders). Every id gets an entry, empty when it has none.
func (s *Store) RegionCountriesByRegionIDs(ctx context.Context, ids []string) (map[string][]*model.Country, error) {
	var countries []*model.Country
	if err := s.DB.NewSelect().Model(&countries).Where("country.region_id IN (?)", bun.In(ids)).
		OrderExpr(relationOrderOf("region", "Countries")).Scan(ctx); err != nil {
		return nil, fmt.Errorf("region countries: %w", err)
	}
	out := make(map[string][]*model.Country, len(ids))
	for _, id := range ids {
		out[id] = []*model.Country{}
	}
	for _, c := range countries {
		out[*c.RegionID] = append(out[*c.RegionID], c)
	}
	return out, nil
}

// RegionPaymentProvidersByRegionIDs returns each region's payment providers, in one
// statement (for dataloaders). Every id gets an entry, empty when it has none.
func (s *Store) RegionPaymentProvidersByRegionIDs(ctx context.Context, ids []string) (map[string][]*model.PaymentProvider, error) {
	var links []*model.RegionPaymentProvider
	if err := s.DB.NewSelect().Model(&links).Relation("PaymentProvider").
		Where("region_payment_providers.region_id IN (?)", bun.In(ids)).
		OrderExpr(relationOrderOf("region", "PaymentProviders")).Scan(ctx); err != nil {
		return nil, fmt.Errorf("region payment providers: %w", err)
	}
	out := make(map[string][]*model.PaymentProvider, len(ids))
	for _, id := range ids {
		out[id] = []*model.PaymentProvider{}
	}
	for _, l := range links {
		out[l.RegionID] = append(out[l.RegionID], l.PaymentProvider)
	}
	return out, nil
}

// RegionFulfillmentProvidersByRegionIDs returns each region's fulfillment providers, in
// one statement (for dataloaders). Every id gets an entry, empty when it has none.
func (s *Store) RegionFulfillmentProvidersByRegionIDs(ctx context.Context, ids []string) (map[string][]*model.FulfillmentProvider, error) {
	var links []*model.RegionFulfillmentProvider
	if err := s.DB.NewSelect().Model(&links).Relation("FulfillmentProvider").
		Where("region_fulfillment_providers.region_id IN (?)", bun.In(ids)).
		OrderExpr(relationOrderOf("region", "FulfillmentProviders")).Scan(ctx); err != nil {
		return nil, fmt.Errorf("region fulfillment providers: %w", err)
	}
	out := make(map[string][]*model.FulfillmentProvider, len(ids))
	for _, id := range ids {
		out[id] = []*model.FulfillmentProvider{}
	}
	for _, l := range links {
		out[l.RegionID] = append(out[l.RegionID], l.FulfillmentProvider)
	}
	return out, nil
}

// RegionFulfillmentOptionsByIDs is RegionFulfillmentOptions for several regions in one statement
// (for dataloaders), asking each provider once. A region with a provider this instance does not
// serve gets RegionFulfillmentOptions' not_found error in errs instead of options; every other
// id, even one of a missing region, gets options (empty when it has no provider). A provider
// failing otherwise fails the whole call.
func (s *Store) RegionFulfillmentOptionsByIDs(ctx context.Context, ids []string) (opts map[string][]FulfillmentOptions, errs map[string]error, err error) {
	var links []*model.RegionFulfillmentProvider
	if err := s.DB.NewSelect().Model(&links).Where("region_fulfillment_providers.region_id IN (?)", bun.In(ids)).
		OrderExpr(relationOrderOf("region", "FulfillmentProviders")).Scan(ctx); err != nil {
		return nil, nil, fmt.Errorf("region fulfillment providers: %w", err)
	}
	opts = make(map[string][]FulfillmentOptions, len(ids))
	for _, id := range ids {
		opts[id] = []FulfillmentOptions{}
	}
	errs = map[string]error{}
	asked := map[string][]provider.Data{}
	unknown := map[string]error{}
	for _, l := range links {
		if errs[l.RegionID] != nil {
			continue // the first unserved provider decides, as in RegionFulfillmentOptions
		}
		o, ok := asked[l.ProviderID]
		if !ok {
			if e := unknown[l.ProviderID]; e != nil {
				errs[l.RegionID] = e
				continue
			}
			p, err := s.registry().Fulfillment(l.ProviderID)
			if err != nil {
				unknown[l.ProviderID] = providerError(err)
				errs[l.RegionID] = unknown[l.ProviderID]
				continue
			}
			if o, err = p.FulfillmentOptions(ctx); err != nil {
				return nil, nil, fmt.Errorf("fulfillment options of %s: %w", l.ProviderID, err)
			}
			if o == nil {
				o = []provider.Data{}
			}
			asked[l.ProviderID] = o
		}
		opts[l.RegionID] = append(opts[l.RegionID], FulfillmentOptions{ProviderID: l.ProviderID, Options: o})
	}
	for id := range errs {
		delete(opts, id)
	}
	return opts, errs, nil
}
