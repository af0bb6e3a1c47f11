package graph

import (
	"context"

	"github.com/gorgon-commerce/gorgon/graph/generated"
	"github.com/gorgon-commerce/gorgon/graph/gqlmodel"
	"github.com/gorgon-commerce/gorgon/graph/node"
	"github.com/gorgon-commerce/gorgon/store"
	"github.com/gorgon-commerce/gorgon/store/model"
)

// Tax rates are read without relations or counts (an empty store.Find): their region, lists and
// counts load per field through the request's catalog groups (graph/loaders/shipping.go), so a
// page of rates costs the same statements whatever its size. A rate's products can be many: they
// take a `first` and scale the cost like connections.

func init() {
	nodeFetchers["txr"] = func(ctx context.Context, r *Resolver, id string) (node.Node, error) {
		return nodeOf(taxRateRow(r.Store.GetTaxRate(ctx, id, store.Find{})))
	}
	complexityHooks = append(complexityHooks, func(c *generated.ComplexityRoot) {
		c.Query.TaxRates = func(child int, first *int, _ *string, _ map[string]any, _ []string, _, _ *string, _ *gqlmodel.FloatFilter) int {
			return connCost(child, first)
		}
		c.TaxRate.Products = func(child int, first *int) int { return connCost(child, first) }
	})
}

// taxRateRow is the rate row of the store's answer (GraphQL's TaxRate is the model; its counts
// are fields of their own).
func taxRateRow(r *store.TaxRate, err error) (*model.TaxRate, error) {
	if err != nil || r == nil {
		return nil, err
	}
	return r.TaxRate, nil
}

// numberFilter turns a FloatFilter into the store's: eq and in both restrict the values.
func numberFilter(f *gqlmodel.FloatFilter) *store.NumberFilter {
	if f == nil {
		return nil
	}
	nf := &store.NumberFilter{In: f.In, Lt: f.Lt, Gt: f.Gt, Lte: f.Lte, Gte: f.Gte}
	if f.Eq != nil {
		if f.In == nil {
			nf.In = []float64{*f.Eq}
		} else {
			// Compared as the real column holds them, as the store compares.
			nf.In = []float64{}
			for _, v := range f.In {
				if float32(v) == float32(*f.Eq) {
					nf.In = append(nf.In, *f.Eq)
				}
			}
		}
	}
	return nf
}

func (r *Resolver) taxRateConnection(ctx context.Context, first *int, after *string, where map[string]any, regionIDs []string, code, name *string,
	rate *gqlmodel.FloatFilter) (*gqlmodel.TaxRateConnection, error) {
	p, err := page(first, after)
	if err != nil {
		return nil, err
	}
	if p.Where, err = plainWhere(where); err != nil {
		return nil, err
	}
	rows, total, err := r.Store.ListTaxRates(ctx, store.TaxRateFilter{RegionIDs: regionIDs, Code: code, Name: name, Rate: numberFilter(rate)}, p)
	if err != nil {
		return nil, queryError(err)
	}
	rates := make([]*model.TaxRate, len(rows))
	for i, row := range rows {
		rates[i] = row.TaxRate
	}
	siblings(ctx, rates)
	return &gqlmodel.TaxRateConnection{Nodes: rates, TotalCount: total, PageInfo: pageInfo(p, len(rates), total),
		Edges: edgesOf(p, rates, func(c string, n *model.TaxRate) *gqlmodel.TaxRateEdge {
			return &gqlmodel.TaxRateEdge{Cursor: c, Node: n}
		})}, nil
}

func (r *Resolver) taxRate(ctx context.Context, id string) (*model.TaxRate, error) {
	return foundOrNull(taxRateRow(r.Store.GetTaxRate(ctx, id, store.Find{})))
}

// --- nested fields ---

func taxRateRegion(ctx context.Context, t *model.TaxRate) (*model.Region, error) {
	return catalog(ctx).TaxRateRegion(ctx, t)
}

func taxRateProducts(ctx context.Context, t *model.TaxRate, first *int) ([]*model.Product, error) {
	n, err := firstN(first, 50)
	if err != nil {
		return nil, err
	}
	return catalog(ctx).TaxRateProducts(ctx, t, n)
}

func taxRateProductTypes(ctx context.Context, t *model.TaxRate) ([]*model.ProductType, error) {
	return catalog(ctx).TaxRateProductTypes(ctx, t)
}

func taxRateShippingOptions(ctx context.Context, t *model.TaxRate) ([]*model.ShippingOption, error) {
	return catalog(ctx).TaxRateShippingOptions(ctx, t)
}

// taxRateCount is one of Medusa's counts: rel is "products", "product_types" or "shipping_options".
func taxRateCount(ctx context.Context, t *model.TaxRate, rel string) (int, error) {
	return catalog(ctx).TaxRateCount(ctx, t, rel)
}

// --- mutations ---

// taxRatePayload answers a tax rate mutation with the rate the store returned.
func taxRatePayload(ctx context.Context) func(*store.TaxRate, error) (*gqlmodel.TaxRatePayload, error) {
	return func(t *store.TaxRate, err error) (*gqlmodel.TaxRatePayload, error) {
		row, ue, err := wrote(ctx, t, err)
		out := &gqlmodel.TaxRatePayload{UserErrors: ue}
		if row != nil {
			out.TaxRate = row.TaxRate
		}
		return out, err
	}
}

func (r *Resolver) createTaxRate(ctx context.Context, in gqlmodel.CreateTaxRateInput) (*gqlmodel.TaxRatePayload, error) {
	return taxRatePayload(ctx)(r.Store.CreateTaxRate(ctx, store.CreateTaxRateInput{Code: &in.Code, Name: in.Name, RegionID: in.RegionID,
		Rate: in.Rate, Products: in.Products, ProductTypes: in.ProductTypes, ShippingOptions: in.ShippingOptions}, store.Find{}))
}

// updateTaxRate: a null name or region keeps it (the columns are NOT NULL); a null code or rate
// clears it.
func (r *Resolver) updateTaxRate(ctx context.Context, id string, in gqlmodel.UpdateTaxRateInput) (*gqlmodel.TaxRatePayload, error) {
	return taxRatePayload(ctx)(r.Store.UpdateTaxRate(ctx, id, store.UpdateTaxRateInput{Code: omit(in.Code), Name: in.Name,
		RegionID: in.RegionID, Rate: omit(in.Rate), Products: in.Products, ProductTypes: in.ProductTypes,
		ShippingOptions: in.ShippingOptions}, store.Find{}))
}

func (r *Resolver) deleteTaxRate(ctx context.Context, id string) (*gqlmodel.DeletePayload, error) {
	_, ue, err := wrote(ctx, &id, r.Store.DeleteTaxRate(ctx, id))
	return &gqlmodel.DeletePayload{DeletedID: deletedID(id, ue), UserErrors: ue}, err
}

// taxRateBatch runs one of the store's six batch changes of a rate's links.
func (r *Resolver) taxRateBatch(ctx context.Context, id string, ids []string,
	call func(*store.Store, context.Context, string, []string, store.Find) (*store.TaxRate, error)) (*gqlmodel.TaxRatePayload, error) {
	return taxRatePayload(ctx)(call(r.Store, ctx, id, ids, store.Find{}))
}
