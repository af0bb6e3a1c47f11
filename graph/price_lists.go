package graph

import (
	"context"
	"strings"
	"time"

	"github.com/gorgon-commerce/gorgon/graph/generated"
	"github.com/gorgon-commerce/gorgon/graph/gqlmodel"
	"github.com/gorgon-commerce/gorgon/graph/loaders"
	"github.com/gorgon-commerce/gorgon/graph/node"
	"github.com/gorgon-commerce/gorgon/store"
	"github.com/gorgon-commerce/gorgon/store/model"
)

func init() {
	nodeFetchers["pl"] = func(ctx context.Context, r *Resolver, id string) (node.Node, error) {
		return nodeOf(r.Store.GetPriceList(ctx, id))
	}
	nodeFetchers["cgrp"] = byLoader(func(c *loaders.Catalog) loaderOf[model.CustomerGroup] { return c.CustomerGroupByID })
	complexityHooks = append(complexityHooks, func(c *generated.ComplexityRoot) {
		c.Query.PriceLists = func(child int, first *int, _ *string, _ map[string]any, _ *gqlmodel.PriceListFilter) int {
			return connCost(child, first)
		}
		c.Query.PriceListProducts = func(child int, _ string, first *int, _ *string, _ map[string]any, _ *gqlmodel.ProductFilter, _ *gqlmodel.ProductOrder) int {
			return connCost(child, first)
		}
		c.PriceList.Prices = func(child int, first *int) int { return connCost(child, first) }
	})
}

func enumsIn[T ~string](in []T) []string {
	if in == nil {
		return nil
	}
	out := make([]string, len(in))
	for i, v := range in {
		out[i] = strings.ToLower(string(v))
	}
	return out
}

func (r *Resolver) priceListConnection(ctx context.Context, first *int, after *string, where map[string]any, filter *gqlmodel.PriceListFilter) (*gqlmodel.PriceListConnection, error) {
	p, err := page(first, after)
	if err != nil {
		return nil, err
	}
	if p.Where, err = plainWhere(where); err != nil {
		return nil, err
	}
	var f store.PriceListFilter
	if filter != nil {
		f = store.PriceListFilter{ID: filter.ID, Q: filter.Q, Status: enumsIn(filter.Status), Name: filter.Name,
			Description: filter.Description, Type: enumsIn(filter.Type), CustomerGroups: filter.CustomerGroupIds,
			CreatedAt: catalogRange(filter.CreatedAt), UpdatedAt: catalogRange(filter.UpdatedAt), DeletedAt: catalogRange(filter.DeletedAt)}
	}
	lp, none := limitPage(p)
	lists, total, err := r.Store.ListPriceLists(ctx, f, lp)
	if err != nil {
		return nil, queryError(err)
	}
	if none {
		lists = lists[:0]
	}
	siblings(ctx, lists)
	return &gqlmodel.PriceListConnection{Nodes: lists, TotalCount: total, PageInfo: pageInfo(p, len(lists), total),
		Edges: edgesOf(p, lists, func(c string, n *model.PriceList) *gqlmodel.PriceListEdge {
			return &gqlmodel.PriceListEdge{Cursor: c, Node: n}
		})}, nil
}

func (r *Resolver) priceList(ctx context.Context, id string) (*model.PriceList, error) {
	return foundOrNull(r.Store.GetPriceList(ctx, id))
}

// priceListPrices are the first prices a price list read loaded, else one batched load.
func priceListPrices(ctx context.Context, pl *model.PriceList, first *int) ([]*model.MoneyAmount, error) {
	n, err := firstN(first, 100)
	if err != nil {
		return nil, err
	}
	return catalog(ctx).PriceListPrices(ctx, pl, n)
}

func priceListCustomerGroups(ctx context.Context, pl *model.PriceList) ([]*model.CustomerGroup, error) {
	return catalog(ctx).PriceListCustomerGroups(ctx, pl)
}

// priceListPriceInputs applies Medusa's XOR rule (exactly one of regionId and currencyCode,
// unless id names an existing price) and converts the prices.
func priceListPriceInputs(in []*gqlmodel.PriceListPriceInput) ([]store.PriceListPriceInput, error) {
	if in == nil {
		return nil, nil
	}
	out := make([]store.PriceListPriceInput, len(in))
	for i, p := range in {
		region, currency := p.RegionID != nil && *p.RegionID != "", p.CurrencyCode != nil && *p.CurrencyCode != ""
		if (p.ID == nil || *p.ID == "") && region == currency {
			return nil, violation("prices", `Failed XOR relation between "region_id" and "currency_code".`)
		}
		out[i] = store.PriceListPriceInput{ID: p.ID, VariantID: p.VariantID, Amount: p.Amount}
		if region {
			out[i].RegionID = p.RegionID
		}
		if currency {
			out[i].CurrencyCode = p.CurrencyCode
		}
		out[i].MinQuantity, out[i].SetMinQuantity = p.MinQuantity.ValueOK()
		out[i].MaxQuantity, out[i].SetMaxQuantity = p.MaxQuantity.ValueOK()
	}
	return out, nil
}

func modelTime(t *model.Time) *time.Time {
	if t == nil {
		return nil
	}
	return &t.Time
}

// priceListPayload answers a price list mutation with the list the store returned.
func priceListPayload(ctx context.Context) func(*model.PriceList, error) (*gqlmodel.PriceListPayload, error) {
	return func(pl *model.PriceList, err error) (*gqlmodel.PriceListPayload, error) {
		pl, ue, err := wrote(ctx, pl, err)
		return &gqlmodel.PriceListPayload{PriceList: pl, UserErrors: ue}, err
	}
}

func (r *Resolver) createPriceList(ctx context.Context, in gqlmodel.CreatePriceListInput) (*gqlmodel.PriceListPayload, error) {
	prices, err := priceListPriceInputs(in.Prices)
	if err != nil {
		return priceListPayload(ctx)(nil, err)
	}
	if prices == nil {
		prices = []store.PriceListPriceInput{}
	}
	return priceListPayload(ctx)(r.Store.CreatePriceList(ctx, store.CreatePriceListInput{Name: in.Name, Description: in.Description,
		Type: strings.ToLower(string(in.Type)), Status: enumIn(in.Status), StartsAt: modelTime(in.StartsAt), EndsAt: modelTime(in.EndsAt),
		Prices: prices, CustomerGroups: in.CustomerGroupIds}))
}

func (r *Resolver) updatePriceList(ctx context.Context, id string, in gqlmodel.UpdatePriceListInput) (*gqlmodel.PriceListPayload, error) {
	prices, err := priceListPriceInputs(in.Prices)
	if err != nil {
		return priceListPayload(ctx)(nil, err)
	}
	up := store.UpdatePriceListInput{Name: in.Name, Description: in.Description, Status: enumIn(in.Status), Type: enumIn(in.Type),
		Prices: prices, CustomerGroups: in.CustomerGroupIds}
	if t, ok := in.StartsAt.ValueOK(); ok {
		st := modelTime(t)
		up.StartsAt = &st
	}
	if t, ok := in.EndsAt.ValueOK(); ok {
		et := modelTime(t)
		up.EndsAt = &et
	}
	return priceListPayload(ctx)(r.Store.UpdatePriceList(ctx, id, up))
}

func (r *Resolver) deletePriceList(ctx context.Context, id string) (*gqlmodel.DeletePayload, error) {
	_, ue, err := wrote(ctx, &id, r.Store.DeletePriceList(ctx, id))
	return &gqlmodel.DeletePayload{DeletedID: deletedID(id, ue), UserErrors: ue}, err
}

func (r *Resolver) addPriceListPrices(ctx context.Context, id string, in []*gqlmodel.PriceListPriceInput, override *bool) (*gqlmodel.PriceListPayload, error) {
	prices, err := priceListPriceInputs(in)
	if err != nil {
		return priceListPayload(ctx)(nil, err)
	}
	return priceListPayload(ctx)(r.Store.AddPriceListPrices(ctx, id, prices, override != nil && *override))
}

func pricesDeleted(ctx context.Context, ids []string, err error) (*gqlmodel.DeletePricesPayload, error) {
	_, ue, err := wrote(ctx, &ids, err)
	if len(ue) > 0 {
		ids = nil
	}
	return &gqlmodel.DeletePricesPayload{DeletedIds: ids, UserErrors: ue}, err
}

func (r *Resolver) deletePriceListPrices(ctx context.Context, id string, priceIDs []string) (*gqlmodel.DeletePricesPayload, error) {
	if len(priceIDs) == 0 {
		return pricesDeleted(ctx, nil, violation("price_ids", "price_ids should not be empty"))
	}
	return pricesDeleted(ctx, priceIDs, r.Store.DeletePriceListPrices(ctx, id, priceIDs))
}

func (r *Resolver) deletePriceListProductPrices(ctx context.Context, id, productID string) (*gqlmodel.DeletePricesPayload, error) {
	ids, err := r.Store.DeletePriceListProductPrices(ctx, id, productID)
	return pricesDeleted(ctx, ids, err)
}

func (r *Resolver) deletePriceListVariantPrices(ctx context.Context, id, variantID string) (*gqlmodel.DeletePricesPayload, error) {
	ids, err := r.Store.DeletePriceListVariantPrices(ctx, id, variantID)
	return pricesDeleted(ctx, ids, err)
}
