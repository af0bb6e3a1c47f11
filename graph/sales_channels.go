package graph

import (
	"context"

	"github.com/gorgon-commerce/gorgon/graph/generated"
	"github.com/gorgon-commerce/gorgon/graph/gqlmodel"
	"github.com/gorgon-commerce/gorgon/graph/node"
	"github.com/gorgon-commerce/gorgon/store"
	"github.com/gorgon-commerce/gorgon/store/model"
)

func init() {
	nodeFetchers["sc"] = func(ctx context.Context, r *Resolver, id string) (node.Node, error) {
		return nodeOf(r.Store.GetSalesChannel(ctx, id))
	}
	complexityHooks = append(complexityHooks, func(c *generated.ComplexityRoot) {
		c.Query.SalesChannels = func(child int, first *int, _ *string, _ map[string]any, _ *gqlmodel.SalesChannelFilter) int {
			return connCost(child, first)
		}
	})
}

func (r *Resolver) salesChannelConnection(ctx context.Context, first *int, after *string, where map[string]any, filter *gqlmodel.SalesChannelFilter) (*gqlmodel.SalesChannelConnection, error) {
	p, err := page(first, after)
	if err != nil {
		return nil, err
	}
	if p.Where, err = plainWhere(where); err != nil {
		return nil, err
	}
	var f store.SalesChannelFilter
	if filter != nil {
		f = store.SalesChannelFilter{ID: filter.ID, Q: filter.Q, Name: filter.Name, Description: filter.Description,
			CreatedAt: catalogRange(filter.CreatedAt), UpdatedAt: catalogRange(filter.UpdatedAt), DeletedAt: catalogRange(filter.DeletedAt)}
	}
	lp, none := limitPage(p)
	chans, total, err := r.Store.ListSalesChannels(ctx, f, lp)
	if err != nil {
		return nil, queryError(err)
	}
	if none {
		chans = chans[:0]
	}
	return &gqlmodel.SalesChannelConnection{Nodes: chans, TotalCount: total, PageInfo: pageInfo(p, len(chans), total),
		Edges: edgesOf(p, chans, func(c string, n *model.SalesChannel) *gqlmodel.SalesChannelEdge {
			return &gqlmodel.SalesChannelEdge{Cursor: c, Node: n}
		})}, nil
}

func (r *Resolver) salesChannel(ctx context.Context, id string) (*model.SalesChannel, error) {
	return foundOrNull(r.Store.GetSalesChannel(ctx, id))
}

// salesChannelPayload answers a sales channel mutation with the channel the store returned.
func salesChannelPayload(ctx context.Context) func(*model.SalesChannel, error) (*gqlmodel.SalesChannelPayload, error) {
	return func(sc *model.SalesChannel, err error) (*gqlmodel.SalesChannelPayload, error) {
		sc, ue, err := wrote(ctx, sc, err)
		return &gqlmodel.SalesChannelPayload{SalesChannel: sc, UserErrors: ue}, err
	}
}

func (r *Resolver) createSalesChannel(ctx context.Context, in gqlmodel.CreateSalesChannelInput) (*gqlmodel.SalesChannelPayload, error) {
	cin := store.CreateSalesChannelInput{Name: in.Name, Description: in.Description}
	if in.IsDisabled != nil {
		cin.IsDisabled = *in.IsDisabled
	}
	return salesChannelPayload(ctx)(r.Store.CreateSalesChannel(ctx, cin))
}

func (r *Resolver) updateSalesChannel(ctx context.Context, id string, in gqlmodel.UpdateSalesChannelInput) (*gqlmodel.SalesChannelPayload, error) {
	return salesChannelPayload(ctx)(r.Store.UpdateSalesChannel(ctx, id, store.UpdateSalesChannelInput{Name: in.Name,
		Description: omit(in.Description), IsDisabled: in.IsDisabled}))
}

func (r *Resolver) deleteSalesChannel(ctx context.Context, id string) (*gqlmodel.DeletePayload, error) {
	_, ue, err := wrote(ctx, &id, r.Store.DeleteSalesChannel(ctx, id))
	return &gqlmodel.DeletePayload{DeletedID: deletedID(id, ue), UserErrors: ue}, err
}

func (r *Resolver) addProductsToSalesChannel(ctx context.Context, id string, productIDs []string) (*gqlmodel.SalesChannelPayload, error) {
	return salesChannelPayload(ctx)(r.Store.AddProductsToSalesChannel(ctx, id, productIDs))
}

func (r *Resolver) removeProductsFromSalesChannel(ctx context.Context, id string, productIDs []string) (*gqlmodel.SalesChannelPayload, error) {
	return salesChannelPayload(ctx)(r.Store.RemoveProductsFromSalesChannel(ctx, id, productIDs))
}
