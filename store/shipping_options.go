package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"math"
	"reflect"

	"github.com/uptrace/bun"

	"github.com/gorgon-commerce/gorgon/store/model"
)

// ShippingOptionRelations are the relations Medusa's admin shipping option list, create and
// update load (defaultRelations); the region comes with its providers, as Medusa's Region entity
// loads them eagerly.
var ShippingOptionRelations = []string{"region", "profile", "requirements"}

// Shipping option price types and requirement types (Medusa's enums).
const (
	PriceTypeFlatRate   = "flat_rate"
	PriceTypeCalculated = "calculated"
	RequirementMin      = "min_subtotal"
	RequirementMax      = "max_subtotal"
)

// BoolFilter is an optional boolean filter of Medusa's optionalBooleanMapper: "true" and "false"
// filter, "null" matches nothing (Medusa compares the column with NULL).
type BoolFilter struct {
	Null  bool
	Value bool
}

func (bf *BoolFilter) apply(q *bun.SelectQuery, col string) *bun.SelectQuery {
	switch {
	case bf == nil:
		return q
	case bf.Null:
		return q.Where("false")
	}
	return q.Where("? = ?", bun.Ident(col), bf.Value)
}

// ShippingOptionFilter is the selector of Medusa's GET /admin/shipping-options.
type ShippingOptionFilter struct {
	RegionID  *string
	IsReturn  *BoolFilter
	AdminOnly *BoolFilter
}

// ShippingOptionTaxRate is a rate that applies to a shipping option (Medusa's TaxServiceRate).
type ShippingOptionTaxRate struct {
	Rate *float64 `json:"rate"`
	Name string   `json:"name"`
	Code *string  `json:"code"`
}

// PricedShippingOption is a shipping option as Medusa's pricing service decorates it for the
// admin list (setShippingOptionPrices): its price with the region's taxes and the rates applied.
type PricedShippingOption struct {
	*model.ShippingOption
	PriceInclTax int                     `json:"price_incl_tax"`
	TaxRates     []ShippingOptionTaxRate `json:"tax_rates"`
}

func shippingOptionNotFound(id string) *Error {
	return NotFoundf("Shipping Option with %s was not found", id)
}

// finishShippingOptions normalises loaded options the way Medusa answers them.
func (s *Store) finishShippingOptions(opts []*model.ShippingOption, paths []string) {
	for _, o := range opts {
		fixLoadedRegion(o.Region)
		FillRelations(s.DB, o, paths)
	}
}

// ListShippingOptions is GET /admin/shipping-options: every live option that matches, oldest
// first (Medusa pages nothing and orders nothing), with region, profile and requirements, priced
// with the region's taxes. The statement count does not depend on the number of options.
func (s *Store) ListShippingOptions(ctx context.Context, f ShippingOptionFilter) ([]*PricedShippingOption, error) {
	opts := []*model.ShippingOption{}
	q := s.DB.NewSelect().Model(&opts)
	if f.RegionID != nil {
		q = q.Where("shipping_option.region_id = ?", *f.RegionID)
	}
	q = f.IsReturn.apply(q, "shipping_option.is_return")
	q = f.AdminOnly.apply(q, "shipping_option.admin_only")
	q, paths, err := s.withTaxRelations(q, (*model.ShippingOption)(nil), ShippingOptionRelations)
	if err != nil {
		return nil, err
	}
	if err := q.OrderExpr("shipping_option.created_at ASC, shipping_option.id ASC").Scan(ctx); err != nil {
		return nil, fmt.Errorf("list shipping options: %w", err)
	}
	s.finishShippingOptions(opts, paths)
	return s.PriceShippingOptions(ctx, opts)
}

// PriceShippingOptions decorates options (with their regions loaded) like Medusa's
// setShippingOptionPrices without a cart: in a region with automatic taxes, the option's own tax
// rates, or else the region's rate named "default", and the amount with those taxes (JavaScript's
// Math.round). One statement for all options.
func (s *Store) PriceShippingOptions(ctx context.Context, opts []*model.ShippingOption) ([]*PricedShippingOption, error) {
	var ids []string
	for _, o := range opts {
		if o.Region != nil && o.Region.AutomaticTaxes {
			ids = append(ids, o.ID)
		}
	}
	rates := map[string][]ShippingOptionTaxRate{}
	if len(ids) > 0 {
		var rows []struct {
			OptionID string   `bun:"shipping_option_id"`
			Rate     *float64 `bun:"rate"`
			Name     string   `bun:"name"`
			Code     *string  `bun:"code"`
		}
		err := s.DB.NewRaw(`SELECT str.shipping_option_id, tr.rate, tr.name, tr.code
			FROM shipping_tax_rate AS str JOIN tax_rate AS tr ON tr.id = str.rate_id
			WHERE str.shipping_option_id IN (?) ORDER BY tr.created_at, tr.id`, bun.In(ids)).Scan(ctx, &rows)
		if err != nil {
			return nil, fmt.Errorf("shipping option tax rates: %w", err)
		}
		for _, r := range rows {
			if r.Rate != nil {
				v := model.Real(*r.Rate)
				r.Rate = &v
			}
			rates[r.OptionID] = append(rates[r.OptionID], ShippingOptionTaxRate{Rate: r.Rate, Name: r.Name, Code: r.Code})
		}
	}
	out := make([]*PricedShippingOption, len(opts))
	for i, o := range opts {
		p := &PricedShippingOption{ShippingOption: o, TaxRates: []ShippingOptionTaxRate{}}
		out[i] = p
		if o.Region != nil && o.Region.AutomaticTaxes {
			p.TaxRates = rates[o.ID]
			if len(p.TaxRates) == 0 {
				rate, code := o.Region.TaxRate, "default"
				p.TaxRates = []ShippingOptionTaxRate{{Rate: &rate, Name: "default", Code: &code}}
			}
		}
		price := 0
		if o.Amount != nil {
			price = *o.Amount
		}
		total := 0.0
		for _, r := range p.TaxRates {
			if r.Rate != nil {
				total += *r.Rate / 100
			}
		}
		p.PriceInclTax = price + int(math.Floor(float64(price)*total+0.5))
	}
	return out, nil
}

// GetShippingOption returns a live shipping option with the given relations (nil: none, as
// Medusa's GET /admin/shipping-options/:id).
func (s *Store) GetShippingOption(ctx context.Context, id string, rels []string) (*model.ShippingOption, error) {
	o := new(model.ShippingOption)
	q, paths, err := s.withTaxRelations(s.DB.NewSelect().Model(o).Where("shipping_option.id = ?", id), o, rels)
	if err != nil {
		return nil, err
	}
	if err := q.Scan(ctx); err != nil {
		if errors.Is(err, sql.ErrNoRows) {
			return nil, shippingOptionNotFound(id)
		}
		return nil, fmt.Errorf("get shipping option %s: %w", id, err)
	}
	s.finishShippingOptions([]*model.ShippingOption{o}, paths)
	return o, nil
}

// ShippingRequirementInput is a requirement of a shipping option request; ID (updates only)
// names an existing requirement of the option to change.
type ShippingRequirementInput struct {
	ID     *string
	Type   string
	Amount int
}

// CreateShippingOptionInput is Medusa's AdminPostShippingOptionsReq.
type CreateShippingOptionInput struct {
	Name       string
	RegionID   string
	ProviderID string
	// ProfileID nil or empty: the default shipping profile.
	ProfileID *string
	Data      map[string]any
	PriceType string
	// Amount is required for flat_rate options and ignored for calculated ones.
	Amount       *int
	Requirements []ShippingRequirementInput
	AdminOnly    bool
	IsReturn     bool
	Metadata     map[string]any
}

// checkRequirements applies Medusa's rules to a list of requirements: a type that is one of
// min_subtotal and max_subtotal, at most one of each, a maximum above the minimum. exists, when
// set, checks a requirement's id.
func checkRequirements(reqs []ShippingRequirementInput, exists func(id string) bool) error {
	var acc []ShippingRequirementInput
	for _, r := range reqs {
		if r.Type == "" {
			return Invalidf("A Shipping Requirement must have a type field")
		}
		if r.Type != RequirementMin && r.Type != RequirementMax {
			return Invalidf("Requirement type must be one of min_subtotal, max_subtotal")
		}
		if r.ID != nil && *r.ID != "" && (exists == nil || !exists(*r.ID)) {
			return Invalidf("ID does not exist")
		}
		for _, a := range acc {
			if a.Type == r.Type {
				return Invalidf("Only one requirement of each type is allowed")
			}
		}
		for _, a := range acc {
			if (a.Type == RequirementMax && r.Amount > a.Amount) || (a.Type == RequirementMin && r.Amount < a.Amount) {
				return Invalidf("Max. subtotal must be greater than Min. subtotal")
			}
		}
		acc = append(acc, r)
	}
	return nil
}

// checkShippingAmount applies the amount rules of a price type. Medusa stores a flat rate option
// without an amount (which then breaks checkout) and lets the database refuse a negative one
// (a 500); Gorgon refuses both.
func checkShippingAmount(priceType string, amount *int) error {
	if priceType != PriceTypeFlatRate {
		return nil
	}
	if amount == nil {
		return Invalidf("Shipping options of price type flat_rate must have an amount")
	}
	if *amount < 0 {
		return Invalidf("amount must not be less than 0")
	}
	return nil
}

// defaultProfileID is the id of the live shipping profile of type typ.
func defaultProfileID(ctx context.Context, db bun.IDB, typ string) (string, error) {
	var id string
	err := db.NewSelect().Model((*model.ShippingProfile)(nil)).Column("id").Where("type = ?", typ).
		OrderExpr("created_at, id").Limit(1).Scan(ctx, &id)
	if errors.Is(err, sql.ErrNoRows) {
		return "", Invalidf("No %s shipping profile exists", typ)
	}
	if err != nil {
		return "", fmt.Errorf("find %s shipping profile: %w", typ, err)
	}
	return id, nil
}

// CreateShippingOption creates an option and its requirements with Medusa's checks, in its
// order: the region, the provider (one of the region's, served by this instance), the price type
// (a calculated one only if the provider can calculate it), the option's data (the provider
// validates it), the requirements, then the profile.
func (s *Store) CreateShippingOption(ctx context.Context, in CreateShippingOptionInput) (*model.ShippingOption, error) {
	o := &model.ShippingOption{
		ID: NewID("so"), Name: in.Name, RegionID: in.RegionID, ProviderID: in.ProviderID, PriceType: in.PriceType,
		IsReturn: in.IsReturn, AdminOnly: in.AdminOnly, Data: in.Data, Metadata: in.Metadata,
	}
	if o.Data == nil {
		o.Data = map[string]any{}
	}
	err := s.InTx(ctx, func(ctx context.Context, tx bun.Tx) error {
		// The region is locked so that its providers cannot change under the check.
		if _, err := lockRegion(ctx, tx, in.RegionID); err != nil {
			return err
		}
		ok, err := tx.NewSelect().TableExpr("region_fulfillment_providers").
			Where("region_id = ? AND provider_id = ?", in.RegionID, in.ProviderID).Exists(ctx)
		if err != nil {
			return fmt.Errorf("check region provider: %w", err)
		}
		if !ok {
			return Invalidf("The fulfillment provider is not available in the provided region")
		}
		if in.PriceType != PriceTypeFlatRate && in.PriceType != PriceTypeCalculated {
			return Invalidf("The price must be of type flat_rate or calculated")
		}
		if in.PriceType == PriceTypeCalculated {
			if err := s.canCalculate(ctx, in.ProviderID, o.Data); err != nil {
				return err
			}
		} else {
			o.Amount = in.Amount
		}
		if err := checkShippingAmount(in.PriceType, o.Amount); err != nil {
			return err
		}
		p, err := s.registry().Fulfillment(in.ProviderID)
		if err != nil {
			return providerError(err)
		}
		valid, err := p.ValidateOption(ctx, o.Data)
		if err != nil {
			return fmt.Errorf("validate shipping option with %s: %w", in.ProviderID, err)
		}
		if !valid {
			return Invalidf("The fulfillment provider cannot validate the shipping option")
		}
		if err := checkRequirements(in.Requirements, nil); err != nil {
			return err
		}
		if in.ProfileID != nil && *in.ProfileID != "" {
			if _, err := getShippingProfile(ctx, tx, *in.ProfileID, true); err != nil {
				return err
			}
			o.ProfileID = *in.ProfileID
		} else if o.ProfileID, err = defaultProfileID(ctx, tx, "default"); err != nil {
			return err
		}
		if _, err := tx.NewInsert().Model(o).Exec(ctx); err != nil {
			return dbError(err, "insert shipping option")
		}
		for _, r := range in.Requirements {
			req := &model.ShippingOptionRequirement{ID: NewID("sor"), ShippingOptionID: o.ID, Type: r.Type, Amount: r.Amount}
			if _, err := tx.NewInsert().Model(req).Exec(ctx); err != nil {
				return dbError(err, "insert shipping option requirement")
			}
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return s.GetShippingOption(ctx, o.ID, ShippingOptionRelations)
}

// canCalculate asks the option's provider whether it prices options of this data itself.
func (s *Store) canCalculate(ctx context.Context, providerID string, data map[string]any) error {
	p, err := s.registry().Fulfillment(providerID)
	if err != nil {
		return providerError(err)
	}
	ok, err := p.CanCalculate(ctx, data)
	if err != nil {
		return fmt.Errorf("can calculate with %s: %w", providerID, err)
	}
	if !ok {
		return Invalidf("The fulfillment provider cannot calculate prices for this option")
	}
	return nil
}

// UpdateShippingOptionInput is Medusa's AdminPostShippingOptionsOptionReq. Nil fields are left
// alone; Requirements, when non-nil, become the option's requirements: those with an id update
// the option's requirement of that id, the others are added, and the option's requirements not
// listed are deleted (softly).
type UpdateShippingOptionInput struct {
	Name         *string
	Amount       **int // ignored for calculated options
	Requirements []ShippingRequirementInput
	AdminOnly    *bool
	Metadata     map[string]any // merged into the existing metadata
}

// UpdateShippingOption changes a live option and its requirements in one transaction;
// updated_at moves only when a column of the option changed, as with TypeORM's save.
func (s *Store) UpdateShippingOption(ctx context.Context, id string, in UpdateShippingOptionInput) (*model.ShippingOption, error) {
	err := s.InTx(ctx, func(ctx context.Context, tx bun.Tx) error {
		o := new(model.ShippingOption)
		err := tx.NewSelect().Model(o).Where("shipping_option.id = ?", id).For("UPDATE").Scan(ctx)
		if errors.Is(err, sql.ErrNoRows) {
			return shippingOptionNotFound(id)
		}
		if err != nil {
			return fmt.Errorf("lock shipping option %s: %w", id, err)
		}
		var cols []string
		if in.Metadata != nil {
			if m := mergeMetadata(o.Metadata, in.Metadata); !reflect.DeepEqual(m, o.Metadata) {
				o.Metadata, cols = m, append(cols, "metadata")
			}
		}
		if in.Requirements != nil {
			if err := setRequirements(ctx, tx, o.ID, in.Requirements); err != nil {
				return err
			}
		}
		if in.Amount != nil && o.PriceType != PriceTypeCalculated {
			if err := checkShippingAmount(o.PriceType, *in.Amount); err != nil {
				return err
			}
			if !catalogPtrEq(*in.Amount, o.Amount) {
				o.Amount, cols = *in.Amount, append(cols, "amount")
			}
		}
		if in.Name != nil && *in.Name != o.Name {
			o.Name, cols = *in.Name, append(cols, "name")
		}
		if in.AdminOnly != nil && *in.AdminOnly != o.AdminOnly {
			o.AdminOnly, cols = *in.AdminOnly, append(cols, "admin_only")
		}
		if len(cols) == 0 {
			return nil
		}
		o.UpdatedAt = model.Now()
		_, err = tx.NewUpdate().Model(o).Column(append(cols, "updated_at")...).WherePK().Exec(ctx)
		return dbError(err, "update shipping option")
	})
	if err != nil {
		return nil, err
	}
	return s.GetShippingOption(ctx, id, ShippingOptionRelations)
}

// setRequirements makes reqs the option's live requirements. A requirement id must name a live
// requirement of this option (Medusa takes any option's, and then moves it).
func setRequirements(ctx context.Context, tx bun.Tx, optionID string, reqs []ShippingRequirementInput) error {
	var existing []*model.ShippingOptionRequirement
	if err := tx.NewSelect().Model(&existing).Where("shipping_option_id = ?", optionID).For("UPDATE").Scan(ctx); err != nil {
		return fmt.Errorf("read requirements: %w", err)
	}
	byID := make(map[string]*model.ShippingOptionRequirement, len(existing))
	for _, r := range existing {
		byID[r.ID] = r
	}
	if err := checkRequirements(reqs, func(id string) bool { return byID[id] != nil }); err != nil {
		return err
	}
	keep := []string{}
	for _, r := range reqs {
		if r.ID != nil && *r.ID != "" {
			keep = append(keep, *r.ID)
			if old := byID[*r.ID]; old.Type == r.Type && old.Amount == r.Amount {
				continue
			}
			if _, err := tx.NewUpdate().Model((*model.ShippingOptionRequirement)(nil)).Set("type = ?", r.Type).
				Set("amount = ?", r.Amount).Where("id = ?", *r.ID).Exec(ctx); err != nil {
				return dbError(err, "update requirement")
			}
			continue
		}
		req := &model.ShippingOptionRequirement{ID: NewID("sor"), ShippingOptionID: optionID, Type: r.Type, Amount: r.Amount}
		if _, err := tx.NewInsert().Model(req).Exec(ctx); err != nil {
			return dbError(err, "insert requirement")
		}
		keep = append(keep, req.ID)
	}
	if _, err := tx.NewUpdate().Model((*model.ShippingOptionRequirement)(nil)).Set("deleted_at = now()").
		Where("shipping_option_id = ?", optionID).Where("deleted_at IS NULL").Where("id NOT IN (?)", bun.In(nonEmpty(keep))).Exec(ctx); err != nil {
		return fmt.Errorf("remove requirements: %w", err)
	}
	return nil
}

// DeleteShippingOption soft-deletes an option; a missing one is no error, as in Medusa. Its
// requirements and tax rate links stay, as Medusa leaves them.
func (s *Store) DeleteShippingOption(ctx context.Context, id string) error {
	// TypeORM's softRemove sets updated_at along with deleted_at.
	if _, err := s.DB.NewUpdate().Model((*model.ShippingOption)(nil)).Set("deleted_at = now()").Set("updated_at = now()").
		Where("id = ?", id).Where("deleted_at IS NULL").Exec(ctx); err != nil {
		return fmt.Errorf("delete shipping option: %w", err)
	}
	return nil
}
