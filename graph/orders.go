package graph

import (
	"context"
	"strconv"
	"strings"

	"github.com/gorgon-commerce/gorgon/graph/generated"
	"github.com/gorgon-commerce/gorgon/graph/gqlmodel"
	"github.com/gorgon-commerce/gorgon/graph/loaders"
	"github.com/gorgon-commerce/gorgon/graph/node"
	"github.com/gorgon-commerce/gorgon/store"
	"github.com/gorgon-commerce/gorgon/store/model"
	"github.com/gorgon-commerce/gorgon/store/totals"
)

// Orders are read as the REST routes read them (store.ListOrders, store.RetrieveOrder): with
// Medusa's default relations, their eager relations and what the totals read, one statement
// per relation depth, so that a page of orders with items, totals, customer, addresses and
// payments costs the same statements whatever `first` is; the fields below an order resolve
// from the loaded rows. The page's customers and regions are registered as sibling groups
// (loaders), so that their own relations (a customer's groups) load once per page.

func init() {
	nodeFetchers["order"] = func(ctx context.Context, r *Resolver, id string) (node.Node, error) {
		return nodeOf(r.order(ctx, id))
	}
	nodeFetchers["ret"] = func(ctx context.Context, r *Resolver, id string) (node.Node, error) {
		return nodeOf(foundOrNull(r.Store.GetReturn(ctx, id)))
	}
	nodeFetchers["swap"] = func(ctx context.Context, r *Resolver, id string) (node.Node, error) {
		return nodeOf(r.swap(ctx, id))
	}
	complexityHooks = append(complexityHooks, func(c *generated.ComplexityRoot) {
		c.Query.Orders = func(child int, first *int, _ *string, _ map[string]any, _ *gqlmodel.OrderFilter, _ []*gqlmodel.OrderOrder) int {
			return connCost(child, first)
		}
		c.Query.Returns = func(child int, first *int, _ *string, _ map[string]any) int { return connCost(child, first) }
		c.Query.Swaps = func(child int, first *int, _ *string, _ map[string]any) int { return connCost(child, first) }
	})
}

// orderFilter is the store's filter of a GraphQL OrderFilter.
func orderFilter(in *gqlmodel.OrderFilter) store.OrderFilter {
	var f store.OrderFilter
	if in == nil {
		return f
	}
	lower := func(vals []string) []string {
		if vals == nil {
			return nil
		}
		out := make([]string, len(vals))
		for i, v := range vals {
			out[i] = strings.ToLower(v)
		}
		return out
	}
	enums := func(n int, at func(int) string) []string {
		out := make([]string, n)
		for i := range out {
			out[i] = at(i)
		}
		return lower(out)
	}
	f.Q = in.Q
	f.IDs = in.Ids
	if in.Status != nil {
		f.Status = enums(len(in.Status), func(i int) string { return string(in.Status[i]) })
	}
	if in.FulfillmentStatus != nil {
		f.FulfillmentStatus = enums(len(in.FulfillmentStatus), func(i int) string { return string(in.FulfillmentStatus[i]) })
	}
	if in.PaymentStatus != nil {
		f.PaymentStatus = enums(len(in.PaymentStatus), func(i int) string { return string(in.PaymentStatus[i]) })
	}
	if in.DisplayID != nil {
		s := strconv.Itoa(*in.DisplayID)
		f.DisplayID = &s
	}
	f.CartID, f.CustomerID, f.Email, f.CurrencyCode = in.CartID, in.CustomerID, in.Email, in.CurrencyCode
	f.RegionIDs = in.RegionIds
	f.SalesChannelIDs = in.SalesChannelIds
	f.CreatedAt, f.UpdatedAt, f.CanceledAt = timeRange(in.CreatedAt), timeRange(in.UpdatedAt), timeRange(in.CanceledAt)
	return f
}

// registerOrders makes the orders' customers and regions sibling groups for the loaders.
func registerOrders(ctx context.Context, orders []*model.Order) {
	var customers []*model.Customer
	var regions []*model.Region
	for _, o := range orders {
		if o.Customer != nil {
			customers = append(customers, o.Customer)
		}
		if o.Region != nil {
			regions = append(regions, o.Region)
		}
	}
	loaders.Siblings(catalog(ctx), customers)
	loaders.Siblings(catalog(ctx), regions)
}

func (r *Resolver) orderConnection(ctx context.Context, first *int, after *string, where map[string]any, filter *gqlmodel.OrderFilter,
	orderBy []*gqlmodel.OrderOrder) (*gqlmodel.OrderConnection, error) {
	p, err := page(first, after)
	if err != nil {
		return nil, err
	}
	if p.Where, err = plainWhere(where); err != nil {
		return nil, err
	}
	f := orderFilter(filter)
	for _, o := range orderBy {
		f.Order = append(f.Order, listOrderOf(o.Field, o.Direction))
	}
	views, total, err := r.Store.ListOrders(ctx, f, p)
	if err != nil {
		return nil, queryError(err)
	}
	orders := make([]*model.Order, len(views))
	for i, v := range views {
		orders[i] = v.Order
	}
	registerOrders(ctx, orders)
	return &gqlmodel.OrderConnection{Nodes: orders, TotalCount: total, PageInfo: pageInfo(p, len(orders), total),
		Edges: edgesOf(p, orders, func(c string, n *model.Order) *gqlmodel.OrderEdge {
			return &gqlmodel.OrderEdge{Cursor: c, Node: n}
		})}, nil
}

func (r *Resolver) order(ctx context.Context, id string) (*model.Order, error) {
	v, err := r.Store.RetrieveOrder(ctx, id, store.Find{})
	if store.IsNotFound(err) {
		return nil, nil
	} else if err != nil {
		return nil, err
	}
	registerOrders(ctx, []*model.Order{v.Order})
	return v.Order, nil
}

// orderTotals are the order's totals, computed from its loaded rows (no statement).
func orderTotals(o *model.Order) *totals.OrderTotals {
	t := totals.Order(o)
	return &t
}

func (r *Resolver) returnConnection(ctx context.Context, first *int, after *string, where map[string]any) (*gqlmodel.ReturnConnection, error) {
	p, err := page(first, after)
	if err != nil {
		return nil, err
	}
	if p.Where, err = plainWhere(where); err != nil {
		return nil, err
	}
	rs, err := r.Store.ListReturns(ctx, p)
	if err != nil {
		return nil, queryError(err)
	}
	total, err := r.Store.CountReturns(ctx, p.Where)
	if err != nil {
		return nil, err
	}
	return &gqlmodel.ReturnConnection{Nodes: rs, TotalCount: total, PageInfo: pageInfo(p, len(rs), total),
		Edges: edgesOf(p, rs, func(c string, n *model.Return) *gqlmodel.ReturnEdge {
			return &gqlmodel.ReturnEdge{Cursor: c, Node: n}
		})}, nil
}

func (r *Resolver) swapConnection(ctx context.Context, first *int, after *string, where map[string]any) (*gqlmodel.SwapConnection, error) {
	p, err := page(first, after)
	if err != nil {
		return nil, err
	}
	if p.Where, err = plainWhere(where); err != nil {
		return nil, err
	}
	ss, err := r.Store.ListSwaps(ctx, p)
	if err != nil {
		return nil, queryError(err)
	}
	total, err := r.Store.CountSwaps(ctx, p.Where)
	if err != nil {
		return nil, err
	}
	return &gqlmodel.SwapConnection{Nodes: ss, TotalCount: total, PageInfo: pageInfo(p, len(ss), total),
		Edges: edgesOf(p, ss, func(c string, n *model.Swap) *gqlmodel.SwapEdge {
			return &gqlmodel.SwapEdge{Cursor: c, Node: n}
		})}, nil
}

func (r *Resolver) swap(ctx context.Context, id string) (*model.Swap, error) {
	return foundOrNull(r.Store.GetSwap(ctx, id))
}
