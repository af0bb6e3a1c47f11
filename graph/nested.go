package graph

import (
	"context"

	"github.com/gorgon-commerce/gorgon/graph/generated"
	"github.com/gorgon-commerce/gorgon/graph/gqlmodel"
	"github.com/gorgon-commerce/gorgon/store"
	"github.com/gorgon-commerce/gorgon/store/model"
)

// window converts a nested connection's Relay arguments to the store's window; without first
// and last, the first 50. Cursors are row numbers, as those of the root connections.
func window(first *int, after *string, last *int, before *string, where map[string]any) (store.ChildWindow, store.Where, error) {
	var w store.ChildWindow
	if first == nil && last == nil {
		n := 50
		first = &n
	}
	w.First, w.Last = first, last
	for _, c := range []struct {
		cursor *string
		dst    **int
	}{{after, &w.After}, {before, &w.Before}} {
		if c.cursor != nil && *c.cursor != "" {
			n, err := decodeCursor(*c.cursor)
			if err != nil {
				return w, nil, err
			}
			*c.dst = &n
		}
	}
	pw, err := plainWhere(where)
	return w, pw, err
}

// childEdges are the edges and page info of a nested connection's page.
func childEdges[N, E any](p store.ChildPage[N], edge func(cursor string, n *N) *E) ([]*E, *gqlmodel.PageInfo) {
	edges := make([]*E, len(p.Rows))
	for i, n := range p.Rows {
		edges[i] = edge(encodeCursor(p.Start+i), n)
	}
	pi := &gqlmodel.PageInfo{HasPreviousPage: p.Start > 0, HasNextPage: p.Start+len(p.Rows) < p.Total}
	if len(p.Rows) > 0 {
		s, e := encodeCursor(p.Start), encodeCursor(p.Start+len(p.Rows)-1)
		pi.StartCursor, pi.EndCursor = &s, &e
	}
	return edges, pi
}

// productPage is a nested products connection read through load.
func productPage(ctx context.Context, first *int, after *string, last *int, before *string, where map[string]any,
	load func(context.Context, store.ChildWindow, store.Where) (store.ChildPage[model.Product], error)) (*gqlmodel.ProductConnection, error) {
	win, w, err := window(first, after, last, before, where)
	if err != nil {
		return nil, err
	}
	p, err := load(ctx, win, w)
	if err != nil {
		return nil, queryError(err)
	}
	edges, pi := childEdges(p, func(c string, n *model.Product) *gqlmodel.ProductEdge {
		return &gqlmodel.ProductEdge{Cursor: c, Node: n}
	})
	return &gqlmodel.ProductConnection{Nodes: p.Rows, TotalCount: p.Total, PageInfo: pi, Edges: edges}, nil
}

// priceListPricesPage is PriceList.pricesConnection.
func priceListPricesPage(ctx context.Context, pl *model.PriceList, first *int, after *string, last *int, before *string,
	where map[string]any) (*gqlmodel.MoneyAmountConnection, error) {
	win, w, err := window(first, after, last, before, where)
	if err != nil {
		return nil, err
	}
	p, err := catalog(ctx).PriceListPricesPage(ctx, pl, win, w)
	if err != nil {
		return nil, queryError(err)
	}
	edges, pi := childEdges(p, func(c string, n *model.MoneyAmount) *gqlmodel.MoneyAmountEdge {
		return &gqlmodel.MoneyAmountEdge{Cursor: c, Node: n}
	})
	return &gqlmodel.MoneyAmountConnection{Nodes: p.Rows, TotalCount: p.Total, PageInfo: pi, Edges: edges}, nil
}

func init() {
	complexityHooks = append(complexityHooks, func(c *generated.ComplexityRoot) {
		nested := func(child int, first *int, _ *string, last *int, _ *string, _ map[string]any) int {
			return windowCost(child, first, last)
		}
		c.ProductCollection.ProductsConnection = nested
		c.ShippingProfile.ProductsConnection = nested
		c.TaxRate.ProductsConnection = nested
		c.PriceList.PricesConnection = nested
	})
}
