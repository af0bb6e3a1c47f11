package graph

import (
	"context"

	"github.com/gorgon-commerce/gorgon/graph/generated"
	"github.com/gorgon-commerce/gorgon/graph/gqlmodel"
	"github.com/gorgon-commerce/gorgon/graph/node"
	"github.com/gorgon-commerce/gorgon/store"
	"github.com/gorgon-commerce/gorgon/store/model"
)

// Shipping options and profiles are read without relations: an option's region, profile,
// provider and requirements, and a profile's products and options, load per field through the
// request's catalog groups (graph/loaders/shipping.go), so a page costs the same statements
// whatever its size. The shipping profile's own fields and its node fetcher ("sp") are the
// catalog's (products.go); this file adds its products and shipping options.

func init() {
	nodeFetchers["so"] = func(ctx context.Context, r *Resolver, id string) (node.Node, error) {
		return nodeOf(r.Store.GetShippingOption(ctx, id, nil))
	}
	complexityHooks = append(complexityHooks, func(c *generated.ComplexityRoot) {
		c.Query.ShippingOptions = func(child int, first *int, _ *string, _ map[string]any, _ *string, _, _ *bool) int {
			return connCost(child, first)
		}
		c.Query.ShippingProfiles = func(child int, first *int, _ *string, _ map[string]any) int { return connCost(child, first) }
		c.ShippingProfile.Products = func(child int, first *int) int { return connCost(child, first) }
	})
}

// boolFilter is an optional boolean filter: null is no filter.
func boolFilter(b *bool) *store.BoolFilter {
	if b == nil {
		return nil
	}
	return &store.BoolFilter{Value: *b}
}

func (r *Resolver) shippingOptionConnection(ctx context.Context, first *int, after *string, where map[string]any, regionID *string, isReturn, adminOnly *bool) (*gqlmodel.ShippingOptionConnection, error) {
	p, err := countedPage(ctx, first, after)
	if err != nil {
		return nil, err
	}
	if p.Where, err = plainWhere(where); err != nil {
		return nil, err
	}
	opts, total, err := r.Store.ListShippingOptionsPage(ctx, store.ShippingOptionFilter{RegionID: regionID, IsReturn: boolFilter(isReturn),
		AdminOnly: boolFilter(adminOnly)}, p)
	if err != nil {
		return nil, queryError(err)
	}
	siblings(ctx, opts)
	return &gqlmodel.ShippingOptionConnection{Nodes: opts, TotalCount: total, PageInfo: pageInfo(p, len(opts), total),
		Edges: edgesOf(p, opts, func(c string, n *model.ShippingOption) *gqlmodel.ShippingOptionEdge {
			return &gqlmodel.ShippingOptionEdge{Cursor: c, Node: n}
		})}, nil
}

func (r *Resolver) shippingOption(ctx context.Context, id string) (*model.ShippingOption, error) {
	return foundOrNull(r.Store.GetShippingOption(ctx, id, nil))
}

func (r *Resolver) shippingProfileConnection(ctx context.Context, first *int, after *string, where map[string]any) (*gqlmodel.ShippingProfileConnection, error) {
	p, err := countedPage(ctx, first, after)
	if err != nil {
		return nil, err
	}
	if p.Where, err = plainWhere(where); err != nil {
		return nil, err
	}
	profiles, total, err := r.Store.ListShippingProfilesPage(ctx, p)
	if err != nil {
		return nil, queryError(err)
	}
	siblings(ctx, profiles)
	return &gqlmodel.ShippingProfileConnection{Nodes: profiles, TotalCount: total, PageInfo: pageInfo(p, len(profiles), total),
		Edges: edgesOf(p, profiles, func(c string, n *model.ShippingProfile) *gqlmodel.ShippingProfileEdge {
			return &gqlmodel.ShippingProfileEdge{Cursor: c, Node: n}
		})}, nil
}

func (r *Resolver) shippingProfile(ctx context.Context, id string) (*model.ShippingProfile, error) {
	return foundOrNull(r.Store.GetShippingProfile(ctx, id, nil))
}

// --- nested fields ---

func shippingOptionPriceType(o *model.ShippingOption) (gqlmodel.ShippingOptionPriceType, error) {
	return enumOf[gqlmodel.ShippingOptionPriceType](o.PriceType), nil
}

func shippingRequirementType(req *model.ShippingOptionRequirement) (gqlmodel.ShippingRequirementType, error) {
	return enumOf[gqlmodel.ShippingRequirementType](req.Type), nil
}

func shippingOptionRegion(ctx context.Context, o *model.ShippingOption) (*model.Region, error) {
	return catalog(ctx).ShippingOptionRegion(ctx, o)
}

func shippingOptionProfile(ctx context.Context, o *model.ShippingOption) (*model.ShippingProfile, error) {
	return catalog(ctx).ShippingOptionProfile(ctx, o)
}

func shippingOptionProvider(ctx context.Context, o *model.ShippingOption) (*model.FulfillmentProvider, error) {
	return catalog(ctx).ShippingOptionProvider(ctx, o)
}

func shippingOptionRequirements(ctx context.Context, o *model.ShippingOption) ([]*model.ShippingOptionRequirement, error) {
	return catalog(ctx).ShippingOptionRequirements(ctx, o)
}

func shippingProfileProducts(ctx context.Context, p *model.ShippingProfile, first *int) ([]*model.Product, error) {
	n, err := firstN(first, 50)
	if err != nil {
		return nil, err
	}
	return catalog(ctx).ShippingProfileProducts(ctx, p, n)
}

func shippingProfileOptions(ctx context.Context, p *model.ShippingProfile) ([]*model.ShippingOption, error) {
	return catalog(ctx).ShippingProfileOptions(ctx, p)
}

// --- mutations ---

func shippingRequirements(in []*gqlmodel.ShippingRequirementInput) []store.ShippingRequirementInput {
	if in == nil {
		return nil
	}
	out := make([]store.ShippingRequirementInput, len(in))
	for i, req := range in {
		out[i] = store.ShippingRequirementInput{ID: req.ID, Type: *enumIn(&req.Type), Amount: req.Amount}
	}
	return out
}

// shippingOptionPayload answers a shipping option mutation with the option the store returned.
func shippingOptionPayload(ctx context.Context) func(*model.ShippingOption, error) (*gqlmodel.ShippingOptionPayload, error) {
	return func(o *model.ShippingOption, err error) (*gqlmodel.ShippingOptionPayload, error) {
		o, ue, err := wrote(ctx, o, err)
		return &gqlmodel.ShippingOptionPayload{ShippingOption: o, UserErrors: ue}, err
	}
}

func (r *Resolver) createShippingOption(ctx context.Context, in gqlmodel.CreateShippingOptionInput) (*gqlmodel.ShippingOptionPayload, error) {
	out := store.CreateShippingOptionInput{Name: in.Name, RegionID: in.RegionID, ProviderID: in.ProviderID, ProfileID: in.ProfileID,
		Data: in.Data, PriceType: *enumIn(&in.PriceType), Amount: in.Amount, Requirements: shippingRequirements(in.Requirements),
		Metadata: in.Metadata}
	if in.IsReturn != nil {
		out.IsReturn = *in.IsReturn
	}
	if in.AdminOnly != nil {
		out.AdminOnly = *in.AdminOnly
	}
	return shippingOptionPayload(ctx)(r.Store.CreateShippingOption(ctx, out))
}

func (r *Resolver) updateShippingOption(ctx context.Context, id string, in gqlmodel.UpdateShippingOptionInput) (*gqlmodel.ShippingOptionPayload, error) {
	return shippingOptionPayload(ctx)(r.Store.UpdateShippingOption(ctx, id, store.UpdateShippingOptionInput{Name: in.Name,
		Amount: omit(in.Amount), Requirements: shippingRequirements(in.Requirements), AdminOnly: in.AdminOnly, Metadata: in.Metadata}))
}

func (r *Resolver) deleteShippingOption(ctx context.Context, id string) (*gqlmodel.DeletePayload, error) {
	_, ue, err := wrote(ctx, &id, r.Store.DeleteShippingOption(ctx, id))
	return &gqlmodel.DeletePayload{DeletedID: deletedID(id, ue), UserErrors: ue}, err
}

// shippingProfilePayload answers a shipping profile mutation with the profile the store returned.
func shippingProfilePayload(ctx context.Context) func(*model.ShippingProfile, error) (*gqlmodel.ShippingProfilePayload, error) {
	return func(p *model.ShippingProfile, err error) (*gqlmodel.ShippingProfilePayload, error) {
		p, ue, err := wrote(ctx, p, err)
		return &gqlmodel.ShippingProfilePayload{ShippingProfile: p, UserErrors: ue}, err
	}
}

func (r *Resolver) createShippingProfile(ctx context.Context, in gqlmodel.CreateShippingProfileInput) (*gqlmodel.ShippingProfilePayload, error) {
	return shippingProfilePayload(ctx)(r.Store.CreateShippingProfile(ctx, store.CreateShippingProfileInput{Name: in.Name, Metadata: in.Metadata}))
}

func (r *Resolver) updateShippingProfile(ctx context.Context, id string, in gqlmodel.UpdateShippingProfileInput) (*gqlmodel.ShippingProfilePayload, error) {
	return shippingProfilePayload(ctx)(r.Store.UpdateShippingProfile(ctx, id, store.UpdateShippingProfileInput{Name: in.Name,
		Metadata: in.Metadata, Products: in.Products, ShippingOptions: in.ShippingOptions}))
}

func (r *Resolver) deleteShippingProfile(ctx context.Context, id string) (*gqlmodel.DeletePayload, error) {
	_, ue, err := wrote(ctx, &id, r.Store.DeleteShippingProfile(ctx, id))
	return &gqlmodel.DeletePayload{DeletedID: deletedID(id, ue), UserErrors: ue}, err
}
