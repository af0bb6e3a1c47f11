package loaders

import (
	"context"
	"strconv"

	"github.com/gorgon-commerce/gorgon/store/model"
)

// The nested fields of tax rates, shipping options and shipping profiles, batched by sibling
// groups like the catalog's (catalog.go): a page of rates, options or profiles, and every list
// one of their fields returned, load each nested field in one batch for the whole group.

func taxRateID(r *model.TaxRate) *string                 { return &r.ID }
func shippingOptionID(o *model.ShippingOption) *string   { return &o.ID }
func shippingProfileID(p *model.ShippingProfile) *string { return &p.ID }

// TaxRateRegion is a rate's region; null once it is deleted.
func (c *Catalog) TaxRateRegion(ctx context.Context, r *model.TaxRate) (*model.Region, error) {
	if r.Region != nil {
		return r.Region, nil
	}
	return belongsTo(ctx, c, r, "region", func(r *model.TaxRate) *string { return &r.RegionID }, c.s.RegionsByIDs)
}

// TaxRateProducts are the first live products a rate applies to, in the order they were added.
func (c *Catalog) TaxRateProducts(ctx context.Context, r *model.TaxRate, first int) ([]*model.Product, error) {
	if r.Products != nil {
		return preloaded(c, r.Products[:min(first, len(r.Products))]), nil
	}
	return hasMany(ctx, c, r, "products:"+strconv.Itoa(first), taxRateID, func(ctx context.Context, ids []string) (map[string][]*model.Product, error) {
		return c.s.TaxRateProductsFirst(ctx, ids, first)
	})
}

// TaxRateProductTypes are the live product types a rate applies to, in the order they were added.
func (c *Catalog) TaxRateProductTypes(ctx context.Context, r *model.TaxRate) ([]*model.ProductType, error) {
	if r.ProductTypes != nil {
		return preloaded(c, r.ProductTypes), nil
	}
	return hasMany(ctx, c, r, "product_types", taxRateID, c.s.TaxRateProductTypesByRateIDs)
}

// TaxRateShippingOptions are the live shipping options a rate applies to, in the order they were
// added.
func (c *Catalog) TaxRateShippingOptions(ctx context.Context, r *model.TaxRate) ([]*model.ShippingOption, error) {
	if r.ShippingOptions != nil {
		return preloaded(c, r.ShippingOptions), nil
	}
	return hasMany(ctx, c, r, "shipping_options", taxRateID, c.s.TaxRateShippingOptionsByRateIDs)
}

// TaxRateCount counts the live rows a rate applies to through rel ("products", "product_types"
// or "shipping_options").
func (c *Catalog) TaxRateCount(ctx context.Context, r *model.TaxRate, rel string) (int, error) {
	return load(ctx, c, r, "count:"+rel, func(ctx context.Context, rates []*model.TaxRate) (map[*model.TaxRate]int, error) {
		ids := uniqueKeys(rates, taxRateID)
		counts, err := c.s.TaxRateCountsByIDs(ctx, rel, ids)
		if err != nil {
			return nil, err
		}
		out := make(map[*model.TaxRate]int, len(rates))
		for _, r := range rates {
			out[r] = counts[r.ID]
		}
		return out, nil
	})
}

// ShippingOptionRegion is an option's region; null once it is deleted.
func (c *Catalog) ShippingOptionRegion(ctx context.Context, o *model.ShippingOption) (*model.Region, error) {
	if o.Region != nil {
		return o.Region, nil
	}
	return belongsTo(ctx, c, o, "region", func(o *model.ShippingOption) *string { return &o.RegionID }, c.s.RegionsByIDs)
}

// ShippingOptionProfile is an option's shipping profile; null once it is deleted.
func (c *Catalog) ShippingOptionProfile(ctx context.Context, o *model.ShippingOption) (*model.ShippingProfile, error) {
	if o.Profile != nil {
		return o.Profile, nil
	}
	return belongsTo(ctx, c, o, "profile", func(o *model.ShippingOption) *string { return &o.ProfileID }, c.s.ShippingProfilesByIDs)
}

// ShippingOptionProvider is an option's fulfillment provider row.
func (c *Catalog) ShippingOptionProvider(ctx context.Context, o *model.ShippingOption) (*model.FulfillmentProvider, error) {
	if o.Provider != nil {
		return o.Provider, nil
	}
	return belongsTo(ctx, c, o, "provider", func(o *model.ShippingOption) *string { return &o.ProviderID }, c.s.FulfillmentProvidersByIDs)
}

// ShippingOptionRequirements are an option's live requirements in stored order.
func (c *Catalog) ShippingOptionRequirements(ctx context.Context, o *model.ShippingOption) ([]*model.ShippingOptionRequirement, error) {
	if o.Requirements != nil {
		return o.Requirements, nil
	}
	return hasMany(ctx, c, o, "requirements", shippingOptionID, c.s.RequirementsByShippingOptionIDs)
}

// ShippingProfileProducts are a profile's first live products by id.
func (c *Catalog) ShippingProfileProducts(ctx context.Context, p *model.ShippingProfile, first int) ([]*model.Product, error) {
	if p.Products != nil {
		return preloaded(c, p.Products[:min(first, len(p.Products))]), nil
	}
	return hasMany(ctx, c, p, "products:"+strconv.Itoa(first), shippingProfileID, func(ctx context.Context, ids []string) (map[string][]*model.Product, error) {
		return c.s.ProfileProductsFirst(ctx, ids, first)
	})
}

// ShippingProfileOptions are a profile's live shipping options by id.
func (c *Catalog) ShippingProfileOptions(ctx context.Context, p *model.ShippingProfile) ([]*model.ShippingOption, error) {
	if p.ShippingOptions != nil {
		return preloaded(c, p.ShippingOptions), nil
	}
	return hasMany(ctx, c, p, "shipping_options", shippingProfileID, c.s.ShippingOptionsByProfileIDs)
}
