package graph

import (
	"context"
	"time"

	"github.com/gorgon-commerce/gorgon/graph/generated"
	"github.com/gorgon-commerce/gorgon/graph/gqlmodel"
	"github.com/gorgon-commerce/gorgon/graph/loaders"
	"github.com/gorgon-commerce/gorgon/graph/node"
	"github.com/gorgon-commerce/gorgon/store"
	"github.com/gorgon-commerce/gorgon/store/model"
)

func init() {
	nodeFetchers["reg"] = func(ctx context.Context, r *Resolver, id string) (node.Node, error) {
		return r.Store.GetRegion(ctx, id)
	}
	complexityHooks = append(complexityHooks, func(c *generated.ComplexityRoot) {
		c.Query.Regions = func(child int, first *int, _ *string, _ map[string]any, _, _ *gqlmodel.DateTimeFilter) int {
			return connCost(child, first)
		}
	})
}

// timeRange turns a DateTimeFilter into the store's range; nil stays nil.
func timeRange(f *gqlmodel.DateTimeFilter) *store.TimeRange {
	if f == nil {
		return nil
	}
	t := func(v *model.Time) *time.Time {
		if v == nil {
			return nil
		}
		return &v.Time
	}
	return &store.TimeRange{Lt: t(f.Lt), Gt: t(f.Gt), Lte: t(f.Lte), Gte: t(f.Gte)}
}

func (r *Resolver) regionConnection(ctx context.Context, first *int, after *string, where map[string]any, createdAt, updatedAt *gqlmodel.DateTimeFilter) (*gqlmodel.RegionConnection, error) {
	p, err := page(first, after)
	if err != nil {
		return nil, err
	}
	if p.Where, err = plainWhere(where); err != nil {
		return nil, err
	}
	regions, total, err := r.Store.ListRegionsPage(ctx, store.RegionFilter{CreatedAt: timeRange(createdAt), UpdatedAt: timeRange(updatedAt)}, p)
	if err != nil {
		return nil, queryError(err)
	}
	conn := &gqlmodel.RegionConnection{Nodes: regions, Edges: make([]*gqlmodel.RegionEdge, len(regions)), TotalCount: total,
		PageInfo: pageInfo(p, len(regions), total)}
	l := loaders.For(ctx)
	for i, reg := range regions {
		conn.Edges[i] = &gqlmodel.RegionEdge{Cursor: encodeCursor(p.Offset + i), Node: reg}
		// Their countries' region is one of them: no need to read it again.
		l.RegionByID.Prime(reg.ID, reg)
	}
	return conn, nil
}

// regionPayload is every region mutation's answer.
func regionPayload(reg *model.Region, err error) (*gqlmodel.RegionPayload, error) {
	ue, err := payloadErrors(err)
	return &gqlmodel.RegionPayload{Region: reg, UserErrors: ue}, err
}

func (r *Resolver) createRegion(ctx context.Context, in gqlmodel.CreateRegionInput) (*gqlmodel.RegionPayload, error) {
	return regionPayload(r.Store.CreateRegion(ctx, store.CreateRegionInput{Name: in.Name, CurrencyCode: in.CurrencyCode,
		TaxCode: in.TaxCode, TaxRate: in.TaxRate, PaymentProviders: in.PaymentProviders, FulfillmentProviders: in.FulfillmentProviders,
		Countries: in.Countries, Metadata: in.Metadata}))
}

// nullable turns an omittable input into the store's nullable update: nil leaves the column, a
// pointer to nil clears it.
func nullable(v *string, set bool) **string {
	if !set {
		return nil
	}
	return &v
}

// updateRegion: a null for a non-nullable column keeps it, as in REST; a null tax code or tax
// provider clears it.
func (r *Resolver) updateRegion(ctx context.Context, id string, in gqlmodel.UpdateRegionInput) (*gqlmodel.RegionPayload, error) {
	up := store.UpdateRegionInput{Name: in.Name, CurrencyCode: in.CurrencyCode, TaxRate: in.TaxRate,
		TaxCode: nullable(in.TaxCode.ValueOK()), TaxProviderID: nullable(in.TaxProviderID.ValueOK()),
		GiftCardsTaxable: in.GiftCardsTaxable, AutomaticTaxes: in.AutomaticTaxes, PaymentProviders: in.PaymentProviders,
		FulfillmentProviders: in.FulfillmentProviders, Countries: in.Countries, Metadata: in.Metadata}
	return regionPayload(r.Store.UpdateRegion(ctx, id, up))
}

func (r *Resolver) deleteRegion(ctx context.Context, id string) (*gqlmodel.DeletePayload, error) {
	ue, err := payloadErrors(r.Store.DeleteRegion(ctx, id))
	return &gqlmodel.DeletePayload{DeletedID: deletedID(id, ue), UserErrors: ue}, err
}

// regionCountries are the countries a single read already loaded (GetRegion fills an empty
// slice; nil means not loaded), else one batched load per page.
func regionCountries(ctx context.Context, reg *model.Region) ([]*model.Country, error) {
	if reg.Countries != nil {
		return reg.Countries, nil
	}
	return loaders.For(ctx).RegionCountriesByRegionID.Load(ctx, reg.ID)
}

// regionPaymentProviders: as regionCountries.
func regionPaymentProviders(ctx context.Context, reg *model.Region) ([]*model.PaymentProvider, error) {
	if reg.PaymentProviders != nil {
		return reg.PaymentProviders, nil
	}
	return loaders.For(ctx).RegionPaymentProvidersByRegionID.Load(ctx, reg.ID)
}

// regionFulfillmentProviders: as regionCountries.
func regionFulfillmentProviders(ctx context.Context, reg *model.Region) ([]*model.FulfillmentProvider, error) {
	if reg.FulfillmentProviders != nil {
		return reg.FulfillmentProviders, nil
	}
	return loaders.For(ctx).RegionFulfillmentProvidersByRegionID.Load(ctx, reg.ID)
}

// regionCurrency is one batched load per page (the currency exists: a foreign key).
func regionCurrency(ctx context.Context, reg *model.Region) (*model.Currency, error) {
	if reg.Currency != nil {
		return reg.Currency, nil
	}
	return loaders.For(ctx).CurrencyByCode.Load(ctx, reg.CurrencyCode)
}

// regionTaxProvider is null for the system provider (no tax_provider_id).
func regionTaxProvider(ctx context.Context, reg *model.Region) (*model.TaxProvider, error) {
	if reg.TaxProvider != nil || reg.TaxProviderID == nil {
		return reg.TaxProvider, nil
	}
	return loaders.Optional(loaders.For(ctx).TaxProviderByID.Load(ctx, *reg.TaxProviderID))
}

// regionFulfillmentOptions asks the region's providers, batched per page; a provider this
// instance does not serve is a NOT_FOUND error on the field.
func regionFulfillmentOptions(ctx context.Context, reg *model.Region) ([]*store.FulfillmentOptions, error) {
	opts, err := loaders.For(ctx).RegionFulfillmentOptionsByRegionID.Load(ctx, reg.ID)
	if err != nil {
		return nil, queryError(err)
	}
	out := make([]*store.FulfillmentOptions, len(opts))
	for i := range opts {
		out[i] = &opts[i]
	}
	return out, nil
}

// countryRegion is null for a country in no region.
func countryRegion(ctx context.Context, c *model.Country) (*model.Region, error) {
	if c.Region != nil || c.RegionID == nil {
		return c.Region, nil
	}
	return loaders.Optional(loaders.For(ctx).RegionByID.Load(ctx, *c.RegionID))
}
